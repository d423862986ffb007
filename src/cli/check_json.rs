//! `regionsim check --json FILE`: the whole check result (per scenario, per
//! budget, per seed, the baseline comparison and any problem) as one JSON
//! document.

use crate::report::{BaselineCheck, BudgetRuns, Problem, ScenarioCheck};
use serde_json::{json, Value};

/// The document, pretty-printed with a trailing newline.
pub(super) fn check_json(checks: &[ScenarioCheck], exit_code: i32) -> String {
    let doc = json!({
        "exit_code": exit_code,
        "scenarios": checks.iter().map(scenario).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn scenario(c: &ScenarioCheck) -> Value {
    json!({
        "name": c.name,
        "file": c.file,
        "seeds": c.seeds,
        "breached": c.breached(),
        "budgets": c.budgets.iter().map(budget).collect::<Vec<_>>(),
        "baseline": c.baseline.as_ref().map(baseline),
        "problems": c.problems.iter().map(problem).collect::<Vec<_>>(),
    })
}

fn budget(b: &BudgetRuns) -> Value {
    json!({
        "metric": b.key(),
        "limit": b.limit_text,
        "floor": b.is_floor(),
        "breaches": b.breaches(),
        "worst_seed": b.worst().map(|r| r.seed),
        "spread": serde_json::to_value(b.spread()).unwrap_or(Value::Null),
        "runs": b.runs.iter().map(|r| json!({
            "seed": r.seed,
            "actual": r.actual,
            "ok": r.ok,
        })).collect::<Vec<_>>(),
    })
}

fn baseline(b: &BaselineCheck) -> Value {
    match b {
        BaselineCheck::Missing { path } => json!({ "path": path, "missing": true }),
        BaselineCheck::Compared {
            path,
            seed,
            scenario_changed,
            rows,
        } => json!({
            "path": path,
            "missing": false,
            "seed": seed,
            "scenario_changed": scenario_changed,
            "metrics": rows.iter().map(|r| json!({
                "metric": r.metric,
                "before": r.before,
                "after": r.after,
                "worse": r.worse,
            })).collect::<Vec<_>>(),
        }),
    }
}

fn problem(p: &Problem) -> Value {
    match p {
        Problem::Invalid(m) => json!({ "kind": "invalid", "message": m }),
        Problem::Bug(m) => json!({ "kind": "bug", "message": m }),
    }
}
