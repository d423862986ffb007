//! The RTO as metrics.md defines it: which clients an incident affected (a
//! write request of theirs was impaired) and when each was restored, from
//! side-effect-free probes of its route taken every [`PROBE_US`] from the
//! model's routing and failover state (never from the client's next write).
//!
//! The model calls [`Restoration::due`] before each event and answers each
//! due probe with [`Restoration::probe`]: per client the route it would take
//! now (entry and writing region) and whether that route leads over an up
//! path to a region accepting its writes. Requests settle in issue order
//! through [`Restoration::settled`]. Nothing here draws randomness.

/// Probe resolution: metrics.md asks for 100 ms or finer.
pub const PROBE_US: u64 = 100_000;

/// What a probe of one client's route found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteProbe {
    /// The region the client's request enters (DNS answer, anycast entry,
    /// client-side endpoint).
    pub via: u8,
    /// The region that would commit it.
    pub dst: u8,
    /// The path client -> via -> dst is usable both ways, both regions up.
    pub path: bool,
    /// `dst` accepts writes now.
    pub accepts: bool,
}

impl RouteProbe {
    pub fn ok(&self) -> bool {
        self.path && self.accepts
    }
}

/// One client's route over time: the start of the current run of each
/// property (so that the start of the last run before a moment is known).
#[derive(Clone, Copy, Debug, Default)]
struct RouteRuns {
    last: RouteProbe,
    /// Since when `via` (and `dst`) have been what they are.
    route_since: u64,
    /// Since when the route has been ok (`None`: not ok now).
    ok_since: Option<u64>,
    /// The route as it stood when it last became ok (what restored it).
    at_ok: RouteAtEnd,
}

/// A yes/no property of the world and since when it has had its value.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    value: bool,
    since: u64,
}

impl Run {
    fn set(&mut self, value: bool, tau: u64, first: bool) {
        if first || self.value != value {
            *self = Run { value, since: tau };
        }
    }
}

/// What the model reports per region at a probe round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegionProbe {
    pub up: bool,
    /// Accepts writes for its clients' data.
    pub accepts: bool,
}

/// A client's route as of the end of an incident's window: since when it has
/// been ok, and the route as it stood when it became ok then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteAtEnd {
    /// Since when it has been ok without a break (`None`: not ok at the end).
    pub ok_since: Option<u64>,
    /// Since when it has pointed where it points at the end.
    pub route_since: u64,
    /// Since when the path of that route (client -> via -> dst, both ways,
    /// both regions up) has been usable, whatever the client's route was.
    pub path_since: u64,
    /// Since when its writing region has accepted writes.
    pub accepts_since: u64,
    pub via: u8,
    pub dst: u8,
}

/// One client's record for one incident.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Affected {
    pub client: u32,
    /// Issue time of its last impaired request.
    pub last_impaired_issue: u64,
    /// Acknowledgement of the first unimpaired request it issued after that
    /// (the client-side monitor's view); `None` when it issued none.
    pub observed: Option<u64>,
    /// When it first saw a failed attempt in this incident (client-side
    /// routing: the decision that acts on the fault).
    pub first_failed_attempt: Option<u64>,
    /// Its route as of the end of the incident's window.
    pub route: RouteAtEnd,
}

impl Affected {
    /// The restoration instant: its route ok for good, and after its last
    /// impaired request; `None` when the route was never fixed.
    pub fn restored(&self, start: u64) -> Option<u64> {
        let fixed = self.route.ok_since?;
        Some(fixed.max(self.last_impaired_issue + 1).max(start))
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Open {
    /// Incident index + 1 the record is for; 0 = none.
    incident: u32,
    /// A request of the client was impaired in it.
    affected: bool,
    last_impaired_issue: u64,
    observed: Option<u64>,
    first_failed_attempt: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct Restoration {
    /// Incident starts, ascending.
    starts: Vec<u64>,
    /// The next probe instant (`u64::MAX`: none before the first incident is known).
    next: u64,
    /// Index of the incident the next probe belongs to.
    window: usize,
    routes: Vec<RouteRuns>,
    /// Per client: the region it is located in.
    pub client_region: Vec<u8>,
    /// Per region: up, and accepting writes.
    up: Vec<Run>,
    accepting: Vec<Run>,
    /// Per ordered region pair a * n + b: traffic flows both ways.
    legs: Vec<Run>,
    /// Scratch buffers the model fills for one probe round: per region, and
    /// per pair (a * n + b: not cut either way).
    pub buf_regions: Vec<RegionProbe>,
    pub buf_legs: Vec<bool>,
    /// Scratch: regions accepting writes as the writer of the same data now
    /// (a deposed primary that still takes writes counts).
    pub buf_writers: u8,
    /// Every client region has a region accepting its writes it can reach.
    served: Run,
    /// Two or more writers for the same data.
    split: Run,
    /// Per incident: (a probe found a client region without a writer,
    /// served since, as of the window end).
    pub service: Vec<(bool, Option<u64>)>,
    /// Per incident: the split-brain periods [from, to) seen by the probes
    /// (`to` = `None`: still open at the end of the run).
    pub split_brain: Vec<Vec<(u64, Option<u64>)>>,
    gap_seen: bool,
    /// Per incident: every client's route at the end of its window.
    at_end: Vec<Vec<RouteAtEnd>>,
    open: Vec<Open>,
    /// Some client was ever affected (until then an unimpaired request has
    /// nothing to update, and `settled` skips its record).
    any_affected: bool,
    /// Per incident: the affected clients' records, in the order closed.
    pub affected: Vec<Vec<Affected>>,
    /// Per client: its mean gap between requests (µs), from the workload.
    pub mean_gap_us: Vec<u64>,
    /// Per incident: the first failed attempt any client saw in it.
    pub first_failed_attempt: Vec<Option<u64>>,
    /// Scratch buffer the model fills for one probe round.
    pub buf: Vec<RouteProbe>,
    /// Scratch for the model: (timeline length, regions that are homes).
    pub homes_cache: Option<(usize, u64)>,
    probes: u64,
}

impl Restoration {
    pub fn new(clients: usize, starts: Vec<u64>) -> Self {
        let n = starts.len();
        Restoration {
            next: starts.first().copied().unwrap_or(u64::MAX),
            starts,
            window: 0,
            routes: vec![RouteRuns::default(); clients],
            client_region: vec![0; clients],
            up: Vec::new(),
            accepting: Vec::new(),
            legs: Vec::new(),
            buf_regions: Vec::new(),
            buf_legs: Vec::new(),
            buf_writers: 0,
            served: Run::default(),
            split: Run::default(),
            service: vec![(false, None); n],
            split_brain: vec![Vec::new(); n],
            gap_seen: false,
            at_end: vec![Vec::new(); n],
            open: vec![Open::default(); clients],
            any_affected: false,
            affected: vec![Vec::new(); n],
            mean_gap_us: vec![0; clients],
            first_failed_attempt: vec![None; n],
            buf: Vec::new(),
            homes_cache: None,
            probes: 0,
        }
    }

    /// The next probe instant strictly before `t`, if one is due.
    pub fn due(&self, t: u64) -> Option<u64> {
        (self.next < t).then_some(self.next)
    }

    /// Probes taken so far (rounds × clients).
    pub fn probes(&self) -> u64 {
        self.probes
    }

    /// The model's answer for the probe round at `tau` (one entry per
    /// client, in `buf`), then the next instant is scheduled.
    pub fn probe(&mut self, tau: u64) {
        let first = self.probes == 0;
        let n = self.buf_regions.len();
        if first {
            self.up = vec![Run::default(); n];
            self.accepting = vec![Run::default(); n];
            self.legs = vec![Run::default(); n * n];
        }
        for (i, r) in self.buf_regions.iter().enumerate() {
            self.up[i].set(r.up, tau, first);
            self.accepting[i].set(r.accepts, tau, first);
        }
        for (i, &ok) in self.buf_legs.iter().enumerate() {
            self.legs[i].set(ok, tau, first);
        }
        // Every client region reaches a region that accepts its writes.
        let regions = &self.buf_regions;
        let legs = &self.buf_legs;
        let served = self.client_region.iter().all(|&from| {
            let from = from as usize;
            (0..n).any(|r| regions[r].accepts && (r == from || legs[from * n + r]))
        });
        self.served.set(served, tau, first);
        self.gap_seen |= !served;
        let split = self.buf_writers >= 2;
        let was = self.split.value && !first;
        self.split.set(split, tau, first);
        if let Some(list) = self.split_brain.get_mut(self.window) {
            if split && !was {
                list.push((tau, None));
            } else if !split && was {
                if let Some(last) = list.last_mut() {
                    last.1 = Some(tau);
                }
            }
        }
        let buf = std::mem::take(&mut self.buf);
        for (c, p) in buf.iter().enumerate() {
            let r = &mut self.routes[c];
            if first || (r.last.via, r.last.dst) != (p.via, p.dst) {
                r.route_since = tau;
            }
            r.last = *p;
            if !p.ok() {
                r.ok_since = None;
            } else if r.ok_since.is_none() {
                r.ok_since = Some(tau);
                let r = *r;
                let from = self.client_region.get(c).copied().unwrap_or(0);
                self.routes[c].at_ok = self.route_now(from, &r);
            }
        }
        self.probes += buf.len() as u64;
        self.buf = buf;
        let mut next = tau + PROBE_US;
        if let Some(&s) = self.starts.get(self.window + 1) {
            if next >= s {
                self.close_window();
                next = s;
            }
        }
        self.next = next;
    }

    /// A client's route and since when each part of it has held, now.
    fn route_now(&self, from: u8, r: &RouteRuns) -> RouteAtEnd {
        let n = self.up.len();
        let since = |run: Option<&Run>| run.map_or(0, |r| r.since);
        let (from, via, dst) = (from as usize, r.last.via as usize, r.last.dst as usize);
        let path_since = [
            since(self.up.get(via)),
            since(self.up.get(dst)),
            since(self.legs.get(from * n + via)),
            since(self.legs.get(via * n + dst)),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        RouteAtEnd {
            ok_since: r.ok_since,
            route_since: r.route_since,
            path_since,
            accepts_since: since(self.accepting.get(dst)),
            via: r.last.via,
            dst: r.last.dst,
        }
    }

    /// Keeps every client's route as the current window ends.
    fn close_window(&mut self) {
        let snap = self
            .routes
            .iter()
            .map(|r| RouteAtEnd {
                ok_since: r.ok_since,
                ..r.at_ok
            })
            .collect();
        if let Some(slot) = self.at_end.get_mut(self.window) {
            *slot = snap;
        }
        if let Some(slot) = self.service.get_mut(self.window) {
            *slot = (
                self.gap_seen,
                self.served.value.then_some(self.served.since),
            );
        }
        self.gap_seen = false;
        // A split brain still open carries over into the next window.
        let open = self
            .split_brain
            .get(self.window)
            .and_then(|l| l.last())
            .is_some_and(|p| p.1.is_none());
        if let (true, Some(&next)) = (open, self.starts.get(self.window + 1)) {
            if let Some(last) = self.split_brain[self.window].last_mut() {
                last.1 = Some(next);
            }
            self.split_brain[self.window + 1].push((next, None));
        }
        self.window += 1;
    }

    fn incident_at(&self, t: u64) -> Option<usize> {
        self.starts.partition_point(|&s| s <= t).checked_sub(1)
    }

    /// A client's attempt failed (seen by it at `at`); the request may still
    /// succeed on a later attempt.
    pub fn attempt_failed(&mut self, client: u32, at: u64) {
        let Some(i) = self.incident_at(at) else {
            return;
        };
        let f = &mut self.first_failed_attempt[i];
        *f = Some(f.map_or(at, |x| x.min(at)));
        let o = self.open_for(client, i);
        o.first_failed_attempt = Some(o.first_failed_attempt.map_or(at, |x| x.min(at)));
    }

    fn open_for(&mut self, client: u32, i: usize) -> &mut Open {
        let tag = i as u32 + 1;
        let o = self.open[client as usize];
        if o.incident < tag {
            if o.incident != 0 {
                self.push_record(client, o);
            }
            self.open[client as usize] = Open {
                incident: tag,
                ..Open::default()
            };
        }
        &mut self.open[client as usize]
    }

    fn push_record(&mut self, client: u32, o: Open) {
        if o.incident == 0 || !o.affected {
            return;
        }
        self.affected[o.incident as usize - 1].push(Affected {
            client,
            last_impaired_issue: o.last_impaired_issue,
            observed: o.observed,
            first_failed_attempt: o.first_failed_attempt,
            route: RouteAtEnd::default(),
        });
    }

    /// A write request of `client`, issued at `issue`, settled at `done`
    /// (the client saw its outcome then); `impaired` per metrics.md;
    /// `ack` when it was acknowledged. Called in issue order per client.
    pub fn settled(
        &mut self,
        client: u32,
        issue: u64,
        done: u64,
        impaired: bool,
        ack: Option<u64>,
    ) {
        if !impaired && !self.any_affected {
            return;
        }
        let o = self.open[client as usize];
        if impaired {
            let Some(i) = self.incident_at(done) else {
                return;
            };
            let o = self.open_for(client, i);
            if !o.affected || issue >= o.last_impaired_issue {
                o.last_impaired_issue = issue;
                o.observed = None;
            }
            o.affected = true;
            self.any_affected = true;
        } else if o.affected && o.observed.is_none() && issue > o.last_impaired_issue {
            self.open[client as usize].observed = ack;
        }
    }

    /// Closes every record and window at the end of the run (after the last
    /// probe round).
    pub fn finish(&mut self) {
        while self.window < self.starts.len() {
            self.close_window();
        }
        for c in 0..self.open.len() {
            let o = std::mem::take(&mut self.open[c]);
            if o.incident != 0 {
                self.push_record(c as u32, o);
            }
        }
        for (i, list) in self.affected.iter_mut().enumerate() {
            list.sort_by_key(|a| a.client);
            for a in list.iter_mut() {
                a.route = self.at_end[i]
                    .get(a.client as usize)
                    .copied()
                    .unwrap_or_default();
            }
        }
    }

    /// The run's end: probe rounds up to and including `end` are still due.
    pub fn end_due(&self, end: u64) -> Option<u64> {
        (self.next <= end).then_some(self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One region pair (0 and 1), clients located in 0; `ok[c]`: the route
    /// of client c leads to 1 and is usable.
    fn round(t: &mut Restoration, tau: u64, ok: &[bool]) {
        t.buf_regions = vec![
            RegionProbe {
                up: false,
                accepts: false,
            },
            RegionProbe {
                up: true,
                accepts: ok.iter().any(|&o| o),
            },
        ];
        t.buf_legs = vec![true; 4];
        t.buf = ok
            .iter()
            .map(|&ok| RouteProbe {
                via: if ok { 1 } else { 0 },
                dst: if ok { 1 } else { 0 },
                path: ok,
                accepts: ok,
            })
            .collect();
        t.probe(tau);
    }

    #[test]
    fn restoration_is_the_route_not_the_next_write() {
        let mut t = Restoration::new(3, vec![1_000_000]);
        t.client_region = vec![0; 3];
        // Client 0 impaired at 1.0 s, route fixed at 1.3 s, never writes again.
        // Client 1 impaired, route never fixed. Client 2 impaired at 1.2 s
        // and again (slow) at 1.5 s after its route was fixed at 1.1 s.
        t.settled(0, 1_000_000, 1_000_100, true, None);
        t.settled(1, 1_000_000, 1_000_100, true, None);
        t.settled(2, 1_200_000, 1_200_100, true, None);
        t.settled(2, 1_500_000, 1_900_000, true, Some(1_900_000));
        t.settled(2, 1_600_000, 1_600_050, false, Some(1_600_050));
        let mut tau = 1_000_000;
        while t.end_due(2_000_000).is_some() {
            let ok = [tau >= 1_300_000, false, tau >= 1_100_000];
            round(&mut t, tau, &ok);
            tau += PROBE_US;
        }
        t.finish();
        let a = &t.affected[0];
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].restored(1_000_000), Some(1_300_000));
        assert_eq!(a[0].observed, None, "silent, yet restored");
        assert_eq!(a[1].restored(1_000_000), None, "never fixed");
        assert_eq!(a[2].restored(1_000_000), Some(1_500_001));
        assert_eq!(a[2].observed, Some(1_600_050));
        assert_eq!(a[2].route.route_since, 1_100_000);
    }

    #[test]
    fn split_brain_and_service_periods() {
        let mut t = Restoration::new(1, vec![0]);
        t.client_region = vec![0];
        for (tau, writers, ok) in [(0, 1, false), (100_000, 2, true), (200_000, 2, true)] {
            t.buf_writers = writers;
            round(&mut t, tau, &[ok]);
        }
        t.finish();
        assert_eq!(t.split_brain[0], vec![(100_000, None)]);
        assert_eq!(t.service[0], (true, Some(100_000)));
    }
}
