//! The event queue: a (time, insertion sequence) min-heap of 16-byte keys, with
//! FIFO lanes beside it for ordered traffic (a link direction, a timeout, the
//! next arrival, commits along one path).
//!
//! Equal times pop in insertion order. A key is one `u128`:
//! `time << 64 | seq << 32 | slot`, so one integer comparison orders it. Two
//! heaps (`heap.rs`) hold the keys: a 4-ary one for events whose payload sits
//! in a slab (reused through a free list: no allocation per event once warm),
//! a binary one for the heads of the lanes (slot = lane index). A lane holds
//! events whose times never decrease, keys and payloads in two rings (a timer
//! lane, whose events are all alike, keeps keys only); an event earlier than
//! its lane's tail goes to the heap instead. Only a lane's head is in the
//! heads heap, and popping a head that has a successor replaces that heap's
//! root in place. Keeping lane heads apart means a lane pop (four per write on
//! the steady shape) sifts through a handful of lane heads, not through every
//! event in flight; a pop compares the two roots.
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
#[path = "queue_tests.rs"]
mod tests;
