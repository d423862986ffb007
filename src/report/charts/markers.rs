//! Vertical markers for the run's control and replication steps (failover
//! decided, new primary, DNS answer, semi-sync fallback and re-arm), each
//! with a label at the top of the plot. Markers that coincide (or nearly) get
//! their labels stacked in rows, so none hides another unlabelled; a step of
//! the same kind at the same instant (one DNS change per client region) is
//! one marker.

use super::common::{Drawn, Key, TimeAxis, FONT};
use crate::metrics::{Happening, Kind, Series};
use crate::report::palette::{BLUISH_GREEN, DARK_PURPLE, ORANGE, REDDISH_PURPLE, SKY_BLUE};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What a marker marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Decision,
    Promotion,
    Dns,
    Fallback,
    Rearm,
}

impl Step {
    /// Every step, in legend order.
    pub const ALL: [Step; 5] = [
        Step::Decision,
        Step::Promotion,
        Step::Dns,
        Step::Fallback,
        Step::Rearm,
    ];

    /// Legend text.
    pub fn legend(self) -> &'static str {
        match self {
            Step::Decision => "failover decided",
            Step::Promotion => "new primary takes writes",
            Step::Dns => "DNS answer changes",
            Step::Fallback => "semi-sync falls back to async",
            Step::Rearm => "semi-sync re-armed",
        }
    }

    /// The label next to the marker (short: several may stack).
    pub fn label(self) -> &'static str {
        match self {
            Step::Decision => "failover decided",
            Step::Promotion => "new primary",
            Step::Dns => "DNS answer",
            Step::Fallback => "semi-sync → async",
            Step::Rearm => "semi-sync re-armed",
        }
    }

    fn color(self) -> RGBColor {
        match self {
            Step::Decision => DARK_PURPLE,
            Step::Promotion => BLUISH_GREEN,
            Step::Dns => REDDISH_PURPLE,
            Step::Fallback => ORANGE,
            Step::Rearm => SKY_BLUE,
        }
    }

    /// A decision and its DNS change often coincide: the wider line stays
    /// visible under the narrower one (and both are labelled).
    pub fn style(self) -> ShapeStyle {
        let width = if self == Step::Decision { 5 } else { 2 };
        self.color().stroke_width(width)
    }

    fn of(e: &crate::metrics::TimelineEntry) -> Option<Step> {
        match (&e.event, e.kind) {
            (Happening::SemiSyncFallback { .. }, _) => Some(Step::Fallback),
            (Happening::SemiSyncRearmed { .. }, _) => Some(Step::Rearm),
            (_, Kind::Decision) => Some(Step::Decision),
            (_, Kind::Promotion) => Some(Step::Promotion),
            (_, Kind::Dns) => Some(Step::Dns),
            _ => None,
        }
    }
}

/// One marker: when and what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marker {
    pub at_us: u64,
    pub step: Step,
}

/// The markers of a run up to `end_us`, in time order, one per (instant, step).
pub fn markers(series: &Series, end_us: u64) -> Vec<Marker> {
    let mut out: Vec<Marker> = series
        .timeline
        .iter()
        .filter(|e| e.at_us <= end_us)
        .filter_map(|e| {
            Step::of(e).map(|step| Marker {
                at_us: e.at_us,
                step,
            })
        })
        .collect();
    out.sort_by_key(|m| (m.at_us, m.step));
    out.dedup();
    out
}

/// Legend entries for the steps present among `markers`.
pub fn marker_keys(markers: &[Marker]) -> Vec<(String, Key)> {
    Step::ALL
        .iter()
        .filter(|s| markers.iter().any(|m| m.step == **s))
        .map(|s| (s.legend().to_string(), Key::Dashed(s.style())))
        .collect()
}

/// Rows of labels at most; a label that fits in none is left out (its line
/// and the legend still show it).
const ROWS: usize = 6;
const ROW_PX: i32 = 17;
/// Estimated width of a label character at the label font size, in pixels.
const CHAR_PX: i32 = 6;

/// Where each marker's label goes: (x pixel of the line, row), rows assigned
/// left to right so that no two labels in a row overlap. `None`: no room.
pub fn label_rows(xs: &[(i32, usize)]) -> Vec<Option<usize>> {
    let mut free_from = [i32::MIN; ROWS];
    xs.iter()
        .map(|&(x, chars)| {
            let row = (0..ROWS).find(|&r| free_from[r] <= x)?;
            free_from[row] = x + 4 + chars as i32 * CHAR_PX + 6;
            Some(row)
        })
        .collect()
}

/// Draws the markers as dashed vertical lines over the height `y`, with
/// their labels stacked at the top of the plot.
pub fn draw_markers<DB, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    axis: TimeAxis,
    y: (f64, f64),
    markers: &[Marker],
) -> Drawn
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    Y: Ranged<ValueType = f64>,
{
    for m in markers {
        let t = axis.at(m.at_us);
        chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
            vec![(t, y.0), (t, y.1)],
            6,
            4,
            m.step.style(),
        )))?;
    }
    let (x0, _) = chart.plotting_area().get_base_pixel();
    let xs: Vec<(i32, usize)> = markers
        .iter()
        .map(|m| {
            let (px, _) = chart.backend_coord(&(axis.at(m.at_us), y.1));
            (px - x0, m.step.label().chars().count())
        })
        .collect();
    let rows = label_rows(&xs);
    let area = chart.plotting_area().strip_coord_spec();
    let (w, _) = area.dim_in_pixel();
    for ((m, &(x, chars)), row) in markers.iter().zip(&xs).zip(rows) {
        let Some(row) = row else { continue };
        let width = chars as i32 * CHAR_PX;
        // Near the right edge the label goes left of its line.
        let (tx, anchor) = if x + 4 + width > w as i32 {
            (x - 4, HPos::Right)
        } else {
            (x + 4, HPos::Left)
        };
        let top = 4 + row as i32 * ROW_PX;
        let (bx0, bx1) = match anchor {
            HPos::Right => (tx - width - 2, tx + 2),
            _ => (tx - 2, tx + width + 2),
        };
        area.draw(&Rectangle::new(
            [(bx0, top), (bx1, top + ROW_PX - 2)],
            WHITE.mix(0.85).filled(),
        ))?;
        let c = m.step.color();
        let style = TextStyle::from((FONT, 13).into_font())
            .color(&c)
            .pos(Pos::new(anchor, VPos::Center));
        area.draw_text(m.step.label(), &style, (tx, top + (ROW_PX - 2) / 2))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::TimelineEntry;

    #[test]
    fn coinciding_labels_stack_and_distant_ones_share_a_row() {
        // Two at the same pixel, one just after, one far right.
        let rows = label_rows(&[(100, 16), (100, 10), (130, 11), (600, 10)]);
        assert_eq!(rows, vec![Some(0), Some(1), Some(2), Some(0)]);
        // More coinciding labels than rows: the extra ones are left out.
        let many = vec![(50, 10); ROWS + 2];
        let rows = label_rows(&many);
        assert_eq!(rows.iter().filter(|r| r.is_some()).count(), ROWS);
        assert_eq!(rows[ROWS], None);
    }

    #[test]
    fn one_marker_per_instant_and_step_with_semi_sync_steps() {
        let mut s = Series::default();
        let dns = |region: &str| Happening::DnsAnswers {
            target: "eu-west-1".into(),
            clients_in: region.into(),
        };
        s.timeline = vec![
            TimelineEntry::new(
                10,
                Happening::SemiSyncFallback {
                    timeout_us: 1,
                    acks: 1,
                    waiting: 3,
                },
                None,
            ),
            TimelineEntry::new(20, dns("us-west-2"), None),
            TimelineEntry::new(20, dns("eu-west-1"), None),
            TimelineEntry::new(
                30,
                Happening::SemiSyncRearmed {
                    caught_up: 1,
                    degraded_us: 20,
                },
                None,
            ),
        ];
        let m = markers(&s, 25);
        assert_eq!(
            m,
            vec![
                Marker {
                    at_us: 10,
                    step: Step::Fallback
                },
                Marker {
                    at_us: 20,
                    step: Step::Dns
                },
            ]
        );
        let keys: Vec<String> = marker_keys(&markers(&s, 100))
            .into_iter()
            .map(|k| k.0)
            .collect();
        assert_eq!(
            keys,
            [
                "DNS answer changes",
                "semi-sync falls back to async",
                "semi-sync re-armed"
            ]
        );
    }
}
