//! Sweep benchmark: a 16-seed sweep of scenarios/sweep-dns-ttl.toml on 1 and
//! on 2 worker threads, best of `REGIONSIM_BENCH_REPEAT` (default 3) each.
//! Prints the wall times and the speed-up (runs are independent and
//! single-threaded, so 2 threads should come close to 2x on 2 idle cores).
//! Run with `cargo bench --bench sweep` (plain harness: prints, asserts nothing).

use regionsim::scenario::Format;
use regionsim::sweep::{plan, run_grid, SeedRange};

const SCENARIO: &str = include_str!("../scenarios/sweep-dns-ttl.toml");

#[allow(clippy::disallowed_methods)]
fn sweep_secs(threads: usize) -> f64 {
    let seeds = SeedRange { first: 1, last: 16 };
    let p = plan(
        SCENARIO,
        "sweep-dns-ttl.toml",
        Format::Toml,
        Vec::new(),
        Some(seeds),
    )
    .expect("valid scenario");
    let seed_list = p.grid.seed_list();
    let indices: Vec<usize> = (0..p.grid.run_count()).collect();
    let start = std::time::Instant::now();
    let runs =
        run_grid(&p.scenarios, &seed_list, &indices, threads, &|_, _| {}).expect("thread pool");
    let secs = start.elapsed().as_secs_f64();
    assert!(runs.iter().all(|r| r.outcome.is_ok()), "every run succeeds");
    secs
}

fn main() {
    let repeat = std::env::var("REGIONSIM_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    let best = |threads| {
        (0..repeat)
            .map(|_| sweep_secs(threads))
            .fold(f64::INFINITY, f64::min)
    };
    let one = best(1);
    let two = best(2);
    println!(
        "sweep of 16 seeds (sweep-dns-ttl): 1 thread {one:.3} s, 2 threads {two:.3} s, speed-up {:.2}x (best of {repeat}; {} cores available)",
        one / two,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
