//! The event queue: a (time, insertion sequence) min-heap of 16-byte keys, with
//! FIFO lanes beside it for fixed-delay traffic (a link direction, a timeout).
//!
//! Equal times pop in insertion order. A key is one `u128`:
//! `time << 64 | seq << 32 | slot`, so one integer comparison orders it. Two
//! heaps (`heap.rs`) hold the keys: one for events whose payload sits in a slab
//! (reused through a free list: no allocation per event once warm), one for the
//! heads of the lanes (slot = lane index). A lane holds events whose times never
//! decrease; only its head has a key, and popping a head that has a successor
//! replaces the lane heap's root in place. Keeping lane heads apart means a lane
//! pop (three per write on the steady shape) sifts through a handful of lane
//! heads, not through every event in flight; a pop compares the two roots.
//!
//! Tried and measured against it on the benchmark shapes (`benches/engine.rs`):
//! a radix heap over time (bucket 0 kept in sequence order) executed ~7% fewer
//! instructions on the steady shape but ran no faster there or on the 10- and
//! 64-region shapes, and ~30% slower on the health-check shape (probes spread
//! over many distinct times make it spread buckets often); the heap stayed.
//!
//! Sequence numbers are 32 bits. Before they would run out, the pending ones
//! are renumbered by rank (their order, which is all that matters, is kept),
//! so a run of any length orders exactly as with unbounded sequence numbers.

use std::collections::VecDeque;

use super::heap::{Heap, EVENTS, HEADS};
use super::time::SimTime;

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

/// A FIFO lane: each event's full heap key (slot = the lane's index) beside
/// its payload, in two rings, so a push is two plain stores and the next
/// head's key is read, not rebuilt.
#[derive(Debug)]
struct Lane<E> {
    keys: VecDeque<u128>,
    events: VecDeque<E>,
    /// A lane of one event only (a timer that carries nothing): every entry
    /// is this event, and `events` stays empty.
    only: Option<E>,
}

/// Identifies a FIFO lane created with [`EventQueue::add_lane`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneId(pub u32);

/// A deterministic event queue ordered by (time, insertion sequence).
#[derive(Debug)]
pub struct EventQueue<E> {
    /// Keys of slab events.
    heap: Heap<EVENTS>,
    /// Keys of lane heads.
    heads: Heap<HEADS>,
    slab: Vec<E>,
    free: Vec<u32>,
    lanes: Vec<Lane<E>>,
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
            heap: Heap::with_capacity(1024),
            heads: Heap::with_capacity(16),
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
        self.new_lane(None)
    }

    /// Creates a FIFO lane whose every event is `ev` (pushed with
    /// [`EventQueue::push_timer`]): it keeps 16 bytes per entry, no payload.
    pub fn add_timer_lane(&mut self, ev: E) -> LaneId {
        self.new_lane(Some(ev))
    }

    fn new_lane(&mut self, only: Option<E>) -> LaneId {
        self.lanes.push(Lane {
            keys: VecDeque::new(),
            events: VecDeque::new(),
            only,
        });
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
        self.heap.push(key(time.0, seq, slot));
        self.len += 1;
    }

    /// Schedules `ev` at `time` on a FIFO lane. An event earlier than the lane's
    /// tail goes to the heap instead, so ordering is (time, seq) regardless.
    #[inline(always)]
    pub fn push_lane(&mut self, lane: LaneId, time: SimTime, ev: E) {
        debug_assert!(self.lanes[lane.0 as usize].only.is_none(), "push_timer");
        if self.push_key(lane, time) {
            self.lanes[lane.0 as usize].events.push_back(ev);
        } else {
            self.push(time, ev);
        }
    }

    /// Schedules a timer lane's event (see [`EventQueue::add_timer_lane`]) at
    /// `time`.
    #[inline(always)]
    pub fn push_timer(&mut self, lane: LaneId, time: SimTime) {
        let only = self.lanes[lane.0 as usize].only;
        let Some(ev) = only else {
            unreachable!("push_timer needs a lane made by add_timer_lane")
        };
        if !self.push_key(lane, time) {
            self.push(time, ev);
        }
    }

    /// Appends `time`'s key to `lane` unless that would put it before the
    /// lane's tail (then the caller sends the event to the heap).
    #[inline(always)]
    fn push_key(&mut self, lane: LaneId, time: SimTime) -> bool {
        let l = lane.0 as usize;
        if self.lanes[l]
            .keys
            .back()
            .is_some_and(|&b| key_time(b) > time.0)
        {
            return false;
        }
        let k = key(time.0, self.seq(), lane.0);
        let lane = &mut self.lanes[l];
        if lane.keys.is_empty() {
            self.heads.push(k);
        }
        lane.keys.push_back(k);
        self.len += 1;
        true
    }

    /// The earliest key of either heap.
    #[inline]
    fn top(&self) -> Option<u128> {
        match (self.heap.first(), self.heads.first()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.top().map(|k| SimTime(key_time(k)))
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let time = self.peek_time()?;
        Some((time, self.pop_nonempty()))
    }

    /// Removes and returns the earliest event's payload; the queue must not be
    /// empty (check with [`EventQueue::peek_time`]).
    #[inline]
    pub fn pop_nonempty(&mut self) -> E {
        self.len -= 1;
        let from_lane = match (self.heap.first(), self.heads.first()) {
            (Some(a), Some(b)) => b < a,
            (a, _) => a.is_none(),
        };
        if !from_lane {
            let slot = self.heap.first().map_or(0, key_slot);
            self.free.push(slot);
            self.heap.pop_root();
            return self.slab[slot as usize];
        }
        let slot = self.heads.first().map_or(0, key_slot);
        let lane = &mut self.lanes[slot as usize];
        lane.keys.pop_front();
        // Copied out by reference, then dropped from the ring.
        let ev = match (lane.events.front(), &lane.only) {
            (Some(&ev), _) => {
                lane.events.pop_front();
                ev
            }
            (None, Some(ev)) => *ev,
            (None, None) => unreachable!("a lane with a head key is never empty"),
        };
        match lane.keys.front() {
            Some(&k) => self.heads.replace_root(k),
            None => self.heads.pop_root(),
        }
        ev
    }

    /// Gives the pending events sequence numbers 0.. in their current order.
    /// Runs once per ~4 billion scheduled events; the pop order is unchanged.
    fn renumber(&mut self) {
        let mut seqs: Vec<u32> = self
            .heap
            .keys_mut()
            .iter()
            .map(|&k| key_seq(k))
            .chain(
                self.lanes
                    .iter()
                    .flat_map(|l| l.keys.iter().map(|&k| key_seq(k))),
            )
            .collect();
        seqs.sort_unstable();
        let rank = |s: u32| seqs.binary_search(&s).map_or(0, |i| i as u32);
        // Ranks keep the order, so both heaps stay heaps.
        for k in self.heap.keys_mut() {
            *k = key(key_time(*k), rank(key_seq(*k)), key_slot(*k));
        }
        for k in self.heads.keys_mut() {
            *k = key(key_time(*k), rank(key_seq(*k)), key_slot(*k));
        }
        for k in self.lanes.iter_mut().flat_map(|l| l.keys.iter_mut()) {
            *k = key(key_time(*k), rank(key_seq(*k)), key_slot(*k));
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
}
