//! DynamoDB over awsJson 1.0 (`DynamoDB_20120810.*`): creating, describing and deleting a table
//! with a stream. Tables are `ACTIVE` at once and their stream exists from the create on.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::arn::{self, Arn};
use crate::services::aws_json::{AwsJsonApi, Call, CallError};
use crate::services::input::Members;
use crate::state::{lock, TableRecord, TableStream};
use crate::wire::{
    coral_member_name, epoch_seconds, iso_millis, validation_message, AwsJsonError,
    AwsJsonProtocol, JsonVersion,
};

pub(crate) struct DynamoDb;

impl AwsJsonApi for DynamoDb {
    const TARGET_PREFIX: &'static str = "DynamoDB_20120810";
    const PROTOCOL: AwsJsonProtocol = AwsJsonProtocol {
        version: JsonVersion::V1_0,
        namespace: Some("com.amazonaws.dynamodb.v20120810"),
    };

    fn call(call: &Call<'_>, operation: &str) -> Result<Value, CallError> {
        match operation {
            "CreateTable" => create_table(call),
            "DescribeTable" => describe_table(call),
            "DeleteTable" => delete_table(call),
            _ => Err(AwsJsonError::unknown_operation().into()),
        }
    }
}

const VIEW_TYPES: [&str; 4] = ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"];

fn create_table(call: &Call<'_>) -> Result<Value, CallError> {
    let input = &call.input;
    let name = table_name(call)?;
    let definitions = input.objects("AttributeDefinitions")?;
    let definitions = input.require("AttributeDefinitions", definitions)?;
    let key_schema = input.objects("KeySchema")?;
    let key_schema = input.require("KeySchema", key_schema)?;

    let mut defined = Vec::new();
    for definition in &definitions {
        let attribute = definition.required_str("AttributeName")?;
        let kind = definition.required_str("AttributeType")?;
        check_enum(definition, "AttributeType", kind, &["S", "N", "B"])?;
        defined.push(attribute);
    }
    let keys = check_key_schema(&key_schema)?;

    // Index keys count as used attributes; the indexes themselves are not kept.
    let mut used: BTreeSet<&str> = keys.iter().copied().collect();
    for index_list in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        for index in input.objects(index_list)?.unwrap_or_default() {
            for key in index.objects("KeySchema")?.unwrap_or_default() {
                used.insert(key.required_str("AttributeName")?);
            }
        }
    }
    if let Some(undefined) = used.iter().find(|key| !defined.contains(key)) {
        return Err(invalid(format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{undefined}], AttributeDefinitions: [{}]",
            defined.join(", ")
        ))
        .into());
    }
    if used.len() != defined.len() {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        )
        .into());
    }

    let now = OffsetDateTime::now_utc();
    let (region, account) = (&call.ctx.region, call.ctx.account_id());
    let throughput = provisioned_throughput(input)?;
    let stream = stream_specification(input, now)?;

    let mut description = Map::new();
    description.insert("AttributeDefinitions".into(), json!(raw(&definitions)));
    description.insert("TableName".into(), name.clone().into());
    description.insert("KeySchema".into(), json!(raw(&key_schema)));
    description.insert("CreationDateTime".into(), epoch_seconds(now));
    description.insert("ProvisionedThroughput".into(), throughput.description());
    description.insert("TableSizeBytes".into(), 0.into());
    description.insert("ItemCount".into(), 0.into());
    description.insert(
        "TableArn".into(),
        arn::table_arn(region, account, &name).into(),
    );
    description.insert("TableId".into(), Uuid::new_v4().to_string().into());
    if throughput == Throughput::PayPerRequest {
        description.insert(
            "BillingModeSummary".into(),
            json!({
                "BillingMode": "PAY_PER_REQUEST",
                "LastUpdateToPayPerRequestDateTime": epoch_seconds(now),
            }),
        );
    }
    if let Some(stream) = &stream {
        description.insert(
            "StreamSpecification".into(),
            json!({ "StreamEnabled": true, "StreamViewType": stream.view_type }),
        );
        description.insert("LatestStreamLabel".into(), stream.label.clone().into());
        description.insert(
            "LatestStreamArn".into(),
            arn::table_stream_arn(region, account, &name, &stream.label).into(),
        );
    }
    description.insert("DeletionProtectionEnabled".into(), false.into());

    let mut tables = lock(&call.ctx.state.tables);
    if tables.get(region, &name).is_some() {
        return Err(AwsJsonError::new(
            "ResourceInUseException",
            format!("Table already exists: {name}"),
        )
        .into());
    }
    let record = TableRecord {
        description,
        stream,
    };
    let body = json!({ "TableDescription": with_status(&record, "ACTIVE") });
    tables.insert(region, &name, record);
    Ok(body)
}

fn describe_table(call: &Call<'_>) -> Result<Value, CallError> {
    let name = table_name(call)?;
    let tables = lock(&call.ctx.state.tables);
    let record = tables.get(&call.ctx.region, &name).ok_or_else(not_found)?;
    Ok(json!({ "Table": with_status(record, "ACTIVE") }))
}

fn delete_table(call: &Call<'_>) -> Result<Value, CallError> {
    let name = table_name(call)?;
    let record = lock(&call.ctx.state.tables)
        .remove(&call.ctx.region, &name)
        .ok_or_else(not_found)?;
    Ok(json!({ "TableDescription": with_status(&record, "DELETING") }))
}

/// The table a request names, by name or (as AWS now allows) by table ARN.
fn table_name(call: &Call<'_>) -> Result<String, CallError> {
    let given = call.input.required_str("TableName")?;
    if let Some(arn) = Arn::parse(given) {
        let name = arn
            .resource_of("dynamodb")
            .and_then(|r| r.strip_prefix("table/"))
            .filter(|_| arn.region == call.ctx.region && arn.account == call.ctx.account_id());
        return name.map(str::to_owned).ok_or_else(|| not_found().into());
    }
    let mut violations = Vec::new();
    if given.len() < 3 || given.len() > 255 {
        let bound = if given.len() < 3 {
            "greater than or equal to 3"
        } else {
            "less than or equal to 255"
        };
        violations.push(format!(
            "Value '{given}' at 'tableName' failed to satisfy constraint: Member must have length {bound}"
        ));
    }
    if !given
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        violations.push(format!(
            "Value '{given}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        ));
    }
    if violations.is_empty() {
        Ok(given.to_owned())
    } else {
        Err(AwsJsonError::validation(validation_message(&violations)).into())
    }
}

/// The key attributes, HASH first and an optional RANGE second.
fn check_key_schema<'a>(key_schema: &[Members<'a>]) -> Result<Vec<&'a str>, CallError> {
    if key_schema.is_empty() || key_schema.len() > 2 {
        let bound = if key_schema.is_empty() {
            "greater than or equal to 1"
        } else {
            "less than or equal to 2"
        };
        return Err(AwsJsonError::validation(validation_message(&[format!(
            "Value '{}' at 'keySchema' failed to satisfy constraint: Member must have length {bound}",
            json!(raw(key_schema))
        )]))
        .into());
    }
    let mut keys = Vec::new();
    for (position, (element, expected)) in key_schema.iter().zip(["HASH", "RANGE"]).enumerate() {
        let attribute = element.required_str("AttributeName")?;
        let kind = element.required_str("KeyType")?;
        check_enum(element, "KeyType", kind, &["HASH", "RANGE"])?;
        if kind != expected {
            let ordinal = if position == 0 { "first" } else { "second" };
            return Err(AwsJsonError::validation(format!(
                "Invalid KeySchema: The {ordinal} KeySchemaElement is not a {expected} key type"
            ))
            .into());
        }
        if keys.contains(&attribute) {
            return Err(invalid(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            )
            .into());
        }
        keys.push(attribute);
    }
    Ok(keys)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Throughput {
    Provisioned { read: i64, write: i64 },
    PayPerRequest,
}

impl Throughput {
    fn description(self) -> Value {
        let (read, write) = match self {
            Throughput::Provisioned { read, write } => (read, write),
            Throughput::PayPerRequest => (0, 0),
        };
        json!({
            "NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": read,
            "WriteCapacityUnits": write,
        })
    }
}

fn provisioned_throughput(input: &Members<'_>) -> Result<Throughput, CallError> {
    let mode = input.str("BillingMode")?.unwrap_or("PROVISIONED");
    check_enum(
        input,
        "BillingMode",
        mode,
        &["PROVISIONED", "PAY_PER_REQUEST"],
    )?;
    let throughput = input.object("ProvisionedThroughput")?;
    if mode == "PAY_PER_REQUEST" {
        return match throughput {
            Some(_) => Err(invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST").into()),
            None => Ok(Throughput::PayPerRequest),
        };
    }
    let Some(throughput) = throughput else {
        return Err(invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED").into());
    };
    let read = throughput.int("ReadCapacityUnits")?;
    let read = throughput.require("ReadCapacityUnits", read)?;
    let write = throughput.int("WriteCapacityUnits")?;
    let write = throughput.require("WriteCapacityUnits", write)?;
    let violations: Vec<String> = [("readCapacityUnits", read), ("writeCapacityUnits", write)]
        .into_iter()
        .filter(|(_, units)| *units < 1)
        .map(|(member, units)| {
            format!(
                "Value '{units}' at 'provisionedThroughput.{member}' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )
        })
        .collect();
    if !violations.is_empty() {
        return Err(AwsJsonError::validation(validation_message(&violations)).into());
    }
    Ok(Throughput::Provisioned { read, write })
}

/// The table's stream, when the create enables one; its label is the creation time.
fn stream_specification(
    input: &Members<'_>,
    now: OffsetDateTime,
) -> Result<Option<TableStream>, CallError> {
    let Some(spec) = input.object("StreamSpecification")? else {
        return Ok(None);
    };
    let enabled = spec.bool("StreamEnabled")?;
    let enabled = spec.require("StreamEnabled", enabled)?;
    let view_type = spec.str("StreamViewType")?;
    if let Some(view_type) = view_type {
        check_enum(&spec, "StreamViewType", view_type, &VIEW_TYPES)?;
    }
    match (enabled, view_type) {
        (true, Some(view_type)) => Ok(Some(TableStream {
            label: iso_millis(now),
            view_type: view_type.to_owned(),
        })),
        (true, None) => {
            Err(invalid("You must specify a StreamViewType when enabling a stream").into())
        }
        (false, Some(_)) => {
            Err(invalid("StreamViewType cannot be specified when StreamEnabled is false").into())
        }
        (false, None) => Ok(None),
    }
}

fn check_enum(
    members: &Members<'_>,
    member: &str,
    value: &str,
    allowed: &[&str],
) -> Result<(), AwsJsonError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    // Coral names the member by its path, each step lowercased: `keySchema[0].keyType`.
    let path: Vec<String> = members
        .path_of(member)
        .split('.')
        .map(coral_member_name)
        .collect();
    Err(AwsJsonError::validation(validation_message(&[format!(
        "Value '{value}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        path.join("."),
        allowed.join(", ")
    )])))
}

fn with_status(record: &TableRecord, status: &str) -> Value {
    let mut description = record.description.clone();
    description.insert("TableStatus".into(), status.into());
    Value::Object(description)
}

fn raw(members: &[Members<'_>]) -> Vec<Value> {
    members
        .iter()
        .map(|m| Value::Object(m.map().clone()))
        .collect()
}

/// A ValidationException for a parameter value DynamoDB itself refuses.
fn invalid(detail: impl std::fmt::Display) -> AwsJsonError {
    AwsJsonError::validation(format!(
        "One or more parameter values were invalid: {detail}"
    ))
}

fn not_found() -> AwsJsonError {
    AwsJsonError::new("ResourceNotFoundException", "Requested resource not found")
}
