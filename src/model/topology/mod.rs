//! The topology as a type: single-primary, multi-primary (a mesh) or
//! home-region, each variant owning its replication state and handling its
//! events. The world dispatches here once per event; nothing else tells the
//! topologies apart. May touch the shared services (`Env`) and answer
//! clients through [`Front`]; imports nothing above it (control, world).
//! `window.rs` and `front.rs` are what the variants share.

mod front;
mod home;
mod mesh;
mod single;
mod window;

use crate::engine::{EventQueue, LaneId, SimTime};
use crate::scenario::{FaultKind, RegionId, Scenario, Topology as Kind};

use super::env::Env;
use super::events::Ev;
use super::health::Health;
use super::requests::Writes;
pub use front::Front;
pub use home::HomeRegion;
pub use mesh::Mesh;
pub use single::SinglePrimary;

pub enum Topology {
    Single(SinglePrimary),
    Multi(Mesh),
    Home(HomeRegion),
}

/// What the end of a run reveals, per topology.
pub struct End {
    pub converged: bool,
    pub divergent_keys: u64,
    /// CRDTs: per live region, the sum of the merged increments.
    pub crdt_totals: Vec<(RegionId, u64)>,
    /// (semi-sync fallbacks, time spent degraded).
    pub semi_sync: (u64, u64),
}

/// Which version a region holds, for reads.
pub enum ReadCopy<'a> {
    /// Single-primary: the commit time + 1 of what it holds (0: initial).
    Stamp(u64),
    /// Mesh: whether its version vector covers a write.
    Mesh(&'a Mesh),
}

impl ReadCopy<'_> {
    /// Whether region `at` holds `version` of `key` (or a newer one).
    pub fn has(&self, at: RegionId, key: u32, version: u64) -> bool {
        match self {
            ReadCopy::Stamp(held) => *held > version,
            ReadCopy::Mesh(m) => m.has_write(
                at,
                key,
                (version >> 56) as RegionId,
                version & ((1 << 56) - 1),
            ),
        }
    }
}

impl Topology {
    /// `members`: primary first, then the replicas; `reads`: whether the
    /// workload reads (single-primary copies then keep versions).
    pub fn new(s: &Scenario, members: Vec<RegionId>, reads: bool, semi_lane: LaneId) -> Topology {
        match s.replication.topology {
            Kind::SinglePrimary => {
                Topology::Single(SinglePrimary::new(s, members, reads, semi_lane))
            }
            Kind::MultiPrimary => Topology::Multi(Mesh::new(s, false)),
            Kind::HomeRegion => Topology::Home(HomeRegion::new(s)),
        }
    }

    /// The first term starts.
    pub fn start(&mut self) {
        if let Topology::Single(sp) = self {
            sp.start();
        }
    }

    /// Where writes go now; `fallback`: the scenario's primary.
    pub fn writes(&self, fallback: RegionId) -> Writes {
        match self {
            Topology::Single(sp) => Writes::ToPrimary(sp.primary()),
            Topology::Multi(_) => Writes::Anywhere { fallback },
            Topology::Home(_) => Writes::AtHome { fallback },
        }
    }

    pub fn mesh(&self) -> Option<&Mesh> {
        match self {
            Topology::Single(_) => None,
            Topology::Multi(m) => Some(m),
            Topology::Home(h) => Some(h.mesh()),
        }
    }

    fn mesh_mut(&mut self) -> Option<&mut Mesh> {
        match self {
            Topology::Single(_) => None,
            Topology::Multi(m) => Some(m),
            Topology::Home(h) => Some(h.mesh_mut()),
        }
    }

    /// Attempt `attempt` of request `req`, a write of `key`, reaches `dst`
    /// and commits there now (or is refused).
    pub fn commit(
        &mut self,
        (env, front): (&mut Env, &mut Front),
        t: u64,
        (req, key, attempt): (u64, u32, u8),
        dst: RegionId,
        q: &mut EventQueue<Ev>,
    ) {
        let write = (req, key, attempt);
        match self {
            Topology::Single(sp) => sp.commit(env, front, t, write, dst, q),
            Topology::Multi(m) => m.commit_answered((env, front), t, write, dst, q),
            Topology::Home(h) => h.commit((env, front), t, write, dst, q),
        }
    }

    /// A replication event (apply, receipt, retry, anti-entropy, rehome).
    pub fn handle(
        &mut self,
        (env, front, health): (&mut Env, &mut Front, Option<&Health>),
        t: u64,
        ev: Ev,
        q: &mut EventQueue<Ev>,
    ) {
        match self {
            Topology::Single(sp) => sp.handle(env, front, t, ev, q),
            Topology::Multi(m) => m.handle(env, t, ev, q),
            Topology::Home(h) => h.handle((env, front, health), t, ev, q),
        }
    }

    /// What region `at` holds of `key` for reads (`None`: no copy, it refuses).
    pub fn copy(&self, at: RegionId, key: u32) -> Option<ReadCopy<'_>> {
        match self {
            Topology::Single(sp) => sp.stamp(at, key).map(ReadCopy::Stamp),
            _ => self.mesh().map(ReadCopy::Mesh),
        }
    }

    /// Whether clients lose a writer when `region` goes dark.
    pub fn is_writer(&self, env: &Env, region: RegionId) -> bool {
        match self {
            Topology::Single(sp) => region == sp.primary(),
            Topology::Multi(_) => false,
            Topology::Home(h) => h.homes_any(env, region),
        }
    }

    /// A region-outage of `region` starts: a zombie will restart; survivors
    /// of a mesh exchange its writes once what was on the wire has landed.
    pub fn outage_starts(&mut self, env: &Env, t: u64, region: RegionId, q: &mut EventQueue<Ev>) {
        match self {
            Topology::Single(sp) => sp.zombie_went_dark(region),
            Topology::Multi(_) | Topology::Home(_) => {
                let regions = &env.s.regions;
                let settle = regions
                    .iter()
                    .map(|r| r.commit_latency_us)
                    .max()
                    .unwrap_or(0);
                let ev = Ev::AntiEntropy { lost: region as u8 };
                q.push(SimTime(t + settle + 1), ev);
            }
        }
    }

    /// A clock-skew fault starts or ends.
    pub fn set_clock(&mut self, kind: &FaultKind) {
        if let Some(m) = self.mesh_mut() {
            m.set_clock(kind);
        }
    }

    /// A fault ended: deposed primaries and diverged copies that can be
    /// reached again rejoin.
    pub fn fault_ended(&mut self, env: &mut Env, t: u64, q: &mut EventQueue<Ev>) {
        match self {
            Topology::Single(sp) => sp.reconnect(env, t, q),
            Topology::Multi(_) => {}
            Topology::Home(h) => h.rejoin(env, t),
        }
    }

    /// The end-of-run verdict.
    pub fn finish(&mut self, env: &mut Env, end: u64) -> End {
        let (converged, divergent_keys) = match self {
            Topology::Single(sp) => sp.finish(env, end),
            Topology::Multi(m) => m.finish(env, end),
            Topology::Home(h) => h.mesh_mut().finish(env, end),
        };
        let (crdt_totals, semi_sync) = match self {
            Topology::Single(sp) => (Vec::new(), sp.semi_sync(end)),
            _ => (
                self.mesh().map_or(Vec::new(), |m| m.crdt_totals(env, end)),
                (0, 0),
            ),
        };
        End {
            converged,
            divergent_keys,
            crdt_totals,
            semi_sync,
        }
    }
}
