//! Rendering of unit strings, and a TOML document as sections of key = value lines
//! (so that mutations can edit it).

use std::fmt::Write as _;

use super::{MS, S};

// ---------------------------------------------------------------------------
// Rendering of unit strings
// ---------------------------------------------------------------------------

/// A duration string in a form the format accepts, varied by magnitude:
/// "2m", "1m30s", "45s", "1.5s", "250ms", "1234us".
pub(crate) fn dur(us: u64) -> String {
    if us == 0 {
        return "0s".to_string();
    }
    if us.is_multiple_of(60 * S) {
        return format!("{}m", us / (60 * S));
    }
    if us > 60 * S && us.is_multiple_of(S) {
        return format!("{}m{}s", us / (60 * S), (us % (60 * S)) / S);
    }
    if us.is_multiple_of(S) {
        return format!("{}s", us / S);
    }
    if us.is_multiple_of(100 * MS) {
        return format!("{}.{}s", us / S, (us % S) / (100 * MS));
    }
    if us.is_multiple_of(MS) {
        return format!("{}ms", us / MS);
    }
    format!("{us}us")
}

/// A signed offset string: "+150ms", "-5ms", "0ms".
pub(crate) fn offset(us: i64) -> String {
    match us.signum() {
        0 => "0ms".to_string(),
        1 => format!("+{}", dur(us.unsigned_abs())),
        _ => format!("-{}", dur(us.unsigned_abs())),
    }
}

pub(crate) fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

pub(crate) fn name_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    format!("[{}]", q.join(", "))
}

/// Per mille as an exact decimal: 700 -> "0.700".
pub(crate) fn per_mille(pm: u32) -> String {
    format!("{}.{:03}", pm / 1000, pm % 1000)
}

// ---------------------------------------------------------------------------
// A TOML document as sections of key = value lines (so that mutations can edit it)
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) struct Sec {
    /// "" for the top level, else "[workload]", "[[regions]]", ...
    pub(crate) header: String,
    pub(crate) kv: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Doc {
    pub(crate) secs: Vec<Sec>,
}

impl Doc {
    pub(crate) fn sec(&mut self, header: &str) -> &mut Sec {
        self.secs.push(Sec {
            header: header.to_string(),
            kv: Vec::new(),
        });
        self.secs.last_mut().expect("just pushed")
    }

    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.secs {
            if !s.header.is_empty() {
                let _ = writeln!(out, "\n{}", s.header);
            }
            for (k, v) in &s.kv {
                let _ = writeln!(out, "{k} = {v}");
            }
        }
        out
    }

    /// Indices of the sections with this header.
    pub(crate) fn find(&self, header: &str) -> Vec<usize> {
        (0..self.secs.len())
            .filter(|&i| self.secs[i].header == header)
            .collect()
    }

    pub(crate) fn set(&mut self, sec: usize, key: &str, value: String) {
        let kv = &mut self.secs[sec].kv;
        match kv.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => kv.push((key.to_string(), value)),
        }
    }

    pub(crate) fn remove(&mut self, sec: usize, key: &str) {
        self.secs[sec].kv.retain(|(k, _)| k != key);
    }
}

impl Sec {
    pub(crate) fn kv(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.kv.push((key.to_string(), value.into()));
        self
    }
}
