//! The run files beside report.json: SVG charts, report.html, the trace, and
//! their independence from the output folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn regionsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("the regionsim binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regionsim-reports-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const SCENARIO: &str = "scenarios/ap-async-partition.toml";

fn run_into(out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["run", SCENARIO, "--out", out.to_str().unwrap()];
    args.extend(extra);
    let o = regionsim(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out.join("ap-async-partition")
}

fn texts(node: roxmltree::Node) -> Vec<String> {
    node.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn every_chart_is_svg_with_title_axes_legend_and_data() {
    let dir = run_into(&temp("svg"), &[]);
    let expect: [(&str, &[&str]); 4] = [
        (
            "timeline.svg",
            &[
                "time since start (s)",
                "requests that succeeded (%)",
                "clients in us-east-1",
                "clients in eu-west-1",
                "new primary takes writes",
                "drain (no new requests)",
            ],
        ),
        (
            "lag.svg",
            &[
                "time since start (s)",
                "replication lag (log scale)",
                "lag to eu-west-1",
            ],
        ),
        (
            "latency.svg",
            &[
                "write latency, client's view (log scale)",
                "writes at or below (%)",
                "share of acknowledged writes",
            ],
        ),
        (
            "rto.svg",
            &[
                "time since the incident started (s)",
                "#1 detection",
                "#1 RTO total",
                "routing",
            ],
        ),
    ];
    for (file, labels) in expect {
        let svg = std::fs::read_to_string(dir.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg", "{file}");
        let t = texts(doc.root_element());
        assert!(
            t.iter().any(|s| s.contains("ap-async-partition (seed 7)")),
            "{file}: title in {t:?}"
        );
        for l in labels {
            assert!(
                t.iter().any(|s| s == l || s.starts_with(l)),
                "{file}: no {l:?} in {t:?}"
            );
        }
        let drawn = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("polyline") || n.has_tag_name("rect") || n.has_tag_name("line")
            })
            .count();
        assert!(drawn > 10, "{file}: series drawn ({drawn} shapes)");
    }
}

/// The semi-sync trap: eu-west-1 is cut off from 300 s, and nothing reaches
/// it until it is promoted at about 548 s. lag.svg draws the lag growing
/// over that gap (timeseries.csv holds the same numbers), and both time
/// charts mark the fallback to async with a label.
#[test]
fn a_cut_off_replica_shows_its_lag_growing_and_the_fallback_is_marked() {
    let out = temp("trap");
    let o = regionsim(&[
        "run",
        "scenarios/semi-sync-fallback-trap.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)));
    let dir = out.join("semi-sync-fallback-trap");
    let csv = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    let waiting: Vec<(u64, f64)> = csv
        .lines()
        .filter_map(|l| {
            let mut f = l.split(',');
            let t = f.next()?.parse().ok()?;
            (f.next()? == "lag_waiting_ms.eu-west-1").then_some(())?;
            Some((t, f.next()?.parse().ok()?))
        })
        .collect();
    let (first, last) = (waiting.first().unwrap(), waiting.last().unwrap());
    assert!(
        (300..=302).contains(&first.0),
        "starts at the cut-off: {first:?}"
    );
    assert!(
        last.0 >= 540 && last.0 < 550,
        "ends at the promotion: {last:?}"
    );
    // Slope 1: a second of waiting adds a second of lag.
    assert!((last.1 - first.1 - 1000.0 * (last.0 - first.0) as f64).abs() < 1.0);
    assert!(last.1 > 180_000.0, "the 180 s gap shows: {last:?}");
    let lag = std::fs::read_to_string(dir.join("lag.svg")).unwrap();
    let t = texts(roxmltree::Document::parse(&lag).unwrap().root_element());
    assert!(
        t.iter()
            .any(|s| s == "lag to eu-west-1 while nothing arrives"),
        "{t:?}"
    );
    for chart in ["lag.svg", "timeline.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        let t = texts(roxmltree::Document::parse(&svg).unwrap().root_element());
        assert!(t.iter().any(|s| s == "semi-sync → async"), "{chart}: {t:?}");
        assert!(
            t.iter().any(|s| s == "semi-sync falls back to async"),
            "{chart}"
        );
        // No tick label twice on an axis.
        let mut ticks: Vec<&String> = t
            .iter()
            .filter(|s| s.ends_with('s') && s.len() < 8)
            .collect();
        let n = ticks.len();
        ticks.dedup();
        assert_eq!(ticks.len(), n, "{chart}: a repeated label in {t:?}");
    }
}

/// reads.svg only for a workload with reads, ranges.svg only with
/// `[[residency]]` rules; each is inline in report.html and linked from
/// summary.md.
#[test]
fn stale_reads_and_residency_ranges_get_their_charts() {
    let out = temp("optional");
    for scenario in [
        "scenarios/read-replica-staleness.toml",
        "scenarios/residency-gdpr-single-eu-region.toml",
        SCENARIO,
    ] {
        let o = regionsim(&["run", scenario, "--out", out.to_str().unwrap()]);
        assert!(matches!(o.status.code(), Some(0 | 1)));
    }
    let has = |dir: &str, file: &str| out.join(dir).join(file).exists();
    assert!(has("read-replica-staleness", "reads.svg"));
    assert!(!has("read-replica-staleness", "ranges.svg"));
    assert!(has("residency-gdpr-single-eu-region", "ranges.svg"));
    assert!(!has("residency-gdpr-single-eu-region", "reads.svg"));
    assert!(!has("ap-async-partition", "reads.svg") && !has("ap-async-partition", "ranges.svg"));
    let reads = std::fs::read_to_string(out.join("read-replica-staleness/reads.svg")).unwrap();
    assert!(reads.contains("answered reads that were stale (%)"));
    let md =
        std::fs::read_to_string(out.join("residency-gdpr-single-eu-region/summary.md")).unwrap();
    assert!(md.contains("(ranges.svg)") && !md.contains("(reads.svg)"));
    let html = std::fs::read_to_string(out.join("read-replica-staleness/report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 5);
}

#[test]
fn html_is_self_contained_with_charts_inline() {
    let dir = run_into(&temp("html"), &[]);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 4, "the four charts inline");
    for bad in [
        "http://", "https://", "<script", "<link", "src=", "<img", "@import", "url(",
    ] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    for s in [
        "Budgets",
        "Headline figures",
        "Where the RTO went",
        "partition begins",
    ] {
        assert!(html.contains(s), "missing {s}");
    }
    let md = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    for s in [
        "(timeline.svg)",
        "(lag.svg)",
        "(latency.svg)",
        "(rto.svg)",
        "| Detection: until health checks",
        "[report.html](report.html)",
    ] {
        assert!(md.contains(s), "summary.md lacks {s}");
    }
}

#[test]
fn trace_has_a_track_per_region_and_client_region_with_events() {
    let d = temp("trace");
    let trace = d.join("t/run.trace.json");
    run_into(&d.join("out"), &["--trace", trace.to_str().unwrap()]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
    let ev = v["traceEvents"].as_array().unwrap();
    let tracks: Vec<(u64, u64, String)> = ev
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .map(|e| {
            (
                e["pid"].as_u64().unwrap(),
                e["tid"].as_u64().unwrap(),
                e["args"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for name in [
        "us-east-1",
        "eu-west-1",
        "us-west-2",
        "clients in us-east-1",
        "clients in eu-west-1",
    ] {
        let (pid, tid, _) = tracks
            .iter()
            .find(|t| t.2 == name)
            .unwrap_or_else(|| panic!("no track {name}"));
        let n = ev
            .iter()
            .filter(|e| e["ph"] != "M" && e["pid"] == *pid && e["tid"] == *tid && e["cat"] != "run")
            .count();
        assert!(n > 0, "no events on {name}");
    }
    for cat in ["fault", "health", "decision", "promotion", "dns", "routing"] {
        assert!(ev.iter().any(|e| e["cat"] == cat), "no {cat} event");
    }
    let fault = ev
        .iter()
        .find(|e| e["cat"] == "fault" && e["ph"] == "X")
        .unwrap();
    assert_eq!(
        (fault["ts"].as_u64(), fault["dur"].as_u64()),
        (Some(300_000_000), Some(300_000_000))
    );
    // Counter tracks (Perfetto draws one per name): lag per replica on the
    // regions process, success rate per client region on the clients
    // process; every sample has a timestamp and one numeric value.
    let mut names = std::collections::BTreeSet::new();
    for e in ev.iter().filter(|e| e["ph"] == "C") {
        let args = e["args"].as_object().expect("counter args");
        assert_eq!(args.len(), 1, "{e}");
        assert!(
            args.values()
                .all(|v| v.as_f64().is_some_and(f64::is_finite)),
            "{e}"
        );
        assert!(e["ts"].as_u64().is_some(), "{e}");
        let name = e["name"].as_str().unwrap().to_string();
        let pid = if name.starts_with("replication lag") {
            1
        } else {
            2
        };
        assert_eq!(e["pid"].as_u64(), Some(pid), "{e}");
        names.insert(name);
    }
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        [
            "replication lag eu-west-1",
            "success rate, clients in eu-west-1",
            "success rate, clients in us-east-1"
        ]
    );
}

#[test]
fn bytes_do_not_depend_on_the_output_folder() {
    let a = run_into(&temp("fold-a"), &[]);
    let b = run_into(&temp("fold-b").join("deeper/still"), &[]);
    for file in [
        "report.json",
        "summary.md",
        "report.html",
        "lost_writes.csv",
        "timeline.svg",
        "lag.svg",
        "latency.svg",
        "rto.svg",
    ] {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(x == y, "{file} differs between output folders");
    }
}
