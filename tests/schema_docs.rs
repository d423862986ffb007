//! `regionsim schema` and docs/scenario-format.md must agree: every field of
//! the schema has a row in the doc's field table, and every row names a field
//! of the schema.

use std::collections::BTreeSet;
use std::process::Command;

/// Every property path of the schema (`failover.dns.ttl`, `faults[].at`),
/// following `$ref`, `allOf`/`anyOf`/`oneOf` and array `items`.
fn schema_paths() -> BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_regionsim"))
        .arg("schema")
        .output()
        .expect("regionsim runs");
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON schema");
    let mut paths = BTreeSet::new();
    walk(&schema, &schema, "", &mut paths, 0);
    paths
}

fn walk(
    root: &serde_json::Value,
    node: &serde_json::Value,
    prefix: &str,
    paths: &mut BTreeSet<String>,
    depth: usize,
) {
    assert!(depth < 16, "schema nests deeper than expected at {prefix}");
    if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
        let name = r.trim_start_matches("#/$defs/");
        walk(root, &root["$defs"][name], prefix, paths, depth + 1);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for sub in node
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            walk(root, sub, prefix, paths, depth + 1);
        }
    }
    if let Some(items) = node.get("items") {
        walk(root, items, &format!("{prefix}[]"), paths, depth + 1);
    }
    if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
        for (name, sub) in props {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            paths.insert(path.clone());
            walk(root, sub, &path, paths, depth + 1);
        }
    }
}

/// The fields of the doc's table: rows of the form "| `path` | ... |".
fn documented() -> BTreeSet<String> {
    let doc = std::fs::read_to_string("docs/scenario-format.md").expect("docs/scenario-format.md");
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_schema_field_is_documented_and_every_documented_field_exists() {
    let schema = schema_paths();
    let docs = documented();
    assert!(
        schema.len() > 80,
        "the walk found the schema's fields: {schema:?}"
    );
    let undocumented: Vec<&String> = schema.difference(&docs).collect();
    let unknown: Vec<&String> = docs.difference(&schema).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "in the schema but not in docs/scenario-format.md: {undocumented:?}\n\
         in docs/scenario-format.md but not in the schema: {unknown:?}"
    );
}

#[test]
fn every_budget_key_is_in_the_metrics_doc() {
    let metrics = std::fs::read_to_string("docs/metrics.md").expect("docs/metrics.md");
    for path in schema_paths() {
        if let Some(key) = path.strip_prefix("budgets.") {
            // rto_p50 and write_latency_p99 are described under rto and write_latency.
            let base = key.trim_end_matches("_p50").trim_end_matches("_p99");
            assert!(
                metrics.contains(&format!("`{base}`")),
                "docs/metrics.md does not describe {key}"
            );
        }
    }
}

#[test]
fn the_readme_links_the_docs_not_the_shared_spec() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    assert!(
        !readme.contains("../shared/spec"),
        "README links outside the repository"
    );
    for doc in [
        "docs/scenario-format.md",
        "docs/metrics.md",
        "docs/cli.md",
        "docs/model.md",
    ] {
        assert!(
            readme.contains(&format!("]({doc})")),
            "README does not link {doc}"
        );
        assert!(std::path::Path::new(doc).exists(), "{doc} missing");
    }
}
