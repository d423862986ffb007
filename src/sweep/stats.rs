//! Percentiles over the seeds of each parameter point (nearest-rank).
//!
//! For `n` values sorted ascending, the p-th percentile is the value of rank
//! `ceil(p / 100 * n)` (1-based, at least 1): always one of the values, never
//! an interpolation. An unbounded value (`null`, such as an RTO where some
//! client never recovered) counts as +infinity: it sorts after every finite
//! value, and a percentile that lands on it is `null`.

use super::grid::Params;
use super::Row;
use crate::metrics::Sample;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The nearest-rank `pct`-th percentile of `sorted` (ascending, as by
/// [`Sample::total_cmp`]); `Unbounded` for an empty slice.
pub fn nearest_rank(sorted: &[Sample], pct: u32) -> Sample {
    crate::metrics::percentile::percentile_of(sorted, pct).unwrap_or(Sample::Unbounded)
}

/// One metric's spread over the seeds of a point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub min: Sample,
    pub p50: Sample,
    pub p95: Sample,
    pub p99: Sample,
    pub max: Sample,
}

impl Spread {
    /// The spread of `values` (any order).
    pub fn of(mut values: Vec<Sample>) -> Spread {
        values.sort_by(Sample::total_cmp);
        Spread {
            min: values.first().copied().unwrap_or(Sample::Unbounded),
            p50: nearest_rank(&values, 50),
            p95: nearest_rank(&values, 95),
            p99: nearest_rank(&values, 99),
            max: values.last().copied().unwrap_or(Sample::Unbounded),
        }
    }
}

/// Every metric's spread, keyed by metric name in the order of the row metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct Spreads(pub Vec<(&'static str, Spread)>);

impl Spreads {
    pub fn get(&self, key: &str) -> Option<&Spread> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, s)| s)
    }
}

impl Serialize for Spreads {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The summary of one parameter point over its seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointStats {
    pub point: usize,
    pub params: Params,
    /// The number of runs (seeds) summarised.
    pub runs: usize,
    /// Runs of this point that breached at least one budget.
    pub runs_breaching_budgets: usize,
    pub metrics: Spreads,
}

/// The summary of every point: `rows` must be in run order, and the rows of a
/// point are those with its `point` index.
pub fn point_stats(rows: &[Row], points: &[Params]) -> Vec<PointStats> {
    let mut by_point: Vec<Vec<&Row>> = vec![Vec::new(); points.len()];
    for r in rows {
        if let Some(v) = by_point.get_mut(r.point) {
            v.push(r);
        }
    }
    by_point
        .iter()
        .zip(points)
        .enumerate()
        .map(|(point, (rows, params))| PointStats {
            point,
            params: params.clone(),
            runs: rows.len(),
            runs_breaching_budgets: rows
                .iter()
                .filter(|r| !r.budgets_breached.is_empty())
                .count(),
            metrics: Spreads(
                crate::metrics::catalogue::columns()
                    .map(|m| {
                        let values = rows.iter().filter_map(|r| r.metrics.get(m.name)).collect();
                        (m.column.unwrap_or(m.name), Spread::of(values))
                    })
                    .collect(),
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[u64]) -> Vec<Sample> {
        v.iter().map(|x| Sample::Int(*x)).collect()
    }

    #[test]
    fn nearest_rank_picks_a_value() {
        let v = ints(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(nearest_rank(&v, 50), Sample::Int(5));
        assert_eq!(nearest_rank(&v, 95), Sample::Int(10));
        assert_eq!(nearest_rank(&v, 0), Sample::Int(1));
        let one = ints(&[7]);
        assert_eq!(nearest_rank(&one, 99), Sample::Int(7));
        assert_eq!(nearest_rank(&[], 50), Sample::Unbounded);
    }

    #[test]
    fn unbounded_counts_as_infinity() {
        let mut v = ints(&[3, 1, 2]);
        v.push(Sample::Unbounded);
        let s = Spread::of(v);
        assert_eq!(s.min, Sample::Int(1));
        assert_eq!(s.p50, Sample::Int(2));
        assert_eq!(s.p95, Sample::Unbounded);
        assert_eq!(s.max, Sample::Unbounded);
    }
}
