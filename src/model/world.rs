//! The world: its components and the dispatch of each event to the one that
//! handles it. Owns the components (shared services, topology, write
//! clients, control plane, reads); holds no state of its own but the
//! scenario's first primary.

use crate::engine::{EventQueue, Handler, LoopStats, SimTime, Streams};
use crate::metrics::{RangeTracker, Recorder, RunResult, Window};
use crate::scenario::{RegionId, Scenario};

use super::control::Control;
use super::edges::fault_edge;
use super::env::{Env, Parts};
use super::events::Ev;
use super::faults::FaultPlan;
use super::finish::finish;
use super::links::Network;
use super::reads::Reads;
use super::requests::{Clients, WriteLanes};
use super::residency::Placement;
use super::restore::{self, Sight};
use super::routing::{nearest_first, Router};
use super::topology::{Front, Topology};
use super::workload::Workload;

pub struct World<'s> {
    env: Env<'s>,
    topo: Topology,
    clients: Clients,
    control: Control,
    /// The read workload (`None` without reads).
    reads: Option<Reads>,
    /// The scenario's primary (where anycast falls back to without an
    /// announced region, for topologies without a moving primary).
    first_primary: RegionId,
    /// The primary and the replicas, for the RTO's route probes.
    members: Vec<RegionId>,
}

impl<'s> World<'s> {
    pub fn new(s: &'s Scenario, seed: u64, q: &mut EventQueue<Ev>) -> World<'s> {
        let n = s.regions.len();
        let streams = Streams::new(seed);
        let plan = FaultPlan::new(s);
        let mut wl = Workload::new(s, &streams);
        let primary = s.replication.primary.unwrap_or(0);
        let members = members(s, primary);
        let prefs: Vec<Vec<RegionId>> = (0..n).map(|r| nearest_first(s, r, &members)).collect();
        let single = s.replication.topology == crate::scenario::Topology::SinglePrimary;
        let first: Vec<RegionId> = (0..n)
            .map(|r| match single {
                false => prefs[r].first().copied().unwrap_or(r),
                true => primary,
            })
            .collect();
        let router = Router::new(s, &members, &wl.clients, &streams, &first);
        let place = Placement::new(s);
        let rec = recorder(s, &plan, &place, wl.clients.len());
        let timeout = s.workload.request_timeout_us;
        let settle_after_us = router
            .client_side()
            .map_or(timeout, |c| c.max_span(timeout) + 1);
        let lanes = WriteLanes {
            settle: q.add_timer_lane(Ev::Settle),
            arrival: q.add_lane(),
            commit: (0..n * n).map(|_| q.add_lane()).collect(),
        };
        let semi_lane = q.add_lane();
        let apply_lanes = (0..n * n).map(|_| q.add_lane()).collect();
        let clients = std::mem::take(&mut wl.clients);
        let env = Env::new(Parts {
            s,
            net: Network::new(s, &streams),
            plan,
            rec,
            place,
            router,
            clients,
            prefs,
            apply_lanes,
        });
        let reads = Reads::new(s, &streams);
        let control = Control::new(&env, &members);
        World {
            members: members.clone(),
            topo: Topology::new(s, members, reads.is_some(), semi_lane),
            clients: Clients::new(wl, lanes, settle_after_us),
            control,
            reads,
            env,
            first_primary: primary,
        }
    }

    /// Schedules the first events: fault edges, probes, the workloads.
    pub fn start(&mut self, q: &mut EventQueue<Ev>, streams: &Streams) {
        let s = self.env.s;
        for (i, f) in s.faults.iter().enumerate() {
            let fault = i as u16;
            q.push(SimTime(f.at_us), Ev::FaultEdge { fault, start: true });
            if f.end_us() < s.end_us() {
                q.push(
                    SimTime(f.end_us()),
                    Ev::FaultEdge {
                        fault,
                        start: false,
                    },
                );
            }
        }
        self.topo.start();
        self.control.start_probes(&self.env, q, streams);
        restore::setup(&mut self.env);
        self.clients.start(&self.env, q);
        if let Some(r) = self.reads.as_mut() {
            r.start(&self.env, q);
        }
    }

    /// Settles what is outstanding, takes the topology's verdict, and builds
    /// the result.
    pub fn finish(mut self, stats: LoopStats) -> RunResult {
        let end = self.env.s.end_us();
        self.clients.settle_all(&mut self.env);
        let sight = sight(&self.topo, self.first_primary, &self.members);
        restore::finish(&mut self.env, &sight, end);
        let verdict = self.topo.finish(&mut self.env, end);
        finish(self.env, verdict, stats, self.reads.is_some())
    }
}

/// What the RTO's route probes read beside the shared services.
fn sight<'a>(topo: &'a Topology, first: RegionId, members: &'a [RegionId]) -> Sight<'a> {
    Sight {
        topo,
        fallback: topo.writes(first).fallback(),
        members,
    }
}

/// The primary first, then the replicas in order of preference.
fn members(s: &Scenario, primary: RegionId) -> Vec<RegionId> {
    let mut members = vec![primary];
    let replicas = s.replication.replicas.iter().copied();
    members.extend(replicas.filter(|&r| r != primary));
    members
}

/// The recorder, with the incidents' windows and the residency ranges.
fn recorder(s: &Scenario, plan: &FaultPlan, place: &Placement, clients: usize) -> Recorder {
    let windows = plan
        .incidents
        .iter()
        .map(|w| Window {
            start_us: w.start_us,
            end_us: w.end_us,
            cause: w.cause.clone(),
        })
        .collect();
    let n = s.regions.len();
    let mut rec = Recorder::new(n, s.links.len(), clients, windows, s.end_us());
    if place.has_rules() {
        let incidents = plan.incidents.len();
        rec.ranges = Some(RangeTracker::new(place.describe(s), incidents));
    }
    rec
}

impl Handler<Ev> for World<'_> {
    fn handle(&mut self, now: SimTime, ev: Ev, q: &mut EventQueue<Ev>) {
        let t = now.0;
        // RTO probes of the state as it stood until now (observers only).
        let sight = sight(&self.topo, self.first_primary, &self.members);
        restore::probes(&mut self.env, &sight, t);
        match ev {
            Ev::NextWrite
            | Ev::Attempt { .. }
            | Ev::AttemptTimeout { .. }
            | Ev::Settle
            | Ev::Commit { .. } => self.write_event(t, ev, q),
            Ev::Apply { .. }
            | Ev::StreamRetry { .. }
            | Ev::Receipt { .. }
            | Ev::SemiTimeout { .. }
            | Ev::MpApply { .. }
            | Ev::MpRetry { .. }
            | Ev::AntiEntropy { .. }
            | Ev::MpReceipt { .. }
            | Ev::Rehome { .. } => {
                let mut front = Front {
                    clients: &mut self.clients,
                    reads: self.reads.as_mut(),
                };
                let health = self.control.health();
                let parts = (&mut self.env, &mut front, health);
                self.topo.handle(parts, t, ev, q)
            }
            Ev::Probe { .. } | Ev::ProbeDone { .. } | Ev::Promote { .. } | Ev::FaultEdge { .. } => {
                self.control_event(t, ev, q)
            }
            Ev::NextRead | Ev::ReadServe { .. } => self.read_event(t, ev, q),
        }
    }
}

impl World<'_> {
    /// The write path: arrivals, attempts, commits, settling.
    fn write_event(&mut self, t: u64, ev: Ev, q: &mut EventQueue<Ev>) {
        let env = &mut self.env;
        let writes = self.topo.writes(self.first_primary);
        let route = (writes, self.control.health());
        match ev {
            Ev::NextWrite => self.clients.next_write(env, route, t, q),
            Ev::Attempt { req, attempt } => {
                self.clients.start_attempt(env, route, t, req, attempt, q)
            }
            Ev::AttemptTimeout { req, attempt } => {
                self.clients.attempt_timeout(env, t, req, attempt, q)
            }
            Ev::Settle => self.clients.settle(env),
            Ev::Commit {
                req,
                key,
                dst,
                attempt,
                ..
            } => {
                let mut front = Front {
                    clients: &mut self.clients,
                    reads: self.reads.as_mut(),
                };
                let write = (req, key, attempt);
                self.topo
                    .commit((env, &mut front), t, write, dst as RegionId, q)
            }
            _ => {}
        }
    }

    /// The control plane: probes, decisions, promotions, faults.
    fn control_event(&mut self, t: u64, ev: Ev, q: &mut EventQueue<Ev>) {
        let parts = (&mut self.env, &mut self.topo);
        match ev {
            Ev::Probe { target, slot } => {
                let at = (target as RegionId, slot as usize);
                self.control.probe(parts.0, t, at, q)
            }
            Ev::ProbeDone { target, slot, ok } => {
                let at = (target as RegionId, slot as usize, ok);
                self.control.probe_done(parts, t, at, q)
            }
            Ev::Promote { token } => self.control.promote(parts, t, token, q),
            Ev::FaultEdge { fault, start } => fault_edge(parts, t, (fault as usize, start), q),
            _ => {}
        }
    }

    /// The read path: arrivals and serving.
    fn read_event(&mut self, t: u64, ev: Ev, q: &mut EventQueue<Ev>) {
        let Some(r) = self.reads.as_mut() else { return };
        let env = &mut self.env;
        match ev {
            Ev::NextRead => {
                let fallback = self.topo.writes(self.first_primary).fallback();
                r.next_read(env, (self.control.health(), fallback), t, q);
            }
            Ev::ReadServe {
                issue_us,
                client,
                key,
                at,
            } => {
                let at = at as RegionId;
                let has = self.topo.copy(at, key).map(|c| move |v| c.has(at, key, v));
                r.serve(env, t, (issue_us, client, key), at, has);
            }
            _ => {}
        }
    }
}
