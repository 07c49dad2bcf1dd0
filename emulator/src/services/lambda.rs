//! Lambda's restJson1 endpoint: each request goes to the event-source-mapping family first, then
//! to the function APIs, and is otherwise an unknown operation. Also the restJson1 request
//! plumbing the Lambda handlers share.

use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::routing::{ApiRequest, RequestContext};
use crate::services::functions;
use crate::services::input::{parse_object, MemberError};
use crate::state::FunctionLookupError;
use crate::wire::{null_violation, validation_message, RestJsonError};

pub(crate) fn dispatch(ctx: &RequestContext, request: &ApiRequest) -> Response {
    if let Some(response) = crate::esm::handle(ctx, request) {
        return response;
    }
    functions::handle(ctx, request)
        .unwrap_or_else(|| RestJsonError::unknown_operation().into_response())
}

/// The request body as a JSON object, or Lambda's InvalidRequestContentException.
pub(crate) fn json_body(request: &ApiRequest) -> Result<Map<String, Value>, RestJsonError> {
    parse_object(&request.body).map_err(RestJsonError::invalid_request_content)
}

impl From<MemberError> for RestJsonError {
    fn from(error: MemberError) -> Self {
        match error {
            MemberError::Missing { member } => {
                RestJsonError::validation(validation_message(&[null_violation(&member)]))
            }
            MemberError::WrongType { member, expected } => RestJsonError::invalid_request_content(
                format!("Could not parse payload into json: '{member}' must be {expected}"),
            ),
        }
    }
}

impl From<FunctionLookupError> for RestJsonError {
    fn from(error: FunctionLookupError) -> Self {
        match &error {
            FunctionLookupError::InvalidName { name } => {
                RestJsonError::validation(validation_message(&[pattern_violation(
                    name,
                    "functionName",
                    crate::arn::FUNCTION_NAME_PATTERN,
                )]))
            }
            FunctionLookupError::WrongRegion { .. } => {
                RestJsonError::invalid_parameter_value(error.to_string())
            }
            // Another account's function is, to this emulator, a function that is not there.
            FunctionLookupError::WrongAccount { arn, .. } => {
                RestJsonError::resource_not_found(format!("Function not found: {arn}"))
            }
            FunctionLookupError::FunctionNotFound { .. }
            | FunctionLookupError::VersionNotFound { .. }
            | FunctionLookupError::AliasNotFound { .. } => {
                RestJsonError::resource_not_found(error.to_string())
            }
        }
    }
}

/// One violation of a member's regular expression, in coral's words.
pub(crate) fn pattern_violation(value: &str, member: &str, pattern: &str) -> String {
    format!(
        "Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    )
}
