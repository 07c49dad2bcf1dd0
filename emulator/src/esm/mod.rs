//! The event-source-mapping family plugs in here: every Lambda request is offered to it first.

use axum::response::Response;

use crate::routing::{ApiRequest, RequestContext};

/// Answers the request if it is an event-source-mapping operation; `None` passes it on.
pub fn handle(_ctx: &RequestContext, _request: &ApiRequest) -> Option<Response> {
    None
}
