//! Acknowledgement holding for semi-sync and sync replication: a write is
//! acknowledged once `acks` replicas have durably received it (the k-th
//! fastest receipt releases it); semi-sync falls back to async after
//! `semi_sync_timeout` and re-arms once `acks` replicas have caught up.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Happening;
use crate::scenario::{RegionId, ReplicationMode, Scenario};

use super::world::{Ev, World};

#[derive(Clone, Debug)]
pub struct AckState {
    pub mode: ReplicationMode,
    need: usize,
    timeout_us: u64,
    /// Every log position up to here has been released (acknowledged or given up).
    pub released: u64,
    /// Per region: the highest position the primary knows it durably received.
    receipts: Vec<u64>,
    /// Semi-sync fell back to async.
    pub degraded: bool,
    degraded_since: u64,
    /// Per region, while degraded: the first position shipped when the stream
    /// had nothing else to send; a receipt for it means "caught up".
    marks: Vec<Option<u64>>,
    pub fallbacks: u64,
    pub degraded_total_us: u64,
    /// Whether a deposed primary was running degraded (it acknowledges alone).
    pub zombie_degraded: bool,
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
}

impl World<'_> {
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

    /// Called when the primary ships `idx` to `to` with nothing queued ahead of it.
    pub fn shipped(&mut self, to: RegionId, idx: u64) {
        if self.acks.degraded && self.acks.marks[to].is_none() && idx == self.log.end() {
            self.acks.marks[to] = Some(idx);
        }
    }

    /// A follower applied `idx`: its receipt travels back to the primary.
    pub fn send_receipt(&mut self, t: u64, from: RegionId, idx: u64, q: &mut EventQueue<Ev>) {
        let p = self.primary;
        let back = t + self.net.ack_latency(from, p) + self.plan.extra_latency(from, p, t);
        if self.plan.path_up_during(from, p, t, back) {
            let ev = Ev::Receipt {
                from: from as u16,
                term: self.term,
                idx,
            };
            q.push(SimTime(back), ev);
        }
    }

    pub fn receipt(&mut self, t: u64, from: RegionId, term: u32, idx: u64, q: &mut EventQueue<Ev>) {
        if term != self.term || !self.plan.region_up_at(self.primary, t) {
            return;
        }
        let r = &mut self.acks.receipts[from];
        *r = (*r).max(idx);
        if self.acks.holding() {
            let mut got: Vec<u64> = self.followers().map(|f| self.acks.receipts[f]).collect();
            got.sort_unstable_by(|a, b| b.cmp(a));
            if let Some(&kth) = got.get(self.acks.need - 1) {
                self.release_through(t, kth, q);
            }
        } else if self.acks.degraded {
            self.maybe_rearm(t);
        }
    }

    /// Acknowledges every held write up to `idx`.
    pub fn release_through(&mut self, t: u64, idx: u64, q: &mut EventQueue<Ev>) {
        let end = self.log.end();
        let upto = idx.min(end);
        while self.acks.released < upto {
            self.acks.released += 1;
            let pos = self.acks.released;
            let Some(e) = self.log.get(pos).copied() else {
                continue;
            };
            let acked = self.reply_to(t, e.id - 1, self.primary, true, None, q);
            if let Some(m) = self.log.get_mut(pos) {
                m.acked = m.acked || acked;
            }
            if acked {
                self.note_ack(t, e.id - 1, e.key, e.commit_us, e.commit_us);
            }
        }
    }

    pub fn semi_timeout(&mut self, t: u64, term: u32, idx: u64, q: &mut EventQueue<Ev>) {
        if term != self.term || !self.acks.holding() || self.acks.released >= idx {
            return;
        }
        if !self.plan.region_up_at(self.primary, t) {
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
        self.rec.note(t, Some(self.primary), what);
        self.release_through(t, self.log.end(), q);
        // Streams that are idle now count as caught up once their last write is received.
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            if self.streams[f].next_send > self.log.end() && !self.streams[f].broken {
                self.acks.marks[f] = Some(self.log.end());
            }
        }
    }

    fn maybe_rearm(&mut self, t: u64) {
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
            self.rec.note(t, Some(self.primary), what);
        }
    }

    /// A promotion: the new primary starts with nothing held and fresh receipts.
    pub fn acks_on_promotion(&mut self, t: u64, cut: u64) {
        self.acks.zombie_degraded = self.acks.degraded;
        if self.acks.degraded {
            self.acks.degraded = false;
            self.acks.degraded_total_us += t - self.acks.degraded_since;
        }
        self.acks.released = cut;
        self.acks.receipts.iter_mut().for_each(|r| *r = 0);
        self.acks.marks.iter_mut().for_each(|m| *m = None);
    }
}
