//! Shared test plumbing: an in-process emulator on 127.0.0.1 and a client that signs requests
//! with a fake SigV4 header, as the AWS CLI and boto3 would.

#![allow(dead_code)] // Each test binary uses its own part of this module.

use conform_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";

/// A zip archive with one empty file, `index.py`, with its size and base64 SHA-256.
pub const ZIP_BASE64: &str = "UEsDBBQAAAAAAAAAIVwAAAAAAAAAAAAAAAAIAAAAaW5kZXgucHlQSwECFAMUAAAAAAAAACFcAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXgucHlQSwUGAAAAAAEAAQA2AAAAJgAAAAAA";
pub const ZIP_SIZE: u64 = 114;
pub const ZIP_SHA256: &str = "rwhjJQpAF1CpzFGQrBHCJY0Khca2LCAXCnyE8j82B3A=";

/// A SigV4 `Authorization` header for `service` in `region`; the signature is never checked.
pub fn authorization(service: &str, region: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/{region}/{service}/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature=0123456789abcdef"
    )
}

pub struct Harness {
    pub emulator: RunningEmulator,
    client: reqwest::Client,
}

/// A response, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|err| panic!("body is not JSON ({err}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts status, `x-amzn-ErrorType` and exact body of a restJson1 error.
    pub fn assert_rest_error(&self, status: u16, code: &str, body: Value) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.header("x-amzn-ErrorType"), Some(code), "{}", self.text);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.json(), body);
    }

    /// Asserts a 400 awsJson error's exact body and content type.
    pub fn assert_json_error(&self, content_type: &str, body: Value) {
        assert_eq!(self.status, 400, "{}", self.text);
        assert_eq!(self.header("content-type"), Some(content_type));
        assert_eq!(self.json(), body);
    }
}

impl Harness {
    /// A harness around an emulator started with a custom configuration.
    pub fn with(emulator: RunningEmulator) -> Self {
        Self {
            emulator,
            client: reqwest::Client::new(),
        }
    }

    pub async fn start() -> Self {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("the emulator starts on 127.0.0.1");
        Self {
            emulator,
            client: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.url())
    }

    /// A request builder for `path`, unsigned.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends a request and checks what every response must carry: a request id.
    pub async fn send(&self, request: RequestBuilder) -> Reply {
        let response = request.send().await.expect("the emulator answers");
        let reply = Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            text: response.text().await.expect("a readable body"),
        };
        let request_id = reply
            .header("x-amzn-RequestId")
            .expect("every response carries x-amzn-RequestId");
        assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{request_id}");
        reply
    }

    /// A signed Lambda call in [`REGION`].
    pub async fn lambda(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.lambda_in(REGION, method, path, body).await
    }

    pub async fn lambda_in(
        &self,
        region: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .request(method, path)
            .header("authorization", authorization("lambda", region));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(request).await
    }

    /// A signed awsJson call: `target` is `Prefix.Operation`.
    pub async fn aws_json(&self, service: &str, target: &str, body: Value) -> Reply {
        let content_type = if service == "kinesis" {
            "application/x-amz-json-1.1"
        } else {
            "application/x-amz-json-1.0"
        };
        let request = self
            .request(Method::POST, "/")
            .header("authorization", authorization(service, REGION))
            .header("x-amz-target", target)
            .header("content-type", content_type)
            .body(body.to_string());
        self.send(request).await
    }

    pub async fn sqs(&self, operation: &str, body: Value) -> Reply {
        self.aws_json("sqs", &format!("AmazonSQS.{operation}"), body)
            .await
    }

    pub async fn kinesis(&self, operation: &str, body: Value) -> Reply {
        self.aws_json("kinesis", &format!("Kinesis_20131202.{operation}"), body)
            .await
    }

    pub async fn dynamodb(&self, operation: &str, body: Value) -> Reply {
        self.aws_json("dynamodb", &format!("DynamoDB_20120810.{operation}"), body)
            .await
    }

    /// Creates a zip function and returns its configuration.
    pub async fn create_function(&self, name: &str) -> Value {
        let reply = self
            .lambda(
                Method::POST,
                "/2015-03-31/functions",
                Some(function_body(name, ACCOUNT)),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()
    }
}

/// A CreateFunction body for a zip function in `account`.
pub fn function_body(name: &str, account: &str) -> Value {
    serde_json::json!({
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": format!("arn:aws:iam::{account}:role/lambda-role"),
        "Handler": "index.handler",
        "Code": { "ZipFile": ZIP_BASE64 },
    })
}
