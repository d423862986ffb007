//! `regionsim shrink`: a smaller scenario that still breaks the same budget;
//! writes it as a runnable file and prints the sizes before and after.

use super::explore::{default_threads, load, pick_metric};
use super::files::{refuse_link, write_file};
use super::io::{error, note, outln, shown};
use super::output::{progress_bar, report_dir, timed};
use super::{EXIT_BUDGET, EXIT_BUG, EXIT_INVALID, EXIT_OK};
use crate::scenario::{to_toml, value_tree, Format};
use crate::shrink::{breaks, scenario_of, shrink as reduce, Size, Target};
use crate::sweep::run_one;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ShrinkArgs {
    /// The scenario file (.toml or .json).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Seed of the failing run (default: the scenario's own).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// The budget that must keep breaking (a [budgets] key; default: the
    /// first budget the run breaks, in catalogue order).
    #[arg(long, value_name = "METRIC")]
    pub budget: Option<String>,
    /// Where to write the smaller scenario (TOML; default:
    /// reports/<scenario name>/shrunk.toml).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// At most this many runs.
    #[arg(long, value_name = "N", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub runs: u32,
    /// Worker threads (default: every core). The result is the same for any N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: Option<u32>,
}

type Failure = (i32, String);

/// Exit 1 (shrunk: the smaller scenario still breaks the budget), 0 (nothing
/// to shrink: the input breaks no budget), 2 (invalid input) or 3 (a bug).
pub fn shrink(args: &ShrinkArgs) -> i32 {
    match inner(args) {
        Ok(code) => code,
        Err((code, message)) => {
            error(&message);
            code
        }
    }
}

fn bug(label: &str, m: &str) -> Failure {
    (
        EXIT_BUG,
        format!(
            "regionsim: internal error: {m}\nThis is a bug in regionsim, not in the scenario.\nreproduce with: regionsim shrink {label}"
        ),
    )
}

fn inner(args: &ShrinkArgs) -> Result<i32, Failure> {
    let label = shown(&args.scenario);
    // The file written is TOML: under a .json name `regionsim run` would read
    // it as JSON and refuse it.
    if let Some(out) = args
        .out
        .as_deref()
        .filter(|p| Format::from_path(p) == Some(Format::Json))
    {
        return Err((
            EXIT_INVALID,
            format!(
                "--out {}: shrink writes the scenario as TOML; accepted: a file name ending in .toml (or a device such as /dev/stdout)",
                shown(out)
            ),
        ));
    }
    let (text, format, s) = load(&args.scenario)?;
    let seed = args.seed.unwrap_or(s.seed);
    let first = run_one(&s, seed).map_err(|e| match e {
        crate::sweep::RunError::Bound(m) => (EXIT_INVALID, format!("{label}: {m}")),
        other => bug(&label, &format!("the run with seed {seed} failed: {other}")),
    })?;
    let breached: Vec<&str> = (first.report.budgets.iter())
        .filter(|b| !b.ok)
        .map(|b| b.metric.as_str())
        .collect();
    let metric = match args.budget.as_deref() {
        Some(name) => {
            let m = pick_metric(&s, &label, Some(name))?;
            if !s.budgets.iter().any(|b| b.metric == m) {
                let have: Vec<&str> = s.budgets.iter().map(|b| b.metric.name).collect();
                return Err((
                    EXIT_INVALID,
                    format!(
                        "{label}: --budget {name}: the scenario has no budget on {name}; accepted: one of its [budgets]: {}",
                        if have.is_empty() { "(none)".to_string() } else { have.join(", ") }
                    ),
                ));
            }
            m
        }
        None => match breached.first().and_then(|n| crate::metrics::metric(n)) {
            Some(m) => m,
            None => return Ok(nothing(&s.name, seed, &first.report.budgets, None)),
        },
    };
    if !breached.contains(&metric.name) {
        return Ok(nothing(
            &s.name,
            seed,
            &first.report.budgets,
            Some(metric.name),
        ));
    }
    let target = Target { metric, seed };
    let tree = value_tree(&text, format).map_err(|e| (EXIT_INVALID, e.to_string()))?;
    let threads = args.jobs.map_or_else(default_threads, |j| j as usize);
    let bar = progress_bar(args.runs as usize, "shrink");
    let tick = |d: usize, _: usize| {
        if let Some(b) = &bar {
            b.set_position(d as u64);
        }
    };
    let (done, wall) = timed(|| reduce(tree, target, args.runs as usize, threads, &tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let done = done.map_err(|m| (EXIT_INVALID, format!("{m}; try a smaller --jobs")))?;
    let small =
        scenario_of(&done.tree).ok_or_else(|| bug(&label, "the shrunk scenario is not valid"))?;
    let (before, after) = (Size::of(&s), Size::of(&small));
    let body = to_toml(&done.tree).map_err(|m| bug(&label, &format!("cannot write TOML: {m}")))?;
    let mut head =
        format!(
        "# Shrunk by `regionsim shrink {label}` in {} runs: with seed {seed} this still breaks\n\
         # the {} budget, as the original does.{}\n",
        done.runs,
        metric.name,
        if done.exhausted { " (Stopped at the run budget: --runs.)" } else { "" }
    );
    head.push_str(&format!(
        "# Before: {}\n# After:  {}\n",
        before.line(),
        after.line()
    ));
    if done.removed.is_empty() {
        head.push_str("# Nothing could be removed.\n");
    } else {
        head.push_str("# Removed or reduced, in order:\n");
        for r in &done.removed {
            head.push_str(&format!("#   - {r}\n"));
        }
    }
    head.push_str("# Reproduce: regionsim run <this file>\n\n");
    let out_text = head + &body;
    let check = crate::scenario::parse_str(&out_text, "shrunk.toml", Format::Toml)
        .map_err(|e| bug(&label, &format!("the shrunk file is not valid: {e}")))?;
    if !breaks(&check, target) {
        return Err(bug(&label, "the shrunk file no longer breaks the budget"));
    }
    let path = match &args.out {
        Some(p) => p.clone(),
        None => {
            // The default path is under reports/, where every command refuses
            // a planted link rather than follow it.
            let dir = report_dir(std::path::Path::new("reports"), &s.name);
            let path = dir.join("shrunk.toml");
            refuse_link(&dir)
                .and_then(|()| refuse_link(&path))
                .map_err(|m| (EXIT_INVALID, m))?;
            path
        }
    };
    write_file(&path, out_text.as_bytes())
        .map_err(|e| (EXIT_INVALID, format!("{}: cannot write: {e}", shown(&path))))?;
    note(&format!(
        "{}: {} runs on {threads} thread(s) in {:.3}s wall",
        s.name,
        done.runs,
        wall.as_secs_f64()
    ));
    outln(&format!(
        "{}  shrink: still breaks {} with seed {seed} ({} runs)",
        s.name, metric.name, done.runs
    ));
    outln(&format!("  before  {}", before.line()));
    outln(&format!("  after   {}", after.line()));
    outln(&format!("  removed {} reductions", done.removed.len()));
    for r in &done.removed {
        outln(&format!("    - {}", crate::scenario::escape_controls(r)));
    }
    outln(&format!("  wrote   {}", shown(&path)));
    // The file written breaks the budget: exit 1, as every command does for a
    // breached budget (cli.md keeps 0 for "nothing to shrink").
    Ok(EXIT_BUDGET)
}

/// The scenario holds the budget(s): nothing to shrink.
fn nothing(
    name: &str,
    seed: u64,
    budgets: &[crate::metrics::BudgetOutcome],
    metric: Option<&str>,
) -> i32 {
    let what = match metric {
        Some(m) => format!("the {m} budget holds"),
        None if budgets.is_empty() => "it has no [budgets]".to_string(),
        None => "every budget holds".to_string(),
    };
    let figures: Vec<String> = (budgets.iter())
        .filter(|b| metric.is_none_or(|m| b.metric == m))
        .map(|b| format!("{} {} (limit {})", b.metric, b.actual, b.limit))
        .collect();
    outln(&format!(
        "{name}: with seed {seed} {what}{}: nothing to shrink",
        if figures.is_empty() {
            String::new()
        } else {
            format!(" ({})", figures.join(", "))
        }
    ));
    EXIT_OK
}
