//! The outcome of `regionsim check`: each scenario's budgets over its seeds
//! (worst seed, percentiles), its baseline comparison, and the text that
//! `check` prints. Pure data and formatting; the CLI runs and writes.

use super::baseline::Comparison;
use crate::metrics::{BudgetOutcome, Metric, Metrics};
use crate::scenario::{Budget, BudgetLimit};
use crate::sweep::{Sample, Spread};
use std::fmt::Write;

/// One budget's outcome on one seed.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRun {
    pub seed: u64,
    pub value: Sample,
    pub actual: String,
    pub ok: bool,
}

/// One budget over every seed, in seed order.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRuns {
    pub metric: &'static Metric,
    pub limit: BudgetLimit,
    pub limit_text: String,
    pub runs: Vec<BudgetRun>,
}

impl BudgetRuns {
    pub fn new(b: &Budget) -> BudgetRuns {
        BudgetRuns {
            metric: b.metric,
            limit: b.limit,
            limit_text: b.limit_text.clone(),
            runs: Vec::new(),
        }
    }

    /// Records one seed's outcome (as evaluated by the run).
    pub fn push(&mut self, seed: u64, m: &Metrics, outcome: &BudgetOutcome) {
        self.runs.push(BudgetRun {
            seed,
            value: (self.metric.read)(m),
            actual: outcome.actual.clone(),
            ok: outcome.ok,
        });
    }

    pub fn key(&self) -> &'static str {
        self.metric.name
    }

    pub fn is_floor(&self) -> bool {
        self.metric.is_floor()
    }

    /// `rto <= 4m`, `availability >= 0.9`.
    pub fn title(&self) -> String {
        let op = if self.is_floor() { ">=" } else { "<=" };
        format!("{} {op} {}", self.key(), self.limit_text)
    }

    pub fn breaches(&self) -> usize {
        self.runs.iter().filter(|r| !r.ok).count()
    }

    /// The worst seed: the largest figure (the smallest for a floor), among
    /// the breaching seeds when there are any; the first seed on a tie.
    pub fn worst(&self) -> Option<&BudgetRun> {
        let failing = self.breaches() > 0;
        let mut best: Option<&BudgetRun> = None;
        for r in self.runs.iter().filter(|r| !failing || !r.ok) {
            let replace = best.is_none_or(|b| {
                let ord = r.value.total_cmp(&b.value);
                if self.is_floor() {
                    ord.is_lt()
                } else {
                    ord.is_gt()
                }
            });
            if replace {
                best = Some(r);
            }
        }
        best
    }

    /// Nearest-rank p50/p95/p99/max (and min) over the seeds.
    pub fn spread(&self) -> Spread {
        Spread::of(self.runs.iter().map(|r| r.value).collect())
    }

    /// A figure in the budget's unit style.
    pub fn show(&self, s: Sample) -> String {
        self.metric.show(s)
    }
}

/// The baseline side of a scenario's check.
#[derive(Clone, Debug, PartialEq)]
pub enum BaselineCheck {
    /// No baseline file for this scenario: reported, not a failure.
    Missing { path: String },
    Compared {
        path: String,
        seed: u64,
        /// The scenario file changed since the baseline was written.
        scenario_changed: bool,
        rows: Vec<Comparison>,
    },
}

/// Why a scenario could not be checked (fully).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Bad input: the file, a bound, the baseline file, an unwritable output.
    Invalid(String),
    /// The simulator broke an invariant or panicked (a bug).
    Bug(String),
}

/// Everything `check` found for one scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioCheck {
    /// The scenario's name (the file name when it could not be read).
    pub name: String,
    /// The file as given on the command line.
    pub file: String,
    pub seeds: Vec<u64>,
    pub budgets: Vec<BudgetRuns>,
    pub baseline: Option<BaselineCheck>,
    pub problems: Vec<Problem>,
    /// Wall-clock milliseconds the scenario's runs took (measured by the CLI;
    /// only JUnit's `time` shows it, never a report).
    pub wall_ms: u64,
}

impl ScenarioCheck {
    pub fn breached(&self) -> bool {
        self.budgets.iter().any(|b| b.breaches() > 0)
    }

    pub fn regressions(&self) -> Vec<&Comparison> {
        match &self.baseline {
            Some(BaselineCheck::Compared { rows, .. }) => rows.iter().filter(|c| c.worse).collect(),
            _ => Vec::new(),
        }
    }

    /// The command that reproduces one seed of this scenario.
    pub fn repro(&self, seed: u64) -> String {
        format!("regionsim run {} --seed {seed}", self.file)
    }

    /// `1..20`, or the single seed.
    pub fn seed_text(&self) -> String {
        match (self.seeds.first(), self.seeds.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}..{b}"),
            (Some(a), _) => a.to_string(),
            _ => "none".to_string(),
        }
    }
}

/// Appends one formatted line (writing to a `String` cannot fail).
macro_rules! line {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// The text `check` prints: per scenario, each budget with its worst seed
/// (and, over several seeds, p50/p95/p99/max), how to reproduce a breach,
/// the baseline comparison; then one summary line.
pub fn check_text(checks: &[ScenarioCheck]) -> String {
    let mut out = String::new();
    for c in checks {
        scenario_text(&mut out, c);
        out.push('\n');
    }
    let budgets: usize = checks.iter().map(|c| c.budgets.len()).sum();
    let breached: usize = checks
        .iter()
        .map(|c| c.budgets.iter().filter(|b| b.breaches() > 0).count())
        .sum();
    let regressions: usize = checks.iter().map(|c| c.regressions().len()).sum();
    let problems: usize = checks.iter().map(|c| c.problems.len()).sum();
    let verdict = if breached + regressions + problems == 0 {
        "PASS"
    } else {
        "FAIL"
    };
    line!(
        out,
        "check {verdict}: {} scenario{}, {budgets} budget{}: {} held, {breached} breached; \
         {regressions} regression{}; {problems} error{}",
        checks.len(),
        plural(checks.len()),
        plural(budgets),
        budgets - breached,
        plural(regressions),
        plural(problems)
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn scenario_text(out: &mut String, c: &ScenarioCheck) {
    let n = c.seeds.len();
    line!(
        out,
        "{}  ({})  seed{} {}",
        c.name,
        c.file,
        if n == 1 { "" } else { "s" },
        c.seed_text()
    );
    for p in &c.problems {
        match p {
            Problem::Invalid(m) => line!(out, "  ERROR (invalid input): {m}"),
            Problem::Bug(m) => line!(out, "  ERROR (internal, a bug): {m}"),
        }
    }
    if c.budgets.is_empty() && c.problems.is_empty() {
        line!(out, "  no [budgets] declared: nothing to hold");
    }
    for b in &c.budgets {
        budget_text(out, c, b);
    }
    match &c.baseline {
        None => {}
        Some(BaselineCheck::Missing { path }) => {
            line!(out, "  baseline: no {path}: not compared")
        }
        Some(BaselineCheck::Compared {
            path,
            seed,
            scenario_changed,
            rows,
        }) => {
            let worse = rows.iter().filter(|r| r.worse).count();
            line!(
                out,
                "  baseline {path} (seed {seed}{}): {}",
                if *scenario_changed {
                    ", scenario file changed since"
                } else {
                    ""
                },
                if worse == 0 {
                    "no headline metric got worse".to_string()
                } else {
                    format!("{worse} metric{} got worse", plural(worse))
                }
            );
            for r in rows.iter().filter(|r| r.worse) {
                line!(
                    out,
                    "    WORSE  {:<18} {} -> {}",
                    r.metric,
                    r.before,
                    r.after
                );
            }
        }
    }
}

fn budget_text(out: &mut String, c: &ScenarioCheck, b: &BudgetRuns) {
    let n = b.runs.len();
    let Some(worst) = b.worst() else {
        line!(out, "  {:<28} not run", b.title());
        return;
    };
    let verdict = match (b.breaches(), n) {
        (0, 1) => "held".to_string(),
        (0, _) => format!("held on all {n} seeds"),
        (1, 1) => "BREACHED".to_string(),
        (k, _) => format!("BREACHED on {k} of {n} seeds"),
    };
    if n == 1 {
        line!(
            out,
            "  {:<28} actual {:<14} {verdict}",
            b.title(),
            worst.actual
        );
    } else {
        let s = b.spread();
        line!(
            out,
            "  {:<28} worst {} (seed {})  p50 {}  p95 {}  p99 {}  max {}  {verdict}",
            b.title(),
            worst.actual,
            worst.seed,
            b.show(s.p50),
            b.show(s.p95),
            b.show(s.p99),
            b.show(s.max)
        );
    }
    if !worst.ok {
        line!(out, "      reproduce: {}", c.repro(worst.seed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    fn runs(limit: u64, values: &[(u64, Option<u64>)]) -> BudgetRuns {
        let budget = Budget {
            metric: crate::metrics::metric("rto").expect("rto is in the catalogue"),
            limit: BudgetLimit::DurationUs(limit),
            limit_text: "2m".into(),
        };
        let mut b = BudgetRuns::new(&budget);
        for &(seed, v) in values {
            let m = Metrics {
                rto_us: v,
                ..Metrics::default()
            };
            let out = crate::metrics::evaluate(std::slice::from_ref(&budget), &m).remove(0);
            b.push(seed, &m, &out);
        }
        b
    }

    #[test]
    fn worst_seed_and_percentiles() {
        let b = runs(
            120_000_000,
            &[
                (1, Some(60_000_000)),
                (2, None),
                (3, Some(200_000_000)),
                (4, None),
            ],
        );
        assert_eq!(b.breaches(), 3);
        assert_eq!(
            b.worst().map(|w| w.seed),
            Some(2),
            "unbounded is worst, first seed on a tie"
        );
        assert_eq!(b.show(b.spread().p50), "200s");
        assert_eq!(b.title(), "rto <= 2m");
        let held = runs(
            120_000_000,
            &[
                (5, Some(1_000_000)),
                (6, Some(3_000_000)),
                (7, Some(3_000_000)),
            ],
        );
        assert_eq!(held.worst().map(|w| w.seed), Some(6));
    }

    #[test]
    fn text_names_worst_seed_and_repro() {
        let c = ScenarioCheck {
            name: "s".into(),
            file: "scenarios/s.toml".into(),
            seeds: vec![1, 2, 3, 4],
            budgets: vec![runs(
                120_000_000,
                &[
                    (1, Some(1)),
                    (2, Some(130_000_000)),
                    (3, Some(2)),
                    (4, Some(3)),
                ],
            )],
            baseline: Some(BaselineCheck::Missing {
                path: "base/s/report.json".into(),
            }),
            problems: Vec::new(),
            wall_ms: 0,
        };
        let t = check_text(&[c]);
        assert!(t.contains("s  (scenarios/s.toml)  seeds 1..4"), "{t}");
        assert!(t.contains("rto <= 2m"), "{t}");
        assert!(t.contains("worst 130s (seed 2)"), "{t}");
        assert!(t.contains("BREACHED on 1 of 4 seeds"), "{t}");
        assert!(
            t.contains("reproduce: regionsim run scenarios/s.toml --seed 2"),
            "{t}"
        );
        assert!(
            t.contains("baseline: no base/s/report.json: not compared"),
            "{t}"
        );
        assert!(
            t.contains("check FAIL: 1 scenario, 1 budget: 0 held, 1 breached"),
            "{t}"
        );
    }
}
