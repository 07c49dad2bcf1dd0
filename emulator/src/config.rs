//! How an emulator is started: address, identity and timing.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// Settings for [`crate::Emulator::start`]. The defaults suit an in-process test target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// The only address the server binds to.
    pub host: IpAddr,
    /// The port; 0 asks the OS for any free one.
    pub port: u16,
    /// The account every resource belongs to and every ARN names.
    pub account_id: String,
    /// The region used when a request carries no credential scope.
    pub default_region: String,
    /// How long a resource stays in a transitional state (for example an event-source
    /// mapping's `Creating`) before it settles.
    pub settle_delay: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            account_id: "123456789012".to_owned(),
            default_region: "us-east-1".to_owned(),
            settle_delay: Duration::from_millis(200),
        }
    }
}
