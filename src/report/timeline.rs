//! The timeline in words: the one place typed [`Happening`]s become English
//! (report.json's `what`, summary.md, report.html, the trace).

use serde::{Serialize, Serializer};

use crate::metrics::human_duration;
use crate::metrics::{Bound, FaultWhat, Happening, Move, RejoinOutcome};

/// One event in words.
pub fn text(h: &Happening) -> String {
    use Happening as H;
    match h {
        H::Fault { start, what } => fault_text(*start, what),
        H::FirstFailedProbe { target, checker } => {
            format!("health checks: first failed probe of {target} (from {checker})")
        }
        H::Verdict { region, healthy } => {
            let word = if *healthy { "healthy" } else { "unhealthy" };
            format!("health checks: {region} {word}")
        }
        H::NoFailoverTarget => {
            "no healthy replica to fail over to: DNS keeps answering the primary (fail-open)"
                .into()
        }
        H::FailoverDecided {
            target,
            applied,
            log_end,
            delay_us,
        } => format!(
            "failover decided: promote {target} (applied {applied} of {log_end} writes) in {}",
            human_duration(*delay_us)
        ),
        H::PromotionCancelled { primary } => {
            format!("{primary} healthy again: promotion cancelled")
        }
        H::DnsAnswers { target, clients_in } => {
            format!("DNS answers {target} to clients in {clients_in}")
        }
        H::ClientsMoved {
            region,
            target,
            how,
        } => match how {
            Move::DnsHonest => format!("last TTL-honest client in {region} moved to {target}"),
            Move::DnsStale => format!("last TTL-ignoring client in {region} moved to {target}"),
            Move::Anycast => format!("anycast: last client in {region} routed to {target}"),
        },
        H::PromotionFailed { target } => format!("promotion of {target} failed: region down"),
        H::Promoted {
            target,
            old,
            log_position,
            orphaned,
            orphaned_acked,
        } => format!(
            "{target} promoted to primary at log position {log_position}: {orphaned} writes of {old} orphaned ({orphaned_acked} acknowledged)"
        ),
        H::Rejoined {
            region,
            primary,
            orphaned,
            outcome,
        } => rejoin_text(region, primary, *orphaned, outcome),
        H::BeyondRetention { region } => {
            format!("{region} fell beyond log retention: it will be rebuilt from a snapshot")
        }
        H::Rebuilt { region, primary } => format!("{region} rebuilt from a snapshot of {primary}"),
        H::SemiSyncFallback {
            timeout_us,
            acks,
            waiting,
        } => format!(
            "semi-sync: a write waited {} for {acks} receipt(s): falling back to async, {waiting} waiting writes acknowledged at once",
            human_duration(*timeout_us)
        ),
        H::SemiSyncRearmed {
            caught_up,
            degraded_us,
        } => format!(
            "semi-sync re-armed: {caught_up} replica(s) caught up after {} degraded",
            human_duration(*degraded_us)
        ),
        H::AntiEntropy {
            region,
            writes,
            lost,
            from,
        } => format!("anti-entropy: {region} fetches {writes} writes of {lost} from {from}"),
        H::HomeMoveDecided { from, delay_us } => format!(
            "failover decided: move the keys homed in {from} to the nearest healthy region in {}",
            human_duration(*delay_us)
        ),
        H::HomeMoveCancelled { from } => format!("{from} healthy again: moving its keys cancelled"),
        H::HomePromoted {
            to,
            keys,
            from,
            orphaned,
        } => format!(
            "{to} promoted: now home of {keys} keys of {from} ({orphaned} writes of {from} orphaned in all)"
        ),
        H::HomeStuck { from, keys } => format!(
            "{keys} keys of {from} have no healthy region their residency allows: they stay unavailable"
        ),
        H::OrphansRebuilt { region, versions } => format!(
            "{region} drops {versions} orphaned versions and takes them from their new homes"
        ),
    }
}

fn fault_text(start: bool, what: &FaultWhat) -> String {
    match what {
        FaultWhat::Outage { region } => {
            let verb = if start { "goes dark" } else { "recovers" };
            format!("{region} {verb}")
        }
        FaultWhat::Partition => if start {
            "partition begins"
        } else {
            "partition heals"
        }
        .to_string(),
        FaultWhat::Latency { a, b, add_us } => format!(
            "latency {a} <-> {b} {}{}",
            if start { "+" } else { "back to normal, was +" },
            human_duration(*add_us)
        ),
        FaultWhat::ClockSkew { region, offset_us } => {
            format!("clock of {region} now offset by {offset_us}us")
        }
    }
}

fn rejoin_text(region: &str, primary: &str, orphaned: u64, outcome: &RejoinOutcome) -> String {
    match outcome {
        RejoinOutcome::Reconciled { replayed, lost_lww } => format!(
            "{region} rejoined as a replica of {primary}: its {orphaned} orphaned writes reconciled ({replayed} keys replayed, {lost_lww} lost a last-writer-wins comparison)"
        ),
        RejoinOutcome::Discarded { acked_lost } => format!(
            "{region} rejoined as a replica of {primary}: its {orphaned} orphaned writes discarded ({acked_lost} acknowledged: lost)"
        ),
    }
}

/// An event serialises as its sentence (report.json's `what`).
impl Serialize for Happening {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(self))
    }
}

/// An analytic estimate's description.
pub fn bound_text(b: &Bound) -> String {
    match b {
        Bound::DetectionLow => {
            "detection, lower bound: (threshold-1)(interval+timeout)+timeout".into()
        }
        Bound::DetectionHigh => "detection, upper bound: threshold(interval+timeout)+timeout".into(),
        Bound::DnsRtoHigh => "RTO of TTL-honest clients, upper bound: detection + max(propagation + TTL, promotion delay) + one request round trip".into(),
        Bound::AnycastRto => "RTO with anycast: the longest convergence (or detection + promotion delay, when a primary must be promoted) + one request round trip".into(),
        Bound::ClientSideRto => "RTO with a client library: request timeout + first backoff + one request round trip (or detection + promotion delay, when a primary must be promoted)".into(),
        Bound::AsyncRpo { replica } => format!(
            "async RPO ~ one-way lag to {replica}: median link latency + replica commit"
        ),
    }
}

/// An estimate serialises as its description (report.json's `what`).
impl Serialize for Bound {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&bound_text(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn every_kind_of_event_reads_as_a_sentence() {
        let cases = [
            (
                Happening::Verdict {
                    region: name("us-east-1"),
                    healthy: false,
                },
                "health checks: us-east-1 unhealthy",
            ),
            (
                Happening::Fault {
                    start: false,
                    what: FaultWhat::Latency {
                        a: name("a"),
                        b: name("b"),
                        add_us: 400_000,
                    },
                },
                "latency a <-> b back to normal, was +400ms",
            ),
            (
                Happening::ClientsMoved {
                    region: name("eu"),
                    target: name("us"),
                    how: Move::DnsStale,
                },
                "last TTL-ignoring client in eu moved to us",
            ),
            (
                Happening::Rejoined {
                    region: name("a"),
                    primary: name("b"),
                    orphaned: 43,
                    outcome: RejoinOutcome::Discarded { acked_lost: 28 },
                },
                "a rejoined as a replica of b: its 43 orphaned writes discarded (28 acknowledged: lost)",
            ),
        ];
        for (h, want) in cases {
            assert_eq!(text(&h), want);
        }
    }
}
