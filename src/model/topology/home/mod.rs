//! Home-region: each key is written only at its home, over the replication
//! mesh; when a home turns unhealthy its keys move (`moves.rs`), and with
//! `mode = "sync"` a home holds answers for a quorum of receipts
//! (`quorum.rs`). Owns the mesh, the decided moves and the held answers;
//! may touch the shared services (`Env`) and answer clients through [`Front`].

mod moves;
mod quorum;

use crate::engine::EventQueue;
use crate::scenario::{RegionId, Scenario};

use super::front::Front;
use super::mesh::Mesh;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::health::Health;
use moves::HomeState;
use quorum::Quorum;

pub struct HomeRegion {
    mesh: Mesh,
    moves: HomeState,
    /// With `mode = "sync"`: answers held for receipts.
    quorum: Option<Quorum>,
}

impl HomeRegion {
    pub fn new(s: &Scenario) -> HomeRegion {
        let quorum = Quorum::new(s);
        HomeRegion {
            mesh: Mesh::new(s, quorum.is_some()),
            moves: HomeState::new(s.regions.len()),
            quorum,
        }
    }

    pub fn mesh(&self) -> &Mesh {
        &self.mesh
    }

    pub fn mesh_mut(&mut self) -> &mut Mesh {
        &mut self.mesh
    }

    /// Attempt `attempt` of request `req` (write of `key`) reaches `dst`.
    pub fn commit(
        &mut self,
        (env, front): (&mut Env, &mut Front),
        t: u64,
        (req, key, attempt): (u64, u32, u8),
        dst: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let id = req + 1;
        if env.place.home(key) != dst {
            // No longer this key's home (it moved): refused.
            front.refuse(env, t, req, dst, attempt, q);
            return;
        }
        let Some(quorum) = self.quorum.as_mut() else {
            self.mesh
                .commit_answered((env, front), t, (req, key, attempt), dst, q);
            return;
        };
        // Committed at the home; the answer waits for receipts.
        if let Some(seq) = self.mesh.commit(env, t, (id, key), dst, false, q) {
            let held = ((seq, key), (req, attempt));
            quorum.hold((&mut self.mesh, env, front), t, dst, held.0, held.1, q);
        }
    }

    /// A replication or failover event of this topology.
    pub fn handle(
        &mut self,
        (env, front, health): (&mut Env, &mut Front, Option<&Health>),
        t: u64,
        ev: Ev,
        q: &mut EventQueue<Ev>,
    ) {
        match ev {
            Ev::Rehome { from, token } => {
                if let Some(h) = health {
                    self.rehome(env, h, t, (from as RegionId, token));
                }
            }
            Ev::MpReceipt { origin, from, seq } => {
                if let Some(quorum) = self.quorum.as_mut() {
                    let at = (origin as RegionId, from as RegionId, seq);
                    quorum.receipt((&mut self.mesh, env, front), t, at, q);
                }
            }
            _ => self.mesh.handle(env, t, ev, q),
        }
    }
}
