//! `regionsim validate`: parse and check scenario files without running them.

use super::io::{error, outln, shown};
use super::output::collect_scenarios;
use super::{EXIT_INVALID, EXIT_OK};
use crate::model::{preflight, Bounds};
use crate::scenario::load_path;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files, or directories holding them (.toml and .json below, sorted).
    #[arg(required = true, value_name = "SCENARIO|DIR")]
    pub paths: Vec<PathBuf>,
}

/// Prints `ok  <file>  (<name>)` to stdout for each valid file and the error
/// (file: location: message) to stderr for each invalid one. Exit 2 when any
/// file is invalid, a path does not exist or a directory holds no scenario.
/// Every bound that `run` checks before running is checked here too.
pub fn validate(args: &ValidateArgs) -> i32 {
    let (files, errors) = collect_scenarios(&args.paths);
    let mut bad = errors.len();
    for e in &errors {
        error(e);
    }
    for file in &files {
        match check(file) {
            Ok(name) => outln(&format!("ok  {}  ({name})", shown(file))),
            Err(e) => {
                error(&e);
                bad += 1;
            }
        }
    }
    if bad == 0 {
        EXIT_OK
    } else {
        if files.len() + errors.len() > 1 {
            error(&format!("{bad} of {} invalid", files.len() + errors.len()));
        }
        EXIT_INVALID
    }
}

/// The scenario's name, or the message saying why `run` would refuse it.
fn check(file: &Path) -> Result<String, String> {
    let s = load_path(file).map_err(|e| e.to_string())?;
    preflight(&s, &Bounds::default()).map_err(|e| format!("{}: {e}", shown(file)))?;
    Ok(s.name)
}
