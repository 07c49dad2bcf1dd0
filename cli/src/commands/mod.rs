//! The command line: one module per subcommand group.

mod codegen;
mod coverage;
mod list;
mod record;
mod run;
mod serve;
mod spec;
mod validate;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "conform",
    version,
    about = "Spec-driven models and a conformance harness for AWS APIs"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay the cases against a target and report where it departs from AWS.
    Run(run::RunArgs),
    /// Write pending snapshots (goldens, or a target's divergences) for `cargo insta review`.
    Record(record::RecordArgs),
    /// List the cases: id, operation, tags.
    List(list::ListArgs),
    /// Inspect, compare and lint the Smithy model.
    #[command(subcommand)]
    Spec(spec::SpecCommand),
    /// Validate a request body as AWS would: prints the error code and message.
    Validate(validate::ValidateArgs),
    /// Run the reference emulator until interrupted.
    Serve(serve::ServeArgs),
    /// Show the code generated from a model.
    #[command(subcommand)]
    Codegen(codegen::CodegenCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => run::run(args, conform_harness::runner::Mode::Verify),
        Command::Record(args) => record::run(args),
        Command::List(args) => list::run(args),
        Command::Spec(command) => spec::run(command),
        Command::Validate(args) => validate::run(args),
        Command::Codegen(command) => codegen::run(command),
        Command::Serve(args) => serve::run(args),
    }
}

/// The generated operation named `name`, or an error that lists them.
fn known_operation(name: &str) -> anyhow::Result<&'static str> {
    conform_models::spec::OPERATIONS
        .iter()
        .copied()
        .find(|known| *known == name)
        .with_context(|| {
            format!(
                "unknown operation `{name}`; known: {}",
                conform_models::spec::OPERATIONS.join(", ")
            )
        })
}
