//! Paths for the CLI: scenario path collection, report folder names, rates, progress.

use super::io::shown;
use crate::sweep::{SeedRange, MAX_RUNS};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Whether a file name looks like a scenario (`.toml` or `.json`).
pub fn is_scenario_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"))
}

/// Expands the command line's paths: a file stays itself, a directory becomes
/// every `.toml`/`.json` file below it (recursively, sorted). Returns the files
/// in command-line order and one message per path that does not exist or per
/// directory without scenario files.
pub fn collect_scenarios(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = walk(p, &mut found) {
                errors.push(format!("{}: cannot read directory: {e}", shown(p)));
                continue;
            }
            if found.is_empty() {
                errors.push(format!(
                    "{}: no scenario files (.toml or .json) in this directory",
                    shown(p)
                ));
            }
            found.sort();
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            errors.push(format!("{}: no such file or directory", shown(p)));
        }
    }
    (files, errors)
}

/// Collects scenario files below `dir`. Symbolic links to directories are not
/// followed (no cycles); symbolic links to files are.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if is_scenario_file(&path) && path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

/// The folder for a scenario's reports: `<out>/<name>`. Names are restricted
/// to letters, digits, `-`, `_` and `.` by validation; anything else is
/// replaced by `_` here so that a name can never leave `out`.
/// Parses `--seeds A..B` of a command that runs every seed (`what` names it
/// in the message), refusing more than [`MAX_RUNS`] of them.
pub fn seeds_arg(spec: Option<&str>, what: &str) -> Result<Option<SeedRange>, String> {
    let range = spec.map(SeedRange::parse).transpose()?;
    match range.filter(|r| r.count() > MAX_RUNS) {
        Some(r) => Err(format!(
            "`--seeds {r}`: {} seeds is more than the {MAX_RUNS} runs a {what} may do; use a shorter range",
            r.count()
        )),
        None => Ok(range),
    }
}

pub fn report_dir(out: &Path, name: &str) -> PathBuf {
    let mut safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.chars().all(|c| c == '.') {
        safe = format!("scenario{}", "_".repeat(safe.len()));
    }
    out.join(safe)
}

/// Events per second, short: `5.6M`, `12.3k`, `950`.
pub fn fmt_rate(events: u64, secs: f64) -> String {
    if secs <= 0.0 || !secs.is_finite() {
        return "n/a".to_string();
    }
    let r = events as f64 / secs;
    if r >= 1e9 {
        format!("{:.1}G", r / 1e9)
    } else if r >= 1e6 {
        format!("{:.1}M", r / 1e6)
    } else if r >= 1e3 {
        format!("{:.1}k", r / 1e3)
    } else {
        format!("{r:.0}")
    }
}

/// A progress bar on stderr, only when stderr is a terminal, without `--quiet`,
/// and when there is more than one run to wait for.
pub(super) fn progress_bar(total: usize, what: &str) -> Option<indicatif::ProgressBar> {
    if total < 2 || super::io::quiet() || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let template =
        format!("{what} [{{bar:32}}] {{pos}}/{{len}} runs  {{elapsed}} elapsed, ETA {{eta}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// Runs `f` and measures its wall time (for stderr only, never a report).
#[allow(clippy::disallowed_methods)]
pub(super) fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let start = std::time::Instant::now();
    let value = f();
    (value, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_sorted_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("sub")).unwrap();
        fs::create_dir(d.join("empty")).unwrap();
        for f in ["b.toml", "a.json", "notes.txt", "sub/c.TOML"] {
            fs::write(d.join(f), "").unwrap();
        }
        let (files, errors) = collect_scenarios(&[d.to_path_buf(), d.join("missing.toml")]);
        let rel: Vec<_> = files.iter().map(|f| f.strip_prefix(d).unwrap()).collect();
        assert_eq!(
            rel,
            [
                Path::new("a.json"),
                Path::new("b.toml"),
                Path::new("sub/c.TOML")
            ]
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("missing.toml"));
        let (_, errors) = collect_scenarios(&[d.join("empty")]);
        assert!(errors[0].contains("no scenario files"));
    }

    #[test]
    fn report_dir_stays_inside_out() {
        let out = Path::new("reports");
        assert_eq!(report_dir(out, "ap-async.v2"), out.join("ap-async.v2"));
        assert_eq!(report_dir(out, "../etc"), out.join(".._etc"));
        assert_eq!(report_dir(out, ".."), out.join("scenario__"));
        assert_eq!(report_dir(out, ""), out.join("scenario"));
    }

    #[test]
    fn rates() {
        assert_eq!(fmt_rate(5_600_000, 1.0), "5.6M");
        assert_eq!(fmt_rate(12_345, 1.0), "12.3k");
        assert_eq!(fmt_rate(10, 0.0), "n/a");
    }
}
