//! State stays consistent under many concurrent clients: duplicate detection is atomic, UUIDs
//! are unique, and no update is lost. Each test runs a fixed number of tasks and iterations on a
//! multi-threaded runtime, released together by a barrier; nothing is timed.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use common::{Harness, Reply, ACCOUNT, REGION};
use conform_emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Barrier;

const MAPPINGS: &str = "/2015-03-31/event-source-mappings/";
const TASKS: usize = 32;

async fn harness() -> Arc<Harness> {
    let config = EmulatorConfig {
        settle_delay: std::time::Duration::ZERO,
        ..EmulatorConfig::default()
    };
    Arc::new(Harness::with(
        Emulator::start(config).await.expect("the emulator starts"),
    ))
}

async fn queue(h: &Harness, name: &str) -> String {
    let reply = h.sqs("CreateQueue", json!({ "QueueName": name })).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}")
}

async fn stream(h: &Harness, name: &str) -> String {
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": name, "ShardCount": 1 }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}")
}

fn uuid_of(reply: &Reply) -> String {
    reply.json()["UUID"]
        .as_str()
        .unwrap_or_else(|| panic!("no UUID in {}", reply.text))
        .to_owned()
}

/// Every mapping, across pages.
async fn list_all(h: &Harness, filter: &str) -> Vec<String> {
    let mut uuids = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut path = format!("{MAPPINGS}?MaxItems=50{filter}");
        if let Some(m) = &marker {
            path.push_str(&format!("&Marker={m}"));
        }
        let reply = h.lambda(Method::GET, &path, None).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let body = reply.json();
        for mapping in body["EventSourceMappings"].as_array().expect("a list") {
            uuids.push(mapping["UUID"].as_str().expect("a UUID").to_owned());
        }
        match body.get("NextMarker").and_then(Value::as_str) {
            Some(next) => marker = Some(next.to_owned()),
            None => return uuids,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_create_from_every_client_succeeds_once() {
    let h = harness().await;
    h.create_function("fn").await;
    for round in 0..8 {
        let arn = queue(&h, &format!("race-{round}")).await;
        let barrier = Arc::new(Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (h, barrier, arn) = (Arc::clone(&h), Arc::clone(&barrier), arn.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    h.lambda(
                        Method::POST,
                        MAPPINGS,
                        Some(json!({ "FunctionName": "fn", "EventSourceArn": arn })),
                    )
                    .await
                })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.expect("the task finishes"));
        }
        let winners: Vec<&Reply> = replies.iter().filter(|r| r.status == 202).collect();
        assert_eq!(winners.len(), 1, "round {round}: exactly one create wins");
        let winner = uuid_of(winners[0]);
        let expected = format!(
            "An event source mapping with SQS arn (\" {arn} \") and function (\" fn \") already \
             exists. Please update or delete the existing mapping with UUID {winner}"
        );
        for reply in replies.iter().filter(|r| r.status != 202) {
            reply.assert_rest_error(
                409,
                "ResourceConflictException",
                json!({ "Type": "User", "message": expected }),
            );
        }
        let filter = format!("&EventSourceArn={}", arn.replace(':', "%3A"));
        assert_eq!(list_all(&h, &filter).await, vec![winner]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn distinct_creates_get_unique_uuids() {
    const PER_TASK: usize = 20;
    let h = harness().await;
    for task in 0..TASKS {
        h.create_function(&format!("fn-{task}")).await;
    }
    let mut queues = Vec::new();
    for i in 0..PER_TASK {
        queues.push(queue(&h, &format!("q-{i}")).await);
    }
    let queues = Arc::new(queues);
    let barrier = Arc::new(Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (h, barrier, queues) = (Arc::clone(&h), Arc::clone(&barrier), Arc::clone(&queues));
            tokio::spawn(async move {
                barrier.wait().await;
                let mut created = Vec::new();
                for arn in queues.iter() {
                    let reply = h
                        .lambda(
                            Method::POST,
                            MAPPINGS,
                            Some(json!({ "FunctionName": format!("fn-{task}"), "EventSourceArn": arn })),
                        )
                        .await;
                    assert_eq!(reply.status, 202, "{}", reply.text);
                    created.push(uuid_of(&reply));
                }
                created
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("the task finishes"));
    }
    assert_eq!(all.len(), TASKS * PER_TASK);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "every UUID is unique");

    let listed = list_all(&h, "").await;
    assert_eq!(listed.len(), all.len(), "List shows each mapping once");
    let listed_set: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(listed_set, unique);
    // Each task's mappings are listed under its function, in the order it created them.
    for task in [0, TASKS / 2, TASKS - 1] {
        let mine = list_all(&h, &format!("&FunctionName=fn-{task}")).await;
        let expected: Vec<String> = all[task * PER_TASK..(task + 1) * PER_TASK].to_vec();
        assert_eq!(mine, expected, "fn-{task}");
    }
}

/// The members of a Kinesis mapping that the update tasks share out, with the value a task
/// writes on its `i`th iteration.
fn member_value(member: &str, i: i64) -> Value {
    match member {
        "BatchSize" => json!(100 + i),
        "MaximumBatchingWindowInSeconds" => json!(i),
        "ParallelizationFactor" => json!(1 + i % 10),
        "MaximumRetryAttempts" => json!(i),
        "MaximumRecordAgeInSeconds" => json!(60 + i),
        "TumblingWindowInSeconds" => json!(i),
        "BisectBatchOnFunctionError" => json!(i % 2 == 1),
        "DestinationConfig" => {
            json!({ "OnFailure": { "Destination": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:dlq-{i}") } })
        }
        other => panic!("no values for {other}"),
    }
}

const MEMBERS: [&str; 8] = [
    "BatchSize",
    "MaximumBatchingWindowInSeconds",
    "ParallelizationFactor",
    "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds",
    "TumblingWindowInSeconds",
    "BisectBatchOnFunctionError",
    "DestinationConfig",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_of_different_members_are_all_kept() {
    const ITERATIONS: i64 = 25;
    const MAPPINGS_UNDER_TEST: usize = TASKS / MEMBERS.len();
    let h = harness().await;
    let arn = stream(&h, "updates").await;
    let mut uuids = Vec::new();
    for m in 0..MAPPINGS_UNDER_TEST {
        let name = format!("fn-{m}");
        h.create_function(&name).await;
        let reply = h
            .lambda(
                Method::POST,
                MAPPINGS,
                Some(json!({ "FunctionName": name, "EventSourceArn": arn, "StartingPosition": "LATEST" })),
            )
            .await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        uuids.push(uuid_of(&reply));
    }

    // One task per (mapping, member): every mapping is updated by eight tasks at once.
    let barrier = Arc::new(Barrier::new(TASKS));
    let mut tasks = Vec::new();
    for uuid in &uuids {
        for member in MEMBERS {
            let (h, barrier, uuid) = (Arc::clone(&h), Arc::clone(&barrier), uuid.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                for i in 1..=ITERATIONS {
                    let value = member_value(member, i);
                    let reply = h
                        .lambda(
                            Method::PUT,
                            &format!("{MAPPINGS}{uuid}"),
                            Some(json!({ member: value })),
                        )
                        .await;
                    assert_eq!(reply.status, 202, "{member}={value}: {}", reply.text);
                    // The answer shows this update applied.
                    assert_eq!(reply.json()[member], value, "{member}");
                }
            }));
        }
    }
    assert_eq!(tasks.len(), TASKS);
    for task in tasks {
        task.await.expect("the task finishes");
    }

    for uuid in &uuids {
        let reply = h
            .lambda(Method::GET, &format!("{MAPPINGS}{uuid}"), None)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let body = reply.json();
        for member in MEMBERS {
            assert_eq!(
                body[member],
                member_value(member, ITERATIONS),
                "{uuid}: the last write of {member} is kept"
            );
        }
        assert_eq!(body["State"], "Enabled");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_tagging_loses_no_tag() {
    const PER_TASK: usize = 10;
    let h = harness().await;
    h.create_function("fn").await;
    let arn = queue(&h, "tagged").await;
    let reply = h
        .lambda(
            Method::POST,
            MAPPINGS,
            Some(json!({ "FunctionName": "fn", "EventSourceArn": arn })),
        )
        .await;
    let esm = reply.json()["EventSourceMappingArn"]
        .as_str()
        .expect("an ARN")
        .to_owned();
    let path = format!("/2017-03-31/tags/{}", esm.replace(':', "%3A"));

    let barrier = Arc::new(Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (h, barrier, path) = (Arc::clone(&h), Arc::clone(&barrier), path.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                for i in 0..PER_TASK {
                    // Add two keys, then take one of them away again.
                    let tags =
                        json!({ format!("keep-{task}-{i}"): "v", format!("drop-{task}-{i}"): "v" });
                    let reply = h
                        .lambda(Method::POST, &path, Some(json!({ "Tags": tags })))
                        .await;
                    assert_eq!(reply.status, 204, "{}", reply.text);
                    let reply = h
                        .lambda(
                            Method::DELETE,
                            &format!("{path}?tagKeys=drop-{task}-{i}"),
                            None,
                        )
                        .await;
                    assert_eq!(reply.status, 204, "{}", reply.text);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task finishes");
    }

    let reply = h.lambda(Method::GET, &path, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let tags: BTreeMap<String, Value> =
        serde_json::from_value(reply.json()["Tags"].clone()).expect("a tag map");
    let expected: BTreeSet<String> = (0..TASKS)
        .flat_map(|t| (0..PER_TASK).map(move |i| format!("keep-{t}-{i}")))
        .collect();
    assert_eq!(tags.keys().cloned().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_create_and_delete_of_one_pair_stay_consistent() {
    const ROUNDS: usize = 15;
    let h = harness().await;
    h.create_function("fn").await;
    let arn = queue(&h, "churn").await;
    let barrier = Arc::new(Barrier::new(TASKS));
    // Every task creates the pair and deletes what it created, many times over: at any moment
    // at most one mapping of the pair exists, so each create either wins or names the one
    // that exists.
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (h, barrier, arn) = (Arc::clone(&h), Arc::clone(&barrier), arn.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let mut won = 0;
                for _ in 0..ROUNDS {
                    let reply = h
                        .lambda(
                            Method::POST,
                            MAPPINGS,
                            Some(json!({ "FunctionName": "fn", "EventSourceArn": arn })),
                        )
                        .await;
                    match reply.status {
                        202 => {
                            won += 1;
                            let uuid = uuid_of(&reply);
                            let deleted = h
                                .lambda(Method::DELETE, &format!("{MAPPINGS}{uuid}"), None)
                                .await;
                            assert_eq!(deleted.status, 202, "{}", deleted.text);
                            assert_eq!(deleted.json()["State"], "Deleting");
                        }
                        409 => assert_eq!(
                            reply.header("x-amzn-ErrorType"),
                            Some("ResourceConflictException")
                        ),
                        other => panic!("unexpected {other}: {}", reply.text),
                    }
                }
                won
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        wins += task.await.expect("the task finishes");
    }
    assert!(wins >= 1);
    // Every winner deleted its mapping, so none is left.
    assert_eq!(list_all(&h, "").await, Vec::<String>::new());
}
