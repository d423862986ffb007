//! The `regionsim` binary's basic contract: exit codes and help texts.

use std::process::{Command, Output};

fn regionsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(args)
        .output()
        .expect("the regionsim binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_missing_file_exits_2_and_names_it() {
    let out = regionsim(&["validate", "no/such/scenario-xyz.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("scenario-xyz.toml"),
        "stderr: {}",
        text(&out.stderr)
    );
}

#[test]
fn validate_empty_dir_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = regionsim(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no scenario files"));
}

#[test]
fn unknown_flag_exits_2() {
    for args in [
        &["run", "--no-such-flag", "x.toml"][..],
        &["validate", "--no-such-flag", "x.toml"],
        &["--no-such-flag"],
        &["no-such-command"],
        &["run"],
    ] {
        let out = regionsim(args);
        assert_eq!(out.status.code(), Some(2), "args {args:?}");
        assert!(!out.stderr.is_empty(), "args {args:?}: says why");
    }
}

#[test]
fn help_has_examples_and_exits_0() {
    for args in [
        &["run", "--help"][..],
        &["validate", "--help"],
        &["explore", "--help"],
        &["shrink", "--help"],
        &["help", "run"],
        &["--help"],
    ] {
        let out = regionsim(args);
        assert_eq!(out.status.code(), Some(0), "args {args:?}");
        assert!(
            text(&out.stdout).contains("Example"),
            "args {args:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn version_exits_0() {
    let out = regionsim(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}
