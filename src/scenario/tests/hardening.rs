//! Issue 13 regressions: messages that name what is wrong, escaped user text,
//! refused `max_attempts`, and the file size cap.

use super::*;

#[test]
fn key_without_value_at_end_of_file_says_so() {
    let e = toml_err("name = \"x\"\nduration = ");
    assert_err(
        &e,
        &["line 2", "the file ends before the value of `duration`"],
    );
    let e = parse_str("{\"name\": \"x\", \"duration\": ", "t.json", Format::Json).unwrap_err();
    assert_err(&e, &["line 1", "EOF while parsing", "truncated"]);
}

#[test]
fn max_attempts_above_the_limit_is_refused() {
    check_append(
        "[failover]\nrouting = \"client\"\n[failover.client]\nmax_attempts = 1000\n",
        &[
            "field `failover.client.max_attempts`",
            "between 1 and 255",
            "got 1000",
        ],
    );
    let ok = format!(
        "{MINIMAL}[failover]\nrouting = \"client\"\n[failover.client]\nmax_attempts = 255\n"
    );
    match toml_ok(&ok).failover.unwrap().routing {
        super::super::Routing::Client(c) => assert_eq!(c.max_attempts, 255),
        other => panic!("expected client routing, got {other:?}"),
    }
}

#[test]
fn control_characters_in_references_are_escaped() {
    let e = toml_err(&format!(
        "{MINIMAL}[[faults]]\nkind = \"region-outage\"\nregion = \"\\u001b[31m\\n::error::x\"\nat = \"1m\"\n"
    ));
    let shown = e.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(shown.contains("\\u{1b}[31m\\n::error::x"), "{shown:?}");
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.toml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(super::super::MAX_FILE_BYTES + 1).unwrap();
    let e = super::super::load_path(&p).unwrap_err();
    assert_err(&e, &["big.toml", "file", "at most 16777216 bytes (16 MiB)"]);
}

#[test]
fn more_links_than_regions_allow_are_refused_before_deserializing() {
    let block = "[[links]]\nbetween = [\"a\", \"b\"]\nlatency = \"1ms\"\n";
    let e = toml_err(&format!("{MINIMAL}{}", block.repeat(2017)));
    assert_err(
        &e,
        &["field `links`", "2018 entries given", "at most 2016 links"],
    );
}

#[test]
fn unknown_fields_get_a_suggestion() {
    let text = MINIMAL.replace("[workload]\n", "[workload]\nrequest_timout = \"2s\"\n");
    let e = toml_err(&text);
    assert_err(
        &e,
        &[
            "field `workload.request_timout`",
            "did you mean `request_timeout`?",
        ],
    );
    let e = parse_str(
        "{\"name\": \"x\", \"duraton\": \"1m\"}",
        "t.json",
        Format::Json,
    )
    .unwrap_err();
    assert_err(&e, &["did you mean `duration`?"]);
}

#[test]
fn jurisdictions_with_control_characters_are_refused() {
    let text = MINIMAL.replacen(
        "name = \"a\"\n",
        "name = \"a\"\njurisdiction = \"E\\u001bU\"\n",
        1,
    );
    assert_err(
        &toml_err(&text),
        &["field `regions[0].jurisdiction`", "control character"],
    );
}
