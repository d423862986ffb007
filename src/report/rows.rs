//! The rows shared by summary.md and report.html: headline figures, an
//! incident's figures and RTO breakdown, and the charts with their captions.

use super::{fmt_ms, secs_plain};
use crate::engine::time::fmt_secs;
use crate::metrics::{fmt_ratio, Incident, Metrics, Percentiles};

/// The four charts written beside this page: (file, caption).
pub const CHARTS: [(&str, &str); 4] = [
    (
        "timeline.svg",
        "Success rate per client region over time, fault windows shaded, failover steps marked",
    ),
    ("lag.svg", "Replication lag per replica over time"),
    (
        "latency.svg",
        "Write latency distribution (CDF) with p50, p95, p99 and max",
    ),
    (
        "rto.svg",
        "Each incident's RTO: detection, promotion, routing convergence, client retry tail",
    ),
];

/// The headline figures as (label, value) rows (summary.md and report.html).
pub fn figure_rows(m: &Metrics) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &str, v: String| rows.push((k.to_string(), v));
    row("RPO (worst incident)", fmt_secs(m.rpo_us));
    row("RTO max", opt_secs(m.rto_us, "not recovered"));
    row("RTO p50", opt_secs(m.rto_p50_us, "not recovered"));
    row("RTO p99", opt_secs(m.rto_p99_us, "not recovered"));
    row(
        "Service restored (after incident start)",
        opt_secs(m.service_restored_us, "never"),
    );
    row("Lost writes", m.lost_writes.to_string());
    row("Acknowledged writes", m.acknowledged_writes.to_string());
    row(
        "Failed writes",
        format!("{} of {} attempted", m.failed_writes, m.attempted_writes),
    );
    row("Availability (overall)", fmt_ratio(m.availability));
    for (region, a) in &m.availability_by_region {
        row(&format!("Availability, clients in {region}"), fmt_ratio(*a));
    }
    row(
        "Write latency p50 / p95 / p99 / max",
        percentiles(&m.write_latency_us),
    );
    if let Some(r) = &m.reads {
        row(
            "Reads (failed)",
            format!("{} ({} failed)", r.reads, r.failed_reads),
        );
        row(
            "Stale reads (share of answered reads)",
            format!("{} ({})", r.stale_reads, fmt_ratio(r.stale_read_ratio)),
        );
        row(
            "Read latency p50 / p95 / p99 / max",
            percentiles(&r.read_latency_us),
        );
    }
    for (replica, s) in &m.replication_lag_us {
        row(
            &format!("Replication lag to {replica} p50 / p99 / max"),
            format!("{} / {} / {}", fmt_ms(s.p50), fmt_ms(s.p99), fmt_ms(s.max)),
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
    row("Conflicts", m.conflicts.to_string());
    row(
        "LWW discarded (of which inversions)",
        format!("{} ({})", m.lww_discarded, m.lww_inversions),
    );
    row("Cross-region bytes", bytes(m.cross_region_bytes));
    for (link, b) in &m.cross_region_bytes_by_link {
        row(&format!("Cross-region bytes, {link}"), bytes(*b));
    }
    if let Some(cost) = m.transfer_cost {
        row("Cross-region transfer cost", format!("{cost:.2}"));
    }
    row("Residency violations", m.residency_violations.to_string());
    row("Events processed", m.events.to_string());
    rows
}

/// An incident's figures as (label, value) rows (summary.md and report.html).
pub fn incident_rows(inc: &Incident) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &str, v: String| rows.push((k.to_string(), v));
    row("Cause", inc.cause.clone());
    row("Start", fmt_secs(inc.start_us));
    row(
        "End",
        opt_secs(inc.end_us, "never (the fault lasted to the end of the run)"),
    );
    row("RPO", fmt_secs(inc.rpo_us));
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
        "Service restored (after start)",
        opt_secs(inc.service_restored_us, "never"),
    );
    row("Lost writes", inc.lost_writes.to_string());
    row(
        "Affected clients",
        format!(
            "{} ({} never recovered)",
            inc.affected_clients, inc.unrecovered_clients
        ),
    );
    if let Some(note) = &inc.note {
        row("Note", note.clone());
    }
    for e in &inc.estimates {
        row(
            &format!("Estimate: {}", super::timeline::bound_text(&e.what)),
            format!("{} (analytic estimate, not measured)", fmt_secs(e.value_us)),
        );
    }
    rows
}

/// The RTO breakdown as [phase, from (s), to (s), duration] rows, times since
/// the start of the run, ending with the total; empty without an RTO.
pub fn breakdown_rows(inc: &Incident) -> Vec<[String; 4]> {
    let Some(b) = inc.rto_breakdown else {
        return Vec::new();
    };
    let phases = [
        ("Detection (health checks)", b.detection_us),
        ("Promotion", b.promotion_us),
        ("Routing convergence", b.routing_us),
        ("Client retry tail", b.client_tail_us),
    ];
    let mut at = inc.start_us;
    let mut rows: Vec<[String; 4]> = phases
        .iter()
        .map(|&(phase, d)| {
            let from = at;
            at = at.saturating_add(d);
            [
                phase.to_string(),
                secs_plain(from),
                secs_plain(at),
                fmt_secs(d),
            ]
        })
        .collect();
    rows.push([
        "RTO (total)".to_string(),
        secs_plain(inc.start_us),
        secs_plain(at),
        fmt_secs(at - inc.start_us),
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
                format!("{:.5}", r.availability),
                r.lost_writes.to_string(),
                fmt_secs(r.rpo_us),
                opt_secs(r.rto_us, "not recovered"),
            ]
        })
        .collect()
}

/// `p50 / p95 / p99 / max` in milliseconds.
fn percentiles(l: &Percentiles) -> String {
    format!(
        "{} / {} / {} / {}",
        fmt_ms(l.p50),
        fmt_ms(l.p95),
        fmt_ms(l.p99),
        fmt_ms(l.max)
    )
}

fn opt_secs(us: Option<u64>, none: &str) -> String {
    us.map_or_else(|| none.to_string(), fmt_secs)
}

/// Bytes, with a decimal-unit reading: `1843200000 (1.84 GB)`.
fn bytes(b: u64) -> String {
    const UNITS: [(f64, &str); 4] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")];
    for (size, unit) in UNITS {
        if b as f64 >= size {
            return format!("{b} ({:.2} {unit})", b as f64 / size);
        }
    }
    format!("{b} B")
}
