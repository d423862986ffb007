//! Health checks: checkers in named regions probe each candidate region; a
//! checker flips after `failure_threshold` consecutive results, and a region is
//! unhealthy when more than `unhealthy_share` of its checkers call it so.
//! A leaf: imports nothing of the model; the control plane drives it.

use crate::scenario::{HealthCheck, RegionId};

#[derive(Clone, Copy, Debug, Default)]
struct Checker {
    region: RegionId,
    fails: u32,
    passes: u32,
    unhealthy: bool,
}

#[derive(Clone, Debug)]
pub struct Health {
    threshold: u32,
    share: f64,
    /// Per target region: its checkers (empty for regions nobody checks).
    checkers: Vec<Vec<Checker>>,
    unhealthy: Vec<bool>,
}

/// What a probe result changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    None,
    /// This checker flipped; the aggregate did not.
    Checker,
    /// The region's aggregate status flipped; `true` = now unhealthy.
    Region(bool),
}

impl Health {
    /// `targets`: the regions checked; default checkers are every other region.
    pub fn new(cfg: &HealthCheck, regions: usize, targets: &[RegionId]) -> Health {
        let mut checkers = vec![Vec::new(); regions];
        for &t in targets {
            let list: Vec<RegionId> = match &cfg.checkers {
                Some(c) => c.clone(),
                None => (0..regions).filter(|&r| r != t).collect(),
            };
            checkers[t] = list
                .into_iter()
                .map(|region| Checker {
                    region,
                    ..Checker::default()
                })
                .collect();
        }
        Health {
            threshold: cfg.failure_threshold.max(1),
            share: cfg.unhealthy_share,
            checkers,
            unhealthy: vec![false; regions],
        }
    }

    /// (target, checker slot, checker region) for every probe loop.
    pub fn loops(&self) -> Vec<(RegionId, usize, RegionId)> {
        let mut v = Vec::new();
        for (t, list) in self.checkers.iter().enumerate() {
            for (slot, c) in list.iter().enumerate() {
                v.push((t, slot, c.region));
            }
        }
        v
    }

    pub fn checker_region(&self, target: RegionId, slot: usize) -> RegionId {
        self.checkers[target][slot].region
    }

    pub fn is_unhealthy(&self, r: RegionId) -> bool {
        self.unhealthy[r]
    }

    /// Records one probe result.
    pub fn record(&mut self, target: RegionId, slot: usize, ok: bool) -> Change {
        let th = self.threshold;
        let c = &mut self.checkers[target][slot];
        let flipped = if ok {
            c.fails = 0;
            c.passes = c.passes.saturating_add(1);
            if c.unhealthy && c.passes >= th {
                c.unhealthy = false;
                true
            } else {
                false
            }
        } else {
            c.passes = 0;
            c.fails = c.fails.saturating_add(1);
            if !c.unhealthy && c.fails >= th {
                c.unhealthy = true;
                true
            } else {
                false
            }
        };
        if !flipped {
            return Change::None;
        }
        let list = &self.checkers[target];
        let bad = list.iter().filter(|c| c.unhealthy).count();
        let now_unhealthy = !list.is_empty() && (bad as f64) / (list.len() as f64) > self.share;
        if now_unhealthy != self.unhealthy[target] {
            self.unhealthy[target] = now_unhealthy;
            Change::Region(now_unhealthy)
        } else {
            Change::Checker
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(share: f64) -> HealthCheck {
        HealthCheck {
            interval_us: 30,
            failure_threshold: 3,
            timeout_us: 4,
            checkers: None,
            unhealthy_share: share,
        }
    }

    #[test]
    fn threshold_in_both_directions() {
        let mut h = Health::new(&cfg(0.5), 2, &[0]);
        assert_eq!(h.record(0, 0, false), Change::None);
        assert_eq!(h.record(0, 0, false), Change::None);
        assert_eq!(h.record(0, 0, false), Change::Region(true));
        assert_eq!(h.record(0, 0, true), Change::None);
        assert_eq!(h.record(0, 0, true), Change::None);
        assert_eq!(h.record(0, 0, true), Change::Region(false));
    }

    #[test]
    fn share_must_be_exceeded() {
        // Target 0 checked from regions 1..=4 (four checkers), Route 53's 0.82.
        let mut h = Health::new(&cfg(0.82), 5, &[0]);
        let fail = |h: &mut Health, slot| (0..3).map(|_| h.record(0, slot, false)).last();
        fail(&mut h, 0);
        assert!(!h.is_unhealthy(0), "1 of 4");
        fail(&mut h, 1);
        assert_eq!(fail(&mut h, 2), Some(Change::Checker));
        assert!(!h.is_unhealthy(0), "3 of 4 = 75% <= 82%");
        assert_eq!(fail(&mut h, 3), Some(Change::Region(true)));
        assert!(h.is_unhealthy(0), "4 of 4 > 82%");
    }
}
