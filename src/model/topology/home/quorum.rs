//! Home-region with `mode = "sync"`: a home holds each write's answer until
//! `acks` regions that may hold the key have durably received it (the k-th
//! fastest receipt, as a Raft leader's quorum); answers are released in log
//! order, as a commit index advances. A write without its receipts within
//! `request_timeout` fails (its client has given up). Owns the held answers
//! and the receipts; reads the mesh, answers clients through `Front`.

use std::collections::VecDeque;

use crate::engine::EventQueue;
use crate::scenario::{RegionId, ReplicationMode, Scenario, Topology};

use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::topology::front::Front;
use crate::model::topology::mesh::Mesh;

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

impl Quorum {
    /// A home committed write `seq` of `key` for attempt `attempt` of
    /// request `req`; its answer waits for receipts.
    pub fn hold(
        &mut self,
        (mesh, env, front): (&mut Mesh, &mut Env, &mut Front),
        t: u64,
        origin: RegionId,
        (seq, key): (u64, u32),
        (req, attempt): (u64, u8),
        q: &mut EventQueue<Ev>,
    ) {
        let class = env.place.rule(key).unwrap_or(self.classes - 1);
        self.held[origin * self.classes + class].push_back(Held {
            seq,
            req,
            attempt,
            key,
            commit_us: t,
        });
        self.release((mesh, env, front), t, origin, q);
    }

    /// `from` durably holds `origin`'s write `seq`.
    pub fn receipt(
        &mut self,
        (mesh, env, front): (&mut Mesh, &mut Env, &mut Front),
        t: u64,
        (origin, from, seq): (RegionId, RegionId, u64),
        q: &mut EventQueue<Ev>,
    ) {
        if !env.plan.region_up_at(origin, t) {
            return;
        }
        let r = &mut self.receipts[origin * env.n + from];
        *r = (*r).max(seq);
        self.release((mesh, env, front), t, origin, q);
    }

    /// Answers held writes of `origin`, per class in log order, while each
    /// has its receipts.
    fn release(
        &mut self,
        (mesh, env, front): (&mut Mesh, &mut Env, &mut Front),
        t: u64,
        origin: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        for c in 0..self.classes {
            let queue = origin * self.classes + c;
            self.release_queue((mesh, env, front), t, origin, queue, q);
        }
    }

    fn release_queue(
        &mut self,
        (mesh, env, front): (&mut Mesh, &mut Env, &mut Front),
        t: u64,
        origin: RegionId,
        queue: usize,
        q: &mut EventQueue<Ev>,
    ) {
        let timeout = env.s.workload.request_timeout_us;
        loop {
            // Answers nobody waits for any more are dropped, unacknowledged.
            while self.held[queue]
                .front()
                .is_some_and(|h| h.commit_us + timeout < t)
            {
                self.held[queue].pop_front();
            }
            let Some(&h) = self.held[queue].front() else {
                return;
            };
            if mesh.is_void(origin, h.seq) {
                // Orphaned when its key moved: never acknowledged.
                self.held[queue].pop_front();
                continue;
            }
            if !self.has_receipts(env, origin, &h) {
                return;
            }
            self.held[queue].pop_front();
            if let Some(ack_us) = front.answer(env, t, h.req, origin, Some(h.attempt), q) {
                mesh.mark_acked(origin, h.seq);
                let version = ((origin as u64) << 56) | h.seq;
                front.acked(t, h.key, h.commit_us, version, ack_us);
            }
        }
    }

    /// Needed: `acks`, or every other region the key's residency allows
    /// when fewer (none: answered at commit).
    fn has_receipts(&self, env: &Env, origin: RegionId, h: &Held) -> bool {
        let n = env.n;
        let receipts = &self.receipts[origin * n..(origin + 1) * n];
        let (mut others, mut have) = (0, 0);
        for p in (0..n).filter(|&p| p != origin && env.place.allowed(h.key, p)) {
            others += 1;
            have += usize::from(receipts[p] >= h.seq);
        }
        have >= self.acks.min(others)
    }
}
