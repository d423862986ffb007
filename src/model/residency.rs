//! Where each key may live and where it is written: `[[residency]]` ranges
//! pinned to a jurisdiction's regions, and (home-region) each key's home.
//! A leaf: imports nothing of the model.

use crate::metrics::RangeInfo;
use crate::scenario::{RegionId, Scenario, Topology};

/// One residency rule, as the model uses it.
#[derive(Clone, Debug)]
struct Range {
    lo: u32,
    hi: u32,
    /// Bit r set: region r is in the rule's jurisdiction.
    mask: u64,
}

#[derive(Clone, Debug)]
pub struct Placement {
    ranges: Vec<Range>,
    all: u64,
    /// Home-region: the home of each key (empty for other topologies).
    homes: Vec<u8>,
}

/// A stable 64-bit mix of a key (splitmix64's finaliser).
fn mix(key: u32) -> u64 {
    let mut z = u64::from(key).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Placement {
    pub fn new(s: &Scenario) -> Placement {
        let n = s.regions.len();
        let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        let ranges = s
            .residency
            .iter()
            .map(|r| Range {
                lo: r.keys_lo,
                hi: r.keys_hi,
                mask: s
                    .regions
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.jurisdiction.as_deref() == Some(r.jurisdiction.as_str()))
                    .fold(0, |m, (i, _)| m | 1 << i),
            })
            .collect();
        let mut p = Placement {
            ranges,
            all,
            homes: Vec::new(),
        };
        if s.replication.topology == Topology::HomeRegion {
            p.homes = (0..s.workload.keys)
                .map(|k| {
                    let eligible = p.eligible(k);
                    eligible[(mix(k) % eligible.len() as u64) as usize] as u8
                })
                .collect();
        }
        p
    }

    /// The residency rule that pins `key`, if one does.
    pub fn rule(&self, key: u32) -> Option<usize> {
        self.ranges.iter().position(|r| key >= r.lo && key < r.hi)
    }

    /// The regions `key` may be stored in, as a bit mask.
    pub fn mask(&self, key: u32) -> u64 {
        self.rule(key).map_or(self.all, |i| self.ranges[i].mask)
    }

    pub fn allowed(&self, key: u32, region: RegionId) -> bool {
        self.mask(key) >> region & 1 == 1
    }

    /// The regions `key` may be stored in, in scenario order (never empty:
    /// validation requires every jurisdiction to have a region).
    pub fn eligible(&self, key: u32) -> Vec<RegionId> {
        let m = self.mask(key);
        (0..64).filter(|r| m >> r & 1 == 1).collect()
    }

    pub fn has_rules(&self) -> bool {
        !self.ranges.is_empty()
    }

    /// Home-region: the key's current home.
    pub fn home(&self, key: u32) -> RegionId {
        self.homes.get(key as usize).map_or(0, |&h| h as RegionId)
    }

    pub fn set_home(&mut self, key: u32, region: RegionId) {
        if let Some(h) = self.homes.get_mut(key as usize) {
            *h = region as u8;
        }
    }

    /// Home-region: the keys whose home is `region`.
    pub fn keys_homed_at(&self, region: RegionId) -> impl Iterator<Item = u32> + '_ {
        self.homes
            .iter()
            .enumerate()
            .filter(move |(_, &h)| h as RegionId == region)
            .map(|(k, _)| k as u32)
    }

    /// The ranges as the metrics describe them: each rule, then the rest.
    pub fn describe(&self, s: &Scenario) -> Vec<RangeInfo> {
        let names = |m: u64| -> Vec<String> {
            (0..s.regions.len())
                .filter(|r| m >> r & 1 == 1)
                .map(|r| s.regions[r].name.clone())
                .collect()
        };
        let mut v: Vec<RangeInfo> = self
            .ranges
            .iter()
            .zip(&s.residency)
            .map(|(r, rule)| RangeInfo {
                lo: r.lo,
                hi: r.hi,
                jurisdiction: Some(rule.jurisdiction.clone()),
                regions: names(r.mask),
            })
            .collect();
        let pinned: u64 = self.ranges.iter().map(|r| u64::from(r.hi - r.lo)).sum();
        if pinned < u64::from(s.workload.keys) {
            v.push(RangeInfo {
                lo: 0,
                hi: s.workload.keys,
                jurisdiction: None,
                regions: names(self.all),
            });
        }
        v
    }

    /// The regions every pinned range allows (single-primary failover targets).
    pub fn common_mask(&self) -> u64 {
        self.ranges.iter().fold(self.all, |m, r| m & r.mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_spreads_keys() {
        let mut counts = [0u32; 3];
        for k in 0..30_000 {
            counts[(mix(k) % 3) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }
}
