//! The durability-versus-latency frontier of a sweep over `replication.mode`.
//!
//! One dot per parameter point at (write latency p99, lost writes), both the
//! median over seeds, with min-to-max bars in each direction, labelled with
//! the mode (and the other parameters, when there are any), coloured by mode.
//! A dashed line joins the Pareto-optimal points: those that no other point
//! beats on both latency and lost writes. Down and to the left is better.

use super::sweep_charts::{scaled, value_indices};
use super::sweep_style::{color, error_svg, fmt_num, footer, image_height, y_range, PLOT_H, W};
use crate::sweep::SweepDoc;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A point of the frontier: label, colour index, and (p50, min, max) on each axis.
struct Dot {
    label: String,
    mode: usize,
    x: (f64, f64, f64),
    y: (f64, f64, f64),
}

fn dots(doc: &SweepDoc, j: usize) -> (Vec<Dot>, usize) {
    let (Some(lat), Some(lost)) = (
        crate::metrics::metric("write_latency_p99"),
        crate::metrics::metric("lost_writes"),
    ) else {
        return (Vec::new(), 0);
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for ps in &doc.points {
        let (Some(sx), Some(sy)) = (
            ps.metrics.get(lat.column_key()),
            ps.metrics.get(lost.column_key()),
        ) else {
            continue;
        };
        let (x, y) = (scaled(sx, lat), scaled(sy, lost));
        let (Some(x50), Some(xmin), Some(xmax), Some(y50), Some(ymin), Some(ymax)) =
            (x.0, x.1, x.2, y.0, y.1, y.2)
        else {
            skipped += 1;
            continue;
        };
        let mode = value_indices(&doc.definition.sets, ps.point)
            .get(j)
            .copied()
            .unwrap_or(0);
        let label = if ps.params.0.len() == 1 {
            ps.params
                .0
                .first()
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        } else {
            let parts: Vec<String> = ps
                .params
                .0
                .iter()
                .map(|(p, v)| {
                    if p == "replication.mode" {
                        v.clone()
                    } else {
                        format!("{p}={v}")
                    }
                })
                .collect();
            parts.join(" ")
        };
        out.push(Dot {
            label,
            mode,
            x: (x50, xmin, xmax),
            y: (y50, ymin, ymax),
        });
    }
    (out, skipped)
}

/// The Pareto-optimal dots (lower latency and fewer lost writes are better),
/// in order of latency.
fn pareto(dots: &[Dot]) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = dots.iter().map(|d| (d.x.0, d.y.0)).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in pts {
        if out.last().is_none_or(|last| p.1 < last.1) {
            out.push(p);
        }
    }
    out
}

/// frontier.svg for the swept parameter `j` (= `replication.mode`).
pub(super) fn frontier_svg(doc: &SweepDoc, j: usize) -> String {
    let (dots, skipped) = dots(doc, j);
    let xs: Vec<f64> = dots.iter().flat_map(|d| [d.x.1, d.x.2]).collect();
    let ys: Vec<f64> = dots.iter().flat_map(|d| [d.y.1, d.y.2]).collect();
    let (_, x_hi) = y_range(&xs, false);
    let (_, y_hi) = y_range(&ys, false);
    let seeds = doc.definition.seeds.count();
    let mut note = format!(
        "Dots: median over the {seeds} seeds of each point; bars: min to max. Dashed: the Pareto frontier (down and left is better). Scenario {}.",
        doc.definition.scenario
    );
    if skipped > 0 {
        note.push_str(&format!(
            " {skipped} point(s) without a bounded value not drawn."
        ));
    }
    draw(doc, j, &dots, &note, x_hi * 1.08, y_hi * 1.08).unwrap_or_else(|e| error_svg(&e))
}

fn draw(
    doc: &SweepDoc,
    j: usize,
    dots: &[Dot],
    note: &str,
    x_hi: f64,
    y_hi: f64,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let err = |e: String| format!("frontier: {e}");
        let modes = doc
            .definition
            .sets
            .get(j)
            .map(|s| s.values.clone())
            .unwrap_or_default();
        let root =
            SVGBackend::with_string(&mut svg, (W, image_height(note, &modes))).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let (main, foot) = root.split_vertically(PLOT_H);
        let mut chart = ChartBuilder::on(&main)
            .caption(
                "Durability vs latency: lost writes against write latency p99, by replication mode",
                ("sans-serif", 18),
            )
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..x_hi, 0.0..y_hi)
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .x_desc("write latency p99 (ms)")
            .y_desc("lost writes")
            .x_label_formatter(&|v| fmt_num(*v))
            .y_label_formatter(&|v| fmt_num(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let front = pareto(dots);
        if front.len() >= 2 {
            chart
                .draw_series(DashedLineSeries::new(
                    front,
                    8,
                    6,
                    BLACK.mix(0.5).stroke_width(2),
                ))
                .map_err(|e| err(e.to_string()))?;
        }
        let (cx, cy) = (x_hi * 0.008, y_hi * 0.012);
        for d in dots {
            let st = color(d.mode).stroke_width(1);
            let bars = [
                vec![(d.x.1, d.y.0), (d.x.2, d.y.0)],
                vec![(d.x.1, d.y.0 - cy), (d.x.1, d.y.0 + cy)],
                vec![(d.x.2, d.y.0 - cy), (d.x.2, d.y.0 + cy)],
                vec![(d.x.0, d.y.1), (d.x.0, d.y.2)],
                vec![(d.x.0 - cx, d.y.1), (d.x.0 + cx, d.y.1)],
                vec![(d.x.0 - cx, d.y.2), (d.x.0 + cx, d.y.2)],
            ];
            chart
                .draw_series(bars.into_iter().map(|b| PathElement::new(b, st)))
                .map_err(|e| err(e.to_string()))?;
        }
        // Labels of dots that (nearly) coincide are stacked, not overprinted.
        let near = |a: &Dot, b: &Dot| {
            (a.x.0 - b.x.0).abs() <= x_hi * 0.04 && (a.y.0 - b.y.0).abs() <= y_hi * 0.04
        };
        let font = ("sans-serif", 14).into_font().color(&BLACK);
        chart
            .draw_series(dots.iter().enumerate().map(|(i, d)| {
                let stack = dots
                    .get(..i)
                    .unwrap_or(&[])
                    .iter()
                    .filter(|o| near(o, d))
                    .count() as i32;
                // Right of the dot, or left of it in the right part of the chart.
                let (dx, anchor) = if d.x.0 > x_hi * 0.6 {
                    (-9, HPos::Right)
                } else {
                    (9, HPos::Left)
                };
                let style = font.clone().pos(Pos::new(anchor, VPos::Top));
                EmptyElement::at((d.x.0, d.y.0))
                    + Circle::new((0, 0), 6, color(d.mode).filled())
                    + Text::new(d.label.clone(), (dx, -18 - 16 * stack), style)
            }))
            .map_err(|e| err(e.to_string()))?;
        let legend: Vec<(String, RGBColor)> = modes
            .iter()
            .enumerate()
            .map(|(m, v)| (v.clone(), color(m)))
            .collect();
        footer(&foot, note, &legend, true).map_err(err)?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}
