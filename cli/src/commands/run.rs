//! `conform run`: replays the cases against a target and reports where it departs from the
//! goldens. Exit 0 conformant (accepted divergences allowed), 1 not, 2 a usage, setup or
//! endpoint error, or a case the harness could not judge (an unreadable golden), 130 interrupted.

use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use conform_harness::case::{Partition, Selection};
use conform_harness::report::console::{self, Console, Painter};
use conform_harness::report::{self, ReportSpec};
use conform_harness::runner::{self, Mode, Paths, RunOptions};
use conform_harness::target::TargetOptions;

use crate::EXIT_ERROR;

/// Which target, and which cases.
#[derive(Args)]
pub struct RunArgs {
    /// reference (embedded, the default), moto, localstack, ministack or aws
    /// (see harness/targets.toml).
    #[arg(long, value_name = "T")]
    target: Option<String>,
    /// Send every request here instead of the target's configured endpoint.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Allow the `aws` target: real resources, real costs.
    #[arg(long)]
    allow_live_aws: bool,
    /// Wipe the target first with its reset call (only for an emulator started for this run).
    #[arg(long)]
    reset: bool,
    #[command(flatten)]
    filters: FilterArgs,
    /// Cases in flight at once [default: the number of CPUs].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Seconds each request may take [default: 10].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    timeout: Option<Duration>,
    /// Also write a report: junit=PATH, ndjson=PATH or markdown=PATH (repeatable).
    #[arg(long = "report", value_name = "KIND=PATH")]
    reports: Vec<ReportSpec>,
}

/// `--case`, `--tag`, `--partition`.
#[derive(Args)]
pub struct FilterArgs {
    /// A case id or a glob over ids (`sqs-*`).
    #[arg(long, value_name = "ID|GLOB")]
    case: Option<String>,
    /// Only cases with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Only shard K of N (1-based), for CI machines.
    #[arg(long, value_name = "K/N")]
    partition: Option<Partition>,
}

impl FilterArgs {
    pub fn selection(&self) -> Selection {
        Selection {
            case: self.case.clone(),
            tag: self.tag.clone(),
            partition: self.partition,
        }
    }
}

/// Seconds from a millisecond (less would round to nothing, or to a repro line that cannot be
/// run again) to a day (longer waits are mistakes).
fn parse_timeout(text: &str) -> Result<Duration, String> {
    const MIN_SECONDS: f64 = 0.001;
    const MAX_SECONDS: f64 = 86_400.0;
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(format!(
            "must be from {MIN_SECONDS} to {MAX_SECONDS} seconds, not {text}"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

pub fn run(args: RunArgs, mode: Mode) -> anyhow::Result<u8> {
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    // Before the run, so a report that cannot be written does not cost one.
    report::check(&args.reports).map_err(|e| anyhow::anyhow!("--report: {e}"))?;
    if mode == Mode::Record && args.target.is_none() && args.endpoint.is_none() {
        bail!("conform record needs --target (reference to record goldens, or moto, localstack, ministack for their divergences)");
    }
    let options = RunOptions {
        mode,
        target: TargetOptions {
            name: args.target,
            endpoint: args.endpoint,
            allow_live_aws: args.allow_live_aws,
            reset: args.reset,
        },
        selection: args.filters.selection(),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        timeout: args.timeout.unwrap_or(runner::DEFAULT_TIMEOUT),
        paths: Paths::discover().map_err(anyhow::Error::msg)?,
    };
    let painter = Painter::detect();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let console = Console::new(painter);
    let summary = runtime.block_on(runner::run(&options, &console));
    console.finish();
    let summary = summary?;
    out!("{}", console::render(&summary, painter))?;
    let mut code = summary.exit_code();
    for spec in &args.reports {
        if let Err(e) = report::write(spec, &summary) {
            eprintln!("error: {e}");
            code = code.max(EXIT_ERROR);
        }
    }
    Ok(code)
}
