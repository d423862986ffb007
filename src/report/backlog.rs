//! How far behind a replica is while nothing reaches it: the lag at time t
//! is t minus the commit time of the oldest write not yet applied, so during
//! a cut-off it grows with slope 1 (the applied-lag series alone is blank
//! then, because nothing is applied). Derived, per second, from the run's
//! series: the seconds in which the replica applied nothing, the writes the
//! other regions served meanwhile, and when the replica was itself primary.

use crate::metrics::{Happening, Series};

/// Gaps shorter than this many seconds are the ordinary spacing between
/// applies (a write committed late in one second, applied early in the next),
/// not a cut-off.
pub const MIN_GAP_SECS: usize = 3;

/// Per second of the run, the age (µs, at the middle of the second) of the
/// oldest write `replica` had not applied, for the seconds in which it
/// applied nothing although writes served by other regions were waiting for
/// it; `None` otherwise (it applied something, nothing was waiting, or it
/// was the primary itself). The oldest waiting write is taken as issued at
/// the start of the first second, after the replica's last apply, in which
/// another region served an acknowledged write.
pub fn backlog_age_us(s: &Series, replica: &str) -> Vec<Option<u64>> {
    let n = s.seconds as usize;
    let applied = s.lag_max_us.get(replica);
    let mut others = vec![0u64; n];
    for (region, per_sec) in &s.writes_served {
        if region != replica {
            for (sec, w) in per_sec.iter().enumerate().take(n) {
                others[sec] += w;
            }
        }
    }
    // When the replica became primary (promoted) or a replica again (rejoined).
    let mut roles: Vec<(u64, bool)> = s
        .timeline
        .iter()
        .filter_map(|e| match &e.event {
            Happening::Promoted { target, .. } if target == replica => Some((e.at_us, true)),
            Happening::Rejoined { region, .. } if region == replica => Some((e.at_us, false)),
            _ => None,
        })
        .collect();
    roles.sort_unstable();
    let mut out = vec![None; n];
    let (mut primary, mut next_role) = (false, 0);
    let mut oldest: Option<usize> = None;
    for sec in 0..n {
        let end_us = (sec as u64 + 1) * 1_000_000;
        while let Some(&(_, p)) = roles.get(next_role).filter(|r| r.0 < end_us) {
            primary = p;
            next_role += 1;
        }
        let applied_now = applied.and_then(|a| a.get(sec)).is_some_and(|&l| l > 0);
        if applied_now || primary {
            oldest = None;
            continue;
        }
        if oldest.is_none() && others[sec] > 0 {
            oldest = Some(sec);
        }
        out[sec] = oldest.map(|o| (sec - o) as u64 * 1_000_000 + 500_000);
    }
    drop_short_gaps(&mut out);
    out
}

/// Clears every run of `Some` shorter than [`MIN_GAP_SECS`].
fn drop_short_gaps(ages: &mut [Option<u64>]) {
    let mut start = 0;
    while start < ages.len() {
        if ages[start].is_none() {
            start += 1;
            continue;
        }
        let len = ages[start..].iter().take_while(|a| a.is_some()).count();
        if len < MIN_GAP_SECS {
            ages[start..start + len].fill(None);
        }
        start += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::TimelineEntry;

    fn series(lag: Vec<u64>, primary_writes: Vec<u64>) -> Series {
        let mut s = Series {
            seconds: lag.len() as u64,
            ..Series::default()
        };
        s.lag_max_us.insert("eu-west-1".into(), lag);
        s.writes_served.insert("us-east-1".into(), primary_writes);
        s
    }

    #[test]
    fn grows_with_slope_one_while_nothing_arrives() {
        let s = series(vec![39_000, 39_000, 0, 0, 0, 0, 40_000], vec![5; 7]);
        let ages = backlog_age_us(&s, "eu-west-1");
        assert_eq!(
            ages,
            vec![
                None,
                None,
                Some(500_000),
                Some(1_500_000),
                Some(2_500_000),
                Some(3_500_000),
                None
            ]
        );
    }

    #[test]
    fn nothing_waiting_or_a_short_gap_is_not_a_backlog() {
        // The primary served nothing: nothing is waiting.
        let idle = series(vec![39_000, 0, 0, 0, 0], vec![5, 0, 0, 0, 0]);
        assert!(backlog_age_us(&idle, "eu-west-1")
            .iter()
            .all(Option::is_none));
        // Two seconds without an apply: ordinary spacing.
        let sparse = series(vec![39_000, 0, 0, 39_000], vec![1; 4]);
        assert!(backlog_age_us(&sparse, "eu-west-1")
            .iter()
            .all(Option::is_none));
    }

    #[test]
    fn stops_when_the_replica_is_promoted() {
        let mut s = series(
            vec![39_000, 0, 0, 0, 0, 0, 0, 0],
            vec![5, 5, 5, 5, 0, 0, 0, 0],
        );
        s.timeline.push(TimelineEntry::new(
            5_200_000,
            Happening::Promoted {
                target: "eu-west-1".into(),
                old: "us-east-1".into(),
                log_position: 1,
                orphaned: 3,
                orphaned_acked: 3,
            },
            None,
        ));
        let ages = backlog_age_us(&s, "eu-west-1");
        // Still growing after the primary stopped serving (its writes wait).
        assert_eq!(ages[4], Some(3_500_000));
        assert_eq!(&ages[5..], &[None, None, None]);
    }
}
