//! One function per operation of the family, in AWS's order of checks: shape constraints and
//! rules (in `input`), then the function, then the event source's existence, then duplicates.

use std::time::Duration;

use axum::response::Response;
use conform_models::{
    CreateEventSourceMappingRequest, DeleteEventSourceMappingRequest,
    EventSourceMappingConfiguration, GetEventSourceMappingRequest, ListEventSourceMappingsRequest,
    ListTagsRequest, TagResourceRequest, UntagResourceRequest, UpdateEventSourceMappingRequest,
    RULES,
};
use conform_runtime::rules::{render, PathSeg, SourceDef};
use conform_runtime::{Inspect, OperationMeta, RuleContext, Scalar, Shape, Timestamp};
use http::StatusCode;
use serde_json::{Map, Value};

use super::input::{aws_error, checked, raise, shape_checked};
use super::store::{Inner, Mapping, Settle};
use crate::routing::RequestContext;
use crate::wire::{empty, rest_json, RestJsonError};

type Answer = Result<Response, RestJsonError>;

const NOT_FOUND: &str = "The resource you requested does not exist.";
const FUNCTION_MISSING: &str = "Function does not exist";
/// The default page size of ListEventSourceMappings.
const DEFAULT_PAGE: usize = 100;

pub fn run(ctx: &RequestContext, operation: &'static OperationMeta, json: Value) -> Answer {
    match operation.name {
        "CreateEventSourceMapping" => create(ctx, operation, json),
        "GetEventSourceMapping" => get(ctx, operation, json),
        "UpdateEventSourceMapping" => update(ctx, operation, json),
        "DeleteEventSourceMapping" => delete(ctx, operation, json),
        "ListEventSourceMappings" => list(ctx, operation, json),
        "TagResource" => tag(ctx, operation, json),
        "UntagResource" => untag(ctx, operation, json),
        "ListTags" => list_tags(ctx, operation, json),
        _ => Err(RestJsonError::unknown_operation()),
    }
}

fn create(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input = checked(op, json, |input: &CreateEventSourceMappingRequest| {
        let mut violations = Vec::new();
        input.rule_violations_into(RuleContext::default(), &mut violations);
        violations
    })?;
    let source = RULES.classify(&input, None).ok_or_else(|| {
        aws_error(
            op,
            "InvalidParameterValueException",
            "Unrecognized event source.".into(),
        )
    })?;
    let function = ctx
        .state
        .resolve_function(&ctx.region, &input.function_name)
        .map_err(|_| {
            aws_error(
                op,
                "InvalidParameterValueException",
                FUNCTION_MISSING.into(),
            )
        })?;
    if let Some(missing) = &source.missing {
        if !source_exists(ctx, source, &input) {
            return Err(aws_error(
                op,
                missing.error,
                render(missing.message, &[&input]),
            ));
        }
    }

    let uuid = uuid::Uuid::new_v4().to_string();
    let mut config = defaults(source, &uuid);
    merge_members(&mut config, &input);
    config.insert("UUID".into(), Value::String(uuid.clone()));
    config.insert(
        "EventSourceMappingArn".into(),
        Value::String(format!(
            "arn:aws:lambda:{}:{}:event-source-mapping:{uuid}",
            ctx.region,
            ctx.account_id()
        )),
    );
    config.insert("FunctionArn".into(), Value::String(function.arn));
    config.insert("LastModified".into(), now());
    config.insert(
        "StateTransitionReason".into(),
        Value::String(source.state_transition_reason.into()),
    );
    let config = typed(config)?;

    let mut store = ctx.state.esm().lock();
    refuse_duplicate(&store, op, source, &ctx.region, &config, &input)?;
    let sequence = store.next_sequence();
    let mut mapping = Mapping {
        config,
        source: source.id,
        region: ctx.region.clone(),
        sequence,
        pending: None,
        tags: input.tags.clone().unwrap_or_default(),
    };
    if input.enabled == Some(false) {
        mapping.config.state = Some("Disabled".into());
    } else {
        mapping.transition("Creating", Settle::Enabled, settle_delay(ctx));
    }
    let response = mapping_response(op, &mapping.config);
    store.mappings.insert(uuid, mapping);
    Ok(response)
}

fn get(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: GetEventSourceMappingRequest = shape_checked(op, json)?;
    let store = ctx.state.esm().lock();
    let mapping = find(&store.mappings, &input.uuid, ctx, op)?;
    Ok(mapping_response(op, &mapping.config))
}

fn update(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: UpdateEventSourceMappingRequest = shape_checked(op, json)?;
    let mut store = ctx.state.esm().lock();
    let mapping = find(&store.mappings, &input.uuid, ctx, op)?;
    refuse_if_deleting(mapping, op)?;
    // AWS checks these rules against the mapping that results from the update.
    let context = RuleContext {
        existing: Some(&mapping.config),
        ..RuleContext::default()
    };
    let mut violations = Vec::new();
    input.rule_violations_into(context, &mut violations);
    raise(op, &violations)?;
    let function_arn = match &input.function_name {
        Some(name) => Some(
            ctx.state
                .resolve_function(&ctx.region, name)
                .map_err(|_| {
                    aws_error(
                        op,
                        "InvalidParameterValueException",
                        FUNCTION_MISSING.into(),
                    )
                })?
                .arn,
        ),
        None => None,
    };
    let mut config = match serde_json::to_value(&mapping.config) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    };
    merge_members(&mut config, &input);
    if let Some(arn) = function_arn {
        config.insert("FunctionArn".into(), Value::String(arn));
    }
    config.insert("LastModified".into(), now());
    let config = typed(config)?;
    // A new function (or DocumentDB collection) may make the mapping another's duplicate.
    if let Some(source) = RULES.source(mapping.source) {
        refuse_duplicate(&store, op, source, &ctx.region, &config, &input)?;
    }
    let was_enabled = !matches!(
        mapping.config.state.as_deref(),
        Some("Disabled" | "Disabling")
    );
    let (state, settle) = match input.enabled {
        Some(false) if was_enabled => ("Disabling", Settle::Disabled),
        Some(true) if !was_enabled => ("Enabling", Settle::Enabled),
        Some(enabled) => (
            "Updating",
            if enabled {
                Settle::Enabled
            } else {
                Settle::Disabled
            },
        ),
        None => (
            "Updating",
            if was_enabled {
                Settle::Enabled
            } else {
                Settle::Disabled
            },
        ),
    };
    let delay = settle_delay(ctx);
    let mapping = store
        .mappings
        .get_mut(&input.uuid)
        .ok_or_else(|| not_found(op))?;
    mapping.config = config;
    mapping.transition(state, settle, delay);
    Ok(mapping_response(op, &mapping.config))
}

fn delete(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: DeleteEventSourceMappingRequest = shape_checked(op, json)?;
    let delay = settle_delay(ctx);
    let mut store = ctx.state.esm().lock();
    refuse_if_deleting(find(&store.mappings, &input.uuid, ctx, op)?, op)?;
    let mapping = store
        .mappings
        .get_mut(&input.uuid)
        .ok_or_else(|| not_found(op))?;
    mapping.transition("Deleting", Settle::Gone, delay);
    Ok(mapping_response(op, &mapping.config))
}

fn list(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: ListEventSourceMappingsRequest = shape_checked(op, json)?;
    // Filters match exactly, never as substrings; a function given by name matches its
    // unqualified ARN.
    let function_arn =
        input
            .function_name
            .as_deref()
            .map(|name| match crate::arn::FunctionName::parse(name) {
                Some(parsed) => crate::arn::function_arn(
                    parsed.region.unwrap_or(&ctx.region),
                    parsed.account.unwrap_or(ctx.account_id()),
                    parsed.name,
                    parsed.qualifier,
                ),
                None => name.to_owned(),
            });
    let mut store = ctx.state.esm().lock();
    // A marker stands for its place in the listing (creation order), not for its mapping: the
    // page starts at the first mapping created since, even if the marker's has gone.
    let first = match &input.marker {
        None => 0,
        Some(marker) => store.marker_position(&ctx.region, marker).ok_or_else(|| {
            aws_error(
                op,
                "InvalidParameterValueException",
                format!("Invalid marker: {marker}"),
            )
        })?,
    };
    let page = input
        .max_items
        .map_or(DEFAULT_PAGE, |n| usize::try_from(n).unwrap_or(DEFAULT_PAGE));
    let mut matching = store
        .in_order()
        .into_iter()
        .filter(|m| m.sequence >= first && m.region == ctx.region)
        .filter(|m| {
            input.event_source_arn.is_none() || m.config.event_source_arn == input.event_source_arn
        })
        .filter(|m| function_arn.is_none() || m.config.function_arn == function_arn);
    let listed: Vec<Value> = matching
        .by_ref()
        .take(page)
        .map(|m| to_json(&m.config))
        .collect();
    let next = matching
        .next()
        .and_then(|m| Some((m.config.uuid.clone()?, m.sequence)));
    let mut body = Map::new();
    body.insert("EventSourceMappings".into(), Value::Array(listed));
    if let Some((uuid, sequence)) = next {
        store.issue_marker(&uuid, &ctx.region, sequence);
        body.insert("NextMarker".into(), Value::String(uuid));
    }
    Ok(rest_json(status(op), &Value::Object(body)))
}

fn tag(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: TagResourceRequest = shape_checked(op, json)?;
    let mut store = ctx.state.esm().lock();
    let mapping = tagged_mapping(&mut store.mappings, &input.resource, ctx, op)?;
    mapping.tags.extend(input.tags);
    Ok(empty(status(op)))
}

fn untag(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: UntagResourceRequest = shape_checked(op, json)?;
    let mut store = ctx.state.esm().lock();
    let mapping = tagged_mapping(&mut store.mappings, &input.resource, ctx, op)?;
    for key in &input.tag_keys {
        mapping.tags.remove(key);
    }
    Ok(empty(status(op)))
}

fn list_tags(ctx: &RequestContext, op: &'static OperationMeta, json: Value) -> Answer {
    let input: ListTagsRequest = shape_checked(op, json)?;
    let mut store = ctx.state.esm().lock();
    let mapping = tagged_mapping(&mut store.mappings, &input.resource, ctx, op)?;
    let tags: Map<String, Value> = mapping
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Ok(rest_json(status(op), &serde_json::json!({ "Tags": tags })))
}

/// The mapping a tagging call names by ARN; tagging names the ARN when it is unknown.
fn tagged_mapping<'a>(
    mappings: &'a mut std::collections::BTreeMap<String, Mapping>,
    resource: &str,
    ctx: &RequestContext,
    op: &'static OperationMeta,
) -> Result<&'a mut Mapping, RestJsonError> {
    let unknown = || {
        aws_error(
            op,
            "ResourceNotFoundException",
            format!("Event source mapping not found: {resource}"),
        )
    };
    let uuid = resource
        .rsplit_once(":event-source-mapping:")
        .map(|(_, uuid)| uuid)
        .ok_or_else(unknown)?;
    match mappings.get_mut(uuid) {
        Some(m)
            if m.config.event_source_mapping_arn.as_deref() == Some(resource)
                && m.region == ctx.region =>
        {
            Ok(m)
        }
        _ => Err(unknown()),
    }
}

fn find<'a>(
    mappings: &'a std::collections::BTreeMap<String, Mapping>,
    uuid: &str,
    ctx: &RequestContext,
    op: &'static OperationMeta,
) -> Result<&'a Mapping, RestJsonError> {
    mappings
        .get(uuid)
        .filter(|m| m.region == ctx.region)
        .ok_or_else(|| not_found(op))
}

/// A mapping that is being deleted can be neither updated nor deleted again: an update would
/// otherwise bring it back once its transition settled. AWS answers ResourceInUseException
/// when an operation conflicts with a mapping's state (API reference); the message is
/// assumed, as no such answer was recorded.
fn refuse_if_deleting(mapping: &Mapping, op: &'static OperationMeta) -> Result<(), RestJsonError> {
    match mapping.pending {
        Some((_, Settle::Gone)) => Err(aws_error(
            op,
            "ResourceInUseException",
            format!(
                "The event source mapping {} is being deleted.",
                mapping.config.uuid.as_deref().unwrap_or_default()
            ),
        )),
        _ => Ok(()),
    }
}

fn not_found(op: &'static OperationMeta) -> RestJsonError {
    aws_error(op, "ResourceNotFoundException", NOT_FOUND.into())
}

/// Whether the source the request names exists in this emulator.
fn source_exists(
    ctx: &RequestContext,
    source: &SourceDef,
    input: &CreateEventSourceMappingRequest,
) -> bool {
    let Some(arn) = input.event_source_arn.as_deref() else {
        return true;
    };
    match source.id {
        "sqs" | "sqs-fifo" => ctx.state.queue_by_arn(arn).is_some(),
        // A stream consumer's ARN names its stream first.
        "kinesis" => ctx
            .state
            .stream_by_arn(arn.split("/consumer/").next().unwrap_or(arn))
            .is_some(),
        "dynamodb-streams" => ctx.state.table_stream_by_arn(arn).is_some(),
        // MSK, MQ and DocumentDB are not emulated: their sources are taken on trust.
        _ => true,
    }
}

/// The source's defaults, with `{UUID}` placeholders filled.
fn defaults(source: &SourceDef, uuid: &str) -> Map<String, Value> {
    let identity = serde_json::json!({ "UUID": uuid });
    fn fill(value: &Value, identity: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(render(text, &[identity])),
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(k, v)| (k.clone(), fill(v, identity)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, identity)).collect()),
            other => other.clone(),
        }
    }
    match fill(source.defaults(), &identity) {
        Value::Object(object) => object,
        _ => Map::new(),
    }
}

/// Copies the request's members that a mapping holds over `config`.
fn merge_members<T: serde::Serialize>(config: &mut Map<String, Value>, request: &T) {
    if let Ok(Value::Object(members)) = serde_json::to_value(request) {
        for (name, value) in members {
            if name != "UUID" && EventSourceMappingConfiguration::MEMBERS.contains(&name.as_str()) {
                config.insert(name, value);
            }
        }
    }
}

fn typed(config: Map<String, Value>) -> Result<EventSourceMappingConfiguration, RestJsonError> {
    serde_json::from_value(Value::Object(config))
        .map_err(|e| RestJsonError::service(format!("the emulator built an invalid mapping: {e}")))
}

/// Refuses, as AWS does on Create, a mapping `config` of `source` in `region` that duplicates
/// another; `request` is the call that would make it. The other mapping is the first layer of
/// the message: its key members equal the new mapping's, and `{UUID}` must name it rather than
/// the mapping an Update request names. `{FunctionName}`, which no mapping holds, is the
/// request's.
fn refuse_duplicate(
    store: &Inner,
    op: &'static OperationMeta,
    source: &SourceDef,
    region: &str,
    config: &EventSourceMappingConfiguration,
    request: &dyn Inspect,
) -> Result<(), RestJsonError> {
    let Some(duplicate) = &source.duplicate else {
        return Ok(());
    };
    let wanted = duplicate_key(config, duplicate.key);
    let existing = store.mappings.values().find(|m| {
        // An updated mapping is stored under its own UUID: it is not its own duplicate.
        m.config.uuid != config.uuid
            && m.source == source.id
            && m.region == region
            && duplicate_key(&m.config, duplicate.key) == wanted
    });
    match existing {
        Some(existing) => Err(aws_error(
            op,
            duplicate.error,
            render(duplicate.message, &[&existing.config, request]),
        )),
        None => Ok(()),
    }
}

/// What makes two mappings of one source the same: the values at the source's key paths. A
/// list or structure at a key path (`Topics`, `Queues`, `SelfManagedEventSource`) counts as a
/// whole; inspected alone it is only an empty composite, which would make every mapping of the
/// cluster or broker a duplicate whatever its topics, queues or endpoints.
fn duplicate_key(
    config: &EventSourceMappingConfiguration,
    paths: &[&[PathSeg]],
) -> Vec<Vec<String>> {
    let mut whole: Option<Value> = None;
    paths
        .iter()
        .map(|path| {
            let mut texts = Vec::new();
            let mut composite = false;
            config.inspect(path, &mut |v| match v {
                Scalar::Composite => composite = true,
                v => texts.push(v.text().into_string()),
            });
            if composite {
                let json = whole.get_or_insert_with(|| to_json(config));
                texts.clear();
                values_at(json, path, &mut texts);
            }
            texts
        })
        .collect()
}

/// Every value at `path` in `value`, each as its JSON text.
fn values_at(value: &Value, path: &[PathSeg], out: &mut Vec<String>) {
    match (value, path.split_first()) {
        (Value::Null, _) => {}
        (value, None) => out.push(value.to_string()),
        (Value::Object(map), Some((PathSeg::Member(name), rest))) => {
            if let Some(value) = map.get(*name) {
                values_at(value, rest, out);
            }
        }
        (Value::Object(map), Some((PathSeg::Keys, []))) => {
            out.extend(map.keys().map(|k| Value::String(k.clone()).to_string()));
        }
        (Value::Object(map), Some((PathSeg::Values, rest))) => {
            map.values().for_each(|v| values_at(v, rest, out));
        }
        (Value::Array(items), Some((PathSeg::Items, rest))) => {
            items.iter().for_each(|v| values_at(v, rest, out));
        }
        _ => {}
    }
}

/// A mapping as an answer's body, serialized straight from its typed form: the same bytes as
/// `rest_json` of its JSON value, without building that value first (the busiest answers of
/// the family are mappings).
fn mapping_response(op: &OperationMeta, config: &EventSourceMappingConfiguration) -> Response {
    match serde_json::to_vec(config) {
        Ok(body) => {
            let mut response = Response::new(axum::body::Body::from(body));
            *response.status_mut() = status(op);
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(_) => rest_json(status(op), &to_json(config)),
    }
}

fn to_json(config: &EventSourceMappingConfiguration) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

fn now() -> Value {
    serde_json::to_value(Timestamp::now()).unwrap_or(Value::Null)
}

fn settle_delay(ctx: &RequestContext) -> Duration {
    ctx.state.config().settle_delay
}

fn status(op: &OperationMeta) -> StatusCode {
    StatusCode::from_u16(op.success_code).unwrap_or(StatusCode::OK)
}
