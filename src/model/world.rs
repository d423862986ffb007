//! The world: its state, its events, and the dispatch from one to the other.

use std::collections::VecDeque;

use crate::engine::{EventQueue, Handler, LaneId, SimTime, Streams, Tagged};
use crate::metrics::{RangeTracker, Recorder, Window};
use crate::scenario::{RegionId, Routing, Scenario};

use super::routing::{Anycast, ClientSide, Router};

use super::dns::Dns;
use super::faults::FaultPlan;
use super::health::Health;
use super::links::Network;
use super::replication::{Log, Node, Stream};
use super::workload::Workload;

/// Every event of the model. Small and `Copy`: the queue never allocates per event.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The workload issues its next write.
    NextWrite,
    /// Attempt `attempt` of a write request reaches `dst` (through the entry
    /// region `via`) and commits there now.
    Commit {
        req: u64,
        key: u32,
        dst: u8,
        via: u8,
        attempt: u8,
    },
    /// Client-side routing: attempt `attempt` of `req` starts (after a backoff).
    Attempt { req: u64, attempt: u8 },
    /// Client-side routing: attempt `attempt` of `req` had no answer in time.
    AttemptTimeout { req: u64, attempt: u8 },
    /// The oldest outstanding request reaches its timeout: account for it.
    Settle,
    /// A replicated write (log index `idx` of `term`) is durable at `to`.
    Apply { to: u16, term: u32, idx: u64 },
    /// A broken replication stream to `to` may be resumed.
    StreamRetry { to: u16, term: u32 },
    /// A checker sends a probe to `target`.
    Probe { target: u16, slot: u16 },
    /// A probe's answer (or its timeout).
    ProbeDone { target: u16, slot: u16, ok: bool },
    /// A decided promotion takes effect (if `token` is still current).
    Promote { token: u32 },
    /// A fault starts or ends.
    FaultEdge { fault: u16, start: bool },
    /// Multi-primary: `origin`'s write `seq` is durable at `to`.
    MpApply { to: u8, origin: u8, seq: u64 },
    /// Multi-primary: the broken stream from `origin` to `peer` may resume.
    MpRetry { origin: u8, peer: u8 },
    /// Multi-primary: survivors exchange what they received from `lost`.
    AntiEntropy { lost: u8 },
    /// The primary learns that `from` durably received everything up to `idx`.
    Receipt { from: u16, term: u32, idx: u64 },
    /// Write `idx` has waited `semi_sync_timeout` for its receipts.
    SemiTimeout { term: u32, idx: u64 },
    /// The read workload issues its next read.
    NextRead,
    /// A read of `client` issued at `issue_us` reaches region `at`.
    ReadServe {
        issue_us: u64,
        client: u32,
        key: u32,
        at: u8,
    },
    /// Home-region: a decided move of `from`'s keys takes effect (if `token`
    /// is still current).
    Rehome { from: u8, token: u32 },
    /// Home-region sync: `from` durably holds `origin`'s write `seq`.
    MpReceipt { origin: u8, from: u8, seq: u64 },
}

impl Tagged for Ev {
    fn tag(&self) -> u64 {
        match *self {
            Ev::NextWrite => 1,
            Ev::Commit { dst, via, .. } => 2 | (u64::from(dst) << 8) | (u64::from(via) << 16),
            Ev::Attempt { attempt, .. } => 12 | (u64::from(attempt) << 8),
            Ev::AttemptTimeout { attempt, .. } => 13 | (u64::from(attempt) << 8),
            Ev::Settle => 3,
            Ev::Apply { to, .. } => 4 | (u64::from(to) << 8),
            Ev::StreamRetry { to, .. } => 5 | (u64::from(to) << 8),
            Ev::Probe { target, slot } => 6 | (u64::from(target) << 8) | (u64::from(slot) << 24),
            Ev::ProbeDone { target, slot, ok } => {
                7 | (u64::from(target) << 8) | (u64::from(slot) << 24) | (u64::from(ok) << 40)
            }
            Ev::Promote { .. } => 8,
            Ev::FaultEdge { fault, start } => {
                9 | (u64::from(fault) << 8) | (u64::from(start) << 24)
            }
            Ev::Receipt { from, .. } => 10 | (u64::from(from) << 8),
            Ev::MpApply { to, origin, .. } => 14 | (u64::from(to) << 8) | (u64::from(origin) << 16),
            Ev::MpRetry { origin, peer } => 15 | (u64::from(origin) << 8) | (u64::from(peer) << 16),
            Ev::AntiEntropy { lost } => 16 | (u64::from(lost) << 8),
            Ev::SemiTimeout { .. } => 11,
            Ev::Rehome { from, .. } => 17 | (u64::from(from) << 8),
            Ev::MpReceipt { origin, from, .. } => {
                18 | (u64::from(origin) << 8) | (u64::from(from) << 16)
            }
            Ev::NextRead => 19,
            Ev::ReadServe { at, .. } => 20 | (u64::from(at) << 8),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReqState {
    Pending,
    Acked { ack_us: u64 },
    Failed { at_us: u64 },
}

/// An outstanding client request, kept until it settles at its timeout.
#[derive(Clone, Copy, Debug)]
pub struct Req {
    pub client: u32,
    pub key: u32,
    pub issue_us: u64,
    /// When the current attempt started.
    pub attempt_us: u64,
    pub state: ReqState,
    /// Current attempt (1-based), its destination and entry regions.
    pub attempt: u8,
    pub dst: u8,
    pub via: u8,
    /// A retry is scheduled (client-side routing).
    pub retrying: bool,
    /// Client-side routing: the endpoint index the request started at.
    pub first: u8,
}

pub struct World<'s> {
    pub s: &'s Scenario,
    pub n: usize,
    pub plan: FaultPlan,
    pub net: Network,
    pub wl: Workload,
    /// The routing mechanism in force (DNS without a `[failover]` section).
    pub router: Router,
    pub health: Option<Health>,
    pub rec: Recorder,
    pub settle_lane: LaneId,
    pub semi_lane: LaneId,
    pub apply_lanes: Vec<LaneId>,
    pub ring: VecDeque<Req>,
    pub ring_base: u64,
    pub next_req: u64,
    pub log: Log,
    pub nodes: Vec<Node>,
    pub streams: Vec<Stream>,
    /// Primary first, then the replicas in order of preference.
    pub members: Vec<RegionId>,
    pub primary: RegionId,
    pub term: u32,
    /// An old primary that still believes it is primary, and its orphans.
    pub zombie: super::rejoin::Zombie,
    /// Per key: commit time of the lineage's latest write (for reconcile).
    pub lineage_us: Vec<u64>,
    /// A decided promotion: (target, token).
    pub pending: Option<(RegionId, u32)>,
    pub token: u32,
    /// Per target: incident index + 1 for which its first failed probe was noted.
    pub first_fail_noted: Vec<usize>,
    pub no_candidate_noted: bool,
    pub since_trim: u32,
    /// How long after its issue a request is accounted for.
    pub settle_after_us: u64,
    /// Multi-primary state (`None` for single-primary).
    pub multi: Option<super::multi::Multi>,
    /// Per region: the member regions nearest first.
    pub prefs: Vec<Vec<RegionId>>,
    /// Regions a promotion to which failed because they were dark.
    pub failed_targets: Vec<RegionId>,
    /// Acknowledgement holding (semi-sync, sync): see `acks.rs`.
    pub acks: super::acks::AckState,
    /// The read workload and what staleness needs (`None` without reads).
    pub reads: Option<super::reads::Reads>,
    /// Where keys may live (residency) and, for home-region, their homes.
    pub place: super::residency::Placement,
    /// Home-region failover state (`None` for other topologies).
    pub home: Option<super::home::HomeState>,
    /// Home-region sync: answers held for receipts.
    pub quorum: Option<super::quorum::Quorum>,
}

impl<'s> World<'s> {
    pub fn new(s: &'s Scenario, seed: u64, q: &mut EventQueue<Ev>) -> World<'s> {
        let n = s.regions.len();
        let streams_rng = Streams::new(seed);
        let plan = FaultPlan::new(s);
        let wl = Workload::new(s, &streams_rng);
        let primary = s.replication.primary.unwrap_or(0);
        let mut members = vec![primary];
        members.extend(
            s.replication
                .replicas
                .iter()
                .copied()
                .filter(|&r| r != primary),
        );
        let multi = super::multi::Multi::new(s);
        let prefs: Vec<Vec<RegionId>> = (0..n)
            .map(|r| super::routing::nearest_first(s, r, &members))
            .collect();
        let first: Vec<RegionId> = (0..n)
            .map(|r| match multi {
                Some(_) => prefs[r].first().copied().unwrap_or(r),
                None => primary,
            })
            .collect();
        let router = router(s, &members, &wl, &streams_rng, &first);
        let health = s
            .failover
            .as_ref()
            .map(|f| Health::new(&f.health_check, n, &members));
        let windows = plan
            .incidents
            .iter()
            .map(|w| Window {
                start_us: w.start_us,
                end_us: w.end_us,
                cause: w.cause.clone(),
            })
            .collect();
        let place = super::residency::Placement::new(s);
        let mut rec = Recorder::new(n, s.links.len(), wl.clients.len(), windows, s.end_us());
        if place.has_rules() {
            let incidents = plan.incidents.len();
            rec.ranges = Some(RangeTracker::new(place.describe(s), incidents));
        }
        let timeout = s.workload.request_timeout_us;
        let settle_after_us = router
            .client_side()
            .map_or(timeout, |c| c.max_span(timeout) + 1);
        let settle_lane = q.add_lane();
        let semi_lane = q.add_lane();
        let apply_lanes = (0..n * n).map(|_| q.add_lane()).collect();
        let keys = s.workload.keys as usize;
        let nodes = (0..n)
            .map(|r| {
                Node::new(if multi.is_none() && members.contains(&r) {
                    keys
                } else {
                    0
                })
            })
            .collect();
        World {
            s,
            n,
            net: Network::new(s, &streams_rng),
            plan,
            wl,
            router,
            health,
            rec,
            settle_lane,
            semi_lane,
            apply_lanes,
            ring: VecDeque::new(),
            ring_base: 0,
            next_req: 0,
            log: Log::new(),
            nodes,
            streams: vec![Stream::default(); n],
            members,
            primary,
            term: 1,
            zombie: super::rejoin::Zombie::default(),
            lineage_us: vec![0; keys],
            pending: None,
            token: 0,
            first_fail_noted: vec![0; n],
            no_candidate_noted: false,
            since_trim: 0,
            settle_after_us,
            multi,
            prefs,
            failed_targets: Vec::new(),
            acks: super::acks::AckState::new(s, n),
            reads: super::reads::Reads::new(s, &streams_rng),
            place,
            home: super::home::HomeState::new(s.replication.topology, n),
            quorum: super::quorum::Quorum::new(s),
        }
    }

    /// Schedules the first events: the workload, probes, fault edges.
    pub fn start(&mut self, q: &mut EventQueue<Ev>, streams: &Streams) {
        for (i, f) in self.s.faults.iter().enumerate() {
            q.push(
                SimTime(f.at_us),
                Ev::FaultEdge {
                    fault: i as u16,
                    start: true,
                },
            );
            if f.end_us() < self.s.end_us() {
                q.push(
                    SimTime(f.end_us()),
                    Ev::FaultEdge {
                        fault: i as u16,
                        start: false,
                    },
                );
            }
        }
        for r in &self.members {
            self.nodes[*r].term = self.term;
        }
        self.start_probes(q, streams);
        self.restore_setup();
        let first = self.wl.first_arrival();
        if first < self.s.duration_us {
            q.push(SimTime(first), Ev::NextWrite);
        }
        self.start_reads(q);
    }

    pub fn name(&self, r: RegionId) -> &str {
        &self.s.regions[r].name
    }

    pub fn commit_latency(&self, r: RegionId) -> u64 {
        self.s.regions[r].commit_latency_us
    }

    /// The data of `key` lands in `region`: a residency violation when the
    /// key's rules do not allow that region (an observer, never a filter).
    pub fn landed(&mut self, region: RegionId, key: u32) {
        if !self.place.allowed(key, region) {
            self.rec.residency_violation();
        }
    }
}

/// The routing mechanism of `s`, with its state.
fn router(
    s: &Scenario,
    members: &[RegionId],
    wl: &Workload,
    streams: &Streams,
    first: &[RegionId],
) -> Router {
    let dns = |config| {
        let regions = wl.clients.iter().map(|c| c.region).collect();
        Router::Dns(Dns::new(config, regions, streams, first))
    };
    match s.failover.as_ref().map(|f| &f.routing) {
        None => dns(None),
        Some(Routing::Dns(d)) => dns(Some(d)),
        Some(Routing::Anycast(a)) => {
            Router::Anycast(Anycast::new(s, a, members, &wl.clients, streams))
        }
        Some(Routing::Client(c)) => Router::Client(Box::new(ClientSide::new(
            s,
            c,
            members,
            wl.clients.len(),
            streams,
        ))),
    }
}

impl Handler<Ev> for World<'_> {
    fn handle(&mut self, now: SimTime, ev: Ev, q: &mut EventQueue<Ev>) {
        let t = now.0;
        // RTO probes of the state as it stood until now (observers only).
        self.restore_probes(t);
        match ev {
            Ev::NextWrite => self.next_write(t, q),
            Ev::Commit {
                req,
                key,
                dst,
                attempt,
                ..
            } => self.commit(t, req, key, dst as RegionId, attempt, q),
            Ev::Attempt { req, attempt } => self.start_attempt(t, req, attempt, q),
            Ev::AttemptTimeout { req, attempt } => self.attempt_timeout(t, req, attempt, q),
            Ev::Settle => self.settle(),
            Ev::Apply { to, term, idx } => self.apply(t, to as RegionId, term, idx, q),
            Ev::StreamRetry { to, term } => self.stream_retry(t, to as RegionId, term, q),
            Ev::Probe { target, slot } => self.probe(t, target as RegionId, slot as usize, q),
            Ev::ProbeDone { target, slot, ok } => {
                self.probe_done(t, target as RegionId, slot as usize, ok, q)
            }
            Ev::Promote { token } => self.promote_event(t, token, q),
            Ev::FaultEdge { fault, start } => self.fault_edge(t, fault as usize, start, q),
            Ev::Receipt { from, term, idx } => self.receipt(t, from as RegionId, term, idx, q),
            Ev::MpApply { to, origin, seq } => {
                self.mp_apply(t, to as RegionId, origin as RegionId, seq, q)
            }
            Ev::MpRetry { origin, peer } => {
                self.mp_retry(t, origin as RegionId, peer as RegionId, q)
            }
            Ev::AntiEntropy { lost } => self.mp_anti_entropy(t, lost as RegionId, q),
            Ev::SemiTimeout { term, idx } => self.semi_timeout(t, term, idx, q),
            Ev::NextRead => self.next_read(t, q),
            Ev::ReadServe {
                issue_us,
                client,
                key,
                at,
            } => self.serve_read(t, issue_us, client, key, at as RegionId),
            Ev::Rehome { from, token } => self.hr_rehome(t, from as RegionId, token),
            Ev::MpReceipt { origin, from, seq } => {
                self.hq_receipt(t, origin as RegionId, from as RegionId, seq, q)
            }
        }
    }
}
