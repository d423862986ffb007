//! The scenario's faults as timed steps, the one timing both targets reproduce.

use super::ident;
use crate::engine::time::fmt_duration;
use crate::scenario::{Direction, FaultKind, Scenario};

/// One fault, placed in time from the start of the game day.
#[derive(Clone, Debug, PartialEq)]
pub struct Step<'a> {
    /// 1-based, in the scenario's order of faults.
    pub number: usize,
    pub kind: &'a FaultKind,
    pub start_us: u64,
    /// How long it lasts: the fault's `duration`, or until the end of the
    /// run (`duration` + `drain`) when the scenario says it never ends.
    pub duration_us: u64,
    /// The scenario gives no end: held until the end of the run.
    pub held: bool,
    /// Short words for it: `region-outage us-east-1`.
    pub label: String,
}

/// Every fault that starts before the run ends, in the scenario's order, and
/// the labels of those that start too late to matter (not exportable).
pub fn plan(s: &Scenario) -> (Vec<Step<'_>>, Vec<String>) {
    let end_us = s.end_us();
    let mut steps = Vec::new();
    let mut late = Vec::new();
    for (i, f) in s.faults.iter().enumerate() {
        let label = label(s, &f.kind);
        if f.at_us >= end_us {
            late.push(format!(
                "fault {} ({label}) starts at {}, after the run ends ({})",
                i + 1,
                fmt_duration(f.at_us),
                fmt_duration(end_us)
            ));
            continue;
        }
        let held = f.duration_us.is_none();
        let duration_us = f.duration_us.unwrap_or(end_us - f.at_us);
        steps.push(Step {
            number: i + 1,
            kind: &f.kind,
            start_us: f.at_us,
            duration_us,
            held,
            label,
        });
    }
    (steps, late)
}

/// `region-outage us-east-1`, `partition us-east-1 | eu-west-1 (forward)`.
pub fn label(s: &Scenario, kind: &FaultKind) -> String {
    let name = |r: usize| {
        s.regions
            .get(r)
            .map_or("?", |r| r.name.as_str())
            .to_string()
    };
    let names = |rs: &[usize]| rs.iter().map(|&r| name(r)).collect::<Vec<_>>().join(", ");
    match kind {
        FaultKind::RegionOutage { region } => format!("region-outage {}", name(*region)),
        FaultKind::Partition {
            side_a,
            side_b,
            direction,
        } => {
            let dir = match direction {
                Direction::Both => "both directions",
                Direction::Forward => "first side to second only",
            };
            format!("partition {} | {} ({dir})", names(side_a), names(side_b))
        }
        FaultKind::Latency { a, b, add_us } => {
            format!(
                "latency +{} {} <-> {}",
                fmt_duration(*add_us),
                name(*a),
                name(*b)
            )
        }
        FaultKind::ClockSkew { region, offset_us } => {
            let sign = if *offset_us < 0 { "-" } else { "+" };
            let off = fmt_duration(offset_us.unsigned_abs());
            format!("clock-skew {} {sign}{off}", name(*region))
        }
    }
}

/// Each region's identifier for target, action and file names: [`ident`] of
/// its name, made unique with `-2`, `-3`, ... where two names collide.
pub fn region_idents(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(s.regions.len());
    for r in &s.regions {
        let base = ident(&r.name);
        let mut id = base.clone();
        let mut n = 2;
        while out.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        out.push(id);
    }
    out
}
