//! Command line contract v2 extras: `run DIR --json` as JSON Lines and
//! `check --json FILE` as one document.

mod common;
use common::{regionsim, temp_dir};
use std::fs;

fn temp(name: &str) -> std::path::PathBuf {
    temp_dir("v2", name)
}

const SMALL: &str = r#"
name = "NAME"
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
writes_per_sec = 20
keys = 100
[[workload.clients]]
region = "a"
share = 1.0
count = 5
[replication]
topology = "single-primary"
primary = "a"
[budgets]
lost_writes = 0
rpo = "1ms"
"#;

fn two_scenarios(d: &std::path::Path) -> std::path::PathBuf {
    let dir = d.join("scenarios");
    fs::create_dir_all(&dir).unwrap();
    for n in ["one", "two"] {
        fs::write(dir.join(format!("{n}.toml")), SMALL.replace("NAME", n)).unwrap();
    }
    dir
}

#[test]
fn run_dir_json_prints_one_compact_report_per_line() {
    let d = temp("jsonl");
    let dir = two_scenarios(&d);
    let out = d.join("out");
    let o = regionsim(&[
        "run",
        dir.to_str().unwrap(),
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, name) in lines.iter().zip(["one", "two"]) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["scenario"], name, "{line}");
        // The same report as report.json, only compact.
        let file = fs::read_to_string(out.join(name).join("report.json")).unwrap();
        let f: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(v, f);
    }
}

#[test]
fn check_json_writes_the_whole_result() {
    let d = temp("checkjson");
    let dir = two_scenarios(&d);
    let json = d.join("check.json");
    let o = regionsim(&[
        "check",
        dir.to_str().unwrap(),
        "--seeds",
        "1..3",
        "--json",
        json.to_str().unwrap(),
        "--out",
        d.join("out").to_str().unwrap(),
    ]);
    let code = o.status.code();
    assert!(
        matches!(code, Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["exit_code"], code.unwrap());
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    assert_eq!(scenarios[0]["seeds"], serde_json::json!([1, 2, 3]));
    let budgets = scenarios[0]["budgets"].as_array().unwrap();
    assert_eq!(budgets.len(), 2);
    assert_eq!(budgets[0]["runs"].as_array().unwrap().len(), 3);
    assert!(budgets[0]["spread"]["p99"].is_number() || budgets[0]["spread"]["p99"].is_null());
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for (shell, needle) in [
        ("bash", "_regionsim()"),
        ("zsh", "#compdef regionsim"),
        ("fish", "complete -c regionsim"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[regionsim]"),
    ] {
        let o = regionsim(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains(needle),
            "{shell}: {}",
            &text[..text.len().min(300)]
        );
        assert!(
            text.contains("validate") && text.contains("--seeds"),
            "{shell}"
        );
    }
    let o = regionsim(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = regionsim(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(
        page.contains(".TH regionsim 1") && page.contains("validate"),
        "{page}"
    );
}
