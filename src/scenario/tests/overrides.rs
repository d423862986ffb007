//! `--set` overrides: values, paths, creation of tables, and errors.

use super::super::types::{LatencyDist, ReplicationMode, RoutingKind};
use super::super::{parse_validated, parse_with_overrides, Format, Scenario, ScenarioError};
use super::MINIMAL;

fn with(list: &[(&str, &str)]) -> Result<Scenario, ScenarioError> {
    let owned: Vec<(String, String)> = list
        .iter()
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect();
    parse_with_overrides(MINIMAL, "o.toml", Format::Toml, &owned)
}

#[test]
fn overrides_set_values_and_create_tables() {
    let s = with(&[
        ("failover.dns.ttl", "30s"),
        ("workload.writes_per_sec", "500"),
        ("seed", "7"),
        (
            "links[0].latency",
            "{ dist = \"uniform\", min = \"1ms\", max = \"3ms\" }",
        ),
        ("workload.clients[0].count", "12"),
        ("description", "\"quoted text\""),
        ("failover.fencing", "false"),
        ("regions.1.commit_latency", "2ms"),
    ])
    .expect("valid");
    let f = s.failover.as_ref().expect("failover created");
    assert_eq!(f.routing.dns().map(|d| d.ttl_us), Some(30_000_000));
    assert_eq!(s.workload.writes_per_sec, 500.0);
    assert_eq!(s.seed, 7);
    assert_eq!(
        s.links[0].latency,
        LatencyDist::Uniform {
            min_us: 1_000,
            max_us: 3_000
        }
    );
    assert_eq!(s.workload.clients[0].count, 12);
    assert_eq!(s.description, "quoted text");
    assert_eq!(s.regions[1].commit_latency_us, 2_000);
    // The sha stays the file's.
    assert_eq!(s.source_sha256, with(&[]).expect("valid").source_sha256);
}

#[test]
fn overrides_of_the_same_path_apply_in_order() {
    let s = with(&[("seed", "1"), ("seed", "2")]).expect("valid");
    assert_eq!(s.seed, 2);
}

#[test]
fn overrides_reach_json_files_too() {
    let json = r#"{"name": "j", "duration": "1m", "regions": [{"name": "a"}],
        "workload": {"writes_per_sec": 1, "clients": [{"region": "a", "share": 1}]},
        "replication": {"primary": "a"}}"#;
    let list = vec![("replication.mode".to_string(), "sync".to_string())];
    let e = parse_with_overrides(json, "j.json", Format::Json, &list).expect_err("no replica");
    assert!(e.to_string().contains("needs at least one replica"), "{e}");
    let list = vec![("drain".to_string(), "5s".to_string())];
    let s = parse_with_overrides(json, "j.json", Format::Json, &list).expect("valid");
    assert_eq!(s.drain_us, 5_000_000);
}

#[test]
fn an_override_to_an_unsupported_feature_is_refused_as_unsupported() {
    let e = with(&[
        ("replication.topology", "home-region"),
        ("replication.primary", ""),
    ])
    .expect_err("unsupported or invalid");
    assert!(e.to_string().contains("override"), "{e}");
    let list = vec![("failover.routing".to_string(), "anycast".to_string())];
    let s = parse_validated(MINIMAL, "o.toml", Format::Toml, &list).expect("valid");
    let kind = s.failover.map(|f| f.routing.kind());
    assert_eq!(kind, Some(RoutingKind::Anycast));
    // Sync mode defaults acks to every replica.
    let s = with(&[("replication.mode", "sync")]).expect("valid");
    assert_eq!(s.replication.mode, ReplicationMode::Sync);
    assert_eq!(s.replication.acks, 1);
}

#[test]
fn unknown_override_paths_are_errors_naming_the_path() {
    let cases: &[(&str, &[&str])] = &[
        (
            "failover.dns.tll",
            &[
                "o.toml: override `failover.dns.tll`: unknown path",
                "`failover.dns` has no key `tll`",
                "ttl, propagation, stale_fraction, stale_extra",
            ],
        ),
        (
            "replication.speed",
            &["`replication` has no key `speed`", "mode"],
        ),
        ("nope", &["the top level has no key `nope`", "workload"]),
        ("seed.x", &["`seed` is a single value"]),
        (
            "workload.clients.share",
            &["`workload.clients` is a list", "workload.clients[0]"],
        ),
        ("workload[0]", &["`workload` is not a list"]),
        (
            "workload.clients[5].share",
            &["has 1 entries", "cannot add entries"],
        ),
        ("a..b", &["not a valid path"]),
        ("", &["not a valid path"]),
        ("links[x]", &["not a valid path"]),
    ];
    for (path, fragments) in cases {
        let e = with(&[(path, "1")]).expect_err(path);
        let shown = e.to_string();
        for f in *fragments {
            assert!(shown.contains(f), "{path}: {shown:?} lacks {f:?}");
        }
    }
}

#[test]
fn bad_override_values_point_at_the_override() {
    let e = with(&[("failover.dns.ttl", "30")]).expect_err("bare number");
    let shown = e.to_string();
    assert!(shown.contains("field `failover.dns.ttl`"), "{shown}");
    assert!(shown.contains("got the bare number 30"), "{shown}");
    assert!(
        shown.contains("(value set by override failover.dns.ttl=30)"),
        "{shown}"
    );
    let e = with(&[("workload.writes_per_sec", "-5")]).expect_err("negative");
    assert!(
        e.to_string()
            .contains("override workload.writes_per_sec=-5"),
        "{e}"
    );
    let e = with(&[("workload.writes_per_sec", "nan")]).expect_err("nan");
    assert!(e.to_string().contains("not a finite number"), "{e}");
    let e = with(&[("links[0].latency.mean", "1ms")]).expect_err("not a table");
    assert!(
        e.to_string().contains("`links[0].latency` is not a table"),
        "{e}"
    );
}
