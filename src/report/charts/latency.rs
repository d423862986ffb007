//! latency.svg: the distribution of acknowledged write latency as clients saw
//! it: a cumulative curve on a logarithmic axis, p50/p95/p99/max marked.

use super::common::*;
use crate::metrics::RunResult;
use crate::report::palette::{self, BLUE, BLUISH_GREEN, ORANGE, VERMILLION};
use plotters::prelude::*;

const TITLE: &str = "Write latency of acknowledged writes (CDF)";

/// The chart as SVG text (deterministic bytes).
pub fn latency_svg(result: &RunResult) -> String {
    let r = &result.report;
    let p = r.metrics.write_latency_us;
    let cdf = &result.series.latency_cdf;
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    if cdf.is_empty() && p.max == 0 {
        return message(SIZE, &title, "no write was acknowledged in this run");
    }
    let ms = |us: u64| (us as f64 / 1000.0).max(0.001);
    let lo = cdf.first().map_or(p.p50, |c| c.0).min(p.p50);
    let hi = cdf.last().map_or(p.max, |c| c.0).max(p.max);
    let x = log_decades(ms(lo), ms(hi));
    let lx = |us: u64| ms(us).log10();
    let curve = BLUE.stroke_width(3);
    let markers = [
        ("p50", p.p50, BLUISH_GREEN),
        ("p95", p.p95, ORANGE),
        ("p99", p.p99, VERMILLION),
        ("max", p.max, palette::BLACK),
    ];
    let mut legend: Legend = Vec::new();
    if !cdf.is_empty() {
        legend.push(("share of acknowledged writes".to_string(), Key::Line(curve)));
    }
    for (i, (name, us, c)) in markers.iter().enumerate() {
        // Coinciding percentile lines hide each other: say which.
        let same = markers[..i].iter().find(|m| m.1 == *us).map(|m| m.0);
        let text = match same {
            Some(first) => format!(
                "{name} {} (same as {first})",
                crate::metrics::human_duration(*us)
            ),
            None => format!("{name} {}", crate::metrics::human_duration(*us)),
        };
        legend.push((text, Key::Dashed(c.stroke_width(2))));
    }
    render_chart(SIZE, &title, &legend, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(x.0..x.1, 0f64..101f64)?;
        chart
            .configure_mesh()
            .x_desc("write latency, client's view (log scale)")
            .y_desc("writes at or below (%)")
            .x_label_formatter(&|v| decade_label(*v))
            .x_labels((x.1 - x.0) as usize + 1)
            .y_label_formatter(&|v| num(*v))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        for (_, us, c) in markers {
            let t = lx(us);
            chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                vec![(t, 0.0), (t, 101.0)],
                6,
                4,
                c.stroke_width(2),
            )))?;
        }
        // A step curve: the share holds until the next point's latency.
        if !cdf.is_empty() {
            let mut steps = vec![(x.0, 0.0)];
            for &(us, share) in cdf {
                let prev = steps.last().map_or(0.0, |s| s.1);
                steps.push((lx(us), prev));
                steps.push((lx(us), 100.0 * share));
            }
            steps.push((x.1, 100.0));
            chart.draw_series(std::iter::once(PathElement::new(steps, curve)))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn curve_and_percentiles() {
        let mut r = sample();
        r.series.latency_cdf = vec![(3_000, 0.7), (3_100, 0.96), (3_200, 0.99), (9_000, 1.0)];
        let svg = latency_svg(&r);
        for s in [
            "view (log scale)",
            "writes at or below (%)",
            "share of acknowledged writes",
            "p99 3.2ms",
            "max 9ms",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
    }

    #[test]
    fn coinciding_percentiles_say_so() {
        let mut r = sample();
        let p = &mut r.report.metrics.write_latency_us;
        (p.p50, p.p95, p.p99, p.max) = (81_000, 81_000, 81_000, 90_000);
        let svg = latency_svg(&r);
        assert!(svg.contains("p95 81ms (same as p50)"), "{svg}");
        assert!(svg.contains("p99 81ms (same as p50)"));
        assert!(svg.contains("max 90ms\n"));
        // Decade labels, each once.
        assert_eq!(svg.matches("\n10ms\n").count(), 1);
    }

    #[test]
    fn no_writes_says_so() {
        let mut r = sample();
        r.report.metrics.write_latency_us = Default::default();
        assert!(latency_svg(&r).contains("no write was acknowledged"));
    }
}
