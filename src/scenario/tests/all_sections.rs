//! Every section, multi-primary included: validated, equal across formats, refused as unsupported.

use super::super::types::*;
use super::super::{parse_str, parse_validated, Format};
use super::toml_ok;

/// Every section, including features that are validated but not modelled yet.
const ALL_SECTIONS: &str = r#"
name = "mp-lww"
duration = "1h"

[[regions]]
name = "us"
jurisdiction = "US"

[[regions]]
name = "eu"
jurisdiction = "EU"

[[links]]
between = ["us", "eu"]
latency = "40ms"

[workload]
writes_per_sec = 10
reads_per_sec = 5
keys = 1000

[[workload.clients]]
region = "us"
share = 0.5

[[workload.clients]]
region = "eu"
share = 0.5

[replication]
topology = "multi-primary"
mode = "sync"

[conflicts]
resolution = "crdt-set"

[failover]
routing = "anycast"
fencing = true
on_rejoin = "reconcile"

[[residency]]
keys = "0..500"
jurisdiction = "EU"

[budgets]
conflicts = 10
lww_discarded = 0
residency_violations = 0
"#;

#[test]
fn all_sections_validate_and_convert_between_formats() {
    let t = match parse_validated(ALL_SECTIONS, "all.toml", Format::Toml, &[]) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(t.replication.topology, Topology::MultiPrimary);
    assert_eq!(t.replication.replicas, vec![0, 1]);
    assert_eq!(t.replication.acks, 1, "sync default: every other region");
    assert_eq!(
        t.conflicts,
        Some(Conflicts {
            resolution: Resolution::CrdtSet
        })
    );
    assert_eq!(
        t.residency,
        vec![ResidencyRule {
            keys_lo: 0,
            keys_hi: 500,
            jurisdiction: "EU".into()
        }]
    );
    let metrics: Vec<&str> = t.budgets.iter().map(|b| b.metric.name).collect();
    assert_eq!(
        metrics,
        vec!["conflicts", "lww_discarded", "residency_violations"]
    );

    let tree: serde_json::Value = toml::from_str(ALL_SECTIONS).expect("toml");
    let json = serde_json::to_string_pretty(&tree).expect("json");
    let mut j = match parse_validated(&json, "all.json", Format::Json, &[]) {
        Ok(j) => j,
        Err(e) => panic!("{e}"),
    };
    let mut t = t;
    t.source_sha256.clear();
    j.source_sha256.clear();
    assert_eq!(t, j);
}

#[test]
fn multi_primary_defaults_to_lww() {
    let text = ALL_SECTIONS.replace("[conflicts]\nresolution = \"crdt-set\"\n", "");
    let s = parse_validated(&text, "x.toml", Format::Toml, &[]).expect("valid");
    assert_eq!(
        s.conflicts,
        Some(Conflicts {
            resolution: Resolution::Lww
        })
    );
}

#[test]
fn features_not_modelled_yet_are_refused_as_unsupported() {
    // Multi-primary and home-region replicate asynchronously only.
    let e = parse_str(ALL_SECTIONS, "all.toml", Format::Toml).expect_err("unsupported");
    assert!(e.unsupported);
    let shown = e.to_string();
    assert!(shown.contains("field `replication.mode`"), "{shown}");
    assert!(
        shown.contains("is not supported yet (planned); supported today:"),
        "{shown}"
    );
    // Home-region and residency are modelled.
    let home = ALL_SECTIONS
        .replace("mode = \"sync\"\n", "")
        .replace("reads_per_sec = 5\n", "")
        .replace("topology = \"multi-primary\"", "topology = \"home-region\"")
        .replace("[conflicts]\nresolution = \"crdt-set\"\n", "")
        .replace("conflicts = 10\nlww_discarded = 0\n", "");
    toml_ok(&home);

    let base = super::MINIMAL;
    // Reads are modelled now: a scenario with reads parses and may budget them.
    let reads = base.replacen(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nreads_per_sec = 5",
        1,
    ) + "[budgets]\nstale_reads = 0\nread_latency_p99 = \"50ms\"\n";
    let s = parse_str(&reads, "r.toml", Format::Toml).expect("reads are supported");
    assert_eq!(s.workload.reads_per_sec, 5.0);
    assert_eq!(s.budgets.len(), 2);
    let cases: &[(&str, &str, &str)] = &[(
        "primary = \"a\"",
        "topology = \"home-region\"\nmode = \"semi-sync\"",
        "replication.mode",
    )];
    for (from, to, field) in cases {
        let text = base.replacen(from, to, 1);
        let e = parse_str(&text, "u.toml", Format::Toml).expect_err(field);
        assert!(e.unsupported, "{e}");
        let shown = e.to_string();
        assert!(shown.contains(&format!("field `{field}`")), "{shown}");
        assert!(
            shown.contains("not supported yet (planned); supported today:"),
            "{shown}"
        );
    }
    // Clock skew is supported.
    let text = format!("{base}\n[[faults]]\nkind = \"clock-skew\"\nregion = \"b\"\nat = \"1m\"\noffset = \"-5ms\"\n");
    toml_ok(&text);
}
