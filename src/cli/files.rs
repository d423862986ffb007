//! Output files: write-through for what is not a regular file, temp-and-rename
//! for regular files, and report folders replaced as a unit under `--out`
//! without ever following a symbolic link planted there.
//!
//! A path that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a
//! FIFO) is opened and written, never replaced. A regular file is written to
//! `.<name>.tmp.<pid>` beside it (created with `O_EXCL | O_NOFOLLOW`), flushed,
//! then renamed over it. A report folder `<out>/<name>` is written whole into
//! `<out>/.<name>.tmp.<pid>` and renamed into place, so a killed run leaves the
//! old folder or the new one, never a mix; leftovers of killed runs are removed.

use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `O_NOFOLLOW` (Linux x86 and x86_64; `O_EXCL` alone already refuses a link).
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "x86")))]
const O_NOFOLLOW: i32 = 0o400_000;

/// Writes one file named by the user (`--trace`, `--junit`), creating its folder.
pub fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(io::Error::other("is a directory; name a file")),
        // A device, FIFO or socket: written through, never replaced.
        Ok(m) if !m.is_file() => {
            let mut f = OpenOptions::new().write(true).open(path)?;
            f.write_all(contents)?;
            f.flush()
        }
        _ => {
            if let Some(dir) = parent(path) {
                fs::create_dir_all(dir)?;
            }
            replace_file(path, contents)
        }
    }
}

/// The folder of `path`, when it names one.
fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

/// `.<name>.<tag>.<pid>` beside `path`.
fn sibling(path: &Path, tag: &str) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".{tag}.{}", std::process::id()));
    Ok(path.with_file_name(s))
}

/// Creates `path` as a new file; never follows or reuses what is already there.
fn create_new(path: &Path) -> io::Result<fs::File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "x86")))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, O_NOFOLLOW);
    o.open(path)
}

/// Removes what is at `path` (a link itself, never its target); absent is fine.
fn remove_entry(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Temp file beside `path`, flushed, renamed over it.
fn replace_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = sibling(path, "tmp")?;
    if fs::symlink_metadata(&tmp).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other(format!(
            "a symbolic link is planted at the temporary file {}; refusing to follow it",
            super::io::shown(&tmp)
        )));
    }
    // A leftover of a killed run with our pid: removed.
    remove_entry(&tmp)?;
    let result = (|| {
        let mut f = create_new(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Refuses a symbolic link at `path` (exit 2 in the caller, naming it).
pub(super) fn refuse_link(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "{}: is a symbolic link; regionsim writes only inside --out and does not follow links there (remove it)",
            super::io::shown(path)
        )),
        _ => Ok(()),
    }
}

/// Writes `files` as the folder `dir` (= `<out>/<name>`), as a unit. Entries of
/// an existing folder that are not among `files` (another command's outputs)
/// are carried over; a symbolic link at `dir` is refused.
pub fn write_folder(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    write_folder_dropping(dir, files, &|_| false)
}

/// [`write_folder`], except that the old folder's entries for which `stale`
/// holds (this command's outputs of an earlier run that this one does not
/// write again, such as another metric's charts) are dropped, not carried over.
pub fn write_folder_dropping(
    dir: &Path,
    files: &[(String, String)],
    stale: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let fail = |p: &Path, what: &str, e: io::Error| format!("{}: {what}: {e}", super::io::shown(p));
    let out = parent(dir).unwrap_or(Path::new("."));
    fs::create_dir_all(out).map_err(|e| fail(out, "cannot create the output folder", e))?;
    refuse_link(dir)?;
    for (name, _) in files {
        refuse_link(&dir.join(name))?;
    }
    if fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(format!(
            "{}: exists and is not a folder; remove it or choose another --out",
            super::io::shown(dir)
        ));
    }
    clean_stale(dir);
    let tmp = sibling(dir, "tmp").map_err(|e| fail(dir, "bad folder name", e))?;
    refuse_link(&tmp)?;
    remove_entry(&tmp).map_err(|e| fail(&tmp, "cannot remove a leftover", e))?;
    let result = fill(&tmp, dir, files, stale).and_then(|()| swap(&tmp, dir));
    if result.is_err() {
        let _ = remove_entry(&tmp);
    }
    result
}

/// Writes every file into the new folder `tmp` and carries over the entries of
/// `old` that this write does not replace.
fn fill(
    tmp: &Path,
    old: &Path,
    files: &[(String, String)],
    stale: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let fail = |p: &Path, e: io::Error| format!("{}: cannot write: {e}", super::io::shown(p));
    fs::create_dir(tmp).map_err(|e| fail(tmp, e))?;
    for (name, contents) in files {
        let path = tmp.join(name);
        let write = |f: &mut fs::File| f.write_all(contents.as_bytes()).and_then(|()| f.sync_all());
        create_new(&path)
            .and_then(|mut f| write(&mut f))
            .map_err(|e| fail(&old.join(name), e))?;
    }
    let Ok(entries) = fs::read_dir(old) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if files.iter().any(|(n, _)| name == n.as_str()) || name.to_str().is_some_and(stale) {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let from = entry.path();
        let to = tmp.join(&name);
        // Links are dropped, never followed; files are shared, folders moved.
        let kept = if kind.is_file() {
            fs::hard_link(&from, &to).or_else(|_| fs::copy(&from, &to).map(|_| ()))
        } else if kind.is_dir() {
            fs::rename(&from, &to)
        } else {
            Ok(())
        };
        kept.map_err(|e| fail(&from, e))?;
    }
    Ok(())
}

/// Puts the folder `tmp` in place of `dir`.
fn swap(tmp: &Path, dir: &Path) -> Result<(), String> {
    let fail = |p: &Path, e: io::Error| format!("{}: cannot replace: {e}", super::io::shown(p));
    if fs::symlink_metadata(dir).is_err() {
        return fs::rename(tmp, dir).map_err(|e| fail(dir, e));
    }
    let old = sibling(dir, "old").map_err(|e| fail(dir, e))?;
    remove_entry(&old).map_err(|e| fail(&old, e))?;
    fs::rename(dir, &old).map_err(|e| fail(dir, e))?;
    if let Err(e) = fs::rename(tmp, dir) {
        let _ = fs::rename(&old, dir);
        return Err(fail(dir, e));
    }
    let _ = remove_entry(&old);
    Ok(())
}

/// Removes `.<name>.tmp.<pid>` and `.<name>.old.<pid>` left beside `dir` by
/// earlier runs that were killed, and stale temp files inside it.
fn clean_stale(dir: &Path) {
    let (Some(out), Some(name)) = (parent(dir).or(Some(Path::new("."))), dir.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let stale = |n: &str, prefix: &str| {
        n.strip_prefix(prefix).is_some_and(|rest| {
            let (tag, pid) = rest.rsplit_once('.').unwrap_or(("", ""));
            // Our own pid's names are checked (and refused if linked) by the caller.
            matches!(tag, "tmp" | "old")
                && !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && pid != std::process::id().to_string()
        })
    };
    for dir_to_scan in [out, dir] {
        let Ok(entries) = fs::read_dir(dir_to_scan) else {
            continue;
        };
        for entry in entries.flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            let hit = if dir_to_scan == out {
                stale(&n, &prefix)
            } else {
                n.starts_with('.') && n.contains(".tmp.")
            };
            if hit {
                let _ = remove_entry(&entry.path());
            }
        }
    }
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
