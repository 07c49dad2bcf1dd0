//! `conform record --target T`: runs the cases and writes pending snapshots for
//! `cargo insta review`: `<id>.snap.new` from the reference (or AWS), `<id>@<T>.snap.new`, a
//! divergence, from any other target. Never touches an accepted snapshot.

use clap::Args;
use conform_harness::runner::Mode;

use super::run::RunArgs;

#[derive(Args)]
pub struct RecordArgs {
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: RecordArgs) -> anyhow::Result<u8> {
    super::run::run(args.run, Mode::Record)
}
