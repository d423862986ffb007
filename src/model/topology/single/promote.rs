//! Single-primary failover: promoting a replica (the old primary's unshipped
//! writes become orphans of a zombie) and reconnecting followers afterwards.
//! Touches only single-primary state and the shared services.

use crate::engine::EventQueue;
use crate::metrics::Happening;
use crate::scenario::RegionId;

use super::rejoin::Zombie;
use super::SinglePrimary;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::topology::window::Stream;

impl SinglePrimary {
    /// Makes `target` the primary; the old primary becomes a zombie until it can
    /// reach the new one.
    pub fn promote(&mut self, env: &mut Env, t: u64, target: RegionId, q: &mut EventQueue<Ev>) {
        let old = self.primary;
        let cut = self.nodes[target].applied;
        let orphans = self.log.truncate_after(cut);
        let acked = orphans.iter().filter(|e| e.acked).count();
        self.acks.on_promotion(t, cut);
        self.term += 1;
        self.primary = target;
        if let Some(z) = self.zombie.region {
            // An older deposed primary that never stepped down: what only it
            // held is gone; it is rebuilt when it can be reached.
            self.orphans_at_end(env);
            if z != target {
                self.nodes[z].needs_resync = true;
            }
        }
        self.zombie = Zombie {
            region: (old != target).then_some(old),
            orphans,
            restarted: !env.plan.region_up_at(old, t),
            fork_us: t,
        };
        self.nodes[target].term = self.term;
        self.streams[target] = Stream::default();
        let what = Happening::Promoted {
            target: env.name(target).into(),
            old: env.name(old).into(),
            log_position: cut,
            orphaned: self.zombie.orphans.len() as u64,
            orphaned_acked: acked as u64,
        };
        env.rec.note(t, Some(target), what);
        env.rec.writer_back(t);
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            let node = &mut self.nodes[f];
            node.term = self.term;
            if node.applied > cut {
                node.needs_resync = true;
            }
            self.streams[f] = Stream::resume_after(node.applied);
        }
        self.reconnect(env, t, q);
    }

    /// After a promotion or a fault ending: deposed primaries that can reach
    /// the primary step down and rejoin; diverged replicas are rebuilt.
    pub fn reconnect(&mut self, env: &mut Env, t: u64, q: &mut EventQueue<Ev>) {
        let p = self.primary;
        self.try_rejoin(env, t, q);
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            if self.nodes[f].needs_resync && env.plan.reachable_at(f, p, t) {
                self.resync(env, f);
                let what = Happening::Rebuilt {
                    region: env.name(f).into(),
                    primary: env.name(p).into(),
                };
                env.rec.note(t, Some(f), what);
            }
            self.pump(env, t, f, q);
        }
    }
}
