//! Shared pieces of the SVG charts: rendering to a string, the palette (from `palette.rs`), the
//! time axis, fault-window shading and gap-aware line segments.

use crate::metrics::{Kind, Series};
use crate::report::timeline;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;

/// Width and height of the time charts, in pixels.
pub const SIZE: (u32, u32) = (960, 480);

/// The font of every label (SVG viewers pick their own sans-serif face).
pub const FONT: &str = "sans-serif";

/// A drawing step that may fail (plotters reports backend and layout errors).
pub type Draw<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type Drawn = Result<(), Box<dyn Error>>;

pub use crate::report::palette::{series as color, FAULT, GREY_120 as DRAIN};

/// Renders a chart into an SVG string. A drawing error (never expected with
/// the SVG backend) gives a small SVG that says so instead of a panic.
pub fn render(size: (u32, u32), draw: impl FnOnce(&Draw) -> Drawn) -> String {
    let mut svg = String::new();
    let outcome = {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| Box::new(e) as Box<dyn Error>)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(|e| Box::new(e) as Box<dyn Error>))
    };
    match outcome {
        Ok(()) => svg,
        Err(e) => fallback(size, &format!("chart could not be drawn: {e}")),
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    Line(ShapeStyle),
    Dashed(ShapeStyle),
    Fill(ShapeStyle),
}

/// Legend entries, in order.
pub type Legend = Vec<(String, Key)>;

const LEGEND_COLUMNS: usize = 2;
const LEGEND_ROW: u32 = 24;

/// Height of the legend strip under the plot.
fn legend_height(entries: usize) -> u32 {
    let rows = entries.div_ceil(LEGEND_COLUMNS) as u32;
    if rows == 0 {
        0
    } else {
        rows * LEGEND_ROW + 12
    }
}

/// Renders a chart with a title on top and its legend in a strip below the
/// plot (never over the data). `size` is the size without the legend strip.
pub fn render_chart(
    size: (u32, u32),
    title: &str,
    legend: &[(String, Key)],
    draw: impl FnOnce(&Draw) -> Drawn,
) -> String {
    let strip = legend_height(legend.len());
    render((size.0, size.1 + strip), |root| {
        let body = root.titled(title, (FONT, 22))?;
        let (_, h) = body.dim_in_pixel();
        let (plot, keys) = body.split_vertically(h.saturating_sub(strip));
        draw(&plot)?;
        draw_legend(&keys, legend)
    })
}

fn draw_legend(area: &Draw, legend: &[(String, Key)]) -> Drawn {
    let (w, _) = area.dim_in_pixel();
    let col_w = (w.saturating_sub(120) / LEGEND_COLUMNS as u32) as i32;
    let text = TextStyle::from((FONT, 16).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, key)) in legend.iter().enumerate() {
        let x = 90 + (i % LEGEND_COLUMNS) as i32 * col_w;
        let y = 4 + (i / LEGEND_COLUMNS) as i32 * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
        match *key {
            Key::Line(style) => area.draw(&PathElement::new(vec![(x, y), (x + 28, y)], style))?,
            Key::Dashed(style) => area.draw(&plotters::element::DashedPathElement::new(
                vec![(x, y), (x + 28, y)],
                6,
                4,
                style,
            ))?,
            Key::Fill(style) => area.draw(&Rectangle::new([(x, y - 7), (x + 28, y + 7)], style))?,
        }
        area.draw_text(label, &text, (x + 36, y))?;
    }
    Ok(())
}

/// A chart frame with a title and one centred line of text (no data to plot).
pub fn message(size: (u32, u32), title: &str, text: &str) -> String {
    render(size, |root| {
        let root = root.titled(title, (FONT, 22))?;
        let (w, h) = root.dim_in_pixel();
        let style = TextStyle::from((FONT, 18).into_font())
            .color(&DRAIN)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text(text, &style, (w as i32 / 2, h as i32 / 2))?;
        Ok(())
    })
}

/// A log axis range in log10(ms), widened to whole decades (at least one).
pub fn log_decades(lo_ms: f64, hi_ms: f64) -> (f64, f64) {
    let lo = lo_ms.max(1e-3).log10().floor();
    let hi = hi_ms.max(1e-3).log10().ceil().max(lo + 1.0);
    (lo, hi)
}

/// The label of a tick at log10(ms) = `v`: only whole decades are labelled,
/// in the unit that keeps them short (`"100us"`, `"10ms"`, `"1,000s"`), so
/// no label repeats and none is too wide for the axis.
pub fn decade_label(v: f64) -> String {
    let e = v.round();
    if (v - e).abs() > 1e-6 {
        return String::new();
    }
    let e = e as i32;
    let p = |k: i32| crate::metrics::human_count(10u64.pow(k as u32));
    match e {
        ..=-4 => String::new(),
        -3..=-1 => format!("{}us", p(e + 3)),
        0..=2 => format!("{}ms", p(e)),
        _ => format!("{}s", p(e - 3)),
    }
}

fn fallback(size: (u32, u32), text: &str) -> String {
    format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <text x=\"10\" y=\"20\" font-family=\"{FONT}\">{}</text>\n</svg>\n",
        super::super::escape_xml(text),
        w = size.0,
        h = size.1
    )
}

/// How the time axis is labelled: always in seconds since the start, the
/// unit of every other time axis and table of a report (the RTO waterfall,
/// the incident timelines), so a report never switches units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    /// Microseconds per axis unit.
    pub us_per_unit: f64,
    pub label: &'static str,
}

impl TimeAxis {
    /// The axis of a run of `_end_us` (the same unit whatever the length).
    pub fn for_span(_end_us: u64) -> TimeAxis {
        TimeAxis {
            us_per_unit: 1e6,
            label: "time since start (s)",
        }
    }

    pub fn at(self, us: u64) -> f64 {
        us as f64 / self.us_per_unit
    }
}

/// For each series, the first earlier series it is identical to (its line
/// would hide under that one's): drawn dashed, and said so in the legend.
pub fn identical_to<T: PartialEq>(all: &[&T]) -> Vec<Option<usize>> {
    all.iter()
        .enumerate()
        .map(|(i, s)| all[..i].iter().position(|earlier| earlier == s))
        .collect()
}

/// The style of series `i` of `n`: earlier series are drawn wider (under
/// the later ones), so where lines coincide each still shows as a coloured
/// edge: 2 px for the last, one more per series before it, at most 5.
pub fn series_style(i: usize, n: usize) -> ShapeStyle {
    let wider = n.saturating_sub(i + 1).min(3) as u32;
    color(i).stroke_width(2 + wider)
}

/// A series line: solid, or dashed when it is identical to an earlier one
/// (the earlier line shows through its gaps).
pub fn series_key(i: usize, n: usize, dashed: bool) -> Key {
    let style = series_style(i, n);
    if dashed {
        Key::Dashed(style)
    } else {
        Key::Line(style)
    }
}

/// A fault window's label: the window's own text when it reads as prose,
/// else the run timeline's `fault` entry at the same instant.
pub fn fault_label(series: &Series, start_us: u64, label: &str) -> String {
    if !label.contains('{') && !label.is_empty() {
        return label.to_string();
    }
    series
        .timeline
        .iter()
        .find(|e| e.kind == Kind::Fault && e.at_us == start_us)
        .map_or_else(|| "fault".to_string(), |e| timeline::text(&e.event))
}

/// Shades every fault window, and the drain `(from, to)` when given, over
/// the full height `y` of a chart.
pub fn shade_windows<'a, Y, DB>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    series: &Series,
    axis: TimeAxis,
    y: (f64, f64),
    drain: Option<(u64, u64)>,
) -> Drawn
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    Y: Ranged<ValueType = f64>,
{
    let rects = series.fault_windows.iter().map(|(start, end, _)| {
        Rectangle::new(
            [(axis.at(*start), y.0), (axis.at(*end), y.1)],
            fault_style(),
        )
    });
    chart.draw_series(rects)?;
    if let Some((from, to)) = drain.filter(|(from, to)| to > from) {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(axis.at(from), y.0), (axis.at(to), y.1)],
            drain_style(),
        )))?;
    }
    Ok(())
}

fn fault_style() -> ShapeStyle {
    FAULT.mix(0.12).filled()
}

fn drain_style() -> ShapeStyle {
    DRAIN.mix(0.12).filled()
}

/// Legend entries for [`shade_windows`]: one per distinct fault label (at
/// most four), and the drain.
pub fn window_keys(series: &Series, drain: bool) -> Legend {
    let mut keys: Legend = Vec::new();
    for (start, _, label) in &series.fault_windows {
        let text = format!("fault: {}", fault_label(series, *start, label));
        if keys.len() < 4 && keys.iter().all(|k| k.0 != text) {
            keys.push((text, Key::Fill(fault_style())));
        }
    }
    if drain {
        keys.push((
            "drain (no new requests)".to_string(),
            Key::Fill(drain_style()),
        ));
    }
    keys
}

/// Splits optional points into runs of consecutive present points (a gap
/// wherever a point is `None`).
pub fn segments(points: impl Iterator<Item = Option<(f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for p in points {
        match p {
            Some(p) => current.push(p),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Draws gap-aware line segments, solid or dashed (a lone point as a dot).
pub fn draw_parts<'a, X, Y, DB>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    parts: Vec<Vec<(f64, f64)>>,
    style: ShapeStyle,
    dashed: bool,
) -> Drawn
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    for part in parts {
        if part.len() == 1 {
            chart.draw_series(part.into_iter().map(|p| Circle::new(p, 2, style.filled())))?;
        } else if dashed {
            chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                part, 8, 6, style,
            )))?;
        } else {
            chart.draw_series(std::iter::once(PathElement::new(part, style)))?;
        }
    }
    Ok(())
}

/// Axis numbers without trailing zeros: `0.5`, `12`, `1500`.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    let s = if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_lines() {
        let pts = [
            Some((0.0, 1.0)),
            None,
            Some((2.0, 1.0)),
            Some((3.0, 1.0)),
            None,
        ];
        let parts = segments(pts.into_iter());
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].len(), 2);
    }

    #[test]
    fn axis_numbers() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(0.039), "0.039");
        assert_eq!(num(1500.0), "1500");
        assert_eq!(num(f64::NAN), "");
    }

    #[test]
    fn time_axis_is_in_seconds_whatever_the_length() {
        for end in [600_000_000, 2_460_000_000, 36_000_000_000] {
            let axis = TimeAxis::for_span(end);
            assert_eq!(axis.label, "time since start (s)");
            assert_eq!(axis.at(60_000_000), 60.0);
        }
    }

    #[test]
    fn earlier_series_are_wider() {
        let widths: Vec<u32> = (0..5).map(|i| series_style(i, 5).stroke_width).collect();
        assert_eq!(widths, [5, 5, 4, 3, 2]);
        assert_eq!(series_style(0, 1).stroke_width, 2);
    }

    #[test]
    fn identical_series_point_at_the_first_twin() {
        let (a, b, c) = (vec![1, 2], vec![1, 3], vec![1, 2]);
        assert_eq!(identical_to(&[&a, &b, &c]), vec![None, None, Some(0)]);
    }
}
