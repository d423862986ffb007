//! The analytic estimates shown beside measured figures, for the mechanisms
//! present only: the detection window where a verdict acts (a promotion, DNS
//! answers), the TTL bound for DNS, convergence for anycast, timeout +
//! backoff + round trip for a client library, the async RPO; bounds include
//! one request's round trip. Reads the scenario and the router; changes nothing.

use crate::metrics::{Bound, Estimate};
use crate::scenario::Topology;

use super::env::Env;
use super::links::Sampler;

/// One request's round trip from the clients farthest from where they write,
/// at median latency (access both ways, the longest link, commit).
fn round_trip_us(env: &Env) -> u64 {
    let s = env.s;
    let access = s.workload.client_access_latency_us;
    let longest_link = s
        .links
        .iter()
        .map(|l| Sampler::median(&l.latency))
        .max()
        .unwrap_or(0);
    let commit = s
        .regions
        .iter()
        .map(|r| r.commit_latency_us)
        .max()
        .unwrap_or(0);
    2 * (access + longest_link) + commit
}

pub fn estimates(env: &Env) -> Vec<Estimate> {
    let Some(f) = &env.s.failover else {
        return Vec::new();
    };
    let hc = &f.health_check;
    let (i, to, th) = (
        hc.interval_us,
        hc.timeout_us,
        u64::from(hc.failure_threshold),
    );
    let lo = (th - 1) * (i + to) + to;
    let hi = th * (i + to) + to;
    let kind = env.s.replication.topology;
    let single = kind == Topology::SinglePrimary;
    let dns = f.routing.dns();
    // A verdict acts when it promotes (single-primary, home-region) or
    // changes DNS answers; multi-primary behind anycast or a client library
    // has checks that move nothing.
    let mut v = Vec::new();
    if kind != Topology::MultiPrimary || dns.is_some() {
        v.push(Estimate {
            what: Bound::DetectionLow,
            value_us: lo,
        });
        v.push(Estimate {
            what: Bound::DetectionHigh,
            value_us: hi,
        });
    }
    let round_trip = round_trip_us(env);
    if let Some(dns) = dns {
        let cache = dns.propagation_us + dns.ttl_us;
        let waiting = if single {
            cache.max(f.promotion_delay_us)
        } else {
            cache
        };
        v.push(Estimate {
            what: Bound::DnsRtoHigh,
            value_us: hi + waiting + round_trip,
        });
    }
    if let Some(a) = env.router.anycast() {
        let c = a.convergence_us.iter().copied().max().unwrap_or(0);
        let value_us = if single {
            c.max(hi + f.promotion_delay_us) + round_trip
        } else {
            c + round_trip
        };
        v.push(Estimate {
            what: Bound::AnycastRto,
            value_us,
        });
    }
    if let Some(cs) = env.router.client_side() {
        let library = env.s.workload.request_timeout_us + cs.backoff_cap(1) + round_trip;
        let value_us = if single {
            library.max(hi + f.promotion_delay_us + round_trip)
        } else {
            library
        };
        v.push(Estimate {
            what: Bound::ClientSideRto,
            value_us,
        });
    }
    let p = env.s.replication.primary.unwrap_or(0);
    if let (true, Some(&r)) = (single, env.s.replication.replicas.first()) {
        if let Some(l) = env.s.link_between(p, r) {
            v.push(Estimate {
                what: Bound::AsyncRpo {
                    replica: env.name(r).into(),
                },
                value_us: Sampler::median(&l.latency) + env.commit_latency(r),
            });
        }
    }
    v
}
