//! DTO → validated [`Scenario`]: the top level, regions and links, and the order in which
//! the other sections are validated; shared helpers (errors at a field path, region names).

use std::fmt::Display;

use super::dto::{LinkDto, RegionDto, ScenarioDto};
use super::leaf::MAX_SPAN_US;
use super::replication::{conflicts, replication};
use super::types::{Link, Region, RegionId, Scenario};
use super::workload::workload;
use super::{checks, failover, traffic, ScenarioError};

pub(crate) type Res<T> = Result<T, ScenarioError>;

pub(crate) const MAX_REGIONS: usize = 64;
const MAX_NAME_LEN: usize = 200;

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
                format!("unknown region \"{name}\"; known regions: {}", self.known()),
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
    let residency = checks::residency(&dto.residency, workload.keys, &regions)?;
    let cost = match dto.cost {
        Some(c) => Some(checks::cost(&c)?),
        None => None,
    };
    let budgets = match dto.budgets {
        Some(b) => checks::budgets(b, &replication, &residency, workload.reads_per_sec > 0.0)?,
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
        if r.name.trim().is_empty()
            || r.name.trim() != r.name
            || r.name.chars().any(char::is_control)
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
            if j.chars().any(char::is_control) {
                return Err(err(
                    format!("regions[{i}].jurisdiction"),
                    "the jurisdiction contains a control character (it is shown in reports); use a name such as \"EU\"",
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
