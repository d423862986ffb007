//! The mesh at the edges of a run: anti-entropy when a region goes dark,
//! clock-skew faults, and the end-of-run verdict (losses of dark origins,
//! convergence, CRDT totals). Touches only mesh state and the shared services.

use crate::engine::EventQueue;
use crate::metrics::{Happening, Loss};
use crate::scenario::{FaultKind, RegionId, Resolution};

use super::merge::Version;
use super::Mesh;
use crate::model::env::Env;
use crate::model::events::Ev;

impl Mesh {
    /// A region goes dark: every survivor fetches what it lacks of that
    /// region's writes from the survivor that has the most of them.
    pub fn anti_entropy(&mut self, env: &mut Env, t: u64, lost: RegionId, q: &mut EventQueue<Ev>) {
        let n = env.n;
        let up: Vec<RegionId> = (0..n)
            .filter(|&r| r != lost && env.plan.region_up_at(r, t))
            .collect();
        for &p in &up {
            let applied = self.applied.clone();
            let have = applied[p * n + lost];
            let best = up
                .iter()
                .copied()
                .filter(|&r| r != p && env.plan.reachable_at(r, p, t))
                .max_by_key(|&r| (applied[r * n + lost], std::cmp::Reverse(r)));
            let Some(src) = best else { continue };
            let upto = self.applied[src * n + lost];
            if upto <= have {
                continue;
            }
            for seq in have + 1..=upto {
                if self.ship(env, t, (src, p), (lost, seq), q).is_err() {
                    break;
                }
            }
            let what = Happening::AntiEntropy {
                region: env.name(p).into(),
                writes: upto - have,
                lost: env.name(lost).into(),
                from: env.name(src).into(),
            };
            env.rec.note(t, Some(p), what);
        }
    }

    /// A clock-skew fault sets its region's clock offset.
    pub fn set_clock(&mut self, kind: &FaultKind) {
        if let FaultKind::ClockSkew { region, offset_us } = kind {
            self.offsets[*region] = *offset_us;
        }
    }

    /// At the end: writes of a dark origin that no live region received are
    /// lost; returns (converged, divergent keys) over the live regions.
    pub fn finish(&mut self, env: &mut Env, end: u64) -> (bool, u64) {
        let n = env.n;
        let up: Vec<RegionId> = (0..n).filter(|&r| env.plan.region_up_at(r, end)).collect();
        for o in (0..n).filter(|o| !up.contains(o)) {
            let since = env.plan.down_since(o, end);
            let m = &mut *self;
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
                env.rec.lost(l);
            }
        }
        let m = &*self;
        let same = |a: &Version, b: &Version| match m.res {
            Resolution::Lww => a.id == b.id,
            _ => (a.count, a.xor) == (b.count, b.xor),
        };
        let place = &env.place;
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
    pub fn crdt_totals(&self, env: &Env, end: u64) -> Vec<(RegionId, u64)> {
        let m = self;
        if m.res == Resolution::Lww {
            return Vec::new();
        }
        (0..m.n)
            .filter(|&r| env.plan.region_up_at(r, end))
            .map(|r| (r, m.versions[r].iter().map(|v| v.count).sum()))
            .collect()
    }
}
