//! `conform`: spec-driven models and a conformance harness for AWS APIs.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

/// `print!` that returns a failed write (a full disk, say) as an error instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!($($arg)*))
    };
}

/// `println!`, as `out!`.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod commands;

/// Exit codes, as in ripgrep and diff: 0 success, 1 a finding (a difference, an invalid
/// request, a non-conformance), 2 an error (usage, input, setup).
pub const EXIT_FINDING: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = commands::Cli::parse();
    // What is still buffered must reach its file too, or the command fails.
    let outcome = commands::run(cli).and_then(|code| {
        std::io::stdout()
            .flush()
            .context("cannot write to standard output")?;
        Ok(code)
    });
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn write_stdout(text: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    std::io::stdout()
        .lock()
        .write_fmt(text)
        .context("cannot write to standard output")
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
