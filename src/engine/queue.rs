//! The event queue: a (time, insertion sequence) min-heap of 16-byte keys, with
//! FIFO lanes beside it for fixed-delay traffic (a link direction, a timeout).
//!
//! Equal times pop in insertion order. A heap entry is one `u128`:
//! `time << 64 | seq << 32 | slot`, so one integer comparison orders it; the
//! payload sits in a slab (reused through a free list: no allocation per event
//! once warm). A lane holds events whose times never decrease; only its head
//! sits in the heap, and popping a head that has a successor replaces the root
//! in place (one sift instead of a pop and a push). The heap is 4-ary: half the
//! depth of a binary heap and its four children share a cache line. A pop
//! walks the root's hole down the least children to a leaf and lifts the last
//! key from there (bottom-up: it came from the bottom, so it rarely rises),
//! which measured 8% faster on the steady shape than sifting it down from the
//! root.
//!
//! Tried and measured against it on the benchmark shapes (`benches/engine.rs`):
//! a radix heap over time (bucket 0 kept in sequence order) executed ~7% fewer
//! instructions on the steady shape but ran no faster there or on the 10- and
//! 64-region shapes, and ~30% slower on the health-check shape (probes spread
//! over many distinct times make it spread buckets often); the simpler heap stayed.
//!
//! Sequence numbers are 32 bits. Before they would run out, the pending ones
//! are renumbered by rank (their order, which is all that matters, is kept),
//! so a run of any length orders exactly as with unbounded sequence numbers.

use std::collections::VecDeque;

use super::time::SimTime;

/// Marks a heap slot that names a lane rather than a slab entry.
const LANE_BIT: u32 = 1 << 31;
/// Children per heap node.
const ARITY: usize = 4;

fn key(time: u64, seq: u32, slot: u32) -> u128 {
    (u128::from(time) << 64) | (u128::from(seq) << 32) | u128::from(slot)
}

fn key_time(k: u128) -> u64 {
    (k >> 64) as u64
}

fn key_seq(k: u128) -> u32 {
    (k >> 32) as u32
}

fn key_slot(k: u128) -> u32 {
    k as u32
}

/// The least of a full node's four children and its index among them, in
/// three comparisons whose outcomes do not depend on one another.
#[inline(always)]
fn least_of_four(a: u128, b: u128, c: u128, d: u128) -> (u128, usize) {
    let (x, i) = if b < a { (b, 1) } else { (a, 0) };
    let (y, j) = if d < c { (d, 3) } else { (c, 2) };
    if y < x {
        (y, j)
    } else {
        (x, i)
    }
}

/// The least of a last, partly filled node's children and its index.
fn least_of(kids: &[u128]) -> (u128, usize) {
    let mut best = (kids[0], 0);
    for (i, &c) in kids.iter().enumerate().skip(1) {
        if c < best.0 {
            best = (c, i);
        }
    }
    best
}

/// Identifies a FIFO lane created with [`EventQueue::add_lane`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneId(pub u32);

/// A deterministic event queue ordered by (time, insertion sequence).
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: Vec<u128>,
    slab: Vec<E>,
    free: Vec<u32>,
    lanes: Vec<VecDeque<(u64, u32, E)>>,
    next_seq: u32,
    /// Renumber when `next_seq` reaches this (`u32::MAX`; lower in tests).
    seq_limit: u32,
    len: usize,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_seq_limit(u32::MAX)
    }

    fn with_seq_limit(seq_limit: u32) -> Self {
        EventQueue {
            heap: Vec::with_capacity(1024),
            slab: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            lanes: Vec::new(),
            next_seq: 0,
            seq_limit,
            len: 0,
        }
    }

    /// Creates a FIFO lane: events pushed to it must have non-decreasing times.
    pub fn add_lane(&mut self) -> LaneId {
        self.lanes.push(VecDeque::new());
        LaneId((self.lanes.len() - 1) as u32)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn seq(&mut self) -> u32 {
        if self.next_seq >= self.seq_limit {
            self.renumber();
        }
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    /// Schedules `ev` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, ev: E) {
        let seq = self.seq();
        let slot = match self.free.pop() {
            Some(i) => {
                self.slab[i as usize] = ev;
                i
            }
            None => {
                self.slab.push(ev);
                (self.slab.len() - 1) as u32
            }
        };
        self.heap_push(key(time.0, seq, slot));
        self.len += 1;
    }

    /// Schedules `ev` at `time` on a FIFO lane. An event earlier than the lane's
    /// tail goes to the heap instead, so ordering is (time, seq) regardless.
    #[inline]
    pub fn push_lane(&mut self, lane: LaneId, time: SimTime, ev: E) {
        let l = lane.0 as usize;
        if self.lanes[l].back().is_some_and(|b| b.0 > time.0) {
            self.push(time, ev);
            return;
        }
        let seq = self.seq();
        if self.lanes[l].is_empty() {
            self.heap_push(key(time.0, seq, lane.0 | LANE_BIT));
        }
        self.lanes[l].push_back((time.0, seq, ev));
        self.len += 1;
    }

    /// Time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|&k| SimTime(key_time(k)))
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let time = self.peek_time()?;
        Some((time, self.pop_nonempty()))
    }

    /// Removes and returns the earliest event's payload; the queue must not be
    /// empty (check with [`EventQueue::peek_time`]). Returning the bare payload,
    /// not an `Option` of a tuple, keeps its copy one aligned move the caller
    /// can read back at once (an `Option` wrapper made the compiler split it
    /// into unaligned pieces that stalled store forwarding on every event).
    #[inline]
    pub fn pop_nonempty(&mut self) -> E {
        let top = self.heap[0];
        let slot = key_slot(top);
        self.len -= 1;
        if slot & LANE_BIT == 0 {
            self.free.push(slot);
            self.heap_pop_root();
            return self.slab[slot as usize];
        }
        let lane = &mut self.lanes[(slot & !LANE_BIT) as usize];
        let ev = match lane.pop_front() {
            Some((_, _, ev)) => ev,
            None => unreachable!("a lane in the heap is never empty"),
        };
        match lane.front() {
            Some(&(t, s, _)) => self.heap_replace_root(key(t, s, slot)),
            None => self.heap_pop_root(),
        }
        ev
    }

    fn heap_push(&mut self, k: u128) {
        self.heap.push(k);
        self.sift_up(self.heap.len() - 1, k);
    }

    /// Removes the root: its hole walks down the path of least children to a
    /// leaf (no comparison against the moved key on the way), and the last key
    /// rises from there: it came from the bottom, so it rarely rises far.
    fn heap_pop_root(&mut self) {
        let Some(last) = self.heap.pop() else { return };
        let heap = &mut self.heap[..];
        let n = heap.len();
        if n == 0 {
            return;
        }
        let mut pos = 0;
        loop {
            let first = ARITY * pos + 1;
            let (least, at) = match heap.get(first..first + ARITY) {
                Some(&[a, b, c, d]) => least_of_four(a, b, c, d),
                _ if first < n => least_of(&heap[first..]),
                _ => break,
            };
            heap[pos] = least;
            pos = first + at;
        }
        self.sift_up(pos, last);
    }

    fn heap_replace_root(&mut self, k: u128) {
        self.sift_down(0, k);
    }

    /// Moves `k` from the hole at `pos` towards the root to its place.
    fn sift_up(&mut self, mut pos: usize, k: u128) {
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            let p = self.heap[parent];
            if p <= k {
                break;
            }
            self.heap[pos] = p;
            pos = parent;
        }
        self.heap[pos] = k;
    }

    /// Moves `k` from the hole at `pos` towards the leaves to its place. Keys
    /// are unique (the sequence number is), so no comparison ever ties.
    fn sift_down(&mut self, mut pos: usize, k: u128) {
        let heap = &mut self.heap[..];
        let n = heap.len();
        loop {
            let first = ARITY * pos + 1;
            let (least, at) = match heap.get(first..first + ARITY) {
                Some(&[a, b, c, d]) => least_of_four(a, b, c, d),
                _ if first < n => least_of(&heap[first..]),
                _ => break,
            };
            if least >= k {
                break;
            }
            heap[pos] = least;
            pos = first + at;
        }
        heap[pos] = k;
    }

    /// Gives the pending events sequence numbers 0.. in their current order.
    /// Runs once per ~4 billion scheduled events; the pop order is unchanged.
    fn renumber(&mut self) {
        let mut seqs: Vec<u32> = self
            .heap
            .iter()
            .filter(|&&k| key_slot(k) & LANE_BIT == 0)
            .map(|&k| key_seq(k))
            .chain(self.lanes.iter().flatten().map(|e| e.1))
            .collect();
        seqs.sort_unstable();
        let rank = |s: u32| seqs.binary_search(&s).map_or(0, |i| i as u32);
        for k in &mut self.heap {
            *k = key(key_time(*k), rank(key_seq(*k)), key_slot(*k));
        }
        for e in self.lanes.iter_mut().flatten() {
            e.1 = rank(e.1);
        }
        assert!(
            seqs.len() < self.seq_limit as usize,
            "more events pending than sequence numbers"
        );
        self.next_seq = seqs.len() as u32;
    }
}
#[cfg(test)]
mod tests {
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
    fn heap_keys_are_one_word_pair() {
        // The hot entries are 16 bytes whatever the payload.
        assert_eq!(std::mem::size_of::<u128>(), 16);
        let k = key(7, 3, LANE_BIT | 2);
        assert_eq!((key_time(k), key_seq(k), key_slot(k)), (7, 3, LANE_BIT | 2));
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
}
