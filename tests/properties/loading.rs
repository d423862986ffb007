//! Loading never panics: TOML-ish documents built from real keys, and raw bytes.

use std::panic::catch_unwind;

use proptest::prelude::*;

use regionsim::scenario::{load_path, parse_str, Format};

use crate::common::*;

// ---------------------------------------------------------------------------
// Loading never panics
// ---------------------------------------------------------------------------

/// Keys of the format, to build TOML-ish documents with plausible structure.
const KEYS: &[&str] = &[
    "name",
    "duration",
    "drain",
    "seed",
    "between",
    "latency",
    "bandwidth",
    "writes_per_sec",
    "keys",
    "share",
    "count",
    "region",
    "primary",
    "replicas",
    "mode",
    "acks",
    "kind",
    "at",
    "add",
    "offset",
    "sides",
    "ttl",
    "interval",
    "dist",
    "mean",
    "zipf",
    "checkers",
];
const HEADERS: &[&str] = &[
    "[[regions]]",
    "[[links]]",
    "[workload]",
    "[[workload.clients]]",
    "[replication]",
    "[failover]",
    "[failover.dns]",
    "[failover.health_check]",
    "[[faults]]",
    "[budgets]",
    "[[residency]]",
    "[workload.clients]",
    "[regions]",
];

fn arb_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("true".to_string()),
        "[a-z0-9 .+-]{0,8}".prop_map(|s| quoted(&s)),
        "[0-9]{1,22}(us|ms|s|m|h|d|B|KiB|Gbps|)".prop_map(|s| quoted(&s)),
        Just("[\"us-east-1\", \"eu-west-1\"]".to_string()),
        Just("[[\"a\"], []]".to_string()),
        Just("[]".to_string()),
        Just("{ dist = \"normal\", mean = \"1ms\", stddev = \"99h\" }".to_string()),
        Just("{ zipf = 1e308 }".to_string()),
        Just("{}".to_string()),
    ]
}

fn arb_tomlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            3 => (proptest::sample::select(KEYS), arb_value()).prop_map(|(k, v)| format!("{k} = {v}")),
            1 => proptest::sample::select(HEADERS).prop_map(str::to_string),
        ],
        0..40,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(128))]

    /// Documents of real keys and tables with values of any type and size.
    #[test]
    fn tomlish_documents_never_panic_loading(text in arb_tomlish()) {
        let r = catch_unwind(|| parse_str(&text, "x.toml", Format::Toml));
        prop_assert!(r.is_ok(), "parse_str panicked on:\n{}", text);
        if let Ok(Err(e)) = r {
            prop_assert!(e.to_string().starts_with("x.toml"), "{}", e);
        }
    }

    /// Arbitrary bytes in a file (not UTF-8, BOMs, NULs): `load_path` answers, never panics.
    #[test]
    fn arbitrary_file_bytes_never_panic_loading(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        json in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(if json { "bytes.json" } else { "bytes.toml" });
        std::fs::write(&file, &bytes).expect("write");
        let r = catch_unwind(|| load_path(&file));
        prop_assert!(r.is_ok(), "load_path panicked on bytes {:?}", bytes);
        if let Ok(Err(e)) = r {
            prop_assert!(e.to_string().contains("bytes."), "{}", e);
        }
    }
}
