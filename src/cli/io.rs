//! Terminal output for the CLI: stdout that survives a closed pipe or a full
//! disk, stderr that never panics, `--quiet`, and user text shown escaped.
//!
//! `println!` panics when stdout is closed (`regionsim validate dir | head -1`)
//! or full (`> /dev/full`); every command prints through [`out`] instead. A
//! closed pipe silences the rest of the output (the command ends quietly); any
//! other write error is reported once, by [`finish`], as exit 2.

use super::EXIT_INVALID;
use crate::scenario::escape_controls;
use std::cell::{Cell, RefCell};
use std::io::{ErrorKind, Write};
use std::path::Path;

thread_local! {
    /// stdout was closed by the reader: drop the rest.
    static CLOSED: Cell<bool> = const { Cell::new(false) };
    /// The first stdout error other than a closed pipe.
    static FAILED: RefCell<Option<String>> = const { RefCell::new(None) };
    /// `--quiet`: only errors are printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Resets the state for one command line; `quiet` silences everything but errors.
pub(super) fn start(quiet: bool) {
    CLOSED.with(|c| c.set(false));
    FAILED.with(|f| f.borrow_mut().take());
    QUIET.with(|q| q.set(quiet));
}

/// Whether `--quiet` was given.
pub(super) fn quiet() -> bool {
    QUIET.with(Cell::get)
}

/// Writes `text` to stdout (nothing with `--quiet` or once stdout is closed).
pub(super) fn out(text: &str) {
    if quiet() || CLOSED.with(Cell::get) || FAILED.with(|f| f.borrow().is_some()) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => CLOSED.with(|c| c.set(true)),
        Err(e) => FAILED.with(|f| *f.borrow_mut() = Some(e.to_string())),
    }
}

/// Writes `text` and a newline to stdout.
pub(super) fn outln(text: &str) {
    out(&format!("{text}\n"));
}

/// The exit code once the command is done: a stdout that could not be
/// written (other than a closed pipe) makes it at least 2, with a message.
pub(super) fn finish(code: i32) -> i32 {
    match FAILED.with(|f| f.borrow_mut().take()) {
        Some(e) => {
            error(&format!("<stdout>: cannot write the output: {e}"));
            code.max(EXIT_INVALID)
        }
        None => code,
    }
}

/// An error message on stderr (always printed, even with `--quiet`).
/// Control characters other than line breaks are escaped.
pub(super) fn error(msg: &str) {
    let lines: Vec<String> = msg.split('\n').map(escape_controls).collect();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", lines.join("\n"));
}

/// A note on stderr (timings, warnings): silenced by `--quiet`.
pub(super) fn note(msg: &str) {
    if !quiet() {
        error(msg);
    }
}

/// A path for a message, with control characters escaped.
pub(super) fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_escaped() {
        assert_eq!(
            shown(Path::new("a\u{1b}[31m\nb.toml")),
            "a\\u{1b}[31m\\nb.toml"
        );
    }
}
