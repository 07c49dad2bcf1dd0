//! AWS wire formats: success and error responses for restJson1 and awsJson 1.0/1.1, the
//! coral validation text, and the timestamp formats the services put in their bodies.
//!
//! The `x-amzn-RequestId` header is not set here: the router stamps it on every response.

use std::borrow::Cow;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// The request-id header every response carries.
pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";
/// The header restJson1 (and AWS's front end) puts the error code in.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-ErrorType";
/// SQS's awsQuery-compatible error code, `Code;Sender`, which SDKs prefer over `__type`.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

// ---------------------------------------------------------------------------------------------
// restJson1 (Lambda)

/// The casing of the message member in a restJson1 error body; it differs per error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKey {
    /// `"message"`
    Lower,
    /// `"Message"`
    Upper,
}

impl MessageKey {
    fn as_str(self) -> &'static str {
        match self {
            MessageKey::Lower => "message",
            MessageKey::Upper => "Message",
        }
    }
}

/// Who is at fault, written as the body's `Type` member by Lambda's modeled errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    User,
    Service,
}

/// A restJson1 error: status, `x-amzn-ErrorType` and `{"Type": ..., "message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestJsonError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub message_key: MessageKey,
    pub message: String,
    /// `None` for errors that are not modeled Lambda errors (ValidationException, the front
    /// end's authentication errors): their body carries only the message.
    pub fault: Option<Fault>,
}

impl RestJsonError {
    /// A user-fault error with a lowercase `message`.
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message_key: MessageKey::Lower,
            message: message.into(),
            fault: Some(Fault::User),
        }
    }

    pub fn with_message_key(mut self, key: MessageKey) -> Self {
        self.message_key = key;
        self
    }

    pub fn with_fault(mut self, fault: Option<Fault>) -> Self {
        self.fault = fault;
        self
    }

    /// 404 ResourceNotFoundException, whose modeled member is a capital `Message`.
    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", message)
            .with_message_key(MessageKey::Upper)
    }

    /// 400 InvalidParameterValueException.
    pub fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValueException",
            message,
        )
    }

    /// 409 ResourceConflictException.
    pub fn resource_conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "ResourceConflictException", message)
    }

    /// 412 PreconditionFailedException (a stale RevisionId).
    pub fn precondition_failed(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailedException",
            message,
        )
    }

    /// 400 ValidationException: not a modeled Lambda error, so the body has only `message`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ValidationException", message).with_fault(None)
    }

    /// 400 InvalidRequestContentException for a body that is not a JSON document of the
    /// right shape.
    pub fn invalid_request_content(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContentException",
            format!("Could not parse request body into json: {detail}"),
        )
    }

    /// 404 UnknownOperationException for a method and path that name no operation.
    pub fn unknown_operation() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            "Unknown operation",
        )
    }

    /// 500 ServiceException.
    pub fn service(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ServiceException",
            message,
        )
        .with_fault(Some(Fault::Service))
    }

    /// The JSON body, in AWS's member order (`Type` first).
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        if let Some(fault) = self.fault {
            let fault = match fault {
                Fault::User => "User",
                Fault::Service => "Service",
            };
            body.insert("Type".to_owned(), fault.into());
        }
        body.insert(
            self.message_key.as_str().to_owned(),
            self.message.clone().into(),
        );
        Value::Object(body)
    }
}

impl IntoResponse for RestJsonError {
    fn into_response(self) -> Response {
        let mut response = rest_json(self.status, &self.body());
        if let Ok(code) = HeaderValue::from_str(&self.code) {
            response.headers_mut().insert(ERROR_TYPE_HEADER, code);
        }
        response
    }
}

/// A restJson1 success with a JSON body.
pub fn rest_json(status: StatusCode, body: &Value) -> Response {
    json_response(status, "application/json", body.to_string())
}

/// A success without a body (204 No Content and the like).
pub fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

// ---------------------------------------------------------------------------------------------
// awsJson 1.0 / 1.1 (SQS, Kinesis, DynamoDB)

/// The awsJson protocol version, which is only visible in the content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    V1_0,
    V1_1,
}

impl JsonVersion {
    pub fn content_type(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "application/x-amz-json-1.0",
            JsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// How one awsJson service writes its responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwsJsonProtocol {
    pub version: JsonVersion,
    /// The namespace of the service's own errors in `__type` (`com.amazonaws.sqs`), or
    /// `None` for a service that sends bare error codes (Kinesis).
    pub namespace: Option<&'static str>,
}

impl AwsJsonProtocol {
    /// A 200 response with a JSON body; `Value::Null` sends an empty body, as AWS does for
    /// operations without output.
    pub fn ok(&self, body: &Value) -> Response {
        let text = match body {
            Value::Null => String::new(),
            body => body.to_string(),
        };
        json_response(StatusCode::OK, self.version.content_type(), text)
    }
}

/// Whose namespace an awsJson error code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// The service's own modeled errors.
    Service,
    /// The shared framework's errors (`com.amazon.coral.service#SerializationException`).
    Framework(&'static str),
}

const CORAL_SERVICE: &str = "com.amazon.coral.service";
const CORAL_VALIDATE: &str = "com.amazon.coral.validate";

/// An awsJson error: `{"__type": "<namespace>#<Code>", "message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsJsonError {
    pub status: StatusCode,
    pub namespace: Namespace,
    pub code: Cow<'static, str>,
    pub message: String,
    /// The `x-amzn-query-error` value (`Code;Sender`), for SQS.
    pub query_error: Option<String>,
}

impl AwsJsonError {
    /// A 400 error in the service's own namespace.
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            namespace: Namespace::Service,
            code: code.into(),
            message: message.into(),
            query_error: None,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn with_query_error(mut self, query_code: &str) -> Self {
        self.query_error = Some(format!("{query_code};Sender"));
        self
    }

    fn framework(namespace: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            namespace: Namespace::Framework(namespace),
            ..Self::new(code, message)
        }
    }

    /// A body that is not JSON, or a member of the wrong JSON type.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::framework(CORAL_SERVICE, "SerializationException", message)
    }

    /// A constraint violation found by the framework's model validation.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::framework(CORAL_VALIDATE, "ValidationException", message)
    }

    /// An error from AWS's front end (authentication, body size), before the service sees the
    /// request.
    pub fn front_end(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            namespace: Namespace::Framework(CORAL_SERVICE),
            ..Self::new(code, message)
        }
    }

    /// An `X-Amz-Target` operation the service does not have.
    pub fn unknown_operation() -> Self {
        Self::framework(CORAL_SERVICE, "UnknownOperationException", "")
    }

    /// The body's `__type` under `protocol`.
    pub fn type_name(&self, protocol: AwsJsonProtocol) -> String {
        match (protocol.namespace, self.namespace) {
            (None, _) => self.code.to_string(),
            (Some(service), Namespace::Service) => format!("{service}#{}", self.code),
            (Some(_), Namespace::Framework(framework)) => format!("{framework}#{}", self.code),
        }
    }

    pub fn into_response(self, protocol: AwsJsonProtocol) -> Response {
        let mut body = Map::new();
        body.insert("__type".to_owned(), self.type_name(protocol).into());
        if !self.message.is_empty() {
            body.insert("message".to_owned(), self.message.into());
        }
        let mut response = json_response(
            self.status,
            protocol.version.content_type(),
            Value::Object(body).to_string(),
        );
        if let Some(value) = self
            .query_error
            .and_then(|q| HeaderValue::from_str(&q).ok())
        {
            response.headers_mut().insert(QUERY_ERROR_HEADER, value);
        }
        response
    }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// The text of a framework ValidationException, as AWS's coral services word it:
/// `2 validation errors detected: Value null at 'role' failed to satisfy constraint: ...; ...`.
pub fn validation_message<S: AsRef<str>>(violations: &[S]) -> String {
    let count = violations.len();
    let noun = if count == 1 { "error" } else { "errors" };
    let details: Vec<&str> = violations.iter().map(AsRef::as_ref).collect();
    format!("{count} validation {noun} detected: {}", details.join("; "))
}

/// One violation for [`validation_message`]: a required member that is absent.
pub fn null_violation(member: &str) -> String {
    format!(
        "Value null at '{}' failed to satisfy constraint: Member must not be null",
        coral_member_name(member)
    )
}

/// Coral names members in messages with a lowercase first letter (`functionName`).
pub fn coral_member_name(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn json_response(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/// Lambda's `LastModified`: `2026-11-26T18:58:31.123+0000`.
pub fn lambda_timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// ISO-8601 with milliseconds and no zone, as in a DynamoDB stream label:
/// `2026-11-26T18:58:31.123`.
pub fn iso_millis(at: OffsetDateTime) -> String {
    let stamp = lambda_timestamp(at);
    stamp.trim_end_matches("+0000").to_owned()
}

/// Epoch seconds with millisecond precision, the awsJson timestamp format.
pub fn epoch_seconds(at: OffsetDateTime) -> Value {
    let millis = at.unix_timestamp_nanos() / 1_000_000;
    let seconds = millis as f64 / 1000.0;
    serde_json::Number::from_f64(seconds).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_have_aws_formats() {
        let at = datetime!(2026-11-26 18:58:31.123 UTC);
        assert_eq!(lambda_timestamp(at), "2026-11-26T18:58:31.123+0000");
        assert_eq!(iso_millis(at), "2026-11-26T18:58:31.123");
        assert_eq!(epoch_seconds(at), serde_json::json!(1795719511.123));
    }

    #[test]
    fn validation_message_counts_violations() {
        assert_eq!(
            validation_message(&[null_violation("FunctionName")]),
            "1 validation error detected: Value null at 'functionName' failed to satisfy \
             constraint: Member must not be null"
        );
        assert!(validation_message(&["a", "b"]).starts_with("2 validation errors detected: a; b"));
    }

    #[test]
    fn type_names_follow_the_protocol() {
        let sqs = AwsJsonProtocol {
            version: JsonVersion::V1_0,
            namespace: Some("com.amazonaws.sqs"),
        };
        let kinesis = AwsJsonProtocol {
            version: JsonVersion::V1_1,
            namespace: None,
        };
        let missing = AwsJsonError::new("QueueDoesNotExist", "");
        assert_eq!(
            missing.type_name(sqs),
            "com.amazonaws.sqs#QueueDoesNotExist"
        );
        let bad = AwsJsonError::serialization("");
        assert_eq!(
            bad.type_name(sqs),
            "com.amazon.coral.service#SerializationException"
        );
        assert_eq!(bad.type_name(kinesis), "SerializationException");
    }

    #[test]
    fn rest_json_body_puts_type_first() {
        let err = RestJsonError::resource_not_found("gone");
        assert_eq!(
            err.body().to_string(),
            r#"{"Type":"User","Message":"gone"}"#
        );
        let err = RestJsonError::validation("bad");
        assert_eq!(err.body().to_string(), r#"{"message":"bad"}"#);
    }
}
