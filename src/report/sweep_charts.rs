//! Sweep charts (SVG): each metric of interest against each swept parameter.
//!
//! One chart per (metric, parameter): x is the parameter (its own values as
//! tick labels; placed to scale when every value is a number or a duration,
//! else evenly as categories), y the metric. Each line is the median (p50)
//! over the seeds of each point, the shaded band and the bars span min to max
//! over the seeds. When other parameters are swept too, there is one line per
//! combination of their values. Unbounded values (an RTO where a client never
//! recovered) push the band to the top edge and are named in the footnote.

use super::sweep_frontier::frontier_svg;
use super::sweep_style::{
    color, error_svg, fmt_num, footer, image_height, y_range, KeyAxis, XAxis, PLOT_H, W,
};
use crate::metrics::{Metric, Unit, CATALOGUE};
use crate::sweep::{SetList, Spread, SweepDoc};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A metric that gets charts: a catalogue row with `sweep_chart`.
pub(super) type ChartMetric = Metric;

/// The metrics charted against each swept parameter, in catalogue order.
pub(super) fn chart_metrics() -> impl Iterator<Item = &'static Metric> {
    CATALOGUE.iter().filter(|m| m.sweep_chart)
}

/// Every chart of the sweep: `(file name, SVG text)`, in a fixed order.
pub fn sweep_charts(doc: &SweepDoc) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (j, set) in doc.definition.sets.iter().enumerate() {
        for m in chart_metrics() {
            out.push((chart_name(m.name, &set.path), metric_chart(doc, j, m)));
        }
    }
    if let Some(j) = frontier_param(&doc.definition.sets) {
        out.push((FRONTIER.to_string(), frontier_svg(doc, j)));
    }
    out
}

/// The frontier chart's file name.
pub(super) const FRONTIER: &str = "frontier.svg";

/// The swept parameter that gets a frontier chart: `replication.mode`.
pub(super) fn frontier_param(sets: &[SetList]) -> Option<usize> {
    sets.iter().position(|s| s.path == "replication.mode")
}

/// A metric chart's file name: `rto-vs-failover.dns.ttl.svg`.
pub(super) fn chart_name(metric_slug: &str, path: &str) -> String {
    format!("{metric_slug}-vs-{}.svg", slug(path))
}

/// A parameter path made safe for a file name.
pub(super) fn slug(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The index of each parameter's value at `point` (the last list fastest).
pub(super) fn value_indices(sets: &[SetList], point: usize) -> Vec<usize> {
    let mut rest = point;
    let mut out = vec![0; sets.len()];
    for (j, s) in sets.iter().enumerate().rev() {
        let n = s.values.len().max(1);
        if let Some(slot) = out.get_mut(j) {
            *slot = rest % n;
        }
        rest /= n;
    }
    out
}

/// A point of a line: x, then p50, min and max (`None` = unbounded).
type Pt = (f64, Option<f64>, Option<f64>, Option<f64>);

/// One line: a label and, per x, the metric's p50 / min / max in axis units
/// (`None` = unbounded).
struct Line {
    label: String,
    points: Vec<Pt>,
}

pub(super) fn scaled(s: &Spread, m: &ChartMetric) -> (Option<f64>, Option<f64>, Option<f64>) {
    let f = |v: crate::sweep::Sample| v.as_f64().map(|x| x * m.display.scale());
    (f(s.p50), f(s.min), f(s.max))
}

fn lines(doc: &SweepDoc, j: usize, m: &ChartMetric, x: &XAxis) -> (Vec<Line>, bool) {
    let sets = &doc.definition.sets;
    let mut groups: Vec<(Vec<usize>, Line)> = Vec::new();
    let mut unbounded = false;
    for ps in &doc.points {
        let mut idx = value_indices(sets, ps.point);
        let xi = if j < idx.len() { idx.remove(j) } else { 0 };
        let Some(spread) = ps.metrics.get(m.column_key()) else {
            continue;
        };
        let (p50, min, max) = scaled(spread, m);
        unbounded |= max.is_none();
        let xpos = x.positions.get(xi).copied().unwrap_or(0.0);
        if let Some(g) = groups.iter_mut().find(|g| g.0 == idx) {
            g.1.points.push((xpos, p50, min, max));
        } else {
            let others: Vec<String> = ps
                .params
                .0
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != j)
                .map(|(_, (p, v))| format!("{p}={v}"))
                .collect();
            let label = if others.is_empty() {
                "median over seeds".to_string()
            } else {
                others.join(" ")
            };
            groups.push((
                idx,
                Line {
                    label,
                    points: vec![(xpos, p50, min, max)],
                },
            ));
        }
    }
    let mut out: Vec<Line> = groups.into_iter().map(|g| g.1).collect();
    let n = out.len();
    for (i, l) in out.iter_mut().enumerate() {
        l.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !x.scaled && n > 1 {
            // Categories: side by side within each category, not on top of each other.
            let shift = (i as f64 - (n as f64 - 1.0) / 2.0) * (0.5 / n as f64);
            l.points.iter_mut().for_each(|p| p.0 += shift);
        }
    }
    (out, unbounded)
}

fn metric_chart(doc: &SweepDoc, j: usize, m: &ChartMetric) -> String {
    let Some(set) = doc.definition.sets.get(j) else {
        return error_svg("no such parameter");
    };
    let x = XAxis::of(set);
    let (lines, unbounded) = lines(doc, j, m, &x);
    let vals: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().flat_map(|p| [p.1, p.2, p.3]))
        .flatten()
        .collect();
    let (y_lo, y_hi) = y_range(&vals, m.unit == Unit::Share);
    let seeds = doc.definition.seeds.count();
    let (mid, spread) = if x.scaled {
        ("Line and dots", "band and bars")
    } else {
        ("Dots", "bars")
    };
    let mut note = format!(
        "{mid}: median (p50) over the {seeds} seeds of each point; {spread}: min to max over seeds. Scenario {}.",
        doc.definition.scenario
    );
    if unbounded {
        note.push_str(" Some seeds never recovered (unbounded): their bars reach the top edge.");
    }
    let title = format!("{} vs {}", m.title, set.path);
    draw(&title, &note, &x, &set.path, m, &lines, (y_lo, y_hi)).unwrap_or_else(|e| error_svg(&e))
}

#[allow(clippy::too_many_arguments)]
fn draw(
    title: &str,
    note: &str,
    x: &XAxis,
    x_desc: &str,
    m: &ChartMetric,
    lines: &[Line],
    (y_lo, y_hi): (f64, f64),
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let err = |e: String| format!("{title}: {e}");
        let labels: Vec<String> = if lines.len() > 1 {
            lines.iter().map(|l| l.label.clone()).collect()
        } else {
            Vec::new()
        };
        let height = image_height(note, &labels);
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let (main, foot) = root.split_vertically(PLOT_H);
        let mut chart = ChartBuilder::on(&main)
            .caption(title, ("sans-serif", 20))
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d(
                KeyAxis {
                    lo: x.lo,
                    hi: x.hi,
                    keys: x.positions.clone(),
                },
                y_lo..y_hi,
            )
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(m.axis())
            .x_label_formatter(&|v| x.label_at(*v))
            .y_label_formatter(&|v| fmt_num(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        let cap = (x.hi - x.lo) * 0.008;
        for (i, line) in lines.iter().enumerate() {
            let c = color(i);
            let band: Vec<(f64, f64)> = line
                .points
                .iter()
                .filter_map(|p| p.2.map(|lo| (p.0, lo)))
                .chain(
                    line.points
                        .iter()
                        .rev()
                        .filter_map(|p| p.2.map(|_| (p.0, p.3.unwrap_or(y_hi)))),
                )
                .collect();
            if x.scaled && band.len() >= 4 {
                chart
                    .draw_series(std::iter::once(Polygon::new(band, c.mix(0.15).filled())))
                    .map_err(|e| err(e.to_string()))?;
            }
            for p in &line.points {
                let Some(lo) = p.2 else { continue };
                let hi = p.3.unwrap_or(y_hi);
                let st = c.stroke_width(1);
                let bars = [
                    vec![(p.0, lo), (p.0, hi)],
                    vec![(p.0 - cap, lo), (p.0 + cap, lo)],
                    vec![(p.0 - cap, hi), (p.0 + cap, hi)],
                ];
                chart
                    .draw_series(bars.into_iter().map(|b| PathElement::new(b, st)))
                    .map_err(|e| err(e.to_string()))?;
            }
            // A median that is unbounded: a triangle at the top edge, labelled.
            let font = ("sans-serif", 12).into_font().color(&c);
            chart
                .draw_series(line.points.iter().filter(|p| p.1.is_none()).map(|p| {
                    let right = p.0 > x.lo + (x.hi - x.lo) * 0.6;
                    let (dx, anchor) = if right {
                        (-10, HPos::Right)
                    } else {
                        (10, HPos::Left)
                    };
                    let style = font.clone().pos(Pos::new(anchor, VPos::Top));
                    EmptyElement::at((p.0, y_hi))
                        + TriangleMarker::new((0, 10), 7, c.filled())
                        + Text::new("median: not recovered", (dx, 4), style)
                }))
                .map_err(|e| err(e.to_string()))?;
            let mid: Vec<(f64, f64)> = line
                .points
                .iter()
                .filter_map(|p| p.1.map(|y| (p.0, y)))
                .collect();
            if x.scaled {
                chart
                    .draw_series(LineSeries::new(mid.clone(), c.stroke_width(2)))
                    .map_err(|e| err(e.to_string()))?;
            }
            chart
                .draw_series(mid.into_iter().map(|p| Circle::new(p, 4, c.filled())))
                .map_err(|e| err(e.to_string()))?;
        }
        let legend: Vec<(String, RGBColor)> = if lines.len() > 1 {
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (l.label.clone(), color(i)))
                .collect()
        } else {
            Vec::new()
        };
        footer(&foot, note, &legend, false).map_err(err)?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}
