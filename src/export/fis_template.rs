//! The shape of an AWS FIS experiment template (what `aws fis
//! create-experiment-template --cli-input-json` accepts), the action ids the
//! export uses and its documentation sources: a leaf the template builder, the
//! action builders and the README all read.

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
