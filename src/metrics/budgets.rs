//! Budgets: holds a run's measured figures to the scenario's `[budgets]`.
//!
//! A budget on a metric that is better lower is a ceiling, on one that is
//! better higher (availability) a floor: the metric catalogue says which. A
//! figure that could not be bounded (an RTO when some client never recovered)
//! fails its budget. The outcome's `actual` is written in the same unit style
//! as the limit in the scenario file (`"89.5s"`, `"3.2ms"`, `50`, `0.9987`).

use super::result::{BudgetOutcome, Metrics};
use super::sample::Sample;
use crate::scenario::{Budget, BudgetLimit};

/// Evaluates every budget against `metrics`, in the order given.
pub fn evaluate(budgets: &[Budget], metrics: &Metrics) -> Vec<BudgetOutcome> {
    budgets
        .iter()
        .map(|b| {
            let measured = (b.metric.read)(metrics);
            BudgetOutcome {
                metric: b.metric.name.to_string(),
                limit: b.limit_text.clone(),
                actual: b.metric.show(measured),
                limit_value: match b.limit {
                    BudgetLimit::DurationUs(v) | BudgetLimit::Count(v) => Sample::Int(v),
                    BudgetLimit::Ratio(r) => Sample::Ratio(r),
                },
                actual_value: measured,
                unit: b.metric.unit.json_name(),
                ok: holds(measured, b.limit, b.metric.is_floor()),
            }
        })
        .collect()
}

/// Whether `value` of the budget's metric holds the budget (an unbounded
/// value never does).
pub fn holds_budget(b: &Budget, value: Sample) -> bool {
    holds(value, b.limit, b.metric.is_floor())
}

fn holds(measured: Sample, limit: BudgetLimit, floor: bool) -> bool {
    // Integers compare exactly; anything involving a ratio compares as f64.
    let int_limit = match limit {
        BudgetLimit::DurationUs(x) | BudgetLimit::Count(x) => Some(x),
        BudgetLimit::Ratio(_) => None,
    };
    let limit_f = match limit {
        BudgetLimit::DurationUs(x) | BudgetLimit::Count(x) => x as f64,
        BudgetLimit::Ratio(r) => r,
    };
    let value = match measured {
        Sample::Unbounded => return false,
        Sample::Int(v) => {
            if let Some(l) = int_limit {
                return if floor { v >= l } else { v <= l };
            }
            v as f64
        }
        Sample::Ratio(r) => r,
    };
    if value.is_nan() || limit_f.is_nan() {
        return false;
    }
    if floor {
        value >= limit_f
    } else {
        value <= limit_f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Percentiles;

    fn budget(metric: &str, limit: BudgetLimit, text: &str) -> Budget {
        Budget {
            metric: crate::metrics::metric(metric).expect("a catalogue metric"),
            limit,
            limit_text: text.to_string(),
        }
    }

    fn metrics() -> Metrics {
        Metrics {
            rpo_us: 50_000,
            rto_us: Some(89_500_000),
            rto_p50_us: Some(60_000_000),
            rto_p99_us: Some(88_000_000),
            lost_writes: 50,
            conflicts: 3,
            lww_discarded: 2,
            availability: 0.9987,
            write_latency_us: Percentiles {
                p50: 3_000,
                p95: 3_100,
                p99: 3_200,
                max: 9_000,
            },
            divergent_keys: 0,
            residency_violations: 0,
            reads: Some(crate::metrics::ReadMetrics {
                reads: 100,
                stale_reads: 12,
                read_latency_us: Percentiles {
                    p99: 84_000,
                    ..Percentiles::default()
                },
                ..Default::default()
            }),
            ..Metrics::default()
        }
    }

    #[test]
    fn ceilings_and_floor() {
        use BudgetLimit::*;
        let budgets = vec![
            budget("rpo", DurationUs(1_000_000), "1s"),
            budget("rto", DurationUs(120_000_000), "2m"),
            budget("rto_p50", DurationUs(30_000_000), "30s"),
            budget("rto_p99", DurationUs(88_000_000), "88s"),
            budget("lost_writes", Count(0), "0"),
            budget("conflicts", Count(100), "100"),
            budget("lww_discarded", Count(2), "2"),
            budget("write_latency_p50", DurationUs(2_000), "2ms"),
            budget("write_latency_p99", DurationUs(250_000), "250ms"),
            budget("availability", Ratio(0.999), "0.999"),
            budget("divergent_keys", Count(0), "0"),
            budget("residency_violations", Count(0), "0"),
            budget("stale_reads", Count(10), "10"),
            budget("read_latency_p99", DurationUs(50_000), "50ms"),
        ];
        let out = evaluate(&budgets, &metrics());
        let got: Vec<(&str, &str, &str, bool)> = out
            .iter()
            .map(|o| (o.metric.as_str(), o.limit.as_str(), o.actual.as_str(), o.ok))
            .collect();
        assert_eq!(
            got,
            vec![
                ("rpo", "1s", "50ms", true),
                ("rto", "2m", "89.5s", true),
                ("rto_p50", "30s", "1m", false),
                ("rto_p99", "88s", "88s", true),
                ("lost_writes", "0", "50", false),
                ("conflicts", "100", "3", true),
                ("lww_discarded", "2", "2", true),
                ("write_latency_p50", "2ms", "3ms", false),
                ("write_latency_p99", "250ms", "3.2ms", true),
                ("availability", "0.999", "0.9987", false),
                ("divergent_keys", "0", "0", true),
                ("residency_violations", "0", "0", true),
                ("stale_reads", "10", "12", false),
                ("read_latency_p99", "50ms", "84ms", false),
            ]
        );
    }

    #[test]
    fn availability_floor_holds_at_and_above() {
        let mut m = metrics();
        let b = [budget("availability", BudgetLimit::Ratio(0.99), "0.99")];
        assert!(evaluate(&b, &m)[0].ok);
        m.availability = 0.99;
        assert!(evaluate(&b, &m)[0].ok);
        m.availability = f64::NAN;
        assert!(!evaluate(&b, &m)[0].ok);
    }

    #[test]
    fn unrecovered_rto_fails() {
        let mut m = metrics();
        m.rto_us = None;
        m.rto_p99_us = None;
        let b = [
            budget("rto", BudgetLimit::DurationUs(u64::MAX), "1h"),
            budget("rto_p99", BudgetLimit::DurationUs(1), "1us"),
            budget("rto_p50", BudgetLimit::DurationUs(60_000_000), "1m"),
        ];
        let out = evaluate(&b, &m);
        assert_eq!(out[0].actual, "not recovered");
        assert!(!out[0].ok);
        assert!(!out[1].ok);
        assert!(out[2].ok, "an exact limit holds");
    }

    #[test]
    fn outcomes_carry_numbers_and_unit() {
        let b = [
            budget("rto", BudgetLimit::DurationUs(120_000_000), "2m"),
            budget("availability", BudgetLimit::Ratio(0.999), "0.999"),
        ];
        let out = evaluate(&b, &metrics());
        let json = serde_json::to_string(&out).unwrap_or_default();
        assert_eq!(
            json,
            "[{\"metric\":\"rto\",\"limit\":\"2m\",\"actual\":\"89.5s\",\"limit_value\":120000000,\
             \"actual_value\":89500000,\"unit\":\"us\",\"ok\":true},\
             {\"metric\":\"availability\",\"limit\":\"0.999\",\"actual\":\"0.9987\",\"limit_value\":0.999,\
             \"actual_value\":0.9987,\"unit\":\"share\",\"ok\":false}]"
        );
        let mut m = metrics();
        m.rto_us = None;
        assert_eq!(evaluate(&b[..1], &m)[0].actual_value, Sample::Unbounded);
    }

    #[test]
    fn empty_budgets_give_nothing() {
        assert!(evaluate(&[], &metrics()).is_empty());
    }
}
