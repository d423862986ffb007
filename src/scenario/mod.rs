//! Scenario files: serde DTOs (TOML or JSON) turned into a validated [`Scenario`].
//!
//! Pipeline: text → DTO (`load.rs`, with line/column or field path on errors) → optional
//! `--set` overrides on a value tree (`overrides.rs`) → validation with defaults
//! (`validate.rs`, `failover.rs`, `checks.rs`, `traffic.rs`) → refusal of features the
//! simulator does not model yet (`support.rs`).

mod budgets_dto;
mod checks;
mod dist;
mod dto;
mod emit;
mod escape;
mod failover;
mod leaf;
mod load;
mod overrides;
mod replication;
mod schema;
mod suggest;
mod support;
mod traffic;
mod types;
mod units;
mod validate;
mod workload;

#[cfg(test)]
pub(crate) mod tests;

use std::fmt;
use std::path::Path;

pub use emit::to_toml;
pub use escape::escape_controls;
pub use schema::scenario_schema;
pub use types::*;
pub use units::{
    parse_bandwidth_bps, parse_duration_us, parse_signed_duration_us, parse_size_bytes,
};

/// The syntax of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format for a path's extension (`.toml` or `.json`, any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Why a scenario file was rejected (exit code 2 in the CLI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file as given on the command line (or the label passed to `parse_str`).
    pub file: String,
    /// `line 12, column 3`, `field `workload.clients[1].share``, both, or `override `x.y``.
    pub location: String,
    /// What is wrong and what would be accepted.
    pub message: String,
    /// The file is valid but uses a feature that is not modelled yet.
    pub unsupported: bool,
}

impl ScenarioError {
    pub(crate) fn at(location: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            file: String::new(),
            location: location.into(),
            message: message.into(),
            unsupported: false,
        }
    }

    pub(crate) fn field(path: String, message: impl Into<String>) -> Self {
        Self::at(format!("field `{path}`"), message)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // User text (paths, names, region references) may hold control characters.
        write!(
            f,
            "{}: {}: {}",
            escape_controls(&self.file),
            escape_controls(&self.location),
            escape_controls(&self.message)
        )
    }
}

impl std::error::Error for ScenarioError {}

/// The largest scenario file accepted, checked before parsing (16 MiB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Load a scenario file; the format comes from its extension (`.toml` or `.json`).
pub fn load_path(path: &Path) -> Result<Scenario, ScenarioError> {
    let label = path.display().to_string();
    let Some(format) = Format::from_path(path) else {
        let mut e = ScenarioError::at(
            "file name",
            "unknown scenario file extension; accepted: .toml or .json",
        );
        e.file = label;
        return Err(e);
    };
    let text = read_source(path)?;
    parse_str(&text, &label, format)
}

/// Reads a scenario file as UTF-8 text, refusing files larger than
/// [`MAX_FILE_BYTES`] before reading them whole.
pub fn read_source(path: &Path) -> Result<String, ScenarioError> {
    use std::io::Read;
    let label = path.display().to_string();
    let fail = |location: &str, message: String| {
        let mut e = ScenarioError::at(location, message);
        e.file = label.clone();
        e
    };
    let too_big = |size: String| {
        fail(
            "file",
            format!(
                "the file is {size} bytes; scenario files may be at most {MAX_FILE_BYTES} bytes (16 MiB)"
            ),
        )
    };
    let file = std::fs::File::open(path)
        .map_err(|e| fail("file", format!("cannot read the file: {e}")))?;
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > MAX_FILE_BYTES {
            return Err(too_big(meta.len().to_string()));
        }
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail("file", format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(format!("more than {MAX_FILE_BYTES}")));
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = load::line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
        fail(
            &format!("line {line}, column {column}"),
            "the file is not valid UTF-8 text; save it as UTF-8".to_string(),
        )
    })
}

/// Why `s` cannot produce `metric` (so that no budget, and no search, may
/// name it), if it cannot.
pub fn cannot_produce(s: &Scenario, metric: &crate::metrics::Metric) -> Option<&'static str> {
    checks::cannot_produce(
        metric,
        &s.replication,
        &s.residency,
        s.workload.reads_per_sec > 0.0,
    )
}

/// The file as a value tree (TOML is converted to JSON values), for tools that
/// edit a scenario (`shrink`) before parsing it again.
pub fn value_tree(text: &str, format: Format) -> Result<serde_json::Value, ScenarioError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    load::tree(body, format)
}

/// Parse scenario text. `file_label` names the file in errors.
pub fn parse_str(text: &str, file_label: &str, format: Format) -> Result<Scenario, ScenarioError> {
    parse_with_overrides(text, file_label, format, &[])
}

/// Parse scenario text, then apply `overrides` (dotted paths such as `failover.dns.ttl`,
/// `workload.clients[0].share`) as if they were written in the file. A value is read as a
/// TOML value when it parses as one (`500`, `true`, `"text"`, `["a", "b"]`), else as a string
/// (`30s`, `sync`).
pub fn parse_with_overrides(
    text: &str,
    file_label: &str,
    format: Format,
    overrides: &[(String, String)],
) -> Result<Scenario, ScenarioError> {
    let scenario = parse_validated(text, file_label, format, overrides)?;
    support::check_supported(&scenario).map_err(|e| {
        let mut e = overrides::attribute(e, overrides);
        e.file = file_label.to_string();
        e
    })?;
    Ok(scenario)
}

/// Parse and validate, without refusing the features that are not modelled yet.
pub(crate) fn parse_validated(
    text: &str,
    file_label: &str,
    format: Format,
    overrides: &[(String, String)],
) -> Result<Scenario, ScenarioError> {
    let sha = load::sha256_hex(text.as_bytes());
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let result = (|| {
        let dto = load::dto(body, format, overrides)?;
        validate::build(dto, sha)
    })();
    result.map_err(|e: ScenarioError| {
        let mut e = overrides::attribute(e, overrides);
        e.file = file_label.to_string();
        e
    })
}
