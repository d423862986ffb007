//! Observers of a run: they record what happened and never change the world.

mod result;

pub use result::*;
