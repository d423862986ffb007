//! Cross-check: every pair of regions that exchanges traffic has a link.

use std::collections::BTreeMap;

use super::types::{RegionId, Scenario, Topology};
use super::validate::{err, Res};

/// The pairs of distinct regions that exchange traffic, each with the first reason found.
fn needed_pairs(s: &Scenario) -> BTreeMap<(RegionId, RegionId), &'static str> {
    let mut need = BTreeMap::new();
    let mut add = |a: RegionId, b: RegionId, why: &'static str| {
        if a != b {
            need.entry((a.min(b), a.max(b))).or_insert(why);
        }
    };
    let r = &s.replication;
    let all: Vec<RegionId> = (0..s.regions.len()).collect();
    // Regions that hold the data and may take writes.
    let members: Vec<RegionId> = match r.topology {
        Topology::SinglePrimary => r
            .primary
            .into_iter()
            .chain(r.replicas.iter().copied())
            .collect(),
        Topology::MultiPrimary | Topology::HomeRegion => all.clone(),
    };
    for (i, &a) in members.iter().enumerate() {
        for &b in members.iter().skip(i + 1) {
            let why = match r.topology {
                Topology::SinglePrimary if r.primary == Some(a) || r.primary == Some(b) => {
                    "replication from the primary"
                }
                Topology::SinglePrimary => "replication after one of them is promoted",
                _ => "replication between regions that take writes",
            };
            add(a, b, why);
        }
    }
    for c in &s.workload.clients {
        for &m in &members {
            add(c.region, m, "clients located in one reach the other");
        }
    }
    if let Some(f) = &s.failover {
        for &target in &members {
            let checkers: Vec<RegionId> = match &f.health_check.checkers {
                Some(list) => list.clone(),
                None => all.clone(),
            };
            for c in checkers {
                add(c, target, "health checks");
            }
        }
        if let Some(endpoints) = f.routing.client().and_then(|c| c.endpoints.as_ref()) {
            for c in &s.workload.clients {
                for &e in endpoints {
                    add(
                        c.region,
                        e,
                        "clients located in one use the other as an endpoint",
                    );
                }
            }
        }
    }
    need
}

pub(crate) fn check_links(s: &Scenario) -> Res<()> {
    let missing: Vec<((RegionId, RegionId), &'static str)> = needed_pairs(s)
        .into_iter()
        .filter(|((a, b), _)| s.link_between(*a, *b).is_none())
        .collect();
    let Some(&((a, b), why)) = missing.first() else {
        return Ok(());
    };
    let name = |i: RegionId| s.regions.get(i).map_or("?", |r| r.name.as_str());
    let others = match missing.len() - 1 {
        0 => String::new(),
        1 => " (1 other pair also lacks a link)".to_string(),
        n => format!(" ({n} other pairs also lack a link)"),
    };
    Err(err(
        "links",
        format!(
            "regions \"{}\" and \"{}\" exchange traffic ({why}) but no link connects them{others}; add [[links]] between = [\"{}\", \"{}\"] with a latency such as \"40ms\"",
            name(a),
            name(b),
            name(a),
            name(b)
        ),
    ))
}
