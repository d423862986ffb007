//! Multi-primary and home-region at the edges of a run: anti-entropy when a
//! region goes dark, clock-skew faults, and the end-of-run verdict (losses
//! of dark origins, convergence, CRDT totals).

use crate::engine::EventQueue;
use crate::metrics::{Happening, Loss};
use crate::scenario::{FaultKind, RegionId, Resolution};

use super::merge::Version;
use super::world::{Ev, World};

impl World<'_> {
    /// A region goes dark: every survivor fetches what it lacks of that
    /// region's writes from the survivor that has the most of them.
    pub fn mp_anti_entropy(&mut self, t: u64, lost: RegionId, q: &mut EventQueue<Ev>) {
        let n = self.n;
        let up: Vec<RegionId> = (0..n)
            .filter(|&r| r != lost && self.plan.region_up_at(r, t))
            .collect();
        for &p in &up {
            let applied = self.mp().applied.clone();
            let have = applied[p * n + lost];
            let best = up
                .iter()
                .copied()
                .filter(|&r| r != p && self.plan.reachable_at(r, p, t))
                .max_by_key(|&r| (applied[r * n + lost], std::cmp::Reverse(r)));
            let Some(src) = best else { continue };
            let upto = self.mp().applied[src * n + lost];
            if upto <= have {
                continue;
            }
            for seq in have + 1..=upto {
                if self.mp_ship(t, src, lost, p, seq, q).is_err() {
                    break;
                }
            }
            let what = Happening::AntiEntropy {
                region: self.name(p).into(),
                writes: upto - have,
                lost: self.name(lost).into(),
                from: self.name(src).into(),
            };
            self.rec.note(t, Some(p), what);
        }
    }

    pub fn mp_clock(&mut self, kind: &FaultKind) {
        if let (FaultKind::ClockSkew { region, offset_us }, Some(m)) = (kind, self.multi.as_mut()) {
            m.offsets[*region] = *offset_us;
        }
    }

    /// At the end: writes of a dark origin that no live region received are
    /// lost; returns (converged, divergent keys) over the live regions.
    pub fn mp_finish(&mut self, end: u64) -> (bool, u64) {
        let n = self.n;
        let up: Vec<RegionId> = (0..n).filter(|&r| self.plan.region_up_at(r, end)).collect();
        for o in (0..n).filter(|o| !up.contains(o)) {
            let since = self.plan.down_since(o, end);
            let m = self.mp();
            let best = up.iter().map(|&r| m.applied[r * n + o]).max().unwrap_or(0);
            let log = &m.logs[o];
            let lost: Vec<Loss> = log
                .writes
                .iter()
                .enumerate()
                .filter(|(i, w)| log.first + *i as u64 > best && w.acked && !w.void)
                .map(|(_, w)| Loss {
                    id: w.id,
                    key: w.key,
                    region: o,
                    commit_us: w.true_us,
                    at_us: since.max(w.true_us),
                })
                .collect();
            for l in lost {
                self.rec.lost(l);
            }
        }
        let m = self.multi.as_ref().expect("multi-primary state");
        let same = |a: &Version, b: &Version| match m.res {
            Resolution::Lww => a.id == b.id,
            _ => (a.count, a.xor) == (b.count, b.xor),
        };
        let place = &self.place;
        // Every live region that may hold the key must hold the same value.
        let divergent = (0..m.keys)
            .filter(|&k| {
                let mut holders = up.iter().filter(|&&r| place.allowed(k as u32, r));
                let Some(&a) = holders.next() else {
                    return false;
                };
                holders.any(|&r| !same(&m.versions[r][k], &m.versions[a][k]))
            })
            .count() as u64;
        (divergent == 0, divergent)
    }

    /// CRDTs: per live region, the sum over keys of the merged increments.
    pub fn mp_crdt_totals(&self, end: u64) -> Vec<(RegionId, u64)> {
        let Some(m) = &self.multi else {
            return Vec::new();
        };
        if m.res == Resolution::Lww {
            return Vec::new();
        }
        (0..m.n)
            .filter(|&r| self.plan.region_up_at(r, end))
            .map(|r| (r, m.versions[r].iter().map(|v| v.count).sum()))
            .collect()
    }
}
