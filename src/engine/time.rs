//! Integer virtual time: `SimTime` is microseconds since the start of a run.

use std::fmt;

/// A point in virtual time, in microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// Microseconds per second.
pub const US_PER_SEC: u64 = 1_000_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub fn us(self) -> u64 {
        self.0
    }

    /// `self + d`, saturating at the end of time.
    pub fn plus(self, d_us: u64) -> SimTime {
        SimTime(self.0.saturating_add(d_us))
    }

    /// `self - other`, zero when `other` is later.
    pub fn since(self, other: SimTime) -> u64 {
        self.0.saturating_sub(other.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_secs(self.0))
    }
}

/// Formats microseconds as seconds with millisecond precision: `89.500s`.
pub fn fmt_secs(us: u64) -> String {
    format!("{}.{:03}s", us / US_PER_SEC, (us % US_PER_SEC) / 1000)
}

/// Formats a duration in the scenario's own unit style, shortest exact form:
/// `250us`, `40ms`, `1.5s`, `2m`, `1h`.
pub fn fmt_duration(us: u64) -> String {
    if us == 0 {
        return "0s".to_string();
    }
    if us.is_multiple_of(3_600_000_000) {
        return format!("{}h", us / 3_600_000_000);
    }
    if us.is_multiple_of(60_000_000) {
        return format!("{}m", us / 60_000_000);
    }
    if !us.is_multiple_of(1000) {
        return format!("{us}us");
    }
    if us < US_PER_SEC {
        return format!("{}ms", us / 1000);
    }
    let ms = us / 1000;
    let (s, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        format!("{s}s")
    } else {
        let f = format!("{frac:03}");
        format!("{s}.{}s", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_secs(89_500_000), "89.500s");
        assert_eq!(fmt_duration(1_500_000), "1.5s");
        assert_eq!(fmt_duration(120_000_000), "2m");
        assert_eq!(fmt_duration(250), "250us");
        assert_eq!(fmt_duration(40_000), "40ms");
        assert_eq!(SimTime(5).plus(u64::MAX), SimTime::MAX);
        assert_eq!(SimTime(5).since(SimTime(9)), 0);
    }
}
