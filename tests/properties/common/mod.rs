//! Shared by the property tests: case-count configuration, and the re-exported
//! generators (unit strings, the TOML document model, the valid-scenario model and its
//! strategies) and the checks on a run.

mod checks;
mod doc;
mod model;
mod strategies;

pub(crate) use checks::*;
pub(crate) use doc::*;
pub(crate) use model::*;
pub(crate) use strategies::*;

use proptest::test_runner::Config;

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// `default` cases, or `PROPTEST_CASES` scaled to this property (`default` / 64 of it,
/// at least 1), so that one variable makes every property heavier or lighter.
pub(crate) fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map_or(default, |n| {
            ((u64::from(n) * u64::from(default)) / 64).max(1) as u32
        });
    Config {
        cases,
        // No regression files in the shared working tree: a failure prints the
        // scenario text, which is the reproduction.
        failure_persistence: None,
        max_shrink_iters: 200,
        max_shrink_time: 60_000,
        max_global_rejects: 10_000,
        ..Config::default()
    }
}

pub(crate) const S: u64 = 1_000_000;
pub(crate) const MS: u64 = 1_000;
/// Upper bound on generated writes per case (keeps one simulation well under 0.2 s).
pub(crate) const MAX_WRITES: u64 = 100_000;
