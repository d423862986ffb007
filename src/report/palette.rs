//! The one colour palette of every chart (run and sweep): Okabe–Ito, whose
//! colours stay distinguishable with the common colour-vision deficiencies,
//! plus a few neutral greys and the fault shading.

use plotters::style::RGBColor;

pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
/// A dark purple for the "failover decided" marker, apart from every series.
pub const DARK_PURPLE: RGBColor = RGBColor(110, 50, 150);

/// Greys, darkest first: totals, notes, the drain period, a neutral series.
pub const GREY_90: RGBColor = RGBColor(90, 90, 90);
pub const GREY_70: RGBColor = RGBColor(70, 70, 70);
pub const GREY_120: RGBColor = RGBColor(120, 120, 120);
pub const GREY_150: RGBColor = RGBColor(150, 150, 150);

/// Shading of fault windows.
pub const FAULT: RGBColor = RGBColor(220, 50, 32);

/// Series colours in the order they are handed out.
pub const SERIES: [RGBColor; 8] = [
    BLUE,
    ORANGE,
    SKY_BLUE,
    VERMILLION,
    BLACK,
    GREY_150,
    BLUISH_GREEN,
    REDDISH_PURPLE,
];

/// The colour of the i-th series (run charts' regions and replicas, sweep
/// charts' lines and modes).
pub fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_distinct_and_cycle() {
        for (i, a) in SERIES.iter().enumerate() {
            assert!(SERIES[..i].iter().all(|b| b != a), "colour {i} twice");
        }
        assert_eq!(series(0), BLUE);
        assert_eq!(series(SERIES.len()), BLUE);
    }
}
