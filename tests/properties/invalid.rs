//! Invalid scenarios (a valid one with one mutation): `parse_str` says why, naming the
//! file and a line or field; the binary exits 2 and names the file.

use std::panic::catch_unwind;
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use regionsim::scenario::{parse_str, Format};

use crate::common::*;

// ---------------------------------------------------------------------------
// Invalid scenarios: one mutation of a valid one
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Mutation {
    RemoveName,
    RemoveDuration,
    RemoveWorkload,
    RemoveWritesPerSec,
    /// Which duration field (0 duration, 1 drain, 2 request_timeout, 3 a link latency),
    /// and the bare number.
    BareNumber(u8, u32),
    /// Which duration field as above, and which malformed text.
    MalformedUnit(u8, u8),
    /// Which population, how far off (per mille).
    SharesOff(usize, u32),
    /// 0, or minus this.
    WritesNotPositive(u32),
    /// Which fault, how far past the end (seconds, 0 = exactly at the end).
    FaultAtBeyond(usize, u64),
    /// How many more than the replicas.
    AcksTooMany(u32),
    /// Which section, which name.
    UnknownField(usize, u8),
    UnknownRegionInLink(usize, bool),
    UnknownRegionInClient(usize),
    RemoveNeededLink,
    /// Which kind of syntax error, at which line.
    BadToml(u8, usize),
    ZipfZero(bool),
    /// A residency rule naming a jurisdiction no region has.
    ResidencyUnknownJurisdiction,
    /// A rule over the whole key space and one over `0..1` (they overlap).
    ResidencyOverlap,
    /// A rule whose range ends this far past the key space.
    ResidencyPastKeys(u32),
    /// A rule "LO..HI" with LO >= HI (LO, how far below it HI is).
    ResidencyEmpty(u32, u32),
    /// `primary` (true) or `replicas` (false) with a topology other than single-primary.
    PrimaryOutsideSingle(bool),
    /// A `[conflicts]` section with a topology other than multi-primary.
    ConflictsOutsideMulti,
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::RemoveName),
        Just(Mutation::RemoveDuration),
        Just(Mutation::RemoveWorkload),
        Just(Mutation::RemoveWritesPerSec),
        (0u8..4, 0u32..100).prop_map(|(f, n)| Mutation::BareNumber(f, n)),
        (0u8..4, 0u8..6).prop_map(|(f, k)| Mutation::MalformedUnit(f, k)),
        (0usize..3, 10u32..=400).prop_map(|(i, d)| Mutation::SharesOff(i, d)),
        (0u32..1000).prop_map(Mutation::WritesNotPositive),
        (0usize..3, 0u64..=60).prop_map(|(i, s)| Mutation::FaultAtBeyond(i, s)),
        (1u32..=5).prop_map(Mutation::AcksTooMany),
        (0usize..64, 0u8..4).prop_map(|(i, k)| Mutation::UnknownField(i, k)),
        (0usize..6, any::<bool>()).prop_map(|(i, side)| Mutation::UnknownRegionInLink(i, side)),
        (0usize..3).prop_map(Mutation::UnknownRegionInClient),
        Just(Mutation::RemoveNeededLink),
        (0u8..5, 0usize..200).prop_map(|(k, l)| Mutation::BadToml(k, l)),
        any::<bool>().prop_map(Mutation::ZipfZero),
        Just(Mutation::ResidencyUnknownJurisdiction),
        Just(Mutation::ResidencyOverlap),
        (1u32..=1000).prop_map(Mutation::ResidencyPastKeys),
        (0u32..=5000, 0u32..=3).prop_map(|(lo, d)| Mutation::ResidencyEmpty(lo, d)),
        any::<bool>().prop_map(Mutation::PrimaryOutsideSingle),
        Just(Mutation::ConflictsOutsideMulti),
    ]
}

/// The section and key of a duration-valued field chosen by `which`.
fn duration_field(d: &Doc, which: u8) -> (usize, &'static str) {
    match which {
        0 => (0, "duration"),
        1 => (0, "drain"),
        2 => (d.find("[workload]")[0], "request_timeout"),
        _ => (d.find("[[links]]")[0], "latency"),
    }
}

/// The text of `sc` with `m` applied: always an invalid scenario.
fn mutate(sc: &Sc, m: &Mutation) -> String {
    let mut sc = sc.clone();
    // Mutations on the model, before rendering.
    match m {
        Mutation::RemoveNeededLink => {
            // With the default replicas every region holds data, so every pair of
            // regions needs its link; remove the one between the primary and another.
            sc.repl.replicas = None;
            sc.repl.acks = None;
            let p = sc.repl.primary;
            sc.links.retain(|l| l.a != p && l.b != p);
            // Put back all but one of the primary's links.
            let n = sc.regions.len();
            let mut victim = None;
            for o in 0..n {
                if o == p {
                    continue;
                }
                if victim.is_none() {
                    victim = Some(o);
                    continue;
                }
                sc.links.push(LinkG {
                    a: p,
                    b: o,
                    lat: Lat::Constant(10 * MS),
                    bandwidth: None,
                });
            }
            // A latency fault on the missing pair would be the first error found.
            if let Some(v) = victim {
                sc.faults.retain(|f| {
                    !matches!(f.kind, FaultKindG::Latency { a, b, .. }
                        if (a == p && b == v) || (a == v && b == p))
                });
            }
        }
        Mutation::FaultAtBeyond(i, secs) => {
            let at_us = sc.duration_us + secs * S;
            if sc.faults.is_empty() {
                sc.faults.push(FaultG {
                    kind: FaultKindG::Outage(0),
                    at_us,
                    duration_us: None,
                });
            } else {
                let k = i % sc.faults.len();
                sc.faults[k].at_us = at_us;
            }
        }
        Mutation::AcksTooMany(extra) => {
            sc.repl.acks = Some(sc.replica_ids().len() as u32 + extra);
        }
        Mutation::ZipfZero(_) => {
            sc.wl.zipf = Some(Some(0.0));
        }
        Mutation::ResidencyUnknownJurisdiction
        | Mutation::ResidencyOverlap
        | Mutation::ResidencyPastKeys(_)
        | Mutation::ResidencyEmpty(..) => {
            // A jurisdiction some region has, for the rules that must fail for
            // another reason.
            let j = match sc.regions.iter().find_map(|g| g.jurisdiction) {
                Some(j) => j,
                None => {
                    sc.regions[0].jurisdiction = Some(0);
                    0
                }
            };
            let keys = sc.wl.keys;
            let mut add = |lo: u32, hi: u32| {
                sc.rules.push(RuleG {
                    lo,
                    hi,
                    jurisdiction: j,
                })
            };
            match m {
                Mutation::ResidencyOverlap => {
                    add(0, keys);
                    add(0, 1);
                }
                Mutation::ResidencyPastKeys(extra) => add(0, keys + extra),
                Mutation::ResidencyEmpty(lo, d) => add(*lo, lo.saturating_sub(*d)),
                _ => add(0, 1),
            }
        }
        // Home-region (async): primary, replicas and [conflicts] do not apply.
        Mutation::PrimaryOutsideSingle(_) | Mutation::ConflictsOutsideMulti
            if matches!(m, Mutation::ConflictsOutsideMulti) || sc.single() =>
        {
            sc.repl.topology = Topo::Home;
            sc.repl.mode = None;
            sc.repl.acks = None;
            sc.repl.semi_sync_timeout_us = None;
        }
        _ => {}
    }
    let mut d = sc.doc();
    // Mutations on the document.
    match m {
        Mutation::RemoveName => d.remove(0, "name"),
        Mutation::RemoveDuration => d.remove(0, "duration"),
        Mutation::RemoveWorkload => d
            .secs
            .retain(|s| s.header != "[workload]" && s.header != "[[workload.clients]]"),
        Mutation::RemoveWritesPerSec => {
            let w = d.find("[workload]")[0];
            d.remove(w, "writes_per_sec");
        }
        Mutation::BareNumber(f, n) => {
            let (sec, key) = duration_field(&d, *f);
            d.set(sec, key, n.to_string());
        }
        Mutation::MalformedUnit(f, k) => {
            let (sec, key) = duration_field(&d, *f);
            let bad = [
                "10 parsecs",
                "10parsecs",
                "5 minutes",
                "1.5.2s",
                "s10",
                "-3s",
            ][usize::from(*k) % 6];
            d.set(sec, key, quoted(bad));
        }
        Mutation::SharesOff(i, delta) => {
            let clients = d.find("[[workload.clients]]");
            let c = clients[i % clients.len()];
            let pm = sc.wl.clients[i % clients.len()].per_mille;
            let off = if pm > 500 { pm - delta } else { pm + delta };
            d.set(c, "share", per_mille(off));
        }
        Mutation::WritesNotPositive(k) => {
            let w = d.find("[workload]")[0];
            let v = match k % 3 {
                0 => "0".to_string(),
                1 => format!("-{}", k + 1),
                _ => format!("-{k}.5"),
            };
            d.set(w, "writes_per_sec", v);
        }
        Mutation::UnknownField(i, k) => {
            let sec = i % d.secs.len();
            let key = ["colour", "replica_count", "durations", "latency_ms"][usize::from(*k) % 4];
            // `latency_ms` etc. are unknown everywhere; keep the value harmless.
            d.secs[sec].kv.push((key.to_string(), quoted("blue")));
        }
        Mutation::UnknownRegionInLink(i, side) => {
            let links = d.find("[[links]]");
            let l = links[i % links.len()];
            let link = &sc.links[i % links.len()];
            let (a, b) = (REGION_NAMES[link.a], REGION_NAMES[link.b]);
            let pair = if *side {
                format!("[\"{a}\", \"mars-north-1\"]")
            } else {
                format!("[\"mars-north-1\", \"{b}\"]")
            };
            d.set(l, "between", pair);
        }
        Mutation::UnknownRegionInClient(i) => {
            let clients = d.find("[[workload.clients]]");
            let c = clients[i % clients.len()];
            d.set(c, "region", quoted("mars-north-1"));
        }
        Mutation::ResidencyUnknownJurisdiction => {
            let last = *d.find("[[residency]]").last().expect("a rule was added");
            d.set(last, "jurisdiction", quoted("Atlantis"));
        }
        Mutation::PrimaryOutsideSingle(primary) => {
            let r = d.find("[replication]")[0];
            if *primary {
                d.set(r, "primary", quoted(REGION_NAMES[sc.repl.primary]));
            } else {
                d.set(r, "replicas", sc.names(&[sc.repl.primary]));
            }
        }
        Mutation::ConflictsOutsideMulti => {
            d.sec("[conflicts]").kv("resolution", quoted("lww"));
        }
        Mutation::ZipfZero(float) => {
            let w = d.find("[workload]")[0];
            let v = if *float {
                "{ zipf = 0.0 }"
            } else {
                "{ zipf = 0 }"
            };
            d.set(w, "key_distribution", v.to_string());
        }
        _ => {}
    }
    let text = d.text();
    match m {
        Mutation::BadToml(kind, at) => {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let at = at % (lines.len() + 1);
            match kind {
                0 => lines.insert(at, "= 3".to_string()),
                1 => lines.insert(at, "[[regions]".to_string()),
                2 => lines.insert(at, "this is not toml".to_string()),
                3 => {
                    // An unterminated string in the first line that has one.
                    if let Some(l) = lines.iter_mut().find(|l| l.ends_with('"')) {
                        l.pop();
                    }
                }
                _ => {
                    // A second [workload] table.
                    lines.push("[workload]".to_string());
                    lines.push("writes_per_sec = 1".to_string());
                }
            }
            lines.join("\n") + "\n"
        }
        _ => text,
    }
}

const LABEL: &str = "mutated.toml";

/// Fragments of which the error must show at least one: the field (or line) the
/// mutation broke, so that an error for some other reason does not count.
fn about(m: &Mutation) -> Vec<String> {
    let duration_key =
        |f: &u8| ["`duration`", "`drain`", "request_timeout", "latency"][usize::from(*f)];
    let v: Vec<&str> = match m {
        Mutation::RemoveName => vec!["`name`"],
        Mutation::RemoveDuration => vec!["`duration`"],
        Mutation::RemoveWorkload => vec!["`workload`"],
        Mutation::RemoveWritesPerSec | Mutation::WritesNotPositive(_) => vec!["writes_per_sec"],
        Mutation::BareNumber(f, _) | Mutation::MalformedUnit(f, _) => vec![duration_key(f)],
        Mutation::SharesOff(..) => vec!["workload.clients"],
        Mutation::FaultAtBeyond(..) => vec!["faults["],
        Mutation::AcksTooMany(_) => vec!["replication.acks"],
        Mutation::UnknownField(_, k) => {
            vec![["colour", "replica_count", "durations", "latency_ms"][usize::from(*k) % 4]]
        }
        Mutation::UnknownRegionInLink(..) | Mutation::UnknownRegionInClient(_) => {
            vec!["mars-north-1"]
        }
        Mutation::RemoveNeededLink => vec!["`links`"],
        Mutation::BadToml(..) => vec!["line "],
        Mutation::ZipfZero(_) => vec!["zipf", "key_distribution"],
        Mutation::ResidencyUnknownJurisdiction => vec!["residency[", "Atlantis"],
        Mutation::ResidencyOverlap
        | Mutation::ResidencyPastKeys(_)
        | Mutation::ResidencyEmpty(..) => vec!["residency["],
        Mutation::PrimaryOutsideSingle(true) => vec!["replication.primary"],
        Mutation::PrimaryOutsideSingle(false) => vec!["replication.replicas"],
        Mutation::ConflictsOutsideMulti => vec!["`conflicts`"],
    };
    v.into_iter().map(str::to_string).collect()
}

fn check_invalid(text: &str, m: &Mutation) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(|| parse_str(text, LABEL, Format::Toml));
    let Ok(result) = outcome else {
        return Err(TestCaseError::fail(format!(
            "parse_str panicked ({m:?}) on:\n{text}"
        )));
    };
    let e = match result {
        Ok(_) => {
            return Err(TestCaseError::fail(format!(
                "mutation {m:?} was accepted:\n{text}"
            )))
        }
        Err(e) => e,
    };
    let shown = e.to_string();
    prop_assert!(
        !e.unsupported,
        "mutation {:?} was refused as unsupported rather than invalid: {}\n{}",
        m,
        shown,
        text
    );
    prop_assert!(
        shown.starts_with(LABEL),
        "error does not name the file: {shown} ({m:?})"
    );
    prop_assert!(
        shown.contains("line ") || shown.contains("field `"),
        "error names neither a line nor a field: {shown} ({m:?})\n{text}"
    );
    let about = about(m);
    prop_assert!(
        about.iter().any(|f| shown.contains(f.as_str())),
        "error for {:?} is not about {:?}: {}\n{}",
        m,
        about,
        shown,
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// Every mutation is rejected with an error that names the file and where.
    #[test]
    fn mutated_scenarios_are_rejected_with_a_location(sc in arb_scenario(), m in arb_mutation()) {
        let text = mutate(&sc, &m);
        check_invalid(&text, &m)?;
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// The binary: `validate` and `run` exit 2 on an invalid file and name it.
    #[test]
    fn binary_exits_2_on_mutated_scenarios(sc in arb_scenario(), m in arb_mutation()) {
        let text = mutate(&sc, &m);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("bad-scenario.toml");
        std::fs::write(&file, &text).expect("write");
        let out = dir.path().join("out");
        let bin = env!("CARGO_BIN_EXE_regionsim");
        let runs = [
            Command::new(bin).arg("validate").arg(&file).output(),
            Command::new(bin).arg("run").arg(&file).arg("--out").arg(&out).output(),
        ];
        for (what, o) in ["validate", "run"].iter().zip(runs) {
            let o = o.expect("spawn regionsim");
            let stderr = String::from_utf8_lossy(&o.stderr);
            prop_assert_eq!(
                o.status.code(), Some(2),
                "`regionsim {}` ({:?}) stderr: {}\n{}", what, m, stderr, text
            );
            prop_assert!(
                stderr.contains(file.to_str().expect("utf-8 temp path")),
                "`regionsim {what}` stderr does not name the file: {stderr}"
            );
        }
        prop_assert!(!out.exists(), "`run` wrote reports for an invalid file");
    }
}
