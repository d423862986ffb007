//! Issue 13, outputs through the binary: device nodes and FIFOs written
//! through, nothing written outside `--out`, report folders replaced as a
//! unit, a closed or full stdout never a panic, `--quiet`.

mod common;
use common::{regionsim, temp_dir};
use std::fs;
use std::io::Read;
use std::os::unix::fs::{symlink, FileTypeExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_regionsim"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str) -> PathBuf {
    temp_dir("hio", name)
}

const SMALL: &str = r#"
name = "small"
duration = "20s"
drain = "5s"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "10ms"
[workload]
writes_per_sec = 50
keys = 100
[[workload.clients]]
region = "a"
share = 1.0
count = 5
[replication]
topology = "single-primary"
primary = "a"
[budgets]
lost_writes = 1000
"#;

fn small(dir: &Path) -> String {
    let p = dir.join("small.toml");
    fs::write(&p, SMALL).unwrap();
    p.display().to_string()
}

fn mkfifo(p: &Path) -> bool {
    Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

/// Reads a FIFO to the end in the background.
fn drain(p: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let p = p.to_path_buf();
    std::thread::spawn(move || fs::read(p).unwrap_or_default())
}

#[test]
fn trace_and_junit_to_a_fifo_are_written_through() {
    let d = temp("fifo");
    let s = small(&d);
    let (trace, junit) = (d.join("trace.pipe"), d.join("junit.pipe"));
    if !mkfifo(&trace) || !mkfifo(&junit) {
        return;
    }
    let out = d.join("out").display().to_string();
    let reader = drain(&trace);
    let o = regionsim(&["run", &s, "--out", &out, "--trace", trace.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&reader.join().unwrap()).contains("traceEvents"));
    let reader = drain(&junit);
    let o = regionsim(&[
        "check",
        &s,
        "--out",
        &out,
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&reader.join().unwrap()).contains("<testsuites"));
    for p in [&trace, &junit] {
        assert!(
            fs::symlink_metadata(p).unwrap().file_type().is_fifo(),
            "{} replaced",
            p.display()
        );
    }
}

#[test]
fn trace_to_dev_stdout_goes_to_stdout() {
    let d = temp("stdout");
    let s = small(&d);
    let out = d.join("out").display().to_string();
    let o = regionsim(&[
        "run",
        &s,
        "--out",
        &out,
        "--quiet",
        "--trace",
        "/dev/stdout",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("traceEvents"));
    assert!(fs::symlink_metadata("/dev/stdout").is_ok_and(|m| !m.is_file()));
}

#[test]
fn a_symlink_planted_in_out_is_refused() {
    let d = temp("link");
    let s = small(&d);
    let (out, elsewhere) = (d.join("out"), d.join("elsewhere"));
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    symlink(&elsewhere, out.join("small")).unwrap();
    let o = regionsim(&["run", &s, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("out/small") && err.contains("symbolic link"),
        "{err}"
    );
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written through the link"
    );
    // A link planted at a report file inside the folder is refused too.
    fs::remove_file(out.join("small")).unwrap();
    fs::create_dir(out.join("small")).unwrap();
    let precious = d.join("precious");
    fs::write(&precious, "keep").unwrap();
    symlink(&precious, out.join("small").join("report.json")).unwrap();
    let o = regionsim(&["check", &s, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains("report.json"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(fs::read_to_string(&precious).unwrap(), "keep");
}

#[test]
fn stale_temp_folders_of_killed_runs_are_removed() {
    let d = temp("stale");
    let s = small(&d);
    let out = d.join("out");
    fs::create_dir_all(out.join(".small.tmp.4194999")).unwrap();
    fs::create_dir_all(out.join("small")).unwrap();
    fs::write(out.join("small").join(".report.json.tmp.4194999"), "half").unwrap();
    let o = regionsim(&["run", &s, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let mut top: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["small"]);
    let inner = fs::read_dir(out.join("small")).unwrap();
    assert!(inner
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .all(|n| !n.starts_with('.')));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    for args in [vec!["validate", root], vec!["schema"], vec!["--help"]] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn a_full_stdout_is_exit_2_naming_it() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let o = bin().arg("schema").stdout(full).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("stdout") && err.contains("No space left"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let d = temp("quiet");
    let s = small(&d);
    let out = d.join("out").display().to_string();
    for args in [
        vec!["run", &s, "--out", &out, "--quiet"],
        vec!["--quiet", "check", &s, "--out", &out],
        vec!["validate", "-q", &s],
        vec!["schema", "--quiet"],
    ] {
        let o = regionsim(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            o.stdout.is_empty() && o.stderr.is_empty(),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let o = regionsim(&["validate", "--quiet", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("missing.toml"));
}

/// Runs `cmd` under `script` (a pseudo-terminal); None when there is no `script`.
fn on_a_terminal(cmd: &str, env: &[(&str, &str)]) -> Option<String> {
    let log = std::env::temp_dir().join(format!(
        "regionsim-tty-{}-{}",
        std::process::id(),
        cmd.len()
    ));
    let mut c = Command::new("script");
    c.args(["-qc", cmd, log.to_str().unwrap()])
        .stdout(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    if !c.status().is_ok_and(|s| s.success()) {
        return None;
    }
    let t = fs::read_to_string(&log).ok();
    let _ = fs::remove_file(&log);
    t
}

#[test]
fn a_long_run_shows_a_progress_bar_on_a_terminal_only() {
    let d = temp("bar");
    let s = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ap-async-dns.toml");
    let out = d.join("out").display().to_string();
    let bin = env!("CARGO_BIN_EXE_regionsim");
    let cmd = format!("{bin} run {s} --out {out} > /dev/null");
    let Some(t) = on_a_terminal(&cmd, &[("REGIONSIM_PROGRESS_AFTER_MS", "0")]) else {
        return;
    };
    assert!(t.contains("simulated s") && t.contains("ETA"), "{t}");
    // Not on a pipe, and not with --quiet.
    let o = bin_env(&["run", s, "--out", &out]);
    assert!(!text(&o.stderr).contains("ETA"));
    let t = on_a_terminal(
        &format!("{cmd} --quiet"),
        &[("REGIONSIM_PROGRESS_AFTER_MS", "0")],
    );
    assert!(!t.unwrap_or_default().contains("ETA"));
    // Nor the bar of a check over seeds, with --quiet.
    let t = on_a_terminal(
        &format!("{bin} check {s} --seeds 1..3 --out {out} --quiet"),
        &[],
    );
    let t = t.unwrap_or_default();
    let printed: Vec<&str> = t
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("Script "))
        .collect();
    assert!(printed.is_empty(), "{printed:?}");
    // NO_COLOR: no escape sequences in help on a terminal.
    let t = on_a_terminal(&format!("{bin} run --help"), &[("NO_COLOR", "1")]).unwrap();
    assert!(!t.contains('\u{1b}'), "{t:?}");
}

fn bin_env(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("REGIONSIM_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap()
}
