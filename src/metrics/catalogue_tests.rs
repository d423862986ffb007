//! Tests of the metric catalogue: it agrees with the spec, the schema and report.json.

use super::*;
use crate::report::report_json;
use crate::report::testutil::sample;

/// The `[budgets]` keys that scenario-format.md names.
const SPEC_BUDGET_KEYS: [&str; 7] = [
    "rpo",
    "rto",
    "lost_writes",
    "conflicts",
    "write_latency_p99",
    "availability",
    "split_brain",
];

#[test]
fn names_are_unique_and_tables_consistent() {
    for (i, m) in CATALOGUE.iter().enumerate() {
        assert!(
            CATALOGUE[..i].iter().all(|o| o.name != m.name),
            "{} twice",
            m.name
        );
        assert!(!m.json.is_empty(), "{} has no report.json path", m.name);
        assert!(m.resolution > 0.0, "{}", m.name);
        if m.budget.is_some() {
            assert_ne!(
                m.better,
                Better::Neither,
                "{}: a budget needs a direction",
                m.name
            );
        }
        if m.sweep_chart {
            assert!(
                m.column.is_some(),
                "{}: a chart needs a sweep column",
                m.name
            );
        }
    }
    assert_eq!(metric("rto").map(|m| m.unit), Some(Unit::Us));
    assert!(metric("availability").is_some_and(Metric::is_floor));
    assert!(!metric("rto").is_some_and(Metric::is_floor));
}

#[test]
fn every_spec_budget_key_is_in_the_catalogue() {
    let missing: Vec<&str> = SPEC_BUDGET_KEYS
        .iter()
        .copied()
        .filter(|k| !budget_keys().contains(k))
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn schema_budget_keys_are_the_catalogue_s() {
    let schema = crate::scenario::scenario_schema();
    let props = schema
        .pointer("/$defs/budgets/properties")
        .and_then(|p| p.as_object())
        .expect("budgets in the schema");
    let mut schema_keys: Vec<&str> = props.keys().map(String::as_str).collect();
    let mut keys = budget_keys().to_vec();
    schema_keys.sort_unstable();
    keys.sort_unstable();
    assert_eq!(schema_keys, keys);
    let rto = props.get("rto").and_then(|v| v.get("$ref"));
    assert_eq!(rto.and_then(|v| v.as_str()), Some("#/$defs/duration"));
}

#[test]
fn every_json_path_is_in_report_json_with_the_read_value() {
    let r = sample();
    let doc: serde_json::Value = serde_json::from_str(&report_json(&r)).expect("report.json");
    let metrics = doc.get("metrics").expect("metrics");
    for m in CATALOGUE {
        let v = m.json.iter().try_fold(metrics, |v, k| v.get(*k));
        let Some(v) = v else {
            // Only the reads figures are absent from a run without reads.
            assert_eq!(
                m.json.first(),
                Some(&"reads"),
                "{} not in report.json",
                m.name
            );
            continue;
        };
        assert_eq!(
            m.sample_of_json(v),
            Some((m.read)(&r.report.metrics)),
            "{}",
            m.name
        );
    }
}

#[test]
fn tolerance_parses_percent_fraction_and_zero() {
    assert_eq!(Tolerance::parse("1%"), Ok(Tolerance::DEFAULT));
    assert_eq!(Tolerance::parse("0.01"), Ok(Tolerance::DEFAULT));
    assert_eq!(Tolerance::parse("0"), Ok(Tolerance::EXACT));
    assert_eq!(Tolerance::parse("0%"), Ok(Tolerance::EXACT));
    assert_eq!(Tolerance::parse("5%").map(|t| t.relative), Ok(0.05));
    for bad in ["", "-1%", "x", "1%%", "NaN", "inf"] {
        assert!(Tolerance::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn worse_respects_direction_and_tolerance() {
    let (rto, avail) = (
        metric("rto").expect("rto"),
        metric("availability").expect("a"),
    );
    let t = Tolerance::DEFAULT;
    assert!(!rto.got_worse(Sample::Int(100_000_000), Sample::Int(100_900_000), t));
    assert!(rto.got_worse(Sample::Int(100_000_000), Sample::Int(101_002_000), t));
    assert!(rto.got_worse(Sample::Int(1), Sample::Unbounded, t));
    assert!(!rto.got_worse(Sample::Unbounded, Sample::Unbounded, t));
    assert!(!rto.got_worse(Sample::Unbounded, Sample::Int(5), t));
    assert!(!avail.got_worse(Sample::Ratio(0.99), Sample::Ratio(0.995), Tolerance::EXACT));
    assert!(avail.got_worse(Sample::Ratio(0.99), Sample::Ratio(0.9899), Tolerance::EXACT));
    assert!(!avail.got_worse(Sample::Ratio(0.99), Sample::Ratio(0.981), t));
    assert!(avail.got_worse(Sample::Ratio(0.99), Sample::Ratio(0.979), t));
    let events = metric("events").expect("events");
    assert!(!events.got_worse(Sample::Int(1), Sample::Int(1_000), Tolerance::EXACT));
}
