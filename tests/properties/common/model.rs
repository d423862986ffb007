//! The valid-scenario model: regions, links, workload, topology, failover, faults and
//! residency rules, rendered to TOML text.

use super::*;

// ---------------------------------------------------------------------------
// The valid-scenario model
// ---------------------------------------------------------------------------

pub(crate) const REGION_NAMES: [&str; 4] =
    ["us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1"];

#[derive(Clone, Debug)]
pub(crate) enum Lat {
    Constant(u64),
    Normal { mean: u64, stddev: u64 },
    LogNormal { median: u64, p99: u64 },
    Uniform { min: u64, max: u64 },
}

impl Lat {
    pub(crate) fn render(&self) -> String {
        match self {
            Lat::Constant(us) => quoted(&dur(*us)),
            Lat::Normal { mean, stddev } => format!(
                "{{ dist = \"normal\", mean = \"{}\", stddev = \"{}\" }}",
                dur(*mean),
                dur(*stddev)
            ),
            Lat::LogNormal { median, p99 } => format!(
                "{{ dist = \"lognormal\", median = \"{}\", p99 = \"{}\" }}",
                dur(*median),
                dur(*p99)
            ),
            Lat::Uniform { min, max } => format!(
                "{{ dist = \"uniform\", min = \"{}\", max = \"{}\" }}",
                dur(*min),
                dur(*max)
            ),
        }
    }

    /// A generous bound on one sample (the tails of normal and lognormal are unbounded;
    /// this is far out in them).
    pub(crate) fn generous_max(&self) -> u64 {
        match *self {
            Lat::Constant(us) => us,
            Lat::Normal { mean, stddev } => mean + 10 * stddev,
            Lat::LogNormal { median, p99 } => p99.saturating_mul(p99) / median.max(1),
            Lat::Uniform { max, .. } => max,
        }
    }
}

/// The jurisdictions regions may be in (`RegionG::jurisdiction` indexes this).
pub(crate) const JURISDICTIONS: [&str; 3] = ["EU", "US", "APAC"];

#[derive(Clone, Debug)]
pub(crate) struct RegionG {
    pub(crate) commit_us: Option<u64>,
    pub(crate) offset_us: Option<i64>,
    /// Index into `JURISDICTIONS`.
    pub(crate) jurisdiction: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct LinkG {
    pub(crate) a: usize,
    pub(crate) b: usize,
    pub(crate) lat: Lat,
    /// (text, bits per second)
    pub(crate) bandwidth: Option<(&'static str, u64)>,
}

#[derive(Clone, Debug)]
pub(crate) struct ClientG {
    pub(crate) region: usize,
    pub(crate) per_mille: u32,
    pub(crate) count: u32,
}

#[derive(Clone, Debug)]
pub(crate) struct WorkloadG {
    pub(crate) writes_per_sec: u64,
    /// Print the rate as a float ("250.0") rather than an integer.
    pub(crate) rate_as_float: bool,
    pub(crate) arrival: Option<&'static str>,
    pub(crate) keys: u32,
    /// `None`: key_distribution left out; `Some(None)`: "uniform"; `Some(Some(e))`: zipf.
    pub(crate) zipf: Option<Option<f64>>,
    pub(crate) write_size: Option<(&'static str, u64)>,
    pub(crate) request_timeout_us: u64,
    pub(crate) access_us: Option<u64>,
    pub(crate) clients: Vec<ClientG>,
    /// Reads (a second arrival process; the identities below hold them).
    pub(crate) reads_per_sec: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Topo {
    Single,
    /// `[conflicts]`: `None` left out (LWW by default), `Some(None)` the section
    /// without `resolution`, `Some(Some(r))` with it.
    Multi(Option<Option<&'static str>>),
    Home,
}

impl Topo {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Topo::Single => "single-primary",
            Topo::Multi(_) => "multi-primary",
            Topo::Home => "home-region",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ReplG {
    pub(crate) topology: Topo,
    /// Single-primary: the primary. Otherwise not rendered (`primary` is an error
    /// there): the region that faults aimed at "the primary" hit.
    pub(crate) primary: usize,
    /// `None`: every other region (the default).
    pub(crate) replicas: Option<Vec<usize>>,
    pub(crate) mode: Option<&'static str>,
    pub(crate) acks: Option<u32>,
    pub(crate) semi_sync_timeout_us: Option<u64>,
}

#[derive(Clone, Debug)]
pub(crate) enum RoutingG {
    Default,
    Dns,
    Anycast(u64),
    Client {
        endpoints: Option<Vec<usize>>,
        max_attempts: u32,
        base_us: u64,
        cap_us: u64,
        jitter: &'static str,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct FailoverG {
    pub(crate) routing: RoutingG,
    pub(crate) promotion_delay_us: u64,
    pub(crate) fencing: Option<bool>,
    pub(crate) on_rejoin: Option<&'static str>,
    pub(crate) interval_us: u64,
    pub(crate) threshold: u32,
    pub(crate) hc_timeout_us: u64,
    pub(crate) checkers: Option<Vec<usize>>,
    pub(crate) unhealthy_share_pc: Option<u32>,
    pub(crate) ttl_us: u64,
    pub(crate) propagation_us: Option<u64>,
    pub(crate) stale_fraction_pm: Option<u32>,
    pub(crate) stale_extra_us: Option<u64>,
}

#[derive(Clone, Debug)]
pub(crate) enum FaultKindG {
    Outage(usize),
    /// `sides`: None = `between = [a, b]`; else the two sides.
    Partition {
        a: usize,
        b: usize,
        sides: Option<(Vec<usize>, Vec<usize>)>,
        direction: Option<&'static str>,
    },
    Latency {
        a: usize,
        b: usize,
        add_us: u64,
    },
    Skew {
        region: usize,
        offset_us: i64,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct FaultG {
    pub(crate) kind: FaultKindG,
    pub(crate) at_us: u64,
    pub(crate) duration_us: Option<u64>,
}

impl FaultG {
    /// When the fault's effect on traffic ends (clock skew has none: 0).
    pub(crate) fn heals_at(&self) -> Option<u64> {
        match self.kind {
            FaultKindG::Skew { .. } => Some(0),
            _ => self.duration_us.map(|d| self.at_us + d),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Sc {
    pub(crate) name: String,
    pub(crate) description: bool,
    pub(crate) seed: Option<u64>,
    pub(crate) duration_us: u64,
    pub(crate) drain_us: Option<u64>,
    pub(crate) regions: Vec<RegionG>,
    pub(crate) links: Vec<LinkG>,
    pub(crate) wl: WorkloadG,
    pub(crate) repl: ReplG,
    pub(crate) failover: Option<FailoverG>,
    pub(crate) faults: Vec<FaultG>,
    /// `[[residency]]` rules, in file order (non-overlapping, each naming a
    /// jurisdiction some region has).
    pub(crate) rules: Vec<RuleG>,
}

#[derive(Clone, Debug)]
pub(crate) struct RuleG {
    /// Inclusive, exclusive.
    pub(crate) lo: u32,
    pub(crate) hi: u32,
    /// Index into `JURISDICTIONS`.
    pub(crate) jurisdiction: usize,
}

impl RuleG {
    pub(crate) fn keys(&self) -> String {
        format!("{}..{}", self.lo, self.hi)
    }

    pub(crate) fn contains(&self, key: u32) -> bool {
        key >= self.lo && key < self.hi
    }
}

impl Sc {
    pub(crate) fn rname(&self, i: usize) -> String {
        REGION_NAMES[i].to_string()
    }

    pub(crate) fn names(&self, ids: &[usize]) -> String {
        let v: Vec<String> = ids.iter().map(|&i| self.rname(i)).collect();
        name_list(&v)
    }

    pub(crate) fn drain(&self) -> u64 {
        self.drain_us.unwrap_or(60 * S)
    }

    pub(crate) fn end_us(&self) -> u64 {
        self.duration_us + self.drain()
    }

    pub(crate) fn single(&self) -> bool {
        self.repl.topology == Topo::Single
    }

    /// Multi-primary with a CRDT resolution (nothing is ever discarded).
    pub(crate) fn crdt(&self) -> bool {
        matches!(
            self.repl.topology,
            Topo::Multi(Some(Some("crdt-counter" | "crdt-set")))
        )
    }

    /// A replication mode the topology refuses as not supported: semi-sync and sync
    /// with multi-primary, semi-sync with home-region.
    pub(crate) fn refused_mode(&self) -> bool {
        matches!(
            (self.repl.topology, self.repl.mode),
            (Topo::Multi(_), Some("semi-sync" | "sync")) | (Topo::Home, Some("semi-sync"))
        )
    }

    /// Whether region `r` may hold the keys of `rule`.
    pub(crate) fn in_jurisdiction(&self, r: usize, rule: &RuleG) -> bool {
        self.regions[r].jurisdiction == Some(rule.jurisdiction)
    }

    /// Single-primary: the rules whose jurisdiction the primary is outside of (each
    /// pinned write committed there is a residency violation). Empty for the other
    /// topologies, which never store a record outside its jurisdiction.
    pub(crate) fn rules_outside_primary(&self) -> Vec<&RuleG> {
        if !self.single() {
            return Vec::new();
        }
        self.rules
            .iter()
            .filter(|rule| !self.in_jurisdiction(self.repl.primary, rule))
            .collect()
    }

    /// Attempts a request may make (each may commit): only client-side routing retries.
    pub(crate) fn max_attempts(&self) -> u64 {
        match self.failover.as_ref().map(|f| &f.routing) {
            Some(RoutingG::Client { max_attempts, .. }) => u64::from(*max_attempts),
            _ => 1,
        }
    }

    /// Nothing fails over and no request is dropped on its way: every write commits
    /// exactly once, at the region it was first sent to.
    pub(crate) fn every_write_commits_once(&self) -> bool {
        self.failover.is_none()
            && self
                .faults
                .iter()
                .all(|f| matches!(f.kind, FaultKindG::Latency { .. } | FaultKindG::Skew { .. }))
    }

    /// The replicas in effect (the default is every other region). For multi-primary
    /// and home-region, the regions that can acknowledge a write besides its origin.
    pub(crate) fn replica_ids(&self) -> Vec<usize> {
        if !self.single() {
            return (0..self.regions.len())
                .filter(|&i| i != self.repl.primary)
                .collect();
        }
        match &self.repl.replicas {
            Some(v) => v.clone(),
            None => (0..self.regions.len())
                .filter(|&i| i != self.repl.primary)
                .collect(),
        }
    }

    pub(crate) fn write_size(&self) -> u64 {
        self.wl.write_size.map_or(1024, |(_, b)| b)
    }

    pub(crate) fn doc(&self) -> Doc {
        let mut d = Doc::default();
        let top = d.sec("");
        top.kv("name", quoted(&self.name));
        if self.description {
            top.kv("description", quoted("generated by tests/properties.rs"));
        }
        if let Some(seed) = self.seed {
            top.kv("seed", seed.to_string());
        }
        top.kv("duration", quoted(&dur(self.duration_us)));
        if let Some(drain) = self.drain_us {
            top.kv("drain", quoted(&dur(drain)));
        }
        for (i, r) in self.regions.iter().enumerate() {
            let s = d.sec("[[regions]]");
            s.kv("name", quoted(REGION_NAMES[i]));
            if let Some(c) = r.commit_us {
                s.kv("commit_latency", quoted(&dur(c)));
            }
            if let Some(o) = r.offset_us {
                s.kv("clock_offset", quoted(&offset(o)));
            }
            if let Some(j) = r.jurisdiction {
                s.kv("jurisdiction", quoted(JURISDICTIONS[j]));
            }
        }
        for l in &self.links {
            let s = d.sec("[[links]]");
            s.kv("between", self.names(&[l.a, l.b]));
            s.kv("latency", l.lat.render());
            if let Some((bw, _)) = l.bandwidth {
                s.kv("bandwidth", quoted(bw));
            }
        }
        let w = &self.wl;
        let s = d.sec("[workload]");
        if w.rate_as_float {
            s.kv("writes_per_sec", format!("{}.0", w.writes_per_sec));
        } else {
            s.kv("writes_per_sec", w.writes_per_sec.to_string());
        }
        if let Some(r) = w.reads_per_sec {
            s.kv("reads_per_sec", r.to_string());
        }
        if let Some(a) = w.arrival {
            s.kv("arrival", quoted(a));
        }
        s.kv("keys", w.keys.to_string());
        match w.zipf {
            None => {}
            Some(None) => {
                s.kv("key_distribution", quoted("uniform"));
            }
            Some(Some(e)) => {
                s.kv("key_distribution", format!("{{ zipf = {e:.2} }}"));
            }
        }
        if let Some((ws, _)) = w.write_size {
            s.kv("write_size", quoted(ws));
        }
        s.kv("request_timeout", quoted(&dur(w.request_timeout_us)));
        if let Some(a) = w.access_us {
            s.kv("client_access_latency", quoted(&dur(a)));
        }
        for c in &w.clients {
            let s = d.sec("[[workload.clients]]");
            s.kv("region", quoted(REGION_NAMES[c.region]));
            s.kv("share", per_mille(c.per_mille));
            s.kv("count", c.count.to_string());
        }
        let r = &self.repl;
        let s = d.sec("[replication]");
        s.kv("topology", quoted(r.topology.keyword()));
        if self.single() {
            s.kv("primary", quoted(REGION_NAMES[r.primary]));
            if let Some(reps) = &r.replicas {
                let v: Vec<String> = reps.iter().map(|&i| REGION_NAMES[i].to_string()).collect();
                s.kv("replicas", name_list(&v));
            }
        }
        if let Some(m) = r.mode {
            s.kv("mode", quoted(m));
        }
        if let Some(a) = r.acks {
            s.kv("acks", a.to_string());
        }
        if let Some(t) = r.semi_sync_timeout_us {
            s.kv("semi_sync_timeout", quoted(&dur(t)));
        }
        if let Topo::Multi(Some(resolution)) = r.topology {
            let s = d.sec("[conflicts]");
            if let Some(res) = resolution {
                s.kv("resolution", quoted(res));
            }
        }
        if let Some(f) = &self.failover {
            self.failover_doc(&mut d, f);
        }
        for f in &self.faults {
            let s = d.sec("[[faults]]");
            match &f.kind {
                FaultKindG::Outage(r) => {
                    s.kv("kind", quoted("region-outage"));
                    s.kv("region", quoted(REGION_NAMES[*r]));
                }
                FaultKindG::Partition {
                    a,
                    b,
                    sides,
                    direction,
                } => {
                    s.kv("kind", quoted("partition"));
                    match sides {
                        None => {
                            s.kv("between", self.names(&[*a, *b]));
                        }
                        Some((x, y)) => {
                            s.kv("sides", format!("[{}, {}]", self.names(x), self.names(y)));
                        }
                    }
                    if let Some(dir) = direction {
                        s.kv("direction", quoted(dir));
                    }
                }
                FaultKindG::Latency { a, b, add_us } => {
                    s.kv("kind", quoted("latency"));
                    s.kv("between", self.names(&[*a, *b]));
                    s.kv("add", quoted(&dur(*add_us)));
                }
                FaultKindG::Skew { region, offset_us } => {
                    s.kv("kind", quoted("clock-skew"));
                    s.kv("region", quoted(REGION_NAMES[*region]));
                    s.kv("offset", quoted(&offset(*offset_us)));
                }
            }
            s.kv("at", quoted(&dur(f.at_us)));
            if let Some(x) = f.duration_us {
                s.kv("duration", quoted(&dur(x)));
            }
        }
        for rule in &self.rules {
            let s = d.sec("[[residency]]");
            s.kv("keys", quoted(&rule.keys()));
            s.kv("jurisdiction", quoted(JURISDICTIONS[rule.jurisdiction]));
        }
        d
    }

    pub(crate) fn failover_doc(&self, d: &mut Doc, f: &FailoverG) {
        let s = d.sec("[failover]");
        match f.routing {
            RoutingG::Default => {}
            RoutingG::Dns => {
                s.kv("routing", quoted("dns"));
            }
            RoutingG::Anycast(_) => {
                s.kv("routing", quoted("anycast"));
            }
            RoutingG::Client { .. } => {
                s.kv("routing", quoted("client"));
            }
        }
        s.kv("promotion", quoted("automatic"));
        s.kv("promotion_delay", quoted(&dur(f.promotion_delay_us)));
        if let Some(fe) = f.fencing {
            s.kv("fencing", fe.to_string());
        }
        if let Some(o) = f.on_rejoin {
            s.kv("on_rejoin", quoted(o));
        }
        let s = d.sec("[failover.health_check]");
        s.kv("interval", quoted(&dur(f.interval_us)));
        s.kv("failure_threshold", f.threshold.to_string());
        s.kv("timeout", quoted(&dur(f.hc_timeout_us)));
        if let Some(c) = &f.checkers {
            s.kv("checkers", self.names(c));
        }
        if let Some(pc) = f.unhealthy_share_pc {
            s.kv("unhealthy_share", format!("{}.{:02}", pc / 100, pc % 100));
        }
        // [failover.dns] only where DNS routes (a section of another
        // mechanism is a contradiction the validator refuses).
        if matches!(f.routing, RoutingG::Default | RoutingG::Dns) {
            let s = d.sec("[failover.dns]");
            s.kv("ttl", quoted(&dur(f.ttl_us)));
            if let Some(p) = f.propagation_us {
                s.kv("propagation", quoted(&dur(p)));
            }
            if let Some(pm) = f.stale_fraction_pm {
                s.kv("stale_fraction", per_mille(pm));
            }
            if let Some(x) = f.stale_extra_us {
                s.kv("stale_extra", quoted(&dur(x)));
            }
        }
        match &f.routing {
            RoutingG::Anycast(c) => {
                d.sec("[failover.anycast]")
                    .kv("convergence", quoted(&dur(*c)));
            }
            RoutingG::Client {
                endpoints,
                max_attempts,
                base_us,
                cap_us,
                jitter,
            } => {
                let s = d.sec("[failover.client]");
                if let Some(e) = endpoints {
                    s.kv("endpoints", self.names(e));
                }
                s.kv("max_attempts", max_attempts.to_string());
                s.kv(
                    "backoff",
                    format!(
                        "{{ base = \"{}\", cap = \"{}\", jitter = \"{jitter}\" }}",
                        dur(*base_us),
                        dur(*cap_us)
                    ),
                );
            }
            _ => {}
        }
    }

    pub(crate) fn text(&self) -> String {
        self.doc().text()
    }

    /// Why the "converges once every fault has healed" property applies to this
    /// scenario, as an input-level precondition; `None` when it does not apply.
    ///
    /// Every fault (clock skew aside, which does not touch traffic) has a duration,
    /// and the last one heals early enough that the control plane (detection,
    /// promotion delay) and replication (a resend of the backlog over the slowest
    /// link, at its bandwidth) finish with 30 s to spare before the end of the drain.
    pub(crate) fn settles_before_end(&self) -> bool {
        let mut last_heal = 0;
        let mut longest_fault = 0;
        for f in &self.faults {
            let Some(h) = f.heals_at() else {
                return false;
            };
            last_heal = last_heal.max(h);
            longest_fault = longest_fault.max(f.duration_us.unwrap_or(0));
        }
        let max_latency = self
            .links
            .iter()
            .map(|l| l.lat.generous_max())
            .max()
            .unwrap_or(0)
            + self
                .faults
                .iter()
                .map(|f| match f.kind {
                    FaultKindG::Latency { add_us, .. } => add_us,
                    _ => 0,
                })
                .sum::<u64>();
        // Control plane: a pending decision can still promote up to one probe
        // timeout plus the promotion delay after the fault heals.
        let control = self.failover.as_ref().map_or(0, |f| {
            f.hc_timeout_us + f.promotion_delay_us + f.interval_us
        });
        // Replication backlog: the writes of the longest fault (and of the whole
        // run, bounded by it) resent over the slowest link, with the steady stream
        // still flowing.
        let steady_bps = self.wl.writes_per_sec as f64 * self.write_size() as f64 * 8.0;
        let mut catch_up = 0u64;
        for l in &self.links {
            if let Some((_, bps)) = l.bandwidth {
                let spare = bps as f64 - steady_bps;
                if spare < steady_bps {
                    // Less than 2x headroom: backlogs do not drain reliably.
                    return false;
                }
                let backlog_bits =
                    steady_bps * (longest_fault.max(self.duration_us) as f64 / S as f64);
                catch_up = catch_up.max((backlog_bits / spare * S as f64) as u64);
            }
        }
        let margin = 30 * S + 4 * max_latency + control + catch_up;
        last_heal + margin <= self.end_us()
    }
}
