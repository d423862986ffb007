//! Issue 13, inputs through the binary: the memory and work reproducers are
//! refused up front (exit 2, naming the fields and the bound), oversized files
//! are refused before parsing, user text is escaped, and `validate` checks
//! every bound `run` checks.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs the binary and measures its wall time (tests may read the clock).
#[allow(clippy::disallowed_methods)]
fn regionsim(args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("the binary runs");
    (o, start.elapsed())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regionsim-hin-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// A shipped scenario with its lines replaced, written to `dir/file`.
fn variant(dir: &Path, file: &str, shipped: &str, edits: &[(&str, &str)], extra: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/");
    let mut s = fs::read_to_string(format!("{root}{shipped}")).unwrap();
    for (from, to) in edits {
        assert!(s.contains(from), "{shipped} lacks {from}");
        s = s.replacen(from, to, 1);
    }
    s.push_str(extra);
    let p = dir.join(file);
    fs::write(&p, s).unwrap();
    p.display().to_string()
}

/// `run` and `validate` both refuse with exit 2, quickly, saying each fragment.
fn refused_by_run_and_validate(file: &str, fragments: &[&str]) {
    let out = format!("{file}.out");
    for args in [vec!["run", file, "--out", &out], vec!["validate", file]] {
        let (o, took) = regionsim(&args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(took < Duration::from_secs(20), "{args:?} took {took:?}");
        assert!(err.contains(file), "{args:?}: {err}");
        for f in fragments {
            assert!(err.contains(f), "{args:?}: {err} lacks {f:?}");
        }
    }
}

#[test]
fn long_timeout_with_the_primary_dark_is_refused_up_front() {
    let d = temp("timeout");
    let f = variant(
        &d,
        "t.toml",
        "ap-async-dns.toml",
        &[
            ("writes_per_sec = 1000", "writes_per_sec = 700"),
            ("request_timeout = \"2s\"", "request_timeout = \"719h\""),
            ("duration = \"40m\"", "duration = \"719h\""),
            ("drain = \"1m\"", "drain = \"0s\""),
            ("at = \"10m\"\nduration = \"20m\"", "at = \"0s\""),
        ],
        "",
    );
    refused_by_run_and_validate(
        &f,
        &[
            "workload.writes_per_sec",
            "workload.request_timeout",
            "in-flight state",
        ],
    );
}

#[test]
fn a_billion_writes_per_second_is_refused_up_front() {
    let d = temp("rate");
    let f = variant(
        &d,
        "r.toml",
        "ap-async-dns.toml",
        &[
            ("writes_per_sec = 1000", "writes_per_sec = 1e9"),
            ("duration = \"40m\"", "duration = \"2s\""),
            ("at = \"10m\"\nduration = \"20m\"", "at = \"1s\""),
        ],
        "",
    );
    refused_by_run_and_validate(&f, &["workload.writes_per_sec", "the bound is 5000000"]);
}

#[test]
fn a_microsecond_health_check_over_weeks_is_refused_up_front() {
    let d = temp("probe");
    let f = variant(
        &d,
        "p.toml",
        "ap-async-dns.toml",
        &[
            ("interval = \"30s\"", "interval = \"1us\""),
            ("writes_per_sec = 1000", "writes_per_sec = 10"),
            ("duration = \"40m\"", "duration = \"719h\""),
            ("drain = \"1m\"", "drain = \"0s\""),
        ],
        "",
    );
    refused_by_run_and_validate(
        &f,
        &[
            "failover.health_check.interval = 1us",
            "the bound is 20000000000 events",
        ],
    );
}

#[test]
fn validate_refuses_what_run_refuses_for_key_copies() {
    let d = temp("copies");
    let f = variant(
        &d,
        "k.toml",
        "aa-lww-global-tables.toml",
        &[("keys = 5000", "keys = 30000000")],
        "",
    );
    refused_by_run_and_validate(&f, &["workload.keys", "multi-primary", "400000000"]);
}

#[test]
fn two_million_links_are_refused_by_size_before_parsing() {
    let d = temp("links");
    let p = d.join("links.toml");
    let mut s = String::from("name = \"l\"\nduration = \"1s\"\n");
    while s.len() <= 17 * 1024 * 1024 {
        s.push_str("[[links]]\nbetween = [\"a\", \"b\"]\nlatency = \"1ms\"\n");
    }
    fs::write(&p, s).unwrap();
    let f = p.display().to_string();
    refused_by_run_and_validate(&f, &["file", "at most 16777216 bytes"]);
}

#[test]
fn control_characters_never_reach_the_terminal_or_junit() {
    let d = temp("escape");
    let f = variant(
        &d,
        "e.toml",
        "ap-async-dns.toml",
        &[(
            "region = \"us-east-1\"\nat",
            "region = \"\\u001b[31m\\n::error::pwned\"\nat",
        )],
        "",
    );
    let junit = d.join("junit.xml");
    let out = d.join("out").display().to_string();
    for args in [
        vec!["validate", &f],
        vec!["run", &f, "--out", &out],
        vec![
            "check",
            &f,
            "--out",
            &out,
            "--junit",
            junit.to_str().unwrap(),
        ],
    ] {
        let (o, _) = regionsim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let all = text(&o.stderr) + &text(&o.stdout);
        assert!(!all.contains('\u{1b}'), "{args:?}: raw escape in {all:?}");
        assert!(
            !all.lines().any(|l| l.starts_with("::error::")),
            "{args:?}: {all}"
        );
        assert!(
            all.contains("\\u{1b}[31m\\n::error::pwned"),
            "{args:?}: {all}"
        );
    }
    let xml = fs::read_to_string(&junit).unwrap();
    assert!(
        !xml.contains('\u{1b}') && !xml.contains("\n::error::"),
        "{xml}"
    );
}

#[test]
fn a_file_name_with_a_newline_is_escaped() {
    let d = temp("name");
    let p = d.join("x\n::error::y.toml");
    fs::write(&p, "name = \"x\"\n").unwrap();
    let (o, _) = regionsim(&["validate", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(!err.lines().any(|l| l.starts_with("::error::")), "{err}");
    assert!(err.contains("x\\n::error::y.toml"), "{err}");
}

#[test]
fn small_input_mistakes_have_useful_messages() {
    let d = temp("small");
    let eof = d.join("eof.toml");
    fs::write(&eof, "name = \"x\"\nduration = ").unwrap();
    let (o, _) = regionsim(&["validate", eof.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("line 2, column 12: the file ends before the value of `duration`"),
        "{}",
        text(&o.stderr)
    );
    let f = variant(&d, "m.toml", "failover-client-side.toml", &[], "");
    let body = fs::read_to_string(&f).unwrap();
    let body = match body.find("max_attempts = ") {
        Some(i) => {
            let end = i + body[i..].find('\n').unwrap();
            format!("{}max_attempts = 1000{}", &body[..i], &body[end..])
        }
        None => panic!("failover-client-side.toml sets max_attempts"),
    };
    fs::write(&f, body).unwrap();
    let (o, _) = regionsim(&["run", &f, "--out", d.join("o").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("failover.client.max_attempts") && err.contains("between 1 and 255"),
        "{err}"
    );
}
