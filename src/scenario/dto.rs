//! Serde DTOs: the scenario file as written (TOML or JSON), field names exactly as in the spec.
//!
//! Every struct denies unknown fields, so a typo is an error that lists the accepted keys.
//! Defaults and cross-field rules are applied later, in `validate.rs`.

use serde::Deserialize;

pub use super::budgets_dto::BudgetsDto;
use super::dist::{KeyDistLeaf, Latency};
use super::leaf::{
    ArrivalKw, Bandwidth, Count, DirectionKw, Dur, FaultKindKw, JitterKw, ModeKw, Num, OnRejoinKw,
    PromotionKw, ResolutionKw, RoutingKw, SignedDur, Size, TopologyKw,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioDto {
    pub name: String,
    pub description: Option<String>,
    pub seed: Option<Count>,
    pub duration: Dur,
    pub drain: Option<Dur>,
    pub regions: Vec<RegionDto>,
    #[serde(default)]
    pub links: Vec<LinkDto>,
    pub workload: WorkloadDto,
    pub replication: ReplicationDto,
    pub conflicts: Option<ConflictsDto>,
    pub failover: Option<FailoverDto>,
    #[serde(default)]
    pub faults: Vec<FaultDto>,
    #[serde(default)]
    pub residency: Vec<ResidencyDto>,
    pub cost: Option<CostDto>,
    pub budgets: Option<BudgetsDto>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionDto {
    pub name: String,
    pub commit_latency: Option<Dur>,
    pub clock_offset: Option<SignedDur>,
    pub jurisdiction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    pub between: Vec<String>,
    pub latency: Latency,
    pub bandwidth: Option<Bandwidth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadDto {
    pub writes_per_sec: Num,
    pub reads_per_sec: Option<Num>,
    pub arrival: Option<ArrivalKw>,
    pub keys: Option<Count>,
    pub key_distribution: Option<KeyDistLeaf>,
    pub write_size: Option<Size>,
    pub request_timeout: Option<Dur>,
    pub slow_request: Option<Dur>,
    pub client_access_latency: Option<Dur>,
    pub clients: Vec<ClientDto>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientDto {
    pub region: String,
    pub share: Num,
    pub count: Option<Count>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicationDto {
    pub topology: Option<TopologyKw>,
    pub primary: Option<String>,
    pub replicas: Option<Vec<String>>,
    pub mode: Option<ModeKw>,
    pub acks: Option<Count>,
    pub semi_sync_timeout: Option<Dur>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictsDto {
    pub resolution: Option<ResolutionKw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailoverDto {
    pub routing: Option<RoutingKw>,
    pub promotion: Option<PromotionKw>,
    pub promotion_delay: Option<Dur>,
    pub fencing: Option<bool>,
    pub on_rejoin: Option<OnRejoinKw>,
    pub health_check: Option<HealthCheckDto>,
    pub dns: Option<DnsDto>,
    pub anycast: Option<AnycastDto>,
    pub client: Option<ClientFailoverDto>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheckDto {
    pub interval: Option<Dur>,
    pub failure_threshold: Option<Count>,
    pub timeout: Option<Dur>,
    pub checkers: Option<Vec<String>>,
    pub unhealthy_share: Option<Num>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsDto {
    pub ttl: Option<Dur>,
    pub propagation: Option<Dur>,
    pub stale_fraction: Option<Num>,
    pub stale_extra: Option<Dur>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnycastDto {
    pub convergence: Option<Latency>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFailoverDto {
    pub endpoints: Option<Vec<String>>,
    pub max_attempts: Option<Count>,
    pub backoff: Option<BackoffDto>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackoffDto {
    pub base: Option<Dur>,
    pub cap: Option<Dur>,
    pub jitter: Option<JitterKw>,
}

/// One `[[faults]]` entry; which fields apply depends on `kind` (checked in validation).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultDto {
    pub kind: FaultKindKw,
    pub at: Dur,
    pub duration: Option<Dur>,
    pub region: Option<String>,
    pub between: Option<Vec<String>>,
    pub sides: Option<Vec<Vec<String>>>,
    pub direction: Option<DirectionKw>,
    pub add: Option<Dur>,
    pub offset: Option<SignedDur>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidencyDto {
    pub keys: String,
    pub jurisdiction: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostDto {
    pub transfer_per_gb: Num,
}
