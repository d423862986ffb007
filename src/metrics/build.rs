//! Turns what the recorder saw into the run's result: per-incident figures,
//! headline metrics (worst over incidents), series and the lost-write ledger.

use std::collections::BTreeMap;

use super::recorder::{Loss, Recorder};
use super::result::*;
use crate::scenario::Budget;

/// What the model knows at the end that the recorder does not.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub scenario: String,
    pub seed: u64,
    pub sha256: String,
    pub duration_us: u64,
    pub drain_us: u64,
    pub region_names: Vec<String>,
    pub link_names: Vec<String>,
    /// Regions whose replication lag is reported (even when nothing was applied).
    pub replicas: Vec<usize>,
    /// Distinct client regions, in population order.
    pub client_regions: Vec<usize>,
    pub events: u64,
    pub digest: u64,
    pub converged: bool,
    pub divergent_keys: u64,
    pub semi_sync_fallbacks: u64,
    pub semi_sync_degraded_us: u64,
    pub crdt_totals: BTreeMap<String, u64>,
    pub transfer_per_gb: Option<f64>,
    /// Per incident, analytic estimates to show beside the measurements.
    pub estimates: Vec<Vec<Estimate>>,
    pub fault_windows: Vec<(u64, u64, String)>,
    pub budgets: Vec<Budget>,
    /// The workload has reads: report them.
    pub reads: bool,
    /// How clients route (names the RTO breakdown's phases).
    pub routing: super::RoutingKind,
}

fn rpo(losses: &[&Loss], start: u64) -> u64 {
    let first = losses.iter().map(|l| l.commit_us).min();
    let last = losses.iter().map(|l| l.commit_us).max();
    match (first, last) {
        (Some(f), Some(l)) => l.max(start) - f,
        _ => 0,
    }
}

fn worst(values: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    let mut m = Some(0);
    for v in values {
        m = match (m, v) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    m
}

fn incidents(rec: &mut Recorder, f: &Facts) -> (Vec<Incident>, Vec<Option<usize>>) {
    let n = rec.windows.len();
    let owner: Vec<Option<usize>> = rec
        .losses
        .iter()
        .map(|l| rec.incident_at(l.at_us))
        .collect();
    let mut timeline: Vec<Vec<TimelineEntry>> = vec![Vec::new(); n];
    for e in &rec_timeline(rec, f) {
        if let Some(i) = rec.incident_at(e.at_us) {
            timeline[i].push(e.clone());
        }
    }
    let mut out = Vec::with_capacity(n);
    for (i, w) in rec.windows.iter().enumerate() {
        let losses: Vec<&Loss> = rec
            .losses
            .iter()
            .zip(&owner)
            .filter(|(_, o)| **o == Some(i))
            .map(|(l, _)| l)
            .collect();
        let rto = super::rto_figures::figures(
            w.start_us,
            &rec.restore.affected[i],
            &rec.restore.mean_gap_us,
            &timeline[i],
            f.routing,
        );
        let unrecovered = rto.unrecovered;
        let restored = service_restored(rec, i, w.start_us, &timeline[i]);
        let run_end = f.duration_us + f.drain_us;
        let (split_brain_us, unresolved) = split_brain(rec, i, run_end, &timeline[i]);
        let in_incident = |t: u64| rec.incident_at(t) == Some(i);
        let split_brain_writes = rec
            .split_brain_writes
            .iter()
            .filter(|&&t| in_incident(t))
            .count() as u64;
        let (orphaned, surviving) = rec
            .orphans
            .iter()
            .filter(|o| in_incident(o.0))
            .fold((0, 0), |a, o| (a.0 + o.1, a.1 + o.2));
        let reconciled = timeline[i].iter().any(|e| {
            matches!(
                e.event,
                super::Happening::Rejoined {
                    outcome: super::RejoinOutcome::Reconciled { .. },
                    ..
                }
            )
        });
        let mut note = Vec::new();
        if unrecovered > 0 {
            note.push(format!("{unrecovered} client(s) whose route was never restored before the end: RTO not recovered"));
        }
        if restored.is_none() {
            note.push("no region was accepting writes again before the end".to_string());
        }
        if unresolved {
            note.push("split brain unresolved at the end of the run: a deposed primary still accepts writes for the same data".to_string());
        }
        if reconciled && orphaned > 0 {
            if surviving == 0 {
                note.push(format!("reconcile kept none of the {orphaned} acknowledged orphaned writes (each lost a last-writer-wins comparison): the same final state as a discard"));
            } else {
                note.push(format!(
                    "reconcile kept {surviving} of the {orphaned} acknowledged orphaned writes"
                ));
            }
        }
        out.push(Incident {
            rto_breakdown: rto.breakdown,
            rto_path: rto.path,
            start_us: w.start_us,
            end_us: (w.end_us != u64::MAX).then_some(w.end_us),
            cause: w.cause.clone(),
            rpo_us: rpo(&losses, w.start_us),
            rto_us: rto.rto_us,
            rto_p50_us: rto.p50_us,
            rto_p99_us: rto.p99_us,
            rto_observed_us: rto.observed_us,
            mean_request_gap_us: rto.mean_gap_us,
            service_restored_us: restored,
            lost_writes: losses.len() as u64,
            affected_clients: rto.affected,
            unrecovered_clients: unrecovered,
            silent_clients: rto.silent,
            split_brain_us,
            split_brain_writes,
            split_brain_unresolved: unresolved,
            orphaned_writes: orphaned,
            orphans_surviving: surviving,
            note: (!note.is_empty()).then(|| note.join("; ")),
            estimates: f.estimates.get(i).cloned().unwrap_or_default(),
            timeline: std::mem::take(&mut timeline[i]),
        });
    }
    let stray: Vec<&Loss> = rec
        .losses
        .iter()
        .zip(&owner)
        .filter(|(_, o)| o.is_none())
        .map(|(l, _)| l)
        .collect();
    if let Some(start) = stray.iter().map(|l| l.at_us).min() {
        out.push(Incident {
            start_us: start,
            end_us: None,
            cause: "writes lost outside any outage or partition (a failover not caused by one)"
                .into(),
            rpo_us: rpo(&stray, start),
            rto_us: None,
            rto_breakdown: None,
            rto_path: Vec::new(),
            rto_p50_us: None,
            rto_p99_us: None,
            rto_observed_us: None,
            mean_request_gap_us: 0,
            service_restored_us: None,
            lost_writes: stray.len() as u64,
            affected_clients: 0,
            unrecovered_clients: 0,
            silent_clients: 0,
            split_brain_us: 0,
            split_brain_writes: 0,
            split_brain_unresolved: false,
            orphaned_writes: 0,
            orphans_surviving: 0,
            note: Some(
                "client recovery is only tracked inside outage and partition windows".into(),
            ),
            estimates: Vec::new(),
            timeline: Vec::new(),
        });
    }
    let owner = owner.iter().map(|o| o.or(Some(n))).collect();
    (out, owner)
}

/// A probe dates a change to the first probe at or after it: the typed
/// event in the probe interval before `at` that `pick` accepts gives the
/// exact instant (else the probe's).
fn exact(at: u64, timeline: &[TimelineEntry], pick: impl Fn(&TimelineEntry) -> bool) -> u64 {
    timeline
        .iter()
        .filter(|e| e.at_us <= at && e.at_us + super::PROBE_US > at && pick(e))
        .map(|e| e.at_us)
        .last()
        .unwrap_or(at)
}

/// metrics.md `service_restored`: from the incident start until every client
/// region again reached a region accepting its writes (for a partition, the
/// side cut off from the writer had a writer again: promotion or heal); 0
/// when none was ever without one, `None` when one still was at the end.
fn service_restored(
    rec: &Recorder,
    i: usize,
    start: u64,
    timeline: &[TimelineEntry],
) -> Option<u64> {
    match rec
        .restore
        .service
        .get(i)
        .copied()
        .unwrap_or((false, Some(start)))
    {
        (false, _) => Some(0),
        (true, None) => None,
        (true, Some(since)) => {
            let at = exact(since, timeline, |e| {
                e.event.is_takeover() || e.kind == super::Kind::Recovery
            });
            Some(at.max(start) - start)
        }
    }
}

/// How long two writers accepted writes for the same data in incident `i`,
/// and whether that was still so at the end of the run.
fn split_brain(rec: &Recorder, i: usize, end: u64, timeline: &[TimelineEntry]) -> (u64, bool) {
    let Some(list) = rec.restore.split_brain.get(i) else {
        return (0, false);
    };
    let mut total = 0;
    let mut open = false;
    for &(from, to) in list {
        let from = exact(from, timeline, |e| e.event.is_takeover());
        let to = match to {
            Some(t) => exact(t, timeline, |e| {
                matches!(e.event, super::Happening::Rejoined { .. }) || e.kind == super::Kind::Fault
            }),
            None => {
                open = i + 1 == rec.windows.len();
                end
            }
        };
        total += to.saturating_sub(from);
    }
    (total, open)
}

/// The recorder's timeline in time order (ties keep the order noted).
fn rec_timeline(rec: &Recorder, f: &Facts) -> Vec<TimelineEntry> {
    let mut v: Vec<TimelineEntry> = rec
        .timeline
        .iter()
        .map(|(at, region, what)| {
            let region = region.map(|r| f.region_names[r].clone());
            TimelineEntry::new(*at, what.clone(), region)
        })
        .collect();
    v.sort_by_key(|e| e.at_us);
    v
}

fn read_metrics(rec: &Recorder) -> ReadMetrics {
    let h = &rec.read_latency;
    ReadMetrics {
        reads: rec.reads,
        failed_reads: rec.reads.saturating_sub(rec.reads_ok),
        stale_reads: rec.stale_reads,
        stale_read_ratio: if rec.reads_ok == 0 {
            0.0
        } else {
            rec.stale_reads as f64 / rec.reads_ok as f64
        },
        read_latency_us: Percentiles {
            p50: h.percentile(50),
            p95: h.percentile(95),
            p99: h.percentile(99),
            max: h.max(),
        },
    }
}

/// Assembles the result of a run.
pub fn build(mut rec: Recorder, f: Facts) -> RunResult {
    let (incidents, owner) = incidents(&mut rec, &f);
    let name = |r: usize| f.region_names[r].clone();
    let total = rec.acked + rec.failed;
    let requests_ok = rec.acked + rec.reads_ok;
    let requests_all = total + rec.reads;
    let ratio = |ok: u64, all: u64| {
        if all == 0 {
            1.0
        } else {
            ok as f64 / all as f64
        }
    };
    let mut availability_by_region = BTreeMap::new();
    let mut requests = BTreeMap::new();
    for &r in &f.client_regions {
        let s = &rec.requests[r];
        let (ok, all) = s.iter().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        availability_by_region.insert(name(r), ratio(ok, all));
        requests.insert(name(r), s.clone());
    }
    let mut replication_lag_us = BTreeMap::new();
    let mut lag_max_us = BTreeMap::new();
    for r in 0..f.region_names.len() {
        if f.replicas.contains(&r) || rec.lag[r].count() > 0 {
            let h = &rec.lag[r];
            let stats = LagStats {
                p50: h.percentile(50),
                p99: h.percentile(99),
                max: h.max(),
            };
            replication_lag_us.insert(name(r), stats);
            lag_max_us.insert(name(r), rec.lag_series[r].clone());
        }
    }
    let mut cross_region_bytes_by_link = BTreeMap::new();
    for (i, b) in rec.bytes_by_link.iter().enumerate() {
        cross_region_bytes_by_link.insert(f.link_names[i].clone(), *b);
    }
    let cross: u64 = rec.bytes_by_link.iter().sum();
    let residency = match rec.ranges.as_mut() {
        Some(t) => {
            let starts: Vec<u64> = incidents.iter().map(|i| i.start_us).collect();
            super::ranges::figures(t, &rec.losses, &owner, &starts)
        }
        None => Vec::new(),
    };
    let lat = &rec.latency;
    let metrics = Metrics {
        residency,
        rpo_us: incidents.iter().map(|i| i.rpo_us).max().unwrap_or(0),
        rto_us: worst(incidents.iter().map(|i| i.rto_us)),
        rto_p50_us: worst(incidents.iter().map(|i| i.rto_p50_us)),
        rto_p99_us: worst(incidents.iter().map(|i| i.rto_p99_us)),
        rto_observed_us: worst(incidents.iter().map(|i| i.rto_observed_us)),
        service_restored_us: worst(incidents.iter().map(|i| i.service_restored_us)),
        split_brain_us: incidents
            .iter()
            .map(|i| i.split_brain_us)
            .max()
            .unwrap_or(0),
        split_brain_writes: incidents.iter().map(|i| i.split_brain_writes).sum(),
        orphaned_writes: incidents.iter().map(|i| i.orphaned_writes).sum(),
        orphans_surviving: incidents.iter().map(|i| i.orphans_surviving).sum(),
        lost_writes: rec.losses.len() as u64,
        conflicts: rec.conflicts.iter().sum(),
        conflicts_by_region: rec
            .conflicts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(r, c)| (name(r), *c))
            .collect(),
        lww_discarded: rec.lww_discarded,
        lww_inversions: rec.lww_inversions,
        acknowledged_writes: rec.acked,
        failed_writes: rec.failed,
        attempted_writes: total,
        availability: ratio(requests_ok, requests_all),
        availability_by_region,
        write_latency_us: Percentiles {
            p50: lat.percentile(50),
            p95: lat.percentile(95),
            p99: lat.percentile(99),
            max: lat.max(),
        },
        reads: f.reads.then(|| read_metrics(&rec)),
        replication_lag_us,
        crdt_totals: f.crdt_totals.clone(),
        semi_sync_fallbacks: f.semi_sync_fallbacks,
        semi_sync_degraded_us: f.semi_sync_degraded_us,
        converged: f.converged,
        divergent_keys: f.divergent_keys,
        cross_region_bytes: cross,
        cross_region_bytes_by_link,
        transfer_cost: f.transfer_per_gb.map(|p| cross as f64 / 1e9 * p),
        residency_violations: rec.residency_violations,
        events: f.events,
        events_digest: format!("{:016x}", f.digest),
    };
    let mut lost_writes: Vec<LostWrite> = rec
        .losses
        .iter()
        .zip(owner)
        .map(|(l, o)| LostWrite {
            id: l.id,
            key: l.key,
            region: name(l.region),
            commit_us: l.commit_us,
            incident: o.unwrap_or(0),
        })
        .collect();
    lost_writes.sort_by_key(|l| (l.commit_us, l.id));
    let budgets = super::budgets::evaluate(&f.budgets, &metrics);
    RunResult {
        report: Report {
            scenario: f.scenario.clone(),
            seed: f.seed,
            scenario_sha256: f.sha256.clone(),
            regionsim_version: env!("CARGO_PKG_VERSION").to_string(),
            duration_us: f.duration_us,
            drain_us: f.drain_us,
            metrics,
            incidents,
            budgets,
        },
        lost_writes,
        series: Series {
            requests,
            lag_max_us,
            fault_windows: f.fault_windows.clone(),
            timeline: rec_timeline(&rec, &f),
            regions: f.region_names.clone(),
            latency_cdf: rec.latency.cdf(),
            writes_served: (0..f.region_names.len())
                .filter(|&r| !rec.writes_served[r].is_empty())
                .map(|r| (name(r), rec.writes_served[r].clone()))
                .collect(),
            reads: (0..f.region_names.len())
                .filter(|&r| !rec.read_series[r].is_empty())
                .map(|r| (name(r), rec.read_series[r].clone()))
                .collect(),
            seconds: rec.seconds() as u64,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpo_is_window_of_lost_commits() {
        let l = |c| Loss {
            id: 1,
            key: 0,
            region: 0,
            commit_us: c,
            at_us: 0,
        };
        let (a, b) = (l(100), l(140));
        assert_eq!(rpo(&[&a, &b], 150), 50);
        assert_eq!(rpo(&[&a, &b], 120), 40);
        assert_eq!(rpo(&[], 120), 0);
    }
}
