//! The benchmark shapes of issue 15, as scenario text: a steady 3-region async
//! run, a 10-region multi-primary full mesh, a 64-region single-primary run and
//! a health-check-heavy run at microsecond resolution.

use std::fmt::Write;

use regionsim::metrics::RunResult;
use regionsim::model::{simulate, Bounds};
use regionsim::scenario::{parse_str, Format, Scenario};

/// One benchmark shape: a name for tables and its scenario text.
pub struct Shape {
    pub name: &'static str,
    pub text: String,
}

/// Every shape; `seconds` scales the simulated duration of the first.
pub fn all(seconds: u64) -> Vec<Shape> {
    vec![
        Shape {
            name: "steady-3region-async-20k",
            text: steady3(seconds),
        },
        Shape {
            name: "mesh-10region-multi-primary-100k",
            text: mesh10(),
        },
        Shape {
            name: "single-primary-64region",
            text: single64(),
        },
        Shape {
            name: "health-checks-1us",
            text: checks_1us(),
        },
    ]
}

pub fn parse(shape: &Shape) -> Scenario {
    parse_str(&shape.text, "bench.toml", Format::Toml).expect("bench shapes are valid")
}

pub fn run(s: &Scenario) -> RunResult {
    simulate(s, 1, Bounds::default()).expect("bench shapes stay within bounds")
}

/// The shape the bare loop (`bare.rs`) mirrors.
pub fn steady3(duration_s: u64) -> String {
    format!(
        r#"
name = "bench-steady-3region"
duration = "{duration_s}s"
drain = "5s"
[[regions]]
name = "us-east-1"
[[regions]]
name = "eu-west-1"
[[regions]]
name = "us-west-2"
[[links]]
between = ["us-east-1", "eu-west-1"]
latency = {{ dist = "lognormal", median = "38ms", p99 = "45ms" }}
[[links]]
between = ["us-east-1", "us-west-2"]
latency = {{ dist = "normal", mean = "36ms", stddev = "1ms" }}
[[links]]
between = ["eu-west-1", "us-west-2"]
latency = "66ms"
[workload]
writes_per_sec = 20000
keys = 100000
[[workload.clients]]
region = "us-east-1"
share = 0.6
count = 600
[[workload.clients]]
region = "eu-west-1"
share = 0.4
count = 400
[replication]
primary = "us-east-1"
mode = "async"
[failover]
[failover.dns]
ttl = "60s"
"#
    )
}

fn regions(n: usize, out: &mut String) {
    for i in 0..n {
        let _ = writeln!(out, "[[regions]]\nname = \"r{i}\"");
    }
}

fn link(out: &mut String, a: usize, b: usize, median_ms: usize) {
    let _ = writeln!(
        out,
        "[[links]]\nbetween = [\"r{a}\", \"r{b}\"]\nlatency = {{ dist = \"lognormal\", median = \"{median_ms}ms\", p99 = \"{}ms\" }}",
        median_ms + median_ms / 5 + 1
    );
}

fn clients(regions: &[usize], out: &mut String) {
    let share = 1.0 / regions.len() as f64;
    for r in regions {
        let _ = writeln!(
            out,
            "[[workload.clients]]\nregion = \"r{r}\"\nshare = {share}\ncount = 100"
        );
    }
}

/// Ten regions, every one a primary, full-mesh replication, 100k writes/s.
pub fn mesh10() -> String {
    let mut s = String::from("name = \"bench-mesh-10\"\nduration = \"10s\"\ndrain = \"5s\"\n");
    regions(10, &mut s);
    for a in 0..10 {
        for b in a + 1..10 {
            link(&mut s, a, b, 20 + 7 * (b - a));
        }
    }
    s.push_str("[workload]\nwrites_per_sec = 100000\nkeys = 100000\n");
    clients(&(0..10).collect::<Vec<_>>(), &mut s);
    s.push_str("[replication]\ntopology = \"multi-primary\"\n[conflicts]\nresolution = \"lww\"\n");
    s
}

/// 64 regions (a full mesh of 2,016 links): one primary replicating to 63
/// async replicas, 5k writes/s.
pub fn single64() -> String {
    let mut s = String::from("name = \"bench-single-64\"\nduration = \"20s\"\ndrain = \"5s\"\n");
    regions(64, &mut s);
    for a in 0..64 {
        for b in a + 1..64 {
            link(&mut s, a, b, 10 + (b - a) + a % 7);
        }
    }
    s.push_str("[workload]\nwrites_per_sec = 5000\nkeys = 100000\n");
    clients(&[0, 1, 2, 3], &mut s);
    s.push_str("[replication]\nprimary = \"r0\"\nmode = \"async\"\n");
    s
}

/// Health checks every 1 ms (timeouts in µs) from three checkers, through an
/// outage and a failover: the control plane, not the writes, makes the events.
pub fn checks_1us() -> String {
    let mut s = String::from("name = \"bench-checks-1us\"\nduration = \"60s\"\ndrain = \"5s\"\n");
    regions(4, &mut s);
    for a in 0..4 {
        for b in a + 1..4 {
            link(&mut s, a, b, 5 + a + b);
        }
    }
    s.push_str("[workload]\nwrites_per_sec = 1000\nkeys = 10000\n");
    clients(&[0, 1], &mut s);
    s.push_str(
        r#"[replication]
primary = "r0"
replicas = ["r1"]
mode = "async"
[failover]
routing = "dns"
promotion_delay = "1ms"
[failover.health_check]
interval = "1ms"
timeout = "750us"
failure_threshold = 3
checkers = ["r1", "r2", "r3"]
[failover.dns]
ttl = "1s"
[[faults]]
kind = "region-outage"
region = "r0"
at = "20s"
duration = "20s"
"#,
    );
    s
}
