//! The control plane: health probes, the failover decision, promotion, DNS
//! answers, and reactions to faults starting and ending.

use rand::RngExt;

use crate::engine::{EventQueue, SimTime, Streams, Subsystem};
use crate::metrics::{FaultWhat, Happening, Move};
use crate::scenario::{Failover, FaultKind, RegionId};

use super::health::Change;
use super::world::{Ev, World};

/// Entity offset for probe-phase streams (link streams use small indices).
const PHASE_ENTITY: u32 = 1 << 20;

/// How long resolvers take to answer a new region (0 without DNS routing).
fn propagation_us(f: &Failover) -> u64 {
    f.routing.dns().map_or(0, |d| d.propagation_us)
}

impl World<'_> {
    pub fn start_probes(&mut self, q: &mut EventQueue<Ev>, streams: &Streams) {
        let (Some(h), Some(f)) = (&self.health, &self.s.failover) else {
            return;
        };
        let interval = f.health_check.interval_us.max(1);
        for (i, (target, slot, _)) in h.loops().into_iter().enumerate() {
            let mut rng = streams.stream(Subsystem::Health, PHASE_ENTITY + i as u32);
            let phase = rng.random_range(0..interval);
            q.push(
                SimTime(phase),
                Ev::Probe {
                    target: target as u16,
                    slot: slot as u16,
                },
            );
        }
    }

    pub fn probe(&mut self, t: u64, target: RegionId, slot: usize, q: &mut EventQueue<Ev>) {
        let (Some(h), Some(f)) = (&self.health, &self.s.failover) else {
            return;
        };
        let hc = &f.health_check;
        let c = h.checker_region(target, slot);
        let (target16, slot16) = (target as u16, slot as u16);
        if !self.plan.region_up_at(c, t) {
            // A dark checker sends nothing; it tries again an interval later.
            q.push(
                SimTime(t + hc.interval_us),
                Ev::Probe {
                    target: target16,
                    slot: slot16,
                },
            );
            return;
        }
        let l1 = self.net.probe_latency(c, target) + self.plan.extra_latency(c, target, t);
        let l2 = self.net.probe_latency(target, c) + self.plan.extra_latency(target, c, t + l1);
        let answer = t + l1 + l2;
        let ok = l1 + l2 <= hc.timeout_us
            && self.plan.path_up_during(c, target, t, t + l1)
            && self.plan.path_up_during(target, c, t + l1, answer);
        let done = if ok { answer } else { t + hc.timeout_us };
        q.push(
            SimTime(done),
            Ev::ProbeDone {
                target: target16,
                slot: slot16,
                ok,
            },
        );
    }

    pub fn probe_done(
        &mut self,
        t: u64,
        target: RegionId,
        slot: usize,
        ok: bool,
        q: &mut EventQueue<Ev>,
    ) {
        let Some(f) = self.s.failover.as_ref() else {
            return;
        };
        let interval = f.health_check.interval_us;
        let Some(h) = self.health.as_mut() else {
            return;
        };
        let change = h.record(target, slot, ok);
        let checker = h.checker_region(target, slot);
        // Verdicts go to the timeline only where something acts on them (a
        // promotion, a move of homes, DNS answers): multi-primary behind
        // anycast or a client library has checks that move nothing.
        let acts = self.multi.is_none()
            || self.home.is_some()
            || matches!(self.router, super::routing::Router::Dns(_));
        if !ok && acts {
            if let Some(i) = self.rec.incident_at(t) {
                if self.first_fail_noted[target] != i + 1 {
                    self.first_fail_noted[target] = i + 1;
                    let what = Happening::FirstFailedProbe {
                        target: self.name(target).into(),
                        checker: self.name(checker).into(),
                    };
                    self.rec.note(t, Some(target), what);
                }
            }
        }
        if let Change::Region(unhealthy) = change {
            let what = Happening::Verdict {
                region: self.name(target).into(),
                healthy: !unhealthy,
            };
            if acts {
                self.rec.note(t, Some(target), what);
            }
            self.evaluate(t, q);
        }
        q.push(
            SimTime(t + interval),
            Ev::Probe {
                target: target as u16,
                slot: slot as u16,
            },
        );
    }

    /// The most caught-up healthy replica (ties: order of preference).
    fn candidate(&self, t: u64) -> Option<RegionId> {
        let h = self.health.as_ref()?;
        let mut best: Option<RegionId> = None;
        for r in self.followers() {
            // A promotion that failed because the target was dark taught the
            // control plane that it is down, until it is back.
            let known_down = self.failed_targets.contains(&r) && !self.plan.region_up_at(r, t);
            // Residency: the new primary must be allowed to hold every pinned range.
            let resident = self.place.common_mask() >> r & 1 == 1;
            if h.is_unhealthy(r) || self.nodes[r].needs_resync || known_down || !resident {
                continue;
            }
            if best.is_none_or(|b| self.nodes[r].applied > self.nodes[b].applied) {
                best = Some(r);
            }
        }
        best
    }

    /// Decides (or cancels) a failover from the current health picture.
    pub fn evaluate(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let (Some(h), Some(f)) = (&self.health, &self.s.failover) else {
            return;
        };
        if self.multi.is_some() {
            self.mp_answers(t);
            self.hr_evaluate(t, q);
            return;
        }
        let (prop, delay) = (propagation_us(f), f.promotion_delay_us);
        let p = self.primary;
        if h.is_unhealthy(p) {
            if self.pending.is_some() {
                return;
            }
            let Some(target) = self.candidate(t) else {
                if !self.no_candidate_noted {
                    self.no_candidate_noted = true;
                    self.rec.note(t, Some(p), Happening::NoFailoverTarget);
                }
                return;
            };
            self.token += 1;
            self.pending = Some((target, self.token));
            let what = Happening::FailoverDecided {
                target: self.name(target).into(),
                applied: self.nodes[target].applied,
                log_end: self.log.end(),
                delay_us: delay,
            };
            self.rec.note(t, Some(target), what);
            self.set_dns(t + prop, target);
            q.push(SimTime(t + delay), Ev::Promote { token: self.token });
        } else if let Some((_, _)) = self.pending.take() {
            self.token += 1;
            let primary = self.name(p).into();
            self.rec
                .note(t, Some(p), Happening::PromotionCancelled { primary });
            self.set_dns(t + prop, p);
        }
    }

    /// Single-primary: every client region gets the same new answer.
    fn set_dns(&mut self, at: u64, target: RegionId) {
        for region in 0..self.n {
            self.set_dns_for(region, at, target);
        }
    }

    /// From `at`, resolvers answer `target` to the clients in `region`; notes
    /// when its last TTL-honest and TTL-ignoring client re-resolves (moves).
    fn set_dns_for(&mut self, region: RegionId, at: u64, target: RegionId) {
        let Some(dns) = self.router.dns_mut() else {
            return;
        };
        if dns.answer_at(region, u64::MAX) == target {
            return;
        }
        dns.set_answer(region, at, target);
        let mut last: [Option<u64>; 2] = [None, None];
        for c in 0..dns.clients() as u32 {
            if self.wl.clients[c as usize].region != region {
                continue;
            }
            let m = dns.next_refresh(c, at);
            let slot = &mut last[usize::from(dns.is_stale(c))];
            *slot = Some(slot.map_or(m, |x| x.max(m)));
        }
        if last == [None, None] {
            return;
        }
        let what = Happening::DnsAnswers {
            target: self.name(target).into(),
            clients_in: self.name(region).into(),
        };
        self.rec.note(at, Some(target), what);
        for (stale, at) in last.iter().enumerate() {
            let Some(m) = *at else { continue };
            let what = Happening::ClientsMoved {
                region: self.name(region).into(),
                target: self.name(target).into(),
                how: if stale == 1 {
                    Move::DnsStale
                } else {
                    Move::DnsHonest
                },
            };
            self.rec.note(m, Some(region), what);
        }
    }

    /// Multi-primary: each client region is answered its nearest healthy
    /// region (fail-open: the nearest, when none is healthy).
    fn mp_answers(&mut self, t: u64) {
        let Some(f) = self.s.failover.as_ref() else {
            return;
        };
        let prop = propagation_us(f);
        let Some(h) = self.health.as_ref() else {
            return;
        };
        let mut changes = Vec::new();
        for region in 0..self.n {
            let prefs = &self.prefs[region];
            let Some(&nearest) = prefs.first() else {
                continue;
            };
            let best = prefs
                .iter()
                .copied()
                .find(|&r| !h.is_unhealthy(r))
                .unwrap_or(nearest);
            changes.push((region, best));
        }
        for (region, best) in changes {
            self.set_dns_for(region, t + prop, best);
        }
    }

    /// Anycast: when a region goes dark or comes back, the clients whose
    /// route changes move one convergence sample later; notes the last per
    /// client region.
    fn anycast_moves(&mut self, t: u64, region: RegionId) {
        let Some(a) = self.router.anycast() else {
            return;
        };
        let mut last: Vec<Option<(u64, RegionId)>> = vec![None; self.n];
        for (c, client) in self.wl.clients.iter().enumerate() {
            let before = a.entry(&self.plan, c as u32, client.region, t.saturating_sub(1));
            let moved_at = t + a.convergence_us[c];
            let after = a.entry(&self.plan, c as u32, client.region, moved_at);
            if before != after && (before == Some(region) || after == Some(region)) {
                let slot = &mut last[client.region];
                if slot.is_none_or(|(m, _)| moved_at > m) {
                    *slot = after.map(|e| (moved_at, e));
                }
            }
        }
        for (from, entry) in last.iter().enumerate() {
            if let Some((m, e)) = *entry {
                let what = Happening::ClientsMoved {
                    region: self.name(from).into(),
                    target: self.name(e).into(),
                    how: Move::Anycast,
                };
                self.rec.note(m, Some(from), what);
            }
        }
    }

    pub fn promote_event(&mut self, t: u64, token: u32, q: &mut EventQueue<Ev>) {
        let Some((target, tok)) = self.pending else {
            return;
        };
        if tok != token {
            return;
        }
        self.pending = None;
        if !self.plan.region_up_at(target, t) {
            let what = Happening::PromotionFailed {
                target: self.name(target).into(),
            };
            self.rec.note(t, Some(target), what);
            if !self.failed_targets.contains(&target) {
                self.failed_targets.push(target);
            }
            self.evaluate(t, q);
            return;
        }
        self.promote(t, target, q);
    }

    pub fn fault_edge(&mut self, t: u64, fault: usize, start: bool, q: &mut EventQueue<Ev>) {
        let f = &self.s.faults[fault];
        let mut region_of = None;
        let what = match &f.kind {
            FaultKind::RegionOutage { region } => {
                region_of = Some(*region);
                if start {
                    self.zombie_went_dark(*region);
                    if self.multi.is_some() {
                        // Once what was already on the wire has landed.
                        let settle = self
                            .s
                            .regions
                            .iter()
                            .map(|r| r.commit_latency_us)
                            .max()
                            .unwrap_or(0);
                        q.push(
                            SimTime(t + settle + 1),
                            Ev::AntiEntropy {
                                lost: *region as u8,
                            },
                        );
                    }
                }
                let writer = if self.home.is_some() {
                    self.homes_any(*region)
                } else {
                    *region == self.primary && self.multi.is_none()
                };
                if writer {
                    if start {
                        self.rec.writer_lost(t);
                    } else {
                        self.rec.writer_back(t);
                    }
                }
                FaultWhat::Outage {
                    region: self.name(*region).into(),
                }
            }
            FaultKind::Partition { .. } => FaultWhat::Partition,
            FaultKind::Latency { a, b, add_us } => FaultWhat::Latency {
                a: self.name(*a).into(),
                b: self.name(*b).into(),
                add_us: *add_us,
            },
            FaultKind::ClockSkew { region, offset_us } => {
                region_of = Some(*region);
                let kind = f.kind.clone();
                self.mp_clock(&kind);
                FaultWhat::ClockSkew {
                    region: self.name(*region).into(),
                    offset_us: *offset_us,
                }
            }
        };
        self.rec
            .note(t, region_of, Happening::Fault { start, what });
        if let (Some(r), true) = (region_of, matches!(f.kind, FaultKind::RegionOutage { .. })) {
            self.anycast_moves(t, r);
        }
        if !start {
            self.reconnect(t, q);
            self.hr_rejoin(t);
        }
    }
}
