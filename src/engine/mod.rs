//! The engine: virtual time, the event queue, seeded RNG streams, the run loop.
//! It knows nothing of regions.

pub mod dist;
mod heap;
pub mod queue;
pub mod rng;
pub mod sim;
pub mod time;
mod ziggurat_tables;

pub use queue::{EventQueue, LaneId};
pub use rng::{Streams, Subsystem};
pub use sim::{run, run_limited, Handler, LoopStats, StopReason, Tagged};
pub use time::{SimTime, US_PER_SEC};
