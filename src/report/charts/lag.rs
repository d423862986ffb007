//! lag.svg: replication lag per replica over time (the worst lag applied in
//! each second), on a logarithmic axis in milliseconds, fault windows shaded.

use super::common::*;
use crate::metrics::RunResult;
use plotters::prelude::*;

const TITLE: &str = "Replication lag per replica";

/// The chart as SVG text (deterministic bytes). Seconds in which a replica
/// applied nothing are gaps in its line, not zeros.
pub fn lag_svg(result: &RunResult) -> String {
    let r = &result.report;
    let s = &result.series;
    let end_us = r.duration_us.saturating_add(r.drain_us).max(1);
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    let values = || s.lag_max_us.values().flatten().copied().filter(|&v| v > 0);
    let (Some(lo), Some(hi)) = (values().min(), values().max()) else {
        return message(SIZE, &title, "no replicated write was applied in this run");
    };
    let ms = |us: u64| us as f64 / 1000.0;
    let y = decades(ms(lo), ms(hi));
    let axis = TimeAxis::for_span(end_us);
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, replica) in s.lag_max_us.keys().enumerate() {
        legend.push((
            format!("lag to {replica}"),
            Key::Line(color(i).stroke_width(2)),
        ));
    }
    render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..axis.at(end_us), (y.0..y.1).log_scale())?;
        mesh(
            &mut chart,
            axis.label,
            "worst lag applied in the second (ms, log scale)",
        )?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, y, drain)?;
        for (i, per_sec) in s.lag_max_us.values().enumerate() {
            let points = per_sec.iter().enumerate().map(|(sec, &lag)| {
                (lag > 0).then(|| (axis.at(sec as u64 * 1_000_000 + 500_000), ms(lag)))
            });
            draw_lines(&mut chart, segments(points), color(i).stroke_width(2))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn draws_each_replica() {
        let mut r = sample();
        r.report.duration_us = 5_000_000;
        r.report.drain_us = 0;
        r.series
            .lag_max_us
            .insert("eu-west-1".into(), vec![39_000, 41_000, 0, 120_000]);
        let svg = lag_svg(&r);
        for s in ["lag to eu-west-1", "ms, log scale", "time since start (s)"] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(svg, lag_svg(&r));
    }

    #[test]
    fn nothing_applied_says_so() {
        assert!(lag_svg(&sample()).contains("no replicated write"));
    }
}
