//! `regionsim sweep` and `regionsim merge`: determinism over threads and
//! shards, percentiles, and the exit codes of bad input.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Three regions (a primary, a replica, a checker), 3 minutes at 100 writes/s,
/// the primary down from 30 s to 2 min 30 s: each run takes a few milliseconds.
const SCENARIO: &str = r#"
name = "tiny-sweep"
seed = 5
duration = "3m"
drain = "20s"
regions = [{ name = "a" }, { name = "b" }, { name = "c" }]
links = [
  { between = ["a", "b"], latency = { dist = "lognormal", median = "30ms", p99 = "40ms" } },
  { between = ["a", "c"], latency = "10ms" },
  { between = ["b", "c"], latency = "10ms" },
]
faults = [{ kind = "region-outage", region = "a", at = "30s", duration = "2m" }]
budgets = { rto = "90s" }
[workload]
writes_per_sec = 100
keys = 1000
request_timeout = "2s"
clients = [{ region = "a", share = 0.5, count = 20 }, { region = "b", share = 0.5, count = 20 }]
[replication]
primary = "a"
replicas = ["b"]
mode = "async"
[failover]
promotion_delay = "5s"
health_check = { interval = "5s", failure_threshold = 2, timeout = "2s", checkers = ["b", "c"] }
dns = { ttl = "30s" }
"#;

fn regionsim(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_regionsim"));
    cmd.args(args);
    for k in [
        "JOB_COMPLETION_INDEX",
        "JOB_COMPLETIONS",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
    ] {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("the regionsim binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

struct Fixture {
    dir: tempfile::TempDir,
    scenario: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tiny.toml");
        fs::write(&path, SCENARIO).expect("write scenario");
        let scenario = path.to_str().expect("utf-8 path").to_string();
        Fixture { dir, scenario }
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `sweep` with the standard grid plus `extra` flags, into `out`.
    fn sweep(&self, out: &Path, extra: &[&str]) -> Output {
        let mut args = vec![
            "sweep",
            &self.scenario,
            "--seeds",
            "1..3",
            "--set",
            "failover.dns.ttl=10s,60s",
            "--set",
            "replication.mode=async,semi-sync",
            "--out",
            out.to_str().unwrap_or("."),
        ];
        args.extend_from_slice(extra);
        regionsim(&args, &[])
    }
}

/// Every file under `dir`, by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("output folder")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).expect("read"))
        })
        .collect();
    v.sort();
    v
}

fn exit_ok_or_budget(o: &Output) {
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        o.status.code(),
        stderr(o)
    );
}

#[test]
fn threads_and_shards_give_the_same_bytes() {
    let fx = Fixture::new();
    let one = fx.out("jobs1");
    let o = fx.sweep(&one, &["--jobs", "1"]);
    exit_ok_or_budget(&o);
    let code = o.status.code();
    let two = fx.out("jobs2");
    assert_eq!(fx.sweep(&two, &["--jobs", "2"]).status.code(), code);
    let reference = files(&one.join("tiny-sweep"));
    let names: Vec<&str> = reference.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "sweep.json",
        "sweep.md",
        "sweep.csv",
        "rto-vs-failover.dns.ttl.svg",
        "frontier.svg",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(
        files(&two.join("tiny-sweep")),
        reference,
        "--jobs 1 vs --jobs 2"
    );

    for n in [1, 2, 3] {
        let shards = fx.out(&format!("shards{n}"));
        for k in 1..=n {
            let o = fx.sweep(&shards, &["--shard", &format!("{k}/{n}"), "--jobs", "2"]);
            exit_ok_or_budget(&o);
            assert!(shards
                .join("tiny-sweep")
                .join(format!("shard-{k}-of-{n}.json"))
                .is_file());
        }
        let merged = fx.out(&format!("merged{n}"));
        let o = regionsim(
            &[
                "merge",
                shards.to_str().unwrap(),
                "--out",
                merged.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(o.status.code(), code, "merge of {n}: {}", stderr(&o));
        assert_eq!(
            files(&merged.join("tiny-sweep")),
            reference,
            "{n} shards merged"
        );
    }
}

/// Nearest-rank over the values of one metric, null as +infinity.
fn recompute(values: &[Value], pct: usize) -> Value {
    let mut v: Vec<Value> = values.to_vec();
    v.sort_by(|a, b| match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
    });
    let rank = (pct * v.len()).div_ceil(100).max(1);
    v[rank - 1].clone()
}

#[test]
fn percentiles_match_the_rows_and_rows_keep_the_fixed_order() {
    let fx = Fixture::new();
    let out = fx.out("p");
    exit_ok_or_budget(&fx.sweep(&out, &[]));
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(out.join("tiny-sweep/sweep.json")).unwrap())
            .unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let points = doc["points"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(points.len(), 4);
    let order = [
        ("10s", "async"),
        ("10s", "semi-sync"),
        ("60s", "async"),
        ("60s", "semi-sync"),
    ];
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["index"], i);
        assert_eq!(r["seed"], 1 + (i % 3) as u64);
        let (ttl, mode) = order[i / 3];
        assert_eq!(r["params"]["failover.dns.ttl"], ttl);
        assert_eq!(r["params"]["replication.mode"], mode);
    }
    let mut checked = 0;
    for p in points {
        let mine: Vec<&Value> = rows.iter().filter(|r| r["point"] == p["point"]).collect();
        assert_eq!(mine.len(), 3);
        for (key, stats) in p["metrics"].as_object().unwrap() {
            let values: Vec<Value> = mine.iter().map(|r| r["metrics"][key].clone()).collect();
            for (name, pct) in [
                ("p50", 50),
                ("p95", 95),
                ("p99", 99),
                ("min", 0),
                ("max", 100),
            ] {
                assert_eq!(
                    stats[name],
                    recompute(&values, pct),
                    "{key} {name} at {}",
                    p["params"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4 * 19 * 5);

    // sweep.csv: one row per run, the same columns and figures as sweep.json's rows.
    let csv = fs::read_to_string(out.join("tiny-sweep/sweep.csv")).unwrap();
    let lines: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(lines.len(), 1 + rows.len());
    let head = &lines[0];
    assert_eq!(
        head[..6],
        [
            "index",
            "point",
            "failover.dns.ttl",
            "replication.mode",
            "seed",
            "budgets_breached"
        ]
    );
    let metric_keys: Vec<&str> = rows[0]["metrics"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut csv_keys = head[6..].to_vec();
    csv_keys.sort_unstable();
    assert_eq!(csv_keys, metric_keys);
    for (r, line) in rows.iter().zip(&lines[1..]) {
        assert_eq!(line[0], r["index"].to_string());
        assert_eq!(line[2], r["params"]["failover.dns.ttl"].as_str().unwrap());
        assert_eq!(line[4], r["seed"].to_string());
        for (k, cell) in head[6..].iter().zip(&line[6..]) {
            let v = &r["metrics"][*k];
            let want = if v.is_null() {
                String::new()
            } else {
                v.to_string()
            };
            assert_eq!(*cell, want, "{k} of run {}", r["index"]);
        }
    }
}

/// Invalid `--set` paths and values, shards, seeds and job counts: exit 2
/// before anything runs, with a message naming what was wrong.
#[test]
fn bad_input_exits_2_naming_it() {
    let fx = Fixture::new();
    let out = fx.out("bad");
    let cases = [
        ("--set failover.dns.tll=10s,30s", "failover.dns.tll"),
        ("--set failover.dns.ttl=10s,soon", "soon"),
        ("--set replication.mode=async,eventually", "eventually"),
        ("--set failover.dns.ttl", "failover.dns.ttl"),
        ("--set failover.dns.ttl=10s,,30s", "failover.dns.ttl"),
        ("--set seed=1 --set seed=2", "seed"),
        ("--shard 0/3", "0/3"),
        ("--shard 4/3", "4/3"),
        ("--shard 1-3", "1-3"),
        ("--shard auto", "JOB_COMPLETION_INDEX"),
        ("--seeds 5..1", "5..1"),
        ("--seeds a..b", "a..b"),
        ("--seeds 1..x", "1..x"),
        ("--jobs 0", "0"),
    ];
    for (flags, needle) in cases {
        let mut all = vec![
            "sweep",
            fx.scenario.as_str(),
            "--out",
            out.to_str().unwrap(),
        ];
        all.extend(flags.split(' '));
        let o = regionsim(&all, &[]);
        assert_eq!(o.status.code(), Some(2), "{flags}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{flags}: {}", stderr(&o));
        if flags.contains("=10s,soon") {
            assert!(stderr(&o).contains("failover.dns.ttl"), "{}", stderr(&o));
        }
    }
    assert!(!out.exists(), "nothing is run or written for invalid input");
}

#[test]
fn shard_auto_reads_kubernetes_and_slurm() {
    let fx = Fixture::new();
    let out = fx.out("auto");
    let base = [
        "sweep",
        fx.scenario.as_str(),
        "--seeds",
        "1..2",
        "--shard",
        "auto",
        "--out",
        out.to_str().unwrap(),
    ];
    let o = regionsim(
        &base,
        &[("JOB_COMPLETION_INDEX", "1"), ("JOB_COMPLETIONS", "2")],
    );
    exit_ok_or_budget(&o);
    assert!(
        out.join("tiny-sweep/shard-2-of-2.json").is_file(),
        "{}",
        stderr(&o)
    );
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "1"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "2"),
    ];
    exit_ok_or_budget(&regionsim(&base, &slurm));
    assert!(out.join("tiny-sweep/shard-1-of-2.json").is_file());
    let merged = fx.out("auto-merged");
    let o = regionsim(
        &[
            "merge",
            out.join("tiny-sweep").to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
        &[],
    );
    exit_ok_or_budget(&o);
    let doc: Value =
        serde_json::from_str(&fs::read_to_string(merged.join("tiny-sweep/sweep.json")).unwrap())
            .unwrap();
    assert_eq!(doc["rows"].as_array().map(Vec::len), Some(2));
}

#[test]
fn merge_refuses_incomplete_overlapping_and_foreign_shards() {
    let fx = Fixture::new();
    let a = fx.out("a");
    for k in 1..=3 {
        exit_ok_or_budget(&fx.sweep(&a, &["--shard", &format!("{k}/3")]));
    }
    let dir = a.join("tiny-sweep");
    let shard = |k: u32| {
        dir.join(format!("shard-{k}-of-3.json"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let out = fx.out("m");
    let merge = |paths: &[String]| {
        let mut args = vec!["merge".to_string()];
        args.extend_from_slice(paths);
        args.extend(["--out".to_string(), out.to_str().unwrap().to_string()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        regionsim(&refs, &[])
    };
    let o = merge(&[shard(1), shard(2)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing"), "{}", stderr(&o));
    let o = merge(&[shard(1), shard(2), shard(3), shard(3)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("in both"), "{}", stderr(&o));
    // A shard of another grid (other seeds) belongs to another sweep.
    let b = fx.out("b");
    let o = regionsim(
        &[
            "sweep",
            &fx.scenario,
            "--seeds",
            "1..4",
            "--set",
            "failover.dns.ttl=10s,60s",
            "--set",
            "replication.mode=async,semi-sync",
            "--shard",
            "3/3",
            "--out",
            b.to_str().unwrap(),
        ],
        &[],
    );
    exit_ok_or_budget(&o);
    let foreign = b
        .join("tiny-sweep/shard-3-of-3.json")
        .to_str()
        .unwrap()
        .to_string();
    let o = merge(&[shard(1), shard(2), foreign]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("different sweep"), "{}", stderr(&o));
    assert!(!out.exists());
    let o = merge(&[fx.out("nowhere").to_str().unwrap().to_string()]);
    assert_eq!(o.status.code(), Some(2));
}

/// sweep.md's "Reproduce" line names the scenario file as it was given, so
/// the command can be pasted as is.
#[test]
fn sweep_md_reproduce_line_names_the_scenario_file() {
    let fx = Fixture::new();
    let out = fx.out("repro");
    exit_ok_or_budget(&fx.sweep(&out, &[]));
    let md = fs::read_to_string(out.join("tiny-sweep/sweep.md")).expect("sweep.md");
    let line = md
        .lines()
        .find(|l| l.starts_with("Reproduce: "))
        .expect("a Reproduce line");
    assert_eq!(
        line,
        format!(
            "Reproduce: `regionsim sweep {} --seeds 1..3 --set failover.dns.ttl=10s,60s --set replication.mode=async,semi-sync`",
            fx.scenario
        )
    );
    assert!(!md.contains("SCENARIO"));
}
