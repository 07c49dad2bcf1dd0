//! The event-source-mapping family, as AWS does it: routes come from the generated operation
//! metadata, inputs are checked by the generated validators and the overlay's rules, and the
//! overlay's source data drives defaults, existence checks and duplicate detection.

mod handlers;
mod input;
mod store;

use axum::response::{IntoResponse, Response};
use conform_models::operations;

use crate::routing::{ApiRequest, RequestContext};

pub use input::unbindable_body;
pub use store::Store;

/// Answers the request if its method and path name an operation of the family; `None` passes
/// it on.
pub fn handle(ctx: &RequestContext, request: &ApiRequest) -> Option<Response> {
    let method = request.method.as_str();
    let path = request.uri.path();
    let (operation, labels) = operations::ALL
        .iter()
        .filter(|op| op.method == method)
        .find_map(|op| op.match_path(path).map(|labels| (*op, labels)))?;
    let answer = input::input_json(operation, request, labels)
        .and_then(|json| handlers::run(ctx, operation, json));
    Some(answer.unwrap_or_else(IntoResponse::into_response))
}
