//! The control plane: health probes, the failover decision (promote a
//! single-primary replica, re-answer multi-primary clients, move
//! home-region keys) and the promotion taking effect. Owns the health
//! picture and the decision state; may touch the shared services (`Env`)
//! and ask the topology (a lower layer) to act.

use rand::RngExt;

use crate::engine::{EventQueue, SimTime, Streams, Subsystem};
use crate::metrics::Happening;
use crate::scenario::{Failover, RegionId};

use super::answers;
use super::env::Env;
use super::events::Ev;
use super::health::{Change, Health};
use super::routing::Router;
use super::topology::{SinglePrimary, Topology};

/// Entity offset for probe-phase streams (link streams use small indices).
const PHASE_ENTITY: u32 = 1 << 20;

/// How long resolvers take to answer a new region (0 without DNS routing).
fn propagation_us(f: &Failover) -> u64 {
    f.routing.dns().map_or(0, |d| d.propagation_us)
}

pub struct Control {
    /// `None` without a `[failover]` section: nothing is probed or decided.
    health: Option<Health>,
    /// Per target: incident index + 1 for which its first failed probe was noted.
    first_fail_noted: Vec<usize>,
    /// A decided promotion: (target, token).
    pending: Option<(RegionId, u32)>,
    token: u32,
    no_candidate_noted: bool,
    /// Regions a promotion to which failed because they were dark.
    failed_targets: Vec<RegionId>,
}

impl Control {
    /// `members`: the regions probed.
    pub fn new(env: &Env, members: &[RegionId]) -> Control {
        let health = env
            .s
            .failover
            .as_ref()
            .map(|f| Health::new(&f.health_check, env.n, members));
        Control {
            health,
            first_fail_noted: vec![0; env.n],
            pending: None,
            token: 0,
            no_candidate_noted: false,
            failed_targets: Vec::new(),
        }
    }

    /// The health picture (`None` without failover).
    pub fn health(&self) -> Option<&Health> {
        self.health.as_ref()
    }

    /// Schedules every probe loop at its own random phase.
    pub fn start_probes(&self, env: &Env, q: &mut EventQueue<Ev>, streams: &Streams) {
        let (Some(h), Some(f)) = (&self.health, &env.s.failover) else {
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

    /// A checker sends a probe to `target`.
    pub fn probe(
        &self,
        env: &mut Env,
        t: u64,
        (target, slot): (RegionId, usize),
        q: &mut EventQueue<Ev>,
    ) {
        let (Some(h), Some(f)) = (&self.health, &env.s.failover) else {
            return;
        };
        let hc = &f.health_check;
        let c = h.checker_region(target, slot);
        let (target16, slot16) = (target as u16, slot as u16);
        if !env.plan.region_up_at(c, t) {
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
        let l1 = env.net.probe_latency(c, target) + env.plan.extra_latency(c, target, t);
        let l2 = env.net.probe_latency(target, c) + env.plan.extra_latency(target, c, t + l1);
        let answer = t + l1 + l2;
        let ok = l1 + l2 <= hc.timeout_us
            && env.plan.path_up_during(c, target, t, t + l1)
            && env.plan.path_up_during(target, c, t + l1, answer);
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

    /// A probe's answer (or its timeout).
    pub fn probe_done(
        &mut self,
        (env, topo): (&mut Env, &mut Topology),
        t: u64,
        (target, slot, ok): (RegionId, usize, bool),
        q: &mut EventQueue<Ev>,
    ) {
        let Some(f) = env.s.failover.as_ref() else {
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
        let acts = !matches!(topo, Topology::Multi(_)) || matches!(env.router, Router::Dns(_));
        if !ok && acts {
            if let Some(i) = env.rec.incident_at(t) {
                if self.first_fail_noted[target] != i + 1 {
                    self.first_fail_noted[target] = i + 1;
                    let what = Happening::FirstFailedProbe {
                        target: env.name(target).into(),
                        checker: env.name(checker).into(),
                    };
                    env.rec.note(t, Some(target), what);
                }
            }
        }
        if let Change::Region(unhealthy) = change {
            let what = Happening::Verdict {
                region: env.name(target).into(),
                healthy: !unhealthy,
            };
            if acts {
                env.rec.note(t, Some(target), what);
            }
            self.evaluate((env, topo), t, q);
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
    fn candidate(&self, env: &Env, sp: &SinglePrimary, t: u64) -> Option<RegionId> {
        let h = self.health.as_ref()?;
        sp.candidate(|r| {
            // A promotion that failed because the target was dark taught the
            // control plane that it is down, until it is back.
            let known_down = self.failed_targets.contains(&r) && !env.plan.region_up_at(r, t);
            // Residency: the new primary must be allowed to hold every pinned range.
            let resident = env.place.common_mask() >> r & 1 == 1;
            h.is_unhealthy(r) || known_down || !resident
        })
    }

    /// Decides (or cancels) a failover from the current health picture.
    fn evaluate(&mut self, (env, topo): (&mut Env, &mut Topology), t: u64, q: &mut EventQueue<Ev>) {
        let (Some(h), Some(f)) = (&self.health, &env.s.failover) else {
            return;
        };
        let (prop, delay) = (propagation_us(f), f.promotion_delay_us);
        let sp = match topo {
            Topology::Single(sp) => sp,
            Topology::Multi(_) => return answers::dns_nearest_healthy(env, h, t + prop),
            Topology::Home(home) => {
                answers::dns_nearest_healthy(env, h, t + prop);
                return home.evaluate(env, (h, delay), t, q);
            }
        };
        let p = sp.primary();
        if h.is_unhealthy(p) {
            if self.pending.is_some() {
                return;
            }
            let Some(target) = self.candidate(env, sp, t) else {
                if !self.no_candidate_noted {
                    self.no_candidate_noted = true;
                    env.rec.note(t, Some(p), Happening::NoFailoverTarget);
                }
                return;
            };
            self.token += 1;
            self.pending = Some((target, self.token));
            let what = Happening::FailoverDecided {
                target: env.name(target).into(),
                applied: sp.applied(target),
                log_end: sp.log_end(),
                delay_us: delay,
            };
            env.rec.note(t, Some(target), what);
            answers::dns_all(env, t + prop, target);
            q.push(SimTime(t + delay), Ev::Promote { token: self.token });
        } else if let Some((_, _)) = self.pending.take() {
            self.token += 1;
            let primary = env.name(p).into();
            env.rec
                .note(t, Some(p), Happening::PromotionCancelled { primary });
            answers::dns_all(env, t + prop, p);
        }
    }

    /// A decided promotion takes effect if `token` is still current.
    pub fn promote(
        &mut self,
        (env, topo): (&mut Env, &mut Topology),
        t: u64,
        token: u32,
        q: &mut EventQueue<Ev>,
    ) {
        let Some((target, tok)) = self.pending else {
            return;
        };
        if tok != token {
            return;
        }
        self.pending = None;
        if !env.plan.region_up_at(target, t) {
            let what = Happening::PromotionFailed {
                target: env.name(target).into(),
            };
            env.rec.note(t, Some(target), what);
            if !self.failed_targets.contains(&target) {
                self.failed_targets.push(target);
            }
            self.evaluate((env, topo), t, q);
            return;
        }
        if let Topology::Single(sp) = topo {
            sp.promote(env, t, target, q);
        }
    }
}
