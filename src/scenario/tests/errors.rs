//! Errors found while reading the file: syntax, types, unit strings, keywords, unknown keys.

use super::super::{parse_str, Format};
use super::{check_append, check_edit, edit, toml_err, MINIMAL};

#[test]
fn bare_number_for_a_latency_names_field_line_and_forms() {
    let e = toml_err(&edit("latency = \"10ms\"", "latency = 38"));
    assert_eq!(e.file, "t.toml");
    super::assert_err(
        &e,
        &[
            "t.toml: line 13, column 11, field `links[0].latency`: ",
            "expected a duration string such as \"250us\", \"40ms\", \"1.5s\", \"10m\", \"1h\" or \"1m30s\", or a distribution table {dist = \"normal\"|\"lognormal\"|\"uniform\", ...}; got the bare number 38",
        ],
    );
}

#[test]
fn bare_numbers_for_other_units() {
    check_edit(
        "duration = \"10m\"",
        "duration = 600",
        &["field `duration`", "got the bare number 600", "\"1m30s\""],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nwrite_size = 1024",
        &[
            "field `workload.write_size`",
            "\"1KiB\"",
            "got the bare number 1024",
        ],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = \"10ms\"\nbandwidth = 1000",
        &["field `links[0].bandwidth`", "\"1Gbps\"", "bare number"],
    );
    check_edit(
        "name = \"a\"",
        "name = \"a\"\nclock_offset = -5",
        &[
            "field `regions[0].clock_offset`",
            "\"+150ms\"",
            "bare number -5",
        ],
    );
}

#[test]
fn malformed_unit_strings() {
    check_edit(
        "duration = \"10m\"",
        "duration = \"10 minutes\"",
        &[
            "field `duration`",
            "invalid duration \"10 minutes\"",
            "\"250us\"",
        ],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"10\"",
        &["has no unit", "\"40ms\""],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"30s1m\"",
        &["largest to smallest"],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"1.0000001s\"",
        &["resolution of 1us"],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"31d\"",
        &["at most 30 days"],
    );
    check_edit(
        "duration = \"10m\"",
        "duration = \"-1m\"",
        &["cannot be signed"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nwrite_size = \"1kb\"",
        &["unknown unit \"kb\"", "KiB"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = \"10ms\"\nbandwidth = \"1GB\"",
        &["invalid bandwidth", "\"100Mbps\""],
    );
    check_edit(
        "name = \"a\"",
        "name = \"a\"\nclock_offset = \"5\"",
        &["invalid offset", "\"-5ms\""],
    );
}

#[test]
fn latency_tables() {
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"normal\", mean = \"1ms\" }",
        &[
            "field `links[0].latency`",
            "missing `stddev`",
            "takes `mean` and `stddev`",
        ],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"normal\", mean = \"1ms\", stddev = \"1ms\", p99 = \"3ms\" }",
        &["`p99` does not apply"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"lognormal\", median = \"9ms\", p99 = \"3ms\" }",
        &["`p99` (3ms) must be at least `median` (9ms)"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"lognormal\", median = \"0ms\", p99 = \"3ms\" }",
        &["median` must be greater than 0"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"uniform\", min = \"9ms\", max = \"3ms\" }",
        &["`min` (9ms) must not exceed `max` (3ms)"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"pareto\", min = \"1ms\" }",
        &[
            "field `links[0].latency.dist`",
            "unknown distribution \"pareto\"",
            "\"normal\" | \"lognormal\" | \"uniform\"",
        ],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"uniform\", min = 1, max = \"3ms\" }",
        &["field `links[0].latency.min`", "bare number 1"],
    );
    check_edit(
        "latency = \"10ms\"",
        "latency = { dist = \"uniform\", low = \"1ms\" }",
        &["unknown field `low`", "`min`"],
    );
}

#[test]
fn keywords_list_the_accepted_values() {
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\narrival = \"poison\"",
        &[
            "field `workload.arrival`",
            "unknown arrival \"poison\"",
            "accepted: \"poisson\" | \"constant\"",
        ],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\nmode = \"semisync\"",
        &["\"async\" | \"semi-sync\" | \"sync\""],
    );
    check_edit(
        "primary = \"a\"",
        "primary = \"a\"\ntopology = \"active-active\"",
        &["\"single-primary\" | \"multi-primary\" | \"home-region\""],
    );
    check_append(
        "[failover.client]\nbackoff = { jitter = \"some\" }\n",
        &[
            "field `failover.client.backoff.jitter`",
            "\"full\" | \"equal\" | \"none\"",
        ],
    );
    check_append(
        "[[faults]]\nkind = \"meteor\"\nat = \"1m\"\n",
        &[
            "field `faults[0].kind`",
            "\"region-outage\" | \"partition\" | \"latency\" | \"clock-skew\"",
        ],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nkey_distribution = \"zipf\"",
        &["key_distribution", "{ zipf = 1.1 }"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = 100\nkey_distribution = { zipf = 0 }",
        &["zipf exponent must be greater than 0"],
    );
}

#[test]
fn unknown_keys_list_the_accepted_keys() {
    check_edit(
        "latency = \"10ms\"",
        "latncy = \"10ms\"",
        &[
            "field `links[0].latncy`",
            "unknown field `latncy`",
            "`between`, `latency`, `bandwidth`",
        ],
    );
    check_append(
        "[budgets]\nrpo_p99 = \"1s\"\n",
        &[
            "unknown field `rpo_p99`",
            "`rpo`",
            "`rto_p99`",
            "`availability`",
            "`residency_violations`",
        ],
    );
}

#[test]
fn wrong_types_say_what_is_expected() {
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = \"100\"",
        &[
            "field `workload.writes_per_sec`",
            "expected a number such as 1000",
            "without quotes",
        ],
    );
    check_edit(
        "share = 1.0",
        "share = 1.0\ncount = -1",
        &[
            "field `workload.clients[0].count`",
            "non-negative whole number",
            "-1",
        ],
    );
    check_edit(
        "share = 1.0",
        "share = 1.0\ncount = 2.5",
        &["non-negative whole number", "2.5"],
    );
    check_edit(
        "name = \"t\"",
        "name = \"t\"\nseed = \"7\"",
        &["field `seed`", "without quotes"],
    );
    check_edit(
        "writes_per_sec = 100",
        "writes_per_sec = nan",
        &["finite number"],
    );
}

#[test]
fn missing_required_fields() {
    check_edit("name = \"t\"\n", "", &["missing field `name`"]);
    check_edit("duration = \"10m\"\n", "", &["missing field `duration`"]);
    check_edit(
        "writes_per_sec = 100\n",
        "",
        &["missing field `writes_per_sec`"],
    );
    check_edit(
        "[replication]\nprimary = \"a\"\n",
        "",
        &["missing field `replication`"],
    );
}

#[test]
fn toml_syntax_errors_give_line_and_column() {
    let e = toml_err(&edit("writes_per_sec = 100", "writes_per_sec = = 100"));
    let shown = e.to_string();
    assert!(shown.starts_with("t.toml: line 16, column 18: "), "{shown}");
    let e = toml_err(&format!("{MINIMAL}\n[replication]\n"));
    assert!(e.to_string().contains("line "), "{e}");
}

#[test]
fn json_errors_give_line_and_column() {
    let e = parse_str(
        "{\n  \"name\": \"t\",\n  \"duration\": 600\n}",
        "s.json",
        Format::Json,
    )
    .expect_err("bare number");
    let shown = e.to_string();
    assert!(shown.starts_with("s.json: line 3, column "), "{shown}");
    assert!(shown.contains("field `duration`"), "{shown}");
    assert!(shown.contains("got the bare number 600"), "{shown}");

    let e = parse_str(
        "{\n  \"name\": \"t\",\n  \"duration\" \"1m\"\n}",
        "s.json",
        Format::Json,
    )
    .expect_err("syntax");
    assert!(e.to_string().starts_with("s.json: line 3, column "), "{e}");

    let e =
        parse_str("{\"name\": \"a\", \"name\": \"b\"}", "s.json", Format::Json).expect_err("dup");
    assert!(e.to_string().contains("duplicate field `name`"), "{e}");

    let e = parse_str("{} {}", "s.json", Format::Json).expect_err("trailing");
    assert!(e.to_string().contains("line 1"), "{e}");
}

#[test]
fn hostile_inputs_do_not_panic() {
    let inputs = [
        "",
        "\u{feff}",
        "[[[",
        "name = \"\u{1F600}\"",
        "duration = \"99999999999999999999999999999h\"",
        "duration = \"1e400s\"",
        "seed = 1e400",
        "seed = -1",
        "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];
    for i in inputs {
        let _ = parse_str(i, "h.toml", Format::Toml);
        let _ = parse_str(i, "h.json", Format::Json);
    }
    let deep = "[".repeat(100_000);
    let _ = parse_str(&deep, "h.json", Format::Json);
    let _ = parse_str(&format!("a = {deep}"), "h.toml", Format::Toml);
    let _ = parse_str(
        &format!("a = {}", "{a=".repeat(10_000)),
        "h.toml",
        Format::Toml,
    );
}
