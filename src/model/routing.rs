//! Where a client's request goes: DNS (cached answers), anycast (the nearest
//! announced region, as the client's routes see it), or client-side failover
//! (endpoints in order, backoff between attempts, the last good one remembered).
//! [`Router`] owns the mechanism in force and is the one routing dispatch.
//! A leaf: imports only the DNS cache, the fault plan, the links and the
//! workload's clients.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::engine::{Streams, Subsystem};
use crate::scenario::{Backoff, ClientFailover, Jitter, RegionId, Routing, Scenario};

use super::dns::Dns;

use super::faults::FaultPlan;
use super::links::Sampler;
use super::workload::Client;

/// Regions in order of proximity from `from` (itself first, then by median
/// link latency, ties in scenario order), among `candidates`.
pub fn nearest_first(s: &Scenario, from: RegionId, candidates: &[RegionId]) -> Vec<RegionId> {
    let dist = |r: RegionId| {
        if r == from {
            Some(0)
        } else {
            s.link_between(from, r).map(|l| Sampler::median(&l.latency))
        }
    };
    let mut v: Vec<(u64, RegionId)> = candidates
        .iter()
        .filter_map(|&r| dist(r).map(|d| (d, r)))
        .collect();
    v.sort();
    v.into_iter().map(|(_, r)| r).collect()
}

/// The routing mechanism in force, with its state. Without a `[failover]`
/// section clients resolve once through DNS and never move.
#[derive(Clone, Debug)]
pub enum Router {
    Dns(Dns),
    Anycast(Anycast),
    Client(Box<ClientSide>),
}

impl Router {
    /// The mechanism `s` configures, with its state; `members`: the regions
    /// that take traffic, `first[r]`: the answer clients in region r resolve
    /// at the start (DNS).
    pub fn new(
        s: &Scenario,
        members: &[RegionId],
        clients: &[Client],
        streams: &Streams,
        first: &[RegionId],
    ) -> Router {
        let dns = |config| {
            let regions = clients.iter().map(|c| c.region()).collect();
            Router::Dns(Dns::new(config, regions, streams, first))
        };
        match s.failover.as_ref().map(|f| &f.routing) {
            None => dns(None),
            Some(Routing::Dns(d)) => dns(Some(d)),
            Some(Routing::Anycast(a)) => {
                Router::Anycast(Anycast::new(s, a, members, clients, streams))
            }
            Some(Routing::Client(c)) => Router::Client(Box::new(ClientSide::new(
                s,
                c,
                members,
                clients.len(),
                streams,
            ))),
        }
    }

    /// The region `client` (located in `from`) reaches at `t` on attempt `n`
    /// (1-based) of a request that started at endpoint index `start`;
    /// `fallback` when anycast finds no announced region.
    pub fn reached(&self, plan: &FaultPlan, at: Reach, fallback: RegionId) -> RegionId {
        match self {
            Router::Dns(d) => d.target(at.client, at.t),
            Router::Anycast(a) => a.entry(plan, at.client, at.from, at.t).unwrap_or(fallback),
            Router::Client(cs) => cs.endpoint(at.start, at.from, at.attempt),
        }
    }

    /// Where a new request of `client` issued at `t` starts (client-side:
    /// the endpoint it remembers by then; 0 for the other mechanisms).
    pub fn start_at(&self, client: u32, t: u64) -> u8 {
        match self {
            Router::Client(cs) => cs.start_at(client, t),
            _ => 0,
        }
    }

    pub fn dns_mut(&mut self) -> Option<&mut Dns> {
        match self {
            Router::Dns(d) => Some(d),
            _ => None,
        }
    }

    pub fn anycast(&self) -> Option<&Anycast> {
        match self {
            Router::Anycast(a) => Some(a),
            _ => None,
        }
    }

    pub fn client_side(&self) -> Option<&ClientSide> {
        match self {
            Router::Client(cs) => Some(cs),
            _ => None,
        }
    }

    pub fn client_side_mut(&mut self) -> Option<&mut ClientSide> {
        match self {
            Router::Client(cs) => Some(cs),
            _ => None,
        }
    }
}

/// Who asks the router, from where, when, and on which attempt.
#[derive(Clone, Copy, Debug)]
pub struct Reach {
    pub client: u32,
    pub from: RegionId,
    pub t: u64,
    pub start: u8,
    pub attempt: u32,
}

/// Anycast: every member region announces; a client reaches the nearest one
/// that is up as its routes see it, one convergence sample behind the truth.
#[derive(Clone, Debug)]
pub struct Anycast {
    /// Per region a client can be located in: members nearest first.
    prefs: Vec<Vec<RegionId>>,
    /// Per client: its convergence delay.
    pub convergence_us: Vec<u64>,
}

impl Anycast {
    pub fn new(
        s: &Scenario,
        config: &crate::scenario::Anycast,
        members: &[RegionId],
        clients: &[Client],
        streams: &Streams,
    ) -> Self {
        let sampler = Sampler::new(&config.convergence);
        let mut rng = streams.stream(Subsystem::Clients, 1);
        let convergence_us = clients.iter().map(|_| sampler.sample(&mut rng)).collect();
        Anycast {
            prefs: (0..s.regions.len())
                .map(|r| nearest_first(s, r, members))
                .collect(),
            convergence_us,
        }
    }

    /// The region `client` (located in `from`) reaches at `t`.
    pub fn entry(&self, plan: &FaultPlan, client: u32, from: RegionId, t: u64) -> Option<RegionId> {
        let seen = t.saturating_sub(self.convergence_us[client as usize]);
        let prefs = &self.prefs[from];
        prefs
            .iter()
            .copied()
            .find(|&r| plan.region_up_at(r, seen))
            .or(prefs.first().copied())
    }
}

/// Client-side failover state.
#[derive(Clone, Debug)]
pub struct ClientSide {
    /// Per client region: endpoints in order of preference.
    prefs: Vec<Vec<RegionId>>,
    /// Per client: index (into its region's list) of the endpoint that last worked.
    remembered: Vec<u8>,
    /// Per client: successes still on their way back, (arrival, endpoint
    /// index): the library learns an endpoint worked when the reply arrives.
    learning: Vec<Vec<(u64, u8)>>,
    pub max_attempts: u32,
    backoff: Backoff,
    rng: ChaCha8Rng,
}

impl ClientSide {
    pub fn new(
        s: &Scenario,
        config: &ClientFailover,
        members: &[RegionId],
        clients: usize,
        streams: &Streams,
    ) -> Self {
        let prefs = (0..s.regions.len())
            .map(|r| match &config.endpoints {
                Some(list) => list.clone(),
                None => nearest_first(s, r, members),
            })
            .collect();
        ClientSide {
            prefs,
            remembered: vec![0; clients],
            learning: vec![Vec::new(); clients],
            // Attempts are counted in a byte: at most 255 per request.
            max_attempts: config.max_attempts.clamp(1, 255),
            backoff: config.backoff.clone(),
            rng: streams.stream(Subsystem::Clients, 2),
        }
    }

    /// Where a new request of `client` starts: the endpoint it remembers.
    #[cfg(test)]
    pub fn start(&self, client: u32) -> u8 {
        self.remembered[client as usize]
    }

    /// Where a request of `client` issued at `t` starts: the endpoint of the
    /// latest success whose reply had arrived by `t`.
    pub fn start_at(&self, client: u32, t: u64) -> u8 {
        let mut best: Option<(u64, u8)> = None;
        for &(at, i) in &self.learning[client as usize] {
            if at <= t && best.is_none_or(|(b, _)| at >= b) {
                best = Some((at, i));
            }
        }
        best.map_or(self.remembered[client as usize], |(_, i)| i)
    }

    /// A success from `endpoint`, committed now (`now`), reaches `client`
    /// at `at`: from then on the client starts there.
    pub fn remember_at(
        &mut self,
        client: u32,
        from: RegionId,
        endpoint: RegionId,
        at: u64,
        now: u64,
    ) {
        let Some(i) = self.prefs[from].iter().position(|&r| r == endpoint) else {
            return;
        };
        let c = client as usize;
        let settled = self.start_at(client, now);
        let list = &mut self.learning[c];
        list.retain(|&(a, _)| a > now);
        self.remembered[c] = settled;
        if list.is_empty() && settled == i as u8 {
            return;
        }
        list.push((at, i as u8));
    }

    /// The endpoint of attempt `n` (1-based) of a request that started at
    /// endpoint index `start`: that one, then the following ones in order.
    pub fn endpoint(&self, start: u8, from: RegionId, n: u32) -> RegionId {
        let list = &self.prefs[from];
        list[(start as usize + n as usize - 1) % list.len()]
    }

    #[cfg(test)]
    pub fn remember(&mut self, client: u32, from: RegionId, endpoint: RegionId) {
        if let Some(i) = self.prefs[from].iter().position(|&r| r == endpoint) {
            self.remembered[client as usize] = i as u8;
        }
    }

    /// The wait before retry `n` (n = 1, 2, ...): v = min(cap, base * 2^(n-1)),
    /// exactly v ("none"), uniform in [0, v] ("full") or in [v/2, v] ("equal").
    pub fn backoff(&mut self, n: u32) -> u64 {
        let b = &self.backoff;
        let v = b
            .base_us
            .saturating_mul(1u64 << (n.saturating_sub(1)).min(40))
            .min(b.cap_us);
        match b.jitter {
            Jitter::None => v,
            Jitter::Full => self.rng.random_range(0..=v),
            Jitter::Equal => self.rng.random_range(v / 2..=v),
        }
    }

    /// The longest wait before retry `n` (without jitter's luck).
    pub fn backoff_cap(&self, n: u32) -> u64 {
        let b = &self.backoff;
        b.base_us
            .saturating_mul(1u64 << (n.saturating_sub(1)).min(40))
            .min(b.cap_us)
    }

    /// The longest a request can take: every attempt timing out, maximal waits.
    pub fn max_span(&self, timeout_us: u64) -> u64 {
        let a = u64::from(self.max_attempts);
        a * timeout_us + (a - 1) * self.backoff.cap_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn side(jitter: Jitter) -> ClientSide {
        ClientSide {
            prefs: vec![vec![0, 1, 2]],
            remembered: vec![0],
            learning: vec![Vec::new()],
            max_attempts: 3,
            backoff: Backoff {
                base_us: 100,
                cap_us: 1000,
                jitter,
            },
            rng: ChaCha8Rng::seed_from_u64(1),
        }
    }

    #[test]
    fn backoff_follows_the_spec() {
        let mut s = side(Jitter::None);
        assert_eq!(
            (1..=6).map(|n| s.backoff(n)).collect::<Vec<_>>(),
            vec![100, 200, 400, 800, 1000, 1000]
        );
        let mut f = side(Jitter::Full);
        let xs: Vec<u64> = (0..20_000).map(|_| f.backoff(3)).collect();
        assert!(xs.iter().all(|&x| x <= 400));
        let mean = xs.iter().sum::<u64>() as f64 / xs.len() as f64;
        assert!((mean - 200.0).abs() < 5.0, "{mean}");
        let mut e = side(Jitter::Equal);
        let ys: Vec<u64> = (0..20_000).map(|_| e.backoff(3)).collect();
        assert!(ys.iter().all(|&y| (200..=400).contains(&y)));
        let mean = ys.iter().sum::<u64>() as f64 / ys.len() as f64;
        assert!((mean - 300.0).abs() < 5.0, "{mean}");
    }

    #[test]
    fn endpoints_rotate_from_the_remembered_one() {
        let mut s = side(Jitter::None);
        assert_eq!(
            (1..=4)
                .map(|n| s.endpoint(s.start(0), 0, n))
                .collect::<Vec<_>>(),
            vec![0, 1, 2, 0]
        );
        s.remember(0, 0, 2);
        assert_eq!(s.endpoint(s.start(0), 0, 1), 2);
        assert_eq!(s.endpoint(s.start(0), 0, 2), 0);
    }
}
