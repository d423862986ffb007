//! The event queue: a radix heap over integer time with FIFO lanes beside it
//! for fixed-delay traffic (a link direction, a timeout).
//!
//! Pop order is (time, insertion sequence): equal times pop in the order they
//! were scheduled. Virtual time never goes back, so a *radix heap* fits: an
//! entry sits in bucket `b` = the bit length of `time XOR last`, where `last`
//! is the time of the latest pop (or peek) and nothing pending is earlier;
//! bucket 0 holds exactly the entries at `last`, sorted by sequence.
//! Scheduling is a bit scan and a push; when bucket 0 runs dry, the lowest
//! non-empty bucket is spread over the ones below it, so an entry moves at
//! most 64 times in its life and usually once or twice, where a binary heap
//! sifts every pop through its whole depth.
//! Entries are 16 bytes: time, a 32-bit sequence number and a slot (a payload
//! in a slab reused through a free list, or a lane). A lane holds events whose
//! times never decrease; only its head is in the buckets.
//!
//! Sequence numbers are 32 bits. Before they would run out, the pending ones
//! are renumbered by rank (their order, which is all that matters, is kept),
//! so a run of any length orders exactly as with unbounded sequence numbers.

use std::collections::VecDeque;

use super::time::SimTime;

/// Marks a slot that names a lane rather than a slab entry.
const LANE_BIT: u32 = 1 << 31;
/// Buckets 1..=64 (bucket 0 is `now`).
const BUCKETS: usize = 65;

/// A pending entry: when, its place in the schedule, and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    time: u64,
    seq: u32,
    slot: u32,
}

/// Identifies a FIFO lane created with [`EventQueue::add_lane`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneId(pub u32);

/// A deterministic event queue ordered by (time, insertion sequence).
#[derive(Debug)]
pub struct EventQueue<E> {
    /// Entries at `last`, in sequence order.
    now: VecDeque<Item>,
    /// `buckets[b]`: entries whose time differs from `last` first at bit b-1.
    buckets: Vec<Vec<Item>>,
    /// Bit b set when `buckets[b]` is not empty.
    full: u128,
    /// The time of the latest pop or peek: nothing pending is earlier.
    last: u64,
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

fn bucket_of(time: u64, last: u64) -> usize {
    (u64::BITS - (time ^ last).leading_zeros()) as usize
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_seq_limit(u32::MAX)
    }

    fn with_seq_limit(seq_limit: u32) -> Self {
        EventQueue {
            now: VecDeque::with_capacity(64),
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            full: 0,
            last: 0,
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
        self.len += 1;
        self.insert(Item {
            time: time.0,
            seq,
            slot,
        });
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
        let head = self.lanes[l].is_empty();
        self.lanes[l].push_back((time.0, seq, ev));
        self.len += 1;
        if head {
            self.insert(Item {
                time: time.0,
                seq,
                slot: lane.0 | LANE_BIT,
            });
        }
    }

    /// Time of the earliest event, if any. (`&mut`: it may spread a bucket.)
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if self.now.is_empty() {
            self.refill();
        }
        self.now.front().map(|i| SimTime(i.time))
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        if self.now.is_empty() {
            self.refill();
        }
        let top = self.now.pop_front()?;
        self.len -= 1;
        let ev = if top.slot & LANE_BIT == 0 {
            self.free.push(top.slot);
            self.slab[top.slot as usize]
        } else {
            let lane = &mut self.lanes[(top.slot & !LANE_BIT) as usize];
            let (_, _, ev) = lane.pop_front()?;
            if let Some(&(time, seq, _)) = lane.front() {
                self.insert(Item {
                    time,
                    seq,
                    slot: top.slot,
                });
            }
            ev
        };
        Some((SimTime(top.time), ev))
    }

    /// Files an entry under its bucket (bucket 0 in sequence order).
    #[inline]
    fn insert(&mut self, it: Item) {
        if self.now.is_empty() && self.full == 0 {
            self.last = it.time;
            self.now.push_back(it);
            return;
        }
        if it.time < self.last {
            self.rebase(it.time);
        }
        if it.time == self.last {
            self.insert_now(it);
        } else {
            let b = bucket_of(it.time, self.last);
            self.buckets[b].push(it);
            self.full |= 1 << b;
        }
    }

    fn insert_now(&mut self, it: Item) {
        if self.now.back().is_none_or(|b| b.seq < it.seq) {
            self.now.push_back(it);
        } else {
            // A lane's next head, scheduled before events already due now.
            let at = self.now.partition_point(|x| x.seq < it.seq);
            self.now.insert(at, it);
        }
    }

    /// Bucket 0 ran dry: spreads the lowest non-empty bucket, whose earliest
    /// entry becomes `last`, over the buckets below it.
    fn refill(&mut self) {
        if self.full == 0 {
            return;
        }
        let b = self.full.trailing_zeros() as usize;
        self.full &= !(1 << b);
        let mut items = std::mem::take(&mut self.buckets[b]);
        let m = items.iter().map(|i| i.time).min().unwrap_or(self.last);
        self.last = m;
        for &it in &items {
            if it.time == m {
                self.now.push_back(it);
            } else {
                let nb = bucket_of(it.time, m);
                self.buckets[nb].push(it);
                self.full |= 1 << nb;
            }
        }
        items.clear();
        self.buckets[b] = items;
        let now = self.now.make_contiguous();
        if !now.is_sorted_by_key(|i| i.seq) {
            now.sort_unstable_by_key(|i| i.seq);
        }
    }

    /// An entry earlier than every pending one arrived (only while a model
    /// sets up, before the loop runs): files everything again from `time`.
    fn rebase(&mut self, time: u64) {
        let mut all: Vec<Item> = self.now.drain(..).collect();
        for b in &mut self.buckets {
            all.append(b);
        }
        self.full = 0;
        self.last = time;
        all.sort_unstable_by_key(|i| i.seq);
        for it in all {
            if it.time == time {
                self.now.push_back(it);
            } else {
                let b = bucket_of(it.time, time);
                self.buckets[b].push(it);
                self.full |= 1 << b;
            }
        }
    }

    /// Gives the pending events sequence numbers 0.. in their current order.
    /// Runs once per ~4 billion scheduled events; the pop order is unchanged.
    fn renumber(&mut self) {
        let filed = self.now.iter().chain(self.buckets.iter().flatten());
        let mut seqs: Vec<u32> = filed
            .filter(|i| i.slot & LANE_BIT == 0)
            .map(|i| i.seq)
            .chain(self.lanes.iter().flatten().map(|e| e.1))
            .collect();
        seqs.sort_unstable();
        assert!(
            seqs.len() < self.seq_limit as usize,
            "more events pending than sequence numbers"
        );
        let rank = |s: u32| seqs.binary_search(&s).map_or(0, |i| i as u32);
        for it in self.now.iter_mut().chain(self.buckets.iter_mut().flatten()) {
            it.seq = rank(it.seq);
        }
        for e in self.lanes.iter_mut().flatten() {
            e.1 = rank(e.1);
        }
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
    fn entries_are_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Item>(), 16);
        assert_eq!(bucket_of(5, 5), 0);
        assert_eq!(bucket_of(4, 5), 1);
        assert_eq!(bucket_of(8, 5), 4);
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
