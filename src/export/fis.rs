//! AWS FIS experiment templates: one per region whose resources the faults act
//! on (an FIS experiment acts in its own Region), each in the shape
//! `aws fis create-experiment-template --cli-input-json` accepts, its timing
//! rebuilt with a chain of `aws:fis:wait` actions.

use super::fis_actions::{cut, latency, outage, template, Planned};
use super::plan::{plan, region_idents};
use crate::engine::time::fmt_duration;
use crate::scenario::{Direction, FaultKind, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;

/// The FIS documentation the mapping follows (cited in the README).
pub const FIS_DOCS: &[(&str, &str)] = &[
    (
        "FIS actions reference",
        "https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html",
    ),
    (
        "Actions for AWS FIS (syntax, startAfter, durations)",
        "https://docs.aws.amazon.com/fis/latest/userguide/action-sequence.html",
    ),
    (
        "Experiment templates (targets, stop conditions, role)",
        "https://docs.aws.amazon.com/fis/latest/userguide/experiment-templates.html",
    ),
    (
        "Cross-Region: Connectivity scenario",
        "https://docs.aws.amazon.com/fis/latest/userguide/cross-region-scenario.html",
    ),
    (
        "create-experiment-template (AWS CLI)",
        "https://docs.aws.amazon.com/cli/latest/reference/fis/create-experiment-template.html",
    ),
];

/// Every action id an exported template may use.
pub const FIS_ACTION_IDS: &[&str] = &[WAIT, DISRUPT_SUBNETS, DISRUPT_CROSS_REGION, SEND_COMMAND];

pub(super) const WAIT: &str = "aws:fis:wait";
pub(super) const DISRUPT_SUBNETS: &str = "aws:network:disrupt-connectivity";
pub(super) const DISRUPT_CROSS_REGION: &str =
    "aws:network:route-table-disrupt-cross-region-connectivity";
pub(super) const SEND_COMMAND: &str = "aws:ssm:send-command";
/// The SSM document that adds latency on an instance's interface (tc netem).
pub const LATENCY_DOCUMENT: &str = "AWSFIS-Run-Network-Latency";
/// The tag key the targets select resources by; the user tags their resources.
pub const TARGET_TAG: &str = "regionsim-target";

/// `create-experiment-template`'s input (the fields regionsim fills).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub description: String,
    pub targets: BTreeMap<String, Target>,
    pub actions: BTreeMap<String, Action>,
    pub stop_conditions: Vec<StopCondition>,
    pub role_arn: String,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub resource_type: String,
    pub resource_tags: BTreeMap<String, String>,
    pub selection_mode: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub action_id: String,
    pub description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub targets: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub start_after: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StopCondition {
    pub source: String,
    pub value: String,
}

/// A row of the README's mapping table.
pub struct MapRow {
    pub fault: String,
    pub at_us: u64,
    pub duration_us: u64,
    pub held: bool,
    /// `template file: action name (action id)`, one per action.
    pub actions: Vec<String>,
}

/// Everything the FIS export says: the templates and the README's facts.
pub struct FisExport {
    /// (file name, region name, template), in region order.
    pub templates: Vec<(String, String, Template)>,
    pub rows: Vec<MapRow>,
    pub not_exportable: Vec<String>,
    pub approximations: Vec<String>,
}

/// The files of `regionsim export --to fis`: one template per region, README.md.
pub fn fis_files(s: &Scenario) -> Vec<(String, String)> {
    let e = fis_export(s);
    let mut files: Vec<(String, String)> = e
        .templates
        .iter()
        .map(|(file, _, t)| {
            // Plain structs of strings and ordered maps always serialise.
            let json = serde_json::to_string_pretty(t).unwrap_or_default();
            (file.clone(), json + "\n")
        })
        .collect();
    files.push(("README.md".to_string(), super::fis_readme::readme(s, &e)));
    files
}

/// The templates and what the README must say about them.
pub fn fis_export(s: &Scenario) -> FisExport {
    let ids = region_idents(s);
    let (steps, late) = plan(s);
    let mut planned: Vec<Planned> = Vec::new();
    let mut rows = Vec::new();
    let mut not_exportable = late;
    let mut approximations = Vec::new();
    for step in &steps {
        let before = planned.len();
        match step.kind {
            FaultKind::RegionOutage { region } => planned.push(outage(s, &ids, step, *region)),
            FaultKind::Partition {
                side_a,
                side_b,
                direction,
            } => {
                for &a in side_a {
                    for &b in side_b {
                        planned.push(cut(s, &ids, step, a, b));
                        if *direction == Direction::Both {
                            planned.push(cut(s, &ids, step, b, a));
                        }
                    }
                }
                if *direction == Direction::Forward {
                    approximations.push(format!(
                        "fault {} ({}): only the first side's routes to the second are removed; \
                         a TCP connection opened from the second side then fails too, since its replies cannot return",
                        step.number, step.label
                    ));
                }
            }
            FaultKind::Latency { a, b, add_us } => {
                for (x, y) in [(*a, *b), (*b, *a)] {
                    planned.push(latency(s, &ids, step, x, y, *add_us));
                }
                approximations.push(format!(
                    "fault {} ({}): {LATENCY_DOCUMENT} delays every packet leaving the targeted instances' \
                     interface, not only those to the other region; use AWSFIS-Run-Network-Latency-Sources \
                     with the other region's CIDR blocks to confine it",
                    step.number, step.label
                ));
                if add_us % 1000 != 0 || step.duration_us % 1_000_000 != 0 {
                    approximations.push(format!(
                        "fault {}: the SSM document takes whole milliseconds and whole seconds; \
                         {} for {} is rounded to the nearest",
                        step.number,
                        fmt_duration(*add_us),
                        fmt_duration(step.duration_us)
                    ));
                }
            }
            FaultKind::ClockSkew { .. } => not_exportable.push(format!(
                "fault {} ({}) at {}: FIS has no action that shifts a host's clock; \
                 skew the clock by hand (chrony/date on the region's hosts) or use the Chaos Mesh export (TimeChaos)",
                step.number,
                step.label,
                fmt_duration(step.start_us)
            )),
        }
        if step.held && planned.len() > before {
            approximations.push(format!(
                "fault {} ({}): the scenario never ends it; FIS actions need a duration, so it is held \
                 until the end of the run ({})",
                step.number,
                step.label,
                fmt_duration(step.start_us + step.duration_us)
            ));
        }
        for p in &planned[before..] {
            if !(60_000_000..=43_200_000_000).contains(&step.duration_us)
                || (p.start_us > 0 && p.start_us < 60_000_000)
            {
                approximations.push(format!(
                    "{}: the FIS reference gives durations from one minute to 12 hours; \
                     {} at {} is outside that and FIS may refuse it",
                    p.name,
                    fmt_duration(step.duration_us),
                    fmt_duration(p.start_us)
                ));
            }
        }
        let actions = planned[before..]
            .iter()
            .map(|p| {
                format!(
                    "{}: `{}` ({})",
                    file_name(&ids[p.region]),
                    p.name,
                    p.action.action_id
                )
            })
            .collect();
        rows.push(MapRow {
            fault: step.label.clone(),
            at_us: step.start_us,
            duration_us: step.duration_us,
            held: step.held,
            actions,
        });
    }
    for r in &s.regions {
        if !looks_like_aws_region(&r.name) {
            approximations.push(format!(
                "region {:?} is not an AWS Region code: replace it in the templates' `region` \
                 parameters, ARNs and file names with the Region it stands for",
                crate::scenario::escape_controls(&r.name)
            ));
        }
    }
    approximations.dedup();
    let templates = (0..s.regions.len())
        .filter_map(|r| {
            let mine: Vec<&Planned> = planned.iter().filter(|p| p.region == r).collect();
            (!mine.is_empty()).then(|| {
                let t = template(s, &ids[r], &s.regions[r].name, &mine);
                (file_name(&ids[r]), s.regions[r].name.clone(), t)
            })
        })
        .collect();
    FisExport {
        templates,
        rows,
        not_exportable,
        approximations,
    }
}

/// `experiment-template-us-east-1.json`.
pub fn file_name(region_ident: &str) -> String {
    format!("experiment-template-{region_ident}.json")
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`.
fn looks_like_aws_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let lower = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1].iter().all(|p| lower(p))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// ISO 8601 duration, as FIS takes it: `PT10M`, `PT1M30S`, `PT1.5S`, `PT1H`.
pub fn iso8601(us: u64) -> String {
    let secs = us / 1_000_000;
    let frac_us = us % 1_000_000;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = "PT".to_string();
    if h > 0 {
        out += &format!("{h}H");
    }
    if m > 0 {
        out += &format!("{m}M");
    }
    if frac_us > 0 {
        let f = format!("{frac_us:06}");
        out += &format!("{s}.{}S", f.trim_end_matches('0'));
    } else if s > 0 || out == "PT" {
        out += &format!("{s}S");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(iso8601(600_000_000), "PT10M");
        assert_eq!(iso8601(90_000_000), "PT1M30S");
        assert_eq!(iso8601(1_500_000), "PT1.5S");
        assert_eq!(iso8601(3_600_000_000), "PT1H");
        assert_eq!(iso8601(0), "PT0S");
    }

    #[test]
    fn aws_region_codes() {
        assert!(looks_like_aws_region("us-east-1"));
        assert!(looks_like_aws_region("us-gov-west-1"));
        assert!(!looks_like_aws_region("primary"));
        assert!(!looks_like_aws_region("US-east-1"));
    }
}
