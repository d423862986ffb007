//! The validated scenario: what the engine and model are allowed to see.
//!
//! Every value here has passed validation (see `validate.rs`): region indices are
//! in range, durations are integer microseconds, shares sum to 1, and so on.

/// Index of a region in `Scenario::regions`.
pub type RegionId = usize;

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub duration_us: u64,
    pub drain_us: u64,
    pub regions: Vec<Region>,
    pub links: Vec<Link>,
    pub workload: Workload,
    pub replication: Replication,
    pub conflicts: Option<Conflicts>,
    pub failover: Option<Failover>,
    pub faults: Vec<Fault>,
    pub residency: Vec<ResidencyRule>,
    pub cost: Option<Cost>,
    pub budgets: Vec<Budget>,
    /// SHA-256 (hex) of the scenario file's bytes.
    pub source_sha256: String,
}

impl Scenario {
    /// The link between two distinct regions, if any.
    pub fn link_between(&self, a: RegionId, b: RegionId) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
    }

    pub fn region_index(&self, name: &str) -> Option<RegionId> {
        self.regions.iter().position(|r| r.name == name)
    }

    /// End of the simulated run: `duration + drain`.
    pub fn end_us(&self) -> u64 {
        self.duration_us + self.drain_us
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub name: String,
    pub commit_latency_us: u64,
    /// Wall clock minus true time, signed.
    pub clock_offset_us: i64,
    pub jurisdiction: Option<String>,
}

/// A latency (or other duration) model, sampled per message.
#[derive(Clone, Debug, PartialEq)]
pub enum LatencyDist {
    Constant {
        us: u64,
    },
    /// Clamped at 0.
    Normal {
        mean_us: u64,
        stddev_us: u64,
    },
    /// Log-normal given by its median and 99th percentile.
    LogNormal {
        median_us: u64,
        p99_us: u64,
    },
    Uniform {
        min_us: u64,
        max_us: u64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub a: RegionId,
    pub b: RegionId,
    pub latency: LatencyDist,
    /// Bits per second; `None` = unlimited.
    pub bandwidth_bps: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    Poisson,
    Constant,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeyDist {
    Uniform,
    Zipf { exponent: f64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub writes_per_sec: f64,
    pub reads_per_sec: f64,
    pub arrival: Arrival,
    pub keys: u32,
    pub key_distribution: KeyDist,
    pub write_size_bytes: u64,
    pub request_timeout_us: u64,
    /// A success slower than this is impaired (metrics.md, RTO); `None`: unset.
    pub slow_request_us: Option<u64>,
    pub client_access_latency_us: u64,
    pub clients: Vec<ClientPopulation>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientPopulation {
    pub region: RegionId,
    pub share: f64,
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topology {
    SinglePrimary,
    MultiPrimary,
    HomeRegion,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicationMode {
    Async,
    SemiSync,
    Sync,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Replication {
    pub topology: Topology,
    /// Single-primary only.
    pub primary: Option<RegionId>,
    /// Single-primary: the replicas in order of preference (default: every other region).
    /// Multi-primary / home-region: every region.
    pub replicas: Vec<RegionId>,
    pub mode: ReplicationMode,
    /// Receipts needed (semi-sync, sync). For sync the default is all replicas.
    pub acks: u32,
    pub semi_sync_timeout_us: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    Lww,
    CrdtCounter,
    CrdtSet,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Conflicts {
    pub resolution: Resolution,
}

/// Which routing mechanism (the `routing` keyword).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingKind {
    Dns,
    Anycast,
    Client,
}

/// How clients find a region to write to, with that mechanism's own settings:
/// a DNS scenario carries no anycast or client-library settings, and so on.
#[derive(Clone, Debug, PartialEq)]
pub enum Routing {
    Dns(Dns),
    Anycast(Anycast),
    Client(ClientFailover),
}

impl Routing {
    pub fn kind(&self) -> RoutingKind {
        match self {
            Routing::Dns(_) => RoutingKind::Dns,
            Routing::Anycast(_) => RoutingKind::Anycast,
            Routing::Client(_) => RoutingKind::Client,
        }
    }

    /// The DNS settings, when routing is DNS.
    pub fn dns(&self) -> Option<&Dns> {
        match self {
            Routing::Dns(d) => Some(d),
            _ => None,
        }
    }

    /// The anycast settings, when routing is anycast.
    pub fn anycast(&self) -> Option<&Anycast> {
        match self {
            Routing::Anycast(a) => Some(a),
            _ => None,
        }
    }

    /// The client library's settings, when routing is client-side.
    pub fn client(&self) -> Option<&ClientFailover> {
        match self {
            Routing::Client(c) => Some(c),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Promotion {
    Automatic,
    Manual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnRejoin {
    Discard,
    Reconcile,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Failover {
    /// The routing mechanism and its settings.
    pub routing: Routing,
    pub promotion: Promotion,
    pub promotion_delay_us: u64,
    pub fencing: bool,
    pub on_rejoin: OnRejoin,
    pub health_check: HealthCheck,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    pub interval_us: u64,
    pub failure_threshold: u32,
    pub timeout_us: u64,
    /// `None`: every region other than the one being checked.
    pub checkers: Option<Vec<RegionId>>,
    pub unhealthy_share: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dns {
    pub ttl_us: u64,
    pub propagation_us: u64,
    pub stale_fraction: f64,
    pub stale_extra_us: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Anycast {
    pub convergence: LatencyDist,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    None,
    Full,
    Equal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    pub base_us: u64,
    pub cap_us: u64,
    pub jitter: Jitter,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientFailover {
    /// `None`: nearest first, per client region.
    pub endpoints: Option<Vec<RegionId>>,
    pub max_attempts: u32,
    pub backoff: Backoff,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Both,
    /// From the first side to the second only.
    Forward,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    RegionOutage {
        region: RegionId,
    },
    Partition {
        side_a: Vec<RegionId>,
        side_b: Vec<RegionId>,
        direction: Direction,
    },
    Latency {
        a: RegionId,
        b: RegionId,
        add_us: u64,
    },
    ClockSkew {
        region: RegionId,
        offset_us: i64,
    },
}

/// The directed region pairs (from, to) whose traffic a partition drops:
/// each of `side_a` to each of `side_b`, each pair followed by its reverse
/// when the partition cuts both ways.
pub fn cut_pairs(
    side_a: &[RegionId],
    side_b: &[RegionId],
    direction: Direction,
) -> Vec<(RegionId, RegionId)> {
    let mut pairs = Vec::new();
    for &a in side_a {
        for &b in side_b {
            pairs.push((a, b));
            if direction == Direction::Both {
                pairs.push((b, a));
            }
        }
    }
    pairs
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    pub at_us: u64,
    /// `None`: never recovers (clock-skew: stays).
    pub duration_us: Option<u64>,
}

impl Fault {
    /// End of the fault, or `u64::MAX` when it never ends.
    pub fn end_us(&self) -> u64 {
        self.duration_us
            .map_or(u64::MAX, |d| self.at_us.saturating_add(d))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResidencyRule {
    /// Inclusive lower bound.
    pub keys_lo: u32,
    /// Exclusive upper bound.
    pub keys_hi: u32,
    pub jurisdiction: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub transfer_per_gb: f64,
}

/// The limit of a budget, in the metric's own unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BudgetLimit {
    /// Microseconds (rpo, rto, latency).
    DurationUs(u64),
    Count(u64),
    /// A share in [0, 1] (availability floor).
    Ratio(f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// The budgeted metric (a catalogue row with a budget).
    pub metric: &'static crate::metrics::Metric,
    pub limit: BudgetLimit,
    /// The limit as written in the file (`"2m"`, `0`, `0.999`), for reports.
    pub limit_text: String,
}
