//! Baseline comparison for `check --baseline DIR`: the catalogue's metrics of
//! a run against an earlier report.json, flagging every one that got worse.

use crate::metrics::catalogue::Better;
use crate::metrics::{Report, Tolerance, CATALOGUE};
use serde_json::Value;

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

/// Compares every catalogue metric that has a better direction with the
/// baseline, flagging those that got worse by more than `tol`. A metric the
/// baseline does not have (an older format, a run without reads) is left out.
pub fn compare(baseline: &Baseline, current: &Report, tol: Tolerance) -> Vec<Comparison> {
    CATALOGUE
        .iter()
        .filter(|m| m.better != Better::Neither)
        .filter_map(|m| {
            let before = m.sample_of_json(lookup(&baseline.metrics, m.json)?)?;
            let after = (m.read)(&current.metrics);
            Some(Comparison {
                metric: m.name,
                before: m.show(before),
                after: m.show(after),
                worse: m.got_worse(before, after, tol),
            })
        })
        .collect()
}

fn lookup<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
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
        let c = compare(&b, &r.report, Tolerance::EXACT);
        assert!(c.len() >= 10, "{c:?}");
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
        let worse: Vec<&str> = compare(&b, &now, Tolerance::EXACT)
            .iter()
            .filter(|c| c.worse)
            .map(|c| c.metric)
            .collect();
        assert_eq!(
            worse,
            ["rto", "lost_writes", "write_latency_p99", "availability"]
        );
        let rto = compare(&b, &now, Tolerance::EXACT)
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
