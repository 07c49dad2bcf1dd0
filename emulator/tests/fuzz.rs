//! Fuzzes the request path with proptest: arbitrary methods, paths (the family's and tag paths
//! with random and percent-encoded labels among them), query strings, headers (Authorization
//! present, absent or garbled; random `X-Amz-Target`) and bodies (random bytes, random JSON,
//! JSON shaped like the family's inputs with random member values) against one in-process
//! emulator that holds real fixtures and mappings. Every answer must be below 500 and carry an
//! `x-amzn-RequestId`, and the server must keep answering.
//!
//! The default case count suits CI; `PROPTEST_CASES=200000 cargo test --release -p
//! conform-emulator --test fuzz -- --nocapture` runs a long session and prints its figures.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{authorization, Harness, ACCOUNT, REGION};
use conform_emulator::{Emulator, EmulatorConfig};
use conform_models::{
    CreateEventSourceMappingRequest, DeleteEventSourceMappingRequest, GetEventSourceMappingRequest,
    ListEventSourceMappingsRequest, ListTagsRequest, TagResourceRequest, UntagResourceRequest,
    UpdateEventSourceMappingRequest,
};
use conform_runtime::decode::Shape;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde_json::{json, Map, Number, Value};

/// Cases when `PROPTEST_CASES` is not set: a few seconds in a debug build.
const DEFAULT_CASES: u32 = 1500;

/// What the strategies draw real names and ids from.
#[derive(Debug, Clone)]
struct Fixtures {
    /// Mappings that requests read, update and tag.
    uuids: Vec<String>,
    /// Mappings that requests delete.
    doomed: Vec<String>,
    arns: Vec<String>,
}

#[derive(Debug, Clone)]
struct FuzzRequest {
    method: String,
    path: String,
    query: Option<String>,
    authorization: Option<Vec<u8>>,
    target: Option<String>,
    content_type: Option<String>,
    extra: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

// ---------------------------------------------------------------------------------------------
// Strategies

fn percent_encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b'$' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["PATCH", "HEAD", "OPTIONS", "TRACE"]).prop_map(str::to_owned),
        // Any other token (CONNECT asks the server to tunnel, which is not a request path).
        1 => "[A-Za-z]{1,10}".prop_filter("not CONNECT", |m| !m.eq_ignore_ascii_case("connect")),
    ]
}

/// A path label: a real id or ARN, something like one, or arbitrary percent-encoded bytes.
/// Its ids are the doomed mappings', so that random deletes leave the ones that the family's
/// requests read, update and tag.
fn label(fixtures: &Fixtures) -> impl Strategy<Value = String> {
    let uuids = fixtures.doomed.clone();
    let arns = fixtures.arns.clone();
    prop_oneof![
        3 => prop::sample::select(uuids).prop_map(|u| u.to_string()),
        3 => prop::sample::select(arns.clone()).prop_map(|a| percent_encode(a.as_bytes())),
        1 => prop::sample::select(arns).prop_map(|a| a.to_string()),
        2 => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        1 => (prop::sample::select(vec!["uuid", "arn"]), "[:a-z0-9$-]{0,12}").prop_map(|(kind, tail)| {
            match kind {
                "uuid" => format!("{}{tail}", uuid::Uuid::new_v4()),
                _ => format!("arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{tail}"),
            }
        }),
        2 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| percent_encode(&b)),
        1 => "[a-zA-Z0-9%._~:$-]{0,30}",
        1 => Just("%".to_owned()),
        1 => Just("%zz%2".to_owned()),
        1 => Just("%FF%FE".to_owned()),
    ]
}

fn path(fixtures: &Fixtures) -> impl Strategy<Value = String> {
    let templates = vec![
        "/2015-03-31/event-source-mappings/",
        "/2015-03-31/event-source-mappings",
        "/2015-03-31/event-source-mappings/{}",
        "/2015-03-31/event-source-mappings/{}/{}",
        "/2017-03-31/tags/{}",
        "/2015-03-31/functions",
        "/2015-03-31/functions/{}",
        "/2015-03-31/functions/{}/versions",
        "/2015-03-31/functions/{}/aliases",
        "/2015-03-31/functions/{}/aliases/{}",
        "/",
        "/{}",
        "/{}/{}",
    ];
    let templated = (
        prop::sample::select(templates),
        label(fixtures),
        label(fixtures),
        any::<bool>(),
    )
        .prop_map(|(template, a, b, slash)| {
            let mut path = template.replacen("{}", &a, 1).replacen("{}", &b, 1);
            if slash && !path.ends_with('/') {
                path.push('/');
            }
            path
        });
    let random = prop::collection::vec("[a-zA-Z0-9%._~:-]{0,12}", 0..5)
        .prop_map(|segments| format!("/{}", segments.join("/")));
    prop_oneof![6 => templated, 1 => random]
}

fn query(fixtures: &Fixtures) -> impl Strategy<Value = Option<String>> {
    let key = prop_oneof![
        4 => prop::sample::select(vec![
            "FunctionName", "EventSourceArn", "Marker", "MaxItems", "tagKeys", "Qualifier",
        ]).prop_map(str::to_owned),
        1 => "[a-zA-Z%+]{0,10}",
    ];
    let value = prop_oneof![
        2 => label(fixtures),
        2 => prop::sample::select(vec![
            "1", "0", "-1", "100", "10000", "10001", "abc", "", "1.5", "99999999999999999999",
            "fuzz-fn", "fuzz-fn:1", "a+b", "%",
        ]).prop_map(str::to_owned),
        1 => prop::collection::vec(any::<u8>(), 0..20).prop_map(|b| percent_encode(&b)),
    ];
    let pairs = prop::collection::vec((key, value, any::<bool>()), 0..5).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v, with_equals)| if with_equals { format!("{k}={v}") } else { k })
            .collect::<Vec<_>>()
            .join("&")
    });
    prop_oneof![
        3 => Just(None),
        4 => pairs.prop_map(Some),
        1 => "[a-zA-Z0-9%&=+;]{0,20}".prop_map(Some),
    ]
}

fn authorization_header() -> impl Strategy<Value = Option<Vec<u8>>> {
    let service = prop::sample::select(vec![
        "lambda", "lambda", "lambda", "sqs", "kinesis", "dynamodb", "iam", "s3", "",
    ]);
    let region = prop_oneof![
        4 => Just(REGION.to_owned()),
        1 => Just("eu-west-1".to_owned()),
        1 => "[a-z0-9-]{0,12}",
    ];
    prop_oneof![
        2 => Just(None),
        8 => (service, region).prop_map(|(s, r)| Some(authorization(s, &r).into_bytes())),
        1 => "AWS4-HMAC-SHA256 [ -~]{0,80}".prop_map(|h| Some(h.into_bytes())),
        1 => "[ -~]{0,60}".prop_map(|h| Some(h.into_bytes())),
        // obs-text: bytes over 0x7F are allowed in a header value, but are not ASCII.
        1 => prop::collection::vec(0x80u8..=0xFF, 1..10).prop_map(|mut b| {
            let mut header = b"AWS4-HMAC-SHA256 Credential=".to_vec();
            header.append(&mut b);
            Some(header)
        }),
    ]
}

fn target() -> impl Strategy<Value = Option<String>> {
    let prefix = prop::sample::select(vec!["AmazonSQS", "Kinesis_20131202", "DynamoDB_20120810"]);
    let operation = prop_oneof![
        3 => prop::sample::select(vec![
            "CreateQueue", "GetQueueUrl", "GetQueueAttributes", "DeleteQueue", "ListQueues",
            "CreateStream", "DescribeStream", "DescribeStreamSummary", "DeleteStream",
            "CreateTable", "DescribeTable", "DeleteTable",
        ]).prop_map(str::to_owned),
        1 => "[A-Za-z.]{0,16}",
    ];
    prop_oneof![
        6 => Just(None),
        3 => (prefix, operation).prop_map(|(p, o)| Some(format!("{p}.{o}"))),
        1 => "[ -~]{0,30}".prop_map(Some),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json".to_owned())),
        Just(Some("application/x-amz-json-1.0".to_owned())),
        Just(Some("application/x-amz-json-1.1".to_owned())),
        "[ -~]{0,30}".prop_map(Some),
    ]
}

fn extra_headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "x-amz-date",
            "x-amz-security-token",
            "content-encoding",
            "x-amz-content-sha256",
            "accept",
            "x-amzn-requestid",
            "host-ish",
            "expect-nothing",
        ])
        .prop_map(str::to_owned),
        "x-[a-z0-9-]{1,12}",
    ];
    prop::collection::vec((name, "[ -~]{0,30}".prop_map(String::into_bytes)), 0..3)
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            -1i64, 0, 1, 10, 11, 60, 100, 300, 10000, 10001, 604800, 604801
        ])
        .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Members of the fixture APIs (not in the models) that bodies may carry.
const FIXTURE_MEMBERS: &[&str] = &[
    "QueueName",
    "QueueUrl",
    "Attributes",
    "StreamName",
    "ShardCount",
    "TableName",
    "StreamSpecification",
    "Name",
    "FunctionVersion",
    "Runtime",
    "Role",
    "Handler",
    "Code",
];

/// The members of every modeled input of the family, from the generated models, then the
/// fixture APIs' members.
fn members() -> Vec<&'static str> {
    let modeled = [
        CreateEventSourceMappingRequest::MEMBERS,
        UpdateEventSourceMappingRequest::MEMBERS,
        GetEventSourceMappingRequest::MEMBERS,
        DeleteEventSourceMappingRequest::MEMBERS,
        ListEventSourceMappingsRequest::MEMBERS,
        TagResourceRequest::MEMBERS,
        UntagResourceRequest::MEMBERS,
        ListTagsRequest::MEMBERS,
    ];
    let mut all: Vec<&'static str> = Vec::new();
    for name in modeled.into_iter().flatten().chain(FIXTURE_MEMBERS) {
        if !all.contains(name) {
            all.push(name);
        }
    }
    all
}

/// A plausible value for a member: often a real or well-formed one, sometimes anything.
fn member_value(member: &'static str, fixtures: &Fixtures) -> BoxedStrategy<Value> {
    let arns = fixtures.arns.clone();
    let plausible: BoxedStrategy<Value> = match member {
        "FunctionName" => prop::sample::select(vec![
            "fuzz-fn", "fuzz-fn:1", "fuzz-fn:live", "fuzz-fn:$LATEST", "nobody",
            "123456789012:function:fuzz-fn", "arn:aws:lambda:us-east-1:123456789012:function:fuzz-fn",
            "arn:aws:lambda:eu-west-1:123456789012:function:fuzz-fn", "bad name", "",
        ])
        .prop_map(Value::from)
        .boxed(),
        "EventSourceArn" | "KMSKeyArn" | "Resource" => prop::sample::select(arns)
            .prop_map(Value::String)
            .boxed(),
        "StartingPosition" => prop::sample::select(vec![
            "LATEST", "TRIM_HORIZON", "AT_TIMESTAMP", "latest", "",
        ])
        .prop_map(Value::from)
        .boxed(),
        "StartingPositionTimestamp" => prop_oneof![
            Just(json!(1_700_000_000)),
            Just(json!(4_000_000_000u64)),
            Just(json!(-1)),
            Just(json!(1e308)),
        ]
        .boxed(),
        "Topics" | "Queues" | "FunctionResponseTypes" | "TagKeys" => {
            prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec!["orders", "ReportBatchItemFailures", "a", ""])
                        .prop_map(str::to_owned),
                    ".{0,12}",
                ],
                0..3,
            )
            .prop_map(|v| json!(v))
            .boxed()
        }
        "FilterCriteria" => prop_oneof![
            Just(json!({ "Filters": [{ "Pattern": "{\"body\":{\"a\":[\"b\"]}}" }] })),
            Just(json!({ "Filters": [{ "Pattern": "{" }] })),
            Just(json!({ "Filters": [{ "Pattern": "{\"a\":[{\"numeric\":[\">\",1]}]}" }] })),
            ".{0,30}".prop_map(|p| json!({ "Filters": [{ "Pattern": p }] })),
        ]
        .boxed(),
        "DestinationConfig" => prop::sample::select(fixtures.arns.clone())
            .prop_flat_map(|arn| {
                prop_oneof![
                    Just(json!({ "OnFailure": { "Destination": arn.clone() } })),
                    Just(json!({ "OnSuccess": { "Destination": arn } })),
                    Just(json!({ "OnFailure": {} })),
                ]
            })
            .boxed(),
        "SelfManagedEventSource" => prop::collection::vec("[a-z0-9.:]{0,16}", 0..3)
            .prop_map(|servers| json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": servers } }))
            .boxed(),
        "SourceAccessConfigurations" => prop::sample::select(vec![
            "BASIC_AUTH", "VPC_SUBNET", "SASL_SCRAM_512_AUTH", "NOPE",
        ])
        .prop_map(|t| json!([{ "Type": t, "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s" }]))
        .boxed(),
        "DocumentDBEventSourceConfig" => Just(json!({ "DatabaseName": "db", "CollectionName": "c", "FullDocument": "UpdateLookup" })).boxed(),
        "AmazonManagedKafkaEventSourceConfig" | "SelfManagedKafkaEventSourceConfig" => {
            ".{0,12}".prop_map(|g| json!({ "ConsumerGroupId": g })).boxed()
        }
        "ScalingConfig" => any::<i32>()
            .prop_map(|n| json!({ "MaximumConcurrency": n }))
            .boxed(),
        "Tags" => prop::collection::btree_map(".{0,8}", ".{0,8}", 0..4)
            .prop_map(|m| json!(m))
            .boxed(),
        "Enabled" | "BisectBatchOnFunctionError" => any::<bool>().prop_map(Value::Bool).boxed(),
        "UUID" | "Marker" => prop::sample::select(fixtures.uuids.clone())
            .prop_map(Value::String)
            .boxed(),
        "QueueName" | "StreamName" | "TableName" | "Name" => prop::sample::select(vec![
            "fuzz-q", "fuzz-q.fifo", "fuzz-s", "fuzz-t", "new", "x y",
        ])
        .prop_map(Value::from)
        .boxed(),
        _ => prop::sample::select(vec![
            -1i64, 0, 1, 2, 10, 11, 60, 100, 300, 900, 1000, 10000, 10001, 604800, 604801,
            i64::from(i32::MAX), i64::from(i32::MIN), i64::MAX,
        ])
        .prop_map(Value::from)
        .boxed(),
    };
    prop_oneof![4 => plausible, 1 => json_value()].boxed()
}

/// The options of CreateEventSourceMapping (every member but the function and the source, which
/// create bodies set themselves), from the generated model.
fn esm_members() -> Vec<&'static str> {
    CreateEventSourceMappingRequest::MEMBERS
        .iter()
        .copied()
        .filter(|m| !matches!(*m, "FunctionName" | "EventSourceArn"))
        .collect()
}

/// A JSON object with some of the family's members, each with a random value.
fn esm_shaped(fixtures: &Fixtures) -> impl Strategy<Value = Value> {
    shaped(fixtures, members(), 0..8)
}

/// A JSON object with some of `members`, each with a random value.
fn shaped(
    fixtures: &Fixtures,
    members: Vec<&'static str>,
    count: std::ops::Range<usize>,
) -> impl Strategy<Value = Value> {
    let fixtures = fixtures.clone();
    prop::sample::subsequence(members, count).prop_flat_map(move |members| {
        let values: Vec<BoxedStrategy<(String, Value)>> = members
            .into_iter()
            .map(|m| {
                member_value(m, &fixtures)
                    .prop_map(move |v| (m.to_owned(), v))
                    .boxed()
            })
            .collect();
        values.prop_map(|pairs| {
            let map: Map<String, Value> = pairs.into_iter().collect();
            Value::Object(map)
        })
    })
}

fn body(fixtures: &Fixtures) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => Just(Vec::new()),
        2 => prop::collection::vec(any::<u8>(), 0..200),
        3 => json_value().prop_map(|v| v.to_string().into_bytes()),
        8 => esm_shaped(fixtures).prop_map(|v| v.to_string().into_bytes()),
        // Well-formed JSON cut short, or with a stray byte.
        1 => (esm_shaped(fixtures), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(v, at, byte)| {
            let mut text = v.to_string().into_bytes();
            let cut = at.index(text.len() + 1);
            text.truncate(cut);
            text.push(byte);
            text
        }),
    ]
}

/// A request to one of the family's operations, mostly well-formed, so that the cases reach
/// past routing and parsing into validation, lookups, duplicates and the store.
fn family_request(fixtures: &Fixtures) -> impl Strategy<Value = FuzzRequest> {
    let signed = || {
        prop_oneof![
            12 => Just(Some(authorization("lambda", REGION).into_bytes())),
            1 => authorization_header(),
        ]
    };
    let uuid = {
        let keep = prop::sample::select(fixtures.uuids.clone());
        let fresh = Just(()).prop_map(|()| uuid::Uuid::new_v4().to_string());
        prop_oneof![6 => keep, 1 => fresh, 1 => label(fixtures)]
    };
    // Deletes never take the mappings the other operations work on.
    let doomed = prop_oneof![
        3 => prop::sample::select(fixtures.doomed.clone()),
        1 => Just(()).prop_map(|()| uuid::Uuid::new_v4().to_string()),
    ];
    let mapping_arn = prop_oneof![
        4 => uuid.clone().prop_map(|u| percent_encode(
            format!("arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{u}").as_bytes()
        )),
        1 => uuid.clone().prop_map(|u| format!("arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{u}")),
        1 => label(fixtures),
    ];
    let create_body = (
        member_value("FunctionName", fixtures),
        member_value("EventSourceArn", fixtures),
        shaped(fixtures, esm_members(), 0..3),
    )
        .prop_map(|(function, source, extra)| {
            let mut body = match extra {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            body.insert("FunctionName".into(), function);
            body.insert("EventSourceArn".into(), source);
            Value::Object(body).to_string().into_bytes()
        });
    let create_body = prop_oneof![8 => create_body, 1 => body(fixtures)];
    let update_body = prop_oneof![
        6 => shaped(fixtures, esm_members(), 0..4).prop_map(|v| v.to_string().into_bytes()),
        1 => member_value("FunctionName", fixtures).prop_map(|f| json!({ "FunctionName": f }).to_string().into_bytes()),
        1 => body(fixtures),
    ];
    let tags_body = prop_oneof![
        4 => member_value("Tags", fixtures).prop_map(|t| json!({ "Tags": t }).to_string().into_bytes()),
        1 => body(fixtures),
    ];
    let call =
        |method: &str, path: String, query: Option<String>, authorization, body| FuzzRequest {
            method: method.to_owned(),
            path,
            query,
            authorization,
            target: None,
            content_type: Some("application/json".to_owned()),
            extra: Vec::new(),
            body,
        };
    const MAPPINGS: &str = "/2015-03-31/event-source-mappings/";
    prop_oneof![
        4 => (signed(), create_body).prop_map(move |(a, b)| call("POST", MAPPINGS.into(), None, a, b)),
        2 => (signed(), uuid.clone()).prop_map(move |(a, u)| call("GET", format!("{MAPPINGS}{u}"), None, a, Vec::new())),
        3 => (signed(), uuid, update_body).prop_map(move |(a, u, b)| call("PUT", format!("{MAPPINGS}{u}"), None, a, b)),
        1 => (signed(), doomed).prop_map(move |(a, u)| call("DELETE", format!("{MAPPINGS}{u}"), None, a, Vec::new())),
        2 => (signed(), query(fixtures)).prop_map(move |(a, q)| call("GET", MAPPINGS.into(), q, a, Vec::new())),
        1 => (signed(), mapping_arn.clone(), tags_body).prop_map(move |(a, r, b)| call("POST", format!("/2017-03-31/tags/{r}"), None, a, b)),
        1 => (signed(), mapping_arn.clone(), query(fixtures)).prop_map(move |(a, r, q)| call("DELETE", format!("/2017-03-31/tags/{r}"), q, a, Vec::new())),
        1 => (signed(), mapping_arn).prop_map(move |(a, r)| call("GET", format!("/2017-03-31/tags/{r}"), None, a, Vec::new())),
    ]
}

fn request(fixtures: &Fixtures) -> impl Strategy<Value = FuzzRequest> {
    prop_oneof![3 => family_request(fixtures), 2 => any_request(fixtures)]
}

/// Anything at all, as long as it is HTTP.
fn any_request(fixtures: &Fixtures) -> impl Strategy<Value = FuzzRequest> {
    (
        method(),
        path(fixtures),
        query(fixtures),
        authorization_header(),
        target(),
        content_type(),
        extra_headers(),
        body(fixtures),
    )
        .prop_map(
            |(method, path, query, authorization, target, content_type, extra, body)| FuzzRequest {
                method,
                path,
                query,
                authorization,
                target,
                content_type,
                extra,
                body,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Running

async fn fixtures(h: &Harness) -> Fixtures {
    h.create_function("fuzz-fn").await;
    let reply = h
        .lambda(
            Method::POST,
            "/2015-03-31/functions/fuzz-fn/versions",
            Some(json!({})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let reply = h
        .lambda(
            Method::POST,
            "/2015-03-31/functions/fuzz-fn/aliases",
            Some(json!({ "Name": "live", "FunctionVersion": "1" })),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let mut arns = Vec::new();
    for name in ["fuzz-q", "fuzz-q.fifo"] {
        let mut body = json!({ "QueueName": name });
        if name.ends_with(".fifo") {
            body["Attributes"] = json!({ "FifoQueue": "true" });
        }
        assert_eq!(h.sqs("CreateQueue", body).await.status, 200);
        arns.push(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"));
    }
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "fuzz-s", "ShardCount": 1 }),
        )
        .await;
    assert_eq!(reply.status, 200);
    arns.push(format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/fuzz-s"));
    let reply = h
        .dynamodb(
            "CreateTable",
            json!({
                "TableName": "fuzz-t",
                "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
                "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "KEYS_ONLY" },
            }),
        )
        .await;
    assert_eq!(reply.status, 200);
    arns.push(
        reply.json()["TableDescription"]["LatestStreamArn"]
            .as_str()
            .expect("a stream")
            .to_owned(),
    );
    arns.extend([
        format!("arn:aws:kafka:{REGION}:{ACCOUNT}:cluster/fuzz/abc-1"),
        format!("arn:aws:mq:{REGION}:{ACCOUNT}:broker:fuzz:b-1"),
        format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:fuzz"),
        format!("arn:aws:sqs:{REGION}:{ACCOUNT}:absent"),
        "arn:aws:s3:::bucket".to_owned(),
        "arn:aws:sqs".to_owned(),
        format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:fuzz-fn"),
    ]);
    // Mappings the fuzzer can read, update and tag, and others it can delete, by UUID and ARN.
    let mut uuids = Vec::new();
    let mut doomed = Vec::new();
    for (function, source, position) in [
        ("fuzz-fn", 0, None),
        ("fuzz-fn", 1, None),
        ("fuzz-fn", 2, Some("LATEST")),
        ("fuzz-fn", 3, Some("TRIM_HORIZON")),
        ("fuzz-fn:1", 0, None),
        ("fuzz-fn:1", 1, None),
        ("fuzz-fn:1", 2, Some("TRIM_HORIZON")),
        ("fuzz-fn:1", 3, Some("LATEST")),
        ("fuzz-fn:live", 0, None),
        ("fuzz-fn:live", 2, Some("LATEST")),
        ("fuzz-fn:$LATEST", 1, None),
        ("fuzz-fn:$LATEST", 3, Some("LATEST")),
    ] {
        let mut body = json!({ "FunctionName": function, "EventSourceArn": arns[source] });
        if let Some(position) = position {
            body["StartingPosition"] = json!(position);
        }
        let reply = h
            .lambda(
                Method::POST,
                "/2015-03-31/event-source-mappings/",
                Some(body),
            )
            .await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        let uuid = reply.json()["UUID"].as_str().expect("a UUID").to_owned();
        arns.push(format!(
            "arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{uuid}"
        ));
        if function.contains(":1") || function == "fuzz-fn" {
            uuids.push(uuid);
        } else {
            doomed.push(uuid);
        }
    }
    Fixtures {
        uuids,
        doomed,
        arns,
    }
}

fn build(h: &Harness, request: &FuzzRequest) -> reqwest::RequestBuilder {
    let method = Method::from_bytes(request.method.as_bytes()).expect("a method token");
    let mut target = request.path.clone();
    if let Some(query) = &request.query {
        target.push('?');
        target.push_str(query);
    }
    let mut builder = h.request(method, &target);
    if let Some(value) = &request.authorization {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            builder = builder.header("authorization", value);
        }
    }
    if let Some(target) = &request.target {
        if let Ok(value) = HeaderValue::from_str(target) {
            builder = builder.header("x-amz-target", value);
        }
    }
    if let Some(content_type) = &request.content_type {
        if let Ok(value) = HeaderValue::from_str(content_type) {
            builder = builder.header("content-type", value);
        }
    }
    for (name, value) in &request.extra {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            builder = builder.header(name, value);
        }
    }
    builder.body(request.body.clone())
}

/// How many answers had each status and error code, to show what the cases reached.
type Tally = Mutex<BTreeMap<(u16, String), u64>>;

async fn check(h: &Harness, request: &FuzzRequest, tally: &Tally) -> Result<(), TestCaseError> {
    let response = build(h, request)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-amzn-RequestId")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let code = response
        .headers()
        .get("x-amzn-ErrorType")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap_or_default();
    *tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry((status, code))
        .or_default() += 1;
    prop_assert!(status < 500, "answered {status}: {text}");
    prop_assert!(
        request_id.is_some_and(|id| uuid::Uuid::parse_str(&id).is_ok()),
        "no x-amzn-RequestId on {status}: {text}"
    );
    Ok(())
}

/// The server still does real work: a create, a get and a delete.
async fn still_answers(h: &Harness) {
    let reply = h
        .sqs("CreateQueue", json!({ "QueueName": "after-fuzz" }))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    h.create_function("after-fuzz").await;
    let reply = h
        .lambda(
            Method::POST,
            "/2015-03-31/event-source-mappings/",
            Some(json!({
                "FunctionName": "after-fuzz",
                "EventSourceArn": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:after-fuzz"),
            })),
        )
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text);
    let uuid = reply.json()["UUID"].as_str().expect("a UUID").to_owned();
    let path = format!("/2015-03-31/event-source-mappings/{uuid}");
    assert_eq!(h.lambda(Method::GET, &path, None).await.status, 200);
    assert_eq!(h.lambda(Method::DELETE, &path, None).await.status, 202);
}

#[test]
fn the_request_path_never_answers_5xx() {
    // The strategies nest deeply; unoptimised, their value trees need more than the default
    // test thread's stack.
    std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(256 << 20)
        .spawn(fuzz)
        .expect("a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn fuzz() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (h, fixtures) = runtime.block_on(async {
        let config = EmulatorConfig {
            settle_delay: Duration::ZERO,
            ..EmulatorConfig::default()
        };
        let h = Harness::with(Emulator::start(config).await.expect("the emulator starts"));
        let fixtures = fixtures(&h).await;
        (h, fixtures)
    });

    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    config.failure_persistence = None;
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    let sent = AtomicU64::new(0);
    let tally = Tally::default();
    let started = Instant::now();
    let result = runner.run(&request(&fixtures), |request| {
        sent.fetch_add(1, Ordering::Relaxed);
        runtime.block_on(check(&h, &request, &tally))
    });
    let elapsed = started.elapsed();
    eprintln!(
        "fuzz: {cases} cases, {} requests in {:.1} s ({:.0} requests/s): {}",
        sent.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        sent.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64(),
        if result.is_ok() {
            "no 5xx, every answer had a request id"
        } else {
            "FAILED"
        },
    );
    let tally = tally
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for ((status, code), count) in &tally {
        eprintln!("  {count:>8}  {status} {code}");
    }
    if let Err(failure) = result {
        panic!("{failure}");
    }
    runtime.block_on(still_answers(&h));
}
