//! timeline.svg: success rate per client region over time, fault windows
//! shaded, failover and replication steps (decision, promotion, DNS change,
//! semi-sync fallback and re-arm) as labelled vertical lines.

use super::common::*;
use super::markers::{draw_markers, marker_keys, markers};
use crate::metrics::RunResult;
use plotters::prelude::*;

const TITLE: &str = "Success rate of requests per client region";

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
    let steps = markers(s, end_us);
    let names: Vec<&String> = s.requests.keys().collect();
    let twins = identical_to(&s.requests.values().collect::<Vec<_>>());
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, region) in names.iter().enumerate() {
        let text = match twins[i] {
            Some(j) => format!("clients in {region} (identical to {})", names[j]),
            None => format!("clients in {region}"),
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
            .y_desc("requests that succeeded (%)")
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&|v| if *v <= 100.0 { num(*v) } else { String::new() })
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, (0.0, top), drain)?;
        for (i, per_sec) in s.requests.values().enumerate() {
            let points = per_sec.iter().enumerate().map(|(sec, &(ok, all))| {
                (all > 0).then(|| {
                    let t = axis.at(sec as u64 * 1_000_000 + 500_000);
                    (t, 100.0 * ok as f64 / all as f64)
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
    })
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
    fn identical_regions_are_dashed_and_named() {
        let mut r = sample();
        r.series
            .requests
            .insert("eu-west-1".into(), vec![(10, 10); 4]);
        r.series
            .requests
            .insert("us-east-1".into(), vec![(9, 10); 4]);
        r.series
            .requests
            .insert("us-west-2".into(), vec![(10, 10); 4]);
        let svg = timeline_svg(&r);
        assert!(
            svg.contains("clients in us-west-2 (identical to eu-west-1)"),
            "{svg}"
        );
        assert!(!svg.contains("clients in us-east-1 (identical"));
        // The twin is drawn dashed: many short segments instead of one line.
        let mut distinct = r.clone();
        distinct
            .series
            .requests
            .insert("us-west-2".into(), vec![(8, 10); 4]);
        let lines = |svg: &str| svg.matches("<polyline").count();
        assert!(lines(&svg) > lines(&timeline_svg(&distinct)));
    }

    #[test]
    fn coinciding_steps_are_each_labelled() {
        let mut r = sample();
        r.series
            .requests
            .insert("us-east-1".into(), vec![(10, 10); 4]);
        r.series.timeline = r.report.incidents[0].timeline.clone();
        let decided = r.series.timeline[0].at_us;
        r.series.timeline.push(crate::metrics::TimelineEntry::new(
            decided,
            crate::metrics::Happening::DnsAnswers {
                target: "eu-west-1".into(),
                clients_in: "us-east-1".into(),
            },
            None,
        ));
        r.series.timeline.push(crate::metrics::TimelineEntry::new(
            decided,
            crate::metrics::Happening::FailoverDecided {
                target: "eu-west-1".into(),
                applied: 1,
                log_end: 2,
                delay_us: 30_000_000,
            },
            None,
        ));
        let svg = timeline_svg(&r);
        // The label (in the plot) and the legend entry of each step.
        for label in ["failover decided", "DNS answer", "new primary"] {
            assert!(svg.contains(&format!("\n{label}\n")), "no label {label}");
        }
        // Stacked: the decision and DNS labels are on different rows.
        let y_of = |label: &str| {
            let at = svg.find(&format!("\n{label}\n")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse::<i32>().unwrap()
        };
        assert_ne!(y_of("failover decided"), y_of("DNS answer"));
    }

    #[test]
    fn empty_series_says_so() {
        assert!(timeline_svg(&sample()).contains("no client requests"));
    }
}
