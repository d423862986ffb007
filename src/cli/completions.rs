//! `regionsim completions <SHELL>` (a shell completion script) and
//! `regionsim man` (the man page, roff), both generated from the clap
//! definition so they never drift from the real flags.

use super::io::{error, out};
use super::{Cli, EXIT_INVALID, EXIT_OK};
use clap::{Args, CommandFactory};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut cmd = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "regionsim", &mut bytes);
    out(&String::from_utf8_lossy(&bytes));
    EXIT_OK
}

/// Prints the man page (roff), for `man -l -` or packaging.
pub fn man() -> i32 {
    let mut bytes = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut bytes) {
        Ok(()) => {
            out(&String::from_utf8_lossy(&bytes));
            EXIT_OK
        }
        Err(e) => {
            error(&format!("regionsim man: cannot render the man page: {e}"));
            EXIT_INVALID
        }
    }
}
