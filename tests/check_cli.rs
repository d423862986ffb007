//! `regionsim check`: budgets held and breached, JUnit XML, seed ranges,
//! baselines, and exit codes, through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn regionsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("the regionsim binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh folder under the system temp dir.
fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regionsim-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A small, fast scenario: a primary outage with DNS failover, 3 minutes.
fn scenario(name: &str, budgets: &str) -> String {
    format!(
        r#"
name = "{name}"
seed = 3
duration = "3m"
drain = "20s"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "c"
[[links]]
between = ["a", "b"]
latency = "20ms"
[[links]]
between = ["a", "c"]
latency = "10ms"
[[links]]
between = ["b", "c"]
latency = "10ms"
[workload]
writes_per_sec = 50
keys = 1000
request_timeout = "1s"
[[workload.clients]]
region = "a"
share = 0.5
count = 20
[[workload.clients]]
region = "b"
share = 0.5
count = 20
[replication]
primary = "a"
replicas = ["b"]
[failover]
promotion_delay = "5s"
[failover.health_check]
interval = "5s"
failure_threshold = 2
timeout = "1s"
checkers = ["c", "b"]
[failover.dns]
ttl = "10s"
[[faults]]
kind = "region-outage"
region = "a"
at = "1m"
duration = "1m"
[budgets]
{budgets}
"#
    )
}

fn write(dir: &Path, file: &str, body: &str) -> String {
    let p = dir.join(file);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

fn junit_cases(xml: &str) -> Vec<(String, bool)> {
    let doc = roxmltree::Document::parse(xml).expect("JUnit is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            let failed = n.children().any(|c| c.has_tag_name("failure"));
            (n.attribute("name").unwrap_or("").to_string(), failed)
        })
        .collect()
}

#[test]
fn held_budgets_exit_0() {
    let d = temp("held");
    let f = write(
        &d,
        "ok.toml",
        &scenario(
            "ok",
            "rto = \"10m\"\nlost_writes = 100000\navailability = 0.1",
        ),
    );
    let out_dir = d.join("out");
    let out = regionsim(&["check", &f, "--out", out_dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("check PASS"), "{stdout}");
    for file in [
        "report.json",
        "summary.md",
        "report.html",
        "timeline.svg",
        "lag.svg",
        "latency.svg",
        "rto.svg",
    ] {
        assert!(
            out_dir.join("ok").join(file).is_file(),
            "check writes {file}"
        );
    }
}

#[test]
fn breached_budget_exits_1_and_fails_only_its_testcase() {
    let d = temp("breach");
    let f = write(
        &d,
        "tight.toml",
        &scenario(
            "tight",
            "rto = \"1s\"\nlost_writes = 100000\navailability = 0.1",
        ),
    );
    let junit = d.join("ci/junit.xml");
    let out = regionsim(&[
        "check",
        &f,
        "--seeds",
        "1..3",
        "--junit",
        junit.to_str().unwrap(),
        "--out",
        d.join("out").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("BREACHED on 3 of 3 seeds"), "{stdout}");
    assert!(
        stdout.contains(&format!("reproduce: regionsim run {f} --seed")),
        "{stdout}"
    );
    assert!(stdout.contains("p95"), "percentiles over seeds: {stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    let cases = junit_cases(&xml);
    assert_eq!(
        cases,
        vec![
            ("budget rto <= 1s".to_string(), true),
            ("budget lost_writes <= 100000".to_string(), false),
            ("budget availability >= 0.1".to_string(), false),
        ]
    );
    assert!(
        xml.contains("exceeds the limit 1s (3 of 3 seeds, worst seed "),
        "{xml}"
    );
    assert!(
        xml.contains("--seed "),
        "the failure names the command to reproduce"
    );
}

#[test]
fn bad_seed_range_and_missing_file_exit_2() {
    for seeds in ["5..1", "x", "1..y"] {
        let out = regionsim(&["check", "scenarios", "--seeds", seeds]);
        assert_eq!(out.status.code(), Some(2), "--seeds {seeds}");
        assert!(
            text(&out.stderr).contains("--seeds"),
            "{}",
            text(&out.stderr)
        );
    }
    let d = temp("missing");
    let out = regionsim(&[
        "check",
        d.join("nope.toml").to_str().unwrap(),
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn worse_than_baseline_is_flagged_and_missing_baseline_is_not_fatal() {
    let d = temp("baseline");
    let base = d.join("base");
    let loose = scenario("svc", "availability = 0.1");
    let f = write(&d, "svc.toml", &loose);
    let run = regionsim(&["run", &f, "--out", base.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // The same scenario against its own baseline: nothing got worse.
    let same = regionsim(&[
        "check",
        &f,
        "--baseline",
        base.to_str().unwrap(),
        "--out",
        d.join("o1").to_str().unwrap(),
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));
    assert!(text(&same.stdout).contains("no headline metric got worse"));
    // A slower health check makes failover later: RTO and failed writes grow.
    let worse = loose.replace("interval = \"5s\"", "interval = \"20s\"");
    let f2 = write(&d, "svc.toml", &worse);
    let junit = d.join("junit.xml");
    let out = regionsim(&[
        "check",
        &f2,
        "--baseline",
        base.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--out",
        d.join("o2").to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("WORSE  rto "), "{stdout}");
    assert!(stdout.contains("WORSE  failed_writes "), "{stdout}");
    assert!(stdout.contains("scenario file changed since"), "{stdout}");
    let cases = junit_cases(&std::fs::read_to_string(&junit).unwrap());
    assert!(
        cases.contains(&("baseline rto not worse".to_string(), true)),
        "{cases:?}"
    );
    assert!(
        cases.contains(&("budget availability >= 0.1".to_string(), false)),
        "{cases:?}"
    );
    // No baseline for this scenario: reported, not a failure.
    let other = write(&d, "other.toml", &scenario("other", "availability = 0.1"));
    let out = regionsim(&[
        "check",
        &other,
        "--baseline",
        base.to_str().unwrap(),
        "--out",
        d.join("o3").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("not compared"));
}

/// Every shipped scenario holds its budgets, and an identical run never
/// regresses against its own baseline (the shipped reports/, which a fresh
/// run reproduces byte for byte), even with no tolerance at all.
#[test]
fn shipped_scenarios_pass_check_and_match_their_baseline() {
    let d = temp("shipped");
    let out = regionsim(&[
        "check",
        "scenarios",
        "--baseline",
        "reports",
        "--tolerance",
        "0",
        "--out",
        d.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(!stdout.contains("WORSE"), "{stdout}");
    assert!(!stdout.contains("not compared"), "{stdout}");
    assert!(stdout.contains("; 0 regressions;"), "{stdout}");
}

#[test]
fn schema_is_json_and_has_every_section() {
    let out = regionsim(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for key in [
        "regions",
        "links",
        "workload",
        "replication",
        "failover",
        "faults",
        "residency",
        "cost",
        "budgets",
    ] {
        assert!(v["properties"].get(key).is_some(), "{key}");
    }
}
