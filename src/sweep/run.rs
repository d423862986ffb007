//! The parallel engine: runs (scenario, seed) pairs on a local rayon pool.
//!
//! Every run is single-threaded and independent; the pool only spreads runs
//! over threads. Results come back in the order of the requested indices,
//! whatever the thread count, so the output never depends on scheduling.
//! `regionsim sweep` uses [`run_grid`]; a command that needs more of each run
//! (such as `check --seeds`, which keeps the budget outcomes) uses
//! [`run_grid_with`] with its own extraction.

use super::row::RunFigures;
use crate::metrics::{evaluate, RunResult};
use crate::model::{simulate, Bounds, SimError};
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why one run gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The scenario exceeds a bound of the simulator (invalid input: exit 2).
    Bound(String),
    /// The simulator broke one of its own invariants (a bug: exit 3).
    Invariant(String),
    /// The simulator panicked (a bug: exit 3).
    Panic(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Bound(m) => f.write_str(m),
            RunError::Invariant(m) => write!(f, "internal invariant broken: {m}"),
            RunError::Panic(m) => write!(f, "the simulator panicked: {m}"),
        }
    }
}

/// One run of a grid: where it sits and what came of it.
#[derive(Clone, Debug, PartialEq)]
pub struct GridRun<T> {
    /// Global run index: `point * seeds.len() + seed position`.
    pub index: usize,
    pub point: usize,
    pub seed: u64,
    pub outcome: Result<T, RunError>,
}

/// A rayon pool of `threads` workers (at least one) for independent runs.
pub fn worker_pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| format!("cannot start {} worker threads: {e}", threads.max(1)))
}

/// Called after each finished run with (runs done, runs requested), from
/// whichever worker thread finished it.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Runs the given global `indices` of the grid `points` x `seeds` (run `i` is
/// point `i / seeds.len()` with seed `seeds[i % seeds.len()]`) on a pool of
/// `threads` threads (at least 1), and returns the sweep figures of each run
/// in the order of `indices`. Budgets are evaluated against each point's own
/// `[budgets]`. Errs only when the thread pool cannot be built.
pub fn run_grid(
    points: &[Scenario],
    seeds: &[u64],
    indices: &[usize],
    threads: usize,
    progress: Progress,
) -> Result<Vec<GridRun<RunFigures>>, String> {
    run_grid_with(points, seeds, indices, threads, progress, |_, r| {
        RunFigures::from(r)
    })
}

/// Like [`run_grid`], with `extract` choosing what to keep of each run (the
/// full result is dropped right after, so that a large grid stays small in
/// memory). `extract` sees the result with its budgets evaluated.
pub fn run_grid_with<T, F>(
    points: &[Scenario],
    seeds: &[u64],
    indices: &[usize],
    threads: usize,
    progress: Progress,
    extract: F,
) -> Result<Vec<GridRun<T>>, String>
where
    T: Send,
    F: Fn(&Scenario, &RunResult) -> T + Sync,
{
    let pool = worker_pool(threads)?;
    let done = AtomicUsize::new(0);
    let total = indices.len();
    let n = seeds.len().max(1);
    let one = |&index: &usize| {
        let point = index / n;
        let seed = seeds.get(index % n).copied().unwrap_or(0);
        let outcome = match points.get(point) {
            Some(scenario) if !seeds.is_empty() => {
                run_one(scenario, seed).map(|r| extract(scenario, &r))
            }
            _ => Err(RunError::Invariant(format!(
                "run {index} is outside the grid of {} points x {} seeds",
                points.len(),
                seeds.len()
            ))),
        };
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(d, total);
        GridRun {
            index,
            point,
            seed,
            outcome,
        }
    };
    // One run per task: runs are long and uneven, so fine-grained stealing
    // keeps every thread busy to the end.
    Ok(pool.install(|| indices.par_iter().with_max_len(1).map(one).collect()))
}

/// One run with its budgets evaluated; a panic becomes an error.
pub fn run_one(scenario: &Scenario, seed: u64) -> Result<RunResult, RunError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        simulate(scenario, seed, Bounds::default())
    }));
    let mut result = match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(SimError::Bound(m))) => return Err(RunError::Bound(m)),
        Ok(Err(SimError::Invariant(m))) => return Err(RunError::Invariant(m)),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_string());
            return Err(RunError::Panic(msg));
        }
    };
    if result.report.budgets.is_empty() && !scenario.budgets.is_empty() {
        result.report.budgets = evaluate(&scenario.budgets, &result.report.metrics);
    }
    Ok(result)
}
