//! Home-region with `mode = "sync"`: a home holds each write's answer until
//! `acks` regions that may hold the key have durably received it (the k-th
//! fastest receipt, as a Raft leader's quorum); answers are released in log
//! order, as a commit index advances. A write without its receipts within
//! `request_timeout` fails (its client has given up).

use std::collections::VecDeque;

use crate::engine::{EventQueue, SimTime};
use crate::scenario::{RegionId, ReplicationMode, Scenario, Topology};

use super::world::{Ev, World};

/// A committed write whose answer waits for receipts.
#[derive(Clone, Copy, Debug)]
struct Held {
    seq: u64,
    req: u64,
    attempt: u8,
    key: u32,
    commit_us: u64,
}

#[derive(Clone, Debug)]
pub struct Quorum {
    acks: usize,
    /// `receipts[origin * n + peer]`: the origin's log position durably at peer.
    receipts: Vec<u64>,
    /// Residency classes: one per rule, then the unpinned keys.
    classes: usize,
    /// Per (origin, class), its held writes in log order: each class has its
    /// own quorum (its own replicas), as each range has its own Raft log, so
    /// a pinned write waiting for its jurisdiction never holds up others.
    held: Vec<VecDeque<Held>>,
}

impl Quorum {
    pub fn new(s: &Scenario) -> Option<Quorum> {
        let r = &s.replication;
        if r.topology != Topology::HomeRegion || r.mode != ReplicationMode::Sync {
            return None;
        }
        let n = s.regions.len();
        let classes = s.residency.len() + 1;
        Some(Quorum {
            acks: r.acks.max(1) as usize,
            receipts: vec![0; n * n],
            classes,
            held: vec![VecDeque::new(); n * classes],
        })
    }
}

impl World<'_> {
    /// A home committed write `seq` of `key` for attempt `attempt` of
    /// request `req`; its answer waits for receipts.
    pub fn hq_hold(
        &mut self,
        t: u64,
        origin: RegionId,
        (seq, key): (u64, u32),
        (req, attempt): (u64, u8),
        q: &mut EventQueue<Ev>,
    ) {
        let Some(qs) = self.quorum.as_mut() else {
            return;
        };
        let class = self.place.rule(key).unwrap_or(qs.classes - 1);
        qs.held[origin * qs.classes + class].push_back(Held {
            seq,
            req,
            attempt,
            key,
            commit_us: t,
        });
        self.hq_release(t, origin, q);
    }

    /// `from` durably holds `origin`'s write `seq`: tell the origin.
    pub fn hq_send_receipt(
        &mut self,
        t: u64,
        from: RegionId,
        origin: RegionId,
        seq: u64,
        q: &mut EventQueue<Ev>,
    ) {
        if self.quorum.is_none() {
            return;
        }
        let back =
            t + self.net.ack_latency(from, origin) + self.plan.extra_latency(from, origin, t);
        if self.plan.path_up_during(from, origin, t, back) {
            let ev = Ev::MpReceipt {
                origin: origin as u8,
                from: from as u8,
                seq,
            };
            q.push(SimTime(back), ev);
        }
    }

    pub fn hq_receipt(
        &mut self,
        t: u64,
        origin: RegionId,
        from: RegionId,
        seq: u64,
        q: &mut EventQueue<Ev>,
    ) {
        if !self.plan.region_up_at(origin, t) {
            return;
        }
        let n = self.n;
        let Some(qs) = self.quorum.as_mut() else {
            return;
        };
        let r = &mut qs.receipts[origin * n + from];
        *r = (*r).max(seq);
        self.hq_release(t, origin, q);
    }

    /// Answers held writes of `origin`, per class in log order, while each
    /// has its receipts.
    fn hq_release(&mut self, t: u64, origin: RegionId, q: &mut EventQueue<Ev>) {
        let classes = self.quorum.as_ref().map_or(0, |qs| qs.classes);
        for c in 0..classes {
            self.hq_release_queue(t, origin, origin * classes + c, q);
        }
    }

    fn hq_release_queue(&mut self, t: u64, origin: RegionId, queue: usize, q: &mut EventQueue<Ev>) {
        let timeout = self.s.workload.request_timeout_us;
        let n = self.n;
        loop {
            let Some(qs) = self.quorum.as_mut() else {
                return;
            };
            // Answers nobody waits for any more are dropped, unacknowledged.
            while qs.held[queue]
                .front()
                .is_some_and(|h| h.commit_us + timeout < t)
            {
                qs.held[queue].pop_front();
            }
            let Some(&h) = qs.held[queue].front() else {
                return;
            };
            let acks = qs.acks;
            if self.mp_is_void(origin, h.seq) {
                // Orphaned when its key moved: never acknowledged.
                if let Some(qs) = self.quorum.as_mut() {
                    qs.held[queue].pop_front();
                }
                continue;
            }
            // Needed: `acks`, or every other region the key's residency
            // allows when fewer (none: answered at commit).
            let Some(qs) = self.quorum.as_ref() else {
                return;
            };
            let receipts = &qs.receipts[origin * n..(origin + 1) * n];
            let (mut others, mut have) = (0, 0);
            for p in (0..n).filter(|&p| p != origin && self.place.allowed(h.key, p)) {
                others += 1;
                have += usize::from(receipts[p] >= h.seq);
            }
            if have < acks.min(others) {
                return;
            }
            if let Some(qs) = self.quorum.as_mut() {
                qs.held[queue].pop_front();
            }
            if self.reply_to(t, h.req, origin, true, Some(h.attempt), q) {
                self.mp_mark_acked(origin, h.seq);
                let version = ((origin as u64) << 56) | h.seq;
                self.note_ack(t, h.req, h.key, h.commit_us, version);
            }
        }
    }
}
