//! Engine benchmark table (issue 15): for each shape of `common/shapes.rs`,
//! simulated writes and events per CPU-second of the simulating thread (wall
//! time where Linux's schedstat is missing) and peak RSS (each shape in a child
//! process, so the peak is its own); the bare-loop ratios for the steady
//! 3-region shape (the small loop of `common/bare.rs` and the same-model loop
//! of `common/bare_model.rs`), all three timed alternately in this one
//! process; memory and
//! report-generation time at 10x the simulated duration.
//! Run with `cargo bench --bench engine` (plain harness: prints, asserts nothing;
//! `REGIONSIM_BENCH_REPEAT` sets the best-of count, default 5).
#![allow(clippy::disallowed_methods)] // wall-clock timing is the point here

#[path = "common/bare.rs"]
mod bare;
#[path = "common/bare_model.rs"]
mod bare_model;
#[path = "common/shapes.rs"]
mod shapes;

use bare_model::Timeouts;
use std::process::Command;
use std::time::Instant;

const CHILD: &str = "REGIONSIM_BENCH_CHILD";

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

/// This thread's CPU time in seconds (`/proc/thread-self/schedstat`, in ns,
/// brought up to date at scheduler ticks: a few ms, under 1% of a timed run),
/// so that other processes on a busy machine do not stretch the figures; wall
/// time where that file is missing.
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(|ns| ns as f64 / 1e9)
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed().as_secs_f64()
        })
}

/// Seconds `f` took by [`cpu_s`], and its result.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = cpu_s();
    let r = f();
    (cpu_s() - start, r)
}

fn repeat() -> usize {
    std::env::var("REGIONSIM_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// In a child: runs shape `i` (steady shape at `secs`) best of N, prints one
/// line; `bare:secs`, `bare_model:secs` and `bare_fifo:secs` run a bare loop
/// once (for `valgrind --tool=callgrind`).
fn child(spec: &str) {
    let (i, secs) = spec.split_once(':').expect("index:seconds");
    if i == "bare" {
        let b = bare::run(secs.parse().expect("seconds"), 20_000.0);
        println!("bare {} {} {}", b.writes, b.events, b.lag_us_max);
        return;
    }
    if let Some(timeouts) = match i {
        "bare_model" => Some(Timeouts::InHeap),
        "bare_fifo" => Some(Timeouts::Fifo),
        _ => None,
    } {
        let b = bare_model::run(secs.parse().expect("seconds"), 20_000.0, timeouts);
        println!("{i} {} {} {} {}", b.writes, b.events, b.acked, b.lag_us_max);
        return;
    }
    let (i, secs): (usize, u64) = (i.parse().expect("index"), secs.parse().expect("seconds"));
    let shape = &shapes::all(secs)[i];
    let s = shapes::parse(shape);
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..repeat() {
        let (secs, r) = timed(|| shapes::run(&s));
        best = best.min(secs);
        last = Some(r);
    }
    let r = last.expect("ran");
    // Wall time: schedstat advances only at scheduler ticks, too coarse for
    // the milliseconds a report takes.
    let start = Instant::now();
    let files = regionsim::report::run_files(&r);
    let report_s = start.elapsed().as_secs_f64();
    let m = &r.report.metrics;
    println!(
        "{} {} {} {best} {report_s} {} {}",
        shape.name,
        m.attempted_writes,
        m.events,
        peak_rss_mib(),
        files.len()
    );
}

fn spawn(i: usize, secs: u64) -> Vec<String> {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD, format!("{i}:{secs}"))
        .output()
        .expect("child runs");
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    line.split(' ').map(str::to_string).collect()
}

fn table(secs: u64) {
    println!("| shape | writes per CPU-second | events per CPU-second | peak RSS | report generation (wall) |");
    println!("|---|---:|---:|---:|---:|");
    for i in 0..shapes::all(secs).len() {
        let f = spawn(i, secs);
        let num = |k: usize| f[k].parse::<f64>().unwrap_or(0.0);
        println!(
            "| {} | {:.2} M | {:.1} M | {} MiB | {:.1} ms |",
            f[0],
            num(1) / num(3) / 1e6,
            num(2) / num(3) / 1e6,
            f[5],
            num(4) * 1e3
        );
    }
}

/// Best CPU time of one loop and what it simulated (writes, events).
#[derive(Clone, Copy)]
struct Best {
    secs: f64,
    writes: u64,
    events: u64,
}

impl Best {
    fn new() -> Best {
        Best {
            secs: f64::MAX,
            writes: 0,
            events: 0,
        }
    }

    fn time(&mut self, f: impl FnOnce() -> (u64, u64)) {
        let (secs, (writes, events)) = timed(f);
        self.secs = self.secs.min(secs);
        (self.writes, self.events) = (writes, events);
    }

    fn writes_per_s(&self) -> f64 {
        self.writes as f64 / self.secs
    }

    fn events_per_s(&self) -> f64 {
        self.events as f64 / self.secs
    }
}

/// The bare loops and the full model alternately, best of N each, same
/// process: one line per loop with the full model's ratio against it.
fn bare_ratio(secs: u64) {
    let s = shapes::parse(&shapes::all(secs)[0]);
    let mut full = Best::new();
    let mut loops = [
        ("bare BinaryHeap loop of the same model", Best::new()),
        ("the same, timeouts in a FIFO beside the heap", Best::new()),
        (
            "smaller bare BinaryHeap loop (4 events, no per-key state)",
            Best::new(),
        ),
    ];
    for _ in 0..repeat() {
        for (i, timeouts) in [Timeouts::InHeap, Timeouts::Fifo].into_iter().enumerate() {
            loops[i].1.time(|| {
                let b = bare_model::run(secs, 20_000.0, timeouts);
                (b.writes, b.events)
            });
        }
        loops[2].1.time(|| {
            let b = bare::run(secs, 20_000.0);
            (b.writes, b.events)
        });
        full.time(|| {
            let m = shapes::run(&s).report.metrics;
            (m.attempted_writes, m.events)
        });
    }
    let f = full.writes_per_s();
    println!(
        "steady 3-region, {secs} s simulated, best of {}, one process: full model {:.2} M writes/s ({:.1} M events/s)",
        repeat(),
        f / 1e6,
        full.events_per_s() / 1e6
    );
    for (name, b) in &loops {
        println!(
            "  {name}: {:.2} M writes/s ({:.1} M events/s), full model's ratio {:.2}x",
            b.writes_per_s() / 1e6,
            b.events_per_s() / 1e6,
            f / b.writes_per_s()
        );
    }
}

fn scaling(secs: u64) {
    let short = spawn(0, secs);
    let long = spawn(0, secs * 10);
    println!(
        "steady 3-region at {secs} s vs {} s simulated: peak RSS {} -> {} MiB, report generation {:.1} -> {:.1} ms",
        secs * 10,
        short[5],
        long[5],
        short[4].parse::<f64>().unwrap_or(0.0) * 1e3,
        long[4].parse::<f64>().unwrap_or(0.0) * 1e3
    );
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return child(&spec);
    }
    let secs = std::env::var("REGIONSIM_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60u64);
    // REGIONSIM_BENCH_PART=ratio (or table, scaling) runs one part alone.
    let part = std::env::var("REGIONSIM_BENCH_PART").unwrap_or_default();
    if part.is_empty() || part == "table" {
        table(secs);
    }
    if part.is_empty() || part == "ratio" {
        bare_ratio(secs);
    }
    if part.is_empty() || part == "scaling" {
        scaling(secs);
    }
}
