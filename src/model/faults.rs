//! The fault plan: every fault is known before the run starts, so whether a
//! region is up, or a path is cut, over an interval is a pure lookup; and
//! each fault's label. A leaf: imports nothing of the model.

use crate::scenario::{cut_pairs, Direction, FaultKind, RegionId, Scenario};

/// Half-open intervals [start, end) in µs; `end == u64::MAX` never ends.
type Intervals = Vec<(u64, u64)>;

/// An incident: overlapping outages and partitions, merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentWindow {
    pub start_us: u64,
    /// `u64::MAX` when a fault in it never ends.
    pub end_us: u64,
    pub cause: String,
}

#[derive(Clone, Debug)]
pub struct FaultPlan {
    n: usize,
    down: Vec<Intervals>,
    /// `cut[a * n + b]`: traffic from a to b is dropped.
    cut: Vec<Intervals>,
    /// `slow[a * n + b]`: (start, end, extra one-way latency).
    slow: Vec<Vec<(u64, u64, u64)>>,
    /// The earliest start of an outage, partition or latency fault
    /// (`u64::MAX`: none): before it every check is answered without a
    /// lookup, which is most of most runs.
    calm_until_us: u64,
    pub incidents: Vec<IncidentWindow>,
}

fn overlaps(iv: &Intervals, s: u64, e: u64) -> bool {
    iv.iter().any(|&(a, b)| a <= e && b > s)
}

/// The end of the interval containing `t`, if any.
fn covering_end(iv: &Intervals, t: u64) -> Option<u64> {
    iv.iter().find(|&&(a, b)| a <= t && t < b).map(|&(_, b)| b)
}

impl FaultPlan {
    pub fn new(s: &Scenario) -> Self {
        let n = s.regions.len();
        let mut plan = FaultPlan {
            n,
            down: vec![Vec::new(); n],
            cut: vec![Vec::new(); n * n],
            slow: vec![Vec::new(); n * n],
            calm_until_us: u64::MAX,
            incidents: Vec::new(),
        };
        let mut raw: Vec<(u64, u64, String)> = Vec::new();
        for f in &s.faults {
            let (at, end) = (f.at_us, f.end_us());
            if !matches!(f.kind, FaultKind::ClockSkew { .. }) {
                plan.calm_until_us = plan.calm_until_us.min(at);
            }
            match &f.kind {
                FaultKind::RegionOutage { region } => {
                    plan.down[*region].push((at, end));
                    raw.push((
                        at,
                        end,
                        format!("region-outage {}", s.regions[*region].name),
                    ));
                }
                FaultKind::Partition {
                    side_a,
                    side_b,
                    direction,
                } => {
                    for (a, b) in cut_pairs(side_a, side_b, *direction) {
                        plan.cut[a * n + b].push((at, end));
                    }
                    let names = |v: &[RegionId]| {
                        v.iter()
                            .map(|&r| s.regions[r].name.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    let arrow = if *direction == Direction::Both {
                        "|"
                    } else {
                        "->|"
                    };
                    raw.push((
                        at,
                        end,
                        format!("partition {} {arrow} {}", names(side_a), names(side_b)),
                    ));
                }
                FaultKind::Latency { a, b, add_us } => {
                    plan.slow[a * n + b].push((at, end, *add_us));
                    plan.slow[b * n + a].push((at, end, *add_us));
                }
                FaultKind::ClockSkew { .. } => {}
            }
        }
        plan.incidents = merge_incidents(raw);
        plan
    }

    pub fn region_up_at(&self, r: RegionId, t: u64) -> bool {
        covering_end(&self.down[r], t).is_none()
    }

    /// Up for the whole closed interval [s, e].
    pub fn region_up_during(&self, r: RegionId, s: u64, e: u64) -> bool {
        e < self.calm_until_us || !overlaps(&self.down[r], s, e)
    }

    /// Traffic from `a` to `b` is not cut by a partition at any moment of [s, e].
    pub fn uncut_during(&self, a: RegionId, b: RegionId, s: u64, e: u64) -> bool {
        a == b || e < self.calm_until_us || !overlaps(&self.cut[a * self.n + b], s, e)
    }

    /// Both ends up and the direction uncut over [s, e].
    pub fn path_up_during(&self, a: RegionId, b: RegionId, s: u64, e: u64) -> bool {
        self.region_up_during(a, s, e)
            && self.region_up_during(b, s, e)
            && self.uncut_during(a, b, s, e)
    }

    /// Both directions usable right now.
    pub fn reachable_at(&self, a: RegionId, b: RegionId, t: u64) -> bool {
        self.path_up_during(a, b, t, t) && self.uncut_during(b, a, t, t)
    }

    /// The earliest time >= `t` at which a->b is usable, `None` if never.
    pub fn path_restore(&self, a: RegionId, b: RegionId, t: u64) -> Option<u64> {
        let mut t = t;
        let lists = [&self.down[a], &self.down[b], &self.cut[a * self.n + b]];
        loop {
            let next = lists.iter().filter_map(|iv| covering_end(iv, t)).max();
            match next {
                None => return Some(t),
                Some(u64::MAX) => return None,
                Some(e) => t = e,
            }
        }
    }

    /// When the outage covering `t` began (`t` itself if `r` is up).
    pub fn down_since(&self, r: RegionId, t: u64) -> u64 {
        self.down[r]
            .iter()
            .find(|&&(a, b)| a <= t && t < b)
            .map_or(t, |&(a, _)| a)
    }

    /// Extra one-way latency on a->b for a message sent at `t`.
    pub fn extra_latency(&self, a: RegionId, b: RegionId, t: u64) -> u64 {
        if a == b || t < self.calm_until_us {
            return 0;
        }
        self.slow[a * self.n + b]
            .iter()
            .filter(|&&(s, e, _)| s <= t && t < e)
            .map(|&(_, _, add)| add)
            .sum()
    }

    /// Index of the incident whose attribution window [start, next start)
    /// contains `t`.
    pub fn incident_at(&self, t: u64) -> Option<usize> {
        let i = self.incidents.partition_point(|w| w.start_us <= t);
        i.checked_sub(1)
    }
}

/// A fault in words, for charts and traces.
pub fn label(s: &Scenario, kind: &FaultKind) -> String {
    let name = |r: RegionId| s.regions[r].name.as_str();
    let names = |v: &[RegionId]| v.iter().map(|&r| name(r)).collect::<Vec<_>>().join(",");
    match kind {
        FaultKind::RegionOutage { region } => format!("region-outage {}", name(*region)),
        FaultKind::Partition { side_a, side_b, .. } => {
            format!("partition {} | {}", names(side_a), names(side_b))
        }
        FaultKind::Latency { a, b, add_us } => {
            format!("latency +{}ms {} <-> {}", add_us / 1000, name(*a), name(*b))
        }
        FaultKind::ClockSkew { region, offset_us } => {
            format!("clock-skew {} {}us", name(*region), offset_us)
        }
    }
}

fn merge_incidents(mut raw: Vec<(u64, u64, String)>) -> Vec<IncidentWindow> {
    raw.sort_by_key(|x| (x.0, x.1));
    let mut out: Vec<IncidentWindow> = Vec::new();
    for (s, e, cause) in raw {
        match out.last_mut() {
            Some(w) if s < w.end_us => {
                w.end_us = w.end_us.max(e);
                w.cause.push_str(" + ");
                w.cause.push_str(&cause);
            }
            _ => out.push(IncidentWindow {
                start_us: s,
                end_us: e,
                cause,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlapping_faults_into_one_incident() {
        let w = merge_incidents(vec![
            (10, 20, "b".into()),
            (0, 15, "a".into()),
            (30, u64::MAX, "c".into()),
        ]);
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].start_us, w[0].end_us), (0, 20));
        assert_eq!(w[0].cause, "a + b");
        assert_eq!(w[1].end_us, u64::MAX);
    }

    #[test]
    fn interval_queries() {
        let iv = vec![(10, 20)];
        assert!(overlaps(&iv, 5, 10));
        assert!(!overlaps(&iv, 20, 30));
        assert!(!overlaps(&iv, 0, 9));
        assert_eq!(covering_end(&iv, 19), Some(20));
        assert_eq!(covering_end(&iv, 20), None);
    }

    /// The calm shortcut answers as the interval lookups would, right up to
    /// the first fault's start.
    #[test]
    fn calm_until_the_first_fault() {
        let faults = r#"
[[faults]]
at = "10s"
kind = "latency"
between = ["a", "b"]
add = "5ms"
duration = "5s"
[[faults]]
at = "20s"
kind = "region-outage"
region = "b"
duration = "10s"
[[faults]]
at = "40s"
kind = "partition"
sides = [["a"], ["b"]]
duration = "5s"
"#;
        let text = format!("{}{faults}", crate::scenario::tests::MINIMAL);
        let s = crate::scenario::parse_str(&text, "t.toml", crate::scenario::Format::Toml).unwrap();
        let p = FaultPlan::new(&s);
        assert_eq!(p.calm_until_us, 10_000_000);
        assert_eq!(p.extra_latency(0, 1, 9_999_999), 0);
        assert_eq!(p.extra_latency(0, 1, 10_000_000), 5_000);
        assert!(p.region_up_during(1, 0, 19_999_999));
        assert!(!p.region_up_during(1, 0, 20_000_000));
        assert!(p.region_up_during(1, 30_000_000, 35_000_000));
        assert!(p.uncut_during(0, 1, 0, 39_999_999));
        assert!(!p.uncut_during(0, 1, 39_000_000, 40_000_000));
        assert!(!p.path_up_during(0, 1, 41_000_000, 42_000_000));
        assert!(p.path_up_during(0, 1, 45_000_000, 50_000_000));
    }
}
