//! Accounting identities of a run's result (metrics.md), checked at the end of every run: a breach is a simulator bug (exit 3).
//!
//! Only what the result lets us state exactly: the totals against each other, the
//! per-region request series, the lost-write ledger, the per-incident and per-range
//! figures against the headline ones, and the order of percentiles. Each identity has
//! a name (the `&'static str` in the message) and a unit test that breaks it.

use super::result::{Incident, Metrics, Percentiles, RunResult};

/// Every identity `r` breaks, joined; `Ok` when it keeps them all.
pub fn check(r: &RunResult) -> Result<(), String> {
    let mut c = Checker::default();
    totals(&mut c, &r.report.metrics);
    requests(&mut c, r);
    ledger(&mut c, r);
    incidents(&mut c, r);
    ranges(&mut c, &r.report.metrics);
    percentiles(&mut c, &r.report.metrics);
    if c.broken.is_empty() {
        Ok(())
    } else {
        Err(c.broken.join("; "))
    }
}

#[derive(Default)]
struct Checker {
    broken: Vec<String>,
}

impl Checker {
    /// Records `what` (the identity's name, then the figures) unless `holds`.
    fn that(&mut self, holds: bool, name: &'static str, what: impl FnOnce() -> String) {
        if !holds {
            self.broken.push(format!("{name}: {}", what()));
        }
    }
}

/// `ok / all`, 1 when nothing was attempted: the same expression as the builder's,
/// so the same integers give the same bits.
fn ratio(ok: u64, all: u64) -> f64 {
    if all == 0 {
        1.0
    } else {
        ok as f64 / all as f64
    }
}

/// The headline counts against each other.
fn totals(c: &mut Checker, m: &Metrics) {
    c.that(
        m.acknowledged_writes + m.failed_writes == m.attempted_writes,
        "attempted = acknowledged + failed",
        || {
            format!(
                "{} != {} + {}",
                m.attempted_writes, m.acknowledged_writes, m.failed_writes
            )
        },
    );
    c.that(
        m.lost_writes <= m.acknowledged_writes,
        "lost <= acknowledged",
        || format!("{} > {}", m.lost_writes, m.acknowledged_writes),
    );
    // metrics.md: a write that lost a last-writer-wins comparison is not counted as
    // lost, and each counts once, so the two are disjoint sets of acknowledged writes
    // (the rest survived).
    c.that(
        m.lost_writes + m.lww_discarded <= m.acknowledged_writes,
        "lost + lww discarded <= acknowledged",
        || {
            format!(
                "{} + {} > {}",
                m.lost_writes, m.lww_discarded, m.acknowledged_writes
            )
        },
    );
    c.that(
        m.lww_inversions <= m.lww_discarded,
        "lww inversions <= lww discarded",
        || format!("{} > {}", m.lww_inversions, m.lww_discarded),
    );
    let by_region: u64 = m.conflicts_by_region.values().sum();
    c.that(
        by_region == m.conflicts,
        "conflicts = sum of conflicts by region",
        || format!("{} != {by_region}", m.conflicts),
    );
    let by_link: u64 = m.cross_region_bytes_by_link.values().sum();
    c.that(
        by_link == m.cross_region_bytes,
        "cross-region bytes = sum over links",
        || format!("{} != {by_link}", m.cross_region_bytes),
    );
    c.that(
        m.converged == (m.divergent_keys == 0),
        "converged iff no divergent key",
        || {
            format!(
                "converged {} with {} divergent keys",
                m.converged, m.divergent_keys
            )
        },
    );
    let (reads, answered) = match &m.reads {
        Some(rd) => {
            c.that(rd.failed_reads <= rd.reads, "failed reads <= reads", || {
                format!("{} > {}", rd.failed_reads, rd.reads)
            });
            let answered = rd.reads.saturating_sub(rd.failed_reads);
            c.that(
                rd.stale_reads <= answered,
                "stale reads <= answered reads",
                || format!("{} > {answered}", rd.stale_reads),
            );
            let ratio = if answered == 0 {
                0.0
            } else {
                rd.stale_reads as f64 / answered as f64
            };
            c.that(
                rd.stale_read_ratio == ratio,
                "stale read ratio = stale / answered",
                || format!("{} != {ratio}", rd.stale_read_ratio),
            );
            (rd.reads, answered)
        }
        None => (0, 0),
    };
    let availability = ratio(m.acknowledged_writes + answered, m.attempted_writes + reads);
    c.that(
        m.availability == availability,
        "availability = (acknowledged writes + answered reads) / (attempted writes + reads)",
        || format!("{} != {availability}", m.availability),
    );
}

/// The per-region request series (one (succeeded, attempted) pair per second)
/// against the totals and the per-region availability.
fn requests(c: &mut Checker, r: &RunResult) {
    let m = &r.report.metrics;
    let (mut ok, mut all) = (0u64, 0u64);
    for (region, series) in &r.series.requests {
        let (o, a) = series
            .iter()
            .fold((0u64, 0u64), |s, &(o, a)| (s.0 + o, s.1 + a));
        let second = series.iter().position(|&(o, a)| o > a);
        c.that(
            second.is_none(),
            "per-second succeeded <= attempted",
            || format!("{region}, second {}", second.unwrap_or(0)),
        );
        let want = ratio(o, a);
        let got = m.availability_by_region.get(region).copied();
        c.that(
            got == Some(want),
            "availability of a region = its succeeded / attempted requests",
            || format!("{region}: {got:?} != {want}"),
        );
        ok += o;
        all += a;
    }
    let stray = m
        .availability_by_region
        .keys()
        .find(|k| !r.series.requests.contains_key(*k));
    c.that(
        stray.is_none(),
        "every region with an availability has a request series",
        || format!("{stray:?}"),
    );
    let (reads, answered) = m.reads.map_or((0, 0), |rd| {
        (rd.reads, rd.reads.saturating_sub(rd.failed_reads))
    });
    c.that(
        all == m.attempted_writes + reads,
        "requests per region sum to attempted writes + reads",
        || format!("{all} != {} + {reads}", m.attempted_writes),
    );
    c.that(
        ok == m.acknowledged_writes + answered,
        "succeeded requests per region sum to acknowledged writes + answered reads",
        || format!("{ok} != {} + {answered}", m.acknowledged_writes),
    );
}

/// The lost-write ledger against the count and the incidents.
fn ledger(c: &mut Checker, r: &RunResult) {
    let m = &r.report.metrics;
    let end = r.report.duration_us + r.report.drain_us;
    let n = r.report.incidents.len();
    c.that(
        r.lost_writes.len() as u64 == m.lost_writes,
        "ledger length = lost writes",
        || format!("{} != {}", r.lost_writes.len(), m.lost_writes),
    );
    let late = r.lost_writes.iter().find(|l| l.commit_us > end);
    c.that(
        late.is_none(),
        "lost writes committed by the end of the run",
        || format!("{late:?} after {end}"),
    );
    let orphan = r.lost_writes.iter().find(|l| l.incident >= n);
    c.that(
        orphan.is_none(),
        "lost writes name an incident of the report",
        || format!("{orphan:?} of {n} incidents"),
    );
    let unsorted = r
        .lost_writes
        .windows(2)
        .position(|w| (w[0].commit_us, w[0].id) > (w[1].commit_us, w[1].id));
    c.that(unsorted.is_none(), "ledger in commit order", || {
        format!("entry {}", unsorted.unwrap_or(0) + 1)
    });
    for (i, inc) in r.report.incidents.iter().enumerate() {
        let named = r.lost_writes.iter().filter(|l| l.incident == i).count() as u64;
        c.that(
            named == inc.lost_writes,
            "incident lost writes = ledger entries naming it",
            || format!("incident {i}: {} != {named}", inc.lost_writes),
        );
    }
}

/// `None` (never recovered) is the largest duration.
fn le(a: Option<u64>, b: Option<u64>) -> bool {
    a.unwrap_or(u64::MAX) <= b.unwrap_or(u64::MAX)
}

/// One of an incident's figures.
type Figure = fn(&Incident) -> Option<u64>;

/// The worst of the incidents' figures, as the headline states it: 0 without
/// incidents, `None` as soon as one is `None`.
fn worst(incidents: &[Incident], f: Figure) -> Option<u64> {
    incidents
        .iter()
        .map(f)
        .try_fold(0, |a: u64, v| v.map(|v| a.max(v)))
}

/// Each incident's figures, and the headline figures as the worst of them.
fn incidents(c: &mut Checker, r: &RunResult) {
    let m = &r.report.metrics;
    let incs = &r.report.incidents;
    let end = r.report.duration_us + r.report.drain_us;
    let lost: u64 = incs.iter().map(|i| i.lost_writes).sum();
    c.that(
        lost == m.lost_writes,
        "lost writes = sum over incidents",
        || format!("{} != {lost}", m.lost_writes),
    );
    let rpo = incs.iter().map(|i| i.rpo_us).max().unwrap_or(0);
    c.that(rpo == m.rpo_us, "rpo = worst over incidents", || {
        format!("{} != {rpo}", m.rpo_us)
    });
    let headline: [(&'static str, Option<u64>, Figure); 4] = [
        ("rto = worst over incidents", m.rto_us, |i| i.rto_us),
        ("rto p50 = worst over incidents", m.rto_p50_us, |i| {
            i.rto_p50_us
        }),
        ("rto p99 = worst over incidents", m.rto_p99_us, |i| {
            i.rto_p99_us
        }),
        (
            "service restored = worst over incidents",
            m.service_restored_us,
            |i| i.service_restored_us,
        ),
    ];
    for (name, got, f) in headline {
        let want = worst(incs, f);
        c.that(got == want, name, || format!("{got:?} != {want:?}"));
    }
    for (i, inc) in incs.iter().enumerate() {
        c.that(
            inc.rpo_us <= end,
            "incident rpo <= duration + drain",
            || format!("incident {i}: {} > {end}", inc.rpo_us),
        );
        c.that(
            inc.unrecovered_clients <= inc.affected_clients,
            "unrecovered clients <= affected clients",
            || {
                format!(
                    "incident {i}: {} > {}",
                    inc.unrecovered_clients, inc.affected_clients
                )
            },
        );
        c.that(
            inc.unrecovered_clients == 0 || inc.rto_us.is_none(),
            "an unrecovered client makes the rto unbounded",
            || format!("incident {i}: rto {:?}", inc.rto_us),
        );
        c.that(
            le(inc.rto_p50_us, inc.rto_p99_us) && le(inc.rto_p99_us, inc.rto_us),
            "rto p50 <= p99 <= rto",
            || {
                format!(
                    "incident {i}: {:?}, {:?}, {:?}",
                    inc.rto_p50_us, inc.rto_p99_us, inc.rto_us
                )
            },
        );
        if let Some(b) = inc.rto_breakdown {
            let sum = b.total();
            c.that(
                Some(sum) == inc.rto_us,
                "rto breakdown sums to the rto",
                || format!("incident {i}: {b:?} sums to {sum}, rto {:?}", inc.rto_us),
            );
            let path: u64 = inc.rto_path.iter().map(|s| s.to_us - s.from_us).sum();
            c.that(
                inc.rto_path.is_empty() || Some(path) == inc.rto_us,
                "rto critical path sums to the rto",
                || format!("incident {i}: path sums to {path}, rto {:?}", inc.rto_us),
            );
        }
    }
}

/// The per-range figures against the headline ones.
fn ranges(c: &mut Checker, m: &Metrics) {
    if m.residency.is_empty() {
        c.that(
            m.residency_violations == 0,
            "no residency violation without residency rules",
            || format!("{}", m.residency_violations),
        );
        return;
    }
    let sum = |f: fn(&super::RangeFigures) -> u64| -> u64 { m.residency.iter().map(f).sum() };
    let (attempted, acked, lost) = (
        sum(|f| f.attempted_writes),
        sum(|f| f.acknowledged_writes),
        sum(|f| f.lost_writes),
    );
    c.that(
        (attempted, acked, lost) == (m.attempted_writes, m.acknowledged_writes, m.lost_writes),
        "per-range (attempted, acknowledged, lost) sum to the totals",
        || {
            format!(
                "({attempted}, {acked}, {lost}) != ({}, {}, {})",
                m.attempted_writes, m.acknowledged_writes, m.lost_writes
            )
        },
    );
    for f in &m.residency {
        c.that(
            f.lost_writes <= f.acknowledged_writes && f.acknowledged_writes <= f.attempted_writes,
            "per range lost <= acknowledged <= attempted",
            || {
                format!(
                    "range {}: {}, {}, {}",
                    f.keys, f.lost_writes, f.acknowledged_writes, f.attempted_writes
                )
            },
        );
        c.that(f.rpo_us <= m.rpo_us, "range rpo <= rpo", || {
            format!("range {}: {} > {}", f.keys, f.rpo_us, m.rpo_us)
        });
    }
}

fn ordered(p: &Percentiles) -> bool {
    p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.max
}

/// Percentiles in order (nearest rank over one histogram is monotone in the rank).
fn percentiles(c: &mut Checker, m: &Metrics) {
    c.that(
        ordered(&m.write_latency_us),
        "write latency p50 <= p95 <= p99 <= max",
        || format!("{:?}", m.write_latency_us),
    );
    if let Some(rd) = &m.reads {
        c.that(
            ordered(&rd.read_latency_us),
            "read latency p50 <= p95 <= p99 <= max",
            || format!("{:?}", rd.read_latency_us),
        );
    }
    for (region, l) in &m.replication_lag_us {
        c.that(
            l.p50 <= l.p99 && l.p99 <= l.max,
            "replication lag p50 <= p99 <= max",
            || format!("{region}: {l:?}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::metrics::{
        LagStats, LostWrite, RangeFigures, ReadMetrics, Report, RtoBreakdown, Series,
    };

    fn incident(start_us: u64, lost: u64, rto: Option<u64>) -> Incident {
        Incident {
            start_us,
            end_us: Some(start_us + 10_000_000),
            cause: "region-outage of us-east-1".into(),
            rpo_us: 40_000 * lost,
            rto_us: rto,
            rto_p50_us: rto.map(|r| r / 2),
            rto_p99_us: rto,
            rto_observed_us: rto,
            mean_request_gap_us: 0,
            service_restored_us: Some(20_000_000),
            lost_writes: lost,
            affected_clients: 3,
            unrecovered_clients: 0,
            silent_clients: 0,
            split_brain_us: 0,
            split_brain_writes: 0,
            split_brain_unresolved: false,
            orphaned_writes: 0,
            orphans_surviving: 0,
            note: None,
            rto_breakdown: rto.map(|r| RtoBreakdown {
                detection_us: r / 2,
                promotion_us: r / 4,
                client_tail_us: r - r / 2 - r / 4,
                ..RtoBreakdown::default()
            }),
            rto_path: Vec::new(),
            estimates: Vec::new(),
            timeline: Vec::new(),
        }
    }

    fn lost(id: u64, commit_us: u64, incident: usize) -> LostWrite {
        LostWrite {
            id,
            key: id as u32,
            region: "us-east-1".into(),
            commit_us,
            incident,
        }
    }

    /// A consistent result: 2 client regions, writes and reads, 2 incidents with 2
    /// and 1 lost writes, 2 residency ranges.
    fn good() -> RunResult {
        let mut requests = BTreeMap::new();
        // us-east-1: 95 of 100; eu-west-1: 60 of 60.
        requests.insert("us-east-1".to_string(), vec![(50, 50), (45, 50)]);
        requests.insert("eu-west-1".to_string(), vec![(30, 30), (30, 30)]);
        let mut availability_by_region = BTreeMap::new();
        availability_by_region.insert("us-east-1".to_string(), 95.0 / 100.0);
        availability_by_region.insert("eu-west-1".to_string(), 1.0);
        let mut conflicts_by_region = BTreeMap::new();
        conflicts_by_region.insert("eu-west-1".to_string(), 4);
        conflicts_by_region.insert("us-east-1".to_string(), 3);
        let mut bytes = BTreeMap::new();
        bytes.insert("us-east-1<->eu-west-1".to_string(), 1000);
        bytes.insert("us-east-1<->us-west-2".to_string(), 500);
        let mut lag = BTreeMap::new();
        lag.insert(
            "eu-west-1".to_string(),
            LagStats {
                p50: 38_000,
                p99: 45_000,
                max: 60_000,
            },
        );
        let range = |keys: &str, attempted, acknowledged, lost| RangeFigures {
            keys: keys.into(),
            jurisdiction: (keys != "rest").then(|| "EU".to_string()),
            regions: vec!["eu-west-1".into()],
            attempted_writes: attempted,
            acknowledged_writes: acknowledged,
            availability: acknowledged as f64 / attempted as f64,
            lost_writes: lost,
            rpo_us: 40_000,
            rto_us: Some(1_000_000),
        };
        // Writes: 140 attempted, 135 acknowledged; reads: 20, all answered, 2 stale.
        let metrics = Metrics {
            rpo_us: 80_000,
            rto_us: Some(3_000_000),
            rto_p50_us: Some(1_500_000),
            rto_p99_us: Some(3_000_000),
            service_restored_us: Some(20_000_000),
            lost_writes: 3,
            acknowledged_writes: 135,
            failed_writes: 5,
            attempted_writes: 140,
            conflicts: 7,
            conflicts_by_region,
            lww_discarded: 2,
            lww_inversions: 1,
            availability: 155.0 / 160.0,
            availability_by_region,
            write_latency_us: Percentiles {
                p50: 80_000,
                p95: 90_000,
                p99: 95_000,
                max: 120_000,
            },
            reads: Some(ReadMetrics {
                reads: 20,
                failed_reads: 0,
                stale_reads: 2,
                stale_read_ratio: 2.0 / 20.0,
                read_latency_us: Percentiles {
                    p50: 1_000,
                    p95: 2_000,
                    p99: 2_000,
                    max: 3_000,
                },
            }),
            replication_lag_us: lag,
            converged: true,
            divergent_keys: 0,
            cross_region_bytes: 1500,
            cross_region_bytes_by_link: bytes,
            residency_violations: 0,
            residency: vec![range("0..10", 40, 39, 1), range("rest", 100, 96, 2)],
            ..Metrics::default()
        };
        RunResult {
            report: Report {
                scenario: "fixture".into(),
                seed: 1,
                scenario_sha256: String::new(),
                regionsim_version: String::new(),
                duration_us: 60_000_000,
                drain_us: 5_000_000,
                metrics,
                incidents: vec![
                    incident(10_000_000, 2, Some(3_000_000)),
                    incident(30_000_000, 1, Some(2_000_000)),
                ],
                budgets: Vec::new(),
            },
            lost_writes: vec![
                lost(7, 9_960_000, 0),
                lost(9, 9_990_000, 0),
                lost(40, 29_990_000, 1),
            ],
            series: Series {
                requests,
                ..Series::default()
            },
        }
    }

    /// `breach` applied to the consistent result is caught, by the identity `name`.
    fn caught(name: &str, breach: impl FnOnce(&mut RunResult)) {
        let mut r = good();
        breach(&mut r);
        let e = check(&r).expect_err(name);
        assert!(e.contains(name), "expected {name:?}, got {e}");
    }

    #[test]
    fn the_fixture_is_consistent() {
        assert_eq!(check(&good()), Ok(()));
    }

    #[test]
    fn attempted_is_acknowledged_plus_failed() {
        caught("attempted = acknowledged + failed", |r| {
            r.report.metrics.failed_writes += 1;
        });
    }

    #[test]
    fn lost_at_most_acknowledged() {
        caught("lost <= acknowledged", |r| {
            r.report.metrics.lost_writes = r.report.metrics.acknowledged_writes + 1;
        });
    }

    #[test]
    fn lost_and_discarded_at_most_acknowledged() {
        caught("lost + lww discarded <= acknowledged", |r| {
            r.report.metrics.lww_discarded = 133;
            r.report.metrics.lww_inversions = 0;
        });
    }

    #[test]
    fn inversions_at_most_discarded() {
        caught("lww inversions <= lww discarded", |r| {
            r.report.metrics.lww_inversions = 3;
        });
    }

    #[test]
    fn conflicts_sum_over_regions() {
        caught("conflicts = sum of conflicts by region", |r| {
            r.report.metrics.conflicts = 8;
        });
    }

    #[test]
    fn bytes_sum_over_links() {
        caught("cross-region bytes = sum over links", |r| {
            r.report.metrics.cross_region_bytes = 1499;
        });
    }

    #[test]
    fn converged_iff_nothing_diverges() {
        caught("converged iff no divergent key", |r| {
            r.report.metrics.divergent_keys = 1;
        });
    }

    #[test]
    fn failed_reads_at_most_reads() {
        caught("failed reads <= reads", |r| {
            r.report.metrics.reads.as_mut().unwrap().failed_reads = 21;
        });
    }

    #[test]
    fn stale_reads_at_most_answered() {
        caught("stale reads <= answered reads", |r| {
            r.report.metrics.reads.as_mut().unwrap().stale_reads = 21;
        });
    }

    #[test]
    fn stale_ratio_is_stale_over_answered() {
        caught("stale read ratio = stale / answered", |r| {
            r.report.metrics.reads.as_mut().unwrap().stale_read_ratio = 0.2;
        });
    }

    #[test]
    fn availability_is_succeeded_over_attempted() {
        caught("availability = (acknowledged writes", |r| {
            r.report.metrics.availability = 0.96;
        });
    }

    #[test]
    fn per_second_succeeded_at_most_attempted() {
        caught("per-second succeeded <= attempted", |r| {
            let s = r.series.requests.get_mut("eu-west-1").unwrap();
            // Totals unchanged: one second over, the other under.
            s[0] = (31, 30);
            s[1] = (29, 30);
        });
    }

    #[test]
    fn region_availability_from_its_series() {
        caught("availability of a region", |r| {
            r.report
                .metrics
                .availability_by_region
                .insert("us-east-1".into(), 0.96);
        });
    }

    #[test]
    fn region_availability_needs_a_series() {
        caught(
            "every region with an availability has a request series",
            |r| {
                r.report
                    .metrics
                    .availability_by_region
                    .insert("sa-east-1".into(), 1.0);
            },
        );
    }

    #[test]
    fn requests_sum_to_attempted() {
        caught("requests per region sum to attempted writes + reads", |r| {
            r.series.requests.get_mut("eu-west-1").unwrap()[0] = (30, 31);
        });
    }

    #[test]
    fn succeeded_sum_to_acknowledged() {
        caught("succeeded requests per region sum", |r| {
            r.series.requests.get_mut("us-east-1").unwrap()[1] = (44, 50);
        });
    }

    #[test]
    fn ledger_length_is_lost() {
        caught("ledger length = lost writes", |r| {
            r.lost_writes.pop();
        });
    }

    #[test]
    fn ledger_within_the_run() {
        caught("lost writes committed by the end of the run", |r| {
            r.lost_writes[2].commit_us = 65_000_001;
        });
    }

    #[test]
    fn ledger_names_real_incidents() {
        caught("lost writes name an incident of the report", |r| {
            r.lost_writes[2].incident = 2;
        });
    }

    #[test]
    fn ledger_in_commit_order() {
        caught("ledger in commit order", |r| {
            r.lost_writes.swap(0, 1);
        });
    }

    #[test]
    fn incident_lost_matches_ledger() {
        caught("incident lost writes = ledger entries naming it", |r| {
            r.lost_writes[1].incident = 1;
        });
    }

    #[test]
    fn lost_sums_over_incidents() {
        caught("lost writes = sum over incidents", |r| {
            r.report.incidents[1].lost_writes = 2;
        });
    }

    #[test]
    fn rpo_is_worst_incident() {
        caught("rpo = worst over incidents", |r| {
            r.report.metrics.rpo_us = 40_000;
        });
    }

    #[test]
    fn rto_is_worst_incident() {
        caught("rto = worst over incidents", |r| {
            r.report.incidents[1].rto_us = None;
            r.report.incidents[1].rto_breakdown = None;
        });
    }

    #[test]
    fn rto_p50_is_worst_incident() {
        caught("rto p50 = worst over incidents", |r| {
            r.report.metrics.rto_p50_us = Some(1_000_000);
        });
    }

    #[test]
    fn rto_p99_is_worst_incident() {
        caught("rto p99 = worst over incidents", |r| {
            r.report.metrics.rto_p99_us = None;
        });
    }

    #[test]
    fn service_restored_is_worst_incident() {
        caught("service restored = worst over incidents", |r| {
            r.report.incidents[0].service_restored_us = Some(25_000_000);
        });
    }

    #[test]
    fn incident_rpo_within_the_run() {
        caught("incident rpo <= duration + drain", |r| {
            r.report.incidents[0].rpo_us = 65_000_001;
            r.report.metrics.rpo_us = 65_000_001;
        });
    }

    #[test]
    fn unrecovered_at_most_affected() {
        caught("unrecovered clients <= affected clients", |r| {
            r.report.incidents[0].unrecovered_clients = 4;
        });
    }

    #[test]
    fn unrecovered_means_unbounded_rto() {
        caught("an unrecovered client makes the rto unbounded", |r| {
            r.report.incidents[0].unrecovered_clients = 1;
        });
    }

    #[test]
    fn rto_percentiles_ordered() {
        caught("rto p50 <= p99 <= rto", |r| {
            r.report.incidents[1].rto_p50_us = Some(2_500_000);
        });
    }

    #[test]
    fn breakdown_sums_to_rto() {
        caught("rto breakdown sums to the rto", |r| {
            r.report.incidents[0]
                .rto_breakdown
                .as_mut()
                .unwrap()
                .routing_us += 1;
        });
    }

    #[test]
    fn no_violations_without_rules() {
        caught("no residency violation without residency rules", |r| {
            let m = &mut r.report.metrics;
            m.residency.clear();
            m.residency_violations = 1;
        });
    }

    #[test]
    fn ranges_sum_to_totals() {
        caught(
            "per-range (attempted, acknowledged, lost) sum to the totals",
            |r| {
                r.report.metrics.residency[1].attempted_writes += 1;
            },
        );
    }

    #[test]
    fn range_lost_acknowledged_attempted_ordered() {
        caught("per range lost <= acknowledged <= attempted", |r| {
            // Sums unchanged: one range has more acknowledged than attempted.
            let m = &mut r.report.metrics;
            m.residency[0].acknowledged_writes = 41;
            m.residency[1].acknowledged_writes = 94;
        });
    }

    #[test]
    fn range_rpo_at_most_rpo() {
        caught("range rpo <= rpo", |r| {
            r.report.metrics.residency[0].rpo_us = 80_001;
        });
    }

    #[test]
    fn write_latency_percentiles_ordered() {
        caught("write latency p50 <= p95 <= p99 <= max", |r| {
            r.report.metrics.write_latency_us.p95 = 100_000;
        });
    }

    #[test]
    fn read_latency_percentiles_ordered() {
        caught("read latency p50 <= p95 <= p99 <= max", |r| {
            r.report.metrics.reads.as_mut().unwrap().read_latency_us.max = 1_500;
        });
    }

    #[test]
    fn lag_percentiles_ordered() {
        caught("replication lag p50 <= p99 <= max", |r| {
            r.report
                .metrics
                .replication_lag_us
                .get_mut("eu-west-1")
                .unwrap()
                .p50 = 50_000;
        });
    }

    #[test]
    fn every_breach_is_listed() {
        let mut r = good();
        r.report.metrics.failed_writes += 1;
        r.report.metrics.cross_region_bytes += 1;
        let e = check(&r).unwrap_err();
        assert!(e.contains("attempted = acknowledged + failed"), "{e}");
        assert!(e.contains("cross-region bytes = sum over links"), "{e}");
    }
}
