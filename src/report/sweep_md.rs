//! sweep.md (the sweep's page: definition, percentiles per point, every run,
//! the charts) and [`sweep_files`], the whole set of files a sweep writes.

use super::sweep_charts::{chart_metrics, chart_name, frontier_param, sweep_charts, FRONTIER};
use crate::metrics::metric;
use crate::sweep::{sweep_json, Row, SweepDoc};
use std::fmt::Write;

macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Every file of a sweep, `(file name, contents)`: sweep.json, sweep.md and
/// the charts. A pure function of the document, so an unsharded sweep and a
/// merge of its shards write the same bytes.
pub fn sweep_files(doc: &SweepDoc) -> Vec<(String, String)> {
    let mut files = vec![
        ("sweep.json".to_string(), sweep_json(doc)),
        ("sweep.md".to_string(), sweep_md(doc)),
        ("sweep.csv".to_string(), super::sweep_csv::sweep_csv(doc)),
    ];
    files.extend(sweep_charts(doc));
    files
}

/// The catalogue metrics with a per-point table, in this order.
const TABLES: [&str; 8] = [
    "rpo",
    "rto",
    "service_restored",
    "lost_writes",
    "failed_writes",
    "availability",
    "write_latency_p99",
    "conflicts",
];

/// The sweep's page.
pub fn sweep_md(doc: &SweepDoc) -> String {
    let mut out = String::new();
    header(&mut out, doc);
    per_point(&mut out, doc);
    runs(&mut out, doc);
    charts(&mut out, doc);
    out
}

fn header(out: &mut String, doc: &SweepDoc) {
    let d = &doc.definition;
    let short: String = d.scenario_sha256.chars().take(12).collect();
    line!(
        out,
        "# Sweep of {} — {} runs — sha256 {}",
        cell(&d.scenario),
        d.runs,
        short
    );
    line!(out);
    line!(
        out,
        "Scenario `{}` (file SHA-256 `{}`), regionsim {}: seeds {} ({} per point) x {} parameter point(s) = {} runs. \
         Every run is an independent simulation; all times are virtual.",
        cell(&d.scenario),
        cell(&d.scenario_sha256),
        cell(&d.regionsim_version),
        d.seeds,
        d.seeds.count(),
        d.points,
        d.runs
    );
    line!(out);
    if d.sets.is_empty() {
        line!(
            out,
            "No parameter swept (no `--set`): one point, the scenario as written."
        );
    } else {
        line!(
            out,
            "Swept parameters (points in this order, the last list varying fastest):"
        );
        line!(out);
        for s in &d.sets {
            line!(out, "- `{}`: {}", cell(&s.path), cell(&s.values.join(", ")));
        }
    }
    line!(out);
    let file = match d.scenario_file.as_str() {
        "" => "SCENARIO".to_string(),
        f => shell_word(f),
    };
    let mut cmd = format!("regionsim sweep {file} --seeds {}", d.seeds);
    for s in &d.sets {
        cmd.push_str(&format!(
            " --set {}",
            shell_word(&format!("{}={}", s.path, s.values.join(",")))
        ));
    }
    line!(out, "Reproduce: `{}`", cmd.replace('`', "'"));
    line!(out);
    let breaching = doc
        .rows
        .iter()
        .filter(|r| !r.budgets_breached.is_empty())
        .count();
    if breaching == 0 {
        line!(out, "**Budgets:** held in every run ✅");
    } else {
        line!(
            out,
            "**Budgets:** {breaching} of {} runs breached a budget ❌ (see the runs table)",
            d.runs
        );
    }
    line!(out);
}

fn per_point(out: &mut String, doc: &SweepDoc) {
    line!(out, "## Percentiles per parameter point");
    line!(out);
    line!(
        out,
        "Over the seeds of each point, nearest-rank: the p-th percentile of n values is the value of rank \
         ceil(p/100 x n) in ascending order. An unbounded value (an RTO where some client never recovered) \
         counts as +infinity; a percentile that lands on it reads *not recovered*. sweep.json holds these \
         figures for every metric."
    );
    line!(out);
    let names: Vec<String> = doc
        .definition
        .sets
        .iter()
        .map(|s| format!("`{}`", cell(&s.path)))
        .collect();
    let head = if names.is_empty() {
        "Point".to_string()
    } else {
        names.join(" | ")
    };
    let rule = if names.is_empty() {
        "---".to_string()
    } else {
        vec!["---"; names.len()].join("|")
    };
    for m in TABLES.iter().filter_map(|name| metric(name)) {
        line!(out, "### {}", m.title);
        line!(out);
        line!(out, "| {head} | min | p50 | p95 | p99 | max |");
        line!(out, "|{rule}|---:|---:|---:|---:|---:|");
        for p in &doc.points {
            let Some(s) = p.metrics.get(m.column_key()) else {
                continue;
            };
            line!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                params_cells(&p.params.0),
                m.cell(s.min),
                m.cell(s.p50),
                m.cell(s.p95),
                m.cell(s.p99),
                m.cell(s.max)
            );
        }
        line!(out);
    }
}

fn params_cells(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return "(scenario as written)".to_string();
    }
    let v: Vec<String> = params.iter().map(|(_, v)| cell(v)).collect();
    v.join(" | ")
}

fn runs(out: &mut String, doc: &SweepDoc) {
    line!(out, "## Runs");
    line!(out);
    line!(
        out,
        "Every run in the fixed order (points as above, seeds innermost)."
    );
    line!(out);
    let names: Vec<String> = doc
        .definition
        .sets
        .iter()
        .map(|s| format!("`{}`", cell(&s.path)))
        .collect();
    let mut head = vec!["Run".to_string()];
    head.extend(names);
    head.extend(
        [
            "Seed",
            "RPO",
            "RTO",
            "Lost writes",
            "Acknowledged",
            "Failed",
            "Availability",
            "Write p99",
            "Budgets",
        ]
        .map(String::from),
    );
    line!(out, "| {} |", head.join(" | "));
    let rule: Vec<&str> = head.iter().map(|_| "---:").collect();
    line!(out, "|{}|", rule.join("|"));
    for r in &doc.rows {
        line!(out, "| {} |", run_cells(r).join(" | "));
    }
    line!(out);
}

/// The catalogue metrics in the runs table, in this order.
const RUN_COLUMNS: [&str; 7] = [
    "rpo",
    "rto",
    "lost_writes",
    "acknowledged_writes",
    "failed_writes",
    "availability",
    "write_latency_p99",
];

fn run_cells(r: &Row) -> Vec<String> {
    let m = &r.metrics;
    let mut c = vec![r.index.to_string()];
    c.extend(r.params.0.iter().map(|(_, v)| cell(v)));
    c.push(r.seed.to_string());
    for name in RUN_COLUMNS {
        if let (Some(def), Some(v)) = (metric(name), m.get(name)) {
            c.push(def.cell(v));
        }
    }
    c.push(if r.budgets_breached.is_empty() {
        "✅".to_string()
    } else {
        format!("❌ {}", cell(&r.budgets_breached.join(", ")))
    });
    c
}

fn charts(out: &mut String, doc: &SweepDoc) {
    line!(out, "## Charts");
    line!(out);
    let sets = &doc.definition.sets;
    if sets.is_empty() {
        line!(out, "No parameter swept, so no charts: sweep.json and the tables above hold the spread over seeds.");
        return;
    }
    line!(
        out,
        "Each chart puts one metric against one swept parameter. The line and its dots are the median (p50) \
         over the seeds of each point; the shaded band and the bars span the best to the worst seed (min to max), \
         so a wide band means the outcome depends on timing luck, not only on the parameter. With more than one \
         parameter swept there is one line per combination of the others. An unbounded RTO takes the band to the top edge."
    );
    line!(out);
    for s in sets {
        for m in chart_metrics() {
            let name = chart_name(m.name, &s.path);
            line!(out, "![{} vs {}]({})", m.title, cell(&s.path), name);
        }
        line!(out);
    }
    if frontier_param(sets).is_some() {
        line!(
            out,
            "The frontier puts each replication mode at (write latency p99, lost writes), medians over seeds with \
             min-to-max bars: stronger modes move right (slower writes) and down (fewer lost writes). The dashed \
             line joins the points that no other point beats on both."
        );
        line!(out);
        line!(out, "![durability vs latency]({FRONTIER})");
        line!(out);
    }
}

/// Text made safe for a table cell or a line: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace(['\r', '\n'], " ").replace('|', "\\|")
}

/// A word quoted for a POSIX shell when it needs it.
fn shell_word(w: &str) -> String {
    let plain = w
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.,=/:".contains(c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}
