//! What `explore` may change: each fault's start and duration within a range
//! (the knobs), and the seed; a point of that space applied to a scenario.

use crate::engine::time::fmt_duration;
use crate::scenario::{parse_duration_us, FaultKind, Scenario};

/// Which field of a fault a knob moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// `faults[i].at`
    At,
    /// `faults[i].duration`
    Duration,
}

/// One dimension of the search: a fault's start or duration, in [lo, hi] µs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Knob {
    pub fault: usize,
    pub field: Field,
    pub lo_us: u64,
    pub hi_us: u64,
    /// The value in the scenario file.
    pub original_us: u64,
}

impl Knob {
    /// Its path in the scenario file (`faults[1].at`), as `--vary` names it.
    pub fn path(&self) -> String {
        let field = match self.field {
            Field::At => "at",
            Field::Duration => "duration",
        };
        format!("faults[{}].{field}", self.fault)
    }
}

/// The search space: the knobs, and whether the seed is free too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Space {
    pub knobs: Vec<Knob>,
    pub vary_seed: bool,
}

/// One point of the space: a value per knob (in knob order) and a seed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Point {
    pub values: Vec<u64>,
    pub seed: u64,
}

/// The default range of a fault's start: anywhere in the run, so that a fault
/// that ended within `duration` in the file still does.
fn at_knob(s: &Scenario, i: usize) -> Option<Knob> {
    let f = s.faults.get(i)?;
    let last = s.duration_us.saturating_sub(1);
    let hi = match f.duration_us {
        Some(d) if f.at_us.saturating_add(d) <= s.duration_us => s.duration_us - d,
        _ => last,
    };
    Some(Knob {
        fault: i,
        field: Field::At,
        lo_us: 0,
        hi_us: hi.min(last),
        original_us: f.at_us,
    })
}

/// The default range of a fault's duration: half to twice the file's (at
/// least 1 ms, at most the scenario's duration); none for a fault that never
/// ends or a clock skew.
fn duration_knob(s: &Scenario, i: usize) -> Option<Knob> {
    let f = s.faults.get(i)?;
    let d = f.duration_us?;
    if matches!(f.kind, FaultKind::ClockSkew { .. }) {
        return None;
    }
    let lo = (d / 2).max(1000).min(d);
    let hi = d.saturating_mul(2).min(s.duration_us).max(d);
    Some(Knob {
        fault: i,
        field: Field::Duration,
        lo_us: lo,
        hi_us: hi,
        original_us: d,
    })
}

impl Space {
    /// Every fault's start, every meaningful duration, and the seed.
    pub fn default_for(s: &Scenario) -> Space {
        let mut knobs = Vec::new();
        for i in 0..s.faults.len() {
            knobs.extend(at_knob(s, i));
            knobs.extend(duration_knob(s, i));
        }
        Space {
            knobs,
            vary_seed: true,
        }
    }

    /// The space `--vary` names: `seed`, `faults[N].at` or `faults[N].duration`,
    /// each optionally with a range `=LO..HI` (durations). Empty: the default.
    pub fn from_vary(s: &Scenario, vary: &[String]) -> Result<Space, String> {
        if vary.is_empty() {
            return Ok(Space::default_for(s));
        }
        let mut space = Space {
            knobs: Vec::new(),
            vary_seed: false,
        };
        for spec in vary {
            let (path, range) = match spec.split_once('=') {
                Some((p, r)) => (p.trim(), Some(r.trim())),
                None => (spec.trim(), None),
            };
            if path == "seed" {
                if range.is_some() {
                    return Err(format!("--vary {spec}: `seed` takes no range"));
                }
                space.vary_seed = true;
                continue;
            }
            let mut knob = parse_knob(s, path).map_err(|m| format!("--vary {spec}: {m}"))?;
            if let Some(r) = range {
                let (lo, hi) = parse_range(r).map_err(|m| format!("--vary {spec}: {m}"))?;
                if knob.field == Field::At && hi >= s.duration_us {
                    return Err(format!(
                        "--vary {spec}: a fault must start before the scenario's duration ({}); accepted: HI below it",
                        fmt_duration(s.duration_us)
                    ));
                }
                if knob.field == Field::Duration && lo == 0 {
                    return Err(format!(
                        "--vary {spec}: a duration must be greater than 0; accepted: LO of 1us or more"
                    ));
                }
                knob.lo_us = lo;
                knob.hi_us = hi;
            }
            space.knobs.retain(|k| k.path() != knob.path());
            space.knobs.push(knob);
        }
        space.knobs.sort_by_key(|k| (k.fault, k.field));
        Ok(space)
    }

    /// The scenario's own point.
    pub fn original(&self, s: &Scenario) -> Point {
        Point {
            values: self.knobs.iter().map(|k| k.original_us).collect(),
            seed: s.seed,
        }
    }

    /// `p` moved into the space: each value within its knob's range, and a
    /// fault that ended within the run in the file still ending within it.
    pub fn normalize(&self, s: &Scenario, mut p: Point) -> Point {
        for (v, k) in p.values.iter_mut().zip(&self.knobs) {
            *v = (*v).clamp(k.lo_us, k.hi_us);
        }
        if !self.vary_seed {
            p.seed = s.seed;
        }
        let applied = self.apply(s, &p);
        for (v, k) in p.values.iter_mut().zip(&self.knobs) {
            if let Some(f) = applied.faults.get(k.fault) {
                *v = match k.field {
                    Field::At => f.at_us,
                    Field::Duration => f.duration_us.unwrap_or(*v),
                };
            }
        }
        p
    }

    /// The scenario with `p`'s fault times (its seed is passed to the run).
    pub fn apply(&self, s: &Scenario, p: &Point) -> Scenario {
        let mut out = s.clone();
        for (k, &v) in self.knobs.iter().zip(&p.values) {
            if let Some(f) = out.faults.get_mut(k.fault) {
                match k.field {
                    Field::At => f.at_us = v,
                    Field::Duration => f.duration_us = Some(v.max(1)),
                }
            }
        }
        // A fault starts before the end of the run; one that ended within the
        // run in the file still does (its start moves earlier if need be).
        for (f, orig) in out.faults.iter_mut().zip(&s.faults) {
            let within = orig
                .duration_us
                .is_some_and(|d| orig.at_us.saturating_add(d) <= s.duration_us);
            if let (true, Some(d)) = (within, f.duration_us) {
                let d = d.min(s.duration_us);
                f.duration_us = Some(d);
                f.at_us = f.at_us.min(s.duration_us - d);
            }
            f.at_us = f.at_us.min(s.duration_us.saturating_sub(1));
        }
        out
    }
}

fn parse_knob(s: &Scenario, path: &str) -> Result<Knob, String> {
    let accepted = "accepted: seed, faults[N].at or faults[N].duration, optionally =LO..HI";
    let rest = path
        .strip_prefix("faults[")
        .ok_or_else(|| format!("unknown parameter `{path}`; {accepted}"))?;
    let (index, field) = rest
        .split_once("].")
        .ok_or_else(|| format!("unknown parameter `{path}`; {accepted}"))?;
    let i: usize = index
        .parse()
        .map_err(|_| format!("`{index}` is not a fault index; {accepted}"))?;
    if i >= s.faults.len() {
        return Err(format!(
            "the scenario has {} fault(s), so faults[{i}] does not exist (indexes start at 0)",
            s.faults.len()
        ));
    }
    match field {
        "at" => at_knob(s, i).ok_or_else(|| format!("faults[{i}] does not exist")),
        "duration" => duration_knob(s, i).ok_or_else(|| {
            format!("faults[{i}] has no duration to vary (it never ends, or is a clock skew)")
        }),
        other => Err(format!(
            "faults[{i}] has no field `{other}` to vary; {accepted}"
        )),
    }
}

fn parse_range(r: &str) -> Result<(u64, u64), String> {
    let (a, b) = r
        .split_once("..")
        .ok_or_else(|| format!("`{r}` is not a range; expected LO..HI such as 30s..2m"))?;
    let lo = parse_duration_us(a.trim())?;
    let hi = parse_duration_us(b.trim())?;
    if lo > hi {
        return Err(format!("the range `{r}` is empty: LO must not exceed HI"));
    }
    Ok((lo, hi))
}
