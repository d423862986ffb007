//! Validation errors: replication, failover, faults, residency, cost, budgets and run bounds.

use super::{check_append, check_edit, toml_err, toml_ok, MINIMAL};

const KNOWN: &str = "known regions: \"a\", \"b\"";

#[test]
fn replication() {
    check_edit(
        "primary = \"a\"",
        "",
        &["field `replication.primary`", "needs a primary region"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"x\"",
        &["unknown region \"x\"", KNOWN],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nreplicas = [\"a\"]",
        &["field `replication.replicas[0]`", "is the primary"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nreplicas = [\"b\", \"b\"]",
        &["field `replication.replicas[1]`", "listed twice"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\ntopology = \"multi-primary\"",
        &[
            "field `replication.primary`",
            "applies only to topology \"single-primary\"",
        ],
    );
    check_edit(
        "primary = \"a\"",
        "topology = \"home-region\"\nreplicas = [\"a\"]",
        &["field `replication.replicas`", "applies only"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"semi-sync\"\nacks = 2",
        &[
            "field `replication.acks`",
            "between 1 and the number of replicas that can acknowledge (1); got 2",
        ],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"sync\"\nacks = 0",
        &["acks must be between 1"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nreplicas = []\nmode = \"sync\"",
        &["field `replication.mode`", "needs at least one replica"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"semi-sync\"\nsemi_sync_timeout = \"0s\"",
        &["semi_sync_timeout must be greater than 0"],
    );
    // Settings of a mode the scenario does not use are contradictions.
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"async\"\nacks = 1",
        &["field `replication.acks`", "applies only to mode"],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"sync\"\nsemi_sync_timeout = \"5s\"",
        &["field `replication.semi_sync_timeout`", "has mode \"sync\""],
    );
    check_append(
        "[conflicts]\nresolution = \"lww\"\n",
        &[
            "field `conflicts`",
            "applies only to topology \"multi-primary\"",
        ],
    );
}

#[test]
fn failover() {
    check_append(
        "[failover.health_check]\nfailure_threshold = 0\n",
        &[
            "field `failover.health_check.failure_threshold`",
            "between 1 and 100; got 0",
        ],
    );
    check_append(
        "[failover.health_check]\nfailure_threshold = 101\n",
        &["between 1 and 100"],
    );
    check_append(
        "[failover.health_check]\ntimeout = \"0s\"\n",
        &["field `failover.health_check.timeout`", "greater than 0"],
    );
    check_append(
        "[failover.health_check]\ninterval = \"0s\"\n",
        &["interval must be greater than 0"],
    );
    check_append(
        "[failover.health_check]\ncheckers = [\"q\"]\n",
        &[
            "field `failover.health_check.checkers[0]`",
            "unknown region \"q\"",
            KNOWN,
        ],
    );
    check_append(
        "[failover.health_check]\ncheckers = []\n",
        &["at least one region"],
    );
    check_append(
        "[failover.health_check]\nunhealthy_share = 1.0\n",
        &[
            "field `failover.health_check.unhealthy_share`",
            "less than 1",
        ],
    );
    check_append(
        "[failover.dns]\nstale_fraction = 1.5\n",
        &["field `failover.dns.stale_fraction`", "between 0 and 1"],
    );
    check_append(
        "[failover]\nrouting = \"client\"\n[failover.client]\nmax_attempts = 0\n",
        &["field `failover.client.max_attempts`", "between 1 and 255"],
    );
    check_append(
        "[failover]\nrouting = \"client\"\n[failover.client]\nendpoints = [\"a\", \"nope\"]\n",
        &["field `failover.client.endpoints[1]`", KNOWN],
    );
    check_append(
        "[failover]\nrouting = \"client\"\n[failover.client]\nbackoff = { base = \"3s\", cap = \"2s\" }\n",
        &[
            "field `failover.client.backoff.cap`",
            "cap (2s) must be at least base (3s)",
        ],
    );
    check_append(
        "[failover]\nrouting = \"anycast\"\n[failover.anycast]\nconvergence = 5\n",
        &["field `failover.anycast.convergence`", "bare number 5"],
    );
    // A section of another routing mechanism cannot be represented.
    check_append(
        "[failover]\nrouting = \"dns\"\n[failover.anycast]\nconvergence = \"5s\"\n",
        &[
            "field `failover.anycast`",
            "applies only to routing = \"anycast\"",
            "has routing = \"dns\"",
        ],
    );
    check_append(
        "[failover]\nrouting = \"anycast\"\n[failover.dns]\nttl = \"60s\"\n",
        &["field `failover.dns`", "has routing = \"anycast\""],
    );
    check_append(
        "[failover.client]\nmax_attempts = 2\n",
        &["field `failover.client`", "has routing = \"dns\""],
    );
}

#[test]
fn faults() {
    let f = |body: &str| format!("[[faults]]\n{body}\n");
    check_append(
        &f("kind = \"region-outage\"\nregion = \"a\"\nat = \"10m\""),
        &[
            "field `faults[0].at`",
            "at (10m) must be before the end of the scenario's duration (10m)",
        ],
    );
    check_append(
        &f("kind = \"region-outage\"\nregion = \"a\"\nat = \"1m\"\nduration = \"0s\""),
        &["field `faults[0].duration`", "greater than 0"],
    );
    check_append(
        &f("kind = \"region-outage\"\nat = \"1m\""),
        &["field `faults[0]`", "kind \"region-outage\" needs `region`"],
    );
    check_append(
        &f("kind = \"region-outage\"\nregion = \"x\"\nat = \"1m\""),
        &["field `faults[0].region`", "unknown region \"x\"", KNOWN],
    );
    check_append(
        &f("kind = \"region-outage\"\nregion = \"a\"\nat = \"1m\"\nadd = \"1s\""),
        &[
            "field `faults[0].add`",
            "does not apply to kind \"region-outage\"",
            "it takes: region, at, duration",
        ],
    );
    check_append(
        &f("kind = \"region-outage\"\nat = \"1m\"\nregion = \"a\"\nbetween = [\"a\", \"b\"]"),
        &["field `faults[0].between`", "does not apply"],
    );
    check_append(
        &f("kind = \"partition\"\nat = \"1m\""),
        &["needs `between = [\"a\", \"b\"]` or `sides"],
    );
    check_append(&f("kind = \"partition\"\nat = \"1m\"\nbetween = [\"a\", \"b\"]\nsides = [[\"a\"], [\"b\"]]"), &["either `between`", "not both"]);
    check_append(
        &f("kind = \"partition\"\nat = \"1m\"\nsides = [[\"a\"], [\"b\", \"a\"]]"),
        &["field `faults[0].sides[1][1]`", "on both sides"],
    );
    check_append(
        &f("kind = \"partition\"\nat = \"1m\"\nsides = [[\"a\"], []]"),
        &["field `faults[0].sides[1]`", "at least one region"],
    );
    check_append(
        &f("kind = \"partition\"\nat = \"1m\"\nsides = [[\"a\"], [\"b\"], [\"a\"]]"),
        &["expected two sides"],
    );
    check_append(
        &f("kind = \"partition\"\nat = \"1m\"\nbetween = [\"a\", \"b\"]\ndirection = \"up\""),
        &["\"both\" | \"forward\""],
    );
    check_append(
        &f("kind = \"latency\"\nat = \"1m\"\nbetween = [\"a\", \"b\"]"),
        &["kind \"latency\" needs `add`"],
    );
    check_append(
        &f("kind = \"clock-skew\"\nat = \"1m\"\nregion = \"a\""),
        &["kind \"clock-skew\" needs `offset`"],
    );
    check_append(&f("kind = \"clock-skew\"\nat = \"1m\"\nregion = \"a\"\noffset = \"1ms\"\nduration = \"1m\""), &["field `faults[0].duration`", "lasts until the end of the run"]);
    check_append(
        &f("kind = \"clock-skew\"\nregion = \"a\"\noffset = \"1ms\""),
        &["field `faults[0]`", "missing field `at`"],
    );
    // A latency fault needs a link between its regions.
    let text = MINIMAL
        .replacen("[[links]]", "[[regions]]\nname = \"c\"\n\n[[links]]", 1)
        .replacen("primary = \"a\"", "primary = \"a\"\nreplicas = [\"b\"]", 1);
    let e = toml_err(&format!(
        "{text}\n{}",
        f("kind = \"latency\"\nat = \"1m\"\nbetween = [\"a\", \"c\"]\nadd = \"1s\"")
    ));
    super::assert_err(
        &e,
        &[
            "field `faults[0].between`",
            "no link connects \"a\" and \"c\"",
        ],
    );
}

#[test]
fn residency_cost_budgets() {
    let r = |keys: &str| format!("[[residency]]\nkeys = \"{keys}\"\njurisdiction = \"EU\"\n");
    check_append(
        &r("0-10"),
        &["field `residency[0].keys`", "\"LO..HI\"", "\"0..50000\""],
    );
    check_append(&r("10..10"), &["the range \"10..10\" is empty"]);
    check_append(&r("0..100001"), &["past the key space", "at most 100000"]);
    check_append(
        &r("0..10"),
        &[
            "field `residency[0].jurisdiction`",
            "no region is in jurisdiction \"EU\"",
            "set jurisdiction",
        ],
    );
    let eu = "name = \"b\"\njurisdiction = \"EU\"";
    let text = format!(
        "{}{}{}",
        super::edit("name = \"b\"", eu),
        r("0..10"),
        r("5..20")
    );
    let e = super::toml_err(&text);
    super::assert_err(
        &e,
        &["field `residency[1].keys`", "overlaps residency[0] (0..10)"],
    );
    check_append(
        "[cost]\ntransfer_per_gb = -1\n",
        &["field `cost.transfer_per_gb`", "0 or more"],
    );
    check_append(
        "[budgets]\nconflicts = 0\n",
        &[
            "field `budgets.conflicts`",
            "cannot produce `conflicts`",
            "\"multi-primary\"",
        ],
    );
    check_append(
        "[budgets]\nlww_discarded = 0\n",
        &["field `budgets.lww_discarded`", "cannot produce"],
    );
    check_append(
        "[budgets]\nresidency_violations = 0\n",
        &[
            "field `budgets.residency_violations`",
            "no [[residency]] rule",
        ],
    );
    for key in ["stale_reads = 0", "read_latency_p99 = \"50ms\""] {
        check_append(
            &format!("[budgets]\n{key}\n"),
            &["cannot produce", "no reads (workload.reads_per_sec = 0)"],
        );
    }
    check_append(
        "[budgets]\navailability = 1.5\n",
        &["field `budgets.availability`", "between 0 and 1"],
    );
    check_append(
        "[budgets]\nrpo = 1\n",
        &["field `budgets.rpo`", "bare number 1"],
    );
    check_append(
        "[budgets]\nlost_writes = -3\n",
        &["field `budgets.lost_writes`", "non-negative whole number"],
    );
}

#[test]
fn run_length_bounds() {
    check_edit(
        "duration = \"10m\"",
        "duration = \"30d\"",
        &[
            "field `duration`",
            "duration + drain must be at most 30 days",
        ],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"0s\"",
        &["field `duration`", "greater than 0"],
    );
    // 100 writes/s for 30 days is 259.2M writes: within bounds; 1000/s is not.
    let text = MINIMAL
        .replacen("duration = \"10m\"", "duration = \"29d\"", 1)
        .replacen("writes_per_sec = 100", "writes_per_sec = 1000", 1);
    super::assert_err(
        &toml_err(&text),
        &["field `workload.writes_per_sec`", "expected requests"],
    );
    toml_ok(&MINIMAL.replacen(
        "duration = \"10m\"",
        "duration = \"29d\"\ndrain = \"1d\"",
        1,
    ));
}
