//! The bare-loop baseline: the steady 3-region async shape of `shapes.rs`
//! written the way a first simulator would be: one `std::collections::BinaryHeap`
//! of (time, seq, event), no lanes, no metrics beyond two counters, the same
//! draws (Poisson arrivals, a client by share, a uniform key, link samples).
//! regionsim's full model with every metric on is measured against it.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use regionsim::engine::dist::{Distribution, Exp};
use regionsim::model::Sampler;
use regionsim::scenario::LatencyDist;

#[derive(Clone, Copy)]
enum Ev {
    NextWrite,
    /// A write reaches the primary, sent at `sent_us`.
    Commit {
        sent_us: u64,
    },
    /// A replicated write committed at `commit_us` is applied at a replica.
    Apply {
        commit_us: u64,
    },
}

/// A heap entry: (time, seq) reversed, so `BinaryHeap` pops the earliest
/// (both bare loops use it).
pub struct Item<E> {
    pub key: Reverse<(u64, u64)>,
    pub ev: E,
}

impl<E> PartialEq for Item<E> {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl<E> Eq for Item<E> {}
impl<E> PartialOrd for Item<E> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<E> Ord for Item<E> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.cmp(&o.key)
    }
}

/// The shape's two replication links from the primary, as samplers:
/// us-east-1 to eu-west-1 (also the European clients' leg), to us-west-2.
pub fn link_samplers() -> (Sampler, Sampler) {
    let eu = Sampler::new(&LatencyDist::LogNormal {
        median_us: 38_000,
        p99_us: 45_000,
    });
    let west = Sampler::new(&LatencyDist::Normal {
        mean_us: 36_000,
        stddev_us: 1_000,
    });
    (eu, west)
}

/// What the bare loop counts: writes issued, events processed, worst lag.
pub struct BareRun {
    pub writes: u64,
    pub events: u64,
    pub lag_us_max: u64,
}

/// Runs the shape for `duration_s` simulated seconds at `rate` writes/s.
pub fn run(duration_s: u64, rate: f64) -> BareRun {
    let end = duration_s * 1_000_000;
    let mut wl = ChaCha8Rng::seed_from_u64(1);
    let mut links = ChaCha8Rng::seed_from_u64(2);
    let gap = Exp::new(rate / 1e6).expect("rate > 0");
    let (eu, west) = link_samplers();
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<Item<Ev>>, t: u64, ev: Ev| {
        heap.push(Item {
            key: Reverse((t, seq)),
            ev,
        });
        seq += 1;
    };
    push(&mut heap, 0, Ev::NextWrite);
    let mut r = BareRun {
        writes: 0,
        events: 0,
        lag_us_max: 0,
    };
    let mut last_apply = [0u64; 2];
    while let Some(Item {
        key: Reverse((t, _)),
        ev,
    }) = heap.pop()
    {
        r.events += 1;
        match ev {
            Ev::NextWrite => {
                r.writes += 1;
                let in_eu = wl.random::<f64>() >= 0.6;
                let _client = wl.random_range(0..if in_eu { 400u32 } else { 600 });
                let _key = wl.random_range(0..100_000u32);
                let access = if in_eu { eu.sample(&mut links) } else { 0 };
                push(&mut heap, t + access, Ev::Commit { sent_us: t });
                let next = t + gap.sample(&mut wl).round() as u64;
                if next < end {
                    push(&mut heap, next, Ev::NextWrite);
                }
            }
            Ev::Commit { sent_us } => {
                let _ack_at = t + (t - sent_us);
                for (i, s) in [&eu, &west].into_iter().enumerate() {
                    let at = (t + s.sample(&mut links)).max(last_apply[i]);
                    last_apply[i] = at;
                    push(&mut heap, at, Ev::Apply { commit_us: t });
                }
            }
            Ev::Apply { commit_us } => r.lag_us_max = r.lag_us_max.max(t - commit_us),
        }
    }
    r
}
