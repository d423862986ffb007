//! Sweeps: one scenario over the cross product of `--set` value lists and seeds.
//!
//! - `grid.rs`: `--set` lists, seed ranges, shards, the fixed run order.
//! - `run.rs`: the parallel engine ([`run_grid`], [`run_grid_with`]), reusable
//!   by any command that runs many (scenario, seed) pairs.
//! - `row.rs`: the flat metrics of a run; `stats.rs`: nearest-rank percentiles.
//! - `doc.rs`: sweep.json and the shard files, and merging shards.
//! - `batch.rs`: the slice of `--shard auto`, from a batch system's variables.
//!
//! Nothing here reads the environment, a clock or the file system: the CLI
//! reads the scenario file and writes the outputs.

mod batch;
mod doc;
mod grid;
mod row;
mod run;
mod stats;

pub use crate::metrics::Sample;
pub use batch::shard_from_batch_env;
pub use doc::{merge_shards, parse_shard, shard_json, sweep_json, ShardDoc, SweepDoc};
pub use grid::{split_values, Grid, Params, SeedRange, SetList, Shard, MAX_RUNS};
pub use row::{RowMetrics, RunFigures};
pub use run::{run_grid, run_grid_with, run_one, worker_pool, GridRun, Progress, RunError};
pub use stats::{nearest_rank, point_stats, PointStats, Spread, Spreads};

use crate::scenario::{parse_str, parse_with_overrides, Format, Scenario};
use serde::{Deserialize, Serialize};

/// What a sweep is: the scenario (by name and file hash) and the grid. Two
/// shards belong to one sweep exactly when their definitions are equal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub scenario: String,
    /// The scenario file as given on the command line (sweep.md's
    /// "Reproduce" line); empty in shards written before it was recorded.
    #[serde(default)]
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub regionsim_version: String,
    pub seeds: SeedRange,
    pub sets: Vec<SetList>,
    pub points: usize,
    pub runs: usize,
}

impl Definition {
    /// The grid this definition describes (checked as on the command line).
    pub fn grid(&self) -> Result<Grid, String> {
        let grid = Grid::new(self.sets.clone(), self.seeds)?;
        if grid.point_count() != self.points || grid.run_count() != self.runs {
            return Err(format!(
                "the definition says {} points and {} runs, but its seeds and sets make {} and {}",
                self.points,
                self.runs,
                grid.point_count(),
                grid.run_count()
            ));
        }
        Ok(grid)
    }
}

/// One run of the sweep: a row of sweep.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Global run index (the position in the fixed order).
    pub index: usize,
    /// Parameter point index.
    pub point: usize,
    pub params: Params,
    pub seed: u64,
    /// Budget metrics this run breached (empty: every budget held).
    pub budgets_breached: Vec<String>,
    pub metrics: RowMetrics,
}

/// A sweep ready to run: its definition, its grid, and the validated scenario
/// of every parameter point.
#[derive(Clone, Debug)]
pub struct Plan {
    pub definition: Definition,
    pub grid: Grid,
    /// One scenario per point, in point order.
    pub scenarios: Vec<Scenario>,
}

/// Parses the scenario, then applies every parameter point's overrides and
/// validates the result, before anything runs. `seeds` defaults to the
/// scenario's own seed. Errs with one message per problem (each naming the
/// file, the path and the value), deduplicated.
pub fn plan(
    text: &str,
    label: &str,
    format: Format,
    sets: Vec<SetList>,
    seeds: Option<SeedRange>,
) -> Result<Plan, Vec<String>> {
    let base = parse_str(text, label, format).map_err(|e| vec![e.to_string()])?;
    let seeds = seeds.unwrap_or(SeedRange {
        first: base.seed,
        last: base.seed,
    });
    let grid = Grid::new(sets, seeds).map_err(|e| vec![e])?;
    let mut scenarios = Vec::with_capacity(grid.point_count());
    let mut errors: Vec<String> = Vec::new();
    for p in 0..grid.point_count() {
        let params = grid.params(p);
        match parse_with_overrides(text, label, format, &params.0) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                let msg = format!("{e} [sweep point {}]", params.label());
                let key = e.to_string();
                if !errors.iter().any(|m| m.starts_with(&key)) {
                    errors.push(msg);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let definition = Definition {
        scenario: base.name.clone(),
        scenario_file: label.to_string(),
        scenario_sha256: base.source_sha256.clone(),
        regionsim_version: env!("CARGO_PKG_VERSION").to_string(),
        seeds,
        sets: grid.sets().to_vec(),
        points: grid.point_count(),
        runs: grid.run_count(),
    };
    Ok(Plan {
        definition,
        grid,
        scenarios,
    })
}

/// Turns finished runs into rows (in the order given). Errs with the runs
/// that failed, in order.
pub fn rows_from(
    grid: &Grid,
    runs: Vec<GridRun<RunFigures>>,
) -> Result<Vec<Row>, Vec<GridRun<RunFigures>>> {
    let mut rows = Vec::with_capacity(runs.len());
    let mut failed = Vec::new();
    for run in runs {
        match run.outcome {
            Ok(f) => rows.push(Row {
                index: run.index,
                point: run.point,
                params: grid.params(run.point),
                seed: run.seed,
                budgets_breached: f.budgets_breached,
                metrics: f.metrics,
            }),
            Err(e) => failed.push(GridRun {
                index: run.index,
                point: run.point,
                seed: run.seed,
                outcome: Err(e),
            }),
        }
    }
    if failed.is_empty() {
        Ok(rows)
    } else {
        Err(failed)
    }
}
