//! Fixtures: the functions, queues, streams and tables cases point at, made through standard
//! AWS calls on the target, named with the run prefix, created on first use and torn down in
//! reverse order. Only what this run created is ever deleted.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::OnceCell;

use crate::client::{Client, HttpRequest, HttpResponse, RawParts};
use crate::normalize::FixtureNames;

/// A zip archive holding one empty `index.py`: the smallest valid deployment package, as
/// base64 (the form CreateFunction takes).
const ZIP_BASE64: &str = "UEsDBBQAAAAAAAAAIVwAAAAAAAAAAAAAAAAIAAAAaW5kZXgucHlQSwECFAMUAAAAAAAAACFcAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXgucHlQSwUGAAAAAAEAAQA2AAAAJgAAAAAA";

/// The alias every `function-alias` fixture gets.
const ALIAS_NAME: &str = "live";

/// The longest fixture label: `<run>-fifo-queue-<label>-<n>.fifo` stays within SQS's 80 and a
/// function's name within Lambda's 64.
const MAX_LABEL_LEN: usize = 24;

/// How long a stream, table or function may take to become usable.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FixtureKind {
    Role,
    Function,
    FunctionVersion,
    FunctionAlias,
    Queue,
    FifoQueue,
    Stream,
    Table,
}

impl FixtureKind {
    pub const ALL: [FixtureKind; 8] = [
        FixtureKind::Role,
        FixtureKind::Function,
        FixtureKind::FunctionVersion,
        FixtureKind::FunctionAlias,
        FixtureKind::Queue,
        FixtureKind::FifoQueue,
        FixtureKind::Stream,
        FixtureKind::Table,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FixtureKind::Role => "role",
            FixtureKind::Function => "function",
            FixtureKind::FunctionVersion => "function-version",
            FixtureKind::FunctionAlias => "function-alias",
            FixtureKind::Queue => "queue",
            FixtureKind::FifoQueue => "fifo-queue",
            FixtureKind::Stream => "stream",
            FixtureKind::Table => "table",
        }
    }

    /// The attributes a case may substitute, `{queue.arn}` and the like.
    pub fn attributes(self) -> &'static [&'static str] {
        match self {
            FixtureKind::Role | FixtureKind::Function | FixtureKind::Stream => &["name", "arn"],
            FixtureKind::FunctionVersion => &["name", "arn", "version"],
            FixtureKind::FunctionAlias => &["name", "arn", "function", "version"],
            FixtureKind::Queue | FixtureKind::FifoQueue => &["name", "arn", "url"],
            FixtureKind::Table => &["name", "arn", "stream_arn"],
        }
    }

    /// The service that makes it, as `fixtures_unavailable` in `targets.toml` names it.
    pub fn service(self) -> &'static str {
        match self {
            FixtureKind::Role => "iam",
            FixtureKind::Function | FixtureKind::FunctionVersion | FixtureKind::FunctionAlias => {
                "lambda"
            }
            FixtureKind::Queue | FixtureKind::FifoQueue => "sqs",
            FixtureKind::Stream => "kinesis",
            FixtureKind::Table => "dynamodb",
        }
    }
}

impl fmt::Display for FixtureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fixture as a case names it: `queue` is the run's shared queue; `queue:own` is a queue of
/// this case alone (each row gets its own), for cases that change state other cases read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FixtureRef {
    pub kind: FixtureKind,
    pub label: Option<String>,
}

impl FixtureRef {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, label) = match text.split_once(':') {
            Some((k, l)) => (k, Some(l)),
            None => (text, None),
        };
        let kind = FixtureKind::ALL
            .into_iter()
            .find(|k| k.name() == kind)
            .ok_or_else(|| {
                let known: Vec<&str> = FixtureKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown fixture `{kind}`; known: {}", known.join(", "))
            })?;
        if let Some(label) = label {
            if label.is_empty()
                || label.len() > MAX_LABEL_LEN
                || !label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "fixture label `{label}` must be 1 to {MAX_LABEL_LEN} letters, digits, `-` or `_`"
                ));
            }
        }
        Ok(Self {
            kind,
            label: label.map(str::to_owned),
        })
    }

    /// The same fixture, of the kind it depends on (a labelled alias needs a labelled version).
    fn with_kind(&self, kind: FixtureKind) -> Self {
        Self {
            kind,
            label: self.label.clone(),
        }
    }

    /// The placeholder the normaliser puts where this fixture's name appears.
    pub fn placeholder(&self) -> String {
        format!("<{self}>")
    }
}

impl fmt::Display for FixtureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label {
            Some(label) => write!(f, "{}:{label}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// A made fixture's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub fixture: FixtureRef,
    pub attrs: Vec<(&'static str, String)>,
}

impl Resource {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn name(&self) -> &str {
        self.attr("name").unwrap_or_default()
    }
}

/// Why making a fixture failed: its own call, or a fixture it needs.
enum MakeError {
    Call(String),
    Dependency(FixtureError),
}

impl From<String> for MakeError {
    fn from(e: String) -> Self {
        MakeError::Call(e)
    }
}

impl From<FixtureError> for MakeError {
    fn from(e: FixtureError) -> Self {
        MakeError::Dependency(e)
    }
}

/// What the run made, so teardown can undo exactly that.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Created {
    Role(String),
    Function(String),
    Alias { function: String, name: String },
    Queue(String),
    Stream(String),
    Table(String),
}

/// What the target is like, for making fixtures.
#[derive(Debug, Clone, Default)]
pub struct FixtureOptions {
    /// Functions need a real IAM role (moto, AWS).
    pub needs_role: bool,
    /// Services whose fixtures the target cannot make (`dynamodb` on LocalStack).
    pub unavailable: Vec<String>,
    /// The target's account, for the role ARN of targets that take any role.
    pub account: String,
}

/// Why a case cannot have a fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureError {
    /// The target cannot make it at all (`fixtures_unavailable`): the case is skipped.
    Unavailable(String),
    /// Making it failed: a setup error.
    Failed(String),
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixtureError::Unavailable(m) | FixtureError::Failed(m) => f.write_str(m),
        }
    }
}

type Slot = Arc<OnceCell<Result<Resource, FixtureError>>>;

/// The run's fixtures: made once on first use, shared by the cases that name them.
pub struct Fixtures {
    client: Client,
    prefix: String,
    options: FixtureOptions,
    slots: Mutex<HashMap<String, Slot>>,
    /// The names of what `slots` holds, for the normaliser.
    names: Mutex<Arc<FixtureNames>>,
    created: Mutex<Vec<Created>>,
    mappings: Mutex<Vec<String>>,
    counter: AtomicUsize,
}

impl Fixtures {
    pub fn new(client: Client, prefix: String, options: FixtureOptions) -> Self {
        Self {
            client,
            prefix,
            options,
            slots: Mutex::new(HashMap::new()),
            names: Mutex::default(),
            created: Mutex::new(Vec::new()),
            mappings: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
        }
    }

    /// The run prefix, `conform-<8 hex>`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Every resource made so far (for normalising names out of responses).
    pub fn made(&self) -> Vec<Resource> {
        let slots = lock(&self.slots);
        slots
            .values()
            .filter_map(|s| s.get().and_then(|r| r.as_ref().ok()).cloned())
            .collect()
    }

    /// The names of every resource made so far, as placeholders (what [`Self::made`] would
    /// give the normaliser, without copying the resources).
    pub fn names(&self) -> Arc<FixtureNames> {
        Arc::clone(&lock(&self.names))
    }

    /// The fixture for `case_id`, made now if it is the first use. Labelled fixtures are
    /// private to the case.
    pub async fn get(&self, fixture: &FixtureRef, case_id: &str) -> Result<Resource, FixtureError> {
        Box::pin(self.get_inner(fixture, case_id)).await
    }

    async fn get_inner(
        &self,
        fixture: &FixtureRef,
        case_id: &str,
    ) -> Result<Resource, FixtureError> {
        if self
            .options
            .unavailable
            .iter()
            .any(|s| s == fixture.kind.service())
        {
            return Err(FixtureError::Unavailable(format!(
                "fixture `{fixture}` is unavailable on this target ({} fixtures are listed in fixtures_unavailable)",
                fixture.kind.service()
            )));
        }
        let key = match &fixture.label {
            Some(_) => format!("{case_id}/{fixture}"),
            None => fixture.to_string(),
        };
        let slot = Arc::clone(lock(&self.slots).entry(key).or_default());
        slot.get_or_init(|| async {
            match self.make(fixture, case_id).await {
                Ok(resource) => {
                    Arc::make_mut(&mut lock(&self.names)).add(&resource);
                    Ok(resource)
                }
                // A dependency's error already names its fixture.
                Err(MakeError::Dependency(e)) => Err(e),
                Err(MakeError::Call(e)) => Err(FixtureError::Failed(format!(
                    "cannot make fixture `{fixture}`: {e}"
                ))),
            }
        })
        .await
        .clone()
    }

    fn fresh_name(&self, fixture: &FixtureRef) -> String {
        match &fixture.label {
            None => format!("{}-{}", self.prefix, fixture.kind),
            // The label in the name lets a case query a name prefix that only its own fixture
            // has, even on a target that matches prefixes.
            Some(label) => {
                let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
                format!("{}-{}-{label}-{n}", self.prefix, fixture.kind)
            }
        }
    }

    async fn make(&self, fixture: &FixtureRef, case_id: &str) -> Result<Resource, MakeError> {
        let name = self.fresh_name(fixture);
        let attrs = match fixture.kind {
            FixtureKind::Role => self.make_role(&name).await?,
            FixtureKind::Function => {
                let role = if self.options.needs_role {
                    let role = self
                        .get(&fixture.with_kind(FixtureKind::Role), case_id)
                        .await?;
                    role.attr("arn").unwrap_or_default().to_owned()
                } else {
                    // Targets that take any role only check the ARN's form.
                    self.role_arn(&format!("{}-role", self.prefix))
                };
                self.make_function(&name, &role).await?
            }
            FixtureKind::FunctionVersion => {
                let function = self
                    .get(&fixture.with_kind(FixtureKind::Function), case_id)
                    .await?;
                self.make_version(&function).await?
            }
            FixtureKind::FunctionAlias => {
                let version = self
                    .get(&fixture.with_kind(FixtureKind::FunctionVersion), case_id)
                    .await?;
                self.make_alias(&version).await?
            }
            FixtureKind::Queue => self.make_queue(&name, false).await?,
            FixtureKind::FifoQueue => self.make_queue(&format!("{name}.fifo"), true).await?,
            FixtureKind::Stream => self.make_stream(&name).await?,
            FixtureKind::Table => self.make_table(&name).await?,
        };
        Ok(Resource {
            fixture: fixture.clone(),
            attrs,
        })
    }

    fn record(&self, created: Created) {
        lock(&self.created).push(created);
    }

    async fn call(&self, request: Result<HttpRequest, String>) -> Result<HttpResponse, String> {
        let request = request?;
        self.client.send(&request).await.map_err(|f| f.to_string())
    }

    /// Sends the request and wants a 2xx JSON answer (an empty body reads as `{}`).
    async fn call_ok(
        &self,
        what: &str,
        request: Result<HttpRequest, String>,
    ) -> Result<Value, String> {
        let response = self.call(request).await?;
        let text = String::from_utf8_lossy(&response.body);
        if !(200..300).contains(&response.status) {
            return Err(format!(
                "{what} answered {}: {}",
                response.status,
                excerpt(&text)
            ));
        }
        if text.trim().is_empty() {
            return Ok(json!({}));
        }
        // Query-protocol answers are XML; callers of those read nothing from the body.
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn aws_json(&self, service: &str, target: &str, body: Value) -> Result<Value, String> {
        let op = target.split('.').nth(1).unwrap_or(target);
        self.call_ok(op, self.client.aws_json_request(service, target, &body))
            .await
    }

    async fn lambda(
        &self,
        what: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let request = self.client.raw_request(RawParts {
            body: body.map(|b| b.to_string()),
            ..RawParts::new("lambda", method, path)
        });
        self.call_ok(what, request).await
    }

    async fn make_role(&self, name: &str) -> Result<Vec<(&'static str, String)>, String> {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        })
        .to_string();
        let request = self.client.query_request(
            "iam",
            &[
                ("Action", "CreateRole"),
                ("Version", "2010-05-08"),
                ("RoleName", name),
                ("AssumeRolePolicyDocument", &policy),
            ],
        );
        let response = self.call(request).await?;
        let text = String::from_utf8_lossy(&response.body);
        if !(200..300).contains(&response.status) {
            return Err(format!(
                "CreateRole answered {}: {}",
                response.status,
                excerpt(&text)
            ));
        }
        self.record(Created::Role(name.to_owned()));
        // IAM answers XML; its one `<Arn>` carries the account, which AWS does not tell otherwise.
        let arn = xml_element(&text, "Arn").unwrap_or_else(|| self.role_arn(name));
        Ok(vec![("name", name.to_owned()), ("arn", arn)])
    }

    fn role_arn(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:role/{name}", self.options.account)
    }

    async fn make_function(
        &self,
        name: &str,
        role: &str,
    ) -> Result<Vec<(&'static str, String)>, String> {
        let body = json!({
            "FunctionName": name,
            "Runtime": "python3.12",
            "Role": role,
            "Handler": "index.handler",
            "Code": { "ZipFile": ZIP_BASE64 },
            "Timeout": 3,
        });
        let created = self
            .lambda(
                "CreateFunction",
                "POST",
                "/2015-03-31/functions",
                Some(body),
            )
            .await?;
        self.record(Created::Function(name.to_owned()));
        let arn = created["FunctionArn"]
            .as_str()
            .ok_or("CreateFunction answered no FunctionArn")?
            .to_owned();
        // AWS keeps a new function `Pending` for a moment; mappings want it settled.
        self.poll("function", || async {
            let got = self
                .lambda(
                    "GetFunction",
                    "GET",
                    &format!("/2015-03-31/functions/{name}"),
                    None,
                )
                .await?;
            Ok(got["Configuration"]["State"].as_str() != Some("Pending"))
        })
        .await?;
        Ok(vec![("name", name.to_owned()), ("arn", arn)])
    }

    async fn make_version(
        &self,
        function: &Resource,
    ) -> Result<Vec<(&'static str, String)>, String> {
        let name = function.name();
        let published = self
            .lambda(
                "PublishVersion",
                "POST",
                &format!("/2015-03-31/functions/{name}/versions"),
                Some(json!({})),
            )
            .await?;
        let version = published["Version"]
            .as_str()
            .ok_or("PublishVersion answered no Version")?
            .to_owned();
        let arn = format!("{}:{version}", function.attr("arn").unwrap_or_default());
        // Versions go with their function; there is nothing of their own to delete.
        Ok(vec![
            ("name", name.to_owned()),
            ("arn", arn),
            ("version", version),
        ])
    }

    async fn make_alias(&self, version: &Resource) -> Result<Vec<(&'static str, String)>, String> {
        let function = version.name().to_owned();
        let number = version.attr("version").unwrap_or_default().to_owned();
        let created = self
            .lambda(
                "CreateAlias",
                "POST",
                &format!("/2015-03-31/functions/{function}/aliases"),
                Some(json!({ "Name": ALIAS_NAME, "FunctionVersion": number })),
            )
            .await?;
        self.record(Created::Alias {
            function: function.clone(),
            name: ALIAS_NAME.to_owned(),
        });
        let arn = created["AliasArn"]
            .as_str()
            .ok_or("CreateAlias answered no AliasArn")?
            .to_owned();
        Ok(vec![
            ("name", ALIAS_NAME.to_owned()),
            ("arn", arn),
            ("function", function),
            ("version", number),
        ])
    }

    async fn make_queue(
        &self,
        name: &str,
        fifo: bool,
    ) -> Result<Vec<(&'static str, String)>, String> {
        let mut body = json!({ "QueueName": name });
        if fifo {
            body["Attributes"] = json!({ "FifoQueue": "true" });
        }
        let created = self.aws_json("sqs", "AmazonSQS.CreateQueue", body).await?;
        let url = created["QueueUrl"]
            .as_str()
            .ok_or("CreateQueue answered no QueueUrl")?
            .to_owned();
        self.record(Created::Queue(url.clone()));
        let attributes = self
            .aws_json(
                "sqs",
                "AmazonSQS.GetQueueAttributes",
                json!({ "QueueUrl": url, "AttributeNames": ["QueueArn"] }),
            )
            .await?;
        let arn = attributes["Attributes"]["QueueArn"]
            .as_str()
            .ok_or("GetQueueAttributes answered no QueueArn")?
            .to_owned();
        Ok(vec![("name", name.to_owned()), ("arn", arn), ("url", url)])
    }

    async fn make_stream(&self, name: &str) -> Result<Vec<(&'static str, String)>, String> {
        self.aws_json(
            "kinesis",
            "Kinesis_20131202.CreateStream",
            json!({ "StreamName": name, "ShardCount": 1 }),
        )
        .await?;
        self.record(Created::Stream(name.to_owned()));
        let arn = Arc::new(Mutex::new(String::new()));
        self.poll("stream", || async {
            let summary = self
                .aws_json(
                    "kinesis",
                    "Kinesis_20131202.DescribeStreamSummary",
                    json!({ "StreamName": name }),
                )
                .await?;
            let summary = &summary["StreamDescriptionSummary"];
            *lock(&arn) = summary["StreamARN"].as_str().unwrap_or_default().to_owned();
            Ok(summary["StreamStatus"].as_str() == Some("ACTIVE"))
        })
        .await?;
        let arn = lock(&arn).clone();
        Ok(vec![("name", name.to_owned()), ("arn", arn)])
    }

    async fn make_table(&self, name: &str) -> Result<Vec<(&'static str, String)>, String> {
        self.aws_json(
            "dynamodb",
            "DynamoDB_20120810.CreateTable",
            json!({
                "TableName": name,
                "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
                "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES" },
            }),
        )
        .await?;
        self.record(Created::Table(name.to_owned()));
        let description = Arc::new(Mutex::new(Value::Null));
        self.poll("table", || async {
            let described = self
                .aws_json(
                    "dynamodb",
                    "DynamoDB_20120810.DescribeTable",
                    json!({ "TableName": name }),
                )
                .await?;
            let table = described["Table"].clone();
            let active = table["TableStatus"].as_str() == Some("ACTIVE");
            *lock(&description) = table;
            Ok(active)
        })
        .await?;
        let table = lock(&description).clone();
        let arn = table["TableArn"]
            .as_str()
            .ok_or("DescribeTable answered no TableArn")?;
        let stream = table["LatestStreamArn"]
            .as_str()
            .ok_or("DescribeTable answered no LatestStreamArn")?;
        Ok(vec![
            ("name", name.to_owned()),
            ("arn", arn.to_owned()),
            ("stream_arn", stream.to_owned()),
        ])
    }

    /// Polls `ready` until it says yes, within [`READY_TIMEOUT`].
    async fn poll<F, Fut>(&self, what: &str, mut ready: F) -> Result<(), String>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<bool, String>>,
    {
        let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
        let mut interval = Duration::from_millis(50);
        loop {
            if ready().await? {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(format!(
                    "the {what} was not ready within {} s",
                    READY_TIMEOUT.as_secs()
                ));
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(Duration::from_secs(2));
        }
    }

    /// Notes an event-source mapping a case created, for teardown.
    pub fn track_mapping(&self, uuid: &str) {
        let mut mappings = lock(&self.mappings);
        if !mappings.iter().any(|m| m == uuid) {
            mappings.push(uuid.to_owned());
        }
    }

    /// A mapping the case deleted itself.
    pub fn untrack_mapping(&self, uuid: &str) {
        lock(&self.mappings).retain(|m| m != uuid);
    }

    /// Deletes everything this run made, newest first: mappings, then fixtures. Returns what
    /// could not be deleted. Safe to call twice.
    pub async fn teardown(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mappings: Vec<String> = std::mem::take(&mut *lock(&self.mappings));
        for uuid in mappings.iter().rev() {
            let path = format!("/2015-03-31/event-source-mappings/{uuid}");
            if let Err(e) = self.delete(self.lambda_delete(&path)).await {
                problems.push(format!("mapping {uuid}: {e}"));
            }
        }
        let created: Vec<Created> = std::mem::take(&mut *lock(&self.created));
        for item in created.iter().rev() {
            let request = match item {
                Created::Role(name) => self.client.query_request(
                    "iam",
                    &[
                        ("Action", "DeleteRole"),
                        ("Version", "2010-05-08"),
                        ("RoleName", name),
                    ],
                ),
                Created::Function(name) => {
                    self.lambda_delete(&format!("/2015-03-31/functions/{name}"))
                }
                Created::Alias { function, name } => {
                    self.lambda_delete(&format!("/2015-03-31/functions/{function}/aliases/{name}"))
                }
                Created::Queue(url) => self.client.aws_json_request(
                    "sqs",
                    "AmazonSQS.DeleteQueue",
                    &json!({ "QueueUrl": url }),
                ),
                Created::Stream(name) => self.client.aws_json_request(
                    "kinesis",
                    "Kinesis_20131202.DeleteStream",
                    &json!({ "StreamName": name, "EnforceConsumerDeletion": true }),
                ),
                Created::Table(name) => self.client.aws_json_request(
                    "dynamodb",
                    "DynamoDB_20120810.DeleteTable",
                    &json!({ "TableName": name }),
                ),
            };
            if let Err(e) = self.delete(request).await {
                problems.push(format!("{item:?}: {e}"));
            }
        }
        problems
    }

    fn lambda_delete(&self, path: &str) -> Result<HttpRequest, String> {
        self.client
            .raw_request(RawParts::new("lambda", "DELETE", path))
    }

    /// A delete that found nothing (404, or a 400 `...NotFound`) is done too.
    async fn delete(&self, request: Result<HttpRequest, String>) -> Result<(), String> {
        let response = self.call(request).await?;
        let text = String::from_utf8_lossy(&response.body);
        if (200..300).contains(&response.status)
            || response.status == 404
            || text.contains("NotFound")
        {
            Ok(())
        } else {
            Err(format!("answered {}: {}", response.status, excerpt(&text)))
        }
    }
}

/// The text of the first `<name>…</name>` in an XML answer.
fn xml_element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].trim().to_owned())
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// A poisoned lock only means another case panicked; the data is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fixture_refs() {
        let f = FixtureRef::parse("queue:own").unwrap();
        assert_eq!(f.kind, FixtureKind::Queue);
        assert_eq!(f.to_string(), "queue:own");
        assert_eq!(f.placeholder(), "<queue:own>");
        assert!(FixtureRef::parse("widget")
            .unwrap_err()
            .contains("unknown fixture"));
        assert!(FixtureRef::parse("queue:").is_err());
        assert!(FixtureRef::parse(&format!("queue:{}", "x".repeat(MAX_LABEL_LEN))).is_ok());
        assert!(
            FixtureRef::parse(&format!("queue:{}", "x".repeat(MAX_LABEL_LEN + 1)))
                .unwrap_err()
                .contains("1 to 24")
        );
    }

    #[test]
    fn the_zip_is_a_valid_archive() {
        use base64::Engine as _;
        let zip = base64::engine::general_purpose::STANDARD
            .decode(ZIP_BASE64)
            .unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04");
        assert_eq!(zip.len(), 114);
        // End-of-central-directory record, one entry.
        assert_eq!(&zip[zip.len() - 22..zip.len() - 18], b"PK\x05\x06");
    }
}
