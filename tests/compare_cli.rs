//! `regionsim compare`: measured game-day figures beside the simulated ones,
//! over a range of seeds (percentile rank, off when outside the simulated
//! range), and MEASURED.json refused with exit 2 naming the key.

mod common;
use common::{regionsim, run, temp_dir, two_plus_checker};
use regionsim::compare::{compare, compare_md, parse_measured, Figure, Verdict};
use regionsim::metrics::Sample;

/// A primary outage with DNS failover, small enough to run a few seeds fast.
fn outage_scenario() -> String {
    two_plus_checker(
        "20ms",
        r#"
[workload]
writes_per_sec = 50
keys = 100
[[workload.clients]]
region = "a"
share = 1.0
count = 20
[failover]
routing = "dns"
promotion_delay = "5s"
[failover.health_check]
interval = "5s"
failure_threshold = 2
timeout = "1s"
checkers = ["c"]
[failover.dns]
ttl = "10s"
[[faults]]
kind = "region-outage"
region = "a"
at = "30s"
duration = "1m"
"#,
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn measured_figures_are_placed_among_the_seeds() {
    let dir = temp_dir("compare", "seeds");
    let toml = outage_scenario();
    let file = write(&dir, "outage.toml", &toml);
    let rtos: Vec<u64> = (1..=4)
        .map(|seed| run(&toml, seed).report.metrics.rto_us.unwrap())
        .collect();
    let mut sorted = rtos.clone();
    sorted.sort_unstable();
    // The 2nd smallest of 4: inside the range, 37.5% of the seeds below it (ties half).
    let measured = write(
        &dir,
        "measured.json",
        &format!(
            r#"{{"rto": "{}us", "lost_writes": 1000000, "detection": "1ms"}}"#,
            sorted[1]
        ),
    );
    let out = dir.join("out");
    let r = regionsim(&[
        "compare",
        &file,
        &measured,
        "--seeds",
        "1..4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let md = std::fs::read_to_string(out.join("t/compare.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&r.stdout), md);
    assert!(md.contains("(seeds 1..4, 4 runs)"), "{md}");
    let rto_row = md.lines().find(|l| l.starts_with("| RTO |")).unwrap();
    assert!(rto_row.ends_with("| ok |"), "{rto_row}");
    let lost = md
        .lines()
        .find(|l| l.starts_with("| lost writes |"))
        .unwrap();
    assert!(
        lost.contains("**off**: above every simulated run"),
        "{lost}"
    );
    let det = md.lines().find(|l| l.starts_with("| detection |")).unwrap();
    assert!(det.contains("**off**: below every simulated run"), "{det}");
    assert!(
        md.contains("The model is off on lost writes, detection"),
        "{md}"
    );
    // One run (the scenario's own seed, 0) without --seeds.
    let r = regionsim(&[
        "compare",
        &file,
        &measured,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(r.status.code(), Some(0));
    assert!(r.stdout.is_empty() && r.stderr.is_empty());
    let md = std::fs::read_to_string(out.join("t/compare.md")).unwrap();
    assert!(
        md.contains("(seed 0)") && md.contains("| figure | measured | simulated | verdict |"),
        "{md}"
    );
}

#[test]
fn the_rank_is_the_share_of_seeds_below() {
    let m = parse_measured(r#"{"rpo": "5ms", "rto": "1h"}"#).unwrap();
    let runs: Vec<(u64, [Option<Sample>; 4])> = (1..=10)
        .map(|seed| {
            let v = Sample::Int(seed * 1000);
            (seed, [Some(v), Some(v), Some(Sample::Int(0)), None])
        })
        .collect();
    let c = compare("x", "x.toml", &m, &runs, true);
    assert_eq!(c.rows[0].figure, Figure::Rto);
    assert_eq!(c.rows[0].verdict, Verdict::Above);
    assert_eq!(c.rows[1].figure, Figure::Rpo);
    // 4 seeds below 5 ms, one equal: (4 + 0.5) / 10.
    assert_eq!(c.rows[1].rank_pct, Some(45.0));
    assert_eq!(c.rows[1].verdict, Verdict::Within);
    let md = compare_md(&c);
    assert!(
        md.contains("| RPO | 5ms | 1ms | 5ms | 10ms | 10ms | 10ms | 45% | ok |"),
        "{md}"
    );
}

#[test]
fn bad_measured_json_exits_2_naming_the_key() {
    let dir = temp_dir("compare", "bad");
    let file = write(&dir, "outage.toml", &outage_scenario());
    let cases = [
        (
            r#"{"rto": "94s", "mttr": "1m"}"#,
            "`mttr`: unknown key; accepted: rto, rpo, lost_writes, detection",
        ),
        (r#"{"rto": 94}"#, "field `rto`"),
        (r#"{"rpo": "2 parsecs"}"#, "field `rpo`"),
        (r#"{"lost_writes": "many"}"#, "field `lost_writes`"),
        ("{", "not valid JSON"),
        ("{}", "no figure given"),
        (
            r#"{"rto": "94s", "lost_writes": 3, "rto": "3s"}"#,
            "field `rto`: given twice",
        ),
        ("[1, 2]", "expected a JSON object"),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let m = write(&dir, &format!("m{i}.json"), text);
        let out = dir.join("out");
        let r = regionsim(&["compare", &file, &m, "--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{text}: {err}");
        assert!(
            err.contains(want) && err.contains(&format!("m{i}.json")),
            "{text}: {err}"
        );
    }
    let m = write(&dir, "ok.json", r#"{"rto": "94s"}"#);
    let r = regionsim(&["compare", &file, &m, "--seeds", "9..1"]);
    assert_eq!(r.status.code(), Some(2));
    let r = regionsim(&["compare", &file, "missing.json"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("missing.json"));
}

#[test]
fn export_and_compare_help_have_examples() {
    for cmd in ["export", "compare"] {
        let r = regionsim(&[cmd, "--help"]);
        assert_eq!(r.status.code(), Some(0));
        let text = String::from_utf8_lossy(&r.stdout);
        assert!(
            text.contains("Example") && text.contains(&format!("regionsim {cmd} scenarios/")),
            "{text}"
        );
    }
}

/// The command in compare.md is a code span: shown as typed, `_` and all
/// (a backslash escape inside backticks would be printed literally).
#[test]
fn the_file_shows_as_typed_in_its_code_span() {
    let m = parse_measured(r#"{"rto": "1m"}"#).unwrap();
    let runs: Vec<(u64, [Option<Sample>; 4])> =
        vec![(7, [Some(Sample::Int(60_000_000)), None, None, None])];
    let md = compare_md(&compare("my_game_day", "my_dir/a_b.toml", &m, &runs, false));
    assert!(
        md.contains("beside `regionsim run my_dir/a_b.toml` (seed 7)"),
        "{md}"
    );
    let md = compare_md(&compare("x", "a`b.toml", &m, &runs, false));
    assert!(
        md.contains("beside ``regionsim run a`b.toml`` (seed 7)"),
        "{md}"
    );
}

/// A measured figure beyond the scenario's budget: the game day breached it,
/// compare says which budget and exits 1; within the budget it exits 0.
#[test]
fn a_measured_figure_over_budget_exits_1() {
    let dir = temp_dir("compare", "budget");
    let toml = format!(
        "{}\n[budgets]\nrto = \"2m\"\nlost_writes = 10\n",
        outage_scenario()
    );
    let file = write(&dir, "outage.toml", &toml);
    let out = dir.join("out");
    let over = write(&dir, "over.json", r#"{"rto": "2m30s", "lost_writes": 3}"#);
    let r = regionsim(&["compare", &file, &over, "--out", out.to_str().unwrap()]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let md = std::fs::read_to_string(out.join("t/compare.md")).unwrap();
    assert!(md.contains("## Budgets the game day breached"), "{md}");
    assert!(
        md.contains("- `rto` budget 2m: the game day measured 2m 30s"),
        "{md}"
    );
    assert!(!md.contains("`lost_writes` budget"), "{md}");
    let within = write(
        &dir,
        "within.json",
        r#"{"rto": "1m59s", "lost_writes": 10}"#,
    );
    let r = regionsim(&["compare", &file, &within, "--out", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    let md = std::fs::read_to_string(out.join("t/compare.md")).unwrap();
    assert!(!md.contains("breached"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}
