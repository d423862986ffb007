//! SVG charts of a run (plotters, SVG backend): pure functions of the result,
//! rendered to strings, byte-identical for the same run.

mod common;
mod lag;
mod latency;
mod markers;
mod ranges;
mod reads;
mod rto;
mod shares;
mod timeline;

pub use lag::lag_svg;
pub use latency::latency_svg;
pub use ranges::ranges_svg;
pub use reads::reads_svg;
pub use rto::rto_svg;
pub use timeline::timeline_svg;

/// Every chart of a run: (file name, SVG text), in the order they are shown.
/// `reads.svg` only when the workload has reads, `ranges.svg` only with
/// `[[residency]]` rules.
pub fn all_charts(result: &crate::metrics::RunResult) -> Vec<(&'static str, String)> {
    let mut charts = vec![
        ("timeline.svg", timeline_svg(result)),
        ("lag.svg", lag_svg(result)),
    ];
    if let Some(svg) = reads_svg(result) {
        charts.push(("reads.svg", svg));
    }
    if let Some(svg) = ranges_svg(result) {
        charts.push(("ranges.svg", svg));
    }
    charts.push(("latency.svg", latency_svg(result)));
    charts.push(("rto.svg", rto_svg(result)));
    charts
}
