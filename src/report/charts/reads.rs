//! reads.svg (only when the workload has reads): the share of answered reads
//! that were stale, per client region and second, fault windows shaded,
//! failover and replication steps marked.

use super::common::*;
use super::markers::{draw_markers, marker_keys, markers};
use crate::metrics::RunResult;
use plotters::prelude::*;

const TITLE: &str = "Stale reads per client region";

/// The chart as SVG text, or `None` when the run had no reads.
pub fn reads_svg(result: &RunResult) -> Option<String> {
    let r = &result.report;
    let s = &result.series;
    if s.reads.is_empty() {
        return None;
    }
    let end_us = r.duration_us.saturating_add(r.drain_us).max(1);
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    let axis = TimeAxis::for_span(end_us);
    let steps = markers(s, end_us);
    let names: Vec<&String> = s.reads.keys().collect();
    let twins = identical_to(&s.reads.values().collect::<Vec<_>>());
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, region) in names.iter().enumerate() {
        let text = match twins[i] {
            Some(j) => format!("reads of clients in {region} (identical to {})", names[j]),
            None => format!("reads of clients in {region}"),
        };
        legend.push((text, series_key(i, names.len(), twins[i].is_some())));
    }
    legend.extend(marker_keys(&steps));
    let top = if steps.is_empty() { 105.0 } else { 130.0 };
    Some(render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..axis.at(end_us), 0f64..top)?;
        chart
            .configure_mesh()
            .x_desc(axis.label)
            .y_desc("answered reads that were stale (%)")
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&|v| if *v <= 100.0 { num(*v) } else { String::new() })
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, (0.0, top), drain)?;
        for (i, per_sec) in s.reads.values().enumerate() {
            let points = per_sec.iter().enumerate().map(|(sec, &(stale, answered))| {
                (answered > 0).then(|| {
                    let t = axis.at(sec as u64 * 1_000_000 + 500_000);
                    (t, 100.0 * stale as f64 / answered as f64)
                })
            });
            let style = series_style(i, names.len());
            if twins[i].is_some() {
                draw_dashed(&mut chart, segments(points), style)?;
            } else {
                draw_lines(&mut chart, segments(points), style)?;
            }
        }
        draw_markers(&mut chart, axis, (0.0, top), &steps)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn only_with_reads_and_then_per_client_region() {
        let mut r = sample();
        assert!(reads_svg(&r).is_none());
        r.report.duration_us = 4_000_000;
        r.report.drain_us = 0;
        r.series
            .reads
            .insert("eu-west-1".into(), vec![(0, 10), (5, 10), (0, 0), (10, 10)]);
        let svg = reads_svg(&r).expect("a chart");
        for s in [
            "Stale reads per client region",
            "reads of clients in eu-west-1",
            "answered reads that were stale (%)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(Some(svg), reads_svg(&r));
    }
}
