//! SQS over awsJson 1.0 (`AmazonSQS.*`): the queue calls fixtures make. Errors carry SQS's
//! awsQuery-compatible code in `x-amzn-query-error`, which SDKs report as the error code.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use crate::arn;
use crate::services::aws_json::{coral_member_error, AwsJsonApi, Call, CallError};
use crate::services::input::MemberError;
use crate::state::{lock, queue_url, QueueRecord};
use crate::wire::{AwsJsonError, AwsJsonProtocol, JsonVersion};

pub(crate) struct Sqs;

impl AwsJsonApi for Sqs {
    const TARGET_PREFIX: &'static str = "AmazonSQS";
    const PROTOCOL: AwsJsonProtocol = AwsJsonProtocol {
        version: JsonVersion::V1_0,
        namespace: Some("com.amazonaws.sqs"),
    };

    fn member_error(error: MemberError) -> AwsJsonError {
        match error {
            MemberError::Missing { member } => sqs_error(
                "MissingParameter",
                "MissingParameter",
                format!("The request must contain the parameter {member}."),
            ),
            other => coral_member_error(other),
        }
    }

    fn call(call: &Call<'_>, operation: &str) -> Result<Value, CallError> {
        match operation {
            "CreateQueue" => create_queue(call),
            "GetQueueUrl" => get_queue_url(call),
            "GetQueueAttributes" => get_queue_attributes(call),
            "DeleteQueue" => delete_queue(call),
            _ => Err(AwsJsonError::unknown_operation().into()),
        }
    }
}

fn create_queue(call: &Call<'_>) -> Result<Value, CallError> {
    let name = call.input.required_str("QueueName")?;
    let mut given: BTreeMap<&str, &str> = call
        .input
        .string_map("Attributes")?
        .unwrap_or_default()
        .into_iter()
        .collect();
    let fifo = match given.get("FifoQueue") {
        Some(value) => parse_bool("FifoQueue", value)?,
        None => false,
    };
    if !fifo {
        // `"FifoQueue": "false"` just spells out the default; the queue does not show it.
        given.remove("FifoQueue");
    }
    check_queue_name(name, fifo)?;
    for (&attribute, &value) in &given {
        check_attribute(attribute, value, fifo)?;
    }

    let (region, account) = (&call.ctx.region, call.ctx.account_id());
    let mut queues = lock(&call.ctx.state.queues);
    if let Some(existing) = queues.get(region, name) {
        // Creating an existing queue is a no-op unless an attribute would change.
        if let Some((attribute, _)) = given
            .iter()
            .find(|(k, v)| existing.attributes.get(**k).map(String::as_str) != Some(**v))
        {
            return Err(sqs_error(
                "QueueNameExists",
                "QueueAlreadyExists",
                format!(
                    "A queue already exists with the same name and a different value for attribute {attribute}"
                ),
            )
            .into());
        }
    } else {
        let attributes = initial_attributes(&arn::queue_arn(region, account, name), fifo, &given);
        queues.insert(region, name, QueueRecord { fifo, attributes });
    }
    Ok(json!({ "QueueUrl": url_for(call, name) }))
}

fn get_queue_url(call: &Call<'_>) -> Result<Value, CallError> {
    let name = call.input.required_str("QueueName")?;
    let owner = call.input.str("QueueOwnerAWSAccountId")?;
    let ctx = call.ctx;
    let exists = owner.is_none_or(|owner| owner == ctx.account_id())
        && lock(&ctx.state.queues).get(&ctx.region, name).is_some();
    if !exists {
        return Err(queue_does_not_exist().into());
    }
    Ok(json!({ "QueueUrl": url_for(call, name) }))
}

fn get_queue_attributes(call: &Call<'_>) -> Result<Value, CallError> {
    let name = queue_name(call)?;
    let wanted = call
        .input
        .string_list("AttributeNames")?
        .unwrap_or_default();
    if let Some(unknown) = wanted
        .iter()
        .find(|w| **w != "All" && !READABLE.contains(w) && !FIFO_ONLY.contains(w))
    {
        return Err(invalid_attribute_name(unknown).into());
    }

    let queues = lock(&call.ctx.state.queues);
    let queue = queues
        .get(&call.ctx.region, name)
        .ok_or_else(queue_does_not_exist)?;
    let all = wanted.contains(&"All");
    let attributes: Map<String, Value> = queue
        .attributes
        .iter()
        .filter(|(key, _)| all || wanted.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
        .collect();
    if attributes.is_empty() {
        return Ok(json!({}));
    }
    Ok(json!({ "Attributes": attributes }))
}

fn delete_queue(call: &Call<'_>) -> Result<Value, CallError> {
    let name = queue_name(call)?;
    lock(&call.ctx.state.queues)
        .remove(&call.ctx.region, name)
        .ok_or_else(queue_does_not_exist)?;
    Ok(json!({}))
}

/// The queue a request's `QueueUrl` names: `SCHEME://HOST/ACCOUNT/NAME`, whatever the host.
fn queue_name<'a>(call: &Call<'a>) -> Result<&'a str, CallError> {
    let url = call.input.required_str("QueueUrl")?;
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let [account, name] = segments.as_slice() else {
        return Err(sqs_error(
            "InvalidAddress",
            "InvalidAddress",
            format!("The address {url} is not valid for this endpoint."),
        )
        .into());
    };
    if *account != call.ctx.account_id() {
        return Err(queue_does_not_exist().into());
    }
    Ok(name)
}

/// The queue's URL on the host the client used.
fn url_for(call: &Call<'_>, name: &str) -> String {
    let base = match call.request.host() {
        Some(host) => format!("http://{host}"),
        None => call.ctx.state.base_url().to_owned(),
    };
    queue_url(&base, call.ctx.account_id(), name)
}

// ---------------------------------------------------------------------------------------------
// Attributes

/// Attributes a create may set, with the inclusive range of the numeric ones.
const SETTABLE: &[(&str, Option<(i64, i64)>)] = &[
    ("DelaySeconds", Some((0, 900))),
    ("MaximumMessageSize", Some((1024, 1_048_576))),
    ("MessageRetentionPeriod", Some((60, 1_209_600))),
    ("ReceiveMessageWaitTimeSeconds", Some((0, 20))),
    ("VisibilityTimeout", Some((0, 43_200))),
    ("KmsDataKeyReusePeriodSeconds", Some((60, 86_400))),
    ("Policy", None),
    ("RedrivePolicy", None),
    ("RedriveAllowPolicy", None),
    ("KmsMasterKeyId", None),
    ("SqsManagedSseEnabled", None),
];

/// Attributes only a FIFO queue has.
const FIFO_ONLY: &[&str] = &[
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
];

/// Every attribute GetQueueAttributes may be asked for (besides `All` and [`FIFO_ONLY`]).
const READABLE: &[&str] = &[
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "DelaySeconds",
    "KmsDataKeyReusePeriodSeconds",
    "KmsMasterKeyId",
    "LastModifiedTimestamp",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "Policy",
    "QueueArn",
    "ReceiveMessageWaitTimeSeconds",
    "RedriveAllowPolicy",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
];

fn check_attribute(name: &str, value: &str, fifo: bool) -> Result<(), AwsJsonError> {
    if FIFO_ONLY.contains(&name) {
        if !fifo {
            return Err(invalid_attribute_name(name));
        }
        let valid = match name {
            "ContentBasedDeduplication" | "FifoQueue" => parse_bool(name, value).is_ok(),
            "DeduplicationScope" => matches!(value, "messageGroup" | "queue"),
            _ => matches!(value, "perQueue" | "perMessageGroupId"),
        };
        return if valid {
            Ok(())
        } else {
            Err(invalid_attribute_value(name))
        };
    }
    match SETTABLE.iter().find(|(known, _)| *known == name) {
        None => Err(invalid_attribute_name(name)),
        Some((_, Some((min, max)))) => match value.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(()),
            _ => Err(invalid_attribute_value(name)),
        },
        Some(_) if name == "SqsManagedSseEnabled" => parse_bool(name, value).map(drop),
        Some(_) => Ok(()),
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, AwsJsonError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid_attribute_value(name)),
    }
}

/// A queue name: 1 to 80 of `[A-Za-z0-9_-]`, plus the `.fifo` suffix a FIFO queue must have.
fn check_queue_name(name: &str, fifo: bool) -> Result<(), AwsJsonError> {
    let base = if fifo {
        name.strip_suffix(".fifo")
    } else {
        Some(name)
    };
    let valid = base.is_some_and(|base| {
        !base.is_empty()
            && name.len() <= 80
            && base
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if valid {
        return Ok(());
    }
    let message = if fifo {
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
    } else {
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
    };
    Err(sqs_error(
        "InvalidParameterValueException",
        "InvalidParameterValue",
        message,
    ))
}

/// A new queue's attributes: SQS's defaults, overridden by what the create gave.
fn initial_attributes(
    queue_arn: &str,
    fifo: bool,
    given: &BTreeMap<&str, &str>,
) -> BTreeMap<String, String> {
    let now = OffsetDateTime::now_utc().unix_timestamp().to_string();
    let mut attributes: BTreeMap<String, String> = [
        ("ApproximateNumberOfMessages", "0"),
        ("ApproximateNumberOfMessagesDelayed", "0"),
        ("ApproximateNumberOfMessagesNotVisible", "0"),
        ("CreatedTimestamp", now.as_str()),
        ("DelaySeconds", "0"),
        ("LastModifiedTimestamp", now.as_str()),
        ("MaximumMessageSize", "1048576"),
        ("MessageRetentionPeriod", "345600"),
        ("QueueArn", queue_arn),
        ("ReceiveMessageWaitTimeSeconds", "0"),
        ("SqsManagedSseEnabled", "true"),
        ("VisibilityTimeout", "30"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    if fifo {
        for (key, value) in [
            ("FifoQueue", "true"),
            ("ContentBasedDeduplication", "false"),
            ("DeduplicationScope", "queue"),
            ("FifoThroughputLimit", "perQueue"),
        ] {
            attributes.insert(key.to_owned(), value.to_owned());
        }
    }
    for (key, value) in given {
        attributes.insert((*key).to_owned(), (*value).to_owned());
    }
    attributes
}

// ---------------------------------------------------------------------------------------------
// Errors

fn sqs_error(code: &'static str, query_code: &str, message: impl Into<String>) -> AwsJsonError {
    AwsJsonError::new(code, message).with_query_error(query_code)
}

fn queue_does_not_exist() -> AwsJsonError {
    sqs_error(
        "QueueDoesNotExist",
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    )
}

fn invalid_attribute_name(name: &str) -> AwsJsonError {
    sqs_error(
        "InvalidAttributeName",
        "InvalidAttributeName",
        format!("Unknown Attribute {name}."),
    )
}

fn invalid_attribute_value(name: &str) -> AwsJsonError {
    sqs_error(
        "InvalidAttributeValue",
        "InvalidAttributeValue",
        format!("Invalid value for the parameter {name}."),
    )
}
