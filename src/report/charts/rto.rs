//! rto.svg: each incident's RTO as a waterfall along the slowest client's
//! critical path (metrics.md, "Where the RTO went"): one bar per segment,
//! coloured by the phase that blocked the client (overlapped where promotion
//! and routing both did), each starting where the last ended, then the total.

use super::common::*;
use crate::metrics::{human_duration, Incident, Phase, RunResult};
use crate::report::palette::{
    BLUE, GREY_120, GREY_90, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION,
};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const TITLE: &str = "Where the RTO went (slowest client's critical path), per incident";

/// The phases: legend text and colour.
const PHASES: [(Phase, &str, RGBColor); 6] = [
    (Phase::Detection, "detection", VERMILLION),
    (Phase::Promotion, "promotion", ORANGE),
    (Phase::Routing, "routing", BLUE),
    (
        Phase::Overlapped,
        "promotion + routing (overlapped)",
        REDDISH_PURPLE,
    ),
    (Phase::Outage, "outage (fault not yet over)", GREY_120),
    (Phase::ClientTail, "client tail", SKY_BLUE),
];
const TOTAL: RGBColor = GREY_90;

fn phase_index(p: Phase) -> usize {
    PHASES.iter().position(|x| x.0 == p).unwrap_or(0)
}

/// One bar: row label, start and end (µs since the incident start), colour
/// index (`None` = the total), or no bar at all with a note.
struct Bar {
    label: String,
    span: Option<(u64, u64)>,
    phase: Option<usize>,
}

fn bars(n: usize, inc: &Incident) -> Vec<Bar> {
    let Some(rto) = inc.rto_us else {
        return vec![Bar {
            label: format!("#{n}: RTO not recovered"),
            span: None,
            phase: None,
        }];
    };
    let mut out: Vec<Bar> = inc
        .rto_path
        .iter()
        .map(|seg| {
            let i = phase_index(seg.phase);
            Bar {
                label: format!("#{n} {}", PHASES[i].1.split(" (").next().unwrap_or("")),
                span: Some((seg.from_us - inc.start_us, seg.to_us - inc.start_us)),
                phase: Some(i),
            }
        })
        .collect();
    out.push(Bar {
        label: format!("#{n} RTO total"),
        span: Some((0, rto)),
        phase: None,
    });
    out
}

/// The chart as SVG text (deterministic bytes).
pub fn rto_svg(result: &RunResult) -> String {
    let r = &result.report;
    let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
    let rows: Vec<Bar> = r
        .incidents
        .iter()
        .enumerate()
        .flat_map(|(i, inc)| bars(i + 1, inc))
        .collect();
    if rows.is_empty() {
        return message((SIZE.0, 240), &title, "no incidents in this run");
    }
    let n = rows.len();
    let height = (100 + 36 * n as u32).max(240);
    let max_us = rows
        .iter()
        .filter_map(|b| b.span)
        .map(|s| s.1)
        .max()
        .unwrap_or(0);
    let x_max = (max_us as f64 / 1e6 * 1.15).max(1.0);
    let used: Vec<usize> = rows.iter().filter_map(|b| b.phase).collect();
    let legend: Legend = PHASES
        .iter()
        .enumerate()
        .filter(|(i, _)| used.contains(i))
        .map(|(_, (_, label, c))| (label.to_string(), Key::Fill(c.filled())))
        .chain(std::iter::once((
            "RTO total".to_string(),
            Key::Fill(TOTAL.filled()),
        )))
        .collect();
    render_chart((SIZE.0, height), &title, &legend, |area| {
        let top = n as i32 - 1;
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(200)
            .build_cartesian_2d(0f64..x_max, (0..top).into_segmented())?;
        // Row 0 is drawn at the top.
        let row_of = |y: i32| usize::try_from(top - y).ok().and_then(|row| rows.get(row));
        let label_of = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(y) => row_of(*y).map_or(String::new(), |b| b.label.clone()),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .x_desc("time since the incident started (s)")
            .x_label_formatter(&|v| num(*v))
            .y_label_formatter(&label_of)
            .y_labels(n)
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()?;
        let text = TextStyle::from((FONT, 15).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        for (row, bar) in rows.iter().enumerate() {
            let y = top - row as i32;
            let Some((a, b)) = bar.span else {
                chart.draw_series(std::iter::once(Text::new(
                    "not recovered before the end of the run".to_string(),
                    (0.0, SegmentValue::CenterOf(y)),
                    text.clone(),
                )))?;
                continue;
            };
            let c = bar.phase.map_or(TOTAL, |p| PHASES[p].2);
            let mut rect = Rectangle::new(
                [
                    (a as f64 / 1e6, SegmentValue::Exact(y)),
                    (b as f64 / 1e6, SegmentValue::Exact(y + 1)),
                ],
                c.filled(),
            );
            rect.set_margin(6, 6, 0, 0);
            chart.draw_series(std::iter::once(rect))?;
            chart.draw_series(std::iter::once(Text::new(
                human_duration(b - a),
                (b as f64 / 1e6 + x_max * 0.005, SegmentValue::CenterOf(y)),
                text.clone(),
            )))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn waterfall_rows_and_durations() {
        let svg = rto_svg(&sample());
        for s in [
            "#1 detection",
            "#1 promotion",
            "#1 RTO total",
            "\n1m\n",
            "\n29.5s\n",
            "\n1m 29.5s\n",
            "time since the incident started (s)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
    }

    #[test]
    fn unrecovered_and_none() {
        let mut r = sample();
        r.report.incidents[0].rto_breakdown = None;
        r.report.incidents[0].rto_us = None;
        assert!(rto_svg(&r).contains("not recovered before the end"));
        r.report.incidents.clear();
        assert!(rto_svg(&r).contains("no incidents"));
    }
}
