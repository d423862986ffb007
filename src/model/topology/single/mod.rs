//! Single-primary: one primary commits every write and streams its log to
//! the replicas (async, semi-sync or sync); a failover promotes a replica,
//! the deposed primary may live on as a zombie until it rejoins. Owns the
//! log, the copies, the streams, the primary and term, the zombie and the
//! acknowledgement state; may touch the shared services (`Env`) and answer
//! clients through [`Front`].
//!
//! `ship.rs` streams the log, `promote.rs` changes the primary, `acks.rs`
//! holds answers for receipts, `rejoin.rs` ends a split brain, `end.rs`
//! judges the end of the run, `log.rs` is the data.

mod acks;
mod end;
mod log;
mod promote;
mod rejoin;
mod ship;

use crate::engine::{EventQueue, LaneId};
use crate::scenario::{RegionId, Scenario};

use super::front::Front;
use super::window::Stream;
use crate::model::env::Env;
use crate::model::events::Ev;
use acks::AckState;
use log::{Log, Node};
use rejoin::Zombie;

pub struct SinglePrimary {
    log: Log,
    nodes: Vec<Node>,
    streams: Vec<Stream>,
    /// Primary first, then the replicas in order of preference.
    members: Vec<RegionId>,
    primary: RegionId,
    term: u32,
    /// An old primary that still believes it is primary, and its orphans.
    zombie: Zombie,
    /// Per key: commit time of the lineage's latest write (for reconcile).
    lineage_us: Vec<u64>,
    since_trim: u32,
    /// Acknowledgement holding (semi-sync, sync): see `acks.rs`.
    acks: AckState,
    semi_lane: LaneId,
}

impl SinglePrimary {
    /// `reads`: copies keep their versions' commit times (for staleness).
    pub fn new(s: &Scenario, members: Vec<RegionId>, reads: bool, semi_lane: LaneId) -> Self {
        let n = s.regions.len();
        let keys = s.workload.keys as usize;
        let nodes = (0..n)
            .map(|r| {
                let mut node = Node::new(if members.contains(&r) { keys } else { 0 });
                if reads {
                    node.stamps = vec![0; node.kv.len()];
                }
                node
            })
            .collect();
        SinglePrimary {
            log: Log::new(),
            nodes,
            streams: vec![Stream::default(); n],
            primary: members[0],
            members,
            term: 1,
            zombie: Zombie::default(),
            lineage_us: vec![0; keys],
            since_trim: 0,
            acks: AckState::new(s, n),
            semi_lane,
        }
    }

    /// The members start in the first term.
    pub fn start(&mut self) {
        for r in &self.members {
            self.nodes[*r].term = self.term;
        }
    }

    pub fn primary(&self) -> RegionId {
        self.primary
    }

    /// The primary and a deposed primary that has not stepped down yet.
    pub fn writers(&self) -> (RegionId, Option<RegionId>) {
        (self.primary, self.zombie.region)
    }

    /// Whether `r` takes writes now (if up): the primary, or a deposed
    /// primary that can still acknowledge on its own.
    pub fn accepts_writes(&self, r: RegionId) -> bool {
        r == self.primary || (self.zombie.region == Some(r) && self.acks.zombie_acks())
    }

    /// The log position `r` has applied.
    pub fn applied(&self, r: RegionId) -> u64 {
        self.nodes[r].applied
    }

    pub fn log_end(&self) -> u64 {
        self.log.end()
    }

    /// (semi-sync fallbacks, time spent degraded up to `end`).
    pub fn semi_sync(&self, end: u64) -> (u64, u64) {
        (self.acks.fallbacks, self.acks.degraded_us(end))
    }

    /// The version `at` holds of `key` for reads: its commit time + 1 (0:
    /// the initial value), `None` when it holds no copy.
    pub fn stamp(&self, at: RegionId, key: u32) -> Option<u64> {
        self.nodes[at].stamps.get(key as usize).copied()
    }

    /// Regions that follow the current primary.
    pub fn followers(&self) -> impl Iterator<Item = RegionId> + '_ {
        let p = self.primary;
        let z = self.zombie.region;
        self.members
            .iter()
            .copied()
            .filter(move |&r| r != p && Some(r) != z)
    }

    /// The most caught-up follower that `excluded` does not rule out and
    /// that is not waiting for a rebuild (ties: order of preference).
    pub fn candidate(&self, excluded: impl Fn(RegionId) -> bool) -> Option<RegionId> {
        let mut best: Option<RegionId> = None;
        for r in self.followers() {
            if excluded(r) || self.nodes[r].needs_resync {
                continue;
            }
            if best.is_none_or(|b| self.nodes[r].applied > self.nodes[b].applied) {
                best = Some(r);
            }
        }
        best
    }

    /// Attempt `attempt` of request `req` (write of `key`) commits at `dst`.
    pub fn commit(
        &mut self,
        env: &mut Env,
        front: &mut Front,
        t: u64,
        (req, key, attempt): (u64, u32, u8),
        dst: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let id = req + 1;
        if dst == self.primary {
            if self.acks.holding() {
                // Committed locally; the client's answer waits for receipts.
                let idx = self.append(env, t, id, key, false, q);
                self.hold(t, idx, q);
            } else {
                let acked = front.answer(env, t, req, dst, Some(attempt), q);
                let idx = self.append(env, t, id, key, acked.is_some(), q);
                self.acks.released = idx;
                if let Some(ack_us) = acked {
                    front.acked(t, key, t, t, ack_us);
                }
            }
        } else if self.zombie.region == Some(dst) {
            let reachable = front.clients.reachable(env, t, req, dst);
            if self.zombie_commit(env, t, id, key, reachable) {
                if let Some(ack_us) = front.answer(env, t, req, dst, Some(attempt), q) {
                    front.acked(t, key, t, t, ack_us);
                    // Split brain: a deposed primary acknowledged a write.
                    env.rec.split_brain_write(t);
                }
            }
        } else {
            // A replica refuses the write: the client gets an error.
            front.refuse(env, t, req, dst, attempt, q);
        }
    }

    /// A replication event of this topology.
    pub fn handle(
        &mut self,
        env: &mut Env,
        front: &mut Front,
        t: u64,
        ev: Ev,
        q: &mut EventQueue<Ev>,
    ) {
        match ev {
            Ev::Apply { to, term, idx } => self.apply(env, t, to as RegionId, term, idx, q),
            Ev::StreamRetry { to, term } => self.stream_retry(env, t, to as RegionId, term, q),
            Ev::Receipt { from, term, idx } => {
                self.receipt(env, front, t, from as RegionId, (term, idx), q)
            }
            Ev::SemiTimeout { term, idx } => self.semi_timeout(env, front, t, (term, idx), q),
            _ => {}
        }
    }
}
