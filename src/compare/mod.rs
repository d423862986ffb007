//! `regionsim compare`: figures measured on a real game day beside the
//! simulated ones, and where each falls among the simulated seeds.
//!
//! - `measured.rs`: the MEASURED.json the user writes (`{"rto": "94s", ...}`).
//! - `table.rs`: the comparison and its Markdown (stdout and compare.md).
//!
//! Pure functions: the CLI reads the files, runs the seeds and writes.

mod measured;
mod table;

pub use measured::{parse_measured, Figure, Measured, ACCEPTED_KEYS};
pub use table::{compare, compare_md, Comparison, Row, Verdict};

use crate::metrics::{holds_budget, RunResult, Sample};
use crate::scenario::Budget;

/// The scenario's budgets that a figure measured on the game day breaks, as
/// Markdown lines (metric, its limit as written, the measured value).
pub fn measured_breaches(budgets: &[Budget], measured: &Measured) -> Vec<String> {
    let mut out = Vec::new();
    for &(figure, value) in &measured.0 {
        for b in budgets.iter().filter(|b| b.metric.name == figure.key()) {
            if !holds_budget(b, value) {
                out.push(format!(
                    "- `{}` budget {}: the game day measured {}",
                    b.metric.name,
                    crate::export::md_text(&b.limit_text),
                    figure.show(value)
                ));
            }
        }
    }
    out
}

/// The simulated value of `figure` in one run; `None` when the run has none
/// (detection in a run without an incident).
pub fn simulated(figure: Figure, r: &RunResult) -> Option<Sample> {
    let m = &r.report.metrics;
    match figure {
        Figure::Rto => Some(Sample::opt(m.rto_us)),
        Figure::Rpo => Some(Sample::Int(m.rpo_us)),
        Figure::LostWrites => Some(Sample::Int(m.lost_writes)),
        // The slowest incident's detection: its start until the decision that
        // acted on it (the breakdown's first phase).
        Figure::Detection => r
            .report
            .incidents
            .iter()
            .filter_map(|i| i.rto_breakdown.map(|b| b.detection_us))
            .max()
            .map(Sample::Int),
    }
}
