//! A small YAML emitter: block style, every scalar a double-quoted string with
//! YAML escapes, so that user text (region names, descriptions) can never
//! change the document's structure.

use std::fmt::Write;

/// A YAML value: a string, a mapping in insertion order, or a sequence.
#[derive(Clone, Debug, PartialEq)]
pub enum Yaml {
    Str(String),
    Map(Vec<(String, Yaml)>),
    Seq(Vec<Yaml>),
}

/// One document of a multi-document stream (a Kubernetes manifest).
pub type YamlDoc = Yaml;

impl Yaml {
    /// A string scalar.
    pub fn s(text: impl Into<String>) -> Yaml {
        Yaml::Str(text.into())
    }

    /// A mapping from `(key, value)` pairs, in this order.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Yaml)>) -> Yaml {
        Yaml::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// The documents as one stream, each opened with `---`.
pub fn to_stream(docs: &[YamlDoc]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str("---\n");
        emit(&mut out, d, 0);
    }
    out
}

/// A scalar in double quotes: `\` and `"` escaped, and every control or
/// line-breaking character as a `\u` escape.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key as written: plain when it is a simple identifier that YAML reads as
/// a string, quoted otherwise.
fn key(k: &str) -> String {
    let simple = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    let special = matches!(
        k.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
    );
    if simple && !special {
        k.to_string()
    } else {
        quote(k)
    }
}

/// Writes `v` as block content at `indent` spaces (a value that is a whole
/// line or lines).
fn emit(out: &mut String, v: &Yaml, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Yaml::Str(s) => {
            let _ = writeln!(out, "{pad}{}", quote(s));
        }
        Yaml::Map(entries) if entries.is_empty() => {
            let _ = writeln!(out, "{pad}{{}}");
        }
        Yaml::Seq(items) if items.is_empty() => {
            let _ = writeln!(out, "{pad}[]");
        }
        Yaml::Map(entries) => {
            for (k, value) in entries {
                match value {
                    Yaml::Str(s) => {
                        let _ = writeln!(out, "{pad}{}: {}", key(k), quote(s));
                    }
                    Yaml::Map(m) if m.is_empty() => {
                        let _ = writeln!(out, "{pad}{}: {{}}", key(k));
                    }
                    Yaml::Seq(q) if q.is_empty() => {
                        let _ = writeln!(out, "{pad}{}: []", key(k));
                    }
                    nested => {
                        let _ = writeln!(out, "{pad}{}:", key(k));
                        emit(out, nested, indent + 2);
                    }
                }
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                // The item at indent + 2, its first line's indentation
                // replaced by the dash.
                let mut block = String::new();
                emit(&mut block, item, indent + 2);
                let rest = block.get(indent + 2..).unwrap_or("");
                let _ = write!(out, "{pad}- {rest}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_block_yaml_with_quoted_scalars() {
        let doc = Yaml::map([
            ("kind", Yaml::s("Workflow")),
            (
                "spec",
                Yaml::map([(
                    "templates",
                    Yaml::Seq(vec![
                        Yaml::map([("name", Yaml::s("a")), ("deadline", Yaml::s("10m"))]),
                        Yaml::s("x\"y\\z\n"),
                    ]),
                )]),
            ),
            ("yes", Yaml::Seq(vec![])),
        ]);
        assert_eq!(
            to_stream(&[doc]),
            "---\nkind: \"Workflow\"\nspec:\n  templates:\n    - name: \"a\"\n      deadline: \"10m\"\n    - \"x\\\"y\\\\z\\u000a\"\n\"yes\": []\n"
        );
    }
}
