//! One sweep run's figures, flat: what a row of sweep.json holds. Its
//! columns are the metric catalogue's sweep columns, in catalogue order.

use crate::metrics::catalogue::{columns, Metric};
use crate::metrics::{Metrics, RunResult, Sample};
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// The flat metrics of one run (the `metrics` object of a row): one value per
/// sweep column of the catalogue, in column order.
#[derive(Clone, Debug, PartialEq)]
pub struct RowMetrics(Vec<Sample>);

impl Default for RowMetrics {
    /// Zero in every column.
    fn default() -> RowMetrics {
        RowMetrics(columns().map(zero).collect())
    }
}

fn zero(m: &Metric) -> Sample {
    match m.unit {
        crate::metrics::Unit::Share => Sample::Ratio(0.0),
        _ => Sample::Int(0),
    }
}

impl From<&Metrics> for RowMetrics {
    fn from(m: &Metrics) -> RowMetrics {
        RowMetrics(columns().map(|c| (c.read)(m)).collect())
    }
}

impl RowMetrics {
    /// The figure of the catalogue metric `name`; `None` when it is not a column.
    pub fn get(&self, name: &str) -> Option<Sample> {
        columns()
            .position(|m| m.name == name)
            .and_then(|i| self.0.get(i).copied())
    }

    /// Replaces the figure of the catalogue metric `name` (if it is a column).
    pub fn set(&mut self, name: &str, value: Sample) {
        if let Some(slot) = columns()
            .position(|m| m.name == name)
            .and_then(|i| self.0.get_mut(i))
        {
            *slot = value;
        }
    }

    /// Each column's metric with its figure, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Metric, Sample)> + '_ {
        columns().zip(self.0.iter().copied())
    }
}

impl Serialize for RowMetrics {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (m, v) in self.iter() {
            map.serialize_entry(m.column.unwrap_or(m.name), &v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RowMetrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RowMetrics, D::Error> {
        let raw = BTreeMap::<String, serde_json::Value>::deserialize(d)?;
        let values = columns()
            .map(|m| {
                let key = m.column.unwrap_or(m.name);
                let v = raw.get(key).ok_or_else(|| D::Error::missing_field(key))?;
                m.sample_of_json(v).ok_or_else(|| {
                    D::Error::custom(format!("`{key}` is not a {:?} figure", m.unit))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(RowMetrics(values))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip_in_catalogue_order() {
        let mut m = RowMetrics::default();
        m.set("rto", Sample::Unbounded);
        m.set("availability", Sample::Ratio(0.25));
        let text = serde_json::to_string(&m).unwrap_or_default();
        assert!(text.starts_with("{\"rpo_us\":0,\"rto_us\":null,"), "{text}");
        let keys: Vec<&str> = columns().filter_map(|c| c.column).collect();
        let pos: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\"")).unwrap_or(usize::MAX))
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
        let back: RowMetrics = serde_json::from_str(&text).expect("row metrics");
        assert_eq!(back, m);
        assert_eq!(back.get("availability"), Some(Sample::Ratio(0.25)));
        assert_eq!(back.get("residency_violations"), None);
    }
}
