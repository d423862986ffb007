//! Home-region: each key is written only at its home. When a home turns
//! unhealthy its keys move, after `promotion_delay`, to the nearest healthy
//! region their residency allows; the old home's writes the new home lacks are
//! orphaned (lost), and regions holding an orphan are rebuilt when reachable.

use crate::engine::{EventQueue, SimTime};
use crate::metrics::{Happening, Loss};
use crate::scenario::{RegionId, Topology};

use super::world::{Ev, World};

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
    pub fn new(topology: Topology, regions: usize) -> Option<HomeState> {
        (topology == Topology::HomeRegion).then(|| HomeState {
            pending: vec![0; regions],
            ..HomeState::default()
        })
    }
}

impl World<'_> {
    /// Whether `r` is the home of any key now.
    pub(super) fn homes_any(&self, r: RegionId) -> bool {
        self.place.keys_homed_at(r).next().is_some()
    }

    /// The health picture changed: decide (or cancel) moving keys off a home.
    pub fn hr_evaluate(&mut self, t: u64, q: &mut EventQueue<Ev>) {
        let (Some(h), Some(f)) = (&self.health, &self.s.failover) else {
            return;
        };
        let delay = f.promotion_delay_us;
        let unhealthy: Vec<bool> = (0..self.n).map(|r| h.is_unhealthy(r)).collect();
        for (r, &bad) in unhealthy.iter().enumerate() {
            let Some(pending) = self.home.as_ref().map(|hs| hs.pending[r]) else {
                return;
            };
            if bad && pending == 0 && self.homes_any(r) {
                let hs = self.home.as_mut().expect("home state");
                hs.token += 1;
                hs.pending[r] = hs.token;
                let token = hs.token;
                let what = Happening::HomeMoveDecided {
                    from: self.name(r).into(),
                    delay_us: delay,
                };
                self.rec.note(t, Some(r), what);
                if self.plan.region_up_at(r, t) {
                    // Cut off, not dark: survivors gather what they can first.
                    q.push(SimTime(t), Ev::AntiEntropy { lost: r as u8 });
                }
                let ev = Ev::Rehome {
                    from: r as u8,
                    token,
                };
                q.push(SimTime(t + delay), ev);
            } else if !bad && pending != 0 {
                self.home.as_mut().expect("home state").pending[r] = 0;
                let from = self.name(r).into();
                self.rec
                    .note(t, Some(r), Happening::HomeMoveCancelled { from });
            }
        }
    }

    /// Per residency mask, the region keys homed at `from` move to: the
    /// healthy allowed region that has merged most of `from`'s writes (the
    /// nearest on ties), as a single-primary promotion picks.
    fn new_home(&self, from: RegionId, mask: u64) -> Option<RegionId> {
        let h = self.health.as_ref()?;
        let m = self.multi.as_ref()?;
        let mut best: Option<RegionId> = None;
        // Every region is a member in home-region: `prefs` is all of them, nearest first.
        for &r in &self.prefs[from] {
            if r == from || mask >> r & 1 == 0 || h.is_unhealthy(r) {
                continue;
            }
            let got = |x: RegionId| m.applied[x * self.n + from];
            if best.is_none_or(|b| got(r) > got(b)) {
                best = Some(r);
            }
        }
        best
    }

    /// A decided move takes effect: `from`'s keys get new homes.
    pub fn hr_rehome(&mut self, t: u64, from: RegionId, token: u32) {
        let Some(hs) = self.home.as_mut() else { return };
        if hs.pending[from] != token {
            return;
        }
        hs.pending[from] = 0;
        let keys: Vec<u32> = self.place.keys_homed_at(from).collect();
        let mut targets: Vec<(u64, Option<RegionId>)> = Vec::new();
        let mut moved = vec![false; self.s.workload.keys as usize];
        let (mut stuck, mut count) = (0u64, vec![0u64; self.n]);
        for k in keys {
            let mask = self.place.mask(k);
            let to = match targets.iter().find(|(m, _)| *m == mask) {
                Some(&(_, to)) => to,
                None => {
                    let to = self.new_home(from, mask);
                    targets.push((mask, to));
                    to
                }
            };
            match to {
                Some(to) => {
                    self.place.set_home(k, to);
                    moved[k as usize] = true;
                    count[to] += 1;
                }
                None => stuck += 1,
            }
        }
        let orphaned = self.hr_orphan(t, from, &moved);
        for (to, c) in count.iter().enumerate().filter(|(_, c)| **c > 0) {
            let what = Happening::HomePromoted {
                to: self.name(to).into(),
                keys: *c,
                from: self.name(from).into(),
                orphaned: orphaned as u64,
            };
            self.rec.note(t, Some(to), what);
        }
        if stuck > 0 {
            let what = Happening::HomeStuck {
                from: self.name(from).into(),
                keys: stuck,
            };
            self.rec.note(t, Some(from), what);
        } else {
            self.rec.writer_back(t);
        }
        self.hr_rejoin(t);
    }

    /// Marks `from`'s writes of moved keys that their new home lacks as
    /// orphans (lost when acknowledged); returns how many.
    fn hr_orphan(&mut self, t: u64, from: RegionId, moved: &[bool]) -> u64 {
        let place = &self.place;
        let Some(m) = self.multi.as_mut() else {
            return 0;
        };
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
        for l in lost {
            self.rec.lost(l);
        }
        if let Some(hs) = self.home.as_mut() {
            hs.orphans.extend(orphans);
        }
        count
    }

    /// Regions that can reach an orphaned key's home drop their orphan
    /// version and take the home's (a rebuild of those keys).
    pub fn hr_rejoin(&mut self, t: u64) {
        let Some(mut hs) = self.home.take() else {
            return;
        };
        let mut rebuilt = vec![0u64; self.n];
        hs.orphans.retain(|o| {
            let home = self.place.home(o.key);
            let mut done = true;
            for (r, count) in rebuilt.iter_mut().enumerate() {
                if r == home || !self.place.allowed(o.key, r) {
                    continue;
                }
                // The home's data can flow to r (a one-way cut back does not matter).
                let open = self.plan.path_up_during(home, r, t, t);
                if !(self.plan.region_up_at(r, t) && open) {
                    done = false;
                    continue;
                }
                if self.hr_rebuild(o, r, home) {
                    *count += 1;
                }
            }
            !done
        });
        self.home = Some(hs);
        for (r, c) in rebuilt.iter().enumerate().filter(|(_, c)| **c > 0) {
            let what = Happening::OrphansRebuilt {
                region: self.name(r).into(),
                versions: *c,
            };
            self.rec.note(t, Some(r), what);
        }
    }

    /// Rebuilds key `o.key` at `r` from `home` if `r` holds an orphan of it.
    fn hr_rebuild(&mut self, o: &Orphan, r: RegionId, home: RegionId) -> bool {
        let Some(m) = self.multi.as_mut() else {
            return false;
        };
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
