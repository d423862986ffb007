//! Checks on a run: parse and simulate a generated scenario, the accounting identities
//! of metrics.md, and what the topology and the residency rules promise.

use std::panic::{catch_unwind, AssertUnwindSafe};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use regionsim::metrics::RunResult;
use regionsim::model::{simulate, Bounds};
use regionsim::scenario::{parse_str, Format, Scenario};

use super::*;

// ---------------------------------------------------------------------------
// Checks on a run
// ---------------------------------------------------------------------------

/// Parse generated text: `Ok(Some)` valid, `Ok(None)` refused only as not supported
/// yet, `Err` a failure of the property (the text is in the message).
pub(crate) fn parse_generated(text: &str) -> Result<Option<Scenario>, TestCaseError> {
    match catch_unwind(|| parse_str(text, "generated.toml", Format::Toml)) {
        Ok(Ok(s)) => Ok(Some(s)),
        Ok(Err(e)) if e.unsupported => Ok(None),
        Ok(Err(e)) => Err(TestCaseError::fail(format!(
            "a generated valid scenario was rejected: {e}\n--- scenario ---\n{text}"
        ))),
        Err(_) => Err(TestCaseError::fail(format!(
            "parse_str panicked on:\n{text}"
        ))),
    }
}

pub(crate) fn run_generated(
    s: &Scenario,
    seed: u64,
    text: &str,
) -> Result<RunResult, TestCaseError> {
    match catch_unwind(AssertUnwindSafe(|| simulate(s, seed, Bounds::default()))) {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(TestCaseError::fail(format!(
            "simulate (seed {seed}) returned an error: {e}\n--- scenario ---\n{text}"
        ))),
        Err(_) => Err(TestCaseError::fail(format!(
            "simulate (seed {seed}) panicked\n--- scenario ---\n{text}"
        ))),
    }
}

/// The accounting identities of metrics.md that hold for every run.
pub(crate) fn check_run(
    s: &Scenario,
    r: &RunResult,
    seed: u64,
    text: &str,
) -> Result<(), TestCaseError> {
    let m = &r.report.metrics;
    let end = s.end_us();
    let ctx = || format!("(seed {seed})\n--- scenario ---\n{text}");
    prop_assert!(
        m.lost_writes <= m.acknowledged_writes,
        "lost {} > acknowledged {} {}",
        m.lost_writes,
        m.acknowledged_writes,
        ctx()
    );
    prop_assert_eq!(
        m.acknowledged_writes + m.failed_writes,
        m.attempted_writes,
        "acknowledged + failed != attempted {}",
        ctx()
    );
    prop_assert!(
        (0.0..=1.0).contains(&m.availability),
        "availability {} {}",
        m.availability,
        ctx()
    );
    prop_assert_eq!(
        m.reads.is_some(),
        s.workload.reads_per_sec > 0.0,
        "read metrics present iff the workload reads {}",
        ctx()
    );
    if let Some(rd) = &m.reads {
        let answered = rd.reads - rd.failed_reads;
        prop_assert!(
            rd.failed_reads <= rd.reads && rd.stale_reads <= answered,
            "reads {} failed {} stale {} {}",
            rd.reads,
            rd.failed_reads,
            rd.stale_reads,
            ctx()
        );
        let ok = m.acknowledged_writes + answered;
        let all = m.attempted_writes + rd.reads;
        let expected = if all == 0 {
            1.0
        } else {
            ok as f64 / all as f64
        };
        prop_assert!(
            (m.availability - expected).abs() < 1e-12,
            "availability {} != (acked writes + answered reads) / requests {} {}",
            m.availability,
            expected,
            ctx()
        );
        prop_assert!(
            rd.read_latency_us.max <= s.workload.request_timeout_us,
            "a read answered after its timeout {}",
            ctx()
        );
    }
    for (region, a) in &m.availability_by_region {
        prop_assert!(
            (0.0..=1.0).contains(a),
            "availability of {region} {a} {}",
            ctx()
        );
    }
    prop_assert!(
        m.rpo_us <= end,
        "rpo {} > duration + drain {} {}",
        m.rpo_us,
        end,
        ctx()
    );
    for (i, inc) in r.report.incidents.iter().enumerate() {
        prop_assert!(
            inc.rpo_us <= end,
            "incident {i} rpo {} {}",
            inc.rpo_us,
            ctx()
        );
        if let Some(b) = inc.rto_breakdown {
            let sum = b.total();
            prop_assert_eq!(
                Some(sum),
                inc.rto_us,
                "incident {} rto breakdown {:?} does not sum to rto {:?} {}",
                i,
                b,
                inc.rto_us,
                ctx()
            );
        }
    }
    prop_assert_eq!(
        r.lost_writes.len() as u64,
        m.lost_writes,
        "ledger length != lost_writes {}",
        ctx()
    );
    let by_incident: u64 = r.report.incidents.iter().map(|i| i.lost_writes).sum();
    prop_assert_eq!(
        by_incident,
        m.lost_writes,
        "lost writes over incidents != lost_writes {}",
        ctx()
    );
    for l in &r.lost_writes {
        prop_assert!(
            l.commit_us <= end,
            "lost write {} committed at {} after the end {} {}",
            l.id,
            l.commit_us,
            end,
            ctx()
        );
        prop_assert!(
            l.incident < r.report.incidents.len(),
            "lost write {} names incident {} of {} {}",
            l.id,
            l.incident,
            r.report.incidents.len(),
            ctx()
        );
    }
    Ok(())
}

/// Whether a deposed primary may legitimately still be up beside the new one at the
/// end (split brain): nothing steps a deposed primary down except fencing or, with
/// fencing off, a restart (an outage of it) followed by a rejoin. Such a run is a
/// correct "not converged", so the convergence property skips it. Judged from the
/// run's timeline: each `promotion` entry deposes the primary of the moment (a failed
/// promotion is counted too, which only skips more), each `rejoin` entry of a region
/// clears it.
///
/// Multi-primary has no promotions, and home-region cannot split: a key has one home
/// at a time and a region that is no longer a key's home refuses its writes.
pub(crate) fn split_brain_possible(sc: &Sc, r: &RunResult) -> bool {
    if !sc.single() {
        return false;
    }
    let Some(f) = &sc.failover else { return false };
    if f.fencing == Some(true) {
        return false;
    }
    let mut primary = sc.rname(sc.repl.primary);
    let mut standing: Vec<String> = Vec::new();
    for e in &r.series.timeline {
        let Some(region) = &e.region else { continue };
        match e.kind.as_str() {
            "promotion" => {
                standing.push(std::mem::replace(&mut primary, region.clone()));
            }
            "rejoin" => standing.retain(|d| d != region),
            _ => {}
        }
    }
    standing.retain(|d| *d != primary);
    !standing.is_empty()
}

/// What the topology and the residency rules promise (scenario-format.md: Replication,
/// Conflicts, Residency; metrics.md: Conflicts, residency_violations):
/// - home-region: one writer per key, so no conflict and nothing discarded;
/// - multi-primary with a CRDT: nothing discarded;
/// - only single-primary uses semi-sync (so only it can fall back);
/// - no record reaches a region outside its jurisdiction, except the pinned writes that
///   a single primary outside the rule's jurisdiction commits: at most one per attempt
///   of a write to that range, exactly one per write when nothing fails over and no
///   request is dropped;
/// - `metrics.residency` has one entry per rule (in file order) and then the unpinned
///   rest if any key is left, with the rule's jurisdiction and its regions, and its
///   figures add up to the headline ones (lost writes per range = the ledger's).
pub(crate) fn check_topology(
    sc: &Sc,
    r: &RunResult,
    seed: u64,
    text: &str,
) -> Result<(), TestCaseError> {
    let m = &r.report.metrics;
    let ctx = || format!("(seed {seed})\n--- scenario ---\n{text}");
    match sc.repl.topology {
        Topo::Home => {
            // One writer per key, before and after keys move: causal order decides.
            prop_assert_eq!(
                (m.conflicts, m.lww_discarded, m.lww_inversions),
                (0, 0, 0),
                "home-region: (conflicts, lww_discarded, lww_inversions) {}",
                ctx()
            );
        }
        Topo::Multi(_) if sc.crdt() => {
            prop_assert_eq!(
                (m.lww_discarded, m.lww_inversions),
                (0, 0),
                "CRDT: (lww_discarded, lww_inversions) {}",
                ctx()
            );
        }
        _ => {}
    }
    if !sc.single() {
        prop_assert_eq!(m.semi_sync_fallbacks, 0, "semi-sync fallbacks {}", ctx());
    }

    // Per-range figures.
    if sc.rules.is_empty() {
        prop_assert!(
            m.residency.is_empty(),
            "per-range figures without rules: {:?} {}",
            m.residency,
            ctx()
        );
        prop_assert_eq!(
            m.residency_violations,
            0,
            "violations without rules {}",
            ctx()
        );
        return Ok(());
    }
    let pinned: u32 = sc.rules.iter().map(|rule| rule.hi - rule.lo).sum();
    let mut expected: Vec<(String, Option<usize>)> = sc
        .rules
        .iter()
        .map(|rule| (rule.keys(), Some(rule.jurisdiction)))
        .collect();
    if pinned < sc.wl.keys {
        expected.push(("rest".to_string(), None));
    }
    let got: Vec<(String, Option<String>)> = m
        .residency
        .iter()
        .map(|f| (f.keys.clone(), f.jurisdiction.clone()))
        .collect();
    let want: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(k, j)| (k.clone(), j.map(|j| JURISDICTIONS[j].to_string())))
        .collect();
    prop_assert_eq!(got, want, "per-range figures: ranges {}", ctx());
    let range_of = |key: u32| {
        sc.rules
            .iter()
            .position(|rule| rule.contains(key))
            .unwrap_or(sc.rules.len())
    };
    for (i, f) in m.residency.iter().enumerate() {
        let regions: Vec<String> = (0..sc.regions.len())
            .filter(|&g| {
                sc.rules
                    .get(i)
                    .is_none_or(|rule| sc.in_jurisdiction(g, rule))
            })
            .map(|g| sc.rname(g))
            .collect();
        prop_assert_eq!(
            &f.regions,
            &regions,
            "regions of range {} {}",
            f.keys,
            ctx()
        );
        prop_assert!(
            f.acknowledged_writes <= f.attempted_writes
                && f.lost_writes <= f.acknowledged_writes
                && (0.0..=1.0).contains(&f.availability),
            "range {}: acknowledged {} attempted {} lost {} availability {} {}",
            f.keys,
            f.acknowledged_writes,
            f.attempted_writes,
            f.lost_writes,
            f.availability,
            ctx()
        );
        prop_assert!(
            f.rpo_us <= m.rpo_us,
            "range {} rpo {} > rpo {} {}",
            f.keys,
            f.rpo_us,
            m.rpo_us,
            ctx()
        );
        let ledger = r
            .lost_writes
            .iter()
            .filter(|l| range_of(l.key) == i)
            .count() as u64;
        prop_assert_eq!(
            f.lost_writes,
            ledger,
            "range {}: lost_writes != lost writes of its keys in the ledger {}",
            &f.keys,
            ctx()
        );
    }
    let sum = |g: fn(&regionsim::metrics::RangeFigures) -> u64| -> u64 {
        m.residency.iter().map(g).sum()
    };
    prop_assert_eq!(
        (
            sum(|f| f.attempted_writes),
            sum(|f| f.acknowledged_writes),
            sum(|f| f.lost_writes)
        ),
        (m.attempted_writes, m.acknowledged_writes, m.lost_writes),
        "per-range (attempted, acknowledged, lost) do not add up {}",
        ctx()
    );

    // Residency violations.
    let outside = sc.rules_outside_primary();
    if outside.is_empty() {
        prop_assert_eq!(
            m.residency_violations,
            0,
            "{} records outside their jurisdiction, yet the topology is {} and the primary (if any) is in every rule's jurisdiction {}",
            m.residency_violations,
            sc.repl.topology.keyword(),
            ctx()
        );
    } else {
        let attempted: u64 = outside
            .iter()
            .map(|rule| {
                let keys = rule.keys();
                m.residency
                    .iter()
                    .find(|f| f.keys == keys)
                    .map_or(0, |f| f.attempted_writes)
            })
            .sum();
        if sc.every_write_commits_once() {
            prop_assert_eq!(
                m.residency_violations,
                attempted,
                "violations != writes to the ranges pinned outside the primary {}",
                ctx()
            );
        } else {
            prop_assert!(
                m.residency_violations <= attempted * sc.max_attempts(),
                "violations {} > {} writes to the ranges pinned outside the primary x {} attempts {}",
                m.residency_violations,
                attempted,
                sc.max_attempts(),
                ctx()
            );
        }
    }
    Ok(())
}
