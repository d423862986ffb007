//! The replication mesh of multi-primary and home-region: every region
//! commits writes and streams them to every other region (full mesh, FIFO
//! per origin); `merge.rs` merges one write into one region's version,
//! `ship.rs` streams, `end.rs` handles anti-entropy, clocks and the end of
//! the run. Owns the per-origin logs, the streams and every region's
//! versions; may touch the shared services (`Env`) and answer clients
//! through `Front`.

use std::collections::VecDeque;

use crate::engine::EventQueue;

use crate::scenario::{RegionId, Resolution, Scenario};

mod end;
mod merge;
mod ship;

use merge::{local_write, Incoming, Version};

use super::front::Front;
use super::window::Stream;
use crate::model::env::Env;
use crate::model::events::Ev;

#[derive(Clone, Copy, Debug)]
pub struct Write {
    pub id: u64,
    pub key: u32,
    pub ts: i64,
    pub true_us: u64,
    pub acked: bool,
    /// Home-region: orphaned when its key moved to a new home that lacked
    /// it; shipped as a bare position from then on, never merged.
    pub void: bool,
}

/// One origin's log: its writes in commit order with their version vectors.
#[derive(Clone, Debug, Default)]
pub struct OriginLog {
    pub first: u64,
    pub writes: VecDeque<Write>,
    /// n entries per write: the key's version vector at commit.
    pub vvs: VecDeque<u64>,
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
pub struct Mesh {
    pub n: usize,
    pub keys: usize,
    pub res: Resolution,
    pub logs: Vec<OriginLog>,
    /// `applied[peer * n + origin]`: the origin's log position merged at peer.
    pub applied: Vec<u64>,
    /// `streams[origin * n + peer]`.
    pub streams: Vec<Stream>,
    /// Per region: per key its version, and its version vector (keys x n).
    pub versions: Vec<Vec<Version>>,
    /// Per key 2n entries: the writes merged per origin, then what the
    /// region's version of the key had seen (its causal context).
    pub vv: Vec<Vec<u64>>,
    /// Home-region: one writer per key, so causal order decides, not clocks.
    pub causal: bool,
    /// Current clock offset per region (clock-skew faults change it).
    pub offsets: Vec<i64>,
    pub names: Vec<String>,
    /// Home-region sync: regions send receipts for what they merged.
    receipts: bool,
}

impl Mesh {
    /// `receipts`: each region tells a write's origin when it durably holds
    /// it (home-region sync).
    pub fn new(s: &Scenario, receipts: bool) -> Mesh {
        let n = s.regions.len();
        let keys = s.workload.keys as usize;
        Mesh {
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
            causal: s.replication.topology == crate::scenario::Topology::HomeRegion,
            offsets: s.regions.iter().map(|r| r.clock_offset_us).collect(),
            names: s.regions.iter().map(|r| r.name.clone()).collect(),
            receipts,
        }
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

impl Mesh {
    /// Write `id` of `key` commits at `here` (already answered: `acked`);
    /// returns its position in `here`'s log unless LWW rejected it.
    pub fn commit(
        &mut self,
        env: &mut Env,
        t: u64,
        (id, key): (u64, u32),
        here: RegionId,
        acked: bool,
        q: &mut EventQueue<Ev>,
    ) -> Option<u64> {
        let m = &mut *self;
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
                env.rec.lww_discarded(true);
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
        env.landed(here, key);
        for peer in 0..n {
            if peer != here {
                self.pump(env, t, here, peer, q);
            }
        }
        self.trim(here);
        Some(seq)
    }

    /// A held write (home-region sync) was acknowledged after its commit.
    pub fn mark_acked(&mut self, origin: RegionId, seq: u64) {
        if let Some(w) = self.logs[origin].get_mut(seq) {
            w.acked = true;
        }
    }

    /// Whether `origin`'s write `seq` was orphaned (home-region).
    pub fn is_void(&self, origin: RegionId, seq: u64) -> bool {
        self.logs[origin].get(seq).is_some_and(|w| w.void)
    }

    /// Multi-primary (and home-region without a quorum): attempt `attempt`
    /// of request `req` commits at `dst`, answered at once.
    pub fn commit_answered(
        &mut self,
        (env, front): (&mut Env, &mut Front),
        t: u64,
        (req, key, attempt): (u64, u32, u8),
        dst: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let id = req + 1;
        let acked = front.answer(env, t, req, dst, Some(attempt), q);
        self.commit(env, t, (id, key), dst, acked.is_some(), q);
        if let Some(ack_us) = acked {
            if let Some((origin, seq)) = self.dot_of(dst, key, id) {
                front.acked(t, key, t, ((origin as u64) << 56) | seq, ack_us);
            }
        }
    }

    /// A replication event of the mesh.
    pub fn handle(&mut self, env: &mut Env, t: u64, ev: Ev, q: &mut EventQueue<Ev>) {
        match ev {
            Ev::MpApply { to, origin, seq } => {
                self.apply(env, t, to as RegionId, origin as RegionId, seq, q)
            }
            Ev::MpRetry { origin, peer } => {
                self.retry(env, t, origin as RegionId, peer as RegionId, q)
            }
            Ev::AntiEntropy { lost } => self.anti_entropy(env, t, lost as RegionId, q),
            _ => {}
        }
    }
}
