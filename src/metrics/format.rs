//! How metric figures are written: one formatter per unit, chosen by the
//! metric catalogue. Two styles: the scenario's own unit style for budgets
//! (`"89.5s"`, parseable like a limit), and the human style for pages and the
//! terminal (`"1m 29.5s"`, `"36,022"`, `"99.95% (3 nines)"`).
//!
//! Human durations are scaled and rounded half up at a precision that depends
//! only on the magnitude, so a figure always reads the same wherever it
//! appears: below 1 ms in µs (`"250us"`), below 1 s in ms to 0.1 ms
//! (`"35.8ms"`), below 1 min in s to 0.01 s (`"6.85s"`), below 1 h as minutes
//! and seconds to 0.1 s (`"5m 0.2s"`), then hours, minutes and whole seconds.

use super::catalogue::Unit;
use super::sample::Sample;
use crate::engine::time::{fmt_duration, US_PER_SEC};

/// A position in the run (not a duration): seconds since the start with
/// millisecond precision, `"89.500s"`, as in the incident timelines.
pub fn fmt_timestamp(us: u64) -> String {
    format!("{}.{:03}s", us / US_PER_SEC, (us % US_PER_SEC) / 1000)
}

/// A figure for people (pages, tables, the terminal), by the metric's unit.
pub fn human(unit: Unit, s: Sample) -> String {
    match (unit, s) {
        (Unit::Us, Sample::Unbounded) => "not recovered".to_string(),
        (_, Sample::Unbounded) => "unbounded".to_string(),
        (Unit::Us, Sample::Int(us)) => human_duration(us),
        (Unit::Bytes, Sample::Int(b)) => human_bytes(b),
        (_, Sample::Int(n)) => human_count(n),
        (_, Sample::Ratio(r)) => human_share(r),
    }
}

/// `v` rounded half up to a multiple of `step`.
fn round_to(v: u64, step: u64) -> u64 {
    v.saturating_add(step / 2) / step * step
}

/// `units` hundredths (or tenths, `places` = 1) as a decimal, trailing zeros
/// dropped: (685, 2) is `"6.85"`, (1500, 2) is `"15"`.
fn decimal(units: u64, places: u32) -> String {
    let div = 10u64.pow(places);
    let (whole, frac) = (units / div, units % div);
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:0width$}", width = places as usize);
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// A duration for people, scaled and rounded by magnitude (see the module doc).
pub fn human_duration(us: u64) -> String {
    const MS: u64 = 1_000;
    const MIN: u64 = 60 * US_PER_SEC;
    const HOUR: u64 = 60 * MIN;
    if us == 0 {
        return "0s".to_string();
    }
    if us < MS {
        return format!("{us}us");
    }
    let tenth_ms = round_to(us, 100);
    if tenth_ms < US_PER_SEC {
        return format!("{}ms", decimal(tenth_ms / 100, 1));
    }
    let centi_s = round_to(us, 10_000);
    if centi_s < MIN {
        return format!("{}s", decimal(centi_s / 10_000, 2));
    }
    let deci_s = round_to(us, 100_000);
    if deci_s < HOUR {
        let s = deci_s % MIN;
        return match s {
            0 => format!("{}m", deci_s / MIN),
            _ => format!("{}m {}s", deci_s / MIN, decimal(s / 100_000, 1)),
        };
    }
    let secs = round_to(us, US_PER_SEC) / US_PER_SEC;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (m, s) {
        (0, 0) => format!("{}h", human_count(h)),
        (_, 0) => format!("{}h {m}m", human_count(h)),
        _ => format!("{}h {m}m {s}s", human_count(h)),
    }
}

/// A whole number with thousands separators: `"36,022"`.
pub fn human_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in decimal units to three significant figures: `"1.84 GB"`.
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if b < 1000 {
        return format!("{b} B");
    }
    let mut v = b as f64;
    let mut unit = "B";
    for u in UNITS {
        if v < 999.5 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    let places = if v < 9.995 {
        2
    } else if v < 99.95 {
        1
    } else {
        0
    };
    format!("{v:.places$} {unit}")
}

/// A share as a percentage that shows its nines (`"99.95% (3 nines)"`,
/// `"97.05%"`): at least two decimals, and as many as the nines need. A
/// share below 1 is never shown as 100%.
pub fn human_share(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    if r >= 1.0 {
        return "100%".to_string();
    }
    let nines = if r > 0.0 {
        // The epsilon keeps 0.999 (whose 1 - r is 0.0010000000000000009)
        // at 3 nines.
        (-(1.0 - r).log10() + 1e-9).floor() as i32
    } else {
        0
    };
    let places = (nines - 1).clamp(2, 8) as usize;
    let mut pct = format!("{:.places$}", r * 100.0);
    if pct.starts_with("100") {
        pct = format!("99.{}", "9".repeat(places));
    }
    if nines >= 2 {
        format!("{pct}% ({nines} nines)")
    } else {
        format!("{pct}%")
    }
}

/// Money for people: two decimals, thousands separators, and what it is
/// counted in (the scenario's `[cost] transfer_per_gb` currency).
pub fn human_money(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02} (currency of transfer_per_gb)",
        human_count(cents / 100),
        cents % 100
    )
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
    fn human_durations_scale_and_round_one_way() {
        let cases = [
            (0, "0s"),
            (250, "250us"),
            (999, "999us"),
            (1_000, "1ms"),
            (3_249, "3.2ms"),
            (3_250, "3.3ms"),
            (35_827, "35.8ms"),
            (999_949, "999.9ms"),
            (999_950, "1s"),
            (6_852_607, "6.85s"),
            (59_994_999, "59.99s"),
            (59_995_000, "1m"),
            (89_500_000, "1m 29.5s"),
            (96_618_000, "1m 36.6s"),
            (96_619_000, "1m 36.6s"),
            (300_159_477, "5m 0.2s"),
            (3_599_950_000, "1h"),
            (3_723_400_000, "1h 2m 3s"),
            (7_200_000_000, "2h"),
            (7_260_000_000, "2h 1m"),
        ];
        for (us, want) in cases {
            assert_eq!(human_duration(us), want, "{us}");
        }
        let _ = human_duration(u64::MAX);
    }

    #[test]
    fn timestamps_keep_milliseconds() {
        assert_eq!(fmt_timestamp(89_500_000), "89.500s");
        assert_eq!(fmt_timestamp(0), "0.000s");
        assert_eq!(fmt_timestamp(300_000_999), "300.000s");
    }

    #[test]
    fn human_counts_bytes_shares_and_money() {
        assert_eq!(human_count(0), "0");
        assert_eq!(human_count(999), "999");
        assert_eq!(human_count(36_022), "36,022");
        assert_eq!(human_count(1_800_000), "1,800,000");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1_843_200_000), "1.84 GB");
        assert_eq!(human_bytes(999_999), "1.00 MB");
        assert_eq!(human_bytes(45_600), "45.6 kB");
        assert_eq!(human_share(0.970_531), "97.05%");
        assert_eq!(human_share(0.9987), "99.87% (2 nines)");
        assert_eq!(human_share(0.999_5), "99.95% (3 nines)");
        assert_eq!(human_share(0.999), "99.90% (3 nines)");
        assert_eq!(human_share(0.99), "99.00% (2 nines)");
        assert_eq!(human_share(0.999_96), "99.996% (4 nines)");
        assert_eq!(human_share(0.999_999_99), "99.999999% (7 nines)");
        assert_eq!(human_share(1.0), "100%");
        assert_eq!(human_share(0.0), "0.00%");
        assert_eq!(human_share(f64::NAN), "n/a");
        assert_eq!(human_money(0.02), "0.02 (currency of transfer_per_gb)");
        assert_eq!(
            human_money(1234.567),
            "1,234.57 (currency of transfer_per_gb)"
        );
    }

    #[test]
    fn show_by_unit() {
        assert_eq!(show(Unit::Us, Sample::Unbounded), "not recovered");
        assert_eq!(show(Unit::Us, Sample::Int(89_500_000)), "89.5s");
        assert_eq!(show(Unit::Count, Sample::Int(50)), "50");
        assert_eq!(show(Unit::Share, Sample::Ratio(0.9987)), "0.9987");
    }
}
