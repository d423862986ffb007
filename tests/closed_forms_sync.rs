//! Semi-sync, sync and quorum replication against their closed forms
//! (published-behaviour.md E-L1, E-L3, I-S1, I-S2, I-S4, E-M1, E-M2, I-M3).

mod common;
use common::*;

/// Primary `a` (commit 1 ms) and replicas b, c, d at 10, 30, 50 ms one way
/// (replica commit 3 ms); clients in `a` with 2 ms access; `mode`/`acks` and
/// `extra` (faults, failover) vary.
fn star(mode: &str, acks: &str, extra: &str) -> String {
    format!(
        r#"
name = "star"
duration = "2m"
drain = "30s"
[[regions]]
name = "a"
commit_latency = "1ms"
[[regions]]
name = "b"
commit_latency = "3ms"
[[regions]]
name = "c"
commit_latency = "3ms"
[[regions]]
name = "d"
commit_latency = "3ms"
[[regions]]
name = "x"
[[links]]
between = ["a", "b"]
latency = "10ms"
[[links]]
between = ["a", "c"]
latency = "30ms"
[[links]]
between = ["a", "d"]
latency = "50ms"
[[links]]
between = ["b", "c"]
latency = "20ms"
[[links]]
between = ["b", "d"]
latency = "40ms"
[[links]]
between = ["c", "d"]
latency = "20ms"
[[links]]
between = ["x", "a"]
latency = "5ms"
[[links]]
between = ["x", "b"]
latency = "5ms"
[[links]]
between = ["x", "c"]
latency = "5ms"
[[links]]
between = ["x", "d"]
latency = "5ms"
[workload]
writes_per_sec = 1000
arrival = "constant"
keys = 10000
client_access_latency = "2ms"
request_timeout = "2s"
[[workload.clients]]
region = "a"
share = 1.0
count = 50
[replication]
primary = "a"
replicas = ["b", "c", "d"]
mode = "{mode}"
{acks}
{extra}
"#
    )
}

fn latency(mode: &str, acks: &str) -> regionsim::metrics::Percentiles {
    run(&star(mode, acks, ""), 1)
        .report
        .metrics
        .write_latency_us
}

/// E-L1/E-L3: latency = access + commit + RTT to the k-th fastest replica +
/// replica commit + access, exactly, with constant latencies.
#[test]
fn write_latency_is_commit_plus_kth_round_trip_plus_replica_commit() {
    let cases = [
        ("semi-sync", "acks = 1", 2 + 1 + 20 + 3 + 2),
        ("semi-sync", "acks = 2", 2 + 1 + 60 + 3 + 2),
        ("sync", "", 2 + 1 + 100 + 3 + 2),
        ("sync", "acks = 2", 2 + 1 + 60 + 3 + 2),
        ("sync", "acks = 1", 2 + 1 + 20 + 3 + 2),
    ];
    for (mode, acks, ms) in cases {
        let l = latency(mode, acks);
        let want = ms * 1000;
        assert_eq!((l.p50, l.p99, l.max), (want, want, want), "{mode} {acks}");
    }
    // Async does not wait for any replica: access + commit + access.
    let l = latency("async", "");
    assert_eq!(l.max, 5_000);
}

const CHECKS: &str = r#"
[failover]
promotion_delay = "0s"
[failover.health_check]
interval = "5s"
failure_threshold = 2
timeout = "1s"
checkers = ["x"]
"#;

/// I-S1 / I-M1: with a surviving replica that acknowledged, a primary crash
/// loses no acknowledged write and RPO is 0.
#[test]
fn sync_and_semi_sync_lose_nothing_when_the_primary_dies() {
    let crash = "[[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"40s\"\n";
    for (mode, acks) in [
        ("semi-sync", "acks = 1"),
        ("sync", ""),
        ("sync", "acks = 2"),
    ] {
        let r = run(&star(mode, acks, &format!("{CHECKS}{crash}")), 1);
        let m = &r.report.metrics;
        assert!(first_at(&r, Happening::is_takeover).is_some(), "{mode}");
        assert_eq!(m.lost_writes, 0, "{mode} {acks}");
        assert_eq!(m.rpo_us, 0);
        // Writes committed at a but still waiting when it died were never
        // acknowledged: they are not lost writes.
        assert!(m.acknowledged_writes > 30_000);
    }
}

/// `common::semi_sync_pair` named "pair".
fn pair(extra: &str) -> String {
    semi_sync_pair("pair", extra)
}

const PARTITION_30S: &str =
    "[[faults]]\nkind = \"partition\"\nbetween = [\"a\", \"b\"]\nat = \"30s\"\nduration = \"30s\"\n";

/// E-M2: the first write after the partition waits the whole timeout; every
/// waiting write is released together at t0 + timeout; after that, writes are
/// acknowledged at local latency (async).
#[test]
fn semi_sync_falls_back_after_the_timeout_and_releases_all_waiters() {
    let r = run(&pair(PARTITION_30S), 1);
    let m = &r.report.metrics;
    assert_eq!(m.semi_sync_fallbacks, 1);
    let fb = first_at(&r, |h| matches!(h, Happening::SemiSyncFallback { .. })).expect("fallback");
    // The first write left waiting was committed at t0 - (2d + replica commit):
    // its receipt was still on the way back at t0. The fallback is 10 s later.
    assert!((39_922_000..=39_924_000).contains(&fb), "fallback at {fb}");
    // Its client waited the whole timeout.
    assert!(
        (10_000_000..10_100_000).contains(&m.write_latency_us.max),
        "{}",
        m.write_latency_us.max
    );
    // r x timeout = 10 s x 1000 writes/s were released at once.
    let waiting = timeline(&r)
        .into_iter()
        .find_map(|(_, h)| match h {
            Happening::SemiSyncFallback { waiting, .. } => Some(waiting),
            _ => None,
        })
        .expect("fallback");
    assert!((9_999..=10_001).contains(&waiting), "{waiting}");
    assert_eq!(m.lost_writes, 0);
    assert!(m.converged);
}

/// E-M2: a crash T seconds after the partition (T > timeout) loses about r x T
/// acknowledged writes (plus those on the wire at t0): the trap.
#[test]
fn semi_sync_fallback_trap_loses_rate_times_time_since_partition() {
    let faults = format!(
        "{CHECKS}[[faults]]\nkind = \"partition\"\nbetween = [\"a\", \"b\"]\nat = \"30s\"\n\
         [[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"50s\"\n"
    );
    let r = run(&pair(&faults), 1);
    let m = &r.report.metrics;
    assert!(first_at(&r, promoted("b")).is_some());
    let expect = 1000.0 * 20.0 + 38.0;
    let lost = m.lost_writes as f64;
    assert!(
        (lost / expect - 1.0).abs() < 0.01,
        "lost {lost} expected {expect}"
    );
    // RPO = (T - t0) + d.
    assert!(m.rpo_us.abs_diff(20_038_000) < 5_000, "rpo {}", m.rpo_us);
}

/// I-M3: semi-sync re-arms only once the replica has received the backlog,
/// not at the heal itself.
#[test]
fn semi_sync_rearms_after_the_backlog_drains() {
    let r = run(&pair(PARTITION_30S), 1);
    let heal = 60_000_000;
    let rearm = first_at(&r, |h| matches!(h, Happening::SemiSyncRearmed { .. })).expect("re-armed");
    // Unlimited bandwidth: the backlog is resent at the heal and delivered one
    // way later; the receipt takes another 38 ms back (+ 1 ms replica commit).
    assert!(
        rearm >= heal + 77_000 && rearm < heal + 200_000,
        "re-armed at {rearm}"
    );
    let m = &r.report.metrics;
    assert!(m.semi_sync_degraded_us.abs_diff(rearm - 40_000_000) < 100_000);

    // A link of 1000 writes/s under 500 writes/s: the 15,000-write backlog of a
    // 30 s partition drains at (1000 - 500)/s, i.e. 30 s after the heal.
    let slow = pair(PARTITION_30S)
        .replace(
            "latency = \"38ms\"\n",
            "latency = \"38ms\"\nbandwidth = \"8192000bps\"\n",
        )
        .replace("writes_per_sec = 1000", "writes_per_sec = 500");
    let r = run(&slow, 1);
    let rearm = first_at(&r, |h| matches!(h, Happening::SemiSyncRearmed { .. })).expect("re-armed");
    assert!(
        (90_000_000..91_000_000).contains(&rearm),
        "re-armed at {rearm}"
    );
}

/// I-S4: sync with its only replica down: writes fail for the outage
/// (availability drops), nothing acknowledged is lost.
#[test]
fn sync_with_its_only_replica_down_fails_writes_instead_of_losing_them() {
    let text = pair(
        "[[faults]]\nkind = \"region-outage\"\nregion = \"b\"\nat = \"30s\"\nduration = \"30s\"\n",
    )
    .replace("mode = \"semi-sync\"", "mode = \"sync\"")
    .replace("request_timeout = \"15s\"", "request_timeout = \"2s\"");
    let r = run(&text, 1);
    let m = &r.report.metrics;
    assert_eq!(m.lost_writes, 0);
    // A write issued at w commits at w + 1 ms and needs b's receipt by w + 2 s.
    // Receipts stop for writes committed after t0 - (2d + 1 ms) = 29.923 s and
    // resume at 60 s + 77 ms (resend, delivery, replica commit, receipt back),
    // so writes issued in [29.922 s, 58.077 s) fail: 28.155 s of 120 s.
    let expect = 1.0 - 28.155 / 120.0;
    assert!(
        (m.availability - expect).abs() < 0.0005,
        "availability {}",
        m.availability
    );
    assert_eq!(m.semi_sync_fallbacks, 0);
}

/// I-S2: a quorum of 2 out of 3 keeps accepting writes with one replica down.
#[test]
fn quorum_two_of_three_survives_one_replica() {
    let down =
        "[[faults]]\nkind = \"region-outage\"\nregion = \"c\"\nat = \"30s\"\nduration = \"30s\"\n";
    let r = run(&star("sync", "acks = 2", down), 1);
    let m = &r.report.metrics;
    assert_eq!(m.availability, 1.0);
    // With c down the 2nd fastest receipt comes from d: 100 ms round trip.
    assert_eq!(m.write_latency_us.max, (2 + 1 + 100 + 3 + 2) * 1000);
    let all = run(&star("sync", "", down), 1);
    // Waiting for all three fails writes for most of the outage (see the
    // single-replica case above: ~28 s of 120 s).
    assert!(all.report.metrics.availability < 0.78);
}
