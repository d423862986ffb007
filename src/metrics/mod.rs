//! Observers of a run: they record what happened and never change the world.

mod budgets;
mod build;
mod happening;
mod histogram;
mod ranges;
mod recorder;
mod result;
mod rto;

pub use budgets::*;
pub use build::{build, Facts};
pub use happening::{Bound, FaultWhat, Happening, Kind, Move, RejoinOutcome};
pub use histogram::Histogram;
pub use ranges::{RangeFigures, RangeInfo, RangeTracker};
pub use recorder::{Loss, Outcome, Recorder, Window};
pub use result::*;
pub use rto::RtoTracker;
