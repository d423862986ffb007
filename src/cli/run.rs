//! `regionsim run`: simulate each scenario once, write its reports, summarise.

use super::files::{write_file, write_folder};
use super::io::{error, note, out, outln, shown};
use super::output::{collect_scenarios, fmt_rate, report_dir};
use super::output::{progress_bar, timed};
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::metrics::{evaluate, RunResult};
use crate::model::SimError;
use crate::report::{human_summary, report_json, run_files, trace_json, Mechanisms};
use crate::scenario::{load_path, Scenario};
use clap::Args;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files (.toml or .json); a directory stands for every scenario below it.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Seed for the run, instead of the scenario's own `seed`.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Folder for the reports: each scenario writes to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// Print the report JSON (as in report.json) to stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Also write a Chrome trace-event JSON of the run, to open in Perfetto
    /// (ui.perfetto.dev) or chrome://tracing. With several scenarios, each
    /// writes FILE with `.<scenario name>` before the extension.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Runs every scenario; returns the worst exit code (3 > 2 > 1 > 0).
pub fn run(args: &RunArgs) -> i32 {
    let (files, errors) = collect_scenarios(&args.scenarios);
    let mut worst = EXIT_OK;
    for e in &errors {
        error(e);
        worst = worst.max(EXIT_INVALID);
    }
    let mut written = BTreeSet::new();
    let bar = progress_bar(files.len(), "run");
    let ctx = Ctx {
        many: files.len() > 1,
        json_lines: files.len() > 1 || args.scenarios.iter().any(|p| p.is_dir()),
        bar: bar.as_ref(),
    };
    let mut first = true;
    for file in &files {
        let code = run_one(file, args, &mut written, first, &ctx);
        first = false;
        worst = worst.max(code);
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    worst
}

/// What one run needs to know about the others.
struct Ctx<'a> {
    /// More than one scenario: trace files get the scenario's name.
    many: bool,
    /// `--json` prints one compact report per line (several scenarios or a folder).
    json_lines: bool,
    /// The progress bar, when stderr is a terminal (messages go above it).
    bar: Option<&'a indicatif::ProgressBar>,
}

impl Ctx<'_> {
    /// An error, above the progress bar when there is one.
    fn say(&self, msg: &str) {
        match self.bar {
            Some(b) => b.suspend(|| error(msg)),
            None => error(msg),
        }
    }

    /// A note (silenced by `--quiet`), above the progress bar.
    fn note(&self, msg: &str) {
        match self.bar {
            Some(b) => b.suspend(|| note(msg)),
            None => note(msg),
        }
    }
}

/// The trace file of one scenario: FILE itself, or with several scenarios
/// FILE with `.<name>` before its extension (`trace.json` -> `trace.dns.json`).
fn trace_path(base: &Path, name: &str, many: bool) -> PathBuf {
    if !many {
        return base.to_path_buf();
    }
    let stem = base
        .file_stem()
        .map_or_else(|| "trace".into(), |s| s.to_string_lossy().into_owned());
    let safe = report_dir(Path::new(""), name);
    let mut file = format!("{stem}.{}", safe.display());
    if let Some(ext) = base.extension() {
        file.push('.');
        file.push_str(&ext.to_string_lossy());
    }
    base.with_file_name(file)
}

fn run_one(
    file: &Path,
    args: &RunArgs,
    written: &mut BTreeSet<PathBuf>,
    first: bool,
    ctx: &Ctx,
) -> i32 {
    let scenario = match load_path(file) {
        Ok(s) => s,
        Err(e) => {
            ctx.say(&e.to_string());
            return EXIT_INVALID;
        }
    };
    let seed = args.seed.unwrap_or(scenario.seed);
    let (outcome, wall) = timed(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::progress::simulate_shown(&scenario, seed, ctx.bar.is_none())
        }))
    });
    let mut result = match outcome {
        Ok(Ok(result)) => result,
        Ok(Err(SimError::Bound(msg))) => {
            ctx.say(&format!("{}: {msg}", shown(file)));
            return EXIT_INVALID;
        }
        Ok(Err(SimError::Invariant(msg))) => return internal_error(file, seed, &msg),
        Err(_) => return internal_error(file, seed, "the simulator panicked (see above)"),
    };
    fill_budgets(&scenario, &mut result);

    let dir = report_dir(&args.out, &scenario.name);
    if !written.insert(dir.clone()) {
        ctx.note(&format!(
            "warning: {}: another scenario named {:?} in this run wrote to {} too; it is overwritten",
            shown(file),
            scenario.name,
            shown(&dir)
        ));
    }
    let json = report_json(&result);
    if let Err(msg) = write_reports(&dir, &result) {
        ctx.say(&msg);
        return EXIT_INVALID;
    }
    if let Some(base) = &args.trace {
        let path = trace_path(base, &scenario.name, ctx.many);
        if let Err(e) = write_file(&path, trace_json(&result).as_bytes()) {
            ctx.say(&format!("{}: cannot write the trace: {e}", shown(&path)));
            return EXIT_INVALID;
        }
    }

    if args.json && ctx.json_lines {
        // Serialising plain structs of numbers, strings and ordered maps cannot fail.
        out(&(serde_json::to_string(&result.report).unwrap_or_default() + "\n"));
    } else if args.json {
        out(&json);
    } else {
        if !first {
            outln("");
        }
        out(&human_summary(&result, Mechanisms::of(&scenario)));
        outln(&format!("  reports       {}", shown(&dir)));
    }
    let secs = wall.as_secs_f64();
    ctx.note(&format!(
        "{}: wall {:.3}s, {} events/s",
        scenario.name,
        secs,
        fmt_rate(result.report.metrics.events, secs)
    ));

    if result.report.budgets.iter().any(|b| !b.ok) {
        EXIT_BUDGET
    } else {
        EXIT_OK
    }
}

/// Holds the result to the scenario's budgets when the simulator has not.
fn fill_budgets(scenario: &Scenario, result: &mut RunResult) {
    if result.report.budgets.is_empty() && !scenario.budgets.is_empty() {
        result.report.budgets = evaluate(&scenario.budgets, &result.report.metrics);
    }
}

/// Writes every report file of a run (see [`run_files`]) as the folder `dir`,
/// replaced as a unit.
pub(super) fn write_reports(dir: &Path, result: &RunResult) -> Result<(), String> {
    let files: Vec<(String, String)> = run_files(result)
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    write_folder(dir, &files)
}

fn internal_error(file: &Path, seed: u64, msg: &str) -> i32 {
    error(&format!(
        "regionsim: internal error: {msg}\n\
         This is a bug in regionsim, not in the scenario.\n\
         reproduce with: regionsim run {} --seed {seed}",
        shown(file)
    ));
    EXIT_BUG
}
