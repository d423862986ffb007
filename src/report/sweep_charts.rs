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
use crate::scenario::parse_duration_us;
use crate::sweep::{SetList, Spread, SweepDoc};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// A metric that gets charts: its row key, file slug, title, axis and scale.
pub(super) struct ChartMetric {
    pub key: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub axis: &'static str,
    /// Multiplies the stored value into the axis unit.
    pub scale: f64,
}

pub(super) const CHART_METRICS: [ChartMetric; 5] = [
    ChartMetric {
        key: "rpo_us",
        slug: "rpo",
        title: "RPO",
        axis: "RPO (s)",
        scale: 1e-6,
    },
    ChartMetric {
        key: "rto_us",
        slug: "rto",
        title: "RTO",
        axis: "RTO (s)",
        scale: 1e-6,
    },
    ChartMetric {
        key: "lost_writes",
        slug: "lost_writes",
        title: "Lost writes",
        axis: "lost writes",
        scale: 1.0,
    },
    ChartMetric {
        key: "availability",
        slug: "availability",
        title: "Availability",
        axis: "availability",
        scale: 1.0,
    },
    ChartMetric {
        key: "write_latency_p99_us",
        slug: "write_latency_p99",
        title: "Write latency p99",
        axis: "write latency p99 (ms)",
        scale: 1e-3,
    },
];

pub(super) const W: u32 = 900;
pub(super) const H: u32 = 540;
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

pub(super) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Every chart of the sweep: `(file name, SVG text)`, in a fixed order.
pub fn sweep_charts(doc: &SweepDoc) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (j, set) in doc.definition.sets.iter().enumerate() {
        for m in &CHART_METRICS {
            out.push((chart_name(m.slug, &set.path), metric_chart(doc, j, m)));
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

/// The x axis of a parameter: a position and a tick label per value.
struct XAxis {
    /// Placed to scale (numbers, durations) rather than as categories.
    scaled: bool,
    positions: Vec<f64>,
    labels: Vec<String>,
    lo: f64,
    hi: f64,
}

impl XAxis {
    fn of(set: &SetList) -> XAxis {
        let labels = set.values.clone();
        let numbers: Option<Vec<f64>> = labels
            .iter()
            .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        let durations: Option<Vec<f64>> = labels
            .iter()
            .map(|v| parse_duration_us(v).ok().map(|us| us as f64 / 1e6))
            .collect();
        let distinct = |v: &Vec<f64>| {
            let mut s = v.clone();
            s.sort_by(f64::total_cmp);
            s.windows(2).all(|w| w[0] != w[1])
        };
        let scaled = numbers.filter(distinct).or(durations.filter(distinct));
        match scaled {
            Some(positions) if positions.len() > 1 => {
                let min = positions.iter().copied().fold(f64::INFINITY, f64::min);
                let max = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pad = (max - min) * 0.06;
                XAxis {
                    scaled: true,
                    positions,
                    labels,
                    lo: min - pad,
                    hi: max + pad,
                }
            }
            _ => {
                let n = labels.len();
                XAxis {
                    scaled: false,
                    positions: (0..n).map(|i| i as f64).collect(),
                    labels,
                    lo: -0.5,
                    hi: n as f64 - 0.5,
                }
            }
        }
    }

    fn label_at(&self, x: f64) -> String {
        let tol = (self.hi - self.lo).abs() * 1e-9;
        self.positions
            .iter()
            .position(|p| (p - x).abs() <= tol)
            .and_then(|i| self.labels.get(i).cloned())
            .unwrap_or_default()
    }
}

/// A linear f64 axis whose ticks are exactly the swept values.
struct KeyAxis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
}

impl Ranged for KeyAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 || !span.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        let t = ((v - self.lo) / span).clamp(-1.0, 2.0);
        limit.0 + (f64::from(limit.1 - limit.0) * t + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// One line: a label and, per x, the metric's p50 / min / max in axis units
/// (`None` = unbounded).
struct Line {
    label: String,
    points: Vec<(f64, Option<f64>, Option<f64>, Option<f64>)>,
}

pub(super) fn scaled(s: &Spread, m: &ChartMetric) -> (Option<f64>, Option<f64>, Option<f64>) {
    let f = |v: crate::sweep::Sample| v.as_f64().map(|x| x * m.scale);
    (f(s.p50), f(s.min), f(s.max))
}

fn lines(doc: &SweepDoc, j: usize, m: &ChartMetric, x: &XAxis) -> (Vec<Line>, bool) {
    let sets = &doc.definition.sets;
    let mut groups: Vec<(Vec<usize>, Line)> = Vec::new();
    let mut unbounded = false;
    for ps in &doc.points {
        let mut idx = value_indices(sets, ps.point);
        let xi = if j < idx.len() { idx.remove(j) } else { 0 };
        let Some(spread) = ps.metrics.get(m.key) else {
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

/// The y range for finite values `vals` (metrics are non-negative; ratios get
/// a padded range around their values).
pub(super) fn y_range(vals: &[f64], ratio: bool) -> (f64, f64) {
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if ratio {
        let span = (hi - lo).max(1e-3);
        (lo - span * 0.1, hi + span * 0.1)
    } else if hi <= 0.0 {
        (0.0, 1.0)
    } else {
        (0.0, hi * 1.1)
    }
}

/// Short numbers for tick labels: at most 4 decimals, no trailing zeros.
pub(super) fn fmt_num(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A chart that could not be drawn: a small SVG saying why.
pub(super) fn error_svg(what: &str) -> String {
    let text = what
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"60\"><text x=\"10\" y=\"30\">chart not drawn: {text}</text></svg>\n"
    )
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
    let (y_lo, y_hi) = y_range(&vals, m.key == "availability");
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

/// Legend entries laid out in rows under the note: `(row, x)` per entry.
fn legend_layout(labels: &[String]) -> Vec<(u32, u32)> {
    let (mut row, mut x) = (0u32, 14u32);
    labels
        .iter()
        .map(|l| {
            let w = 40 + 7 * l.chars().count() as u32;
            if x > 14 && x + w > W - 14 {
                row += 1;
                x = 14;
            }
            let at = (row, x);
            x += w;
            at
        })
        .collect()
}

/// The footnote broken into lines that fit the width.
fn wrap(note: &str) -> Vec<String> {
    const CHARS: usize = 150;
    let mut lines = vec![String::new()];
    for word in note.split_whitespace() {
        let cur = lines.last().map_or(0, |l| l.chars().count());
        if cur > 0 && cur + 1 + word.chars().count() > CHARS {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

/// The whole image height: the plot, the footnote lines and the legend rows.
pub(super) fn image_height(note: &str, labels: &[String]) -> u32 {
    let legend = legend_layout(labels)
        .last()
        .map_or(0, |(row, _)| 22 * (row + 1));
    PLOT_H + 12 + 16 * wrap(note).len() as u32 + legend + 8
}

/// The height of the plot area above the footer.
pub(super) const PLOT_H: u32 = H - 34;

/// The footnote, then one legend entry per series (a line, or a dot when
/// `dots`), in rows: outside the plot so that it never hides data.
pub(super) fn footer(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    note: &str,
    legend: &[(String, RGBColor)],
    dots: bool,
) -> Result<(), String> {
    let e = |x: DrawingAreaErrorKind<_>| x.to_string();
    let grey = ("sans-serif", 12).into_font().color(&RGBColor(70, 70, 70));
    let lines = wrap(note);
    for (i, l) in lines.iter().enumerate() {
        area.draw(&Text::new(l.clone(), (14, 8 + 16 * i as i32), grey.clone()))
            .map_err(e)?;
    }
    let top = 24 + 16 * lines.len() as i32;
    let labels: Vec<String> = legend.iter().map(|l| l.0.clone()).collect();
    for ((label, c), (row, x)) in legend.iter().zip(legend_layout(&labels)) {
        let (x, y) = (x as i32, top + 22 * row as i32);
        if dots {
            area.draw(&Circle::new((x + 10, y), 5, c.filled()))
                .map_err(e)?;
        } else {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 24, y)],
                c.stroke_width(3),
            ))
            .map_err(e)?;
        }
        let font = ("sans-serif", 13).into_font().color(&BLACK);
        area.draw(&Text::new(label.clone(), (x + 30, y - 7), font))
            .map_err(e)?;
    }
    Ok(())
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
            .y_desc(m.axis)
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
