//! explore's outputs as text: explore.json (every candidate) and worst.toml
//! (the scenario file with the worst fault times and seed, and a header
//! saying how it was found).

use super::search::{Exploration, Phase, Tried};
use super::space::{Field, Space};
use crate::engine::time::fmt_duration;
use crate::scenario::{value_tree, Format};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct KnobDoc {
    path: String,
    lo_us: u64,
    hi_us: u64,
    original_us: u64,
}

#[derive(Serialize)]
struct CandidateDoc<'a> {
    index: usize,
    phase: Phase,
    why: &'a str,
    seed: u64,
    /// Knob path -> value (µs).
    times_us: BTreeMap<String, u64>,
    value: crate::metrics::Sample,
    shown: String,
    budgets_breached: &'a [String],
}

#[derive(Serialize)]
struct ExploreDoc<'a> {
    scenario: &'a str,
    scenario_file: &'a str,
    scenario_sha256: &'a str,
    regionsim_version: &'static str,
    metric: &'static str,
    /// "lower" or "higher": which way the metric gets better.
    better: &'static str,
    runs: usize,
    instants: usize,
    knobs: Vec<KnobDoc>,
    vary_seed: bool,
    original: Option<CandidateDoc<'a>>,
    worst: Option<CandidateDoc<'a>>,
    candidates: Vec<CandidateDoc<'a>>,
}

fn candidate<'a>(e: &'a Exploration, t: &'a Tried) -> CandidateDoc<'a> {
    CandidateDoc {
        index: t.index,
        phase: t.phase,
        why: &t.why,
        seed: t.point.seed,
        times_us: e
            .space
            .knobs
            .iter()
            .zip(&t.point.values)
            .map(|(k, v)| (k.path(), *v))
            .collect(),
        value: t.value,
        shown: e.metric.show(t.value),
        budgets_breached: &t.breached,
    }
}

/// explore.json: the search's definition, the original and worst candidates,
/// and every candidate in the order tried.
pub fn explore_json(e: &Exploration, name: &str, file: &str, sha256: &str) -> String {
    let doc = ExploreDoc {
        scenario: name,
        scenario_file: file,
        scenario_sha256: sha256,
        regionsim_version: env!("CARGO_PKG_VERSION"),
        metric: e.metric.name,
        better: if e.metric.is_floor() {
            "higher"
        } else {
            "lower"
        },
        runs: e.tried.len(),
        instants: e.instants,
        knobs: (e.space.knobs.iter())
            .map(|k| KnobDoc {
                path: k.path(),
                lo_us: k.lo_us,
                hi_us: k.hi_us,
                original_us: k.original_us,
            })
            .collect(),
        vary_seed: e.space.vary_seed,
        original: e.original().map(|t| candidate(e, t)),
        worst: e.worst().map(|t| candidate(e, t)),
        candidates: e.tried.iter().map(|t| candidate(e, t)).collect(),
    };
    // Plain structs of numbers, strings and ordered maps cannot fail to serialise.
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The header comment of worst.toml: how it was found, and what changed.
fn header(e: &Exploration, file: &str) -> String {
    let (Some(w), Some(o)) = (e.worst(), e.original()) else {
        return String::new();
    };
    let m = e.metric;
    let mut h = format!(
        "# Found by `regionsim explore {file}`: the worst {} in {} runs\n\
         # ({} control-plane instants of a first run, random points, then a local search).\n\
         # {} = {} here (candidate #{}: {}); the scenario as written gives {}.\n",
        m.name,
        e.tried.len(),
        e.instants,
        m.name,
        m.show(w.value),
        w.index,
        w.why,
        m.show(o.value),
    );
    let mut changes = Vec::new();
    for (k, (a, b)) in (e.space.knobs.iter()).zip(o.point.values.iter().zip(&w.point.values)) {
        if a != b {
            changes.push(format!(
                "{} {} -> {}",
                k.path(),
                fmt_duration(*a),
                fmt_duration(*b)
            ));
        }
    }
    if o.point.seed != w.point.seed {
        changes.push(format!("seed {} -> {}", o.point.seed, w.point.seed));
    }
    if changes.is_empty() {
        h.push_str("# Nothing changed: no candidate was worse than the scenario as written.\n");
    } else {
        h.push_str(&format!("# Changed: {}.\n", changes.join("; ")));
    }
    if !w.breached.is_empty() {
        h.push_str(&format!("# Budgets breached: {}.\n", w.breached.join(", ")));
    }
    h.push_str("# Reproduce: regionsim run <this file>\n\n");
    h
}

/// The (fault index, field name, text) edits that put `worst`'s times in a file.
fn edits(space: &Space, values: &[u64]) -> Vec<(usize, &'static str, String)> {
    (space.knobs.iter())
        .zip(values)
        .map(|(k, v)| {
            let field = match k.field {
                Field::At => "at",
                Field::Duration => "duration",
            };
            (k.fault, field, fmt_duration(*v))
        })
        .collect()
}

/// worst.toml: for a TOML file, the file itself with the worst fault times and
/// seed set in place (comments and layout kept); for a JSON file, the same
/// scenario written as TOML. Errs when the file cannot be edited.
pub fn worst_toml(
    e: &Exploration,
    text: &str,
    format: Format,
    file: &str,
) -> Result<String, String> {
    let Some(w) = e.worst() else {
        return Err("no candidate was run".to_string());
    };
    let seed = i64::try_from(w.point.seed).map_err(|_| "the seed is too large for TOML")?;
    let changes = edits(&e.space, &w.point.values);
    let body = match format {
        Format::Toml => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let mut doc: toml_edit::DocumentMut = text.parse().map_err(|x| format!("{x}"))?;
            set_keep_decor(doc.as_table_mut(), "seed", seed.into());
            for (i, field, v) in &changes {
                let table: &mut dyn toml_edit::TableLike = match doc.get_mut("faults") {
                    Some(toml_edit::Item::ArrayOfTables(a)) => a.get_mut(*i).map(|t| t as _),
                    Some(toml_edit::Item::Value(toml_edit::Value::Array(a))) => a
                        .get_mut(*i)
                        .and_then(|v| v.as_inline_table_mut())
                        .map(|t| t as _),
                    _ => None,
                }
                .ok_or_else(|| format!("faults[{i}] is not a table the file can be edited at"))?;
                set_keep_decor(table, field, v.as_str().into());
            }
            doc.to_string()
        }
        Format::Json => {
            let mut tree = value_tree(text, format).map_err(|x| x.to_string())?;
            tree["seed"] = seed.into();
            for (i, field, v) in changes {
                tree["faults"][i][field] = v.into();
            }
            crate::scenario::to_toml(&tree)?
        }
    };
    Ok(header(e, file) + &body)
}

/// Sets `key` to `v`, keeping the comment and spacing around an existing value.
fn set_keep_decor(t: &mut dyn toml_edit::TableLike, key: &str, mut v: toml_edit::Value) {
    if let Some(old) = t.get(key).and_then(toml_edit::Item::as_value) {
        *v.decor_mut() = old.decor().clone();
    }
    t.insert(key, toml_edit::Item::Value(v));
}
