//! `regionsim export`: a scenario's faults as a real game day (AWS FIS, Chaos Mesh).
//!
//! Pure functions of the validated [`Scenario`]: each target returns the files
//! to write (name, contents), the CLI writes them. Nothing is silently dropped:
//! a fault or a detail a target cannot reproduce is listed in that target's
//! README as not exportable (or reproduced only approximately), with why.
//!
//! - `plan.rs`: the faults as timed steps (start, how long, held to the end).
//! - `fis.rs`: AWS FIS experiment templates, one per region whose resources
//!   they act on; `fis_actions.rs`: each fault's actions and the wait chain;
//!   `fis_readme.rs`: the README beside them.
//! - `chaos_mesh.rs`: Chaos Mesh manifests (one Workflow); `yaml.rs`: the
//!   small YAML emitter they are written with; `chaos_mesh_readme.rs`: its README.

mod chaos_links;
mod chaos_mesh;
mod chaos_mesh_readme;
mod fis;
mod fis_actions;
mod fis_readme;
mod fis_template;
mod plan;
mod yaml;

pub use chaos_links::netem_delay;
pub use chaos_mesh::CHAOS_MESH_DOCS;
pub use fis::{fis_files, iso8601, FIS_ACTION_IDS, FIS_DOCS};
pub use plan::{plan, Step};
pub use yaml::{Yaml, YamlDoc};

use crate::scenario::Scenario;

/// Where an exported experiment runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportTarget {
    /// AWS Fault Injection Service experiment templates (JSON).
    Fis,
    /// Chaos Mesh manifests for Kubernetes (YAML).
    ChaosMesh,
}

impl ExportTarget {
    /// The keyword on the command line (`--to`), also the output folder's name.
    pub fn keyword(self) -> &'static str {
        match self {
            ExportTarget::Fis => "fis",
            ExportTarget::ChaosMesh => "chaos-mesh",
        }
    }
}

/// The files of one export, in a fixed order: (file name, contents).
pub fn export_files(s: &Scenario, to: ExportTarget) -> Vec<(String, String)> {
    match to {
        ExportTarget::Fis => fis_files(s),
        ExportTarget::ChaosMesh => chaos_mesh_files(s),
    }
}

/// The files of `regionsim export --to chaos-mesh`: workflow.yaml, README.md
/// and, when the scenario has links, links.yaml (their standing delays).
pub fn chaos_mesh_files(s: &Scenario) -> Vec<(String, String)> {
    let e = chaos_mesh::chaos_mesh_export(s);
    let mut readme = chaos_mesh_readme::readme(s, &e.chaos, &e.not_exportable, &e.approximations);
    let links = (!s.links.is_empty()).then(|| {
        readme.push_str(&chaos_links::links_section(s));
        yaml::to_stream(&chaos_links::links_yaml(s))
    });
    let mut files = vec![
        ("workflow.yaml".to_string(), yaml::to_stream(&[e.workflow])),
        ("README.md".to_string(), readme),
    ];
    files.extend(links.map(|l| ("links.yaml".to_string(), l)));
    files
}

/// A region name as part of an identifier or file name: letters, digits and
/// `-` kept, anything else `-` (region names are user text).
pub fn ident(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "region".to_string()
    } else {
        s
    }
}

/// User text in Markdown: control characters escaped, and the characters that
/// would open markup (`|`, `` ` ``, `<`, `*`, `_`, `[`) backslash-escaped.
pub fn md_text(text: &str) -> String {
    let text = crate::scenario::escape_controls(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '`' | '<' | '>' | '*' | '_' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// User text as a Markdown code span: control characters escaped, and a fence
/// of more backticks than the text holds in a row (inside a code span a
/// backslash is literal, so [`md_text`]'s escapes would show).
pub fn md_code(text: &str) -> String {
    let text = crate::scenario::escape_controls(text);
    let (mut run, mut longest) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_safe() {
        assert_eq!(ident("us-east-1"), "us-east-1");
        assert_eq!(ident("EU West/1"), "eu-west-1");
        assert_eq!(ident(""), "region");
        assert_eq!(md_text("a|b`c"), "a\\|b\\`c");
        assert_eq!(md_code("my_dir/a_b.toml"), "`my_dir/a_b.toml`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a"), "`` `a ``");
    }
}
