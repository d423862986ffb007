//! Home-region against closed forms: one writer per key means no conflicts
//! (published-behaviour.md I-C1, "single-writer/homed pattern"), a partition
//! costs exactly the writes that cross it (the CP choice), write latency is
//! the path to the home (plus, with `sync`, the quorum round trip: E-L4), and
//! a home that fails over loses only what its new home lacked (nothing with
//! `sync`).

mod common;
use common::*;

/// Regions a and b, 40 ms apart (constant), a checker c; clients split
/// evenly between a and b; `extra` adds replication, failover and faults.
fn world(topology: &str, extra: &str) -> String {
    format!(
        r#"
name = "hr"
duration = "10m"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "40ms"
[workload]
writes_per_sec = 200
arrival = "constant"
keys = 1000
client_access_latency = "2ms"
[[workload.clients]]
region = "a"
share = 0.5
count = 50
[[workload.clients]]
region = "b"
share = 0.5
count = 50
[replication]
topology = "{topology}"
{extra}
"#
    )
}

const PARTITION: &str = r#"
[[faults]]
kind = "partition"
between = ["a", "b"]
at = "2m"
duration = "5m"
"#;

/// The same partition: multi-primary stays available and pays in conflicts;
/// home-region has none and fails exactly the writes whose client is on the
/// other side from the key's home. With clients split 50/50, that share is
/// 1/2 whatever the hash split of the homes (½·h_a + ½·h_b = ½), for half of
/// the run: availability = 1 - ½·½ = 0.75. Tolerance 0.002: the writes in
/// flight at the two edges of the partition (a few hundred ms of 200/s).
#[test]
fn a_partition_costs_availability_not_conflicts() {
    let mp = run(&world("multi-primary", PARTITION), 1);
    let m = &mp.report.metrics;
    assert_eq!(m.availability, 1.0);
    assert!(m.conflicts > 1000 && m.lww_discarded > 0, "{}", m.conflicts);

    let hr = run(&world("home-region", PARTITION), 1);
    let m = &hr.report.metrics;
    assert_eq!((m.conflicts, m.lww_discarded, m.lost_writes), (0, 0, 0));
    assert!((m.availability - 0.75).abs() < 0.002, "{}", m.availability);
    assert!(m.converged, "{} divergent", m.divergent_keys);
    assert_eq!(m.residency_violations, 0);
}

/// Async home-region latency is the path to the home and back: 2 ms access
/// and 1 ms commit locally (5 ms), plus the 40 ms link each way to a remote
/// home (85 ms). Constant latencies, so these are the exact minimum and
/// maximum (the histogram reports bucket tops, within 0.1% above 2 ms).
#[test]
fn async_latency_is_the_path_to_the_home() {
    let r = run(&world("home-region", ""), 1);
    let l = r.report.metrics.write_latency_us;
    assert!((5_000..=5_005).contains(&l.p50) || (85_000..=85_085).contains(&l.p50));
    assert!((85_000..=85_085).contains(&l.max), "{l:?}");
    // Half the keys are homed remotely from a given client (hash split).
    assert!((85_000..=85_085).contains(&l.p95), "{l:?}");
}

/// E-L1/E-L4 with `sync`: the home answers once `acks` other regions hold
/// the write. Two regions: local home 2 + 1 + 80 (receipt round trip) + 1 + 2
/// = 86 ms, remote home 86 + 80 = 166 ms.
#[test]
fn sync_latency_adds_the_receipt_round_trip() {
    let r = run(&world("home-region", "mode = \"sync\""), 1);
    let m = &r.report.metrics;
    let l = m.write_latency_us;
    assert!((166_000..=166_166).contains(&l.max), "{l:?}");
    assert!(
        (86_000..=86_086).contains(&l.p50) || l.p50 >= 166_000,
        "{l:?}"
    );
    assert_eq!((m.lost_writes, m.conflicts), (0, 0));
    assert_eq!(m.availability, 1.0);
}

/// E-L4: with three regions and `acks = 1` a home needs the receipt of its
/// nearest other region only. Region a's keys: 2 + 1 + 2·10 + 1 + 2 = 26 ms
/// for a client in a, whatever the 90 ms link to c.
#[test]
fn sync_quorum_waits_for_the_nearest_other_region() {
    let toml = r#"
name = "q"
duration = "2m"
drain = "1m"
[[regions]]
name = "a"
jurisdiction = "X"
[[regions]]
name = "b"
jurisdiction = "X"
[[regions]]
name = "c"
jurisdiction = "X"
[[links]]
between = ["a", "b"]
latency = "10ms"
[[links]]
between = ["a", "c"]
latency = "90ms"
[[links]]
between = ["b", "c"]
latency = "90ms"
[workload]
writes_per_sec = 100
arrival = "constant"
keys = 1000
client_access_latency = "2ms"
[[workload.clients]]
region = "a"
share = 1.0
[replication]
topology = "home-region"
mode = "sync"
acks = 1
"#;
    let r = run(toml, 1);
    let l = r.report.metrics.write_latency_us;
    // The minimum over a third of the writes (homed at a) is the local path.
    let cdf = &r.series.latency_cdf;
    let first = cdf.first().expect("latencies").0;
    assert!((26_000..=26_026).contains(&first), "{cdf:?}");
    // Homed at b: 2 + 10 + 1 + 20 + 1 + 10 + 2 = 46 ms; at c: its nearest
    // other region is 90 ms away: 2 + 90 + 1 + 180 + 1 + 90 + 2 = 366 ms.
    assert!((366_000..=366_366).contains(&l.max), "{l:?}");
}

const OUTAGE: &str = r#"
[failover]
promotion_delay = "10s"
[failover.health_check]
interval = "10s"
checkers = ["c"]
[[faults]]
kind = "region-outage"
region = "a"
at = "3m"
duration = "4m"
"#;

/// Adds a checker region c (10 ms from both) to `world`.
fn with_checker(topology: &str, extra: &str) -> String {
    world(topology, extra).replace(
        "[workload]",
        "[[regions]]\nname = \"c\"\n[[links]]\nbetween = [\"a\", \"c\"]\nlatency = \"10ms\"\n[[links]]\nbetween = [\"b\", \"c\"]\nlatency = \"10ms\"\n[workload]",
    )
}

/// A dark home: its keys move to the most caught-up healthy region after
/// detection + promotion delay. Every region replicates every key, so a
/// write of a survives when it reached c (10 ms, and a must be up while it
/// flies) and it was acknowledged when the answer to a client in a left a's
/// 2 ms access path before the crash (b's clients need 40 ms more). So
/// exactly the writes by a's clients to a's keys committed in
/// (crash − 10 ms, crash − 2 ms] are lost: each lost commit must fall in that
/// window, and their number is Binomial(24 writes, h_a ≈ 1/3): 2..=14 is
/// ±2.6 sd. RPO = crash − first lost commit ≤ 10 ms. Sync loses nothing.
/// Both end converged with no conflict.
#[test]
fn a_dark_home_fails_over_and_sync_loses_nothing() {
    let fast = |extra: &str| {
        with_checker("home-region", extra).replace("writes_per_sec = 200", "writes_per_sec = 6000")
    };
    let r = run(&fast(OUTAGE), 3);
    let m = &r.report.metrics;
    assert!((2..=14).contains(&m.lost_writes), "lost {}", m.lost_writes);
    let crash = 180_000_000;
    for l in &r.lost_writes {
        assert!(
            l.commit_us > crash - 10_000 && l.commit_us <= crash - 2_000,
            "{l:?}"
        );
    }
    assert!(m.rpo_us <= 10_000, "rpo {}", m.rpo_us);
    assert!(r.lost_writes.iter().all(|l| l.region == "a"));
    // They were set aside when a's keys moved: orphans, none kept.
    assert_eq!((m.orphaned_writes, m.orphans_surviving), (m.lost_writes, 0));
    assert_eq!((m.conflicts, m.lww_discarded), (0, 0));
    assert!(m.converged, "{} divergent", m.divergent_keys);
    assert!(first_at(&r, |h| matches!(h, Happening::HomePromoted { .. })).is_some());
    // Detection by 3 checks 10 s apart with a 4 s timeout takes
    // (3-1)(10+4)+4 = 32 s to 3(10+4)+4 = 46 s; then the 10 s delay.
    let restored = m.service_restored_us.expect("restored");
    assert!((42_000_000..=56_000_000).contains(&restored), "{restored}");

    let r = run(&fast(&format!("mode = \"sync\"\n{OUTAGE}")), 3);
    let m = &r.report.metrics;
    assert_eq!((m.lost_writes, m.rpo_us, m.conflicts), (0, 0, 0));
    assert!(m.converged);
}

/// A partition isolating a home with its local clients: async keeps
/// accepting their writes until the keys move (detection + delay), and loses
/// them all then (RPO ≈ that window); sync cannot collect a receipt across
/// the partition, so those writes fail instead and nothing is lost.
#[test]
fn an_isolated_home_loses_its_writes_unless_sync() {
    let cut = OUTAGE.replace(
        "kind = \"region-outage\"\nregion = \"a\"",
        "kind = \"partition\"\nsides = [[\"a\"], [\"b\", \"c\"]]",
    );
    let r = run(&with_checker("home-region", &cut), 3);
    let m = &r.report.metrics;
    // a's clients write a's keys at 100/s × h_a (about 1/3) for detection
    // (32..46 s) + 10 s: 1,400 to 1,867 writes, and the RPO is that window.
    assert!(
        (1_000..=2_000).contains(&m.lost_writes),
        "lost {}",
        m.lost_writes
    );
    // Every one was an acknowledged write that only a held when its keys
    // moved (metrics.md: orphaned), and a void write never comes back.
    assert_eq!((m.orphaned_writes, m.orphans_surviving), (m.lost_writes, 0));
    assert!(
        (41_000_000..=56_100_000).contains(&m.rpo_us),
        "rpo {}",
        m.rpo_us
    );
    assert_eq!(m.conflicts, 0);
    assert!(m.converged, "{} divergent", m.divergent_keys);

    let r = run(
        &with_checker("home-region", &format!("mode = \"sync\"\n{cut}")),
        3,
    );
    let m = &r.report.metrics;
    assert_eq!((m.lost_writes, m.rpo_us, m.conflicts), (0, 0, 0));
    assert!(m.converged);
}
