//! Integer virtual time: `SimTime` is microseconds since the start of a run.

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

/// The one implementation of exact duration text: the scenario's own unit
/// style, shortest exact form (`250us`, `40ms`, `1.5s`, `2m`, `1h`, `90s`),
/// which `scenario::parse_duration_us` reads back. Messages about scenario
/// values and budget limits use it; `metrics::format` builds the other
/// styles (rounded for people, run timestamps) and nothing else formats a
/// duration. It lives here, at the bottom of the crate, because every layer
/// (scenario checks, the model's bounds, reports) needs it.
pub fn fmt_duration(us: u64) -> String {
    /// `whole.frac` with `frac` of `places` digits, trailing zeros dropped.
    fn decimal(whole: u64, frac: u64, places: usize) -> String {
        if frac == 0 {
            return whole.to_string();
        }
        let f = format!("{frac:0places$}");
        format!("{whole}.{}", f.trim_end_matches('0'))
    }
    if us == 0 {
        return "0s".to_string();
    }
    if us.is_multiple_of(3_600_000_000) {
        return format!("{}h", us / 3_600_000_000);
    }
    if us.is_multiple_of(60_000_000) {
        return format!("{}m", us / 60_000_000);
    }
    if us < 1000 {
        return format!("{us}us");
    }
    if us < US_PER_SEC {
        return format!("{}ms", decimal(us / 1000, us % 1000, 3));
    }
    format!("{}s", decimal(us / US_PER_SEC, us % US_PER_SEC, 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_duration(90_000_000), "90s");
        assert_eq!(fmt_duration(3_600_500_000), "3600.5s");
        assert_eq!(fmt_duration(1_000_500), "1.0005s");
        assert_eq!(fmt_duration(1_500), "1.5ms");
        assert_eq!(fmt_duration(1_500_000), "1.5s");
        assert_eq!(fmt_duration(120_000_000), "2m");
        assert_eq!(fmt_duration(250), "250us");
        assert_eq!(fmt_duration(40_000), "40ms");
        assert_eq!(SimTime(5).plus(u64::MAX), SimTime::MAX);
        assert_eq!(SimTime(5).since(SimTime(9)), 0);
    }
}
