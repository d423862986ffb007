//! sweep.csv: one row per run of a sweep, the same columns as sweep.json's
//! rows (index, point, each swept parameter, seed, breached budgets, then
//! every metric column in catalogue order).

use super::csv::field;
use crate::metrics::Sample;
use crate::sweep::SweepDoc;

/// The CSV text. Parameter columns are named by their dotted path; breached
/// budgets are joined by `;`; an unbounded figure (RTO never recovered) is
/// an empty cell.
pub fn sweep_csv(doc: &SweepDoc) -> String {
    let paths: Vec<&str> = doc
        .definition
        .sets
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    let mut head: Vec<String> = vec!["index".into(), "point".into()];
    head.extend(paths.iter().map(|p| field(p)));
    head.extend(["seed".into(), "budgets_breached".into()]);
    let columns = crate::sweep::RowMetrics::default();
    head.extend(
        columns
            .iter()
            .map(|(m, _)| m.column.unwrap_or(m.name).to_string()),
    );
    let mut out = head.join(",");
    out.push('\n');
    for r in &doc.rows {
        let mut cells = vec![r.index.to_string(), r.point.to_string()];
        for p in &paths {
            let v = r
                .params
                .0
                .iter()
                .find(|(k, _)| k == p)
                .map_or("", |(_, v)| v);
            cells.push(field(v));
        }
        cells.push(r.seed.to_string());
        cells.push(field(&r.budgets_breached.join(";")));
        cells.extend(r.metrics.iter().map(|(_, v)| cell(v)));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn cell(v: Sample) -> String {
    match v {
        Sample::Int(n) => n.to_string(),
        // Written as sweep.json writes it (shortest form that reads back to
        // the same bits), so the two files agree character for character.
        Sample::Ratio(x) => serde_json::to_string(&x).unwrap_or_default(),
        Sample::Unbounded => String::new(),
    }
}
