//! The short human summary that `regionsim run` prints to stdout.

use crate::metrics::{human_count, human_duration, human_share, RunResult};

/// About ten lines: the scenario, seed, RPO, RTO, lost writes, availability,
/// write p99, incidents and the budgets held or breached (named).
pub fn human_summary(result: &RunResult) -> String {
    let r = &result.report;
    let m = &r.metrics;
    let short: String = r.scenario_sha256.chars().take(12).collect();
    let rto = match m.rto_us {
        Some(us) => format!(
            "{} (p50 {}, p99 {})",
            human_duration(us),
            m.rto_p50_us.map_or("not recovered".into(), human_duration),
            m.rto_p99_us.map_or("not recovered".into(), human_duration)
        ),
        None => "not recovered (some client never had a successful write again)".into(),
    };
    let breached: Vec<&str> = r
        .budgets
        .iter()
        .filter(|b| !b.ok)
        .map(|b| b.metric.as_str())
        .collect();
    let budgets = if r.budgets.is_empty() {
        "none declared".to_string()
    } else if breached.is_empty() {
        format!("all {} ok", r.budgets.len())
    } else {
        format!(
            "{} ok, {} BREACHED ({})",
            r.budgets.len() - breached.len(),
            breached.len(),
            breached.join(", ")
        )
    };
    let mut lines = vec![
        format!("{}  seed {}  sha256 {}", r.scenario, r.seed, short),
        format!("  RPO           {}", human_duration(m.rpo_us)),
        format!("  RTO           {rto}"),
        format!(
            "  lost writes   {} of {} acknowledged",
            human_count(m.lost_writes),
            human_count(m.acknowledged_writes)
        ),
        format!(
            "  availability  {} ({} failed writes)",
            human_share(m.availability),
            human_count(m.failed_writes)
        ),
        format!("  write p99     {}", human_duration(m.write_latency_us.p99)),
    ];
    if let Some(rd) = &m.reads {
        lines.push(format!(
            "  reads         {} ({} failed, {} stale, p99 {})",
            human_count(rd.reads),
            human_count(rd.failed_reads),
            human_count(rd.stale_reads),
            human_duration(rd.read_latency_us.p99)
        ));
    }
    lines.extend([
        format!("  incidents     {}", r.incidents.len()),
        format!("  budgets       {budgets}"),
    ]);
    if !m.converged {
        lines.push(format!(
            "  NOT CONVERGED {} divergent keys",
            m.divergent_keys
        ));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn short_and_complete() {
        let s = human_summary(&sample());
        assert!(s.lines().count() <= 12);
        assert!(s.starts_with("ap-async-dns  seed 42  sha256 0123456789ab\n"));
        assert!(s.contains("RPO           50ms"));
        assert!(s.contains("RTO           1m 29.5s (p50 1m, p99 1m 28s)"));
        assert!(s.contains("lost writes   2 of 1,800,000 acknowledged"));
        assert!(s.contains("availability  99.87% (2 nines)"));
        assert!(s.contains("write p99     3.2ms"));
        assert!(s.contains("incidents     1"));
        assert!(s.contains("budgets       1 ok, 1 BREACHED (lost_writes)"));
    }

    #[test]
    fn not_recovered() {
        let mut r = sample();
        r.report.metrics.rto_us = None;
        assert!(human_summary(&r).contains("RTO           not recovered"));
    }
}
