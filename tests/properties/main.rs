//! Property tests over generated scenarios (one test binary, split by concern).
//!
//! 1. Random VALID scenarios (TOML text) of every topology: single-primary (most),
//!    multi-primary (each `[conflicts]` resolution) and home-region (async or sync),
//!    with or without region jurisdictions and 0-2 `[[residency]]` rules. They parse
//!    (or are refused only as "not supported yet", judged by the error's `unsupported`
//!    flag: reads, and the modes a topology refuses, which must be refused), simulate
//!    without panics or invariant errors, and satisfy the accounting identities of
//!    metrics.md and what the topology and the rules promise (`check_topology`:
//!    conflicts, discards, residency violations, per-range figures); a run is a pure
//!    function of (text, seed). Runs whose faults all heal well before the end
//!    (`Sc::settles_before_end`) converge, unless a deposed primary was legitimately
//!    left running beside the new one (fencing off and no restart:
//!    `split_brain_possible`); `healed_faults_converge` biases the generator towards
//!    that precondition and towards failovers.
//! 2. INVALID scenarios (a valid one with one mutation): `parse_str` says why, naming
//!    the file and a line or field; the binary exits 2 and names the file.
//! 3. Raw bytes and TOML-ish documents built from real keys never make loading panic
//!    (complements `src/scenario/tests/fuzz.rs`, which mangles text and overrides).
//!
//! Case counts default to small numbers so that the file runs in seconds; set
//! `PROPTEST_CASES=N` to run more: the two simulation properties run N cases and the
//! others scale with it (128/64 N for the parse-only ones, 12/64 N for the binary).
//!
//! Files: `common/` the generators and checks shared by the properties (`doc.rs` unit
//! strings and the TOML document, `model.rs` the valid-scenario model, `strategies.rs`
//! its strategies, `checks.rs` the identities checked on a run); `valid.rs` (1),
//! `invalid.rs` (2), `loading.rs` (3), `self_checks.rs` the generators' own checks.

mod common;
mod invalid;
mod loading;
mod self_checks;
mod valid;
