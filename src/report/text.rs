//! The short human summary that `regionsim run` prints to stdout: the
//! headline figures every run has, then the figures that matter for the
//! scenario's topology and mechanisms (conflicts and LWW discards for
//! active-active, the fallback for semi-sync, per-region availability, stale
//! reads, per-residency-range figures), then every budget with its actual
//! figure beside the limit.

use crate::metrics::Happening;
use crate::metrics::{human_count, human_duration, human_share, RunResult};
use crate::scenario::{ReplicationMode, Resolution, Scenario, Topology};

/// What the summary needs to know about the scenario beyond its report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mechanisms {
    /// Several regions accept writes (multi-primary).
    pub active_active: bool,
    /// The conflict resolution is last-writer-wins (active-active only).
    pub lww: bool,
    /// The replication mode is semi-synchronous.
    pub semi_sync: bool,
}

impl Mechanisms {
    pub fn of(s: &Scenario) -> Mechanisms {
        let active_active = s.replication.topology == Topology::MultiPrimary;
        Mechanisms {
            active_active,
            lww: active_active
                && s.conflicts
                    .as_ref()
                    .is_none_or(|c| c.resolution == Resolution::Lww),
            semi_sync: s.replication.mode == ReplicationMode::SemiSync,
        }
    }
}

/// The headline figures, then what matters for the scenario's mechanisms
/// (see [`Mechanisms`]), then the budgets, each with actual vs limit.
pub fn human_summary(result: &RunResult, mech: Mechanisms) -> String {
    let r = &result.report;
    let m = &r.metrics;
    let short: String = r.scenario_sha256.chars().take(12).collect();
    let rto = match m.rto_us {
        Some(us) => format!(
            "{} (p50 {}, p99 {})",
            human_duration(us),
            m.rto_p50_us.map_or("not recovered".into(), human_duration),
            m.rto_p99_us.map_or("not recovered".into(), human_duration)
        ),
        None => "not recovered (some client never had a successful write again)".into(),
    };
    let mut lines = vec![
        format!("{}  seed {}  sha256 {}", r.scenario, r.seed, short),
        format!("  RPO           {}", human_duration(m.rpo_us)),
        format!("  RTO           {rto}"),
        format!(
            "  lost writes   {} of {} acknowledged",
            human_count(m.lost_writes),
            human_count(m.acknowledged_writes)
        ),
        format!(
            "  availability  {} ({} failed writes)",
            human_share(m.availability),
            human_count(m.failed_writes)
        ),
    ];
    if !m.availability_by_region.is_empty() {
        let by: Vec<String> = m
            .availability_by_region
            .iter()
            .map(|(region, a)| format!("{region} {}", human_share(*a)))
            .collect();
        lines.push(format!("    by client   {}", by.join(", ")));
    }
    lines.push(format!(
        "  write p99     {}",
        human_duration(m.write_latency_us.p99)
    ));
    if let Some(rd) = &m.reads {
        lines.push(format!(
            "  reads         {} ({} failed, {} stale, p99 {})",
            human_count(rd.reads),
            human_count(rd.failed_reads),
            human_count(rd.stale_reads),
            human_duration(rd.read_latency_us.p99)
        ));
    }
    if mech.active_active || m.conflicts > 0 {
        lines.push(conflicts_line(m, mech));
    }
    if mech.semi_sync || m.semi_sync_fallbacks > 0 {
        lines.extend(semi_sync_lines(result));
    }
    for range in &m.residency {
        let jurisdiction = range.jurisdiction.as_deref().unwrap_or("unpinned");
        lines.push(format!(
            "  keys {} ({jurisdiction})  availability {}, lost {}, RPO {}, RTO {}",
            range.keys,
            human_share(range.availability),
            human_count(range.lost_writes),
            human_duration(range.rpo_us),
            range.rto_us.map_or("not recovered".into(), human_duration)
        ));
    }
    lines.push(format!("  incidents     {}", r.incidents.len()));
    lines.extend(budget_lines(r));
    if !m.converged {
        lines.push(format!(
            "  NOT CONVERGED {} divergent keys",
            human_count(m.divergent_keys)
        ));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Active-active: conflicts met (per region) and what the resolution did.
fn conflicts_line(m: &crate::metrics::Metrics, mech: Mechanisms) -> String {
    let by: Vec<String> = m
        .conflicts_by_region
        .iter()
        .map(|(region, n)| format!("{region} {}", human_count(*n)))
        .collect();
    let by = if by.is_empty() {
        String::new()
    } else {
        format!(" ({})", by.join(", "))
    };
    let resolved = if mech.lww || m.lww_discarded > 0 {
        format!(
            "LWW discarded {} ({} clock inversions)",
            human_count(m.lww_discarded),
            human_count(m.lww_inversions)
        )
    } else {
        "merged by the CRDT, nothing discarded".to_string()
    };
    format!(
        "  conflicts     {}{by}; {resolved}",
        human_count(m.conflicts)
    )
}

/// Semi-sync: whether and when the primary fell back to async, how many
/// waiting writes that released, how many acknowledged writes committed from
/// the first fallback on were lost, and when semi-sync re-armed.
fn semi_sync_lines(result: &RunResult) -> Vec<String> {
    let m = &result.report.metrics;
    let mut falls = Vec::new();
    let mut rearms = Vec::new();
    for e in &result.series.timeline {
        match &e.event {
            Happening::SemiSyncFallback { waiting, .. } => falls.push((e.at_us, *waiting)),
            Happening::SemiSyncRearmed { .. } => rearms.push(e.at_us),
            _ => {}
        }
    }
    let Some(&(first, _)) = falls.first() else {
        return vec!["  semi-sync     never fell back to async".to_string()];
    };
    let at: Vec<String> = falls.iter().map(|&(t, _)| human_duration(t)).collect();
    let released: u64 = falls.iter().map(|&(_, w)| w).sum();
    let lost_after = result
        .lost_writes
        .iter()
        .filter(|w| w.commit_us >= first)
        .count() as u64;
    let rearmed = if rearms.is_empty() {
        "never re-armed".to_string()
    } else {
        let at: Vec<String> = rearms.iter().map(|&t| human_duration(t)).collect();
        format!("re-armed at {}", at.join(", "))
    };
    vec![
        format!(
            "  semi-sync     FELL BACK to async {} time{} (at {} since start), {rearmed}; async for {} in all",
            m.semi_sync_fallbacks.max(falls.len() as u64),
            if falls.len() == 1 { "" } else { "s" },
            at.join(", "),
            human_duration(m.semi_sync_degraded_us)
        ),
        format!(
            "    after it    {} waiting writes acknowledged at once; {} acknowledged writes lost",
            human_count(released),
            human_count(lost_after)
        ),
    ]
}

/// The budgets line, then one line per budget with actual vs limit, in the
/// headline figures' format.
fn budget_lines(r: &crate::metrics::Report) -> Vec<String> {
    let breached = r.budgets.iter().filter(|b| !b.ok).count();
    let head = if r.budgets.is_empty() {
        "none declared".to_string()
    } else if breached == 0 {
        format!("all {} held", r.budgets.len())
    } else {
        format!("{} held, {breached} BREACHED", r.budgets.len() - breached)
    };
    let mut lines = vec![format!("  budgets       {head}")];
    let width = r.budgets.iter().map(|b| b.metric.len()).max().unwrap_or(0);
    for b in &r.budgets {
        let (limit, actual) = super::rows::budget_cells(b);
        lines.push(format!(
            "    {:width$}  {actual} (limit {} {limit})  {}",
            b.metric,
            super::rows::budget_op(b),
            if b.ok { "held" } else { "BREACHED" }
        ));
    }
    lines
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Happening, LostWrite, TimelineEntry};
    use crate::report::testutil::sample;

    fn plain() -> Mechanisms {
        Mechanisms::default()
    }

    #[test]
    fn short_and_complete() {
        let s = human_summary(&sample(), plain());
        assert!(s.lines().count() <= 14, "{s}");
        assert!(s.starts_with("ap-async-dns  seed 42  sha256 0123456789ab\n"));
        assert!(s.contains("RPO           50ms"));
        assert!(s.contains("RTO           1m 29.5s (p50 1m, p99 1m 28s)"));
        assert!(s.contains("lost writes   2 of 1,800,000 acknowledged"));
        assert!(s.contains("availability  99.87% (2 nines)"));
        assert!(s.contains("    by client   eu-west-1 100%, us-east-1 99.74% (2 nines)\n"));
        assert!(s.contains("write p99     3.2ms"));
        assert!(s.contains("incidents     1"));
        assert!(s.contains("budgets       1 held, 1 BREACHED\n"), "{s}");
        assert!(!s.contains("conflicts") && !s.contains("semi-sync"), "{s}");
    }

    #[test]
    fn every_budget_shows_actual_vs_limit_in_the_headline_format() {
        let s = human_summary(&sample(), plain());
        assert!(
            s.contains("    rto          1m 29.5s (limit <= 2m)  held\n"),
            "{s}"
        );
        assert!(
            s.contains("    lost_writes  2 (limit <= 0)  BREACHED\n"),
            "{s}"
        );
        let mut r = sample();
        r.report.budgets[1].metric = "availability".into();
        r.report.budgets[1].limit_value = crate::metrics::Sample::Ratio(0.999);
        r.report.budgets[1].actual_value = crate::metrics::Sample::Ratio(0.9987);
        let s = human_summary(&r, plain());
        assert!(
            s.contains("availability  99.87% (2 nines) (limit >= 99.90% (3 nines))  BREACHED"),
            "{s}"
        );
    }

    #[test]
    fn active_active_shows_conflicts_and_lww_discards() {
        let mut r = sample();
        let m = &mut r.report.metrics;
        m.conflicts = 366_805;
        m.conflicts_by_region.insert("eu-west-1".into(), 118_984);
        m.conflicts_by_region.insert("us-east-1".into(), 247_821);
        m.lww_discarded = 48_151;
        m.lww_inversions = 12;
        let mech = Mechanisms {
            active_active: true,
            lww: true,
            semi_sync: false,
        };
        let s = human_summary(&r, mech);
        assert!(s.contains(
            "  conflicts     366,805 (eu-west-1 118,984, us-east-1 247,821); LWW discarded 48,151 (12 clock inversions)\n"
        ), "{s}");
        let crdt = Mechanisms { lww: false, ..mech };
        r.report.metrics.lww_discarded = 0;
        assert!(human_summary(&r, crdt).contains("; merged by the CRDT, nothing discarded\n"));
        // Active-active with no conflict still says so.
        let mut quiet = sample();
        quiet.report.metrics.conflicts = 0;
        assert!(human_summary(&quiet, mech).contains("  conflicts     0; LWW discarded 0"));
    }

    #[test]
    fn semi_sync_names_the_fallback_and_what_it_cost() {
        let mech = Mechanisms {
            semi_sync: true,
            ..Mechanisms::default()
        };
        let mut r = sample();
        assert!(human_summary(&r, mech).contains("  semi-sync     never fell back to async\n"));
        r.report.metrics.semi_sync_fallbacks = 1;
        r.report.metrics.semi_sync_degraded_us = 240_000_000;
        r.series.timeline = vec![
            TimelineEntry::new(
                309_900_000,
                Happening::SemiSyncFallback {
                    timeout_us: 10_000_000,
                    acks: 1,
                    waiting: 1969,
                },
                Some("us-east-1".into()),
            ),
            TimelineEntry::new(
                549_900_000,
                Happening::SemiSyncRearmed {
                    caught_up: 1,
                    degraded_us: 240_000_000,
                },
                Some("us-east-1".into()),
            ),
        ];
        // One lost write before the fallback, one after.
        r.lost_writes = vec![
            LostWrite {
                id: 1,
                key: 1,
                region: "us-east-1".into(),
                commit_us: 300_000_000,
                incident: 0,
            },
            LostWrite {
                id: 2,
                key: 2,
                region: "us-east-1".into(),
                commit_us: 400_000_000,
                incident: 0,
            },
        ];
        let s = human_summary(&r, mech);
        assert!(s.contains(
            "  semi-sync     FELL BACK to async 1 time (at 5m 9.9s since start), re-armed at 9m 9.9s; async for 4m in all\n"
        ), "{s}");
        assert!(s.contains(
            "    after it    1,969 waiting writes acknowledged at once; 1 acknowledged writes lost\n"
        ), "{s}");
    }

    #[test]
    fn residency_ranges_get_a_line_each() {
        let mut r = sample();
        r.report.metrics.residency = vec![crate::metrics::RangeFigures {
            keys: "0..499".into(),
            jurisdiction: Some("EU".into()),
            regions: vec!["eu-west-1".into()],
            attempted_writes: 10,
            acknowledged_writes: 9,
            availability: 0.9,
            lost_writes: 3,
            rpo_us: 24_000,
            rto_us: None,
        }];
        let s = human_summary(&r, plain());
        assert!(
            s.contains(
                "  keys 0..499 (EU)  availability 90.00%, lost 3, RPO 24ms, RTO not recovered\n"
            ),
            "{s}"
        );
    }

    #[test]
    fn not_recovered() {
        let mut r = sample();
        r.report.metrics.rto_us = None;
        assert!(human_summary(&r, plain()).contains("RTO           not recovered"));
    }
}
