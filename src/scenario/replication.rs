//! Validation of `[replication]` (topology, primary, replicas, mode, acks) and `[conflicts]`.

use super::dto::{ConflictsDto, ReplicationDto};
use super::leaf::TopologyKw;
use super::types::{Conflicts, Replication, ReplicationMode, Resolution, Topology};
use super::validate::{err, Names, Res, US_PER_S};

pub(crate) fn replication(r: &ReplicationDto, names: &Names) -> Res<Replication> {
    let topology = r.topology.map_or(Topology::SinglePrimary, |t| t.0);
    let mode = r.mode.map_or(ReplicationMode::Async, |m| m.0);
    let (primary, replicas) = if topology == Topology::SinglePrimary {
        let Some(p) = &r.primary else {
            return Err(err(
                "replication.primary",
                "topology \"single-primary\" needs a primary region: primary = \"<region name>\"",
            ));
        };
        let primary = names.resolve(p, "replication.primary")?;
        let replicas = match &r.replicas {
            Some(list) => {
                let ids = names.resolve_list(list, "replication.replicas")?;
                if let Some(i) = ids.iter().position(|&id| id == primary) {
                    return Err(err(
                        format!("replication.replicas[{i}]"),
                        format!("\"{p}\" is the primary; replicas lists the other regions that receive its writes"),
                    ));
                }
                ids
            }
            None => (0..names.len()).filter(|&i| i != primary).collect(),
        };
        (Some(primary), replicas)
    } else {
        let t = TopologyKw::keyword(topology);
        if r.primary.is_some() {
            return Err(err(
                "replication.primary",
                format!("primary applies only to topology \"single-primary\"; with \"{t}\" every region takes writes"),
            ));
        }
        if r.replicas.is_some() {
            return Err(err(
                "replication.replicas",
                format!("replicas applies only to topology \"single-primary\"; with \"{t}\" every region replicates to every other"),
            ));
        }
        (None, (0..names.len()).collect())
    };
    // Receipts come from the replicas other than the writing region.
    let peers = match topology {
        Topology::SinglePrimary => replicas.len(),
        _ => replicas.len().saturating_sub(1),
    };
    // Settings of another mode would be silently ignored: refuse them.
    let mode_kw = match mode {
        ReplicationMode::Async => "async",
        ReplicationMode::SemiSync => "semi-sync",
        ReplicationMode::Sync => "sync",
    };
    if r.acks.is_some() && mode == ReplicationMode::Async {
        return Err(err(
            "replication.acks",
            "acks applies only to mode \"semi-sync\" or \"sync\"; this scenario has mode \"async\" (remove acks, or set the mode)",
        ));
    }
    if r.semi_sync_timeout.is_some() && mode != ReplicationMode::SemiSync {
        return Err(err(
            "replication.semi_sync_timeout",
            format!("semi_sync_timeout applies only to mode \"semi-sync\"; this scenario has mode \"{mode_kw}\" (remove it, or set mode = \"semi-sync\")"),
        ));
    }
    let acks = match r.acks {
        Some(a) => {
            if a.0 == 0 || a.0 > peers as u64 {
                return Err(err(
                    "replication.acks",
                    format!(
                        "acks must be between 1 and the number of replicas that can acknowledge ({peers}); got {}",
                        a.0
                    ),
                ));
            }
            a.0 as u32
        }
        None if mode == ReplicationMode::Sync => {
            if peers == 0 {
                return Err(err(
                    "replication.mode",
                    "mode \"sync\" needs at least one replica to acknowledge writes",
                ));
            }
            peers as u32
        }
        None => {
            if mode == ReplicationMode::SemiSync && peers == 0 {
                return Err(err(
                    "replication.mode",
                    "mode \"semi-sync\" needs at least one replica to acknowledge writes",
                ));
            }
            1
        }
    };
    let semi_sync_timeout_us = r.semi_sync_timeout.as_ref().map_or(10 * US_PER_S, |d| d.us);
    if semi_sync_timeout_us == 0 {
        return Err(err(
            "replication.semi_sync_timeout",
            "semi_sync_timeout must be greater than 0, such as \"10s\"",
        ));
    }
    Ok(Replication {
        topology,
        primary,
        replicas,
        mode,
        acks,
        semi_sync_timeout_us,
    })
}

pub(crate) fn conflicts(c: Option<ConflictsDto>, topology: Topology) -> Res<Option<Conflicts>> {
    match (c, topology) {
        (Some(c), Topology::MultiPrimary) => Ok(Some(Conflicts {
            resolution: c.resolution.map_or(Resolution::Lww, |r| r.0),
        })),
        (None, Topology::MultiPrimary) => Ok(Some(Conflicts {
            resolution: Resolution::Lww,
        })),
        (Some(_), t) => Err(err(
            "conflicts",
            format!(
                "[conflicts] applies only to topology \"multi-primary\" (this scenario uses \"{}\", where concurrent writes to one key cannot occur); remove the section",
                TopologyKw::keyword(t)
            ),
        )),
        (None, _) => Ok(None),
    }
}
