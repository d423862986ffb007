//! The rows of the metric catalogue (see `catalogue.rs` for what each field means).

use super::{Better, Display, Metric, Needs, Unit};
use crate::metrics::Sample;

/// A catalogue row with the common defaults: no budget, needs nothing, no
/// sweep column or chart, a resolution of one (one µs, one thing, one byte).
const fn row(name: &'static str, title: &'static str, unit: Unit, better: Better) -> Metric {
    Metric {
        name,
        title,
        unit,
        display: match unit {
            Unit::Us => Display::Secs,
            Unit::Share => Display::Share,
            Unit::Count | Unit::Bytes => Display::Plain,
        },
        better,
        budget: None,
        needs: Needs::Nothing,
        json: &[],
        column: None,
        sweep_chart: false,
        resolution: match unit {
            // Reports show durations to the millisecond and shares to 6 decimals.
            Unit::Us => 1000.0,
            Unit::Share => 1e-6,
            Unit::Count | Unit::Bytes => 1.0,
        },
        read: |_| Sample::Unbounded,
    }
}

const fn opt(v: Option<u64>) -> Sample {
    match v {
        Some(x) => Sample::Int(x),
        None => Sample::Unbounded,
    }
}

use Better::{Higher, Lower, Neither};
use Unit::{Bytes, Count, Share, Us};

/// Every metric, in output order (budgets, check rows, baseline rows, sweep columns).
pub const CATALOGUE: &[Metric] = &[
    Metric {
        budget: Some("Ceiling on the worst incident's RPO."),
        json: &["rpo_us"],
        column: Some("rpo_us"),
        sweep_chart: true,
        read: |m| Sample::Int(m.rpo_us),
        ..row("rpo", "RPO", Us, Lower)
    },
    Metric {
        budget: Some("Ceiling on the worst RTO."),
        json: &["rto_us"],
        column: Some("rto_us"),
        sweep_chart: true,
        read: |m| opt(m.rto_us),
        ..row("rto", "RTO", Us, Lower)
    },
    Metric {
        budget: Some("Ceiling on the RTO p50."),
        json: &["rto_p50_us"],
        column: Some("rto_p50_us"),
        read: |m| opt(m.rto_p50_us),
        ..row("rto_p50", "RTO p50", Us, Lower)
    },
    Metric {
        budget: Some("Ceiling on the RTO p99."),
        json: &["rto_p99_us"],
        column: Some("rto_p99_us"),
        read: |m| opt(m.rto_p99_us),
        ..row("rto_p99", "RTO p99", Us, Lower)
    },
    Metric {
        budget: Some("Ceiling on the RTO as a client-side monitor measures it (at acknowledgements)."),
        json: &["rto_observed_us"],
        column: Some("rto_observed_us"),
        read: |m| opt(m.rto_observed_us),
        ..row("rto_observed", "RTO observed", Us, Lower)
    },
    Metric {
        json: &["service_restored_us"],
        column: Some("service_restored_us"),
        read: |m| opt(m.service_restored_us),
        ..row("service_restored", "Service restored", Us, Lower)
    },
    Metric {
        budget: Some("Ceiling on how long two or more regions accepted writes for the same data as its writer."),
        json: &["split_brain_us"],
        column: Some("split_brain_us"),
        read: |m| Sample::Int(m.split_brain_us),
        ..row("split_brain", "Split brain", Us, Lower)
    },
    Metric {
        json: &["split_brain_writes"],
        column: Some("split_brain_writes"),
        read: |m| Sample::Int(m.split_brain_writes),
        ..row("split_brain_writes", "Split-brain writes", Count, Lower)
    },
    Metric {
        json: &["orphaned_writes"],
        column: Some("orphaned_writes"),
        read: |m| Sample::Int(m.orphaned_writes),
        ..row("orphaned_writes", "Orphaned writes", Count, Lower)
    },
    Metric {
        json: &["orphans_surviving"],
        column: Some("orphans_surviving"),
        read: |m| Sample::Int(m.orphans_surviving),
        ..row("orphans_surviving", "Orphans surviving", Count, Neither)
    },
    Metric {
        budget: Some("Ceiling on acknowledged writes lost."),
        json: &["lost_writes"],
        column: Some("lost_writes"),
        sweep_chart: true,
        read: |m| Sample::Int(m.lost_writes),
        ..row("lost_writes", "Lost writes", Count, Lower)
    },
    Metric {
        json: &["acknowledged_writes"],
        column: Some("acknowledged_writes"),
        read: |m| Sample::Int(m.acknowledged_writes),
        ..row("acknowledged_writes", "Acknowledged writes", Count, Neither)
    },
    Metric {
        json: &["failed_writes"],
        column: Some("failed_writes"),
        read: |m| Sample::Int(m.failed_writes),
        ..row("failed_writes", "Failed writes", Count, Lower)
    },
    Metric {
        budget: Some("Ceiling on concurrent-write meetings; needs topology \"multi-primary\"."),
        needs: Needs::MultiPrimary,
        json: &["conflicts"],
        column: Some("conflicts"),
        read: |m| Sample::Int(m.conflicts),
        ..row("conflicts", "Conflicts", Count, Lower)
    },
    Metric {
        budget: Some("Ceiling on writes discarded by last-writer-wins; needs topology \"multi-primary\"."),
        needs: Needs::MultiPrimary,
        json: &["lww_discarded"],
        column: Some("lww_discarded"),
        read: |m| Sample::Int(m.lww_discarded),
        ..row("lww_discarded", "LWW discarded", Count, Lower)
    },
    Metric {
        display: Display::Millis,
        budget: Some("Ceiling on the write latency p50."),
        json: &["write_latency_us", "p50"],
        column: Some("write_latency_p50_us"),
        read: |m| Sample::Int(m.write_latency_us.p50),
        ..row("write_latency_p50", "Write latency p50", Us, Lower)
    },
    Metric {
        display: Display::Millis,
        json: &["write_latency_us", "p95"],
        column: Some("write_latency_p95_us"),
        read: |m| Sample::Int(m.write_latency_us.p95),
        ..row("write_latency_p95", "Write latency p95", Us, Lower)
    },
    Metric {
        display: Display::Millis,
        budget: Some("Ceiling on the write latency p99."),
        json: &["write_latency_us", "p99"],
        column: Some("write_latency_p99_us"),
        sweep_chart: true,
        read: |m| Sample::Int(m.write_latency_us.p99),
        ..row("write_latency_p99", "Write latency p99", Us, Lower)
    },
    Metric {
        display: Display::Millis,
        json: &["write_latency_us", "max"],
        column: Some("write_latency_max_us"),
        read: |m| Sample::Int(m.write_latency_us.max),
        ..row("write_latency_max", "Write latency max", Us, Lower)
    },
    Metric {
        budget: Some("A floor: share of requests that succeeded."),
        json: &["availability"],
        column: Some("availability"),
        sweep_chart: true,
        read: |m| Sample::Ratio(m.availability),
        ..row("availability", "Availability", Share, Higher)
    },
    Metric {
        budget: Some("Ceiling on keys whose regions disagree after drain."),
        json: &["divergent_keys"],
        column: Some("divergent_keys"),
        read: |m| Sample::Int(m.divergent_keys),
        ..row("divergent_keys", "Divergent keys", Count, Lower)
    },
    Metric {
        budget: Some("Ceiling on records that reached a region outside their jurisdiction; needs a [[residency]] rule."),
        needs: Needs::Residency,
        json: &["residency_violations"],
        read: |m| Sample::Int(m.residency_violations),
        ..row("residency_violations", "Residency violations", Count, Lower)
    },
    Metric {
        budget: Some("Needs reads_per_sec > 0."),
        needs: Needs::Reads,
        json: &["reads", "stale_reads"],
        read: |m| Sample::Int(m.reads.map_or(0, |r| r.stale_reads)),
        ..row("stale_reads", "Stale reads", Count, Lower)
    },
    Metric {
        display: Display::Millis,
        budget: Some("Ceiling on the read latency p99; needs reads_per_sec > 0."),
        needs: Needs::Reads,
        json: &["reads", "read_latency_us", "p99"],
        read: |m| Sample::Int(m.reads.map_or(0, |r| r.read_latency_us.p99)),
        ..row("read_latency_p99", "Read latency p99", Us, Lower)
    },
    Metric {
        json: &["cross_region_bytes"],
        column: Some("cross_region_bytes"),
        read: |m| Sample::Int(m.cross_region_bytes),
        ..row("cross_region_bytes", "Cross-region bytes", Bytes, Lower)
    },
    Metric {
        json: &["semi_sync_fallbacks"],
        column: Some("semi_sync_fallbacks"),
        read: |m| Sample::Int(m.semi_sync_fallbacks),
        ..row("semi_sync_fallbacks", "Semi-sync fallbacks", Count, Lower)
    },
    Metric {
        json: &["events"],
        column: Some("events"),
        read: |m| Sample::Int(m.events),
        ..row("events", "Events", Count, Neither)
    },
];
