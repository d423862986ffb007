//! Property tests over generated scenarios.
//!
//! 1. Random VALID scenarios (TOML text) of every topology: single-primary (most),
//!    multi-primary (each `[conflicts]` resolution) and home-region (async or sync),
//!    with or without region jurisdictions and 0-2 `[[residency]]` rules. They parse
//!    (or are refused only as "not supported yet", judged by the error's `unsupported`
//!    flag: reads, and the modes a topology refuses, which must be refused), simulate
//!    without panics or invariant errors, and satisfy the accounting identities of
//!    metrics.md and what the topology and the rules promise (`check_topology`:
//!    conflicts, discards, residency violations, per-range figures); a run is a pure
//!    function of (text, seed). Runs whose faults all heal well before the end
//!    (`Sc::settles_before_end`) converge, unless a deposed primary was legitimately
//!    left running beside the new one (fencing off and no restart:
//!    `split_brain_possible`); `healed_faults_converge` biases the generator towards
//!    that precondition and towards failovers.
//! 2. INVALID scenarios (a valid one with one mutation): `parse_str` says why, naming
//!    the file and a line or field; the binary exits 2 and names the file.
//! 3. Raw bytes and TOML-ish documents built from real keys never make loading panic
//!    (complements `src/scenario/tests/fuzz.rs`, which mangles text and overrides).
//!
//! Case counts default to small numbers so that the file runs in seconds; set
//! `PROPTEST_CASES=N` to run more: the two simulation properties run N cases and the
//! others scale with it (128/64 N for the parse-only ones, 12/64 N for the binary).

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

use regionsim::metrics::RunResult;
use regionsim::model::{simulate, Bounds};
use regionsim::report::report_json;
use regionsim::scenario::{load_path, parse_str, Format, Scenario};

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// `default` cases, or `PROPTEST_CASES` scaled to this property (`default` / 64 of it,
/// at least 1), so that one variable makes every property heavier or lighter.
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map_or(default, |n| {
            ((u64::from(n) * u64::from(default)) / 64).max(1) as u32
        });
    Config {
        cases,
        // No regression files in the shared working tree: a failure prints the
        // scenario text, which is the reproduction.
        failure_persistence: None,
        max_shrink_iters: 200,
        max_shrink_time: 60_000,
        max_global_rejects: 10_000,
        ..Config::default()
    }
}

const S: u64 = 1_000_000;
const MS: u64 = 1_000;
/// Upper bound on generated writes per case (keeps one simulation well under 0.2 s).
const MAX_WRITES: u64 = 100_000;

// ---------------------------------------------------------------------------
// Rendering of unit strings
// ---------------------------------------------------------------------------

/// A duration string in a form the format accepts, varied by magnitude:
/// "2m", "1m30s", "45s", "1.5s", "250ms", "1234us".
fn dur(us: u64) -> String {
    if us == 0 {
        return "0s".to_string();
    }
    if us.is_multiple_of(60 * S) {
        return format!("{}m", us / (60 * S));
    }
    if us > 60 * S && us.is_multiple_of(S) {
        return format!("{}m{}s", us / (60 * S), (us % (60 * S)) / S);
    }
    if us.is_multiple_of(S) {
        return format!("{}s", us / S);
    }
    if us.is_multiple_of(100 * MS) {
        return format!("{}.{}s", us / S, (us % S) / (100 * MS));
    }
    if us.is_multiple_of(MS) {
        return format!("{}ms", us / MS);
    }
    format!("{us}us")
}

/// A signed offset string: "+150ms", "-5ms", "0ms".
fn offset(us: i64) -> String {
    match us.signum() {
        0 => "0ms".to_string(),
        1 => format!("+{}", dur(us.unsigned_abs())),
        _ => format!("-{}", dur(us.unsigned_abs())),
    }
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn name_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    format!("[{}]", q.join(", "))
}

/// Per mille as an exact decimal: 700 -> "0.700".
fn per_mille(pm: u32) -> String {
    format!("{}.{:03}", pm / 1000, pm % 1000)
}

// ---------------------------------------------------------------------------
// A TOML document as sections of key = value lines (so that mutations can edit it)
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Sec {
    /// "" for the top level, else "[workload]", "[[regions]]", ...
    header: String,
    kv: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default)]
struct Doc {
    secs: Vec<Sec>,
}

impl Doc {
    fn sec(&mut self, header: &str) -> &mut Sec {
        self.secs.push(Sec {
            header: header.to_string(),
            kv: Vec::new(),
        });
        self.secs.last_mut().expect("just pushed")
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.secs {
            if !s.header.is_empty() {
                let _ = writeln!(out, "\n{}", s.header);
            }
            for (k, v) in &s.kv {
                let _ = writeln!(out, "{k} = {v}");
            }
        }
        out
    }

    /// Indices of the sections with this header.
    fn find(&self, header: &str) -> Vec<usize> {
        (0..self.secs.len())
            .filter(|&i| self.secs[i].header == header)
            .collect()
    }

    fn set(&mut self, sec: usize, key: &str, value: String) {
        let kv = &mut self.secs[sec].kv;
        match kv.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => kv.push((key.to_string(), value)),
        }
    }

    fn remove(&mut self, sec: usize, key: &str) {
        self.secs[sec].kv.retain(|(k, _)| k != key);
    }
}

impl Sec {
    fn kv(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.kv.push((key.to_string(), value.into()));
        self
    }
}

// ---------------------------------------------------------------------------
// The valid-scenario model
// ---------------------------------------------------------------------------

const REGION_NAMES: [&str; 4] = ["us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1"];

#[derive(Clone, Debug)]
enum Lat {
    Constant(u64),
    Normal { mean: u64, stddev: u64 },
    LogNormal { median: u64, p99: u64 },
    Uniform { min: u64, max: u64 },
}

impl Lat {
    fn render(&self) -> String {
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
    fn generous_max(&self) -> u64 {
        match *self {
            Lat::Constant(us) => us,
            Lat::Normal { mean, stddev } => mean + 10 * stddev,
            Lat::LogNormal { median, p99 } => p99.saturating_mul(p99) / median.max(1),
            Lat::Uniform { max, .. } => max,
        }
    }
}

/// The jurisdictions regions may be in (`RegionG::jurisdiction` indexes this).
const JURISDICTIONS: [&str; 3] = ["EU", "US", "APAC"];

#[derive(Clone, Debug)]
struct RegionG {
    commit_us: Option<u64>,
    offset_us: Option<i64>,
    /// Index into `JURISDICTIONS`.
    jurisdiction: Option<usize>,
}

#[derive(Clone, Debug)]
struct LinkG {
    a: usize,
    b: usize,
    lat: Lat,
    /// (text, bits per second)
    bandwidth: Option<(&'static str, u64)>,
}

#[derive(Clone, Debug)]
struct ClientG {
    region: usize,
    per_mille: u32,
    count: u32,
}

#[derive(Clone, Debug)]
struct WorkloadG {
    writes_per_sec: u64,
    /// Print the rate as a float ("250.0") rather than an integer.
    rate_as_float: bool,
    arrival: Option<&'static str>,
    keys: u32,
    /// `None`: key_distribution left out; `Some(None)`: "uniform"; `Some(Some(e))`: zipf.
    zipf: Option<Option<f64>>,
    write_size: Option<(&'static str, u64)>,
    request_timeout_us: u64,
    access_us: Option<u64>,
    clients: Vec<ClientG>,
    /// Reads (a second arrival process; the identities below hold them).
    reads_per_sec: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Topo {
    Single,
    /// `[conflicts]`: `None` left out (LWW by default), `Some(None)` the section
    /// without `resolution`, `Some(Some(r))` with it.
    Multi(Option<Option<&'static str>>),
    Home,
}

impl Topo {
    fn keyword(self) -> &'static str {
        match self {
            Topo::Single => "single-primary",
            Topo::Multi(_) => "multi-primary",
            Topo::Home => "home-region",
        }
    }
}

#[derive(Clone, Debug)]
struct ReplG {
    topology: Topo,
    /// Single-primary: the primary. Otherwise not rendered (`primary` is an error
    /// there): the region that faults aimed at "the primary" hit.
    primary: usize,
    /// `None`: every other region (the default).
    replicas: Option<Vec<usize>>,
    mode: Option<&'static str>,
    acks: Option<u32>,
    semi_sync_timeout_us: Option<u64>,
}

#[derive(Clone, Debug)]
enum RoutingG {
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
struct FailoverG {
    routing: RoutingG,
    promotion_delay_us: u64,
    fencing: Option<bool>,
    on_rejoin: Option<&'static str>,
    interval_us: u64,
    threshold: u32,
    hc_timeout_us: u64,
    checkers: Option<Vec<usize>>,
    unhealthy_share_pc: Option<u32>,
    ttl_us: u64,
    propagation_us: Option<u64>,
    stale_fraction_pm: Option<u32>,
    stale_extra_us: Option<u64>,
}

#[derive(Clone, Debug)]
enum FaultKindG {
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
struct FaultG {
    kind: FaultKindG,
    at_us: u64,
    duration_us: Option<u64>,
}

impl FaultG {
    /// When the fault's effect on traffic ends (clock skew has none: 0).
    fn heals_at(&self) -> Option<u64> {
        match self.kind {
            FaultKindG::Skew { .. } => Some(0),
            _ => self.duration_us.map(|d| self.at_us + d),
        }
    }
}

#[derive(Clone, Debug)]
struct Sc {
    name: String,
    description: bool,
    seed: Option<u64>,
    duration_us: u64,
    drain_us: Option<u64>,
    regions: Vec<RegionG>,
    links: Vec<LinkG>,
    wl: WorkloadG,
    repl: ReplG,
    failover: Option<FailoverG>,
    faults: Vec<FaultG>,
    /// `[[residency]]` rules, in file order (non-overlapping, each naming a
    /// jurisdiction some region has).
    rules: Vec<RuleG>,
}

#[derive(Clone, Debug)]
struct RuleG {
    /// Inclusive, exclusive.
    lo: u32,
    hi: u32,
    /// Index into `JURISDICTIONS`.
    jurisdiction: usize,
}

impl RuleG {
    fn keys(&self) -> String {
        format!("{}..{}", self.lo, self.hi)
    }

    fn contains(&self, key: u32) -> bool {
        key >= self.lo && key < self.hi
    }
}

impl Sc {
    fn rname(&self, i: usize) -> String {
        REGION_NAMES[i].to_string()
    }

    fn names(&self, ids: &[usize]) -> String {
        let v: Vec<String> = ids.iter().map(|&i| self.rname(i)).collect();
        name_list(&v)
    }

    fn drain(&self) -> u64 {
        self.drain_us.unwrap_or(60 * S)
    }

    fn end_us(&self) -> u64 {
        self.duration_us + self.drain()
    }

    fn single(&self) -> bool {
        self.repl.topology == Topo::Single
    }

    /// Multi-primary with a CRDT resolution (nothing is ever discarded).
    fn crdt(&self) -> bool {
        matches!(
            self.repl.topology,
            Topo::Multi(Some(Some("crdt-counter" | "crdt-set")))
        )
    }

    /// A replication mode the topology refuses as not supported: semi-sync and sync
    /// with multi-primary, semi-sync with home-region.
    fn refused_mode(&self) -> bool {
        matches!(
            (self.repl.topology, self.repl.mode),
            (Topo::Multi(_), Some("semi-sync" | "sync")) | (Topo::Home, Some("semi-sync"))
        )
    }

    /// Whether region `r` may hold the keys of `rule`.
    fn in_jurisdiction(&self, r: usize, rule: &RuleG) -> bool {
        self.regions[r].jurisdiction == Some(rule.jurisdiction)
    }

    /// Single-primary: the rules whose jurisdiction the primary is outside of (each
    /// pinned write committed there is a residency violation). Empty for the other
    /// topologies, which never store a record outside its jurisdiction.
    fn rules_outside_primary(&self) -> Vec<&RuleG> {
        if !self.single() {
            return Vec::new();
        }
        self.rules
            .iter()
            .filter(|rule| !self.in_jurisdiction(self.repl.primary, rule))
            .collect()
    }

    /// Attempts a request may make (each may commit): only client-side routing retries.
    fn max_attempts(&self) -> u64 {
        match self.failover.as_ref().map(|f| &f.routing) {
            Some(RoutingG::Client { max_attempts, .. }) => u64::from(*max_attempts),
            _ => 1,
        }
    }

    /// Nothing fails over and no request is dropped on its way: every write commits
    /// exactly once, at the region it was first sent to.
    fn every_write_commits_once(&self) -> bool {
        self.failover.is_none()
            && self
                .faults
                .iter()
                .all(|f| matches!(f.kind, FaultKindG::Latency { .. } | FaultKindG::Skew { .. }))
    }

    /// The replicas in effect (the default is every other region). For multi-primary
    /// and home-region, the regions that can acknowledge a write besides its origin.
    fn replica_ids(&self) -> Vec<usize> {
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

    fn write_size(&self) -> u64 {
        self.wl.write_size.map_or(1024, |(_, b)| b)
    }

    fn doc(&self) -> Doc {
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

    fn failover_doc(&self, d: &mut Doc, f: &FailoverG) {
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

    fn text(&self) -> String {
        self.doc().text()
    }

    /// Why the "converges once every fault has healed" property applies to this
    /// scenario, as an input-level precondition; `None` when it does not apply.
    ///
    /// Every fault (clock skew aside, which does not touch traffic) has a duration,
    /// and the last one heals early enough that the control plane (detection,
    /// promotion delay) and replication (a resend of the backlog over the slowest
    /// link, at its bandwidth) finish with 30 s to spare before the end of the drain.
    fn settles_before_end(&self) -> bool {
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

// ---------------------------------------------------------------------------
// Strategies for valid scenarios
// ---------------------------------------------------------------------------

fn arb_lat() -> impl Strategy<Value = Lat> {
    prop_oneof![
        (1_000u64..=100_000).prop_map(Lat::Constant),
        (1_000u64..=100_000, 0u64..=20_000).prop_map(|(mean, sd)| Lat::Normal {
            mean,
            stddev: sd.min(mean / 2),
        }),
        (1_000u64..=50_000, 0u64..=50_000).prop_map(|(median, extra)| Lat::LogNormal {
            median,
            p99: median + extra,
        }),
        (1_000u64..=100_000, 0u64..=50_000).prop_map(|(min, w)| Lat::Uniform {
            min,
            max: (min + w).min(100_000),
        }),
    ]
}

fn arb_bandwidth() -> impl Strategy<Value = Option<(&'static str, u64)>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(("5Mbps", 5_000_000))),
        1 => Just(Some(("100Mbps", 100_000_000))),
        1 => Just(Some(("250Mbps", 250_000_000))),
        1 => Just(Some(("1Gbps", 1_000_000_000))),
        1 => Just(Some(("10Gbps", 10_000_000_000))),
    ]
}

/// Shares in per mille for `k` populations from raw weights: each at least 1, the
/// last the remainder, so that they sum to exactly 1000.
fn shares(weights: &[u32]) -> Vec<u32> {
    let k = weights.len() as u32;
    let total: u32 = weights.iter().sum::<u32>().max(1);
    let mut out: Vec<u32> = weights[..weights.len() - 1]
        .iter()
        .map(|w| 1 + w * (1000 - k) / total)
        .collect();
    let used: u32 = out.iter().sum();
    out.push(1000 - used);
    debug_assert!(out.iter().all(|&s| s >= 1) && out.iter().sum::<u32>() == 1000);
    out
}

/// A non-empty subset of 0..n in a random order, from raw picks.
fn subset(n: usize, mask: u32, rotate: usize, must: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).filter(|&i| mask & (1 << i) != 0).collect();
    if v.is_empty() {
        v.push(must % n);
    }
    let len = v.len();
    v.rotate_left(rotate % len);
    v
}

type Raw<T> = BoxedStrategy<T>;

fn arb_regions() -> Raw<Vec<RegionG>> {
    proptest::collection::vec(
        (
            proptest::option::weighted(0.7, 0u64..=5_000),
            proptest::option::weighted(0.5, -100_000i64..=100_000),
            // Kept only when the scenario uses jurisdictions (`ResidencyRaw`).
            proptest::option::weighted(0.8, 0usize..JURISDICTIONS.len()),
        )
            .prop_map(|(commit_us, offset_us, jurisdiction)| RegionG {
                commit_us,
                offset_us,
                jurisdiction,
            }),
        4,
    )
    .boxed()
}

/// A workload without its populations, and the populations as (region raw, weight,
/// count), resolved once the region count is known.
type WorkloadRaw = (WorkloadG, Vec<(usize, u32, u32)>);

fn arb_workload_raw() -> Raw<WorkloadRaw> {
    (
        (
            50u64..=2000,
            any::<bool>(),
            prop_oneof![Just(None), Just(Some("poisson")), Just(Some("constant"))],
            1u32..=5000,
            prop_oneof![
                Just(None),
                Just(Some(None)),
                (1u32..=250).prop_map(|e| Some(Some(f64::from(e) / 100.0)))
            ],
            prop_oneof![
                3 => Just(None),
                1 => Just(Some(("512B", 512))),
                1 => Just(Some(("1KiB", 1024))),
                1 => Just(Some(("4KiB", 4096))),
            ],
        ),
        (
            5u64..=50,
            proptest::option::of(0u64..=5_000),
            proptest::option::weighted(0.1, 1u64..=500),
            proptest::collection::vec((0usize..4, 1u32..=1000, 1u32..=50), 1..=3),
        ),
    )
        .prop_map(
            |(
                (writes_per_sec, rate_as_float, arrival, keys, zipf, write_size),
                (timeout_tenths, access_us, reads_per_sec, clients),
            )| {
                (
                    WorkloadG {
                        writes_per_sec,
                        rate_as_float,
                        arrival,
                        keys,
                        zipf,
                        write_size,
                        request_timeout_us: timeout_tenths * 100 * MS,
                        access_us,
                        clients: Vec::new(),
                        reads_per_sec,
                    },
                    clients,
                )
            },
        )
        .boxed()
}

/// (topology, primary raw, replicas: None or (mask, rotate), mode, acks raw,
/// semi-sync timeout). The mode is the single-primary one; the others pick theirs
/// in `repl_from_raw`.
type ReplRaw = (
    TopoRaw,
    usize,
    Option<(u32, usize)>,
    Option<&'static str>,
    Option<u32>,
    Option<u64>,
);

/// The topology and, for the others than single-primary, their mode: `refused`
/// picks a mode that topology refuses as unsupported (a few cases, to check the
/// refusal), else `mode` picks among the supported ones.
#[derive(Clone, Copy, Debug)]
struct TopoRaw {
    topology: Topo,
    refused: bool,
    mode: u8,
}

fn arb_topo_raw() -> Raw<TopoRaw> {
    (
        prop_oneof![
            7 => Just(Topo::Single),
            1 => Just(Topo::Multi(None)),
            1 => Just(Topo::Multi(Some(None))),
            1 => Just(Topo::Multi(Some(Some("lww")))),
            1 => Just(Topo::Multi(Some(Some("crdt-counter")))),
            1 => Just(Topo::Multi(Some(Some("crdt-set")))),
            5 => Just(Topo::Home),
        ],
        proptest::bool::weighted(0.04),
        0u8..4,
    )
        .prop_map(|(topology, refused, mode)| TopoRaw {
            topology,
            refused,
            mode,
        })
        .boxed()
}

fn arb_repl_raw() -> Raw<ReplRaw> {
    (
        arb_topo_raw(),
        0usize..4,
        proptest::option::weighted(0.4, (0u32..16, 0usize..4)),
        prop_oneof![
            Just(None),
            Just(Some("async")),
            Just(Some("semi-sync")),
            Just(Some("sync"))
        ],
        proptest::option::of(1u32..=3),
        proptest::option::weighted(0.3, 1u64..=30),
    )
        .boxed()
}

/// The replication of `n` regions from its raw picks.
fn repl_from_raw(raw: &ReplRaw, n: usize) -> ReplG {
    let &(topo, p, reps, single_mode, acks, sst) = raw;
    let primary = p % n;
    let (replicas, mode) = match topo.topology {
        Topo::Single => {
            let replicas = reps.map(|(mask, rot)| {
                let others: Vec<usize> = (0..n).filter(|&i| i != primary).collect();
                let picked = subset(others.len(), mask, rot, 0);
                picked.into_iter().map(|i| others[i]).collect::<Vec<_>>()
            });
            (replicas, single_mode)
        }
        Topo::Multi(_) if topo.refused => (
            None,
            [Some("semi-sync"), Some("sync")][usize::from(topo.mode % 2)],
        ),
        Topo::Multi(_) => (None, [None, Some("async")][usize::from(topo.mode % 2)]),
        Topo::Home if topo.refused => (None, Some("semi-sync")),
        Topo::Home => (
            None,
            [None, Some("async"), Some("sync"), Some("sync")][usize::from(topo.mode)],
        ),
    };
    // Receipts come from the replicas (single-primary) or from the regions other
    // than the writing one.
    let peers = match topo.topology {
        Topo::Single => replicas.as_ref().map_or(n - 1, Vec::len),
        _ => n - 1,
    } as u32;
    let acks = match mode {
        Some("semi-sync" | "sync") => acks.map(|a| 1 + (a - 1) % peers),
        _ => None,
    };
    ReplG {
        topology: topo.topology,
        primary,
        replicas,
        mode,
        acks,
        // Only semi-sync takes a timeout (elsewhere it is a contradiction).
        semi_sync_timeout_us: sst.filter(|_| mode == Some("semi-sync")).map(|s| s * S),
    }
}

/// (jurisdictions used, rule count, per rule (start, length, jurisdiction) raw,
/// one rule over the whole key space, reversed file order)
type ResidencyRaw = (bool, usize, Vec<(u32, u32, usize)>, bool, bool);

fn arb_residency_raw() -> Raw<ResidencyRaw> {
    (
        proptest::bool::weighted(0.45),
        0usize..=2,
        proptest::collection::vec((0u32..1000, 0u32..1000, 0usize..3), 2),
        proptest::bool::weighted(0.15),
        any::<bool>(),
    )
        .boxed()
}

/// Rules from raw picks: 0-2 non-overlapping ranges (rule i inside the i-th of
/// `count` equal slices of the key space), each naming a jurisdiction that one of
/// `regions` has. None when no region has a jurisdiction.
fn rules_from_raw(raw: &ResidencyRaw, regions: &[RegionG], keys: u32) -> Vec<RuleG> {
    let (_, count, picks, whole, reversed) = raw;
    let mut present: Vec<usize> = regions.iter().filter_map(|r| r.jurisdiction).collect();
    present.sort_unstable();
    present.dedup();
    if present.is_empty() {
        return Vec::new();
    }
    let c = (*count as u32).min(keys);
    let mut rules: Vec<RuleG> = (0..c)
        .map(|i| {
            let (start_pm, len_pm, j) = picks[i as usize];
            let (slot_lo, slot_hi) = (keys * i / c, keys * (i + 1) / c);
            let (lo, hi) = if *whole && c == 1 {
                (0, keys)
            } else {
                let lo = slot_lo + start_pm * (slot_hi - slot_lo - 1) / 1000;
                (lo, lo + 1 + len_pm * (slot_hi - lo - 1) / 1000)
            };
            RuleG {
                lo,
                hi,
                jurisdiction: present[j % present.len()],
            }
        })
        .collect();
    if *reversed {
        rules.reverse();
    }
    rules
}

fn arb_routing() -> Raw<RoutingG> {
    prop_oneof![
        6 => Just(RoutingG::Default),
        6 => Just(RoutingG::Dns),
        1 => (1u64..=10).prop_map(|s| RoutingG::Anycast(s * S)),
        1 => (
            proptest::option::of((1u32..16, 0usize..4)),
            1u32..=5,
            1u64..=500,
            0u64..=3000,
            prop_oneof![Just("full"), Just("equal"), Just("none")],
        )
            .prop_map(|(endpoints, max_attempts, base_ms, extra_ms, jitter)| RoutingG::Client {
                // Resolved against the region count later (mask, rotate).
                endpoints: endpoints.map(|(m, r)| vec![m as usize, r]),
                max_attempts,
                base_us: base_ms * MS,
                cap_us: (base_ms + extra_ms) * MS,
                jitter,
            }),
    ]
    .boxed()
}

fn arb_failover() -> Raw<FailoverG> {
    (
        (
            arb_routing(),
            0u64..=60,
            proptest::option::of(any::<bool>()),
            prop_oneof![Just(None), Just(Some("discard")), Just(Some("reconcile"))],
        ),
        (
            1u64..=30,
            1u32..=5,
            2u64..=50,
            proptest::option::weighted(0.4, (1u32..16, 0usize..4)),
            proptest::option::of(0u32..=99),
        ),
        (
            0u64..=120,
            proptest::option::of(0u64..=10),
            proptest::option::of(0u32..=200),
            proptest::option::of(0u64..=300),
        ),
    )
        .prop_map(
            |(
                (routing, delay_s, fencing, on_rejoin),
                (interval_s, threshold, timeout_tenths, checkers, share_pc),
                (ttl_s, prop_s, stale_pm, stale_extra_s),
            )| FailoverG {
                routing,
                promotion_delay_us: delay_s * S,
                fencing,
                on_rejoin,
                interval_us: interval_s * S,
                threshold,
                hc_timeout_us: timeout_tenths * 100 * MS,
                // Resolved against the region count later (mask, rotate).
                checkers: checkers.map(|(m, r)| vec![m as usize, r]),
                unhealthy_share_pc: share_pc,
                ttl_us: ttl_s * S,
                propagation_us: prop_s.map(|p| p * S),
                stale_fraction_pm: stale_pm,
                stale_extra_us: stale_extra_s.map(|x| x * S),
            },
        )
        .boxed()
}

/// (kind 0..4, region a (4..8: the primary), region b, side mask, direction, add/offset raw, at per mille,
/// duration in s)
type FaultRaw = (u8, usize, usize, Option<u32>, u8, u64, u32, Option<u64>);

fn arb_fault_raw() -> Raw<FaultRaw> {
    (
        0u8..4,
        // 4..8: the primary (faults that hit the primary exercise failover).
        0usize..8,
        0usize..4,
        proptest::option::weighted(0.3, 0u32..81),
        0u8..3,
        0u64..=2000,
        0u32..1000,
        proptest::option::weighted(0.7, 1u64..=90),
    )
        .boxed()
}

fn fault_from_raw(raw: &FaultRaw, n: usize, primary: usize, duration_us: u64) -> FaultG {
    let &(kind, a, b, side_mask, dir, amount, at_pm, dur_s) = raw;
    let a = if a >= 4 { primary } else { a % n };
    // A second region distinct from a.
    let b = (a + 1 + b % (n - 1)) % n;
    let at_us = duration_us * u64::from(at_pm) / 1000;
    let duration_us = dur_s.map(|d| d * S);
    let kind = match kind {
        0 => FaultKindG::Outage(a),
        1 => {
            // sides: a on side A, b on side B, each other region on A, B or neither
            // by a base-3 digit of the mask.
            let sides = side_mask.map(|mut m| {
                let (mut x, mut y) = (vec![a], vec![b]);
                for r in 0..n {
                    if r == a || r == b {
                        continue;
                    }
                    match m % 3 {
                        0 => x.push(r),
                        1 => y.push(r),
                        _ => {}
                    }
                    m /= 3;
                }
                (x, y)
            });
            let direction = match dir {
                0 => None,
                1 => Some("both"),
                _ => Some("forward"),
            };
            FaultKindG::Partition {
                a,
                b,
                sides,
                direction,
            }
        }
        2 => FaultKindG::Latency {
            a,
            b,
            add_us: (1 + amount) * MS,
        },
        _ => FaultKindG::Skew {
            region: a,
            offset_us: (amount as i64 - 1000) * 500,
        },
    };
    let duration_us = match kind {
        FaultKindG::Skew { .. } => None,
        _ => duration_us,
    };
    FaultG {
        kind,
        at_us,
        duration_us,
    }
}

fn arb_scenario() -> impl Strategy<Value = Sc> {
    (
        (
            2usize..=4,
            any::<bool>(),
            proptest::option::of(0u64..=i64::MAX as u64),
            20u64..=120,
            proptest::option::weighted(0.8, 30u64..=120),
        ),
        arb_regions(),
        proptest::collection::vec((arb_lat(), arb_bandwidth()), 6),
        arb_workload_raw(),
        arb_repl_raw(),
        proptest::option::weighted(0.7, arb_failover()),
        proptest::collection::vec(arb_fault_raw(), 0..=3),
        arb_residency_raw(),
    )
        .prop_map(
            |(
                (n, description, seed, duration_s, drain_s),
                regions,
                lats,
                (mut wl, clients),
                repl_raw,
                failover,
                faults_raw,
                residency_raw,
            )| {
                let duration_us = duration_s * S;
                // Keep each case small: at most MAX_WRITES writes.
                wl.writes_per_sec = wl.writes_per_sec.min(MAX_WRITES / duration_s);
                let weights: Vec<u32> = clients.iter().map(|c| c.1).collect();
                let pms = shares(&weights);
                wl.clients = clients
                    .iter()
                    .zip(pms)
                    .map(|(&(r, _, count), per_mille)| ClientG {
                        region: r % n,
                        per_mille,
                        count,
                    })
                    .collect();
                let mut links = Vec::new();
                let mut k = 0;
                for a in 0..n {
                    for b in a + 1..n {
                        let (lat, bandwidth) = lats[k].clone();
                        k += 1;
                        // Random orientation of the pair.
                        let (a, b) = if k % 2 == 0 { (b, a) } else { (a, b) };
                        links.push(LinkG {
                            a,
                            b,
                            lat,
                            bandwidth,
                        });
                    }
                }
                let repl = repl_from_raw(&repl_raw, n);
                let primary = repl.primary;
                let mut regions = regions[..n].to_vec();
                if !residency_raw.0 {
                    for r in &mut regions {
                        r.jurisdiction = None;
                    }
                }
                let rules = rules_from_raw(&residency_raw, &regions, wl.keys);
                let failover = failover.map(|mut f| {
                    f.checkers = f
                        .checkers
                        .map(|v| subset(n, v[0] as u32, v[1], primary + 1));
                    if let RoutingG::Client { endpoints, .. } = &mut f.routing {
                        *endpoints = endpoints.take().map(|v| subset(n, v[0] as u32, v[1], 0));
                    }
                    f
                });
                let faults = faults_raw
                    .iter()
                    .map(|r| fault_from_raw(r, n, primary, duration_us))
                    .collect();
                Sc {
                    name: format!("prop-{n}r.{duration_s}s"),
                    description,
                    seed,
                    duration_us,
                    drain_us: drain_s.map(|d| d * S),
                    regions,
                    links,
                    wl,
                    repl,
                    failover,
                    faults,
                    rules,
                }
            },
        )
}

/// Single-primary scenarios whose primary is outside the jurisdiction of a rule, where
/// nothing fails over and no request is dropped (no failover section, only latency and
/// clock faults): every write to such a range is one residency violation.
fn arb_outside_primary_scenario() -> impl Strategy<Value = Sc> {
    (arb_scenario(), any::<bool>()).prop_map(|(mut sc, no_jurisdiction)| {
        sc.repl.topology = Topo::Single;
        sc.repl.replicas = None;
        sc.failover = None;
        sc.faults
            .retain(|f| matches!(f.kind, FaultKindG::Latency { .. } | FaultKindG::Skew { .. }));
        let (p, n) = (sc.repl.primary, sc.regions.len());
        // The primary in no jurisdiction or in "US"; another region in "EU".
        sc.regions[p].jurisdiction = if no_jurisdiction { None } else { Some(1) };
        sc.regions[(p + 1) % n].jurisdiction = Some(0);
        for rule in &mut sc.rules {
            if !sc
                .regions
                .iter()
                .any(|g| g.jurisdiction == Some(rule.jurisdiction))
            {
                rule.jurisdiction = 0;
            }
        }
        match sc.rules.first_mut() {
            Some(rule) => rule.jurisdiction = 0,
            None => sc.rules.push(RuleG {
                lo: 0,
                hi: sc.wl.keys.div_ceil(2),
                jurisdiction: 0,
            }),
        }
        sc
    })
}

/// Scenarios biased towards the convergence precondition: every fault heals early,
/// bandwidth is unlimited or generous, the drain is long; health checks and promotion
/// are fast, so that many runs fail over and the old primary rejoins.
fn arb_healing_scenario() -> impl Strategy<Value = Sc> {
    arb_scenario().prop_map(|mut sc| {
        sc.drain_us = Some(sc.drain().max(90 * S));
        for l in &mut sc.links {
            if l.bandwidth.is_some_and(|(_, bps)| bps < 1_000_000_000) {
                l.bandwidth = None;
            }
        }
        if let Some(f) = &mut sc.failover {
            // Fast detection and promotion, so that failovers (and rejoins) happen.
            f.interval_us = f.interval_us.min(5 * S);
            f.threshold = f.threshold.min(3);
            f.hc_timeout_us = f.hc_timeout_us.min(2 * S);
            f.promotion_delay_us = f.promotion_delay_us.min(15 * S);
        }
        let d = sc.duration_us;
        for f in &mut sc.faults {
            if !matches!(f.kind, FaultKindG::Skew { .. }) {
                // Heal within the duration: at most 60% of it, ending by 80% of it.
                let len = f.duration_us.unwrap_or(d / 2).min(d * 6 / 10).max(S);
                f.at_us = f.at_us.min(d * 8 / 10 - len);
                f.duration_us = Some(len);
            }
        }
        sc
    })
}

// ---------------------------------------------------------------------------
// Checks on a run
// ---------------------------------------------------------------------------

/// Parse generated text: `Ok(Some)` valid, `Ok(None)` refused only as not supported
/// yet, `Err` a failure of the property (the text is in the message).
fn parse_generated(text: &str) -> Result<Option<Scenario>, TestCaseError> {
    match catch_unwind(|| parse_str(text, "generated.toml", Format::Toml)) {
        Ok(Ok(s)) => Ok(Some(s)),
        Ok(Err(e)) if e.unsupported => Ok(None),
        Ok(Err(e)) => Err(TestCaseError::fail(format!(
            "a generated valid scenario was rejected: {e}\n--- scenario ---\n{text}"
        ))),
        Err(_) => Err(TestCaseError::fail(format!(
            "parse_str panicked on:\n{text}"
        ))),
    }
}

fn run_generated(s: &Scenario, seed: u64, text: &str) -> Result<RunResult, TestCaseError> {
    match catch_unwind(AssertUnwindSafe(|| simulate(s, seed, Bounds::default()))) {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(TestCaseError::fail(format!(
            "simulate (seed {seed}) returned an error: {e}\n--- scenario ---\n{text}"
        ))),
        Err(_) => Err(TestCaseError::fail(format!(
            "simulate (seed {seed}) panicked\n--- scenario ---\n{text}"
        ))),
    }
}

/// The accounting identities of metrics.md that hold for every run.
fn check_run(s: &Scenario, r: &RunResult, seed: u64, text: &str) -> Result<(), TestCaseError> {
    let m = &r.report.metrics;
    let end = s.end_us();
    let ctx = || format!("(seed {seed})\n--- scenario ---\n{text}");
    prop_assert!(
        m.lost_writes <= m.acknowledged_writes,
        "lost {} > acknowledged {} {}",
        m.lost_writes,
        m.acknowledged_writes,
        ctx()
    );
    prop_assert_eq!(
        m.acknowledged_writes + m.failed_writes,
        m.attempted_writes,
        "acknowledged + failed != attempted {}",
        ctx()
    );
    prop_assert!(
        (0.0..=1.0).contains(&m.availability),
        "availability {} {}",
        m.availability,
        ctx()
    );
    prop_assert_eq!(
        m.reads.is_some(),
        s.workload.reads_per_sec > 0.0,
        "read metrics present iff the workload reads {}",
        ctx()
    );
    if let Some(rd) = &m.reads {
        let answered = rd.reads - rd.failed_reads;
        prop_assert!(
            rd.failed_reads <= rd.reads && rd.stale_reads <= answered,
            "reads {} failed {} stale {} {}",
            rd.reads,
            rd.failed_reads,
            rd.stale_reads,
            ctx()
        );
        let ok = m.acknowledged_writes + answered;
        let all = m.attempted_writes + rd.reads;
        let expected = if all == 0 {
            1.0
        } else {
            ok as f64 / all as f64
        };
        prop_assert!(
            (m.availability - expected).abs() < 1e-12,
            "availability {} != (acked writes + answered reads) / requests {} {}",
            m.availability,
            expected,
            ctx()
        );
        prop_assert!(
            rd.read_latency_us.max <= s.workload.request_timeout_us,
            "a read answered after its timeout {}",
            ctx()
        );
    }
    for (region, a) in &m.availability_by_region {
        prop_assert!(
            (0.0..=1.0).contains(a),
            "availability of {region} {a} {}",
            ctx()
        );
    }
    prop_assert!(
        m.rpo_us <= end,
        "rpo {} > duration + drain {} {}",
        m.rpo_us,
        end,
        ctx()
    );
    for (i, inc) in r.report.incidents.iter().enumerate() {
        prop_assert!(
            inc.rpo_us <= end,
            "incident {i} rpo {} {}",
            inc.rpo_us,
            ctx()
        );
        if let Some(b) = inc.rto_breakdown {
            let sum = b.detection_us + b.promotion_us + b.routing_us + b.client_tail_us;
            prop_assert_eq!(
                Some(sum),
                inc.rto_us,
                "incident {} rto breakdown {:?} does not sum to rto {:?} {}",
                i,
                b,
                inc.rto_us,
                ctx()
            );
        }
    }
    prop_assert_eq!(
        r.lost_writes.len() as u64,
        m.lost_writes,
        "ledger length != lost_writes {}",
        ctx()
    );
    let by_incident: u64 = r.report.incidents.iter().map(|i| i.lost_writes).sum();
    prop_assert_eq!(
        by_incident,
        m.lost_writes,
        "lost writes over incidents != lost_writes {}",
        ctx()
    );
    for l in &r.lost_writes {
        prop_assert!(
            l.commit_us <= end,
            "lost write {} committed at {} after the end {} {}",
            l.id,
            l.commit_us,
            end,
            ctx()
        );
        prop_assert!(
            l.incident < r.report.incidents.len(),
            "lost write {} names incident {} of {} {}",
            l.id,
            l.incident,
            r.report.incidents.len(),
            ctx()
        );
    }
    Ok(())
}

/// Whether a deposed primary may legitimately still be up beside the new one at the
/// end (split brain): nothing steps a deposed primary down except fencing or, with
/// fencing off, a restart (an outage of it) followed by a rejoin. Such a run is a
/// correct "not converged", so the convergence property skips it. Judged from the
/// run's timeline: each `promotion` entry deposes the primary of the moment (a failed
/// promotion is counted too, which only skips more), each `rejoin` entry of a region
/// clears it.
///
/// Multi-primary has no promotions, and home-region cannot split: a key has one home
/// at a time and a region that is no longer a key's home refuses its writes.
fn split_brain_possible(sc: &Sc, r: &RunResult) -> bool {
    if !sc.single() {
        return false;
    }
    let Some(f) = &sc.failover else { return false };
    if f.fencing == Some(true) {
        return false;
    }
    let mut primary = sc.rname(sc.repl.primary);
    let mut standing: Vec<String> = Vec::new();
    for e in &r.series.timeline {
        let Some(region) = &e.region else { continue };
        match e.kind.as_str() {
            "promotion" => {
                standing.push(std::mem::replace(&mut primary, region.clone()));
            }
            "rejoin" => standing.retain(|d| d != region),
            _ => {}
        }
    }
    standing.retain(|d| *d != primary);
    !standing.is_empty()
}

/// What the topology and the residency rules promise (scenario-format.md: Replication,
/// Conflicts, Residency; metrics.md: Conflicts, residency_violations):
/// - home-region: one writer per key, so no conflict and nothing discarded;
/// - multi-primary with a CRDT: nothing discarded;
/// - only single-primary uses semi-sync (so only it can fall back);
/// - no record reaches a region outside its jurisdiction, except the pinned writes that
///   a single primary outside the rule's jurisdiction commits: at most one per attempt
///   of a write to that range, exactly one per write when nothing fails over and no
///   request is dropped;
/// - `metrics.residency` has one entry per rule (in file order) and then the unpinned
///   rest if any key is left, with the rule's jurisdiction and its regions, and its
///   figures add up to the headline ones (lost writes per range = the ledger's).
fn check_topology(sc: &Sc, r: &RunResult, seed: u64, text: &str) -> Result<(), TestCaseError> {
    let m = &r.report.metrics;
    let ctx = || format!("(seed {seed})\n--- scenario ---\n{text}");
    match sc.repl.topology {
        Topo::Home => {
            // One writer per key, before and after keys move: causal order decides.
            prop_assert_eq!(
                (m.conflicts, m.lww_discarded, m.lww_inversions),
                (0, 0, 0),
                "home-region: (conflicts, lww_discarded, lww_inversions) {}",
                ctx()
            );
        }
        Topo::Multi(_) if sc.crdt() => {
            prop_assert_eq!(
                (m.lww_discarded, m.lww_inversions),
                (0, 0),
                "CRDT: (lww_discarded, lww_inversions) {}",
                ctx()
            );
        }
        _ => {}
    }
    if !sc.single() {
        prop_assert_eq!(m.semi_sync_fallbacks, 0, "semi-sync fallbacks {}", ctx());
    }

    // Per-range figures.
    if sc.rules.is_empty() {
        prop_assert!(
            m.residency.is_empty(),
            "per-range figures without rules: {:?} {}",
            m.residency,
            ctx()
        );
        prop_assert_eq!(
            m.residency_violations,
            0,
            "violations without rules {}",
            ctx()
        );
        return Ok(());
    }
    let pinned: u32 = sc.rules.iter().map(|rule| rule.hi - rule.lo).sum();
    let mut expected: Vec<(String, Option<usize>)> = sc
        .rules
        .iter()
        .map(|rule| (rule.keys(), Some(rule.jurisdiction)))
        .collect();
    if pinned < sc.wl.keys {
        expected.push(("rest".to_string(), None));
    }
    let got: Vec<(String, Option<String>)> = m
        .residency
        .iter()
        .map(|f| (f.keys.clone(), f.jurisdiction.clone()))
        .collect();
    let want: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(k, j)| (k.clone(), j.map(|j| JURISDICTIONS[j].to_string())))
        .collect();
    prop_assert_eq!(got, want, "per-range figures: ranges {}", ctx());
    let range_of = |key: u32| {
        sc.rules
            .iter()
            .position(|rule| rule.contains(key))
            .unwrap_or(sc.rules.len())
    };
    for (i, f) in m.residency.iter().enumerate() {
        let regions: Vec<String> = (0..sc.regions.len())
            .filter(|&g| {
                sc.rules
                    .get(i)
                    .is_none_or(|rule| sc.in_jurisdiction(g, rule))
            })
            .map(|g| sc.rname(g))
            .collect();
        prop_assert_eq!(
            &f.regions,
            &regions,
            "regions of range {} {}",
            f.keys,
            ctx()
        );
        prop_assert!(
            f.acknowledged_writes <= f.attempted_writes
                && f.lost_writes <= f.acknowledged_writes
                && (0.0..=1.0).contains(&f.availability),
            "range {}: acknowledged {} attempted {} lost {} availability {} {}",
            f.keys,
            f.acknowledged_writes,
            f.attempted_writes,
            f.lost_writes,
            f.availability,
            ctx()
        );
        prop_assert!(
            f.rpo_us <= m.rpo_us,
            "range {} rpo {} > rpo {} {}",
            f.keys,
            f.rpo_us,
            m.rpo_us,
            ctx()
        );
        let ledger = r
            .lost_writes
            .iter()
            .filter(|l| range_of(l.key) == i)
            .count() as u64;
        prop_assert_eq!(
            f.lost_writes,
            ledger,
            "range {}: lost_writes != lost writes of its keys in the ledger {}",
            &f.keys,
            ctx()
        );
    }
    let sum = |g: fn(&regionsim::metrics::RangeFigures) -> u64| -> u64 {
        m.residency.iter().map(g).sum()
    };
    prop_assert_eq!(
        (
            sum(|f| f.attempted_writes),
            sum(|f| f.acknowledged_writes),
            sum(|f| f.lost_writes)
        ),
        (m.attempted_writes, m.acknowledged_writes, m.lost_writes),
        "per-range (attempted, acknowledged, lost) do not add up {}",
        ctx()
    );

    // Residency violations.
    let outside = sc.rules_outside_primary();
    if outside.is_empty() {
        prop_assert_eq!(
            m.residency_violations,
            0,
            "{} records outside their jurisdiction, yet the topology is {} and the primary (if any) is in every rule's jurisdiction {}",
            m.residency_violations,
            sc.repl.topology.keyword(),
            ctx()
        );
    } else {
        let attempted: u64 = outside
            .iter()
            .map(|rule| {
                let keys = rule.keys();
                m.residency
                    .iter()
                    .find(|f| f.keys == keys)
                    .map_or(0, |f| f.attempted_writes)
            })
            .sum();
        if sc.every_write_commits_once() {
            prop_assert_eq!(
                m.residency_violations,
                attempted,
                "violations != writes to the ranges pinned outside the primary {}",
                ctx()
            );
        } else {
            prop_assert!(
                m.residency_violations <= attempted * sc.max_attempts(),
                "violations {} > {} writes to the ranges pinned outside the primary x {} attempts {}",
                m.residency_violations,
                attempted,
                sc.max_attempts(),
                ctx()
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Properties over valid scenarios
// ---------------------------------------------------------------------------

/// Parse generated text and classify it: `Ok(Some)` to run; `Ok(None)` a mode the
/// topology refuses, refused as such (the case passes); `Err(reject)` another feature
/// not supported yet (reads).
fn parse_case(sc: &Sc, text: &str) -> Result<Option<Scenario>, TestCaseError> {
    let parsed = parse_generated(text)?;
    if sc.refused_mode() {
        prop_assert!(
            parsed.is_none(),
            "mode {:?} with topology {} was accepted, not refused as unsupported\n{}",
            sc.repl.mode,
            sc.repl.topology.keyword(),
            text
        );
        return Ok(None);
    }
    match parsed {
        Some(s) => Ok(Some(s)),
        None if sc.wl.reads_per_sec.is_some_and(|r| r > 0) => {
            Err(TestCaseError::reject("uses a feature not supported yet"))
        }
        None => Err(TestCaseError::fail(format!(
            "refused as unsupported, yet it uses no unsupported feature\n{text}"
        ))),
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Parse, simulate, check the identities; simulate again and compare.
    #[test]
    fn valid_scenarios_run_within_the_invariants(sc in arb_scenario(), seed in any::<u64>()) {
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
        if sc.settles_before_end() && !split_brain_possible(&sc, &r) {
            prop_assert!(
                r.report.metrics.converged,
                "every fault healed well before the end, yet {} keys diverge (seed {})\n--- scenario ---\n{}",
                r.report.metrics.divergent_keys, seed, text
            );
        }
        // The same text and seed again: identical digest and report bytes.
        let s2 = parse_generated(&text)?.expect("parsed once already");
        let r2 = run_generated(&s2, seed, &text)?;
        prop_assert_eq!(
            &r.report.metrics.events_digest,
            &r2.report.metrics.events_digest,
            "events digest differs between two runs (seed {})\n{}", seed, text
        );
        prop_assert!(
            report_json(&r) == report_json(&r2),
            "report JSON differs between two runs (seed {seed})\n{text}"
        );
    }

    /// Faults that all heal early, generous links, a long drain: the regions converge.
    #[test]
    fn healed_faults_converge(sc in arb_healing_scenario(), seed in any::<u64>()) {
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        prop_assume!(sc.settles_before_end());
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
        prop_assume!(!split_brain_possible(&sc, &r));
        prop_assert!(
            r.report.metrics.converged,
            "every fault healed well before the end, yet {} keys diverge (seed {})\n--- scenario ---\n{}",
            r.report.metrics.divergent_keys, seed, text
        );
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// A single primary outside a rule's jurisdiction, nothing failing over: the
    /// violations are exactly the writes to the ranges pinned elsewhere (and > 0 when
    /// there were any), inside `check_topology`.
    #[test]
    fn an_outside_primary_violates_once_per_pinned_write(
        sc in arb_outside_primary_scenario(),
        seed in any::<u64>(),
    ) {
        prop_assert!(!sc.rules_outside_primary().is_empty() && sc.every_write_commits_once());
        let text = sc.text();
        let Some(s) = parse_case(&sc, &text)? else {
            return Ok(());
        };
        let r = run_generated(&s, seed, &text)?;
        check_run(&s, &r, seed, &text)?;
        check_topology(&sc, &r, seed, &text)?;
    }
}

// ---------------------------------------------------------------------------
// Invalid scenarios: one mutation of a valid one
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Mutation {
    RemoveName,
    RemoveDuration,
    RemoveWorkload,
    RemoveWritesPerSec,
    /// Which duration field (0 duration, 1 drain, 2 request_timeout, 3 a link latency),
    /// and the bare number.
    BareNumber(u8, u32),
    /// Which duration field as above, and which malformed text.
    MalformedUnit(u8, u8),
    /// Which population, how far off (per mille).
    SharesOff(usize, u32),
    /// 0, or minus this.
    WritesNotPositive(u32),
    /// Which fault, how far past the end (seconds, 0 = exactly at the end).
    FaultAtBeyond(usize, u64),
    /// How many more than the replicas.
    AcksTooMany(u32),
    /// Which section, which name.
    UnknownField(usize, u8),
    UnknownRegionInLink(usize, bool),
    UnknownRegionInClient(usize),
    RemoveNeededLink,
    /// Which kind of syntax error, at which line.
    BadToml(u8, usize),
    ZipfZero(bool),
    /// A residency rule naming a jurisdiction no region has.
    ResidencyUnknownJurisdiction,
    /// A rule over the whole key space and one over `0..1` (they overlap).
    ResidencyOverlap,
    /// A rule whose range ends this far past the key space.
    ResidencyPastKeys(u32),
    /// A rule "LO..HI" with LO >= HI (LO, how far below it HI is).
    ResidencyEmpty(u32, u32),
    /// `primary` (true) or `replicas` (false) with a topology other than single-primary.
    PrimaryOutsideSingle(bool),
    /// A `[conflicts]` section with a topology other than multi-primary.
    ConflictsOutsideMulti,
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::RemoveName),
        Just(Mutation::RemoveDuration),
        Just(Mutation::RemoveWorkload),
        Just(Mutation::RemoveWritesPerSec),
        (0u8..4, 0u32..100).prop_map(|(f, n)| Mutation::BareNumber(f, n)),
        (0u8..4, 0u8..6).prop_map(|(f, k)| Mutation::MalformedUnit(f, k)),
        (0usize..3, 10u32..=400).prop_map(|(i, d)| Mutation::SharesOff(i, d)),
        (0u32..1000).prop_map(Mutation::WritesNotPositive),
        (0usize..3, 0u64..=60).prop_map(|(i, s)| Mutation::FaultAtBeyond(i, s)),
        (1u32..=5).prop_map(Mutation::AcksTooMany),
        (0usize..64, 0u8..4).prop_map(|(i, k)| Mutation::UnknownField(i, k)),
        (0usize..6, any::<bool>()).prop_map(|(i, side)| Mutation::UnknownRegionInLink(i, side)),
        (0usize..3).prop_map(Mutation::UnknownRegionInClient),
        Just(Mutation::RemoveNeededLink),
        (0u8..5, 0usize..200).prop_map(|(k, l)| Mutation::BadToml(k, l)),
        any::<bool>().prop_map(Mutation::ZipfZero),
        Just(Mutation::ResidencyUnknownJurisdiction),
        Just(Mutation::ResidencyOverlap),
        (1u32..=1000).prop_map(Mutation::ResidencyPastKeys),
        (0u32..=5000, 0u32..=3).prop_map(|(lo, d)| Mutation::ResidencyEmpty(lo, d)),
        any::<bool>().prop_map(Mutation::PrimaryOutsideSingle),
        Just(Mutation::ConflictsOutsideMulti),
    ]
}

/// The section and key of a duration-valued field chosen by `which`.
fn duration_field(d: &Doc, which: u8) -> (usize, &'static str) {
    match which {
        0 => (0, "duration"),
        1 => (0, "drain"),
        2 => (d.find("[workload]")[0], "request_timeout"),
        _ => (d.find("[[links]]")[0], "latency"),
    }
}

/// The text of `sc` with `m` applied: always an invalid scenario.
fn mutate(sc: &Sc, m: &Mutation) -> String {
    let mut sc = sc.clone();
    // Mutations on the model, before rendering.
    match m {
        Mutation::RemoveNeededLink => {
            // With the default replicas every region holds data, so every pair of
            // regions needs its link; remove the one between the primary and another.
            sc.repl.replicas = None;
            sc.repl.acks = None;
            let p = sc.repl.primary;
            sc.links.retain(|l| l.a != p && l.b != p);
            // Put back all but one of the primary's links.
            let n = sc.regions.len();
            let mut victim = None;
            for o in 0..n {
                if o == p {
                    continue;
                }
                if victim.is_none() {
                    victim = Some(o);
                    continue;
                }
                sc.links.push(LinkG {
                    a: p,
                    b: o,
                    lat: Lat::Constant(10 * MS),
                    bandwidth: None,
                });
            }
            // A latency fault on the missing pair would be the first error found.
            if let Some(v) = victim {
                sc.faults.retain(|f| {
                    !matches!(f.kind, FaultKindG::Latency { a, b, .. }
                        if (a == p && b == v) || (a == v && b == p))
                });
            }
        }
        Mutation::FaultAtBeyond(i, secs) => {
            let at_us = sc.duration_us + secs * S;
            if sc.faults.is_empty() {
                sc.faults.push(FaultG {
                    kind: FaultKindG::Outage(0),
                    at_us,
                    duration_us: None,
                });
            } else {
                let k = i % sc.faults.len();
                sc.faults[k].at_us = at_us;
            }
        }
        Mutation::AcksTooMany(extra) => {
            sc.repl.acks = Some(sc.replica_ids().len() as u32 + extra);
        }
        Mutation::ZipfZero(_) => {
            sc.wl.zipf = Some(Some(0.0));
        }
        Mutation::ResidencyUnknownJurisdiction
        | Mutation::ResidencyOverlap
        | Mutation::ResidencyPastKeys(_)
        | Mutation::ResidencyEmpty(..) => {
            // A jurisdiction some region has, for the rules that must fail for
            // another reason.
            let j = match sc.regions.iter().find_map(|g| g.jurisdiction) {
                Some(j) => j,
                None => {
                    sc.regions[0].jurisdiction = Some(0);
                    0
                }
            };
            let keys = sc.wl.keys;
            let mut add = |lo: u32, hi: u32| {
                sc.rules.push(RuleG {
                    lo,
                    hi,
                    jurisdiction: j,
                })
            };
            match m {
                Mutation::ResidencyOverlap => {
                    add(0, keys);
                    add(0, 1);
                }
                Mutation::ResidencyPastKeys(extra) => add(0, keys + extra),
                Mutation::ResidencyEmpty(lo, d) => add(*lo, lo.saturating_sub(*d)),
                _ => add(0, 1),
            }
        }
        // Home-region (async): primary, replicas and [conflicts] do not apply.
        Mutation::PrimaryOutsideSingle(_) | Mutation::ConflictsOutsideMulti
            if matches!(m, Mutation::ConflictsOutsideMulti) || sc.single() =>
        {
            sc.repl.topology = Topo::Home;
            sc.repl.mode = None;
            sc.repl.acks = None;
            sc.repl.semi_sync_timeout_us = None;
        }
        _ => {}
    }
    let mut d = sc.doc();
    // Mutations on the document.
    match m {
        Mutation::RemoveName => d.remove(0, "name"),
        Mutation::RemoveDuration => d.remove(0, "duration"),
        Mutation::RemoveWorkload => d
            .secs
            .retain(|s| s.header != "[workload]" && s.header != "[[workload.clients]]"),
        Mutation::RemoveWritesPerSec => {
            let w = d.find("[workload]")[0];
            d.remove(w, "writes_per_sec");
        }
        Mutation::BareNumber(f, n) => {
            let (sec, key) = duration_field(&d, *f);
            d.set(sec, key, n.to_string());
        }
        Mutation::MalformedUnit(f, k) => {
            let (sec, key) = duration_field(&d, *f);
            let bad = [
                "10 parsecs",
                "10parsecs",
                "5 minutes",
                "1.5.2s",
                "s10",
                "-3s",
            ][usize::from(*k) % 6];
            d.set(sec, key, quoted(bad));
        }
        Mutation::SharesOff(i, delta) => {
            let clients = d.find("[[workload.clients]]");
            let c = clients[i % clients.len()];
            let pm = sc.wl.clients[i % clients.len()].per_mille;
            let off = if pm > 500 { pm - delta } else { pm + delta };
            d.set(c, "share", per_mille(off));
        }
        Mutation::WritesNotPositive(k) => {
            let w = d.find("[workload]")[0];
            let v = match k % 3 {
                0 => "0".to_string(),
                1 => format!("-{}", k + 1),
                _ => format!("-{k}.5"),
            };
            d.set(w, "writes_per_sec", v);
        }
        Mutation::UnknownField(i, k) => {
            let sec = i % d.secs.len();
            let key = ["colour", "replica_count", "durations", "latency_ms"][usize::from(*k) % 4];
            // `latency_ms` etc. are unknown everywhere; keep the value harmless.
            d.secs[sec].kv.push((key.to_string(), quoted("blue")));
        }
        Mutation::UnknownRegionInLink(i, side) => {
            let links = d.find("[[links]]");
            let l = links[i % links.len()];
            let link = &sc.links[i % links.len()];
            let (a, b) = (REGION_NAMES[link.a], REGION_NAMES[link.b]);
            let pair = if *side {
                format!("[\"{a}\", \"mars-north-1\"]")
            } else {
                format!("[\"mars-north-1\", \"{b}\"]")
            };
            d.set(l, "between", pair);
        }
        Mutation::UnknownRegionInClient(i) => {
            let clients = d.find("[[workload.clients]]");
            let c = clients[i % clients.len()];
            d.set(c, "region", quoted("mars-north-1"));
        }
        Mutation::ResidencyUnknownJurisdiction => {
            let last = *d.find("[[residency]]").last().expect("a rule was added");
            d.set(last, "jurisdiction", quoted("Atlantis"));
        }
        Mutation::PrimaryOutsideSingle(primary) => {
            let r = d.find("[replication]")[0];
            if *primary {
                d.set(r, "primary", quoted(REGION_NAMES[sc.repl.primary]));
            } else {
                d.set(r, "replicas", sc.names(&[sc.repl.primary]));
            }
        }
        Mutation::ConflictsOutsideMulti => {
            d.sec("[conflicts]").kv("resolution", quoted("lww"));
        }
        Mutation::ZipfZero(float) => {
            let w = d.find("[workload]")[0];
            let v = if *float {
                "{ zipf = 0.0 }"
            } else {
                "{ zipf = 0 }"
            };
            d.set(w, "key_distribution", v.to_string());
        }
        _ => {}
    }
    let text = d.text();
    match m {
        Mutation::BadToml(kind, at) => {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let at = at % (lines.len() + 1);
            match kind {
                0 => lines.insert(at, "= 3".to_string()),
                1 => lines.insert(at, "[[regions]".to_string()),
                2 => lines.insert(at, "this is not toml".to_string()),
                3 => {
                    // An unterminated string in the first line that has one.
                    if let Some(l) = lines.iter_mut().find(|l| l.ends_with('"')) {
                        l.pop();
                    }
                }
                _ => {
                    // A second [workload] table.
                    lines.push("[workload]".to_string());
                    lines.push("writes_per_sec = 1".to_string());
                }
            }
            lines.join("\n") + "\n"
        }
        _ => text,
    }
}

const LABEL: &str = "mutated.toml";

/// Fragments of which the error must show at least one: the field (or line) the
/// mutation broke, so that an error for some other reason does not count.
fn about(m: &Mutation) -> Vec<String> {
    let duration_key =
        |f: &u8| ["`duration`", "`drain`", "request_timeout", "latency"][usize::from(*f)];
    let v: Vec<&str> = match m {
        Mutation::RemoveName => vec!["`name`"],
        Mutation::RemoveDuration => vec!["`duration`"],
        Mutation::RemoveWorkload => vec!["`workload`"],
        Mutation::RemoveWritesPerSec | Mutation::WritesNotPositive(_) => vec!["writes_per_sec"],
        Mutation::BareNumber(f, _) | Mutation::MalformedUnit(f, _) => vec![duration_key(f)],
        Mutation::SharesOff(..) => vec!["workload.clients"],
        Mutation::FaultAtBeyond(..) => vec!["faults["],
        Mutation::AcksTooMany(_) => vec!["replication.acks"],
        Mutation::UnknownField(_, k) => {
            vec![["colour", "replica_count", "durations", "latency_ms"][usize::from(*k) % 4]]
        }
        Mutation::UnknownRegionInLink(..) | Mutation::UnknownRegionInClient(_) => {
            vec!["mars-north-1"]
        }
        Mutation::RemoveNeededLink => vec!["`links`"],
        Mutation::BadToml(..) => vec!["line "],
        Mutation::ZipfZero(_) => vec!["zipf", "key_distribution"],
        Mutation::ResidencyUnknownJurisdiction => vec!["residency[", "Atlantis"],
        Mutation::ResidencyOverlap
        | Mutation::ResidencyPastKeys(_)
        | Mutation::ResidencyEmpty(..) => vec!["residency["],
        Mutation::PrimaryOutsideSingle(true) => vec!["replication.primary"],
        Mutation::PrimaryOutsideSingle(false) => vec!["replication.replicas"],
        Mutation::ConflictsOutsideMulti => vec!["`conflicts`"],
    };
    v.into_iter().map(str::to_string).collect()
}

fn check_invalid(text: &str, m: &Mutation) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(|| parse_str(text, LABEL, Format::Toml));
    let Ok(result) = outcome else {
        return Err(TestCaseError::fail(format!(
            "parse_str panicked ({m:?}) on:\n{text}"
        )));
    };
    let e = match result {
        Ok(_) => {
            return Err(TestCaseError::fail(format!(
                "mutation {m:?} was accepted:\n{text}"
            )))
        }
        Err(e) => e,
    };
    let shown = e.to_string();
    prop_assert!(
        !e.unsupported,
        "mutation {:?} was refused as unsupported rather than invalid: {}\n{}",
        m,
        shown,
        text
    );
    prop_assert!(
        shown.starts_with(LABEL),
        "error does not name the file: {shown} ({m:?})"
    );
    prop_assert!(
        shown.contains("line ") || shown.contains("field `"),
        "error names neither a line nor a field: {shown} ({m:?})\n{text}"
    );
    let about = about(m);
    prop_assert!(
        about.iter().any(|f| shown.contains(f.as_str())),
        "error for {:?} is not about {:?}: {}\n{}",
        m,
        about,
        shown,
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(128))]

    /// Every mutation is rejected with an error that names the file and where.
    #[test]
    fn mutated_scenarios_are_rejected_with_a_location(sc in arb_scenario(), m in arb_mutation()) {
        let text = mutate(&sc, &m);
        check_invalid(&text, &m)?;
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// The binary: `validate` and `run` exit 2 on an invalid file and name it.
    #[test]
    fn binary_exits_2_on_mutated_scenarios(sc in arb_scenario(), m in arb_mutation()) {
        let text = mutate(&sc, &m);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("bad-scenario.toml");
        std::fs::write(&file, &text).expect("write");
        let out = dir.path().join("out");
        let bin = env!("CARGO_BIN_EXE_regionsim");
        let runs = [
            Command::new(bin).arg("validate").arg(&file).output(),
            Command::new(bin).arg("run").arg(&file).arg("--out").arg(&out).output(),
        ];
        for (what, o) in ["validate", "run"].iter().zip(runs) {
            let o = o.expect("spawn regionsim");
            let stderr = String::from_utf8_lossy(&o.stderr);
            prop_assert_eq!(
                o.status.code(), Some(2),
                "`regionsim {}` ({:?}) stderr: {}\n{}", what, m, stderr, text
            );
            prop_assert!(
                stderr.contains(file.to_str().expect("utf-8 temp path")),
                "`regionsim {what}` stderr does not name the file: {stderr}"
            );
        }
        prop_assert!(!out.exists(), "`run` wrote reports for an invalid file");
    }
}

// ---------------------------------------------------------------------------
// Loading never panics
// ---------------------------------------------------------------------------

/// Keys of the format, to build TOML-ish documents with plausible structure.
const KEYS: &[&str] = &[
    "name",
    "duration",
    "drain",
    "seed",
    "between",
    "latency",
    "bandwidth",
    "writes_per_sec",
    "keys",
    "share",
    "count",
    "region",
    "primary",
    "replicas",
    "mode",
    "acks",
    "kind",
    "at",
    "add",
    "offset",
    "sides",
    "ttl",
    "interval",
    "dist",
    "mean",
    "zipf",
    "checkers",
];
const HEADERS: &[&str] = &[
    "[[regions]]",
    "[[links]]",
    "[workload]",
    "[[workload.clients]]",
    "[replication]",
    "[failover]",
    "[failover.dns]",
    "[failover.health_check]",
    "[[faults]]",
    "[budgets]",
    "[[residency]]",
    "[workload.clients]",
    "[regions]",
];

fn arb_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("true".to_string()),
        "[a-z0-9 .+-]{0,8}".prop_map(|s| quoted(&s)),
        "[0-9]{1,22}(us|ms|s|m|h|d|B|KiB|Gbps|)".prop_map(|s| quoted(&s)),
        Just("[\"us-east-1\", \"eu-west-1\"]".to_string()),
        Just("[[\"a\"], []]".to_string()),
        Just("[]".to_string()),
        Just("{ dist = \"normal\", mean = \"1ms\", stddev = \"99h\" }".to_string()),
        Just("{ zipf = 1e308 }".to_string()),
        Just("{}".to_string()),
    ]
}

fn arb_tomlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            3 => (proptest::sample::select(KEYS), arb_value()).prop_map(|(k, v)| format!("{k} = {v}")),
            1 => proptest::sample::select(HEADERS).prop_map(str::to_string),
        ],
        0..40,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(128))]

    /// Documents of real keys and tables with values of any type and size.
    #[test]
    fn tomlish_documents_never_panic_loading(text in arb_tomlish()) {
        let r = catch_unwind(|| parse_str(&text, "x.toml", Format::Toml));
        prop_assert!(r.is_ok(), "parse_str panicked on:\n{}", text);
        if let Ok(Err(e)) = r {
            prop_assert!(e.to_string().starts_with("x.toml"), "{}", e);
        }
    }

    /// Arbitrary bytes in a file (not UTF-8, BOMs, NULs): `load_path` answers, never panics.
    #[test]
    fn arbitrary_file_bytes_never_panic_loading(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        json in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(if json { "bytes.json" } else { "bytes.toml" });
        std::fs::write(&file, &bytes).expect("write");
        let r = catch_unwind(|| load_path(&file));
        prop_assert!(r.is_ok(), "load_path panicked on bytes {:?}", bytes);
        if let Ok(Err(e)) = r {
            prop_assert!(e.to_string().contains("bytes."), "{}", e);
        }
    }
}

// ---------------------------------------------------------------------------
// Self-checks of the generators
// ---------------------------------------------------------------------------

/// The generators reach every new branch: each topology and resolution, each
/// home-region mode, the refused modes, 1 and 2 rules, a rule over the whole key space,
/// a single primary inside and outside the rules' jurisdictions (and the case where
/// its violations are exact), and healing runs of the other topologies. Sampling only
/// (no simulation); `--nocapture` shows the counts.
#[test]
fn generators_reach_the_topologies_and_residency() {
    use proptest::strategy::ValueTree;
    use std::collections::BTreeMap;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    let plain = arb_scenario().boxed();
    let healing = arb_healing_scenario().boxed();
    for i in 0..1000 {
        let sc = if i % 2 == 0 { &plain } else { &healing }
            .new_tree(&mut runner)
            .expect("generate")
            .current();
        let mut tally = |tag: &'static str, hit: bool| {
            *counts.entry(tag).or_default() += u32::from(hit);
        };
        let t = sc.repl.topology;
        tally("single-primary", t == Topo::Single);
        tally(
            "multi: lww (default)",
            matches!(t, Topo::Multi(None | Some(None))),
        );
        tally("multi: lww", t == Topo::Multi(Some(Some("lww"))));
        tally(
            "multi: crdt-counter",
            t == Topo::Multi(Some(Some("crdt-counter"))),
        );
        tally("multi: crdt-set", t == Topo::Multi(Some(Some("crdt-set"))));
        tally(
            "home: async",
            t == Topo::Home && sc.repl.mode != Some("sync") && !sc.refused_mode(),
        );
        tally(
            "home: sync",
            t == Topo::Home && sc.repl.mode == Some("sync"),
        );
        tally(
            "home: sync with acks",
            t == Topo::Home && sc.repl.acks.is_some(),
        );
        tally("refused mode", sc.refused_mode());
        tally(
            "jurisdictions",
            sc.regions.iter().any(|g| g.jurisdiction.is_some()),
        );
        tally("1 rule", sc.rules.len() == 1);
        tally("2 rules", sc.rules.len() == 2);
        tally(
            "rule over every key",
            sc.rules.iter().any(|r| r.lo == 0 && r.hi == sc.wl.keys),
        );
        let outside = !sc.rules_outside_primary().is_empty();
        tally("single: primary outside a rule", outside);
        tally(
            "single: primary inside every rule",
            sc.single() && !sc.rules.is_empty() && !outside,
        );
        tally(
            "single: exact violations",
            outside && sc.every_write_commits_once(),
        );
        tally(
            "rules, multi",
            matches!(t, Topo::Multi(_)) && !sc.rules.is_empty(),
        );
        tally("rules, home", t == Topo::Home && !sc.rules.is_empty());
        let heals = i % 2 == 1 && sc.settles_before_end() && !sc.faults.is_empty();
        tally(
            "healing with faults, multi",
            heals && matches!(t, Topo::Multi(_)),
        );
        tally(
            "healing with faults, home + failover",
            heals && t == Topo::Home && sc.failover.is_some(),
        );
    }
    eprintln!("{counts:#?}");
    for (tag, n) in &counts {
        assert!(*n > 0, "the generators never produce: {tag}");
    }
}

#[test]
fn share_split_sums_to_one() {
    for w in [
        vec![1],
        vec![1000, 1, 1],
        vec![1, 1, 1000],
        vec![1, 1],
        vec![999, 1000],
        vec![7, 3, 5],
    ] {
        let s = shares(&w);
        assert_eq!(s.iter().sum::<u32>(), 1000, "{w:?} -> {s:?}");
        assert!(s.iter().all(|&x| x >= 1), "{w:?} -> {s:?}");
    }
}

#[test]
fn duration_strings_read_back() {
    for us in [
        0,
        1,
        999,
        1_000,
        1_500,
        100_000,
        1_500_000,
        2 * S,
        60 * S,
        90 * S,
        3_723 * S,
    ] {
        assert_eq!(
            regionsim::scenario::parse_duration_us(&dur(us)),
            Ok(us),
            "{}",
            dur(us)
        );
    }
    assert_eq!(
        regionsim::scenario::parse_signed_duration_us(&offset(-1_500)),
        Ok(-1_500)
    );
}
