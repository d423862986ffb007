//! Reports: pure functions of a run's result.
//!
//! Each function turns a [`RunResult`](crate::metrics::RunResult) into the text
//! of one output file (or of stdout); none does I/O, reads a clock or knows
//! where the file will go, so the same run always gives the same bytes.

mod csv;
mod json;
mod markdown;
mod text;

pub use csv::lost_writes_csv;
pub use json::report_json;
pub use markdown::summary_md;
pub use text::human_summary;

#[cfg(test)]
pub(crate) mod testutil;

/// Seconds with millisecond precision and no unit: `89.500`.
pub(crate) fn secs_plain(us: u64) -> String {
    let s = crate::engine::time::fmt_secs(us);
    s.trim_end_matches('s').to_string()
}

/// Milliseconds with microsecond precision: `3.200ms`.
pub(crate) fn fmt_ms(us: u64) -> String {
    format!("{}.{:03}ms", us / 1000, us % 1000)
}
