//! A full scenario in TOML and in JSON: both give the same, fully specified `Scenario`.

use super::super::types::*;
use super::super::{parse_str, Format};
use super::fixtures::{FULL_JSON, FULL_TOML};
use super::toml_ok;

fn budget(metric: &str, limit: BudgetLimit, text: &str) -> Budget {
    Budget {
        metric: crate::metrics::metric(metric).expect("in the catalogue"),
        limit,
        limit_text: text.to_string(),
    }
}

fn expected() -> Scenario {
    let us = 1u64;
    let ms = 1_000 * us;
    let s = 1_000 * ms;
    let m = 60 * s;
    Scenario {
        name: "ap-async-dns".into(),
        description: "Active-passive, async replication, DNS failover".into(),
        seed: 42,
        duration_us: 30 * m,
        drain_us: 2 * m,
        regions: vec![
            Region {
                name: "us-east-1".into(),
                commit_latency_us: ms,
                clock_offset_us: 0,
                jurisdiction: Some("US".into()),
            },
            Region {
                name: "eu-west-1".into(),
                commit_latency_us: 1_500,
                clock_offset_us: -5_000,
                jurisdiction: Some("EU".into()),
            },
            Region {
                name: "us-west-2".into(),
                commit_latency_us: ms,
                clock_offset_us: 2_000,
                jurisdiction: None,
            },
        ],
        links: vec![
            Link {
                a: 0,
                b: 1,
                latency: LatencyDist::Constant { us: 38 * ms },
                bandwidth_bps: Some(1_000_000_000),
            },
            Link {
                a: 0,
                b: 2,
                latency: LatencyDist::Normal {
                    mean_us: 30 * ms,
                    stddev_us: 2 * ms,
                },
                bandwidth_bps: None,
            },
            Link {
                a: 1,
                b: 2,
                latency: LatencyDist::LogNormal {
                    median_us: 70 * ms,
                    p99_us: 120 * ms,
                },
                bandwidth_bps: Some(500_000_000),
            },
        ],
        workload: Workload {
            writes_per_sec: 1000.0,
            reads_per_sec: 0.0,
            arrival: Arrival::Constant,
            keys: 50_000,
            key_distribution: KeyDist::Zipf { exponent: 1.1 },
            write_size_bytes: 4096,
            request_timeout_us: 3 * s,
            slow_request_us: None,
            client_access_latency_us: ms,
            clients: vec![
                ClientPopulation {
                    region: 0,
                    share: 0.7,
                    count: 700,
                },
                ClientPopulation {
                    region: 1,
                    share: 0.3,
                    count: 300,
                },
            ],
        },
        replication: Replication {
            topology: Topology::SinglePrimary,
            primary: Some(0),
            replicas: vec![2, 1],
            mode: ReplicationMode::SemiSync,
            acks: 1,
            semi_sync_timeout_us: 5 * s,
        },
        conflicts: None,
        failover: Some(Failover {
            routing: Routing::Dns(Dns {
                ttl_us: 60 * s,
                propagation_us: 5 * s,
                stale_fraction: 0.03,
                stale_extra_us: 10 * m,
            }),
            promotion: Promotion::Automatic,
            promotion_delay_us: 20 * s,
            fencing: false,
            on_rejoin: OnRejoin::Discard,
            health_check: HealthCheck {
                interval_us: 10 * s,
                failure_threshold: 3,
                timeout_us: 2 * s,
                checkers: Some(vec![2, 1]),
                unhealthy_share: 0.5,
            },
        }),
        faults: vec![
            Fault {
                kind: FaultKind::RegionOutage { region: 0 },
                at_us: 10 * m,
                duration_us: Some(20 * m),
            },
            Fault {
                kind: FaultKind::Partition {
                    side_a: vec![0],
                    side_b: vec![1],
                    direction: Direction::Forward,
                },
                at_us: 5 * m,
                duration_us: Some(2 * m),
            },
            Fault {
                kind: FaultKind::Partition {
                    side_a: vec![0],
                    side_b: vec![1, 2],
                    direction: Direction::Both,
                },
                at_us: 90 * s,
                duration_us: None,
            },
            Fault {
                kind: FaultKind::Latency {
                    a: 1,
                    b: 0,
                    add_us: 400 * ms,
                },
                at_us: 3 * m,
                duration_us: Some(m),
            },
            Fault {
                kind: FaultKind::ClockSkew {
                    region: 1,
                    offset_us: 150_000,
                },
                at_us: 0,
                duration_us: None,
            },
        ],
        residency: vec![],
        cost: Some(Cost {
            transfer_per_gb: 0.02,
        }),
        budgets: vec![
            budget("rpo", BudgetLimit::DurationUs(s), "1s"),
            budget("rto", BudgetLimit::DurationUs(2 * m), "2m"),
            budget("rto_p50", BudgetLimit::DurationUs(m), "1m"),
            budget("rto_p99", BudgetLimit::DurationUs(90 * s), "1m30s"),
            budget("lost_writes", BudgetLimit::Count(0), "0"),
            budget("write_latency_p50", BudgetLimit::DurationUs(5 * ms), "5ms"),
            budget(
                "write_latency_p99",
                BudgetLimit::DurationUs(250 * ms),
                "250ms",
            ),
            budget("availability", BudgetLimit::Ratio(0.999), "0.999"),
            budget("divergent_keys", BudgetLimit::Count(0), "0"),
        ],
        source_sha256: String::new(),
    }
}

#[test]
fn full_toml_matches_the_expected_scenario() {
    let mut s = toml_ok(FULL_TOML);
    s.source_sha256.clear();
    assert_eq!(s, expected());
}

#[test]
fn full_json_equals_full_toml() {
    let t = toml_ok(FULL_TOML);
    let j = match parse_str(FULL_JSON, "full.json", Format::Json) {
        Ok(j) => j,
        Err(e) => panic!("{e}"),
    };
    assert_ne!(t.source_sha256, j.source_sha256);
    let (mut t, mut j) = (t, j);
    t.source_sha256.clear();
    j.source_sha256.clear();
    assert_eq!(t, j);
}

/// The anycast and client-side sections, every field, each under its own
/// routing (the full fixture routes by DNS).
#[test]
fn other_routing_sections_every_field() {
    use super::super::types::*;
    use super::MINIMAL;
    let (s, ms) = (1_000_000, 1_000);
    let any = toml_ok(&format!(
        "{MINIMAL}[failover]\nrouting = \"anycast\"\n[failover.anycast]\nconvergence = {{ dist = \"uniform\", min = \"2s\", max = \"8s\" }}\n"
    ));
    let want = Routing::Anycast(Anycast {
        convergence: LatencyDist::Uniform {
            min_us: 2 * s,
            max_us: 8 * s,
        },
    });
    assert_eq!(any.failover.map(|f| f.routing), Some(want));
    let client = toml_ok(&format!(
        "{MINIMAL}[failover]\nrouting = \"client\"\n[failover.client]\nendpoints = [\"b\", \"a\"]\nmax_attempts = 4\nbackoff = {{ base = \"100ms\", cap = \"2s\", jitter = \"equal\" }}\n"
    ));
    let want = Routing::Client(ClientFailover {
        endpoints: Some(vec![1, 0]),
        max_attempts: 4,
        backoff: Backoff {
            base_us: 100 * ms,
            cap_us: 2 * s,
            jitter: Jitter::Equal,
        },
    });
    assert_eq!(client.failover.map(|f| f.routing), Some(want));
}
