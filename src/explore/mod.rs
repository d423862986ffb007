//! `explore`: the worst case of one metric over the fault timings and seeds a
//! scenario leaves open.
//!
//! - `space.rs`: the knobs (each fault's start and duration, in a range) and
//!   the seed; a point of that space applied to a scenario.
//! - `instants.rs`: the control-plane instants of a first run (probes, the
//!   threshold-th probe, verdicts, the semi-sync timeout, TTL expiries,
//!   promotion-delay ends, fault edges) and the fault times just around them.
//! - `search.rs`: instants, random points, then a local search, in fixed-size
//!   batches on rayon (the same result for any thread count).
//! - `doc.rs`: explore.json and worst.toml.
//!
//! Nothing here reads the environment, a clock or the file system: the CLI
//! reads the scenario file and writes the outputs.

mod doc;
mod instants;
mod search;
mod space;

pub use doc::{explore_json, worst_toml};
pub use instants::{candidates, instants, Instant, EPSILON_US};
pub use search::{explore, worse, Exploration, ExploreError, Phase, Tried, BATCH};
pub use space::{Field, Knob, Point, Space};
