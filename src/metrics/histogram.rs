//! A log-linear histogram of microsecond values: exact below 2048 µs, within
//! 0.1% above, memory bounded by the largest value (not by the count).

const SUB_BITS: u32 = 11;
const HALF: u64 = 1 << (SUB_BITS - 1);

fn index(v: u64) -> usize {
    if v < (1 << SUB_BITS) {
        return v as usize;
    }
    let msb = 63 - v.leading_zeros();
    let shift = msb - (SUB_BITS - 1);
    (u64::from(shift) * HALF + (v >> shift)) as usize
}

fn lower_bound(idx: usize) -> u64 {
    let idx = idx as u64;
    if idx < (1 << SUB_BITS) {
        return idx;
    }
    let shift = idx / HALF - 1;
    (idx - shift * HALF) << shift
}

#[derive(Clone, Debug, Default)]
pub struct Histogram {
    counts: Vec<u64>,
    n: u64,
    min: u64,
    max: u64,
}

impl Histogram {
    pub fn record(&mut self, v: u64) {
        let i = index(v);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        if self.n == 0 || v < self.min {
            self.min = v;
        }
        self.max = self.max.max(v);
        self.n += 1;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    /// The nearest-rank `pct`-th percentile (see `percentile.rs`); 0 when
    /// empty. Reported as the top of its bucket, clamped to the recorded
    /// range: at most 0.1% high.
    pub fn percentile(&self, pct: u32) -> u64 {
        if self.n == 0 {
            return 0;
        }
        let n = usize::try_from(self.n).unwrap_or(usize::MAX);
        let rank = super::percentile::nearest_rank(n, pct) as u64;
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                // The bucket's upper end: never under-reports a latency.
                let upper = lower_bound(i + 1).saturating_sub(1);
                return upper.clamp(self.min, self.max);
            }
        }
        self.max
    }

    /// A coarse CDF: (value, share of values at or below it) at bucket tops,
    /// buckets within 2% of a point's first value merged into it (so at most
    /// a few hundred points); empty when nothing was recorded, else ending at
    /// (max, 1).
    pub fn cdf(&self) -> Vec<(u64, f64)> {
        let mut out: Vec<(u64, f64)> = Vec::new();
        let (mut seen, mut anchor) = (0, 0u64);
        for (i, &c) in self.counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            seen += c;
            let top = lower_bound(i + 1)
                .saturating_sub(1)
                .clamp(self.min, self.max);
            let point = (top, seen as f64 / self.n as f64);
            match out.last_mut() {
                Some(last) if (top as f64) < anchor as f64 * 1.02 => *last = point,
                _ => {
                    anchor = top;
                    out.push(point);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_round_trips_within_a_tenth_of_a_percent() {
        for v in [
            0u64,
            1,
            2047,
            2048,
            2049,
            42_000,
            1_000_000,
            89_500_000,
            u64::MAX / 3,
        ] {
            let lb = lower_bound(index(v));
            assert!(lb <= v, "{v}");
            assert!((v - lb) as f64 <= v as f64 * 0.001 + 0.5, "{v} {lb}");
        }
        let mut last = 0;
        for i in 0..20_000 {
            let lb = lower_bound(i);
            assert!(lb >= last);
            assert_eq!(index(lb), i);
            last = lb;
        }
    }

    #[test]
    fn cdf_is_coarse_and_ends_at_max() {
        let mut h = Histogram::default();
        assert!(h.cdf().is_empty());
        for v in 1..=10_000 {
            h.record(v * 10);
        }
        let cdf = h.cdf();
        assert!(cdf.len() < 400, "{}", cdf.len());
        assert!(cdf.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert_eq!(cdf.last(), Some(&(100_000, 1.0)));
        let (v, share) = cdf[cdf.len() / 2];
        assert!((share - v as f64 / 100_000.0).abs() < 0.01, "{v} {share}");
    }

    #[test]
    fn percentiles_of_a_known_set() {
        let mut h = Histogram::default();
        for v in 1..=100 {
            h.record(v);
        }
        assert_eq!(h.percentile(50), 50);
        let mut big = Histogram::default();
        big.record(5_000);
        big.record(81_000);
        assert_eq!(big.percentile(100), 81_000);
        // The top of 5000's bucket, 5003, is within 0.1% above.
        assert!((5_000..=5_005).contains(&big.percentile(50)));
        assert_eq!(h.percentile(99), 99);
        assert_eq!(h.percentile(100), 100);
        let mut c = Histogram::default();
        for _ in 0..10 {
            c.record(42_000);
        }
        assert_eq!(c.percentile(50), 42_000);
    }
}
