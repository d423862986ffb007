//! Validation of the optional `[failover]` section: routing, promotion, health checks, DNS,
//! anycast and client-side failover, with every default filled in.

use super::dto::{AnycastDto, BackoffDto, ClientFailoverDto, DnsDto, FailoverDto, HealthCheckDto};
use super::types::{
    Anycast, Backoff, ClientFailover, Dns, Failover, HealthCheck, Jitter, LatencyDist, OnRejoin,
    Promotion, Routing, RoutingKind,
};
use super::validate::{err, Names, Res, US_PER_MS, US_PER_S};
use crate::engine::time::fmt_duration;

/// Attempts per request the model can track (one byte per request).
const MAX_ATTEMPTS: u64 = 255;

pub(crate) fn build(f: FailoverDto, names: &Names) -> Res<Failover> {
    let kind = f.routing.map_or(RoutingKind::Dns, |r| r.0);
    let keyword = |k: RoutingKind| match k {
        RoutingKind::Dns => "dns",
        RoutingKind::Anycast => "anycast",
        RoutingKind::Client => "client",
    };
    // A section for another mechanism would be silently ignored: refuse it.
    let stray = [
        (f.dns.is_some(), RoutingKind::Dns),
        (f.anycast.is_some(), RoutingKind::Anycast),
        (f.client.is_some(), RoutingKind::Client),
    ];
    if let Some((_, other)) = stray.iter().find(|(set, k)| *set && *k != kind) {
        let (other, ours) = (keyword(*other), keyword(kind));
        return Err(err(
            format!("failover.{other}"),
            format!(
                "[failover.{other}] applies only to routing = \"{other}\"; this scenario has routing = \"{ours}\" (remove the section, or set routing = \"{other}\")"
            ),
        ));
    }
    let routing = match kind {
        RoutingKind::Dns => Routing::Dns(dns(f.dns)?),
        RoutingKind::Anycast => Routing::Anycast(anycast(f.anycast)),
        RoutingKind::Client => Routing::Client(client(f.client, names)?),
    };
    Ok(Failover {
        routing,
        promotion: f.promotion.map_or(Promotion::Automatic, |p| p.0),
        promotion_delay_us: f.promotion_delay.map_or(30 * US_PER_S, |d| d.us),
        fencing: f.fencing.unwrap_or(false),
        on_rejoin: f.on_rejoin.map_or(OnRejoin::Discard, |o| o.0),
        health_check: health_check(f.health_check, names)?,
    })
}

fn health_check(h: Option<HealthCheckDto>, names: &Names) -> Res<HealthCheck> {
    let h = h.unwrap_or(HealthCheckDto {
        interval: None,
        failure_threshold: None,
        timeout: None,
        checkers: None,
        unhealthy_share: None,
    });
    let interval_us = h.interval.map_or(30 * US_PER_S, |d| d.us);
    if interval_us == 0 {
        return Err(err(
            "failover.health_check.interval",
            "interval must be greater than 0, such as \"30s\"",
        ));
    }
    let failure_threshold = h.failure_threshold.map_or(3, |n| n.0);
    if !(1..=100).contains(&failure_threshold) {
        return Err(err(
            "failover.health_check.failure_threshold",
            format!("failure_threshold must be between 1 and 100; got {failure_threshold}"),
        ));
    }
    let timeout_us = h.timeout.map_or(4 * US_PER_S, |d| d.us);
    if timeout_us == 0 {
        return Err(err(
            "failover.health_check.timeout",
            "timeout must be greater than 0, such as \"4s\"",
        ));
    }
    let checkers = match h.checkers {
        Some(list) => {
            if list.is_empty() {
                return Err(err(
                    "failover.health_check.checkers",
                    "checkers must list at least one region (leave the key out to check from every other region)",
                ));
            }
            Some(names.resolve_list(&list, "failover.health_check.checkers")?)
        }
        None => None,
    };
    let unhealthy_share = h.unhealthy_share.map_or(0.5, |s| s.0);
    if !(0.0..1.0).contains(&unhealthy_share) {
        return Err(err(
            "failover.health_check.unhealthy_share",
            format!(
                "unhealthy_share must be at least 0 and less than 1 (a region is unhealthy when more than this share of checkers say so); got {unhealthy_share}"
            ),
        ));
    }
    Ok(HealthCheck {
        interval_us,
        // 1..=100, checked above.
        failure_threshold: failure_threshold as u32,
        timeout_us,
        checkers,
        unhealthy_share,
    })
}

fn dns(d: Option<DnsDto>) -> Res<Dns> {
    let d = d.unwrap_or(DnsDto {
        ttl: None,
        propagation: None,
        stale_fraction: None,
        stale_extra: None,
    });
    let stale_fraction = d.stale_fraction.map_or(0.0, |s| s.0);
    if !(0.0..=1.0).contains(&stale_fraction) {
        return Err(err(
            "failover.dns.stale_fraction",
            format!("stale_fraction must be between 0 and 1; got {stale_fraction}"),
        ));
    }
    Ok(Dns {
        ttl_us: d.ttl.map_or(60 * US_PER_S, |t| t.us),
        propagation_us: d.propagation.map_or(0, |t| t.us),
        stale_fraction,
        stale_extra_us: d.stale_extra.map_or(0, |t| t.us),
    })
}

fn anycast(a: Option<AnycastDto>) -> Anycast {
    Anycast {
        convergence: a
            .and_then(|a| a.convergence)
            .map_or(LatencyDist::Constant { us: 5 * US_PER_S }, |l| l.0),
    }
}

fn client(c: Option<ClientFailoverDto>, names: &Names) -> Res<ClientFailover> {
    let c = c.unwrap_or(ClientFailoverDto {
        endpoints: None,
        max_attempts: None,
        backoff: None,
    });
    let endpoints = match c.endpoints {
        Some(list) => {
            if list.is_empty() {
                return Err(err(
                    "failover.client.endpoints",
                    "endpoints must list at least one region (leave the key out for nearest first)",
                ));
            }
            Some(names.resolve_list(&list, "failover.client.endpoints")?)
        }
        None => None,
    };
    let max_attempts = c.max_attempts.map_or(3, |n| n.0);
    if !(1..=MAX_ATTEMPTS).contains(&max_attempts) {
        return Err(err(
            "failover.client.max_attempts",
            format!("max_attempts must be between 1 and {MAX_ATTEMPTS}; got {max_attempts}"),
        ));
    }
    Ok(ClientFailover {
        endpoints,
        // 1..=MAX_ATTEMPTS, checked above.
        max_attempts: max_attempts as u32,
        backoff: backoff(c.backoff)?,
    })
}

fn backoff(b: Option<BackoffDto>) -> Res<Backoff> {
    let b = b.unwrap_or(BackoffDto {
        base: None,
        cap: None,
        jitter: None,
    });
    let base_us = b.base.map_or(100 * US_PER_MS, |d| d.us);
    let cap_us = b.cap.map_or(2 * US_PER_S, |d| d.us);
    if cap_us < base_us {
        return Err(err(
            "failover.client.backoff.cap",
            format!(
                "cap ({}) must be at least base ({}), such as {{ base = \"100ms\", cap = \"2s\" }}",
                fmt_duration(cap_us),
                fmt_duration(base_us)
            ),
        ));
    }
    Ok(Backoff {
        base_us,
        cap_us,
        jitter: b.jitter.map_or(Jitter::Full, |j| j.0),
    })
}
