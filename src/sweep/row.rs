//! One sweep run's figures, flat: what a row of sweep.json holds, and the
//! table of metrics that the percentiles and charts are taken over.

use crate::metrics::{Metrics, RunResult};
use serde::{Deserialize, Serialize, Serializer};
use std::cmp::Ordering;

/// The flat metrics of one run (the `metrics` object of a row), in output order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RowMetrics {
    pub rpo_us: u64,
    /// `null` when some client never recovered.
    pub rto_us: Option<u64>,
    pub rto_p50_us: Option<u64>,
    pub rto_p99_us: Option<u64>,
    pub service_restored_us: Option<u64>,
    pub lost_writes: u64,
    pub acknowledged_writes: u64,
    pub failed_writes: u64,
    pub availability: f64,
    pub write_latency_p50_us: u64,
    pub write_latency_p95_us: u64,
    pub write_latency_p99_us: u64,
    pub write_latency_max_us: u64,
    pub conflicts: u64,
    pub lww_discarded: u64,
    pub divergent_keys: u64,
    pub cross_region_bytes: u64,
    pub semi_sync_fallbacks: u64,
    pub events: u64,
}

impl From<&Metrics> for RowMetrics {
    fn from(m: &Metrics) -> RowMetrics {
        RowMetrics {
            rpo_us: m.rpo_us,
            rto_us: m.rto_us,
            rto_p50_us: m.rto_p50_us,
            rto_p99_us: m.rto_p99_us,
            service_restored_us: m.service_restored_us,
            lost_writes: m.lost_writes,
            acknowledged_writes: m.acknowledged_writes,
            failed_writes: m.failed_writes,
            availability: m.availability,
            write_latency_p50_us: m.write_latency_us.p50,
            write_latency_p95_us: m.write_latency_us.p95,
            write_latency_p99_us: m.write_latency_us.p99,
            write_latency_max_us: m.write_latency_us.max,
            conflicts: m.conflicts,
            lww_discarded: m.lww_discarded,
            divergent_keys: m.divergent_keys,
            cross_region_bytes: m.cross_region_bytes,
            semi_sync_fallbacks: m.semi_sync_fallbacks,
            events: m.events,
        }
    }
}

/// What a sweep keeps of one run: its flat metrics and the budgets it breached.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunFigures {
    pub metrics: RowMetrics,
    /// Budget metric names (`rto`, `lost_writes`, ...) that the run breached.
    pub budgets_breached: Vec<String>,
}

impl From<&RunResult> for RunFigures {
    fn from(r: &RunResult) -> RunFigures {
        RunFigures {
            metrics: RowMetrics::from(&r.report.metrics),
            budgets_breached: r
                .report
                .budgets
                .iter()
                .filter(|b| !b.ok)
                .map(|b| b.metric.clone())
                .collect(),
        }
    }
}

/// One value of a metric. `Unbounded` (a JSON `null`, such as the RTO of a run
/// where some client never recovered) sorts after every finite value: it
/// counts as +infinity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sample {
    Int(u64),
    Ratio(f64),
    Unbounded,
}

impl Sample {
    fn opt(v: Option<u64>) -> Sample {
        v.map_or(Sample::Unbounded, Sample::Int)
    }

    /// The value as a number; `None` when unbounded.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Sample::Int(v) => Some(v as f64),
            Sample::Ratio(r) => Some(r),
            Sample::Unbounded => None,
        }
    }

    /// A total order: integers and ratios by value, unbounded last.
    pub fn total_cmp(&self, other: &Sample) -> Ordering {
        match (self, other) {
            (Sample::Unbounded, Sample::Unbounded) => Ordering::Equal,
            (Sample::Unbounded, _) => Ordering::Greater,
            (_, Sample::Unbounded) => Ordering::Less,
            (Sample::Int(a), Sample::Int(b)) => a.cmp(b),
            (a, b) => {
                let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
                x.total_cmp(&y)
            }
        }
    }
}

impl Serialize for Sample {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Sample::Int(v) => s.serialize_u64(*v),
            Sample::Ratio(r) if r.is_finite() => s.serialize_f64(*r),
            _ => s.serialize_none(),
        }
    }
}

/// A metric of a row: its key in the `metrics` object and how to read it.
#[derive(Clone, Copy)]
pub struct MetricDef {
    pub key: &'static str,
    pub get: fn(&RowMetrics) -> Sample,
}

macro_rules! int {
    ($k:ident) => {
        MetricDef {
            key: stringify!($k),
            get: |m| Sample::Int(m.$k),
        }
    };
}
macro_rules! opt {
    ($k:ident) => {
        MetricDef {
            key: stringify!($k),
            get: |m| Sample::opt(m.$k),
        }
    };
}

/// Every row metric, in the order of the `metrics` object.
pub const METRICS: &[MetricDef] = &[
    int!(rpo_us),
    opt!(rto_us),
    opt!(rto_p50_us),
    opt!(rto_p99_us),
    opt!(service_restored_us),
    int!(lost_writes),
    int!(acknowledged_writes),
    int!(failed_writes),
    MetricDef {
        key: "availability",
        get: |m| Sample::Ratio(m.availability),
    },
    int!(write_latency_p50_us),
    int!(write_latency_p95_us),
    int!(write_latency_p99_us),
    int!(write_latency_max_us),
    int!(conflicts),
    int!(lww_discarded),
    int!(divergent_keys),
    int!(cross_region_bytes),
    int!(semi_sync_fallbacks),
    int!(events),
];

/// The metric named `key`.
pub fn metric(key: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_serialised_field_in_order() {
        let v = serde_json::to_value(RowMetrics::default()).unwrap_or_default();
        let text = serde_json::to_string(&RowMetrics::default()).unwrap_or_default();
        let keys: Vec<&str> = METRICS.iter().map(|m| m.key).collect();
        assert_eq!(v.as_object().map(|o| o.len()), Some(keys.len()));
        let pos: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\"")).unwrap_or(usize::MAX))
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    }

    #[test]
    fn unbounded_sorts_last() {
        let mut v = [Sample::Unbounded, Sample::Int(3), Sample::Int(1)];
        v.sort_by(Sample::total_cmp);
        assert_eq!(v, [Sample::Int(1), Sample::Int(3), Sample::Unbounded]);
        assert_eq!(
            serde_json::to_string(&Sample::Unbounded).ok().as_deref(),
            Some("null")
        );
    }
}
