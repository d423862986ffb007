//! A scenario's value tree (as `load.rs` reads it) written back as TOML text,
//! its top-level keys in the order of the format's documentation.

use serde_json::Value;

/// The top-level keys in the documented order; others follow, sorted.
const ORDER: &[&str] = &[
    "name",
    "description",
    "seed",
    "duration",
    "drain",
    "regions",
    "links",
    "workload",
    "replication",
    "conflicts",
    "failover",
    "faults",
    "residency",
    "cost",
    "budgets",
];

/// The tree as TOML text: plain keys first (name, seed, duration...), then one
/// table or array of tables per section. Errs on a value TOML cannot hold
/// (a `null`).
pub fn to_toml(tree: &Value) -> Result<String, String> {
    let Value::Object(map) = tree else {
        return Err("a scenario is a table at the top level".to_string());
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| {
        let pos = ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len());
        (pos, k.to_string())
    });
    let (plain, sections): (Vec<&String>, Vec<&String>) = keys
        .into_iter()
        .partition(|k| !map.get(*k).is_some_and(is_section));
    let mut out = String::new();
    for group in [plain, sections] {
        for k in group {
            let mut one = serde_json::Map::new();
            one.insert(k.clone(), map.get(k).cloned().unwrap_or(Value::Null));
            let text = toml::to_string(&Value::Object(one)).map_err(|e| format!("{k}: {e}"))?;
            if !out.is_empty() && is_section(map.get(k).unwrap_or(&Value::Null)) {
                out.push('\n');
            }
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// A table, or a non-empty list of tables: written under its own header.
fn is_section(v: &Value) -> bool {
    match v {
        Value::Object(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_plain_keys_first_in_documented_order() {
        let tree = serde_json::json!({
            "regions": [{"name": "a"}],
            "name": "x",
            "duration": "1m",
            "workload": {"writes_per_sec": 10, "clients": [{"region": "a", "share": 1.0}]},
        });
        let text = to_toml(&tree).unwrap();
        assert!(
            text.starts_with("name = \"x\"\nduration = \"1m\"\n"),
            "{text}"
        );
        assert!(text.find("[[regions]]") < text.find("[workload]"), "{text}");
        let back: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(back["workload"]["clients"][0]["region"].as_str(), Some("a"));
    }
}
