//! `regionsim export`: write a scenario's faults as an AWS FIS experiment or
//! Chaos Mesh manifests under `<out>/<name>/<target>/` (translation in `crate::export`).

use super::files::write_folder;
use super::io::{error, outln, shown};
use super::output::report_dir;
use super::{EXIT_INVALID, EXIT_OK};
use crate::export::{export_files, ExportTarget};
use crate::scenario::load_path;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// `--to`: where the experiment runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// AWS Fault Injection Service experiment templates (JSON).
    Fis,
    /// Chaos Mesh manifests for Kubernetes (YAML).
    ChaosMesh,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The scenario file (.toml or .json).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The chaos tool to export to.
    #[arg(long, value_enum, value_name = "TARGET")]
    pub to: To,
    /// Folder for the export: the files go to OUT/<scenario name>/<fis|chaos-mesh>/.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
}

/// Writes the export; 2 when the scenario is invalid or the folder cannot be written.
pub fn export(args: &ExportArgs) -> i32 {
    let scenario = match load_path(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            error(&e.to_string());
            return EXIT_INVALID;
        }
    };
    let to = match args.to {
        To::Fis => ExportTarget::Fis,
        To::ChaosMesh => ExportTarget::ChaosMesh,
    };
    let files = export_files(&scenario, to);
    let parent = report_dir(&args.out, &scenario.name);
    if std::fs::symlink_metadata(&parent).is_ok_and(|m| m.file_type().is_symlink()) {
        error(&format!(
            "{}: is a symbolic link; regionsim writes only inside --out and does not follow links there (remove it)",
            shown(&parent)
        ));
        return EXIT_INVALID;
    }
    let dir = parent.join(to.keyword());
    if let Err(msg) = write_folder(&dir, &files) {
        error(&msg);
        return EXIT_INVALID;
    }
    for (name, _) in &files {
        outln(&shown(&dir.join(name)));
    }
    outln(&format!(
        "what could not be exported, and how each fault maps: {}",
        shown(&dir.join("README.md"))
    ));
    EXIT_OK
}

/// `export --help`'s example.
pub const EXAMPLE: &str = "\
Examples:
  regionsim export scenarios/ap-async-dns.toml --to fis
    writes reports/ap-async-dns/fis/experiment-template-us-east-1.json (one AWS FIS
    template per region whose resources a fault acts on: one action per fault, its
    start rebuilt with a chain of aws:fis:wait actions, targets tagged
    regionsim-target=<region>-subnets, a CloudWatch alarm stop condition) and
    README.md (how to run it, the IAM role it needs, what could not be exported)
    then: aws fis create-experiment-template --cli-input-json file://experiment-template-us-east-1.json
  regionsim export scenarios/ap-async-partition.toml --to chaos-mesh --out game-day
    writes game-day/ap-async-partition/chaos-mesh/workflow.yaml (a Chaos Mesh Workflow:
    NetworkChaos partition/delay, PodChaos pod-failure, TimeChaos, each after a Suspend
    step of its start, deadline = its duration; pods selected by the label
    region: <region>) and README.md; then: kubectl apply -f workflow.yaml

Exit codes: 0 written, 2 invalid scenario or unwritable output, 3 internal error (a bug).";
