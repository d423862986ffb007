//! Multi-primary (active-active) against closed forms (published-behaviour.md
//! E-C1, I-C1, the CRDT guarantees): conflicts decided by version vectors,
//! last-writer-wins with skewed clocks, CRDT counters, anti-entropy, and DNS
//! answering each client its nearest healthy region.

mod common;
use common::*;

/// Regions a and b, 40 ms apart, writing alternately (constant arrivals, two
/// populations of equal share): consecutive writes are 1/rate apart.
fn pair(rate: u32, keys: u32, resolution: &str, extra: &str) -> String {
    format!(
        r#"
name = "mp"
duration = "60s"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[links]]
between = ["a", "b"]
latency = "40ms"
[workload]
writes_per_sec = {rate}
arrival = "constant"
keys = {keys}
client_access_latency = "0ms"
[[workload.clients]]
region = "a"
share = 0.5
[[workload.clients]]
region = "b"
share = 0.5
[replication]
topology = "multi-primary"
[conflicts]
resolution = "{resolution}"
{extra}
"#
    )
}

/// E-C1: two regions writing one key with phase offset d conflict exactly when
/// d is shorter than the one-way lag L (40 ms + 1 ms commit).
#[test]
fn one_key_conflicts_exactly_when_the_offset_is_below_the_lag() {
    // 1/rate = 30 ms < L: every write meets the other side's previous write.
    let r = run(&pair(33, 1, "lww", ""), 1);
    let m = &r.report.metrics;
    assert!(m.conflicts > 1000, "conflicts {}", m.conflicts);
    // 1/rate = 50 ms > L: every write has seen the other side's last one.
    let r = run(&pair(20, 1, "lww", ""), 1);
    let m = &r.report.metrics;
    assert_eq!((m.conflicts, m.lww_discarded), (0, 0));
    assert!(m.converged);
}

/// I-C1: a partition during which both sides write the same keys ends
/// converged, nothing lost to durability, and one discarded write per key
/// (the tip of the losing side), not every write of that side.
#[test]
fn partition_ends_converged_with_one_discard_per_key() {
    // Writes stop at 60 s; the partition (30 s .. 70 s) heals after them.
    let part = "[[faults]]\nkind = \"partition\"\nbetween = [\"a\", \"b\"]\nat = \"30s\"\nduration = \"40s\"\n";
    let r = run(&pair(10, 10, "lww", part), 1);
    let m = &r.report.metrics;
    assert!(m.converged, "divergent {}", m.divergent_keys);
    assert_eq!(m.lost_writes, 0);
    assert_eq!(m.availability, 1.0, "AP: both sides keep accepting writes");
    assert_eq!(m.lww_discarded, 10);
    assert_eq!(m.lww_inversions, 0, "clocks agree: the later write wins");
    // Every write of one side met the other side's tip in each region.
    assert!(m.conflicts >= 20);
}

/// CRDT counter: nothing is discarded; every region's final value equals the
/// number of acknowledged increments.
#[test]
fn crdt_counter_holds_every_acknowledged_increment() {
    let part = "[[faults]]\nkind = \"partition\"\nbetween = [\"a\", \"b\"]\nat = \"20s\"\nduration = \"20s\"\n";
    for res in ["crdt-counter", "crdt-set"] {
        let r = run(&pair(33, 5, res, part), 2);
        let m = &r.report.metrics;
        assert_eq!(m.lww_discarded, 0);
        assert!(m.conflicts > 0);
        assert!(m.converged);
        assert_eq!(m.crdt_totals.len(), 2);
        for (region, total) in &m.crdt_totals {
            assert_eq!(*total, m.acknowledged_writes, "{res} in {region}");
        }
    }
}

/// LWW with a clock running ahead by more than the write spacing: a region's
/// write that causally follows the other's is rejected for its smaller
/// timestamp; every such discard is an inversion. Without skew: none.
#[test]
fn a_clock_ahead_of_the_write_spacing_causes_inversions() {
    let clean = run(&pair(10, 1, "lww", ""), 1);
    assert_eq!(clean.report.metrics.lww_discarded, 0);
    // b's clock 150 ms ahead; writes alternate 100 ms apart (> lag 41 ms).
    let skew =
        "[[faults]]\nkind = \"clock-skew\"\nregion = \"b\"\nat = \"0s\"\noffset = \"+150ms\"\n";
    let r = run(&pair(10, 1, "lww", skew), 1);
    let m = &r.report.metrics;
    assert!(m.lww_discarded > 100, "discarded {}", m.lww_discarded);
    assert_eq!(m.lww_inversions, m.lww_discarded);
    assert_eq!(m.conflicts, 0, "causally ordered writes are not concurrent");
}

/// Anti-entropy: when a region is lost, survivors exchange what each received
/// from it, so only what reached no survivor is lost.
#[test]
fn anti_entropy_keeps_what_any_survivor_received() {
    let text = r#"
name = "ae"
duration = "60s"
drain = "1m"
[[regions]]
name = "a"
[[regions]]
name = "b"
[[regions]]
name = "c"
[[links]]
between = ["a", "b"]
latency = "10ms"
[[links]]
between = ["a", "c"]
latency = "100ms"
[[links]]
between = ["b", "c"]
latency = "10ms"
[workload]
writes_per_sec = 1000
arrival = "constant"
keys = 1000
client_access_latency = "0ms"
[[workload.clients]]
region = "a"
share = 1.0
[replication]
topology = "multi-primary"
[[faults]]
kind = "region-outage"
region = "a"
at = "30s"
"#;
    let r = run(text, 1);
    let m = &r.report.metrics;
    // Only the writes on the wire to b (10 ms) are lost, not the 100 ms to c.
    assert!((9..=11).contains(&m.lost_writes), "lost {}", m.lost_writes);
    assert!(m.converged, "b and c agree after anti-entropy");
    assert!(first_at(
        &r,
        |h| matches!(h, Happening::AntiEntropy { region, .. } if region == "c")
    )
    .is_some());
}

/// DNS for multi-primary answers each client region its nearest healthy
/// region; clients of a dark region move within detection + TTL, no promotion.
#[test]
fn dns_moves_clients_to_their_nearest_healthy_region() {
    let f = "[failover]\n[failover.health_check]\ninterval = \"10s\"\nfailure_threshold = 3\ntimeout = \"2s\"\n\
             [failover.dns]\nttl = \"30s\"\n[[faults]]\nkind = \"region-outage\"\nregion = \"a\"\nat = \"20s\"\n";
    let text = pair(100, 100, "lww", f)
        .replace("arrival = \"constant\"", "arrival = \"poisson\"")
        .replace("duration = \"60s\"", "duration = \"3m\"");
    let r = run(&text, 3);
    let inc = &r.report.incidents[0];
    let d = first_at(&r, unhealthy("a")).unwrap() - 20_000_000;
    assert!((26_000_000..38_000_000).contains(&d), "detection {d}");
    let rto = inc.rto_us.unwrap();
    // The last client moves within detection + TTL; a request it sent just
    // before moving fails at its 2 s timeout, so it is back within one more.
    assert!(
        rto >= d && rto <= d + 30_000_000 + 2_000_000 + 100_000,
        "rto {rto}"
    );
    assert!(first_at(&r, |h| {
        matches!(h, Happening::DnsAnswers { target, clients_in } if target == "b" && clients_in == "a")
    }).is_some());
    assert!(first_at(&r, Happening::is_takeover).is_none());
    // b's own clients never noticed.
    assert_eq!(r.report.metrics.availability_by_region["b"], 1.0);
}

/// The shipped CRDT scenario (three regions, a partition): every region ends
/// holding every acknowledged increment, including those that reached it only
/// through a region on the other side.
#[test]
fn shipped_crdt_counter_scenario_holds_every_increment_everywhere() {
    let s = regionsim::scenario::load_path(std::path::Path::new("scenarios/aa-crdt-counter.toml"))
        .unwrap();
    let r = regionsim::model::simulate(&s, s.seed, regionsim::model::Bounds::default()).unwrap();
    let m = &r.report.metrics;
    assert!(m.converged);
    assert_eq!(m.crdt_totals.len(), 3);
    for (region, total) in &m.crdt_totals {
        assert_eq!(*total, m.acknowledged_writes, "{region}");
    }
}
