//! The simulated world: regions, links, workload, replication, routing, faults.

mod acks;
mod control;
mod dns;
mod faults;
mod finish;
mod health;
mod home;
mod links;
mod merge;
mod multi;
mod multi_end;
mod quorum;
mod reads;
mod rejoin;
mod replication;
mod requests;
mod residency;
mod routing;
mod workload;
mod world;

pub use faults::{FaultPlan, IncidentWindow};
pub use links::Sampler;

use crate::engine::{run, EventQueue, LoopStats, SimTime, StopReason, Streams};
use crate::metrics::RunResult;
use crate::scenario::{Scenario, Topology};
use world::World;

/// Limits that keep a run bounded in events, simulated time and memory.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    pub max_events: u64,
    pub max_sim_us: u64,
    /// Keys x regions that hold data.
    pub max_key_copies: u64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_events: 20_000_000_000,
            max_sim_us: 30 * 24 * 3600 * 1_000_000,
            max_key_copies: 400_000_000,
        }
    }
}

/// Why a run did not produce a result.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario would exceed a bound (an input problem: exit 2).
    #[error("{0}")]
    Bound(String),
    /// The simulator broke one of its own invariants (a bug: exit 3).
    #[error("internal invariant broken: {0}")]
    Invariant(String),
}

/// Runs `scenario` with `seed` and returns what was measured.
pub fn simulate(scenario: &Scenario, seed: u64, bounds: Bounds) -> Result<RunResult, SimError> {
    let end = scenario.end_us();
    if end > bounds.max_sim_us {
        return Err(SimError::Bound(format!(
            "duration + drain = {} exceeds the bound of {} of simulated time",
            crate::engine::time::fmt_duration(end),
            crate::engine::time::fmt_duration(bounds.max_sim_us)
        )));
    }
    let keys = u64::from(scenario.workload.keys);
    let holders = scenario.replication.replicas.len() as u64 + 1;
    // With reads every copy also keeps versions, and each key its newest acknowledged write.
    let (copies, what) = if scenario.workload.reads_per_sec > 0.0 {
        let c = keys * (2 * holders + 2);
        (
            c,
            "workload.keys x (2 x regions holding data + 2) (reads track versions)",
        )
    } else {
        (keys * holders, "workload.keys x regions holding data")
    };
    // Multi-primary and home-region keep per region and key a version and
    // two version vectors of one entry per region.
    let (copies, what) = if scenario.replication.topology == Topology::SinglePrimary {
        (copies, what)
    } else {
        let n = scenario.regions.len() as u64;
        (
            copies.max(keys * n * (1 + 2 * n)),
            "workload.keys x regions x (1 + 2 x regions) (multi-primary version vectors)",
        )
    };
    if copies > bounds.max_key_copies {
        return Err(SimError::Bound(format!(
            "{what} = {copies} exceeds the bound of {}",
            bounds.max_key_copies
        )));
    }
    let mut q = EventQueue::new();
    let mut world = World::new(scenario, seed, &mut q);
    world.start(&mut q, &Streams::new(seed));
    let mut stats = LoopStats::new();
    match run(&mut q, &mut world, SimTime(end), bounds.max_events, &mut stats) {
        Ok(()) => {}
        Err(StopReason::EventBound(n)) => {
            return Err(SimError::Bound(format!(
                "the run needs more than {n} events; shorten `duration` or lower `workload.writes_per_sec` (or `reads_per_sec`)"
            )))
        }
    }
    let mut result = world.finish(stats);
    result.report.seed = seed;
    check_invariants(&result)?;
    Ok(result)
}

/// Invariants every run must satisfy; a breach is a simulator bug (exit 3).
fn check_invariants(r: &RunResult) -> Result<(), SimError> {
    crate::metrics::invariants::check(r).map_err(SimError::Invariant)?;
    let m = &r.report.metrics;
    if m.lost_writes > m.acknowledged_writes {
        return Err(SimError::Invariant(format!(
            "lost writes ({}) exceed acknowledged writes ({})",
            m.lost_writes, m.acknowledged_writes
        )));
    }
    if !(0.0..=1.0).contains(&m.availability) {
        return Err(SimError::Invariant(format!(
            "availability {} outside [0, 1]",
            m.availability
        )));
    }
    if r.lost_writes.len() as u64 != m.lost_writes {
        return Err(SimError::Invariant(
            "lost-write ledger and count disagree".into(),
        ));
    }
    Ok(())
}
