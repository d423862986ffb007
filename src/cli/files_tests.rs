//! Tests of the output files: write-through, symlinks refused, folders as a unit.

use super::*;
use std::os::unix::fs::symlink;

fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect()
}

#[test]
fn regular_file_is_replaced_without_leftovers() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("junit.xml");
    write_file(&p, b"one").unwrap();
    write_file(&p, b"two").unwrap();
    assert_eq!(fs::read_to_string(&p).unwrap(), "two");
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
}

#[test]
fn dev_null_is_written_through_not_replaced() {
    write_file(Path::new("/dev/null"), b"x").unwrap();
    let m = fs::metadata("/dev/null").unwrap();
    assert!(!m.is_file(), "/dev/null is still a device");
}

#[test]
fn a_fifo_is_written_through() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&p).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let reader = {
        let p = p.clone();
        std::thread::spawn(move || fs::read(p).unwrap())
    };
    write_file(&p, b"through").unwrap();
    assert_eq!(reader.join().unwrap(), b"through");
    assert!(fs::symlink_metadata(&p).unwrap().file_type().is_fifo());
}

use std::os::unix::fs::FileTypeExt;

#[test]
fn temp_file_link_is_refused_and_target_kept() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("precious");
    fs::write(&target, "keep").unwrap();
    let p = d.path().join("trace.json");
    symlink(&target, sibling(&p, "tmp").unwrap()).unwrap();
    let e = write_file(&p, b"evil").unwrap_err();
    assert!(e.to_string().contains("symbolic link"), "{e}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
}

#[test]
fn folder_link_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let elsewhere = d.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let out = d.path().join("out");
    fs::create_dir(&out).unwrap();
    symlink(&elsewhere, out.join("s")).unwrap();
    let e = write_folder(&out.join("s"), &files(&[("report.json", "{}")])).unwrap_err();
    assert!(e.contains("out/s") && e.contains("symbolic link"), "{e}");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn file_link_inside_the_folder_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let target = d.path().join("precious");
    fs::write(&target, "keep").unwrap();
    let dir = d.path().join("out").join("s");
    fs::create_dir_all(&dir).unwrap();
    symlink(&target, dir.join("report.json")).unwrap();
    let e = write_folder(&dir, &files(&[("report.json", "{}")])).unwrap_err();
    assert!(e.contains("report.json"), "{e}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
}

#[test]
fn folder_is_replaced_as_a_unit_keeping_foreign_files() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("s");
    write_folder(&dir, &files(&[("a.txt", "1"), ("b.txt", "1")])).unwrap();
    fs::write(dir.join("sweep.json"), "sweep").unwrap();
    // Leftovers of killed runs: a temp folder beside, a temp file inside.
    fs::create_dir(d.path().join(".s.tmp.999999999")).unwrap();
    fs::write(dir.join(".a.txt.tmp.999999999"), "half").unwrap();
    write_folder(&dir, &files(&[("a.txt", "2"), ("b.txt", "2")])).unwrap();
    assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "2");
    assert_eq!(fs::read_to_string(dir.join("b.txt")).unwrap(), "2");
    assert_eq!(fs::read_to_string(dir.join("sweep.json")).unwrap(), "sweep");
    let mut names: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["s"], "no stale temp folder left");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 3);
}
