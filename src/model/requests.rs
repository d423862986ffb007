//! The client write path: issue, route (DNS, anycast entry + forward, or
//! client-side attempts), commit (or fail), reply, settle.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Outcome;
use crate::scenario::RegionId;

use super::routing::{Reach, Router};

use super::world::{Ev, Req, ReqState, World};

impl World<'_> {
    /// One-way client <-> region latency: access plus the link (with latency faults).
    fn client_leg(&mut self, from: RegionId, to: RegionId, t: u64) -> u64 {
        let access = self.s.workload.client_access_latency_us;
        access + self.hop(from, to, t)
    }

    /// One-way region -> region latency for request traffic.
    fn hop(&mut self, from: RegionId, to: RegionId, t: u64) -> u64 {
        self.net.client_latency(from, to) + self.plan.extra_latency(from, to, t)
    }

    fn client_mode(&self) -> bool {
        matches!(self.router, Router::Client(_))
    }

    pub fn next_write(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let spec = self.wl.draw();
        let req = self.next_req;
        self.next_req += 1;
        self.ring.push_back(Req {
            client: spec.client,
            key: spec.key,
            issue_us: t,
            attempt_us: t,
            state: ReqState::Pending,
            attempt: 0,
            dst: 0,
            via: 0,
            retrying: false,
            first: self.router.start_at(spec.client, t),
        });
        q.push_lane(
            self.settle_lane,
            SimTime(t + self.settle_after_us),
            Ev::Settle,
        );
        self.start_attempt(t, req, 1, q);
        let next = self.wl.next_arrival(t);
        if next < self.s.duration_us {
            q.push(SimTime(next), Ev::NextWrite);
        }
    }

    /// Sends attempt `n` of request `req` now.
    pub fn start_attempt(&mut self, t: u64, req: u64, n: u8, q: &mut EventQueue<Ev>) {
        let Some(slot) = self.slot(req) else { return };
        let r = self.ring[slot];
        let from = self.wl.clients[r.client as usize].region;
        let at = Reach {
            client: r.client,
            from,
            t,
            start: r.first,
            attempt: u32::from(n),
        };
        let via = self.router.reached(&self.plan, at, self.primary);
        // Single-primary behind anycast: the entry forwards to the primary.
        let forwards = matches!(self.router, Router::Anycast(_)) && self.multi.is_none();
        let dst = if forwards { self.primary } else { via };
        let dst = self.route_key(r.key, dst, via);
        let e = &mut self.ring[slot];
        (e.attempt, e.dst, e.via, e.attempt_us, e.retrying) = (n, dst as u8, via as u8, t, false);
        if self.client_mode() {
            let at = t + self.s.workload.request_timeout_us;
            q.push(SimTime(at), Ev::AttemptTimeout { req, attempt: n });
        }
        let at_via = t + self.client_leg(from, via, t);
        let arrive = if dst == via {
            at_via
        } else {
            at_via + self.hop(via, dst, at_via)
        };
        let commit_at = arrive + self.commit_latency(dst);
        // The request dies if a region on its way is dark at any moment until
        // the commit, or if a partition cuts its path while it is in flight.
        let p = &self.plan;
        let ok = p.region_up_during(via, t, arrive)
            && p.region_up_during(dst, t, commit_at)
            && p.uncut_during(from, via, t, at_via)
            && p.uncut_during(via, dst, at_via, arrive);
        if ok {
            let ev = Ev::Commit {
                req,
                key: r.key,
                dst: dst as u8,
                via: via as u8,
                attempt: n,
            };
            q.push(SimTime(commit_at), ev);
        }
    }

    /// Where the write of `key` must go, given where routing sends it: its
    /// home (home-region), or for multi-primary the nearest region its
    /// residency allows (from the entry `via`, healthy first).
    fn route_key(&self, key: u32, dst: RegionId, via: RegionId) -> RegionId {
        if self.home.is_some() {
            return self.place.home(key);
        }
        if self.multi.is_none() || self.place.allowed(key, dst) {
            return dst;
        }
        self.nearest_allowed(key, via, dst)
    }

    /// The region nearest `from` that may hold `key`, healthy ones first
    /// (`fallback` when none may).
    pub fn nearest_allowed(&self, key: u32, from: RegionId, fallback: RegionId) -> RegionId {
        let near = &self.prefs[from];
        let ok = |r: &RegionId| self.place.allowed(key, *r);
        let healthy = |r: &RegionId| self.health.as_ref().is_none_or(|h| !h.is_unhealthy(*r));
        near.iter()
            .copied()
            .find(|r| ok(r) && healthy(r))
            .or_else(|| near.iter().copied().find(ok))
            .unwrap_or(fallback)
    }

    fn slot(&self, req: u64) -> Option<usize> {
        let s = req.checked_sub(self.ring_base)? as usize;
        (s < self.ring.len()).then_some(s)
    }

    pub fn commit(
        &mut self,
        t: u64,
        req: u64,
        key: u32,
        dst: RegionId,
        attempt: u8,
        q: &mut EventQueue<Ev>,
    ) {
        let id = req + 1;
        if self.home.is_some() && self.place.home(key) != dst {
            // No longer this key's home (it moved): refused.
            self.reply_to(t, req, dst, false, Some(attempt), q);
        } else if self.quorum.is_some() {
            // Committed at the home; the answer waits for receipts.
            if let Some(seq) = self.mp_commit(t, id, key, dst, false, q) {
                self.hq_hold(t, dst, (seq, key), (req, attempt), q);
            }
        } else if self.multi.is_some() {
            let acked = self.reply_to(t, req, dst, true, Some(attempt), q);
            self.mp_commit(t, id, key, dst, acked, q);
            if acked {
                self.note_ack_mp(t, req, key, dst, id);
            }
        } else if dst == self.primary {
            if self.acks.holding() {
                // Committed locally; the client's answer waits for receipts.
                let idx = self.append(t, id, key, false, q);
                self.hold(t, idx, q);
            } else {
                let acked = self.reply_to(t, req, dst, true, Some(attempt), q);
                let idx = self.append(t, id, key, acked, q);
                self.acks.released = idx;
                if acked {
                    self.note_ack(t, req, key, t, t);
                }
            }
        } else if self.zombie.region == Some(dst) {
            let reachable = self.reply_at(t, req, dst).is_some_and(|(_, ok)| ok);
            if self.zombie_commit(t, id, key, reachable)
                && self.reply_to(t, req, dst, true, Some(attempt), q)
            {
                self.note_ack(t, req, key, t, t);
                // Split brain: a deposed primary acknowledged a write.
                self.rec.split_brain_write(t);
            }
        } else {
            // A replica refuses the write: the client gets an error.
            self.reply_to(t, req, dst, false, Some(attempt), q);
        }
    }

    /// (arrival, deliverable in time) of an answer sent now from `from` back
    /// along the request's path, if the request is still outstanding.
    fn reply_at(&mut self, t: u64, req: u64, from: RegionId) -> Option<(u64, bool)> {
        let r = self.ring[self.slot(req)?];
        let client_region = self.wl.clients[r.client as usize].region;
        let via = r.via as RegionId;
        let at_via = if via == from {
            t
        } else {
            t + self.hop(from, via, t)
        };
        let at = at_via + self.client_leg(via, client_region, at_via);
        let p = &self.plan;
        let ok = at <= r.attempt_us + self.s.workload.request_timeout_us
            && p.region_up_during(from, t, at_via)
            && p.region_up_during(via, t, at)
            && p.uncut_during(from, via, t, at_via)
            && p.uncut_during(via, client_region, at_via, at);
        Some((at, ok))
    }

    /// Answers request `req` from `from` now (success when `accepted`) if the
    /// client still waits for `attempt`; returns whether it received a success.
    pub fn reply_to(
        &mut self,
        t: u64,
        req: u64,
        from: RegionId,
        accepted: bool,
        attempt: Option<u8>,
        q: &mut EventQueue<Ev>,
    ) -> bool {
        let Some(slot) = self.slot(req) else {
            return false;
        };
        let r = self.ring[slot];
        if r.state != ReqState::Pending || r.retrying || attempt.is_some_and(|a| a != r.attempt) {
            return false;
        }
        let Some((at, ok)) = self.reply_at(t, req, from) else {
            return false;
        };
        match (accepted, ok) {
            (true, true) => {
                self.ring[slot].state = ReqState::Acked { ack_us: at };
                let region = self.wl.clients[r.client as usize].region;
                if let Some(cs) = self.router.client_side_mut() {
                    // The library learns it at the reply, not at the commit.
                    cs.remember_at(r.client, region, from, at, t);
                }
                true
            }
            (false, true) => {
                self.attempt_failed(at, req, q);
                false
            }
            // Lost on the way back: the client finds out at its timeout.
            _ => {
                if !self.client_mode() {
                    let deadline = r.issue_us + self.s.workload.request_timeout_us;
                    self.ring[slot].state = ReqState::Failed { at_us: deadline };
                }
                false
            }
        }
    }

    /// The current attempt of `req` failed, seen by the client at `at`.
    fn attempt_failed(&mut self, at: u64, req: u64, q: &mut EventQueue<Ev>) {
        let Some(slot) = self.slot(req) else { return };
        let n = self.ring[slot].attempt;
        // The recorder hears of every failed attempt (the RTO's impairment).
        self.rec.attempt_failed(self.ring[slot].client, at);
        if let Some(cs) = self.router.client_side_mut() {
            if u32::from(n) < cs.max_attempts {
                let wait = cs.backoff(u32::from(n));
                self.ring[slot].retrying = true;
                q.push(
                    SimTime(at + wait),
                    Ev::Attempt {
                        req,
                        attempt: n + 1,
                    },
                );
                return;
            }
        }
        self.ring[slot].state = ReqState::Failed { at_us: at };
    }

    /// Client-side routing: an attempt got no answer within the timeout.
    pub fn attempt_timeout(&mut self, t: u64, req: u64, attempt: u8, q: &mut EventQueue<Ev>) {
        let Some(slot) = self.slot(req) else { return };
        let r = self.ring[slot];
        if r.state == ReqState::Pending && !r.retrying && r.attempt == attempt {
            self.attempt_failed(t, req, q);
        }
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
        let outcome = match r.state {
            ReqState::Acked { ack_us } => Outcome::Acked {
                ack_us,
                by: r.dst as RegionId,
            },
            ReqState::Failed { at_us } => Outcome::Failed { at_us },
            ReqState::Pending => Outcome::Failed {
                at_us: r.attempt_us + self.s.workload.request_timeout_us,
            },
        };
        let region = self.wl.clients[r.client as usize].region;
        self.rec
            .request(r.client, region, r.issue_us, outcome, r.attempt.max(1));
        self.rec.range_request(r.key, outcome);
    }

    /// At the end of the run: settles what is still outstanding.
    pub fn settle_all(&mut self) {
        while let Some(r) = self.ring.pop_front() {
            self.ring_base += 1;
            self.account(r);
        }
    }
}
