//! The services the emulator answers for, and the hand-off from the router to each.

pub(crate) mod aws_json;
pub(crate) mod dynamodb;
pub(crate) mod functions;
pub(crate) mod input;
pub(crate) mod kinesis;
pub(crate) mod lambda;
pub(crate) mod sqs;

use axum::response::Response;

use crate::routing::{ApiRequest, RequestContext, Service};

/// Hands a routed request to its service.
pub(crate) fn dispatch(ctx: &RequestContext, request: &ApiRequest) -> Response {
    match ctx.service {
        Service::Lambda => lambda::dispatch(ctx, request),
        Service::Sqs => aws_json::serve::<sqs::Sqs>(ctx, request),
        Service::Kinesis => aws_json::serve::<kinesis::Kinesis>(ctx, request),
        Service::DynamoDb => aws_json::serve::<dynamodb::DynamoDb>(ctx, request),
    }
}
