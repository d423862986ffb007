//! reads.svg (only when the workload has reads): the share of answered reads
//! that were stale, per client region and second, fault windows shaded,
//! failover and replication steps marked.

use super::shares::{share_svg, ShareChart};
use crate::metrics::RunResult;

/// The chart as SVG text, or `None` when the run had no reads.
pub fn reads_svg(result: &RunResult) -> Option<String> {
    let series = &result.series.reads;
    let chart = ShareChart {
        title: "Stale reads per client region",
        y_desc: "answered reads that were stale (%)",
        legend: "reads of clients in ",
        series,
    };
    (!series.is_empty()).then(|| share_svg(result, &chart))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn only_with_reads_and_then_per_client_region() {
        let mut r = sample();
        assert!(reads_svg(&r).is_none());
        r.report.duration_us = 4_000_000;
        r.report.drain_us = 0;
        r.series
            .reads
            .insert("eu-west-1".into(), vec![(0, 10), (5, 10), (0, 0), (10, 10)]);
        let svg = reads_svg(&r).expect("a chart");
        for s in [
            "Stale reads per client region",
            "reads of clients in eu-west-1",
            "answered reads that were stale (%)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(Some(svg), reads_svg(&r));
    }
}
