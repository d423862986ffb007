//! lost_writes.csv: the ledger of acknowledged writes that were lost.

use super::secs_plain;
use crate::metrics::RunResult;

/// The CSV header line (without newline).
pub const LOST_WRITES_HEADER: &str = "id,key,region,commit_us,commit_s,incident";

/// One row per lost write, in the result's order (commit order), under the
/// header `id,key,region,commit_us,commit_s,incident`. `commit_s` is virtual
/// seconds with millisecond precision; `incident` numbers the report's
/// incidents from 1, as summary.md and report.html do. Lines end with `\n`.
pub fn lost_writes_csv(result: &RunResult) -> String {
    let mut out = String::with_capacity(64 * (result.lost_writes.len() + 1));
    out.push_str(LOST_WRITES_HEADER);
    out.push('\n');
    for w in &result.lost_writes {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            w.id,
            w.key,
            field(&w.region),
            w.commit_us,
            secs_plain(w.commit_us),
            w.incident + 1
        ));
    }
    out
}

/// Quotes a field (RFC 4180) when it holds a comma, quote or line break
/// (every CSV file regionsim writes uses this).
pub(super) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::LostWrite;
    use crate::report::testutil::sample;

    #[test]
    fn rows_in_order() {
        let csv = lost_writes_csv(&sample());
        assert_eq!(
            csv,
            "id,key,region,commit_us,commit_s,incident\n\
             17,4,us-east-1,599950000,599.950,1\n\
             18,9,us-east-1,600000001,600.000,1\n"
        );
    }

    #[test]
    fn empty_ledger_has_header_only() {
        let mut r = sample();
        r.lost_writes.clear();
        assert_eq!(lost_writes_csv(&r), format!("{LOST_WRITES_HEADER}\n"));
    }

    #[test]
    fn odd_region_names_are_quoted() {
        let mut r = sample();
        r.lost_writes = vec![LostWrite {
            id: 1,
            key: 2,
            region: "a,\"b\"".into(),
            commit_us: 1_500,
            incident: 0,
        }];
        assert!(lost_writes_csv(&r).ends_with("1,2,\"a,\"\"b\"\"\",1500,0.001,1\n"));
    }
}
