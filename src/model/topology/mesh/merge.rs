//! Multi-primary version merging for one key in one region: version vectors
//! decide concurrency, last-writer-wins on (wall-clock timestamp, region name)
//! or a CRDT decides the value. Pure functions, unit-tested here; imports
//! nothing of the model.

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
    // Concurrent (metrics.md): the region had not seen the write, and the
    // write had not seen something in the region's causal context for the
    // key. Only the vectors decide, never the value, so every resolver counts
    // the same meetings. With one writer per key (`causal`), a version the
    // write had not seen can only be an orphan of a deposed home (already
    // counted as lost): the key's lineage replaces it, no conflict.
    let concurrent = !causal && !obsolete && seen.iter().zip(w.vv).any(|(s, x)| s > x);
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
    // The current value vanishes unseen when the write had not seen it.
    let unseen = !causal && local.id != 0 && w.vv[local.origin as usize] < local.seq;
    let mut out = Merged {
        concurrent,
        ..Merged::default()
    };
    match res {
        Resolution::Lww => {
            let wins =
                local.id == 0 || causal || lww_wins((w.ts, &names[o], w.seq), key_of(local, names));
            if wins {
                if unseen && local.origin == here && local.acked {
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
#[path = "merge_tests.rs"]
mod tests;
