//! The simulated world: regions, links, workload, replication, routing, faults.
//!
//! Layers, each importing only those below it: the leaf services (`faults`,
//! `links`, `workload`, `dns`, `health`, `residency`, `routing`) and the
//! events (`events`); the shared services (`env`); the clients' writes and
//! reads (`requests`, `reads`); the topologies (`topology/`); the control
//! plane and fault reactions (`control`, `answers`, `edges`); the end of a
//! run (`finish`); and the world that dispatches events (`world`).

mod answers;
mod bounds;
mod control;
mod dns;
mod edges;
mod env;
mod estimates;
mod events;
mod faults;
mod finish;
mod health;
mod links;
mod reads;
mod requests;
mod residency;
mod restore;
mod routing;
mod topology;
mod workload;
mod world;

pub use bounds::{preflight, Bounds};
pub use faults::{FaultPlan, IncidentWindow};
pub use links::Sampler;

use crate::engine::{run_limited, EventQueue, LoopStats, SimTime, StopReason, Streams};
use crate::metrics::RunResult;
use crate::scenario::Scenario;
use world::World;

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
    preflight(scenario, &bounds)?;
    simulate_unchecked(scenario, seed, bounds)
}

/// [`simulate`] without the up-front estimate: only the bounds checked while
/// the run goes (events, events pending at once). For tests of those.
#[doc(hidden)]
pub fn simulate_unchecked(
    scenario: &Scenario,
    seed: u64,
    bounds: Bounds,
) -> Result<RunResult, SimError> {
    let end = scenario.end_us();
    let mut q = EventQueue::new();
    let mut world = World::new(scenario, seed, &mut q);
    world.start(&mut q, &Streams::new(seed));
    let mut stats = LoopStats::new();
    let limits = (bounds.max_events, bounds.max_queued_events);
    let progress = bounds.progress_us;
    match run_limited(&mut q, &mut world, SimTime(end), limits, progress, &mut stats) {
        Ok(()) => {}
        Err(StopReason::EventBound(n)) => {
            return Err(SimError::Bound(format!(
                "the run needs more than {n} events; shorten `duration` or lower `workload.writes_per_sec` (or `reads_per_sec`)"
            )))
        }
        Err(StopReason::QueueBound(n)) => return Err(SimError::Bound(bounds::queue_message(n))),
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
