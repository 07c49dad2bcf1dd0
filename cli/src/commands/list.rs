//! `conform list`: the cases, one line each: id, operation, tags.

use clap::Args;
use conform_harness::runner::{self, Paths};

use super::run::FilterArgs;

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: FilterArgs,
}

pub fn run(args: ListArgs) -> anyhow::Result<u8> {
    let paths = Paths::discover().map_err(anyhow::Error::msg)?;
    let cases = runner::list(&paths, &args.filters.selection())?;
    let id_width = cases.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let op_width = cases.iter().map(|c| c.operation.len()).max().unwrap_or(0);
    for case in cases {
        let line = format!(
            "{:<id_width$}  {:<op_width$}  {}",
            case.id,
            case.operation,
            case.tags.join(",")
        );
        outln!("{}", line.trim_end())?;
    }
    Ok(0)
}
