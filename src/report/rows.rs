//! The rows shared by summary.md and report.html: headline figures, an
//! incident's figures and RTO breakdown, and the charts with their captions.

use super::secs_plain;
use crate::metrics::{
    human_bytes, human_count, human_duration, human_money, human_share, BudgetOutcome, Incident,
    Metrics, Percentiles, Phase, RtoSegment,
};

/// The charts that may be written beside this page, in page order: (file,
/// caption). `reads.svg` and `ranges.svg` only exist for runs with reads or
/// residency rules.
pub const CHARTS: [(&str, &str); 6] = [
    (
        "timeline.svg",
        "Success rate per client region over time, fault windows shaded, failover and semi-sync steps marked",
    ),
    (
        "lag.svg",
        "Replication lag per replica over time, growing (dashed) while nothing reaches a replica",
    ),
    (
        "reads.svg",
        "Share of answered reads that were stale, per client region over time",
    ),
    (
        "ranges.svg",
        "Availability, lost writes, RPO and RTO per residency range",
    ),
    (
        "latency.svg",
        "Write latency distribution (CDF) with p50, p95, p99 and max",
    ),
    (
        "rto.svg",
        "Each incident's RTO along the slowest client's critical path: detection, then promotion and routing (overlapped where both blocked), outage, client tail",
    ),
];

/// The headline figures as (label, value) rows (summary.md and report.html).
pub fn figure_rows(m: &Metrics) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &str, v: String| rows.push((k.to_string(), v));
    row("RPO (worst incident)", human_duration(m.rpo_us));
    row("RTO max", opt_secs(m.rto_us, "not recovered"));
    row("RTO p50", opt_secs(m.rto_p50_us, "not recovered"));
    row("RTO p99", opt_secs(m.rto_p99_us, "not recovered"));
    row(
        "Service restored (after incident start)",
        opt_secs(m.service_restored_us, "never"),
    );
    row("Lost writes", human_count(m.lost_writes));
    row("Acknowledged writes", human_count(m.acknowledged_writes));
    row(
        "Failed writes",
        format!(
            "{} of {} attempted",
            human_count(m.failed_writes),
            human_count(m.attempted_writes)
        ),
    );
    row("Availability (overall)", human_share(m.availability));
    for (region, a) in &m.availability_by_region {
        row(
            &format!("Availability, clients in {region}"),
            human_share(*a),
        );
    }
    row(
        "Write latency p50 / p95 / p99 / max",
        percentiles(&m.write_latency_us),
    );
    if let Some(r) = &m.reads {
        row(
            "Reads (failed)",
            format!(
                "{} ({} failed)",
                human_count(r.reads),
                human_count(r.failed_reads)
            ),
        );
        row(
            "Stale reads (share of answered reads)",
            format!(
                "{} ({})",
                human_count(r.stale_reads),
                human_share(r.stale_read_ratio)
            ),
        );
        row(
            "Read latency p50 / p95 / p99 / max",
            percentiles(&r.read_latency_us),
        );
    }
    for (replica, s) in &m.replication_lag_us {
        row(
            &format!("Replication lag to {replica} p50 / p99 / max"),
            format!(
                "{} / {} / {}",
                human_duration(s.p50),
                human_duration(s.p99),
                human_duration(s.max)
            ),
        );
    }
    row(
        "Converged after drain",
        if m.converged {
            format!("yes ({} divergent keys)", m.divergent_keys)
        } else {
            format!("no: {} divergent keys", m.divergent_keys)
        },
    );
    row("Conflicts", human_count(m.conflicts));
    row(
        "LWW discarded (of which inversions)",
        format!(
            "{} ({})",
            human_count(m.lww_discarded),
            human_count(m.lww_inversions)
        ),
    );
    if m.semi_sync_fallbacks > 0 {
        row(
            "Semi-sync fell back to async",
            format!(
                "{} time{}, async for {} in all",
                human_count(m.semi_sync_fallbacks),
                if m.semi_sync_fallbacks == 1 { "" } else { "s" },
                human_duration(m.semi_sync_degraded_us)
            ),
        );
    }
    row("Cross-region bytes", bytes(m.cross_region_bytes));
    for (link, b) in &m.cross_region_bytes_by_link {
        row(&format!("Cross-region bytes, {link}"), bytes(*b));
    }
    if let Some(cost) = m.transfer_cost {
        row("Cross-region transfer cost", human_money(cost));
    }
    row("Residency violations", human_count(m.residency_violations));
    row("Events processed", human_count(m.events));
    rows
}

/// An incident's figures as (label, value) rows (summary.md and report.html).
pub fn incident_rows(inc: &Incident) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &str, v: String| rows.push((k.to_string(), v));
    row("Cause", inc.cause.clone());
    row("Start", crate::metrics::fmt_timestamp(inc.start_us));
    row(
        "End",
        inc.end_us.map_or_else(
            || "never (the fault lasted to the end of the run)".to_string(),
            crate::metrics::fmt_timestamp,
        ),
    );
    row("RPO", human_duration(inc.rpo_us));
    row(
        "RTO max / p50 / p99",
        format!(
            "{} / {} / {}",
            opt_secs(inc.rto_us, "not recovered"),
            opt_secs(inc.rto_p50_us, "not recovered"),
            opt_secs(inc.rto_p99_us, "not recovered")
        ),
    );
    row(
        "RTO observed (client-monitor view)",
        format!(
            "{} (mean gap between a client's requests {}: the sampling error)",
            opt_secs(inc.rto_observed_us, "no request after restoration"),
            human_duration(inc.mean_request_gap_us)
        ),
    );
    row(
        "Service restored (after start)",
        opt_secs(inc.service_restored_us, "never"),
    );
    if inc.split_brain_us > 0 || inc.split_brain_writes > 0 {
        row(
            "Split brain",
            format!(
                "{}{}; {} acknowledged writes taken by a deposed writer",
                human_duration(inc.split_brain_us),
                if inc.split_brain_unresolved {
                    " (unresolved at the end of the run)"
                } else {
                    ""
                },
                human_count(inc.split_brain_writes)
            ),
        );
    }
    if inc.orphaned_writes > 0 {
        row(
            "Orphaned writes",
            format!(
                "{} acknowledged, {} in the final state",
                human_count(inc.orphaned_writes),
                human_count(inc.orphans_surviving)
            ),
        );
    }
    row("Lost writes", human_count(inc.lost_writes));
    row(
        "Affected clients",
        format!(
            "{} ({} never restored, {} restored but silent afterwards)",
            inc.affected_clients, inc.unrecovered_clients, inc.silent_clients
        ),
    );
    if let Some(note) = &inc.note {
        row("Note", note.clone());
    }
    for e in &inc.estimates {
        row(
            &format!("Estimate: {}", super::timeline::bound_text(&e.what)),
            format!(
                "{} (analytic estimate, not measured)",
                human_duration(e.value_us)
            ),
        );
    }
    rows
}

/// A critical-path phase in words (summary.md, report.html, rto.svg).
pub fn phase_label(p: Phase) -> &'static str {
    match p {
        Phase::Detection => "Detection",
        Phase::Promotion => "Promotion",
        Phase::Routing => "Routing (DNS answer and cache, anycast)",
        Phase::Overlapped => "Promotion and routing, overlapped",
        Phase::Outage => "Outage (waiting for the fault to end)",
        Phase::ClientTail => "Client tail",
    }
}

/// One segment of the critical path in words: its phase, and what ended it
/// (a typed event of the timeline; client-side detection ends at the
/// client's first failed attempt).
pub fn segment_label(seg: &RtoSegment) -> String {
    let phase = phase_label(seg.phase);
    match (&seg.ended_by, seg.phase) {
        (Some(e), _) => format!("{phase}: until {}", super::timeline::text(e)),
        (None, Phase::Detection) => format!("{phase}: until the client's first failed attempt"),
        (None, Phase::ClientTail) => {
            format!("{phase}: backoff, retry and reply, or a request impaired after the route was fixed")
        }
        (None, Phase::Routing) => format!("{phase}: until the client's own route moved"),
        _ => phase.to_string(),
    }
}

/// The RTO breakdown as [phase, from (s), to (s), duration] rows: the
/// slowest client's critical path, segment by segment (times since the start
/// of the run), ending with the total; empty without an RTO to split.
pub fn breakdown_rows(inc: &Incident) -> Vec<[String; 4]> {
    let (Some(_), Some(rto)) = (inc.rto_breakdown, inc.rto_us) else {
        return Vec::new();
    };
    if inc.rto_path.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<[String; 4]> = inc
        .rto_path
        .iter()
        .map(|seg| {
            [
                segment_label(seg),
                secs_plain(seg.from_us),
                secs_plain(seg.to_us),
                human_duration(seg.to_us - seg.from_us),
            ]
        })
        .collect();
    rows.push([
        "RTO (total: the slowest client)".to_string(),
        secs_plain(inc.start_us),
        secs_plain(inc.start_us + rto),
        human_duration(rto),
    ]);
    rows
}

/// Column names of the per-residency-range table.
pub const RANGE_HEADER: [&str; 7] = [
    "Keys",
    "Jurisdiction",
    "May live in",
    "Availability",
    "Lost",
    "RPO",
    "RTO",
];

/// One row per residency range (then the unpinned rest); empty without rules.
pub fn range_rows(m: &Metrics) -> Vec<[String; 7]> {
    m.residency
        .iter()
        .map(|r| {
            [
                r.keys.clone(),
                r.jurisdiction
                    .clone()
                    .unwrap_or_else(|| "(unpinned)".into()),
                r.regions.join(", "),
                human_share(r.availability),
                human_count(r.lost_writes),
                human_duration(r.rpo_us),
                opt_secs(r.rto_us, "not recovered"),
            ]
        })
        .collect()
}

/// `p50 / p95 / p99 / max`, each scaled for people.
fn percentiles(l: &Percentiles) -> String {
    format!(
        "{} / {} / {} / {}",
        human_duration(l.p50),
        human_duration(l.p95),
        human_duration(l.p99),
        human_duration(l.max)
    )
}

/// A duration that may be unbounded, for people.
fn opt_secs(us: Option<u64>, none: &str) -> String {
    us.map_or_else(|| none.to_string(), human_duration)
}

/// Bytes, exact and in decimal units: `1,843,200,000 (1.84 GB)`.
fn bytes(b: u64) -> String {
    if b < 1000 {
        return human_bytes(b);
    }
    format!("{} ({})", human_count(b), human_bytes(b))
}

/// A budget's limit and actual figure for people, with the same formatter as
/// the headline figures (from the metric catalogue): `("2m", "1m 39.6s")`,
/// `("80.00%", "90.62%")`, `("40,000", "36,376")`.
pub fn budget_cells(b: &BudgetOutcome) -> (String, String) {
    match crate::metrics::metric(&b.metric) {
        Some(m) => (m.cell(b.limit_value), m.cell(b.actual_value)),
        None => (b.limit.clone(), b.actual.clone()),
    }
}

/// `<=` for a ceiling, `>=` for a floor.
pub fn budget_op(b: &BudgetOutcome) -> &'static str {
    match crate::metrics::metric(&b.metric) {
        Some(m) if m.is_floor() => ">=",
        _ => "<=",
    }
}
