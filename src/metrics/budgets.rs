//! Budgets: holds a run's measured figures to the scenario's `[budgets]`.
//!
//! Every budget is a ceiling except `availability`, which is a floor. A figure
//! that could not be bounded (an RTO when some client never recovered) fails
//! its budget. The outcome's `actual` is written in the same unit style as the
//! limit in the scenario file (`"89.5s"`, `"3.2ms"`, `50`, `0.9987`).

use super::result::{BudgetOutcome, Metrics};
use crate::engine::time::{fmt_duration, US_PER_SEC};
use crate::scenario::{Budget, BudgetLimit, BudgetMetric};

/// A measured figure, in the metric's own kind.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Measured {
    /// Microseconds; `None` = could not be bounded (never recovered).
    Duration(Option<u64>),
    Count(u64),
    Ratio(f64),
}

/// Evaluates every budget against `metrics`, in the order given.
pub fn evaluate(budgets: &[Budget], metrics: &Metrics) -> Vec<BudgetOutcome> {
    budgets
        .iter()
        .map(|b| {
            let measured = measure(b.metric, metrics);
            BudgetOutcome {
                metric: b.metric.key().to_string(),
                limit: b.limit_text.clone(),
                actual: fmt_measured(measured),
                ok: holds(measured, b.limit, is_floor(b.metric)),
            }
        })
        .collect()
}

/// Whether the metric's budget is a floor (the figure must be at least the limit).
pub fn is_floor(metric: BudgetMetric) -> bool {
    metric == BudgetMetric::Availability
}

fn measure(metric: BudgetMetric, m: &Metrics) -> Measured {
    use BudgetMetric as B;
    match metric {
        B::Rpo => Measured::Duration(Some(m.rpo_us)),
        B::Rto => Measured::Duration(m.rto_us),
        B::RtoP50 => Measured::Duration(m.rto_p50_us),
        B::RtoP99 => Measured::Duration(m.rto_p99_us),
        B::LostWrites => Measured::Count(m.lost_writes),
        B::Conflicts => Measured::Count(m.conflicts),
        B::LwwDiscarded => Measured::Count(m.lww_discarded),
        B::WriteLatencyP50 => Measured::Duration(Some(m.write_latency_us.p50)),
        B::WriteLatencyP99 => Measured::Duration(Some(m.write_latency_us.p99)),
        B::Availability => Measured::Ratio(m.availability),
        B::DivergentKeys => Measured::Count(m.divergent_keys),
        B::ResidencyViolations => Measured::Count(m.residency_violations),
        B::StaleReads => Measured::Count(m.reads.map_or(0, |r| r.stale_reads)),
        B::ReadLatencyP99 => Measured::Duration(Some(m.reads.map_or(0, |r| r.read_latency_us.p99))),
    }
}

fn holds(measured: Measured, limit: BudgetLimit, floor: bool) -> bool {
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
        Measured::Duration(None) => return false,
        Measured::Duration(Some(v)) | Measured::Count(v) => {
            if let Some(l) = int_limit {
                return if floor { v >= l } else { v <= l };
            }
            v as f64
        }
        Measured::Ratio(r) => r,
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

fn fmt_measured(measured: Measured) -> String {
    match measured {
        Measured::Duration(None) => "not recovered".to_string(),
        Measured::Duration(Some(us)) => fmt_duration_ms(us),
        Measured::Count(n) => n.to_string(),
        Measured::Ratio(r) => fmt_ratio(r),
    }
}

/// A measured duration in the scenario's unit style, shortest form: below a
/// second exact (`"250us"`, `"3.2ms"`), from a second up rounded to the
/// millisecond (`"89.5s"`, `"2m"`, `"150.25s"`).
pub fn fmt_duration_ms(us: u64) -> String {
    if us == 0 {
        return "0s".to_string();
    }
    if us < 1000 {
        return format!("{us}us");
    }
    if us < US_PER_SEC {
        let (ms, frac) = (us / 1000, us % 1000);
        return if frac == 0 {
            format!("{ms}ms")
        } else {
            let f = format!("{frac:03}");
            format!("{ms}.{}ms", f.trim_end_matches('0'))
        };
    }
    let rounded = us.saturating_add(500) / 1000 * 1000;
    fmt_duration(rounded)
}

/// A share in [0, 1] with up to 6 decimals, trailing zeros dropped (`"0.9987"`,
/// `"1"`). A share below 1 is never shown as `"1"`.
pub fn fmt_ratio(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s == "1" && r < 1.0 {
        return "0.999999".to_string();
    }
    if s == "-0" {
        return "0".to_string();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Percentiles;

    fn budget(metric: BudgetMetric, limit: BudgetLimit, text: &str) -> Budget {
        Budget {
            metric,
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
        use BudgetMetric as B;
        let budgets = vec![
            budget(B::Rpo, DurationUs(1_000_000), "1s"),
            budget(B::Rto, DurationUs(120_000_000), "2m"),
            budget(B::RtoP50, DurationUs(30_000_000), "30s"),
            budget(B::RtoP99, DurationUs(88_000_000), "88s"),
            budget(B::LostWrites, Count(0), "0"),
            budget(B::Conflicts, Count(100), "100"),
            budget(B::LwwDiscarded, Count(2), "2"),
            budget(B::WriteLatencyP50, DurationUs(2_000), "2ms"),
            budget(B::WriteLatencyP99, DurationUs(250_000), "250ms"),
            budget(B::Availability, Ratio(0.999), "0.999"),
            budget(B::DivergentKeys, Count(0), "0"),
            budget(B::ResidencyViolations, Count(0), "0"),
            budget(B::StaleReads, Count(10), "10"),
            budget(B::ReadLatencyP99, DurationUs(50_000), "50ms"),
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
        let b = [budget(
            BudgetMetric::Availability,
            BudgetLimit::Ratio(0.99),
            "0.99",
        )];
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
            budget(BudgetMetric::Rto, BudgetLimit::DurationUs(u64::MAX), "1h"),
            budget(BudgetMetric::RtoP99, BudgetLimit::DurationUs(1), "1us"),
            budget(
                BudgetMetric::RtoP50,
                BudgetLimit::DurationUs(60_000_000),
                "1m",
            ),
        ];
        let out = evaluate(&b, &m);
        assert_eq!(out[0].actual, "not recovered");
        assert!(!out[0].ok);
        assert!(!out[1].ok);
        assert!(out[2].ok, "an exact limit holds");
    }

    #[test]
    fn empty_budgets_give_nothing() {
        assert!(evaluate(&[], &metrics()).is_empty());
    }

    #[test]
    fn duration_style() {
        assert_eq!(fmt_duration_ms(0), "0s");
        assert_eq!(fmt_duration_ms(250), "250us");
        assert_eq!(fmt_duration_ms(3_250), "3.25ms");
        assert_eq!(fmt_duration_ms(999_999), "999.999ms");
        assert_eq!(fmt_duration_ms(1_000_400), "1s");
        assert_eq!(fmt_duration_ms(89_500_123), "89.5s");
        assert_eq!(fmt_duration_ms(150_250_000), "150.25s");
        assert_eq!(fmt_duration_ms(3_600_000_000), "1h");
        assert_eq!(fmt_duration_ms(u64::MAX), fmt_duration_ms(u64::MAX));
    }

    #[test]
    fn ratio_style() {
        assert_eq!(fmt_ratio(0.9987), "0.9987");
        assert_eq!(fmt_ratio(1.0), "1");
        assert_eq!(fmt_ratio(0.0), "0");
        assert_eq!(fmt_ratio(0.123_456_789), "0.123457");
        assert_eq!(fmt_ratio(0.999_999_9), "0.999999");
        assert_eq!(fmt_ratio(f64::NAN), "n/a");
    }
}
