//! A small hand-built run result for the report tests.

use crate::metrics::*;
use std::collections::BTreeMap;

/// One region outage with two lost writes, one budget held and one breached.
pub(crate) fn sample() -> RunResult {
    let mut by_region = BTreeMap::new();
    by_region.insert("eu-west-1".to_string(), 1.0);
    by_region.insert("us-east-1".to_string(), 0.9974);
    let mut lag = BTreeMap::new();
    lag.insert(
        "eu-west-1".to_string(),
        LagStats {
            p50: 38_000,
            p99: 39_000,
            max: 40_000,
        },
    );
    let mut links = BTreeMap::new();
    links.insert("us-east-1<->eu-west-1".to_string(), 1_843_200_000);
    let metrics = Metrics {
        rpo_us: 50_000,
        rto_us: Some(89_500_000),
        rto_p50_us: Some(60_000_000),
        rto_p99_us: Some(88_000_000),
        service_restored_us: Some(30_000_000),
        lost_writes: 2,
        acknowledged_writes: 1_800_000,
        failed_writes: 1_234,
        attempted_writes: 1_801_234,
        availability: 0.9987,
        availability_by_region: by_region,
        write_latency_us: Percentiles {
            p50: 3_000,
            p95: 3_100,
            p99: 3_200,
            max: 9_000,
        },
        replication_lag_us: lag,
        converged: true,
        cross_region_bytes: 1_843_200_000,
        cross_region_bytes_by_link: links,
        transfer_cost: Some(36.864),
        events: 7_400_000,
        events_digest: "cbf29ce484222325".into(),
        ..Metrics::default()
    };
    let incident = Incident {
        start_us: 600_000_000,
        end_us: Some(1_800_000_000),
        cause: "region-outage us-east-1".into(),
        rpo_us: 50_000,
        rto_us: Some(89_500_000),
        rto_breakdown: Some(RtoBreakdown {
            detection_us: 60_000_000,
            promotion_us: 29_500_000,
            ..RtoBreakdown::default()
        }),
        rto_path: vec![
            RtoSegment {
                phase: Phase::Detection,
                from_us: 600_000_000,
                to_us: 660_000_000,
                ended_by: None,
            },
            RtoSegment {
                phase: Phase::Promotion,
                from_us: 660_000_000,
                to_us: 689_500_000,
                ended_by: None,
            },
        ],
        rto_p50_us: Some(60_000_000),
        rto_p99_us: Some(88_000_000),
        rto_observed_us: Some(90_100_000),
        mean_request_gap_us: 1_000_000,
        service_restored_us: Some(30_000_000),
        lost_writes: 2,
        affected_clients: 40,
        unrecovered_clients: 0,
        silent_clients: 0,
        split_brain_us: 0,
        split_brain_writes: 0,
        split_brain_unresolved: false,
        orphaned_writes: 43,
        orphans_surviving: 0,
        note: None,
        estimates: vec![Estimate {
            what: Bound::DnsRtoHigh,
            value_us: 90_000_000,
        }],
        timeline: vec![
            TimelineEntry::new(
                690_000_000,
                Happening::Verdict {
                    region: "us-east-1".into(),
                    healthy: false,
                },
                Some("us-east-1".into()),
            ),
            TimelineEntry::new(
                720_000_000,
                Happening::Promoted {
                    target: "eu-west-1".into(),
                    old: "us-east-1".into(),
                    log_position: 1000,
                    orphaned: 43,
                    orphaned_acked: 28,
                },
                Some("eu-west-1".into()),
            ),
        ],
    };
    RunResult {
        report: Report {
            scenario: "ap-async-dns".into(),
            seed: 42,
            scenario_sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                .into(),
            regionsim_version: "0.1.0".into(),
            duration_us: 1_800_000_000,
            drain_us: 60_000_000,
            metrics,
            incidents: vec![incident],
            budgets: vec![
                BudgetOutcome {
                    metric: "rto".into(),
                    limit: "2m".into(),
                    actual: "89.5s".into(),
                    limit_value: crate::metrics::Sample::Int(120_000_000),
                    actual_value: crate::metrics::Sample::Int(89_500_000),
                    unit: "us",
                    ok: true,
                },
                BudgetOutcome {
                    metric: "lost_writes".into(),
                    limit: "0".into(),
                    actual: "2".into(),
                    limit_value: crate::metrics::Sample::Int(0),
                    actual_value: crate::metrics::Sample::Int(2),
                    unit: "count",
                    ok: false,
                },
            ],
        },
        lost_writes: vec![
            LostWrite {
                id: 17,
                key: 4,
                region: "us-east-1".into(),
                commit_us: 599_950_000,
                incident: 0,
            },
            LostWrite {
                id: 18,
                key: 9,
                region: "us-east-1".into(),
                commit_us: 600_000_001,
                incident: 0,
            },
        ],
        series: Series::default(),
    }
}
