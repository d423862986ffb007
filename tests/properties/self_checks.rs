//! Self-checks of the generators: they reach every topology and residency case, share
//! splits sum to one, duration strings read back.

use proptest::prelude::*;

use crate::common::*;

// ---------------------------------------------------------------------------
// Self-checks of the generators
// ---------------------------------------------------------------------------

/// The generators reach every new branch: each topology and resolution, each
/// home-region mode, the refused modes, 1 and 2 rules, a rule over the whole key space,
/// a single primary inside and outside the rules' jurisdictions (and the case where
/// its violations are exact), and healing runs of the other topologies. Sampling only
/// (no simulation); `--nocapture` shows the counts.
#[test]
fn generators_reach_the_topologies_and_residency() {
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    let plain = arb_scenario().boxed();
    let healing = arb_healing_scenario().boxed();
    for i in 0..1000 {
        let sc = if i % 2 == 0 { &plain } else { &healing }
            .new_tree(&mut runner)
            .expect("generate")
            .current();
        let mut tally = |tag: &'static str, hit: bool| {
            *counts.entry(tag).or_default() += u32::from(hit);
        };
        let t = sc.repl.topology;
        tally("single-primary", t == Topo::Single);
        tally(
            "multi: lww (default)",
            matches!(t, Topo::Multi(None | Some(None))),
        );
        tally("multi: lww", t == Topo::Multi(Some(Some("lww"))));
        tally(
            "multi: crdt-counter",
            t == Topo::Multi(Some(Some("crdt-counter"))),
        );
        tally("multi: crdt-set", t == Topo::Multi(Some(Some("crdt-set"))));
        tally(
            "home: async",
            t == Topo::Home && sc.repl.mode != Some("sync") && !sc.refused_mode(),
        );
        tally(
            "home: sync",
            t == Topo::Home && sc.repl.mode == Some("sync"),
        );
        tally(
            "home: sync with acks",
            t == Topo::Home && sc.repl.acks.is_some(),
        );
        tally("refused mode", sc.refused_mode());
        tally(
            "jurisdictions",
            sc.regions.iter().any(|g| g.jurisdiction.is_some()),
        );
        tally("1 rule", sc.rules.len() == 1);
        tally("2 rules", sc.rules.len() == 2);
        tally(
            "rule over every key",
            sc.rules.iter().any(|r| r.lo == 0 && r.hi == sc.wl.keys),
        );
        let outside = !sc.rules_outside_primary().is_empty();
        tally("single: primary outside a rule", outside);
        tally(
            "single: primary inside every rule",
            sc.single() && !sc.rules.is_empty() && !outside,
        );
        tally(
            "single: exact violations",
            outside && sc.every_write_commits_once(),
        );
        tally(
            "rules, multi",
            matches!(t, Topo::Multi(_)) && !sc.rules.is_empty(),
        );
        tally("rules, home", t == Topo::Home && !sc.rules.is_empty());
        let heals = i % 2 == 1 && sc.settles_before_end() && !sc.faults.is_empty();
        tally(
            "healing with faults, multi",
            heals && matches!(t, Topo::Multi(_)),
        );
        tally(
            "healing with faults, home + failover",
            heals && t == Topo::Home && sc.failover.is_some(),
        );
    }
    eprintln!("{counts:#?}");
    for (tag, n) in &counts {
        assert!(*n > 0, "the generators never produce: {tag}");
    }
}

#[test]
fn share_split_sums_to_one() {
    for w in [
        vec![1],
        vec![1000, 1, 1],
        vec![1, 1, 1000],
        vec![1, 1],
        vec![999, 1000],
        vec![7, 3, 5],
    ] {
        let s = shares(&w);
        assert_eq!(s.iter().sum::<u32>(), 1000, "{w:?} -> {s:?}");
        assert!(s.iter().all(|&x| x >= 1), "{w:?} -> {s:?}");
    }
}

#[test]
fn duration_strings_read_back() {
    for us in [
        0,
        1,
        999,
        1_000,
        1_500,
        100_000,
        1_500_000,
        2 * S,
        60 * S,
        90 * S,
        3_723 * S,
    ] {
        assert_eq!(
            regionsim::scenario::parse_duration_us(&dur(us)),
            Ok(us),
            "{}",
            dur(us)
        );
    }
    assert_eq!(
        regionsim::scenario::parse_signed_duration_us(&offset(-1_500)),
        Ok(-1_500)
    );
}
