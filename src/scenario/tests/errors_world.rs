//! Validation errors: names, regions, links (missing ones too) and the workload.

use super::{check_edit, toml_err, toml_ok, MINIMAL};

const KNOWN: &str = "known regions: \"a\", \"b\"";

#[test]
fn names() {
    check_edit(
        "name = \"t\"",
        "name = \"my scenario\"",
        &[
            "field `name`",
            "contains ' '",
            "letters, digits, \"-\", \"_\" and \".\" only",
        ],
    );
    check_edit(
        "name = \"t\"",
        "name = \"..\"",
        &["field `name`", "cannot name a folder"],
    );
    check_edit("name = \"t\"", "name = \".\"", &["cannot name a folder"]);
    check_edit("name = \"t\"", "name = \"\"", &["the name is empty"]);
    check_edit("name = \"t\"", "name = \"a/b\"", &["contains '/'"]);
    toml_ok(&MINIMAL.replacen("name = \"t\"", "name = \"v1.2_ap-dns\"", 1));
}

#[test]
fn regions() {
    check_edit(
        "name = \"b\"",
        "name = \"a\"",
        &["field `regions[1].name`", "defined twice", "must be unique"],
    );
    check_edit(
        "name = \"b\"",
        "name = \"\"",
        &["field `regions[1].name`", "non-empty"],
    );
    let mut many = String::from("name = \"t\"\nduration = \"1m\"\n");
    for i in 0..65 {
        many.push_str(&format!("[[regions]]\nname = \"r{i}\"\n"));
    }
    many.push_str("[workload]\nwrites_per_sec = 1\n[[workload.clients]]\nregion = \"r0\"\nshare = 1\n[replication]\nprimary = \"r0\"\nreplicas = []\n");
    super::assert_err(&toml_err(&many), &["field `regions`", "at most 64"]);
}

#[test]
fn links() {
    check_edit(
        "between = [\"a\", \"b\"]",
        "between = [\"a\", \"c\"]",
        &["field `links[0].between[1]`", "unknown region \"c\"", KNOWN],
    );
    check_edit(
        "between = [\"a\", \"b\"]",
        "between = [\"a\", \"a\"]",
        &["field `links[0].between`", "two different regions"],
    );
    check_edit(
        "between = [\"a\", \"b\"]",
        "between = [\"a\"]",
        &["exactly two region names"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = \"10ms\"\n[[links]]\nbetween = [\"b\", \"a\"]\nlatency = \"1ms\"",
        &["field `links[1].between`", "already defined at links[0]"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = \"10ms\"\nbandwidth = \"0bps\"",
        &["field `links[0].bandwidth`", "greater than 0"],
    );
}

#[test]
fn missing_links_name_both_regions() {
    check_edit(
        "[[links]]\nbetween = [\"a\", \"b\"]\nlatency = \"10ms\"\n",
        "",
        &[
            "field `links`",
            "regions \"a\" and \"b\" exchange traffic",
            "replication from the primary",
            "between = [\"a\", \"b\"]",
        ],
    );
    // A third region that only holds clients must reach the primary and the replicas.
    let text = MINIMAL
        .replacen("[[links]]", "[[regions]]\nname = \"c\"\n\n[[links]]", 1)
        .replacen(
            "share = 1.0",
            "share = 0.5\n[[workload.clients]]\nregion = \"c\"\nshare = 0.5",
            1,
        )
        .replacen("primary = \"a\"", "primary = \"a\"\nreplicas = [\"b\"]", 1);
    super::assert_err(
        &toml_err(&text),
        &[
            "regions \"a\" and \"c\"",
            "clients located in one reach the other",
            "(1 other pair also lacks a link)",
        ],
    );
    // Without clients there and without failover, region c exchanges nothing.
    let text = MINIMAL
        .replacen("[[links]]", "[[regions]]\nname = \"c\"\n\n[[links]]", 1)
        .replacen("primary = \"a\"", "primary = \"a\"\nreplicas = [\"b\"]", 1);
    toml_ok(&text);
    // With failover, default checkers run from every region.
    super::assert_err(
        &toml_err(&format!("{text}\n[failover]\n")),
        &["\"a\" and \"c\"", "health checks"],
    );
    let with_checkers = format!("{text}\n[failover.health_check]\ncheckers = [\"b\"]\n");
    toml_ok(&with_checkers);
}

#[test]
fn workload() {
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 0",
        &["field `workload.writes_per_sec`", "greater than 0"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nreads_per_sec = -1",
        &["field `workload.reads_per_sec`", "0 or more"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nkeys = 0",
        &["field `workload.keys`", "between 1 and 50000000"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nkeys = 50000001",
        &["between 1 and 50000000"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nrequest_timeout = \"0s\"",
        &["request_timeout must be greater than 0"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 10000000",
        &["expected requests", "at most 2000000000"],
    );
    check_edit(
        "share = 1.0",
        "share = 0.0",
        &[
            "field `workload.clients[0].share`",
            "greater than 0 and at most 1",
        ],
    );
    check_edit(
        "share = 1.0",
        "share = 1.5",
        &["greater than 0 and at most 1"],
    );
    check_edit(
        "share = 1.0",
        "share = 0.6",
        &["field `workload.clients`", "must sum to 1", "0.6"],
    );
    check_edit(
        "share = 1.0",
        "share = 1.0\ncount = 0",
        &["field `workload.clients[0].count`", "at least 1"],
    );
    check_edit(
        "share = 1.0",
        "share = 1.0\ncount = 5000001",
        &["total client count exceeds 5000000"],
    );
    check_edit(
        "region = \"a\"",
        "region = \"z\"",
        &[
            "field `workload.clients[0].region`",
            "unknown region \"z\"",
            KNOWN,
        ],
    );
    check_edit(
        "[[workload.clients]]\nregion = \"a\"\nshare = 1.0\n",
        "clients = []\n",
        &["field `workload.clients`", "at least one client population"],
    );
    // Shares summing to 1 within 1e-6 are accepted.
    let text = MINIMAL.replacen(
        "share = 1.0",
        "share = 0.3333333\n[[workload.clients]]\nregion = \"b\"\nshare = 0.6666667",
        1,
    );
    toml_ok(&text);
}
