//! Determinism: a run is a pure function of (scenario file, seed). Every
//! shipped scenario run twice gives byte-identical reports; the output folder
//! does not leak into them; another seed changes what randomness drives.

use std::path::{Path, PathBuf};
use std::process::Command;

use regionsim::model::{simulate, Bounds};
use regionsim::report::{lost_writes_csv, report_json, summary_md};
use regionsim::scenario::load_path;

fn shipped() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml" || x == "json"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

#[test]
fn every_shipped_scenario_is_byte_identical_twice() {
    for path in shipped() {
        let s = load_path(&path).expect("valid");
        let a = simulate(&s, s.seed, Bounds::default()).expect("run");
        let b = simulate(&s, s.seed, Bounds::default()).expect("run");
        assert_eq!(report_json(&a), report_json(&b), "{}", path.display());
        assert_eq!(summary_md(&a), summary_md(&b));
        assert_eq!(lost_writes_csv(&a), lost_writes_csv(&b));
        assert_eq!(
            a.report.metrics.events_digest,
            b.report.metrics.events_digest
        );
    }
}

#[test]
fn another_seed_changes_random_figures() {
    let s = load_path(Path::new("scenarios/ap-async-dns.toml")).expect("valid");
    let a = simulate(&s, 1, Bounds::default()).expect("run");
    let b = simulate(&s, 2, Bounds::default()).expect("run");
    assert_ne!(
        a.report.metrics.events_digest,
        b.report.metrics.events_digest
    );
    assert_ne!(a.report.metrics.rto_us, b.report.metrics.rto_us);
    assert_ne!(
        a.report.metrics.acknowledged_writes,
        b.report.metrics.acknowledged_writes
    );
}

#[test]
fn report_bytes_do_not_depend_on_the_output_folder() {
    let bin = env!("CARGO_BIN_EXE_regionsim");
    let tmp = std::env::temp_dir().join(format!("regionsim-det-{}", std::process::id()));
    let (o1, o2) = (tmp.join("one"), tmp.join("two/deeper"));
    for out in [&o1, &o2] {
        let st = Command::new(bin)
            .args(["run", "scenarios/ap-async-dns.toml", "--out"])
            .arg(out)
            .output()
            .expect("spawn");
        assert!(st.status.code().is_some_and(|c| c <= 1), "{st:?}");
    }
    for f in ["report.json", "summary.md", "lost_writes.csv"] {
        let a = std::fs::read(o1.join("ap-async-dns").join(f)).expect("written");
        let b = std::fs::read(o2.join("ap-async-dns").join(f)).expect("written");
        assert_eq!(a, b, "{f}");
        let text = String::from_utf8_lossy(&a);
        assert!(!text.contains(tmp.to_str().unwrap()), "{f} leaks the path");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
