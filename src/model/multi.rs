//! Multi-primary replication: every region commits its clients' writes and
//! streams them to every other region (full mesh, FIFO per origin); merging
//! is in `merge.rs`. When a region is lost, survivors exchange what each
//! received from it (anti-entropy).

use std::collections::VecDeque;

use crate::engine::{EventQueue, SimTime};

use crate::scenario::{RegionId, Resolution, Scenario, Topology};

use super::merge::{local_write, merge, Incoming, Version};
use super::replication::Stream;
use super::world::{Ev, World};

#[derive(Clone, Copy, Debug)]
pub(super) struct Write {
    pub(super) id: u64,
    pub(super) key: u32,
    pub(super) ts: i64,
    pub(super) true_us: u64,
    pub(super) acked: bool,
    /// Home-region: orphaned when its key moved to a new home that lacked
    /// it; shipped as a bare position from then on, never merged.
    pub(super) void: bool,
}

/// One origin's log: its writes in commit order with their version vectors.
#[derive(Clone, Debug, Default)]
pub(super) struct OriginLog {
    pub(super) first: u64,
    pub(super) writes: VecDeque<Write>,
    /// n entries per write: the key's version vector at commit.
    pub(super) vvs: VecDeque<u64>,
}

impl OriginLog {
    fn end(&self) -> u64 {
        self.first + self.writes.len() as u64 - 1
    }

    /// The write at log position `seq`, if still held.
    fn get(&self, seq: u64) -> Option<&Write> {
        self.writes.get(seq.checked_sub(self.first)? as usize)
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut Write> {
        self.writes.get_mut(seq.checked_sub(self.first)? as usize)
    }
}

#[derive(Clone, Debug)]
pub struct Multi {
    pub(super) n: usize,
    pub(super) keys: usize,
    pub(super) res: Resolution,
    pub(super) logs: Vec<OriginLog>,
    /// `applied[peer * n + origin]`: the origin's log position merged at peer.
    pub(super) applied: Vec<u64>,
    /// `streams[origin * n + peer]`.
    pub(super) streams: Vec<Stream>,
    /// Per region: per key its version, and its version vector (keys x n).
    pub(super) versions: Vec<Vec<Version>>,
    /// Per key 2n entries: the writes merged per origin, then what the
    /// region's version of the key had seen (its causal context).
    pub(super) vv: Vec<Vec<u64>>,
    /// Home-region: one writer per key, so causal order decides, not clocks.
    pub(super) causal: bool,
    /// Current clock offset per region (clock-skew faults change it).
    pub(super) offsets: Vec<i64>,
    pub(super) names: Vec<String>,
}

impl Multi {
    pub fn new(s: &Scenario) -> Option<Multi> {
        if s.replication.topology == Topology::SinglePrimary {
            return None;
        }
        let n = s.regions.len();
        let keys = s.workload.keys as usize;
        Some(Multi {
            n,
            keys,
            res: s
                .conflicts
                .as_ref()
                .map_or(Resolution::Lww, |c| c.resolution),
            logs: (0..n)
                .map(|_| OriginLog {
                    first: 1,
                    ..OriginLog::default()
                })
                .collect(),
            applied: vec![0; n * n],
            streams: vec![Stream::default(); n * n],
            versions: vec![vec![Version::default(); keys]; n],
            vv: vec![vec![0; keys * 2 * n]; n],
            causal: s.replication.topology == Topology::HomeRegion,
            offsets: s.regions.iter().map(|r| r.clock_offset_us).collect(),
            names: s.regions.iter().map(|r| r.name.clone()).collect(),
        })
    }

    /// Whether `region` has merged `origin`'s write `seq` to `key` (whatever
    /// won there): its version is not older than that write (stale reads).
    pub fn has_write(&self, region: RegionId, key: u32, origin: RegionId, seq: u64) -> bool {
        // LWW: merged it, or holds a version that had seen it. A CRDT's value
        // holds the write only once merged.
        let seen = if self.res == Resolution::Lww {
            self.n
        } else {
            0
        };
        self.vv[region]
            .get(key as usize * 2 * self.n + seen + origin)
            .is_some_and(|&v| v >= seq)
    }

    /// The (origin, seq) of write `id` if it is `region`'s version of `key`.
    pub fn dot_of(&self, region: RegionId, key: u32, id: u64) -> Option<(RegionId, u64)> {
        let v = self.versions.get(region)?.get(key as usize)?;
        (v.id == id).then_some((v.origin as RegionId, v.seq))
    }
}

/// The window of unapplied messages per stream, as for single-primary.
const WINDOW: u64 = 65_536;

impl World<'_> {
    pub(super) fn mp(&mut self) -> &mut Multi {
        self.multi.as_mut().expect("multi-primary state")
    }

    /// A write commits at `here` (already answered: `acked`).
    pub fn mp_commit(
        &mut self,
        t: u64,
        id: u64,
        key: u32,
        here: RegionId,
        acked: bool,
        q: &mut EventQueue<Ev>,
    ) -> Option<u64> {
        let m = self.mp();
        let (n, k) = (m.n, key as usize);
        let seq = m.logs[here].end() + 1;
        let ts = t as i64 + m.offsets[here];
        // The write has seen everything the region's version had seen.
        let mut snap = m.vv[here][k * 2 * n + n..(k + 1) * 2 * n].to_vec();
        snap[here] = seq;
        let w = Incoming {
            id,
            ts,
            origin: here as u8,
            seq,
            true_us: t,
            acked,
            vv: &snap,
        };
        let (res, names) = (m.res, std::mem::take(&mut m.names));
        let kept = local_write(
            res,
            m.causal,
            &mut m.versions[here][k],
            &mut m.vv[here][k * 2 * n..(k + 1) * 2 * n],
            &w,
            &names,
        );
        m.names = names;
        if !kept {
            if acked {
                // Rejected at its own commit by a larger timestamp: a skewed clock.
                self.rec.lww_discarded(true);
            }
            return None;
        }
        let log = &mut m.logs[here];
        log.writes.push_back(Write {
            id,
            key,
            ts,
            true_us: t,
            acked,
            void: false,
        });
        log.vvs.extend(snap.iter().copied());
        m.applied[here * n + here] = seq;
        self.landed(here, key);
        for peer in 0..n {
            if peer != here {
                self.mp_pump(t, here, peer, q);
            }
        }
        self.mp_trim(here);
        Some(seq)
    }

    /// A held write (home-region sync) was acknowledged after its commit.
    pub fn mp_mark_acked(&mut self, origin: RegionId, seq: u64) {
        if let Some(w) = self.mp().logs[origin].get_mut(seq) {
            w.acked = true;
        }
    }

    /// Whether `origin`'s write `seq` was orphaned (home-region).
    pub fn mp_is_void(&self, origin: RegionId, seq: u64) -> bool {
        let Some(m) = &self.multi else { return false };
        m.logs[origin].get(seq).is_some_and(|w| w.void)
    }

    /// Whether `origin`'s write `seq` carries data to `to`.
    fn mp_carries(&self, origin: RegionId, to: RegionId, seq: u64) -> bool {
        let Some(m) = &self.multi else { return false };
        m.logs[origin]
            .get(seq)
            .is_some_and(|w| !w.void && self.place.allowed(w.key, to))
    }

    fn mp_pump(&mut self, t: u64, origin: RegionId, peer: RegionId, q: &mut EventQueue<Ev>) {
        loop {
            let m = self.mp();
            let n = m.n;
            let applied = m.applied[peer * n + origin];
            let st = m.streams[origin * n + peer];
            if st.broken || st.next_send > m.logs[origin].end() {
                return;
            }
            if st.next_send <= applied {
                m.streams[origin * n + peer].next_send = applied + 1;
                continue;
            }
            if st.next_send - applied > WINDOW {
                return;
            }
            m.streams[origin * n + peer].next_send += 1;
            if let Err(failed_at) = self.mp_ship(t, origin, origin, peer, st.next_send, q) {
                self.mp_break(t, failed_at, origin, peer, q);
                return;
            }
        }
    }

    /// Sends `origin`'s write `seq` from `from` to `to`; `Err(when it would
    /// have landed)` if it was dropped.
    pub(super) fn mp_ship(
        &mut self,
        t: u64,
        from: RegionId,
        origin: RegionId,
        to: RegionId,
        seq: u64,
        q: &mut EventQueue<Ev>,
    ) -> Result<(), u64> {
        // A write `to` may not hold (residency) or an orphan travels as a
        // bare log position: it keeps the stream's order and carries no data.
        let size = if self.mp_carries(origin, to, seq) {
            self.s.workload.write_size_bytes
        } else {
            0
        };
        let extra = self.plan.extra_latency(from, to, t);
        let Some((deliver, link, _)) = self.net.send_stream(from, to, t, size, extra) else {
            return Err(t);
        };
        if size > 0 {
            self.rec.bytes(link, size);
        }
        let at = deliver + self.commit_latency(to);
        if !(self.plan.path_up_during(from, to, t, deliver)
            && self.plan.region_up_during(to, deliver, at))
        {
            return Err(at);
        }
        let lane = self.apply_lanes[from * self.n + to];
        let ev = Ev::MpApply {
            to: to as u8,
            origin: origin as u8,
            seq,
        };
        q.push_lane(lane, SimTime(at), ev);
        Ok(())
    }

    fn mp_break(
        &mut self,
        t: u64,
        failed_at: u64,
        origin: RegionId,
        peer: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let end = self.s.end_us();
        // Resume once the path is clear from when the dropped message would
        // have landed (not earlier: it would be dropped again).
        let back = self.plan.path_restore(origin, peer, failed_at.max(t + 1));
        let m = self.mp();
        let st = &mut m.streams[origin * m.n + peer];
        st.broken = true;
        if st.retry_pending {
            return;
        }
        if let Some(b) = back.filter(|&b| b <= end) {
            st.retry_pending = true;
            q.push(
                SimTime(b.max(t + 1)),
                Ev::MpRetry {
                    origin: origin as u8,
                    peer: peer as u8,
                },
            );
        }
    }

    pub fn mp_retry(&mut self, t: u64, origin: RegionId, peer: RegionId, q: &mut EventQueue<Ev>) {
        let m = self.mp();
        let n = m.n;
        let applied = m.applied[peer * n + origin];
        m.streams[origin * n + peer] = Stream {
            next_send: applied + 1,
            broken: false,
            retry_pending: false,
        };
        self.mp_pump(t, origin, peer, q);
    }

    /// `origin`'s write `seq` reaches `to` (directly or relayed).
    pub fn mp_apply(
        &mut self,
        t: u64,
        to: RegionId,
        origin: RegionId,
        seq: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let m = self.mp();
        let n = m.n;
        if seq != m.applied[to * n + origin] + 1 {
            return;
        }
        let log = &m.logs[origin];
        let Some(i) = seq.checked_sub(log.first).map(|i| i as usize) else {
            return;
        };
        let Some(&w) = log.writes.get(i) else { return };
        m.applied[to * n + origin] = seq;
        if w.void || !self.place.allowed(w.key, to) {
            self.mp_pump(t, origin, to, q);
            self.mp_trim(origin);
            return;
        }
        self.landed(to, w.key);
        let m = self.mp();
        let log = &m.logs[origin];
        let vv: Vec<u64> = log.vvs.range(i * n..(i + 1) * n).copied().collect();
        let k = w.key as usize;
        let inc = Incoming {
            id: w.id,
            ts: w.ts,
            origin: origin as u8,
            seq,
            true_us: w.true_us,
            acked: w.acked,
            vv: &vv,
        };
        let names = std::mem::take(&mut m.names);
        let merged = merge(
            m.res,
            m.causal,
            &mut m.versions[to][k],
            &mut m.vv[to][k * 2 * n..(k + 1) * 2 * n],
            &inc,
            to as u8,
            &names,
        );
        m.names = names;
        if merged.concurrent {
            self.rec.conflict(to);
        }
        if let Some(inversion) = merged.discarded {
            self.rec.lww_discarded(inversion);
        }
        self.rec.applied(to, w.true_us, t);
        self.hq_send_receipt(t, to, origin, seq, q);
        self.mp_pump(t, origin, to, q);
        self.mp_trim(origin);
    }

    /// Forgets an origin's writes every region has merged.
    fn mp_trim(&mut self, origin: RegionId) {
        let m = self.mp();
        let n = m.n;
        let low = (0..n).map(|p| m.applied[p * n + origin]).min().unwrap_or(0);
        let log = &mut m.logs[origin];
        while log.first <= low && log.writes.pop_front().is_some() {
            log.vvs.drain(..n);
            log.first += 1;
        }
    }
}
