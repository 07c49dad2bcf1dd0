//! The conformance harness: cases (TOML, `cases/`) and fixtures, sent to any endpoint,
//! normalised and compared with insta goldens (`snapshots/`), with console, JUnit, NDJSON and
//! Markdown reports. `conform run`, `record` and `list` are thin shells over [`runner`].
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use conform_harness::runner::{self, Mode, Paths, RunOptions, Silent};
//!
//! let options = RunOptions {
//!     mode: Mode::Verify,
//!     target: Default::default(), // the embedded reference
//!     selection: Default::default(),
//!     jobs: 4,
//!     timeout: std::time::Duration::from_secs(10),
//!     paths: Paths::discover().map_err(anyhow::Error::msg)?,
//! };
//! let summary = runner::run(&options, &Silent).await?;
//! std::process::exit(summary.exit_code().into());
//! # }
//! ```

pub mod case;
pub mod client;
pub mod compare;
pub mod coverage;
pub mod files;
pub mod fixtures;
pub mod generated;
pub mod normalize;
pub mod path;
pub mod report;
pub mod runner;
pub mod snapshot;
pub mod standin;
pub mod target;
pub mod template;
