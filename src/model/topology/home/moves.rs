//! Home-region: each key is written only at its home. When a home turns
//! unhealthy its keys move, after `promotion_delay`, to the nearest healthy
//! region their residency allows; the old home's writes the new home lacks are
//! orphaned (lost), and regions holding an orphan are rebuilt when
//! reachable. Owns the decided moves and the orphans; touches the mesh and
//! the shared services.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::{Happening, Loss};
use crate::scenario::RegionId;

use super::HomeRegion;
use crate::model::env::Env;
use crate::model::events::Ev;
use crate::model::health::Health;

/// An orphaned key: regions whose version of it came from `from` past `cut`
/// hold a write the key's new lineage never had.
#[derive(Clone, Copy, Debug)]
struct Orphan {
    key: u32,
    from: RegionId,
    cut: u64,
}

#[derive(Clone, Debug, Default)]
pub struct HomeState {
    /// Per region: the token of a decided move of its keys (0 = none).
    pending: Vec<u32>,
    token: u32,
    orphans: Vec<Orphan>,
}

impl HomeState {
    pub fn new(regions: usize) -> HomeState {
        HomeState {
            pending: vec![0; regions],
            ..HomeState::default()
        }
    }
}

impl HomeRegion {
    /// Whether `r` is the home of any key now.
    pub fn homes_any(&self, env: &Env, r: RegionId) -> bool {
        env.place.keys_homed_at(r).next().is_some()
    }

    /// The health picture changed: decide (or cancel) moving keys off a home.
    /// `delay`: the promotion delay.
    pub fn evaluate(
        &mut self,
        env: &mut Env,
        (h, delay): (&Health, u64),
        t: u64,
        q: &mut EventQueue<Ev>,
    ) {
        let unhealthy: Vec<bool> = (0..env.n).map(|r| h.is_unhealthy(r)).collect();
        for (r, &bad) in unhealthy.iter().enumerate() {
            let pending = self.moves.pending[r];
            if bad && pending == 0 && self.homes_any(env, r) {
                let hs = &mut self.moves;
                hs.token += 1;
                hs.pending[r] = hs.token;
                let token = hs.token;
                let what = Happening::HomeMoveDecided {
                    from: env.name(r).into(),
                    delay_us: delay,
                };
                env.rec.note(t, Some(r), what);
                if env.plan.region_up_at(r, t) {
                    // Cut off, not dark: survivors gather what they can first.
                    q.push(SimTime(t), Ev::AntiEntropy { lost: r as u8 });
                }
                let ev = Ev::Rehome {
                    from: r as u8,
                    token,
                };
                q.push(SimTime(t + delay), ev);
            } else if !bad && pending != 0 {
                self.moves.pending[r] = 0;
                let from = env.name(r).into();
                env.rec
                    .note(t, Some(r), Happening::HomeMoveCancelled { from });
            }
        }
    }

    /// Per residency mask, the region keys homed at `from` move to: the
    /// healthy allowed region that has merged most of `from`'s writes (the
    /// nearest on ties), as a single-primary promotion picks.
    fn new_home(&self, env: &Env, h: &Health, from: RegionId, mask: u64) -> Option<RegionId> {
        let m = &self.mesh;
        let mut best: Option<RegionId> = None;
        // Every region is a member in home-region: `prefs` is all of them, nearest first.
        for &r in &env.prefs[from] {
            if r == from || mask >> r & 1 == 0 || h.is_unhealthy(r) {
                continue;
            }
            let got = |x: RegionId| m.applied[x * env.n + from];
            if best.is_none_or(|b| got(r) > got(b)) {
                best = Some(r);
            }
        }
        best
    }

    /// A decided move takes effect: `from`'s keys get new homes.
    pub fn rehome(&mut self, env: &mut Env, h: &Health, t: u64, (from, token): (RegionId, u32)) {
        let hs = &mut self.moves;
        if hs.pending[from] != token {
            return;
        }
        hs.pending[from] = 0;
        let keys: Vec<u32> = env.place.keys_homed_at(from).collect();
        let mut targets: Vec<(u64, Option<RegionId>)> = Vec::new();
        let mut moved = vec![false; env.s.workload.keys as usize];
        let (mut stuck, mut count) = (0u64, vec![0u64; env.n]);
        for k in keys {
            let mask = env.place.mask(k);
            let to = match targets.iter().find(|(m, _)| *m == mask) {
                Some(&(_, to)) => to,
                None => {
                    let to = self.new_home(env, h, from, mask);
                    targets.push((mask, to));
                    to
                }
            };
            match to {
                Some(to) => {
                    env.place.set_home(k, to);
                    moved[k as usize] = true;
                    count[to] += 1;
                }
                None => stuck += 1,
            }
        }
        let orphaned = self.orphan(env, t, from, &moved);
        for (to, c) in count.iter().enumerate().filter(|(_, c)| **c > 0) {
            let what = Happening::HomePromoted {
                to: env.name(to).into(),
                keys: *c,
                from: env.name(from).into(),
                orphaned: orphaned as u64,
            };
            env.rec.note(t, Some(to), what);
        }
        if stuck > 0 {
            let what = Happening::HomeStuck {
                from: env.name(from).into(),
                keys: stuck,
            };
            env.rec.note(t, Some(from), what);
        } else {
            env.rec.writer_back(t);
        }
        self.rejoin(env, t);
    }

    /// Marks `from`'s writes of moved keys that their new home lacks as
    /// orphans (lost when acknowledged); returns how many.
    fn orphan(&mut self, env: &mut Env, t: u64, from: RegionId, moved: &[bool]) -> u64 {
        let place = &env.place;
        let m = &mut self.mesh;
        let n = m.n;
        let log = &mut m.logs[from];
        let mut lost = Vec::new();
        let mut orphans = Vec::new();
        for (i, w) in log.writes.iter_mut().enumerate() {
            if w.void || !moved[w.key as usize] {
                continue;
            }
            let cut = m.applied[place.home(w.key) * n + from];
            if log.first + i as u64 <= cut {
                continue;
            }
            w.void = true;
            orphans.push(Orphan {
                key: w.key,
                from,
                cut,
            });
            if w.acked {
                lost.push(Loss {
                    id: w.id,
                    key: w.key,
                    region: from,
                    commit_us: w.true_us,
                    at_us: t,
                });
            }
        }
        let count = orphans.len() as u64;
        // Set aside at the move; a void write never comes back.
        env.rec.orphans_set_aside(t, lost.len() as u64, 0);
        for l in lost {
            env.rec.lost(l);
        }
        self.moves.orphans.extend(orphans);
        count
    }

    /// Regions that can reach an orphaned key's home drop their orphan
    /// version and take the home's (a rebuild of those keys).
    pub fn rejoin(&mut self, env: &mut Env, t: u64) {
        let mut hs = std::mem::take(&mut self.moves);
        let mut rebuilt = vec![0u64; env.n];
        hs.orphans.retain(|o| {
            let home = env.place.home(o.key);
            let mut done = true;
            for (r, count) in rebuilt.iter_mut().enumerate() {
                if r == home || !env.place.allowed(o.key, r) {
                    continue;
                }
                // The home's data can flow to r (a one-way cut back does not matter).
                let open = env.plan.path_up_during(home, r, t, t);
                if !(env.plan.region_up_at(r, t) && open) {
                    done = false;
                    continue;
                }
                if self.rebuild(o, r, home) {
                    *count += 1;
                }
            }
            !done
        });
        self.moves = hs;
        for (r, c) in rebuilt.iter().enumerate().filter(|(_, c)| **c > 0) {
            let what = Happening::OrphansRebuilt {
                region: env.name(r).into(),
                versions: *c,
            };
            env.rec.note(t, Some(r), what);
        }
    }

    /// Rebuilds key `o.key` at `r` from `home` if `r` holds an orphan of it.
    fn rebuild(&mut self, o: &Orphan, r: RegionId, home: RegionId) -> bool {
        let m = &mut self.mesh;
        let (n, k) = (m.n, o.key as usize);
        let v = m.versions[r][k];
        if !(v.id != 0 && v.origin as usize == o.from && v.seq > o.cut) {
            return false;
        }
        m.versions[r][k] = m.versions[home][k];
        let (lo, hi) = (k * 2 * n, (k + 1) * 2 * n);
        let src: Vec<u64> = m.vv[home][lo..hi].to_vec();
        m.vv[r][lo..hi].copy_from_slice(&src);
        true
    }
}
