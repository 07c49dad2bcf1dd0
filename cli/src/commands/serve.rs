//! `conform serve`: the reference emulator as a standalone endpoint for the AWS CLI, SDKs and
//! other harnesses.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use conform_emulator::{Emulator, EmulatorConfig};

#[derive(Args)]
pub struct ServeArgs {
    /// The address to bind; loopback by default.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long mappings stay in a transitional state (Creating, Updating, ...) before they
    /// settle, in milliseconds; 0 settles at once.
    #[arg(long, default_value_t = 200)]
    settle_ms: u64,
    /// The account id resources belong to.
    #[arg(long, default_value = "123456789012")]
    account: String,
}

pub fn run(args: ServeArgs) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let config = EmulatorConfig {
            host: args.host,
            port: args.port,
            account_id: args.account,
            settle_delay: Duration::from_millis(args.settle_ms),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config)
            .await
            .with_context(|| format!("cannot bind {}:{}", args.host, args.port))?;
        // The URL is the first line, so scripts can read it.
        outln!("{}", emulator.url())?;
        eprintln!(
            "conform serve: listening on {}; Ctrl-C stops",
            emulator.url()
        );
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")?;
        emulator.shutdown().await.context("shutting down")?;
        Ok(0)
    })
}
