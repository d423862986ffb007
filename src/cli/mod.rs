//! Command line: the only place for stdout, files, progress bars and exit codes.
//!
//! `mod.rs` parses the arguments (clap) and dispatches; each subcommand lives in
//! its own file. Exit codes, for every command: 0 all good, 1 a budget was
//! breached, 2 the input was invalid (bad file, bad flag), 3 the simulator
//! broke one of its own invariants (a bug).

mod output;
mod run;
mod validate;

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// Exit code: every run held every budget.
pub const EXIT_OK: i32 = 0;
/// Exit code: a budget was breached.
pub const EXIT_BUDGET: i32 = 1;
/// Exit code: invalid input (bad file, bad flag, unwritable output).
pub const EXIT_INVALID: i32 = 2;
/// Exit code: the simulator broke one of its own invariants (a bug).
pub const EXIT_BUG: i32 = 3;

const MAIN_EXAMPLES: &str = "\
Examples:
  regionsim validate scenarios/
  regionsim run scenarios/ap-async-dns.toml --seed 7 --out reports

Exit codes: 0 all good, 1 a budget was breached, 2 invalid input, 3 internal error (a bug).";

const RUN_EXAMPLE: &str = "\
Example:
  regionsim run scenarios/ap-async-dns.toml --seed 7 --out reports
    simulates the scenario with seed 7, prints a short summary and writes
    reports/ap-async-dns/{report.json,summary.md,lost_writes.csv}
  regionsim run scenarios/ap-async-dns.toml --json | jq .metrics.rto_us

Exit codes: 0 all good, 1 a budget was breached, 2 invalid input, 3 internal error (a bug).";

const VALIDATE_EXAMPLE: &str = "\
Example:
  regionsim validate scenarios/ extra/my-scenario.json
    checks every .toml and .json file below scenarios/ (sorted) and the named
    file, printing `ok  <file>  (<name>)` or the error for each

Exit codes: 0 every file is valid, 2 some file is invalid or missing.";

/// regionsim: a deterministic multi-region failure simulator. It measures RPO,
/// RTO, lost writes, conflicts and availability from a simulated history.
#[derive(Debug, Parser)]
#[command(name = "regionsim", version, after_help = MAIN_EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate each scenario once and write its reports.
    ///
    /// Uses the scenario's own seed unless --seed is given. Prints a short
    /// summary to stdout (or the report JSON with --json) and writes
    /// report.json, summary.md and lost_writes.csv under OUT/<scenario name>/.
    /// Wall time and events per second go to stderr.
    #[command(after_help = RUN_EXAMPLE)]
    Run(run::RunArgs),
    /// Parse and check scenario files without running them.
    ///
    /// A directory stands for every .toml and .json file below it, sorted.
    #[command(after_help = VALIDATE_EXAMPLE)]
    Validate(validate::ValidateArgs),
}

/// Runs the command line of this process and returns its exit code.
pub fn main() -> i32 {
    main_with(std::env::args_os())
}

/// Runs the given command line (`args[0]` is the program name).
pub fn main_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::validate(&args),
    }
}

/// Prints a clap outcome; `--help` and `--version` exit 0, any misuse 2.
fn clap_error(e: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => EXIT_OK,
        _ => EXIT_INVALID,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_run_flags() {
        let cli =
            Cli::try_parse_from(["regionsim", "run", "a.toml", "b.toml", "--seed", "7"]).unwrap();
        match cli.command {
            Command::Run(a) => {
                assert_eq!(a.scenarios.len(), 2);
                assert_eq!(a.seed, Some(7));
                assert_eq!(a.out, std::path::PathBuf::from("reports"));
                assert!(!a.json);
            }
            Command::Validate(_) => panic!("wrong subcommand"),
        }
    }

    #[test]
    fn bad_flags_exit_2() {
        assert_eq!(main_with(["regionsim", "run", "--nope", "a.toml"]), 2);
        assert_eq!(main_with(["regionsim", "run"]), 2);
        assert_eq!(main_with(["regionsim", "run", "a.toml", "--seed", "x"]), 2);
        assert_eq!(main_with(["regionsim", "frobnicate"]), 2);
    }
}
