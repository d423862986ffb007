//! Split brain and its end: the writes a deposed primary holds that the new
//! lineage lacks (orphans), when it steps down (fencing, restart), and what
//! happens to its orphans then (`on_rejoin`: discard or reconcile). Owns the
//! zombie; touches single-primary state and the shared services.

use crate::engine::EventQueue;
use crate::metrics::{Happening, Loss, RejoinOutcome};
use crate::scenario::{OnRejoin, RegionId};

use super::log::Entry;
use super::SinglePrimary;
use crate::model::env::Env;
use crate::model::events::Ev;

/// The deposed primary and what only it holds.
#[derive(Clone, Debug, Default)]
pub struct Zombie {
    pub region: Option<RegionId>,
    /// Its writes the new lineage lacks, in commit order.
    pub orphans: Vec<Entry>,
    /// It went dark since it was deposed: it restarts as a replica.
    pub restarted: bool,
    /// When it was deposed (the fork).
    pub fork_us: u64,
}

impl SinglePrimary {
    /// Whether the deposed primary steps down now: fenced by the new primary
    /// (fencing = true) or restarted, and able to reach the new primary.
    fn may_rejoin(&self, env: &Env, z: RegionId, t: u64) -> bool {
        let fencing = env.s.failover.as_ref().is_some_and(|f| f.fencing);
        (fencing || self.zombie.restarted) && env.plan.reachable_at(z, self.primary, t)
    }

    /// A region-outage of the deposed primary begins: it will restart.
    pub fn zombie_went_dark(&mut self, region: RegionId) {
        if self.zombie.region == Some(region) {
            self.zombie.restarted = true;
        }
    }

    /// Steps the deposed primary down if it may; returns whether it did.
    pub fn try_rejoin(&mut self, env: &mut Env, t: u64, q: &mut EventQueue<Ev>) -> bool {
        let Some(z) = self.zombie.region else {
            return false;
        };
        if !self.may_rejoin(env, z, t) {
            return false;
        }
        let orphans = std::mem::take(&mut self.zombie.orphans);
        let reconcile = env
            .s
            .failover
            .as_ref()
            .is_some_and(|f| f.on_rejoin == OnRejoin::Reconcile);
        let fork = self.zombie.fork_us;
        let acked = orphans.iter().filter(|e| e.acked).count() as u64;
        let outcome = if reconcile {
            let (kept, lost_lww) = self.reconcile(env, t, &orphans, q);
            // Orphans of a key whose tip was replayed are in the final state.
            let kept_keys: std::collections::BTreeSet<u32> = orphans
                .iter()
                .filter(|e| self.lineage_us[e.key as usize] == e.commit_us)
                .map(|e| e.key)
                .collect();
            let surviving = orphans
                .iter()
                .filter(|e| e.acked && kept_keys.contains(&e.key))
                .count() as u64;
            env.rec.orphans_set_aside(fork, acked, surviving);
            RejoinOutcome::Reconciled {
                replayed: kept,
                lost_lww,
            }
        } else {
            let acked_lost = Self::discard(env, &orphans, t) as u64;
            env.rec.orphans_set_aside(fork, acked, 0);
            RejoinOutcome::Discarded { acked_lost }
        };
        let what = Happening::Rejoined {
            region: env.name(z).into(),
            primary: env.name(self.primary).into(),
            orphaned: orphans.len() as u64,
            outcome,
        };
        env.rec.note(t, Some(z), what);
        self.zombie = Zombie::default();
        self.resync(env, z);
        true
    }

    /// Records the acknowledged orphans as lost; returns how many.
    fn discard(env: &mut Env, orphans: &[Entry], at_us: u64) -> u64 {
        let mut lost = 0;
        for e in orphans.iter().filter(|e| e.acked) {
            lost += 1;
            env.rec.lost(Loss {
                id: e.id,
                key: e.key,
                region: e.origin as usize,
                commit_us: e.commit_us,
                at_us,
            });
        }
        lost
    }

    /// Replays the orphans into the new primary. Per key only the old side's
    /// last write matters (it saw the earlier ones); if the new lineage also
    /// wrote the key since the fork, that is one conflict, resolved by last
    /// writer wins on commit time. Returns (replayed keys, discarded by LWW).
    fn reconcile(
        &mut self,
        env: &mut Env,
        t: u64,
        orphans: &[Entry],
        q: &mut EventQueue<Ev>,
    ) -> (u64, u64) {
        let mut tips: std::collections::BTreeMap<u32, Entry> = std::collections::BTreeMap::new();
        for e in orphans {
            tips.insert(e.key, *e);
        }
        let (mut kept, mut lost) = (0, 0);
        let fork = self.zombie.fork_us;
        for e in tips.values() {
            let k = e.key as usize;
            let theirs = self.lineage_us[k];
            if theirs > fork {
                env.rec.conflict(self.primary);
                if theirs >= e.commit_us {
                    lost += 1;
                    if e.acked {
                        // The winner committed later in true time: no inversion.
                        env.rec.lww_discarded(false);
                    }
                    continue;
                }
            }
            kept += 1;
            self.append(env, t, e.id, e.key, e.acked, q);
            self.lineage_us[k] = e.commit_us;
        }
        (kept, lost)
    }

    /// At the end of the run: a deposed primary that never stepped down keeps
    /// writes the system's lineage lacks; the acknowledged ones are lost.
    pub fn orphans_at_end(&mut self, env: &mut Env) {
        let orphans = std::mem::take(&mut self.zombie.orphans);
        let fork = self.zombie.fork_us;
        let acked = orphans.iter().filter(|e| e.acked).count() as u64;
        env.rec.orphans_set_aside(fork, acked, 0);
        for e in orphans.iter().filter(|e| e.acked) {
            env.rec.lost(Loss {
                id: e.id,
                key: e.key,
                region: e.origin as usize,
                commit_us: e.commit_us,
                // Lost since the fork (or since its own commit, if later).
                at_us: e.commit_us.max(fork),
            });
        }
    }
}
