//! The second baseline: the steady 3-region shape with the same model the
//! full simulator runs, written the way a first simulator would: one
//! `std::collections::BinaryHeap` of (time, seq, event), five events per
//! write as the full model has (the arrival, the commit, the request's
//! timeout, two applies), the same kinds of draws (the client leg and the
//! reply leg of a European client, both replication legs), the per-key state
//! a loss needs (the primary's and each replica's write id per key, the
//! lineage's commit times), the outstanding requests until their timeout,
//! the replication log until both replicas applied it; no metrics beyond
//! counters. Per-key ids are 4 bytes, as in the full model.
//!
//! Where the request timeouts wait is the one choice that matters
//! ([`Timeouts`]): ~40,000 of them are pending at any time (2 s at 20,000
//! writes/s), so in the heap they make it ~1.7 MB and 15 levels deep, and
//! every pop walks down to those cold leaves. Kept in a FIFO beside the heap
//! (they are fixed-delay, so always in order) they cost almost nothing: that
//! is the full model's timer lane, so the FIFO variant is the same model on a
//! queue with the full model's main idea and no metrics. `bare.rs` is the
//! smaller loop (four events, no per-key state, no replies or timeouts).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Where the request timeouts wait.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Timeouts {
    /// In the one binary heap with everything else (a first simulator).
    InHeap,
    /// In a FIFO beside the heap, popped when its head is earlier (same
    /// (time, seq) order).
    Fifo,
}

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regionsim::engine::dist::{Distribution, Exp};

use super::bare::{link_samplers, Item};

const KEYS: usize = 100_000;
const TIMEOUT_US: u64 = 2_000_000;
const ACCESS_US: u64 = 2_000;
const COMMIT_US: u64 = 1_000;

#[derive(Clone, Copy)]
enum Ev {
    NextWrite,
    Commit { req: u64 },
    Settle,
    Apply { replica: u8, idx: u64 },
}

struct Req {
    in_eu: bool,
    key: u32,
    issue_us: u64,
    acked: bool,
}

#[derive(Clone, Copy)]
struct Entry {
    key: u32,
    id: u32,
    commit_us: u64,
}

struct State {
    heap: BinaryHeap<Item<Ev>>,
    /// The timeouts' (time, seq) with [`Timeouts::Fifo`].
    settles: VecDeque<(u64, u64)>,
    seq: u64,
    reqs: VecDeque<Req>,
    req_base: u64,
    log: VecDeque<Entry>,
    log_base: u64,
    primary: Vec<u32>,
    lineage_us: Vec<u64>,
    replicas: [Vec<u32>; 2],
    applied: [u64; 2],
    last_delivery: [u64; 2],
}

impl State {
    fn push(&mut self, t: u64, ev: Ev) {
        self.heap.push(Item {
            key: Reverse((t, self.seq)),
            ev,
        });
        self.seq += 1;
    }

    fn push_settle(&mut self, t: u64, timeouts: Timeouts) {
        match timeouts {
            Timeouts::InHeap => self.push(t, Ev::Settle),
            Timeouts::Fifo => {
                self.settles.push_back((t, self.seq));
                self.seq += 1;
            }
        }
    }

    /// The earliest event of the heap and the FIFO, by (time, seq).
    fn pop(&mut self) -> Option<(u64, Ev)> {
        let from_fifo = match (self.settles.front(), self.heap.peek()) {
            (Some(&a), Some(h)) => a < h.key.0,
            (a, _) => a.is_some(),
        };
        if from_fifo {
            return self.settles.pop_front().map(|(t, _)| (t, Ev::Settle));
        }
        let Item {
            key: Reverse((t, _)),
            ev,
        } = self.heap.pop()?;
        Some((t, ev))
    }
}

/// What the loop counts: writes, events, acknowledged writes, worst lag.
pub struct ModelRun {
    pub writes: u64,
    pub events: u64,
    pub acked: u64,
    pub lag_us_max: u64,
}

/// Runs the shape for `duration_s` simulated seconds at `rate` writes/s.
pub fn run(duration_s: u64, rate: f64, timeouts: Timeouts) -> ModelRun {
    let end = duration_s * 1_000_000;
    let mut wl = ChaCha8Rng::seed_from_u64(1);
    let mut client_rng = [ChaCha8Rng::seed_from_u64(3), ChaCha8Rng::seed_from_u64(4)];
    let mut link_rng = [ChaCha8Rng::seed_from_u64(5), ChaCha8Rng::seed_from_u64(6)];
    let gap = Exp::new(rate / 1e6).expect("rate > 0");
    let (eu, west) = link_samplers();
    let mut s = State {
        heap: BinaryHeap::new(),
        settles: VecDeque::new(),
        seq: 0,
        reqs: VecDeque::new(),
        req_base: 0,
        log: VecDeque::new(),
        log_base: 1,
        primary: vec![0; KEYS],
        lineage_us: vec![0; KEYS],
        replicas: [vec![0; KEYS], vec![0; KEYS]],
        applied: [0; 2],
        last_delivery: [0; 2],
    };
    let mut r = ModelRun {
        writes: 0,
        events: 0,
        acked: 0,
        lag_us_max: 0,
    };
    s.push(0, Ev::NextWrite);
    while let Some((t, ev)) = s.pop() {
        r.events += 1;
        match ev {
            Ev::NextWrite => {
                r.writes += 1;
                let in_eu = wl.random::<f64>() >= 0.6;
                let _client = wl.random_range(0..if in_eu { 400u32 } else { 600 });
                let key = wl.random_range(0..KEYS as u32);
                let req = s.req_base + s.reqs.len() as u64;
                s.reqs.push_back(Req {
                    in_eu,
                    key,
                    issue_us: t,
                    acked: false,
                });
                s.push_settle(t + TIMEOUT_US, timeouts);
                let leg = if in_eu {
                    eu.sample(&mut client_rng[0])
                } else {
                    0
                };
                s.push(t + ACCESS_US + leg + COMMIT_US, Ev::Commit { req });
                let next = t + gap.sample(&mut wl).round() as u64;
                if next < end {
                    s.push(next, Ev::NextWrite);
                }
            }
            Ev::Commit { req } => {
                let slot = (req - s.req_base) as usize;
                let (key, in_eu, issue_us) = {
                    let q = &s.reqs[slot];
                    (q.key, q.in_eu, q.issue_us)
                };
                let id = (req + 1) as u32;
                s.primary[key as usize] = id;
                s.lineage_us[key as usize] = t;
                s.log.push_back(Entry {
                    key,
                    id,
                    commit_us: t,
                });
                let idx = s.log_base + s.log.len() as u64 - 1;
                let back = if in_eu {
                    eu.sample(&mut client_rng[1])
                } else {
                    0
                };
                if t + back + ACCESS_US <= issue_us + TIMEOUT_US {
                    s.reqs[slot].acked = true;
                }
                for (i, sampler) in [&eu, &west].into_iter().enumerate() {
                    let deliver = (t + sampler.sample(&mut link_rng[i])).max(s.last_delivery[i]);
                    s.last_delivery[i] = deliver;
                    let replica = i as u8;
                    s.push(deliver + COMMIT_US, Ev::Apply { replica, idx });
                }
            }
            Ev::Settle => {
                if let Some(q) = s.reqs.pop_front() {
                    s.req_base += 1;
                    r.acked += u64::from(q.acked);
                }
            }
            Ev::Apply { replica, idx } => {
                let e = s.log[(idx - s.log_base) as usize];
                let replica = usize::from(replica);
                s.replicas[replica][e.key as usize] = e.id;
                s.applied[replica] = idx;
                r.lag_us_max = r.lag_us_max.max(t - e.commit_us);
                while s.log_base <= s.applied[0].min(s.applied[1]) && s.log.pop_front().is_some() {
                    s.log_base += 1;
                }
            }
        }
    }
    r
}
