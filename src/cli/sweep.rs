//! `regionsim sweep`: one scenario over seeds and `--set` parameter grids, in
//! parallel, optionally one shard of it; writes sweep.json, sweep.md, charts.
//!
//! Shards: `--shard K/N` (1-based, 1 <= K <= N) runs the runs `i` with
//! `i % N == K - 1` and writes `<out>/<name>/shard-K-of-N.json`. `--shard auto`
//! takes K and N from the batch system's environment (see
//! [`shard_from_batch_env`](crate::sweep::shard_from_batch_env)); this is the
//! only place that reads it.

use super::files::write_folder;
use super::io::{error, note, out, outln, shown};
use super::output::{progress_bar, report_dir, timed};
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::report::sweep_files;
use crate::scenario::Format;
use crate::sweep::{
    plan, rows_from, run_grid, shard_from_batch_env, shard_json, GridRun, Plan, RunError,
    RunFigures, SeedRange, SetList, Shard, SweepDoc,
};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (.toml or .json).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Seeds, an inclusive range A..B (default: the scenario's own seed).
    #[arg(long, value_name = "A..B")]
    pub seeds: Option<String>,
    /// A parameter and its values, PATH=V1,V2,... (repeatable; the cross
    /// product of every list is run). Values are validated like the file's own.
    #[arg(long = "set", value_name = "PATH=V1,V2,...")]
    pub sets: Vec<String>,
    /// Run only slice K of N (1-based) and write shard-K-of-N.json; `auto`
    /// reads the slice from a Kubernetes Indexed Job or a Slurm array.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Worker threads (default: every core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: Option<u32>,
    /// Folder for the outputs: they go to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

/// Runs the sweep; exit 0, 1 (some run breached a budget), 2 (invalid input)
/// or 3 (a run broke an invariant of the simulator).
pub fn sweep(args: &SweepArgs) -> i32 {
    match sweep_inner(args) {
        Ok(code) => code,
        Err((code, messages)) => {
            for m in messages {
                error(&m);
            }
            code
        }
    }
}

type Failure = (i32, Vec<String>);

fn invalid(m: String) -> Failure {
    (EXIT_INVALID, vec![m])
}

fn sweep_inner(args: &SweepArgs) -> Result<i32, Failure> {
    let sets = args
        .sets
        .iter()
        .map(|s| SetList::parse(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let seeds = args
        .seeds
        .as_deref()
        .map(SeedRange::parse)
        .transpose()
        .map_err(invalid)?;
    let shard = match args.shard.as_deref() {
        None => None,
        Some("auto") => Some(shard_from_batch_env(|k| std::env::var(k).ok()).map_err(invalid)?),
        Some(text) => Some(Shard::parse(text).map_err(invalid)?),
    };
    let file = &args.scenario;
    let label = shown(file);
    let format = Format::from_path(file).ok_or_else(|| {
        invalid(format!(
            "{label}: file name: unknown scenario file extension; accepted: .toml or .json"
        ))
    })?;
    let text = crate::scenario::read_source(file).map_err(|e| invalid(e.to_string()))?;
    let plan = plan(&text, &label, format, sets, seeds).map_err(|m| (EXIT_INVALID, m))?;
    let threads = args.jobs.map_or_else(default_threads, |j| j as usize);
    let indices: Vec<usize> = (0..plan.grid.run_count())
        .filter(|i| shard.is_none_or(|s| s.contains(*i)))
        .collect();

    let bar = progress_bar(indices.len(), "sweep");
    let tick = |_: usize, _: usize| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let seed_list = plan.grid.seed_list();
    let (runs, wall) = timed(|| run_grid(&plan.scenarios, &seed_list, &indices, threads, &tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let runs = runs.map_err(|m| invalid(format!("{m}; try a smaller --jobs")))?;
    let rows = rows_from(&plan.grid, runs).map_err(|failed| failures(&label, &plan, &failed))?;
    let dir = report_dir(&args.out, &plan.definition.scenario);
    note(&format!(
        "{}: {} runs on {threads} thread(s) in {:.3}s wall",
        plan.definition.scenario,
        rows.len(),
        wall.as_secs_f64()
    ));
    let breached = rows
        .iter()
        .filter(|r| !r.budgets_breached.is_empty())
        .count();
    if let Some(shard) = shard {
        let path = dir.join(shard.file_name());
        let json = shard_json(&plan.definition, shard, &rows);
        write_files(&dir, &[(shard.file_name(), json)]).map_err(invalid)?;
        outln(&format!(
            "{}  shard {shard}: {} of {} runs, {breached} breaching a budget",
            plan.definition.scenario,
            rows.len(),
            plan.definition.runs
        ));
        outln(&format!("  wrote {}", shown(&path)));
        return Ok(if breached > 0 { EXIT_BUDGET } else { EXIT_OK });
    }
    let doc = SweepDoc::assemble(plan.definition, rows).map_err(|m| (EXIT_BUG, vec![m]))?;
    write_sweep(&args.out, &doc).map_err(invalid)
}

/// Writes every file of `doc` under `<out>/<name>/`, prints the summary, and
/// returns the exit code (1 when some run breached a budget).
pub(super) fn write_sweep(out_dir: &Path, doc: &SweepDoc) -> Result<i32, String> {
    let dir = report_dir(out_dir, &doc.definition.scenario);
    write_files(&dir, &sweep_files(doc))?;
    out(&summary(doc));
    outln(&format!("  reports   {}", shown(&dir)));
    Ok(if doc.any_breach() {
        EXIT_BUDGET
    } else {
        EXIT_OK
    })
}

fn write_files(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    write_folder(dir, files)
}

/// A few lines for the terminal: per point, the medians that matter most.
fn summary(doc: &SweepDoc) -> String {
    let d = &doc.definition;
    let short: String = d.scenario_sha256.chars().take(12).collect();
    let mut s = format!(
        "{}  sha256 {short}  {} runs ({} points x {} seeds {})\n",
        d.scenario,
        d.runs,
        d.points,
        d.seeds.count(),
        d.seeds
    );
    // The median of a catalogue metric, for people.
    let median = |p: &crate::sweep::PointStats, name: &str| match crate::metrics::metric(name) {
        Some(def) => p
            .metrics
            .get(def.column_key())
            .map_or_else(|| "-".to_string(), |s| def.cell(s.p50)),
        None => "-".to_string(),
    };
    for p in &doc.points {
        s.push_str(&format!(
            "  {}  median: RPO {}  RTO {}  lost {}  availability {}\n",
            p.params.label(),
            median(p, "rpo"),
            median(p, "rto"),
            median(p, "lost_writes"),
            median(p, "availability")
        ));
    }
    let breached = doc
        .rows
        .iter()
        .filter(|r| !r.budgets_breached.is_empty())
        .count();
    if breached == 0 {
        s.push_str("  budgets   held in every run\n");
    } else {
        s.push_str(&format!(
            "  budgets   {breached} of {} runs breached a budget\n",
            d.runs
        ));
    }
    s
}

/// Messages and the exit code for runs that gave no result.
fn failures(label: &str, plan: &Plan, failed: &[GridRun<RunFigures>]) -> Failure {
    let mut code = EXIT_INVALID;
    let mut msgs = Vec::new();
    for f in failed {
        let Err(e) = &f.outcome else { continue };
        let params = plan.grid.params(f.point);
        let mut repro = format!("regionsim sweep {label} --seeds {}..{}", f.seed, f.seed);
        for (p, v) in &params.0 {
            repro.push_str(&format!(" --set '{p}={v}'"));
        }
        match e {
            RunError::Bound(m) => msgs.push(format!(
                "{label}: run {} ({}, seed {}): {m}",
                f.index,
                params.label(),
                f.seed
            )),
            RunError::Invariant(_) | RunError::Panic(_) => {
                code = EXIT_BUG;
                msgs.push(format!(
                    "regionsim: internal error in run {} ({}, seed {}): {e}\n\
                     This is a bug in regionsim, not in the scenario.\nreproduce with: {repro} --jobs 1",
                    f.index,
                    params.label(),
                    f.seed
                ));
            }
        }
    }
    (code, msgs)
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
