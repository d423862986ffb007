//! SVG charts of a run (plotters, SVG backend): pure functions of the result,
//! rendered to strings, byte-identical for the same run.

mod common;
mod lag;
mod latency;
mod rto;
mod timeline;

pub use lag::lag_svg;
pub use latency::latency_svg;
pub use rto::rto_svg;
pub use timeline::timeline_svg;

/// Every chart of a run: (file name, SVG text), in the order they are shown.
pub fn all_charts(result: &crate::metrics::RunResult) -> Vec<(&'static str, String)> {
    vec![
        ("timeline.svg", timeline_svg(result)),
        ("lag.svg", lag_svg(result)),
        ("latency.svg", latency_svg(result)),
        ("rto.svg", rto_svg(result)),
    ]
}
