//! Limits of a run (events, simulated time, in-flight state, key copies) and
//! the up-front estimate that refuses a scenario before it runs, naming the
//! fields that drive the figure. `simulate` and `regionsim validate` both call
//! [`preflight`], so a scenario that validates is never refused up front later.
//! Reads the scenario only (and the link samplers' medians).

use super::links::Sampler;
use super::SimError;
use crate::engine::time::fmt_duration;
use crate::scenario::{Routing, Scenario, Topology};
use std::sync::atomic::AtomicU64;

/// Limits that keep a run bounded in events, simulated time and memory.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max_events: u64,
    pub max_sim_us: u64,
    /// Keys x regions that hold data.
    pub max_key_copies: u64,
    /// Requests in flight at once (estimated up front).
    pub max_live_requests: u64,
    /// Events pending in the queue at once (messages, timeouts, requests in
    /// flight), checked while the run goes: a hard memory bound.
    pub max_queued_events: u64,
    /// Where the run publishes its simulated time (µs) every 65,536 events,
    /// for a progress bar; written only, never read by the model.
    pub progress_us: Option<&'static AtomicU64>,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_events: 20_000_000_000,
            max_sim_us: 30 * 24 * 3600 * 1_000_000,
            max_key_copies: 400_000_000,
            max_live_requests: 5_000_000,
            max_queued_events: 16_000_000,
            progress_us: None,
        }
    }
}

/// Every bound that can be checked from the scenario alone, before running.
pub fn preflight(s: &Scenario, b: &Bounds) -> Result<(), SimError> {
    let end = s.end_us();
    if end > b.max_sim_us {
        return Err(SimError::Bound(format!(
            "duration + drain = {} exceeds the bound of {} of simulated time",
            fmt_duration(end),
            fmt_duration(b.max_sim_us)
        )));
    }
    key_copies(s, b)?;
    live_requests(s, b)?;
    events(s, b)
}

fn key_copies(s: &Scenario, b: &Bounds) -> Result<(), SimError> {
    let keys = u64::from(s.workload.keys);
    let holders = s.replication.replicas.len() as u64 + 1;
    // With reads every copy also keeps versions, and each key its newest acknowledged write.
    let (copies, what) = if s.workload.reads_per_sec > 0.0 {
        let c = keys * (2 * holders + 2);
        (
            c,
            "workload.keys x (2 x regions holding data + 2) (reads track versions)",
        )
    } else {
        (keys * holders, "workload.keys x regions holding data")
    };
    // Multi-primary and home-region keep per region and key a version and
    // two version vectors of one entry per region.
    let (copies, what) = if s.replication.topology == Topology::SinglePrimary {
        (copies, what)
    } else {
        let n = s.regions.len() as u64;
        (
            copies.max(keys * n * (1 + 2 * n)),
            "workload.keys x regions x (1 + 2 x regions) (multi-primary version vectors)",
        )
    };
    if copies > b.max_key_copies {
        return Err(SimError::Bound(format!(
            "{what} = {copies} exceeds the bound of {} (memory); lower workload.keys",
            b.max_key_copies
        )));
    }
    Ok(())
}

/// How long a write stays in flight at most: its timeout, or with client-side
/// routing every attempt's timeout and the backoff between them.
fn window_us(s: &Scenario) -> (u64, &'static str) {
    let timeout = s.workload.request_timeout_us;
    match s.failover.as_ref().map(|f| &f.routing) {
        Some(Routing::Client(c)) => {
            let a = u64::from(c.max_attempts.max(1));
            let span = a
                .saturating_mul(timeout)
                .saturating_add((a - 1).saturating_mul(c.backoff.cap_us));
            (
                span,
                "workload.request_timeout x failover.client.max_attempts (+ backoff.cap)",
            )
        }
        _ => (timeout, "workload.request_timeout"),
    }
}

/// Worst case of requests in flight: a region dark from the start leaves every
/// write outstanding for its whole window.
fn live_requests(s: &Scenario, b: &Bounds) -> Result<(), SimError> {
    let (window, what) = window_us(s);
    let span = window.min(s.duration_us) as f64 / 1e6;
    let live = s.workload.writes_per_sec * span;
    if live > b.max_live_requests as f64 {
        return Err(SimError::Bound(format!(
            "workload.writes_per_sec ({}) x {what} ({}) = {live:.0} requests in flight at worst (a region dark from the start); the bound is {} (in-flight state); lower workload.writes_per_sec or {what}",
            s.workload.writes_per_sec,
            fmt_duration(window),
            b.max_live_requests
        )));
    }
    Ok(())
}

/// The message of a run stopped by the bound on events pending at once.
pub fn queue_message(n: u64) -> String {
    format!(
        "more than {n} requests, messages and timeouts were in flight at once; the bound is {n} (in-flight state); lower workload.writes_per_sec, workload.request_timeout or failover.client.max_attempts"
    )
}

/// Probe loops (checker, target) and the events they make per simulated
/// second: a probe and its answer per cycle, a cycle being the interval plus
/// the round trip (zero when a region checks itself).
fn probe_events_per_sec(s: &Scenario) -> (u64, f64) {
    let Some(f) = &s.failover else {
        return (0, 0.0);
    };
    let hc = &f.health_check;
    let n = s.regions.len();
    let targets: Vec<usize> = match (s.replication.topology, s.replication.primary) {
        (Topology::SinglePrimary, Some(p)) => std::iter::once(p)
            .chain(s.replication.replicas.iter().copied())
            .collect(),
        _ => (0..n).collect(),
    };
    let mut loops = 0;
    let mut rate = 0.0;
    for &t in &targets {
        let checkers: Vec<usize> = match &hc.checkers {
            Some(c) => c.clone(),
            None => (0..n).filter(|&r| r != t).collect(),
        };
        for c in checkers {
            let rtt = s
                .link_between(c, t)
                .filter(|_| c != t)
                .map_or(0, |l| 2 * Sampler::median(&l.latency));
            loops += 1;
            rate += 2e6 / hc.interval_us.saturating_add(rtt).max(1) as f64;
        }
    }
    (loops, rate)
}

/// Events of the whole run, estimated from rates; refused above the bound.
fn events(s: &Scenario, b: &Bounds) -> Result<(), SimError> {
    let fan_out = match s.replication.topology {
        Topology::SinglePrimary => s.replication.replicas.len() as f64,
        _ => s.regions.len().saturating_sub(1) as f64,
    };
    let w = &s.workload;
    // A write: issue, commit, settle, and one apply per follower; a read: issue, answer.
    let per_sec_requests = w.writes_per_sec * (3.0 + fan_out) + w.reads_per_sec * 2.0;
    let (loops, per_sec_probes) = probe_events_per_sec(s);
    let total =
        per_sec_requests * s.duration_us as f64 / 1e6 + per_sec_probes * s.end_us() as f64 / 1e6;
    if total <= b.max_events as f64 {
        return Ok(());
    }
    let mut causes = Vec::new();
    if per_sec_probes > 0.0 {
        let interval = s
            .failover
            .as_ref()
            .map_or(0, |f| f.health_check.interval_us);
        causes.push((
            per_sec_probes,
            format!(
                "{per_sec_probes:.0}/s from health checks (failover.health_check.interval = {} over {loops} checker-target pairs)",
                fmt_duration(interval)
            ),
        ));
    }
    if per_sec_requests > 0.0 {
        causes.push((
            per_sec_requests,
            format!(
                "{per_sec_requests:.0}/s from requests (workload.writes_per_sec x (3 + {fan_out} replicas) + workload.reads_per_sec x 2)"
            ),
        ));
    }
    causes.sort_by(|a, b| b.0.total_cmp(&a.0));
    let causes: Vec<String> = causes.into_iter().map(|(_, c)| c).collect();
    Err(SimError::Bound(format!(
        "the run would take about {total:.3e} events ({}) over duration + drain = {}; the bound is {} events; lengthen failover.health_check.interval, lower the rates, or shorten duration",
        causes.join(" + "),
        fmt_duration(s.end_us()),
        b.max_events
    )))
}

#[cfg(test)]
#[path = "bounds_tests.rs"]
mod tests;
