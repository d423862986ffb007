//! Per incident RTO figures from the restoration records: `rto`, its
//! percentiles over affected clients, `rto_observed` beside it, and the
//! critical path of the slowest client ("Where the RTO went", metrics.md).

use super::restore::{Affected, PROBE_US};
use super::result::{Phase, RtoBreakdown, RtoSegment, TimelineEntry};

/// What one incident's restoration records give.
#[derive(Clone, Debug, Default)]
pub struct RtoFigures {
    pub rto_us: Option<u64>,
    pub p50_us: Option<u64>,
    pub p99_us: Option<u64>,
    /// Measured at the acknowledgements (client-side monitor), over the
    /// affected clients that issued an unimpaired request afterwards.
    pub observed_us: Option<u64>,
    /// Mean gap between requests over the affected clients (bounds the
    /// observed figure's sampling error).
    pub mean_gap_us: u64,
    pub affected: u64,
    /// Clients whose route was never fixed before the end.
    pub unrecovered: u64,
    /// Restored clients that issued no request after restoration.
    pub silent: u64,
    pub breakdown: Option<RtoBreakdown>,
    pub path: Vec<RtoSegment>,
}

/// How the clients route (the breakdown names phases after it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoutingKind {
    #[default]
    Dns,
    Anycast,
    /// A client library with endpoints, timeouts and retries.
    ClientSide,
}

pub fn figures(
    start: u64,
    affected: &[Affected],
    mean_gap_us: &[u64],
    timeline: &[TimelineEntry],
    routing: RoutingKind,
) -> RtoFigures {
    let mut rtos: Vec<Option<u64>> = affected
        .iter()
        .map(|a| a.restored(start).map(|r| r - start))
        .collect();
    rtos.sort_by_key(|r| (r.is_none(), r.unwrap_or(0)));
    let rank = |p| rank(&rtos, p);
    let unrecovered = rtos.iter().filter(|r| r.is_none()).count() as u64;
    let silent = affected
        .iter()
        .filter(|a| a.restored(start).is_some() && a.observed.is_none())
        .count() as u64;
    let observed_us = Some(
        affected
            .iter()
            .filter_map(|a| a.observed)
            .map(|o| o.saturating_sub(start))
            .max()
            .unwrap_or(0),
    );
    let gaps: Vec<u64> = affected
        .iter()
        .map(|a| mean_gap_us.get(a.client as usize).copied().unwrap_or(0))
        .collect();
    let mean_gap_us = if gaps.is_empty() {
        0
    } else {
        gaps.iter().sum::<u64>() / gaps.len() as u64
    };
    let rto_us = rank(100);
    // The slowest client (the lowest id among equals): its critical path.
    let slowest = rto_us.and_then(|r| {
        affected
            .iter()
            .filter(|a| a.restored(start) == Some(start + r))
            .min_by_key(|a| a.client)
    });
    let (breakdown, path) = match (rto_us, slowest) {
        (Some(0), _) | (None, _) => (rto_us.map(|_| RtoBreakdown::default()), Vec::new()),
        (Some(_), Some(a)) => {
            let path = critical_path(start, a, timeline, routing);
            (Some(RtoBreakdown::from_path(&path)), path)
        }
        (Some(_), None) => (Some(RtoBreakdown::default()), Vec::new()),
    };
    RtoFigures {
        rto_us,
        p50_us: rank(50),
        p99_us: rank(99),
        observed_us,
        mean_gap_us,
        affected: affected.len() as u64,
        unrecovered,
        silent,
        breakdown,
        path,
    }
}

/// Nearest-rank percentile over recovery durations; `None` = never recovered
/// (sorted last), so a rank that lands on one is unbounded; 0 when empty.
fn rank(sorted: &[Option<u64>], pct: u32) -> Option<u64> {
    super::percentile::percentile_of(sorted, pct).unwrap_or(Some(0))
}

/// The typed event at or just before `at` (within one probe interval, since
/// probes date a change to the first probe after it) that `pick` accepts.
fn event_near(
    timeline: &[TimelineEntry],
    at: u64,
    pick: impl Fn(&TimelineEntry) -> bool,
) -> Option<&TimelineEntry> {
    timeline
        .iter()
        .filter(|e| e.at_us <= at && e.at_us + PROBE_US > at && pick(e))
        .last()
}

/// The critical path of client `a`: consecutive segments from the incident
/// start to its restoration, each charged to the phase still blocking it.
pub fn critical_path(
    start: u64,
    a: &Affected,
    timeline: &[TimelineEntry],
    routing: RoutingKind,
) -> Vec<RtoSegment> {
    let Some(end) = a.restored(start) else {
        return Vec::new();
    };
    let clamp = |t: u64| t.clamp(start, end);
    // The decision that acted on the fault: the client's own first failed
    // attempt (client-side), else the verdict the control plane acted on.
    let acted_on = |t: u64| {
        timeline
            .iter()
            .any(|e| e.at_us == t && e.event.acts_on_verdict())
    };
    let verdict = timeline
        .iter()
        .find(|e| e.event.is_unhealthy_verdict() && e.at_us <= end && acted_on(e.at_us));
    let writer = clamp(a.route.accepts_since);
    let routed = clamp(a.route.route_since);
    let path_ok = clamp(a.route.path_since);
    let takeover =
        event_near(timeline, writer, |e| e.event.is_takeover()).filter(|_| writer > start);
    // Client-side routing acts on the client's own first failed attempt,
    // unless its new endpoint first had to be promoted (on a verdict).
    let decided = match (routing, takeover) {
        (RoutingKind::ClientSide, None) => a.first_failed_attempt.map(clamp),
        _ => verdict.map(|e| clamp(e.at_us)),
    };
    let verdict = verdict.filter(|e| decided == Some(clamp(e.at_us)));
    // Waiting for the writer is a promotion when one took over then;
    // otherwise the fault itself had to end (a recovery, a heal).
    let writer_phase = if takeover.is_some() {
        Phase::Promotion
    } else {
        Phase::Outage
    };
    let route_phase = match routing {
        RoutingKind::ClientSide => Phase::ClientTail,
        _ => Phase::Routing,
    };
    let mut cuts = vec![start, end, writer, routed, path_ok];
    cuts.extend(decided);
    cuts.sort_unstable();
    cuts.dedup();
    let phase_at = |x: u64| -> Phase {
        if decided.is_some_and(|d| x < d) {
            return Phase::Detection;
        }
        let (w, r, p) = (x < writer, x < routed, x < path_ok);
        match (w, r) {
            (true, true) if writer_phase == Phase::Promotion && route_phase == Phase::Routing => {
                Phase::Overlapped
            }
            (true, _) => writer_phase,
            (false, true) => route_phase,
            (false, false) if p => Phase::Outage,
            (false, false) => Phase::ClientTail,
        }
    };
    let mut out: Vec<RtoSegment> = Vec::new();
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        let phase = phase_at(from);
        match out.last_mut() {
            Some(s) if s.phase == phase => s.to_us = to,
            _ => out.push(RtoSegment {
                phase,
                from_us: from,
                to_us: to,
                ended_by: None,
            }),
        }
    }
    // Name each segment after the typed event that ended it.
    for s in &mut out {
        let at = s.to_us;
        let e = match s.phase {
            Phase::Detection => verdict,
            Phase::Promotion | Phase::Overlapped => takeover,
            // The client's own cache expiry or route change is no event.
            Phase::Routing => None,
            Phase::Outage => event_near(timeline, at, |e| {
                matches!(e.kind, super::Kind::Recovery) || e.event.is_takeover()
            }),
            Phase::ClientTail => None,
        };
        s.ended_by = e.map(|e| e.event.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_treats_unrecovered_as_unbounded() {
        let v = vec![Some(1), Some(2), Some(3), None];
        assert_eq!(rank(&v, 50), Some(2));
        assert_eq!(rank(&v, 99), None);
        assert_eq!(rank(&[], 99), Some(0));
    }
}
