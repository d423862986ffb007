//! How metric figures are written for people: one formatter per unit,
//! chosen by the metric catalogue.

use super::catalogue::{Display, Unit};
use super::sample::Sample;
use crate::engine::time::{fmt_duration, US_PER_SEC};

/// A figure as tables show it: seconds or milliseconds with a fixed number
/// of decimals (`"89.500s"`, `"3.200ms"`), whole numbers, shares.
pub fn cell(display: Display, s: Sample) -> String {
    match (display, s) {
        (Display::Secs | Display::Millis, Sample::Unbounded) => "not recovered".to_string(),
        (_, Sample::Unbounded) => "unbounded".to_string(),
        (Display::Secs, Sample::Int(us)) => crate::engine::time::fmt_secs(us),
        (Display::Millis, Sample::Int(us)) => format!("{}.{:03}ms", us / 1000, us % 1000),
        (_, Sample::Int(n)) => n.to_string(),
        (_, Sample::Ratio(r)) => fmt_ratio(r),
    }
}

/// A figure of a metric in `unit`, in the style of a budget limit
/// (`"89.5s"`, `"50"`, `"0.9987"`; `"not recovered"` when unbounded).
pub fn show(unit: Unit, s: Sample) -> String {
    match (unit, s) {
        (Unit::Us, Sample::Unbounded) => "not recovered".to_string(),
        (_, Sample::Unbounded) => "unbounded".to_string(),
        (Unit::Us, Sample::Int(us)) => fmt_duration_ms(us),
        (_, Sample::Int(n)) => n.to_string(),
        (_, Sample::Ratio(r)) => fmt_ratio(r),
    }
}

/// A measured duration in the scenario's unit style, shortest form: below a
/// second exact (`"250us"`, `"3.2ms"`), from a second up rounded to the
/// millisecond (`"89.5s"`, `"2m"`, `"150.25s"`).
pub fn fmt_duration_ms(us: u64) -> String {
    if us == 0 {
        return "0s".to_string();
    }
    if us < 1000 {
        return format!("{us}us");
    }
    if us < US_PER_SEC {
        let (ms, frac) = (us / 1000, us % 1000);
        return if frac == 0 {
            format!("{ms}ms")
        } else {
            let f = format!("{frac:03}");
            format!("{ms}.{}ms", f.trim_end_matches('0'))
        };
    }
    let rounded = us.saturating_add(500) / 1000 * 1000;
    fmt_duration(rounded)
}

/// A share in [0, 1] with up to 6 decimals, trailing zeros dropped (`"0.9987"`,
/// `"1"`). A share below 1 is never shown as `"1"`.
pub fn fmt_ratio(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s == "1" && r < 1.0 {
        return "0.999999".to_string();
    }
    if s == "-0" {
        return "0".to_string();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_style() {
        assert_eq!(fmt_duration_ms(0), "0s");
        assert_eq!(fmt_duration_ms(250), "250us");
        assert_eq!(fmt_duration_ms(3_250), "3.25ms");
        assert_eq!(fmt_duration_ms(999_999), "999.999ms");
        assert_eq!(fmt_duration_ms(1_000_400), "1s");
        assert_eq!(fmt_duration_ms(89_500_123), "89.5s");
        assert_eq!(fmt_duration_ms(150_250_000), "150.25s");
        assert_eq!(fmt_duration_ms(3_600_000_000), "1h");
        assert_eq!(fmt_duration_ms(u64::MAX), fmt_duration_ms(u64::MAX));
    }

    #[test]
    fn ratio_style() {
        assert_eq!(fmt_ratio(0.9987), "0.9987");
        assert_eq!(fmt_ratio(1.0), "1");
        assert_eq!(fmt_ratio(0.0), "0");
        assert_eq!(fmt_ratio(0.123_456_789), "0.123457");
        assert_eq!(fmt_ratio(0.999_999_9), "0.999999");
        assert_eq!(fmt_ratio(f64::NAN), "n/a");
    }

    #[test]
    fn show_by_unit() {
        assert_eq!(show(Unit::Us, Sample::Unbounded), "not recovered");
        assert_eq!(show(Unit::Us, Sample::Int(89_500_000)), "89.5s");
        assert_eq!(show(Unit::Count, Sample::Int(50)), "50");
        assert_eq!(show(Unit::Share, Sample::Ratio(0.9987)), "0.9987");
    }
}
