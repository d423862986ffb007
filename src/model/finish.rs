//! The end of a run: with what the topology's verdict revealed, the
//! analytic estimates and the fault labels, hand the recorder to the
//! metrics builder. Consumes the shared services (`Env`); reads nothing else.

use crate::engine::LoopStats;
use crate::metrics::{build, Bound, Estimate, Facts, RunResult};
use crate::scenario::RegionId;

use super::env::Env;
use super::links::Sampler;
use super::topology::End;

fn estimates(env: &Env) -> Vec<Estimate> {
    let Some(f) = &env.s.failover else {
        return Vec::new();
    };
    let hc = &f.health_check;
    let (i, to, th) = (
        hc.interval_us,
        hc.timeout_us,
        u64::from(hc.failure_threshold),
    );
    let lo = (th - 1) * (i + to) + to;
    let hi = th * (i + to) + to;
    let mut v = vec![
        Estimate {
            what: Bound::DetectionLow,
            value_us: lo,
        },
        Estimate {
            what: Bound::DetectionHigh,
            value_us: hi,
        },
    ];
    // The TTL bound only where resolvers route clients.
    if let Some(dns) = f.routing.dns() {
        v.push(Estimate {
            what: Bound::DnsRtoHigh,
            value_us: hi + (dns.propagation_us + dns.ttl_us).max(f.promotion_delay_us),
        });
    }
    let p = env.s.replication.primary.unwrap_or(0);
    if let Some(&r) = env.s.replication.replicas.first() {
        if let Some(l) = env.s.link_between(p, r) {
            v.push(Estimate {
                what: Bound::AsyncRpo {
                    replica: env.name(r).into(),
                },
                value_us: Sampler::median(&l.latency) + env.commit_latency(r),
            });
        }
    }
    v
}

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
    };
    build(env.rec, facts)
}
