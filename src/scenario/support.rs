//! Features the format accepts and validates but the simulator does not model yet.
//!
//! Delete a line here when the model learns the feature.

use super::leaf::{ModeKw, OnRejoinKw, RoutingKw, TopologyKw};
use super::types::{OnRejoin, ReplicationMode, Routing, Scenario, Topology};
use super::ScenarioError;

fn refuse(path: &str, what: String, supported: &str) -> ScenarioError {
    let mut e = ScenarioError::field(
        path.to_string(),
        format!("{what} is not supported yet (planned); supported today: {supported}"),
    );
    e.unsupported = true;
    e
}

/// Refuse a valid scenario that uses a feature the simulator cannot run yet.
pub(crate) fn check_supported(s: &Scenario) -> Result<(), ScenarioError> {
    let r = &s.replication;
    if r.topology != Topology::SinglePrimary {
        let t = TopologyKw::keyword(r.topology);
        return Err(refuse("replication.topology", format!("topology \"{t}\""), "\"single-primary\""));
    }
    if r.mode != ReplicationMode::Async {
        let m = ModeKw::keyword(r.mode);
        return Err(refuse("replication.mode", format!("mode \"{m}\""), "\"async\""));
    }
    if let Some(f) = &s.failover {
        if f.routing != Routing::Dns {
            let name = RoutingKw::keyword(f.routing);
            return Err(refuse("failover.routing", format!("routing \"{name}\""), "\"dns\""));
        }
        if f.fencing {
            return Err(refuse("failover.fencing", "fencing = true".to_string(), "fencing = false"));
        }
        if f.on_rejoin != OnRejoin::Discard {
            let name = OnRejoinKw::keyword(f.on_rejoin);
            return Err(refuse("failover.on_rejoin", format!("on_rejoin = \"{name}\""), "\"discard\""));
        }
    }
    if !s.residency.is_empty() {
        return Err(refuse(
            "residency",
            "a [[residency]] rule".to_string(),
            "scenarios without residency rules",
        ));
    }
    if s.workload.reads_per_sec > 0.0 {
        return Err(refuse(
            "workload.reads_per_sec",
            "reads (reads_per_sec > 0)".to_string(),
            "reads_per_sec = 0 (writes only)",
        ));
    }
    Ok(())
}
