//! SQS over awsJson 1.0, and `queue_by_arn`.

mod common;

use common::{Harness, ACCOUNT, REGION};
use conform_emulator::QueueInfo;
use serde_json::json;

const JSON_1_0: &str = "application/x-amz-json-1.0";

fn queue_does_not_exist() -> serde_json::Value {
    json!({
        "__type": "com.amazonaws.sqs#QueueDoesNotExist",
        "message": "The specified queue does not exist.",
    })
}

#[tokio::test]
async fn create_get_url_and_delete_a_queue() {
    let h = Harness::start().await;
    let url = format!("{}/{ACCOUNT}/jobs", h.emulator.url());

    let reply = h.sqs("CreateQueue", json!({ "QueueName": "jobs" })).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some(JSON_1_0));
    assert_eq!(reply.json(), json!({ "QueueUrl": url }));

    // Creating it again with the same attributes is a no-op.
    let reply = h.sqs("CreateQueue", json!({ "QueueName": "jobs" })).await;
    assert_eq!(reply.json(), json!({ "QueueUrl": url }));

    let reply = h.sqs("GetQueueUrl", json!({ "QueueName": "jobs" })).await;
    assert_eq!(reply.json(), json!({ "QueueUrl": url }));

    let reply = h.sqs("DeleteQueue", json!({ "QueueUrl": url })).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({}));

    let reply = h.sqs("GetQueueUrl", json!({ "QueueName": "jobs" })).await;
    reply.assert_json_error(JSON_1_0, queue_does_not_exist());
    assert_eq!(
        reply.header("x-amzn-query-error"),
        Some("AWS.SimpleQueueService.NonExistentQueue;Sender")
    );
    let reply = h.sqs("DeleteQueue", json!({ "QueueUrl": url })).await;
    reply.assert_json_error(JSON_1_0, queue_does_not_exist());
}

#[tokio::test]
async fn queue_attributes() {
    let h = Harness::start().await;
    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "attrs", "Attributes": { "VisibilityTimeout": "60" } }),
        )
        .await;
    let url = reply.json()["QueueUrl"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let reply = h
        .sqs(
            "GetQueueAttributes",
            json!({ "QueueUrl": url, "AttributeNames": ["QueueArn", "VisibilityTimeout"] }),
        )
        .await;
    assert_eq!(
        reply.json(),
        json!({ "Attributes": {
            "QueueArn": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:attrs"),
            "VisibilityTimeout": "60",
        }})
    );

    let reply = h
        .sqs(
            "GetQueueAttributes",
            json!({ "QueueUrl": url, "AttributeNames": ["All"] }),
        )
        .await;
    let attributes = &reply.json()["Attributes"];
    assert_eq!(attributes["DelaySeconds"], "0");
    assert_eq!(attributes["MessageRetentionPeriod"], "345600");
    assert_eq!(attributes["ApproximateNumberOfMessages"], "0");
    assert!(attributes["FifoQueue"].is_null());
    let created = attributes["CreatedTimestamp"].as_str().unwrap_or_default();
    assert!(created.parse::<u64>().is_ok(), "{created}");

    let reply = h
        .sqs("GetQueueAttributes", json!({ "QueueUrl": url }))
        .await;
    assert_eq!(reply.json(), json!({}));

    let reply = h
        .sqs(
            "GetQueueAttributes",
            json!({ "QueueUrl": url, "AttributeNames": ["Colour"] }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({ "__type": "com.amazonaws.sqs#InvalidAttributeName", "message": "Unknown Attribute Colour." }),
    );
    assert_eq!(
        reply.header("x-amzn-query-error"),
        Some("InvalidAttributeName;Sender")
    );

    // Another value for an existing queue's attribute is a conflict.
    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "attrs", "Attributes": { "VisibilityTimeout": "30" } }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#QueueNameExists",
            "message": "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
        }),
    );
    assert_eq!(
        reply.header("x-amzn-query-error"),
        Some("QueueAlreadyExists;Sender")
    );
}

#[tokio::test]
async fn fifo_queues() {
    let h = Harness::start().await;
    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "orders", "Attributes": { "FifoQueue": "true" } }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#InvalidParameterValueException",
            "message": "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
        }),
    );
    assert_eq!(
        reply.header("x-amzn-query-error"),
        Some("InvalidParameterValue;Sender")
    );

    let reply = h
        .sqs("CreateQueue", json!({ "QueueName": "orders.fifo" }))
        .await;
    assert_eq!(reply.status, 400, "a standard queue name has no dot");

    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "orders.fifo", "Attributes": { "FifoQueue": "true", "ContentBasedDeduplication": "true" } }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let url = reply.json()["QueueUrl"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let reply = h
        .sqs(
            "GetQueueAttributes",
            json!({ "QueueUrl": url, "AttributeNames": ["FifoQueue", "ContentBasedDeduplication"] }),
        )
        .await;
    assert_eq!(
        reply.json(),
        json!({ "Attributes": { "ContentBasedDeduplication": "true", "FifoQueue": "true" } })
    );

    let arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:orders.fifo");
    assert_eq!(
        h.emulator.state().queue_by_arn(&arn),
        Some(QueueInfo {
            name: "orders.fifo".into(),
            arn: arn.clone(),
            url: format!("{}/{ACCOUNT}/orders.fifo", h.emulator.url()),
            fifo: true,
        })
    );
}

#[tokio::test]
async fn create_queue_checks_its_input() {
    let h = Harness::start().await;
    let reply = h.sqs("CreateQueue", json!({})).await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#MissingParameter",
            "message": "The request must contain the parameter QueueName.",
        }),
    );

    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "q", "Attributes": { "VisibilityTimeout": "99999" } }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#InvalidAttributeValue",
            "message": "Invalid value for the parameter VisibilityTimeout.",
        }),
    );

    let reply = h
        .sqs(
            "CreateQueue",
            json!({ "QueueName": "q", "Attributes": { "ContentBasedDeduplication": "true" } }),
        )
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#InvalidAttributeName",
            "message": "Unknown Attribute ContentBasedDeduplication.",
        }),
    );

    let reply = h.sqs("CreateQueue", json!({ "QueueName": 7 })).await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazon.coral.service#SerializationException",
            "message": "Value for 'QueueName' must be a string.",
        }),
    );

    let reply = h
        .sqs("DeleteQueue", json!({ "QueueUrl": "not-a-url" }))
        .await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.sqs#InvalidAddress",
            "message": "The address not-a-url is not valid for this endpoint.",
        }),
    );
}

#[tokio::test]
async fn queue_by_arn_finds_only_this_accounts_queues() {
    let h = Harness::start().await;
    h.sqs("CreateQueue", json!({ "QueueName": "plain" })).await;
    let state = h.emulator.state();
    let arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:plain");
    assert_eq!(
        state.queue_by_arn(&arn).map(|q| (q.name, q.fifo)),
        Some(("plain".to_owned(), false))
    );
    for other in [
        format!("arn:aws:sqs:{REGION}:999999999999:plain"),
        format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:plain"),
        format!("arn:aws:sqs:{REGION}:{ACCOUNT}:absent"),
        format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:plain"),
        "plain".to_owned(),
    ] {
        assert_eq!(state.queue_by_arn(&other), None, "{other}");
    }
}
