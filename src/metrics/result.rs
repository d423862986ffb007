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
    /// Worst over incidents, measured from the incident start; `null` when never restored.
    pub service_restored_us: Option<u64>,
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
    /// From `start_us` until a region was again accepting writes for the data
    /// the failed region served; `null` when that never happened.
    pub service_restored_us: Option<u64>,
    pub lost_writes: u64,
    /// Clients that saw a failed request during the incident.
    pub affected_clients: u64,
    /// Of those, clients that never had a successful write again.
    pub unrecovered_clients: u64,
    /// Why a figure is `null`, when one is.
    pub note: Option<String>,
    /// Where the RTO went; `null` when there is no RTO to split.
    pub rto_breakdown: Option<RtoBreakdown>,
    /// Analytic estimates shown beside the measured figures, labelled as such.
    pub estimates: Vec<Estimate>,
    pub timeline: Vec<TimelineEntry>,
}

/// An incident's RTO split into consecutive phases; they sum to `rto_us`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RtoBreakdown {
    /// Incident start until the health checks declared the region unhealthy.
    pub detection_us: u64,
    /// Decision until the new primary took writes.
    pub promotion_us: u64,
    /// Until the last client was routed to a working region (DNS TTL, anycast
    /// convergence, client retries).
    pub routing_us: u64,
    /// The rest: until the last affected client had a successful write.
    pub client_tail_us: u64,
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
    /// Length of the run (duration + drain) in whole seconds, rounded up.
    pub seconds: u64,
}
