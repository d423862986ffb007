//! `explore` and `shrink` (issue 16): the semi-sync crash-timing closed form
//! found by the search, byte-identical output whatever `--jobs`, a shrink of
//! four faults down to the one that matters, and bad input exiting 2.

mod common;

use common::{regionsim, scenario, semi_sync_pair, temp_dir};
use regionsim::explore::{explore, Space};
use regionsim::metrics::{metric, Sample};

/// Primary a, its one semi-sync replica b 38 ms away (timeout 10 s), checks
/// from x; a partition between a and b over [30 s, 60 s), then a crash of a
/// at `crash` that never recovers. 1000 evenly spaced writes/s.
fn semi_sync_crash(crash: &str, budget: &str) -> String {
    let extra = format!(
        r#"semi_sync_timeout = "10s"
[failover]
promotion_delay = "0s"
[failover.health_check]
interval = "5s"
failure_threshold = 2
timeout = "1s"
checkers = ["x"]
[[faults]]
kind = "partition"
between = ["a", "b"]
at = "30s"
duration = "30s"
[[faults]]
kind = "region-outage"
region = "a"
at = "{crash}"
[budgets]
{budget}"#
    );
    semi_sync_pair("semi-sync-crash", &extra)
}

const RATE: f64 = 1000.0;
const P0: f64 = 30.0;
const P1: f64 = 60.0;
const D: f64 = 0.038;

/// With only the crash time free, lost writes follow the closed form at every
/// candidate, and the search finds its maximum at the end of the partition.
///
/// The closed form (E-M2 in tests/closed_forms_sync.rs): the first write
/// left waiting was committed at p0 - (2d + 1 ms); semi-sync falls back 10 s
/// later (39.922 s) and acknowledges every waiting write at once. A crash
/// before the fallback loses nothing (no waiting write was acknowledged). A
/// crash at c after it, inside the partition, loses every write acknowledged
/// since the cut: rate x (c - p0), plus the rate x d writes that were on the
/// wire at p0. (The issue's rate x (c - p0 - timeout) counts only the writes
/// after the fallback; the rate x timeout writes it released were
/// acknowledged too, and die with the primary.) After the heal the backlog
/// lands d later, so the maximum is a crash at p1 + d: rate x (p1 - p0 + 2d)
/// = 30,076; once the backlog is delivered and semi-sync re-arms, nothing is
/// lost again. Constant arrivals make every figure exact to a write or two.
#[test]
fn explore_finds_the_crash_at_the_end_of_the_partition() {
    let s = scenario(&semi_sync_crash("50s", "lost_writes = 0"));
    let lost = metric("lost_writes").expect("a catalogue metric");
    let space = Space::from_vary(&s, &["faults[1].at".to_string()]).expect("a valid --vary");
    let e = explore(&s, lost, space, 120, 2, &|_, _| {}).expect("the search runs");
    let fallback = P0 - (2.0 * D + 0.001) + 10.0;
    let value = |v: Sample| v.as_f64().expect("bounded");
    for t in &e.tried {
        let c = t.point.values[0] as f64 / 1e6;
        let got = value(t.value);
        let expect = if c < fallback - 0.001 || c > P1 + 0.2 {
            Some(0.0)
        } else if c > fallback + 0.001 && c <= P1 {
            Some(RATE * (c - P0) + RATE * D)
        } else {
            None
        };
        if let Some(x) = expect {
            assert!(
                (got - x).abs() <= 2.0,
                "crash at {c}s: lost {got}, closed form {x}"
            );
        }
    }
    let worst = e.worst().expect("a worst candidate");
    let at = worst.point.values[0] as f64 / 1e6;
    let max = RATE * (P1 - P0 + 2.0 * D);
    let got = value(worst.value);
    // 0.5%: 150 writes, i.e. the search may stop 150 ms short of the edge;
    // it has 1 ms resolution and gets within a few writes in practice.
    assert!(
        (got - max).abs() <= 0.005 * max,
        "worst {got} at {at}s; closed form {max}"
    );
    assert!(
        (P1 - 0.15..=P1 + D + 0.001).contains(&at),
        "worst crash at {at}s, expected at the end of the partition ({P1}s + {D}s)"
    );
    // The issue's figure, rate x (p1 - p0 - timeout), plus what the fallback
    // released (rate x timeout) and the two windows on the wire.
    let issue = RATE * (P1 - P0 - 10.0);
    assert!((got - (issue + RATE * 10.0 + 2.0 * RATE * D)).abs() <= 0.005 * max);
}

/// The same search on 1 and 2 threads writes the same bytes, and exits 1:
/// the worst case breaks the budget.
#[test]
fn explore_output_is_the_same_for_any_jobs() {
    let dir = temp_dir("explore", "jobs");
    let file = dir.join("s.toml");
    let text = format!(
        "# The author's comment, kept.\n{}",
        semi_sync_crash("50s", "lost_writes = 25000")
    );
    std::fs::write(&file, text).unwrap();
    let mut outs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.join(format!("out{jobs}"));
        let args = [
            "explore",
            file.to_str().unwrap(),
            "--runs",
            "40",
            "--jobs",
            jobs,
            "--out",
            out.to_str().unwrap(),
        ];
        let r = regionsim(&args);
        assert_eq!(
            r.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        outs.push(out.join("semi-sync-crash"));
    }
    let names = [
        "worst.toml",
        "explore.json",
        "lost_writes-vs-fault0-start.svg",
        "lost_writes-vs-fault1-start.svg",
    ];
    for name in names {
        let a = std::fs::read(outs[0].join(name)).expect(name);
        let b = std::fs::read(outs[1].join(name)).expect(name);
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
    let worst = std::fs::read_to_string(outs[0].join("worst.toml")).unwrap();
    assert!(
        worst.starts_with("# Found by `regionsim explore"),
        "{worst}"
    );
    // The worst scenario is runnable and breaks the budget; the search kept
    // the file's own comments.
    let r = regionsim(&[
        "run",
        outs[0].join("worst.toml").to_str().unwrap(),
        "--out",
        dir.join("rerun").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outs[0].join("explore.json")).unwrap()).unwrap();
    assert_eq!(json["runs"], 40);
    assert_eq!(json["candidates"].as_array().map(Vec::len), Some(40));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Async a -> b, checks from c; four faults, of which only a's outage loses
/// acknowledged writes (the rest: a latency spike, a clock skew, a short
/// partition between the two standbys).
const FOUR_FAULTS: &str = r#"
name = "four-faults"
seed = 3
duration = "4m"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "c"
[[links]]
between = ["a", "b"]
latency = "40ms"
[[links]]
between = ["a", "c"]
latency = "10ms"
[[links]]
between = ["b", "c"]
latency = "30ms"
[workload]
writes_per_sec = 300
keys = 5000
[[workload.clients]]
region = "a"
share = 0.6
count = 60
[[workload.clients]]
region = "c"
share = 0.4
count = 40
[replication]
primary = "a"
replicas = ["b"]
mode = "async"
[failover]
promotion_delay = "10s"
[failover.health_check]
interval = "10s"
failure_threshold = 2
timeout = "2s"
checkers = ["c"]
[failover.dns]
ttl = "20s"
[[faults]]
kind = "latency"
between = ["a", "c"]
at = "20s"
duration = "30s"
add = "100ms"
[[faults]]
kind = "clock-skew"
region = "b"
at = "40s"
offset = "+50ms"
[[faults]]
kind = "region-outage"
region = "a"
at = "2m"
duration = "1m"
[[faults]]
kind = "partition"
between = ["b", "c"]
at = "3m30s"
duration = "5s"
[budgets]
lost_writes = 0
"#;

#[test]
fn shrink_keeps_only_the_outage() {
    let dir = temp_dir("shrink", "four");
    let file = dir.join("four.toml");
    std::fs::write(&file, FOUR_FAULTS).unwrap();
    let out = dir.join("small.toml");
    let r = regionsim(&[
        "shrink",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    let one = dir.join("small-1.toml");
    let r1 = regionsim(&[
        "shrink",
        file.to_str().unwrap(),
        "--out",
        one.to_str().unwrap(),
        "--jobs",
        "1",
    ]);
    // Shrunk, and the smaller scenario still breaks the budget: exit 1.
    assert_eq!(r1.status.code(), Some(1));
    assert!(
        std::fs::read(&out).ok() == std::fs::read(&one).ok(),
        "shrink differs between --jobs 1 and --jobs 2"
    );
    let stdout = String::from_utf8_lossy(&r.stdout);
    assert_eq!(
        r.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(stdout.contains("before  faults 4, regions 3"), "{stdout}");
    assert!(stdout.contains("after   faults 1,"), "{stdout}");
    // It says what it removed, not only how many (cli.md).
    assert!(stdout.contains("    - fault latency"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    let small = scenario(&text);
    assert_eq!(small.faults.len(), 1, "{text}");
    assert!(
        matches!(
            small.faults[0].kind,
            regionsim::scenario::FaultKind::RegionOutage { .. }
        ),
        "{text}"
    );
    assert!(text.contains("# Removed or reduced, in order:"), "{text}");
    assert!(text.contains("fault latency"), "{text}");
    // Runnable, and it still breaks the budget.
    let r = regionsim(&[
        "run",
        out.to_str().unwrap(),
        "--out",
        dir.join("r").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));

    // A scenario that holds its budgets: nothing to shrink, exit 0.
    let fine = dir.join("fine.toml");
    std::fs::write(
        &fine,
        FOUR_FAULTS.replace("lost_writes = 0", "lost_writes = 100000"),
    )
    .unwrap();
    let r = regionsim(&[
        "shrink",
        fine.to_str().unwrap(),
        "--out",
        dir.join("x.toml").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&r.stdout).contains("nothing to shrink"));
    assert!(!dir.join("x.toml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_and_says_what_is_accepted() {
    let dir = temp_dir("explore", "bad");
    let file = dir.join("s.toml");
    std::fs::write(&file, semi_sync_crash("50s", "")).unwrap();
    let f = file.to_str().unwrap();
    let cases: [(&[&str], &str); 7] = [
        (&["explore", f, "--budget", "nope"], "accepted: rpo, rto"),
        (&["explore", f], "no budget"),
        (&["explore", f, "--budget", "conflicts"], "multi-primary"),
        (
            &[
                "explore",
                f,
                "--budget",
                "lost_writes",
                "--vary",
                "faults[7].at",
            ],
            "2 fault(s)",
        ),
        (
            &[
                "explore",
                f,
                "--budget",
                "rpo",
                "--vary",
                "faults[0].at=3m..1m",
            ],
            "empty",
        ),
        (&["shrink", f, "--budget", "rto"], "no budget on rto"),
        (
            &["shrink", f, "--out", "small.json"],
            "--out small.json: shrink writes the scenario as TOML; accepted: a file name ending in .toml",
        ),
    ];
    for (args, says) in cases {
        let r = regionsim(args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let r = regionsim(&["explore", "missing.toml"]);
    assert_eq!(r.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// shrink's default output, reports/<name>/shrunk.toml, is under reports/
/// like every command's: a symbolic link planted at reports/<name> is refused
/// (exit 2, naming it), never followed; the folder it points to stays empty.
#[test]
fn shrink_refuses_a_link_planted_at_its_default_folder() {
    let dir = temp_dir("shrink", "link");
    std::fs::write(dir.join("four.toml"), FOUR_FAULTS).unwrap();
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("reports").join("four-faults")).unwrap();
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(["shrink", "four.toml", "--runs", "20", "--jobs", "1"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains("reports/four-faults: is a symbolic link"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--quiet`: nothing on stdout or stderr, the exit code unchanged (1: the
/// worst case, and the shrunk scenario, break the budget); a closed stdout
/// ends both quietly.
#[test]
fn quiet_prints_nothing_and_a_closed_stdout_is_quiet() {
    let dir = temp_dir("explore", "quiet");
    let file = dir.join("four.toml");
    std::fs::write(&file, FOUR_FAULTS).unwrap();
    let f = file.to_str().unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let small = dir.join("small.toml");
    let runs: [&[&str]; 2] = [
        &["explore", f, "--runs", "4", "--out", o, "--quiet"],
        &[
            "shrink",
            f,
            "--runs",
            "6",
            "--out",
            small.to_str().unwrap(),
            "--quiet",
        ],
    ];
    for args in runs {
        let r = regionsim(args);
        assert_eq!(r.status.code(), Some(1), "{args:?}");
        assert!(
            r.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&r.stdout)
        );
        assert!(
            r.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        // The same command with its stdout closed before it prints.
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_regionsim"));
        c.args(&args[..args.len() - 1])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take());
        let r = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{err}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A second explore of the same scenario for another metric replaces the
/// first one's charts (they would sit beside the new worst.toml as if they
/// were its own) and keeps what other commands wrote there.
#[test]
fn explore_drops_an_earlier_explores_charts() {
    let dir = temp_dir("explore", "stale");
    let file = dir.join("four.toml");
    std::fs::write(&file, FOUR_FAULTS).unwrap();
    let f = file.to_str().unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let folder = out.join("four-faults");
    let r = regionsim(&[
        "explore",
        f,
        "--runs",
        "3",
        "--budget",
        "availability",
        "--out",
        o,
        "-q",
    ]);
    assert!(
        r.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(folder.join("availability-vs-fault0-start.svg").exists());
    std::fs::write(folder.join("compare.md"), "kept").unwrap();
    let r = regionsim(&["explore", f, "--runs", "3", "--out", o, "-q"]);
    assert!(
        r.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(folder.join("lost_writes-vs-fault0-start.svg").exists());
    assert!(!folder.join("availability-vs-fault0-start.svg").exists());
    assert_eq!(
        std::fs::read_to_string(folder.join("compare.md")).unwrap(),
        "kept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
