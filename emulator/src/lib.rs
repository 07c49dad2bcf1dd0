//! The reference emulator: a strict local AWS endpoint that answers like AWS, for the
//! event-source-mapping API and the few other calls its fixtures need (functions, versions and
//! aliases; SQS queues; Kinesis streams; DynamoDB tables with streams).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use conform_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("serving on {}", emulator.url());
//! emulator.shutdown().await
//! # }
//! ```

pub mod arn;
pub mod config;
pub mod esm;
pub mod routing;
pub mod server;
pub mod state;
pub mod wire;

mod services;

pub use config::EmulatorConfig;
pub use routing::{ApiRequest, RequestContext, Service};
pub use server::{Emulator, RunningEmulator};
pub use state::{
    EmulatorState, FunctionLookupError, QueueInfo, ResolvedFunction, StreamInfo, TableStreamInfo,
};
