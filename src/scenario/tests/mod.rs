//! Unit tests of scenario loading and validation: shared fixtures and helpers.

mod all_sections;
mod errors;
mod errors_rules;
mod errors_world;
mod fixtures;
mod full;
mod fuzz;
mod hardening;
mod overrides;
mod units;

use super::{parse_str, Format, Scenario, ScenarioError};

/// The smallest valid scenario; tests append tables or replace lines.
pub(crate) const MINIMAL: &str = r#"
name = "t"
duration = "10m"

[[regions]]
name = "a"

[[regions]]
name = "b"

[[links]]
between = ["a", "b"]
latency = "10ms"

[workload]
writes_per_sec = 100

[[workload.clients]]
region = "a"
share = 1.0

[replication]
primary = "a"
"#;

pub(super) fn toml_ok(text: &str) -> Scenario {
    match parse_str(text, "t.toml", Format::Toml) {
        Ok(s) => s,
        Err(e) => panic!("expected a valid scenario, got: {e}"),
    }
}

pub(super) fn toml_err(text: &str) -> ScenarioError {
    match parse_str(text, "t.toml", Format::Toml) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

/// MINIMAL with `from` replaced by `to` (which must occur).
pub(super) fn edit(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "fixture lacks {from:?}");
    MINIMAL.replacen(from, to, 1)
}

/// Assert that the error's Display contains every fragment.
#[track_caller]
pub(super) fn assert_err(e: &ScenarioError, fragments: &[&str]) {
    let shown = e.to_string();
    for f in fragments {
        assert!(shown.contains(f), "error {shown:?} lacks {f:?}");
    }
    assert!(
        !e.unsupported,
        "expected a validation error, got unsupported: {shown}"
    );
}

/// The error for MINIMAL with `from` replaced by `to`, checked against fragments.
#[track_caller]
pub(super) fn check_edit(from: &str, to: &str, fragments: &[&str]) {
    let e = toml_err(&edit(from, to));
    assert_err(&e, fragments);
}

/// The error for MINIMAL followed by `extra`, checked against fragments.
#[track_caller]
pub(super) fn check_append(extra: &str, fragments: &[&str]) {
    let e = toml_err(&format!("{MINIMAL}{extra}"));
    assert_err(&e, fragments);
}

#[test]
fn minimal_defaults() {
    use super::types::*;
    let s = toml_ok(MINIMAL);
    assert_eq!(s.seed, 0);
    assert_eq!(s.description, "");
    assert_eq!(s.drain_us, 60_000_000);
    assert_eq!(s.regions[0].commit_latency_us, 1_000);
    assert_eq!(s.regions[0].clock_offset_us, 0);
    assert_eq!(s.regions[0].jurisdiction, None);
    let w = &s.workload;
    assert_eq!(w.reads_per_sec, 0.0);
    assert_eq!(w.arrival, Arrival::Poisson);
    assert_eq!(w.keys, 100_000);
    assert_eq!(w.key_distribution, KeyDist::Uniform);
    assert_eq!(w.write_size_bytes, 1024);
    assert_eq!(w.request_timeout_us, 2_000_000);
    assert_eq!(w.client_access_latency_us, 2_000);
    assert_eq!(w.clients[0].count, 1);
    let r = &s.replication;
    assert_eq!(r.topology, Topology::SinglePrimary);
    assert_eq!(r.primary, Some(0));
    assert_eq!(r.replicas, vec![1]);
    assert_eq!(r.mode, ReplicationMode::Async);
    assert_eq!(r.acks, 1);
    assert_eq!(r.semi_sync_timeout_us, 10_000_000);
    assert_eq!(s.conflicts, None);
    assert_eq!(s.failover, None);
    assert!(s.faults.is_empty() && s.residency.is_empty() && s.budgets.is_empty());
    assert_eq!(s.cost, None);
    assert_eq!(s.source_sha256.len(), 64);
}

#[test]
fn failover_defaults() {
    use super::types::*;
    let s = toml_ok(&format!("{MINIMAL}\n[failover]\n"));
    let expected = Failover {
        routing: Routing::Dns(Dns {
            ttl_us: 60_000_000,
            propagation_us: 0,
            stale_fraction: 0.0,
            stale_extra_us: 0,
        }),
        promotion: Promotion::Automatic,
        promotion_delay_us: 30_000_000,
        fencing: false,
        on_rejoin: OnRejoin::Discard,
        health_check: HealthCheck {
            interval_us: 30_000_000,
            failure_threshold: 3,
            timeout_us: 4_000_000,
            checkers: None,
            unhealthy_share: 0.5,
        },
    };
    assert_eq!(s.failover, Some(expected));
    // The other mechanisms' defaults, each owned by its routing variant.
    let anycast = toml_ok(&format!("{MINIMAL}\n[failover]\nrouting = \"anycast\"\n"));
    assert_eq!(
        anycast.failover.map(|f| f.routing),
        Some(Routing::Anycast(Anycast {
            convergence: LatencyDist::Constant { us: 5_000_000 },
        }))
    );
    let client = toml_ok(&format!("{MINIMAL}\n[failover]\nrouting = \"client\"\n"));
    assert_eq!(
        client.failover.map(|f| f.routing),
        Some(Routing::Client(ClientFailover {
            endpoints: None,
            max_attempts: 3,
            backoff: Backoff {
                base_us: 100_000,
                cap_us: 2_000_000,
                jitter: Jitter::Full,
            },
        }))
    );
}

#[test]
fn sha_is_of_the_file_bytes() {
    let s = toml_ok(MINIMAL);
    assert_eq!(s.source_sha256, super::load::sha256_hex(MINIMAL.as_bytes()));
    // SHA-256 of "abc".
    assert_eq!(
        super::load::sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn load_path_reads_files_by_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml_path = dir.path().join("s.toml");
    std::fs::write(&toml_path, MINIMAL).expect("write");
    let s = super::load_path(&toml_path).expect("valid file");
    assert_eq!(s.name, "t");

    let yaml = dir.path().join("s.yaml");
    std::fs::write(&yaml, MINIMAL).expect("write");
    let e = super::load_path(&yaml).expect_err("unknown extension");
    assert!(e.to_string().contains(".toml or .json"), "{e}");

    let missing = super::load_path(&dir.path().join("nope.json")).expect_err("missing");
    assert!(missing.to_string().contains("cannot read"), "{missing}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"name = \"t\"\nx = \"\xff\"\n").expect("write");
    let e = super::load_path(&bad).expect_err("not UTF-8");
    assert!(e.to_string().contains("line 2"), "{e}");
    assert!(e.to_string().contains("UTF-8"), "{e}");
}
