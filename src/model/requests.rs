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
        let Some(slot) = req.checked_sub(self.ring_base) else {
            // Settled already (the client gave up): the write still commits.
            self.commit_write(t, req, key, region, false, q);
            return;
        };
        let Some(&r) = self.ring.get(slot as usize) else { return };
        let client_region = self.wl.clients[r.client as usize].region;
        let deadline = r.issue_us + self.s.workload.request_timeout_us;
        let reply_at = t + self.client_leg(region, client_region, t);
        let reply_ok = reply_at <= deadline
            && self.plan.region_up_during(region, t, reply_at)
            && self.plan.uncut_during(region, client_region, t, reply_at);
        let accepted = self.commit_write(t, req, key, region, reply_ok, q);
        let state = match (accepted, reply_ok) {
            (true, true) => ReqState::Acked { ack_us: reply_at },
            (false, true) => ReqState::Failed { at_us: reply_at },
            _ => ReqState::Failed { at_us: deadline },
        };
        if let Some(e) = self.ring.get_mut(slot as usize) {
            e.state = state;
        }
    }

    /// Commits a write at `region` if it accepts writes; returns whether it did.
    fn commit_write(
        &mut self,
        t: u64,
        req: u64,
        key: u32,
        region: RegionId,
        acked: bool,
        q: &mut EventQueue<Ev>,
    ) -> bool {
        let id = req + 1;
        if region == self.primary {
            self.append(t, id, key, acked, q);
            true
        } else if self.zombie == Some(region) {
            self.zombie_commit(t, id, key, acked);
            true
        } else {
            false
        }
    }

    /// The oldest outstanding request reached its timeout.
    pub fn settle(&mut self) {
        let Some(r) = self.ring.pop_front() else { return };
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
