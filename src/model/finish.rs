//! The end of a run: settle what is outstanding, judge convergence and losses
//! that only the end reveals, and hand everything to the metrics builder.

use crate::engine::LoopStats;
use crate::metrics::{build, Bound, Estimate, Facts, Loss, RunResult};
use crate::scenario::{FaultKind, RegionId};

use super::links::Sampler;
use super::world::World;

impl World<'_> {
    fn up_members(&self, t: u64) -> Vec<RegionId> {
        self.members
            .iter()
            .copied()
            .filter(|&r| self.plan.region_up_at(r, t))
            .collect()
    }

    /// With the primary dark at the end and nobody promoted, the writes that no
    /// live region holds are gone.
    fn losses_at_end(&mut self, t: u64) {
        if self.plan.region_up_at(self.primary, t) {
            return;
        }
        let holders: Vec<(RegionId, u64)> = self
            .followers()
            .filter(|&r| self.plan.region_up_at(r, t) && !self.nodes[r].needs_resync)
            .map(|r| (r, self.nodes[r].applied))
            .collect();
        let Some(low) = holders.iter().map(|h| h.1).min() else {
            return;
        };
        let since = self.plan.down_since(self.primary, t);
        let start = self.log.end() - self.log.after(low).count() as u64;
        // Survived: some live follower allowed to hold the key applied it.
        let place = &self.place;
        let survived = |i: u64, key: u32| {
            holders
                .iter()
                .any(|&(r, applied)| applied >= i && place.allowed(key, r))
        };
        let lost: Vec<Loss> = self
            .log
            .after(low)
            .zip(start + 1..)
            .filter(|(e, i)| e.acked && !survived(*i, e.key))
            .map(|(e, _)| e)
            .map(|e| Loss {
                id: e.id,
                key: e.key,
                region: e.origin as usize,
                commit_us: e.commit_us,
                at_us: e.commit_us.max(since),
            })
            .collect();
        for l in lost {
            self.rec.lost(l);
        }
    }

    /// (converged, divergent keys) over the regions that are up at the end.
    fn convergence(&self, t: u64) -> (bool, u64) {
        let up = self.up_members(t);
        let reference = if up.contains(&self.primary) {
            self.primary
        } else {
            match up.first() {
                Some(&r) => r,
                None => return (true, 0),
            }
        };
        let base = &self.nodes[reference].kv;
        let others: Vec<(RegionId, &Vec<u64>)> = up
            .iter()
            .filter(|&&r| r != reference)
            .map(|&r| (r, &self.nodes[r].kv))
            .collect();
        // A region compares only the keys it may hold (residency).
        let place = &self.place;
        let divergent = (0..base.len())
            .filter(|&k| {
                others
                    .iter()
                    .any(|(r, o)| place.allowed(k as u32, *r) && o[k] != base[k])
            })
            .count() as u64;
        (divergent == 0, divergent)
    }

    /// Closed forms for the mechanisms present only (issue 12 item 7): the
    /// detection window where a verdict acts (a promotion, DNS answers), the
    /// TTL bound for DNS, convergence for anycast, timeout + backoff + round
    /// trip for a client library; bounds include the request's round trip.
    fn estimates(&self) -> Vec<Estimate> {
        let Some(f) = &self.s.failover else {
            return Vec::new();
        };
        let hc = &f.health_check;
        let (i, to, th) = (
            hc.interval_us,
            hc.timeout_us,
            u64::from(hc.failure_threshold),
        );
        let lo = (th - 1) * (i + to) + to;
        let hi = th * (i + to) + to;
        let single = self.multi.is_none() && self.home.is_none();
        let dns = f.routing.dns();
        // A verdict acts when it promotes (single-primary, home-region) or
        // changes DNS answers; multi-primary behind anycast or a client
        // library has checks that move nothing.
        let verdict_acts = single || self.home.is_some() || dns.is_some();
        let mut v = Vec::new();
        if verdict_acts {
            v.push(Estimate {
                what: Bound::DetectionLow,
                value_us: lo,
            });
            v.push(Estimate {
                what: Bound::DetectionHigh,
                value_us: hi,
            });
        }
        // One request's round trip from the clients farthest from where they
        // write, at median latency (access both ways, links, commit).
        let access = self.s.workload.client_access_latency_us;
        let longest_link = self
            .s
            .links
            .iter()
            .map(|l| Sampler::median(&l.latency))
            .max()
            .unwrap_or(0);
        let commit = self
            .s
            .regions
            .iter()
            .map(|r| r.commit_latency_us)
            .max()
            .unwrap_or(0);
        let round_trip = 2 * (access + longest_link) + commit;
        if let Some(dns) = dns {
            let waiting = if single {
                (dns.propagation_us + dns.ttl_us).max(f.promotion_delay_us)
            } else {
                dns.propagation_us + dns.ttl_us
            };
            v.push(Estimate {
                what: Bound::DnsRtoHigh,
                value_us: hi + waiting + round_trip,
            });
        }
        if let Some(a) = self.router.anycast() {
            let c = a.convergence_us.iter().copied().max().unwrap_or(0);
            let value_us = if single {
                c.max(hi + f.promotion_delay_us) + round_trip
            } else {
                c + round_trip
            };
            v.push(Estimate {
                what: Bound::AnycastRto,
                value_us,
            });
        }
        if let Some(cs) = self.router.client_side() {
            let library = self.s.workload.request_timeout_us + cs.backoff_cap(1) + round_trip;
            let value_us = if single {
                library.max(hi + f.promotion_delay_us + round_trip)
            } else {
                library
            };
            v.push(Estimate {
                what: Bound::ClientSideRto,
                value_us,
            });
        }
        let p = self.s.replication.primary.unwrap_or(0);
        if let (true, Some(&r)) = (single, self.s.replication.replicas.first()) {
            if let Some(l) = self.s.link_between(p, r) {
                v.push(Estimate {
                    what: Bound::AsyncRpo {
                        replica: self.name(r).into(),
                    },
                    value_us: Sampler::median(&l.latency) + self.commit_latency(r),
                });
            }
        }
        v
    }

    /// A fault in words, for charts and traces.
    fn fault_label(&self, kind: &FaultKind) -> String {
        let names = |v: &[RegionId]| {
            v.iter()
                .map(|&r| self.name(r))
                .collect::<Vec<_>>()
                .join(",")
        };
        match kind {
            FaultKind::RegionOutage { region } => format!("region-outage {}", self.name(*region)),
            FaultKind::Partition { side_a, side_b, .. } => {
                format!("partition {} | {}", names(side_a), names(side_b))
            }
            FaultKind::Latency { a, b, add_us } => {
                format!(
                    "latency +{}ms {} <-> {}",
                    add_us / 1000,
                    self.name(*a),
                    self.name(*b)
                )
            }
            FaultKind::ClockSkew { region, offset_us } => {
                format!("clock-skew {} {}us", self.name(*region), offset_us)
            }
        }
    }

    pub fn finish(mut self, stats: LoopStats) -> RunResult {
        let end = self.s.end_us();
        self.settle_all();
        self.restore_finish(end);
        let (converged, divergent_keys) = if self.multi.is_some() {
            self.mp_finish(end)
        } else {
            self.orphans_at_end();
            self.losses_at_end(end);
            self.convergence(end)
        };
        let crdt_totals = self
            .mp_crdt_totals(end)
            .into_iter()
            .map(|(r, v)| (self.name(r).to_string(), v))
            .collect();
        let s = self.s;
        let mut client_regions: Vec<RegionId> = Vec::new();
        for p in &s.workload.clients {
            if !client_regions.contains(&p.region) {
                client_regions.push(p.region);
            }
        }
        let est = self.estimates();
        let facts = Facts {
            scenario: s.name.clone(),
            seed: 0,
            sha256: s.source_sha256.clone(),
            duration_us: s.duration_us,
            drain_us: s.drain_us,
            region_names: s.regions.iter().map(|r| r.name.clone()).collect(),
            link_names: s
                .links
                .iter()
                .map(|l| format!("{}<->{}", s.regions[l.a].name, s.regions[l.b].name))
                .collect(),
            replicas: s.replication.replicas.clone(),
            client_regions,
            events: stats.events,
            digest: stats.digest,
            converged,
            divergent_keys,
            crdt_totals,
            semi_sync_fallbacks: self.acks.fallbacks,
            semi_sync_degraded_us: self.acks.degraded_us(end),
            transfer_per_gb: s.cost.as_ref().map(|c| c.transfer_per_gb),
            estimates: vec![est; self.plan.incidents.len()],
            fault_windows: s
                .faults
                .iter()
                .map(|f| (f.at_us, f.end_us().min(end), self.fault_label(&f.kind)))
                .collect(),
            budgets: s.budgets.clone(),
            reads: self.reads.is_some(),
            routing: match self.router {
                super::routing::Router::Dns(_) => crate::metrics::RoutingKind::Dns,
                super::routing::Router::Anycast(_) => crate::metrics::RoutingKind::Anycast,
                super::routing::Router::Client(_) => crate::metrics::RoutingKind::ClientSide,
            },
        };
        build(self.rec, facts)
    }
}
