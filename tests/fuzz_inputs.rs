//! Fuzz-style property test (issue 13): mutants of the shipped scenarios
//! (keys deleted, types changed, extreme numbers, unknown names, byte flips,
//! truncation) never panic, never break an invariant (exit 3), name the file
//! and a field or a line when refused, and finish within their bounds.
//!
//! `REGIONSIM_FUZZ_CASES=N` runs N mutants (default 150, a few seconds);
//! `REGIONSIM_FUZZ_SEED` changes the mutation stream. Counts per outcome class
//! are printed (`cargo test --release --test fuzz_inputs -- --nocapture`).

use regionsim::model::{simulate, Bounds, SimError};
use regionsim::scenario::{parse_str, Format};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;

/// A small deterministic generator (xorshift64*), so that the test does not
/// depend on the `rand` API.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VALUES: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "9223372036854775807",
    "1e-300",
    "nan",
    "inf",
    "0.0",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"0s\"",
    "\"1us\"",
    "\"720h\"",
    "\"9999999h\"",
    "\"-5ms\"",
    "\"1e9\"",
    "\"nope\"",
    "\"\\u001b[31m\\n::error::x\"",
    "[\"nope\", \"nope\"]",
    "{ dist = \"normal\", mean = \"1us\", stddev = \"720h\" }",
    "1979-05-27T07:32:00Z",
    "1e9",
];

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let i = rng.below(lines.len());
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match rng.below(8) {
        // Delete a key (or a table header).
        0 => {
            out.remove(i);
        }
        // Change a value: another type, an extreme number, an unknown name.
        1 | 2 => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&j| lines[j].contains(" = "))
                .collect();
            if let Some(&j) = keyed.get(rng.below(keyed.len())) {
                let key = lines[j].split(" = ").next().unwrap_or("x");
                out[j] = format!("{key} = {}", rng.pick(VALUES));
            }
        }
        // An unknown key, or a duplicated line.
        3 => {
            let extra = rng.pick(&[
                "bogus = 1",
                "request_timout = \"2s\"",
                "[bogus]",
                "[[regions]]",
            ]);
            out.insert(i, extra.to_string());
        }
        4 => out.insert(i, lines[i].to_string()),
        // Byte flips.
        5 => {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        // Truncation.
        6 => {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return text[..at].to_string();
        }
        _ => return scale_down(text),
    }
    out.join("\n") + "\n"
}

/// The work scaled down so that the mutant runs quickly (rates / 50).
fn scale_down(text: &str) -> String {
    let mut out: Vec<String> = text.lines().map(str::to_string).collect();
    for l in &mut out {
        for key in ["writes_per_sec", "reads_per_sec"] {
            if let Some(v) = l.strip_prefix(&format!("{key} = ")) {
                if let Ok(x) = v.trim().parse::<f64>() {
                    *l = format!("{key} = {}", (x / 50.0).ceil());
                }
            }
        }
    }
    out.join("\n") + "\n"
}

/// Whether a refusal names a field or a line (or the file itself, for size
/// and encoding problems).
fn locates(location: &str, message: &str) -> bool {
    ["line ", "field `", "file", "override"]
        .iter()
        .any(|p| location.starts_with(p))
        || message.contains('`')
}

/// The fields a bound message may name.
fn names_a_field(m: &str) -> bool {
    ["workload.", "failover.", "duration", "replication", "keys"]
        .iter()
        .any(|f| m.contains(f))
}

fn shipped() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Classifies one mutant through the library; panics on a violated property.
fn classify(label: &str, text: &str, bounds: Bounds) -> &'static str {
    let parsed = catch_unwind(|| parse_str(text, label, Format::Toml));
    let scenario = match parsed {
        Err(_) => panic!("{label}: parsing panicked on:\n{text}"),
        Ok(Err(e)) => {
            let shown = e.to_string();
            assert!(
                shown.starts_with(label),
                "{label}: message lacks the file: {shown}"
            );
            assert!(
                locates(&e.location, &e.message),
                "{label}: no field or line: {shown}"
            );
            return if e.unsupported {
                "unsupported"
            } else {
                "invalid"
            };
        }
        Ok(Ok(s)) => s,
    };
    let seed = scenario.seed;
    let run = catch_unwind(AssertUnwindSafe(|| simulate(&scenario, seed, bounds)));
    match run {
        Err(_) => panic!("{label}: the simulator panicked on:\n{text}"),
        Ok(Err(SimError::Invariant(m))) => panic!("{label}: invariant broken ({m}) on:\n{text}"),
        Ok(Err(SimError::Bound(m))) => {
            assert!(
                names_a_field(&m),
                "{label}: bound message names no field: {m}"
            );
            "refused by a bound"
        }
        Ok(Ok(r)) => {
            assert!(
                r.report.metrics.events <= bounds.max_events,
                "{label}: past the event bound"
            );
            "ran"
        }
    }
}

/// A mutant through the binary: never a panic (101) or exit 3; a refusal names the file.
fn through_binary(dir: &std::path::Path, n: u64, text: &str) {
    let p = dir.join(format!("m{n}.toml"));
    std::fs::write(&p, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .args(["validate", p.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let code = o.status.code();
    assert!(
        matches!(code, Some(0) | Some(2)),
        "exit {code:?}: {err}\n{text}"
    );
    assert!(
        code == Some(0) || err.contains(&format!("m{n}.toml")),
        "{err}"
    );
}

#[test]
fn mutated_scenarios_never_panic_and_are_refused_with_a_location() {
    let cases = env_u64("REGIONSIM_FUZZ_CASES", 150);
    let mut rng = Rng(env_u64("REGIONSIM_FUZZ_SEED", 13) | 1);
    let bounds = Bounds {
        max_events: 2_000_000,
        ..Bounds::default()
    };
    let bases = shipped();
    let dir = std::env::temp_dir().join(format!("regionsim-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for n in 0..cases {
        let (name, text) = &bases[rng.below(bases.len())];
        let mut m = if rng.below(2) == 0 {
            scale_down(text)
        } else {
            text.clone()
        };
        for _ in 0..1 + rng.below(4) / 3 {
            m = mutate(&m, &mut rng);
        }
        let label = format!("mutant-{n}-of-{name}");
        *counts.entry(classify(&label, &m, bounds)).or_default() += 1;
        if n % 10 == 0 {
            through_binary(&dir, n, &m);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("fuzz: {cases} mutants: {counts:?}");
    assert_eq!(counts.values().sum::<u64>(), cases);
}
