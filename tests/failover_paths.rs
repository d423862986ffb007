//! Every failover path on one world against its closed form
//! (published-behaviour.md E-D1..E-D4, I-D2, I-D3, E-R1, E-R2): health-check
//! detection, partial partitions, TTL-ignoring resolvers, anycast, client-side
//! failover, split brain with discard and reconcile.

mod common;
use common::*;

/// Primary a, replica b, extra regions c..f (checkers); clients in `clients`.
fn world(clients: &str, failover: &str, faults: &str) -> String {
    format!(
        r#"
name = "paths"
duration = "6m"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "c"
[[regions]]
name = "d"
[[regions]]
name = "e"
[[regions]]
name = "f"
{links}
[workload]
writes_per_sec = 1000
keys = 10000
client_access_latency = "1ms"
request_timeout = "1s"
[[workload.clients]]
region = "{clients}"
share = 1.0
count = 100
[replication]
primary = "a"
replicas = ["b"]
{failover}
{faults}
"#,
        links = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .enumerate()
            .flat_map(|(i, x)| {
                ["a", "b", "c", "d", "e", "f"][i + 1..]
                    .iter()
                    .map(move |y| {
                        let l = if (*x, *y) == ("a", "b") {
                            "38ms"
                        } else {
                            "10ms"
                        };
                        format!("[[links]]\nbetween = [\"{x}\", \"{y}\"]\nlatency = \"{l}\"\n")
                    })
            })
            .collect::<String>()
    )
}

const CRASH_A: &str = "[[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"1m\"\n";

/// E-D1 at Route 53 defaults (30 s interval, threshold 3, 4 s timeout, 82%
/// of checkers): detection lies in [72 s, 106 s) after the crash.
#[test]
fn route53_default_detection_bounds() {
    let f = "[failover]\n[failover.health_check]\ninterval = \"30s\"\nfailure_threshold = 3\ntimeout = \"4s\"\nunhealthy_share = 0.82\n";
    for seed in 0..5 {
        let r = run(&world("c", f, CRASH_A), seed);
        let d = first_at(&r, unhealthy("a")).expect("detected") - 60_000_000;
        assert!(
            (72_000_000..106_000_000).contains(&d),
            "seed {seed}: detection {d}"
        );
        let b = r.report.incidents[0].rto_breakdown.expect("breakdown");
        assert_eq!(b.detection_us, d);
        let sum = b.total();
        assert_eq!(Some(sum), r.report.incidents[0].rto_us);
    }
}

/// I-D3 / R4: a partition that hides the primary from fewer than 82% of its
/// checkers does not fail it over; hiding it from all of them does.
#[test]
fn partial_partition_below_the_share_does_not_fail_over() {
    let f = "[failover]\n[failover.health_check]\ninterval = \"10s\"\nunhealthy_share = 0.82\n";
    // a's checkers are b, c, d, e, f: 4 of 5 = 80% <= 82%.
    let four = "[[faults]]\nkind = \"partition\"\nsides = [[\"a\"], [\"c\", \"d\", \"e\", \"f\"]]\nat = \"1m\"\nduration = \"3m\"\n";
    let r = run(&world("c", f, four), 1);
    assert!(first_at(&r, unhealthy("a")).is_none());
    assert!(first_at(&r, Happening::is_takeover).is_none());
    let all = "[[faults]]\nkind = \"partition\"\nsides = [[\"a\"], [\"b\", \"c\", \"d\", \"e\", \"f\"]]\nat = \"1m\"\nduration = \"3m\"\n";
    let r = run(&world("c", f, all), 1);
    assert!(first_at(&r, promoted("b")).is_some());
}

/// E-D3: a share v of clients behind TTL-ignoring resolvers keeps the old
/// answer `stale_extra` longer: the tail grows by stale_extra, the median barely moves.
#[test]
fn stale_resolvers_make_the_tail_not_the_median() {
    let base =
        "[failover]\npromotion_delay = \"0s\"\n[failover.health_check]\ninterval = \"10s\"\n\
                timeout = \"2s\"\n[failover.dns]\nttl = \"60s\"\n";
    let stale = format!("{base}stale_fraction = 0.1\nstale_extra = \"2m\"\n");
    let honest = run(&world("c", base, CRASH_A), 4);
    let tail = run(&world("c", &stale, CRASH_A), 4);
    let (h, s) = (&honest.report.incidents[0], &tail.report.incidents[0]);
    let d = first_at(&honest, unhealthy("a")).unwrap() - 60_000_000;
    // Honest: everyone within detection + TTL (+ a write gap).
    assert!(h.rto_us.unwrap() <= d + 61_000_000);
    // Each client is stale with probability 0.1 (about 10 of 100), and a stale
    // client's cache refreshes every TTL + extra = 180 s at a uniform phase, so it
    // moves within [D, D + TTL + extra] after the flip (the honest ones within
    // [D, D + TTL]). Hence: p99 and max never beyond D + TTL + extra (+ a write gap);
    // the max beyond every honest client (it fails only if all ~10 stale clients
    // refreshed within TTL of the flip: about (1/3)^10). (An earlier version also
    // required p99 >= D + extra: that holds only when the second-latest stale
    // client's phase lands in the last third, false for 7 of seeds 0..40.)
    for v in [s.rto_p99_us.unwrap(), s.rto_us.unwrap()] {
        assert!(v <= d + 181_000_000, "{v}");
    }
    assert!(s.rto_us.unwrap() > d + 61_000_000, "{:?}", s.rto_us);
    // The median moves by much less than the extra (the honest 90% hold it).
    let shift = s.rto_p50_us.unwrap().abs_diff(h.rto_p50_us.unwrap());
    assert!(shift < 15_000_000, "median moved {shift}");
}

/// E-D4: anycast moves the clients of a dark region to the next-nearest one
/// after one convergence sample; no TTL applies.
#[test]
fn anycast_rto_is_the_convergence_time() {
    // Clients sit in b (the replica): their anycast entry is b, which forwards
    // writes to a. When b goes dark they need only a new route.
    let f = "[failover]\nrouting = \"anycast\"\n[failover.anycast]\nconvergence = \"5s\"\n";
    let down_b =
        "[[faults]]\nkind = \"region-outage\"\nregion = \"b\"\nat = \"1m\"\nduration = \"2m\"\n";
    let r = run(&world("b", f, down_b), 1);
    let inc = &r.report.incidents[0];
    let rto = inc.rto_us.unwrap();
    // The route moves after 5 s (dated by the first 100 ms probe after it);
    // neither the last request's timeout nor the client's next write adds.
    assert!((5_000_000..=5_100_000).contains(&rto), "rto {rto}");
    // Nobody is back before the route moves.
    assert!(inc.rto_p50_us.unwrap() >= 5_000_000);
    assert!(first_at(&r, |h| {
        matches!(h, Happening::ClientsMoved { region, how: Move::Anycast, .. } if region == "b")
    })
    .is_some());
    assert_eq!(r.report.metrics.lost_writes, 0);
    let b = inc.rto_breakdown.unwrap();
    assert!(
        (4_900_000..5_100_000).contains(&b.routing_us),
        "routing {}",
        b.routing_us
    );
    // A distribution: each client its own sample; the RTO follows the largest.
    let g = f.replace(
        "\"5s\"",
        "{ dist = \"uniform\", min = \"2s\", max = \"8s\" }",
    );
    let r = run(&world("b", &g, down_b), 1);
    let inc = &r.report.incidents[0];
    let rto = inc.rto_us.unwrap();
    // The largest of 100 uniform samples in [2, 8] s: above 7.8 s with
    // probability 1 - 0.967^100 > 0.96, at most 8 s + a probe.
    assert!((7_500_000..=8_100_000).contains(&rto), "rto {rto}");
    let p50 = inc.rto_p50_us.unwrap();
    assert!((4_500_000..7_800_000).contains(&p50), "p50 {p50}");
}

/// E-R2: client-side failover. A request whose remembered endpoint is dead
/// takes one request timeout, the first backoff and one round trip to the next
/// endpoint: with constant links and no jitter, exactly 1 s + 100 ms + 23 ms.
/// Once a writer exists again, every client is back within that span (plus
/// the gap to its next write). Two attempts, so that no request can succeed on
/// a third attempt after another request taught its client the new endpoint.
#[test]
fn client_side_rto_is_timeout_plus_backoff_plus_round_trip() {
    let f = "[failover]\nrouting = \"client\"\npromotion_delay = \"0s\"\n[failover.health_check]\ninterval = \"5s\"\n\
             failure_threshold = 2\ntimeout = \"1s\"\n[failover.client]\nendpoints = [\"a\", \"b\"]\nmax_attempts = 2\n\
             backoff = { base = \"100ms\", cap = \"2s\", jitter = \"none\" }\n";
    let r = run(&world("c", f, CRASH_A), 1);
    // Attempt 2 at b: access 1 ms + c->b 10 ms + commit 1 ms + 10 ms + 1 ms.
    let give_up = 1_000_000 + 100_000 + 23_000;
    let max = r.report.metrics.write_latency_us.max;
    assert_eq!(max, give_up, "slowest successful write");
    let inc = &r.report.incidents[0];
    let after = inc.rto_us.unwrap() - inc.service_restored_us.unwrap();
    assert!(
        after <= give_up + 1_000_000,
        "recovered {after} after the promotion"
    );
    assert!(first_at(&r, promoted("b")).is_some());
    // Async: what was on the wire to b at the crash (~1000/s x 38 ms).
    assert!(r.report.metrics.lost_writes <= 45);
    // Clients remember b: afterwards writes take one round trip again.
    // (Percentiles are the top of a 0.1%-wide histogram bucket.)
    let p50 = r.report.metrics.write_latency_us.p50;
    assert!((23_000..=23_023).contains(&p50), "p50 {p50}");
}

/// Split brain: a partition isolates the primary with its local clients; the
/// checkers fail it over; both sides accept writes. With fencing, the old
/// primary steps down when the partition heals: discarding loses exactly the
/// acknowledged writes it accepted since the partition; reconciling loses none.
#[test]
fn split_brain_discard_loses_the_old_sides_writes_reconcile_none() {
    let part = "[[faults]]\nkind = \"partition\"\nsides = [[\"a\"], [\"b\", \"c\", \"d\", \"e\", \"f\"]]\nat = \"1m\"\nduration = \"2m\"\n";
    let f = |rejoin: &str| {
        format!(
            "[failover]\nfencing = true\non_rejoin = \"{rejoin}\"\npromotion_delay = \"0s\"\n\
             [failover.health_check]\ninterval = \"10s\"\n[failover.dns]\nttl = \"30s\"\n"
        )
    };
    let r = run(&world("a", &f("discard"), part), 1);
    let m = &r.report.metrics;
    assert!(first_at(&r, promoted("b")).is_some());
    assert!(first_at(&r, |h| {
        matches!(h, Happening::Rejoined { region, primary, .. } if region == "a" && primary == "b")
    })
    .is_some());
    assert!(m.lost_writes > 1000, "lost {}", m.lost_writes);
    // Every lost write was accepted by a after the partition cut it off
    // (those on the wire at the cut included), and before the heal.
    assert!(r.lost_writes.iter().all(|l| l.region == "a"
        && l.commit_us >= 60_000_000 - 38_000
        && l.commit_us < 180_000_000));
    assert!(m.converged);

    let r = run(&world("a", &f("reconcile"), part), 1);
    let m = &r.report.metrics;
    assert_eq!(m.lost_writes, 0);
    assert!(m.converged);
    assert!(first_at(&r, |h| {
        matches!(
            h,
            Happening::Rejoined {
                outcome: RejoinOutcome::Reconciled { .. },
                ..
            }
        )
    })
    .is_some());

    // Without fencing the old primary never learns it was deposed: it keeps
    // its writes, the regions stay divergent, and those writes are lost.
    let unfenced = f("discard").replace("fencing = true", "fencing = false");
    let r = run(&world("a", &unfenced, part), 1);
    let m = &r.report.metrics;
    assert!(!m.converged && m.divergent_keys > 0);
    assert!(m.lost_writes > 1000);
    assert!(first_at(&r, |h| matches!(h, Happening::Rejoined { .. })).is_none());
}
