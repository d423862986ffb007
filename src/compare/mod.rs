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

use crate::metrics::{RunResult, Sample};

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
