//! The scenario's links as standing Chaos Mesh delays (`links.yaml`): when the
//! regions of a game day are namespaces or pod groups of one cluster, nothing
//! separates them by the scenario's round trips; one `NetworkChaos` delay per
//! link, with its latency and jitter taken from the link's distribution, puts
//! them that far apart for as long as it exists.

use super::chaos_mesh::{k8s_name, selector, target, workflow_name};
use super::yaml::Yaml;
use crate::engine::time::fmt_duration;
use crate::scenario::{LatencyDist, Link, Scenario};

/// Netem's (latency, jitter) for a one-way latency distribution, in µs, and
/// how close that is. Netem adds `latency ± jitter`; it has no log-normal.
pub fn netem_delay(d: &LatencyDist) -> (u64, u64, &'static str) {
    match *d {
        LatencyDist::Constant { us } => (us, 0, "exact"),
        LatencyDist::Normal { mean_us, stddev_us } => {
            (mean_us, stddev_us, "mean ± one standard deviation")
        }
        LatencyDist::LogNormal { median_us, p99_us } => (
            median_us,
            p99_us.saturating_sub(median_us),
            "median ± (p99 − median): netem's spread is symmetric, the log-normal's is not",
        ),
        LatencyDist::Uniform { min_us, max_us } => (
            min_us / 2 + max_us / 2,
            max_us.saturating_sub(min_us) / 2,
            "exact range",
        ),
    }
}

/// One link's standing delay, both directions (each one-way leg delayed).
fn link_delay(s: &Scenario, l: &Link) -> Yaml {
    let (latency_us, jitter_us, _) = netem_delay(&l.latency);
    let name = |r: usize| s.regions.get(r).map_or("", |r| r.name.as_str());
    let object: String = format!(
        "{}-link-{}-{}",
        workflow_name(s),
        k8s_name(name(l.a)),
        k8s_name(name(l.b))
    )
    .chars()
    .take(63)
    .collect();
    Yaml::map([
        ("apiVersion", Yaml::s("chaos-mesh.org/v1alpha1")),
        ("kind", Yaml::s("NetworkChaos")),
        (
            "metadata",
            Yaml::map([
                ("name", Yaml::s(object.trim_end_matches('-').to_string())),
                (
                    "annotations",
                    Yaml::map([
                        ("regionsim/scenario", Yaml::s(s.name.clone())),
                        (
                            "regionsim/link",
                            Yaml::s(format!("{} <-> {}", name(l.a), name(l.b))),
                        ),
                    ]),
                ),
            ]),
        ),
        (
            "spec",
            Yaml::map([
                ("action", Yaml::s("delay")),
                ("mode", Yaml::s("all")),
                ("selector", selector(s, &[l.a])),
                ("direction", Yaml::s("both")),
                ("target", target(s, &[l.b])),
                (
                    "delay",
                    Yaml::map([
                        ("latency", Yaml::s(fmt_duration(latency_us))),
                        ("jitter", Yaml::s(fmt_duration(jitter_us))),
                        ("correlation", Yaml::s("0")),
                    ]),
                ),
            ]),
        ),
    ])
}

/// Every link's standing delay, in the scenario's link order.
pub fn links_yaml(s: &Scenario) -> Vec<Yaml> {
    s.links.iter().map(|l| link_delay(s, l)).collect()
}

/// The README's section on links.yaml: what it is for and each link's mapping.
pub fn links_section(s: &Scenario) -> String {
    let mut o = String::from(
        "\n## The links (links.yaml)\n\n\
         If the regions share one cluster, nothing between their pods is as slow as the \
         scenario's links. `links.yaml` holds one standing `NetworkChaos` delay per link \
         (both directions, so each one-way leg gets the link's latency); apply it before the \
         workflow and delete it after (`kubectl apply -f links.yaml`, `kubectl delete -f \
         links.yaml`). Skip it when the regions are real regions. Chaos Mesh's delay is netem's \
         latency ± jitter:\n\n| link | scenario | latency | jitter | how close |\n|---|---|---|---|---|\n",
    );
    let name = |r: usize| s.regions.get(r).map_or("", |r| r.name.as_str());
    for l in &s.links {
        let (lat, jit, how) = netem_delay(&l.latency);
        o.push_str(&format!(
            "| {} – {} | {} | {} | {} | {how} |\n",
            super::md_text(name(l.a)),
            super::md_text(name(l.b)),
            describe(&l.latency),
            fmt_duration(lat),
            fmt_duration(jit)
        ));
    }
    o.push('\n');
    o
}

fn describe(d: &LatencyDist) -> String {
    match *d {
        LatencyDist::Constant { us } => fmt_duration(us),
        LatencyDist::Normal { mean_us, stddev_us } => format!(
            "normal, mean {}, stddev {}",
            fmt_duration(mean_us),
            fmt_duration(stddev_us)
        ),
        LatencyDist::LogNormal { median_us, p99_us } => format!(
            "lognormal, median {}, p99 {}",
            fmt_duration(median_us),
            fmt_duration(p99_us)
        ),
        LatencyDist::Uniform { min_us, max_us } => format!(
            "uniform {} to {}",
            fmt_duration(min_us),
            fmt_duration(max_us)
        ),
    }
}
