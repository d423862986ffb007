//! The one "share per client region over time" chart behind timeline.svg
//! (requests that succeeded) and reads.svg (answered reads that were stale):
//! a percentage per second from (part, whole) counts, fault windows shaded,
//! failover and replication steps marked, identical series dashed.

use std::collections::BTreeMap;

use super::common::*;
use super::markers::{draw_markers, marker_keys, markers};
use crate::metrics::RunResult;
use plotters::prelude::*;

/// What differs between the charts drawn by [`share_svg`].
pub struct ShareChart<'a> {
    pub title: &'a str,
    pub y_desc: &'a str,
    /// The legend of a series, before the region's name (`"clients in "`).
    pub legend: &'a str,
    /// Per client region: (part, whole) per second of the run.
    pub series: &'a BTreeMap<String, Vec<(u64, u64)>>,
}

/// The chart as SVG text (deterministic bytes); `series` must not be empty.
pub fn share_svg(result: &RunResult, c: &ShareChart) -> String {
    let r = &result.report;
    let s = &result.series;
    let end_us = r.duration_us.saturating_add(r.drain_us).max(1);
    let title = format!("{} — {} (seed {})", c.title, r.scenario, r.seed);
    let axis = TimeAxis::for_span(end_us);
    let steps = markers(s, end_us);
    let names: Vec<&String> = c.series.keys().collect();
    let twins = identical_to(&c.series.values().collect::<Vec<_>>());
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, region) in names.iter().enumerate() {
        let text = match twins[i] {
            Some(j) => format!("{}{region} (identical to {})", c.legend, names[j]),
            None => format!("{}{region}", c.legend),
        };
        legend.push((text, series_key(i, names.len(), twins[i].is_some())));
    }
    legend.extend(marker_keys(&steps));
    // Headroom above 100% for the step labels, so they do not cover the
    // lines (no tick is labelled above 100).
    let top = if steps.is_empty() { 105.0 } else { 130.0 };
    render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..axis.at(end_us), 0f64..top)?;
        chart
            .configure_mesh()
            .x_desc(axis.label)
            .y_desc(c.y_desc)
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&|v| if *v <= 100.0 { num(*v) } else { String::new() })
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, (0.0, top), drain)?;
        for (i, per_sec) in c.series.values().enumerate() {
            let points = per_sec.iter().enumerate().map(|(sec, &(part, whole))| {
                (whole > 0).then(|| {
                    let t = axis.at(sec as u64 * 1_000_000 + 500_000);
                    (t, 100.0 * part as f64 / whole as f64)
                })
            });
            let style = series_style(i, names.len());
            draw_parts(&mut chart, segments(points), style, twins[i].is_some())?;
        }
        draw_markers(&mut chart, axis, (0.0, top), &steps)
    })
}
