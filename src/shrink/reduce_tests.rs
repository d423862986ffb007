//! Unit tests of the reductions: a region goes with everything that names it.

use super::*;
use serde_json::json;

fn tree() -> Value {
    json!({
        "name": "t",
        "duration": "4m",
        "regions": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
        "links": [
            {"between": ["a", "b"], "latency": "10ms"},
            {"between": ["a", "c"], "latency": "10ms"},
            {"between": ["b", "c"], "latency": "10ms"}
        ],
        "workload": {"writes_per_sec": 100, "clients": [
            {"region": "a", "share": 0.5}, {"region": "c", "share": 0.25}, {"region": "b", "share": 0.25}
        ]},
        "replication": {"primary": "a", "replicas": ["b", "c"]},
        "failover": {"health_check": {"checkers": ["c"]}, "client": {"endpoints": ["a", "c"]}},
        "faults": [
            {"kind": "region-outage", "region": "c", "at": "1m"},
            {"kind": "partition", "sides": [["a"], ["b", "c"]], "at": "2m"},
            {"kind": "partition", "sides": [["a", "b"], ["c"]], "at": "3m"}
        ]
    })
}

#[test]
fn removing_a_region_removes_everything_that_names_it() {
    let t = List::Regions.without(&tree(), &[2]).expect("c can go");
    assert_eq!(List::Regions.len(&t), 2);
    assert_eq!(t["links"].as_array().map(Vec::len), Some(1));
    let shares: Vec<f64> = (t["workload"]["clients"].as_array().unwrap().iter())
        .map(|c| c["share"].as_f64().unwrap())
        .collect();
    assert_eq!(shares.len(), 2);
    assert!(
        (shares.iter().sum::<f64>() - 1.0).abs() < 1e-12,
        "{shares:?}"
    );
    assert_eq!(t["replication"]["replicas"], json!(["b"]));
    // The only checker went: the key goes, and its default applies.
    assert!(t["failover"]["health_check"].get("checkers").is_none());
    assert_eq!(t["failover"]["client"]["endpoints"], json!(["a"]));
    // The outage of c goes; a partition keeps its sides without c, and one
    // left with an empty side goes.
    let faults = t["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert_eq!(faults[0]["sides"], json!([["a"], ["b"]]));
}

#[test]
fn the_primary_never_goes() {
    assert!(List::Regions.without(&tree(), &[0]).is_none());
}

#[test]
fn numbers_go_down_most_reduced_first_and_round() {
    assert_eq!(
        smaller(240_000_000, 0, false)[..3],
        [0, 15_000_000, 60_000_000]
    );
    assert_eq!(
        smaller(719_999_999, 0, true),
        vec![700_000_000, 710_000_000]
    );
    assert_eq!(floor_sig(12_345, 2), 12_000);
    let c = numeric_candidates(
        &tree(),
        &[Seg::Key("duration".into())],
        Kind::Duration,
        false,
    );
    assert_eq!(
        c.first().map(|(t, _)| t["duration"].clone()),
        Some(json!("0s"))
    );
    assert!(c.iter().any(|(_, what)| what == "duration 4m -> 2m"));
    let c = numeric_candidates(
        &tree(),
        &[
            Seg::Key("workload".into()),
            Seg::Key("writes_per_sec".into()),
        ],
        Kind::Rate,
        false,
    );
    assert_eq!(
        c.first()
            .map(|(t, _)| t["workload"]["writes_per_sec"].clone()),
        Some(json!(1))
    );
}
