//! Reports: pure functions of a run's result.
