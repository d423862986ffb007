//! The sweep's grid: `--set PATH=V1,V2,...` lists, seed ranges, shards and run indices.
//!
//! Runs are numbered `0..runs` in one fixed order: parameter points in the
//! order given (lexicographic over the `--set` lists in the order of the flags,
//! the last list varying fastest), seeds innermost. Run `i` is point
//! `i / seeds` with seed `first + i % seeds`.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The most runs one sweep may hold (points x seeds).
pub const MAX_RUNS: u64 = 1_000_000;

/// One `--set PATH=V1,V2,...`: a dotted scenario path and the values it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetList {
    pub path: String,
    pub values: Vec<String>,
}

impl SetList {
    /// Parses `PATH=V1,V2,...`. Values are split at commas outside quotes,
    /// brackets and braces, so a TOML list or inline table can be one value:
    /// `links[0].latency={ dist = "uniform", min = "1ms", max = "3ms" },5ms`.
    pub fn parse(spec: &str) -> Result<SetList, String> {
        // A line break here would let a value forge lines in a CI log.
        if spec.chars().any(char::is_control) {
            return Err(format!(
                "`--set {}`: control characters (such as a line break) are not allowed; write PATH=V1,V2,... on one line",
                crate::scenario::escape_controls(spec)
            ));
        }
        let Some((path, values)) = spec.split_once('=') else {
            return Err(format!(
                "`--set {spec}`: expected PATH=V1,V2,..., such as failover.dns.ttl=10s,30s,60s"
            ));
        };
        let path = path.trim();
        if path.is_empty() {
            return Err(format!(
                "`--set {spec}`: the path before `=` is empty; expected PATH=V1,V2,..., such as replication.mode=async,sync"
            ));
        }
        let values = split_values(values).map_err(|m| format!("`--set {spec}`: {m}"))?;
        Ok(SetList {
            path: path.to_string(),
            values,
        })
    }
}

/// Splits a value list at top-level commas; every value must be non-empty.
pub fn split_values(text: &str) -> Result<Vec<String>, String> {
    let mut values = Vec::new();
    let mut cur = String::new();
    let mut depth: u32 = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                values.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if quote.is_some() {
        return Err("a quoted value is not closed".to_string());
    }
    values.push(cur);
    let values: Vec<String> = values.iter().map(|v| v.trim().to_string()).collect();
    if let Some(n) = values.iter().position(|v| v.is_empty()) {
        return Err(format!(
            "value {} of the list is empty; expected values separated by commas, such as 10s,30s,60s",
            n + 1
        ));
    }
    Ok(values)
}

/// An inclusive range of seeds, `first..last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedRange {
    pub first: u64,
    pub last: u64,
}

impl SeedRange {
    /// Parses `A..B` (inclusive; `A..=B` is read the same) or a single seed `N`.
    pub fn parse(text: &str) -> Result<SeedRange, String> {
        let bad = |why: &str| {
            format!("`--seeds {text}`: {why}; expected an inclusive range A..B of seeds (integers 0 to 18446744073709551615), such as 1..20")
        };
        let t = text.trim();
        let (a, b) = match t.split_once("..") {
            Some((a, b)) => (a, b.strip_prefix('=').unwrap_or(b)),
            None => (t, t),
        };
        let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad("not a seed range"));
        let (first, last) = (num(a)?, num(b)?);
        if first > last {
            return Err(bad("the range is empty (A is greater than B)"));
        }
        Ok(SeedRange { first, last })
    }

    /// The number of seeds (saturating; 0 when `last < first`).
    pub fn count(&self) -> u64 {
        self.last
            .checked_sub(self.first)
            .map_or(0, |d| d.saturating_add(1))
    }
}

impl fmt::Display for SeedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

/// One of N deterministic slices of a sweep: runs `i` with `i % n == k - 1`.
/// `k` is 1-based: `1 <= k <= n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Parses `K/N` with `1 <= K <= N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!(
                "`--shard {text}`: expected K/N with 1 <= K <= N (1-based), such as 2/4, or `auto`"
            )
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse::<u64>().map_err(|_| bad())?;
        let n = n.trim().parse::<u64>().map_err(|_| bad())?;
        Shard::new(k, n).ok_or_else(bad)
    }

    /// `Some` when `1 <= k <= n`.
    pub fn new(k: u64, n: u64) -> Option<Shard> {
        (k >= 1 && k <= n).then_some(Shard { k, n })
    }

    /// Whether run `index` belongs to this slice.
    pub fn contains(&self, index: usize) -> bool {
        self.n != 0 && (index as u64) % self.n == self.k.wrapping_sub(1)
    }

    /// The slice's file name: `shard-K-of-N.json`.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.json", self.k, self.n)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// A parameter point: `(path, value)` pairs in the order of the `--set` flags.
/// Serialised as a JSON object whose keys keep that order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// `path=value path=value`, or `(none)` for the empty point.
    pub fn label(&self) -> String {
        if self.0.is_empty() {
            return "(none)".to_string();
        }
        let parts: Vec<String> = self.0.iter().map(|(p, v)| format!("{p}={v}")).collect();
        parts.join(" ")
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Params, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Params;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of parameter paths to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Params, A::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = a.next_entry::<String, String>()? {
                    v.push((k, val));
                }
                Ok(Params(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// The cross product of the `--set` lists and the seeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    sets: Vec<SetList>,
    seeds: SeedRange,
    points: usize,
    runs: usize,
}

impl Grid {
    /// Checks the lists (no path twice, no empty list) and the size (at most
    /// [`MAX_RUNS`] runs).
    pub fn new(sets: Vec<SetList>, seeds: SeedRange) -> Result<Grid, String> {
        for (i, s) in sets.iter().enumerate() {
            if s.values.is_empty() {
                return Err(format!("`--set {}`: the list of values is empty", s.path));
            }
            if sets
                .get(..i)
                .unwrap_or(&[])
                .iter()
                .any(|o| o.path == s.path)
            {
                return Err(format!(
                    "`--set {}` is given twice; give every value of a path in one list, such as --set {}=A,B",
                    s.path, s.path
                ));
            }
        }
        if seeds.count() == 0 {
            return Err(format!("the seed range {seeds} is empty"));
        }
        let too_many = || {
            format!(
                "the sweep has more than {MAX_RUNS} runs (points x seeds); narrow --seeds or the --set lists"
            )
        };
        let mut points: u64 = 1;
        for s in &sets {
            points = points
                .checked_mul(s.values.len() as u64)
                .filter(|p| *p <= MAX_RUNS)
                .ok_or_else(too_many)?;
        }
        let runs = points
            .checked_mul(seeds.count())
            .filter(|r| *r <= MAX_RUNS)
            .ok_or_else(too_many)?;
        let points = usize::try_from(points).map_err(|_| too_many())?;
        let runs = usize::try_from(runs).map_err(|_| too_many())?;
        Ok(Grid {
            sets,
            seeds,
            points,
            runs,
        })
    }

    pub fn sets(&self) -> &[SetList] {
        &self.sets
    }

    pub fn seeds(&self) -> SeedRange {
        self.seeds
    }

    pub fn point_count(&self) -> usize {
        self.points
    }

    pub fn seed_count(&self) -> usize {
        self.runs.checked_div(self.points).unwrap_or(0)
    }

    pub fn run_count(&self) -> usize {
        self.runs
    }

    /// The parameters of point `p` (the last list varies fastest).
    pub fn params(&self, p: usize) -> Params {
        let mut rest = p;
        let mut out = Vec::with_capacity(self.sets.len());
        for s in self.sets.iter().rev() {
            let n = s.values.len().max(1);
            let v = s.values.get(rest % n).cloned().unwrap_or_default();
            out.push((s.path.clone(), v));
            rest /= n;
        }
        out.reverse();
        Params(out)
    }

    /// Every seed, in order.
    pub fn seed_list(&self) -> Vec<u64> {
        (0..self.seed_count() as u64)
            .map(|i| self.seeds.first.saturating_add(i))
            .collect()
    }

    /// Run `index`: its point and its seed.
    pub fn run(&self, index: usize) -> (usize, u64) {
        let n = self.seed_count().max(1);
        let seed = self.seeds.first.saturating_add((index % n) as u64);
        (index / n, seed)
    }
}

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;
