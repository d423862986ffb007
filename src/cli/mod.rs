//! Command line: the only place for stdout, files, progress bars and exit codes.
//!
//! `mod.rs` parses the arguments (clap) and dispatches; each subcommand lives in
//! its own file. Exit codes, for every command: 0 all good, 1 a budget was
//! breached, 2 the input was invalid (bad file, bad flag), 3 the simulator
//! broke one of its own invariants (a bug).

mod check;
mod check_json;
mod compare;
mod completions;
mod explore;
mod export;
mod files;
mod io;
mod merge;
mod output;
mod progress;
mod run;
mod schema;
mod shrink;
mod sweep;
mod validate;

use clap::{Parser, Subcommand};
use std::ffi::OsString;

/// Exit code: every run held every budget.
pub const EXIT_OK: i32 = 0;
/// Exit code: a budget was breached.
pub const EXIT_BUDGET: i32 = 1;
/// Exit code: invalid input (bad file, bad flag, unwritable output).
pub const EXIT_INVALID: i32 = 2;
/// Exit code: the simulator broke one of its own invariants (a bug).
pub const EXIT_BUG: i32 = 3;

const MAIN_EXAMPLES: &str = "\
Examples:
  regionsim validate scenarios/
  regionsim run scenarios/ap-async-dns.toml --seed 7 --out reports

Exit codes: 0 all good, 1 a budget was breached, 2 invalid input, 3 internal error (a bug).";

const RUN_EXAMPLE: &str = "\
Example:
  regionsim run scenarios/ap-async-dns.toml --seed 7 --out reports
    simulates the scenario with seed 7, prints a short summary and writes
    reports/ap-async-dns/{report.json,summary.md,report.html,lost_writes.csv} and the
    charts timeline.svg, lag.svg, latency.svg and rto.svg
  regionsim run scenarios/ap-async-dns.toml --json | jq .metrics.rto_us
  regionsim run scenarios/ap-async-dns.toml --trace dns.trace.json
    also writes a Chrome trace (open it at ui.perfetto.dev): one track per region
    and per client region with faults, health decisions, promotions and routing
  regionsim run scenarios/ --trace t.json
    with several scenarios, each trace is t.<scenario name>.json

Exit codes: 0 all good, 1 a budget was breached, 2 invalid input, 3 internal error (a bug).";

const VALIDATE_EXAMPLE: &str = "\
Example:
  regionsim validate scenarios/ extra/my-scenario.json
    checks every .toml and .json file below scenarios/ (sorted) and the named
    file, printing `ok  <file>  (<name>)` or the error for each

Exit codes: 0 every file is valid, 2 some file is invalid or missing.";

const SWEEP_EXAMPLE: &str = "\
Examples:
  regionsim sweep scenarios/sweep-dns-ttl.toml --seeds 1..20 \\
      --set failover.dns.ttl=10s,30s,60s,120s,300s
    runs 5 TTLs x 20 seeds on every core and writes reports/sweep-dns-ttl/
    sweep.json, sweep.md and <metric>-vs-failover.dns.ttl.svg charts
  regionsim sweep scenarios/sweep-replication-mode.toml --seeds 1..10 \\
      --set replication.mode=async,semi-sync,sync
    also writes frontier.svg: lost writes against write latency p99, per mode
  regionsim sweep S.toml --seeds 1..100 --set failover.dns.ttl=30s,60s --shard 2/4
    runs only the runs i with i % 4 == 1 and writes reports/<name>/shard-2-of-4.json;
    `regionsim merge` joins the 4 shard files into what one unsharded sweep writes

Runs are ordered by parameter point (the --set lists in flag order, the last varying
fastest), seeds innermost. Values split at commas outside quotes and brackets.
--shard K/N is 1-based. --shard auto takes K/N from a Kubernetes Indexed Job
(JOB_COMPLETION_INDEX + 1 of JOB_COMPLETIONS, which the manifest must set) or a Slurm
array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT).
Percentiles are nearest-rank over the seeds of each point; an unbounded RTO counts
as +infinity and a percentile that lands on it is null.

Exit codes: 0 all good, 1 some run breached a budget, 2 invalid input, 3 internal error (a bug).";

const CHECK_EXAMPLE: &str = "\
Examples:
  regionsim check scenarios/
    runs every scenario below scenarios/ once (its own seed), holds it to its
    [budgets], prints each budget's actual vs limit and writes the run files
    (report.json, summary.md, report.html, charts) to reports/<name>/
  regionsim check scenarios/ --seeds 1..20 --junit junit.xml --baseline main-reports
    each budget must hold on all 20 seeds (run in parallel); prints the worst seed
    per budget with `regionsim run FILE --seed N` to reproduce it, and p50/p95/p99/max
    over the seeds; writes JUnit XML; flags every metric of the catalogue (rpo, rto,
    lost_writes, availability, write latency, ...) that got worse than in
    main-reports/<name>/report.json (as written by `regionsim run --out
    main-reports`) by more than --tolerance (default 1% and one unit of the
    metric's resolution); a missing baseline is reported and skipped

Exit codes: 0 every budget held and nothing got worse, 1 a budget was breached or a
metric got worse than the baseline, 2 invalid input, 3 internal error (a bug).";

const SCHEMA_EXAMPLE: &str = "\
Examples:
  regionsim schema > regionsim.schema.json
    then start a TOML scenario with `#:schema ./regionsim.schema.json` (Taplo,
    Even Better TOML), or map *.json scenarios to it in VS Code's `json.schemas`

Exit codes: 0.";

const MERGE_EXAMPLE: &str = "\
Example:
  regionsim merge shards/ --out reports
    reads every shard-K-of-N.json in shards/ (or in its subfolders, such as one
    folder per downloaded CI artifact), checks they are slices of one sweep that
    together hold every run once, and writes reports/<name>/sweep.json, sweep.md
    and the charts: the same bytes as the unsharded sweep

Exit codes: 0 all good, 1 some run breached a budget, 2 invalid, foreign, overlapping
or missing shards.";

const EXPLORE_EXAMPLE: &str = "\
Examples:
  regionsim explore scenarios/semi-sync-fallback-trap.toml --runs 200
    searches each fault's start and duration and the seed for the most lost
    writes (the first budget): fault times just before and after every
    control-plane instant of a first run (probes, verdicts, the semi-sync
    timeout, TTL expiries, promotion ends, fault edges), random points, then a
    local search; writes reports/semi-sync-fallback-trap/worst.toml (runnable),
    explore.json (every candidate) and lost_writes-vs-fault<N>-start.svg
  regionsim explore S.toml --budget rto --vary 'faults[0].at=5m..10m' --jobs 4
    only the first fault's start moves, within 5m..10m; the same result for any --jobs

Exit codes: 0 the worst case holds every budget, 1 it breaches one, 2 invalid input,
3 internal error (a bug).";

const SHRINK_EXAMPLE: &str = "\
Examples:
  regionsim shrink reports/semi-sync-fallback-trap/worst.toml
    drops faults, regions (with their links, clients and references) and client
    groups, then shortens the duration and drain, lowers the rate, keys and
    client counts and rounds numbers, keeping each change only while the same
    budget still breaks; writes reports/<name>/shrunk.toml and prints the sizes
  regionsim shrink S.toml --seed 7 --budget rto --out small.toml

Exit codes: 1 shrunk (the smaller scenario written still breaks the budget), 0 the
scenario does not break the budget (nothing to shrink), 2 invalid input, 3 internal
error (a bug).";

const COMPLETIONS_EXAMPLE: &str = "\
Examples:
  regionsim completions bash > /etc/bash_completion.d/regionsim
  regionsim completions zsh > \"${fpath[1]}/_regionsim\"
  regionsim completions fish > ~/.config/fish/completions/regionsim.fish

Exit codes: 0, 2 for an unknown shell.";

/// regionsim: a deterministic multi-region failure simulator. It measures RPO,
/// RTO, lost writes, conflicts and availability from a simulated history.
#[derive(Debug, Parser)]
#[command(name = "regionsim", version, after_help = MAIN_EXAMPLES)]
pub struct Cli {
    /// Print nothing on stdout or stderr but errors (exit codes are unchanged).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate each scenario once and write its reports.
    ///
    /// Uses the scenario's own seed unless --seed is given. Prints a short
    /// summary to stdout (or the report JSON with --json) and writes
    /// report.json, summary.md, report.html, lost_writes.csv and the SVG charts
    /// under OUT/<scenario name>/; --trace adds a Chrome trace-event file.
    /// Wall time and events per second go to stderr.
    #[command(after_help = RUN_EXAMPLE)]
    Run(run::RunArgs),
    /// Parse and check scenario files without running them.
    ///
    /// A directory stands for every .toml and .json file below it, sorted.
    #[command(after_help = VALIDATE_EXAMPLE)]
    Validate(validate::ValidateArgs),
    /// Run one scenario over seeds and parameter grids, in parallel.
    ///
    /// The cross product of --seeds and every --set list, on --jobs threads;
    /// writes sweep.json (one row per run, percentiles per parameter point),
    /// sweep.md and charts under OUT/<scenario name>/, or with --shard only
    /// one slice of the runs, as shard-K-of-N.json.
    #[command(after_help = SWEEP_EXAMPLE)]
    Sweep(sweep::SweepArgs),
    /// Join the shard files of a sweep into what one unsharded sweep writes.
    #[command(after_help = MERGE_EXAMPLE)]
    Merge(merge::MergeArgs),
    /// Run scenarios and hold them to their budgets (for CI).
    ///
    /// A directory stands for every .toml and .json file below it, sorted.
    /// With --seeds every budget must hold on every seed; --junit writes JUnit
    /// XML; --baseline flags metrics that got worse than earlier reports.
    #[command(after_help = CHECK_EXAMPLE)]
    Check(check::CheckArgs),
    /// Search fault timings and seeds for the worst case of one metric.
    ///
    /// Writes OUT/<scenario name>/worst.toml (the scenario with the worst
    /// fault times and seed, runnable), explore.json (every candidate) and a
    /// chart of the metric against each fault's start.
    #[command(after_help = EXPLORE_EXAMPLE)]
    Explore(explore::ExploreArgs),
    /// Find a smaller scenario that still breaks the same budget.
    ///
    /// Writes it (default OUT reports/<scenario name>/shrunk.toml) with a
    /// header listing what was removed, and prints the sizes before and after.
    #[command(after_help = SHRINK_EXAMPLE)]
    Shrink(shrink::ShrinkArgs),
    /// Write the scenario's faults as an AWS FIS experiment or Chaos Mesh manifests.
    ///
    /// OUT/<scenario name>/fis/ (templates, README.md) or .../chaos-mesh/
    /// (workflow.yaml, README.md); the README lists what could not be exported.
    #[command(after_help = export::EXAMPLE)]
    Export(export::ExportArgs),
    /// Put figures measured on a game day beside the simulated ones.
    ///
    /// Over --seeds: where each measured figure falls among the simulated
    /// percentiles; writes OUT/<scenario name>/compare.md.
    #[command(after_help = compare::EXAMPLE)]
    Compare(compare::CompareArgs),
    /// Print the JSON Schema of the scenario format (for editors).
    #[command(after_help = SCHEMA_EXAMPLE)]
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_EXAMPLE)]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff).
    #[command(
        after_help = "Example:\n  regionsim man > regionsim.1 && man -l regionsim.1\n\nExit codes: 0."
    )]
    Man,
}

/// Runs the command line of this process and returns its exit code.
pub fn main() -> i32 {
    main_with(std::env::args_os())
}

/// Runs the given command line (`args[0]` is the program name).
pub fn main_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    io::start(cli.quiet);
    let code = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Sweep(args) => sweep::sweep(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Check(args) => check::check(&args),
        Command::Explore(args) => explore::explore(&args),
        Command::Shrink(args) => shrink::shrink(&args),
        Command::Export(args) => export::export(&args),
        Command::Compare(args) => compare::compare(&args),
        Command::Schema => schema::schema(),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
    };
    io::finish(code)
}

/// Prints a clap outcome; `--help` and `--version` exit 0, any misuse 2.
/// Help and version go to stdout and survive a closed pipe.
fn clap_error(e: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            io::start(false);
            io::out(&e.render().to_string());
            io::finish(EXIT_OK)
        }
        _ => {
            io::error(e.render().to_string().trim_end());
            EXIT_INVALID
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_run_flags() {
        let cli =
            Cli::try_parse_from(["regionsim", "run", "a.toml", "b.toml", "--seed", "7"]).unwrap();
        match cli.command {
            Command::Run(a) => {
                assert_eq!(a.scenarios.len(), 2);
                assert_eq!(a.seed, Some(7));
                assert_eq!(a.out, std::path::PathBuf::from("reports"));
                assert!(!a.json);
            }
            _ => panic!("wrong subcommand"),
        }
    }

    #[test]
    fn bad_flags_exit_2() {
        assert_eq!(main_with(["regionsim", "run", "--nope", "a.toml"]), 2);
        assert_eq!(main_with(["regionsim", "run"]), 2);
        assert_eq!(main_with(["regionsim", "run", "a.toml", "--seed", "x"]), 2);
        assert_eq!(main_with(["regionsim", "frobnicate"]), 2);
    }
}
