//! timeline.svg: success rate per client region over time, fault windows
//! shaded, failover and replication steps (decision, promotion, DNS change,
//! semi-sync fallback and re-arm) as labelled vertical lines.

use super::common::{message, SIZE};
use super::shares::{share_svg, ShareChart};
use crate::metrics::RunResult;

const TITLE: &str = "Success rate of requests per client region";

/// The chart as SVG text (deterministic bytes).
pub fn timeline_svg(result: &RunResult) -> String {
    let series = &result.series.requests;
    if series.is_empty() {
        let r = &result.report;
        let title = format!("{TITLE} — {} (seed {})", r.scenario, r.seed);
        return message(SIZE, &title, "no client requests in this run");
    }
    let chart = ShareChart {
        title: TITLE,
        y_desc: "requests that succeeded (%)",
        legend: "clients in ",
        series,
    };
    share_svg(result, &chart)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample;

    #[test]
    fn draws_axes_lines_faults_and_steps() {
        let mut r = sample();
        r.series
            .requests
            .insert("us-east-1".into(), vec![(10, 10), (0, 10), (0, 0), (5, 10)]);
        r.series.fault_windows = vec![(1_000_000, 2_000_000, "us-east-1 goes dark".into())];
        r.series.timeline = r.report.incidents[0].timeline.clone();
        for e in &mut r.series.timeline {
            e.at_us /= 400;
        }
        r.report.duration_us = 4_000_000;
        r.report.drain_us = 1_000_000;
        let svg = timeline_svg(&r);
        assert!(svg.starts_with("<svg"));
        for s in [
            "time since start (s)",
            "requests that succeeded (%)",
            "clients in us-east-1",
            "fault: us-east-1 goes dark",
            "new primary takes writes",
            "drain (no new requests)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert_eq!(svg, timeline_svg(&r), "deterministic");
    }

    #[test]
    fn identical_regions_are_dashed_and_named() {
        let mut r = sample();
        r.series
            .requests
            .insert("eu-west-1".into(), vec![(10, 10); 4]);
        r.series
            .requests
            .insert("us-east-1".into(), vec![(9, 10); 4]);
        r.series
            .requests
            .insert("us-west-2".into(), vec![(10, 10); 4]);
        let svg = timeline_svg(&r);
        assert!(
            svg.contains("clients in us-west-2 (identical to eu-west-1)"),
            "{svg}"
        );
        assert!(!svg.contains("clients in us-east-1 (identical"));
        // The twin is drawn dashed: many short segments instead of one line.
        let mut distinct = r.clone();
        distinct
            .series
            .requests
            .insert("us-west-2".into(), vec![(8, 10); 4]);
        let lines = |svg: &str| svg.matches("<polyline").count();
        assert!(lines(&svg) > lines(&timeline_svg(&distinct)));
    }

    #[test]
    fn coinciding_steps_are_each_labelled() {
        let mut r = sample();
        r.series
            .requests
            .insert("us-east-1".into(), vec![(10, 10); 4]);
        r.series.timeline = r.report.incidents[0].timeline.clone();
        let decided = r.series.timeline[0].at_us;
        r.series.timeline.push(crate::metrics::TimelineEntry::new(
            decided,
            crate::metrics::Happening::DnsAnswers {
                target: "eu-west-1".into(),
                clients_in: "us-east-1".into(),
            },
            None,
        ));
        r.series.timeline.push(crate::metrics::TimelineEntry::new(
            decided,
            crate::metrics::Happening::FailoverDecided {
                target: "eu-west-1".into(),
                applied: 1,
                log_end: 2,
                delay_us: 30_000_000,
            },
            None,
        ));
        let svg = timeline_svg(&r);
        // The label (in the plot) and the legend entry of each step.
        for label in ["failover decided", "DNS answer", "new primary"] {
            assert!(svg.contains(&format!("\n{label}\n")), "no label {label}");
        }
        // Stacked: the decision and DNS labels are on different rows.
        let y_of = |label: &str| {
            let at = svg.find(&format!("\n{label}\n")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse::<i32>().unwrap()
        };
        assert_ne!(y_of("failover decided"), y_of("DNS answer"));
    }

    #[test]
    fn empty_series_says_so() {
        assert!(timeline_svg(&sample()).contains("no client requests"));
    }
}
