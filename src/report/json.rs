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
    fn unbounded_rto_is_null() {
        let mut r = sample();
        r.report.metrics.rto_us = None;
        let v: serde_json::Value = serde_json::from_str(&report_json(&r)).unwrap();
        assert!(v["metrics"]["rto_us"].is_null());
    }
}
