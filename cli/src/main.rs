//! `conform`: spec-driven models and a conformance harness for AWS APIs.

mod commands;
mod embedded;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes, as in ripgrep and diff: 0 success, 1 a finding (a difference, an invalid
/// request, a non-conformance), 2 an error (usage, input, setup).
pub const EXIT_FINDING: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
