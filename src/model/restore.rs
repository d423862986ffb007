//! Side-effect-free probes of every client's route for the RTO (metrics.md:
//! "its route leads over an up path to a region that accepts its writes").
//! They read the routing and failover state as it is between events, every
//! `metrics::PROBE_US` from the first incident on; they schedule no event,
//! draw no random number and change nothing but the recorder. May read the
//! shared services and the topology; imports nothing above them.

use crate::metrics::{RegionProbe, RouteProbe};
use crate::scenario::RegionId;

use super::env::Env;
use super::routing::{Reach, Router};
use super::topology::Topology;

/// Hands the recorder what it needs for the RTO (called once, at start):
/// each client's region, its mean gap between requests, `slow_request`.
pub fn setup(env: &mut Env) {
    let s = env.s;
    env.rec.slow_request_us = s.workload.slow_request_us;
    let rate = s.workload.writes_per_sec;
    let mut gaps = Vec::with_capacity(env.clients.len());
    for p in &s.workload.clients {
        let per_client = rate * p.share / f64::from(p.count.max(1));
        let gap = if per_client > 0.0 {
            (1e6 / per_client).round().min(1e15) as u64
        } else {
            0
        };
        gaps.extend((0..p.count.max(1)).map(|_| gap));
    }
    gaps.resize(env.clients.len(), 0);
    env.rec.restore.mean_gap_us = gaps;
    env.rec.restore.client_region = env.clients.iter().map(|c| c.region() as u8).collect();
}

/// What a probe reads besides the shared services.
pub struct Sight<'a> {
    pub topo: &'a Topology,
    /// Where anycast sends writes without an announced region.
    pub fallback: RegionId,
    /// The regions that hold the data: the primary first, then the replicas.
    pub members: &'a [RegionId],
}

/// Takes the probe rounds due before `t` (the state is what it will be
/// until the event at `t` is handled).
#[inline]
pub fn probes(env: &mut Env, sight: &Sight, t: u64) {
    while let Some(tau) = env.rec.restore.due(t) {
        probe_round(env, sight, tau);
    }
}

/// At the end of the run: the rounds up to `end`, then the records close.
pub fn finish(env: &mut Env, sight: &Sight, end: u64) {
    while let Some(tau) = env.rec.restore.end_due(end) {
        probe_round(env, sight, tau);
    }
    env.rec.restore.finish();
}

/// Home-region: the regions that are the home of some key (bit mask),
/// recomputed only when keys may have moved (the timeline grew).
fn homes_mask(env: &mut Env, topo: &Topology) -> u64 {
    let Topology::Home(h) = topo else { return 0 };
    let len = env.rec.timeline.len();
    if let Some((at, mask)) = env.rec.restore.homes_cache {
        if at == len {
            return mask;
        }
    }
    let mask = (0..env.n)
        .filter(|&r| h.homes_any(env, r))
        .fold(0u64, |m, r| m | 1 << r);
    env.rec.restore.homes_cache = Some((len, mask));
    mask
}

/// Whether region `r` accepts writes at `tau` (for its clients' data).
fn accepts_writes(env: &Env, sight: &Sight, r: RegionId, tau: u64, homes: u64) -> bool {
    let p = &env.plan;
    if !p.region_up_at(r, tau) {
        return false;
    }
    match sight.topo {
        // A gateway: every region that is a home must be reachable from it.
        Topology::Home(_) => (0..env.n).all(|h| {
            homes >> h & 1 == 0
                || (p.region_up_at(h, tau)
                    && p.uncut_during(r, h, tau, tau)
                    && p.uncut_during(h, r, tau, tau))
        }),
        Topology::Multi(_) => sight.members.contains(&r),
        Topology::Single(sp) => sp.accepts_writes(r),
    }
}

/// How many regions accept writes as the writer of the same data now: the
/// primary and a deposed primary that is up and has not stepped down
/// (single-primary; multi-primary regions are writers by design and
/// home-region refuses a moved key at once).
fn writers_now(env: &Env, sight: &Sight, tau: u64) -> u8 {
    let up = |r: RegionId| env.plan.region_up_at(r, tau);
    match sight.topo {
        Topology::Single(sp) => {
            let (primary, zombie) = sp.writers();
            u8::from(up(primary)) + u8::from(zombie.is_some_and(|z| z != primary && up(z)))
        }
        _ => u8::from(sight.members.iter().any(|&r| up(r))),
    }
}

fn probe_round(env: &mut Env, sight: &Sight, tau: u64) {
    let fallback = sight.fallback;
    let homes = homes_mask(env, sight.topo);
    let n = env.n;
    // The regions and legs first (each region and pair once), then every
    // client's route looked up in them; buffers reused round to round.
    let restore = &mut env.rec.restore;
    let (mut buf, mut regions, mut legs) = (
        std::mem::take(&mut restore.buf),
        std::mem::take(&mut restore.buf_regions),
        std::mem::take(&mut restore.buf_legs),
    );
    regions.clear();
    regions.extend((0..n).map(|r| RegionProbe {
        up: env.plan.region_up_at(r, tau),
        accepts: accepts_writes(env, sight, r, tau, homes),
    }));
    let p = &env.plan;
    legs.clear();
    legs.extend((0..n * n).map(|i| {
        let (a, b) = (i / n, i % n);
        p.uncut_during(a, b, tau, tau) && p.uncut_during(b, a, tau, tau)
    }));
    let single = matches!(sight.topo, Topology::Single(_));
    let forwards = matches!(env.router, Router::Anycast(_)) && single;
    buf.clear();
    for (c, client) in env.clients.iter().enumerate() {
        let client_id = c as u32;
        let from = client.region();
        let reach = Reach {
            client: client_id,
            from,
            t: tau,
            start: env.router.start_at(client_id, tau),
            attempt: 1,
        };
        let via = env.router.reached(p, reach, fallback);
        let dst = if forwards { fallback } else { via };
        let path =
            regions[via].up && regions[dst].up && legs[from * n + via] && legs[via * n + dst];
        buf.push(RouteProbe {
            via: via as u8,
            dst: dst as u8,
            path,
            accepts: regions[dst].accepts,
        });
    }
    let writers = writers_now(env, sight, tau);
    let restore = &mut env.rec.restore;
    restore.buf = buf;
    restore.buf_regions = regions;
    restore.buf_legs = legs;
    restore.buf_writers = writers;
    restore.probe(tau);
}
