//! Where outcomes can change: the control-plane instants of a first run (fault
//! edges, health probes and the threshold-th probe, verdicts, the semi-sync
//! timeout after a fault, TTL expiries, promotion-delay ends), and the fault
//! times just before and after each.

use super::space::{Field, Point, Space};
use crate::metrics::{Happening, RunResult};
use crate::scenario::{ReplicationMode, Scenario};

/// How far before and after an instant a fault is placed (1 ms: well under
/// every interval of the control plane, well over one event's spacing).
pub const EPSILON_US: u64 = 1_000;

/// An instant of the first run where the outcome can change, with why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub at_us: u64,
    pub why: String,
}

/// The instants of `run` (a run of `s`), sorted by time, one per time.
pub fn instants(s: &Scenario, run: &RunResult) -> Vec<Instant> {
    let mut out = Vec::new();
    let mut push = |at: u64, why: String| out.push(Instant { at_us: at, why });
    let semi_sync = (s.replication.mode == ReplicationMode::SemiSync)
        .then_some(s.replication.semi_sync_timeout_us);
    let failover = s.failover.as_ref();
    let ttl = failover.and_then(|f| f.routing.dns()).map(|d| d.ttl_us);
    for f in &s.faults {
        push(f.at_us, "a fault starts".into());
        if f.end_us() != u64::MAX {
            push(f.end_us(), "a fault ends".into());
        }
        if let Some(t) = semi_sync {
            push(f.at_us + t, "semi-sync timeout after a fault starts".into());
        }
    }
    for e in &run.series.timeline {
        let at = e.at_us;
        let name = e.kind.as_str();
        push(at, format!("{name} event"));
        match &e.event {
            Happening::FirstFailedProbe { .. } => {
                if let Some(f) = failover {
                    let hc = &f.health_check;
                    let period = hc.interval_us + hc.timeout_us;
                    for k in 1..=u64::from(hc.failure_threshold) {
                        push(
                            at + k * period,
                            format!("probe {} after the first failed one", k),
                        );
                    }
                    for k in 1..=2u64 {
                        if let Some(t) = at.checked_sub(k * hc.interval_us) {
                            push(t, format!("healthy probe {k} before the first failed one"));
                        }
                    }
                }
            }
            Happening::Verdict { .. } | Happening::DnsAnswers { .. } => {
                if let Some(t) = ttl {
                    push(at + t, "a TTL expires after the answer changes".into());
                }
            }
            Happening::FailoverDecided { delay_us, .. } => {
                push(at + delay_us, "the promotion delay ends".into());
            }
            _ => {}
        }
    }
    out.retain(|i| i.at_us < s.end_us());
    out.sort();
    out.dedup_by(|a, b| a.at_us == b.at_us);
    out
}

/// Candidates that move one knob of `base` to just before or just after an
/// instant: a start at `t ± ε`, or a duration ending the fault at `t ± ε`.
/// Deduplicated, in knob order then time order.
pub fn candidates(
    s: &Scenario,
    space: &Space,
    base: &Point,
    instants: &[Instant],
) -> Vec<(Point, String)> {
    let mut out: Vec<(Point, String)> = Vec::new();
    let applied = space.apply(s, base);
    for (k, knob) in space.knobs.iter().enumerate() {
        let start = applied.faults.get(knob.fault).map_or(0, |f| f.at_us);
        for i in instants {
            for (t, side) in [
                (i.at_us.checked_sub(EPSILON_US), "just before"),
                (i.at_us.checked_add(EPSILON_US), "just after"),
            ] {
                let Some(t) = t else { continue };
                let (value, what) = match knob.field {
                    Field::At => (t, "starts"),
                    Field::Duration if t > start => (t - start, "ends"),
                    Field::Duration => continue,
                };
                if value < knob.lo_us || value > knob.hi_us {
                    continue;
                }
                let mut p = base.clone();
                if let Some(v) = p.values.get_mut(k) {
                    *v = value;
                }
                let p = space.normalize(s, p);
                if p == *base || out.iter().any(|(q, _)| *q == p) {
                    continue;
                }
                let why = format!(
                    "{}: fault {what} {side} {} ({})",
                    knob.path(),
                    crate::engine::time::fmt_duration(i.at_us),
                    i.why
                );
                out.push((p, why));
            }
        }
    }
    out
}

/// `n` of `items`, evenly spread (all of them when there are no more than `n`).
pub fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n)
        .filter_map(|j| items.get(j * items.len() / n).cloned())
        .collect()
}
