//! Single-primary replication: the primary's log, the stream to each replica
//! (windowed, resent after a break), applying at replicas, and what a
//! promotion or a rejoin does to the log.

use std::collections::VecDeque;

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Happening;
use crate::scenario::RegionId;

use super::world::{Ev, World};

/// At most this many unapplied messages in flight per stream (a TCP window).
const WINDOW: u64 = 65_536;
/// A replica further behind than this is rebuilt from a snapshot when it returns
/// (WAL retention exceeded), so the log never holds more.
pub const RETENTION: u64 = 4_000_000;

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub id: u64,
    pub key: u32,
    pub origin: u16,
    pub acked: bool,
    pub commit_us: u64,
}

/// The log of the current lineage; indices start at 1.
#[derive(Clone, Debug)]
pub struct Log {
    first: u64,
    entries: VecDeque<Entry>,
}

impl Log {
    pub fn new() -> Log {
        Log {
            first: 1,
            entries: VecDeque::new(),
        }
    }

    /// Index of the last entry (0 when nothing was ever written).
    pub fn end(&self) -> u64 {
        self.first + self.entries.len() as u64 - 1
    }

    pub fn get(&self, idx: u64) -> Option<&Entry> {
        self.entries.get(idx.checked_sub(self.first)? as usize)
    }

    pub fn get_mut(&mut self, idx: u64) -> Option<&mut Entry> {
        self.entries.get_mut(idx.checked_sub(self.first)? as usize)
    }

    fn push(&mut self, e: Entry) {
        self.entries.push_back(e);
    }

    /// Removes and returns the entries after `idx`.
    fn truncate_after(&mut self, idx: u64) -> Vec<Entry> {
        let keep = idx.saturating_sub(self.first - 1) as usize;
        self.entries.drain(keep.min(self.entries.len())..).collect()
    }

    /// Forgets entries up to and including `idx`.
    fn trim_through(&mut self, idx: u64) {
        while self.first <= idx && self.entries.pop_front().is_some() {
            self.first += 1;
        }
    }

    /// The entries after `idx` that are still held.
    pub fn after(&self, idx: u64) -> impl Iterator<Item = &Entry> {
        let skip = idx.saturating_sub(self.first - 1) as usize;
        self.entries.iter().skip(skip)
    }
}

/// A region's copy of the data.
#[derive(Clone, Debug)]
pub struct Node {
    /// Per key: the id of the write it holds (0 = the initial value).
    pub kv: Vec<u64>,
    /// Per key: that write's commit time, its version for reads (kept only
    /// when the workload reads; see `reads.rs`).
    pub stamps: Vec<u64>,
    pub applied: u64,
    pub term: u32,
    /// Diverged or too far behind: must be rebuilt from a snapshot.
    pub needs_resync: bool,
}

impl Node {
    pub fn new(keys: usize) -> Node {
        Node {
            kv: vec![0; keys],
            stamps: Vec::new(),
            applied: 0,
            term: 0,
            needs_resync: false,
        }
    }
}

/// The primary's stream to one replica.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stream {
    pub next_send: u64,
    pub broken: bool,
    pub retry_pending: bool,
}

impl World<'_> {
    /// Regions that follow the current primary.
    pub fn followers(&self) -> impl Iterator<Item = RegionId> + '_ {
        let p = self.primary;
        let z = self.zombie.region;
        self.members
            .iter()
            .copied()
            .filter(move |&r| r != p && Some(r) != z)
    }

    /// The primary commits a write; returns its log position.
    pub fn append(
        &mut self,
        t: u64,
        id: u64,
        key: u32,
        acked: bool,
        q: &mut EventQueue<Ev>,
    ) -> u64 {
        let p = self.primary;
        self.log.push(Entry {
            id,
            key,
            origin: p as u16,
            acked,
            commit_us: t,
        });
        self.landed(p, key);
        let node = &mut self.nodes[p];
        node.set(key, id, t);
        node.applied = self.log.end();
        self.lineage_us[key as usize] = t;
        for f in 0..self.members.len() {
            let r = self.members[f];
            if r != p && Some(r) != self.zombie.region {
                self.pump(t, r, q);
            }
        }
        self.since_trim += 1;
        if self.since_trim >= 4096 {
            self.since_trim = 0;
            self.trim(t);
        }
        self.log.end()
    }

    /// A deposed primary that does not know it yet accepts a write; returns
    /// whether it can acknowledge it (alone, as async or degraded semi-sync).
    pub fn zombie_commit(&mut self, t: u64, id: u64, key: u32, acked: bool) -> bool {
        let Some(z) = self.zombie.region else {
            return false;
        };
        let acked = acked && self.acks.zombie_acks();
        self.landed(z, key);
        self.nodes[z].set(key, id, t);
        self.zombie.orphans.push(Entry {
            id,
            key,
            origin: z as u16,
            acked,
            commit_us: t,
        });
        self.acks.zombie_acks()
    }

    /// Sends what the window allows to follower `to`.
    pub fn pump(&mut self, t: u64, to: RegionId, q: &mut EventQueue<Ev>) {
        let end = self.log.end();
        loop {
            let node = &self.nodes[to];
            let st = self.streams[to];
            if st.broken || node.needs_resync || st.next_send > end {
                return;
            }
            if st.next_send <= node.applied {
                self.streams[to].next_send = node.applied + 1;
                continue;
            }
            if st.next_send - node.applied > WINDOW {
                return;
            }
            self.ship(t, to, st.next_send, q);
            self.streams[to].next_send += 1;
        }
    }

    fn ship(&mut self, t: u64, to: RegionId, idx: u64, q: &mut EventQueue<Ev>) {
        let p = self.primary;
        // A write `to` may not hold (residency) travels as a bare log position.
        let carries = self
            .log
            .get(idx)
            .is_some_and(|e| self.place.allowed(e.key, to));
        let size = if carries {
            self.s.workload.write_size_bytes
        } else {
            0
        };
        let extra = self.plan.extra_latency(p, to, t);
        let Some((deliver, link, queued)) = self.net.send_stream(p, to, t, size, extra) else {
            return;
        };
        if carries {
            self.rec.bytes(link, size);
        }
        let apply_at = deliver + self.commit_latency(to);
        if self.plan.path_up_during(p, to, t, deliver)
            && self.plan.region_up_during(to, deliver, apply_at)
        {
            let lane = self.apply_lanes[p * self.n + to];
            let ev = Ev::Apply {
                to: to as u16,
                term: self.term,
                idx,
            };
            q.push_lane(lane, SimTime(apply_at), ev);
            if !queued {
                self.shipped(to, idx);
            }
        } else {
            self.break_stream(t, to, apply_at, q);
        }
    }

    fn break_stream(&mut self, t: u64, to: RegionId, failed_at: u64, q: &mut EventQueue<Ev>) {
        let st = &mut self.streams[to];
        st.broken = true;
        if st.retry_pending {
            return;
        }
        if let Some(back) = self.plan.path_restore(self.primary, to, failed_at) {
            if back <= self.s.end_us() {
                st.retry_pending = true;
                let ev = Ev::StreamRetry {
                    to: to as u16,
                    term: self.term,
                };
                q.push(SimTime(back.max(t + 1)), ev);
            }
        }
    }

    pub fn stream_retry(&mut self, t: u64, to: RegionId, term: u32, q: &mut EventQueue<Ev>) {
        if term != self.term {
            return;
        }
        let applied = self.nodes[to].applied;
        self.streams[to] = Stream {
            next_send: applied + 1,
            broken: false,
            retry_pending: false,
        };
        self.pump(t, to, q);
    }

    pub fn apply(&mut self, t: u64, to: RegionId, term: u32, idx: u64, q: &mut EventQueue<Ev>) {
        let node = &self.nodes[to];
        if node.term != term || node.needs_resync || idx != node.applied + 1 || term != self.term {
            return;
        }
        let Some(&e) = self.log.get(idx) else { return };
        let carries = self.place.allowed(e.key, to);
        let node = &mut self.nodes[to];
        if carries {
            node.set(e.key, e.id, e.commit_us);
        }
        node.applied = idx;
        if carries {
            self.rec.applied(to, e.commit_us, t);
        }
        if self.acks.tracking() {
            self.send_receipt(t, to, idx, q);
        }
        if self.streams[to].next_send <= self.log.end() {
            self.pump(t, to, q);
        }
    }

    /// Drops log entries every follower has applied; marks followers beyond
    /// retention for a snapshot rebuild.
    fn trim(&mut self, t: u64) {
        let end = self.log.end();
        // Writes still waiting for receipts keep their entries.
        let mut low = self.nodes[self.primary].applied.min(self.acks.released);
        let followers: Vec<RegionId> = self.followers().collect();
        for r in followers {
            let node = &mut self.nodes[r];
            if node.needs_resync {
                continue;
            }
            if end - node.applied > RETENTION {
                node.needs_resync = true;
                let region = self.s.regions[r].name.clone();
                self.rec
                    .note(t, Some(r), Happening::BeyondRetention { region });
                if self.plan.reachable_at(r, self.primary, t) {
                    // Reachable but too slow: rebuild it now rather than freeze it.
                    self.resync(r);
                }
                continue;
            }
            low = low.min(node.applied);
        }
        // Held writes further back than the retention can no longer be
        // acknowledged (their clients gave up long ago): memory stays bounded.
        let low = low.max(end.saturating_sub(RETENTION));
        if self.acks.released < low {
            self.acks.released = low;
        }
        self.log.trim_through(low);
    }

    /// Rebuilds `r` from the primary's data (pg_rewind / clone) and streams on.
    pub fn resync(&mut self, r: RegionId) {
        let p = self.primary;
        let (src, dst) = if r < p {
            let (a, b) = self.nodes.split_at_mut(p);
            (&b[0], &mut a[r])
        } else {
            let (a, b) = self.nodes.split_at_mut(r);
            (&a[p], &mut b[0])
        };
        dst.kv.clone_from(&src.kv);
        dst.stamps.clone_from(&src.stamps);
        if self.place.has_rules() {
            // The snapshot holds only what `r` may hold.
            for (k, v) in dst.kv.iter_mut().enumerate() {
                if !self.place.allowed(k as u32, r) {
                    *v = 0;
                    if let Some(s) = dst.stamps.get_mut(k) {
                        *s = 0;
                    }
                }
            }
        }
        dst.applied = src.applied;
        dst.term = self.term;
        dst.needs_resync = false;
        self.streams[r] = Stream {
            next_send: dst.applied + 1,
            broken: false,
            retry_pending: false,
        };
    }

    /// Makes `target` the primary; the old primary becomes a zombie until it can
    /// reach the new one.
    pub fn promote(&mut self, t: u64, target: RegionId, q: &mut EventQueue<Ev>) {
        let old = self.primary;
        let cut = self.nodes[target].applied;
        let orphans = self.log.truncate_after(cut);
        let acked = orphans.iter().filter(|e| e.acked).count();
        self.acks_on_promotion(t, cut);
        self.term += 1;
        self.primary = target;
        if let Some(z) = self.zombie.region {
            // An older deposed primary that never stepped down: what only it
            // held is gone; it is rebuilt when it can be reached.
            self.orphans_at_end();
            if z != target {
                self.nodes[z].needs_resync = true;
            }
        }
        self.zombie = super::rejoin::Zombie {
            region: (old != target).then_some(old),
            orphans,
            restarted: !self.plan.region_up_at(old, t),
            fork_us: t,
        };
        self.nodes[target].term = self.term;
        self.streams[target] = Stream::default();
        let what = Happening::Promoted {
            target: self.name(target).into(),
            old: self.name(old).into(),
            log_position: cut,
            orphaned: self.zombie.orphans.len() as u64,
            orphaned_acked: acked as u64,
        };
        self.rec.note(t, Some(target), what);
        self.rec.writer_back(t);
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            let node = &mut self.nodes[f];
            node.term = self.term;
            if node.applied > cut {
                node.needs_resync = true;
            }
            self.streams[f] = Stream {
                next_send: node.applied + 1,
                broken: false,
                retry_pending: false,
            };
        }
        self.reconnect(t, q);
    }

    /// After a promotion or a fault ending: deposed primaries that can reach
    /// the primary step down and rejoin; diverged replicas are rebuilt.
    pub fn reconnect(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let p = self.primary;
        self.try_rejoin(t, q);
        let followers: Vec<RegionId> = self.followers().collect();
        for f in followers {
            if self.nodes[f].needs_resync && self.plan.reachable_at(f, p, t) {
                self.resync(f);
                let what = Happening::Rebuilt {
                    region: self.name(f).into(),
                    primary: self.name(p).into(),
                };
                self.rec.note(t, Some(f), what);
            }
            self.pump(t, f, q);
        }
    }
}
