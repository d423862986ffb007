//! Engine benchmark: a steady 3-region async scenario at 20,000 writes/s.
//! Reports simulated writes per wall-second on one core and the peak resident
//! memory after a run of D and after a run of 10 x D simulated seconds.
//! Run with `cargo bench --bench engine` (plain harness: prints, asserts nothing).

use regionsim::model::{simulate, Bounds};
use regionsim::scenario::{parse_str, Format};

fn scenario(duration_s: u64) -> String {
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

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[allow(clippy::disallowed_methods)]
fn timed_run(duration_s: u64) -> (f64, u64, u64) {
    let s = parse_str(&scenario(duration_s), "bench.toml", Format::Toml).expect("valid");
    let start = std::time::Instant::now();
    let r = simulate(&s, 1, Bounds::default()).expect("run");
    let wall = start.elapsed().as_secs_f64();
    (
        wall,
        r.report.metrics.attempted_writes,
        r.report.metrics.events,
    )
}

fn main() {
    let base = std::env::var("REGIONSIM_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60u64);
    for d in [base, base * 10] {
        let (wall, writes, events) = timed_run(d);
        println!(
            "steady 3-region async, 20k writes/s, {d} s simulated: {writes} writes in {wall:.3} s wall = {:.2} M writes/s, {:.1} M events/s; peak RSS so far {} MiB",
            writes as f64 / wall / 1e6,
            events as f64 / wall / 1e6,
            peak_rss_kib() / 1024
        );
    }
}
