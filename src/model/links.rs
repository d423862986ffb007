//! Links: latency samplers and the FIFO, bandwidth-limited replication stream
//! state of each link direction. A leaf: imports nothing of the model.

use crate::engine::dist::{Distribution, LogNormal, Normal};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::engine::{Streams, Subsystem};
use crate::scenario::{LatencyDist, RegionId, Scenario};

/// A latency model ready to sample (µs).
#[derive(Clone, Debug)]
pub enum Sampler {
    Constant(u64),
    Normal(Normal),
    LogNormal(LogNormal),
    Uniform(u64, u64),
}

/// z such that P(Z <= z) = 0.99 for a standard normal.
const Z99: f64 = 2.326_347_874;

fn to_us(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        // Bounded: one day is far beyond any sensible one-way latency.
        crate::engine::dist::round_to_u64(x.min(86_400e6))
    } else {
        0
    }
}

impl Sampler {
    pub fn new(d: &LatencyDist) -> Sampler {
        match *d {
            LatencyDist::Constant { us } => Sampler::Constant(us),
            LatencyDist::Normal { mean_us, stddev_us } => {
                match Normal::new(mean_us as f64, stddev_us as f64) {
                    Ok(n) if stddev_us > 0 => Sampler::Normal(n),
                    _ => Sampler::Constant(mean_us),
                }
            }
            LatencyDist::LogNormal { median_us, p99_us } => {
                let mu = libm::log(median_us.max(1) as f64);
                let sigma = (libm::log(p99_us.max(1) as f64) - mu) / Z99;
                match LogNormal::new(mu, sigma) {
                    Ok(l) if sigma > 0.0 => Sampler::LogNormal(l),
                    _ => Sampler::Constant(median_us),
                }
            }
            LatencyDist::Uniform { min_us, max_us } => Sampler::Uniform(min_us, max_us),
        }
    }

    pub fn sample(&self, rng: &mut ChaCha8Rng) -> u64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Normal(n) => to_us(n.sample(rng)),
            Sampler::LogNormal(l) => to_us(l.sample(rng)),
            Sampler::Uniform(lo, hi) => {
                if lo >= hi {
                    *lo
                } else {
                    rng.random_range(*lo..=*hi)
                }
            }
        }
    }

    /// The median, for analytic estimates.
    pub fn median(d: &LatencyDist) -> u64 {
        match *d {
            LatencyDist::Constant { us } => us,
            LatencyDist::Normal { mean_us, .. } => mean_us,
            LatencyDist::LogNormal { median_us, .. } => median_us,
            LatencyDist::Uniform { min_us, max_us } => min_us / 2 + max_us / 2,
        }
    }
}

/// Samples drawn ahead per stream: a batch's draws are independent of one
/// another, so the processor overlaps them (the log-normal's `exp`, the
/// ziggurat's loads) where one draw per message waits on each in turn.
const BATCH: usize = 64;

/// One sampler on its own random stream, drawn [`BATCH`] samples at a time.
/// The stream feeds nothing else, so the samples and their order are exactly
/// those of drawing one per call; a run that ends mid-batch just leaves the
/// rest unused.
#[derive(Clone, Debug)]
struct Drawn {
    sampler: Sampler,
    rng: ChaCha8Rng,
    /// Allocated at the first draw (most streams of a large mesh never draw).
    buf: Vec<u64>,
    next: usize,
}

impl Drawn {
    fn new(sampler: Sampler, rng: ChaCha8Rng) -> Drawn {
        Drawn {
            sampler,
            rng,
            buf: Vec::new(),
            next: 0,
        }
    }

    #[inline]
    fn sample(&mut self) -> u64 {
        if let Sampler::Constant(v) = self.sampler {
            return v;
        }
        if self.next == self.buf.len() {
            self.refill();
        }
        let v = self.buf[self.next];
        self.next += 1;
        v
    }

    #[cold]
    fn refill(&mut self) {
        let (sampler, rng) = (&self.sampler, &mut self.rng);
        self.buf.clear();
        self.buf.extend((0..BATCH).map(|_| sampler.sample(rng)));
        self.next = 0;
    }
}

/// One direction of one link, for replication traffic (a TCP stream).
#[derive(Clone, Debug)]
pub struct Direction {
    pub link: usize,
    bandwidth_bps: Option<u64>,
    latency: Drawn,
    ser_free_us: u64,
    last_delivery_us: u64,
}

/// Per direction: samples for traffic that is not the replication stream,
/// each kind on its own random stream.
#[derive(Clone, Debug)]
struct Side {
    client: Drawn,
    probe: Drawn,
    receipt: Drawn,
    read: Drawn,
}

/// Link directions indexed by (from, to), plus independent samplers for
/// traffic that is not a stream (client requests, health probes).
#[derive(Clone, Debug)]
pub struct Network {
    n: usize,
    dirs: Vec<Option<Direction>>,
    /// Per direction: a sampler and rngs for client traffic, probes, receipts and reads.
    side: Vec<Option<Side>>,
}

impl Network {
    pub fn new(s: &Scenario, streams: &Streams) -> Network {
        let n = s.regions.len();
        let mut dirs = vec![None; n * n];
        let mut side = vec![None; n * n];
        for (li, l) in s.links.iter().enumerate() {
            for (k, (a, b)) in [(l.a, l.b), (l.b, l.a)].into_iter().enumerate() {
                let entity = (li * 2 + k) as u32;
                let drawn =
                    |sub, entity| Drawn::new(Sampler::new(&l.latency), streams.stream(sub, entity));
                dirs[a * n + b] = Some(Direction {
                    link: li,
                    bandwidth_bps: l.bandwidth_bps,
                    latency: drawn(Subsystem::Links, entity),
                    ser_free_us: 0,
                    last_delivery_us: 0,
                });
                side[a * n + b] = Some(Side {
                    client: drawn(Subsystem::ClientTraffic, entity),
                    probe: drawn(Subsystem::Health, entity),
                    receipt: drawn(Subsystem::Receipts, entity),
                    read: drawn(Subsystem::Reads, entity + 1),
                });
            }
        }
        Network { n, dirs, side }
    }

    /// Sends one stream message of `bytes` from a to b at `send_us`; returns
    /// (delivery time, link index, whether it queued behind earlier messages).
    /// FIFO per direction, serialised behind earlier messages when the link
    /// has a bandwidth.
    pub fn send_stream(
        &mut self,
        a: RegionId,
        b: RegionId,
        send_us: u64,
        bytes: u64,
        extra_us: u64,
    ) -> Option<(u64, usize, bool)> {
        let d = self.dirs[a * self.n + b].as_mut()?;
        let queued = d.ser_free_us > send_us;
        let ser_end = match d.bandwidth_bps {
            Some(bps) if bps > 0 => {
                let ser = (bytes.saturating_mul(8_000_000)).div_ceil(bps);
                let end = d.ser_free_us.max(send_us).saturating_add(ser);
                d.ser_free_us = end;
                end
            }
            _ => send_us,
        };
        let lat = d.latency.sample().saturating_add(extra_us);
        let deliver = ser_end.saturating_add(lat).max(d.last_delivery_us);
        d.last_delivery_us = deliver;
        Some((deliver, d.link, queued))
    }

    /// One-way latency sample for a client request or reply (0 within a region).
    pub fn client_latency(&mut self, a: RegionId, b: RegionId) -> u64 {
        if a == b {
            return 0;
        }
        match self.side[a * self.n + b].as_mut() {
            Some(s) => s.client.sample(),
            None => 0,
        }
    }

    /// One-way latency sample for a replica's receipt back to the primary.
    pub fn ack_latency(&mut self, a: RegionId, b: RegionId) -> u64 {
        if a == b {
            return 0;
        }
        match self.side[a * self.n + b].as_mut() {
            Some(s) => s.receipt.sample(),
            None => 0,
        }
    }

    /// One-way latency sample for a read or its answer (0 within a region), on
    /// its own stream so that reads never move a write's sample.
    pub fn read_latency(&mut self, a: RegionId, b: RegionId) -> u64 {
        if a == b {
            return 0;
        }
        match self.side[a * self.n + b].as_mut() {
            Some(s) => s.read.sample(),
            None => 0,
        }
    }

    /// One-way latency sample for a health probe (0 within a region).
    pub fn probe_latency(&mut self, a: RegionId, b: RegionId) -> u64 {
        if a == b {
            return 0;
        }
        match self.side[a * self.n + b].as_mut() {
            Some(s) => s.probe.sample(),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn lognormal_matches_median_and_p99() {
        let s = Sampler::new(&LatencyDist::LogNormal {
            median_us: 38_000,
            p99_us: 90_000,
        });
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut v: Vec<u64> = (0..100_000).map(|_| s.sample(&mut rng)).collect();
        v.sort_unstable();
        let med = v[50_000] as f64;
        let p99 = v[99_000] as f64;
        assert!((med / 38_000.0 - 1.0).abs() < 0.02, "median {med}");
        assert!((p99 / 90_000.0 - 1.0).abs() < 0.05, "p99 {p99}");
    }

    #[test]
    fn normal_is_clamped_at_zero() {
        let s = Sampler::new(&LatencyDist::Normal {
            mean_us: 10,
            stddev_us: 1000,
        });
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert!((0..10_000).all(|_| s.sample(&mut rng) < 10_000));
    }
}
