//! Unit tests of version merging: concurrency, LWW, CRDTs, causal context.

use super::*;
use crate::scenario::Resolution;

fn names() -> Vec<String> {
    vec!["a".into(), "b".into()]
}

fn inc(id: u64, ts: i64, origin: u8, seq: u64, vv: &[u64]) -> Incoming<'_> {
    Incoming {
        id,
        ts,
        origin,
        seq,
        true_us: ts as u64,
        acked: true,
        vv,
    }
}

#[test]
fn concurrent_writes_conflict_and_the_later_timestamp_wins_everywhere() {
    let n = names();
    // a writes 1 at ts 100 (seq 1), b writes 2 at ts 120 (seq 1); neither saw the other.
    let (mut va, mut vva) = (Version::default(), vec![0; 4]);
    let (mut vb, mut vvb) = (Version::default(), vec![0; 4]);
    assert!(local_write(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &inc(1, 100, 0, 1, &[1, 0]),
        &n
    ));
    assert!(local_write(
        Resolution::Lww,
        false,
        &mut vb,
        &mut vvb,
        &inc(2, 120, 1, 1, &[0, 1]),
        &n
    ));
    let at_a = merge(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &inc(2, 120, 1, 1, &[0, 1]),
        0,
        &n,
    );
    let at_b = merge(
        Resolution::Lww,
        false,
        &mut vb,
        &mut vvb,
        &inc(1, 100, 0, 1, &[1, 0]),
        1,
        &n,
    );
    assert!(at_a.concurrent && at_b.concurrent);
    assert_eq!(
        at_a.discarded,
        Some(false),
        "a's own write lost, and it was earlier"
    );
    assert_eq!(at_b.discarded, None);
    assert_eq!((va.id, vb.id), (2, 2));
    assert_eq!(vva, vec![1, 1, 1, 1]);
}

#[test]
fn a_write_that_saw_the_current_version_is_not_a_conflict() {
    let n = names();
    let (mut vb, mut vvb) = (Version::default(), vec![0; 4]);
    merge(
        Resolution::Lww,
        false,
        &mut vb,
        &mut vvb,
        &inc(1, 100, 0, 1, &[1, 0]),
        1,
        &n,
    );
    let m = merge(
        Resolution::Lww,
        false,
        &mut vb,
        &mut vvb,
        &inc(3, 200, 0, 2, &[2, 0]),
        1,
        &n,
    );
    assert!(!m.concurrent);
    assert_eq!(vb.id, 3);
    assert!(
        merge(
            Resolution::Lww,
            false,
            &mut vb,
            &mut vvb,
            &inc(3, 200, 0, 2, &[2, 0]),
            1,
            &n
        )
        .duplicate
    );
}

#[test]
fn a_skewed_clock_rejects_a_causally_later_local_write() {
    let n = names();
    let (mut va, mut vva) = (Version::default(), vec![0; 4]);
    merge(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &inc(1, 500, 1, 1, &[0, 1]),
        0,
        &n,
    );
    // a's clock is behind: its write at true 300 stamps 300 < 500.
    assert!(!local_write(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &inc(2, 300, 0, 1, &[1, 1]),
        &n
    ));
    assert_eq!(va.id, 1);
}

#[test]
fn crdt_counter_keeps_every_increment() {
    let n = names();
    let (mut va, mut vva) = (Version::default(), vec![0; 4]);
    local_write(
        Resolution::CrdtCounter,
        false,
        &mut va,
        &mut vva,
        &inc(1, 100, 0, 1, &[1, 0]),
        &n,
    );
    let m = merge(
        Resolution::CrdtCounter,
        false,
        &mut va,
        &mut vva,
        &inc(2, 90, 1, 1, &[0, 1]),
        0,
        &n,
    );
    assert!(m.concurrent);
    assert_eq!(m.discarded, None);
    assert_eq!(va.count, 2);
}

#[test]
fn two_writes_of_one_region_in_one_microsecond_keep_commit_order() {
    let n = names();
    let (mut va, mut vva) = (Version::default(), vec![0; 4]);
    let w1 = inc(1, 100, 0, 1, &[1, 0]);
    let w2 = inc(2, 100, 0, 2, &[2, 0]);
    assert!(local_write(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &w1,
        &n
    ));
    assert!(local_write(
        Resolution::Lww,
        false,
        &mut va,
        &mut vva,
        &w2,
        &n
    ));
    assert_eq!(va.id, 2);
    // Elsewhere, the same order wins.
    let (mut vb, mut vvb) = (Version::default(), vec![0; 4]);
    merge(Resolution::Lww, false, &mut vb, &mut vvb, &w1, 1, &n);
    merge(Resolution::Lww, false, &mut vb, &mut vvb, &w2, 1, &n);
    assert_eq!(vb.id, 2);
}

#[test]
fn a_write_arriving_after_one_that_saw_it_is_older_not_concurrent() {
    let n = vec!["a".to_string(), "b".into(), "c".into()];
    // c receives b's write (which had seen a's write 1) before a's write 1.
    let (mut vc, mut vvc) = (Version::default(), vec![0; 6]);
    let b1 = inc(2, 200, 1, 1, &[1, 1, 0]);
    let a1 = inc(1, 100, 0, 1, &[1, 0, 0]);
    assert!(!merge(Resolution::Lww, false, &mut vc, &mut vvc, &b1, 2, &n).concurrent);
    let m = merge(Resolution::Lww, false, &mut vc, &mut vvc, &a1, 2, &n);
    assert_eq!(m, Merged::default());
    assert_eq!(vc.id, 2, "the later version stays");
    // A CRDT still counts the older increment, once.
    let (mut vk, mut vvk) = (Version::default(), vec![0; 6]);
    merge(
        Resolution::CrdtCounter,
        false,
        &mut vk,
        &mut vvk,
        &b1,
        2,
        &n,
    );
    merge(
        Resolution::CrdtCounter,
        false,
        &mut vk,
        &mut vvk,
        &a1,
        2,
        &n,
    );
    assert!(
        merge(
            Resolution::CrdtCounter,
            false,
            &mut vk,
            &mut vvk,
            &a1,
            2,
            &n
        )
        .duplicate
    );
    assert_eq!(vk.count, 2);
}

#[test]
fn causal_order_beats_clocks_for_a_single_writer() {
    let n = names();
    let (mut va, mut vva) = (Version::default(), vec![0; 4]);
    // The home's clock stepped back: its second write stamps earlier.
    let w1 = inc(1, 500, 0, 1, &[1, 0]);
    let w2 = inc(2, 300, 0, 2, &[2, 0]);
    assert!(local_write(
        Resolution::Lww,
        true,
        &mut va,
        &mut vva,
        &w1,
        &n
    ));
    assert!(local_write(
        Resolution::Lww,
        true,
        &mut va,
        &mut vva,
        &w2,
        &n
    ));
    assert_eq!(va.id, 2);
    let (mut vb, mut vvb) = (Version::default(), vec![0; 4]);
    merge(Resolution::Lww, true, &mut vb, &mut vvb, &w1, 1, &n);
    let m = merge(Resolution::Lww, true, &mut vb, &mut vvb, &w2, 1, &n);
    assert_eq!((m.concurrent, vb.id), (false, 2));
    // Without `causal` (multi-primary LWW) the clock decides.
    assert!(!local_write(
        Resolution::Lww,
        false,
        &mut vb,
        &mut vvb,
        &inc(3, 250, 1, 1, &[2, 1]),
        &n
    ));
}

/// A tiny multi-primary history for one key: local writes and FIFO
/// deliveries between regions, merged with one resolver. Timestamps follow
/// true time, so no local write is ever rejected and every resolver sees the
/// same history.
struct History {
    res: Resolution,
    /// Per region: its version and its 2n-entry vector.
    state: Vec<(Version, Vec<u64>)>,
    /// Per origin: its writes (id, seq, the vector it had seen).
    logs: Vec<Vec<(u64, u64, Vec<u64>)>>,
    /// Per (origin, destination): how many of the origin's writes arrived.
    sent: Vec<Vec<usize>>,
    clock: i64,
    conflicts: Vec<u64>,
}

impl History {
    fn new(res: Resolution, n: usize) -> Self {
        History {
            res,
            state: vec![(Version::default(), vec![0; 2 * n]); n],
            logs: vec![Vec::new(); n],
            sent: vec![vec![0; n]; n],
            clock: 0,
            conflicts: vec![0; n],
        }
    }

    fn names(&self) -> Vec<String> {
        (0..self.state.len()).map(|r| format!("r{r}")).collect()
    }

    fn write(&mut self, r: usize) {
        self.clock += 1;
        let n = self.state.len();
        let seq = self.logs[r].len() as u64 + 1;
        let id = self.clock as u64;
        let mut snap = self.state[r].1[n..].to_vec();
        snap[r] = seq;
        let names = self.names();
        let (v, vv) = &mut self.state[r];
        let w = inc(id, self.clock, r as u8, seq, &snap);
        assert!(local_write(self.res, false, v, vv, &w, &names));
        self.logs[r].push((id, seq, snap));
    }

    /// Delivers origin `o`'s next write to `to`, if one is on its way.
    fn deliver(&mut self, o: usize, to: usize) {
        let i = self.sent[o][to];
        let Some((id, seq, snap)) = self.logs[o].get(i).cloned() else {
            return;
        };
        self.sent[o][to] += 1;
        let names = self.names();
        let (v, vv) = &mut self.state[to];
        let w = inc(id, id as i64, o as u8, seq, &snap);
        if merge(self.res, false, v, vv, &w, to as u8, &names).concurrent {
            self.conflicts[to] += 1;
        }
    }

    fn deliver_all(&mut self) {
        let n = self.state.len();
        for o in 0..n {
            for to in (0..n).filter(|&to| to != o) {
                while self.sent[o][to] < self.logs[o].len() {
                    self.deliver(o, to);
                }
            }
        }
    }
}

const RESOLVERS: [Resolution; 3] = [
    Resolution::Lww,
    Resolution::CrdtCounter,
    Resolution::CrdtSet,
];

/// metrics.md: two regions writing one key alternately through a partition,
/// n writes each, meet about n times in each region when it heals, under
/// every resolver (here exactly n: every write of the other side had seen
/// none of this side's writes).
#[test]
fn a_partition_gives_n_meetings_per_region_under_every_resolver() {
    for res in RESOLVERS {
        let mut h = History::new(res, 2);
        for _ in 0..20 {
            h.write(0);
            h.write(1);
        }
        h.deliver_all();
        assert_eq!(h.conflicts, vec![20, 20], "{res:?}");
        // Converged: everything seen everywhere, no further meeting.
        h.write(0);
        h.deliver_all();
        assert_eq!(h.conflicts, vec![20, 20], "{res:?}");
    }
}

mod random_histories {
    use super::*;
    use proptest::prelude::*;

    /// An operation: a write at region `r % n`, or the next delivery from
    /// `o % n` to `r % n`.
    fn op() -> impl Strategy<Value = (bool, usize, usize)> {
        (any::<bool>(), 0usize..3, 0usize..3)
    }

    proptest! {
        /// Concurrency is a property of the history, not of the resolver.
        #[test]
        fn conflicts_do_not_depend_on_the_resolver(
            n in 2usize..4,
            ops in proptest::collection::vec(op(), 1..80),
        ) {
            let counts: Vec<Vec<u64>> = RESOLVERS
                .iter()
                .map(|&res| {
                    let mut h = History::new(res, n);
                    for &(write, r, o) in &ops {
                        let (r, o) = (r % n, o % n);
                        if write {
                            h.write(r);
                        } else if r != o {
                            h.deliver(o, r);
                        }
                    }
                    h.deliver_all();
                    h.conflicts
                })
                .collect();
            prop_assert_eq!(&counts[0], &counts[1]);
            prop_assert_eq!(&counts[0], &counts[2]);
        }
    }
}
