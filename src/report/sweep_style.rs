//! Drawing helpers for the sweep charts: sizes, colours, the x axis of a swept
//! parameter, number formats, and the footer (footnote and legend) that sits
//! under the plot so that it never hides data.

use crate::scenario::parse_duration_us;
use crate::sweep::SetList;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use std::ops::Range;

pub(super) const W: u32 = 900;
pub(super) const H: u32 = 540;
pub(super) use super::palette::series as color;

/// The x axis of a parameter: a position and a tick label per value.
pub(super) struct XAxis {
    /// Placed to scale (numbers, durations) rather than as categories.
    pub scaled: bool,
    pub positions: Vec<f64>,
    pub labels: Vec<String>,
    pub lo: f64,
    pub hi: f64,
}

impl XAxis {
    pub fn of(set: &SetList) -> XAxis {
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

    pub fn label_at(&self, x: f64) -> String {
        let tol = (self.hi - self.lo).abs() * 1e-9;
        self.positions
            .iter()
            .position(|p| (p - x).abs() <= tol)
            .and_then(|i| self.labels.get(i).cloned())
            .unwrap_or_default()
    }
}

/// A linear f64 axis whose ticks are exactly the swept values.
pub(super) struct KeyAxis {
    pub lo: f64,
    pub hi: f64,
    pub keys: Vec<f64>,
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
    let grey = ("sans-serif", 12)
        .into_font()
        .color(&super::palette::GREY_70);
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
