//! Side-effect-free probes of every client's route for the RTO (metrics.md:
//! "its route leads over an up path to a region that accepts its writes").
//! They read the routing and failover state as it is between events, every
//! `metrics::PROBE_US` from the first incident on; they schedule no event, draw no
//! random number and change nothing but the recorder.

use crate::metrics::{RegionProbe, RouteProbe};
use crate::scenario::RegionId;

use super::routing::{Reach, Router};
use super::world::World;

impl World<'_> {
    /// Hands the recorder what it needs for the RTO (called once, at start).
    pub fn restore_setup(&mut self) {
        self.rec.slow_request_us = self.s.workload.slow_request_us;
        let rate = self.s.workload.writes_per_sec;
        let mut gaps = Vec::with_capacity(self.wl.clients.len());
        for p in &self.s.workload.clients {
            let per_client = rate * p.share / f64::from(p.count.max(1));
            let gap = if per_client > 0.0 {
                (1e6 / per_client).round().min(1e15) as u64
            } else {
                0
            };
            gaps.extend((0..p.count.max(1)).map(|_| gap));
        }
        gaps.resize(self.wl.clients.len(), 0);
        self.rec.restore.mean_gap_us = gaps;
        self.rec.restore.client_region = self.wl.clients.iter().map(|c| c.region as u8).collect();
    }

    /// Takes the probe rounds due before `t` (the state is what it will be
    /// until the event at `t` is handled).
    pub fn restore_probes(&mut self, t: u64) {
        while let Some(tau) = self.rec.restore.due(t) {
            self.probe_round(tau);
        }
    }

    /// At the end of the run: the rounds up to `end`, then the records close.
    pub fn restore_finish(&mut self, end: u64) {
        while let Some(tau) = self.rec.restore.end_due(end) {
            self.probe_round(tau);
        }
        self.rec.restore.finish();
    }

    /// Whether region `r` accepts writes at `tau` (for its clients' data).
    fn accepts_writes(&self, r: RegionId, tau: u64, homes: u64) -> bool {
        let p = &self.plan;
        if !p.region_up_at(r, tau) {
            return false;
        }
        if self.home.is_some() {
            // A gateway: every region that is a home must be reachable from it.
            return (0..self.n).all(|h| {
                homes >> h & 1 == 0
                    || (p.region_up_at(h, tau)
                        && p.uncut_during(r, h, tau, tau)
                        && p.uncut_during(h, r, tau, tau))
            });
        }
        if self.multi.is_some() {
            return self.members.contains(&r);
        }
        r == self.primary || (self.zombie.region == Some(r) && self.acks.zombie_acks())
    }

    /// How many regions accept writes as the writer of the same data now:
    /// the primary and a deposed primary that is up and has not stepped down
    /// (single-primary; multi-primary regions are writers by design and
    /// home-region refuses a moved key at once).
    fn writers_now(&self, tau: u64) -> u8 {
        if self.multi.is_some() || self.home.is_some() {
            return u8::from(self.members.iter().any(|&r| self.plan.region_up_at(r, tau)));
        }
        let primary = u8::from(self.plan.region_up_at(self.primary, tau));
        let zombie = self
            .zombie
            .region
            .is_some_and(|z| z != self.primary && self.plan.region_up_at(z, tau));
        primary + u8::from(zombie)
    }

    /// Home-region: the regions that are the home of some key (bit mask),
    /// recomputed only when keys may have moved (the timeline grew).
    fn homes_mask(&mut self) -> u64 {
        if self.home.is_none() {
            return 0;
        }
        let len = self.rec.timeline.len();
        if let Some((at, mask)) = self.rec.restore.homes_cache {
            if at == len {
                return mask;
            }
        }
        let mask = (0..self.n)
            .filter(|&r| self.homes_any(r))
            .fold(0u64, |m, r| m | 1 << r);
        self.rec.restore.homes_cache = Some((len, mask));
        mask
    }

    fn probe_round(&mut self, tau: u64) {
        let homes = self.homes_mask();
        let accepting: Vec<bool> = (0..self.n)
            .map(|r| self.accepts_writes(r, tau, homes))
            .collect();
        let forwards = matches!(self.router, Router::Anycast(_)) && self.multi.is_none();
        let mut buf = std::mem::take(&mut self.rec.restore.buf);
        buf.clear();
        let p = &self.plan;
        for (c, client) in self.wl.clients.iter().enumerate() {
            let client_id = c as u32;
            let from = client.region;
            let reach = Reach {
                client: client_id,
                from,
                t: tau,
                start: self.router.start_at(client_id, tau),
                attempt: 1,
            };
            let via = self.router.reached(p, reach, self.primary);
            let dst = if forwards { self.primary } else { via };
            let two_way = |a: RegionId, b: RegionId| {
                p.uncut_during(a, b, tau, tau) && p.uncut_during(b, a, tau, tau)
            };
            let path = p.region_up_at(via, tau)
                && p.region_up_at(dst, tau)
                && two_way(from, via)
                && two_way(via, dst);
            buf.push(RouteProbe {
                via: via as u8,
                dst: dst as u8,
                path,
                accepts: accepting[dst],
            });
        }
        self.rec.restore.buf = buf;
        let regions = (0..self.n)
            .map(|r| RegionProbe {
                up: p.region_up_at(r, tau),
                accepts: accepting[r],
            })
            .collect();
        let legs = (0..self.n * self.n)
            .map(|i| {
                let (a, b) = (i / self.n, i % self.n);
                p.uncut_during(a, b, tau, tau) && p.uncut_during(b, a, tau, tau)
            })
            .collect();
        self.rec.restore.buf_regions = regions;
        self.rec.restore.buf_legs = legs;
        self.rec.restore.buf_writers = self.writers_now(tau);
        self.rec.restore.probe(tau);
    }
}
