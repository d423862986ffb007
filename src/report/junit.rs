//! JUnit XML for `check --junit FILE`: one testsuite per scenario, one
//! testcase per budget (failing when any seed breaches it, with actual vs
//! limit and the command that reproduces the worst seed), one per headline
//! metric compared with a baseline, and an error case when a scenario could
//! not be checked. No times or host names: the same check gives the same bytes.

use super::check::{BaselineCheck, BudgetRuns, Problem, ScenarioCheck};
use super::escape_xml as esc;
use std::fmt::Write;

/// Appends formatted text (writing to a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// One testcase: its name and, when it did not pass, the element inside it.
struct Case {
    name: String,
    /// (`failure` | `error` | `skipped`, message, body text).
    outcome: Option<(&'static str, String, String)>,
}

/// The JUnit XML document of a check.
pub fn junit_xml(checks: &[ScenarioCheck]) -> String {
    let suites: Vec<(&ScenarioCheck, Vec<Case>)> = checks.iter().map(|c| (c, cases(c))).collect();
    let count = |kind: &str| -> usize {
        suites
            .iter()
            .flat_map(|(_, cs)| cs)
            .filter(|c| c.outcome.as_ref().is_some_and(|o| o.0 == kind))
            .count()
    };
    let tests: usize = suites.iter().map(|(_, cs)| cs.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    put!(
        out,
        "<testsuites name=\"regionsim check\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        count("failure"),
        count("error"),
        count("skipped")
    );
    for (c, cases) in &suites {
        let n = |kind: &str| {
            cases
                .iter()
                .filter(|k| k.outcome.as_ref().is_some_and(|o| o.0 == kind))
                .count()
        };
        put!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" file=\"{}\">\n",
            esc(&c.name),
            cases.len(),
            n("failure"),
            n("error"),
            n("skipped"),
            secs(c.wall_ms),
            esc(&c.file)
        );
        // The cases share the scenario's runs: each gets an even share.
        let case_ms = c.wall_ms / cases.len().max(1) as u64;
        put!(
            out,
            "    <properties>\n      <property name=\"file\" value=\"{}\"/>\n      \
             <property name=\"seeds\" value=\"{}\"/>\n    </properties>\n",
            esc(&c.file),
            esc(&c.seed_text())
        );
        for case in cases {
            put!(
                out,
                "    <testcase classname=\"regionsim.{}\" name=\"{}\" time=\"{}\" file=\"{}\"",
                esc(&c.name),
                esc(&case.name),
                secs(case_ms),
                esc(&c.file)
            );
            match &case.outcome {
                None => out.push_str("/>\n"),
                Some((kind, message, body)) => {
                    put!(
                        out,
                        ">\n      <{kind} message=\"{}\" type=\"{}\">{}</{kind}>\n    </testcase>\n",
                        esc(message),
                        match *kind {
                            "failure" => "budget",
                            "error" => "error",
                            _ => "skipped",
                        },
                        esc(body)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Milliseconds as JUnit's seconds with three decimals.
fn secs(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

fn cases(c: &ScenarioCheck) -> Vec<Case> {
    let mut out: Vec<Case> = c
        .problems
        .iter()
        .map(|p| {
            let (what, m) = match p {
                Problem::Invalid(m) => ("invalid input", m),
                Problem::Bug(m) => ("internal error (a bug in regionsim)", m),
            };
            Case {
                name: "scenario runs".to_string(),
                outcome: Some(("error", format!("{what}: {m}"), m.clone())),
            }
        })
        .collect();
    out.extend(c.budgets.iter().map(|b| budget_case(c, b)));
    match &c.baseline {
        None => {}
        Some(BaselineCheck::Missing { path }) => out.push(Case {
            name: "baseline".to_string(),
            outcome: Some((
                "skipped",
                format!("no baseline report at {path}: not compared"),
                String::new(),
            )),
        }),
        Some(BaselineCheck::Compared {
            path, seed, rows, ..
        }) => {
            for r in rows {
                let message = format!(
                    "{} got worse than the baseline: {} -> {} (seed {seed}, baseline {path}); reproduce: {}",
                    r.metric,
                    r.before,
                    r.after,
                    c.repro(*seed)
                );
                out.push(Case {
                    name: format!("baseline {} not worse", r.metric),
                    outcome: r.worse.then(|| ("failure", message.clone(), message)),
                });
            }
        }
    }
    if out.is_empty() {
        // A scenario without budgets still shows that it ran.
        out.push(Case {
            name: "scenario runs".to_string(),
            outcome: None,
        });
    }
    out
}

fn budget_case(c: &ScenarioCheck, b: &BudgetRuns) -> Case {
    let name = format!("budget {}", b.title());
    let breaches = b.breaches();
    let Some(worst) = b.worst().filter(|_| breaches > 0) else {
        return Case {
            name,
            outcome: None,
        };
    };
    let relation = if b.is_floor() {
        "is below the floor"
    } else {
        "exceeds the limit"
    };
    let seeds = if b.runs.len() == 1 {
        format!("seed {}", worst.seed)
    } else {
        format!(
            "{breaches} of {} seeds, worst seed {}",
            b.runs.len(),
            worst.seed
        )
    };
    let message = format!(
        "{}: actual {} {relation} {} ({seeds}); reproduce: {}",
        b.key(),
        worst.actual,
        b.limit_text,
        c.repro(worst.seed)
    );
    let mut body = String::new();
    for r in b.runs.iter().filter(|r| !r.ok) {
        let _ = writeln!(
            body,
            "seed {}: {} = {} (limit {})",
            r.seed,
            b.key(),
            r.actual,
            b.limit_text
        );
    }
    Case {
        name,
        outcome: Some(("failure", message, body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{evaluate, Metrics};
    use crate::report::baseline::Comparison;
    use crate::scenario::{Budget, BudgetLimit};

    fn check() -> ScenarioCheck {
        let budgets = [
            Budget {
                metric: crate::metrics::metric("lost_writes").expect("in the catalogue"),
                limit: BudgetLimit::Count(10),
                limit_text: "10".into(),
            },
            Budget {
                metric: crate::metrics::metric("availability").expect("in the catalogue"),
                limit: BudgetLimit::Ratio(0.9),
                limit_text: "0.9".into(),
            },
        ];
        let mut runs: Vec<BudgetRuns> = budgets.iter().map(BudgetRuns::new).collect();
        for (seed, lost) in [(1, 3), (2, 12)] {
            let m = Metrics {
                lost_writes: lost,
                availability: 0.95,
                ..Metrics::default()
            };
            for (b, o) in runs.iter_mut().zip(evaluate(&budgets, &m)) {
                b.push(seed, &m, &o);
            }
        }
        ScenarioCheck {
            name: "a<b>".into(),
            file: "dir/a&b.toml".into(),
            seeds: vec![1, 2],
            budgets: runs,
            baseline: Some(BaselineCheck::Compared {
                path: "base/a/report.json".into(),
                seed: 1,
                scenario_changed: false,
                rows: vec![Comparison {
                    metric: "rto",
                    before: "1s".into(),
                    after: "2s".into(),
                    worse: true,
                }],
            }),
            problems: Vec::new(),
            wall_ms: 1500,
        }
    }

    #[test]
    fn suites_and_cases_carry_time_and_file() {
        let x = junit_xml(&[check()]);
        let doc = roxmltree::Document::parse(&x).expect("well-formed XML");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("time"), Some("1.500"));
        assert_eq!(suite.attribute("file"), Some("dir/a&b.toml"));
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        // The budgets share the scenario's runs: its time split evenly.
        for c in &cases {
            assert_eq!(c.attribute("time"), Some("0.500"));
            assert_eq!(c.attribute("file"), Some("dir/a&b.toml"));
        }
    }

    #[test]
    fn one_case_per_budget_failure_names_seed() {
        let x = junit_xml(&[check()]);
        let doc = roxmltree::Document::parse(&x).expect("well-formed XML");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("name"), Some("a<b>"));
        assert_eq!(suite.attribute("tests"), Some("3"));
        assert_eq!(suite.attribute("failures"), Some("2"));
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases[0].attribute("name"), Some("budget lost_writes <= 10"));
        let f = cases[0]
            .children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        let msg = f.attribute("message").unwrap();
        assert!(
            msg.contains("actual 12 exceeds the limit 10 (1 of 2 seeds, worst seed 2)"),
            "{msg}"
        );
        assert!(msg.contains("regionsim run dir/a&b.toml --seed 2"), "{msg}");
        assert_eq!(
            cases[1].attribute("name"),
            Some("budget availability >= 0.9")
        );
        assert!(cases[1].children().all(|n| !n.has_tag_name("failure")));
        assert_eq!(cases[2].attribute("name"), Some("baseline rto not worse"));
        assert_eq!(x, junit_xml(&[check()]));
    }
}
