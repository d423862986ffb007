//! The result of one run: the report document (serialised as report.json) and
//! the series and ledgers that the other report files are drawn from.

use serde::Serialize;

use super::happening::{Bound, Happening, Kind};
use std::collections::BTreeMap;

/// Everything a run produced. `report` is the JSON document of metrics.md.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    pub report: Report,
    /// The lost-write ledger (lost_writes.csv), in commit order.
    pub lost_writes: Vec<LostWrite>,
    /// Per-second series for the charts.
    pub series: Series,
}

/// report.json, exactly. Field order is the output order.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub scenario_sha256: String,
    pub regionsim_version: String,
    pub duration_us: u64,
    pub drain_us: u64,
    pub metrics: Metrics,
    pub incidents: Vec<Incident>,
    pub budgets: Vec<BudgetOutcome>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Metrics {
    /// Worst RPO over incidents (0 when nothing was lost).
    pub rpo_us: u64,
    /// Worst RTO over incidents; `null` when some client never recovered.
    pub rto_us: Option<u64>,
    pub rto_p50_us: Option<u64>,
    pub rto_p99_us: Option<u64>,
    /// Worst over incidents of the RTO measured the client-monitor way (at
    /// the first unimpaired acknowledgement after the last impaired request).
    pub rto_observed_us: Option<u64>,
    /// Worst over incidents, measured from the incident start; `null` when never restored.
    pub service_restored_us: Option<u64>,
    /// Worst over incidents: how long two or more regions accepted writes
    /// for the same data as its writer.
    pub split_brain_us: u64,
    /// Acknowledged writes accepted by a writer that had been deposed.
    pub split_brain_writes: u64,
    /// Acknowledged writes that existed only on a region whose history was
    /// set aside at a failover.
    pub orphaned_writes: u64,
    /// Of those, how many are in the final state.
    pub orphans_surviving: u64,
    pub lost_writes: u64,
    pub acknowledged_writes: u64,
    pub failed_writes: u64,
    pub attempted_writes: u64,
    pub conflicts: u64,
    /// Conflicts per region where they were met.
    pub conflicts_by_region: BTreeMap<String, u64>,
    pub lww_discarded: u64,
    pub lww_inversions: u64,
    /// CRDTs: per live region, the sum over keys of the merged increments
    /// (counter) or elements (set); empty otherwise.
    pub crdt_totals: BTreeMap<String, u64>,
    /// Semi-sync: times the primary fell back to async, and time spent so.
    pub semi_sync_fallbacks: u64,
    pub semi_sync_degraded_us: u64,
    /// Succeeded requests / attempted requests, reads included (1.0 when
    /// nothing was attempted).
    pub availability: f64,
    /// Availability per client region (by region name).
    pub availability_by_region: BTreeMap<String, f64>,
    pub write_latency_us: Percentiles,
    /// Reads, flattened into this object; absent when the workload has none.
    #[serde(flatten)]
    pub reads: Option<ReadMetrics>,
    /// Per replica region: commit at origin to apply at the replica.
    pub replication_lag_us: BTreeMap<String, LagStats>,
    pub converged: bool,
    pub divergent_keys: u64,
    pub cross_region_bytes: u64,
    /// Per link, named `"a<->b"` in the order of the scenario's `links`.
    pub cross_region_bytes_by_link: BTreeMap<String, u64>,
    /// `cross_region_bytes` priced with `[cost] transfer_per_gb` (GB = 1e9 bytes).
    pub transfer_cost: Option<f64>,
    pub residency_violations: u64,
    /// Per `[[residency]]` range (then the unpinned rest): what its writes
    /// saw. Absent without residency rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub residency: Vec<super::RangeFigures>,
    pub events: u64,
    /// Digest of the processed events (time, kind) in order, hex (engine::sim::fold).
    pub events_digest: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50: u64,
    pub p95: u64,
    pub p99: u64,
    pub max: u64,
}

/// What the reads saw (metrics.md `stale_reads` and `read_latency`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ReadMetrics {
    /// Reads issued (attempted requests, counted in `availability`).
    pub reads: u64,
    /// Reads with no answer within `request_timeout`.
    pub failed_reads: u64,
    /// Answered reads that returned an older version of the key than the
    /// newest write whose acknowledgement had reached its client.
    pub stale_reads: u64,
    /// stale_reads / answered reads (0 when none was answered).
    pub stale_read_ratio: f64,
    /// Of answered reads, as the client saw them (access latency included).
    pub read_latency_us: Percentiles,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LagStats {
    pub p50: u64,
    pub p99: u64,
    pub max: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Incident {
    pub start_us: u64,
    /// When the last overlapping fault ended; `null` when it never did.
    pub end_us: Option<u64>,
    pub cause: String,
    pub rpo_us: u64,
    pub rto_us: Option<u64>,
    pub rto_p50_us: Option<u64>,
    pub rto_p99_us: Option<u64>,
    /// The RTO as a client-side monitor measures it: at the acknowledgement of
    /// the first unimpaired request each affected client issued after its last
    /// impaired one (clients that issued none are left out).
    pub rto_observed_us: Option<u64>,
    /// The affected clients' mean gap between requests: the sampling error
    /// of `rto_observed_us`.
    pub mean_request_gap_us: u64,
    /// From `start_us` until a region was again accepting writes for the data
    /// the failed region served; `null` when that never happened.
    pub service_restored_us: Option<u64>,
    pub lost_writes: u64,
    /// Clients with an impaired write request in the incident (failed,
    /// needed a failed attempt, or slower than `slow_request`).
    pub affected_clients: u64,
    /// Of those, clients whose route was never restored before the end.
    pub unrecovered_clients: u64,
    /// Of the restored ones, clients that issued no request afterwards
    /// (restored, not "not recovered").
    pub silent_clients: u64,
    /// How long two or more regions accepted writes for the same data.
    pub split_brain_us: u64,
    /// Acknowledged writes accepted by a deposed writer in this incident.
    pub split_brain_writes: u64,
    /// A split brain still open at the end of the run.
    pub split_brain_unresolved: bool,
    /// Acknowledged writes set aside at a failover in this incident, and how
    /// many of them are in the final state.
    pub orphaned_writes: u64,
    pub orphans_surviving: u64,
    /// Why a figure is `null`, when one is.
    pub note: Option<String>,
    /// Where the RTO went; `null` when there is no RTO to split.
    pub rto_breakdown: Option<RtoBreakdown>,
    /// The slowest client's critical path, segment by segment (sums to the RTO).
    pub rto_path: Vec<RtoSegment>,
    /// Analytic estimates shown beside the measured figures, labelled as such.
    pub estimates: Vec<Estimate>,
    pub timeline: Vec<TimelineEntry>,
}

/// The slowest client's RTO split by what blocked it; the phases sum to
/// `rto_us` (metrics.md, "Where the RTO went").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RtoBreakdown {
    /// Incident start until the decision that acted on it (the health
    /// checks' verdict; client-side: the client's first failed attempt).
    pub detection_us: u64,
    /// Only waiting for the new writer to take over.
    pub promotion_us: u64,
    /// Only waiting for the client's route (DNS answer and cache, anycast).
    pub routing_us: u64,
    /// Waiting for both the promotion and the route: shortening either
    /// alone gains nothing here.
    pub overlapped_us: u64,
    /// Waiting for the fault itself to end (no failover acted): a region
    /// recovering, a partition healing.
    pub outage_us: u64,
    /// The client's own tail: a client library's timeout, backoff and retry,
    /// or an impaired request issued after the route was fixed.
    pub client_tail_us: u64,
}

impl RtoBreakdown {
    /// The sum of the phases (the RTO it splits).
    pub fn total(&self) -> u64 {
        self.detection_us
            + self.promotion_us
            + self.routing_us
            + self.overlapped_us
            + self.outage_us
            + self.client_tail_us
    }

    /// The phases' totals over a critical path.
    pub fn from_path(path: &[RtoSegment]) -> Self {
        let mut b = RtoBreakdown::default();
        for s in path {
            let d = s.to_us - s.from_us;
            match s.phase {
                Phase::Detection => b.detection_us += d,
                Phase::Promotion => b.promotion_us += d,
                Phase::Routing => b.routing_us += d,
                Phase::Overlapped => b.overlapped_us += d,
                Phase::Outage => b.outage_us += d,
                Phase::ClientTail => b.client_tail_us += d,
            }
        }
        b
    }
}

/// What blocked the slowest client during a segment of its RTO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Detection,
    Promotion,
    Routing,
    Overlapped,
    Outage,
    ClientTail,
}

/// One segment of the critical path: [from, to) in µs since the run start,
/// the phase blocking the client, and the typed event that ended it (if one did).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RtoSegment {
    pub phase: Phase,
    pub from_us: u64,
    pub to_us: u64,
    /// Serialised as its sentence (rendered by `report`).
    pub ended_by: Option<Happening>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    /// Which closed form (serialised as its description, rendered by `report`).
    pub what: Bound,
    pub value_us: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at_us: u64,
    /// What happened (serialised as its sentence, rendered by `report`).
    #[serde(rename = "what")]
    pub event: Happening,
    /// fault, recovery, health, decision, promotion, dns, routing, rejoin, replication.
    pub kind: Kind,
    /// The region the entry concerns (for routing: the client region), if one.
    pub region: Option<String>,
}

impl TimelineEntry {
    /// An entry for `event` at `at_us`, grouped by the event's own kind.
    pub fn new(at_us: u64, event: Happening, region: Option<String>) -> Self {
        TimelineEntry {
            at_us,
            kind: event.kind(),
            event,
            region,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct BudgetOutcome {
    pub metric: String,
    /// The limit as written in the scenario (`"2m"`).
    pub limit: String,
    /// The figure in the limit's style (`"89.5s"`).
    pub actual: String,
    /// The limit as a number in `unit`.
    pub limit_value: super::Sample,
    /// The figure as a number in `unit`; `null` when unbounded.
    pub actual_value: super::Sample,
    /// `us`, `count` or `share` (from the metric catalogue).
    pub unit: &'static str,
    pub ok: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostWrite {
    pub id: u64,
    pub key: u32,
    pub region: String,
    pub commit_us: u64,
    /// Index into `Report::incidents`.
    pub incident: usize,
}

/// Per-second series (bucket i covers [i s, i+1 s)).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Series {
    /// Per client region: (succeeded, attempted) requests per second.
    pub requests: BTreeMap<String, Vec<(u64, u64)>>,
    /// Per replica region: the largest replication lag applied in each second (µs).
    pub lag_max_us: BTreeMap<String, Vec<u64>>,
    /// Fault windows: (start, end or run end, label).
    pub fault_windows: Vec<(u64, u64, String)>,
    /// Every timeline entry of the run, in time order (incident timelines are
    /// the slices of it that fall in each incident).
    pub timeline: Vec<TimelineEntry>,
    /// Region names, in scenario order (trace tracks).
    pub regions: Vec<String>,
    /// Coarse CDF of acknowledged write latency: (latency µs, share of writes
    /// at or below it), increasing in both; the last share is 1.
    pub latency_cdf: Vec<(u64, f64)>,
    /// Per region that served any: acknowledged writes it served, per second
    /// of their issue.
    pub writes_served: BTreeMap<String, Vec<u64>>,
    /// Per client region whose clients read: (stale, answered) reads per
    /// second of issue. Empty when the workload has no reads.
    pub reads: BTreeMap<String, Vec<(u64, u64)>>,
    /// Length of the run (duration + drain) in whole seconds, rounded up.
    pub seconds: u64,
}
