//! `conform`: spec-driven models and a conformance harness for AWS APIs.

mod commands;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes, as in ripgrep and diff: 0 success, 1 a finding (a difference, an invalid
/// request, a non-conformance), 2 an error (usage, input, setup).
pub const EXIT_FINDING: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = commands::Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Rust ignores SIGPIPE; a command line should end quietly when its reader goes away
/// (`conform spec members X | head`).
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
