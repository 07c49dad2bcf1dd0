//! Routes every request to a service the way AWS's endpoints and the real emulators do: by
//! `X-Amz-Target` for awsJson services, else by the SigV4 credential scope. awsJson calls are
//! POSTs to `/`, so only a request to `/` is routed by its target: elsewhere (a Lambda path) the
//! header names nothing, and a request to `/` with another method reaches its service only to
//! be refused there.
//!
//! The answers to requests that never reach a service were not recorded from AWS; they follow
//! what AWS's front end answers, in the awsJson shape of the target's service for a request to
//! `/` with a target, else in Lambda's restJson1:
//! - no `Authorization` (and no `X-Amz-Target`): 403 `MissingAuthenticationTokenException`,
//!   `{"message":"Missing Authentication Token"}`;
//! - an `Authorization` that does not parse as SigV4: 403 `IncompleteSignatureException`,
//!   naming what is wrong (signatures themselves are never checked, so any keys work);
//! - a body over 6 MB: 413 `RequestEntityTooLargeException`;
//! - an `X-Amz-Target` of no known service on `/`: 400 `UnknownOperationException` (awsJson 1.0).
//!
//! A request with `X-Amz-Target` and no `Authorization` is served in the default region.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http::header::{AUTHORIZATION, HOST};
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use uuid::Uuid;

use crate::services;
use crate::services::aws_json::AwsJsonApi;
use crate::services::dynamodb::DynamoDb;
use crate::services::kinesis::Kinesis;
use crate::services::sqs::Sqs;
use crate::state::EmulatorState;
use crate::wire::{AwsJsonError, AwsJsonProtocol, JsonVersion, RestJsonError, REQUEST_ID_HEADER};

/// The largest body AWS accepts: 6 MB.
pub const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// The path every awsJson call is sent to.
const AWS_JSON_PATH: &str = "/";

/// The protocol of the answer to a target of no known service.
const UNKNOWN_TARGET_PROTOCOL: AwsJsonProtocol = AwsJsonProtocol {
    version: JsonVersion::V1_0,
    namespace: None,
};

/// How much of an oversize body is read and dropped so the client sees the 413; past this the
/// connection is simply closed.
const MAX_DRAINED_BYTES: usize = 64 * 1024 * 1024;

/// The services the emulator answers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Lambda,
    Sqs,
    Kinesis,
    DynamoDb,
}

impl Service {
    /// The service named by an `X-Amz-Target` prefix.
    fn from_target_prefix(prefix: &str) -> Option<Self> {
        [Service::Sqs, Service::Kinesis, Service::DynamoDb]
            .into_iter()
            .find(|service| {
                service
                    .json_api()
                    .is_some_and(|(target, _)| target == prefix)
            })
    }

    /// The service named by a SigV4 signing name.
    fn from_signing_name(name: &str) -> Option<Self> {
        match name {
            "lambda" => Some(Service::Lambda),
            "sqs" => Some(Service::Sqs),
            "kinesis" => Some(Service::Kinesis),
            "dynamodb" => Some(Service::DynamoDb),
            _ => None,
        }
    }

    /// The service's `X-Amz-Target` prefix and awsJson protocol; `None` for Lambda's restJson1.
    fn json_api(self) -> Option<(&'static str, AwsJsonProtocol)> {
        fn api<S: AwsJsonApi>() -> Option<(&'static str, AwsJsonProtocol)> {
            Some((S::TARGET_PREFIX, S::PROTOCOL))
        }
        match self {
            Service::Lambda => None,
            Service::Sqs => api::<Sqs>(),
            Service::Kinesis => api::<Kinesis>(),
            Service::DynamoDb => api::<DynamoDb>(),
        }
    }
}

/// What a request's `X-Amz-Target` names. It is read on `/` only, where awsJson calls go.
#[derive(Debug, Clone, Copy)]
enum Target {
    None,
    Service(Service),
    Unknown,
}

impl Target {
    fn of(uri: &Uri, headers: &HeaderMap) -> Self {
        if uri.path() != AWS_JSON_PATH {
            return Target::None;
        }
        match headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
            None => Target::None,
            Some(target) => {
                let prefix = target.split_once('.').map_or(target, |(prefix, _)| prefix);
                Service::from_target_prefix(prefix).map_or(Target::Unknown, Target::Service)
            }
        }
    }

    /// The awsJson protocol the front end answers in; `None` for Lambda's restJson1.
    fn protocol(self) -> Option<AwsJsonProtocol> {
        match self {
            Target::None => None,
            Target::Service(service) => service.json_api().map(|(_, protocol)| protocol),
            Target::Unknown => Some(UNKNOWN_TARGET_PROTOCOL),
        }
    }
}

/// What a service handler knows about the request beyond its content.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub state: Arc<EmulatorState>,
    /// From the credential scope, else the configured default; every ARN uses it.
    pub region: String,
    pub service: Service,
    /// The `x-amzn-RequestId` the response will carry.
    pub request_id: String,
}

impl RequestContext {
    pub fn account_id(&self) -> &str {
        self.state.account_id()
    }
}

/// A request whose body has been read in full.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Percent-decoded path segments, without the empty one a trailing slash leaves.
    segments: Vec<String>,
}

impl ApiRequest {
    pub fn new(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Self {
        let path = uri.path().strip_prefix('/').unwrap_or(uri.path());
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments = if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').map(|s| percent_decode(s, false)).collect()
        };
        Self {
            method,
            uri,
            headers,
            body,
            segments,
        }
    }

    pub fn segments(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    /// The first value of a query parameter, decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        self.uri.query()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key, true) == name).then(|| percent_decode(value, true))
        })
    }

    /// A header's value, when it is visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Whether the request has the form of an awsJson call: a POST to `/`.
    pub(crate) fn is_aws_json_call(&self) -> bool {
        self.method == Method::POST && self.uri.path() == AWS_JSON_PATH
    }

    /// `host:port` as the client addressed the emulator.
    pub fn host(&self) -> Option<&str> {
        self.uri
            .authority()
            .map(|a| a.as_str())
            .or_else(|| self.header(HOST.as_str()))
    }
}

/// Serves one request, from reading its body to stamping the request id on the answer.
pub(crate) async fn handle(state: Arc<EmulatorState>, request: Request<Body>) -> Response {
    let request_id = Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    // Known before the body is read, so that a refused body is answered in the right protocol.
    let target = Target::of(&parts.uri, &parts.headers);
    let mut response = match read_body(body).await {
        Ok(body) => {
            let request = ApiRequest::new(parts.method, parts.uri, parts.headers, body);
            dispatch(state, &request, target, request_id.clone())
        }
        Err(rejection) => rejection.into_response(target.protocol()),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

fn dispatch(
    state: Arc<EmulatorState>,
    request: &ApiRequest,
    target: Target,
    request_id: String,
) -> Response {
    let target_service = match target {
        Target::None => None,
        Target::Service(service) => Some(service),
        Target::Unknown => return unknown_target(),
    };

    let scope = match request.header(AUTHORIZATION.as_str()) {
        Some(header) => match CredentialScope::parse(header) {
            Ok(scope) => Some(scope),
            Err(message) => {
                return front_end_error(
                    target.protocol(),
                    forbidden(
                        "IncompleteSignatureException",
                        format!("{message} Authorization={header}"),
                    ),
                )
            }
        },
        None if request.headers.contains_key(AUTHORIZATION) => {
            return front_end_error(
                target.protocol(),
                forbidden(
                    "IncompleteSignatureException",
                    "Authorization header is not valid ASCII.",
                ),
            )
        }
        None if target_service.is_none() => {
            return front_end_error(
                None,
                forbidden(
                    "MissingAuthenticationTokenException",
                    "Missing Authentication Token",
                ),
            )
        }
        None => None,
    };

    let signed_service = || Service::from_signing_name(&scope.as_ref()?.service);
    let Some(service) = target_service.or_else(signed_service) else {
        return RestJsonError::unknown_operation().into_response();
    };
    let region = match scope {
        Some(scope) => scope.region,
        None => state.config().default_region.clone(),
    };
    let ctx = RequestContext {
        state,
        region,
        service,
        request_id,
    };
    services::dispatch(&ctx, request)
}

/// An error from the front end, given in restJson1, written in the awsJson `protocol` of the
/// service the request was for when there is one.
fn front_end_error(protocol: Option<AwsJsonProtocol>, error: RestJsonError) -> Response {
    match protocol {
        Some(protocol) => {
            AwsJsonError::front_end(error.status, error.code, error.message).into_response(protocol)
        }
        None => error.into_response(),
    }
}

/// A 403 of the front end's authentication, whose restJson1 body has only the message.
fn forbidden(code: &'static str, message: impl Into<String>) -> RestJsonError {
    RestJsonError::new(StatusCode::FORBIDDEN, code, message).with_fault(None)
}

fn unknown_target() -> Response {
    AwsJsonError::unknown_operation().into_response(UNKNOWN_TARGET_PROTOCOL)
}

/// Why a body was not read.
#[derive(Debug)]
enum BodyError {
    TooLarge,
    Unreadable,
}

impl BodyError {
    fn into_response(self, protocol: Option<AwsJsonProtocol>) -> Response {
        match self {
            BodyError::TooLarge => front_end_error(
                protocol,
                RestJsonError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "RequestEntityTooLargeException",
                    format!("Request must be smaller than {MAX_BODY_BYTES} bytes"),
                ),
            ),
            // What each protocol answers to a body it cannot parse.
            BodyError::Unreadable => match protocol {
                Some(protocol) => {
                    AwsJsonError::serialization(UNREADABLE_BODY).into_response(protocol)
                }
                None => RestJsonError::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequestContentException",
                    UNREADABLE_BODY,
                )
                .into_response(),
            },
        }
    }
}

const UNREADABLE_BODY: &str = "The request body could not be read.";

/// Reads the whole body, refusing one over [`MAX_BODY_BYTES`] with AWS's 413.
async fn read_body(mut body: Body) -> Result<Bytes, BodyError> {
    let mut buffer = BytesMut::new();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame.map_err(|_| BodyError::Unreadable)?.into_data() else {
            continue; // trailers
        };
        if buffer.len() + data.len() > MAX_BODY_BYTES {
            drain(body, buffer.len() + data.len()).await;
            return Err(BodyError::TooLarge);
        }
        buffer.extend_from_slice(&data);
    }
    Ok(buffer.freeze())
}

/// Reads and drops the rest of a body, so that a client still sending it can read the answer.
async fn drain(mut body: Body, mut seen: usize) {
    while seen <= MAX_DRAINED_BYTES {
        match poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => seen += frame.data_ref().map_or(0, Bytes::len),
            _ => return,
        }
    }
}

/// The credential scope of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    pub access_key: String,
    pub date: String,
    pub region: String,
    pub service: String,
}

impl CredentialScope {
    /// Parses the header; the error is AWS's wording of what is wrong.
    pub fn parse(header: &str) -> Result<Self, String> {
        let Some(params) = header.strip_prefix("AWS4-HMAC-SHA256 ") else {
            return Err("Authorization header must use the AWS4-HMAC-SHA256 algorithm.".into());
        };
        let mut credential = None;
        let mut signed_headers = false;
        let mut signature = false;
        for pair in params.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(format!(
                    "'{pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
                ));
            };
            match key {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed_headers = !value.is_empty(),
                "Signature" => signature = !value.is_empty(),
                _ => {}
            }
        }
        let mut missing = Vec::new();
        for (name, present) in [
            ("Credential", credential.is_some()),
            ("Signature", signature),
            ("SignedHeaders", signed_headers),
        ] {
            if !present {
                missing.push(format!("Authorization header requires '{name}' parameter."));
            }
        }
        if !missing.is_empty() {
            return Err(missing.join(" "));
        }
        Self::parse_credential(credential.unwrap_or_default())
    }

    fn parse_credential(credential: &str) -> Result<Self, String> {
        let parts: Vec<&str> = credential.split('/').collect();
        let [access_key, date, region, service, terminator] = parts.as_slice() else {
            return Err(format!(
                "Credential should have exactly 5 slash-separated parts: '{credential}'."
            ));
        };
        if access_key.is_empty() {
            return Err("Credential should name an access key.".into());
        }
        if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "Credential should be scoped to a valid date, not '{date}'."
            ));
        }
        if region.is_empty() {
            return Err("Credential should be scoped to a valid region.".into());
        }
        if service.is_empty() {
            return Err("Credential should be scoped to correct service.".into());
        }
        if *terminator != "aws4_request" {
            return Err(format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
            ));
        }
        Ok(Self {
            access_key: (*access_key).to_owned(),
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
        })
    }
}

/// Decodes `%XX` escapes (and `+` in query strings); invalid UTF-8 becomes U+FFFD, so a
/// mangled name is simply not found rather than refused in a way AWS would not.
fn percent_decode(text: &str, plus_as_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        decoded.push(byte);
                        i += 3;
                        continue;
                    }
                    None => decoded.push(b'%'),
                }
            }
            b'+' if plus_as_space => decoded.push(b' '),
            byte => decoded.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

    #[test]
    fn parses_a_sigv4_header() {
        let scope = CredentialScope::parse(VALID).expect("valid");
        assert_eq!(scope.region, "eu-west-1");
        assert_eq!(scope.service, "lambda");
        assert_eq!(scope.access_key, "AKID");
    }

    #[test]
    fn names_what_is_missing() {
        let err = CredentialScope::parse("AWS4-HMAC-SHA256 Credential=A/20261126/r/s/aws4_request")
            .unwrap_err();
        assert_eq!(
            err,
            "Authorization header requires 'Signature' parameter. \
             Authorization header requires 'SignedHeaders' parameter."
        );
        let err = CredentialScope::parse(
            "AWS4-HMAC-SHA256 Credential=A/2026/r/s/aws4_request, SignedHeaders=h, Signature=s",
        )
        .unwrap_err();
        assert!(err.contains("valid date"), "{err}");
        assert!(CredentialScope::parse("Basic dXNlcg==").is_err());
        assert!(CredentialScope::parse("AWS4-HMAC-SHA256 Credential").is_err());
    }

    async fn parts(response: Response) -> (StatusCode, Option<String>, String) {
        let status = response.status();
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, content_type, String::from_utf8_lossy(&body).into())
    }

    #[tokio::test]
    async fn an_unreadable_body_is_refused_in_the_request_protocol() {
        let kinesis = Service::Kinesis.json_api().map(|(_, protocol)| protocol);
        assert_eq!(
            parts(BodyError::Unreadable.into_response(kinesis)).await,
            (
                StatusCode::BAD_REQUEST,
                Some("application/x-amz-json-1.1".into()),
                r#"{"__type":"SerializationException","message":"The request body could not be read."}"#.into(),
            )
        );
        assert_eq!(
            parts(BodyError::Unreadable.into_response(None)).await,
            (
                StatusCode::BAD_REQUEST,
                Some("application/json".into()),
                r#"{"Type":"User","message":"The request body could not be read."}"#.into(),
            )
        );
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%3Ab%2fc", false), "a:b/c");
        assert_eq!(percent_decode("a+b%", true), "a b%");
        assert_eq!(percent_decode("%ZZ%FF", false), "%ZZ\u{fffd}");
    }

    #[test]
    fn splits_paths_and_queries() {
        let uri: Uri = "/2015-03-31/functions/arn%3Aaws/?Qualifier=%24LATEST&x"
            .parse()
            .expect("uri");
        let request = ApiRequest::new(Method::GET, uri, HeaderMap::new(), Bytes::new());
        assert_eq!(request.segments(), ["2015-03-31", "functions", "arn:aws"]);
        assert_eq!(request.query("Qualifier").as_deref(), Some("$LATEST"));
        assert_eq!(request.query("x").as_deref(), Some(""));
        assert_eq!(request.query("y"), None);
    }
}
