//! Reductions of a scenario's value tree: drop faults, client groups,
//! residency rules or regions (with everything that names them), and smaller
//! or rounder numbers. Each returns the reduced tree, or `None` when the
//! reduction cannot apply (the caller validates and runs what it returns).

use crate::engine::time::fmt_duration;
use crate::scenario::parse_duration_us;
use serde_json::Value;

/// A list of the scenario that delta debugging removes entries from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Faults,
    Regions,
    Clients,
    Residency,
}

impl List {
    pub const ALL: [List; 4] = [List::Faults, List::Regions, List::Clients, List::Residency];

    fn items(self, tree: &Value) -> Option<&Vec<Value>> {
        match self {
            List::Faults => tree.get("faults"),
            List::Regions => tree.get("regions"),
            List::Clients => tree.get("workload").and_then(|w| w.get("clients")),
            List::Residency => tree.get("residency"),
        }
        .and_then(Value::as_array)
    }

    /// How many entries the list has in `tree`.
    pub fn len(self, tree: &Value) -> usize {
        self.items(tree).map_or(0, Vec::len)
    }

    /// A short description of entry `i`, for the header of the shrunk file.
    pub fn describe(self, tree: &Value, i: usize) -> String {
        let item = self.items(tree).and_then(|v| v.get(i));
        let get = |k: &str| item.and_then(|v| v.get(k)).map(short).unwrap_or_default();
        match self {
            List::Faults => {
                let what = [get("region"), get("between"), get("sides")].join("");
                format!("fault {} {what} at {}", get("kind"), get("at"))
            }
            List::Regions => {
                format!(
                    "region {} (its links, clients, replicas and references)",
                    get("name")
                )
            }
            List::Clients => format!("client group in {} (share {})", get("region"), get("share")),
            List::Residency => format!("residency rule {} -> {}", get("keys"), get("jurisdiction")),
        }
    }

    /// `tree` without the entries at `drop` (sorted indexes).
    pub fn without(self, tree: &Value, drop: &[usize]) -> Option<Value> {
        if self == List::Regions {
            let names: Vec<String> = drop
                .iter()
                .filter_map(|&i| self.items(tree)?.get(i)?.get("name")?.as_str())
                .map(str::to_string)
                .collect();
            return without_regions(tree, &names);
        }
        let mut out = tree.clone();
        let list = match self {
            List::Faults => out.get_mut("faults"),
            List::Clients => out.get_mut("workload").and_then(|w| w.get_mut("clients")),
            List::Residency => out.get_mut("residency"),
            List::Regions => None,
        }
        .and_then(Value::as_array_mut)?;
        let kept: Vec<Value> = std::mem::take(list)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, v)| v)
            .collect();
        *list = kept;
        if self == List::Clients {
            renormalize_shares(&mut out)?;
        }
        Some(out)
    }
}

/// A value as short text (strings unquoted, lists joined).
fn short(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(short).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Client shares scaled to sum to 1 again; `None` when no client is left.
fn renormalize_shares(tree: &mut Value) -> Option<()> {
    let clients = tree
        .get_mut("workload")?
        .get_mut("clients")?
        .as_array_mut()?;
    let total: f64 = clients
        .iter()
        .filter_map(|c| c.get("share")?.as_f64())
        .sum();
    if clients.is_empty() || total <= 0.0 {
        return None;
    }
    for c in clients.iter_mut() {
        let share = c.get("share").and_then(Value::as_f64).unwrap_or(0.0);
        c["share"] = serde_json::Number::from_f64(share / total).map_or(Value::Null, Value::Number);
    }
    Some(())
}

/// Whether `v` (a name or a list of names) names one of `names`.
fn names_any(v: Option<&Value>, names: &[String]) -> bool {
    match v {
        Some(Value::String(s)) => names.contains(s),
        Some(Value::Array(items)) => items.iter().any(|i| names_any(Some(i), names)),
        _ => false,
    }
}

/// Keeps the strings of a list that are not in `names`; removes the key when
/// nothing is left (its default applies).
fn filter_names(parent: Option<&mut Value>, key: &str, names: &[String]) {
    let Some(obj) = parent.and_then(Value::as_object_mut) else {
        return;
    };
    let Some(Value::Array(items)) = obj.get_mut(key) else {
        return;
    };
    items.retain(|i| !names_any(Some(i), names));
    if items.is_empty() {
        obj.remove(key);
    }
}

/// `tree` without the regions `names` and everything that names them: their
/// links, client groups, replica and checker entries, endpoints and faults
/// (a partition side loses them; a fault left without a side goes). `None`
/// when the primary would go, or no region would be left.
fn without_regions(tree: &Value, names: &[String]) -> Option<Value> {
    let mut out = tree.clone();
    if names_any(out.get("replication").and_then(|r| r.get("primary")), names) {
        return None;
    }
    let regions = out.get_mut("regions")?.as_array_mut()?;
    regions.retain(|r| !names_any(r.get("name"), names));
    if regions.is_empty() {
        return None;
    }
    if let Some(links) = out.get_mut("links").and_then(Value::as_array_mut) {
        links.retain(|l| !names_any(l.get("between"), names));
    }
    if let Some(clients) = out
        .get_mut("workload")
        .and_then(|w| w.get_mut("clients"))
        .and_then(Value::as_array_mut)
    {
        clients.retain(|c| !names_any(c.get("region"), names));
    }
    renormalize_shares(&mut out)?;
    filter_names(out.get_mut("replication"), "replicas", names);
    let failover = out.get_mut("failover");
    if let Some(f) = failover {
        filter_names(f.get_mut("health_check"), "checkers", names);
        filter_names(f.get_mut("client"), "endpoints", names);
    }
    if let Some(faults) = out.get_mut("faults").and_then(Value::as_array_mut) {
        faults
            .retain(|f| !names_any(f.get("region"), names) && !names_any(f.get("between"), names));
        for f in faults.iter_mut() {
            if let Some(Value::Array(sides)) = f.get_mut("sides") {
                for side in sides.iter_mut() {
                    if let Value::Array(members) = side {
                        members.retain(|m| !names_any(Some(m), names));
                    }
                }
            }
        }
        faults.retain(|f| match f.get("sides") {
            Some(Value::Array(sides)) => sides
                .iter()
                .all(|s| s.as_array().is_some_and(|m| !m.is_empty())),
            _ => true,
        });
    }
    Some(out)
}

/// What kind of number a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A duration string (`"12m"`).
    Duration,
    /// A whole number (keys, client counts).
    Count,
    /// A rate (writes per second).
    Rate,
}

/// The numeric fields shrink lowers or rounds, as (path, kind, whether only
/// rounding applies: fault times stay near where they were).
pub fn numeric_fields(tree: &Value) -> Vec<(Vec<Seg>, Kind, bool)> {
    let k = |s: &str| Seg::Key(s.to_string());
    let mut out = vec![
        (vec![k("duration")], Kind::Duration, false),
        (vec![k("drain")], Kind::Duration, false),
        (vec![k("workload"), k("writes_per_sec")], Kind::Rate, false),
        (vec![k("workload"), k("keys")], Kind::Count, false),
    ];
    let clients = List::Clients.len(tree);
    for i in 0..clients {
        out.push((
            vec![k("workload"), k("clients"), Seg::Index(i), k("count")],
            Kind::Count,
            false,
        ));
    }
    for i in 0..List::Faults.len(tree) {
        out.push((
            vec![k("faults"), Seg::Index(i), k("duration")],
            Kind::Duration,
            false,
        ));
        out.push((
            vec![k("faults"), Seg::Index(i), k("at")],
            Kind::Duration,
            true,
        ));
    }
    out.retain(|(path, _, _)| get(tree, path).is_some());
    out
}

/// A step of a path in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The path as text (`workload.clients[0].count`).
pub fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => s.push_str(&format!(".{k}")),
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

pub fn get<'a>(tree: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(tree, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

fn get_mut<'a>(tree: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(tree, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

/// `v` floored to `digits` significant digits.
fn floor_sig(v: u64, digits: u32) -> u64 {
    let len = v.checked_ilog10().map_or(1, |l| l + 1);
    let unit = 10u64.pow(len.saturating_sub(digits));
    v / unit * unit
}

/// Smaller or rounder values for a field holding `v` (at least `min`), the
/// most reduced first, so that the first that still fails is the smallest
/// tried.
fn smaller(v: u64, min: u64, round_only: bool) -> Vec<u64> {
    let all = if round_only {
        vec![floor_sig(v, 1), floor_sig(v, 2)]
    } else {
        vec![
            min,
            v / 16,
            v / 4,
            v / 2,
            floor_sig(v, 1),
            floor_sig(v, 2),
            v / 4 * 3,
        ]
    };
    let mut out: Vec<u64> = Vec::new();
    for x in all {
        if x < v && x >= min && !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Candidates for one numeric field: the tree with a smaller or rounder value
/// there, each with a description (`duration 12m -> 6m`).
pub fn numeric_candidates(
    tree: &Value,
    path: &[Seg],
    kind: Kind,
    round_only: bool,
) -> Vec<(Value, String)> {
    let Some(cur) = get(tree, path) else {
        return Vec::new();
    };
    let (value, unit_scale) = match kind {
        Kind::Duration => match cur.as_str().map(parse_duration_us) {
            Some(Ok(us)) => (us, 1),
            _ => return Vec::new(),
        },
        Kind::Count => match cur.as_u64() {
            Some(n) => (n, 1),
            None => return Vec::new(),
        },
        // Rates keep three decimals.
        Kind::Rate => match cur.as_f64() {
            Some(r) if r.is_finite() && r > 0.0 => ((r * 1000.0) as u64, 1000),
            _ => return Vec::new(),
        },
    };
    let mut out = Vec::new();
    let min = match kind {
        Kind::Duration => 0,
        Kind::Count => 1,
        Kind::Rate => unit_scale,
    };
    for x in smaller(value, min, round_only) {
        let (new, shown) = match kind {
            Kind::Duration => (Value::from(fmt_duration(x)), fmt_duration(x)),
            Kind::Count if x == 0 => continue,
            Kind::Count => (Value::from(x), x.to_string()),
            Kind::Rate if x == 0 => continue,
            Kind::Rate => {
                let r = x as f64 / unit_scale as f64;
                let v = if x % unit_scale == 0 {
                    Value::from(x / unit_scale)
                } else {
                    Value::from(r)
                };
                (v, r.to_string())
            }
        };
        let mut t = tree.clone();
        if let Some(slot) = get_mut(&mut t, path) {
            *slot = new;
        }
        out.push((t, format!("{} {} -> {shown}", path_text(path), short(cur))));
    }
    out
}

#[cfg(test)]
#[path = "reduce_tests.rs"]
mod tests;
