//! Properties over valid scenarios of every topology: they run within the invariants,
//! deterministically; healed faults converge; a single primary outside a residency
//! rule's jurisdiction violates it exactly once per pinned write.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use regionsim::report::report_json;
use regionsim::scenario::Scenario;

use crate::common::*;

// ---------------------------------------------------------------------------
// Properties over valid scenarios
// ---------------------------------------------------------------------------

/// Parse generated text and classify it: `Ok(Some)` to run; `Ok(None)` a mode the
/// topology refuses, refused as such (the case passes); `Err(reject)` another feature
/// not supported yet (reads).
fn parse_case(sc: &Sc, text: &str) -> Result<Option<Scenario>, TestCaseError> {
    let parsed = parse_generated(text)?;
    if sc.refused_mode() {
        prop_assert!(
            parsed.is_none(),
            "mode {:?} with topology {} was accepted, not refused as unsupported\n{}",
            sc.repl.mode,
            sc.repl.topology.keyword(),
            text
        );
        return Ok(None);
    }
    match parsed {
        Some(s) => Ok(Some(s)),
        None if sc.wl.reads_per_sec.is_some_and(|r| r > 0) => {
            Err(TestCaseError::reject("uses a feature not supported yet"))
        }
        None => Err(TestCaseError::fail(format!(
            "refused as unsupported, yet it uses no unsupported feature\n{text}"
        ))),
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Parse, simulate, check the identities; simulate again and compare.
    #[test]
    fn valid_scenarios_run_within_the_invariants(sc in arb_scenario(), seed in any::<u64>()) {
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
        if sc.settles_before_end() && !split_brain_possible(&sc, &r) {
            prop_assert!(
                r.report.metrics.converged,
                "every fault healed well before the end, yet {} keys diverge (seed {})\n--- scenario ---\n{}",
                r.report.metrics.divergent_keys, seed, text
            );
        }
        // The same text and seed again: identical digest and report bytes.
        let s2 = parse_generated(&text)?.expect("parsed once already");
        let r2 = run_generated(&s2, seed, &text)?;
        prop_assert_eq!(
            &r.report.metrics.events_digest,
            &r2.report.metrics.events_digest,
            "events digest differs between two runs (seed {})\n{}", seed, text
        );
        prop_assert!(
            report_json(&r) == report_json(&r2),
            "report JSON differs between two runs (seed {seed})\n{text}"
        );
    }

    /// Faults that all heal early, generous links, a long drain: the regions converge.
    #[test]
    fn healed_faults_converge(sc in arb_healing_scenario(), seed in any::<u64>()) {
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        prop_assume!(sc.settles_before_end());
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
        prop_assume!(!split_brain_possible(&sc, &r));
        prop_assert!(
            r.report.metrics.converged,
            "every fault healed well before the end, yet {} keys diverge (seed {})\n--- scenario ---\n{}",
            r.report.metrics.divergent_keys, seed, text
        );
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// A single primary outside a rule's jurisdiction, nothing failing over: the
    /// violations are exactly the writes to the ranges pinned elsewhere (and > 0 when
    /// there were any), inside `check_topology`.
    #[test]
    fn an_outside_primary_violates_once_per_pinned_write(
        sc in arb_outside_primary_scenario(),
        seed in any::<u64>(),
    ) {
        prop_assert!(!sc.rules_outside_primary().is_empty() && sc.every_write_commits_once());
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
    }
}
