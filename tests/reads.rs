//! Reads against closed forms: stale reads are exactly the reads served inside
//! the window between an acknowledgement reaching its client and the write
//! landing at the serving region; read latency is the round trip; reads count
//! for availability but never for RTO, and never move a write.

mod common;
use common::*;
use regionsim::report::{lost_writes_csv, report_json, summary_md};

/// Two regions, one key written 10 times a second (a write every 100 ms,
/// populations a and b taking turns: odd writes from a, even from b) and read
/// 2000 times a second (reads alternate a, b: b's at every whole millisecond,
/// a's at every half). No access latency; link 40 ms; commit 1.5 ms at a,
/// `commit_b` at b. Every boundary below falls off the read grid, so no read
/// ties with an apply.
fn one_key(replication: &str, routing: &str, commit_b: &str, shares: &str) -> String {
    format!(
        r#"
name = "one-key"
duration = "60s"
drain = "10s"
[[regions]]
name = "a"
commit_latency = "1500us"
[[regions]]
name = "b"
commit_latency = "{commit_b}"
[[links]]
between = ["a", "b"]
latency = "40ms"
[workload]
writes_per_sec = 10
reads_per_sec = 2000
arrival = "constant"
keys = 1
client_access_latency = "0ms"
{shares}
[replication]
{replication}
{routing}
"#
    )
}

const BOTH: &str = r#"
[[workload.clients]]
region = "a"
share = 0.5
count = 1
[[workload.clients]]
region = "b"
share = 0.5
count = 1
"#;

const ANYCAST: &str = "[failover]\nrouting = \"anycast\"\n";
const ASYNC_A: &str = "primary = \"a\"\nreplicas = [\"b\"]\nmode = \"async\"";

/// Writes k = 1..599 at k x 100 ms (the run is 60 s): 300 from a, 299 from b.
const WRITES_A: u64 = 300;
const WRITES_B: u64 = 299;
/// Reads at k x 0.5 ms for k = 1..119999; b's are the even k.
const READS: u64 = 119_999;

/// Single-primary async, anycast (b's clients read at the replica b, their
/// writes enter at b and go on to a). With d = 40 ms, commit 1.5 ms at a and
/// c = 5 ms at b:
/// - a write from a commits at t + 1.5, is acknowledged at t + 1.5 and applied
///   at b at t + 1.5 + d + c: b's reads in [t + 1.5, t + 46.5) are stale,
///   d + c = 45 whole milliseconds, 45 reads;
/// - a write from b commits at t + d + 1.5, its ack is back at t + 2d + 1.5,
///   it is applied at b at t + 2d + 1.5 + c: c = 5 stale reads.
///
/// a's reads are served by the primary and are never stale, so exactly
/// 300 x 45 + 299 x 5 = 14,995 reads are stale (the windows end long before
/// the next write, so the newest acknowledged write is always the last one).
#[test]
fn stale_reads_at_an_async_replica_are_the_lag_window_exactly() {
    let r = run(&one_key(ASYNC_A, ANYCAST, "5ms", BOTH), 1);
    let m = &r.report.metrics;
    let rd = m.reads.expect("reads reported");
    assert_eq!(m.acknowledged_writes, WRITES_A + WRITES_B);
    assert_eq!(rd.reads, READS);
    assert_eq!(rd.failed_reads, 0);
    let (d, c) = (40, 5);
    assert_eq!(rd.stale_reads, WRITES_A * (d + c) + WRITES_B * c);
    assert_eq!(rd.stale_reads, 14_995);
    // 14,995 of 119,999 answered reads, ~ (d + 2c) / (2 x 100 ms) of b's half.
    assert!((rd.stale_read_ratio - 14_995.0 / 119_999.0).abs() < 1e-12);
    assert_eq!(m.availability, 1.0);
}

/// The same world with every client in the primary's region: every read is
/// served by the primary, which holds every acknowledged write: none is stale.
#[test]
fn reads_at_the_primary_are_never_stale() {
    let only_a = "[[workload.clients]]\nregion = \"a\"\nshare = 1.0\ncount = 4\n";
    let r = run(&one_key(ASYNC_A, ANYCAST, "5ms", only_a), 1);
    let rd = r.report.metrics.reads.unwrap();
    assert_eq!(rd.reads, READS);
    assert_eq!(rd.stale_reads, 0);
}

/// Semi-sync and sync acknowledge a write only once b has durably received
/// it, which is when b applies it: no read at b can be stale.
#[test]
fn semi_sync_and_sync_replicas_serve_no_stale_reads() {
    for mode in ["semi-sync", "sync"] {
        let repl = format!("primary = \"a\"\nreplicas = [\"b\"]\nmode = \"{mode}\"");
        let r = run(&one_key(&repl, ANYCAST, "5ms", BOTH), 1);
        let rd = r.report.metrics.reads.unwrap();
        assert_eq!((rd.reads, rd.stale_reads), (READS, 0), "{mode}");
    }
}

/// Multi-primary (each client's region serves it; commit at b 5.2 ms): a
/// write from a is stale at b over [t + 1.5, t + 46.7): whole milliseconds
/// t + 2 .. t + 46, 45 of b's reads; a write from b (acked at t + 5.2) is
/// stale at a over [t + 5.2, t + 46.7): half milliseconds t + 5.5 .. t + 46.5,
/// 42 of a's reads. Total 300 x 45 + 299 x 42 = 26,058.
#[test]
fn multi_primary_stale_reads_are_the_cross_region_windows_exactly() {
    let r = run(
        &one_key("topology = \"multi-primary\"", "", "5200us", BOTH),
        1,
    );
    let m = &r.report.metrics;
    let rd = m.reads.unwrap();
    assert_eq!(m.conflicts, 0, "writes 100 ms apart never meet");
    assert_eq!(rd.reads, READS);
    assert_eq!(rd.stale_reads, WRITES_A * 45 + WRITES_B * 42);
    assert_eq!(rd.stale_reads, 26_058);
}

/// A small world for latency: access 2 ms, link 40 ms, constant everything.
fn latency_world(client_region: &str, routing: &str) -> String {
    format!(
        r#"
name = "lat"
duration = "20s"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "40ms"
[workload]
writes_per_sec = 100
reads_per_sec = 300
arrival = "poisson"
keys = 100
client_access_latency = "2ms"
[[workload.clients]]
region = "{client_region}"
share = 1.0
count = 20
[replication]
primary = "a"
replicas = ["b"]
{routing}
"#
    )
}

/// A read routed to a remote region takes 2 x (access + link) = 84 ms, a local
/// one 2 x access = 4 ms, exactly (the histogram clamps to the recorded range,
/// so with one value every percentile is that value). Reads add no serve time.
#[test]
fn read_latency_is_the_round_trip_exactly() {
    let cases = [
        ("b", "", 84_000),     // DNS sends b's clients to the primary a
        ("a", "", 4_000),      // local to the primary
        ("b", ANYCAST, 4_000), // anycast: served by the replica b itself
    ];
    for (region, routing, want) in cases {
        let r = run(&latency_world(region, routing), 3);
        let l = r.report.metrics.reads.unwrap().read_latency_us;
        assert_eq!(
            (l.p50, l.p99, l.max),
            (want, want, want),
            "{region} {routing}"
        );
    }
    // Writes through the anycast entry b still go to a: 2 x (2 + 40) + 1 ms.
    let r = run(&latency_world("b", ANYCAST), 3);
    assert_eq!(r.report.metrics.write_latency_us.max, 85_000);
}

/// Clients in a read and write a at 100/s each, evenly spaced; a is dark over
/// [60 s, 90 s) and nothing fails over. A read at t fails when its round trip
/// [t, t + 4 ms] touches the outage: the reads at 60.00 .. 89.99 s, 3000 of
/// them. They lower availability (overall and for a's clients) and leave the
/// RTO, which is about writes, exactly as without reads.
#[test]
fn failed_reads_count_for_availability_not_for_rto() {
    let world = |reads: u32| {
        format!(
            r#"
name = "outage"
duration = "3m"
drain = "10s"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "30ms"
[workload]
writes_per_sec = 100
reads_per_sec = {reads}
arrival = "constant"
keys = 50
client_access_latency = "2ms"
[[workload.clients]]
region = "a"
share = 1.0
count = 10
[replication]
primary = "a"
replicas = ["b"]
[[faults]]
kind = "region-outage"
region = "a"
at = "60s"
duration = "30s"
"#
        )
    };
    let with = run(&world(100), 1);
    let without = run(&world(0), 1);
    let (m, m0) = (&with.report.metrics, &without.report.metrics);
    let rd = m.reads.unwrap();
    assert_eq!(rd.reads, 17_999);
    assert_eq!(rd.failed_reads, 3_000);
    let ok = m.acknowledged_writes + rd.reads - rd.failed_reads;
    let all = m.attempted_writes + rd.reads;
    assert_eq!(m.availability, ok as f64 / all as f64);
    assert_eq!(m.availability_by_region["a"], m.availability);
    assert!(m.availability < 1.0 && m0.availability < 1.0);
    assert!(m0.rto_us.is_some_and(|r| r >= 30_000_000));
    assert_eq!(
        serde_json::to_value(&with.report.incidents).unwrap(),
        serde_json::to_value(&without.report.incidents).unwrap(),
        "reads change no incident figure (RTO, affected clients, timeline)"
    );
}

/// Inserts `reads_per_sec` into a scenario's text.
fn with_reads(toml: &str, reads: u32) -> String {
    toml.replacen(
        "[workload]\n",
        &format!("[workload]\nreads_per_sec = {reads}\n"),
        1,
    )
}

/// Adding reads moves no write: every write figure, the lost-write ledger and
/// the incidents are identical (Poisson arrivals, DNS failover with a crash,
/// and a multi-primary LWW world with a zipf keyspace and a partition).
#[test]
fn adding_reads_does_not_change_the_writes() {
    let failover = r#"
[failover]
promotion_delay = "5s"
[failover.health_check]
interval = "5s"
failure_threshold = 2
timeout = "1s"
checkers = ["c"]
[failover.dns]
ttl = "20s"
stale_fraction = 0.1
stale_extra = "30s"
[[faults]]
kind = "region-outage"
region = "a"
at = "60s"
"#;
    let workload = r#"
[workload]
writes_per_sec = 2000
arrival = "poisson"
keys = 5000
client_access_latency = "2ms"
[[workload.clients]]
region = "a"
share = 0.6
count = 60
[[workload.clients]]
region = "b"
share = 0.4
count = 40
"#;
    let single = two_plus_checker("38ms", &format!("{workload}{failover}")).replace(
        "latency = \"38ms\"",
        "latency = { dist = \"normal\", mean = \"38ms\", stddev = \"4ms\" }",
    );
    let multi = single
        .replace("primary = \"a\"\nreplicas = [\"b\"]\nmode = \"async\"", "topology = \"multi-primary\"")
        .replace(failover, "[[faults]]\nkind = \"partition\"\nbetween = [\"a\", \"b\"]\nat = \"60s\"\nduration = \"30s\"\n")
        .replace("keys = 5000", "keys = 5000\nkey_distribution = { zipf = 1.1 }");
    for (name, toml) in [("single", single), ("multi", multi)] {
        let a = run(&toml, 7);
        let b = run(&with_reads(&toml, 3000), 7);
        let (ma, mb) = (&a.report.metrics, &b.report.metrics);
        assert!(ma.reads.is_none(), "{name}");
        assert!(mb.reads.unwrap().reads > 100_000, "{name}");
        assert!(
            ma.lost_writes > 0 || ma.conflicts > 0,
            "{name}: a fault that shows"
        );
        assert_eq!(a.lost_writes, b.lost_writes, "{name}");
        assert_eq!(lost_writes_csv(&a), lost_writes_csv(&b), "{name}");
        let writes = |m: &regionsim::metrics::Metrics| {
            (
                m.rpo_us,
                m.rto_us,
                m.lost_writes,
                m.acknowledged_writes,
                m.failed_writes,
                m.write_latency_us,
                m.conflicts,
                m.lww_discarded,
                m.replication_lag_us.clone(),
                m.cross_region_bytes,
                m.divergent_keys,
            )
        };
        assert_eq!(writes(ma), writes(mb), "{name}");
        assert_eq!(
            serde_json::to_value(&a.report.incidents).unwrap(),
            serde_json::to_value(&b.report.incidents).unwrap(),
            "{name}"
        );
    }
}

/// The same scenario with reads twice: the same bytes; another seed moves the
/// reads (Poisson arrivals, sampled link latency).
#[test]
fn reads_are_deterministic() {
    let toml = with_reads(
        &two_plus_checker(
            "38ms",
            "[workload]\nwrites_per_sec = 500\narrival = \"poisson\"\nkeys = 20\n\
             [[workload.clients]]\nregion = \"b\"\nshare = 1.0\ncount = 50\n\
             [failover]\nrouting = \"anycast\"\n",
        )
        .replace(
            "latency = \"38ms\"",
            "latency = { dist = \"lognormal\", median = \"38ms\", p99 = \"60ms\" }",
        ),
        800,
    );
    let a = run(&toml, 11);
    let b = run(&toml, 11);
    assert_eq!(report_json(&a), report_json(&b));
    assert_eq!(summary_md(&a), summary_md(&b));
    let rd = a.report.metrics.reads.unwrap();
    assert!(rd.stale_reads > 0, "reads at the replica b see its lag");
    assert!(summary_md(&a).contains("| Stale reads (share of answered reads) |"));
    let c = run(&toml, 12);
    assert_ne!(c.report.metrics.reads.unwrap().stale_reads, rd.stale_reads);
}

/// Poisson writes to K uniform keys: a read of a key at the replica is stale
/// while some write from the primary's clients is inside its window
/// L = d + c_b - access = 38 + 1 - 2 = 37 ms (writes from the replica's own
/// clients are applied before their ack is back: never stale). Those writes
/// hit a key as a Poisson process of rate lambda = 0.5 x 1000/s / 100 = 5/s,
/// so the share of stale replica reads is 1 - exp(-lambda L) = 0.16890, and
/// half of the reads are the replica's: 0.08445 of all answered reads. Over
/// 60 s that is about 10,000 stale reads of 120,000 (sampling sd ~1%, seeds
/// 1..8 land within 1.5%); +-4% is about 4 sd.
#[test]
fn poisson_stale_share_is_one_minus_exp_minus_rate_times_window() {
    let toml = two_plus_checker(
        "38ms",
        "[workload]\nwrites_per_sec = 1000\nreads_per_sec = 2000\narrival = \"poisson\"\n\
         keys = 100\nclient_access_latency = \"2ms\"\n\
         [[workload.clients]]\nregion = \"a\"\nshare = 0.5\ncount = 50\n\
         [[workload.clients]]\nregion = \"b\"\nshare = 0.5\ncount = 50\n\
         [failover]\nrouting = \"anycast\"\n",
    )
    .replace("duration = \"3m\"", "duration = \"60s\"");
    let want = 0.5 * (1.0 - libm::exp(-5.0f64 * 0.037));
    for seed in [1, 2, 3] {
        let rd = run(&toml, seed).report.metrics.reads.unwrap();
        assert!(
            (rd.stale_read_ratio / want - 1.0).abs() < 0.04,
            "seed {seed}: {} vs {want}",
            rd.stale_read_ratio
        );
    }
}
