//! The emulator's in-memory resources, keyed by region then name, and the read APIs the
//! event-source-mapping family uses to look fixtures up.
//!
//! Each store sits behind its own `std::sync::Mutex`; no lock is ever held across an `.await`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::arn::{self, Arn, FunctionName};
use crate::config::EmulatorConfig;

/// Everything one running emulator knows.
#[derive(Debug)]
pub struct EmulatorState {
    config: EmulatorConfig,
    base_url: String,
    pub(crate) functions: Mutex<Regional<FunctionRecord>>,
    pub(crate) queues: Mutex<Regional<QueueRecord>>,
    pub(crate) streams: Mutex<Regional<StreamRecord>>,
    pub(crate) tables: Mutex<Regional<TableRecord>>,
    esm: crate::esm::Store,
}

impl EmulatorState {
    /// State for an emulator reachable at `addr`.
    pub fn new(config: EmulatorConfig, addr: SocketAddr) -> Self {
        Self {
            config,
            base_url: format!("http://{addr}"),
            functions: Mutex::default(),
            queues: Mutex::default(),
            streams: Mutex::default(),
            tables: Mutex::default(),
            esm: crate::esm::Store::default(),
        }
    }

    /// The event-source mappings.
    pub fn esm(&self) -> &crate::esm::Store {
        &self.esm
    }

    pub fn config(&self) -> &EmulatorConfig {
        &self.config
    }

    pub fn account_id(&self) -> &str {
        &self.config.account_id
    }

    /// `http://HOST:PORT` of the emulator itself.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Finds the function a `FunctionName` names, in any of its forms, as seen from `region`.
    pub fn resolve_function(
        &self,
        region: &str,
        function_name: &str,
    ) -> Result<ResolvedFunction, FunctionLookupError> {
        let parsed =
            FunctionName::parse(function_name).ok_or_else(|| FunctionLookupError::InvalidName {
                name: function_name.to_owned(),
            })?;
        let account = parsed.account.unwrap_or(self.account_id());
        let asked_region = parsed.region.unwrap_or(region);
        let asked_arn = arn::function_arn(asked_region, account, parsed.name, parsed.qualifier);
        if asked_region != region {
            return Err(FunctionLookupError::WrongRegion {
                arn: asked_arn,
                function_region: asked_region.to_owned(),
                region: region.to_owned(),
            });
        }
        if account != self.account_id() {
            return Err(FunctionLookupError::WrongAccount {
                arn: asked_arn,
                account: account.to_owned(),
            });
        }

        let functions = lock(&self.functions);
        let Some(function) = functions.get(region, parsed.name) else {
            return Err(FunctionLookupError::FunctionNotFound { arn: asked_arn });
        };
        let version = match parsed.qualifier {
            None | Some(LATEST) => LATEST.to_owned(),
            Some(qualifier) => match function.qualifier(qualifier) {
                Qualifier::Version(Some(config)) => config.version.clone(),
                Qualifier::Alias(Some(alias)) => alias.function_version.clone(),
                Qualifier::Version(None) => {
                    return Err(FunctionLookupError::VersionNotFound { arn: asked_arn })
                }
                Qualifier::Alias(None) => {
                    return Err(FunctionLookupError::AliasNotFound { arn: asked_arn })
                }
            },
        };
        Ok(ResolvedFunction {
            name: parsed.name.to_owned(),
            qualifier: parsed.qualifier.map(str::to_owned),
            version,
            unqualified_arn: arn::function_arn(region, account, parsed.name, None),
            arn: asked_arn,
        })
    }

    /// The SQS queue with this ARN.
    pub fn queue_by_arn(&self, queue_arn: &str) -> Option<QueueInfo> {
        let (region, name) = self.owned_resource(queue_arn, "sqs")?;
        let queues = lock(&self.queues);
        let queue = queues.get(region, name)?;
        Some(QueueInfo {
            name: name.to_owned(),
            arn: queue_arn.to_owned(),
            url: queue_url(&self.base_url, self.account_id(), name),
            fifo: queue.fifo,
        })
    }

    /// The Kinesis stream with this ARN.
    pub fn stream_by_arn(&self, stream_arn: &str) -> Option<StreamInfo> {
        let (region, resource) = self.owned_resource(stream_arn, "kinesis")?;
        let name = resource.strip_prefix("stream/")?;
        let streams = lock(&self.streams);
        let stream = streams.get(region, name)?;
        Some(StreamInfo {
            name: name.to_owned(),
            arn: stream_arn.to_owned(),
            shard_count: stream.shard_count,
        })
    }

    /// The DynamoDB table whose current stream has this ARN.
    pub fn table_stream_by_arn(&self, stream_arn: &str) -> Option<TableStreamInfo> {
        let (region, resource) = self.owned_resource(stream_arn, "dynamodb")?;
        let (table, label) = resource.strip_prefix("table/")?.split_once("/stream/")?;
        let tables = lock(&self.tables);
        let record = tables.get(region, table)?;
        let stream = record.stream.as_ref().filter(|s| s.label == label)?;
        Some(TableStreamInfo {
            table_name: table.to_owned(),
            table_arn: arn::table_arn(region, self.account_id(), table),
            stream_arn: stream_arn.to_owned(),
            stream_label: stream.label.clone(),
            view_type: stream.view_type.clone(),
        })
    }

    /// The region and resource of an ARN of `service` in this emulator's account.
    fn owned_resource<'a>(&self, text: &'a str, service: &str) -> Option<(&'a str, &'a str)> {
        let parsed = Arn::parse(text)?;
        let resource = parsed.resource_of(service)?;
        (parsed.account == self.account_id()).then_some((parsed.region, resource))
    }
}

/// Locks a store. A panic elsewhere must not wedge the emulator, so poisoning is ignored: every
/// store update is a single insert or remove, which leaves no half-written state behind.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `http://HOST/ACCOUNT/NAME`, SQS's queue URL.
pub(crate) fn queue_url(base_url: &str, account: &str, name: &str) -> String {
    format!("{}/{account}/{name}", base_url.trim_end_matches('/'))
}

// ---------------------------------------------------------------------------------------------
// Read API types

/// A function found by [`EmulatorState::resolve_function`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFunction {
    /// The bare function name.
    pub name: String,
    /// The version or alias the request named, if any (`$LATEST` included).
    pub qualifier: Option<String>,
    /// The version the qualifier leads to: `$LATEST`, or a published version number.
    pub version: String,
    /// The function ARN in the form that was sent: qualified exactly when a qualifier was given.
    pub arn: String,
    /// The function's ARN without any qualifier.
    pub unqualified_arn: String,
}

/// Why a `FunctionName` names no function. Each carries the ARN the request asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FunctionLookupError {
    #[error("'{name}' is not a valid function name")]
    InvalidName { name: String },
    #[error("Functions from '{function_region}' are not reachable in this region ('{region}')")]
    WrongRegion {
        arn: String,
        function_region: String,
        region: String,
    },
    #[error("function {arn} belongs to account {account}")]
    WrongAccount { arn: String, account: String },
    #[error("Function not found: {arn}")]
    FunctionNotFound { arn: String },
    #[error("Function not found: {arn}")]
    VersionNotFound { arn: String },
    #[error("Function not found: {arn}")]
    AliasNotFound { arn: String },
}

/// An SQS queue, as an event source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueInfo {
    pub name: String,
    pub arn: String,
    pub url: String,
    pub fifo: bool,
}

/// A Kinesis stream, as an event source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamInfo {
    pub name: String,
    pub arn: String,
    pub shard_count: u32,
}

/// A DynamoDB table's stream, as an event source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStreamInfo {
    pub table_name: String,
    pub table_arn: String,
    pub stream_arn: String,
    pub stream_label: String,
    /// `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES` or `KEYS_ONLY`.
    pub view_type: String,
}

// ---------------------------------------------------------------------------------------------
// Stores

/// Resources of one kind, by region and then by name.
#[derive(Debug)]
pub(crate) struct Regional<T> {
    regions: BTreeMap<String, BTreeMap<String, T>>,
}

impl<T> Default for Regional<T> {
    fn default() -> Self {
        Self {
            regions: BTreeMap::new(),
        }
    }
}

impl<T> Regional<T> {
    pub fn get(&self, region: &str, name: &str) -> Option<&T> {
        self.regions.get(region)?.get(name)
    }

    pub fn get_mut(&mut self, region: &str, name: &str) -> Option<&mut T> {
        self.regions.get_mut(region)?.get_mut(name)
    }

    pub fn insert(&mut self, region: &str, name: &str, value: T) {
        self.regions
            .entry(region.to_owned())
            .or_default()
            .insert(name.to_owned(), value);
    }

    pub fn iter(&self, region: &str) -> impl Iterator<Item = (&String, &T)> {
        self.regions.get(region).into_iter().flatten()
    }

    pub fn remove(&mut self, region: &str, name: &str) -> Option<T> {
        self.regions.get_mut(region)?.remove(name)
    }
}

/// The unpublished version every function has.
pub const LATEST: &str = "$LATEST";

/// A function with its `$LATEST` configuration, published versions and aliases.
#[derive(Debug, Clone)]
pub(crate) struct FunctionRecord {
    pub latest: FunctionConfig,
    pub versions: BTreeMap<u64, FunctionConfig>,
    pub aliases: BTreeMap<String, AliasRecord>,
    /// The number of the last version published; numbers are never reused.
    pub last_version: u64,
    pub tags: Map<String, Value>,
    /// Whether `$LATEST` differs from the last published version; AWS publishes only then.
    pub unpublished_changes: bool,
}

/// What a qualifier names within one function.
pub(crate) enum Qualifier<'a> {
    Version(Option<&'a FunctionConfig>),
    Alias(Option<&'a AliasRecord>),
}

impl FunctionRecord {
    /// Reads a qualifier as AWS does: `$LATEST` or digits name a version, anything else an alias.
    pub fn qualifier(&self, qualifier: &str) -> Qualifier<'_> {
        if qualifier == LATEST {
            return Qualifier::Version(Some(&self.latest));
        }
        if !qualifier.is_empty() && qualifier.bytes().all(|b| b.is_ascii_digit()) {
            let found = qualifier
                .parse::<u64>()
                .ok()
                .and_then(|n| self.versions.get(&n));
            return Qualifier::Version(found);
        }
        Qualifier::Alias(self.aliases.get(qualifier))
    }
}

/// One version's configuration, `$LATEST` or published.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FunctionConfig {
    pub name: String,
    pub version: String,
    pub description: String,
    pub runtime: String,
    pub role: String,
    pub handler: String,
    pub timeout: i64,
    pub memory_size: i64,
    pub architectures: Vec<Value>,
    pub environment: Option<Value>,
    pub code_size: u64,
    pub code_sha256: String,
    pub last_modified: String,
    pub revision_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AliasRecord {
    pub name: String,
    pub function_version: String,
    pub description: String,
    pub routing_config: Option<Value>,
    pub revision_id: String,
}

#[derive(Debug, Clone)]
pub(crate) struct QueueRecord {
    pub fifo: bool,
    /// Every attribute GetQueueAttributes reports, already in its wire form.
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub(crate) struct StreamRecord {
    pub shard_count: u32,
    pub on_demand: bool,
    pub created: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub(crate) struct TableRecord {
    /// The TableDescription, less the members that change (status).
    pub description: Map<String, Value>,
    pub stream: Option<TableStream>,
}

#[derive(Debug, Clone)]
pub(crate) struct TableStream {
    pub label: String,
    pub view_type: String,
}
