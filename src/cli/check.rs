//! `regionsim check`: run scenarios (over a range of seeds, in parallel) and
//! hold them to their `[budgets]`; compare with a baseline; write JUnit XML.

use super::files::write_file;
use super::io::{error, note, out, shown};
use super::output::timed;
use super::output::{collect_scenarios, report_dir, seeds_arg};
use super::run::write_reports;
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::metrics::{BudgetOutcome, Metrics, RunResult, Tolerance};
use crate::report::{
    check_text, compare, junit_xml, parse_baseline, Baseline, BaselineCheck, BudgetRuns, Problem,
    ScenarioCheck,
};
use crate::scenario::{load_path, Scenario};
use crate::sweep::{run_grid_with, run_one, RunError, SeedRange};
use clap::Args;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files, or directories holding them (.toml and .json below, sorted).
    #[arg(required = true, value_name = "SCENARIO|DIR")]
    pub paths: Vec<PathBuf>,
    /// Inclusive range of seeds, such as 1..20: every budget must hold on every seed.
    /// Without it, each scenario runs once with its own seed.
    #[arg(long, value_name = "A..B")]
    pub seeds: Option<String>,
    /// Write JUnit XML here: one testsuite per scenario, one testcase per budget.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the whole result (per scenario, per budget, per seed, baseline,
    /// problems) here as one JSON document.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Compare with earlier reports: DIR/<scenario name>/report.json, as written
    /// by `regionsim run --out DIR`. A headline metric that got worse fails.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// How much worse than the baseline a metric may get before it fails: a
    /// percentage (or fraction) of the baseline value plus one unit of the
    /// metric's resolution (1 ms, 1 write, 0.000001 of availability); 0 = exact.
    /// An identical run never regresses, whatever the tolerance.
    #[arg(long, value_name = "PCT", default_value = "1%", value_parser = Tolerance::parse)]
    pub tolerance: Tolerance,
    /// Folder for each scenario's run files (its own seed, or the first of --seeds).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

/// What is kept of each seed's run: the budget inputs, and the full result
/// only for the seeds whose files are written or compared.
struct Kept {
    metrics: Metrics,
    budgets: Vec<BudgetOutcome>,
    full: Option<Box<RunResult>>,
}

/// Runs the check; returns 3 on a bug, else 2 on invalid input, else 1 on a
/// breached budget or a regression, else 0.
pub fn check(args: &CheckArgs) -> i32 {
    let range = match seeds_arg(args.seeds.as_deref(), "check") {
        Ok(r) => r,
        Err(m) => {
            error(&m);
            return EXIT_INVALID;
        }
    };
    let (files, errors) = collect_scenarios(&args.paths);
    let mut checks: Vec<ScenarioCheck> = errors
        .iter()
        .map(|e| ScenarioCheck {
            name: "(missing)".to_string(),
            file: e.split(": ").next().unwrap_or("").to_string(),
            seeds: Vec::new(),
            budgets: Vec::new(),
            baseline: None,
            problems: vec![Problem::Invalid(e.clone())],
            wall_ms: 0,
        })
        .collect();
    let per_file = range.map_or(1, |r| r.count() as usize);
    let runs = files.len() * per_file;
    // The bar advances by each run's expected work, not by runs: scenarios
    // differ a hundredfold in cost, and counting runs made the ETA far off.
    let weights: Vec<u64> = files
        .iter()
        .map(|f| load_path(f).map_or(1, |s| run_weight(&s)))
        .collect();
    let total: u64 = weights.iter().map(|w| w * per_file as u64).sum();
    let bar = weighted_bar(total, runs);
    let mut written = BTreeSet::new();
    let mut done = 0usize;
    for (file, &weight) in files.iter().zip(&weights) {
        let progress = bar.as_ref().map(|b| Progress {
            bar: b,
            weight,
            done: &mut done,
            runs,
        });
        let (mut c, took) = timed(|| check_one(file, range, args, progress, &mut written));
        c.wall_ms = took.as_millis() as u64;
        checks.push(c);
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    out(&check_text(&checks));
    let mut code = exit_code(&checks);
    if let Some(path) = &args.junit {
        if let Err(e) = write_file(path, junit_xml(&checks).as_bytes()) {
            error(&format!(
                "{}: cannot write the JUnit file: {e}",
                shown(path)
            ));
            code = code.max(EXIT_INVALID);
        }
    }
    if let Some(path) = &args.json {
        let doc = super::check_json::check_json(&checks, code);
        if let Err(e) = write_file(path, doc.as_bytes()) {
            error(&format!("{}: cannot write the JSON file: {e}", shown(path)));
            code = code.max(EXIT_INVALID);
        }
    }
    code
}

/// Where `check`'s progress bar stands: it advances by `weight` per run and
/// says how many of the `runs` are done.
struct Progress<'a> {
    bar: &'a indicatif::ProgressBar,
    weight: u64,
    done: &'a mut usize,
    runs: usize,
}

impl Progress<'_> {
    fn tick(&mut self) {
        *self.done += 1;
        self.bar.inc(self.weight);
        self.bar
            .set_message(format!("{}/{} runs", self.done, self.runs));
    }
}

/// The expected work of one run of `s`, for the progress bar: requests
/// simulated (writes and reads per second over the duration), which the
/// event count (and so the wall time) follows; at least 1.
pub(super) fn run_weight(s: &Scenario) -> u64 {
    let secs = s.duration_us as f64 / 1e6;
    let rate = s.workload.writes_per_sec + s.workload.reads_per_sec;
    let requests = rate * secs;
    if requests.is_finite() && requests >= 1.0 {
        requests as u64
    } else {
        1
    }
}

/// A bar over `total` units of expected work, with the runs done as its
/// message and an ETA from the work rate.
fn weighted_bar(total: u64, runs: usize) -> Option<indicatif::ProgressBar> {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if runs < 2 || super::io::quiet() || !terminal {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total.max(1)),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "check [{bar:32}] {percent:>3}%  {msg}  {elapsed} elapsed, ETA {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(format!("0/{runs} runs"));
    Some(bar)
}

fn exit_code(checks: &[ScenarioCheck]) -> i32 {
    let mut code = EXIT_OK;
    for c in checks {
        for p in &c.problems {
            code = code.max(match p {
                Problem::Invalid(_) => EXIT_INVALID,
                Problem::Bug(_) => EXIT_BUG,
            });
        }
        if c.breached() || !c.regressions().is_empty() {
            code = code.max(EXIT_BUDGET);
        }
    }
    code
}

fn check_one(
    file: &Path,
    range: Option<SeedRange>,
    args: &CheckArgs,
    progress: Option<Progress>,
    written: &mut BTreeSet<PathBuf>,
) -> ScenarioCheck {
    let label = shown(file);
    let mut c = ScenarioCheck {
        name: file
            .file_stem()
            .map_or(label.clone(), |s| s.to_string_lossy().into_owned()),
        file: label.clone(),
        seeds: Vec::new(),
        budgets: Vec::new(),
        baseline: None,
        problems: Vec::new(),
        wall_ms: 0,
    };
    let scenario = match load_path(file) {
        Ok(s) => s,
        Err(e) => {
            c.problems.push(Problem::Invalid(e.to_string()));
            return c;
        }
    };
    c.name = scenario.name.clone();
    c.seeds = match range {
        Some(r) => (r.first..=r.last).collect(),
        None => vec![scenario.seed],
    };
    let baseline = args
        .baseline
        .as_deref()
        .and_then(|dir| read_baseline(dir, &scenario, &mut c));
    let report_seed = c.seeds[0];
    let base_seed = baseline.as_ref().map(|(_, b)| b.seed);
    let indices: Vec<usize> = (0..c.seeds.len()).collect();
    let progress = std::sync::Mutex::new(progress);
    let tick = |_: usize, _: usize| {
        if let Ok(mut p) = progress.lock() {
            if let Some(p) = p.as_mut() {
                p.tick();
            }
        }
    };
    let runs = run_grid_with(
        std::slice::from_ref(&scenario),
        &c.seeds,
        &indices,
        threads(),
        &tick,
        |_, r| Kept {
            metrics: r.report.metrics.clone(),
            budgets: r.report.budgets.clone(),
            full: (r.report.seed == report_seed || Some(r.report.seed) == base_seed)
                .then(|| Box::new(r.clone())),
        },
    );
    let runs = match runs {
        Ok(runs) => runs,
        Err(m) => {
            c.problems.push(Problem::Invalid(m));
            return c;
        }
    };
    c.budgets = scenario.budgets.iter().map(BudgetRuns::new).collect();
    let mut full: Vec<RunResult> = Vec::new();
    for run in runs {
        match run.outcome {
            Ok(kept) => {
                for b in &mut c.budgets {
                    if let Some(o) = kept.budgets.iter().find(|o| o.metric == b.key()) {
                        b.push(run.seed, &kept.metrics, o);
                    }
                }
                full.extend(kept.full.map(|r| *r));
            }
            Err(e) => c.problems.push(run_problem(&label, run.seed, &e)),
        }
    }
    if let Some((path, b)) = baseline {
        let base = (path, &b, args.tolerance);
        compare_baseline(base, &scenario, &label, &mut full, &mut c);
    }
    if let Some(result) = full.iter().find(|r| r.report.seed == report_seed) {
        let dir = report_dir(&args.out, &scenario.name);
        if !written.insert(dir.clone()) {
            note(&format!(
                "warning: {label}: another scenario named {:?} wrote to {} too; it is overwritten",
                scenario.name,
                shown(&dir)
            ));
        }
        if let Err(m) = write_reports(&dir, result) {
            c.problems.push(Problem::Invalid(m));
        }
    }
    c
}

/// Reads `DIR/<name>/report.json`; a missing file is noted on the check, a
/// bad one is a problem (invalid input).
fn read_baseline(
    dir: &Path,
    scenario: &Scenario,
    c: &mut ScenarioCheck,
) -> Option<(String, Baseline)> {
    let path = report_dir(dir, &scenario.name).join("report.json");
    let shown = shown(&path);
    if !path.exists() {
        c.baseline = Some(BaselineCheck::Missing { path: shown });
        return None;
    }
    let parsed = read_capped(&path).and_then(|text| parse_baseline(&text));
    match parsed {
        Ok(b) => Some((shown, b)),
        Err(m) => {
            c.problems.push(Problem::Invalid(format!("{shown}: {m}")));
            None
        }
    }
}

/// Compares the run of the baseline's seed (run now if it was not among the
/// checked seeds) with the baseline.
fn compare_baseline(
    (path, b, tolerance): (String, &Baseline, Tolerance),
    scenario: &Scenario,
    label: &str,
    full: &mut Vec<RunResult>,
    c: &mut ScenarioCheck,
) {
    if !full.iter().any(|r| r.report.seed == b.seed) {
        match run_one(scenario, b.seed) {
            Ok(r) => full.push(r),
            Err(e) => {
                c.problems.push(run_problem(label, b.seed, &e));
                return;
            }
        }
    }
    let Some(current) = full.iter().find(|r| r.report.seed == b.seed) else {
        return;
    };
    c.baseline = Some(BaselineCheck::Compared {
        path,
        seed: b.seed,
        scenario_changed: !b.scenario_sha256.is_empty()
            && b.scenario_sha256 != scenario.source_sha256,
        rows: compare(b, &current.report, tolerance),
    });
}

/// A baseline file as text, refused past the size of a scenario file's cap
/// (a report.json is far smaller) and when it is not a regular file.
fn read_capped(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let max = crate::scenario::MAX_FILE_BYTES;
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read the baseline: {e}"))?;
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return Err("the baseline is not a regular file".to_string());
    }
    let mut text = String::new();
    f.take(max + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the baseline: {e}"))?;
    if text.len() as u64 > max {
        return Err(format!("the baseline is larger than {max} bytes"));
    }
    Ok(text)
}

fn run_problem(label: &str, seed: u64, e: &RunError) -> Problem {
    match e {
        RunError::Bound(m) => Problem::Invalid(format!("{label} (seed {seed}): {m}")),
        RunError::Invariant(_) | RunError::Panic(_) => Problem::Bug(format!(
            "{e} (a bug in regionsim, not in the scenario); reproduce with: regionsim run {label} --seed {seed}"
        )),
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod weight_tests {
    use super::*;

    #[test]
    fn weight_follows_requests_simulated() {
        let text = std::fs::read_to_string("scenarios/ap-async-dns.toml").unwrap();
        let mut s = crate::scenario::parse_str(&text, "x", crate::scenario::Format::Toml).unwrap();
        let w = run_weight(&s);
        assert!(w > 1_000_000, "{w}");
        s.workload.writes_per_sec *= 2.0;
        s.workload.reads_per_sec *= 2.0;
        assert!((run_weight(&s) as f64 / w as f64 - 2.0).abs() < 0.01);
        s.duration_us /= 2;
        assert!((run_weight(&s) as f64 / w as f64 - 1.0).abs() < 0.01);
        s.workload.writes_per_sec = 0.0;
        s.workload.reads_per_sec = 0.0;
        assert_eq!(run_weight(&s), 1);
    }
}
