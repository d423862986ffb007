//! Reads: a second arrival process (its own random streams), routed like the
//! client's write would be now and served by the region it reaches, replicas
//! included; a read is stale when that region's version of the key is older
//! than the newest write whose acknowledgement had reached its client.
//!
//! An acknowledgement is known when its write commits (or is released) and
//! reaches the client later, so the model queues it (`pending`, earliest
//! arrival first) and settles what has arrived whenever time moves on (at each
//! read served and each acknowledgement noted): per key it keeps only the
//! newest write, by commit time, whose acknowledgement has arrived. Memory is
//! O(keys) plus the acknowledgements in flight, never growing with the run.
//! A write's version is its commit time (single-primary: every copy carries
//! the commit time of what it holds, see `Node::stamps`) or its dot
//! (origin, seq) (multi-primary: a region has it when its version vector
//! covers it). A read is accounted for when it is served (a read that never
//! arrives stays failed): two events per read at most, no allocation per read.
//!
//! Owns the read arrivals and the acknowledged versions; may touch the shared
//! services (`Env`). Which version a region holds is asked of the topology
//! by the caller (a closure), so this file knows no topology.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::{EventQueue, SimTime};
use crate::scenario::{RegionId, Scenario};

use super::env::Env;
use super::events::Ev;
use super::health::Health;
use super::routing::Reach;
use super::workload::Workload;

/// The newest write of a key whose acknowledgement reached its client.
#[derive(Clone, Copy, Debug, Default)]
struct Newest {
    /// Its commit time + 1 (0: no acknowledged write yet).
    order: u64,
    /// Single-primary: its commit time; multi-primary: origin << 56 | seq.
    version: u64,
}

/// The read workload and what staleness needs.
#[derive(Debug)]
pub struct Reads {
    wl: Workload,
    newest: Vec<Newest>,
    /// Acknowledgements on their way: (arrival, key, commit time, version).
    pending: BinaryHeap<Reverse<(u64, u32, u64, u64)>>,
}

impl Reads {
    pub fn new(s: &Scenario, streams: &crate::engine::Streams) -> Option<Reads> {
        let wl = Workload::reads(s, streams)?;
        Some(Reads {
            wl,
            newest: vec![Newest::default(); s.workload.keys as usize],
            pending: BinaryHeap::new(),
        })
    }

    /// Takes in every acknowledgement that has reached its client by `t`.
    fn settle(&mut self, t: u64) {
        while let Some(&Reverse((at, key, commit_us, version))) = self.pending.peek() {
            if at > t {
                return;
            }
            self.pending.pop();
            if let Some(n) = self.newest.get_mut(key as usize) {
                if commit_us + 1 >= n.order {
                    *n = Newest {
                        order: commit_us + 1,
                        version,
                    };
                }
            }
        }
    }

    /// The version of the newest write acknowledged to its client by `t`.
    fn expected(&mut self, key: u32, t: u64) -> Option<u64> {
        self.settle(t);
        let n = self.newest.get(key as usize)?;
        (n.order > 0).then_some(n.version)
    }
}

impl Reads {
    /// Schedules the first read.
    pub fn start(&mut self, env: &Env, q: &mut EventQueue<Ev>) {
        let first = self.wl.first_arrival();
        if first < env.s.duration_us {
            q.push(SimTime(first), Ev::NextRead);
        }
    }

    /// A write to `key`, committed at `commit_us`, was acknowledged now
    /// (`t`); the acknowledgement reaches its client at `ack_us`. `version`:
    /// see `Newest`.
    pub fn note_ack(&mut self, t: u64, key: u32, commit_us: u64, version: u64, ack_us: u64) {
        self.pending
            .push(Reverse((ack_us, key, commit_us, version)));
        self.settle(t);
    }

    /// The read workload issues its next read; `fallback`: where anycast
    /// sends it when no region is announced (the primary).
    pub fn next_read(
        &mut self,
        env: &mut Env,
        (health, fallback): (Option<&Health>, RegionId),
        t: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let spec = self.wl.draw();
        let next = self.wl.next_arrival(t);
        if next < env.s.duration_us {
            q.push(SimTime(next), Ev::NextRead);
        }
        let from = env.client_region(spec.client);
        let mut dst = read_target(env, spec.client, from, t, fallback);
        if !env.place.allowed(spec.key, dst) {
            // Residency: a pinned key is read where it may live.
            dst = env.nearest_allowed(health, spec.key, dst, dst);
        }
        env.rec.read_issued(from, t);
        let arrive = t + read_leg(env, from, dst, t);
        let p = &env.plan;
        if p.region_up_during(dst, t, arrive) && p.uncut_during(from, dst, t, arrive) {
            let ev = Ev::ReadServe {
                issue_us: t,
                client: spec.client,
                key: spec.key,
                at: dst as u8,
            };
            q.push(SimTime(arrive), ev);
        }
    }

    /// A read of `key` by `client`, issued at `issue_us`, reaches `at` and
    /// is served from what it holds now (no extra serve time: from memory);
    /// it counts if the answer is back in time. `has`: whether `at` holds a
    /// version (see `Newest`), `None` when it holds no copy (it refuses).
    pub fn serve(
        &mut self,
        env: &mut Env,
        t: u64,
        (issue_us, client, key): (u64, u32, u32),
        at: RegionId,
        has: Option<impl FnOnce(u64) -> bool>,
    ) {
        let from = env.client_region(client);
        let back = t + read_leg(env, at, from, t);
        let p = &env.plan;
        let answered = back <= issue_us + env.s.workload.request_timeout_us
            && p.region_up_during(at, t, back)
            && p.uncut_during(at, from, t, back);
        let Some(has) = has else { return };
        let stale = self.expected(key, t).is_some_and(|v| !has(v));
        if answered {
            env.rec
                .read_answered(from, issue_us, back - issue_us, stale);
        }
    }
}

/// Where `client`'s read goes now: where its write would go, but served by
/// the region it reaches (the anycast entry; client-side: the endpoint it
/// remembers, no retries).
fn read_target(env: &Env, client: u32, from: RegionId, t: u64, fallback: RegionId) -> RegionId {
    let at = Reach {
        client,
        from,
        t,
        start: env.router.start_at(client, t),
        attempt: 1,
    };
    env.router.reached(&env.plan, at, fallback)
}

/// One-way client <-> region latency of a read: access, the link (own
/// samples), latency faults.
fn read_leg(env: &mut Env, a: RegionId, b: RegionId, t: u64) -> u64 {
    env.s.workload.client_access_latency_us
        + env.net.read_latency(a, b)
        + env.plan.extra_latency(a, b, t)
}
