//! The shared services every component uses: the scenario, the fault plan,
//! the network, the router and where each client is, key placement, the
//! recorder (an observer) and the replication lanes. Owns no component's
//! state; imports only the leaf services (faults, links, routing, health,
//! residency, workload).

use crate::engine::LaneId;
use crate::metrics::Recorder;
use crate::scenario::{RegionId, Scenario};

use super::faults::FaultPlan;
use super::health::Health;
use super::links::Network;
use super::residency::Placement;
use super::routing::Router;
use super::workload::Client;

pub struct Env<'s> {
    pub s: &'s Scenario,
    pub n: usize,
    pub plan: FaultPlan,
    pub net: Network,
    /// The metrics observer: it records, never changes the world.
    pub rec: Recorder,
    /// Where keys may live (residency) and, for home-region, their homes.
    pub place: Placement,
    /// The routing mechanism in force (DNS without a `[failover]` section).
    pub router: Router,
    /// Per client: where it is.
    pub clients: Vec<Client>,
    /// Per region: the member regions nearest first.
    pub prefs: Vec<Vec<RegionId>>,
    /// Per (from, to): the FIFO lane of replication messages.
    apply_lanes: Vec<LaneId>,
}

/// The parts an [`Env`] is made of.
pub struct Parts<'s> {
    pub s: &'s Scenario,
    pub plan: FaultPlan,
    pub net: Network,
    pub rec: Recorder,
    pub place: Placement,
    pub router: Router,
    pub clients: Vec<Client>,
    pub prefs: Vec<Vec<RegionId>>,
    pub apply_lanes: Vec<LaneId>,
}

impl<'s> Env<'s> {
    pub fn new(p: Parts<'s>) -> Env<'s> {
        Env {
            s: p.s,
            n: p.s.regions.len(),
            plan: p.plan,
            net: p.net,
            rec: p.rec,
            place: p.place,
            router: p.router,
            clients: p.clients,
            prefs: p.prefs,
            apply_lanes: p.apply_lanes,
        }
    }

    pub fn name(&self, r: RegionId) -> &str {
        &self.s.regions[r].name
    }

    pub fn commit_latency(&self, r: RegionId) -> u64 {
        self.s.regions[r].commit_latency_us
    }

    /// The region `client` is located in.
    pub fn client_region(&self, client: u32) -> RegionId {
        self.clients[client as usize].region()
    }

    /// The lane of replication messages from `from` to `to` (FIFO per direction).
    pub fn apply_lane(&self, from: RegionId, to: RegionId) -> LaneId {
        self.apply_lanes[from * self.n + to]
    }

    /// The data of `key` lands in `region`: a residency violation when the
    /// key's rules do not allow that region (an observer, never a filter).
    pub fn landed(&mut self, region: RegionId, key: u32) {
        if !self.place.allowed(key, region) {
            self.rec.residency_violation();
        }
    }

    /// The region nearest `from` that may hold `key`, healthy ones first
    /// (`fallback` when none may).
    pub fn nearest_allowed(
        &self,
        health: Option<&Health>,
        key: u32,
        from: RegionId,
        fallback: RegionId,
    ) -> RegionId {
        let near = &self.prefs[from];
        let ok = |r: &RegionId| self.place.allowed(key, *r);
        let healthy = |r: &RegionId| health.is_none_or(|h| !h.is_unhealthy(*r));
        near.iter()
            .copied()
            .find(|r| ok(r) && healthy(r))
            .or_else(|| near.iter().copied().find(ok))
            .unwrap_or(fallback)
    }
}
