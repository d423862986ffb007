//! Validation of `[[faults]]`, `[[residency]]`, `[cost]` and `[budgets]`.

use super::budgets_dto::LimitDto;
use super::dto::{BudgetsDto, CostDto, FaultDto, ResidencyDto};
use super::leaf::{Dur, FaultKindKw, FaultKindName};
use super::types::{
    Budget, BudgetLimit, Cost, Direction, Fault, FaultKind, Link, Region, Replication,
    ResidencyRule, Topology,
};
use super::units::parse_key_range;
use super::validate::{err, Names, Res};
use crate::engine::time::fmt_duration;
use crate::metrics::catalogue::{Metric, Needs};

/// The fields each fault kind takes (besides `kind`).
fn fault_fields(kind: FaultKindName) -> &'static [&'static str] {
    match kind {
        FaultKindName::RegionOutage => &["region", "at", "duration"],
        FaultKindName::Partition => &["between", "sides", "direction", "at", "duration"],
        FaultKindName::Latency => &["between", "add", "at", "duration"],
        FaultKindName::ClockSkew => &["region", "offset", "at"],
    }
}

fn fault(f: &FaultDto, i: usize, names: &Names, links: &[Link], duration_us: u64) -> Res<Fault> {
    let kind = f.kind.0;
    let kind_text = FaultKindKw::keyword(kind);
    let takes = fault_fields(kind);
    let present = [
        ("region", f.region.is_some()),
        ("between", f.between.is_some()),
        ("sides", f.sides.is_some()),
        ("direction", f.direction.is_some()),
        ("add", f.add.is_some()),
        ("offset", f.offset.is_some()),
        ("duration", f.duration.is_some()),
    ];
    for (field, is_present) in present {
        if is_present && !takes.contains(&field) {
            let extra = if kind == FaultKindName::ClockSkew && field == "duration" {
                " (a clock skew lasts until the end of the run or the next clock-skew fault of that region)"
            } else {
                ""
            };
            return Err(err(
                format!("faults[{i}].{field}"),
                format!(
                    "`{field}` does not apply to kind \"{kind_text}\"{extra}; it takes: {}",
                    takes.join(", ")
                ),
            ));
        }
    }
    let need = |field: &str| {
        err(
            format!("faults[{i}]"),
            format!(
                "kind \"{kind_text}\" needs `{field}`; it takes: {}",
                takes.join(", ")
            ),
        )
    };
    let at_us = f.at.us;
    if at_us >= duration_us {
        return Err(err(
            format!("faults[{i}].at"),
            format!(
                "at ({}) must be before the end of the scenario's duration ({})",
                f.at.text,
                fmt_duration(duration_us)
            ),
        ));
    }
    if let Some(Dur { us: 0, .. }) = f.duration {
        return Err(err(
            format!("faults[{i}].duration"),
            "duration must be greater than 0 (leave it out for a fault that never recovers)",
        ));
    }
    let fault_kind = match kind {
        FaultKindName::RegionOutage | FaultKindName::ClockSkew => {
            let name = f.region.as_deref().ok_or_else(|| need("region"))?;
            let region = names.resolve(name, format!("faults[{i}].region"))?;
            if kind == FaultKindName::RegionOutage {
                FaultKind::RegionOutage { region }
            } else {
                let offset = f.offset.ok_or_else(|| need("offset"))?;
                FaultKind::ClockSkew {
                    region,
                    offset_us: offset.0,
                }
            }
        }
        FaultKindName::Partition => partition(f, i, names)?,
        FaultKindName::Latency => {
            let between = f.between.as_deref().ok_or_else(|| need("between"))?;
            let path = format!("faults[{i}].between");
            let (a, b) = names.pair(between, &path)?;
            let add = f.add.as_ref().ok_or_else(|| need("add"))?;
            let linked = links
                .iter()
                .any(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a));
            if !linked {
                return Err(err(
                    path,
                    format!(
                        "no link connects \"{}\" and \"{}\"; a latency fault applies to a link defined in [[links]]",
                        between[0], between[1]
                    ),
                ));
            }
            FaultKind::Latency {
                a,
                b,
                add_us: add.us,
            }
        }
    };
    Ok(Fault {
        kind: fault_kind,
        at_us,
        duration_us: f.duration.as_ref().map(|d| d.us),
    })
}

fn partition(f: &FaultDto, i: usize, names: &Names) -> Res<FaultKind> {
    let direction = f.direction.map_or(Direction::Both, |d| d.0);
    let (side_a, side_b) = match (&f.between, &f.sides) {
        (Some(between), None) => {
            let (a, b) = names.pair(between, &format!("faults[{i}].between"))?;
            (vec![a], vec![b])
        }
        (None, Some(sides)) => {
            let path = format!("faults[{i}].sides");
            let [a, b] = sides.as_slice() else {
                return Err(err(
                    path,
                    format!(
                        "expected two sides such as [[\"us-east-1\"], [\"eu-west-1\", \"ap-northeast-1\"]]; got {}",
                        sides.len()
                    ),
                ));
            };
            let mut resolved = Vec::with_capacity(2);
            for (s, side) in [a, b].into_iter().enumerate() {
                if side.is_empty() {
                    return Err(err(
                        format!("{path}[{s}]"),
                        "each side must list at least one region",
                    ));
                }
                resolved.push(names.resolve_list(side, &format!("{path}[{s}]"))?);
            }
            let side_b = resolved.pop().unwrap_or_default();
            let side_a = resolved.pop().unwrap_or_default();
            if let Some(k) = side_b.iter().position(|r| side_a.contains(r)) {
                return Err(err(
                    format!("{path}[1][{k}]"),
                    format!(
                        "region \"{}\" is on both sides; the sides must not overlap",
                        b.get(k).map_or("?", String::as_str)
                    ),
                ));
            }
            (side_a, side_b)
        }
        (Some(_), Some(_)) => {
            return Err(err(
                format!("faults[{i}]"),
                "a partition takes either `between` (two regions) or `sides` (two lists of regions), not both",
            ))
        }
        (None, None) => {
            return Err(err(
                format!("faults[{i}]"),
                "kind \"partition\" needs `between = [\"a\", \"b\"]` or `sides = [[...], [...]]`",
            ))
        }
    };
    Ok(FaultKind::Partition {
        side_a,
        side_b,
        direction,
    })
}

pub(crate) fn faults(
    dtos: &[FaultDto],
    names: &Names,
    links: &[Link],
    duration_us: u64,
) -> Res<Vec<Fault>> {
    dtos.iter()
        .enumerate()
        .map(|(i, f)| fault(f, i, names, links, duration_us))
        .collect()
}

pub(crate) fn residency(
    dtos: &[ResidencyDto],
    keys: u32,
    regions: &[Region],
) -> Res<Vec<ResidencyRule>> {
    let mut out: Vec<ResidencyRule> = Vec::with_capacity(dtos.len());
    for (i, r) in dtos.iter().enumerate() {
        let path = format!("residency[{i}].keys");
        let (lo, hi) = parse_key_range(&r.keys).map_err(|m| err(&path, m))?;
        if lo >= hi {
            return Err(err(
                path,
                format!(
                    "the range \"{}\" is empty: LO must be less than HI (HI is exclusive)",
                    r.keys
                ),
            ));
        }
        if hi > keys {
            return Err(err(
                path,
                format!(
                    "the range \"{}\" goes past the key space: workload.keys = {keys}, so HI must be at most {keys}",
                    r.keys
                ),
            ));
        }
        if r.jurisdiction.trim().is_empty() || r.jurisdiction.chars().any(char::is_control) {
            return Err(err(
                format!("residency[{i}].jurisdiction"),
                "the jurisdiction is empty or contains a control character; use a name such as \"EU\"",
            ));
        }
        if !regions
            .iter()
            .any(|g| g.jurisdiction.as_deref() == Some(r.jurisdiction.as_str()))
        {
            let mut known: Vec<String> = regions
                .iter()
                .filter_map(|g| g.jurisdiction.as_ref().map(|j| format!("\"{j}\"")))
                .collect();
            known.dedup();
            let known = if known.is_empty() {
                "no region has a jurisdiction; set jurisdiction = \"...\" in [[regions]]"
                    .to_string()
            } else {
                format!("the regions' jurisdictions are {}", known.join(", "))
            };
            return Err(err(
                format!("residency[{i}].jurisdiction"),
                format!(
                    "no region is in jurisdiction \"{}\", so its data could live nowhere; {known}",
                    r.jurisdiction
                ),
            ));
        }
        if let Some(j) = out.iter().position(|o| lo < o.keys_hi && o.keys_lo < hi) {
            return Err(err(
                path,
                format!(
                    "the range \"{}\" overlaps residency[{j}] ({}..{}); a key may be pinned to one jurisdiction only",
                    r.keys, out[j].keys_lo, out[j].keys_hi
                ),
            ));
        }
        out.push(ResidencyRule {
            keys_lo: lo,
            keys_hi: hi,
            jurisdiction: r.jurisdiction.clone(),
        });
    }
    Ok(out)
}

pub(crate) fn cost(c: &CostDto) -> Res<Cost> {
    let v = c.transfer_per_gb.0;
    if v < 0.0 {
        return Err(err(
            "cost.transfer_per_gb",
            format!("transfer_per_gb must be 0 or more, such as 0.02; got {v}"),
        ));
    }
    Ok(Cost { transfer_per_gb: v })
}

pub(crate) fn budgets(
    b: BudgetsDto,
    replication: &Replication,
    residency: &[ResidencyRule],
    reads: bool,
) -> Res<Vec<Budget>> {
    let mut out = Vec::new();
    // In catalogue order, whatever the order in the file.
    for metric in crate::metrics::catalogue::budgetable() {
        let Some((_, limit)) = b.0.iter().find(|(m, _)| *m == metric) else {
            continue;
        };
        let key = metric.name;
        let (limit, limit_text) = match limit {
            LimitDto::Dur(d) => (BudgetLimit::DurationUs(d.us), d.text.clone()),
            LimitDto::Count(c) => (BudgetLimit::Count(c.0), c.0.to_string()),
            LimitDto::Share(a) if !(0.0..=1.0).contains(&a.0) => {
                let bound = if metric.is_floor() {
                    "a floor"
                } else {
                    "a ceiling"
                };
                return Err(err(
                    format!("budgets.{key}"),
                    format!(
                        "{key} is {bound} between 0 and 1, such as 0.999; got {}",
                        a.0
                    ),
                ));
            }
            LimitDto::Share(a) => (BudgetLimit::Ratio(a.0), a.0.to_string()),
        };
        if let Some(why) = cannot_produce(metric, replication, residency, reads) {
            return Err(err(
                format!("budgets.{key}"),
                format!("this scenario cannot produce `{key}`: {why}"),
            ));
        }
        out.push(Budget {
            metric,
            limit,
            limit_text,
        });
    }
    Ok(out)
}

/// Why the scenario cannot produce `metric` (and what to do), if it cannot.
pub(crate) fn cannot_produce(
    metric: &Metric,
    replication: &Replication,
    residency: &[ResidencyRule],
    reads: bool,
) -> Option<&'static str> {
    match metric.needs {
        Needs::MultiPrimary if replication.topology != Topology::MultiPrimary => Some(
            "it needs topology \"multi-primary\" (concurrent writes cannot occur otherwise); remove the budget",
        ),
        Needs::Residency if residency.is_empty() => {
            Some("it has no [[residency]] rule; remove the budget or add a rule")
        }
        Needs::Reads if !reads => Some(
            "it has no reads (workload.reads_per_sec = 0); set reads_per_sec or remove the budget",
        ),
        _ => None,
    }
}
