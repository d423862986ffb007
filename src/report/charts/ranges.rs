//! ranges.svg (only with `[[residency]]` rules): per residency range (then
//! the unpinned rest), the availability of its writes as a bar, with its lost
//! writes, RPO and RTO written beside it.

use super::common::*;
use crate::metrics::{human_count, human_duration, human_share, RunResult};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const TITLE: &str = "Writes per residency range";

/// The chart as SVG text, or `None` without residency rules.
pub fn ranges_svg(result: &RunResult) -> Option<String> {
    let r = &result.report;
    let ranges = &r.metrics.residency;
    if ranges.is_empty() {
        return None;
    }
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    let n = ranges.len();
    let height = (120 + 56 * n as u32).max(240);
    let legend: Legend = vec![(
        "availability of the range's writes".to_string(),
        Key::Fill(color(0).filled()),
    )];
    let label = |i: usize| {
        let g = &ranges[i];
        match &g.jurisdiction {
            Some(j) => format!("keys {} ({j})", g.keys),
            None => format!("keys {} (unpinned)", g.keys),
        }
    };
    Some(render_chart((SIZE.0, height), &title, &legend, |area| {
        let top = n as i32 - 1;
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(200)
            .build_cartesian_2d(0f64..100f64, (0..top).into_segmented())?;
        let row_of = |y: i32| usize::try_from(top - y).ok().filter(|&i| i < n);
        let label_of = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(y) => row_of(*y).map_or(String::new(), label),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .x_desc("writes acknowledged (%)")
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&label_of)
            .y_labels(n)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let text = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        for (i, g) in ranges.iter().enumerate() {
            let y = top - i as i32;
            let share = 100.0 * g.availability.clamp(0.0, 1.0);
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(y)),
                    (share, SegmentValue::Exact(y + 1)),
                ],
                color(0).mix(0.8).filled(),
            );
            bar.set_margin(8, 8, 0, 0);
            chart.draw_series(std::iter::once(bar))?;
            let note = format!(
                "{}, lost {}, RPO {}, RTO {}",
                human_share(g.availability),
                human_count(g.lost_writes),
                human_duration(g.rpo_us),
                g.rto_us.map_or("not recovered".into(), human_duration)
            );
            // Inside a long bar (white on the bar would need contrast
            // checks): always at the left, over a light box.
            let (px, py) = chart.backend_coord(&(0.0, SegmentValue::CenterOf(y)));
            let (bx, by) = chart.plotting_area().get_base_pixel();
            let plot = chart.plotting_area().strip_coord_spec();
            let (x, yy) = (px - bx + 6, py - by);
            let w = note.chars().count() as i32 * 7;
            plot.draw(&Rectangle::new(
                [(x - 3, yy - 10), (x + w + 3, yy + 10)],
                WHITE.mix(0.85).filled(),
            ))?;
            plot.draw_text(&note, &text, (x, yy))?;
        }
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::RangeFigures;
    use crate::report::testutil::sample;

    #[test]
    fn one_bar_per_range_with_its_figures() {
        let mut r = sample();
        assert!(ranges_svg(&r).is_none());
        r.report.metrics.residency = vec![
            RangeFigures {
                keys: "0..30000".into(),
                jurisdiction: Some("EU".into()),
                regions: vec!["eu-west-1".into()],
                attempted_writes: 100,
                acknowledged_writes: 50,
                availability: 0.5009,
                lost_writes: 0,
                rpo_us: 0,
                rto_us: Some(602_000_000),
            },
            RangeFigures {
                keys: "rest".into(),
                jurisdiction: None,
                regions: vec![],
                attempted_writes: 100,
                acknowledged_writes: 97,
                availability: 0.9726,
                lost_writes: 2,
                rpo_us: 24_000,
                rto_us: None,
            },
        ];
        let svg = ranges_svg(&r).expect("a chart");
        for s in [
            "keys 0..30000 (EU)",
            "keys rest (unpinned)",
            "50.09%, lost 0, RPO 0s, RTO 10m 2s",
            "97.26%, lost 2, RPO 24ms, RTO not recovered",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
    }
}
