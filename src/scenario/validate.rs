//! DTO → validated [`Scenario`]: defaults, ranges, region references and cross-field rules
//! for the top level, regions, links, workload, replication and conflicts.

use std::fmt::Display;

use super::dto::{
    ClientDto, ConflictsDto, LinkDto, RegionDto, ReplicationDto, ScenarioDto, WorkloadDto,
};
use super::leaf::MAX_SPAN_US;
use super::types::{
    Arrival, ClientPopulation, Conflicts, KeyDist, Link, Region, RegionId, Replication,
    ReplicationMode, Resolution, Scenario, Topology, Workload,
};
use super::{checks, failover, traffic, ScenarioError};

pub(crate) type Res<T> = Result<T, ScenarioError>;

pub(crate) const MAX_REGIONS: usize = 64;
pub(crate) const MAX_KEYS: u64 = 50_000_000;
pub(crate) const MAX_CLIENTS: u64 = 5_000_000;
pub(crate) const MAX_EXPECTED_REQUESTS: f64 = 2_000_000_000.0;
const MAX_NAME_LEN: usize = 200;
const MAX_WRITE_SIZE: u64 = 1 << 30;

pub(crate) const US_PER_MS: u64 = 1_000;
pub(crate) const US_PER_S: u64 = 1_000_000;

/// A validation error at a field path.
pub(crate) fn err(path: impl Display, message: impl Into<String>) -> ScenarioError {
    ScenarioError::field(path.to_string(), message)
}

/// The region names of a scenario, to resolve references.
pub(crate) struct Names {
    names: Vec<String>,
}

impl Names {
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    fn known(&self) -> String {
        let quoted: Vec<String> = self.names.iter().map(|n| format!("\"{n}\"")).collect();
        quoted.join(", ")
    }

    pub(crate) fn resolve(&self, name: &str, path: impl Display) -> Res<RegionId> {
        self.names.iter().position(|n| n == name).ok_or_else(|| {
            err(
                path,
                format!(
                    "unknown region \"{name}\"; known regions: {}",
                    self.known()
                ),
            )
        })
    }

    /// Resolve a list of region names: every name known, no duplicates.
    pub(crate) fn resolve_list(&self, names: &[String], path: &str) -> Res<Vec<RegionId>> {
        let mut out = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let id = self.resolve(name, format!("{path}[{i}]"))?;
            if out.contains(&id) {
                return Err(err(
                    format!("{path}[{i}]"),
                    format!("region \"{name}\" is listed twice; list each region once"),
                ));
            }
            out.push(id);
        }
        Ok(out)
    }

    /// Resolve `between = [a, b]`: two distinct known regions.
    pub(crate) fn pair(&self, between: &[String], path: &str) -> Res<(RegionId, RegionId)> {
        let [a, b] = between else {
            return Err(err(
                path,
                format!(
                    "expected exactly two region names such as [\"us-east-1\", \"eu-west-1\"]; got {} names",
                    between.len()
                ),
            ));
        };
        let ia = self.resolve(a, format!("{path}[0]"))?;
        let ib = self.resolve(b, format!("{path}[1]"))?;
        if ia == ib {
            return Err(err(
                path,
                format!("expected two different regions; got \"{a}\" twice"),
            ));
        }
        Ok((ia, ib))
    }
}

fn check_name(name: &str) -> Res<String> {
    let accepted = "letters, digits, \"-\", \"_\" and \".\" only (it names the report folder)";
    if name.is_empty() {
        return Err(err("name", format!("the name is empty; use {accepted}")));
    }
    if name == "." || name == ".." {
        return Err(err(
            "name",
            format!("\"{name}\" cannot name a folder; use {accepted}"),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(err(
            "name",
            format!("\"{name}\" contains {c:?}; use {accepted}"),
        ));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(err(
            "name",
            format!("the name is longer than {MAX_NAME_LEN} characters"),
        ));
    }
    Ok(name.to_string())
}

pub(crate) fn build(dto: ScenarioDto, source_sha256: String) -> Res<Scenario> {
    let name = check_name(&dto.name)?;
    let duration_us = dto.duration.us;
    if duration_us == 0 {
        return Err(err("duration", "must be greater than 0, such as \"30m\""));
    }
    let drain_us = dto.drain.map_or(60 * US_PER_S, |d| d.us);
    if duration_us + drain_us > MAX_SPAN_US {
        return Err(err(
            "duration",
            "duration + drain must be at most 30 days (\"720h\")",
        ));
    }
    let regions = regions(&dto.regions)?;
    let names = Names {
        names: regions.iter().map(|r| r.name.clone()).collect(),
    };
    let links = links(&dto.links, &names)?;
    let workload = workload(&dto.workload, &names, duration_us)?;
    let replication = replication(&dto.replication, &names)?;
    let conflicts = conflicts(dto.conflicts, replication.topology)?;
    let failover = match dto.failover {
        Some(f) => Some(failover::build(f, &names)?),
        None => None,
    };
    let faults = checks::faults(&dto.faults, &names, &links, duration_us)?;
    let residency = checks::residency(&dto.residency, workload.keys)?;
    let cost = match dto.cost {
        Some(c) => Some(checks::cost(&c)?),
        None => None,
    };
    let budgets = match dto.budgets {
        Some(b) => checks::budgets(b, &replication, &residency)?,
        None => Vec::new(),
    };
    let scenario = Scenario {
        name,
        description: dto.description.unwrap_or_default(),
        seed: dto.seed.map_or(0, |s| s.0),
        duration_us,
        drain_us,
        regions,
        links,
        workload,
        replication,
        conflicts,
        failover,
        faults,
        residency,
        cost,
        budgets,
        source_sha256,
    };
    traffic::check_links(&scenario)?;
    Ok(scenario)
}

fn regions(dtos: &[RegionDto]) -> Res<Vec<Region>> {
    if dtos.is_empty() {
        return Err(err(
            "regions",
            "at least one region is needed: [[regions]] name = \"us-east-1\"",
        ));
    }
    if dtos.len() > MAX_REGIONS {
        return Err(err(
            "regions",
            format!(
                "{} regions given; at most {MAX_REGIONS} are supported",
                dtos.len()
            ),
        ));
    }
    let mut out: Vec<Region> = Vec::with_capacity(dtos.len());
    for (i, r) in dtos.iter().enumerate() {
        let path = format!("regions[{i}].name");
        if r.name.trim().is_empty() || r.name.trim() != r.name || r.name.chars().any(char::is_control)
        {
            return Err(err(
                path,
                format!(
                    "invalid region name {:?}: expected a non-empty name without surrounding spaces, such as \"us-east-1\"",
                    r.name
                ),
            ));
        }
        if let Some(j) = out.iter().position(|o| o.name == r.name) {
            return Err(err(
                path,
                format!(
                    "region \"{}\" is defined twice (also regions[{j}]); region names must be unique",
                    r.name
                ),
            ));
        }
        if let Some(j) = &r.jurisdiction {
            if j.trim().is_empty() {
                return Err(err(
                    format!("regions[{i}].jurisdiction"),
                    "the jurisdiction is empty; use a name such as \"EU\" or leave the key out",
                ));
            }
        }
        out.push(Region {
            name: r.name.clone(),
            commit_latency_us: r.commit_latency.as_ref().map_or(US_PER_MS, |d| d.us),
            clock_offset_us: r.clock_offset.map_or(0, |o| o.0),
            jurisdiction: r.jurisdiction.clone(),
        });
    }
    Ok(out)
}

fn links(dtos: &[LinkDto], names: &Names) -> Res<Vec<Link>> {
    let mut out: Vec<Link> = Vec::with_capacity(dtos.len());
    for (i, l) in dtos.iter().enumerate() {
        let path = format!("links[{i}].between");
        let (a, b) = names.pair(&l.between, &path)?;
        if let Some(j) = out
            .iter()
            .position(|o| (o.a == a && o.b == b) || (o.a == b && o.b == a))
        {
            return Err(err(
                path,
                format!(
                    "a link between \"{}\" and \"{}\" is already defined at links[{j}]; links are symmetric, define each pair once",
                    l.between[0], l.between[1]
                ),
            ));
        }
        if let Some(bw) = l.bandwidth {
            if bw.0 == 0 {
                return Err(err(
                    format!("links[{i}].bandwidth"),
                    "bandwidth must be greater than 0, such as \"1Gbps\" (leave it out for unlimited)",
                ));
            }
        }
        out.push(Link {
            a,
            b,
            latency: l.latency.0.clone(),
            bandwidth_bps: l.bandwidth.map(|b| b.0),
        });
    }
    Ok(out)
}

fn clients(dtos: &[ClientDto], names: &Names) -> Res<Vec<ClientPopulation>> {
    if dtos.is_empty() {
        return Err(err(
            "workload.clients",
            "at least one client population is needed: [[workload.clients]] region = \"...\", share = 1.0",
        ));
    }
    let mut out = Vec::with_capacity(dtos.len());
    let mut total_count: u64 = 0;
    let mut total_share = 0.0;
    for (i, c) in dtos.iter().enumerate() {
        let region = names.resolve(&c.region, format!("workload.clients[{i}].region"))?;
        let share = c.share.0;
        if !(share > 0.0 && share <= 1.0) {
            return Err(err(
                format!("workload.clients[{i}].share"),
                format!("share must be greater than 0 and at most 1; got {share}"),
            ));
        }
        let count = c.count.map_or(1, |n| n.0);
        if count == 0 {
            return Err(err(
                format!("workload.clients[{i}].count"),
                "count must be at least 1",
            ));
        }
        total_count = total_count.saturating_add(count);
        if total_count > MAX_CLIENTS {
            return Err(err(
                format!("workload.clients[{i}].count"),
                format!("the total client count exceeds {MAX_CLIENTS}"),
            ));
        }
        total_share += share;
        out.push(ClientPopulation {
            region,
            share,
            // total_count <= MAX_CLIENTS < u32::MAX, so this cannot truncate.
            count: count as u32,
        });
    }
    if (total_share - 1.0).abs() > 1e-6 {
        return Err(err(
            "workload.clients",
            format!("the shares must sum to 1; they sum to {total_share}"),
        ));
    }
    Ok(out)
}

fn workload(w: &WorkloadDto, names: &Names, duration_us: u64) -> Res<Workload> {
    let writes = w.writes_per_sec.0;
    if writes <= 0.0 {
        return Err(err(
            "workload.writes_per_sec",
            format!("must be greater than 0, such as 1000; got {writes}"),
        ));
    }
    let reads = w.reads_per_sec.map_or(0.0, |r| r.0);
    if reads < 0.0 {
        return Err(err(
            "workload.reads_per_sec",
            format!("must be 0 or more; got {reads}"),
        ));
    }
    let seconds = duration_us as f64 / US_PER_S as f64;
    let expected = (writes + reads) * seconds;
    if expected > MAX_EXPECTED_REQUESTS {
        return Err(err(
            "workload.writes_per_sec",
            format!(
                "(writes_per_sec + reads_per_sec) × duration = {expected:.0} expected requests; at most {MAX_EXPECTED_REQUESTS:.0} are supported (lower the rate or the duration)"
            ),
        ));
    }
    let keys = w.keys.map_or(100_000, |k| k.0);
    if keys == 0 || keys > MAX_KEYS {
        return Err(err(
            "workload.keys",
            format!("keys must be between 1 and {MAX_KEYS}; got {keys}"),
        ));
    }
    let write_size_bytes = w.write_size.map_or(1024, |s| s.0);
    if write_size_bytes > MAX_WRITE_SIZE {
        return Err(err(
            "workload.write_size",
            "write_size must be at most \"1GiB\"",
        ));
    }
    let request_timeout_us = w.request_timeout.as_ref().map_or(2 * US_PER_S, |d| d.us);
    if request_timeout_us == 0 {
        return Err(err(
            "workload.request_timeout",
            "request_timeout must be greater than 0, such as \"2s\"",
        ));
    }
    Ok(Workload {
        writes_per_sec: writes,
        reads_per_sec: reads,
        arrival: w.arrival.map_or(Arrival::Poisson, |a| a.0),
        // keys <= MAX_KEYS < u32::MAX.
        keys: keys as u32,
        key_distribution: w.key_distribution.map_or(KeyDist::Uniform, |k| k.0),
        write_size_bytes,
        request_timeout_us,
        client_access_latency_us: w
            .client_access_latency
            .as_ref()
            .map_or(2 * US_PER_MS, |d| d.us),
        clients: clients(&w.clients, names)?,
    })
}

fn replication(r: &ReplicationDto, names: &Names) -> Res<Replication> {
    let topology = r.topology.map_or(Topology::SinglePrimary, |t| t.0);
    let mode = r.mode.map_or(ReplicationMode::Async, |m| m.0);
    let (primary, replicas) = if topology == Topology::SinglePrimary {
        let Some(p) = &r.primary else {
            return Err(err(
                "replication.primary",
                "topology \"single-primary\" needs a primary region: primary = \"<region name>\"",
            ));
        };
        let primary = names.resolve(p, "replication.primary")?;
        let replicas = match &r.replicas {
            Some(list) => {
                let ids = names.resolve_list(list, "replication.replicas")?;
                if let Some(i) = ids.iter().position(|&id| id == primary) {
                    return Err(err(
                        format!("replication.replicas[{i}]"),
                        format!("\"{p}\" is the primary; replicas lists the other regions that receive its writes"),
                    ));
                }
                ids
            }
            None => (0..names.len()).filter(|&i| i != primary).collect(),
        };
        (Some(primary), replicas)
    } else {
        let t = super::leaf::TopologyKw::keyword(topology);
        if r.primary.is_some() {
            return Err(err(
                "replication.primary",
                format!("primary applies only to topology \"single-primary\"; with \"{t}\" every region takes writes"),
            ));
        }
        if r.replicas.is_some() {
            return Err(err(
                "replication.replicas",
                format!("replicas applies only to topology \"single-primary\"; with \"{t}\" every region replicates to every other"),
            ));
        }
        (None, (0..names.len()).collect())
    };
    // Receipts come from the replicas other than the writing region.
    let peers = match topology {
        Topology::SinglePrimary => replicas.len(),
        _ => replicas.len().saturating_sub(1),
    };
    let acks = match r.acks {
        Some(a) => {
            if a.0 == 0 || a.0 > peers as u64 {
                return Err(err(
                    "replication.acks",
                    format!(
                        "acks must be between 1 and the number of replicas that can acknowledge ({peers}); got {}",
                        a.0
                    ),
                ));
            }
            a.0 as u32
        }
        None if mode == ReplicationMode::Sync => {
            if peers == 0 {
                return Err(err(
                    "replication.mode",
                    "mode \"sync\" needs at least one replica to acknowledge writes",
                ));
            }
            peers as u32
        }
        None => {
            if mode == ReplicationMode::SemiSync && peers == 0 {
                return Err(err(
                    "replication.mode",
                    "mode \"semi-sync\" needs at least one replica to acknowledge writes",
                ));
            }
            1
        }
    };
    let semi_sync_timeout_us = r.semi_sync_timeout.as_ref().map_or(10 * US_PER_S, |d| d.us);
    if semi_sync_timeout_us == 0 {
        return Err(err(
            "replication.semi_sync_timeout",
            "semi_sync_timeout must be greater than 0, such as \"10s\"",
        ));
    }
    Ok(Replication {
        topology,
        primary,
        replicas,
        mode,
        acks,
        semi_sync_timeout_us,
    })
}

fn conflicts(c: Option<ConflictsDto>, topology: Topology) -> Res<Option<Conflicts>> {
    match (c, topology) {
        (Some(c), Topology::MultiPrimary) => Ok(Some(Conflicts {
            resolution: c.resolution.map_or(Resolution::Lww, |r| r.0),
        })),
        (None, Topology::MultiPrimary) => Ok(Some(Conflicts {
            resolution: Resolution::Lww,
        })),
        (Some(_), t) => Err(err(
            "conflicts",
            format!(
                "[conflicts] applies only to topology \"multi-primary\" (this scenario uses \"{}\", where concurrent writes to one key cannot occur); remove the section",
                super::leaf::TopologyKw::keyword(t)
            ),
        )),
        (None, _) => Ok(None),
    }
}
