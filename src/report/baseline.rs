//! Baseline comparison for `check --baseline DIR`: the headline metrics of a
//! run against an earlier report.json, flagging every one that got worse.

use crate::metrics::{fmt_duration_ms, fmt_ratio, Report};
use serde_json::Value;

/// How a headline metric is read and judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Microseconds; `null` = unbounded (worse than any number).
    Duration,
    Count,
    /// A share; lower is worse.
    Share,
}

/// The headline metrics compared: name, JSON path under `metrics`, kind.
const HEADLINE: [(&str, &[&str], Kind); 10] = [
    ("rpo", &["rpo_us"], Kind::Duration),
    ("rto", &["rto_us"], Kind::Duration),
    ("rto_p99", &["rto_p99_us"], Kind::Duration),
    ("lost_writes", &["lost_writes"], Kind::Count),
    ("failed_writes", &["failed_writes"], Kind::Count),
    ("availability", &["availability"], Kind::Share),
    (
        "write_latency_p99",
        &["write_latency_us", "p99"],
        Kind::Duration,
    ),
    ("divergent_keys", &["divergent_keys"], Kind::Count),
    ("conflicts", &["conflicts"], Kind::Count),
    ("lww_discarded", &["lww_discarded"], Kind::Count),
];

/// One headline metric, before and after.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub metric: &'static str,
    pub before: String,
    pub after: String,
    pub worse: bool,
}

/// What the baseline file says before the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub scenario: String,
    pub seed: u64,
    pub scenario_sha256: String,
    metrics: Value,
}

/// Reads a baseline report.json; `Err` says what is wrong with it.
pub fn parse_baseline(text: &str) -> Result<Baseline, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("not a report.json document: {e}"))?;
    let field = |k: &str| {
        v.get(k).ok_or_else(|| format!("no `{k}` in the document; expected a report.json written by `regionsim run --out DIR`"))
    };
    let metrics = field("metrics")?.clone();
    if !metrics.is_object() {
        return Err("`metrics` is not an object".to_string());
    }
    Ok(Baseline {
        scenario: field("scenario")?.as_str().unwrap_or_default().to_string(),
        seed: field("seed")?
            .as_u64()
            .ok_or("`seed` is not a whole number")?,
        scenario_sha256: v
            .get("scenario_sha256")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        metrics,
    })
}

/// Compares every headline metric of `current` with the baseline. A metric
/// the baseline does not have (an older format) is left out.
pub fn compare(baseline: &Baseline, current: &Report) -> Vec<Comparison> {
    let now = serde_json::to_value(&current.metrics).unwrap_or(Value::Null);
    HEADLINE
        .iter()
        .filter_map(|&(metric, path, kind)| {
            let before = lookup(&baseline.metrics, path)?;
            let after = lookup(&now, path).unwrap_or(&Value::Null);
            Some(Comparison {
                metric,
                before: show(before, kind),
                after: show(after, kind),
                worse: worse(before, after, kind),
            })
        })
        .collect()
}

fn lookup<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// Whether `after` is worse than `before`. Numbers compare exactly (a rerun
/// of the same scenario and seed gives the same bytes, so no tolerance).
fn worse(before: &Value, after: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Duration | Kind::Count => match (before.as_u64(), after.as_u64()) {
            (Some(b), Some(a)) => a > b,
            // `null` is unbounded: worse than any number, equal to itself.
            (Some(_), None) => true,
            (None, _) => false,
        },
        Kind::Share => match (before.as_f64(), after.as_f64()) {
            (Some(b), Some(a)) => a < b,
            (Some(_), None) => true,
            (None, _) => false,
        },
    }
}

fn show(v: &Value, kind: Kind) -> String {
    match (kind, v) {
        (Kind::Duration, Value::Null) => "not recovered".to_string(),
        (Kind::Duration, v) => v.as_u64().map_or_else(|| v.to_string(), fmt_duration_ms),
        (Kind::Share, v) => v.as_f64().map_or_else(|| v.to_string(), fmt_ratio),
        (Kind::Count, v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::report_json;
    use crate::report::testutil::sample;

    #[test]
    fn same_run_is_not_worse() {
        let r = sample();
        let b = parse_baseline(&report_json(&r)).unwrap();
        assert_eq!((b.seed, b.scenario.as_str()), (42, "ap-async-dns"));
        let c = compare(&b, &r.report);
        assert_eq!(c.len(), 10);
        assert!(c.iter().all(|c| !c.worse), "{c:?}");
    }

    #[test]
    fn flags_each_worse_metric() {
        let r = sample();
        let b = parse_baseline(&report_json(&r)).unwrap();
        let mut now = r.report.clone();
        now.metrics.rto_us = None;
        now.metrics.lost_writes += 1;
        now.metrics.availability -= 0.001;
        now.metrics.write_latency_us.p99 += 1;
        now.metrics.rpo_us -= 1;
        let worse: Vec<&str> = compare(&b, &now)
            .iter()
            .filter(|c| c.worse)
            .map(|c| c.metric)
            .collect();
        assert_eq!(
            worse,
            ["rto", "lost_writes", "availability", "write_latency_p99"]
        );
        let rto = compare(&b, &now)
            .into_iter()
            .find(|c| c.metric == "rto")
            .unwrap();
        assert_eq!(
            (rto.before.as_str(), rto.after.as_str()),
            ("89.5s", "not recovered")
        );
    }

    #[test]
    fn bad_documents_say_why() {
        assert!(parse_baseline("{")
            .unwrap_err()
            .contains("not a report.json"));
        assert!(parse_baseline("{\"seed\": 1}")
            .unwrap_err()
            .contains("`metrics`"));
        assert!(parse_baseline("[]").is_err());
    }
}
