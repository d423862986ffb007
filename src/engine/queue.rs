//! The event queue: a (time, insertion sequence) min-heap of small entries, with
//! FIFO lanes beside it for fixed-delay traffic (a link direction, a timeout).
//!
//! Equal times pop in insertion order. A lane holds events whose times never
//! decrease; only its head sits in the heap, so the heap stays small however
//! much is in flight on the lanes.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::time::SimTime;

#[derive(Clone, Copy, Debug)]
enum Slot<E> {
    Direct(E),
    LaneHead(u32),
}

/// A heap entry; `key` packs (time, seq) so one integer comparison orders it.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    key: u128,
    slot: Slot<E>,
}

impl<E> Entry<E> {
    fn new(time: u64, seq: u64, slot: Slot<E>) -> Self {
        Entry {
            key: (u128::from(time) << 64) | u128::from(seq),
            slot,
        }
    }

    fn time(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest (time, seq).
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Identifies a FIFO lane created with [`EventQueue::add_lane`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneId(pub u32);

/// A deterministic event queue ordered by (time, insertion sequence).
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    lanes: Vec<VecDeque<(u64, u64, E)>>,
    next_seq: u64,
    len: usize,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(1024),
            lanes: Vec::new(),
            next_seq: 0,
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

    fn seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    /// Schedules `ev` at `time`.
    pub fn push(&mut self, time: SimTime, ev: E) {
        let seq = self.seq();
        self.heap.push(Entry::new(time.0, seq, Slot::Direct(ev)));
        self.len += 1;
    }

    /// Schedules `ev` at `time` on a FIFO lane. An event earlier than the lane's
    /// tail goes to the heap instead, so ordering is (time, seq) regardless.
    pub fn push_lane(&mut self, lane: LaneId, time: SimTime, ev: E) {
        let l = lane.0 as usize;
        if self.lanes[l].back().is_some_and(|b| b.0 > time.0) {
            self.push(time, ev);
            return;
        }
        let seq = self.seq();
        if self.lanes[l].is_empty() {
            self.heap
                .push(Entry::new(time.0, seq, Slot::LaneHead(lane.0)));
        }
        self.lanes[l].push_back((time.0, seq, ev));
        self.len += 1;
    }

    /// Time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| SimTime(e.time()))
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let top = self.heap.pop()?;
        self.len -= 1;
        match top.slot {
            Slot::Direct(ev) => Some((SimTime(top.time()), ev)),
            Slot::LaneHead(l) => {
                let lane = &mut self.lanes[l as usize];
                let (time, _, ev) = lane.pop_front()?;
                if let Some(&(t, s, _)) = lane.front() {
                    self.heap.push(Entry::new(t, s, Slot::LaneHead(l)));
                }
                Some((SimTime(time), ev))
            }
        }
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
}
