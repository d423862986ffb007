//! `regionsim export --to fis`: every shipped scenario exports; each template
//! has the shape `aws fis create-experiment-template --cli-input-json` takes
//! (keys, known action ids, `startAfter` naming existing actions, ISO 8601
//! durations); and the timing is the scenario's: the waits chained before an
//! action add up to its fault's start, its duration is the fault's.

mod common;
use common::{regionsim, scenario, temp_dir, EVERY_FAULT_KIND};
use regionsim::export::{export_files, plan, ExportTarget, FIS_ACTION_IDS};
use regionsim::scenario::{load_path, FaultKind, Scenario};
use serde_json::Value;
use std::collections::BTreeMap;

/// An ISO 8601 duration of the `PTnHnMn.nS` form, in microseconds.
fn iso_us(text: &str) -> u64 {
    let rest = text
        .strip_prefix("PT")
        .unwrap_or_else(|| panic!("not PT...: {text}"));
    assert!(!rest.is_empty(), "empty duration {text}");
    let (mut total, mut number) = (0f64, String::new());
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = number
                    .parse()
                    .unwrap_or_else(|_| panic!("bad number in {text}"));
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            _ => panic!("unexpected {c:?} in {text}"),
        }
    }
    assert!(number.is_empty(), "trailing number in {text}");
    (total * 1e6).round() as u64
}

fn shipped() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    v.sort();
    assert!(v.len() > 10);
    v
}

/// Checks one template's shape; returns each fault action's (fault number,
/// start from the wait chain, duration).
fn check_template(file: &str, t: &Value) -> Vec<(usize, u64, u64)> {
    for key in [
        "description",
        "targets",
        "actions",
        "stopConditions",
        "roleArn",
        "tags",
    ] {
        assert!(t.get(key).is_some(), "{file}: no `{key}`");
    }
    assert!(t["description"].as_str().unwrap().len() <= 512);
    assert!(t["roleArn"].as_str().unwrap().starts_with("arn:aws:iam::"));
    let stops = t["stopConditions"].as_array().unwrap();
    assert!(!stops.is_empty());
    for s in stops {
        assert_eq!(s["source"], "aws:cloudwatch:alarm", "{file}");
        assert!(s["value"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:cloudwatch:"));
    }
    let targets = t["targets"].as_object().unwrap();
    for (name, target) in targets {
        assert!(name.len() <= 64 && !name.contains(char::is_whitespace));
        let rt = target["resourceType"].as_str().unwrap();
        assert!(["aws:ec2:subnet", "aws:ec2:instance"].contains(&rt), "{rt}");
        assert!(target["resourceTags"].is_object() || target["resourceArns"].is_array());
        assert_eq!(target["selectionMode"], "ALL");
    }
    let actions = t["actions"].as_object().unwrap();
    assert!(!actions.is_empty(), "{file}: a template without actions");
    for (name, a) in actions {
        assert!(
            name.len() <= 64 && !name.contains(char::is_whitespace),
            "{name}"
        );
        let id = a["actionId"].as_str().unwrap();
        assert!(
            FIS_ACTION_IDS.contains(&id),
            "{file}: unknown actionId {id}"
        );
        iso_us(
            a["parameters"]["duration"]
                .as_str()
                .expect("every action has a duration"),
        );
        for after in a
            .get("startAfter")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let after = after.as_str().unwrap();
            assert!(
                actions.contains_key(after),
                "{file}: {name} starts after unknown {after}"
            );
        }
        for (_, target) in a
            .get("targets")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            assert!(
                targets.contains_key(target.as_str().unwrap()),
                "{file}: {name} targets {target}"
            );
        }
        if id == "aws:ssm:send-command" {
            let doc = a["parameters"]["documentArn"].as_str().unwrap();
            assert!(
                doc.ends_with(":document/AWSFIS-Run-Network-Latency"),
                "{doc}"
            );
            let params: Value =
                serde_json::from_str(a["parameters"]["documentParameters"].as_str().unwrap())
                    .unwrap();
            assert!(params["DelayMilliseconds"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .is_ok());
        }
    }
    // Walk each fault action's chain of waits back to the start.
    let mut out = Vec::new();
    for (name, a) in actions {
        if a["actionId"] == "aws:fis:wait" {
            continue;
        }
        let mut start = 0;
        let mut prev = a.get("startAfter").and_then(|s| s[0].as_str());
        let mut hops = 0;
        while let Some(w) = prev {
            let wait = &actions[w];
            assert_eq!(
                wait["actionId"], "aws:fis:wait",
                "{name} chains after a non-wait"
            );
            start += iso_us(wait["parameters"]["duration"].as_str().unwrap());
            prev = wait.get("startAfter").and_then(|s| s[0].as_str());
            hops += 1;
            assert!(hops <= actions.len(), "{file}: a startAfter cycle");
        }
        let number: usize = name[1..name.find('-').unwrap()].parse().unwrap();
        let duration = iso_us(a["parameters"]["duration"].as_str().unwrap());
        out.push((number, start, duration));
    }
    out
}

/// Every exportable fault of `s` has actions, each at the fault's start and
/// for its duration; clock skew is listed in the README, never dropped.
fn check_export(s: &Scenario) {
    let files = export_files(s, ExportTarget::Fis);
    let readme = &files
        .iter()
        .find(|(n, _)| n == "README.md")
        .expect("README.md")
        .1;
    let mut timed: BTreeMap<usize, Vec<(u64, u64)>> = BTreeMap::new();
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".json")) {
        let t: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (n, start, dur) in check_template(name, &t) {
            timed.entry(n).or_default().push((start, dur));
        }
    }
    let (steps, _) = plan(s);
    for step in &steps {
        let got = timed.get(&step.number);
        if let FaultKind::ClockSkew { .. } = step.kind {
            assert!(got.is_none());
            assert!(
                readme.contains(&format!("fault {} ({})", step.number, step.label)),
                "{}: clock skew not listed in the README",
                s.name
            );
            continue;
        }
        let got = got.unwrap_or_else(|| panic!("{}: fault {} has no action", s.name, step.number));
        for &(start, dur) in got {
            assert_eq!(
                start, step.start_us,
                "{}: fault {} start",
                s.name, step.number
            );
            assert_eq!(
                dur, step.duration_us,
                "{}: fault {} duration",
                s.name, step.number
            );
        }
    }
}

#[test]
fn every_shipped_scenario_exports_to_fis_with_its_timing() {
    for path in shipped() {
        let s = load_path(&path).unwrap();
        check_export(&s);
    }
}

#[test]
fn every_fault_kind_maps_and_keeps_its_timing() {
    let s = scenario(EVERY_FAULT_KIND);
    check_export(&s);
    let files = export_files(&s, ExportTarget::Fis);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "experiment-template-us-east-1.json",
            "experiment-template-eu-west-1.json",
            "experiment-template-ap-northeast-1.json",
            "README.md"
        ]
    );
    let us: Value = serde_json::from_str(&files[0].1).unwrap();
    let a = &us["actions"];
    // A one-way partition: only us-east-1's routes, towards each region of the other side.
    assert_eq!(
        a["f2-partition-to-eu-west-1"]["parameters"]["region"],
        "eu-west-1"
    );
    assert_eq!(
        a["f2-partition-to-ap-northeast-1"]["parameters"]["region"],
        "ap-northeast-1"
    );
    let eu: Value = serde_json::from_str(&files[1].1).unwrap();
    assert!(eu["actions"].get("f2-partition-to-us-east-1").is_none());
    // Both ways: the other side's routes too.
    assert_eq!(
        eu["actions"]["f3-partition-to-us-east-1"]["parameters"]["region"],
        "us-east-1"
    );
    // Two faults at one instant share one wait; a fault at 0 waits for nothing.
    assert_eq!(
        a["f2-partition-to-eu-west-1"]["startAfter"],
        a["f3-partition-to-eu-west-1"]["startAfter"]
    );
    assert!(eu["actions"]["f7-outage-eu-west-1"]
        .get("startAfter")
        .is_none());
    assert_eq!(a["f6-outage-us-east-1"]["parameters"]["duration"], "PT9M");
    assert_eq!(
        a["f6-outage-us-east-1"]["targets"]["Subnets"],
        "us-east-1-subnets"
    );
    assert_eq!(
        us["targets"]["us-east-1-subnets"]["resourceTags"]["regionsim-target"],
        "us-east-1-subnets"
    );
    let readme = &files[3].1;
    assert!(readme.contains("## Not exportable") && readme.contains("clock-skew eu-west-1 -40ms"));
    assert!(readme.contains("held until the end of the run (21m)"));
    assert!(readme
        .contains("https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html"));
}

#[test]
fn the_cli_writes_the_templates_and_refuses_a_link() {
    let out = temp_dir("export", "fis");
    let o = out.to_str().unwrap();
    let r = regionsim(&[
        "export",
        "scenarios/ap-async-dns.toml",
        "--to",
        "fis",
        "--out",
        o,
    ]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let dir = out.join("ap-async-dns/fis");
    let t: Value = serde_json::from_slice(
        &std::fs::read(dir.join("experiment-template-us-east-1.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        t["actions"]["wait-until-10m"]["parameters"]["duration"],
        "PT10M"
    );
    assert_eq!(
        t["actions"]["f1-outage-us-east-1"]["parameters"]["duration"],
        "PT20M"
    );
    assert!(dir.join("README.md").exists());
    let q = regionsim(&[
        "export",
        "scenarios/ap-async-dns.toml",
        "--to",
        "fis",
        "--out",
        o,
        "--quiet",
    ]);
    assert_eq!(q.status.code(), Some(0));
    assert!(q.stdout.is_empty() && q.stderr.is_empty());
    // Bad input: exit 2 naming what is accepted.
    let bad = regionsim(&["export", "scenarios/ap-async-dns.toml", "--to", "gremlin"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("chaos-mesh"));
    let missing = regionsim(&["export", "nope.toml", "--to", "fis", "--out", o]);
    assert_eq!(missing.status.code(), Some(2));
    // A symbolic link planted at <out>/<name> is not followed.
    let linked = temp_dir("export", "fis-link");
    let elsewhere = temp_dir("export", "fis-elsewhere");
    std::os::unix::fs::symlink(&elsewhere, linked.join("ap-async-dns")).unwrap();
    let l = linked.to_str().unwrap();
    let r = regionsim(&[
        "export",
        "scenarios/ap-async-dns.toml",
        "--to",
        "fis",
        "--out",
        l,
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none());
}

#[test]
fn the_readme_shows_the_real_exports_of_ap_async_dns() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let s = load_path(std::path::Path::new("scenarios/ap-async-dns.toml")).unwrap();
    let fis = export_files(&s, ExportTarget::Fis);
    assert!(
        readme.contains(&format!("```json\n{}```", fis[0].1)),
        "README's FIS template is stale"
    );
    let cm = export_files(&s, ExportTarget::ChaosMesh);
    assert!(
        readme.contains(&format!("```yaml\n{}```", cm[0].1)),
        "README's workflow is stale"
    );
    assert!(readme.contains("](docs/game-day.md)"));
}

/// The scenario's name in each README's code span is shown as written (no
/// Markdown backslash escapes, which are literal inside backticks).
#[test]
fn readmes_show_the_scenario_name_as_written() {
    let s = scenario(&EVERY_FAULT_KIND.replace("name = \"every-fault\"", "name = \"my_game_day\""));
    for to in [ExportTarget::Fis, ExportTarget::ChaosMesh] {
        let files = export_files(&s, to);
        let readme = &files.iter().find(|(n, _)| n == "README.md").unwrap().1;
        assert!(
            readme.contains("from scenario `my_game_day` (file sha256"),
            "{readme}"
        );
    }
}
