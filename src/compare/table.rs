//! The comparison of measured and simulated figures, and its Markdown table
//! (printed to stdout and written as compare.md).

use super::measured::{Figure, Measured};
use crate::metrics::Sample;
use crate::sweep::Spread;
use std::cmp::Ordering;
use std::fmt::Write;

/// How far a single run may differ from the measured figure before the model
/// is called off: a quarter of the simulated value (and at least one unit of
/// resolution, 1 ms or one write).
const SINGLE_RUN_SLACK: f64 = 0.25;

/// What the measured figure says of the model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Inside the simulated range (or, with one run, within 25% of it).
    Within,
    /// Inside the range but below the 5th or above the 95th percentile rank.
    Tail,
    /// Below every simulated seed.
    Below,
    /// Above every simulated seed.
    Above,
    /// One run: measured / simulated, more than 25% apart.
    Differs(f64),
    /// No run produced this figure (detection without an incident).
    NoSimulated,
}

impl Verdict {
    /// The model is off on this figure.
    pub fn is_off(self) -> bool {
        matches!(self, Verdict::Below | Verdict::Above | Verdict::Differs(_))
    }
}

/// One figure: measured, simulated per seed, and the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub figure: Figure,
    pub measured: Sample,
    /// (seed, value) in seed order, runs without the figure left out.
    pub simulated: Vec<(u64, Sample)>,
    pub spread: Option<Spread>,
    /// The share of simulated seeds below the measured value (ties count
    /// half), in percent.
    pub rank_pct: Option<f64>,
    pub verdict: Verdict,
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub scenario: String,
    /// The scenario file as given on the command line.
    pub file: String,
    /// The seeds run, in order.
    pub seeds: Vec<u64>,
    /// `--seeds` was given (percentiles), rather than the scenario's own seed.
    pub ranged: bool,
    pub rows: Vec<Row>,
}

impl Comparison {
    /// The figures on which the model is off.
    pub fn off(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.verdict.is_off()).collect()
    }
}

/// Compares `measured` with `runs`: each run's seed and its value of every
/// figure of [`Figure::ALL`] (in that order; `None` where it has none).
pub fn compare(
    scenario: &str,
    file: &str,
    measured: &Measured,
    runs: &[(u64, [Option<Sample>; 4])],
    ranged: bool,
) -> Comparison {
    let rows = measured
        .0
        .iter()
        .map(|&(figure, m)| {
            let i = Figure::ALL.iter().position(|&f| f == figure).unwrap_or(0);
            let simulated: Vec<(u64, Sample)> = runs
                .iter()
                .filter_map(|(seed, v)| v[i].map(|s| (*seed, s)))
                .collect();
            row(figure, m, simulated, ranged)
        })
        .collect();
    Comparison {
        scenario: scenario.to_string(),
        file: file.to_string(),
        seeds: runs.iter().map(|(s, _)| *s).collect(),
        ranged,
        rows,
    }
}

fn row(figure: Figure, m: Sample, simulated: Vec<(u64, Sample)>, ranged: bool) -> Row {
    let values: Vec<Sample> = simulated.iter().map(|(_, s)| *s).collect();
    if values.is_empty() {
        return Row {
            figure,
            measured: m,
            simulated,
            spread: None,
            rank_pct: None,
            verdict: Verdict::NoSimulated,
        };
    }
    let below = values
        .iter()
        .filter(|s| s.total_cmp(&m) == Ordering::Less)
        .count();
    let ties = values
        .iter()
        .filter(|s| s.total_cmp(&m) == Ordering::Equal)
        .count();
    let rank = 100.0 * (below as f64 + 0.5 * ties as f64) / values.len() as f64;
    let spread = Spread::of(values.clone());
    let verdict = if !ranged && values.len() == 1 {
        single(figure, m, values[0])
    } else if m.total_cmp(&spread.min) == Ordering::Less {
        Verdict::Below
    } else if m.total_cmp(&spread.max) == Ordering::Greater {
        Verdict::Above
    } else if !(5.0..=95.0).contains(&rank) {
        Verdict::Tail
    } else {
        Verdict::Within
    };
    Row {
        figure,
        measured: m,
        simulated,
        spread: Some(spread),
        rank_pct: Some(rank),
        verdict,
    }
}

fn single(figure: Figure, m: Sample, s: Sample) -> Verdict {
    match (m.as_f64(), s.as_f64()) {
        (None, None) => Verdict::Within,
        (Some(_), None) => Verdict::Below,
        (None, Some(_)) => Verdict::Above,
        (Some(m), Some(s)) => {
            let resolution = if figure.is_duration() { 1000.0 } else { 1.0 };
            if (m - s).abs() <= (s * SINGLE_RUN_SLACK).max(resolution) {
                Verdict::Within
            } else if s > 0.0 {
                Verdict::Differs(m / s)
            } else if m > s {
                Verdict::Above
            } else {
                Verdict::Below
            }
        }
    }
}

fn verdict_text(v: Verdict) -> String {
    match v {
        Verdict::Within => "ok".to_string(),
        Verdict::Tail => "in the tail: the model barely covers it".to_string(),
        Verdict::Below => "**off**: below every simulated run".to_string(),
        Verdict::Above => "**off**: above every simulated run".to_string(),
        Verdict::Differs(r) => format!("**off**: measured is {r:.2}x the simulated"),
        Verdict::NoSimulated => "no simulated value (no incident)".to_string(),
    }
}

/// compare.md (also what `compare` prints).
pub fn compare_md(c: &Comparison) -> String {
    let mut o = String::new();
    let name = crate::export::md_text(&c.scenario);
    let _ = writeln!(o, "# {name}: game day vs simulation\n");
    let runs = match (c.ranged, c.seeds.as_slice()) {
        (true, [first, .., last]) => format!("seeds {first}..{last}, {} runs", c.seeds.len()),
        (_, [one]) => format!("seed {one}"),
        _ => format!("{} runs", c.seeds.len()),
    };
    let _ = writeln!(
        o,
        "Measured on the game day beside {} ({runs}).\n",
        crate::export::md_code(&format!("regionsim run {}", c.file))
    );
    if c.ranged {
        let _ = writeln!(
            o,
            "| figure | measured | simulated min | p50 | p95 | p99 | max | measured's rank | verdict |\n\
             |---|---|---|---|---|---|---|---|---|"
        );
    } else {
        let _ = writeln!(
            o,
            "| figure | measured | simulated | verdict |\n|---|---|---|---|"
        );
    }
    for r in &c.rows {
        let f = r.figure;
        let show = |s: Sample| f.show(s);
        match (&r.spread, c.ranged) {
            (Some(sp), true) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    f.title(),
                    show(r.measured),
                    show(sp.min),
                    show(sp.p50),
                    show(sp.p95),
                    show(sp.p99),
                    show(sp.max),
                    r.rank_pct.map_or("-".to_string(), |p| format!("{p:.0}%")),
                    verdict_text(r.verdict)
                );
            }
            (Some(sp), false) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    f.title(),
                    show(r.measured),
                    show(sp.p50),
                    verdict_text(r.verdict)
                );
            }
            (None, true) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | - | - | - | - | - | - | {} |",
                    f.title(),
                    show(r.measured),
                    verdict_text(r.verdict)
                );
            }
            (None, false) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | - | {} |",
                    f.title(),
                    show(r.measured),
                    verdict_text(r.verdict)
                );
            }
        }
    }
    o.push('\n');
    let off = c.off();
    if off.is_empty() {
        let _ = writeln!(
            o,
            "The model matches the game day on every figure measured."
        );
    } else {
        let names: Vec<&str> = off.iter().map(|r| r.figure.title()).collect();
        let _ = writeln!(
            o,
            "The model is off on {}: the real system does not behave as the scenario says. \
             Check the scenario's settings behind it (health-check interval and threshold, TTL, \
             promotion delay, link latency, write rate) against the real ones.",
            names.join(", ")
        );
    }
    let how = if c.ranged {
        "The rank is the share of simulated seeds below the measured value (ties count half); \
         a figure outside the simulated range is off, one below the 5th or above the 95th \
         percentile rank is in the tail. Percentiles are nearest-rank over the seeds."
    } else {
        "With one run, a figure more than 25% away from the simulated one is off; run with \
         `--seeds 1..20` to see where it falls among the simulated percentiles."
    };
    let _ = writeln!(o, "\n{how} Detection is the slowest incident's: its start until the decision that acted on it.");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_is_off_past_a_quarter() {
        let s = Sample::Int(60_000_000);
        assert_eq!(
            single(Figure::Rto, Sample::Int(70_000_000), s),
            Verdict::Within
        );
        assert_eq!(
            single(Figure::Rto, Sample::Int(90_000_000), s),
            Verdict::Differs(1.5)
        );
        assert_eq!(single(Figure::Rto, Sample::Unbounded, s), Verdict::Above);
        assert_eq!(
            single(Figure::LostWrites, Sample::Int(1), Sample::Int(0)),
            Verdict::Within
        );
        assert_eq!(
            single(Figure::LostWrites, Sample::Int(5), Sample::Int(0)),
            Verdict::Above
        );
        assert!(Verdict::Differs(0.5).is_off() && !Verdict::Tail.is_off());
    }
}
