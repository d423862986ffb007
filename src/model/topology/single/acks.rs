//! Acknowledgement holding for semi-sync and sync replication: a write is
//! acknowledged once `acks` replicas have durably received it (the k-th
//! fastest receipt releases it); semi-sync falls back to async after
//! `semi_sync_timeout` and re-arms once `acks` replicas have caught up.
//! Owns the acknowledgement state; its `SinglePrimary` half touches the log
//! and answers clients through `Front`.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Happening;
use crate::scenario::{RegionId, ReplicationMode, Scenario};

use super::SinglePrimary;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::topology::front::Front;

#[derive(Clone, Debug)]
pub struct AckState {
    mode: ReplicationMode,
    need: usize,
    timeout_us: u64,
    /// Every log position up to here has been released (acknowledged or given up).
    pub released: u64,
    /// Per region: the highest position the primary knows it durably received.
    receipts: Vec<u64>,
    /// Semi-sync fell back to async.
    degraded: bool,
    degraded_since: u64,
    /// Per region, while degraded: the first position shipped when the stream
    /// had nothing else to send; a receipt for it means "caught up".
    marks: Vec<Option<u64>>,
    pub fallbacks: u64,
    degraded_total_us: u64,
    /// Whether a deposed primary was running degraded (it acknowledges alone).
    zombie_degraded: bool,
}

impl AckState {
    pub fn new(s: &Scenario, regions: usize) -> AckState {
        AckState {
            mode: s.replication.mode,
            need: s.replication.acks.max(1) as usize,
            timeout_us: s.replication.semi_sync_timeout_us,
            released: 0,
            receipts: vec![0; regions],
            degraded: false,
            degraded_since: 0,
            marks: vec![None; regions],
            fallbacks: 0,
            degraded_total_us: 0,
            zombie_degraded: false,
        }
    }

    /// Whether commits wait for receipts right now.
    pub fn holding(&self) -> bool {
        match self.mode {
            ReplicationMode::Async => false,
            ReplicationMode::SemiSync => !self.degraded,
            ReplicationMode::Sync => true,
        }
    }

    /// Whether replicas report receipts at all.
    pub fn tracking(&self) -> bool {
        self.mode != ReplicationMode::Async
    }

    /// Whether a deposed primary can still acknowledge on its own.
    pub fn zombie_acks(&self) -> bool {
        match self.mode {
            ReplicationMode::Async => true,
            ReplicationMode::SemiSync => self.zombie_degraded,
            ReplicationMode::Sync => false,
        }
    }

    /// Degraded time up to `end`, including an open period.
    pub fn degraded_us(&self, end: u64) -> u64 {
        let open = if self.degraded {
            end.saturating_sub(self.degraded_since)
        } else {
            0
        };
        self.degraded_total_us + open
    }

    /// Called when the primary ships `idx` to `to` with nothing queued ahead
    /// of it; `end`: the log's last position.
    pub fn shipped(&mut self, to: RegionId, idx: u64, end: u64) {
        if self.degraded && self.marks[to].is_none() && idx == end {
            self.marks[to] = Some(idx);
        }
    }

    /// A promotion: the new primary starts with nothing held and fresh receipts.
    pub fn on_promotion(&mut self, t: u64, cut: u64) {
        self.zombie_degraded = self.degraded;
        if self.degraded {
            self.degraded = false;
            self.degraded_total_us += t - self.degraded_since;
        }
        self.released = cut;
        self.receipts.iter_mut().for_each(|r| *r = 0);
        self.marks.iter_mut().for_each(|m| *m = None);
    }
}

impl SinglePrimary {
    /// A primary's commit at `idx` now waits for receipts.
    pub fn hold(&mut self, t: u64, idx: u64, q: &mut EventQueue<Ev>) {
        if self.acks.mode == ReplicationMode::SemiSync {
            let ev = Ev::SemiTimeout {
                term: self.term,
                idx,
            };
            q.push_lane(self.semi_lane, SimTime(t + self.acks.timeout_us), ev);
        }
    }

    /// A follower applied `idx`: its receipt travels back to the primary.
    pub fn send_receipt(
        &mut self,
        env: &mut Env,
        t: u64,
        from: RegionId,
        idx: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let p = self.primary;
        let back = t + env.net.ack_latency(from, p) + env.plan.extra_latency(from, p, t);
        if env.plan.path_up_during(from, p, t, back) {
            let ev = Ev::Receipt {
                from: from as u16,
                term: self.term,
                idx,
            };
            q.push(SimTime(back), ev);
        }
    }

    /// The primary learns that `from` durably received everything up to
    /// `idx` (sent in `term`).
    pub fn receipt(
        &mut self,
        env: &mut Env,
        front: &mut Front,
        t: u64,
        from: RegionId,
        (term, idx): (u32, u64),
        q: &mut EventQueue<Ev>,
    ) {
        if term != self.term || !env.plan.region_up_at(self.primary, t) {
            return;
        }
        let r = &mut self.acks.receipts[from];
        *r = (*r).max(idx);
        if self.acks.holding() {
            let mut got: Vec<u64> = self.followers().map(|f| self.acks.receipts[f]).collect();
            got.sort_unstable_by(|a, b| b.cmp(a));
            if let Some(&kth) = got.get(self.acks.need - 1) {
                self.release_through(env, front, t, kth, q);
            }
        } else if self.acks.degraded {
            self.maybe_rearm(env, t);
        }
    }

    /// Acknowledges every held write up to `idx`.
    fn release_through(
        &mut self,
        env: &mut Env,
        front: &mut Front,
        t: u64,
        idx: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let end = self.log.end();
        let upto = idx.min(end);
        while self.acks.released < upto {
            self.acks.released += 1;
            let pos = self.acks.released;
            let Some(e) = self.log.get(pos).copied() else {
                continue;
            };
            let acked = front.answer(env, t, e.id - 1, self.primary, None, q);
            if let Some(m) = self.log.get_mut(pos) {
                m.acked = m.acked || acked.is_some();
            }
            if let Some(ack_us) = acked {
                front.acked(t, e.key, e.commit_us, e.commit_us, ack_us);
            }
        }
    }

    /// Write `idx` of `term` has waited `semi_sync_timeout` for its receipts.
    pub fn semi_timeout(
        &mut self,
        env: &mut Env,
        front: &mut Front,
        t: u64,
        (term, idx): (u32, u64),
        q: &mut EventQueue<Ev>,
    ) {
        if term != self.term || !self.acks.holding() || self.acks.released >= idx {
            return;
        }
        if !env.plan.region_up_at(self.primary, t) {
            return;
        }
        let waiting = self.log.end() - self.acks.released;
        self.acks.degraded = true;
        self.acks.degraded_since = t;
        self.acks.fallbacks += 1;
        self.acks.marks.iter_mut().for_each(|m| *m = None);
        let what = Happening::SemiSyncFallback {
            timeout_us: self.acks.timeout_us,
            acks: self.acks.need,
            waiting,
        };
        env.rec.note(t, Some(self.primary), what);
        self.release_through(env, front, t, self.log.end(), q);
        // Streams that are idle now count as caught up once their last write is received.
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            if self.streams[f].next_send > self.log.end() && !self.streams[f].broken {
                self.acks.marks[f] = Some(self.log.end());
            }
        }
    }

    fn maybe_rearm(&mut self, env: &mut Env, t: u64) {
        let caught = self
            .followers()
            .filter(|&f| self.acks.marks[f].is_some_and(|m| self.acks.receipts[f] >= m))
            .count();
        if caught >= self.acks.need {
            self.acks.degraded = false;
            self.acks.degraded_total_us += t - self.acks.degraded_since;
            self.acks.released = self.log.end();
            let what = Happening::SemiSyncRearmed {
                caught_up: caught,
                degraded_us: t - self.acks.degraded_since,
            };
            env.rec.note(t, Some(self.primary), what);
        }
    }
}
