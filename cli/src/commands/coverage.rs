//! `conform spec coverage`: which cases exercise each constraint of the spec, each overlay rule
//! and each operation (decided by evaluating every case's requests with the generated
//! validators; see `conform_harness::coverage`). Exits 1 when anything is not exercised.

use clap::Args;
use conform_harness::coverage::{self, SCOPE};
use conform_harness::runner::{self, Paths};

use crate::EXIT_FINDING;

#[derive(Args)]
pub struct CoverageArgs {
    /// Print everything as JSON (stable for scripts).
    #[arg(long, conflicts_with_all = ["uncovered", "table"])]
    json: bool,
    /// List only what no case exercises.
    #[arg(long)]
    uncovered: bool,
    /// Print the whole table: every constraint, rule and operation with its cases.
    #[arg(long, short = 'v')]
    table: bool,
}

pub fn run(args: CoverageArgs) -> anyhow::Result<u8> {
    let paths = Paths::discover().map_err(anyhow::Error::msg)?;
    let cases = runner::list(&paths, &Default::default())?;
    let coverage = coverage::compute(&cases).map_err(anyhow::Error::msg)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&coverage.json())?)?;
    } else if args.uncovered || args.table {
        out!("{}", coverage.table(args.uncovered))?;
        outln!("{}", coverage.summary())?;
        outln!("{SCOPE}")?;
    } else {
        // Quiet when all is well; the gaps, when there are any, are what a reader needs.
        outln!("{}", coverage.summary())?;
        for gap in coverage.gaps() {
            outln!("  not exercised: {}", gap.0)?;
        }
        outln!("{SCOPE}")?;
    }
    Ok(if coverage.exit_code() == 0 {
        0
    } else {
        EXIT_FINDING
    })
}
