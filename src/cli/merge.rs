//! `regionsim merge`: joins the shard files of one sweep into exactly the files
//! an unsharded sweep writes (sweep.json, sweep.md, charts).
//!
//! Each SWEEP_DIR may be a shard file, a folder holding `shard-K-of-N.json`
//! files, or a folder whose subfolders hold them (such as an `--out` folder or
//! a folder of downloaded CI artifacts). The shards must share one sweep
//! definition and together hold every run exactly once.

use super::io::{error, note, shown};
use super::sweep::write_sweep;
use super::EXIT_INVALID;
use crate::sweep::{merge_shards, parse_shard};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files, or folders holding shard-K-of-N.json files (directly or one level down).
    #[arg(required = true, value_name = "SWEEP_DIR")]
    pub dirs: Vec<PathBuf>,
    /// Folder for the merged outputs: they go to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", required = true)]
    pub out: PathBuf,
}

/// Exit 0, 1 (some run breached a budget, as the unsharded sweep would), or 2
/// (unreadable, foreign, overlapping or incomplete shards).
pub fn merge(args: &MergeArgs) -> i32 {
    match merge_inner(args) {
        Ok(code) => code,
        Err(m) => {
            error(&format!("regionsim merge: {m}"));
            EXIT_INVALID
        }
    }
}

fn merge_inner(args: &MergeArgs) -> Result<i32, String> {
    let mut files = Vec::new();
    for p in &args.dirs {
        let found = shard_files(p)?;
        if found.is_empty() {
            return Err(format!(
                "{}: no shard files (shard-K-of-N.json) here or in its subfolders",
                shown(p)
            ));
        }
        files.extend(found);
    }
    let mut shards = Vec::with_capacity(files.len());
    for f in &files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("{}: cannot read: {e}", shown(f)))?;
        let doc = parse_shard(&text).map_err(|e| format!("{}: {e}", shown(f)))?;
        shards.push((shown(f).to_string(), doc));
    }
    let doc = merge_shards(shards)?;
    note(&format!(
        "{}: merged {} shard file(s), {} runs",
        doc.definition.scenario,
        files.len(),
        doc.rows.len()
    ));
    write_sweep(&args.out, &doc)
}

/// Whether a file name is `shard-K-of-N.json`.
fn is_shard_name(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("shard-"))
        .and_then(|n| n.strip_suffix(".json"))
        .and_then(|n| n.split_once("-of-"))
        .is_some_and(|(k, n)| {
            !k.is_empty()
                && !n.is_empty()
                && k.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// The shard files a command-line path stands for, sorted.
fn shard_files(p: &Path) -> Result<Vec<PathBuf>, String> {
    if p.is_file() {
        return Ok(vec![p.to_path_buf()]);
    }
    if !p.is_dir() {
        return Err(format!("{}: no such file or directory", shown(p)));
    }
    let here = list(p)?;
    let mut found: Vec<PathBuf> = here
        .iter()
        .filter(|f| f.is_file() && is_shard_name(f))
        .cloned()
        .collect();
    if found.is_empty() {
        for sub in here.iter().filter(|d| d.is_dir()) {
            found.extend(
                list(sub)?
                    .into_iter()
                    .filter(|f| f.is_file() && is_shard_name(f)),
            );
        }
    }
    found.sort();
    Ok(found)
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the folder: {e}", shown(dir)))?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: cannot read the folder: {e}", shown(dir)))?;
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_names() {
        assert!(is_shard_name(Path::new("a/shard-1-of-3.json")));
        assert!(!is_shard_name(Path::new("sweep.json")));
        assert!(!is_shard_name(Path::new("shard-x-of-3.json")));
        assert!(!is_shard_name(Path::new("shard--of-3.json")));
    }
}
