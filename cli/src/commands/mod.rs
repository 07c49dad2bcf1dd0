//! The command line: one module per subcommand group.

mod spec;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "conform", version, about = "Spec-driven models and a conformance harness for AWS APIs")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inspect, compare and lint the Smithy model.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Spec(command) => spec::run(command),
    }
}
