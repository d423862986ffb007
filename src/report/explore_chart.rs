//! explore's charts (SVG): the metric of every candidate against each fault's
//! start time, one chart per fault whose start was searched. The original
//! scenario and the worst candidate are marked; unbounded values (an RTO that
//! never recovered) sit on the top edge.

use super::palette::{BLUE, GREY_90, VERMILLION};
use super::sweep_style::{error_svg, fmt_num, y_range, W};
use crate::explore::{Exploration, Field};
use crate::metrics::Unit;
use plotters::prelude::*;

const H: u32 = 520;

/// Every chart: `(file name, SVG text)`, in knob order.
pub fn explore_charts(e: &Exploration, scenario: &str) -> Vec<(String, String)> {
    (e.space.knobs.iter().enumerate())
        .filter(|(_, k)| k.field == Field::At)
        .map(|(j, k)| {
            let name = format!("{}-vs-fault{}-start.svg", e.metric.name, k.fault);
            (name, chart(e, j, scenario))
        })
        .collect()
}

/// (x in s, y in display units or `None` when unbounded) of every candidate.
fn points(e: &Exploration, j: usize) -> Vec<(f64, Option<f64>)> {
    let scale = e.metric.display.scale();
    e.tried
        .iter()
        .filter_map(|t| {
            let x = *t.point.values.get(j)? as f64 / 1e6;
            Some((x, t.value.as_f64().map(|v| v * scale)))
        })
        .collect()
}

fn chart(e: &Exploration, j: usize, scenario: &str) -> String {
    let Some(k) = e.space.knobs.get(j) else {
        return error_svg("no such fault");
    };
    let pts = points(e, j);
    let vals: Vec<f64> = pts.iter().filter_map(|p| p.1).collect();
    let (y_lo, y_hi) = y_range(&vals, e.metric.unit == Unit::Share);
    let (x_lo, x_hi) = (k.lo_us as f64 / 1e6, (k.hi_us as f64 / 1e6).max(1e-3));
    let pad = (x_hi - x_lo).max(1.0) * 0.02;
    let title = format!(
        "{} against the start of faults[{}] ({} runs, {scenario})",
        e.metric.title,
        k.fault,
        e.tried.len()
    );
    let at = |i: usize| {
        e.tried
            .get(i)
            .and_then(|t| Some((*t.point.values.get(j)? as f64 / 1e6, t.value.as_f64())))
    };
    let scale = e.metric.display.scale();
    let marks = [
        (at(0), GREY_90, "the scenario as written"),
        (at(e.worst), VERMILLION, "the worst found"),
    ];
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut c = ChartBuilder::on(&root)
            .caption(&title, ("sans-serif", 18))
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(72)
            .build_cartesian_2d((x_lo - pad)..(x_hi + pad), y_lo..y_hi)?;
        c.configure_mesh()
            .x_desc(format!("faults[{}].at (s)", k.fault))
            .y_desc(e.metric.axis())
            .y_label_formatter(&|v| fmt_num(*v))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        c.draw_series(
            pts.iter()
                .map(|&(x, y)| Circle::new((x, y.unwrap_or(y_hi)), 3, BLUE.mix(0.6).filled())),
        )?
        .label("a candidate (unbounded: on the top edge)")
        .legend(|(x, y)| Circle::new((x + 10, y), 3, BLUE.mix(0.6).filled()));
        for (p, colour, label) in marks {
            let Some((x, y)) = p else { continue };
            let y = y.map_or(y_hi, |v| v * scale);
            c.draw_series(std::iter::once(Circle::new(
                (x, y),
                7,
                colour.stroke_width(2),
            )))?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 6, colour.stroke_width(2)));
        }
        c.configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(GREY_90)
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 13))
            .draw()?;
        root.present()?;
        Ok(())
    })();
    match drawn {
        Ok(()) => svg,
        Err(err) => error_svg(&format!("{title}: {err}")),
    }
}
