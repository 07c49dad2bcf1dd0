//! Kinesis over awsJson 1.1, and `stream_by_arn`.

mod common;

use common::{Harness, ACCOUNT, REGION};
use conform_emulator::StreamInfo;
use serde_json::json;

const JSON_1_1: &str = "application/x-amz-json-1.1";

fn stream_arn(name: &str) -> String {
    format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}")
}

#[tokio::test]
async fn create_describe_and_delete_a_stream() {
    let h = Harness::start().await;
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "events", "ShardCount": 2 }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some(JSON_1_1));
    assert_eq!(reply.text, "");

    for selector in [
        json!({ "StreamName": "events" }),
        json!({ "StreamARN": stream_arn("events") }),
    ] {
        let reply = h.kinesis("DescribeStream", selector).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let mut description = reply.json()["StreamDescription"].clone();
        assert!(description["StreamCreationTimestamp"].is_number());
        let shards = description["Shards"].take();
        description["StreamCreationTimestamp"] = json!(0);
        assert_eq!(
            description,
            json!({
                "StreamName": "events",
                "StreamARN": stream_arn("events"),
                "StreamStatus": "ACTIVE",
                "StreamModeDetails": { "StreamMode": "PROVISIONED" },
                "RetentionPeriodHours": 24,
                "StreamCreationTimestamp": 0,
                "EnhancedMonitoring": [{ "ShardLevelMetrics": [] }],
                "EncryptionType": "NONE",
                "Shards": null,
                "HasMoreShards": false,
            })
        );
        let ranges: Vec<_> = shards
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| (s["ShardId"].clone(), s["HashKeyRange"].clone()))
            .collect();
        assert_eq!(
            ranges,
            [
                (
                    json!("shardId-000000000000"),
                    json!({ "StartingHashKey": "0", "EndingHashKey": "170141183460469231731687303715884105727" })
                ),
                (
                    json!("shardId-000000000001"),
                    json!({ "StartingHashKey": "170141183460469231731687303715884105728", "EndingHashKey": "340282366920938463463374607431768211455" })
                ),
            ]
        );
    }

    let reply = h
        .kinesis("DescribeStreamSummary", json!({ "StreamName": "events" }))
        .await;
    let summary = &reply.json()["StreamDescriptionSummary"];
    assert_eq!(summary["OpenShardCount"], 2);
    assert_eq!(summary["ConsumerCount"], 0);
    assert_eq!(summary["StreamARN"], stream_arn("events"));
    assert!(summary.get("Shards").is_none());

    assert_eq!(
        h.emulator.state().stream_by_arn(&stream_arn("events")),
        Some(StreamInfo {
            name: "events".into(),
            arn: stream_arn("events"),
            shard_count: 2,
        })
    );

    let reply = h
        .kinesis("DeleteStream", json!({ "StreamARN": stream_arn("events") }))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, "");
    let reply = h
        .kinesis("DescribeStream", json!({ "StreamName": "events" }))
        .await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "ResourceNotFoundException",
            "message": format!("Stream events under account {ACCOUNT} not found."),
        }),
    );
    assert_eq!(
        h.emulator.state().stream_by_arn(&stream_arn("events")),
        None
    );
}

#[tokio::test]
async fn create_stream_errors() {
    let h = Harness::start().await;
    h.kinesis(
        "CreateStream",
        json!({ "StreamName": "dup", "ShardCount": 1 }),
    )
    .await;
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "dup", "ShardCount": 1 }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "ResourceInUseException",
            "message": format!("Stream dup under account {ACCOUNT} already exists."),
        }),
    );

    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "zero", "ShardCount": 0 }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "ValidationException",
            "message": "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
        }),
    );

    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "typed", "ShardCount": "two" }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "SerializationException",
            "message": "Value for 'ShardCount' must be an integer.",
        }),
    );

    let reply = h.kinesis("CreateStream", json!({ "ShardCount": 1 })).await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "ValidationException",
            "message": "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be null",
        }),
    );

    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "many", "ShardCount": 100000 }),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["__type"], "LimitExceededException");

    let reply = h.kinesis("DescribeStream", json!({})).await;
    reply.assert_json_error(
        JSON_1_1,
        json!({
            "__type": "ValidationException",
            "message": "Either StreamName or StreamARN should be provided.",
        }),
    );
}

#[tokio::test]
async fn on_demand_streams() {
    let h = Harness::start().await;
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "auto", "StreamModeDetails": { "StreamMode": "ON_DEMAND" } }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = h
        .kinesis("DescribeStreamSummary", json!({ "StreamName": "auto" }))
        .await;
    let summary = &reply.json()["StreamDescriptionSummary"];
    assert_eq!(summary["StreamModeDetails"]["StreamMode"], "ON_DEMAND");
    assert_eq!(summary["OpenShardCount"], 4);
}
