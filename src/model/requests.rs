//! The client write path: issue, route, commit (or fail), reply, settle.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Outcome;
use crate::scenario::RegionId;

use super::world::{Ev, Req, ReqState, World};

impl World<'_> {
    /// The region `client` sends a request to at `t`.
    pub fn route(&self, client: u32, t: u64) -> RegionId {
        self.dns.target(client, t)
    }

    /// One-way client <-> region latency: access plus the link (with latency faults).
    fn client_leg(&mut self, from: RegionId, to: RegionId, t: u64) -> u64 {
        let access = self.s.workload.client_access_latency_us;
        access + self.net.client_latency(from, to) + self.plan.extra_latency(from, to, t)
    }

    pub fn next_write(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let spec = self.wl.draw();
        let client_region = self.wl.clients[spec.client as usize].region;
        let target = self.route(spec.client, t);
        let req = self.next_req;
        self.next_req += 1;
        let timeout = self.s.workload.request_timeout_us;
        self.ring.push_back(Req {
            client: spec.client,
            issue_us: t,
            state: ReqState::Pending,
        });
        q.push_lane(self.settle_lane, SimTime(t + timeout), Ev::Settle);
        let arrive = t + self.client_leg(client_region, target, t);
        let commit_at = arrive + self.commit_latency(target);
        // The request dies if the region is dark at any moment until its commit,
        // or if a partition cuts the client's path while it is in flight.
        if self.plan.region_up_during(target, t, commit_at)
            && self.plan.uncut_during(client_region, target, t, arrive)
        {
            q.push(
                SimTime(commit_at),
                Ev::Commit {
                    req,
                    key: spec.key,
                    region: target as u16,
                },
            );
        }
        let next = self.wl.next_arrival(t);
        if next < self.s.duration_us {
            q.push(SimTime(next), Ev::NextWrite);
        }
    }

    pub fn commit(&mut self, t: u64, req: u64, key: u32, region: RegionId, q: &mut EventQueue<Ev>) {
        let id = req + 1;
        if region == self.primary {
            if self.acks.holding() {
                // Committed locally; the client's answer waits for receipts.
                let idx = self.append(t, id, key, false, q);
                self.hold(t, idx, q);
            } else {
                let acked = self.reply_to(t, req, region, true);
                let idx = self.append(t, id, key, acked, q);
                self.acks.released = idx;
            }
        } else if self.zombie == Some(region) {
            let reachable = self.reply_possible(t, req, region);
            if self.zombie_commit(t, id, key, reachable) {
                self.reply_to(t, req, region, true);
            }
        } else {
            // A replica refuses the write: the client gets an error.
            self.reply_to(t, req, region, false);
        }
    }

    /// Whether an answer sent now from `from` would reach the client in time.
    fn reply_possible(&mut self, t: u64, req: u64, from: RegionId) -> bool {
        self.reply_at(t, req, from).is_some_and(|(_, ok)| ok)
    }

    /// (arrival, deliverable in time) of an answer sent now, if the request is
    /// still outstanding. Draws the reply's latency sample.
    fn reply_at(&mut self, t: u64, req: u64, from: RegionId) -> Option<(u64, bool)> {
        let slot = req.checked_sub(self.ring_base)? as usize;
        let r = *self.ring.get(slot)?;
        let client_region = self.wl.clients[r.client as usize].region;
        let deadline = r.issue_us + self.s.workload.request_timeout_us;
        let at = t + self.client_leg(from, client_region, t);
        let ok = at <= deadline
            && self.plan.region_up_during(from, t, at)
            && self.plan.uncut_during(from, client_region, t, at);
        Some((at, ok))
    }

    /// Answers request `req` from `from` now (success when `accepted`);
    /// returns whether the client received a success.
    pub fn reply_to(&mut self, t: u64, req: u64, from: RegionId, accepted: bool) -> bool {
        let Some((at, ok)) = self.reply_at(t, req, from) else {
            return false;
        };
        let slot = (req - self.ring_base) as usize;
        let Some(r) = self.ring.get_mut(slot) else {
            return false;
        };
        let deadline = r.issue_us + self.s.workload.request_timeout_us;
        r.state = match (accepted, ok) {
            (true, true) => ReqState::Acked { ack_us: at },
            (false, true) => ReqState::Failed { at_us: at },
            _ => ReqState::Failed { at_us: deadline },
        };
        accepted && ok
    }

    /// The oldest outstanding request reached its timeout.
    pub fn settle(&mut self) {
        let Some(r) = self.ring.pop_front() else {
            return;
        };
        self.ring_base += 1;
        self.account(r);
    }

    fn account(&mut self, r: Req) {
        let timeout = self.s.workload.request_timeout_us;
        let outcome = match r.state {
            ReqState::Acked { ack_us } => Outcome::Acked { ack_us },
            ReqState::Failed { at_us } => Outcome::Failed { at_us },
            ReqState::Pending => Outcome::Failed {
                at_us: r.issue_us + timeout,
            },
        };
        let region = self.wl.clients[r.client as usize].region;
        self.rec.request(r.client, region, r.issue_us, outcome);
    }

    /// At the end of the run: settles what is still outstanding.
    pub fn settle_all(&mut self) {
        while let Some(r) = self.ring.pop_front() {
            self.ring_base += 1;
            self.account(r);
        }
    }
}
