//! `regionsim compare`: figures measured on a game day beside the simulated
//! ones (over `--seeds`), printed and written as `<out>/<name>/compare.md`.

use super::files::write_folder;
use super::io::{error, out, shown};
use super::output::{progress_bar, report_dir, seeds_arg};
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::compare::{
    compare as compare_figures, compare_md, measured_breaches, parse_measured, simulated, Figure,
};
use crate::metrics::Sample;
use crate::scenario::load_path;
use crate::sweep::{run_grid_with, RunError};
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest MEASURED.json read (it holds four figures).
const MAX_MEASURED_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario file (.toml or .json) the game day reproduced.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The figures measured on the game day, as JSON:
    /// {"rto": "94s", "rpo": "2s", "lost_writes": 120, "detection": "30s"} (any of them).
    #[arg(value_name = "MEASURED.json")]
    pub measured: PathBuf,
    /// Inclusive range of seeds, such as 1..20: the measured figures are placed
    /// among the simulated percentiles. Without it, the scenario's own seed.
    #[arg(long, value_name = "A..B")]
    pub seeds: Option<String>,
    /// Folder for compare.md: OUT/<scenario name>/compare.md.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

/// Runs the comparison: 1 when a measured figure breaks one of the scenario's
/// budgets (the game day breached it), else 0 once written; 2 on invalid
/// input, 3 when the simulator broke an invariant.
pub fn compare(args: &CompareArgs) -> i32 {
    let range = match seeds_arg(args.seeds.as_deref(), "comparison") {
        Ok(r) => r,
        Err(m) => {
            error(&m);
            return EXIT_INVALID;
        }
    };
    let scenario = match load_path(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            error(&e.to_string());
            return EXIT_INVALID;
        }
    };
    let measured = match read_measured(&args.measured).and_then(|t| parse_measured(&t)) {
        Ok(m) => m,
        Err(m) => {
            error(&format!("{}: {m}", shown(&args.measured)));
            return EXIT_INVALID;
        }
    };
    let seeds: Vec<u64> = match range {
        Some(r) => (r.first..=r.last).collect(),
        None => vec![scenario.seed],
    };
    let indices: Vec<usize> = (0..seeds.len()).collect();
    let bar = progress_bar(seeds.len(), "compare");
    let tick = |_: usize, _: usize| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runs = run_grid_with(
        std::slice::from_ref(&scenario),
        &seeds,
        &indices,
        threads,
        &tick,
        |_, r| Figure::ALL.map(|f| simulated(f, r)),
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let runs = match runs {
        Ok(r) => r,
        Err(m) => {
            error(&m);
            return EXIT_INVALID;
        }
    };
    let label = shown(&args.scenario);
    let mut figures: Vec<(u64, [Option<Sample>; 4])> = Vec::with_capacity(runs.len());
    for run in runs {
        match run.outcome {
            Ok(f) => figures.push((run.seed, f)),
            Err(RunError::Bound(m)) => {
                error(&format!("{label} (seed {}): {m}", run.seed));
                return EXIT_INVALID;
            }
            Err(e) => {
                error(&format!(
                    "regionsim: internal error: {e}\nThis is a bug in regionsim, not in the scenario.\n\
                     reproduce with: regionsim run {label} --seed {}",
                    run.seed
                ));
                return EXIT_BUG;
            }
        }
    }
    let c = compare_figures(&scenario.name, &label, &measured, &figures, range.is_some());
    let mut md = compare_md(&c);
    let breaches = measured_breaches(&scenario.budgets, &measured);
    if !breaches.is_empty() {
        md.push_str("\n## Budgets the game day breached\n\n");
        md.push_str(&breaches.join("\n"));
        md.push('\n');
    }
    let dir = report_dir(&args.out, &scenario.name);
    if let Err(msg) = write_folder(&dir, &[("compare.md".to_string(), md.clone())]) {
        error(&msg);
        return EXIT_INVALID;
    }
    out(&md);
    if breaches.is_empty() {
        EXIT_OK
    } else {
        EXIT_BUDGET
    }
}

/// MEASURED.json as text, at most [`MAX_MEASURED_BYTES`] (a pipe is fine).
fn read_measured(path: &Path) -> Result<String, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("is a directory; name the JSON file of measured figures".to_string());
    }
    let mut bytes = Vec::new();
    f.take(MAX_MEASURED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_MEASURED_BYTES {
        return Err(format!(
            "larger than {MAX_MEASURED_BYTES} bytes; it should hold four figures"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

/// `compare --help`'s example.
pub const EXAMPLE: &str = "\
Examples:
  echo '{\"rto\": \"2m31s\", \"rpo\": \"40ms\", \"lost_writes\": 35, \"detection\": \"88s\"}' > measured.json
  regionsim compare scenarios/ap-async-dns.toml measured.json --seeds 1..20
    runs seeds 1 to 20 in parallel and prints, per figure, the measured value beside
    the simulated min/p50/p95/p99/max and the measured value's percentile rank among
    the seeds; a figure outside the simulated range is flagged as off; writes
    reports/ap-async-dns/compare.md
  regionsim compare scenarios/ap-async-dns.toml measured.json
    one run with the scenario's own seed; a figure more than 25% away is off

MEASURED.json keys: rto, rpo, detection (duration strings such as \"94s\", \"1m30s\";
rto may be null: not recovered) and lost_writes (a whole number); any subset.
Exit codes: 0 written, 1 written and a measured figure breaks one of the scenario's
[budgets] (the game day breached it), 2 invalid input (unknown key, bad value),
3 internal error (a bug).";
