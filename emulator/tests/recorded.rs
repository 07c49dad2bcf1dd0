//! Replays the recorded AWS responses (`spec/recorded/cases.json`) against the emulator and
//! checks status, error code, message and body. Each recorded test becomes a scenario that
//! creates the fixtures it needs and binds the recording's placeholders to what it created.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Harness, Reply};
use conform_emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::{json, Value};

const ACCOUNT: &str = "111111111111";
const MAPPINGS: &str = "/2015-03-31/event-source-mappings/";

/// Cases that cannot apply to an emulator, with the reason.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "user-unsupported-parallelization-factor",
        "a Kinesis request rejected only in a region where the feature had not yet rolled out",
    ),
    (
        "user-sqs-batch-size-2018-historical",
        "the pre-2020 SQS limit of 10, superseded by the batching-window rule",
    ),
];

/// Members a case's recording cannot show the emulator's value for, with the reason.
const IGNORED_MEMBERS: &[(&str, &str, &str)] = &[
    (
        "kafka-create-defaults",
        "EventSourceMappingArn",
        "recorded in 2024, before AWS added the member",
    ),
    (
        "ddb-update-disable",
        "LastProcessingResult",
        "AWS had processed a record (`OK`); the emulator invokes nothing",
    ),
];

struct Outcome {
    case: &'static str,
    reply: Reply,
    /// Placeholder → concrete value, applied to the recording before comparing.
    bindings: Vec<(String, String)>,
}

struct Replay {
    h: Harness,
    region: &'static str,
    outcomes: Vec<Outcome>,
}

impl Replay {
    async fn start() -> Replay {
        let config = EmulatorConfig {
            account_id: ACCOUNT.into(),
            settle_delay: std::time::Duration::ZERO,
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).await.expect("the emulator starts");
        Replay {
            h: Harness::with(emulator),
            region: "us-east-1",
            outcomes: Vec::new(),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.h.lambda_in(self.region, method, path, body).await
    }

    async fn create(&self, body: Value) -> Reply {
        self.call(Method::POST, MAPPINGS, Some(body)).await
    }

    fn record(&mut self, case: &'static str, reply: Reply, bindings: &[(&str, &str)]) {
        let bindings = bindings
            .iter()
            .map(|(p, v)| (p.to_string(), v.to_string()))
            .collect();
        self.outcomes.push(Outcome {
            case,
            reply,
            bindings,
        });
    }

    async fn function(&self, name: &str) {
        self.h.create_function(name).await;
    }

    async fn version(&self, name: &str) -> String {
        let reply = self
            .call(
                Method::POST,
                &format!("/2015-03-31/functions/{name}/versions"),
                Some(json!({})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["Version"]
            .as_str()
            .expect("a version")
            .to_owned()
    }

    async fn alias(&self, name: &str, alias: &str, version: &str) {
        let body = json!({ "Name": alias, "FunctionVersion": version });
        let reply = self
            .call(
                Method::POST,
                &format!("/2015-03-31/functions/{name}/aliases"),
                Some(body),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    async fn queue(&self, name: &str) -> String {
        let mut body = json!({ "QueueName": name });
        if name.ends_with(".fifo") {
            body["Attributes"] = json!({ "FifoQueue": "true" });
        }
        let request = self
            .h
            .request(Method::POST, "/")
            .header("authorization", common::authorization("sqs", self.region))
            .header("x-amz-target", "AmazonSQS.CreateQueue")
            .header("content-type", "application/x-amz-json-1.0")
            .body(body.to_string());
        let reply = self.h.send(request).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        format!("arn:aws:sqs:{}:{ACCOUNT}:{name}", self.region)
    }

    async fn stream(&self, name: &str) -> String {
        let reply = self
            .h
            .kinesis(
                "CreateStream",
                json!({ "StreamName": name, "ShardCount": 1 }),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        format!("arn:aws:kinesis:{}:{ACCOUNT}:stream/{name}", self.region)
    }

    /// A table with a stream: its stream ARN and label.
    async fn table(&self, name: &str) -> (String, String) {
        let reply = self
            .h
            .dynamodb(
                "CreateTable",
                json!({
                    "TableName": name,
                    "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
                    "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
                    "BillingMode": "PAY_PER_REQUEST",
                    "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_IMAGE" },
                }),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let description = &reply.json()["TableDescription"];
        let arn = description["LatestStreamArn"]
            .as_str()
            .expect("a stream")
            .to_owned();
        let label = description["LatestStreamLabel"]
            .as_str()
            .expect("a label")
            .to_owned();
        (arn, label)
    }
}

fn uuid_of(reply: &Reply) -> String {
    reply.json()["UUID"]
        .as_str()
        .unwrap_or_else(|| panic!("no UUID in {}", reply.text))
        .to_owned()
}

async fn exceptions(r: &mut Replay) {
    let random = uuid::Uuid::new_v4().to_string();
    let reply = r
        .call(Method::GET, &format!("{MAPPINGS}{random}"), None)
        .await;
    r.record("api-get-unknown-uuid", reply, &[]);
    let reply = r
        .call(Method::DELETE, &format!("{MAPPINGS}{random}"), None)
        .await;
    r.record("api-delete-unknown-uuid", reply, &[]);
    let reply = r.call(Method::GET, MAPPINGS, None).await;
    r.record("api-list-no-filter", reply, &[]);
    let reply = r
        .call(
            Method::GET,
            &format!("{MAPPINGS}?FunctionName=doesnotexist"),
            None,
        )
        .await;
    assert_eq!(
        reply.json()["EventSourceMappings"],
        json!([]),
        "a filter on an unknown function lists nothing"
    );
    r.record("api-list-unknown-function", reply, &[]);
    let reply = r.create(json!({ "FunctionName": "doesnotexist" })).await;
    r.record("api-create-no-event-source-arn", reply, &[]);
    let somequeue = format!("arn:aws:sqs:{}:{ACCOUNT}:somequeue", r.region);
    let reply = r
        .create(json!({ "FunctionName": "doesnotexist", "EventSourceArn": somequeue }))
        .await;
    r.record("api-create-unknown-function", reply, &[]);
    let other = format!("arn:aws:sqs:{}:{ACCOUNT}:someotherqueue", r.region);
    let reply = r
        .create(json!({ "FunctionName": "doesnotexist", "EventSourceArn": somequeue, "DestinationConfig": { "OnSuccess": { "Destination": other } } }))
        .await;
    r.record("api-create-onsuccess-destination-sqs", reply, &[]);
}

async fn dynamodb_lifecycle(r: &mut Replay) {
    r.function("ddb-fn").await;
    let (stream, label) = r.table("ddb-table").await;
    let queue = r.queue("ddb-dlq").await;
    let reply = r
        .create(json!({
            "FunctionName": "ddb-fn", "EventSourceArn": stream,
            "DestinationConfig": { "OnFailure": { "Destination": queue } },
            "BatchSize": 1, "StartingPosition": "TRIM_HORIZON", "MaximumBatchingWindowInSeconds": 1, "MaximumRetryAttempts": 1,
        }))
        .await;
    let uuid = uuid_of(&reply);
    let bindings = [
        ("<resource:1>", label.as_str()),
        ("<resource:2>", "ddb-table"),
        ("<resource:3>", "ddb-dlq"),
        ("<resource:4>", uuid.as_str()),
        ("<resource:5>", "ddb-fn"),
    ];
    r.record("ddb-lifecycle-create", reply, &bindings);
    let reply = r
        .call(Method::GET, &format!("{MAPPINGS}{uuid}"), None)
        .await;
    r.record("ddb-lifecycle-get-enabled", reply, &bindings);
    let reply = r
        .call(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
        .await;
    r.record("ddb-lifecycle-delete", reply, &bindings);

    let reply = r
        .create(json!({ "FunctionName": "ddb-fn", "EventSourceArn": stream, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1741010802 }))
        .await;
    let bindings = [
        ("<function-name>", "ddb-fn"),
        ("<table-name>", "ddb-table"),
        ("<stream-name>", label.as_str()),
    ];
    r.record("ddb-at-timestamp-unsupported", reply, &bindings);

    r.function("ddb-fn-2").await;
    let created = r
        .create(json!({ "FunctionName": "ddb-fn-2", "EventSourceArn": stream, "StartingPosition": "TRIM_HORIZON", "MaximumBatchingWindowInSeconds": 1 }))
        .await;
    let uuid = uuid_of(&created);
    let reply = r
        .call(
            Method::PUT,
            &format!("{MAPPINGS}{uuid}"),
            Some(json!({ "Enabled": false })),
        )
        .await;
    let bindings = [
        ("<uuid:2>", uuid.as_str()),
        ("<resource:1>", label.as_str()),
        ("<resource:2>", "ddb-table"),
        ("<resource:3>", "ddb-fn-2"),
    ];
    r.record("ddb-update-disable", reply, &bindings);
}

async fn function_name_variations(r: &mut Replay) {
    r.function("fnv").await;
    let version = r.version("fnv").await;
    r.alias("fnv", "myalias", &version).await;
    let queue = r.queue("fnv-queue").await;
    let full_alias = format!("arn:aws:lambda:{}:{ACCOUNT}:function:fnv:myalias", r.region);
    for (case, name, placeholder) in [
        (
            "sqs-fn-variation-name-only",
            "fnv".to_owned(),
            "<resource:2>",
        ),
        (
            "sqs-fn-variation-partial-arn-version",
            format!("fnv:{version}"),
            "<resource:5>",
        ),
        (
            "sqs-fn-variation-full-arn-alias",
            full_alias,
            "<resource:11>",
        ),
    ] {
        let reply = r
            .create(json!({ "FunctionName": name, "EventSourceArn": queue }))
            .await;
        let uuid = uuid_of(&reply);
        r.record(
            case,
            reply,
            &[
                ("<resource:1>", "fnv-queue"),
                ("<resource:3>", "fnv"),
                (placeholder, uuid.as_str()),
            ],
        );
        let deleted = r
            .call(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
            .await;
        assert_eq!(deleted.status, 202, "{}", deleted.text);
    }
}

async fn kinesis(r: &mut Replay) {
    r.function("kin-fn").await;
    let stream = r.stream("kin-stream").await;
    let queue = r.queue("kin-dlq").await;
    let named = [
        ("<function-name>", "kin-fn"),
        ("<stream-name>", "kin-stream"),
    ];
    let reply = r
        .create(json!({ "FunctionName": "kin-fn", "EventSourceArn": stream }))
        .await;
    r.record("kinesis-missing-starting-position", reply, &named);
    let reply = r.create(json!({ "FunctionName": "kin-fn", "EventSourceArn": stream, "StartingPosition": "invalid" })).await;
    r.record("kinesis-invalid-starting-position", reply, &named);
    let reply = r.create(json!({ "FunctionName": "kin-fn", "EventSourceArn": stream, "StartingPosition": "AT_TIMESTAMP" })).await;
    r.record("user-at-timestamp-without-timestamp", reply, &[]);
    let missing = format!(
        "arn:aws:kinesis:{}:{ACCOUNT}:stream/test-foobar-81ded7e8",
        r.region
    );
    let reply = r.create(json!({ "FunctionName": "kin-fn", "EventSourceArn": missing, "StartingPosition": "LATEST" })).await;
    r.record("kinesis-nonexistent-stream", reply, &[]);

    let reply = r.create(json!({ "FunctionName": "kin-fn", "EventSourceArn": stream, "StartingPosition": "LATEST" })).await;
    let uuid = uuid_of(&reply);
    let bindings = [
        ("<resource:1>", "kin-stream"),
        ("<resource:2>", "kin-fn"),
        ("<uuid:1>", uuid.as_str()),
    ];
    let copy = Reply {
        status: reply.status,
        headers: reply.headers.clone(),
        text: reply.text.clone(),
    };
    r.record("kinesis-create-minimal-latest", reply, &bindings);
    r.record("kinesis-duplicate-first", copy, &bindings);
    let reply = r.create(json!({ "FunctionName": "kin-fn", "EventSourceArn": stream, "StartingPosition": "LATEST" })).await;
    r.record("kinesis-duplicate-conflict", reply, &bindings);

    for (case, function, extra) in [
        (
            "kinesis-create-onfailure-sqs",
            "kin-fn-dlq",
            json!({ "MaximumRetryAttempts": 1 }),
        ),
        (
            "kinesis-create-record-age-60-retries-0",
            "kin-fn-age",
            json!({ "MaximumRetryAttempts": 0, "MaximumRecordAgeInSeconds": 60 }),
        ),
    ] {
        r.function(function).await;
        let mut body = json!({
            "FunctionName": function, "BatchSize": 1, "StartingPosition": "TRIM_HORIZON", "EventSourceArn": stream,
            "MaximumBatchingWindowInSeconds": 1, "DestinationConfig": { "OnFailure": { "Destination": queue } },
        });
        for (k, v) in extra.as_object().expect("an object") {
            body[k] = v.clone();
        }
        let reply = r.create(body).await;
        let uuid = uuid_of(&reply);
        r.record(
            case,
            reply,
            &[
                ("<resource:1>", "kin-dlq"),
                ("<resource:2>", "kin-stream"),
                ("<resource:3>", function),
                ("<uuid:1>", uuid.as_str()),
            ],
        );
    }
}

async fn kafka(r: &mut Replay) {
    r.function("kafka-fn").await;
    let source = json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["kafka:1000"] } });
    let reply = r.create(json!({ "Topics": ["topic"], "FunctionName": "kafka-fn", "SelfManagedEventSource": source })).await;
    r.record(
        "kafka-missing-source-access-config",
        reply,
        &[("<resource:1>", "kafka-fn")],
    );
    let secret = format!(
        "arn:aws:secretsmanager:{}:{ACCOUNT}:secret:kafka-secret",
        r.region
    );
    let body = json!({
        "Topics": ["topic"], "FunctionName": "kafka-fn", "SelfManagedEventSource": source,
        "SourceAccessConfigurations": [{ "Type": "BASIC_AUTH", "URI": secret }],
    });
    let reply = r.create(body.clone()).await;
    let uuid = uuid_of(&reply);
    let bindings = [
        ("<resource:1>", "kafka-fn"),
        ("<resource:2>", "kafka-secret"),
        ("<uuid:1>", uuid.as_str()),
    ];
    r.record("kafka-create-defaults", reply, &bindings);
    let reply = r.create(body).await;
    r.record("kafka-duplicate-conflict", reply, &bindings);
}

async fn tags(r: &mut Replay) {
    r.function("tag-fn").await;
    let queue = r.queue("tag-queue").await;
    let reply = r.create(json!({ "FunctionName": "tag-fn", "EventSourceArn": queue, "BatchSize": 1, "Tags": { "testtag": "custom" } })).await;
    let uuid = uuid_of(&reply);
    let arn = format!(
        "arn:aws:lambda:{}:{ACCOUNT}:event-source-mapping:{uuid}",
        r.region
    );
    let tags_path = format!("/2017-03-31/tags/{}", arn.replace(':', "%3A"));
    let reply = r.call(Method::GET, &tags_path, None).await;
    r.record(
        "esm-tags-on-create",
        reply,
        &[("<uuid>", uuid.as_str()), ("<custom-tag>", "custom")],
    );

    r.function("tag-fn-2").await;
    let reply = r
        .create(json!({ "FunctionName": "tag-fn-2", "EventSourceArn": queue }))
        .await;
    let uuid = uuid_of(&reply);
    let arn = format!(
        "arn:aws:lambda:{}:{ACCOUNT}:event-source-mapping:{uuid}",
        r.region
    );
    let tags_path = format!("/2017-03-31/tags/{arn}");
    let reply = r
        .call(
            Method::POST,
            &tags_path,
            Some(json!({ "Tags": { "A": "tag-a" } })),
        )
        .await;
    r.record("esm-tag-resource-204", reply, &[("<uuid>", uuid.as_str())]);
    for tags in [
        json!({ "B": "tag-b", "C": "tag-c" }),
        json!({ "C": "tag-c-newsuffix", "D": "tag-d" }),
    ] {
        let reply = r
            .call(Method::POST, &tags_path, Some(json!({ "Tags": tags })))
            .await;
        assert_eq!(reply.status, 204, "{}", reply.text);
    }
    let reply = r.call(Method::GET, &tags_path, None).await;
    r.record(
        "esm-tags-overlap-merge",
        reply,
        &[("<uuid>", uuid.as_str())],
    );

    let unknown = uuid::Uuid::new_v4().to_string();
    let unknown_arn = format!(
        "arn:aws:lambda:{}:{ACCOUNT}:event-source-mapping:{unknown}",
        r.region
    );
    let reply = r
        .call(
            Method::POST,
            &format!("/2017-03-31/tags/{unknown_arn}"),
            Some(json!({ "Tags": { "A": "B" } })),
        )
        .await;
    r.record(
        "esm-tag-not-found",
        reply,
        &[("<resource-name>", unknown.as_str())],
    );
    let reply = r
        .call(
            Method::GET,
            &format!("/2017-03-31/tags/{unknown_arn}:alias"),
            None,
        )
        .await;
    r.record(
        "esm-listtags-qualified-arn",
        reply,
        &[("<resource-name>", unknown.as_str())],
    );
}

async fn sqs(r: &mut Replay) {
    r.function("sqs-fn").await;
    let reply = r
        .create(json!({ "EventSourceArn": format!("arn:aws:sqs:{}:{ACCOUNT}:not-existing-queue-1a2b3c", r.region), "FunctionName": "sqs-fn", "BatchSize": 1 }))
        .await;
    r.record(
        "sqs-nonexistent-queue",
        reply,
        &[("<short-uid>", "1a2b3c"), ("<function-name>", "sqs-fn")],
    );

    let simple = [
        ("sqs-create-defaults", json!({})),
        (
            "sqs-create-window-1",
            json!({ "MaximumBatchingWindowInSeconds": 1 }),
        ),
        (
            "sqs-create-batch-15-window-10",
            json!({ "MaximumBatchingWindowInSeconds": 10, "BatchSize": 15 }),
        ),
        (
            "sqs-create-scaling-config",
            json!({ "MaximumBatchingWindowInSeconds": 1, "BatchSize": 20, "ScalingConfig": { "MaximumConcurrency": 2 } }),
        ),
        (
            "sqs-create-filter-single",
            json!({ "MaximumBatchingWindowInSeconds": 1, "FilterCriteria": { "Filters": [{ "Pattern": "{\"body\": {\"my-key\": [\"my-value\"]}}" }] } }),
        ),
    ];
    for (index, (case, extra)) in simple.into_iter().enumerate() {
        let queue_name = format!("sqs-q{index}");
        let queue = r.queue(&queue_name).await;
        let mut body = json!({ "EventSourceArn": queue, "FunctionName": "sqs-fn" });
        for (k, v) in extra.as_object().expect("an object") {
            body[k] = v.clone();
        }
        let reply = r.create(body).await;
        let uuid = uuid_of(&reply);
        r.record(
            case,
            reply,
            &[
                ("<resource:1>", queue_name.as_str()),
                ("<resource:2>", "sqs-fn"),
                ("<uuid:1>", uuid.as_str()),
            ],
        );
    }
    let second = r.queue("sqs-second").await;
    let reply = r
        .create(json!({ "EventSourceArn": second, "FunctionName": "sqs-fn", "BatchSize": 11 }))
        .await;
    r.record(
        "sqs-create-batch-11-no-window",
        reply,
        &[("<second-queue>", "sqs-second"), ("<resource:2>", "sqs-fn")],
    );
    let reply = r
        .create(json!({ "EventSourceArn": second, "FunctionName": "sqs-fn", "BatchSize": 11 }))
        .await;
    r.record("user-sqs-batch-window-required", reply, &[]);
    let reply = r.create(json!({ "EventSourceArn": second, "FunctionName": "sqs-fn", "StartingPosition": "LATEST" })).await;
    r.record("user-sqs-starting-position-rejected", reply, &[]);

    for (case, pattern) in [
        ("sqs-invalid-filter-none", "null"),
        ("sqs-invalid-filter-simple-string", "simple string"),
    ] {
        let reply = r
            .create(json!({ "EventSourceArn": second, "FunctionName": "sqs-fn", "MaximumBatchingWindowInSeconds": 1, "FilterCriteria": { "Filters": [{ "Pattern": pattern }] } }))
            .await;
        r.record(
            case,
            reply,
            &[("<queue>", "sqs-second"), ("<function-name>", "sqs-fn")],
        );
    }

    let fifo = r.queue("sqs-fifo.fifo").await;
    let reply = r.create(json!({ "FunctionName": "sqs-fn", "EventSourceArn": fifo, "Enabled": false, "BatchSize": 1 })).await;
    let uuid = uuid_of(&reply);
    r.record(
        "sqs-fifo-create-disabled",
        reply,
        &[
            ("<resource:1>", "sqs-fifo.fifo"),
            ("<resource:2>", "sqs-fn"),
            ("<uuid:1>", uuid.as_str()),
        ],
    );
    let fifo_two = r.queue("sqs-fifo-two.fifo").await;
    let reply = r.create(json!({ "FunctionName": "sqs-fn", "EventSourceArn": fifo_two, "BatchSize": 100, "MaximumBatchingWindowInSeconds": 5 })).await;
    r.record("user-fifo-batching-window", reply, &[]);

    r.function("sqs-dup-fn").await;
    let dup = r.queue("sqs-dup").await;
    let reply = r
        .create(json!({ "FunctionName": "sqs-dup-fn", "EventSourceArn": dup }))
        .await;
    let uuid = uuid_of(&reply);
    let bindings = [
        ("<resource:1>", "sqs-dup"),
        ("<resource:2>", "sqs-dup-fn"),
        ("<uuid:1>", uuid.as_str()),
    ];
    r.record("sqs-duplicate-first", reply, &bindings);
    let reply = r
        .create(json!({ "FunctionName": "sqs-dup-fn", "EventSourceArn": dup }))
        .await;
    r.record("sqs-duplicate-conflict", reply, &bindings);
    r.function("sqs-other-fn").await;
    let other = r
        .create(json!({ "FunctionName": "sqs-other-fn", "EventSourceArn": dup }))
        .await;
    assert_eq!(
        other.status, 202,
        "another function on the same queue is no duplicate: {}",
        other.text
    );

    r.function("sqs-ver-fn").await;
    let one = r.version("sqs-ver-fn").await;
    let two = r.version("sqs-ver-fn").await;
    let queue = r.queue("sqs-ver-queue").await;
    let created = r.create(json!({ "FunctionName": format!("sqs-ver-fn:{one}"), "EventSourceArn": queue, "MaximumBatchingWindowInSeconds": 1 })).await;
    let uuid = uuid_of(&created);
    let target = format!(
        "arn:aws:lambda:{}:{ACCOUNT}:function:sqs-ver-fn:{two}",
        r.region
    );
    let reply = r
        .call(
            Method::PUT,
            &format!("{MAPPINGS}{uuid}"),
            Some(json!({ "FunctionName": target })),
        )
        .await;
    let qualified = format!("sqs-ver-fn:{two}");
    r.record(
        "sqs-update-function-version",
        reply,
        &[
            ("<resource:1>", "sqs-ver-queue"),
            ("<resource:3>", qualified.as_str()),
            ("<uuid:1>", uuid.as_str()),
        ],
    );
}

async fn real_aws_duplicate_report(r: &mut Replay) {
    r.region = "eu-central-1";
    let reply = r
        .call(
            Method::POST,
            "/2015-03-31/functions",
            Some(common::function_body("message-handler-demo", ACCOUNT)),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let queue = r.queue("profile-service-demo-queue").await;
    let first = r
        .create(json!({ "EventSourceArn": queue, "FunctionName": "message-handler-demo" }))
        .await;
    let uuid = uuid_of(&first);
    let reply = r
        .create(json!({ "EventSourceArn": queue, "FunctionName": "message-handler-demo" }))
        .await;
    r.record(
        "user-sqs-duplicate-real-aws",
        reply,
        &[("<account>", ACCOUNT), ("<uuid>", uuid.as_str())],
    );
    r.region = "us-east-1";
}

/// Fills the recording's placeholders so it can be compared with a live answer.
fn bind(text: &str, bindings: &[(String, String)], region: &str) -> String {
    let mut out = text
        .replace("arn:<partition>:", "arn:aws:")
        .replace("<region>", region);
    for (placeholder, value) in bindings {
        out = out.replace(placeholder, value);
    }
    out
}

fn bind_value(value: &Value, bindings: &[(String, String)], region: &str) -> Value {
    match value {
        Value::String(s) => Value::String(bind(s, bindings, region)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| bind_value(v, bindings, region))
                .collect(),
        ),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), bind_value(v, bindings, region)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The live body in the recording's form: timestamps as the recording masks them, filter
/// patterns parsed (the recorder stored them as objects).
fn as_recorded(actual: &mut Value, expected: &Value) {
    let Some(object) = actual.as_object_mut() else {
        return;
    };
    if let (Some(mask), Some(live)) = (expected.get("LastModified"), object.get_mut("LastModified"))
    {
        assert!(live.is_number(), "LastModified is epoch seconds: {live}");
        *live = mask.clone();
    }
    if expected.get("MaximumBatchingWindowInSeconds")
        == Some(&json!("maximum-batching-window-in-seconds"))
    {
        object.insert(
            "MaximumBatchingWindowInSeconds".into(),
            json!("maximum-batching-window-in-seconds"),
        );
    }
    if let Some(Value::Array(filters)) = object
        .get_mut("FilterCriteria")
        .and_then(|f| f.get_mut("Filters"))
    {
        for filter in filters {
            if let Some(Value::String(text)) = filter.get("Pattern") {
                filter["Pattern"] = serde_json::from_str(text).expect("a stored pattern is JSON");
            }
        }
    }
}

fn region_of(case: &str) -> &'static str {
    if case == "user-sqs-duplicate-real-aws" {
        "eu-central-1"
    } else {
        "us-east-1"
    }
}

#[tokio::test]
async fn every_recorded_case_is_reproduced() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/recorded/cases.json"
    ))
    .expect("spec/recorded/cases.json is readable");
    let recorded: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    let cases: BTreeMap<String, Value> = recorded["cases"]
        .as_array()
        .expect("a case list")
        .iter()
        .map(|c| (c["id"].as_str().expect("an id").to_owned(), c.clone()))
        .collect();

    let mut r = Replay::start().await;
    exceptions(&mut r).await;
    dynamodb_lifecycle(&mut r).await;
    function_name_variations(&mut r).await;
    kinesis(&mut r).await;
    kafka(&mut r).await;
    tags(&mut r).await;
    sqs(&mut r).await;
    real_aws_duplicate_report(&mut r).await;

    let mut failures = Vec::new();
    let mut replayed = BTreeSet::new();
    for outcome in &r.outcomes {
        let case = cases
            .get(outcome.case)
            .unwrap_or_else(|| panic!("no recorded case {}", outcome.case));
        replayed.insert(outcome.case);
        let expected = &case["expected"];
        let region = region_of(outcome.case);
        let reply = &outcome.reply;
        let mut problems = Vec::new();
        if expected["status"].as_u64() != Some(u64::from(reply.status)) {
            problems.push(format!(
                "status {} (recorded {})",
                reply.status, expected["status"]
            ));
        }
        if let Some(code) = expected["error_type"].as_str() {
            if reply.header("x-amzn-ErrorType") != Some(code) {
                problems.push(format!(
                    "error {:?} (recorded {code})",
                    reply.header("x-amzn-ErrorType")
                ));
            }
        }
        let body: Value = if reply.text.is_empty() {
            json!({})
        } else {
            reply.json()
        };
        if let Some(message) = expected["message"].as_str() {
            let message = bind(message, &outcome.bindings, region);
            let live = body
                .get("message")
                .or_else(|| body.get("Message"))
                .and_then(Value::as_str);
            if live != Some(message.as_str()) {
                problems.push(format!("message {live:?}\n      recorded {message:?}"));
            }
        }
        if !expected["body"].is_null() {
            let want = bind_value(&expected["body"], &outcome.bindings, region);
            let mut got = body.clone();
            as_recorded(&mut got, &want);
            let mut want = want;
            for (case, member, _) in IGNORED_MEMBERS
                .iter()
                .filter(|(c, _, _)| *c == outcome.case)
            {
                let _ = case;
                want.as_object_mut().map(|o| o.remove(*member));
                got.as_object_mut().map(|o| o.remove(*member));
            }
            if got != want {
                problems.push(format!("body {got}\n      recorded {want}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n    {}",
                outcome.case,
                problems.join("\n    ")
            ));
        }
    }

    let skipped: BTreeSet<&str> = NOT_APPLICABLE.iter().map(|(id, _)| *id).collect();
    let unaccounted: Vec<&String> = cases
        .keys()
        .filter(|id| !replayed.contains(id.as_str()) && !skipped.contains(id.as_str()))
        .collect();
    println!(
        "recorded cases: {} reproduced of {} replayed; {} not applicable: {:?}",
        replayed.len() - failures.len(),
        replayed.len(),
        NOT_APPLICABLE.len(),
        NOT_APPLICABLE
    );
    assert!(
        unaccounted.is_empty(),
        "recorded cases neither replayed nor listed as not applicable: {unaccounted:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} recorded cases differ:\n{}",
        failures.len(),
        replayed.len(),
        failures.join("\n")
    );
}
