//! Async replication and DNS failover against their closed forms
//! (published-behaviour.md E-A1, E-A3, E-D1, E-D2, I-D2).

mod common;
use common::*;

const FAILOVER: &str = r#"
[failover]
promotion_delay = "0s"
[failover.health_check]
interval = "10s"
failure_threshold = 3
timeout = "2s"
checkers = ["c"]
[failover.dns]
ttl = "60s"
"#;

fn workload(rate: u32, arrival: &str, access: &str) -> String {
    format!(
        r#"
[workload]
writes_per_sec = {rate}
arrival = "{arrival}"
keys = 1000
client_access_latency = "{access}"
[[workload.clients]]
region = "a"
share = 1.0
count = 100
"#
    )
}

const OUTAGE_A_60S: &str = r#"
[[faults]]
kind = "region-outage"
region = "a"
at = "60s"
"#;

/// E-A1 with evenly spaced writes: a crash at T loses exactly the writes
/// committed in the last one-way delay d before T (their replication message
/// was on the wire), so lost = r*d within one write, and RPO = d within one
/// write interval.
#[test]
fn async_crash_loses_rate_times_one_way_delay_exactly() {
    let extra = format!(
        "{}{FAILOVER}{OUTAGE_A_60S}",
        workload(1000, "constant", "0ms")
    );
    let r = run(&two_plus_checker("38ms", &extra), 1);
    let m = &r.report.metrics;
    assert!((37..=39).contains(&m.lost_writes), "lost {}", m.lost_writes);
    assert!(
        (37_000..=39_000).contains(&m.rpo_us),
        "rpo {} lost {}",
        m.rpo_us,
        m.lost_writes
    );
    // Every lost write was committed in [T - d, T).
    assert!(r
        .lost_writes
        .iter()
        .all(|l| l.commit_us >= 60_000_000 - 38_000 && l.commit_us < 60_000_000));
    assert_eq!(r.report.incidents.len(), 1);
}

/// E-A1 with Poisson arrivals at 20k writes/s: lost ~ r*d = 760. The count is
/// Poisson(760), sd ~ 28; +-15% is more than 4 sd.
#[test]
fn async_crash_poisson_loss_is_rate_times_delay() {
    let extra = format!(
        "{}{FAILOVER}{OUTAGE_A_60S}",
        workload(20_000, "poisson", "0ms")
    );
    for seed in [1, 2, 3] {
        let r = run(&two_plus_checker("38ms", &extra), seed);
        let lost = r.report.metrics.lost_writes as f64;
        assert!(
            (lost / 760.0 - 1.0).abs() < 0.15,
            "seed {seed}: lost {lost}"
        );
        let rpo = r.report.metrics.rpo_us;
        assert!((37_000..=38_100).contains(&rpo), "seed {seed}: rpo {rpo}");
    }
}

/// Clients far from the primary: an acknowledgement still on the wire when the
/// region goes dark is lost with it, so only writes acked before T count.
#[test]
fn unacknowledged_writes_are_not_lost_writes() {
    let extra = format!(
        "{}{FAILOVER}{OUTAGE_A_60S}",
        workload(1000, "constant", "20ms")
    );
    let r = run(&two_plus_checker("38ms", &extra), 1);
    // Acked needs commit + 20 ms reply before T: commits in (T-38, T-20].
    let lost = r.report.metrics.lost_writes;
    assert!((17..=19).contains(&lost), "lost {lost}");
}

/// E-D1/E-D2: detection lies in [(F-1)(I+to)+to, F(I+to)+to) after the crash;
/// TTL-honest clients recover within detection + TTL (+ one write gap and RTT).
#[test]
fn dns_rto_lies_within_detection_plus_ttl() {
    let (i, to, f) = (10_000_000u64, 2_000_000u64, 3u64);
    let d_lo = (f - 1) * (i + to) + to;
    let d_hi = f * (i + to) + to;
    let ttl = 60_000_000;
    let extra = format!(
        "{}{FAILOVER}{OUTAGE_A_60S}",
        workload(1000, "poisson", "2ms")
    );
    for seed in 0..6 {
        let r = run(&two_plus_checker("38ms", &extra), seed);
        let unhealthy = first_at(&r, unhealthy("a")).expect("detected");
        let d = unhealthy - 60_000_000;
        assert!(d >= d_lo && d < d_hi, "seed {seed}: detection {d}");
        let inc = &r.report.incidents[0];
        let rto = inc.rto_us.expect("all clients recovered");
        // A client recovers at its first success after the last failure it
        // saw: its cache expires within d + TTL, a request sent just before
        // fails at its 2 s timeout, and 100 clients share 1000 writes/s (a
        // gap of ~0.1 s; 1 s is > 20 mean gaps).
        assert!(
            rto <= d + ttl + 2_000_000 + 1_000_000,
            "seed {seed}: rto {rto} d {d}"
        );
        assert!(rto >= d, "seed {seed}: rto {rto} before detection {d}");
        let p50 = inc.rto_p50_us.unwrap();
        assert!(p50 >= d_lo && p50 <= d + ttl, "p50 {p50}");
        assert_eq!(inc.affected_clients, 100);
        // The median client waits about half a TTL after detection.
        let mid = d + ttl / 2;
        assert!(
            p50.abs_diff(mid) < 12_000_000,
            "seed {seed}: p50 {p50} vs {mid}"
        );
    }
}

/// I-D2: an outage shorter than detection causes no failover and loses nothing;
/// clients recover when the region comes back.
#[test]
fn outage_shorter_than_detection_does_not_fail_over() {
    let outage = r#"
[[faults]]
kind = "region-outage"
region = "a"
at = "60s"
duration = "20s"
"#;
    let extra = format!("{}{FAILOVER}{outage}", workload(1000, "poisson", "2ms"));
    let r = run(&two_plus_checker("38ms", &extra), 3);
    let m = &r.report.metrics;
    assert_eq!(m.lost_writes, 0);
    assert!(m.converged);
    assert!(first_at(&r, Happening::is_takeover).is_none());
    assert!(first_at(&r, Happening::is_unhealthy_verdict).is_none());
    let rto = m.rto_us.unwrap();
    // Restoration is the route's (metrics.md): the region is back at 80 s,
    // dated by the first 100 ms probe after it; a request's timeout or the
    // client's next write no longer adds to it.
    assert!((20_000_000..=20_100_000).contains(&rto), "rto {rto}");
    assert_eq!(m.service_restored_us, Some(20_000_000));
}

/// E-A3: a link that carries mu writes/s under a load of r > mu builds a backlog
/// of (r - mu) writes per second; the lag grows as (1 - mu/r) t and a crash at T
/// loses the whole backlog plus what is on the wire.
#[test]
fn bandwidth_limited_link_builds_backlog() {
    // 1 KiB writes on 8.192 Mbps: exactly 1000 writes/s of capacity; load 1500/s.
    let text = r#"
name = "bw"
duration = "60s"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "38ms"
bandwidth = "8192000bps"
[workload]
writes_per_sec = 1500
arrival = "constant"
keys = 100000
write_size = "1KiB"
client_access_latency = "0ms"
[[workload.clients]]
region = "a"
share = 1.0
[replication]
primary = "a"
"#;
    let r = run(text, 1);
    let lag = r.report.metrics.replication_lag_us["b"];
    // Write k (at k/r s) leaves the serialiser at k/mu s: the last one, at 60 s,
    // waits behind a backlog of (r - mu) * 60 s = 30000 writes, i.e. 30 s at mu.
    // Measured at apply time tau, lag = (1 - mu/r) * tau, the E-A3 growth.
    let expect = 30_000_000 + 38_000 + 1_000 + 1_000;
    assert!(lag.max.abs_diff(expect) < 50_000, "lag max {}", lag.max);
    let series = &r.series.lag_max_us["b"];
    // Growth per second of lag is 1 - mu/r = 1/3 s.
    let at = |s: usize| series[s] as f64 / 1e6;
    let slope = (at(50) - at(20)) / 30.0;
    assert!((slope - 1.0 / 3.0).abs() < 0.01, "slope {slope}");
    // The backlog drains at 1000/s in 30 s < drain: converged.
    assert!(r.report.metrics.converged);

    // A crash at the end of the load loses the backlog: (r - mu) * T + r * d.
    let crash = format!(
        "{}\n[failover]\npromotion_delay = \"0s\"\n[failover.health_check]\ninterval = \"5s\"\n\
         [[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"59999ms\"\n",
        text.replace("duration = \"60s\"", "duration = \"2m\"")
    );
    let r = run(&crash, 1);
    let lost = r.report.metrics.lost_writes as f64;
    let expect = 500.0 * 60.0 + 1500.0 * 0.038;
    assert!(
        (lost / expect - 1.0).abs() < 0.01,
        "lost {lost} expected {expect}"
    );
}

/// A partition between primary and replica stops replication; the stream is
/// resent when it heals: nothing lost, lag peaks at the partition length, and
/// the regions converge.
#[test]
fn partition_then_heal_resends_and_converges() {
    let part = r#"
[[faults]]
kind = "partition"
between = ["a", "b"]
at = "30s"
duration = "30s"
"#;
    let extra = format!("{}{part}", workload(1000, "constant", "0ms"));
    let r = run(&two_plus_checker("38ms", &extra), 1);
    let m = &r.report.metrics;
    assert_eq!(m.lost_writes, 0);
    assert!(m.converged, "divergent {}", m.divergent_keys);
    let lag = m.replication_lag_us["b"].max;
    // The first write cut off (just before 30 s - 38 ms) is resent at 60 s.
    assert!((30_000_000..30_100_000).contains(&lag), "lag {lag}");
    assert_eq!(m.availability, 1.0);
}

/// A recovered old primary rejoins as a replica and discards its orphaned
/// writes: the end state converges and the ledger keeps what was lost.
#[test]
fn recovered_primary_rejoins_and_converges() {
    let outage = r#"
[[faults]]
kind = "region-outage"
region = "a"
at = "60s"
duration = "60s"
"#;
    let extra = format!("{}{FAILOVER}{outage}", workload(1000, "constant", "0ms"));
    let r = run(&two_plus_checker("38ms", &extra), 1);
    let m = &r.report.metrics;
    assert!((37..=39).contains(&m.lost_writes), "lost {}", m.lost_writes);
    assert!(m.converged, "divergent {}", m.divergent_keys);
    assert!(first_at(&r, |h| matches!(h, Happening::Rejoined { region, primary, .. } if region == "a" && primary == "b")).is_some());
    assert!(m.replication_lag_us.contains_key("a"));
}

/// A one-way partition (direction = "forward", first to second only) stops
/// replication a -> b but not b -> a traffic; a latency fault adds its extra
/// to every replication message sent during it (FIFO: later ones queue behind).
#[test]
fn forward_partition_and_latency_fault_shape_the_lag() {
    let fwd = |dir: &str, between: &str| {
        format!(
            "{}[[faults]]\nkind = \"partition\"\nbetween = {between}\nat = \"30s\"\nduration = \"20s\"\ndirection = \"{dir}\"\n",
            workload(1000, "constant", "0ms")
        )
    };
    // a -> b cut: the first write cut off waits for the heal, 20 s later.
    let r = run(
        &two_plus_checker("38ms", &fwd("forward", "[\"a\", \"b\"]")),
        1,
    );
    let lag = r.report.metrics.replication_lag_us["b"].max;
    assert!((20_000_000..20_100_000).contains(&lag), "lag {lag}");
    assert!(r.report.metrics.converged);
    // b -> a cut: replication from a to b does not notice.
    let r = run(
        &two_plus_checker("38ms", &fwd("forward", "[\"b\", \"a\"]")),
        1,
    );
    assert_eq!(r.report.metrics.replication_lag_us["b"].max, 39_000);

    let slow = format!(
        "{}[[faults]]\nkind = \"latency\"\nbetween = [\"a\", \"b\"]\nat = \"30s\"\nduration = \"10s\"\nadd = \"400ms\"\n",
        workload(1000, "constant", "0ms")
    );
    let r = run(&two_plus_checker("38ms", &slow), 1);
    let lag = r.report.metrics.replication_lag_us["b"];
    assert_eq!(lag.max, 439_000, "38 ms + 400 ms + 1 ms replica commit");
    // Writes sent just after the window still queue behind the slow ones.
    let series = &r.series.lag_max_us["b"];
    assert_eq!(series[35], 439_000);
    assert_eq!(series[45], 39_000);
}

/// DNS propagation delays the answer change by exactly `propagation` after
/// the health decision.
#[test]
fn dns_propagation_delays_the_answer() {
    let prop = FAILOVER.replace("ttl = \"60s\"", "ttl = \"60s\"\npropagation = \"7s\"");
    let extra = format!("{}{prop}{OUTAGE_A_60S}", workload(1000, "poisson", "2ms"));
    let r = run(&two_plus_checker("38ms", &extra), 2);
    let decided = first_at(&r, |h| matches!(h, Happening::FailoverDecided { .. })).unwrap();
    let answered = first_at(
        &r,
        |h| matches!(h, Happening::DnsAnswers { target, .. } if target == "b"),
    )
    .unwrap();
    assert_eq!(answered - decided, 7_000_000);
    let last_moved = first_at(&r, |h| {
        matches!(
            h,
            Happening::ClientsMoved {
                how: Move::DnsHonest,
                ..
            }
        )
    })
    .unwrap();
    assert!(last_moved >= answered && last_moved <= answered + 60_000_000);
}
