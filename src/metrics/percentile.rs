//! The one percentile convention of regionsim: nearest rank.
//!
//! For `n` values sorted ascending, the p-th percentile is the value of
//! 1-based rank `ceil(p / 100 * n)`, at least 1: always one of the values,
//! never an interpolation, so p100 is the maximum and a p99 over fewer than
//! 100 values is the maximum too. Computed in integers, so that no float
//! rounding can move a rank. The latency histogram, the RTO percentiles over
//! clients and the sweep's percentiles over seeds all use [`nearest_rank`].

/// The 1-based nearest rank of the `pct`-th percentile (0..=100) among `n`
/// sorted values; 0 when `n` is 0 (there is no value to pick).
pub fn nearest_rank(n: usize, pct: u32) -> usize {
    if n == 0 {
        return 0;
    }
    let pct = pct.min(100) as usize;
    (pct * n).div_ceil(100).clamp(1, n)
}

/// The `pct`-th percentile of `sorted` (ascending); `None` when empty.
pub fn percentile_of<T: Copy>(sorted: &[T], pct: u32) -> Option<T> {
    let rank = nearest_rank(sorted.len(), pct);
    rank.checked_sub(1).and_then(|i| sorted.get(i)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks() {
        assert_eq!(nearest_rank(0, 50), 0);
        assert_eq!(nearest_rank(1, 99), 1);
        assert_eq!(nearest_rank(10, 50), 5);
        assert_eq!(nearest_rank(10, 95), 10);
        assert_eq!(nearest_rank(10, 0), 1);
        assert_eq!(nearest_rank(100, 99), 99);
        assert_eq!(nearest_rank(101, 99), 100);
        assert_eq!(nearest_rank(200, 95), 190);
        assert_eq!(nearest_rank(7, 100), 7);
        assert_eq!(nearest_rank(7, 250), 7);
        // Where `ceil(0.07 * 100)` in floats gives 8, the integer rank is 7.
        assert_eq!(nearest_rank(100, 7), 7);
    }

    #[test]
    fn picks_a_value() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile_of(&v, 50), Some(5));
        assert_eq!(percentile_of(&v, 99), Some(10));
        assert_eq!(percentile_of::<u64>(&[], 50), None);
    }
}
