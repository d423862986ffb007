//! A fault starts or ends: what the topology does about it, the timeline
//! entry, which anycast clients move, and who rejoins once it is over. Owns
//! nothing; touches the shared services (`Env`) and the topology.

use crate::engine::EventQueue;
use crate::metrics::{FaultWhat, Happening};
use crate::scenario::FaultKind;

use super::answers;
use super::env::Env;
use super::events::Ev;
use super::topology::Topology;

/// Fault `fault` of the scenario starts (`start`) or ends now.
pub fn fault_edge(
    (env, topo): (&mut Env, &mut Topology),
    t: u64,
    (fault, start): (usize, bool),
    q: &mut EventQueue<Ev>,
) {
    let s = env.s;
    let f = &s.faults[fault];
    let mut region_of = None;
    let what = match &f.kind {
        FaultKind::RegionOutage { region } => {
            region_of = Some(*region);
            if start {
                topo.outage_starts(env, t, *region, q);
            }
            if topo.is_writer(env, *region) {
                if start {
                    env.rec.writer_lost(t);
                } else {
                    env.rec.writer_back(t);
                }
            }
            FaultWhat::Outage {
                region: env.name(*region).into(),
            }
        }
        FaultKind::Partition { .. } => FaultWhat::Partition,
        FaultKind::Latency { a, b, add_us } => FaultWhat::Latency {
            a: env.name(*a).into(),
            b: env.name(*b).into(),
            add_us: *add_us,
        },
        FaultKind::ClockSkew { region, offset_us } => {
            region_of = Some(*region);
            topo.set_clock(&f.kind);
            FaultWhat::ClockSkew {
                region: env.name(*region).into(),
                offset_us: *offset_us,
            }
        }
    };
    env.rec.note(t, region_of, Happening::Fault { start, what });
    if let (Some(r), true) = (region_of, matches!(f.kind, FaultKind::RegionOutage { .. })) {
        answers::anycast_moves(env, t, r);
    }
    if !start {
        topo.fault_ended(env, t, q);
    }
}
