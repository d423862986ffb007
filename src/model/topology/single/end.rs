//! Single-primary at the end of a run: the zombie's orphans, the writes a
//! dark primary took with it, and whether the live copies converged.
//! Touches single-primary state and the shared services.

use crate::metrics::Loss;
use crate::scenario::RegionId;

use super::SinglePrimary;
use crate::model::env::Env;

impl SinglePrimary {
    /// The end-of-run verdict: (converged, divergent keys) over the live
    /// regions, after recording what only the end reveals as lost.
    pub fn finish(&mut self, env: &mut Env, end: u64) -> (bool, u64) {
        self.orphans_at_end(env);
        self.losses_at_end(env, end);
        self.convergence(env, end)
    }

    fn up_members(&self, env: &Env, t: u64) -> Vec<RegionId> {
        self.members
            .iter()
            .copied()
            .filter(|&r| env.plan.region_up_at(r, t))
            .collect()
    }

    /// With the primary dark at the end and nobody promoted, the writes that no
    /// live region holds are gone.
    fn losses_at_end(&mut self, env: &mut Env, t: u64) {
        if env.plan.region_up_at(self.primary, t) {
            return;
        }
        let holders: Vec<(RegionId, u64)> = self
            .followers()
            .filter(|&r| env.plan.region_up_at(r, t) && !self.nodes[r].needs_resync)
            .map(|r| (r, self.nodes[r].applied))
            .collect();
        let Some(low) = holders.iter().map(|h| h.1).min() else {
            return;
        };
        let since = env.plan.down_since(self.primary, t);
        let start = self.log.end() - self.log.after(low).count() as u64;
        // Survived: some live follower allowed to hold the key applied it.
        let place = &env.place;
        let survived = |i: u64, key: u32| {
            holders
                .iter()
                .any(|&(r, applied)| applied >= i && place.allowed(key, r))
        };
        let lost: Vec<Loss> = self
            .log
            .after(low)
            .zip(start + 1..)
            .filter(|(e, i)| e.acked && !survived(*i, e.key))
            .map(|(e, _)| e)
            .map(|e| Loss {
                id: e.id,
                key: e.key,
                region: e.origin as usize,
                commit_us: e.commit_us,
                at_us: e.commit_us.max(since),
            })
            .collect();
        for l in lost {
            env.rec.lost(l);
        }
    }

    /// (converged, divergent keys) over the regions that are up at the end.
    fn convergence(&self, env: &Env, t: u64) -> (bool, u64) {
        let up = self.up_members(env, t);
        let reference = if up.contains(&self.primary) {
            self.primary
        } else {
            match up.first() {
                Some(&r) => r,
                None => return (true, 0),
            }
        };
        let base = &self.nodes[reference].kv;
        let others: Vec<(RegionId, &Vec<u32>)> = up
            .iter()
            .filter(|&&r| r != reference)
            .map(|&r| (r, &self.nodes[r].kv))
            .collect();
        // A region compares only the keys it may hold (residency).
        let place = &env.place;
        let divergent = (0..base.len())
            .filter(|&k| {
                others
                    .iter()
                    .any(|(r, o)| place.allowed(k as u32, *r) && o[k] != base[k])
            })
            .count() as u64;
        (divergent == 0, divergent)
    }
}
