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

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::{EventQueue, SimTime};
use crate::scenario::{RegionId, Scenario};

use super::routing::Reach;

use super::replication::Node;
use super::workload::Workload;
use super::world::{Ev, ReqState, World};

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

impl Node {
    /// The region now holds write `id` of `key`, committed at `stamp` (kept
    /// as `stamp + 1`, so that 0 is the initial value).
    pub fn set(&mut self, key: u32, id: u64, stamp: u64) {
        self.kv[key as usize] = id;
        if let Some(s) = self.stamps.get_mut(key as usize) {
            *s = stamp.saturating_add(1);
        }
    }
}

impl World<'_> {
    /// With reads: every data-holding copy also keeps its versions' commit times.
    pub fn start_reads(&mut self, q: &mut EventQueue<Ev>) {
        let Some(r) = self.reads.as_mut() else { return };
        if self.multi.is_none() {
            for node in &mut self.nodes {
                node.stamps = vec![0; node.kv.len()];
            }
        }
        let first = r.wl.first_arrival();
        if first < self.s.duration_us {
            q.push(SimTime(first), Ev::NextRead);
        }
    }

    /// Write `req` to `key`, committed at `commit_us`, was acknowledged now
    /// (`t`; the acknowledgement is on its way). `version`: see `Newest`.
    pub fn note_ack(&mut self, t: u64, req: u64, key: u32, commit_us: u64, version: u64) {
        let Some(r) = self.reads.as_mut() else { return };
        let slot = req.checked_sub(self.ring_base).map(|s| s as usize);
        let state = slot.and_then(|s| self.ring.get(s)).map(|e| e.state);
        if let Some(ReqState::Acked { ack_us }) = state {
            r.pending.push(Reverse((ack_us, key, commit_us, version)));
        }
        r.settle(t);
    }

    /// Multi-primary: write `id` (request `req`) committed at `region` now.
    pub fn note_ack_mp(&mut self, t: u64, req: u64, key: u32, region: RegionId, id: u64) {
        if self.reads.is_none() {
            return;
        }
        let dot = self.multi.as_ref().and_then(|m| m.dot_of(region, key, id));
        if let Some((origin, seq)) = dot {
            self.note_ack(t, req, key, t, ((origin as u64) << 56) | seq);
        }
    }

    /// Where `client`'s read goes now: where its write would go, but served by
    /// the region it reaches (the anycast entry; client-side: the endpoint it
    /// remembers, no retries).
    fn read_target(&self, client: u32, from: RegionId, t: u64) -> RegionId {
        let at = Reach {
            client,
            from,
            t,
            start: self.router.start_at(client, t),
            attempt: 1,
        };
        self.router.reached(&self.plan, at, self.primary)
    }

    /// One-way client <-> region latency of a read: access, the link (own
    /// samples), latency faults.
    fn read_leg(&mut self, a: RegionId, b: RegionId, t: u64) -> u64 {
        self.s.workload.client_access_latency_us
            + self.net.read_latency(a, b)
            + self.plan.extra_latency(a, b, t)
    }

    /// The read workload issues its next read.
    pub fn next_read(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let Some(r) = self.reads.as_mut() else { return };
        let spec = r.wl.draw();
        let next = r.wl.next_arrival(t);
        if next < self.s.duration_us {
            q.push(SimTime(next), Ev::NextRead);
        }
        let from = self.wl.clients[spec.client as usize].region;
        let mut dst = self.read_target(spec.client, from, t);
        if !self.place.allowed(spec.key, dst) {
            // Residency: a pinned key is read where it may live.
            dst = self.nearest_allowed(spec.key, dst, dst);
        }
        self.rec.read_issued(from, t);
        let arrive = t + self.read_leg(from, dst, t);
        let p = &self.plan;
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

    /// A read reaches `at` and is served from what it holds now (no extra
    /// serve time: from memory); it counts if the answer is back in time.
    pub fn serve_read(&mut self, t: u64, issue_us: u64, client: u32, key: u32, at: RegionId) {
        let from = self.wl.clients[client as usize].region;
        let back = t + self.read_leg(at, from, t);
        let p = &self.plan;
        let answered = back <= issue_us + self.s.workload.request_timeout_us
            && p.region_up_during(at, t, back)
            && p.uncut_during(at, from, t, back);
        let stale = match (&self.multi, self.reads.as_mut()) {
            (_, None) => return,
            (Some(m), Some(r)) => r
                .expected(key, t)
                .is_some_and(|v| !m.has_write(at, key, (v >> 56) as RegionId, v & ((1 << 56) - 1))),
            (None, Some(r)) => {
                let Some(&held) = self.nodes[at].stamps.get(key as usize) else {
                    // A region that holds no copy refuses the read.
                    return;
                };
                // `held` is its commit time + 1 (0: the initial value).
                r.expected(key, t).is_some_and(|v| held <= v)
            }
        };
        if answered {
            self.rec
                .read_answered(from, issue_us, back - issue_us, stale);
        }
    }
}
