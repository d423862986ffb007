//! Reports: pure functions of a run's result.
//!
//! Each function turns a [`RunResult`](crate::metrics::RunResult) into the text
//! of one output file (or of stdout); none does I/O, reads a clock or knows
//! where the file will go, so the same run always gives the same bytes.

pub(crate) mod backlog;
mod baseline;
pub mod charts;
mod check;
mod csv;
mod explore_chart;
mod html;
mod json;
mod junit;
mod markdown;
mod palette;
mod rows;
mod sweep_charts;
mod sweep_csv;
mod sweep_frontier;
mod sweep_md;
mod sweep_style;
mod text;
pub mod timeline;
mod timeseries;
mod trace;

pub use baseline::{compare, parse_baseline, Baseline, Comparison};
pub use check::{check_text, BaselineCheck, BudgetRun, BudgetRuns, Problem, ScenarioCheck};
pub use csv::lost_writes_csv;
pub use explore_chart::explore_charts;
pub use html::report_html;
pub use json::report_json;
pub use junit::junit_xml;
pub use markdown::summary_md;
pub use sweep_charts::sweep_charts;
pub use sweep_md::{sweep_files, sweep_md};
pub use text::{human_summary, Mechanisms};
pub use timeseries::timeseries_csv;
pub use trace::trace_json;

/// Every file that `run` writes into a scenario's report folder, as (file
/// name, contents): report.json, summary.md, report.html, lost_writes.csv,
/// timeseries.csv and the four charts.
pub fn run_files(result: &crate::metrics::RunResult) -> Vec<(&'static str, String)> {
    let charts = charts::all_charts(result);
    let mut files = vec![
        ("report.json", report_json(result)),
        ("summary.md", summary_md(result)),
        ("report.html", report_html(result, &charts)),
        ("lost_writes.csv", lost_writes_csv(result)),
        ("timeseries.csv", timeseries_csv(result)),
    ];
    files.extend(charts);
    files
}

#[cfg(test)]
pub(crate) mod testutil;

/// Text made safe for XML and HTML content and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and line breaks are not XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Seconds with millisecond precision and no unit: `89.500`.
pub(crate) fn secs_plain(us: u64) -> String {
    let s = crate::metrics::fmt_timestamp(us);
    s.trim_end_matches('s').to_string()
}
