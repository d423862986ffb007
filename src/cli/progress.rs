//! A progress bar with an ETA on stderr for one long run: only on a terminal,
//! without `--quiet`, and only once the run has taken more than two seconds.
//! It reads the simulated time the run loop publishes (never the reverse), so
//! the outputs do not depend on it.

use super::io::quiet;
use crate::metrics::RunResult;
use crate::model::{simulate, Bounds, SimError};
use crate::scenario::Scenario;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// The simulated time of the run in progress (µs), published by the run loop.
static SIM_US: AtomicU64 = AtomicU64::new(0);

/// Sets the flag when dropped, even if the run panics.
struct Done<'a>(&'a AtomicBool);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `s`, with a progress bar when `show` and stderr is a terminal.
pub(super) fn simulate_shown(s: &Scenario, seed: u64, show: bool) -> Result<RunResult, SimError> {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !show || quiet() || !terminal {
        return simulate(s, seed, Bounds::default());
    }
    SIM_US.store(0, Ordering::Relaxed);
    let bounds = Bounds {
        progress_us: Some(&SIM_US),
        ..Bounds::default()
    };
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| watch(&done, &s.name, s.end_us()));
        let _done = Done(&done);
        simulate(s, seed, bounds)
    })
}

/// Draws the bar (simulated seconds of the total) until `done`.
#[allow(clippy::disallowed_methods)]
fn watch(done: &AtomicBool, name: &str, end_us: u64) {
    let start = std::time::Instant::now();
    // REGIONSIM_PROGRESS_AFTER_MS shows it sooner (for tests).
    let after = std::env::var("REGIONSIM_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(2), Duration::from_millis);
    let mut bar: Option<indicatif::ProgressBar> = None;
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        if bar.is_none() && start.elapsed() >= after {
            bar = Some(new_bar(name, end_us));
        }
        if let Some(b) = &bar {
            b.set_position(SIM_US.load(Ordering::Relaxed) / 1_000_000);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

fn new_bar(name: &str, end_us: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(end_us.div_ceil(1_000_000)),
        indicatif::ProgressDrawTarget::stderr(),
    );
    let name = crate::scenario::escape_controls(name);
    let template = format!(
        "{name} [{{bar:32}}] {{pos}}/{{len}} simulated s  {{elapsed}} elapsed, ETA {{eta}}"
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
