//! Text → DTO for TOML and JSON, with errors located by line/column and field path, and the
//! value-tree route used when overrides are applied.

use sha2::{Digest, Sha256};

use super::dto::ScenarioDto;
use super::overrides;
use super::units::DURATION_FORMS;
use super::{Format, ScenarioError};

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Line and column of a byte offset in bytes that are valid UTF-8 up to `offset`.
pub(crate) fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let valid = bytes.get(..offset).unwrap_or(bytes);
    let text = String::from_utf8_lossy(valid);
    line_col(&text, text.len())
}

/// Location text from an optional (line, column) and a serde path ("." is the root; "?"
/// marks a segment serde could not name, such as a key that failed to parse).
fn location(line_col: Option<(usize, usize)>, path: &str) -> String {
    let mut path = path;
    while let Some(rest) = path.strip_suffix(".?").or_else(|| path.strip_suffix('?')) {
        path = rest;
    }
    let field = (path != "." && !path.is_empty()).then(|| format!("field `{path}`"));
    match (line_col, field) {
        (Some((l, c)), Some(f)) => format!("line {l}, column {c}, {f}"),
        (Some((l, c)), None) => format!("line {l}, column {c}"),
        (None, Some(f)) => f,
        (None, None) => "top level".to_string(),
    }
}

fn toml_error(text: &str, path: &str, e: &toml::de::Error) -> ScenarioError {
    let message: Vec<&str> = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut message = super::suggest::with_suggestion(message.join("; "));
    let at = e.span().map(|s| s.start);
    // A key with no value before the end of the file: the parser's own words
    // ("string values must be quoted", or nothing at all) do not say so.
    if let Some(m) = missing_last_value(text, at) {
        message = m;
    } else if message.is_empty() {
        message = empty_toml_message(text, at);
    }
    // A missing top-level key has no useful position (the span is the whole document).
    let lc = if path == "." && message.starts_with("missing field") {
        None
    } else {
        e.span().map(|s| line_col(text, s.start))
    };
    ScenarioError::at(location(lc, path), message)
}

/// Whether the error sits at the end of the file.
fn at_end(text: &str, at: Option<usize>) -> bool {
    at.is_none_or(|a| text.get(a..).is_none_or(|rest| rest.trim().is_empty()))
}

/// At the end of the file, a last line `key =` with no value: say so.
fn missing_last_value(text: &str, at: Option<usize>) -> Option<String> {
    if !at_end(text, at) {
        return None;
    }
    let last = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let (key, value) = last.split_once('=')?;
    value.trim().is_empty().then(|| {
        format!(
            "the file ends before the value of `{}`; write a value after `=`, such as \"30m\", 3 or true",
            key.trim()
        )
    })
}

/// What to say when the TOML parser gives no message.
fn empty_toml_message(text: &str, at: Option<usize>) -> String {
    if at_end(text, at) {
        "the file ends unexpectedly (is it truncated?)".to_string()
    } else {
        "invalid TOML syntax here; expected `key = value`, `[table]` or `[[array]]`".to_string()
    }
}

/// A serde_json error's message without its " at line L column C" suffix, and the position.
fn json_parts(e: &serde_json::Error) -> (String, Option<(usize, usize)>) {
    let full = e.to_string();
    if e.line() == 0 {
        return (full, None);
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let mut message =
        super::suggest::with_suggestion(full.strip_suffix(&suffix).unwrap_or(&full).to_string());
    if message.starts_with("EOF while parsing") {
        message.push_str("; the file ends before the JSON document does (is it truncated?)");
    }
    (message, Some((e.line(), e.column().max(1))))
}

fn json_error(path: &str, e: &serde_json::Error) -> ScenarioError {
    let (message, lc) = json_parts(e);
    ScenarioError::at(location(lc, path), message)
}

/// Deserialize the file text straight into the DTO, so that every error has a position.
fn dto_direct(text: &str, format: Format) -> Result<ScenarioDto, ScenarioError> {
    match format {
        Format::Toml => {
            let de = toml::Deserializer::parse(text).map_err(|e| toml_error(text, ".", &e))?;
            serde_path_to_error::deserialize(de)
                .map_err(|e| toml_error(text, &e.path().to_string(), e.inner()))
        }
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let dto = serde_path_to_error::deserialize(&mut de)
                .map_err(|e| json_error(&e.path().to_string(), e.inner()))?;
            de.end().map_err(|e| json_error(".", &e))?;
            Ok(dto)
        }
    }
}

/// A TOML value as a JSON value; on error, the path of the bad value and a message.
pub(crate) fn toml_to_json(
    v: toml::Value,
    path: &str,
) -> Result<serde_json::Value, (String, String)> {
    use serde_json::Value as J;
    Ok(match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => match serde_json::Number::from_f64(f) {
            Some(n) => J::Number(n),
            None => {
                return Err((
                    path.to_string(),
                    format!("expected a finite number; got {f}"),
                ))
            }
        },
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => {
            return Err((
                path.to_string(),
                format!(
                    "TOML dates and times are not accepted (got {d}); durations are strings such as {DURATION_FORMS}, other text is quoted"
                ),
            ))
        }
        toml::Value::Array(items) => J::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| toml_to_json(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => J::Object(
            t.into_iter()
                .map(|(k, item)| {
                    let sub = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    toml_to_json(item, &sub).map(|j| (k, j))
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// The file as a JSON value tree (TOML is converted), for shape checks and overrides.
pub(crate) fn tree(text: &str, format: Format) -> Result<serde_json::Value, ScenarioError> {
    match format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, ".", &e))?;
            toml_to_json(toml::Value::Table(table), "")
                .map_err(|(path, m)| ScenarioError::field(path, m))
        }
        Format::Json => serde_json::from_str(text).map_err(|e| json_error(".", &e)),
    }
}

/// Refuses lists longer than any valid scenario has, before the (slower)
/// direct deserialization: at most 64 regions, so at most 64 x 63 / 2 links.
fn check_list_lengths(tree: &serde_json::Value) -> Result<(), ScenarioError> {
    let max_regions = super::validate::MAX_REGIONS;
    let limits = [
        ("regions", max_regions, "regions"),
        (
            "links",
            max_regions * (max_regions - 1) / 2,
            "links (one per pair of at most 64 regions)",
        ),
    ];
    for (key, max, what) in limits {
        let n = tree.get(key).and_then(|v| v.as_array()).map_or(0, Vec::len);
        if n > max {
            return Err(ScenarioError::field(
                key.to_string(),
                format!("{n} entries given; at most {max} {what} are supported"),
            ));
        }
    }
    Ok(())
}

/// Text → DTO: syntax and shape checks on the value tree, then a direct deserialization
/// (errors carry line and column), then, with overrides, a deserialization of the
/// overridden tree.
pub(crate) fn dto(
    text: &str,
    format: Format,
    list: &[(String, String)],
) -> Result<ScenarioDto, ScenarioError> {
    let mut tree = tree(text, format)?;
    check_list_lengths(&tree)?;
    overrides::check_shapes(&tree)?;
    let dto = dto_direct(text, format)?;
    if list.is_empty() {
        return Ok(dto);
    }
    overrides::apply(&mut tree, list)?;
    overrides::check_shapes(&tree)?;
    serde_path_to_error::deserialize(tree).map_err(|e| {
        let (message, _) = json_parts(e.inner());
        ScenarioError::at(location(None, &e.path().to_string()), message)
    })
}
