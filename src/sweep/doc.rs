//! sweep.json and the shard files (`shard-K-of-N.json`), and merging shards.
//!
//! A shard file holds the full sweep definition and its rows with their global
//! indices. Merging checks that every shard has the same definition and that
//! together they hold every run exactly once, each row where the definition
//! puts it; the result is the same [`SweepDoc`] an unsharded sweep builds, so
//! the files written from it are byte-identical.

use super::grid::Shard;
use super::stats::{point_stats, PointStats};
use super::{Definition, Row};
use crate::metrics::Sample;
use serde::{Deserialize, Serialize};

/// How the percentiles are computed, written into sweep.json.
pub const PERCENTILES_NOTE: &str = "per parameter point over its seeds, nearest-rank: \
the p-th percentile of n values is the value of rank ceil(p/100 * n) in ascending order; \
null (unbounded, such as an RTO where some client never recovered) counts as +infinity, \
and a percentile that lands on it is null";

/// The tag at the top of a shard file.
pub const SHARD_KIND: &str = "regionsim-sweep-shard";

/// A whole sweep: sweep.json, and what sweep.md and the charts are drawn from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepDoc {
    pub definition: Definition,
    pub percentiles: &'static str,
    /// Every run, in the fixed order.
    pub rows: Vec<Row>,
    /// Per parameter point, in point order: percentiles of every metric.
    pub points: Vec<PointStats>,
}

impl SweepDoc {
    /// Checks that `rows` are exactly the runs of `definition` in order
    /// (each at its index, with the point, parameters and seed the grid
    /// gives it) and computes the percentiles.
    pub fn assemble(definition: Definition, rows: Vec<Row>) -> Result<SweepDoc, String> {
        let grid = definition.grid()?;
        if rows.len() != grid.run_count() {
            return Err(format!(
                "{} rows for a sweep of {} runs",
                rows.len(),
                grid.run_count()
            ));
        }
        let points: Vec<_> = (0..grid.point_count()).map(|p| grid.params(p)).collect();
        for (i, r) in rows.iter().enumerate() {
            let (point, seed) = grid.run(i);
            let params = points.get(point);
            if r.index != i || r.point != point || r.seed != seed || Some(&r.params) != params {
                return Err(format!(
                    "run {i} should be point {point} ({}) with seed {seed}, but the row found there is run {} (point {}, seed {})",
                    params.map(|p| p.label()).unwrap_or_default(),
                    r.index,
                    r.point,
                    r.seed
                ));
            }
        }
        let stats = point_stats(&rows, &points);
        Ok(SweepDoc {
            definition,
            percentiles: PERCENTILES_NOTE,
            rows,
            points: stats,
        })
    }

    /// Whether some run breached a budget.
    pub fn any_breach(&self) -> bool {
        self.rows.iter().any(|r| !r.budgets_breached.is_empty())
    }
}

/// sweep.json: the document, pretty-printed, with a trailing newline.
pub fn sweep_json(doc: &SweepDoc) -> String {
    pretty(doc)
}

fn pretty<T: Serialize>(v: &T) -> String {
    // Plain structs of numbers, strings and ordered maps cannot fail to serialise.
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A row of a shard file. `availability_exact` is the availability in Rust's
/// shortest round-trip form, parsed with the standard library on merge, so
/// that the merged sweep.json holds the very same bits as an unsharded one
/// (serde_json's default float parsing may differ in the last bit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardRow {
    #[serde(flatten)]
    pub row: Row,
    pub availability_exact: String,
}

/// A shard file: one slice of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardDoc {
    pub kind: String,
    pub shard: Shard,
    pub definition: Definition,
    pub rows: Vec<ShardRow>,
}

/// The shard file for `rows` (the slice `shard` of the sweep `definition`).
pub fn shard_json(definition: &Definition, shard: Shard, rows: &[Row]) -> String {
    let doc = ShardDoc {
        kind: SHARD_KIND.to_string(),
        shard,
        definition: definition.clone(),
        rows: rows
            .iter()
            .map(|r| ShardRow {
                row: r.clone(),
                availability_exact: match r.metrics.get("availability") {
                    Some(Sample::Ratio(a)) => format!("{a}"),
                    _ => "NaN".to_string(),
                },
            })
            .collect(),
    };
    pretty(&doc)
}

/// Reads a shard file's text.
pub fn parse_shard(text: &str) -> Result<ShardDoc, String> {
    let doc: ShardDoc =
        serde_json::from_str(text).map_err(|e| format!("not a regionsim sweep shard file: {e}"))?;
    if doc.kind != SHARD_KIND {
        return Err(format!(
            "not a regionsim sweep shard file: `kind` is {:?}, expected {SHARD_KIND:?}",
            doc.kind
        ));
    }
    if Shard::new(doc.shard.k, doc.shard.n).is_none() {
        return Err(format!(
            "shard {}/{} is not a valid slice (1 <= K <= N)",
            doc.shard.k, doc.shard.n
        ));
    }
    Ok(doc)
}

/// Joins shards (each with a label for messages, such as its file name) into
/// the whole sweep. Errs when they belong to different sweeps, when a run is
/// missing or present twice, or when a row is not where its shard says.
pub fn merge_shards(shards: Vec<(String, ShardDoc)>) -> Result<SweepDoc, String> {
    let Some((first_label, first)) = shards.first() else {
        return Err("no shard files to merge".to_string());
    };
    let definition = first.definition.clone();
    let first_label = first_label.clone();
    let grid = definition
        .grid()
        .map_err(|e| format!("{first_label}: {e}"))?;
    let mut slots: Vec<Option<(Row, String)>> = vec![None; grid.run_count()];
    for (label, doc) in shards {
        if doc.definition != definition {
            return Err(format!(
                "{label} belongs to a different sweep than {first_label}: their definitions differ ({})",
                difference(&definition, &doc.definition)
            ));
        }
        for sr in doc.rows {
            let mut row = sr.row;
            let i = row.index;
            if !doc.shard.contains(i) {
                return Err(format!(
                    "{label}: run {i} does not belong to shard {}",
                    doc.shard
                ));
            }
            let exact = sr
                .availability_exact
                .parse::<f64>()
                .map_err(|_| format!("{label}: run {i}: `availability_exact` is not a number"))?;
            row.metrics.set("availability", Sample::Ratio(exact));
            let Some(slot) = slots.get_mut(i) else {
                return Err(format!(
                    "{label}: run {i} is outside the sweep's {} runs",
                    grid.run_count()
                ));
            };
            if let Some((_, other)) = slot {
                return Err(format!("run {i} is in both {other} and {label}"));
            }
            *slot = Some((row, label.clone()));
        }
    }
    let missing: Vec<usize> = (0..slots.len())
        .filter(|i| slots.get(*i).is_some_and(|s| s.is_none()))
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(10).map(|i| i.to_string()).collect();
        return Err(format!(
            "the shards do not cover the sweep: {} of {} runs missing (runs {}{}); merge every shard K/N for K = 1..N",
            missing.len(),
            grid.run_count(),
            shown.join(", "),
            if missing.len() > 10 { ", ..." } else { "" }
        ));
    }
    let rows = slots.into_iter().flatten().map(|(r, _)| r).collect();
    SweepDoc::assemble(definition, rows)
}

/// Names the fields in which two definitions differ.
fn difference(a: &Definition, b: &Definition) -> String {
    let mut d = Vec::new();
    if a.scenario != b.scenario {
        d.push(format!("scenario {:?} vs {:?}", a.scenario, b.scenario));
    }
    if a.scenario_sha256 != b.scenario_sha256 {
        d.push("scenario file sha256".to_string());
    }
    if a.regionsim_version != b.regionsim_version {
        d.push(format!(
            "regionsim version {} vs {}",
            a.regionsim_version, b.regionsim_version
        ));
    }
    if a.seeds != b.seeds {
        d.push(format!("seeds {} vs {}", a.seeds, b.seeds));
    }
    if a.sets != b.sets {
        d.push("--set lists".to_string());
    }
    if d.is_empty() {
        d.push("points or runs".to_string());
    }
    d.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::{Params, RowMetrics, SeedRange};

    fn sweep(rows_avail: &[f64]) -> (Definition, Vec<Row>) {
        let def = Definition {
            scenario: "s".into(),
            scenario_file: "scenarios/s.toml".into(),
            scenario_sha256: "00".into(),
            regionsim_version: "0".into(),
            seeds: SeedRange {
                first: 1,
                last: rows_avail.len() as u64,
            },
            sets: Vec::new(),
            points: 1,
            runs: rows_avail.len(),
        };
        let rows = rows_avail
            .iter()
            .enumerate()
            .map(|(i, a)| Row {
                index: i,
                point: 0,
                params: Params::default(),
                seed: 1 + i as u64,
                budgets_breached: Vec::new(),
                metrics: {
                    let mut m = RowMetrics::default();
                    m.set("availability", Sample::Ratio(*a));
                    m
                },
            })
            .collect();
        (def, rows)
    }

    #[test]
    fn merged_shards_keep_every_bit() {
        // Values whose shortest form has 17 significant digits.
        let avail = [
            0.1 + 0.2,
            0.948_447_752_317_663_8,
            1.0 / 3.0,
            0.999_999_999_999_999_9,
        ];
        let (def, rows) = sweep(&avail);
        let whole = SweepDoc::assemble(def.clone(), rows.clone()).expect("whole");
        let shards: Vec<(String, ShardDoc)> = (1..=2)
            .map(|k| {
                let s = Shard { k, n: 2 };
                let mine: Vec<Row> = rows
                    .iter()
                    .filter(|r| s.contains(r.index))
                    .cloned()
                    .collect();
                let doc = parse_shard(&shard_json(&def, s, &mine)).expect("shard");
                (format!("shard {k}"), doc)
            })
            .collect();
        let merged = merge_shards(shards).expect("merge");
        assert_eq!(sweep_json(&merged), sweep_json(&whole));
        for (r, a) in merged.rows.iter().zip(avail) {
            assert_eq!(r.metrics.get("availability"), Some(Sample::Ratio(a)));
        }
    }

    #[test]
    fn rows_out_of_place_are_refused() {
        let (def, mut rows) = sweep(&[0.5, 0.6]);
        rows.swap(0, 1);
        assert!(SweepDoc::assemble(def.clone(), rows).is_err());
        assert!(merge_shards(Vec::new()).is_err());
        assert!(parse_shard("{}").is_err());
        assert!(parse_shard("not json").is_err());
        let (_, rows) = sweep(&[0.5, 0.6]);
        let text = shard_json(&def, Shard { k: 1, n: 1 }, &rows).replace(SHARD_KIND, "other");
        assert!(parse_shard(&text).is_err());
    }
}
