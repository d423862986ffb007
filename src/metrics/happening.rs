//! What the model tells the timeline, as typed events: metrics (the RTO
//! breakdown, the trace's grouping) read these, and `report` renders them
//! into English. Regions are named, numbers are raw (µs, counts).

/// How clients reached their new region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// A DNS cache that honours the TTL expired.
    DnsHonest,
    /// A resolver that ignores the TTL finally asked again.
    DnsStale,
    /// Anycast routes converged.
    Anycast,
}

/// The fault behind a fault edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultWhat {
    Outage { region: String },
    Partition,
    Latency { a: String, b: String, add_us: u64 },
    ClockSkew { region: String, offset_us: i64 },
}

/// One thing that happened, as the model saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Happening {
    /// A fault starts (`start`) or ends.
    Fault { start: bool, what: FaultWhat },
    /// The first probe of `target` that failed in this incident.
    FirstFailedProbe { target: String, checker: String },
    /// The checkers' verdict on `region` changed.
    Verdict { region: String, healthy: bool },
    /// The primary is unhealthy and no replica can take over.
    NoFailoverTarget,
    /// The control plane decided to promote `target` after `delay_us`.
    FailoverDecided {
        target: String,
        applied: u64,
        log_end: u64,
        delay_us: u64,
    },
    /// The primary became healthy before the decided promotion took effect.
    PromotionCancelled { primary: String },
    /// Resolvers answer `target` to the clients located in `clients_in`.
    DnsAnswers { target: String, clients_in: String },
    /// The last client located in `region` (of the kind `how`) reached `target`.
    ClientsMoved {
        region: String,
        target: String,
        how: Move,
    },
    /// A decided promotion could not happen: the target was dark.
    PromotionFailed { target: String },
    /// `target` took over as primary from `old`.
    Promoted {
        target: String,
        old: String,
        log_position: u64,
        orphaned: u64,
        orphaned_acked: u64,
    },
    /// A deposed primary rejoined as a replica.
    Rejoined {
        region: String,
        primary: String,
        orphaned: u64,
        outcome: RejoinOutcome,
    },
    /// A replica fell further behind than the log keeps.
    BeyondRetention { region: String },
    /// A replica was rebuilt from a snapshot of `primary`.
    Rebuilt { region: String, primary: String },
    /// Semi-sync gave up waiting and acknowledged `waiting` writes at once.
    SemiSyncFallback {
        timeout_us: u64,
        acks: usize,
        waiting: u64,
    },
    /// Semi-sync is back after `degraded_us` of async.
    SemiSyncRearmed { caught_up: usize, degraded_us: u64 },
    /// Multi-primary: `region` fetched `writes` of the lost region from `from`.
    AntiEntropy {
        region: String,
        writes: u64,
        lost: String,
        from: String,
    },
    /// Home-region: the keys homed in `from` will move after `delay_us`.
    HomeMoveDecided { from: String, delay_us: u64 },
    /// Home-region: `from` is healthy again; its keys stay.
    HomeMoveCancelled { from: String },
    /// Home-region: `to` became the home of `keys` keys of `from`.
    HomePromoted {
        to: String,
        keys: u64,
        from: String,
        orphaned: u64,
    },
    /// Home-region: `keys` keys of `from` have nowhere they may go.
    HomeStuck { from: String, keys: u64 },
    /// Home-region: `region` replaced `versions` orphaned versions.
    OrphansRebuilt { region: String, versions: u64 },
}

/// What a deposed primary's unreplicated writes became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejoinOutcome {
    Discarded { acked_lost: u64 },
    Reconciled { replayed: u64, lost_lww: u64 },
}

/// What a timeline entry is about (the trace groups and colours by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A fault starts.
    Fault,
    /// A fault ends.
    Recovery,
    /// A health-check observation or status change.
    Health,
    /// The control plane decides (or cancels) a failover.
    Decision,
    Promotion,
    /// Resolvers change their answer.
    Dns,
    /// Clients move (DNS caches expire, anycast converges, client retries).
    Routing,
    /// An old primary steps down and rejoins, or a replica is rebuilt.
    Rejoin,
    /// Replication mode changes (semi-sync fallback and re-arm).
    Replication,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fault => "fault",
            Kind::Recovery => "recovery",
            Kind::Health => "health",
            Kind::Decision => "decision",
            Kind::Promotion => "promotion",
            Kind::Dns => "dns",
            Kind::Routing => "routing",
            Kind::Rejoin => "rejoin",
            Kind::Replication => "replication",
        }
    }
}

impl Happening {
    /// The group this event belongs to.
    pub fn kind(&self) -> Kind {
        use Happening as H;
        match self {
            H::Fault { start: true, .. } => Kind::Fault,
            H::Fault { start: false, .. } => Kind::Recovery,
            H::FirstFailedProbe { .. } | H::Verdict { .. } => Kind::Health,
            H::NoFailoverTarget
            | H::FailoverDecided { .. }
            | H::PromotionCancelled { .. }
            | H::HomeMoveDecided { .. }
            | H::HomeMoveCancelled { .. }
            | H::HomeStuck { .. } => Kind::Decision,
            H::DnsAnswers { .. } => Kind::Dns,
            H::ClientsMoved { .. } => Kind::Routing,
            H::PromotionFailed { .. } | H::Promoted { .. } | H::HomePromoted { .. } => {
                Kind::Promotion
            }
            H::Rejoined { .. }
            | H::BeyondRetention { .. }
            | H::Rebuilt { .. }
            | H::OrphansRebuilt { .. } => Kind::Rejoin,
            H::SemiSyncFallback { .. } | H::SemiSyncRearmed { .. } | H::AntiEntropy { .. } => {
                Kind::Replication
            }
        }
    }

    /// A region was declared unhealthy by its checkers.
    pub fn is_unhealthy_verdict(&self) -> bool {
        matches!(self, Happening::Verdict { healthy: false, .. })
    }

    /// A region took over writes (a primary, or a new home for keys).
    pub fn is_takeover(&self) -> bool {
        matches!(
            self,
            Happening::Promoted { .. } | Happening::HomePromoted { .. }
        )
    }

    /// The control plane acted on a verdict (a decision or a DNS change).
    pub fn acts_on_verdict(&self) -> bool {
        matches!(self.kind(), Kind::Decision | Kind::Dns)
    }

    /// Clients' routes changed (resolvers, caches, anycast).
    pub fn moves_clients(&self) -> bool {
        matches!(self.kind(), Kind::Routing | Kind::Dns)
    }
}

/// An analytic estimate shown beside a measured figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Route 53-style detection, lower bound: (F-1)(I+t)+t.
    DetectionLow,
    /// Detection, upper bound: F(I+t)+t.
    DetectionHigh,
    /// RTO of TTL-honest clients, upper bound.
    DnsRtoHigh,
    /// Anycast: RTO ~ the longest convergence (after a promotion, if one is needed).
    AnycastRto,
    /// A client library: RTO ~ request timeout + first backoff + round trip.
    ClientSideRto,
    /// Async RPO: the one-way lag to `replica`.
    AsyncRpo { replica: String },
}
