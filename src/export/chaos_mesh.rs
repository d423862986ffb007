//! Chaos Mesh manifests: one `Workflow` (chaos-mesh.org/v1alpha1) whose entry
//! runs every fault in parallel, each as a `Suspend` step (its start) then its
//! chaos (`NetworkChaos` partition or delay, `PodChaos` pod-failure,
//! `TimeChaos`) with the fault's duration as `deadline`.

use super::plan::{plan, Step};
use super::yaml::Yaml;
use crate::engine::time::fmt_duration;
use crate::scenario::{Direction, FaultKind, RegionId, Scenario};

/// The Chaos Mesh documentation the mapping follows (cited in the README).
pub const CHAOS_MESH_DOCS: &[(&str, &str)] = &[
    (
        "Create a Chaos Mesh Workflow (Serial, Parallel, Suspend, deadline)",
        "https://chaos-mesh.org/docs/create-chaos-mesh-workflow/",
    ),
    (
        "Simulate network faults (NetworkChaos: partition, delay, direction, target)",
        "https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/",
    ),
    (
        "Simulate pod faults (PodChaos: pod-failure)",
        "https://chaos-mesh.org/docs/simulate-pod-chaos-on-kubernetes/",
    ),
    (
        "Simulate time faults (TimeChaos: timeOffset)",
        "https://chaos-mesh.org/docs/simulate-time-chaos-on-kubernetes/",
    ),
    (
        "Define the scope of chaos experiments (selectors)",
        "https://chaos-mesh.org/docs/define-chaos-experiment-scope/",
    ),
];

/// The label key the selectors match; the user labels each region's pods.
pub const REGION_LABEL: &str = "region";

/// One fault's chaos step in the workflow.
pub struct ChaosStep {
    pub number: usize,
    pub label: String,
    pub start_us: u64,
    pub duration_us: u64,
    pub held: bool,
    /// `NetworkChaos`, `PodChaos` or `TimeChaos`.
    pub kind: &'static str,
    /// The template's field holding the spec (`networkChaos`, ...) and the spec.
    pub spec: (&'static str, Yaml),
}

/// What `regionsim export --to chaos-mesh` writes, before it is rendered: the
/// workflow, its chaos steps, and what could not be exported or only roughly.
pub struct ChaosMeshExport {
    pub workflow: Yaml,
    pub chaos: Vec<ChaosStep>,
    pub not_exportable: Vec<String>,
    pub approximations: Vec<String>,
}

/// The scenario's faults as one Chaos Mesh workflow.
pub fn chaos_mesh_export(s: &Scenario) -> ChaosMeshExport {
    let (steps, mut not_exportable) = plan(s);
    let chaos: Vec<ChaosStep> = steps.iter().map(|st| chaos_step(s, st)).collect();
    let mut approximations = Vec::new();
    for c in &chaos {
        if c.held {
            approximations.push(format!(
                "fault {} ({}): the scenario never ends it; a workflow step needs a deadline, so it \
                 is held until the end of the run ({})",
                c.number,
                c.label,
                fmt_duration(c.start_us + c.duration_us)
            ));
        }
    }
    for r in &s.regions {
        if r.clock_offset_us != 0 {
            approximations.push(format!(
                "region {:?} starts with clock_offset {}us; only the clock-skew faults are \
                 exported (add a TimeChaos from the start to reproduce the initial offset)",
                crate::scenario::escape_controls(&r.name),
                r.clock_offset_us
            ));
        }
    }
    if s.faults.is_empty() {
        not_exportable.push("the scenario has no faults: the workflow has no chaos step".into());
    }
    ChaosMeshExport {
        workflow: workflow(s, &chaos),
        chaos,
        not_exportable,
        approximations,
    }
}

/// A Kubernetes object name (RFC 1123 label): lowercase letters, digits, `-`,
/// starting and ending with a letter or digit, at most 63 characters.
pub fn k8s_name(text: &str) -> String {
    let s = super::ident(text);
    let s: String = s.chars().take(63).collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "scenario".to_string()
    } else {
        s
    }
}

pub(super) fn selector(s: &Scenario, regions: &[RegionId]) -> Yaml {
    let names: Vec<String> = regions
        .iter()
        .map(|&r| {
            s.regions
                .get(r)
                .map_or_else(String::new, |r| r.name.clone())
        })
        .collect();
    if names.len() == 1 {
        Yaml::map([(
            "labelSelectors",
            Yaml::map([(REGION_LABEL, Yaml::s(names[0].clone()))]),
        )])
    } else {
        Yaml::map([(
            "expressionSelectors",
            Yaml::Seq(vec![Yaml::map([
                ("key", Yaml::s(REGION_LABEL)),
                ("operator", Yaml::s("In")),
                (
                    "values",
                    Yaml::Seq(names.into_iter().map(Yaml::s).collect()),
                ),
            ])]),
        )])
    }
}

fn chaos_step(s: &Scenario, st: &Step) -> ChaosStep {
    let (kind, spec) = match st.kind {
        FaultKind::RegionOutage { region } => (
            "PodChaos",
            (
                "podChaos",
                Yaml::map([
                    ("action", Yaml::s("pod-failure")),
                    ("mode", Yaml::s("all")),
                    ("selector", selector(s, &[*region])),
                ]),
            ),
        ),
        FaultKind::Partition {
            side_a,
            side_b,
            direction,
        } => {
            let dir = match direction {
                Direction::Both => "both",
                Direction::Forward => "to",
            };
            (
                "NetworkChaos",
                (
                    "networkChaos",
                    Yaml::map([
                        ("action", Yaml::s("partition")),
                        ("mode", Yaml::s("all")),
                        ("selector", selector(s, side_a)),
                        ("direction", Yaml::s(dir)),
                        ("target", target(s, side_b)),
                    ]),
                ),
            )
        }
        FaultKind::Latency { a, b, add_us } => (
            "NetworkChaos",
            (
                "networkChaos",
                Yaml::map([
                    ("action", Yaml::s("delay")),
                    ("mode", Yaml::s("all")),
                    ("selector", selector(s, &[*a])),
                    ("direction", Yaml::s("both")),
                    ("target", target(s, &[*b])),
                    (
                        "delay",
                        Yaml::map([
                            ("latency", Yaml::s(fmt_duration(*add_us))),
                            // The scenario's added latency is a constant.
                            ("jitter", Yaml::s("0ms")),
                            ("correlation", Yaml::s("0")),
                        ]),
                    ),
                ]),
            ),
        ),
        FaultKind::ClockSkew { region, offset_us } => {
            let sign = if *offset_us < 0 { "-" } else { "" };
            let offset = format!("{sign}{}", fmt_duration(offset_us.unsigned_abs()));
            (
                "TimeChaos",
                (
                    "timeChaos",
                    Yaml::map([
                        ("mode", Yaml::s("all")),
                        ("selector", selector(s, &[*region])),
                        ("timeOffset", Yaml::s(offset)),
                    ]),
                ),
            )
        }
    };
    ChaosStep {
        number: st.number,
        label: st.label.clone(),
        start_us: st.start_us,
        duration_us: st.duration_us,
        held: st.held,
        kind,
        spec,
    }
}

pub(super) fn target(s: &Scenario, regions: &[RegionId]) -> Yaml {
    Yaml::map([("mode", Yaml::s("all")), ("selector", selector(s, regions))])
}

/// The template names of fault `n`: its branch, its wait, its chaos.
pub fn step_names(n: usize) -> (String, String, String) {
    (
        format!("fault-{n}"),
        format!("fault-{n}-wait"),
        format!("fault-{n}-chaos"),
    )
}

/// `regionsim-<scenario>`, a valid object name.
pub fn workflow_name(s: &Scenario) -> String {
    let name: String = format!("regionsim-{}", k8s_name(&s.name))
        .chars()
        .take(63)
        .collect();
    name.trim_end_matches('-').to_string()
}

fn workflow(s: &Scenario, chaos: &[ChaosStep]) -> Yaml {
    let mut templates = vec![Yaml::map([
        ("name", Yaml::s("game-day")),
        ("templateType", Yaml::s("Parallel")),
        (
            "children",
            Yaml::Seq(
                chaos
                    .iter()
                    .map(|c| Yaml::s(step_names(c.number).0))
                    .collect(),
            ),
        ),
    ])];
    for c in chaos {
        let (branch, wait, step) = step_names(c.number);
        let mut children = Vec::new();
        if c.start_us > 0 {
            children.push(Yaml::s(wait.clone()));
        }
        children.push(Yaml::s(step.clone()));
        templates.push(Yaml::map([
            ("name", Yaml::s(branch)),
            ("templateType", Yaml::s("Serial")),
            ("children", Yaml::Seq(children)),
        ]));
        if c.start_us > 0 {
            templates.push(Yaml::map([
                ("name", Yaml::s(wait)),
                ("templateType", Yaml::s("Suspend")),
                ("deadline", Yaml::s(fmt_duration(c.start_us))),
            ]));
        }
        templates.push(Yaml::map([
            ("name", Yaml::s(step)),
            ("templateType", Yaml::s(c.kind)),
            ("deadline", Yaml::s(fmt_duration(c.duration_us))),
            (c.spec.0, c.spec.1.clone()),
        ]));
    }
    Yaml::map([
        ("apiVersion", Yaml::s("chaos-mesh.org/v1alpha1")),
        ("kind", Yaml::s("Workflow")),
        (
            "metadata",
            Yaml::map([
                ("name", Yaml::s(workflow_name(s))),
                (
                    "annotations",
                    Yaml::map([
                        ("regionsim/scenario", Yaml::s(s.name.clone())),
                        (
                            "regionsim/scenario-sha256",
                            Yaml::s(s.source_sha256.clone()),
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "spec",
            Yaml::map([
                ("entry", Yaml::s("game-day")),
                ("templates", Yaml::Seq(templates)),
            ]),
        ),
    ])
}
