//! Client write requests: issue, route (DNS, anycast entry + forward, or
//! client-side attempts), answer (or fail), settle. Owns the outstanding
//! requests and the write arrivals; may touch the shared services (`Env`).
//! Where a write commits is the topology's business: it hands in [`Writes`]
//! and calls [`Clients::reply_to`].

use std::collections::VecDeque;

use crate::engine::{EventQueue, LaneId, SimTime};
use crate::metrics::Outcome;
use crate::scenario::RegionId;

use super::env::Env;
use super::events::Ev;
use super::health::Health;
use super::routing::{Reach, Router};
use super::workload::Workload;

/// Where the topology takes a write that routing brought to an entry region.
#[derive(Clone, Copy, Debug)]
pub enum Writes {
    /// Single-primary: to the primary (an anycast entry forwards to it).
    ToPrimary(RegionId),
    /// Multi-primary: where routing brings it, or the nearest region its
    /// residency allows; `fallback` when anycast finds no announced region.
    Anywhere { fallback: RegionId },
    /// Home-region: to the key's home.
    AtHome { fallback: RegionId },
}

impl Writes {
    /// Where a request goes when anycast finds no announced region.
    pub fn fallback(self) -> RegionId {
        match self {
            Writes::ToPrimary(p) => p,
            Writes::Anywhere { fallback } | Writes::AtHome { fallback } => fallback,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReqState {
    Pending,
    Acked { ack_us: u64 },
    Failed { at_us: u64 },
}

/// An outstanding client request, kept until it settles at its timeout.
#[derive(Clone, Copy, Debug)]
struct Req {
    client: u32,
    key: u32,
    issue_us: u64,
    /// When the current attempt started.
    attempt_us: u64,
    state: ReqState,
    /// Current attempt (1-based), its destination and entry regions.
    attempt: u8,
    dst: u8,
    via: u8,
    /// A retry is scheduled (client-side routing).
    retrying: bool,
    /// Client-side routing: the endpoint index the request started at.
    first: u8,
}

/// The write workload and its outstanding requests.
pub struct Clients {
    wl: Workload,
    ring: VecDeque<Req>,
    ring_base: u64,
    next_req: u64,
    lanes: WriteLanes,
    /// How long after its issue a request is accounted for.
    settle_after_us: u64,
}

/// The FIFO lanes of the write path (`engine::queue`): an event goes to its
/// lane when it is not earlier than the lane's last one, else to the heap,
/// so the pop order is (time, seq) whichever it takes.
pub struct WriteLanes {
    /// Request timeouts (a fixed delay: always in order).
    pub settle: LaneId,
    /// The next arrival (one at a time, later each time).
    pub arrival: LaneId,
    /// Per (client region, destination): commits. In order whenever the
    /// path's latency is constant; a sampled latency sends some to the heap.
    pub commit: Vec<LaneId>,
}

/// One-way client <-> region latency: access plus the link (with latency faults).
fn client_leg(env: &mut Env, from: RegionId, to: RegionId, t: u64) -> u64 {
    let access = env.s.workload.client_access_latency_us;
    access + hop(env, from, to, t)
}

/// One-way region -> region latency for request traffic.
fn hop(env: &mut Env, from: RegionId, to: RegionId, t: u64) -> u64 {
    env.net.client_latency(from, to) + env.plan.extra_latency(from, to, t)
}

fn client_mode(env: &Env) -> bool {
    matches!(env.router, Router::Client(_))
}

impl Clients {
    pub fn new(wl: Workload, lanes: WriteLanes, settle_after_us: u64) -> Clients {
        Clients {
            wl,
            ring: VecDeque::new(),
            ring_base: 0,
            next_req: 0,
            lanes,
            settle_after_us,
        }
    }

    /// Schedules the first write.
    pub fn start(&mut self, env: &Env, q: &mut EventQueue<Ev>) {
        let first = self.wl.first_arrival();
        if first < env.s.duration_us {
            q.push_lane(self.lanes.arrival, SimTime(first), Ev::NextWrite);
        }
    }

    pub fn next_write(
        &mut self,
        env: &mut Env,
        (writes, health): (Writes, Option<&Health>),
        t: u64,
        q: &mut EventQueue<Ev>,
    ) {
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
            first: env.router.start_at(spec.client, t),
        });
        q.push_timer(self.lanes.settle, SimTime(t + self.settle_after_us));
        self.start_attempt(env, (writes, health), t, req, 1, q);
        let next = self.wl.next_arrival(t);
        if next < env.s.duration_us {
            q.push_lane(self.lanes.arrival, SimTime(next), Ev::NextWrite);
        }
    }

    /// Sends attempt `n` of request `req` now.
    pub fn start_attempt(
        &mut self,
        env: &mut Env,
        (writes, health): (Writes, Option<&Health>),
        t: u64,
        req: u64,
        n: u8,
        q: &mut EventQueue<Ev>,
    ) {
        let Some(slot) = self.slot(req) else { return };
        let r = self.ring[slot];
        let from = env.client_region(r.client);
        let at = Reach {
            client: r.client,
            from,
            t,
            start: r.first,
            attempt: u32::from(n),
        };
        let via = env.router.reached(&env.plan, at, writes.fallback());
        let dst = route_key(env, (writes, health), r.key, via);
        let e = &mut self.ring[slot];
        (e.attempt, e.dst, e.via, e.attempt_us, e.retrying) = (n, dst as u8, via as u8, t, false);
        if client_mode(env) {
            let at = t + env.s.workload.request_timeout_us;
            q.push(SimTime(at), Ev::AttemptTimeout { req, attempt: n });
        }
        let at_via = t + client_leg(env, from, via, t);
        let arrive = if dst == via {
            at_via
        } else {
            at_via + hop(env, via, dst, at_via)
        };
        let commit_at = arrive + env.commit_latency(dst);
        // The request dies if a region on its way is dark at any moment until
        // the commit, or if a partition cuts its path while it is in flight.
        let p = &env.plan;
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
            let lane = self.lanes.commit[from * env.n + dst];
            q.push_lane(lane, SimTime(commit_at), ev);
        }
    }

    fn slot(&self, req: u64) -> Option<usize> {
        let s = req.checked_sub(self.ring_base)? as usize;
        (s < self.ring.len()).then_some(s)
    }

    /// (arrival, deliverable in time) of an answer sent now from `from` back
    /// along the request's path, if the request is still outstanding.
    fn reply_at(&self, env: &mut Env, t: u64, req: u64, from: RegionId) -> Option<(u64, bool)> {
        let r = self.ring[self.slot(req)?];
        let client_region = env.client_region(r.client);
        let via = r.via as RegionId;
        let at_via = if via == from {
            t
        } else {
            t + hop(env, from, via, t)
        };
        let at = at_via + client_leg(env, via, client_region, at_via);
        let p = &env.plan;
        let ok = at <= r.attempt_us + env.s.workload.request_timeout_us
            && p.region_up_during(from, t, at_via)
            && p.region_up_during(via, t, at)
            && p.uncut_during(from, via, t, at_via)
            && p.uncut_during(via, client_region, at_via, at);
        Some((at, ok))
    }

    /// Whether an answer sent now from `from` would reach the client of
    /// `req` in time (false when the request is no longer outstanding).
    pub fn reachable(&self, env: &mut Env, t: u64, req: u64, from: RegionId) -> bool {
        self.reply_at(env, t, req, from).is_some_and(|(_, ok)| ok)
    }

    /// Answers request `req` from `from` now (success when `accepted`) if the
    /// client still waits for `attempt`; returns when the success reaches the
    /// client, if it does.
    #[allow(clippy::too_many_arguments)]
    pub fn reply_to(
        &mut self,
        env: &mut Env,
        t: u64,
        req: u64,
        from: RegionId,
        accepted: bool,
        attempt: Option<u8>,
        q: &mut EventQueue<Ev>,
    ) -> Option<u64> {
        let slot = self.slot(req)?;
        let r = self.ring[slot];
        if r.state != ReqState::Pending || r.retrying || attempt.is_some_and(|a| a != r.attempt) {
            return None;
        }
        let (at, ok) = self.reply_at(env, t, req, from)?;
        match (accepted, ok) {
            (true, true) => {
                self.ring[slot].state = ReqState::Acked { ack_us: at };
                let region = env.client_region(r.client);
                if let Some(cs) = env.router.client_side_mut() {
                    // The library learns it at the reply, not at the commit.
                    cs.remember_at(r.client, region, from, at, t);
                }
                Some(at)
            }
            (false, true) => {
                self.attempt_failed(env, at, req, q);
                None
            }
            // Lost on the way back: the client finds out at its timeout.
            _ => {
                if !client_mode(env) {
                    let deadline = r.issue_us + env.s.workload.request_timeout_us;
                    self.ring[slot].state = ReqState::Failed { at_us: deadline };
                }
                None
            }
        }
    }

    /// The current attempt of `req` failed, seen by the client at `at`.
    fn attempt_failed(&mut self, env: &mut Env, at: u64, req: u64, q: &mut EventQueue<Ev>) {
        let Some(slot) = self.slot(req) else { return };
        let n = self.ring[slot].attempt;
        // The recorder hears of every failed attempt (the RTO's impairment).
        env.rec.attempt_failed(self.ring[slot].client, at);
        if let Some(cs) = env.router.client_side_mut() {
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
    pub fn attempt_timeout(
        &mut self,
        env: &mut Env,
        t: u64,
        req: u64,
        attempt: u8,
        q: &mut EventQueue<Ev>,
    ) {
        let Some(slot) = self.slot(req) else { return };
        let r = self.ring[slot];
        if r.state == ReqState::Pending && !r.retrying && r.attempt == attempt {
            self.attempt_failed(env, t, req, q);
        }
    }

    /// The oldest outstanding request reached its timeout.
    pub fn settle(&mut self, env: &mut Env) {
        let Some(r) = self.ring.pop_front() else {
            return;
        };
        self.ring_base += 1;
        account(env, r);
    }

    /// At the end of the run: settles what is still outstanding.
    pub fn settle_all(&mut self, env: &mut Env) {
        while let Some(r) = self.ring.pop_front() {
            self.ring_base += 1;
            account(env, r);
        }
    }
}

fn account(env: &mut Env, r: Req) {
    let outcome = match r.state {
        ReqState::Acked { ack_us } => Outcome::Acked {
            ack_us,
            by: r.dst as RegionId,
        },
        ReqState::Failed { at_us } => Outcome::Failed { at_us },
        ReqState::Pending => Outcome::Failed {
            at_us: r.attempt_us + env.s.workload.request_timeout_us,
        },
    };
    let region = env.client_region(r.client);
    env.rec
        .request(r.client, region, r.issue_us, outcome, r.attempt.max(1));
    env.rec.range_request(r.key, outcome);
}

/// Where the write of `key` that routing brought to `via` must go: the
/// primary, its home (home-region), or for multi-primary the nearest region
/// its residency allows (from the entry `via`, healthy first).
fn route_key(
    env: &Env,
    (writes, health): (Writes, Option<&Health>),
    key: u32,
    via: RegionId,
) -> RegionId {
    match writes {
        // Single-primary behind anycast: the entry forwards to the primary.
        Writes::ToPrimary(p) if matches!(env.router, Router::Anycast(_)) => p,
        Writes::ToPrimary(_) => via,
        Writes::AtHome { .. } => env.place.home(key),
        Writes::Anywhere { .. } if env.place.allowed(key, via) => via,
        Writes::Anywhere { .. } => env.nearest_allowed(health, key, via, via),
    }
}
