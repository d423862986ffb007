//! regionsim: a deterministic multi-region failure simulator (library root).
//!
//! Layers, with one direction of knowledge:
//! `engine` (time, queue, RNG, run loop) <- `model` (regions, links, replication,
//! routing, faults, workload) -> `metrics` (observers) -> `report` (pure functions
//! of a run's result) <- `cli` (stdout, files, exit codes). `scenario` turns the
//! file format into a validated [`scenario::Scenario`]. `export` (a scenario as
//! AWS FIS / Chaos Mesh experiments) and `compare` (game-day figures beside
//! simulated ones) are pure functions of the scenario and of runs; `explore`
//! (the worst case over fault timings and seeds) and `shrink` (a smaller
//! scenario that still fails) search over runs.

pub mod cli;
pub mod compare;
pub mod engine;
pub mod explore;
pub mod export;
pub mod metrics;
pub mod model;
pub mod report;
pub mod scenario;
pub mod shrink;
pub mod sweep;

pub use model::simulate;
