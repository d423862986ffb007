//! Shared helpers for integration tests: build a scenario from TOML text and run it.
#![allow(dead_code)]

use regionsim::metrics::RunResult;
#[allow(unused_imports)]
pub use regionsim::metrics::{Happening, Move, RejoinOutcome};
use regionsim::model::{simulate, Bounds};
use regionsim::scenario::{parse_str, Format, Scenario};

pub fn scenario(toml: &str) -> Scenario {
    match parse_str(toml, "test.toml", Format::Toml) {
        Ok(s) => s,
        Err(e) => panic!("test scenario invalid: {e}"),
    }
}

pub fn run(toml: &str, seed: u64) -> RunResult {
    let s = scenario(toml);
    simulate(&s, seed, Bounds::default()).expect("run")
}

/// Every incident's timeline, as (time, typed event).
pub fn timeline(r: &RunResult) -> Vec<(u64, Happening)> {
    r.report
        .incidents
        .iter()
        .flat_map(|i| i.timeline.iter().map(|e| (e.at_us, e.event.clone())))
        .collect()
}

/// When the first timeline event that `is` accepts happened.
pub fn first_at(r: &RunResult, is: impl Fn(&Happening) -> bool) -> Option<u64> {
    timeline(r).into_iter().find(|(_, h)| is(h)).map(|(t, _)| t)
}

/// The checkers declared `name` unhealthy.
pub fn unhealthy(name: &'static str) -> impl Fn(&Happening) -> bool {
    move |h| matches!(h, Happening::Verdict { region, healthy: false } if region == name)
}

/// `name` was promoted to primary (single-primary).
pub fn promoted(name: &'static str) -> impl Fn(&Happening) -> bool {
    move |h| matches!(h, Happening::Promoted { target, .. } if target == name)
}

/// Two regions `a` (primary) and `b` (replica) with a third region `c` that runs
/// the health checks; `extra` is appended verbatim (workload, failover, faults).
pub fn two_plus_checker(link_ab: &str, extra: &str) -> String {
    format!(
        r#"
name = "t"
duration = "3m"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "c"
[[links]]
between = ["a", "b"]
latency = "{link_ab}"
[[links]]
between = ["a", "c"]
latency = "10ms"
[[links]]
between = ["b", "c"]
latency = "10ms"
[replication]
primary = "a"
replicas = ["b"]
mode = "async"
{extra}
"#
    )
}

/// Runs the regionsim binary with `args`.
pub fn regionsim(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A fresh, empty folder for one test (`kind` and `name` keep tests apart,
/// the process id keeps concurrent runs apart).
pub fn temp_dir(kind: &str, name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("regionsim-{kind}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A scenario with every fault kind and awkward timings (two faults at one
/// instant, one at 0, one that never ends, one partition one-way and between
/// sides), for the exports.
pub const EVERY_FAULT_KIND: &str = r#"
name = "every-fault"
description = "each fault kind: \"quoted\", odd timings"
duration = "20m"
drain = "1m"
[[regions]]
name = "us-east-1"
[[regions]]
name = "eu-west-1"
[[regions]]
name = "ap-northeast-1"
[[links]]
between = ["us-east-1", "eu-west-1"]
latency = "38ms"
[[links]]
between = ["us-east-1", "ap-northeast-1"]
latency = "70ms"
[[links]]
between = ["eu-west-1", "ap-northeast-1"]
latency = "110ms"
[workload]
writes_per_sec = 10
keys = 10
[[workload.clients]]
region = "us-east-1"
share = 1.0
count = 1
[replication]
topology = "multi-primary"
mode = "async"
[conflicts]
resolution = "lww"
[[faults]]
kind = "region-outage"
region = "ap-northeast-1"
at = "90s"
duration = "2m"
[[faults]]
kind = "partition"
sides = [["us-east-1"], ["eu-west-1", "ap-northeast-1"]]
direction = "forward"
at = "5m"
duration = "1m"
[[faults]]
kind = "partition"
between = ["us-east-1", "eu-west-1"]
at = "5m"
duration = "1m30s"
[[faults]]
kind = "latency"
between = ["us-east-1", "eu-west-1"]
at = "8m"
duration = "2m"
add = "120ms"
[[faults]]
kind = "clock-skew"
region = "eu-west-1"
at = "10m"
offset = "-40ms"
[[faults]]
kind = "region-outage"
region = "us-east-1"
at = "12m"
[[faults]]
kind = "region-outage"
region = "eu-west-1"
at = "0s"
duration = "1m"
"#;

/// Primary a, one replica b at 38 ms, checker x; semi-sync with the MySQL
/// default timeout unless `extra` sets one; `extra` is appended as is.
pub fn semi_sync_pair(name: &str, extra: &str) -> String {
    format!(
        r#"
name = "{name}"
duration = "2m"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "x"
[[links]]
between = ["a", "b"]
latency = "38ms"
[[links]]
between = ["a", "x"]
latency = "5ms"
[[links]]
between = ["b", "x"]
latency = "5ms"
[workload]
writes_per_sec = 1000
arrival = "constant"
keys = 10000
client_access_latency = "0ms"
request_timeout = "15s"
[[workload.clients]]
region = "a"
share = 1.0
count = 50
[replication]
primary = "a"
replicas = ["b"]
mode = "semi-sync"
acks = 1
{extra}
"#
    )
}
