//! lag.svg: replication lag per replica over time, on a logarithmic axis,
//! fault windows shaded, failover and semi-sync steps marked. Two lines per
//! replica: the worst lag of the writes it applied in each second (solid),
//! and, while nothing arrives although writes are waiting for it, the lag
//! growing with slope 1 (dashed): the time since the oldest write not yet
//! applied (see [`crate::report::backlog`]).

use super::common::*;
use super::markers::{draw_markers, marker_keys, markers};
use crate::metrics::RunResult;
use crate::report::backlog::backlog_age_us;
use plotters::prelude::*;

const TITLE: &str = "Replication lag per replica";

/// The chart as SVG text (deterministic bytes). Seconds in which a replica
/// applied nothing and had nothing waiting are gaps in its lines, not zeros.
pub fn lag_svg(result: &RunResult) -> String {
    let r = &result.report;
    let s = &result.series;
    let end_us = r.duration_us.saturating_add(r.drain_us).max(1);
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    let backlog: Vec<Vec<Option<u64>>> = s
        .lag_max_us
        .keys()
        .map(|replica| backlog_age_us(s, replica))
        .collect();
    let values = || {
        s.lag_max_us
            .values()
            .flatten()
            .copied()
            .chain(backlog.iter().flatten().flatten().copied())
            .filter(|&v| v > 0)
    };
    let (Some(lo), Some(hi)) = (values().min(), values().max()) else {
        return message(SIZE, &title, "no replicated write was applied in this run");
    };
    let ms = |us: u64| us as f64 / 1000.0;
    let y = log_decades(ms(lo), ms(hi));
    let axis = TimeAxis::for_span(end_us);
    let steps = markers(s, end_us);
    let names: Vec<&String> = s.lag_max_us.keys().collect();
    let twins = identical_to(&s.lag_max_us.values().collect::<Vec<_>>());
    let mut legend = window_keys(s, r.drain_us > 0);
    for (i, replica) in names.iter().enumerate() {
        let text = match twins[i] {
            Some(j) => format!("lag to {replica} (identical to {})", names[j]),
            None => format!("lag to {replica}"),
        };
        legend.push((text, series_key(i, names.len(), twins[i].is_some())));
        if backlog[i].iter().any(Option::is_some) {
            legend.push((
                format!("lag to {replica} while nothing arrives"),
                Key::Dashed(series_style(i, names.len())),
            ));
        }
    }
    legend.extend(marker_keys(&steps));
    let decades = (y.1 - y.0) as usize + 1;
    render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..axis.at(end_us), y.0..y.1)?;
        chart
            .configure_mesh()
            .x_desc(axis.label)
            .y_desc("replication lag (log scale)")
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&|v| decade_label(*v))
            .y_labels(decades)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let drain = (r.drain_us > 0).then_some((r.duration_us, end_us));
        shade_windows(&mut chart, s, axis, y, drain)?;
        let log_ms = |us: u64| ms(us).log10();
        let mid = |sec: usize| axis.at(sec as u64 * 1_000_000 + 500_000);
        for (i, per_sec) in s.lag_max_us.values().enumerate() {
            let style = series_style(i, names.len());
            let points = per_sec
                .iter()
                .enumerate()
                .map(|(sec, &lag)| (lag > 0).then(|| (mid(sec), log_ms(lag))));
            draw_parts(&mut chart, segments(points), style, twins[i].is_some())?;
            let waiting = backlog[i]
                .iter()
                .enumerate()
                .map(|(sec, age)| age.map(|a| (mid(sec), log_ms(a.max(1)))));
            draw_parts(&mut chart, segments(waiting), style, true)?;
        }
        draw_markers(&mut chart, axis, y, &steps)
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
        for s in ["lag to eu-west-1", "log scale", "time since start (s)"] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(svg, lag_svg(&r));
    }

    #[test]
    fn decade_labels_are_unique_and_short() {
        let labels: Vec<String> = (-3..=6).map(|e| decade_label(e as f64)).collect();
        assert_eq!(
            labels,
            ["1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s", "100s", "1,000s"]
        );
        assert_eq!(decade_label(2.5), "");
        assert_eq!(log_decades(39.0, 39.0), (1.0, 2.0));
        assert_eq!(log_decades(0.5, 180_000.0), (-1.0, 6.0));
    }

    #[test]
    fn a_cut_off_replica_shows_its_lag_growing() {
        let mut r = sample();
        r.report.duration_us = 20_000_000;
        r.report.drain_us = 0;
        r.series.seconds = 20;
        // Applies every second until 5 s, nothing after; the primary keeps
        // serving writes.
        let mut lag = vec![39_000; 5];
        lag.resize(20, 0);
        r.series.lag_max_us.insert("eu-west-1".into(), lag);
        r.series
            .writes_served
            .insert("us-east-1".into(), vec![100; 20]);
        let svg = lag_svg(&r);
        assert!(
            svg.contains("lag to eu-west-1 while nothing arrives"),
            "{svg}"
        );
        // The top decade covers the 15 s of waiting.
        assert!(svg.contains("\n100s\n"), "{svg}");
        assert!(!svg.contains("\n1,000s\n"));
    }

    #[test]
    fn nothing_applied_says_so() {
        assert!(lag_svg(&sample()).contains("no replicated write"));
    }
}
