//! Single-primary streaming: the primary appends to its log and streams it
//! to each follower (windowed, resent after a break); followers apply in
//! order; the log is trimmed and laggards rebuilt from a snapshot. Touches
//! only single-primary state and the shared services.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::Happening;
use crate::scenario::RegionId;

use super::log::{Entry, RETENTION};
use super::SinglePrimary;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::topology::window::{Stream, WINDOW};

impl SinglePrimary {
    /// The primary commits a write; returns its log position.
    pub fn append(
        &mut self,
        env: &mut Env,
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
        env.landed(p, key);
        let node = &mut self.nodes[p];
        node.set(key, id, t);
        node.applied = self.log.end();
        self.lineage_us[key as usize] = t;
        for f in 0..self.members.len() {
            let r = self.members[f];
            if r != p && Some(r) != self.zombie.region {
                self.pump(env, t, r, q);
            }
        }
        self.since_trim += 1;
        if self.since_trim >= 4096 {
            self.since_trim = 0;
            self.trim(env, t);
        }
        self.log.end()
    }

    /// A deposed primary that does not know it yet accepts a write; returns
    /// whether it can acknowledge it (alone, as async or degraded semi-sync).
    pub fn zombie_commit(&mut self, env: &mut Env, t: u64, id: u64, key: u32, acked: bool) -> bool {
        let Some(z) = self.zombie.region else {
            return false;
        };
        let acked = acked && self.acks.zombie_acks();
        env.landed(z, key);
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
    pub fn pump(&mut self, env: &mut Env, t: u64, to: RegionId, q: &mut EventQueue<Ev>) {
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
            self.ship(env, t, to, st.next_send, q);
            self.streams[to].next_send += 1;
        }
    }

    fn ship(&mut self, env: &mut Env, t: u64, to: RegionId, idx: u64, q: &mut EventQueue<Ev>) {
        let p = self.primary;
        // A write `to` may not hold (residency) travels as a bare log position.
        let carries = self
            .log
            .get(idx)
            .is_some_and(|e| env.place.allowed(e.key, to));
        let size = if carries {
            env.s.workload.write_size_bytes
        } else {
            0
        };
        let extra = env.plan.extra_latency(p, to, t);
        let Some((deliver, link, queued)) = env.net.send_stream(p, to, t, size, extra) else {
            return;
        };
        if carries {
            env.rec.bytes(link, size);
        }
        let apply_at = deliver + env.commit_latency(to);
        if env.plan.path_up_during(p, to, t, deliver)
            && env.plan.region_up_during(to, deliver, apply_at)
        {
            let lane = env.apply_lane(p, to);
            let ev = Ev::Apply {
                to: to as u16,
                term: self.term,
                idx,
            };
            q.push_lane(lane, SimTime(apply_at), ev);
            if !queued {
                self.acks.shipped(to, idx, self.log.end());
            }
        } else {
            self.break_stream(env, t, to, apply_at, q);
        }
    }

    fn break_stream(
        &mut self,
        env: &mut Env,
        t: u64,
        to: RegionId,
        failed_at: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let st = &mut self.streams[to];
        st.broken = true;
        if st.retry_pending {
            return;
        }
        if let Some(back) = env.plan.path_restore(self.primary, to, failed_at) {
            if back <= env.s.end_us() {
                st.retry_pending = true;
                let ev = Ev::StreamRetry {
                    to: to as u16,
                    term: self.term,
                };
                q.push(SimTime(back.max(t + 1)), ev);
            }
        }
    }

    pub fn stream_retry(
        &mut self,
        env: &mut Env,
        t: u64,
        to: RegionId,
        term: u32,
        q: &mut EventQueue<Ev>,
    ) {
        if term != self.term {
            return;
        }
        let applied = self.nodes[to].applied;
        self.streams[to] = Stream::resume_after(applied);
        self.pump(env, t, to, q);
    }

    pub fn apply(
        &mut self,
        env: &mut Env,
        t: u64,
        to: RegionId,
        term: u32,
        idx: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let node = &self.nodes[to];
        if node.term != term || node.needs_resync || idx != node.applied + 1 || term != self.term {
            return;
        }
        let Some(&e) = self.log.get(idx) else { return };
        let carries = env.place.allowed(e.key, to);
        let node = &mut self.nodes[to];
        if carries {
            node.set(e.key, e.id, e.commit_us);
        }
        node.applied = idx;
        if carries {
            env.rec.applied(to, e.commit_us, t);
        }
        if self.acks.tracking() {
            self.send_receipt(env, t, to, idx, q);
        }
        if self.streams[to].next_send <= self.log.end() {
            self.pump(env, t, to, q);
        }
    }

    /// Drops log entries every follower has applied; marks followers beyond
    /// retention for a snapshot rebuild.
    fn trim(&mut self, env: &mut Env, t: u64) {
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
                let region = env.s.regions[r].name.clone();
                env.rec
                    .note(t, Some(r), Happening::BeyondRetention { region });
                if env.plan.reachable_at(r, self.primary, t) {
                    // Reachable but too slow: rebuild it now rather than freeze it.
                    self.resync(env, r);
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
    pub fn resync(&mut self, env: &mut Env, r: RegionId) {
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
        if env.place.has_rules() {
            // The snapshot holds only what `r` may hold.
            for (k, v) in dst.kv.iter_mut().enumerate() {
                if !env.place.allowed(k as u32, r) {
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
        self.streams[r] = Stream::resume_after(dst.applied);
    }
}
