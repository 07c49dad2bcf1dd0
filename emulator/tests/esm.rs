//! Event-source-mapping behaviour beyond the recorded cases: every source type's defaults and
//! key set, the lifecycle with a configured settle delay, function forms, missing sources,
//! duplicates, List's filters and paging, updates checked against the resulting mapping, tags,
//! and bad input on the family's routes. Statuses, `x-amzn-ErrorType` and bodies are exact.

mod common;

use std::time::Duration;

use common::{authorization, Harness, Reply, ACCOUNT, REGION};
use conform_emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::{json, Map, Value};

const MAPPINGS: &str = "/2015-03-31/event-source-mappings/";
const NOT_FOUND: &str = "The resource you requested does not exist.";
const HOUR: Duration = Duration::from_secs(3600);
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-creds";

// ---------------------------------------------------------------------------------------------
// Fixtures and calls

async fn harness(settle: Duration) -> Harness {
    let config = EmulatorConfig {
        settle_delay: settle,
        ..EmulatorConfig::default()
    };
    Harness::with(Emulator::start(config).await.expect("the emulator starts"))
}

fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
}

fn mapping_arn(uuid: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{uuid}")
}

fn queue_arn(name: &str) -> String {
    format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}")
}

fn stream_arn(name: &str) -> String {
    format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}")
}

async fn queue(h: &Harness, name: &str) -> String {
    let mut body = json!({ "QueueName": name });
    if name.ends_with(".fifo") {
        body["Attributes"] = json!({ "FifoQueue": "true" });
    }
    let reply = h.sqs("CreateQueue", body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    queue_arn(name)
}

async fn stream(h: &Harness, name: &str) -> String {
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": name, "ShardCount": 1 }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    stream_arn(name)
}

/// A table with a stream; its stream ARN.
async fn table_stream(h: &Harness, name: &str) -> String {
    let reply = h
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
    reply.json()["TableDescription"]["LatestStreamArn"]
        .as_str()
        .expect("a stream ARN")
        .to_owned()
}

async fn version(h: &Harness, function: &str) -> String {
    let reply = h
        .lambda(
            Method::POST,
            &format!("/2015-03-31/functions/{function}/versions"),
            Some(json!({})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["Version"]
        .as_str()
        .expect("a version")
        .to_owned()
}

async fn alias(h: &Harness, function: &str, alias: &str, version: &str) {
    let reply = h
        .lambda(
            Method::POST,
            &format!("/2015-03-31/functions/{function}/aliases"),
            Some(json!({ "Name": alias, "FunctionVersion": version })),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

async fn create(h: &Harness, body: Value) -> Reply {
    h.lambda(Method::POST, MAPPINGS, Some(body)).await
}

/// A create that must succeed; its UUID.
async fn created(h: &Harness, body: Value) -> String {
    let reply = create(h, body).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    uuid_of(&reply)
}

async fn get(h: &Harness, uuid: &str) -> Reply {
    h.lambda(Method::GET, &format!("{MAPPINGS}{uuid}"), None)
        .await
}

async fn update(h: &Harness, uuid: &str, body: Value) -> Reply {
    h.lambda(Method::PUT, &format!("{MAPPINGS}{uuid}"), Some(body))
        .await
}

async fn delete(h: &Harness, uuid: &str) -> Reply {
    h.lambda(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
        .await
}

async fn list(h: &Harness, query: &str) -> Reply {
    let reply = h
        .lambda(Method::GET, &format!("{MAPPINGS}{query}"), None)
        .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply
}

/// The UUIDs a List answer holds, in order.
fn listed(reply: &Reply) -> Vec<String> {
    reply.json()["EventSourceMappings"]
        .as_array()
        .unwrap_or_else(|| panic!("no EventSourceMappings in {}", reply.text))
        .iter()
        .map(|m| m["UUID"].as_str().expect("a UUID").to_owned())
        .collect()
}

fn uuid_of(reply: &Reply) -> String {
    reply.json()["UUID"]
        .as_str()
        .unwrap_or_else(|| panic!("no UUID in {}", reply.text))
        .to_owned()
}

fn state_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["State"]
        .as_str()
        .unwrap_or_else(|| panic!("no State in {}", reply.text))
        .to_owned()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Checks a mapping's members exactly: `expected` holds every member but the three that vary
/// (UUID, EventSourceMappingArn, LastModified), which are checked for their form. Returns the
/// UUID.
fn assert_mapping(reply: &Reply, status: u16, expected: Value) -> String {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let Value::Object(mut body) = reply.json() else {
        panic!("not an object: {}", reply.text)
    };
    let uuid = body
        .remove("UUID")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("no UUID in {}", reply.text));
    let parsed = uuid::Uuid::parse_str(&uuid).expect("the UUID is a UUID");
    assert_eq!(parsed.get_version_num(), 4, "{uuid}");
    assert_eq!(
        body.remove("EventSourceMappingArn"),
        Some(Value::String(mapping_arn(&uuid)))
    );
    let modified = body
        .remove("LastModified")
        .and_then(|v| v.as_f64())
        .unwrap_or_else(|| panic!("LastModified is not epoch seconds: {}", reply.text));
    assert!(modified > 1.7e9, "{modified}");
    let expected = fill_uuid(expected, &uuid);
    let Value::Object(expected) = expected else {
        panic!("expected members must be an object")
    };
    assert_eq!(keys(&body), keys(&expected), "key set of {}", reply.text);
    assert_eq!(Value::Object(body), Value::Object(expected));
    uuid
}

/// Replaces `<uuid>` in every string of `value`.
fn fill_uuid(value: Value, uuid: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace("<uuid>", uuid)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| fill_uuid(v, uuid)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, fill_uuid(v, uuid)))
                .collect(),
        ),
        other => other,
    }
}

fn keys(map: &Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn with_state(mut expected: Value, state: &str) -> Value {
    expected["State"] = json!(state);
    expected
}

fn user_error(message: &str) -> Value {
    json!({ "Type": "User", "message": message })
}

fn not_found() -> Value {
    json!({ "Type": "User", "Message": NOT_FOUND })
}

/// Creates, then checks the create answer and a settled Get against the same members.
async fn check_defaults(h: &Harness, request: Value, expected: Value) -> String {
    let reply = create(h, request).await;
    let uuid = assert_mapping(&reply, 202, with_state(expected.clone(), "Creating"));
    let reply = get(h, &uuid).await;
    assert_eq!(
        assert_mapping(&reply, 200, with_state(expected, "Enabled")),
        uuid
    );
    uuid
}

// ---------------------------------------------------------------------------------------------
// Every source type: defaults, key set, StateTransitionReason

#[tokio::test]
async fn sqs_standard_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "standard").await;
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn }),
        json!({
            "BatchSize": 10,
            "EventSourceArn": arn,
            "FunctionArn": function_arn("fn"),
            "FunctionResponseTypes": [],
            "MaximumBatchingWindowInSeconds": 0,
            "StateTransitionReason": "USER_INITIATED",
        }),
    )
    .await;
}

#[tokio::test]
async fn sqs_fifo_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "ordered.fifo").await;
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn }),
        json!({
            "BatchSize": 10,
            "EventSourceArn": arn,
            "FunctionArn": function_arn("fn"),
            "FunctionResponseTypes": [],
            "MaximumBatchingWindowInSeconds": 0,
            "StateTransitionReason": "USER_INITIATED",
        }),
    )
    .await;
}

fn stream_defaults(arn: &str, position: &str) -> Value {
    json!({
        "BatchSize": 100,
        "BisectBatchOnFunctionError": false,
        "DestinationConfig": { "OnFailure": {} },
        "EventSourceArn": arn,
        "FunctionArn": function_arn("fn"),
        "FunctionResponseTypes": [],
        "LastProcessingResult": "No records processed",
        "MaximumBatchingWindowInSeconds": 0,
        "MaximumRecordAgeInSeconds": -1,
        "MaximumRetryAttempts": -1,
        "ParallelizationFactor": 1,
        "StartingPosition": position,
        "StateTransitionReason": "User action",
        "TumblingWindowInSeconds": 0,
    })
}

#[tokio::test]
async fn kinesis_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = stream(&h, "clicks").await;
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "StartingPosition": "LATEST" }),
        stream_defaults(&arn, "LATEST"),
    )
    .await;
}

#[tokio::test]
async fn dynamodb_streams_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = table_stream(&h, "orders").await;
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "StartingPosition": "TRIM_HORIZON" }),
        stream_defaults(&arn, "TRIM_HORIZON"),
    )
    .await;
}

#[tokio::test]
async fn msk_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = format!(
        "arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/events/0f4e1c2a-1111-2222-3333-444455556666-7"
    );
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "Topics": ["orders"] }),
        json!({
            "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "<uuid>" },
            "BatchSize": 100,
            "EventSourceArn": arn,
            "FunctionArn": function_arn("fn"),
            "LastProcessingResult": "No records processed",
            "StartingPosition": "TRIM_HORIZON",
            "StateTransitionReason": "USER_INITIATED",
            "Topics": ["orders"],
        }),
    )
    .await;

    // A consumer group and position that are given are kept.
    let reply = create(
        &h,
        json!({
            "FunctionName": "fn", "EventSourceArn": arn, "Topics": ["payments"],
            "StartingPosition": "LATEST",
            "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "my-group" },
        }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let body = reply.json();
    assert_eq!(
        body["AmazonManagedKafkaEventSourceConfig"],
        json!({ "ConsumerGroupId": "my-group" })
    );
    assert_eq!(body["StartingPosition"], "LATEST");
}

#[tokio::test]
async fn self_managed_kafka_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let source =
        json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["broker-1:9092", "broker-2:9092"] } });
    let access = json!([{ "Type": "BASIC_AUTH", "URI": SECRET }]);
    let uuid = check_defaults(
        &h,
        json!({
            "FunctionName": "fn", "SelfManagedEventSource": source,
            "Topics": ["orders"], "SourceAccessConfigurations": access,
        }),
        json!({
            "BatchSize": 100,
            "FunctionArn": function_arn("fn"),
            "LastProcessingResult": "No records processed",
            "SelfManagedEventSource": source,
            "SelfManagedKafkaEventSourceConfig": { "ConsumerGroupId": "<uuid>" },
            "SourceAccessConfigurations": access,
            "StartingPosition": "TRIM_HORIZON",
            "StateTransitionReason": "USER_INITIATED",
            "Topics": ["orders"],
        }),
    )
    .await;
    let body = get(&h, &uuid).await.json();
    assert_eq!(
        body["SelfManagedKafkaEventSourceConfig"]["ConsumerGroupId"],
        json!(uuid),
        "the consumer group defaults to the mapping's UUID"
    );
}

#[tokio::test]
async fn mq_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = format!(
        "arn:aws:mq:{REGION}:{ACCOUNT}:broker:orders:b-0f4e1c2a-1111-2222-3333-444455556666"
    );
    let access = json!([{ "Type": "BASIC_AUTH", "URI": SECRET }]);
    check_defaults(
        &h,
        json!({
            "FunctionName": "fn", "EventSourceArn": arn,
            "Queues": ["orders"], "SourceAccessConfigurations": access,
        }),
        json!({
            "BatchSize": 100,
            "EventSourceArn": arn,
            "FunctionArn": function_arn("fn"),
            "LastProcessingResult": "No records processed",
            "Queues": ["orders"],
            "SourceAccessConfigurations": access,
            "StateTransitionReason": "USER_INITIATED",
        }),
    )
    .await;
}

#[tokio::test]
async fn documentdb_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:docs");
    let config = json!({ "DatabaseName": "shop", "CollectionName": "orders" });
    check_defaults(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "DocumentDBEventSourceConfig": config }),
        json!({
            "BatchSize": 100,
            "DocumentDBEventSourceConfig": config,
            "EventSourceArn": arn,
            "FunctionArn": function_arn("fn"),
            "LastProcessingResult": "No records processed",
            "StateTransitionReason": "USER_INITIATED",
        }),
    )
    .await;
}

#[tokio::test]
async fn given_members_replace_defaults() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = stream(&h, "tuned").await;
    let dlq = queue(&h, "dlq").await;
    let reply = create(
        &h,
        json!({
            "FunctionName": "fn", "EventSourceArn": arn, "StartingPosition": "TRIM_HORIZON",
            "BatchSize": 500, "MaximumBatchingWindowInSeconds": 5, "ParallelizationFactor": 4,
            "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": 3600,
            "BisectBatchOnFunctionError": true, "TumblingWindowInSeconds": 60,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": { "OnFailure": { "Destination": dlq } },
        }),
    )
    .await;
    let mut expected = stream_defaults(&arn, "TRIM_HORIZON");
    for (member, value) in [
        ("BatchSize", json!(500)),
        ("MaximumBatchingWindowInSeconds", json!(5)),
        ("ParallelizationFactor", json!(4)),
        ("MaximumRetryAttempts", json!(3)),
        ("MaximumRecordAgeInSeconds", json!(3600)),
        ("BisectBatchOnFunctionError", json!(true)),
        ("TumblingWindowInSeconds", json!(60)),
        ("FunctionResponseTypes", json!(["ReportBatchItemFailures"])),
        (
            "DestinationConfig",
            json!({ "OnFailure": { "Destination": dlq } }),
        ),
    ] {
        expected[member] = value;
    }
    assert_mapping(&reply, 202, with_state(expected, "Creating"));
}

// ---------------------------------------------------------------------------------------------
// States

#[tokio::test]
async fn states_settle_at_once_with_a_zero_delay() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;

    let reply = create(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["State"], "Creating");
    let uuid = uuid_of(&reply);
    assert_eq!(state_of(&get(&h, &uuid).await), "Enabled");

    let steps = [
        (json!({ "BatchSize": 5 }), "Updating", "Enabled"),
        (json!({ "Enabled": false }), "Disabling", "Disabled"),
        (json!({ "BatchSize": 6 }), "Updating", "Disabled"),
        (json!({ "Enabled": false }), "Updating", "Disabled"),
        (json!({ "Enabled": true }), "Enabling", "Enabled"),
        (json!({ "Enabled": true }), "Updating", "Enabled"),
    ];
    for (body, answered, settled) in steps {
        let reply = update(&h, &uuid, body.clone()).await;
        assert_eq!(reply.status, 202, "{body}: {}", reply.text);
        assert_eq!(reply.json()["State"], answered, "{body}");
        assert_eq!(state_of(&get(&h, &uuid).await), settled, "{body}");
    }

    let reply = delete(&h, &uuid).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["State"], "Deleting");
    assert_eq!(reply.json()["UUID"], json!(uuid));
    assert_gone(&h, &uuid).await;

    // Created disabled: answered and kept as Disabled.
    let reply = create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "Enabled": false }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["State"], "Disabled");
    let uuid = uuid_of(&reply);
    assert_eq!(state_of(&get(&h, &uuid).await), "Disabled");
    let reply = delete(&h, &uuid).await;
    assert_eq!(reply.json()["State"], "Deleting");
    assert_gone(&h, &uuid).await;
}

/// Get, Update and Delete of a mapping that is gone: 404 with the generic text.
async fn assert_gone(h: &Harness, uuid: &str) {
    get(h, uuid)
        .await
        .assert_rest_error(404, "ResourceNotFoundException", not_found());
    update(h, uuid, json!({ "BatchSize": 2 }))
        .await
        .assert_rest_error(404, "ResourceNotFoundException", not_found());
    delete(h, uuid)
        .await
        .assert_rest_error(404, "ResourceNotFoundException", not_found());
    assert!(!listed(&list(h, "").await).contains(&uuid.to_owned()));
}

#[tokio::test]
async fn transitional_states_hold_until_the_delay_has_passed() {
    let h = harness(HOUR).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;

    let uuid = created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;
    assert_eq!(state_of(&get(&h, &uuid).await), "Creating");
    let listed_state = list(&h, "").await.json()["EventSourceMappings"][0]["State"].clone();
    assert_eq!(listed_state, "Creating");

    let reply = update(&h, &uuid, json!({ "Enabled": false })).await;
    assert_eq!(reply.json()["State"], "Disabling");
    assert_eq!(state_of(&get(&h, &uuid).await), "Disabling");
    let reply = update(&h, &uuid, json!({ "Enabled": true })).await;
    assert_eq!(reply.json()["State"], "Enabling");
    assert_eq!(state_of(&get(&h, &uuid).await), "Enabling");

    // Deleting is visible to Get and List until the delay has passed.
    let reply = delete(&h, &uuid).await;
    assert_eq!(reply.status, 202);
    assert_eq!(reply.json()["State"], "Deleting");
    assert_eq!(state_of(&get(&h, &uuid).await), "Deleting");
    assert_eq!(listed(&list(&h, "").await), vec![uuid.clone()]);
    // A mapping on its way out can be neither updated (which would bring it back) nor
    // deleted again.
    let in_use = json!({ "Type": "User", "Message": format!("The event source mapping {uuid} is being deleted.") });
    update(&h, &uuid, json!({ "Enabled": true }))
        .await
        .assert_rest_error(400, "ResourceInUseException", in_use.clone());
    delete(&h, &uuid)
        .await
        .assert_rest_error(400, "ResourceInUseException", in_use);
    assert_eq!(state_of(&get(&h, &uuid).await), "Deleting");

    let reply = create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue(&h, "q2").await, "Enabled": false }),
    )
    .await;
    assert_eq!(reply.json()["State"], "Disabled");
    assert_eq!(state_of(&get(&h, &uuid_of(&reply)).await), "Disabled");
}

/// Polls Get until the state leaves `transitional`; returns what it settled into (or `None`
/// once the mapping is gone). Every state seen before must be `transitional`.
async fn settle(h: &Harness, uuid: &str, transitional: &str) -> Option<String> {
    for _ in 0..600 {
        let reply = get(h, uuid).await;
        if reply.status == 404 {
            reply.assert_rest_error(404, "ResourceNotFoundException", not_found());
            return None;
        }
        let state = state_of(&reply);
        if state != transitional {
            return Some(state);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{uuid} stayed {transitional}");
}

#[tokio::test]
async fn states_settle_after_a_short_delay() {
    let h = harness(Duration::from_millis(300)).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;

    let reply = create(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;
    assert_eq!(reply.json()["State"], "Creating");
    let uuid = uuid_of(&reply);
    assert_eq!(
        settle(&h, &uuid, "Creating").await.as_deref(),
        Some("Enabled")
    );

    let reply = update(&h, &uuid, json!({ "BatchSize": 3 })).await;
    assert_eq!(reply.json()["State"], "Updating");
    assert_eq!(
        settle(&h, &uuid, "Updating").await.as_deref(),
        Some("Enabled")
    );
    assert_eq!(get(&h, &uuid).await.json()["BatchSize"], 3);

    let reply = update(&h, &uuid, json!({ "Enabled": false })).await;
    assert_eq!(reply.json()["State"], "Disabling");
    assert_eq!(
        settle(&h, &uuid, "Disabling").await.as_deref(),
        Some("Disabled")
    );

    let reply = update(&h, &uuid, json!({ "Enabled": true })).await;
    assert_eq!(reply.json()["State"], "Enabling");
    assert_eq!(
        settle(&h, &uuid, "Enabling").await.as_deref(),
        Some("Enabled")
    );

    let reply = delete(&h, &uuid).await;
    assert_eq!(reply.json()["State"], "Deleting");
    assert_eq!(settle(&h, &uuid, "Deleting").await, None);
    assert_gone(&h, &uuid).await;
}

// ---------------------------------------------------------------------------------------------
// Functions

#[tokio::test]
async fn function_forms_are_echoed_in_function_arn() {
    let h = harness(Duration::ZERO).await;
    h.create_function("forms").await;
    let v = version(&h, "forms").await;
    assert_eq!(v, "1");
    alias(&h, "forms", "live", &v).await;
    let base = function_arn("forms");
    let forms = [
        ("forms".to_owned(), base.clone()),
        ("forms:1".to_owned(), format!("{base}:1")),
        ("forms:live".to_owned(), format!("{base}:live")),
        ("forms:$LATEST".to_owned(), format!("{base}:$LATEST")),
        (format!("{ACCOUNT}:function:forms"), base.clone()),
        (
            format!("{ACCOUNT}:function:forms:live"),
            format!("{base}:live"),
        ),
        (base.clone(), base.clone()),
        (format!("{base}:1"), format!("{base}:1")),
        (format!("{base}:live"), format!("{base}:live")),
    ];
    for (i, (name, arn)) in forms.iter().enumerate() {
        let source = queue(&h, &format!("forms-{i}")).await;
        let reply = create(
            &h,
            json!({ "FunctionName": name, "EventSourceArn": source }),
        )
        .await;
        assert_eq!(reply.status, 202, "{name}: {}", reply.text);
        assert_eq!(reply.json()["FunctionArn"], json!(arn), "{name}");
        let uuid = uuid_of(&reply);
        assert_eq!(
            get(&h, &uuid).await.json()["FunctionArn"],
            json!(arn),
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_functions_versions_and_aliases() {
    let h = harness(Duration::ZERO).await;
    h.create_function("known").await;
    alias(&h, "known", "latest", "$LATEST").await;
    let source = queue(&h, "q").await;
    let base = function_arn("known");
    for name in [
        "unknown".to_owned(),
        "unknown:1".to_owned(),
        "known:7".to_owned(),
        "known:nope".to_owned(),
        format!("{base}:7"),
        format!("{base}:nope"),
        format!("{ACCOUNT}:function:known:nope"),
        function_arn("unknown"),
    ] {
        create(
            &h,
            json!({ "FunctionName": name, "EventSourceArn": source }),
        )
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error("Function does not exist"),
        );
    }
    // The alias that exists works.
    let reply = create(
        &h,
        json!({ "FunctionName": "known:latest", "EventSourceArn": source }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["FunctionArn"], json!(format!("{base}:latest")));
    assert_eq!(listed(&list(&h, "").await).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Missing sources

#[tokio::test]
async fn missing_sources_per_type() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let sqs_missing = "Error occurred while ReceiveMessage. SQS Error Code: \
        AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.";
    for arn in [queue_arn("absent"), queue_arn("absent.fifo")] {
        create(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn }))
            .await
            .assert_rest_error(
                400,
                "InvalidParameterValueException",
                user_error(sqs_missing),
            );
    }
    // A queue of another region is not this region's queue.
    queue(&h, "here").await;
    let elsewhere = format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:here");
    create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": elsewhere }),
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error(sqs_missing),
    );

    let arn = stream_arn("absent");
    create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "StartingPosition": "LATEST" }),
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error(&format!("Stream not found: {arn}")),
    );

    let arn =
        format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/absent/stream/2026-11-26T00:00:00.000");
    create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "StartingPosition": "LATEST" }),
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error(&format!("Stream not found: {arn}")),
    );
    // A table that exists, with a stream label that is not its stream's.
    let real = table_stream(&h, "present").await;
    let (table, _) = real.split_once("/stream/").expect("a stream ARN");
    let stale = format!("{table}/stream/1999-01-01T00:00:00.000");
    create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": stale, "StartingPosition": "LATEST" }),
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error(&format!("Stream not found: {stale}")),
    );

    // The function is checked before the source.
    create(
        &h,
        json!({ "FunctionName": "nobody", "EventSourceArn": queue_arn("absent") }),
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error("Function does not exist"),
    );
    assert!(listed(&list(&h, "").await).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Duplicates

/// A duplicate's message, given the UUID of the mapping that exists.
type Message<'a> = Box<dyn Fn(&str) -> String + 'a>;

#[tokio::test]
async fn duplicates_conflict_with_each_sources_template() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let fn_arn = function_arn("fn");
    let sqs = queue(&h, "dup").await;
    let fifo = queue(&h, "dup.fifo").await;
    let kinesis = stream(&h, "dup").await;
    let ddb = table_stream(&h, "dup").await;
    let msk = format!("arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/dup/abc-1");
    let mq = format!("arn:aws:mq:{REGION}:{ACCOUNT}:broker:dup:b-1");
    let docdb = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:dup");
    let access = json!([{ "Type": "BASIC_AUTH", "URI": SECRET }]);
    let sqs_template = |arn: &str, name: &str, uuid: &str| {
        format!(
            "An event source mapping with SQS arn (\" {arn} \") and function (\" {name} \") already \
             exists. Please update or delete the existing mapping with UUID {uuid}"
        )
    };
    let stream_template = |arn: &str, name: &str, uuid: &str| {
        format!(
            "The event source arn (\" {arn} \") and function (\" {name} \") provided mapping \
             already exists. Please update or delete the existing mapping with UUID {uuid}"
        )
    };
    let cases: Vec<(Value, Message)> = vec![
        (
            json!({ "FunctionName": "fn", "EventSourceArn": sqs }),
            Box::new(|uuid: &str| sqs_template(&sqs, "fn", uuid)),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": fifo }),
            Box::new(|uuid: &str| sqs_template(&fifo, "fn", uuid)),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": kinesis, "StartingPosition": "LATEST" }),
            Box::new(|uuid: &str| stream_template(&kinesis, "fn", uuid)),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": ddb, "StartingPosition": "LATEST" }),
            Box::new(|uuid: &str| stream_template(&ddb, "fn", uuid)),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": msk, "Topics": ["orders"] }),
            Box::new(|uuid: &str| {
                format!(
                    "An event source mapping with event source (\"{msk}\"), function (\"{fn_arn}\"), \
                     topics (\"orders\") already exists. Please update or delete the existing \
                     mapping with UUID {uuid}"
                )
            }),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": mq, "Queues": ["orders"], "SourceAccessConfigurations": access }),
            Box::new(|uuid: &str| {
                format!(
                    "An event source mapping with event source (\"{mq}\"), function (\"{fn_arn}\"), \
                     queues (\"orders\") already exists. Please update or delete the existing \
                     mapping with UUID {uuid}"
                )
            }),
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": docdb, "DocumentDBEventSourceConfig": { "DatabaseName": "db", "CollectionName": "c" } }),
            Box::new(|uuid: &str| {
                format!(
                    "An event source mapping with event source (\"{docdb}\"), function (\"{fn_arn}\") \
                     already exists. Please update or delete the existing mapping with UUID {uuid}"
                )
            }),
        ),
        (
            json!({
                "FunctionName": "fn", "Topics": ["orders"], "SourceAccessConfigurations": access,
                "SelfManagedEventSource": { "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["kafka:1000"] } },
            }),
            Box::new(|uuid: &str| {
                format!(
                    "An event source mapping with event source (\"kafka:1000\"), function (\"{fn_arn}\"), \
                     topics (\"orders\") already exists. Please update or delete the existing \
                     mapping with UUID {uuid}"
                )
            }),
        ),
    ];
    let mut uuids = Vec::new();
    for (request, message) in &cases {
        let uuid = created(&h, request.clone()).await;
        create(&h, request.clone()).await.assert_rest_error(
            409,
            "ResourceConflictException",
            user_error(&message(&uuid)),
        );
        uuids.push(uuid);
    }
    // Only the first of each pair was stored.
    assert_eq!(listed(&list(&h, "").await), uuids);

    // The SQS template names the function as it was sent.
    create(&h, json!({ "FunctionName": fn_arn, "EventSourceArn": sqs }))
        .await
        .assert_rest_error(
            409,
            "ResourceConflictException",
            user_error(&sqs_template(&sqs, &fn_arn, &uuids[0])),
        );
}

#[tokio::test]
async fn what_is_not_a_duplicate() {
    let h = harness(Duration::ZERO).await;
    h.create_function("one").await;
    h.create_function("two").await;
    let arn = queue(&h, "shared").await;
    let first = created(&h, json!({ "FunctionName": "one", "EventSourceArn": arn })).await;
    // Another function on the same queue.
    created(&h, json!({ "FunctionName": "two", "EventSourceArn": arn })).await;
    // Another topic of the same cluster, another collection of the same database.
    let msk = format!("arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/c/abc-1");
    created(
        &h,
        json!({ "FunctionName": "one", "EventSourceArn": msk, "Topics": ["alpha"] }),
    )
    .await;
    created(
        &h,
        json!({ "FunctionName": "one", "EventSourceArn": msk, "Topics": ["beta"] }),
    )
    .await;
    let docdb = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:docs");
    for collection in ["a", "b"] {
        created(
            &h,
            json!({ "FunctionName": "one", "EventSourceArn": docdb,
                    "DocumentDBEventSourceConfig": { "DatabaseName": "db", "CollectionName": collection } }),
        )
        .await;
    }
    // Self-managed Kafka: other bootstrap servers, or another topic of the same servers.
    let access = json!([{ "Type": "BASIC_AUTH", "URI": SECRET }]);
    for (servers, topic) in [
        ("k1:9092", "alpha"),
        ("k2:9092", "alpha"),
        ("k1:9092", "beta"),
    ] {
        created(
            &h,
            json!({
                "FunctionName": "one", "Topics": [topic], "SourceAccessConfigurations": access,
                "SelfManagedEventSource": { "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": [servers] } },
            }),
        )
        .await;
    }
    // MQ: another queue of the same broker.
    let mq = format!("arn:aws:mq:{REGION}:{ACCOUNT}:broker:b:b-1");
    for broker_queue in ["alpha", "beta"] {
        created(
            &h,
            json!({ "FunctionName": "one", "EventSourceArn": mq, "Queues": [broker_queue],
                    "SourceAccessConfigurations": access }),
        )
        .await;
    }
    // The same pair again once the first mapping is gone.
    assert_eq!(delete(&h, &first).await.status, 202);
    created(&h, json!({ "FunctionName": "one", "EventSourceArn": arn })).await;
    assert_eq!(listed(&list(&h, "").await).len(), 11);
}

#[tokio::test]
async fn update_refuses_a_duplicate_as_create_does() {
    let h = harness(Duration::ZERO).await;
    h.create_function("one").await;
    h.create_function("two").await;
    let sqs = queue(&h, "shared").await;
    let kinesis = stream(&h, "shared").await;
    let taken = created(&h, json!({ "FunctionName": "one", "EventSourceArn": sqs })).await;
    let moving = created(&h, json!({ "FunctionName": "two", "EventSourceArn": sqs })).await;
    let before = get(&h, &moving).await.json();

    // The function as the update names it, the UUID of the mapping that holds the pair.
    for name in ["one".to_owned(), function_arn("one")] {
        update(&h, &moving, json!({ "FunctionName": name, "BatchSize": 5 }))
            .await
            .assert_rest_error(
                409,
                "ResourceConflictException",
                user_error(&format!(
                    "An event source mapping with SQS arn (\" {sqs} \") and function (\" {name} \") \
                     already exists. Please update or delete the existing mapping with UUID {taken}"
                )),
            );
    }
    // The refused updates changed nothing, not even LastModified or State.
    assert_eq!(get(&h, &moving).await.json(), before);
    assert_eq!(
        listed(&list(&h, "?FunctionName=one").await),
        vec![taken.clone()]
    );

    // Streams conflict with their own template.
    let stream_taken = created(
        &h,
        json!({ "FunctionName": "one", "EventSourceArn": kinesis, "StartingPosition": "LATEST" }),
    )
    .await;
    let stream_moving = created(
        &h,
        json!({ "FunctionName": "two", "EventSourceArn": kinesis, "StartingPosition": "LATEST" }),
    )
    .await;
    update(&h, &stream_moving, json!({ "FunctionName": "one" }))
        .await
        .assert_rest_error(
            409,
            "ResourceConflictException",
            user_error(&format!(
                "The event source arn (\" {kinesis} \") and function (\" one \") provided mapping \
                 already exists. Please update or delete the existing mapping with UUID {stream_taken}"
            )),
        );

    // A DocumentDB mapping moved onto another's collection is a duplicate too.
    let docdb = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:docs");
    let collection = |name: &str| json!({ "DatabaseName": "db", "CollectionName": name });
    let docs_taken = created(
        &h,
        json!({ "FunctionName": "one", "EventSourceArn": docdb, "DocumentDBEventSourceConfig": collection("a") }),
    )
    .await;
    let docs_moving = created(
        &h,
        json!({ "FunctionName": "one", "EventSourceArn": docdb, "DocumentDBEventSourceConfig": collection("b") }),
    )
    .await;
    update(
        &h,
        &docs_moving,
        json!({ "DocumentDBEventSourceConfig": collection("a") }),
    )
    .await
    .assert_rest_error(
        409,
        "ResourceConflictException",
        user_error(&format!(
            "An event source mapping with event source (\"{docdb}\"), function (\"{}\") already \
             exists. Please update or delete the existing mapping with UUID {docs_taken}",
            function_arn("one")
        )),
    );

    // A mapping is not its own duplicate: naming its own function again is a plain update.
    let reply = update(&h, &taken, json!({ "FunctionName": "one", "BatchSize": 3 })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    // Once the pair is free, the move succeeds.
    assert_eq!(delete(&h, &taken).await.status, 202);
    let reply = update(&h, &moving, json!({ "FunctionName": "one" })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["FunctionArn"], json!(function_arn("one")));
}

// ---------------------------------------------------------------------------------------------
// List

#[tokio::test]
async fn list_filters_match_exactly() {
    let h = harness(Duration::ZERO).await;
    for name in ["alpha", "alphabet", "xalpha", "alph"] {
        h.create_function(name).await;
    }
    let q1 = queue(&h, "q1").await;
    let q1x = queue(&h, "q1-extra").await;
    let q = queue(&h, "q").await;
    let mut uuid = std::collections::BTreeMap::new();
    for function in ["alpha", "alphabet", "xalpha", "alph"] {
        for (queue_name, arn) in [("q1", &q1), ("q1-extra", &q1x), ("q", &q)] {
            let id = created(
                &h,
                json!({ "FunctionName": function, "EventSourceArn": arn }),
            )
            .await;
            uuid.insert((function, queue_name), id);
        }
    }
    let pick =
        |pairs: &[(&str, &str)]| -> Vec<String> { pairs.iter().map(|p| uuid[p].clone()).collect() };

    let by_name = list(&h, "?FunctionName=alpha").await;
    assert_eq!(
        listed(&by_name),
        pick(&[("alpha", "q1"), ("alpha", "q1-extra"), ("alpha", "q")])
    );
    let by_arn = list(
        &h,
        &format!("?FunctionName={}", url_encode(&function_arn("alpha"))),
    )
    .await;
    assert_eq!(listed(&by_arn), listed(&by_name));
    let partial = list(&h, &format!("?FunctionName={ACCOUNT}%3Afunction%3Aalpha")).await;
    assert_eq!(listed(&partial), listed(&by_name));

    assert_eq!(
        listed(&list(&h, &format!("?EventSourceArn={}", url_encode(&q1))).await),
        pick(&[
            ("alpha", "q1"),
            ("alphabet", "q1"),
            ("xalpha", "q1"),
            ("alph", "q1")
        ])
    );
    assert_eq!(
        listed(&list(&h, &format!("?EventSourceArn={}", url_encode(&q))).await),
        pick(&[
            ("alpha", "q"),
            ("alphabet", "q"),
            ("xalpha", "q"),
            ("alph", "q")
        ])
    );
    assert_eq!(
        listed(
            &list(
                &h,
                &format!("?EventSourceArn={}&FunctionName=alph", url_encode(&q1x))
            )
            .await
        ),
        pick(&[("alph", "q1-extra")])
    );
    // Prefixes and substrings match nothing.
    for query in [
        "?FunctionName=alp".to_owned(),
        "?FunctionName=lpha".to_owned(),
        "?FunctionName=nobody".to_owned(),
        format!("?EventSourceArn={}", url_encode(&queue_arn("q1-"))),
        format!("?EventSourceArn={}", url_encode(&queue_arn(""))),
    ] {
        let reply = list(&h, &query).await;
        assert_eq!(
            reply.json(),
            json!({ "EventSourceMappings": [] }),
            "{query}"
        );
    }
    // The filter that names a region elsewhere finds nothing here.
    let reply = list(
        &h,
        &format!(
            "?FunctionName={}",
            url_encode(&format!(
                "arn:aws:lambda:eu-west-1:{ACCOUNT}:function:alpha"
            ))
        ),
    )
    .await;
    assert_eq!(reply.json(), json!({ "EventSourceMappings": [] }));
}

#[tokio::test]
async fn list_pages_with_max_items_and_marker() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    h.create_function("other").await;
    let mut all = Vec::new();
    for i in 0..7 {
        let arn = queue(&h, &format!("page-{i}")).await;
        all.push(created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await);
        // Interleaved mappings of another function must not disturb the filtered pages.
        created(
            &h,
            json!({ "FunctionName": "other", "EventSourceArn": arn }),
        )
        .await;
    }

    for page_size in [1usize, 2, 3, 6, 7, 8, 100] {
        let mut seen = Vec::new();
        let mut marker: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut query = format!("?FunctionName=fn&MaxItems={page_size}");
            if let Some(m) = &marker {
                query.push_str(&format!("&Marker={m}"));
            }
            let reply = list(&h, &query).await;
            let page = listed(&reply);
            assert!(page.len() <= page_size, "{query}: {}", page.len());
            seen.extend(page);
            pages += 1;
            match reply.json().get("NextMarker") {
                Some(next) => {
                    let next = next.as_str().expect("a string marker").to_owned();
                    assert!(!next.is_empty());
                    marker = Some(next);
                }
                None => break,
            }
            assert!(pages <= all.len(), "paging does not end");
        }
        assert_eq!(seen, all, "MaxItems={page_size}");
        assert_eq!(
            pages,
            all.len().div_ceil(page_size).max(1),
            "MaxItems={page_size}"
        );
    }

    // Without MaxItems every mapping fits on one page, with no NextMarker.
    let reply = list(&h, "").await;
    assert_eq!(listed(&reply).len(), 14);
    assert!(reply.json().get("NextMarker").is_none(), "{}", reply.text);
    let reply = list(&h, "?MaxItems=14").await;
    assert_eq!(listed(&reply).len(), 14);
    assert!(reply.json().get("NextMarker").is_none(), "{}", reply.text);
    let reply = list(&h, "?MaxItems=13").await;
    assert_eq!(
        reply.json()["NextMarker"],
        json!(listed(&list(&h, "").await)[13])
    );
}

/// One page of `fn`'s mappings: its UUIDs and its NextMarker.
async fn page(
    h: &Harness,
    max_items: usize,
    marker: Option<&str>,
) -> (Vec<String>, Option<String>) {
    let mut query = format!("?FunctionName=fn&MaxItems={max_items}");
    if let Some(marker) = marker {
        query.push_str(&format!("&Marker={marker}"));
    }
    let reply = list(h, &query).await;
    let next = reply.json()["NextMarker"].as_str().map(str::to_owned);
    (listed(&reply), next)
}

#[tokio::test]
async fn a_page_resumes_at_its_marker_when_that_mapping_is_gone() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    h.create_function("other").await;
    let mut all = Vec::new();
    for i in 0..6 {
        let arn = queue(&h, &format!("q{i}")).await;
        all.push(created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await);
    }

    let (first, marker) = page(&h, 2, None).await;
    assert_eq!(first, all[..2]);
    let marker = marker.expect("a NextMarker");
    assert_eq!(marker, all[2]);
    // The mapping the marker names is deleted between the pages.
    assert_eq!(delete(&h, &marker).await.status, 202);
    let (second, marker) = page(&h, 2, Some(&marker)).await;
    assert_eq!(second, all[3..5]);
    let marker = marker.expect("a NextMarker");
    // Or it leaves the listing for another function.
    let reply = update(&h, &marker, json!({ "FunctionName": "other" })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let (third, marker) = page(&h, 2, Some(&marker)).await;
    assert!(third.is_empty(), "{third:?}");
    assert_eq!(marker, None);

    // A marker still names a place after later pages were taken, and in another listing.
    let (again, _) = page(&h, 1, Some(&all[2])).await;
    assert_eq!(again, all[3..4]);
    let reply = list(&h, &format!("?MaxItems=1&Marker={}", all[2])).await;
    assert_eq!(listed(&reply), all[3..4]);

    // A marker never given out is refused, even the UUID of a mapping that was deleted, and a
    // marker of this region is not one of another's.
    assert_eq!(delete(&h, &all[0]).await.status, 202);
    let unknown = uuid::Uuid::new_v4().to_string();
    for marker in ["nope", unknown.as_str(), all[0].as_str()] {
        h.lambda(Method::GET, &format!("{MAPPINGS}?Marker={marker}"), None)
            .await
            .assert_rest_error(
                400,
                "InvalidParameterValueException",
                user_error(&format!("Invalid marker: {marker}")),
            );
    }
    h.lambda_in(
        "eu-west-1",
        Method::GET,
        &format!("{MAPPINGS}?Marker={}", all[2]),
        None,
    )
    .await
    .assert_rest_error(
        400,
        "InvalidParameterValueException",
        user_error(&format!("Invalid marker: {}", all[2])),
    );
}

#[tokio::test]
async fn list_with_and_without_a_trailing_slash() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;
    let uuid = created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;
    for path in [
        "/2015-03-31/event-source-mappings/",
        "/2015-03-31/event-source-mappings",
        "/2015-03-31/event-source-mappings?FunctionName=fn",
        "/2015-03-31/event-source-mappings/?FunctionName=fn",
    ] {
        let reply = h.lambda(Method::GET, path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(listed(&reply), vec![uuid.clone()], "{path}");
    }
    // Create without the slash; Get, Update and Delete with one.
    let other = queue(&h, "q2").await;
    let reply = h
        .lambda(
            Method::POST,
            "/2015-03-31/event-source-mappings",
            Some(json!({ "FunctionName": "fn", "EventSourceArn": other })),
        )
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let second = uuid_of(&reply);
    let path = format!("{MAPPINGS}{second}/");
    assert_eq!(h.lambda(Method::GET, &path, None).await.status, 200);
    let reply = h
        .lambda(Method::PUT, &path, Some(json!({ "BatchSize": 4 })))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(h.lambda(Method::DELETE, &path, None).await.status, 202);
}

#[tokio::test]
async fn list_rejects_bad_paging_members() {
    let h = harness(Duration::ZERO).await;
    for (query, value, constraint) in [
        ("abc", "abc", "Member must be a number"),
        ("1.5", "1.5", "Member must be a number"),
        ("", "", "Member must be a number"),
        (
            "0",
            "0",
            "Member must have value greater than or equal to 1",
        ),
        (
            "10001",
            "10001",
            "Member must have value less than or equal to 10000",
        ),
    ] {
        let reply = h
            .lambda(Method::GET, &format!("{MAPPINGS}?MaxItems={query}"), None)
            .await;
        reply.assert_rest_error(
            400,
            "ValidationException",
            json!({ "message": format!(
                "1 validation error detected: Value '{value}' at 'maxItems' failed to satisfy constraint: {constraint}"
            )}),
        );
    }
}

#[tokio::test]
async fn list_max_items_beyond_an_integer_is_not_a_number() {
    let h = harness(Duration::ZERO).await;
    let refused = |value: &str, constraint: &str| {
        json!({ "message": format!(
            "1 validation error detected: Value '{value}' at 'maxItems' failed to satisfy constraint: {constraint}"
        )})
    };
    // Past an Integer's range, a value is no number to bind, as past a Long's.
    for value in [
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775807",
        "99999999999999999999",
    ] {
        h.lambda(Method::GET, &format!("{MAPPINGS}?MaxItems={value}"), None)
            .await
            .assert_rest_error(
                400,
                "ValidationException",
                refused(value, "Member must be a number"),
            );
    }
    // Within it, the range is checked.
    for (value, constraint) in [
        (
            "2147483647",
            "Member must have value less than or equal to 10000",
        ),
        (
            "-2147483648",
            "Member must have value greater than or equal to 1",
        ),
    ] {
        h.lambda(Method::GET, &format!("{MAPPINGS}?MaxItems={value}"), None)
            .await
            .assert_rest_error(400, "ValidationException", refused(value, constraint));
    }
}

// ---------------------------------------------------------------------------------------------
// Update

#[tokio::test]
async fn update_is_checked_against_the_resulting_mapping() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let window_error = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10";
    let arn = queue(&h, "q").await;
    let uuid = created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;

    update(&h, &uuid, json!({ "BatchSize": 11 }))
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error(window_error),
        );
    // Nothing of a refused update is kept.
    let body = get(&h, &uuid).await.json();
    assert_eq!(
        (body["BatchSize"].clone(), body["State"].clone()),
        (json!(10), json!("Enabled"))
    );

    let reply = update(&h, &uuid, json!({ "MaximumBatchingWindowInSeconds": 1 })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let reply = update(&h, &uuid, json!({ "BatchSize": 11 })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["BatchSize"], 11);
    assert_eq!(reply.json()["MaximumBatchingWindowInSeconds"], 1);
    // Taking the window away from a batch of 11 is refused as well.
    update(&h, &uuid, json!({ "MaximumBatchingWindowInSeconds": 0 }))
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error(window_error),
        );

    // A mapping created with a window of 1 takes BatchSize 11 at once; both in one update too.
    let arn2 = queue(&h, "q2").await;
    let with_window = created(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn2, "MaximumBatchingWindowInSeconds": 1 }),
    )
    .await;
    assert_eq!(
        update(&h, &with_window, json!({ "BatchSize": 11 }))
            .await
            .status,
        202
    );
    let arn3 = queue(&h, "q3").await;
    let both = created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn3 })).await;
    let reply = update(
        &h,
        &both,
        json!({ "BatchSize": 100, "MaximumBatchingWindowInSeconds": 5 }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);

    // The rule is SQS's: a Kinesis mapping with window 0 takes BatchSize 11.
    let kinesis = stream(&h, "s").await;
    let stream_uuid = created(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": kinesis, "StartingPosition": "LATEST" }),
    )
    .await;
    assert_eq!(
        update(&h, &stream_uuid, json!({ "BatchSize": 11 }))
            .await
            .status,
        202
    );

    // Options that do not fit the stored mapping's source are refused.
    update(&h, &uuid, json!({ "ParallelizationFactor": 2 }))
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error(
                "Unsupported ParallelizationFactor parameter for given event source mapping type.",
            ),
        );
    let reply = update(&h, &stream_uuid, json!({ "ParallelizationFactor": 2 })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["ParallelizationFactor"], 2);

    // Shape constraints come first.
    update(&h, &uuid, json!({ "BatchSize": 0 }))
        .await
        .assert_rest_error(
            400,
            "ValidationException",
            json!({ "message": "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1" }),
        );
}

#[tokio::test]
async fn update_enforces_the_fifo_limits() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "jobs.fifo").await;
    let uuid = created(&h, json!({ "FunctionName": "fn", "EventSourceArn": arn })).await;
    update(&h, &uuid, json!({ "BatchSize": 11 }))
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error("Maximum batch size must be between 1 and 10 inclusive"),
        );
    update(&h, &uuid, json!({ "MaximumBatchingWindowInSeconds": 1 }))
        .await
        .assert_rest_error(
            400,
            "InvalidParameterValueException",
            user_error("Batching window is not supported for FIFO queues"),
        );
    let reply = update(&h, &uuid, json!({ "BatchSize": 1 })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["BatchSize"], 1);
    assert_eq!(get(&h, &uuid).await.json()["BatchSize"], 1);
}

#[tokio::test]
async fn update_changes_the_function() {
    let h = harness(Duration::ZERO).await;
    h.create_function("before").await;
    h.create_function("after").await;
    let v = version(&h, "after").await;
    let arn = queue(&h, "q").await;
    let uuid = created(
        &h,
        json!({ "FunctionName": "before", "EventSourceArn": arn }),
    )
    .await;

    let reply = update(&h, &uuid, json!({ "FunctionName": "after" })).await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert_eq!(reply.json()["State"], "Updating");
    assert_eq!(reply.json()["FunctionArn"], json!(function_arn("after")));
    assert_eq!(
        get(&h, &uuid).await.json()["FunctionArn"],
        json!(function_arn("after"))
    );
    assert_eq!(
        listed(&list(&h, "?FunctionName=after").await),
        vec![uuid.clone()]
    );
    assert!(listed(&list(&h, "?FunctionName=before").await).is_empty());

    let qualified = format!("{}:{v}", function_arn("after"));
    let reply = update(&h, &uuid, json!({ "FunctionName": qualified })).await;
    assert_eq!(reply.json()["FunctionArn"], json!(qualified));

    for name in ["nobody", "after:9", "after:nope"] {
        update(&h, &uuid, json!({ "FunctionName": name }))
            .await
            .assert_rest_error(
                400,
                "InvalidParameterValueException",
                user_error("Function does not exist"),
            );
    }
    assert_eq!(get(&h, &uuid).await.json()["FunctionArn"], json!(qualified));

    // Other members are kept as they were.
    let body = get(&h, &uuid).await.json();
    assert_eq!(body["EventSourceArn"], json!(arn));
    assert_eq!(body["BatchSize"], 10);
}

#[tokio::test]
async fn unknown_uuids_are_404() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    for uuid in [
        uuid::Uuid::new_v4().to_string(),
        "00000000-0000-0000-0000-000000000000".to_owned(),
    ] {
        assert_gone(&h, &uuid).await;
    }
    // A mapping of another region is not found here.
    queue(&h, "q").await;
    let uuid = created(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue_arn("q") }),
    )
    .await;
    let reply = h
        .lambda_in("eu-west-1", Method::GET, &format!("{MAPPINGS}{uuid}"), None)
        .await;
    reply.assert_rest_error(404, "ResourceNotFoundException", not_found());
}

// ---------------------------------------------------------------------------------------------
// Tags

fn tags_path(arn: &str) -> String {
    format!("/2017-03-31/tags/{}", url_encode(arn))
}

async fn list_tags(h: &Harness, arn: &str) -> Value {
    let reply = h.lambda(Method::GET, &tags_path(arn), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    reply.json()
}

#[tokio::test]
async fn tags_on_mapping_arns() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;
    let reply = create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "Tags": { "team": "a", "env": "dev" } }),
    )
    .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    assert!(
        reply.json().get("Tags").is_none(),
        "tags are not a mapping member"
    );
    let esm = mapping_arn(&uuid_of(&reply));
    assert_eq!(
        list_tags(&h, &esm).await,
        json!({ "Tags": { "team": "a", "env": "dev" } })
    );

    // TagResource merges, overwriting the keys it names.
    let reply = h
        .lambda(
            Method::POST,
            &tags_path(&esm),
            Some(json!({ "Tags": { "env": "prod", "cost": "7" } })),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "");
    assert_eq!(
        list_tags(&h, &esm).await,
        json!({ "Tags": { "team": "a", "env": "prod", "cost": "7" } })
    );

    // UntagResource takes repeated tagKeys; unknown keys are ignored.
    let reply = h
        .lambda(
            Method::DELETE,
            &format!(
                "{}?tagKeys=team&tagKeys=cost&tagKeys=absent",
                tags_path(&esm)
            ),
            None,
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "");
    assert_eq!(
        list_tags(&h, &esm).await,
        json!({ "Tags": { "env": "prod" } })
    );

    // The ARN unencoded in the path names the same mapping.
    let reply = h
        .lambda(Method::GET, &format!("/2017-03-31/tags/{esm}"), None)
        .await;
    assert_eq!(reply.json(), json!({ "Tags": { "env": "prod" } }));

    // A mapping created without tags has none.
    let other = created(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue(&h, "q2").await }),
    )
    .await;
    assert_eq!(
        list_tags(&h, &mapping_arn(&other)).await,
        json!({ "Tags": {} })
    );
}

#[tokio::test]
async fn tags_on_unknown_and_qualified_arns() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let uuid = created(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue(&h, "q").await }),
    )
    .await;

    let unknown = mapping_arn(&uuid::Uuid::new_v4().to_string());
    let not_found =
        json!({ "Type": "User", "Message": format!("Event source mapping not found: {unknown}") });
    for (method, path, body) in [
        (Method::GET, tags_path(&unknown), None),
        (
            Method::POST,
            tags_path(&unknown),
            Some(json!({ "Tags": { "a": "b" } })),
        ),
        (
            Method::DELETE,
            format!("{}?tagKeys=a", tags_path(&unknown)),
            None,
        ),
    ] {
        h.lambda(method, &path, body).await.assert_rest_error(
            404,
            "ResourceNotFoundException",
            not_found.clone(),
        );
    }
    // The same UUID in another region's ARN is not this mapping.
    let elsewhere = format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:event-source-mapping:{uuid}");
    h.lambda(Method::GET, &tags_path(&elsewhere), None)
        .await
        .assert_rest_error(
            404,
            "ResourceNotFoundException",
            json!({ "Type": "User", "Message": format!("Event source mapping not found: {elsewhere}") }),
        );

    let pattern = r"arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";
    let qualified = format!("{}:alias", mapping_arn(&uuid));
    let message = format!(
        "1 validation error detected: Value '{qualified}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    );
    for (method, path, body) in [
        (Method::GET, tags_path(&qualified), None),
        (
            Method::POST,
            tags_path(&qualified),
            Some(json!({ "Tags": { "a": "b" } })),
        ),
        (
            Method::DELETE,
            format!("{}?tagKeys=a", tags_path(&qualified)),
            None,
        ),
    ] {
        h.lambda(method.clone(), &path, body)
            .await
            .assert_rest_error(400, "ValidationException", json!({ "message": message }));
    }
    // Nothing was tagged along the way.
    assert_eq!(
        list_tags(&h, &mapping_arn(&uuid)).await,
        json!({ "Tags": {} })
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input on the family's routes

/// A signed request with a raw body.
async fn raw(h: &Harness, method: Method, path: &str, body: impl Into<reqwest::Body>) -> Reply {
    h.send(
        h.request(method, path)
            .header("authorization", authorization("lambda", REGION))
            .header("content-type", "application/json")
            .body(body),
    )
    .await
}

/// The write routes of the family, each for an existing mapping.
async fn write_routes(h: &Harness) -> Vec<(Method, String)> {
    h.create_function("fn").await;
    let uuid = created(
        h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue(h, "q").await }),
    )
    .await;
    vec![
        (Method::POST, MAPPINGS.to_owned()),
        (Method::PUT, format!("{MAPPINGS}{uuid}")),
        (Method::POST, tags_path(&mapping_arn(&uuid))),
    ]
}

fn content_error(detail: &str) -> Value {
    user_error(&format!(
        "Could not parse request body into json: Could not parse payload into json: {detail}"
    ))
}

#[tokio::test]
async fn malformed_json_is_invalid_request_content() {
    let h = harness(Duration::ZERO).await;
    for (method, path) in write_routes(&h).await {
        for (body, detail) in [
            (
                "{\"FunctionName\":",
                "EOF while parsing a value at line 1 column 16",
            ),
            ("{nope", "key must be a string at line 1 column 2"),
            ("{\"BatchSize\": 1,}", "trailing comma at line 1 column 17"),
            ("{} {}", "trailing characters at line 1 column 4"),
        ] {
            raw(&h, method.clone(), &path, body)
                .await
                .assert_rest_error(400, "InvalidRequestContentException", content_error(detail));
        }
    }
}

#[tokio::test]
async fn wrong_json_types_are_invalid_request_content() {
    let h = harness(Duration::ZERO).await;
    h.create_function("fn").await;
    let arn = queue(&h, "q").await;
    for (body, detail) in [
        (
            json!({ "FunctionName": 5, "EventSourceArn": arn }),
            "invalid type: integer `5`, expected a string (at FunctionName)",
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": arn, "BatchSize": "ten" }),
            "invalid type: string \"ten\", expected i32 (at BatchSize)",
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": arn, "BatchSize": 1.5 }),
            "invalid type: floating point `1.5`, expected i32 (at BatchSize)",
        ),
        (
            json!({ "FunctionName": "fn", "EventSourceArn": arn, "Enabled": "yes" }),
            "invalid type: string \"yes\", expected a boolean (at Enabled)",
        ),
    ] {
        create(&h, body.clone()).await.assert_rest_error(
            400,
            "InvalidRequestContentException",
            content_error(detail),
        );
    }
    // Nested members and lists: the code and status are fixed, the detail names the path.
    for body in [
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "Topics": "orders" }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "FunctionResponseTypes": [1] }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "FilterCriteria": { "Filters": {} } }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "ScalingConfig": { "MaximumConcurrency": "2" } }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "Tags": { "a": 1 } }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "BatchSize": 99999999999u64 }),
        json!({ "FunctionName": "fn", "EventSourceArn": arn, "StartingPositionTimestamp": "yesterday" }),
    ] {
        let reply = create(&h, body.clone()).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(
            reply.header("x-amzn-ErrorType"),
            Some("InvalidRequestContentException"),
            "{body}"
        );
        let message = reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.starts_with(
                "Could not parse request body into json: Could not parse payload into json: "
            ),
            "{message}"
        );
        assert_eq!(reply.json()["Type"], "User");
    }
    assert!(listed(&list(&h, "").await).is_empty());
}

#[tokio::test]
async fn a_body_that_is_not_an_object() {
    let h = harness(Duration::ZERO).await;
    for (method, path) in write_routes(&h).await {
        for body in ["[1, 2]", "\"text\"", "5", "null", "true"] {
            raw(&h, method.clone(), &path, body)
                .await
                .assert_rest_error(
                    400,
                    "InvalidRequestContentException",
                    content_error("the body must be a JSON object"),
                );
        }
    }
}

#[tokio::test]
async fn unknown_members_are_refused() {
    let h = harness(Duration::ZERO).await;
    let routes = write_routes(&h).await;
    for (method, path) in routes {
        let reply = raw(&h, method.clone(), &path, r#"{"Bogus": 1}"#).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(
            reply.header("x-amzn-ErrorType"),
            Some("InvalidRequestContentException")
        );
        let message = reply.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.starts_with(
                "Could not parse request body into json: Could not parse payload into json: unknown field `Bogus`, expected "
            ),
            "{message}"
        );
        assert!(message.ends_with("(at Bogus)"), "{message}");
    }
    // Output-only members are not input members either.
    let reply = create(
        &h,
        json!({ "FunctionName": "fn", "EventSourceArn": queue_arn("q"), "State": "Enabled" }),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(
        reply.header("x-amzn-ErrorType"),
        Some("InvalidRequestContentException")
    );
}

#[tokio::test]
async fn a_body_over_six_megabytes_is_413() {
    let h = harness(Duration::ZERO).await;
    for (method, path) in write_routes(&h).await {
        let reply = raw(&h, method.clone(), &path, vec![b' '; 7 * 1024 * 1024]).await;
        reply.assert_rest_error(
            413,
            "RequestEntityTooLargeException",
            user_error("Request must be smaller than 6291456 bytes"),
        );
    }
    // The server still answers.
    assert_eq!(listed(&list(&h, "").await).len(), 1);
}

#[tokio::test]
async fn invalid_utf8_is_invalid_request_content() {
    let h = harness(Duration::ZERO).await;
    for (method, path) in write_routes(&h).await {
        let body: &'static [u8] = b"{\"FunctionName\":\"\xff\xfe\"}";
        raw(&h, method.clone(), &path, body).await.assert_rest_error(
            400,
            "InvalidRequestContentException",
            user_error(
                "Could not parse request body into json: the body is not UTF-8: invalid utf-8 sequence of 1 bytes from index 17",
            ),
        );
    }
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let h = harness(Duration::ZERO).await;
    let uuid = uuid::Uuid::new_v4();
    let unknown = json!({ "Type": "User", "message": "Unknown operation" });
    for (method, path) in [
        (Method::PATCH, MAPPINGS.to_owned()),
        (Method::DELETE, MAPPINGS.to_owned()),
        (Method::PUT, MAPPINGS.to_owned()),
        (Method::POST, format!("{MAPPINGS}{uuid}")),
        (Method::PATCH, format!("{MAPPINGS}{uuid}")),
        (Method::GET, format!("{MAPPINGS}{uuid}/extra")),
        (Method::GET, "/2015-03-31/event-source-mapping".to_owned()),
        (
            Method::GET,
            "/2015-03-31/event-source-mappings/a/b/c".to_owned(),
        ),
        (Method::GET, "/2016-03-31/event-source-mappings/".to_owned()),
        (Method::PUT, "/2017-03-31/tags/x".to_owned()),
        (Method::GET, "/2017-03-31/tags".to_owned()),
        (
            Method::from_bytes(b"FROB").expect("a method"),
            MAPPINGS.to_owned(),
        ),
    ] {
        let reply = h.lambda(method.clone(), &path, None).await;
        assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text);
        reply.assert_rest_error(404, "UnknownOperationException", unknown.clone());
    }
}

#[tokio::test]
async fn missing_and_unparsable_authorization() {
    let h = harness(Duration::ZERO).await;
    let uuid = uuid::Uuid::new_v4();
    let routes = [
        (Method::GET, MAPPINGS.to_owned()),
        (Method::POST, MAPPINGS.to_owned()),
        (Method::GET, format!("{MAPPINGS}{uuid}")),
        (Method::PUT, format!("{MAPPINGS}{uuid}")),
        (Method::DELETE, format!("{MAPPINGS}{uuid}")),
        (Method::GET, tags_path(&mapping_arn(&uuid.to_string()))),
    ];
    for (method, path) in &routes {
        let reply = h.send(h.request(method.clone(), path).body("{}")).await;
        reply.assert_rest_error(
            403,
            "MissingAuthenticationTokenException",
            json!({ "message": "Missing Authentication Token" }),
        );
        for header in ["Bearer token", "AWS4-HMAC-SHA256", ""] {
            let reply = h
                .send(
                    h.request(method.clone(), path)
                        .header("authorization", header)
                        .body("{}"),
                )
                .await;
            assert_eq!(reply.status, 403, "{header:?}: {}", reply.text);
            assert_eq!(
                reply.header("x-amzn-ErrorType"),
                Some("IncompleteSignatureException")
            );
            let message = reply.json()["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                message.ends_with(&format!("Authorization={header}")),
                "{message}"
            );
        }
        let header = "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x";
        let reply = h
            .send(
                h.request(method.clone(), path)
                    .header("authorization", header),
            )
            .await;
        reply.assert_rest_error(
            403,
            "IncompleteSignatureException",
            json!({ "message": format!(
                "Credential should be scoped to a valid date, not '2026'. Authorization={header}"
            )}),
        );
    }
    // Nothing was created on the way.
    assert!(listed(&list(&h, "").await).is_empty());
}
