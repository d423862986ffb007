//! The search: the original run, fault times just before and after each
//! control-plane instant, random points, then a local search (pattern search
//! with halving steps) around the worst points found. Candidates run in
//! fixed-size batches on a rayon pool; which points a batch holds depends only
//! on earlier results, never on the thread count, so the outcome is the same
//! for any `--jobs`.

use super::instants::{candidates, instants, spread, EPSILON_US};
use super::space::{Point, Space};
use crate::metrics::catalogue::Better;
use crate::metrics::{Metric, RunResult, Sample};
use crate::scenario::Scenario;
use crate::sweep::{run_one, Progress, RunError};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

/// Candidates per batch: fixed, so that a batch's composition never depends
/// on the number of threads.
pub const BATCH: usize = 16;

/// How many of the worst points the local search starts from.
const STARTS: usize = 4;

/// The random stream of the search (apart from every stream of a run).
const STREAM: u64 = 0x6578_706c_6f72_6521;

/// How a candidate was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Original,
    Instant,
    Random,
    Refine,
}

/// One candidate tried, and its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Tried {
    pub index: usize,
    pub phase: Phase,
    pub why: String,
    pub point: Point,
    pub value: Sample,
    /// The budgets this run breached (metric names).
    pub breached: Vec<String>,
}

/// The whole search.
#[derive(Debug)]
pub struct Exploration {
    pub metric: &'static Metric,
    pub space: Space,
    /// Every candidate, in the order tried; the original first.
    pub tried: Vec<Tried>,
    /// Index of the worst candidate (the earliest among equals).
    pub worst: usize,
    /// Control-plane instants found in the first run.
    pub instants: usize,
}

impl Exploration {
    pub fn worst(&self) -> Option<&Tried> {
        self.tried.get(self.worst)
    }

    pub fn original(&self) -> Option<&Tried> {
        self.tried.first()
    }
}

/// Why the search stopped without a result.
#[derive(Debug)]
pub enum ExploreError {
    /// The worker pool could not start.
    Pool(String),
    /// A candidate's run gave no result.
    Run { point: Point, error: RunError },
}

/// Whether `a` is strictly worse than `b` for `metric`.
pub fn worse(metric: &Metric, a: Sample, b: Sample) -> bool {
    match metric.better {
        Better::Higher => a.total_cmp(&b) == Ordering::Less,
        Better::Lower | Better::Neither => a.total_cmp(&b) == Ordering::Greater,
    }
}

struct Search<'a> {
    s: &'a Scenario,
    metric: &'static Metric,
    space: &'a Space,
    runs: usize,
    pool: rayon::ThreadPool,
    progress: Progress<'a>,
    done: AtomicUsize,
    tried: Vec<Tried>,
    seen: BTreeSet<Point>,
}

/// The metric and the breached budgets of a run.
fn outcome(metric: &Metric, r: &RunResult) -> (Sample, Vec<String>) {
    let breached = r
        .report
        .budgets
        .iter()
        .filter(|b| !b.ok)
        .map(|b| b.metric.clone())
        .collect();
    ((metric.read)(&r.report.metrics), breached)
}

impl Search<'_> {
    fn left(&self) -> usize {
        self.runs.saturating_sub(self.tried.len())
    }

    /// Runs `batch` (unseen points) in chunks of [`BATCH`]; returns the
    /// indexes of the new candidates.
    fn run(&mut self, batch: Vec<(Point, Phase, String)>) -> Result<Vec<usize>, ExploreError> {
        let mut added = Vec::new();
        for chunk in batch.chunks(BATCH) {
            let (s, space, metric) = (self.s, self.space, self.metric);
            let (done, progress, total) = (&self.done, self.progress, self.runs);
            let results: Vec<Result<(Sample, Vec<String>), RunError>> = self.pool.install(|| {
                chunk
                    .par_iter()
                    .with_max_len(1)
                    .map(|(p, _, _)| {
                        let r = run_one(&space.apply(s, p), p.seed).map(|r| outcome(metric, &r));
                        let d = done.fetch_add(1, AtomicOrdering::Relaxed) + 1;
                        progress(d, total);
                        r
                    })
                    .collect()
            });
            for ((point, phase, why), r) in chunk.iter().zip(results) {
                let (value, breached) = r.map_err(|error| ExploreError::Run {
                    point: point.clone(),
                    error,
                })?;
                self.seen.insert(point.clone());
                added.push(self.tried.len());
                self.tried.push(Tried {
                    index: self.tried.len(),
                    phase: *phase,
                    why: why.clone(),
                    point: point.clone(),
                    value,
                    breached,
                });
            }
        }
        Ok(added)
    }

    /// `p` normalized, unless it was tried already or is queued in `batch`.
    fn fresh(&self, p: Point, batch: &[(Point, Phase, String)]) -> Option<Point> {
        let p = self.space.normalize(self.s, p);
        (!self.seen.contains(&p) && !batch.iter().any(|(q, _, _)| *q == p)).then_some(p)
    }

    fn random(&mut self, n: usize) -> Result<(), ExploreError> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.s.seed);
        rng.set_stream(STREAM);
        let mut batch = Vec::new();
        let mut attempts = 0;
        while batch.len() < n && attempts < n * 4 {
            attempts += 1;
            let values = self
                .space
                .knobs
                .iter()
                .map(|k| rng.random_range(k.lo_us..=k.hi_us))
                .collect();
            let seed = if self.space.vary_seed {
                rng.random_range(0..1_000_000)
            } else {
                self.s.seed
            };
            if let Some(p) = self.fresh(Point { values, seed }, &batch) {
                batch.push((p, Phase::Random, "uniformly random".to_string()));
            }
        }
        self.run(batch).map(|_| ())
    }

    /// Pattern search from `start`: each knob one step either way; move to
    /// the worst neighbour when it is worse, else halve every step.
    fn refine(&mut self, start: usize) -> Result<(), ExploreError> {
        let Some(mut cur) = self.tried.get(start).cloned() else {
            return Ok(());
        };
        let mut steps: Vec<u64> = (self.space.knobs.iter())
            .map(|k| ((k.hi_us - k.lo_us) / 16).max(EPSILON_US))
            .collect();
        while self.left() > 0 && steps.iter().any(|&s| s >= EPSILON_US) {
            let mut batch = Vec::new();
            for (k, &step) in steps.iter().enumerate() {
                let Some(&v) = cur.point.values.get(k) else {
                    continue;
                };
                let path = self
                    .space
                    .knobs
                    .get(k)
                    .map(|k| k.path())
                    .unwrap_or_default();
                for (value, sign) in [(v.saturating_sub(step), "-"), (v.saturating_add(step), "+")]
                {
                    let mut p = cur.point.clone();
                    if let Some(slot) = p.values.get_mut(k) {
                        *slot = value;
                    }
                    if let Some(p) = self.fresh(p, &batch) {
                        let why = format!(
                            "refine around #{}: {path} {sign}{}",
                            cur.index,
                            crate::engine::time::fmt_duration(step)
                        );
                        batch.push((p, Phase::Refine, why));
                    }
                }
            }
            batch.truncate(self.left());
            let added = self.run(batch)?;
            let best =
                added
                    .iter()
                    .filter_map(|&i| self.tried.get(i))
                    .fold(None::<&Tried>, |acc, t| match acc {
                        Some(a) if !worse(self.metric, t.value, a.value) => Some(a),
                        _ => Some(t),
                    });
            match best {
                Some(b) if worse(self.metric, b.value, cur.value) => cur = b.clone(),
                _ => steps.iter_mut().for_each(|s| *s /= 2),
            }
        }
        Ok(())
    }

    /// The worst candidates with distinct values of the metric, worst first
    /// (the earliest among equals).
    fn worst_starts(&self) -> Vec<usize> {
        let mut order: Vec<&Tried> = self.tried.iter().collect();
        order.sort_by(|a, b| {
            if worse(self.metric, a.value, b.value) {
                Ordering::Less
            } else if worse(self.metric, b.value, a.value) {
                Ordering::Greater
            } else {
                a.index.cmp(&b.index)
            }
        });
        let mut out: Vec<usize> = Vec::new();
        for t in order {
            if out.len() == STARTS {
                break;
            }
            if !out
                .iter()
                .any(|&i| self.tried.get(i).is_some_and(|o| o.point == t.point))
            {
                out.push(t.index);
            }
        }
        out
    }
}

/// Searches `space` around scenario `s` for the worst `metric`, in at most
/// `runs` runs (at least 1: the original) on `threads` threads.
pub fn explore(
    s: &Scenario,
    metric: &'static Metric,
    space: Space,
    runs: usize,
    threads: usize,
    progress: Progress,
) -> Result<Exploration, ExploreError> {
    let pool = crate::sweep::worker_pool(threads).map_err(ExploreError::Pool)?;
    let original = space.original(s);
    let first = run_one(s, s.seed).map_err(|error| ExploreError::Run {
        point: original.clone(),
        error,
    })?;
    progress(1, runs.max(1));
    let (value, breached) = outcome(metric, &first);
    let mut search = Search {
        s,
        metric,
        space: &space,
        runs: runs.max(1),
        pool,
        progress,
        done: AtomicUsize::new(1),
        tried: Vec::new(),
        seen: BTreeSet::new(),
    };
    search.seen.insert(original.clone());
    search.tried.push(Tried {
        index: 0,
        phase: Phase::Original,
        why: "the scenario as written".to_string(),
        point: original.clone(),
        value,
        breached,
    });
    let found = instants(s, &first);
    drop(first);
    let remaining = search.left();
    let all = candidates(s, &space, &original, &found);
    let picked = spread(&all, remaining * 3 / 5);
    let n_instant = picked.len();
    let batch = picked
        .into_iter()
        .map(|(p, why)| (p, Phase::Instant, why))
        .collect();
    search.run(batch)?;
    let reserve = if space.knobs.is_empty() {
        0
    } else {
        remaining / 4
    };
    let n_random = remaining.saturating_sub(n_instant + reserve);
    if !space.knobs.is_empty() || space.vary_seed {
        search.random(n_random)?;
    }
    for start in search.worst_starts() {
        if search.left() == 0 {
            break;
        }
        search.refine(start)?;
    }
    let worst = search.worst_starts().first().copied().unwrap_or(0);
    Ok(Exploration {
        metric,
        space: space.clone(),
        tried: search.tried,
        worst,
        instants: found.len(),
    })
}
