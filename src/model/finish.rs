//! The end of a run: with what the topology's verdict revealed, the
//! analytic estimates (`estimates.rs`) and the fault labels, hand the recorder to the
//! metrics builder. Consumes the shared services (`Env`); reads nothing else.

use crate::engine::LoopStats;
use crate::metrics::{build, Facts, RoutingKind, RunResult};
use crate::scenario::RegionId;

use super::env::Env;
use super::estimates::estimates;
use super::routing::Router;
use super::topology::End;

/// The result of the run; `reads`: whether the workload read.
pub fn finish(env: Env, verdict: End, stats: LoopStats, reads: bool) -> RunResult {
    let end = env.s.end_us();
    let crdt_totals = verdict
        .crdt_totals
        .into_iter()
        .map(|(r, v)| (env.name(r).to_string(), v))
        .collect();
    let s = env.s;
    let mut client_regions: Vec<RegionId> = Vec::new();
    for p in &s.workload.clients {
        if !client_regions.contains(&p.region) {
            client_regions.push(p.region);
        }
    }
    let est = estimates(&env);
    let facts = Facts {
        scenario: s.name.clone(),
        seed: 0,
        sha256: s.source_sha256.clone(),
        duration_us: s.duration_us,
        drain_us: s.drain_us,
        region_names: s.regions.iter().map(|r| r.name.clone()).collect(),
        link_names: s
            .links
            .iter()
            .map(|l| format!("{}<->{}", s.regions[l.a].name, s.regions[l.b].name))
            .collect(),
        replicas: s.replication.replicas.clone(),
        client_regions,
        events: stats.events,
        digest: stats.digest,
        converged: verdict.converged,
        divergent_keys: verdict.divergent_keys,
        crdt_totals,
        semi_sync_fallbacks: verdict.semi_sync.0,
        semi_sync_degraded_us: verdict.semi_sync.1,
        transfer_per_gb: s.cost.as_ref().map(|c| c.transfer_per_gb),
        estimates: vec![est; env.plan.incidents.len()],
        fault_windows: s
            .faults
            .iter()
            .map(|f| {
                (
                    f.at_us,
                    f.end_us().min(end),
                    super::faults::label(s, &f.kind),
                )
            })
            .collect(),
        budgets: s.budgets.clone(),
        reads,
        routing: match env.router {
            Router::Dns(_) => RoutingKind::Dns,
            Router::Anycast(_) => RoutingKind::Anycast,
            Router::Client(_) => RoutingKind::ClientSide,
        },
    };
    build(env.rec, facts)
}
