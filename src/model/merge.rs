//! Multi-primary version merging for one key in one region: version vectors
//! decide concurrency, last-writer-wins on (wall-clock timestamp, region name)
//! or a CRDT decides the value. Pure functions, unit-tested here.

use crate::scenario::Resolution;

/// A region's version of one key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Version {
    /// The write whose value this is (LWW); 0 = never written.
    pub id: u64,
    /// Wall-clock timestamp of that write at its origin (µs, signed).
    pub ts: i64,
    pub origin: u8,
    /// The write's position in its origin's log (its "dot").
    pub seq: u64,
    /// True commit time, for inversions.
    pub true_us: u64,
    pub acked: bool,
    /// CRDTs: increments (counter) or elements (set) merged in.
    pub count: u64,
    /// crdt-set: XOR of the element ids, a digest for convergence.
    pub xor: u64,
}

/// A write arriving for merging.
#[derive(Clone, Copy, Debug)]
pub struct Incoming<'a> {
    pub id: u64,
    pub ts: i64,
    pub origin: u8,
    pub seq: u64,
    pub true_us: u64,
    pub acked: bool,
    /// The key's version vector at the origin when it committed (it included).
    pub vv: &'a [u64],
}

/// What a merge did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Already incorporated here: nothing happened.
    pub duplicate: bool,
    /// Concurrent with the current version: a conflict met in this region.
    pub concurrent: bool,
    /// The local version, written here and acknowledged, vanished under LWW
    /// without being seen by the winner: `Some(inversion)`.
    pub discarded: Option<bool>,
}

/// Orders LWW candidates: larger (timestamp, region name) wins; two writes
/// of one region at the same microsecond are ordered by their commit order
/// there (the region's log position), as a hybrid logical clock would.
pub fn lww_wins(a: (i64, &str, u64), b: (i64, &str, u64)) -> bool {
    a > b
}

fn key_of<'a>(v: &Version, names: &'a [String]) -> (i64, &'a str, u64) {
    (v.ts, &names[v.origin as usize], v.seq)
}

/// Merges `w` into `local` in region `here`. `vv` holds 2n entries for the
/// key: the writes merged here per origin (`applied`), then the causal
/// context of the region's state (`seen`: what the merged writes had seen).
/// `causal` (home-region: one writer per key): a causally later write always
/// replaces the current version, whatever the clocks say.
pub fn merge(
    res: Resolution,
    causal: bool,
    local: &mut Version,
    vv: &mut [u64],
    w: &Incoming,
    here: u8,
    names: &[String],
) -> Merged {
    let o = w.origin as usize;
    let (applied, seen) = vv.split_at_mut(vv.len() / 2);
    if applied[o] >= w.seq {
        return Merged {
            duplicate: true,
            ..Merged::default()
        };
    }
    // Only what was applied here enters `applied`: each origin's stream is
    // FIFO, so applied[o] is exactly "o's writes to this key up to here were
    // merged" (a CRDT counts each once). `seen` also takes what the write
    // had seen, so a write that arrives after one that followed it is known
    // to be older, not concurrent.
    applied[o] = w.seq;
    let obsolete = seen[o] >= w.seq;
    for (s, &x) in seen.iter_mut().zip(w.vv) {
        *s = (*s).max(x);
    }
    let incoming = Version {
        id: w.id,
        ts: w.ts,
        origin: w.origin,
        seq: w.seq,
        true_us: w.true_us,
        acked: w.acked,
        count: local.count,
        xor: local.xor,
    };
    if obsolete {
        // Already overwritten here by a write that had seen it.
        if res != Resolution::Lww {
            local.count += 1;
            local.xor ^= w.id;
        }
        return Merged::default();
    }
    let concurrent = local.id != 0 && w.vv[local.origin as usize] < local.seq;
    let mut out = Merged {
        concurrent,
        ..Merged::default()
    };
    match res {
        Resolution::Lww => {
            let wins = local.id == 0
                || (causal && !concurrent)
                || lww_wins((w.ts, &names[o], w.seq), key_of(local, names));
            if wins {
                if concurrent && local.origin == here && local.acked {
                    out.discarded = Some(local.true_us > w.true_us);
                }
                *local = incoming;
            }
        }
        Resolution::CrdtCounter | Resolution::CrdtSet => {
            *local = Version {
                count: local.count + 1,
                xor: local.xor ^ w.id,
                ..incoming
            };
        }
    }
    out
}

/// A local write in `here` at wall-clock `ts`: `false` when LWW rejects it
/// because the current version carries a larger timestamp (a skewed clock;
/// never with `causal`: the home's own writes follow its current version).
/// `vv` as for [`merge`].
pub fn local_write(
    res: Resolution,
    causal: bool,
    local: &mut Version,
    vv: &mut [u64],
    w: &Incoming,
    names: &[String],
) -> bool {
    let o = w.origin as usize;
    if res == Resolution::Lww
        && !causal
        && local.id != 0
        && !lww_wins((w.ts, &names[o], w.seq), key_of(local, names))
    {
        return false;
    }
    let (applied, seen) = vv.split_at_mut(vv.len() / 2);
    applied[o] = applied[o].max(w.seq);
    for (s, &x) in seen.iter_mut().zip(w.vv) {
        *s = (*s).max(x);
    }
    *local = Version {
        id: w.id,
        ts: w.ts,
        origin: w.origin,
        seq: w.seq,
        true_us: w.true_us,
        acked: w.acked,
        count: local.count + 1,
        xor: local.xor ^ w.id,
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
