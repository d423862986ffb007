//! The FIS actions of each fault kind, and one region's template: its
//! actions placed after a chain of `aws:fis:wait` actions.

use super::fis_template::{
    iso8601, Action, StopCondition, Target, Template, DISRUPT_CROSS_REGION, DISRUPT_SUBNETS,
    LATENCY_DOCUMENT, SEND_COMMAND, TARGET_TAG, WAIT,
};
use super::plan::Step;
use crate::engine::time::fmt_duration;
use crate::scenario::Scenario;
use std::collections::BTreeMap;

/// One fault's FIS actions, before they are placed in a template.
pub(super) struct Planned {
    /// Index of the region whose template holds it.
    pub region: usize,
    pub start_us: u64,
    pub name: String,
    pub action: Action,
}

/// An action name FIS accepts: no spaces, at most 64 characters.
fn action_name(text: String) -> String {
    text.chars().take(64).collect()
}

fn with_duration(step: &Step) -> BTreeMap<String, String> {
    BTreeMap::from([("duration".to_string(), iso8601(step.duration_us))])
}

pub(super) fn outage(s: &Scenario, ids: &[String], step: &Step, region: usize) -> Planned {
    let mut parameters = with_duration(step);
    parameters.insert("scope".to_string(), "all".to_string());
    Planned {
        region,
        start_us: step.start_us,
        name: action_name(format!("f{}-outage-{}", step.number, ids[region])),
        action: Action {
            action_id: DISRUPT_SUBNETS.to_string(),
            description: format!(
                "fault {}: {} (all traffic in and out of the region's subnets denied)",
                step.number,
                name_of(s, region)
            ),
            parameters,
            targets: BTreeMap::from([("Subnets".to_string(), format!("{}-subnets", ids[region]))]),
            start_after: Vec::new(),
        },
    }
}

/// Routes from `from`'s subnets to `to` removed (one direction of a partition).
pub(super) fn cut(s: &Scenario, ids: &[String], step: &Step, from: usize, to: usize) -> Planned {
    let mut parameters = with_duration(step);
    parameters.insert("region".to_string(), name_of(s, to));
    Planned {
        region: from,
        start_us: step.start_us,
        name: action_name(format!("f{}-partition-to-{}", step.number, ids[to])),
        action: Action {
            action_id: DISRUPT_CROSS_REGION.to_string(),
            description: format!(
                "fault {}: traffic from {} to {} dropped",
                step.number,
                name_of(s, from),
                name_of(s, to)
            ),
            parameters,
            targets: BTreeMap::from([("Subnets".to_string(), format!("{}-subnets", ids[from]))]),
            start_after: Vec::new(),
        },
    }
}

/// `add` of latency on `from`'s instances' egress (one direction of the link).
pub(super) fn latency(
    s: &Scenario,
    ids: &[String],
    step: &Step,
    from: usize,
    to: usize,
    add_us: u64,
) -> Planned {
    let delay_ms = (add_us + 500) / 1000;
    let secs = (step.duration_us + 500_000) / 1_000_000;
    let doc_params = serde_json::json!({
        "DelayMilliseconds": delay_ms.to_string(),
        "Interface": "eth0",
        "DurationSeconds": secs.to_string(),
        "InstallDependencies": "True",
    });
    let mut parameters = with_duration(step);
    parameters.insert(
        "documentArn".to_string(),
        format!(
            "arn:aws:ssm:{}::document/{LATENCY_DOCUMENT}",
            name_of(s, from)
        ),
    );
    parameters.insert("documentParameters".to_string(), doc_params.to_string());
    Planned {
        region: from,
        start_us: step.start_us,
        name: action_name(format!("f{}-latency-to-{}", step.number, ids[to])),
        action: Action {
            action_id: SEND_COMMAND.to_string(),
            description: format!(
                "fault {}: +{} on packets leaving {} (towards {})",
                step.number,
                fmt_duration(add_us),
                name_of(s, from),
                name_of(s, to)
            ),
            parameters,
            targets: BTreeMap::from([(
                "Instances".to_string(),
                format!("{}-instances", ids[from]),
            )]),
            start_after: Vec::new(),
        },
    }
}

fn name_of(s: &Scenario, r: usize) -> String {
    s.regions
        .get(r)
        .map_or_else(String::new, |r| r.name.clone())
}

/// One region's template: its fault actions, each after the wait that ends at
/// its start; the waits chained so that the waits before an action add up to
/// its start.
pub(super) fn template(s: &Scenario, id: &str, region: &str, mine: &[&Planned]) -> Template {
    let mut starts: Vec<u64> = mine.iter().map(|p| p.start_us).filter(|&t| t > 0).collect();
    starts.sort_unstable();
    starts.dedup();
    let wait_name = |t: u64| format!("wait-until-{}", fmt_duration(t));
    let mut actions = BTreeMap::new();
    let mut previous: Option<u64> = None;
    for &t in &starts {
        let waited = previous.unwrap_or(0);
        actions.insert(
            wait_name(t),
            Action {
                action_id: WAIT.to_string(),
                description: format!("{} after the start of the experiment", fmt_duration(t)),
                parameters: BTreeMap::from([("duration".to_string(), iso8601(t - waited))]),
                targets: BTreeMap::new(),
                start_after: previous.map(wait_name).into_iter().collect(),
            },
        );
        previous = Some(t);
    }
    let mut targets = BTreeMap::new();
    for p in mine {
        let mut action = p.action.clone();
        if p.start_us > 0 {
            action.start_after = vec![wait_name(p.start_us)];
        }
        for (kind, target) in &action.targets {
            let resource_type = if kind == "Instances" {
                "aws:ec2:instance"
            } else {
                "aws:ec2:subnet"
            };
            targets.insert(
                target.clone(),
                Target {
                    resource_type: resource_type.to_string(),
                    resource_tags: BTreeMap::from([(TARGET_TAG.to_string(), target.clone())]),
                    selection_mode: "ALL".to_string(),
                },
            );
        }
        actions.insert(p.name.clone(), action);
    }
    let description: String = format!(
        "regionsim scenario {} in {region}: {}",
        s.name, s.description
    )
    .chars()
    .take(512)
    .collect();
    Template {
        description,
        targets,
        actions,
        stop_conditions: vec![StopCondition {
            source: "aws:cloudwatch:alarm".to_string(),
            value: format!("arn:aws:cloudwatch:{region}:ACCOUNT_ID:alarm:regionsim-{id}-stop"),
        }],
        role_arn: "arn:aws:iam::ACCOUNT_ID:role/regionsim-fis-experiment".to_string(),
        tags: BTreeMap::from([
            ("regionsim-scenario".to_string(), s.name.clone()),
            ("regionsim-region".to_string(), region.to_string()),
        ]),
    }
}
