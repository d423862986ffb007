//! Observers of a run: they record what happened and never change the world.

mod budgets;
mod build;
pub mod catalogue;
mod format;
mod happening;
mod histogram;
pub mod invariants;
pub mod percentile;
mod ranges;
mod recorder;
mod restore;
mod result;
mod rto;
mod rto_figures;
mod sample;

pub use budgets::*;
pub use build::{build, Facts};
pub use catalogue::{metric, Metric, Tolerance, Unit, CATALOGUE};
pub use format::{
    fmt_duration_ms, fmt_ratio, fmt_timestamp, human, human_bytes, human_count, human_duration,
    human_money, human_share,
};
pub use happening::{Bound, FaultWhat, Happening, Kind, Move, RejoinOutcome};
pub use histogram::Histogram;
pub use ranges::{RangeFigures, RangeInfo, RangeTracker};
pub use recorder::{Loss, Outcome, Recorder, Window};
pub use restore::{Affected, RegionProbe, Restoration, RouteAtEnd, RouteProbe, PROBE_US};
pub use result::*;
pub use rto::RtoTracker;
pub use rto_figures::{critical_path, figures as rto_figures, RoutingKind, RtoFigures};
pub use sample::Sample;
