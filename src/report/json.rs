//! report.json: the report document of metrics.md, pretty-printed.

use crate::metrics::RunResult;

/// `result.report` as pretty JSON with a trailing newline (report.json, and
/// what `run --json` prints).
pub fn report_json(result: &RunResult) -> String {
    // Serialising plain structs of numbers, strings and ordered maps cannot fail.
    let mut s = serde_json::to_string_pretty(&result.report)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn top_level_keys_in_order() {
        let s = report_json(&sample());
        assert!(s.ends_with("}\n"));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["scenario"], "ap-async-dns");
        assert_eq!(v["seed"], 42);
        assert_eq!(v["metrics"]["rto_us"], 89_500_000);
        assert_eq!(v["incidents"][0]["timeline"][0]["at_us"], 690_000_000);
        assert_eq!(v["budgets"][0]["ok"], true);
        let order = [
            "\"scenario\"",
            "\"seed\"",
            "\"scenario_sha256\"",
            "\"metrics\"",
        ];
        let pos: Vec<usize> = order.iter().map(|k| s.find(k).unwrap()).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn read_fields_only_with_reads_after_write_latency() {
        let mut r = sample();
        let s = report_json(&r);
        assert!(!s.contains("\"reads\"") && !s.contains("stale_reads"));
        r.report.metrics.reads = Some(crate::metrics::ReadMetrics {
            reads: 10,
            stale_reads: 2,
            stale_read_ratio: 0.2,
            ..Default::default()
        });
        let s = report_json(&r);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["metrics"]["reads"], 10);
        assert_eq!(v["metrics"]["stale_reads"], 2);
        assert_eq!(v["metrics"]["read_latency_us"]["p99"], 0);
        let order = [
            "\"write_latency_us\"",
            "\"reads\"",
            "\"failed_reads\"",
            "\"stale_reads\"",
            "\"stale_read_ratio\"",
            "\"read_latency_us\"",
            "\"replication_lag_us\"",
        ];
        let pos: Vec<usize> = order.iter().map(|k| s.find(k).unwrap()).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    }

    #[test]
    fn unbounded_rto_is_null() {
        let mut r = sample();
        r.report.metrics.rto_us = None;
        let v: serde_json::Value = serde_json::from_str(&report_json(&r)).unwrap();
        assert!(v["metrics"]["rto_us"].is_null());
    }
}
