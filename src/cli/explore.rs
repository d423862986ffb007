//! `regionsim explore`: the worst case of one metric over the fault timings
//! and seeds a scenario leaves open; writes worst.toml, explore.json, charts.

use super::files::write_folder_dropping;
use super::io::{error, note, outln, shown};
use super::output::{progress_bar, report_dir, timed};
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::engine::time::fmt_duration;
use crate::explore::{explore as search, explore_json, worst_toml, Exploration, ExploreError};
use crate::explore::{Point, Space};
use crate::metrics::Metric;
use crate::scenario::{parse_str, Format, Scenario};
use crate::sweep::{run_one, RunError};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// The scenario file (.toml or .json).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The metric to make worst (a [budgets] key such as lost_writes or rto;
    /// default: the scenario's first budget, in catalogue order).
    #[arg(long, value_name = "METRIC")]
    pub budget: Option<String>,
    /// At most this many runs (the first run included).
    #[arg(long, value_name = "N", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub runs: u32,
    /// Worker threads (default: every core). The result is the same for any N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: Option<u32>,
    /// Search only these (repeatable): `seed`, `faults[N].at` or
    /// `faults[N].duration`, optionally with a range `=LO..HI` such as
    /// `faults[1].at=5m..7m`. Default: every fault's start and duration, and
    /// the seed.
    #[arg(long = "vary", value_name = "PATH[=LO..HI]")]
    pub vary: Vec<String>,
    /// Folder for the outputs: they go to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

type Failure = (i32, String);

/// Runs the search; exit 0 (the worst case holds every budget), 1 (it breaks
/// one), 2 (invalid input) or 3 (a run broke an invariant of the simulator).
pub fn explore(args: &ExploreArgs) -> i32 {
    match inner(args) {
        Ok(code) => code,
        Err((code, message)) => {
            error(&message);
            code
        }
    }
}

/// The metric `--budget` names, or the scenario's first budget's.
pub(super) fn pick_metric(
    s: &Scenario,
    label: &str,
    name: Option<&str>,
) -> Result<&'static Metric, Failure> {
    let accepted = || {
        crate::metrics::catalogue::budgetable()
            .map(|m| m.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(name) = name else {
        return s.budgets.first().map(|b| b.metric).ok_or_else(|| {
            let m = format!(
                "{label}: [budgets]: the scenario has no budget, so there is no metric to search for; name one with --budget METRIC; accepted: {}",
                accepted()
            );
            (EXIT_INVALID, m)
        });
    };
    let metric = crate::metrics::metric(name)
        .filter(|m| m.budget.is_some())
        .ok_or_else(|| {
            let m = format!("--budget {name}: unknown metric; accepted: {}", accepted());
            (EXIT_INVALID, m)
        })?;
    if let Some(why) = crate::scenario::cannot_produce(s, metric) {
        return Err((
            EXIT_INVALID,
            format!("{label}: --budget {name}: the scenario cannot produce this metric: {why}"),
        ));
    }
    Ok(metric)
}

/// The scenario file: its text, format and validated scenario.
pub(super) fn load(file: &std::path::Path) -> Result<(String, Format, Scenario), Failure> {
    let label = shown(file);
    let format = Format::from_path(file).ok_or_else(|| {
        let m = format!(
            "{label}: file name: unknown scenario file extension; accepted: .toml or .json"
        );
        (EXIT_INVALID, m)
    })?;
    let text = crate::scenario::read_source(file).map_err(|e| (EXIT_INVALID, e.to_string()))?;
    let s = parse_str(&text, &label, format).map_err(|e| (EXIT_INVALID, e.to_string()))?;
    Ok((text, format, s))
}

fn inner(args: &ExploreArgs) -> Result<i32, Failure> {
    let label = shown(&args.scenario);
    let (text, format, s) = load(&args.scenario)?;
    let metric = pick_metric(&s, &label, args.budget.as_deref())?;
    let space =
        Space::from_vary(&s, &args.vary).map_err(|m| (EXIT_INVALID, format!("{label}: {m}")))?;
    let threads = args.jobs.map_or_else(default_threads, |j| j as usize);
    let runs = args.runs as usize;
    let bar = progress_bar(runs, "explore");
    let tick = |d: usize, _: usize| {
        if let Some(b) = &bar {
            b.set_position(d as u64);
        }
    };
    let (found, wall) = timed(|| search(&s, metric, space.clone(), runs, threads, &tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let e = found.map_err(|err| run_failure(&label, &space, err))?;
    let worst_text = worst_toml(&e, &text, format, &label).map_err(|m| {
        (
            EXIT_INVALID,
            format!("{label}: cannot write worst.toml: {m}"),
        )
    })?;
    check_reproduces(&e, &worst_text, &label)?;
    let mut files = vec![
        ("worst.toml".to_string(), worst_text),
        (
            "explore.json".to_string(),
            explore_json(&e, &s.name, &label, &s.source_sha256),
        ),
    ];
    files.extend(crate::report::explore_charts(&e, &s.name));
    let dir = report_dir(&args.out, &s.name);
    // An earlier explore's charts (another metric, more faults) would sit
    // beside this worst.toml as if they were its own: dropped.
    let stale = |n: &str| n.contains("-vs-fault") && n.ends_with("-start.svg");
    write_folder_dropping(&dir, &files, &stale).map_err(|m| (EXIT_INVALID, m))?;
    note(&format!(
        "{}: {} runs on {threads} thread(s) in {:.3}s wall",
        s.name,
        e.tried.len(),
        wall.as_secs_f64()
    ));
    print_summary(&e, &s.name, &dir, &files);
    let breached = e.worst().is_some_and(|w| !w.breached.is_empty());
    Ok(if breached { EXIT_BUDGET } else { EXIT_OK })
}

/// worst.toml, run again, must give the worst figure (else a bug: exit 3).
fn check_reproduces(e: &Exploration, text: &str, label: &str) -> Result<(), Failure> {
    let Some(w) = e.worst() else { return Ok(()) };
    let bug = |m: String| {
        let msg = format!(
            "regionsim: internal error: {m}\nThis is a bug in regionsim, not in the scenario.\nreproduce with: regionsim explore {label} --runs {}",
            e.tried.len()
        );
        (EXIT_BUG, msg)
    };
    let s = parse_str(text, "worst.toml", Format::Toml)
        .map_err(|x| bug(format!("the worst.toml written is not valid: {x}")))?;
    let r = run_one(&s, s.seed).map_err(|x| bug(format!("worst.toml does not run: {x}")))?;
    let got = (e.metric.read)(&r.report.metrics);
    if got != w.value {
        return Err(bug(format!(
            "worst.toml gives {} = {}, the search measured {}",
            e.metric.name,
            e.metric.show(got),
            e.metric.show(w.value)
        )));
    }
    Ok(())
}

/// The fault times and seed of a point, for people.
fn describe(space: &Space, p: &Point) -> String {
    let mut parts: Vec<String> = (space.knobs.iter())
        .zip(&p.values)
        .map(|(k, v)| format!("{} {}", k.path(), fmt_duration(*v)))
        .collect();
    parts.push(format!("seed {}", p.seed));
    parts.join(", ")
}

fn print_summary(e: &Exploration, name: &str, dir: &std::path::Path, files: &[(String, String)]) {
    let m = e.metric;
    outln(&format!(
        "{name}  explore {}: {} runs ({} knobs{}, {} control-plane instants)",
        m.name,
        e.tried.len(),
        e.space.knobs.len(),
        if e.space.vary_seed {
            " and the seed"
        } else {
            ""
        },
        e.instants
    ));
    for (what, t) in [("as written", e.original()), ("worst", e.worst())] {
        if let Some(t) = t {
            outln(&format!(
                "  {what:<10}  {} {}  ({})",
                m.name,
                m.cell(t.value),
                describe(&e.space, &t.point)
            ));
        }
    }
    if let Some(w) = e.worst() {
        outln(&format!("  found by    #{}: {}", w.index, w.why));
        if w.breached.is_empty() {
            outln("  budgets     the worst case holds every budget");
        } else {
            outln(&format!(
                "  budgets     the worst case breaches {}",
                w.breached.join(", ")
            ));
        }
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    outln(&format!(
        "  wrote       {} ({})",
        shown(dir),
        names.join(", ")
    ));
}

fn run_failure(label: &str, space: &Space, err: ExploreError) -> Failure {
    match err {
        ExploreError::Pool(m) => (EXIT_INVALID, format!("{m}; try a smaller --jobs")),
        ExploreError::Run { point, error } => {
            let at = describe(space, &point);
            match error {
                RunError::Bound(m) => (EXIT_INVALID, format!("{label} ({at}): {m}")),
                RunError::Invariant(_) | RunError::Panic(_) => (
                    EXIT_BUG,
                    format!(
                        "regionsim: internal error in a run of {label} with {at}: {error}\n\
                         This is a bug in regionsim, not in the scenario.\n\
                         reproduce with: set those fault times and seed in the file, then regionsim run it"
                    ),
                ),
            }
        }
    }
}

pub(super) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
