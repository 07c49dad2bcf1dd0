//! The awsJson plumbing SQS, Kinesis and DynamoDB share: the operation from `X-Amz-Target`,
//! the body as a JSON object, member errors in each service's words, and the response.

use axum::response::Response;
use serde_json::Value;

use crate::routing::{ApiRequest, RequestContext};
use crate::services::input::{parse_object, MemberError, Members};
use crate::wire::{null_violation, validation_message, AwsJsonError, AwsJsonProtocol};

/// One awsJson service: its target prefix, its protocol and its operations.
pub(crate) trait AwsJsonApi {
    /// The `X-Amz-Target` prefix, before the `.`.
    const TARGET_PREFIX: &'static str;
    const PROTOCOL: AwsJsonProtocol;

    /// The error for a member that is absent or mistyped.
    fn member_error(error: MemberError) -> AwsJsonError {
        coral_member_error(error)
    }

    /// Runs one operation; an operation the service lacks is `AwsJsonError::unknown_operation`.
    fn call(call: &Call<'_>, operation: &str) -> Result<Value, CallError>;
}

/// One request, as an operation handler sees it.
pub(crate) struct Call<'a> {
    pub ctx: &'a RequestContext,
    pub request: &'a ApiRequest,
    pub input: Members<'a>,
}

/// Why an operation failed: a member the shared accessors refused, or the service's own error.
#[derive(Debug)]
pub(crate) enum CallError {
    Member(MemberError),
    Api(AwsJsonError),
}

impl From<MemberError> for CallError {
    fn from(error: MemberError) -> Self {
        CallError::Member(error)
    }
}

impl From<AwsJsonError> for CallError {
    fn from(error: AwsJsonError) -> Self {
        CallError::Api(error)
    }
}

/// How the coral framework answers: a null required member is a ValidationException, a member
/// of the wrong JSON type a SerializationException.
pub(crate) fn coral_member_error(error: MemberError) -> AwsJsonError {
    match error {
        MemberError::Missing { member } => {
            AwsJsonError::validation(validation_message(&[null_violation(&member)]))
        }
        MemberError::WrongType { member, expected } => {
            AwsJsonError::serialization(format!("Value for '{member}' must be {expected}."))
        }
    }
}

/// Serves one awsJson request for service `S`.
pub(crate) fn serve<S: AwsJsonApi>(ctx: &RequestContext, request: &ApiRequest) -> Response {
    match run::<S>(ctx, request) {
        Ok(body) => S::PROTOCOL.ok(&body),
        Err(CallError::Api(error)) => error.into_response(S::PROTOCOL),
        Err(CallError::Member(error)) => S::member_error(error).into_response(S::PROTOCOL),
    }
}

fn run<S: AwsJsonApi>(ctx: &RequestContext, request: &ApiRequest) -> Result<Value, CallError> {
    // Without a target (a request routed by its credential scope alone) there is no operation;
    // nor is there in any request but a POST to `/`, whatever its target says.
    let operation = request
        .header("x-amz-target")
        .filter(|_| request.is_aws_json_call())
        .and_then(|target| target.strip_prefix(S::TARGET_PREFIX)?.strip_prefix('.'))
        .ok_or_else(AwsJsonError::unknown_operation)?;
    let body = parse_object(&request.body).map_err(AwsJsonError::serialization)?;
    let call = Call {
        ctx,
        request,
        input: Members::new(&body),
    };
    S::call(&call, operation)
}
