//! regionsim: a deterministic multi-region failure simulator (library root).
//!
//! Layers, with one direction of knowledge:
//! `engine` (time, queue, RNG, run loop) <- `model` (regions, links, replication,
//! routing, faults, workload) -> `metrics` (observers) -> `report` (pure functions
//! of a run's result) <- `cli` (stdout, files, exit codes). `scenario` turns the
//! file format into a validated [`scenario::Scenario`].

pub mod cli;
pub mod engine;
pub mod explore;
pub mod metrics;
pub mod model;
pub mod report;
pub mod scenario;
pub mod shrink;
pub mod sweep;

pub use model::simulate;
