//! timeline.svg: success rate per client region over time, fault windows
//! shaded, failover steps (decision, promotion, DNS change) as vertical lines.

use super::common::*;
use crate::metrics::{Kind, RunResult, Series};
use plotters::prelude::*;

const TITLE: &str = "Success rate of requests per client region";

/// The failover steps marked on the chart: timeline kind, legend text, colour
/// and line width (a decision and its DNS change often coincide: the wider
/// line stays visible under the narrower one).
const STEPS: [(Kind, &str, RGBColor, u32); 3] = [
    (
        Kind::Decision,
        "failover decided",
        RGBColor(110, 50, 150),
        5,
    ),
    (
        Kind::Promotion,
        "new primary takes writes",
        RGBColor(0, 158, 115),
        2,
    ),
    (Kind::Dns, "DNS answer changes", RGBColor(204, 121, 167), 2),
];

/// The chart as SVG text (deterministic bytes).
pub fn timeline_svg(result: &RunResult) -> String {
    let r = &result.report;
    let s = &result.series;
    let end_us = r.duration_us.saturating_add(r.drain_us).max(1);
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    if s.requests.is_empty() {
        return message(SIZE, &title, "no client requests in this run");
    }
    let axis = TimeAxis::for_span(end_us);
    let steps = step_times(s, axis, end_us);
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, region) in s.requests.keys().enumerate() {
        legend.push((format!("clients in {region}"), Key::Line(line_style(i))));
    }
    for (label, style, _) in &steps {
        legend.push((label.to_string(), Key::Dashed(*style)));
    }
    render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..axis.at(end_us), 0f64..105f64)?;
        mesh(&mut chart, axis.label, "requests that succeeded (%)")?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, (0.0, 105.0), drain)?;
        for (i, per_sec) in s.requests.values().enumerate() {
            let points = per_sec.iter().enumerate().map(|(sec, &(ok, all))| {
                (all > 0).then(|| {
                    let t = axis.at(sec as u64 * 1_000_000 + 500_000);
                    (t, 100.0 * ok as f64 / all as f64)
                })
            });
            draw_lines(&mut chart, segments(points), line_style(i))?;
        }
        for (_, style, times) in steps {
            chart.draw_series(times.iter().map(|&t| {
                plotters::element::DashedPathElement::new(vec![(t, 0.0), (t, 105.0)], 6, 4, style)
            }))?;
        }
        Ok(())
    })
}

fn line_style(i: usize) -> ShapeStyle {
    color(i).stroke_width(2)
}

/// Per failover step kind present in the run: legend text, style, times.
fn step_times(
    s: &Series,
    axis: TimeAxis,
    end_us: u64,
) -> Vec<(&'static str, ShapeStyle, Vec<f64>)> {
    STEPS
        .iter()
        .map(|&(kind, label, c, width)| {
            let times: Vec<f64> = s
                .timeline
                .iter()
                .filter(|e| e.kind == kind && e.at_us <= end_us)
                .map(|e| axis.at(e.at_us))
                .collect();
            (label, c.stroke_width(width), times)
        })
        .filter(|(_, _, times)| !times.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn draws_axes_lines_faults_and_steps() {
        let mut r = sample();
        r.series
            .requests
            .insert("us-east-1".into(), vec![(10, 10), (0, 10), (0, 0), (5, 10)]);
        r.series.fault_windows = vec![(1_000_000, 2_000_000, "us-east-1 goes dark".into())];
        r.series.timeline = r.report.incidents[0].timeline.clone();
        for e in &mut r.series.timeline {
            e.at_us /= 400;
        }
        r.report.duration_us = 4_000_000;
        r.report.drain_us = 1_000_000;
        let svg = timeline_svg(&r);
        assert!(svg.starts_with("<svg"));
        for s in [
            "time since start (s)",
            "requests that succeeded (%)",
            "clients in us-east-1",
            "fault: us-east-1 goes dark",
            "new primary takes writes",
            "drain (no new requests)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(svg, timeline_svg(&r), "deterministic");
    }

    #[test]
    fn empty_series_says_so() {
        assert!(timeline_svg(&sample()).contains("no client requests"));
    }
}
