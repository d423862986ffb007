//! The engine: virtual time, the event queue, seeded RNG streams, the run loop.
//! It knows nothing of regions.

pub mod time;

pub use time::{SimTime, US_PER_SEC};
