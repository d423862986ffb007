//! `regionsim export --to chaos-mesh`: every shipped scenario exports; the
//! YAML parses, each document has apiVersion, kind, metadata.name and a spec;
//! each chaos step has the right kind and action; the workflow's Suspend and
//! chaos deadlines equal each fault's start and duration; user text is quoted.

mod common;
use common::{regionsim, scenario, temp_dir, EVERY_FAULT_KIND};
use regionsim::export::{export_files, plan, ExportTarget};
use regionsim::scenario::{load_path, Direction, FaultKind, Scenario};
use serde::Deserialize;
use serde_norway::Value;

/// A Go duration (`10m`, `1m30s`, `1.5s`, `250ms`, `-40ms`) in microseconds.
fn go_us(text: &str) -> i64 {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, text),
    };
    let (mut total, mut i) = (0f64, 0);
    let b = rest.as_bytes();
    assert!(!rest.is_empty(), "empty duration");
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let n: f64 = rest[start..i]
            .parse()
            .unwrap_or_else(|_| panic!("bad {text}"));
        let ustart = i;
        while i < b.len() && !(b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        total += n * match &rest[ustart..i] {
            "h" => 3.6e9,
            "m" => 6e7,
            "s" => 1e6,
            "ms" => 1e3,
            "us" => 1.0,
            u => panic!("unit {u:?} in {text}"),
        };
    }
    sign * total.round() as i64
}

fn docs(yaml: &str) -> Vec<Value> {
    serde_norway::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("the YAML parses"))
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

fn template<'a>(templates: &'a [Value], name: &str) -> &'a Value {
    templates
        .iter()
        .find(|t| t["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no template {name}"))
}

/// links.yaml: one standing NetworkChaos delay per link, in link order, its
/// latency and jitter the link distribution's (median or mean, spread).
fn check_links(sc: &Scenario, files: &[(String, String)]) {
    let Some((_, text)) = files.iter().find(|f| f.0 == "links.yaml") else {
        assert!(sc.links.is_empty(), "{}: no links.yaml", sc.name);
        return;
    };
    let docs = docs(text);
    assert_eq!(docs.len(), sc.links.len());
    for (d, l) in docs.iter().zip(&sc.links) {
        assert_eq!(s(&d["apiVersion"]), "chaos-mesh.org/v1alpha1");
        assert_eq!(s(&d["kind"]), "NetworkChaos");
        let name = s(&d["metadata"]["name"]);
        assert!(name.len() <= 63 && !name.ends_with('-'), "{name}");
        let spec = &d["spec"];
        assert_eq!(s(&spec["action"]), "delay");
        assert_eq!(s(&spec["direction"]), "both");
        assert_eq!(
            s(&spec["selector"]["labelSelectors"]["region"]),
            sc.regions[l.a].name
        );
        assert_eq!(
            s(&spec["target"]["selector"]["labelSelectors"]["region"]),
            sc.regions[l.b].name
        );
        let (lat, jit, _) = regionsim::export::netem_delay(&l.latency);
        assert_eq!(go_us(s(&spec["delay"]["latency"])), lat as i64);
        assert_eq!(go_us(s(&spec["delay"]["jitter"])), jit as i64);
    }
}

#[test]
fn link_delays_follow_each_distribution() {
    use regionsim::scenario::LatencyDist as D;
    let cases = [
        (D::Constant { us: 38_000 }, (38_000, 0)),
        (
            D::Normal {
                mean_us: 36_000,
                stddev_us: 1_000,
            },
            (36_000, 1_000),
        ),
        (
            D::LogNormal {
                median_us: 38_000,
                p99_us: 45_000,
            },
            (38_000, 7_000),
        ),
        (
            D::Uniform {
                min_us: 35_000,
                max_us: 45_000,
            },
            (40_000, 5_000),
        ),
    ];
    for (d, want) in cases {
        let (lat, jit, _) = regionsim::export::netem_delay(&d);
        assert_eq!((lat, jit), want, "{d:?}");
    }
}

fn check_export(sc: &Scenario) {
    let files = export_files(sc, ExportTarget::ChaosMesh);
    assert_eq!(files[0].0, "workflow.yaml");
    assert_eq!(files[1].0, "README.md");
    check_links(sc, &files);
    let docs = docs(&files[0].1);
    assert_eq!(docs.len(), 1);
    for d in &docs {
        assert_eq!(s(&d["apiVersion"]), "chaos-mesh.org/v1alpha1");
        let name = s(&d["metadata"]["name"]);
        assert!(
            name.len() <= 63
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
        assert!(!name.starts_with('-') && !name.ends_with('-'));
        assert!(d["spec"].is_mapping());
        assert_eq!(s(&d["kind"]), "Workflow");
    }
    let wf = &docs[0];
    let templates = wf["spec"]["templates"].as_sequence().unwrap();
    let entry = template(templates, s(&wf["spec"]["entry"]));
    assert_eq!(s(&entry["templateType"]), "Parallel");
    for t in templates {
        let kind = s(&t["templateType"]);
        assert!(
            [
                "Parallel",
                "Serial",
                "Suspend",
                "NetworkChaos",
                "PodChaos",
                "TimeChaos"
            ]
            .contains(&kind),
            "{kind}"
        );
        for child in t["children"].as_sequence().into_iter().flatten() {
            template(templates, s(child));
        }
    }
    let (steps, _) = plan(sc);
    assert_eq!(entry["children"].as_sequence().unwrap().len(), steps.len());
    for step in &steps {
        let n = step.number;
        let branch = template(templates, &format!("fault-{n}"));
        let children: Vec<&str> = branch["children"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(s)
            .collect();
        if step.start_us > 0 {
            assert_eq!(
                children,
                [format!("fault-{n}-wait"), format!("fault-{n}-chaos")]
            );
            let wait = template(templates, &format!("fault-{n}-wait"));
            assert_eq!(s(&wait["templateType"]), "Suspend");
            assert_eq!(
                go_us(s(&wait["deadline"])),
                step.start_us as i64,
                "{}: fault {n} start",
                sc.name
            );
        } else {
            assert_eq!(children, [format!("fault-{n}-chaos")]);
        }
        let chaos = template(templates, &format!("fault-{n}-chaos"));
        assert_eq!(
            go_us(s(&chaos["deadline"])),
            step.duration_us as i64,
            "{}: fault {n} duration",
            sc.name
        );
        let kind = s(&chaos["templateType"]);
        match step.kind {
            FaultKind::RegionOutage { region } => {
                assert_eq!(kind, "PodChaos");
                let spec = &chaos["podChaos"];
                assert_eq!(s(&spec["action"]), "pod-failure");
                assert_eq!(
                    s(&spec["selector"]["labelSelectors"]["region"]),
                    sc.regions[*region].name
                );
            }
            FaultKind::Partition {
                direction, side_b, ..
            } => {
                assert_eq!(kind, "NetworkChaos");
                let spec = &chaos["networkChaos"];
                assert_eq!(s(&spec["action"]), "partition");
                let want = if *direction == Direction::Both {
                    "both"
                } else {
                    "to"
                };
                assert_eq!(s(&spec["direction"]), want);
                let target = &spec["target"]["selector"];
                if side_b.len() == 1 {
                    assert_eq!(
                        s(&target["labelSelectors"]["region"]),
                        sc.regions[side_b[0]].name
                    );
                } else {
                    let values = target["expressionSelectors"][0]["values"]
                        .as_sequence()
                        .unwrap();
                    assert_eq!(values.len(), side_b.len());
                }
            }
            FaultKind::Latency { add_us, .. } => {
                assert_eq!(kind, "NetworkChaos");
                let spec = &chaos["networkChaos"];
                assert_eq!(s(&spec["action"]), "delay");
                assert_eq!(go_us(s(&spec["delay"]["latency"])), *add_us as i64);
                assert_eq!(go_us(s(&spec["delay"]["jitter"])), 0);
            }
            FaultKind::ClockSkew { offset_us, .. } => {
                assert_eq!(kind, "TimeChaos");
                assert_eq!(go_us(s(&chaos["timeChaos"]["timeOffset"])), *offset_us);
            }
        }
    }
    assert!(files[1].1.contains("## Not exportable"));
}

#[test]
fn every_shipped_scenario_exports_to_chaos_mesh_with_its_timing() {
    let mut paths: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        check_export(&load_path(&path).unwrap());
    }
}

#[test]
fn every_fault_kind_maps_and_keeps_its_timing() {
    let sc = scenario(EVERY_FAULT_KIND);
    check_export(&sc);
    let readme = &export_files(&sc, ExportTarget::ChaosMesh)[1].1;
    assert!(readme.contains("held until the end of the run (21m)"));
    assert!(readme.contains("https://chaos-mesh.org/docs/create-chaos-mesh-workflow/"));
}

#[test]
fn user_text_cannot_break_the_yaml() {
    let odd = "us \"east\": #1\\ {x}";
    let toml = EVERY_FAULT_KIND.replace("\"us-east-1\"", &format!("{:?}", odd));
    let sc = scenario(&toml);
    check_export(&sc);
    let yaml = &export_files(&sc, ExportTarget::ChaosMesh)[0].1;
    let d = &docs(yaml)[0];
    assert_eq!(
        s(&d["metadata"]["annotations"]["regionsim/scenario"]),
        "every-fault"
    );
    let fis = export_files(&sc, ExportTarget::Fis);
    for (name, text) in fis.iter().filter(|(n, _)| n.ends_with(".json")) {
        serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn the_cli_writes_the_workflow() {
    let out = temp_dir("export", "chaos-mesh");
    let o = out.to_str().unwrap();
    let r = regionsim(&[
        "export",
        "scenarios/ap-async-partition.toml",
        "--to",
        "chaos-mesh",
        "--out",
        o,
    ]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let yaml =
        std::fs::read_to_string(out.join("ap-async-partition/chaos-mesh/workflow.yaml")).unwrap();
    let d = &docs(&yaml)[0];
    assert_eq!(s(&d["kind"]), "Workflow");
    assert!(out.join("ap-async-partition/chaos-mesh/README.md").exists());
}
