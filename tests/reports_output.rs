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
                "time since start (min)",
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
                "time since start (min)",
                "worst lag applied in the second (ms, log scale)",
                "lag to eu-west-1",
            ],
        ),
        (
            "latency.svg",
            &[
                "write latency, client's view (ms, log scale)",
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
