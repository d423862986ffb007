//! Mesh streaming: each origin's log to each peer (windowed, resumed after
//! a break), merging at the peer, receipts back (home-region sync), and
//! trimming what every region merged. Touches only mesh state and the
//! shared services.

use crate::engine::{EventQueue, SimTime};
use crate::scenario::RegionId;

use super::merge::{merge, Incoming};
use super::Mesh;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::topology::window::{Stream, WINDOW};

impl Mesh {
    /// Whether `origin`'s write `seq` carries data to `to`.
    fn carries(&self, env: &Env, origin: RegionId, to: RegionId, seq: u64) -> bool {
        self.logs[origin]
            .get(seq)
            .is_some_and(|w| !w.void && env.place.allowed(w.key, to))
    }

    pub(super) fn pump(
        &mut self,
        env: &mut Env,
        t: u64,
        origin: RegionId,
        peer: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        loop {
            let m = &mut *self;
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
            if let Err(failed_at) = self.ship(env, t, (origin, peer), (origin, st.next_send), q) {
                self.break_stream(env, t, failed_at, origin, peer, q);
                return;
            }
        }
    }

    /// Sends `origin`'s write `seq` from `from` to `to`; `Err(when it would
    /// have landed)` if it was dropped.
    pub fn ship(
        &mut self,
        env: &mut Env,
        t: u64,
        (from, to): (RegionId, RegionId),
        (origin, seq): (RegionId, u64),
        q: &mut EventQueue<Ev>,
    ) -> Result<(), u64> {
        // A write `to` may not hold (residency) or an orphan travels as a
        // bare log position: it keeps the stream's order and carries no data.
        let size = if self.carries(env, origin, to, seq) {
            env.s.workload.write_size_bytes
        } else {
            0
        };
        let extra = env.plan.extra_latency(from, to, t);
        let Some((deliver, link, _)) = env.net.send_stream(from, to, t, size, extra) else {
            return Err(t);
        };
        if size > 0 {
            env.rec.bytes(link, size);
        }
        let at = deliver + env.commit_latency(to);
        if !(env.plan.path_up_during(from, to, t, deliver)
            && env.plan.region_up_during(to, deliver, at))
        {
            return Err(at);
        }
        let lane = env.apply_lane(from, to);
        let ev = Ev::MpApply {
            to: to as u8,
            origin: origin as u8,
            seq,
        };
        q.push_lane(lane, SimTime(at), ev);
        Ok(())
    }

    fn break_stream(
        &mut self,
        env: &mut Env,
        t: u64,
        failed_at: u64,
        origin: RegionId,
        peer: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let end = env.s.end_us();
        // Resume once the path is clear from when the dropped message would
        // have landed (not earlier: it would be dropped again).
        let back = env.plan.path_restore(origin, peer, failed_at.max(t + 1));
        let m = &mut *self;
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

    pub fn retry(
        &mut self,
        env: &mut Env,
        t: u64,
        origin: RegionId,
        peer: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let m = &mut *self;
        let n = m.n;
        let applied = m.applied[peer * n + origin];
        m.streams[origin * n + peer] = Stream::resume_after(applied);
        self.pump(env, t, origin, peer, q);
    }

    /// `origin`'s write `seq` reaches `to` (directly or relayed).
    pub fn apply(
        &mut self,
        env: &mut Env,
        t: u64,
        to: RegionId,
        origin: RegionId,
        seq: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let m = &mut *self;
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
        if w.void || !env.place.allowed(w.key, to) {
            self.pump(env, t, origin, to, q);
            self.trim(origin);
            return;
        }
        env.landed(to, w.key);
        let m = &mut *self;
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
            env.rec.conflict(to);
        }
        if let Some(inversion) = merged.discarded {
            env.rec.lww_discarded(inversion);
        }
        env.rec.applied(to, w.true_us, t);
        self.send_receipt(env, t, to, (origin, seq), q);
        self.pump(env, t, origin, to, q);
        self.trim(origin);
    }

    /// Forgets an origin's writes every region has merged.
    pub(super) fn trim(&mut self, origin: RegionId) {
        let m = &mut *self;
        let n = m.n;
        let low = (0..n).map(|p| m.applied[p * n + origin]).min().unwrap_or(0);
        let log = &mut m.logs[origin];
        while log.first <= low && log.writes.pop_front().is_some() {
            log.vvs.drain(..n);
            log.first += 1;
        }
    }

    /// `from` durably holds `origin`'s write `seq`: tell the origin (home-region sync).
    fn send_receipt(
        &mut self,
        env: &mut Env,
        t: u64,
        from: RegionId,
        (origin, seq): (RegionId, u64),
        q: &mut EventQueue<Ev>,
    ) {
        if !self.receipts {
            return;
        }
        let back = t + env.net.ack_latency(from, origin) + env.plan.extra_latency(from, origin, t);
        if env.plan.path_up_during(from, origin, t, back) {
            let ev = Ev::MpReceipt {
                origin: origin as u8,
                from: from as u8,
                seq,
            };
            q.push(SimTime(back), ev);
        }
    }
}
