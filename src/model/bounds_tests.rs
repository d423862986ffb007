//! Tests of the up-front bounds: the issue's reproducers are refused with the
//! fields that drive them; the shipped scenarios pass.

use super::*;
use crate::scenario::{parse_str, Format};

const BASE: &str = r#"
name = "b"
duration = "2s"
drain = "1s"
[[regions]]
name = "a"
[[regions]]
name = "c"
[[links]]
between = ["a", "c"]
latency = "10ms"
[workload]
writes_per_sec = 100
keys = 100
request_timeout = "2s"
[[workload.clients]]
region = "a"
share = 1.0
count = 10
[replication]
topology = "single-primary"
primary = "a"
"#;

fn scenario(extra: &str, replace: (&str, &str)) -> Scenario {
    let text = BASE.replace(replace.0, replace.1) + extra;
    parse_str(&text, "t.toml", Format::Toml).unwrap()
}

fn refused(s: &Scenario) -> String {
    match preflight(s, &Bounds::default()) {
        Err(SimError::Bound(m)) => m,
        other => panic!("expected a bound, got {other:?}"),
    }
}

#[test]
fn small_scenario_passes() {
    preflight(&scenario("", ("", "")), &Bounds::default()).unwrap();
}

#[test]
fn huge_write_rate_is_refused_up_front() {
    let s = scenario("", ("writes_per_sec = 100", "writes_per_sec = 1e9"));
    let m = refused(&s);
    assert!(
        m.contains("workload.writes_per_sec") && m.contains("workload.request_timeout"),
        "{m}"
    );
    assert!(m.contains("in-flight state"), "{m}");
}

#[test]
fn long_timeout_with_a_dark_primary_is_refused() {
    let text = BASE
        .replace("writes_per_sec = 100", "writes_per_sec = 700")
        .replace("request_timeout = \"2s\"", "request_timeout = \"719h\"")
        .replace("duration = \"2s\"", "duration = \"719h\"")
        .replace("drain = \"1s\"", "drain = \"0s\"");
    let text = text + "[[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"0s\"\n";
    let s = parse_str(&text, "t.toml", Format::Toml).unwrap();
    let m = refused(&s);
    assert!(
        m.contains("workload.request_timeout") && m.contains("5000000"),
        "{m}"
    );
}

#[test]
fn tiny_health_check_interval_is_refused() {
    let text = BASE
        .replace("duration = \"2s\"", "duration = \"719h\"")
        .replace("drain = \"1s\"", "drain = \"0s\"")
        + "[failover]\nrouting = \"dns\"\n[failover.health_check]\ninterval = \"1us\"\n";
    // Checked from the other region only: each probe waits for a 20 ms round trip.
    let s = parse_str(&text, "t.toml", Format::Toml).unwrap();
    preflight(&s, &Bounds::default()).unwrap();
    // A region that checks itself probes every microsecond.
    let text = text + "checkers = [\"a\", \"c\"]\n";
    let s = parse_str(&text, "t.toml", Format::Toml).unwrap();
    let m = refused(&s);
    assert!(m.contains("failover.health_check.interval = 1us"), "{m}");
    assert!(m.contains("20000000000 events"), "{m}");
}

#[test]
fn queue_bound_stops_a_run_with_a_bound_error() {
    let s = scenario("", ("", ""));
    let b = Bounds {
        max_queued_events: 20,
        ..Bounds::default()
    };
    match super::super::simulate_unchecked(&s, 1, b) {
        Err(SimError::Bound(m)) => assert!(m.contains("in-flight state"), "{m}"),
        other => panic!("expected a bound, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn shipped_scenarios_pass_with_room() {
    let tight = Bounds {
        max_events: Bounds::default().max_events / 20,
        max_live_requests: Bounds::default().max_live_requests / 20,
        ..Bounds::default()
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let s = crate::scenario::load_path(&p).unwrap();
        preflight(&s, &tight).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
}
