//! `regionsim validate`: parse and check scenario files without running them.

use super::output::collect_scenarios;
use super::{EXIT_INVALID, EXIT_OK};
use crate::scenario::load_path;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files, or directories holding them (.toml and .json below, sorted).
    #[arg(required = true, value_name = "SCENARIO|DIR")]
    pub paths: Vec<PathBuf>,
}

/// Prints `ok  <file>  (<name>)` to stdout for each valid file and the error
/// (file: location: message) to stderr for each invalid one. Exit 2 when any
/// file is invalid, a path does not exist or a directory holds no scenario.
pub fn validate(args: &ValidateArgs) -> i32 {
    let (files, errors) = collect_scenarios(&args.paths);
    let mut bad = errors.len();
    for e in &errors {
        eprintln!("{e}");
    }
    for file in &files {
        match load_path(file) {
            Ok(s) => println!("ok  {}  ({})", file.display(), s.name),
            Err(e) => {
                eprintln!("{e}");
                bad += 1;
            }
        }
    }
    if bad == 0 {
        EXIT_OK
    } else {
        if files.len() + errors.len() > 1 {
            eprintln!("{bad} of {} invalid", files.len() + errors.len());
        }
        EXIT_INVALID
    }
}
