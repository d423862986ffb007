//! Tests of the event queue: (time, seq) order across the heap, FIFO lanes and
//! timer lanes, against sorted references, with renumbering forced.

use super::*;

#[test]
fn equal_times_are_fifo_across_heap_and_lanes() {
    let mut q = EventQueue::new();
    let a = q.add_lane();
    let b = q.add_lane();
    q.push(SimTime(5), 1);
    q.push_lane(a, SimTime(5), 2);
    q.push_lane(b, SimTime(3), 3);
    q.push(SimTime(5), 4);
    q.push_lane(a, SimTime(5), 5);
    q.push_lane(b, SimTime(9), 6);
    q.push_lane(b, SimTime(7), 7); // earlier than lane tail: goes to the heap
    let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
    assert_eq!(
        order,
        vec![
            (SimTime(3), 3),
            (SimTime(5), 1),
            (SimTime(5), 2),
            (SimTime(5), 4),
            (SimTime(5), 5),
            (SimTime(7), 7),
            (SimTime(9), 6)
        ]
    );
    assert!(q.is_empty());
}

#[test]
fn matches_a_sorted_reference() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut q = EventQueue::new();
    let lanes: Vec<_> = (0..4).map(|_| q.add_lane()).collect();
    let mut tails = [0u64; 4];
    let mut reference = Vec::new();
    for i in 0..5000u64 {
        let t = rng.random_range(0..1000u64);
        if rng.random_bool(0.5) {
            let l = rng.random_range(0..4);
            let t = tails[l] + rng.random_range(0..3);
            tails[l] = t;
            q.push_lane(lanes[l], SimTime(t), i);
            reference.push((t, i));
        } else {
            q.push(SimTime(t), i);
            reference.push((t, i));
        }
    }
    reference.sort();
    let got: Vec<_> = std::iter::from_fn(|| q.pop())
        .map(|(t, e)| (t.0, e))
        .collect();
    assert_eq!(got, reference);
}

/// A reference that pops by (time, seq) with unbounded sequence numbers.
fn reference_pop(pending: &mut Vec<(u64, u64, u64)>) -> Option<(u64, u64)> {
    let i = (0..pending.len()).min_by_key(|&i| (pending[i].0, pending[i].1))?;
    let (t, _, v) = pending.remove(i);
    Some((t, v))
}

#[test]
fn interleaved_and_renumbered_matches_the_reference() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    // A limit of 64 forces a renumbering every few dozen pushes.
    let mut q = EventQueue::with_seq_limit(64);
    let lanes: Vec<_> = (0..3).map(|_| q.add_lane()).collect();
    let mut tails = [0u64; 3];
    let (mut pending, mut seq, mut now) = (Vec::new(), 0u64, 0u64);
    for v in 0..20_000u64 {
        if pending.len() < 40 && rng.random_bool(0.55) {
            let t = now + rng.random_range(0..5u64);
            if rng.random_bool(0.5) {
                let l = rng.random_range(0..3);
                let t = tails[l].max(now) + rng.random_range(0..2u64);
                tails[l] = t;
                q.push_lane(lanes[l], SimTime(t), v);
                pending.push((t, seq, v));
            } else {
                q.push(SimTime(t), v);
                pending.push((t, seq, v));
            }
            seq += 1;
        } else {
            let want = reference_pop(&mut pending);
            let got = q.pop().map(|(t, e)| (t.0, e));
            assert_eq!(got, want, "after {v} operations");
            if let Some((t, _)) = got {
                now = t;
            }
        }
        assert_eq!(q.len(), pending.len());
    }
}

#[test]
fn timer_lanes_order_like_the_heap() {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let mut q = EventQueue::new();
    let timer = q.add_timer_lane(u64::MAX);
    let lane = q.add_lane();
    let (mut reference, mut tail, mut timer_tail) = (Vec::new(), 0u64, 0u64);
    for i in 0..3000u64 {
        match rng.random_range(0..3) {
            0 => {
                // Mostly in order; now and then earlier than the tail.
                let t = (timer_tail + rng.random_range(0..4))
                    .saturating_sub(rng.random_range(0..2) * 3);
                timer_tail = timer_tail.max(t);
                q.push_timer(timer, SimTime(t));
                reference.push((t, i, u64::MAX));
            }
            1 => {
                tail += rng.random_range(0..3);
                q.push_lane(lane, SimTime(tail), i);
                reference.push((tail, i, i));
            }
            _ => {
                let t = rng.random_range(0..2000u64);
                q.push(SimTime(t), i);
                reference.push((t, i, i));
            }
        }
    }
    reference.sort();
    let want: Vec<_> = reference.iter().map(|&(t, _, v)| (t, v)).collect();
    let got: Vec<_> = std::iter::from_fn(|| q.pop())
        .map(|(t, e)| (t.0, e))
        .collect();
    assert_eq!(got, want);
    assert!(q.is_empty());
}

#[test]
fn heap_keys_are_one_word_pair() {
    // The hot entries are 16 bytes whatever the payload.
    assert_eq!(std::mem::size_of::<u128>(), 16);
    let k = key(7, 3, 2);
    assert_eq!((key_time(k), key_seq(k), key_slot(k)), (7, 3, 2));
}

#[test]
fn scheduling_before_everything_pending_still_orders() {
    let mut q = EventQueue::new();
    q.push(SimTime(500), 1);
    q.push(SimTime(300), 2);
    q.push(SimTime(300), 3);
    q.push(SimTime(900), 4);
    q.push(SimTime(0), 5);
    let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
    assert_eq!(order, vec![5, 2, 3, 1, 4]);
}
