//! `shrink`: a smaller scenario that still breaks the same budget.
//!
//! Delta debugging over the scenario's lists (faults, regions with everything
//! that names them, client groups, residency rules), then greedy passes over
//! its numbers (duration, drain, rate, keys, client counts: halved, or rounded
//! to one or two significant digits; fault times: rounded), each change kept
//! only when the reduced scenario is valid and its run (same seed) still
//! breaks the budget; repeated until a whole round changes nothing or the run
//! budget is spent. Candidates run in fixed-size batches on rayon and the
//! first one in order that still fails is kept, so the result does not
//! depend on the thread count. `reduce.rs` holds the reductions.

mod reduce;

pub use reduce::List;

use crate::metrics::Metric;
use crate::scenario::{parse_str, Format, Scenario};
use crate::sweep::{run_one, Progress};
use rayon::prelude::*;
use reduce::{numeric_candidates, numeric_fields};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Candidates per batch: fixed, so the composition never depends on threads.
pub const BATCH: usize = 8;

/// What must keep failing: the budget on `metric`, with `seed`.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub metric: &'static Metric,
    pub seed: u64,
}

/// The size of a scenario, as shrink reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Size {
    pub faults: usize,
    pub regions: usize,
    pub client_groups: usize,
    pub clients: u64,
    pub duration_us: u64,
    pub drain_us: u64,
    pub writes_per_sec: f64,
    pub keys: u32,
}

impl Size {
    pub fn of(s: &Scenario) -> Size {
        Size {
            faults: s.faults.len(),
            regions: s.regions.len(),
            client_groups: s.workload.clients.len(),
            clients: s.workload.clients.iter().map(|c| u64::from(c.count)).sum(),
            duration_us: s.duration_us,
            drain_us: s.drain_us,
            writes_per_sec: s.workload.writes_per_sec,
            keys: s.workload.keys,
        }
    }

    /// One line: `faults 2, regions 3, client groups 1 (200 clients), ...`.
    pub fn line(&self) -> String {
        use crate::engine::time::fmt_duration;
        format!(
            "faults {}, regions {}, client groups {} ({} clients), duration {}, drain {}, {} writes/s, keys {}",
            self.faults,
            self.regions,
            self.client_groups,
            self.clients,
            fmt_duration(self.duration_us),
            fmt_duration(self.drain_us),
            self.writes_per_sec,
            self.keys
        )
    }
}

/// The outcome: the reduced tree, what was removed or changed (in order) and
/// how many runs it took.
#[derive(Clone, Debug)]
pub struct Shrunk {
    pub tree: Value,
    pub removed: Vec<String>,
    pub runs: usize,
    /// The run budget ran out before nothing more could be removed.
    pub exhausted: bool,
}

/// The validated scenario of a tree, if it is valid.
pub fn scenario_of(tree: &Value) -> Option<Scenario> {
    let text = serde_json::to_string(tree).ok()?;
    parse_str(&text, "shrink candidate", Format::Json).ok()
}

/// Whether `s` breaks the budget on `target.metric` with `target.seed`.
pub fn breaks(s: &Scenario, target: Target) -> bool {
    run_one(s, target.seed).is_ok_and(|r| {
        r.report
            .budgets
            .iter()
            .any(|b| !b.ok && b.metric == target.metric.name)
    })
}

struct Shrinker<'a> {
    target: Target,
    max_runs: usize,
    pool: rayon::ThreadPool,
    progress: Progress<'a>,
    runs: usize,
    done: AtomicUsize,
}

impl Shrinker<'_> {
    /// The first candidate, in order, that still fails (batches of [`BATCH`]).
    fn first_failing(&mut self, candidates: &[(Value, String)]) -> Option<usize> {
        for (b, chunk) in candidates.chunks(BATCH).enumerate() {
            let room = self.max_runs.saturating_sub(self.runs);
            let chunk = chunk.get(..chunk.len().min(room)).unwrap_or(&[]);
            if chunk.is_empty() {
                return None;
            }
            let (target, done, progress, max) =
                (self.target, &self.done, self.progress, self.max_runs);
            let fails: Vec<bool> = self.pool.install(|| {
                chunk
                    .par_iter()
                    .with_max_len(1)
                    .map(|(tree, _)| {
                        let f = scenario_of(tree).is_some_and(|s| breaks(&s, target));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, max);
                        f
                    })
                    .collect()
            });
            self.runs += chunk.len();
            if let Some(i) = fails.iter().position(|&f| f) {
                return Some(b * BATCH + i);
            }
        }
        None
    }

    /// Delta debugging (complements only) over one list.
    fn ddmin(&mut self, tree: &mut Value, list: List, removed: &mut Vec<String>) -> bool {
        let mut changed = false;
        let mut n = list.len(tree);
        let mut gran = n.min(2);
        while n > 0 && gran > 0 && self.runs < self.max_runs {
            let chunks: Vec<Vec<usize>> = (0..gran)
                .map(|c| (c * n / gran..(c + 1) * n / gran).collect())
                .filter(|c: &Vec<usize>| !c.is_empty())
                .collect();
            let candidates: Vec<(Value, String)> = chunks
                .iter()
                .filter_map(|c| {
                    let what = c
                        .iter()
                        .map(|&i| list.describe(tree, i))
                        .collect::<Vec<_>>();
                    list.without(tree, c).map(|t| (t, what.join("; ")))
                })
                .collect();
            match self.first_failing(&candidates) {
                Some(i) => {
                    let Some((t, what)) = candidates.into_iter().nth(i) else {
                        break;
                    };
                    *tree = t;
                    removed.push(what);
                    changed = true;
                    n = list.len(tree);
                    gran = (gran.saturating_sub(1)).max(2).min(n);
                }
                None if gran >= n => break,
                None => gran = (gran * 2).min(n),
            }
        }
        changed
    }

    /// Greedy passes over the numbers: for each field, keep taking the most
    /// reduced value that still fails.
    fn numbers(&mut self, tree: &mut Value, removed: &mut Vec<String>) -> bool {
        let mut changed = false;
        for (path, kind, round_only) in numeric_fields(tree) {
            let mut first: Option<String> = None;
            let mut last = String::new();
            while self.runs < self.max_runs {
                let candidates = numeric_candidates(tree, &path, kind, round_only);
                let Some(i) = self.first_failing(&candidates) else {
                    break;
                };
                let Some((t, what)) = candidates.into_iter().nth(i) else {
                    break;
                };
                *tree = t;
                // `path old -> new`: one entry per field, from the first old
                // value to the last new one.
                let (from, to) = what.split_once(" -> ").unwrap_or((&what, ""));
                first.get_or_insert_with(|| from.to_string());
                last = to.to_string();
                changed = true;
            }
            if let Some(from) = first {
                removed.push(format!("{from} -> {last}"));
            }
        }
        changed
    }
}

/// Shrinks `tree` (a scenario that breaks the budget on `target.metric` with
/// `target.seed`) in at most `max_runs` runs on `threads` threads.
pub fn shrink(
    tree: Value,
    target: Target,
    max_runs: usize,
    threads: usize,
    progress: Progress,
) -> Result<Shrunk, String> {
    let pool = crate::sweep::worker_pool(threads)?;
    let mut s = Shrinker {
        target,
        max_runs,
        pool,
        progress,
        runs: 0,
        done: AtomicUsize::new(0),
    };
    let mut tree = tree;
    let mut removed = Vec::new();
    loop {
        let mut changed = false;
        for list in List::ALL {
            changed |= s.ddmin(&mut tree, list, &mut removed);
        }
        changed |= s.numbers(&mut tree, &mut removed);
        if !changed || s.runs >= s.max_runs {
            break;
        }
    }
    if let Some(obj) = tree.as_object_mut() {
        obj.insert("seed".to_string(), Value::from(target.seed));
    }
    Ok(Shrunk {
        tree,
        removed,
        runs: s.runs,
        exhausted: s.runs >= s.max_runs,
    })
}
