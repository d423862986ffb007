//! The workload: write arrivals (Poisson or evenly spaced), which client issues
//! each write, and which key it writes; reads are a second arrival process of
//! the same kind on their own random stream. A leaf: imports nothing of the model.

use crate::engine::dist::{Distribution, Exp, Zipf};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::engine::{Streams, Subsystem, US_PER_SEC};
use crate::scenario::{Arrival, KeyDist, RegionId, Scenario};

/// A client: where it is and which population it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct Client {
    /// One byte (validation allows at most 64 regions): the per-client
    /// arrays a write reads at random stay small.
    region: u8,
}

impl Client {
    pub fn new(region: RegionId) -> Client {
        debug_assert!(region <= usize::from(u8::MAX));
        Client {
            region: region as u8,
        }
    }

    /// The region the client is located in.
    #[inline]
    pub fn region(self) -> RegionId {
        RegionId::from(self.region)
    }
}

#[derive(Debug)]
pub struct Workload {
    rng: ChaCha8Rng,
    arrival: Arrival,
    exp: Option<Exp>,
    /// Constant arrivals: the k-th write at floor(k * 1e6 / rate) µs.
    rate: f64,
    issued: u64,
    /// Poisson arrivals: the exact arrival time of the last write (µs, not
    /// rounded), so that rounding never accumulates into the rate.
    clock: f64,
    /// Cumulative shares and the first client id of each population.
    cum_share: Vec<f64>,
    /// Constant arrivals: per population, the share of writes owed so far
    /// (smooth weighted round robin), so populations interleave exactly.
    credit: Vec<f64>,
    first_client: Vec<u32>,
    counts: Vec<u32>,
    keys: u32,
    zipf: Option<Zipf>,
    pub clients: Vec<Client>,
}

/// One write to issue: who and what.
#[derive(Clone, Copy, Debug)]
pub struct WriteSpec {
    pub client: u32,
    pub key: u32,
}

impl Workload {
    pub fn new(s: &Scenario, streams: &Streams) -> Workload {
        let rng = streams.stream(Subsystem::Workload, 0);
        Workload::with(s, rng, s.workload.writes_per_sec, true)
    }

    /// The read arrivals (`None` without reads): same arrival kind, client
    /// populations, shares and key distribution as the writes, drawn from the
    /// `Reads` stream so that the writes stay exactly as without reads. It
    /// keeps no client list (the writes' one is the reference).
    pub fn reads(s: &Scenario, streams: &Streams) -> Option<Workload> {
        let rate = s.workload.reads_per_sec;
        let rng = streams.stream(Subsystem::Reads, 0);
        (rate > 0.0).then(|| Workload::with(s, rng, rate, false))
    }

    fn with(s: &Scenario, rng: ChaCha8Rng, rate: f64, keep_clients: bool) -> Workload {
        let w = &s.workload;
        let mut cum = 0.0;
        let mut cum_share = Vec::new();
        let mut first_client = Vec::new();
        let mut counts = Vec::new();
        let mut clients = Vec::new();
        let mut next_client = 0u32;
        for p in &w.clients {
            cum += p.share;
            cum_share.push(cum);
            first_client.push(next_client);
            next_client += p.count.max(1);
            counts.push(p.count.max(1));
            if keep_clients {
                clients.extend((0..p.count.max(1)).map(|_| Client::new(p.region)));
            }
        }
        let zipf = match w.key_distribution {
            KeyDist::Zipf { exponent } => Zipf::new(u64::from(w.keys.max(1)), exponent).ok(),
            KeyDist::Uniform => None,
        };
        Workload {
            rng,
            arrival: w.arrival,
            exp: Exp::new(rate).ok(),
            rate,
            issued: 0,
            clock: 0.0,
            credit: vec![0.0; cum_share.len()],
            cum_share,
            first_client,
            counts,
            keys: w.keys.max(1),
            zipf,
            clients,
        }
    }

    /// Time of the first write.
    pub fn first_arrival(&mut self) -> u64 {
        self.next_arrival(0)
    }

    /// Time of the write after one issued at `now`.
    pub fn next_arrival(&mut self, now: u64) -> u64 {
        match self.arrival {
            Arrival::Constant => {
                self.issued += 1;
                let t = (self.issued as f64) * (US_PER_SEC as f64) / self.rate;
                (t.floor() as u64).max(now)
            }
            Arrival::Poisson => {
                // Exponential gaps accumulate exactly; the absolute time is
                // rounded (issue 12 item 8: chained rounded gaps inflated the
                // rate, x1.04 at 1M/s).
                let gap = self
                    .exp
                    .as_ref()
                    .map_or(1.0, |e| e.sample(&mut self.rng) * US_PER_SEC as f64);
                self.clock = (self.clock + gap.clamp(0.0, 1e15)).min(1e15);
                crate::engine::dist::round_to_u64(self.clock).max(now)
            }
        }
    }

    /// Smooth weighted round robin over the populations' shares: with shares
    /// 0.5/0.5 the writes alternate exactly.
    fn next_in_turn(&mut self) -> usize {
        let mut prev = 0.0;
        let mut best = 0;
        for (i, &c) in self.cum_share.iter().enumerate() {
            self.credit[i] += c - prev;
            prev = c;
            if self.credit[i] > self.credit[best] {
                best = i;
            }
        }
        self.credit[best] -= 1.0;
        best
    }

    /// Draws the client and key of the next write.
    pub fn draw(&mut self) -> WriteSpec {
        let last = self.cum_share.len().saturating_sub(1);
        let pop = match self.arrival {
            Arrival::Constant => self.next_in_turn(),
            Arrival::Poisson => {
                let u: f64 = self.rng.random();
                self.cum_share.iter().position(|&c| u < c).unwrap_or(last)
            }
        };
        let client = self.first_client[pop] + self.rng.random_range(0..self.counts[pop]);
        let key = match &self.zipf {
            Some(z) => (z.sample(&mut self.rng) as u32).clamp(1, self.keys) - 1,
            None => self.rng.random_range(0..self.keys),
        };
        WriteSpec { client, key }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_rate_holds_at_high_rates() {
        use crate::scenario::parse_str;
        for rate in [1_000_000u64, 2_000_000] {
            let toml = format!(
                r#"
name = "t"
duration = "1s"
[[regions]]
name = "a"
[workload]
writes_per_sec = {rate}
[[workload.clients]]
region = "a"
share = 1.0
[replication]
primary = "a"
replicas = []
"#
            );
            let s = parse_str(&toml, "t.toml", crate::scenario::Format::Toml).expect("valid");
            let mut w = Workload::new(&s, &Streams::new(1));
            let mut t = w.first_arrival();
            let mut n = 0u64;
            while t < 1_000_000 {
                n += 1;
                t = w.next_arrival(t);
            }
            // Poisson(rate) over 1 s: sd = sqrt(rate) ~ 0.1%; 1% is > 10 sd.
            let ratio = n as f64 / rate as f64;
            assert!((ratio - 1.0).abs() < 0.01, "rate {rate}: {n} writes in 1 s");
        }
    }

    #[test]
    fn zipf_prefers_low_keys() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        use rand::SeedableRng;
        let z = Zipf::new(1000, 1.1).unwrap();
        let low = (0..10_000)
            .filter(|_| (z.sample(&mut rng) as u32) <= 10)
            .count();
        assert!(low > 3000, "{low}");
    }
}
