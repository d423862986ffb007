//! The README beside the Chaos Mesh workflow: how to run it, what to label,
//! how each fault maps, and what could not be exported.

use super::chaos_mesh::{step_names, workflow_name, ChaosStep, CHAOS_MESH_DOCS, REGION_LABEL};
use super::md_text;
use crate::engine::time::fmt_duration;
use crate::scenario::Scenario;
use std::fmt::Write;

/// README.md for `export --to chaos-mesh`.
pub fn readme(
    s: &Scenario,
    chaos: &[ChaosStep],
    not_exportable: &[String],
    approximations: &[String],
) -> String {
    let mut o = String::new();
    let name = md_text(&s.name);
    let _ = writeln!(o, "# {name}: Chaos Mesh game day\n");
    let _ = writeln!(
        o,
        "Exported by `regionsim export --to chaos-mesh` from scenario {} (file sha256 {}). \
         `workflow.yaml` is one Chaos Mesh `Workflow` (`chaos-mesh.org/v1alpha1`) named \
         `{}`: its entry runs one branch per fault in parallel; each branch is a `Suspend` \
         step whose `deadline` is the fault's start, then the fault's chaos whose `deadline` is \
         its duration, so every fault starts and ends when it does in the scenario.\n",
        super::md_code(&s.name),
        s.source_sha256.chars().take(12).collect::<String>(),
        workflow_name(s)
    );
    let _ = writeln!(o, "## Run it\n");
    let _ = writeln!(
        o,
        "1. Install Chaos Mesh (2.x) in the cluster, for example \
         `helm install chaos-mesh chaos-mesh/chaos-mesh -n chaos-mesh --create-namespace`, \
         with RBAC that lets you create Workflows in the application's namespace.\n\
         2. Label each region's pods with `{REGION_LABEL}: <region name>` (the selectors are \
         these label placeholders), for example \
         `kubectl label pods -l app=db {REGION_LABEL}=us-east-1`. The selectors match pods in \
         the Workflow's namespace; add `namespaces: [...]` to them to reach others.\n\
         3. Start the game day and watch it:\n\n\
         ```sh\n\
         kubectl apply -n <namespace> -f workflow.yaml\n\
         kubectl get workflownode -n <namespace> --selector=chaos-mesh.org/workflow={}\n\
         ```\n\n\
         Deleting the Workflow ends every chaos it started. Afterwards write what you measured \
         as JSON (`{{\"rto\": \"94s\", \"rpo\": \"2s\", \"lost_writes\": 120, \
         \"detection\": \"30s\"}}`) and run `regionsim compare SCENARIO measured.json --seeds 1..20`.\n",
        workflow_name(s)
    );
    let _ = writeln!(o, "## How each fault maps\n");
    if chaos.is_empty() {
        let _ = writeln!(o, "No fault is exported.\n");
    } else {
        let _ = writeln!(
            o,
            "| # | fault | at | for | Chaos Mesh |\n|---|---|---|---|---|"
        );
        for c in chaos {
            let held = if c.held {
                " (never ends: held to the end of the run)"
            } else {
                ""
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {}{held} | `{}` ({}) |",
                c.number,
                md_text(&c.label),
                fmt_duration(c.start_us),
                fmt_duration(c.duration_us),
                step_names(c.number).2,
                c.kind
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "- **region-outage** → `PodChaos` `action: pod-failure`, `mode: all` on the region's \
         pods: they stop serving for the fault's duration, as when the region goes dark.\n\
         - **partition** → `NetworkChaos` `action: partition` from the first side's pods \
         (`selector`) to the second's (`target`); `direction: both`, or `to` for \
         `direction = \"forward\"` (first side to second only). A side of several regions \
         selects with `region In [...]`.\n\
         - **latency** → `NetworkChaos` `action: delay` between the two regions' pods, \
         `direction: both` (the scenario adds the latency one way, in each direction), \
         `latency` = `add`, `jitter` 0 (the added latency is a constant).\n\
         - **clock-skew** → `TimeChaos` `timeOffset` = the scenario's `offset` (the real clocks \
         are taken to be in step, so the offset from true time is the one to inject), from the \
         fault's start to the end of the run.\n"
    );
    let _ = writeln!(o, "## Not exportable\n");
    if not_exportable.is_empty() {
        let _ = writeln!(
            o,
            "Nothing: every fault of the scenario is in the workflow.\n"
        );
    } else {
        for n in not_exportable {
            let _ = writeln!(o, "- {}", crate::scenario::escape_controls(n));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Reproduced only approximately\n");
    let general = [
        "Chaos Mesh acts inside one Kubernetes cluster: regions are groups of pods labelled \
         `region`. With one cluster per region, a partition or delay between clusters is out of \
         its reach; apply each region's chaos in its own cluster and cut cross-cluster traffic \
         with the cloud's tools (the FIS export).",
        "pod-failure stops the region's pods, not its network: clients elsewhere see connections \
         refused rather than time-outs, which can shorten detection compared with a region \
         that goes dark.",
    ];
    for n in general
        .iter()
        .map(|s| s.to_string())
        .chain(approximations.iter().cloned())
    {
        let _ = writeln!(o, "- {}", crate::scenario::escape_controls(&n));
    }
    o.push('\n');
    let _ = writeln!(o, "## Sources\n");
    for (title, url) in CHAOS_MESH_DOCS {
        let _ = writeln!(o, "- [{title}]({url})");
    }
    o
}
