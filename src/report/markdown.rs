//! summary.md: the design-review page of one run (figures, budgets, incidents).

use super::{fmt_ms, secs_plain};
use crate::engine::time::fmt_secs;
use crate::metrics::{fmt_ratio, Incident, Metrics, Report, RunResult};
use std::fmt::Write;

/// Appends one formatted line to a `String` (writing to a `String` cannot fail).
macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// The design-review page: headline figures, budgets, one section per
/// incident with its timeline, and the list of the run's other files.
/// Times are virtual seconds since the start, with millisecond precision.
pub fn summary_md(result: &RunResult) -> String {
    let r = &result.report;
    let mut out = String::new();
    header(&mut out, r);
    figures(&mut out, &r.metrics);
    budgets(&mut out, r);
    incidents(&mut out, &r.incidents);
    charts(&mut out);
    files(&mut out, result);
    out
}

fn header(out: &mut String, r: &Report) {
    let short: String = r.scenario_sha256.chars().take(12).collect();
    line!(
        out,
        "# {} — seed {} — sha256 {}",
        inline(&r.scenario),
        r.seed,
        short
    );
    line!(out);
    line!(
        out,
        "Scenario `{}` run with seed {} by regionsim {}. Scenario file SHA-256: `{}`.",
        inline(&r.scenario),
        r.seed,
        inline(&r.regionsim_version),
        inline(&r.scenario_sha256)
    );
    line!(
        out,
        "Simulated {} of traffic then {} of drain. All times are virtual seconds \
         since the start of the run; every figure is measured from the simulated \
         history unless labelled *estimate*.",
        fmt_secs(r.duration_us),
        fmt_secs(r.drain_us)
    );
    line!(out);
    let breached = r.budgets.iter().filter(|b| !b.ok).count();
    if r.budgets.is_empty() {
        line!(out, "**Budgets:** none declared.");
    } else if breached == 0 {
        line!(out, "**Budgets:** all {} held ✅", r.budgets.len());
    } else {
        line!(
            out,
            "**Budgets:** {} of {} breached ❌",
            breached,
            r.budgets.len()
        );
    }
    line!(out);
}

fn figures(out: &mut String, m: &Metrics) {
    line!(out, "## Headline figures");
    line!(out);
    line!(out, "| Figure | Value |");
    line!(out, "|---|---|");
    let mut row = |k: &str, v: String| line!(out, "| {} | {} |", cell(k), cell(&v));
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
    let l = &m.write_latency_us;
    row(
        "Write latency p50 / p95 / p99 / max",
        format!(
            "{} / {} / {} / {}",
            fmt_ms(l.p50),
            fmt_ms(l.p95),
            fmt_ms(l.p99),
            fmt_ms(l.max)
        ),
    );
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
    line!(out);
}

fn budgets(out: &mut String, r: &Report) {
    line!(out, "## Budgets");
    line!(out);
    if r.budgets.is_empty() {
        line!(out, "The scenario declares no `[budgets]`.");
        line!(out);
        return;
    }
    line!(out, "| Metric | Limit | Actual | OK |");
    line!(out, "|---|---:|---:|:-:|");
    for b in &r.budgets {
        line!(
            out,
            "| {} | {} | {} | {} |",
            cell(&b.metric),
            cell(&b.limit),
            cell(&b.actual),
            if b.ok { "✅" } else { "❌" }
        );
    }
    line!(out);
    line!(
        out,
        "Each budget is a ceiling except `availability`, which is a floor."
    );
    line!(out);
}

fn incidents(out: &mut String, incidents: &[Incident]) {
    line!(out, "## Incidents");
    line!(out);
    if incidents.is_empty() {
        line!(
            out,
            "No incidents: no fault left a region unable to serve or replicate."
        );
        line!(out);
        return;
    }
    for (i, inc) in incidents.iter().enumerate() {
        incident(out, i + 1, inc);
    }
}

fn incident(out: &mut String, n: usize, inc: &Incident) {
    line!(out, "### Incident {}: {}", n, inline(&inc.cause));
    line!(out);
    line!(out, "| | |");
    line!(out, "|---|---|");
    let mut row = |k: &str, v: String| line!(out, "| {} | {} |", cell(k), cell(&v));
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
            &format!("Estimate: {}", e.what),
            format!("{} (analytic estimate, not measured)", fmt_secs(e.value_us)),
        );
    }
    line!(out);
    if inc.timeline.is_empty() {
        line!(out, "No timeline entries.");
        line!(out);
        return;
    }
    line!(out, "| Time (s) | Event |");
    line!(out, "|---:|---|");
    for t in &inc.timeline {
        line!(out, "| {} | {} |", secs_plain(t.at_us), cell(&t.what));
    }
    line!(out);
}

/// CHARTS GO HERE: timeline.svg, lag.svg, latency.svg and rto.svg are not drawn
/// yet. When they are, replace this section with links/images to them.
fn charts(out: &mut String) {
    line!(out, "## Charts");
    line!(out);
    line!(
        out,
        "<!-- regionsim: charts (timeline.svg, lag.svg, latency.svg, rto.svg) will be linked here -->"
    );
    line!(out, "*Charts are not drawn by this version of regionsim.*");
    line!(out);
}

fn files(out: &mut String, result: &RunResult) {
    line!(out, "## Files");
    line!(out);
    line!(
        out,
        "- [report.json](report.json): every figure on this page, machine-readable"
    );
    let n = result.lost_writes.len();
    line!(
        out,
        "- [lost_writes.csv](lost_writes.csv): the {n} lost write{} (id, key, region, commit time, incident)",
        if n == 1 { "" } else { "s" }
    );
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

/// Text made safe for a table cell: no pipes or line breaks.
fn cell(s: &str) -> String {
    inline(s).replace('|', "\\|")
}

/// Text made safe for one line (headings, sentences).
fn inline(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn has_every_section() {
        let md = summary_md(&sample());
        assert!(md.starts_with("# ap-async-dns — seed 42 — sha256 0123456789ab\n"));
        for s in [
            "## Headline figures",
            "## Budgets",
            "## Incidents",
            "### Incident 1: region-outage us-east-1",
            "## Charts",
            "## Files",
            "[report.json](report.json)",
            "[lost_writes.csv](lost_writes.csv): the 2 lost writes (",
        ] {
            assert!(md.contains(s), "missing {s}");
        }
    }

    #[test]
    fn figures_and_budgets() {
        let md = summary_md(&sample());
        assert!(md.contains("| RPO (worst incident) | 0.050s |"));
        assert!(md.contains("| RTO max | 89.500s |"));
        assert!(md.contains("| Availability, clients in us-east-1 | 0.9974 |"));
        assert!(md.contains("| 3.000ms / 3.100ms / 3.200ms / 9.000ms |"));
        assert!(md.contains("| Replication lag to eu-west-1 p50 / p99 / max |"));
        assert!(md.contains("| Cross-region bytes | 1843200000 (1.84 GB) |"));
        assert!(md.contains("| Cross-region transfer cost | 36.86 |"));
        assert!(md.contains("| rto | 2m | 89.5s | ✅ |"));
        assert!(md.contains("| lost_writes | 0 | 2 | ❌ |"));
        assert!(md.contains("**Budgets:** 1 of 2 breached ❌"));
    }

    #[test]
    fn incident_timeline_and_estimate() {
        let md = summary_md(&sample());
        assert!(md.contains("| Start | 600.000s |"));
        assert!(md.contains("| End | 1800.000s |"));
        assert!(md.contains("| 690.000 | health checks: us-east-1 unhealthy |"));
        assert!(md.contains("| 720.000 | eu-west-1 promoted \\| primary |"));
        assert!(md.contains(
            "| Estimate: detection + promotion + DNS TTL | 90.000s (analytic estimate, not measured) |"
        ));
    }

    #[test]
    fn unbounded_figures_and_no_incidents() {
        let mut r = sample();
        r.report.metrics.rto_us = None;
        r.report.incidents[0].end_us = None;
        r.report.incidents[0].rto_us = None;
        r.report.incidents[0].note = Some("3 clients never recovered".into());
        let md = summary_md(&r);
        assert!(md.contains("| RTO max | not recovered |"));
        assert!(md.contains("| End | never"));
        assert!(md.contains("| Note | 3 clients never recovered |"));
        r.report.incidents.clear();
        r.report.budgets.clear();
        let md = summary_md(&r);
        assert!(md.contains("No incidents"));
        assert!(md.contains("**Budgets:** none declared."));
    }

    #[test]
    fn deterministic() {
        assert_eq!(summary_md(&sample()), summary_md(&sample()));
    }
}
