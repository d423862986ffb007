//! Features the format accepts and validates but the simulator does not model yet.
//!
//! When the model learns a feature, delete its entry from the lists below (or flip the
//! flag); the "supported today" part of the message follows.

use super::leaf::{ModeKw, OnRejoinKw, RoutingKw, TopologyKw};
use super::types::{OnRejoin, ReplicationMode, RoutingKind, Scenario, Topology};
use super::ScenarioError;

const TOPOLOGIES_NOT_YET: &[Topology] = &[];
const MODES_NOT_YET: &[ReplicationMode] = &[];
const ROUTINGS_NOT_YET: &[RoutingKind] = &[];
const ON_REJOIN_NOT_YET: &[OnRejoin] = &[];
const FENCING_SUPPORTED: bool = true;
const RESIDENCY_SUPPORTED: bool = true;
const READS_SUPPORTED: bool = true;

fn refuse(path: &str, what: String, supported: String) -> ScenarioError {
    let mut e = ScenarioError::field(
        path.to_string(),
        format!("{what} is not supported yet (planned); supported today: {supported}"),
    );
    e.unsupported = true;
    e
}

/// Check one keyword-valued field: `Err` when `value` is in `not_yet`.
fn keyword<T: Copy + PartialEq>(
    path: &str,
    what: &str,
    value: T,
    not_yet: &[T],
    all: &[(&'static str, T)],
) -> Result<(), ScenarioError> {
    if !not_yet.contains(&value) {
        return Ok(());
    }
    let name = all
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("?", |(k, _)| *k);
    let supported: Vec<String> = all
        .iter()
        .filter(|(_, v)| !not_yet.contains(v))
        .map(|(k, _)| format!("\"{k}\""))
        .collect();
    Err(refuse(
        path,
        format!("{what} \"{name}\""),
        supported.join(", "),
    ))
}

/// Refuse a valid scenario that uses a feature the simulator cannot run yet.
pub(crate) fn check_supported(s: &Scenario) -> Result<(), ScenarioError> {
    let r = &s.replication;
    keyword(
        "replication.topology",
        "topology",
        r.topology,
        TOPOLOGIES_NOT_YET,
        TopologyKw::all(),
    )?;
    keyword(
        "replication.mode",
        "mode",
        r.mode,
        MODES_NOT_YET,
        ModeKw::all(),
    )?;
    let quorum_home = r.topology == Topology::HomeRegion && r.mode == ReplicationMode::Sync;
    if r.topology != Topology::SinglePrimary && r.mode != ReplicationMode::Async && !quorum_home {
        let t = TopologyKw::keyword(r.topology);
        return Err(refuse(
            "replication.mode",
            format!("mode \"{}\" with topology \"{t}\"", ModeKw::keyword(r.mode)),
            match r.topology {
                Topology::HomeRegion => format!("mode \"async\" or \"sync\" with \"{t}\" (semi-sync needs topology \"single-primary\")"),
                _ => format!("mode \"async\" with \"{t}\" (semi-sync and sync need topology \"single-primary\", or \"home-region\" for sync)"),
            },
        ));
    }
    if let Some(f) = &s.failover {
        keyword(
            "failover.routing",
            "routing",
            f.routing.kind(),
            ROUTINGS_NOT_YET,
            RoutingKw::all(),
        )?;
        if f.fencing && !FENCING_SUPPORTED {
            return Err(refuse(
                "failover.fencing",
                "fencing = true".into(),
                "fencing = false".into(),
            ));
        }
        keyword(
            "failover.on_rejoin",
            "on_rejoin",
            f.on_rejoin,
            ON_REJOIN_NOT_YET,
            OnRejoinKw::all(),
        )?;
    }
    if !s.residency.is_empty() && !RESIDENCY_SUPPORTED {
        return Err(refuse(
            "residency",
            "a [[residency]] rule".into(),
            "scenarios without residency rules".into(),
        ));
    }
    if s.workload.reads_per_sec > 0.0 && !READS_SUPPORTED {
        return Err(refuse(
            "workload.reads_per_sec",
            "reads (reads_per_sec > 0)".into(),
            "reads_per_sec = 0 (writes only)".into(),
        ));
    }
    Ok(())
}
