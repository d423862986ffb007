//! summary.md: the design-review page of one run (figures, budgets, incidents).

use super::rows::{breakdown_rows, figure_rows, incident_rows, range_rows, CHARTS, RANGE_HEADER};
use super::secs_plain;
use super::timeline;
use crate::metrics::{Incident, Metrics, Report, RunResult};
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
    charts(&mut out, result);
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
        crate::metrics::human_duration(r.duration_us),
        crate::metrics::human_duration(r.drain_us)
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
    for (k, v) in figure_rows(m) {
        line!(out, "| {} | {} |", cell(&k), cell(&v));
    }
    line!(out);
    ranges(out, m);
}

/// Residency: what each pinned range (and the unpinned rest) saw.
fn ranges(out: &mut String, m: &Metrics) {
    let rows = range_rows(m);
    if rows.is_empty() {
        return;
    }
    line!(out, "### By residency range");
    line!(out);
    line!(out, "| {} |", RANGE_HEADER.join(" | "));
    line!(out, "|{}", "---|".repeat(RANGE_HEADER.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        line!(out, "| {} |", cells.join(" | "));
    }
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
        let (limit, actual) = super::rows::budget_cells(b);
        line!(
            out,
            "| {} | {} {} | {} | {} |",
            cell(&b.metric),
            super::rows::budget_op(b),
            cell(&limit),
            cell(&actual),
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
    for (k, v) in incident_rows(inc) {
        line!(out, "| {} | {} |", cell(&k), cell(&v));
    }
    line!(out);
    let phases = breakdown_rows(inc);
    if !phases.is_empty() {
        line!(
            out,
            "Where the RTO went (the slowest client's critical path, measured):"
        );
        line!(out);
        line!(out, "| Phase | From (s) | To (s) | Duration |");
        line!(out, "|---|---:|---:|---:|");
        for [phase, from, to, d] in phases {
            line!(out, "| {} | {} | {} | {} |", cell(&phase), from, to, d);
        }
        line!(out);
    }
    if inc.timeline.is_empty() {
        line!(out, "No timeline entries.");
        line!(out);
        return;
    }
    line!(out, "| Time (s) | Event |");
    line!(out, "|---:|---|");
    for t in &inc.timeline {
        line!(
            out,
            "| {} | {} |",
            secs_plain(t.at_us),
            cell(&timeline::text(&t.event))
        );
    }
    line!(out);
}

fn charts(out: &mut String, result: &RunResult) {
    line!(out, "## Charts");
    line!(out);
    let optional = |file: &str| match file {
        "reads.svg" => !result.series.reads.is_empty(),
        "ranges.svg" => !result.report.metrics.residency.is_empty(),
        _ => true,
    };
    for (file, caption) in CHARTS.into_iter().filter(|(f, _)| optional(f)) {
        line!(out, "### {caption}");
        line!(out);
        line!(out, "[![{caption}]({file})]({file})");
        line!(out);
    }
}

fn files(out: &mut String, result: &RunResult) {
    line!(out, "## Files");
    line!(out);
    line!(
        out,
        "- [report.json](report.json): every figure on this page, machine-readable"
    );
    line!(
        out,
        "- [report.html](report.html): this page with the charts inline, for a browser (offline)"
    );
    let n = result.lost_writes.len();
    line!(
        out,
        "- [lost_writes.csv](lost_writes.csv): the {n} lost write{} (id, key, region, commit time, incident)",
        if n == 1 { "" } else { "s" }
    );
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
    fn residency_ranges_table() {
        let mut r = sample();
        assert!(!summary_md(&r).contains("By residency range"));
        r.report.metrics.residency = vec![crate::metrics::RangeFigures {
            keys: "0..500".into(),
            jurisdiction: Some("EU".into()),
            regions: vec!["eu-west-1".into()],
            attempted_writes: 10,
            acknowledged_writes: 5,
            availability: 0.5,
            lost_writes: 1,
            rpo_us: 20_000,
            rto_us: None,
        }];
        let md = summary_md(&r);
        assert!(
            md.contains("| Keys | Jurisdiction | May live in | Availability | Lost | RPO | RTO |")
        );
        assert!(md.contains("| 0..500 | EU | eu-west-1 | 50.00% | 1 | 20ms | not recovered |"));
    }

    #[test]
    fn figures_and_budgets() {
        let md = summary_md(&sample());
        assert!(md.contains("| RPO (worst incident) | 50ms |"));
        assert!(md.contains("| RTO max | 1m 29.5s |"));
        assert!(md.contains("| Availability, clients in us-east-1 | 99.74% (2 nines) |"));
        assert!(md.contains("| 3ms / 3.1ms / 3.2ms / 9ms |"));
        assert!(md.contains("| Replication lag to eu-west-1 p50 / p99 / max |"));
        assert!(md.contains("| Cross-region bytes | 1,843,200,000 (1.84 GB) |"));
        assert!(md.contains("| Cross-region transfer cost | 36.86 (currency of transfer_per_gb) |"));
        assert!(md.contains("| rto | <= 2m | 1m 29.5s | ✅ |"));
        assert!(!md.contains("Semi-sync fell back"));
        let mut semi = sample();
        semi.report.metrics.semi_sync_fallbacks = 2;
        semi.report.metrics.semi_sync_degraded_us = 460_070_702;
        assert!(summary_md(&semi)
            .contains("| Semi-sync fell back to async | 2 times, async for 7m 40.1s in all |"));
        assert!(md.contains("| lost_writes | <= 0 | 2 | ❌ |"));
        assert!(md.contains("**Budgets:** 1 of 2 breached ❌"));
    }

    #[test]
    fn incident_timeline_and_estimate() {
        let md = summary_md(&sample());
        assert!(md.contains("| Start | 600.000s |"));
        assert!(md.contains("| End | 1800.000s |"));
        assert!(md.contains("| 690.000 | health checks: us-east-1 unhealthy |"));
        assert!(md.contains("| 720.000 | eu-west-1 promoted to primary at log position 1000: 43 writes of us-east-1 orphaned (28 acknowledged) |"));
        assert!(md.contains(
            "| Estimate: RTO of TTL-honest clients, upper bound: detection + max(propagation + TTL, promotion delay) + one request round trip | 1m 30s (analytic estimate, not measured) |"
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
    fn rto_breakdown_and_chart_links() {
        let md = summary_md(&sample());
        assert!(md.contains("| Phase | From (s) | To (s) | Duration |"));
        assert!(md.contains(
            "| Detection: until the client's first failed attempt | 600.000 | 660.000 | 1m |"
        ));
        assert!(md.contains("| Promotion | 660.000 | 689.500 | 29.5s |"));
        assert!(md.contains("| RTO (total: the slowest client) | 600.000 | 689.500 | 1m 29.5s |"));
        for chart in ["timeline.svg", "lag.svg", "latency.svg", "rto.svg"] {
            assert!(md.contains(&format!("]({chart})")), "{chart} linked");
        }
        assert!(!md.contains("not drawn"));
    }

    #[test]
    fn read_rows_only_with_reads() {
        let mut r = sample();
        assert!(!summary_md(&r).contains("Stale reads"));
        r.report.metrics.reads = Some(crate::metrics::ReadMetrics {
            reads: 1000,
            failed_reads: 3,
            stale_reads: 50,
            stale_read_ratio: 50.0 / 997.0,
            read_latency_us: crate::metrics::Percentiles {
                p50: 4_000,
                p95: 84_000,
                p99: 84_000,
                max: 90_000,
            },
        });
        let md = summary_md(&r);
        assert!(md.contains("| Reads (failed) | 1,000 (3 failed) |"), "{md}");
        assert!(md.contains("| Stale reads (share of answered reads) | 50 (5.02%) |"));
        assert!(md.contains("| Read latency p50 / p95 / p99 / max | 4ms / 84ms / 84ms / 90ms |"));
    }

    #[test]
    fn deterministic() {
        assert_eq!(summary_md(&sample()), summary_md(&sample()));
    }
}
