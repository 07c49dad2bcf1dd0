//! Routing, authentication and body handling, shared by every service.

mod common;

use common::{authorization, Harness, ACCOUNT, REGION};
use conform_emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn binds_loopback_on_a_free_port_and_shuts_down() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("starts");
    let addr = emulator.addr();
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);
    assert_eq!(emulator.url(), format!("http://{addr}"));
    assert_eq!(emulator.state().account_id(), ACCOUNT);
    emulator.shutdown().await.expect("stops cleanly");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn missing_authorization_is_refused() {
    let h = Harness::start().await;
    let reply = h
        .send(h.request(Method::GET, "/2015-03-31/functions/f"))
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.header("x-amzn-ErrorType"),
        Some("MissingAuthenticationTokenException")
    );
    assert_eq!(reply.text, r#"{"message":"Missing Authentication Token"}"#);
}

#[tokio::test]
async fn unparsable_authorization_names_what_is_wrong() {
    let h = Harness::start().await;
    let header = "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/lambda/aws4_request";
    let reply = h
        .send(
            h.request(Method::GET, "/2015-03-31/functions/f")
                .header("authorization", header),
        )
        .await;
    reply.assert_rest_error(
        403,
        "IncompleteSignatureException",
        json!({ "message": format!(
            "Authorization header requires 'Signature' parameter. \
             Authorization header requires 'SignedHeaders' parameter. Authorization={header}"
        )}),
    );

    for header in [
        "Bearer token",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x, Junk",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/lambda, SignedHeaders=host, Signature=x",
        "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/lambda/aws5_request, SignedHeaders=host, Signature=x",
    ] {
        let reply = h
            .send(
                h.request(Method::GET, "/2015-03-31/functions/f")
                    .header("authorization", header),
            )
            .await;
        assert_eq!(reply.status, 403, "{header}");
        assert_eq!(
            reply.header("x-amzn-ErrorType"),
            Some("IncompleteSignatureException")
        );
        let message = reply.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.ends_with(&format!("Authorization={header}")), "{message}");
    }
}

#[tokio::test]
async fn awsjson_requests_get_authentication_errors_in_awsjson() {
    let h = Harness::start().await;
    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("authorization", "Bearer token")
                .header("x-amz-target", "AmazonSQS.ListQueues")
                .body("{}"),
        )
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(
        reply.json(),
        json!({
            "__type": "com.amazon.coral.service#IncompleteSignatureException",
            "message": "Authorization header must use the AWS4-HMAC-SHA256 algorithm. Authorization=Bearer token",
        })
    );
}

#[tokio::test]
async fn target_without_authorization_uses_the_default_region() {
    let h = Harness::start().await;
    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("x-amz-target", "AmazonSQS.CreateQueue")
                .body(r#"{"QueueName":"unsigned"}"#),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let arn = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:unsigned");
    assert!(h.emulator.state().queue_by_arn(&arn).is_some());
}

#[tokio::test]
async fn the_credential_scope_picks_the_region() {
    let h = Harness::start().await;
    let create = json!({
        "FunctionName": "regional",
        "Runtime": "python3.12",
        "Role": format!("arn:aws:iam::{ACCOUNT}:role/r"),
        "Handler": "index.handler",
        "Code": { "ZipFile": common::ZIP_BASE64 },
    });
    let reply = h
        .lambda_in(
            "eu-west-1",
            Method::POST,
            "/2015-03-31/functions",
            Some(create),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(
        reply.json()["FunctionArn"],
        format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:regional")
    );
    let elsewhere = h
        .lambda(Method::GET, "/2015-03-31/functions/regional", None)
        .await;
    assert_eq!(elsewhere.status, 404);
    let here = h
        .lambda_in(
            "eu-west-1",
            Method::GET,
            "/2015-03-31/functions/regional",
            None,
        )
        .await;
    assert_eq!(here.status, 200);
}

#[tokio::test]
async fn the_target_wins_over_the_signing_name() {
    let h = Harness::start().await;
    // Signed for lambda, but the target names Kinesis.
    let reply = h
        .aws_json(
            "lambda",
            "Kinesis_20131202.DescribeStream",
            json!({ "StreamName": "absent" }),
        )
        .await;
    reply.assert_json_error(
        "application/x-amz-json-1.1",
        json!({
            "__type": "ResourceNotFoundException",
            "message": format!("Stream absent under account {ACCOUNT} not found."),
        }),
    );
}

#[tokio::test]
async fn unknown_targets_and_operations() {
    let h = Harness::start().await;
    let reply = h.aws_json("s3", "AmazonS3.ListBuckets", json!({})).await;
    reply.assert_json_error(
        "application/x-amz-json-1.0",
        json!({ "__type": "UnknownOperationException" }),
    );

    let reply = h.sqs("PurgeEverything", json!({})).await;
    reply.assert_json_error(
        "application/x-amz-json-1.0",
        json!({ "__type": "com.amazon.coral.service#UnknownOperationException" }),
    );

    let reply = h.kinesis("PutRecord", json!({})).await;
    reply.assert_json_error(
        "application/x-amz-json-1.1",
        json!({ "__type": "UnknownOperationException" }),
    );

    // Signed for SQS but without a target: no operation is named.
    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("authorization", authorization("sqs", REGION))
                .body("{}"),
        )
        .await;
    reply.assert_json_error(
        "application/x-amz-json-1.0",
        json!({ "__type": "com.amazon.coral.service#UnknownOperationException" }),
    );
}

#[tokio::test]
async fn only_a_post_to_the_root_reaches_an_awsjson_operation() {
    let h = Harness::start().await;
    let reply = h.sqs("CreateQueue", json!({ "QueueName": "kept" })).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let kept = format!("arn:aws:sqs:{REGION}:{ACCOUNT}:kept");
    let url = h
        .emulator
        .state()
        .queue_by_arn(&kept)
        .expect("the queue")
        .url;
    let reply = h
        .kinesis(
            "CreateStream",
            json!({ "StreamName": "kept", "ShardCount": 1 }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    // Another method on `/`: the service's own refusal, in its awsJson shape.
    for (method, service, target, body) in [
        (
            Method::GET,
            "sqs",
            "AmazonSQS.CreateQueue",
            json!({ "QueueName": "made" }),
        ),
        (
            Method::PUT,
            "sqs",
            "AmazonSQS.CreateQueue",
            json!({ "QueueName": "made" }),
        ),
        (
            Method::DELETE,
            "sqs",
            "AmazonSQS.DeleteQueue",
            json!({ "QueueUrl": url }),
        ),
        (
            Method::GET,
            "kinesis",
            "Kinesis_20131202.CreateStream",
            json!({ "StreamName": "made", "ShardCount": 1 }),
        ),
        (
            Method::DELETE,
            "kinesis",
            "Kinesis_20131202.DeleteStream",
            json!({ "StreamName": "kept" }),
        ),
        (
            Method::PUT,
            "dynamodb",
            "DynamoDB_20120810.CreateTable",
            json!({ "TableName": "made" }),
        ),
    ] {
        let (content_type, type_name) = if service == "kinesis" {
            ("application/x-amz-json-1.1", "UnknownOperationException")
        } else {
            (
                "application/x-amz-json-1.0",
                "com.amazon.coral.service#UnknownOperationException",
            )
        };
        h.send(
            h.request(method, "/")
                .header("authorization", authorization(service, REGION))
                .header("x-amz-target", target)
                .body(body.to_string()),
        )
        .await
        .assert_json_error(content_type, json!({ "__type": type_name }));
    }

    // A Lambda path answers as Lambda, whatever the target says.
    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/event-source-mappings/")
                .header("authorization", authorization("lambda", REGION))
                .header("x-amz-target", "AmazonSQS.CreateQueue")
                .body(r#"{"QueueName":"made"}"#),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(
        reply.header("x-amzn-ErrorType"),
        Some("InvalidRequestContentException")
    );
    let message = reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("unknown field `QueueName`"), "{message}");
    let reply = h
        .send(
            h.request(Method::DELETE, "/2015-03-31/event-source-mappings/")
                .header("x-amz-target", "AmazonSQS.DeleteQueue")
                .body(json!({ "QueueUrl": url }).to_string()),
        )
        .await;
    reply.assert_rest_error(
        403,
        "MissingAuthenticationTokenException",
        json!({ "message": "Missing Authentication Token" }),
    );
    let reply = h
        .send(
            h.request(Method::GET, "/2015-03-31/nothing-here")
                .header("authorization", authorization("lambda", REGION))
                .header("x-amz-target", "AmazonS3.ListBuckets"),
        )
        .await;
    reply.assert_rest_error(
        404,
        "UnknownOperationException",
        json!({ "Type": "User", "message": "Unknown operation" }),
    );
    // Signed for SQS, a POST elsewhere than `/` names no operation either.
    let reply = h
        .send(
            h.request(Method::POST, "/queues")
                .header("authorization", authorization("sqs", REGION))
                .header("x-amz-target", "AmazonSQS.CreateQueue")
                .body(r#"{"QueueName":"made"}"#),
        )
        .await;
    reply.assert_json_error(
        "application/x-amz-json-1.0",
        json!({ "__type": "com.amazon.coral.service#UnknownOperationException" }),
    );

    // Nothing was made or removed.
    let state = h.emulator.state();
    assert!(state.queue_by_arn(&kept).is_some());
    assert!(state
        .queue_by_arn(&format!("arn:aws:sqs:{REGION}:{ACCOUNT}:made"))
        .is_none());
    assert!(state
        .stream_by_arn(&format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/kept"))
        .is_some());
    assert!(state
        .stream_by_arn(&format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/made"))
        .is_none());
    let reply = h
        .dynamodb("DescribeTable", json!({ "TableName": "made" }))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
}

#[tokio::test]
async fn unknown_lambda_routes_and_services() {
    let h = Harness::start().await;
    let expected = json!({ "Type": "User", "message": "Unknown operation" });
    for (method, path) in [
        (Method::GET, "/2015-03-31/nothing-here"),
        (Method::PUT, "/2015-03-31/functions/f"),
        (Method::GET, "/"),
    ] {
        let reply = h.lambda(method, path, None).await;
        reply.assert_rest_error(404, "UnknownOperationException", expected.clone());
    }

    let reply = h
        .send(
            h.request(Method::GET, "/bucket")
                .header("authorization", authorization("s3", REGION)),
        )
        .await;
    reply.assert_rest_error(404, "UnknownOperationException", expected);
}

#[tokio::test]
async fn malformed_json_is_a_client_error() {
    let h = Harness::start().await;
    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/functions")
                .header("authorization", authorization("lambda", REGION))
                .body("{\"FunctionName\":"),
        )
        .await;
    reply.assert_rest_error(
        400,
        "InvalidRequestContentException",
        json!({
            "Type": "User",
            "message": "Could not parse request body into json: EOF while parsing a value at line 1 column 16",
        }),
    );

    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/functions")
                .header("authorization", authorization("lambda", REGION))
                .body("[1, 2]"),
        )
        .await;
    reply.assert_rest_error(
        400,
        "InvalidRequestContentException",
        json!({
            "Type": "User",
            "message": "Could not parse request body into json: the request body must be a JSON object",
        }),
    );

    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("authorization", authorization("dynamodb", REGION))
                .header("x-amz-target", "DynamoDB_20120810.DescribeTable")
                .body("{nope"),
        )
        .await;
    reply.assert_json_error(
        "application/x-amz-json-1.0",
        json!({
            "__type": "com.amazon.coral.service#SerializationException",
            "message": "key must be a string at line 1 column 2",
        }),
    );
}

#[tokio::test]
async fn invalid_utf8_is_a_client_error() {
    let h = Harness::start().await;
    let body: &[u8] = b"{\"FunctionName\":\"\xff\xfe\"}";
    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/functions")
                .header("authorization", authorization("lambda", REGION))
                .body(body),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.header("x-amzn-ErrorType"),
        Some("InvalidRequestContentException")
    );
    assert_eq!(reply.json()["Type"], "User");

    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("authorization", authorization("sqs", REGION))
                .header("x-amz-target", "AmazonSQS.CreateQueue")
                .body(body),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["__type"],
        "com.amazon.coral.service#SerializationException"
    );
}

#[tokio::test]
async fn bodies_over_six_megabytes_are_refused() {
    let h = Harness::start().await;
    let limit = 6 * 1024 * 1024;

    // Exactly at the limit is fine: a valid create padded with whitespace.
    let mut body = br#"{"QueueName":"padded"}"#.to_vec();
    body.resize(limit, b' ');
    let reply = h
        .send(
            h.request(Method::POST, "/")
                .header("authorization", authorization("sqs", REGION))
                .header("x-amz-target", "AmazonSQS.CreateQueue")
                .body(body.clone()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    body.push(b' ');
    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/functions")
                .header("authorization", authorization("lambda", REGION))
                .body(body),
        )
        .await;
    reply.assert_rest_error(
        413,
        "RequestEntityTooLargeException",
        json!({ "Type": "User", "message": "Request must be smaller than 6291456 bytes" }),
    );

    let reply = h
        .send(
            h.request(Method::POST, "/2015-03-31/functions")
                .header("authorization", authorization("lambda", REGION))
                .body(vec![b'x'; 7 * 1024 * 1024]),
        )
        .await;
    assert_eq!(reply.status, 413);
    assert_eq!(
        reply.text,
        r#"{"Type":"User","message":"Request must be smaller than 6291456 bytes"}"#
    );
}

#[tokio::test]
async fn an_oversize_awsjson_body_is_refused_in_awsjson() {
    let h = Harness::start().await;
    let message = "Request must be smaller than 6291456 bytes";
    for (service, target, content_type, type_name) in [
        (
            "sqs",
            "AmazonSQS.CreateQueue",
            "application/x-amz-json-1.0",
            "com.amazon.coral.service#RequestEntityTooLargeException",
        ),
        (
            "kinesis",
            "Kinesis_20131202.CreateStream",
            "application/x-amz-json-1.1",
            "RequestEntityTooLargeException",
        ),
        (
            "dynamodb",
            "DynamoDB_20120810.CreateTable",
            "application/x-amz-json-1.0",
            "com.amazon.coral.service#RequestEntityTooLargeException",
        ),
        // A target of no known service is answered in awsJson 1.0, as its UnknownOperation is.
        (
            "s3",
            "AmazonS3.ListBuckets",
            "application/x-amz-json-1.0",
            "RequestEntityTooLargeException",
        ),
    ] {
        let mut body = br#"{"QueueName":"huge","StreamName":"huge","TableName":"huge"}"#.to_vec();
        body.resize(7 * 1024 * 1024, b' ');
        let reply = h
            .send(
                h.request(Method::POST, "/")
                    .header("authorization", authorization(service, REGION))
                    .header("x-amz-target", target)
                    .header("content-type", content_type)
                    .body(body),
            )
            .await;
        assert_eq!(reply.status, 413, "{target}: {}", reply.text);
        assert_eq!(reply.header("content-type"), Some(content_type), "{target}");
        assert_eq!(reply.header("x-amzn-ErrorType"), None, "{target}");
        assert_eq!(
            reply.json(),
            json!({ "__type": type_name, "message": message }),
            "{target}"
        );
    }
    assert!(h
        .emulator
        .state()
        .queue_by_arn(&format!("arn:aws:sqs:{REGION}:{ACCOUNT}:huge"))
        .is_none());
}

#[tokio::test]
async fn a_trailing_slash_names_the_same_resource() {
    let h = Harness::start().await;
    let reply = h
        .lambda(
            Method::POST,
            "/2015-03-31/functions/",
            Some(json!({
                "FunctionName": "slashed",
                "Runtime": "python3.12",
                "Role": format!("arn:aws:iam::{ACCOUNT}:role/r"),
                "Handler": "index.handler",
                "Code": { "ZipFile": common::ZIP_BASE64 },
            })),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    for path in [
        "/2015-03-31/functions/slashed",
        "/2015-03-31/functions/slashed/",
    ] {
        let reply = h.lambda(Method::GET, path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
}

#[tokio::test]
async fn every_response_has_its_own_request_id() {
    let h = Harness::start().await;
    let first = h.lambda(Method::GET, "/2015-03-31/functions/a", None).await;
    let second = h.lambda(Method::GET, "/2015-03-31/functions/a", None).await;
    assert_ne!(
        first.header("x-amzn-RequestId"),
        second.header("x-amzn-RequestId")
    );
}
