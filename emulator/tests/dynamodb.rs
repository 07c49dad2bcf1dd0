//! DynamoDB over awsJson 1.0, and `table_stream_by_arn`.

mod common;

use common::{Harness, ACCOUNT, REGION};
use serde_json::{json, Value};

const JSON_1_0: &str = "application/x-amz-json-1.0";

fn table_arn(name: &str) -> String {
    format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}")
}

fn streamed_table(name: &str) -> Value {
    json!({
        "TableName": name,
        "AttributeDefinitions": [
            { "AttributeName": "pk", "AttributeType": "S" },
            { "AttributeName": "sk", "AttributeType": "N" },
        ],
        "KeySchema": [
            { "AttributeName": "pk", "KeyType": "HASH" },
            { "AttributeName": "sk", "KeyType": "RANGE" },
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES" },
    })
}

fn validation(message: &str) -> Value {
    json!({ "__type": "com.amazon.coral.validate#ValidationException", "message": message })
}

#[tokio::test]
async fn create_describe_and_delete_a_table_with_a_stream() {
    let h = Harness::start().await;
    let reply = h.dynamodb("CreateTable", streamed_table("orders")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some(JSON_1_0));
    let description = reply.json()["TableDescription"].clone();

    let label = description["LatestStreamLabel"]
        .as_str()
        .unwrap_or_default();
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]"
    );
    assert!(
        time::PrimitiveDateTime::parse(label, format).is_ok(),
        "{label}"
    );
    let stream_arn = format!("{}/stream/{label}", table_arn("orders"));
    assert_eq!(description["LatestStreamArn"], stream_arn);
    assert!(description["CreationDateTime"].is_number());
    assert!(description["TableId"].as_str().is_some());

    let mut expected = description.clone();
    for (key, value) in [
        ("TableName", json!("orders")),
        ("TableStatus", json!("ACTIVE")),
        ("TableArn", json!(table_arn("orders"))),
        ("ItemCount", json!(0)),
        ("TableSizeBytes", json!(0)),
        (
            "AttributeDefinitions",
            streamed_table("orders")["AttributeDefinitions"].clone(),
        ),
        ("KeySchema", streamed_table("orders")["KeySchema"].clone()),
        (
            "StreamSpecification",
            json!({ "StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES" }),
        ),
        (
            "ProvisionedThroughput",
            json!({ "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0 }),
        ),
        ("DeletionProtectionEnabled", json!(false)),
    ] {
        expected[key] = value;
    }
    assert_eq!(description, expected);
    assert_eq!(
        description["BillingModeSummary"]["BillingMode"],
        "PAY_PER_REQUEST"
    );

    let info = h
        .emulator
        .state()
        .table_stream_by_arn(&stream_arn)
        .expect("the stream is found by its ARN");
    assert_eq!(info.table_name, "orders");
    assert_eq!(info.table_arn, table_arn("orders"));
    assert_eq!(info.stream_label, label);
    assert_eq!(info.view_type, "NEW_AND_OLD_IMAGES");
    let wrong_label = format!("{}/stream/2000-01-01T00:00:00.000", table_arn("orders"));
    assert_eq!(h.emulator.state().table_stream_by_arn(&wrong_label), None);

    for selector in ["orders".to_owned(), table_arn("orders")] {
        let reply = h
            .dynamodb("DescribeTable", json!({ "TableName": selector }))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json(), json!({ "Table": description }));
    }

    let reply = h
        .dynamodb("DeleteTable", json!({ "TableName": "orders" }))
        .await;
    assert_eq!(reply.status, 200);
    let mut deleting = description.clone();
    deleting["TableStatus"] = json!("DELETING");
    assert_eq!(reply.json(), json!({ "TableDescription": deleting }));

    let not_found = json!({
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": "Requested resource not found",
    });
    for operation in ["DescribeTable", "DeleteTable"] {
        let reply = h
            .dynamodb(operation, json!({ "TableName": "orders" }))
            .await;
        reply.assert_json_error(JSON_1_0, not_found.clone());
    }
    assert_eq!(h.emulator.state().table_stream_by_arn(&stream_arn), None);
}

#[tokio::test]
async fn a_provisioned_table_without_a_stream() {
    let h = Harness::start().await;
    let reply = h
        .dynamodb(
            "CreateTable",
            json!({
                "TableName": "plain",
                "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
                "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
                "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 2 },
            }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let description = &reply.json()["TableDescription"];
    assert_eq!(
        description["ProvisionedThroughput"],
        json!({ "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5, "WriteCapacityUnits": 2 })
    );
    for absent in [
        "LatestStreamArn",
        "LatestStreamLabel",
        "StreamSpecification",
        "BillingModeSummary",
    ] {
        assert!(description.get(absent).is_none(), "{absent}");
    }
}

#[tokio::test]
async fn a_duplicate_table_is_in_use() {
    let h = Harness::start().await;
    h.dynamodb("CreateTable", streamed_table("twice")).await;
    let reply = h.dynamodb("CreateTable", streamed_table("twice")).await;
    reply.assert_json_error(
        JSON_1_0,
        json!({
            "__type": "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
            "message": "Table already exists: twice",
        }),
    );
}

#[tokio::test]
async fn create_table_validates_its_input() {
    let h = Harness::start().await;
    let with = |changes: Value| {
        let mut body = streamed_table("checked");
        for (key, value) in changes.as_object().into_iter().flatten() {
            if value.is_null() {
                body.as_object_mut().map(|b| b.remove(key));
            } else {
                body[key] = value.clone();
            }
        }
        body
    };
    let cases = [
        (
            with(json!({ "KeySchema": null })),
            "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
        ),
        (
            with(json!({ "TableName": "ab" })),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        ),
        (
            with(json!({ "KeySchema": [{ "AttributeName": "pk", "KeyType": "RANGE" }] })),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ),
        (
            with(json!({ "KeySchema": [{ "AttributeName": "pk", "KeyType": "PRIMARY" }] })),
            "1 validation error detected: Value 'PRIMARY' at 'keySchema[0].keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
        ),
        (
            with(json!({ "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }] })),
            "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ),
        (
            with(json!({ "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }] })),
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]",
        ),
        (
            with(json!({ "BillingMode": "PROVISIONED" })),
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        ),
        (
            with(json!({ "ProvisionedThroughput": { "ReadCapacityUnits": 1, "WriteCapacityUnits": 1 } })),
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ),
        (
            with(json!({ "BillingMode": null, "ProvisionedThroughput": { "ReadCapacityUnits": 0, "WriteCapacityUnits": 0 } })),
            "2 validation errors detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            with(json!({ "StreamSpecification": { "StreamEnabled": true } })),
            "One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream",
        ),
        (
            with(json!({ "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "EVERYTHING" } })),
            "1 validation error detected: Value 'EVERYTHING' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
        ),
    ];
    for (body, message) in cases {
        let reply = h.dynamodb("CreateTable", body).await;
        reply.assert_json_error(JSON_1_0, validation(message));
    }
    // None of them created anything.
    let reply = h
        .dynamodb("DescribeTable", json!({ "TableName": "checked" }))
        .await;
    assert_eq!(reply.status, 400);
}
