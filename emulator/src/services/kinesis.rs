//! Kinesis over awsJson 1.1 (`Kinesis_20131202.*`): the stream calls fixtures make. Kinesis
//! sends bare error codes in `__type`.

use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::arn::{self, Arn};
use crate::services::aws_json::{AwsJsonApi, Call, CallError};
use crate::state::{lock, StreamRecord};
use crate::wire::{epoch_seconds, validation_message, AwsJsonError, AwsJsonProtocol, JsonVersion};

pub(crate) struct Kinesis;

impl AwsJsonApi for Kinesis {
    const TARGET_PREFIX: &'static str = "Kinesis_20131202";
    const PROTOCOL: AwsJsonProtocol = AwsJsonProtocol {
        version: JsonVersion::V1_1,
        namespace: None,
    };

    fn call(call: &Call<'_>, operation: &str) -> Result<Value, CallError> {
        match operation {
            "CreateStream" => create_stream(call),
            "DescribeStream" => describe_stream(call, false),
            "DescribeStreamSummary" => describe_stream(call, true),
            "DeleteStream" => delete_stream(call),
            _ => Err(AwsJsonError::unknown_operation().into()),
        }
    }
}

/// Shards an account may have in one region, AWS's default quota.
const SHARD_LIMIT: u32 = 500;
/// Shards an on-demand stream starts with.
const ON_DEMAND_SHARDS: u32 = 4;

fn create_stream(call: &Call<'_>) -> Result<Value, CallError> {
    let name = call.input.required_str("StreamName")?;
    check_stream_name(name)?;
    let mode = match call.input.object("StreamModeDetails")? {
        Some(details) => details.str("StreamMode")?,
        None => None,
    };
    // Without a shard count the stream is on-demand, as AWS does it.
    let on_demand = mode == Some("ON_DEMAND") || !call.input.has("ShardCount");
    let shard_count = match call.input.int("ShardCount")? {
        _ if on_demand => ON_DEMAND_SHARDS,
        Some(count) if count >= 1 => u32::try_from(count).unwrap_or(u32::MAX),
        Some(count) => {
            return Err(AwsJsonError::validation(validation_message(&[format!(
                "Value '{count}' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )]))
            .into())
        }
        None => ON_DEMAND_SHARDS,
    };

    let (region, account) = (&call.ctx.region, call.ctx.account_id());
    let mut streams = lock(&call.ctx.state.streams);
    if streams.get(region, name).is_some() {
        return Err(AwsJsonError::new(
            "ResourceInUseException",
            format!("Stream {name} under account {account} already exists."),
        )
        .into());
    }
    let in_use: u32 = streams.iter(region).map(|(_, s)| s.shard_count).sum();
    if in_use.saturating_add(shard_count) > SHARD_LIMIT {
        return Err(AwsJsonError::new(
            "LimitExceededException",
            format!(
                "This request would exceed the shard limit for the account {account} in {region}. \
                 Current shard count for the account: {in_use}. Limit: {SHARD_LIMIT}. \
                 Number of additional shards that would have resulted from this request: {shard_count}."
            ),
        )
        .into());
    }
    let record = StreamRecord {
        shard_count,
        on_demand,
        created: OffsetDateTime::now_utc(),
    };
    streams.insert(region, name, record);
    Ok(Value::Null)
}

fn describe_stream(call: &Call<'_>, summary: bool) -> Result<Value, CallError> {
    let name = stream_name(call)?;
    let ctx = call.ctx;
    let streams = lock(&ctx.state.streams);
    let stream = streams
        .get(&ctx.region, &name)
        .ok_or_else(|| not_found(&name, ctx.account_id()))?;

    let mode = if stream.on_demand {
        "ON_DEMAND"
    } else {
        "PROVISIONED"
    };
    let mut description = json!({
        "StreamName": name,
        "StreamARN": arn::stream_arn(&ctx.region, ctx.account_id(), &name),
        "StreamStatus": "ACTIVE",
        "StreamModeDetails": { "StreamMode": mode },
        "RetentionPeriodHours": 24,
        "StreamCreationTimestamp": epoch_seconds(stream.created),
        "EnhancedMonitoring": [{ "ShardLevelMetrics": [] }],
        "EncryptionType": "NONE",
    });
    if summary {
        description["OpenShardCount"] = stream.shard_count.into();
        description["ConsumerCount"] = 0.into();
        return Ok(json!({ "StreamDescriptionSummary": description }));
    }
    description["Shards"] = shards(stream).into();
    description["HasMoreShards"] = false.into();
    Ok(json!({ "StreamDescription": description }))
}

fn delete_stream(call: &Call<'_>) -> Result<Value, CallError> {
    let name = stream_name(call)?;
    let ctx = call.ctx;
    lock(&ctx.state.streams)
        .remove(&ctx.region, &name)
        .ok_or_else(|| not_found(&name, ctx.account_id()))?;
    Ok(Value::Null)
}

/// The stream a request names by `StreamName` or `StreamARN`.
fn stream_name(call: &Call<'_>) -> Result<String, CallError> {
    let by_name = call.input.str("StreamName")?;
    let by_arn = call.input.str("StreamARN")?;
    let Some(stream_arn) = by_arn else {
        let name = by_name.ok_or_else(|| {
            AwsJsonError::validation("Either StreamName or StreamARN should be provided.")
        })?;
        check_stream_name(name)?;
        return Ok(name.to_owned());
    };

    let parsed = Arn::parse(stream_arn);
    let Some((arn, name)) =
        parsed.and_then(|arn| Some((arn, arn.resource_of("kinesis")?.strip_prefix("stream/")?)))
    else {
        return Err(AwsJsonError::validation(validation_message(&[format!(
            "Value '{stream_arn}' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{{12}}:stream/\\S+"
        )]))
        .into());
    };
    if by_name.is_some_and(|by_name| by_name != name) {
        return Err(AwsJsonError::new(
            "InvalidArgumentException",
            "StreamARN and StreamName name different streams.",
        )
        .into());
    }
    if arn.region != call.ctx.region || arn.account != call.ctx.account_id() {
        return Err(not_found(name, arn.account).into());
    }
    Ok(name.to_owned())
}

fn check_stream_name(name: &str) -> Result<(), AwsJsonError> {
    let valid = (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if valid {
        return Ok(());
    }
    Err(AwsJsonError::validation(validation_message(&[format!(
        "Value '{name}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    )])))
}

fn not_found(name: &str, account: &str) -> AwsJsonError {
    AwsJsonError::new(
        "ResourceNotFoundException",
        format!("Stream {name} under account {account} not found."),
    )
}

/// The shards of a stream: the 128-bit hash key space split evenly, as AWS splits it.
fn shards(stream: &StreamRecord) -> Vec<Value> {
    let count = u128::from(stream.shard_count.max(1));
    let created_ms = stream.created.unix_timestamp_nanos() / 1_000_000;
    (0..count)
        .map(|i| {
            let end = if i + 1 == count {
                u128::MAX
            } else {
                hash_key_start(i + 1, count) - 1
            };
            json!({
                "ShardId": format!("shardId-{i:012}"),
                "HashKeyRange": {
                    "StartingHashKey": hash_key_start(i, count).to_string(),
                    "EndingHashKey": end.to_string(),
                },
                "SequenceNumberRange": {
                    "StartingSequenceNumber": format!("49{:054}", created_ms * 1000 + i as i128),
                },
            })
        })
        .collect()
}

/// `floor(i * 2^128 / count)`, computed without overflowing `u128`.
fn hash_key_start(i: u128, count: u128) -> u128 {
    // 2^128 = count * q + (r + 1), where q and r divide u128::MAX by count.
    let (q, r) = (u128::MAX / count, u128::MAX % count);
    i * q + i * (r + 1) / count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_key_space_splits_like_aws() {
        assert_eq!(hash_key_start(0, 1), 0);
        assert_eq!(hash_key_start(1, 2), 1u128 << 127);
        assert_eq!(
            hash_key_start(1, 3).to_string(),
            "113427455640312821154458202477256070485"
        );
        assert_eq!(hash_key_start(3, 4), 3u128 << 126);
    }
}
