//! AWS FIS experiment templates: one per region whose resources the faults act
//! on (an FIS experiment acts in its own Region), each in the shape
//! `aws fis create-experiment-template --cli-input-json` accepts, its timing
//! rebuilt with a chain of `aws:fis:wait` actions.

use super::fis_actions::{cut, latency, outage, template, Planned};
pub use super::fis_template::{iso8601, FIS_ACTION_IDS, FIS_DOCS};
use super::fis_template::{FisExport, MapRow, LATENCY_DOCUMENT};
use super::plan::{plan, region_idents};
use crate::engine::time::fmt_duration;
use crate::scenario::{cut_pairs, Direction, FaultKind, Scenario};

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
                for (a, b) in cut_pairs(side_a, side_b, *direction) {
                    planned.push(cut(s, &ids, step, a, b));
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
