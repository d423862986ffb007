//! The README beside the FIS templates: how to run them, what to fill in, how
//! each fault maps, and what could not be exported (never silently dropped).

use super::fis_template::{FisExport, FIS_DOCS, LATENCY_DOCUMENT, TARGET_TAG};
use super::md_text;
use crate::engine::time::fmt_duration;
use crate::scenario::Scenario;
use std::fmt::Write;

/// README.md for `export --to fis`.
pub fn readme(s: &Scenario, e: &FisExport) -> String {
    let mut o = String::new();
    let name = md_text(&s.name);
    let _ = writeln!(o, "# {name}: AWS FIS game day\n");
    let _ = writeln!(
        o,
        "Exported by `regionsim export --to fis` from scenario {} (file sha256 {}). \
         An FIS experiment acts in its own Region, so there is one template per Region whose \
         resources a fault acts on; each template reproduces the scenario's timing from the \
         moment it starts, with a chain of `aws:fis:wait` actions (the waits before an action \
         add up to the fault's start). Start every template at the same moment.\n",
        super::md_code(&s.name),
        &s.source_sha256.chars().take(12).collect::<String>()
    );
    run_section(&mut o, e);
    let _ = writeln!(o, "## How each fault maps\n");
    if e.rows.is_empty() {
        let _ = writeln!(o, "The scenario has no faults.\n");
    } else {
        let _ = writeln!(
            o,
            "| # | fault | at | for | FIS actions |\n|---|---|---|---|---|"
        );
        for (i, r) in e.rows.iter().enumerate() {
            let held = if r.held {
                " (never ends: held to the end of the run)"
            } else {
                ""
            };
            let actions = if r.actions.is_empty() {
                "not exportable (below)".to_string()
            } else {
                r.actions.join("<br>")
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {}{held} | {actions} |",
                i + 1,
                md_text(&r.fault),
                fmt_duration(r.at_us),
                fmt_duration(r.duration_us)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "- **region-outage** → `aws:network:disrupt-connectivity` with `scope` `all` on the \
         region's subnets (`<region>-subnets`): every packet in and out is denied, as when the \
         region goes dark. Not used, and why: `aws:rds:failover-db-cluster` fails a cluster over \
         inside its Region (to another AZ) and `aws:arc:start-zonal-autoshift` shifts traffic \
         away from one Availability Zone; neither takes a Region down, and forcing a failover would \
         replace the detection and promotion the game day is meant to measure. Add them by hand \
         when the database itself should crash rather than be cut off.\n\
         - **partition** → `aws:network:route-table-disrupt-cross-region-connectivity` on the \
         subnets of each region of one side, with `region` the other side's region (both ways \
         for `direction = \"both\"`, one action per pair of regions).\n\
         - **latency** → `aws:ssm:send-command` running the `{LATENCY_DOCUMENT}` document on \
         both regions' instances (`<region>-instances`), `DelayMilliseconds` = the added one-way \
         latency.\n\
         - **clock-skew** → not exportable: FIS has no clock action.\n"
    );
    let _ = writeln!(o, "## Not exportable\n");
    if e.not_exportable.is_empty() {
        let _ = writeln!(
            o,
            "Nothing: every fault of the scenario is in a template.\n"
        );
    } else {
        for n in &e.not_exportable {
            let _ = writeln!(o, "- {}", crate::scenario::escape_controls(n));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Reproduced only approximately\n");
    if e.approximations.is_empty() {
        let _ = writeln!(o, "Nothing.\n");
    } else {
        for n in &e.approximations {
            let _ = writeln!(o, "- {}", crate::scenario::escape_controls(n));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Sources\n");
    for (title, url) in FIS_DOCS {
        let _ = writeln!(o, "- [{title}]({url})");
    }
    o
}

fn run_section(o: &mut String, e: &FisExport) {
    let _ = writeln!(o, "## Run it\n");
    if e.templates.is_empty() {
        let _ = writeln!(
            o,
            "No template: none of the scenario's faults has an FIS action (see below).\n"
        );
        return;
    }
    let _ = writeln!(
        o,
        "1. Fill in the placeholders: `ACCOUNT_ID` in `roleArn` and in the stop condition's alarm \
         ARN; create the CloudWatch alarm `regionsim-<region>-stop` that should abort the game \
         day (error rate, say), or point the stop condition at an existing alarm.\n\
         2. Tag the resources each target selects with `{TARGET_TAG}` = the target's name: \
         `<region>-subnets` on the region's subnets, `<region>-instances` on its instances \
         (which must run the SSM agent). Targets: {}.\n\
         3. The IAM role needs the permissions of each action, as the actions reference lists them, such as: \
         `ec2:CreateNetworkAcl`, `ec2:CreateNetworkAclEntry`, `ec2:ReplaceNetworkAclAssociation`, \
         `ec2:DeleteNetworkAcl` and `ec2:Describe*` for disrupt-connectivity; the route-table \
         permissions (`ec2:CreateRouteTable`, `ec2:AssociateRouteTable`, \
         `ec2:DisassociateRouteTable`, `ec2:ReplaceRouteTableAssociation`, `ec2:CreateRoute`, \
         `ec2:CreateManagedPrefixList`, ...) for the cross-region action; `ssm:SendCommand`, \
         `ssm:ListCommands`, `ssm:CancelCommand` for the latency; and a trust policy for \
         `fis.amazonaws.com`.\n\
         4. Create each template in its Region and start them together:\n",
        e.templates
            .iter()
            .flat_map(|(_, _, t)| t.targets.keys().map(|k| format!("`{}`", md_text(k))))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(o, "```sh");
    for (file, region, _) in &e.templates {
        // Single-quoted for the shell: a quote in the name closes, escapes, reopens.
        let region = crate::scenario::escape_controls(region).replace('\'', "'\\''");
        let _ = writeln!(
            o,
            "id=$(aws fis create-experiment-template --region '{region}' \\\n    \
             --cli-input-json file://{file} --query experimentTemplate.id --output text)\n\
             aws fis start-experiment --region '{region}' --experiment-template-id \"$id\""
        );
    }
    let _ = writeln!(o, "```\n");
    let _ = writeln!(
        o,
        "Afterwards write what you measured as JSON (`{{\"rto\": \"94s\", \"rpo\": \"2s\", \
         \"lost_writes\": 120, \"detection\": \"30s\"}}`) and run \
         `regionsim compare SCENARIO measured.json --seeds 1..20` to see it beside the \
         simulated figures.\n"
    );
}
