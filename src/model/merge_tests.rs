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
