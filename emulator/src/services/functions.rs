//! Lambda's function APIs that fixtures use: create, get and delete a function, publish
//! versions, and create, get and delete aliases. Functions are `Active` at once and never run.

use std::sync::LazyLock;

use axum::response::Response;
use base64::Engine as _;
use http::StatusCode;
use regex::Regex;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::arn::{self, FunctionName};
use crate::routing::{ApiRequest, RequestContext};
use crate::services::input::Members;
use crate::services::lambda::{json_body, pattern_violation};
use crate::state::{lock, AliasRecord, FunctionConfig, FunctionRecord, Qualifier, LATEST};
use crate::wire::{
    empty, lambda_timestamp, null_violation, rest_json, validation_message, RestJsonError,
};

type Reply = Result<Response, RestJsonError>;

/// Answers the function APIs; `None` for any other method and path.
pub(crate) fn handle(ctx: &RequestContext, request: &ApiRequest) -> Option<Response> {
    let segments = request.segments();
    let reply = match (request.method.as_str(), segments.as_slice()) {
        ("POST", ["2015-03-31", "functions"]) => create_function(ctx, request),
        ("GET", ["2015-03-31", "functions", name]) => get_function(ctx, request, name),
        ("DELETE", ["2015-03-31", "functions", name]) => delete_function(ctx, request, name),
        ("POST", ["2015-03-31", "functions", name, "versions"]) => {
            publish_version(ctx, request, name)
        }
        ("POST", ["2015-03-31", "functions", name, "aliases"]) => create_alias(ctx, request, name),
        ("GET", ["2015-03-31", "functions", name, "aliases", alias]) => get_alias(ctx, name, alias),
        ("DELETE", ["2015-03-31", "functions", name, "aliases", alias]) => {
            delete_alias(ctx, name, alias)
        }
        _ => return None,
    };
    Some(reply.unwrap_or_else(axum::response::IntoResponse::into_response))
}

const ROLE_PATTERN: &str = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+";
const ALIAS_PATTERN: &str = r"(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
const VERSION_PATTERN: &str = r"(\$LATEST|[0-9]+)";
const QUALIFIER_PATTERN: &str = r"(|[a-zA-Z0-9$_-]+)";

static ROLE: LazyLock<Regex> = LazyLock::new(|| anchored(ROLE_PATTERN));

fn anchored(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$")).expect("a documented pattern is a valid regex")
}

// ---------------------------------------------------------------------------------------------
// Functions

fn create_function(ctx: &RequestContext, request: &ApiRequest) -> Reply {
    let body = json_body(request)?;
    let input = Members::new(&body);
    let function_name = input.str("FunctionName")?;
    let role = input.str("Role")?;
    let code = input.object("Code")?;
    let runtime = input.str("Runtime")?;
    let handler = input.str("Handler")?;
    let timeout = input.int("Timeout")?;
    let memory_size = input.int("MemorySize")?;
    let description = input.str("Description")?.unwrap_or_default();
    let package_type = input.str("PackageType")?.unwrap_or("Zip");
    let publish_now = input.bool("Publish")?.unwrap_or(false);
    let architectures = input.string_list("Architectures")?;
    let environment = input.object("Environment")?;
    let tags = input.string_map("Tags")?.unwrap_or_default();

    // Coral checks every member's constraints before the service looks at the request.
    let mut violations = Vec::new();
    for (member, present) in [
        ("FunctionName", function_name.is_some()),
        ("Role", role.is_some()),
        ("Code", code.is_some()),
    ] {
        if !present {
            violations.push(null_violation(member));
        }
    }
    let parsed = function_name.and_then(FunctionName::parse);
    if let Some(name) = function_name {
        if parsed.is_none_or(|p| p.qualifier.is_some()) || name.len() > 140 {
            violations.push(pattern_violation(
                name,
                "functionName",
                arn::FUNCTION_NAME_PATTERN,
            ));
        }
    }
    if let Some(role) = role.filter(|role| !ROLE.is_match(role)) {
        violations.push(pattern_violation(role, "role", ROLE_PATTERN));
    }
    violations.extend(range_violation("timeout", timeout, 1, 900));
    violations.extend(range_violation("memorySize", memory_size, 128, 10_240));
    if !matches!(package_type, "Zip" | "Image") {
        violations.push(format!(
            "Value '{package_type}' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]"
        ));
    }
    let (Some(parsed), Some(role), Some(code), true) = (parsed, role, code, violations.is_empty())
    else {
        return Err(RestJsonError::validation(validation_message(&violations)));
    };
    if package_type == "Image" || code.has("ImageUri") {
        return Err(RestJsonError::invalid_parameter_value(
            "The emulator supports only Zip packages: PackageType Image is not available.",
        ));
    }
    let (Some(runtime), Some(handler)) = (runtime, handler) else {
        return Err(RestJsonError::invalid_parameter_value(
            "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
        ));
    };
    let zip = zip_file(&code)?;
    let name = parsed.name;
    let region = &ctx.region;
    check_home(ctx, parsed)?;

    let now = OffsetDateTime::now_utc();
    let latest = FunctionConfig {
        name: name.to_owned(),
        version: LATEST.to_owned(),
        description: description.to_owned(),
        runtime: runtime.to_owned(),
        role: role.to_owned(),
        handler: handler.to_owned(),
        timeout: timeout.unwrap_or(3),
        memory_size: memory_size.unwrap_or(128),
        architectures: architectures
            .unwrap_or_else(|| vec!["x86_64"])
            .into_iter()
            .map(Value::from)
            .collect(),
        environment: environment.map(|e| Value::Object(e.map().clone())),
        code_size: zip.len() as u64,
        code_sha256: base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&zip)),
        last_modified: lambda_timestamp(now),
        revision_id: Uuid::new_v4().to_string(),
    };
    let mut record = FunctionRecord {
        latest,
        versions: Default::default(),
        aliases: Default::default(),
        last_version: 0,
        tags: tags
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect(),
        unpublished_changes: true,
    };
    let shown = if publish_now {
        publish(&mut record, None)
    } else {
        record.latest.clone()
    };

    let mut functions = lock(&ctx.state.functions);
    if functions.get(region, name).is_some() {
        return Err(RestJsonError::resource_conflict(format!(
            "Function already exist: {name}"
        )));
    }
    functions.insert(region, name, record);
    let arn = config_arn(ctx, &shown);
    Ok(rest_json(StatusCode::CREATED, &configuration(&shown, &arn)))
}

fn get_function(ctx: &RequestContext, request: &ApiRequest, label: &str) -> Reply {
    let function_name = qualified_label(label, request.query("Qualifier").as_deref())?;
    let resolved = ctx.state.resolve_function(&ctx.region, &function_name)?;
    let functions = lock(&ctx.state.functions);
    let record = functions.get(&ctx.region, &resolved.name).ok_or_else(|| {
        RestJsonError::resource_not_found(format!("Function not found: {}", resolved.arn))
    })?;
    let config = config_of(record, &resolved.version).ok_or_else(|| {
        RestJsonError::resource_not_found(format!("Function not found: {}", resolved.arn))
    })?;

    let mut body = Map::new();
    body.insert("Configuration".into(), configuration(config, &resolved.arn));
    body.insert(
        "Code".into(),
        json!({
            "RepositoryType": "S3",
            "Location": format!(
                "https://awslambda-{region}-tasks.s3.{region}.amazonaws.com/snapshots/{account}/{name}-{id}",
                region = ctx.region,
                account = ctx.account_id(),
                name = resolved.name,
                id = Uuid::new_v4(),
            ),
        }),
    );
    if !record.tags.is_empty() {
        body.insert("Tags".into(), Value::Object(record.tags.clone()));
    }
    Ok(rest_json(StatusCode::OK, &Value::Object(body)))
}

fn delete_function(ctx: &RequestContext, request: &ApiRequest, label: &str) -> Reply {
    let function_name = qualified_label(label, request.query("Qualifier").as_deref())?;
    let resolved = ctx.state.resolve_function(&ctx.region, &function_name)?;
    let mut functions = lock(&ctx.state.functions);
    let Some(qualifier) = resolved.qualifier.as_deref() else {
        functions.remove(&ctx.region, &resolved.name);
        return Ok(empty(StatusCode::NO_CONTENT));
    };
    if qualifier == LATEST {
        return Err(RestJsonError::invalid_parameter_value(
            "$LATEST version cannot be deleted without deleting the function.",
        ));
    }
    let Some(record) = functions.get_mut(&ctx.region, &resolved.name) else {
        return Err(RestJsonError::resource_not_found(format!(
            "Function not found: {}",
            resolved.arn
        )));
    };
    let Ok(version) = qualifier.parse::<u64>() else {
        return Err(RestJsonError::invalid_parameter_value(
            "Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.",
        ));
    };
    let referencing: Vec<&str> = record
        .aliases
        .values()
        .filter(|alias| alias.function_version == qualifier)
        .map(|alias| alias.name.as_str())
        .collect();
    if !referencing.is_empty() {
        return Err(RestJsonError::resource_conflict(format!(
            "Unable to delete version because the following aliases reference it: [{}]",
            referencing.join(", ")
        )));
    }
    record.versions.remove(&version);
    Ok(empty(StatusCode::NO_CONTENT))
}

fn publish_version(ctx: &RequestContext, request: &ApiRequest, label: &str) -> Reply {
    let body = json_body(request)?;
    let input = Members::new(&body);
    let code_sha256 = input.str("CodeSha256")?;
    let description = input.str("Description")?;
    let revision_id = input.str("RevisionId")?;
    let name = unqualified(ctx, label)?;

    let mut functions = lock(&ctx.state.functions);
    let record = functions
        .get_mut(&ctx.region, &name)
        .ok_or_else(|| function_not_found(ctx, &name))?;
    if let Some(given) = code_sha256.filter(|sha| *sha != record.latest.code_sha256) {
        return Err(RestJsonError::invalid_parameter_value(format!(
            "CodeSHA256 ({given}) is different from current CodeSHA256 in $LATEST ({}). Please try again with the CodeSHA256 in $LATEST.",
            record.latest.code_sha256
        )));
    }
    if revision_id.is_some_and(|id| id != record.latest.revision_id) {
        return Err(stale_revision());
    }
    let published = publish(record, description);
    let arn = config_arn(ctx, &published);
    Ok(rest_json(
        StatusCode::CREATED,
        &configuration(&published, &arn),
    ))
}

/// Publishes `$LATEST` as a new version, unless nothing changed since the last one, in which
/// case AWS hands back that version.
fn publish(record: &mut FunctionRecord, description: Option<&str>) -> FunctionConfig {
    if !record.unpublished_changes {
        if let Some(last) = record.versions.get(&record.last_version) {
            return last.clone();
        }
    }
    record.last_version += 1;
    let mut version = record.latest.clone();
    version.version = record.last_version.to_string();
    version.revision_id = Uuid::new_v4().to_string();
    if let Some(description) = description {
        version.description = description.to_owned();
    }
    record.versions.insert(record.last_version, version.clone());
    record.unpublished_changes = false;
    version
}

// ---------------------------------------------------------------------------------------------
// Aliases

fn create_alias(ctx: &RequestContext, request: &ApiRequest, label: &str) -> Reply {
    let body = json_body(request)?;
    let input = Members::new(&body);
    let alias_name = input.str("Name")?;
    let function_version = input.str("FunctionVersion")?;
    let description = input.str("Description")?.unwrap_or_default();
    let routing_config = input.object("RoutingConfig")?;

    let mut violations = Vec::new();
    match alias_name {
        None => violations.push(null_violation("Name")),
        Some(alias) if !valid_alias_name(alias) => {
            violations.push(pattern_violation(alias, "name", ALIAS_PATTERN));
        }
        Some(_) => {}
    }
    match function_version {
        None => violations.push(null_violation("FunctionVersion")),
        Some(version) if version != LATEST && !is_version_number(version) => {
            violations.push(pattern_violation(
                version,
                "functionVersion",
                VERSION_PATTERN,
            ));
        }
        Some(_) => {}
    }
    let (Some(alias_name), Some(function_version), true) =
        (alias_name, function_version, violations.is_empty())
    else {
        return Err(RestJsonError::validation(validation_message(&violations)));
    };
    let name = unqualified(ctx, label)?;

    let mut functions = lock(&ctx.state.functions);
    let record = functions
        .get_mut(&ctx.region, &name)
        .ok_or_else(|| function_not_found(ctx, &name))?;
    if matches!(record.qualifier(function_version), Qualifier::Version(None)) {
        return Err(RestJsonError::resource_not_found(format!(
            "Function not found: {}",
            arn::function_arn(&ctx.region, ctx.account_id(), &name, Some(function_version))
        )));
    }
    let alias_arn = arn::function_arn(&ctx.region, ctx.account_id(), &name, Some(alias_name));
    if record.aliases.contains_key(alias_name) {
        return Err(RestJsonError::resource_conflict(format!(
            "Alias already exists: {alias_arn}"
        )));
    }
    let alias = AliasRecord {
        name: alias_name.to_owned(),
        function_version: function_version.to_owned(),
        description: description.to_owned(),
        routing_config: routing_config.map(|r| Value::Object(r.map().clone())),
        revision_id: Uuid::new_v4().to_string(),
    };
    let body = alias_configuration(&alias, &alias_arn);
    record.aliases.insert(alias_name.to_owned(), alias);
    Ok(rest_json(StatusCode::CREATED, &body))
}

fn get_alias(ctx: &RequestContext, label: &str, alias_name: &str) -> Reply {
    let name = unqualified(ctx, label)?;
    let alias_arn = arn::function_arn(&ctx.region, ctx.account_id(), &name, Some(alias_name));
    let functions = lock(&ctx.state.functions);
    let record = functions
        .get(&ctx.region, &name)
        .ok_or_else(|| function_not_found(ctx, &name))?;
    let alias = record.aliases.get(alias_name).ok_or_else(|| {
        RestJsonError::resource_not_found(format!("Cannot find alias arn: {alias_arn}"))
    })?;
    Ok(rest_json(
        StatusCode::OK,
        &alias_configuration(alias, &alias_arn),
    ))
}

/// Deleting an alias that is not there succeeds, as AWS's DeleteAlias models no not-found error.
fn delete_alias(ctx: &RequestContext, label: &str, alias_name: &str) -> Reply {
    let name = unqualified(ctx, label)?;
    let mut functions = lock(&ctx.state.functions);
    let record = functions
        .get_mut(&ctx.region, &name)
        .ok_or_else(|| function_not_found(ctx, &name))?;
    record.aliases.remove(alias_name);
    Ok(empty(StatusCode::NO_CONTENT))
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// The function name a path label and a `Qualifier` query parameter name together.
fn qualified_label(label: &str, qualifier: Option<&str>) -> Result<String, RestJsonError> {
    let Some(qualifier) = qualifier else {
        return Ok(label.to_owned());
    };
    static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| anchored(QUALIFIER_PATTERN));
    if !QUALIFIER.is_match(qualifier) || qualifier.len() > 128 {
        return Err(RestJsonError::validation(validation_message(&[
            pattern_violation(qualifier, "qualifier", QUALIFIER_PATTERN),
        ])));
    }
    match FunctionName::parse(label).and_then(|parsed| parsed.qualifier) {
        Some(derived) if derived != qualifier => Err(RestJsonError::invalid_parameter_value(
            "The derived qualifier from the function name does not match the specified qualifier.",
        )),
        Some(_) => Ok(label.to_owned()),
        None if qualifier.is_empty() => Ok(label.to_owned()),
        None => Ok(format!("{label}:{qualifier}")),
    }
}

/// The name of the function a label names, for the APIs that take no qualifier.
fn unqualified(ctx: &RequestContext, label: &str) -> Result<String, RestJsonError> {
    let resolved = ctx.state.resolve_function(&ctx.region, label);
    match resolved {
        Ok(resolved) if resolved.qualifier.is_some() => {
            Err(RestJsonError::invalid_parameter_value(format!(
                "The function name {label} must not carry a qualifier."
            )))
        }
        Ok(resolved) => Ok(resolved.name),
        Err(error) => Err(error.into()),
    }
}

/// Refuses a function ARN of another region or account for a create.
fn check_home(ctx: &RequestContext, parsed: FunctionName<'_>) -> Result<(), RestJsonError> {
    if let Some(region) = parsed.region.filter(|r| *r != ctx.region) {
        return Err(RestJsonError::invalid_parameter_value(format!(
            "Functions from '{region}' are not reachable in this region ('{}')",
            ctx.region
        )));
    }
    if let Some(account) = parsed.account.filter(|a| *a != ctx.account_id()) {
        return Err(RestJsonError::new(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!("The function's account {account} is not the caller's account."),
        ));
    }
    Ok(())
}

/// The deployment package from `Code.ZipFile`, which must be a zip archive.
fn zip_file(code: &Members<'_>) -> Result<Vec<u8>, RestJsonError> {
    let Some(zip) = code.str("ZipFile")? else {
        return Err(RestJsonError::invalid_parameter_value(
            if code.has("S3Bucket") {
                "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist"
            } else {
                "Please provide a source for function code."
            },
        ));
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(zip)
        .map_err(|err| {
            RestJsonError::invalid_request_content(format!(
                "Could not parse payload into json: Code.ZipFile is not valid base64: {err}"
            ))
        })?;
    // A local file header, or the end record of an empty archive.
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
        return Err(RestJsonError::invalid_parameter_value(
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
        ));
    }
    Ok(bytes)
}

fn config_of<'a>(record: &'a FunctionRecord, version: &str) -> Option<&'a FunctionConfig> {
    match record.qualifier(version) {
        Qualifier::Version(config) => config,
        Qualifier::Alias(_) => None,
    }
}

/// A configuration's own ARN: unqualified for `$LATEST`, else with its version.
fn config_arn(ctx: &RequestContext, config: &FunctionConfig) -> String {
    let qualifier = (config.version != LATEST).then_some(config.version.as_str());
    arn::function_arn(&ctx.region, ctx.account_id(), &config.name, qualifier)
}

/// A FunctionConfiguration as AWS writes it, for the function ARN the caller asked about.
fn configuration(config: &FunctionConfig, function_arn: &str) -> Value {
    let mut body = json!({
        "FunctionName": config.name,
        "FunctionArn": function_arn,
        "Runtime": config.runtime,
        "Role": config.role,
        "Handler": config.handler,
        "CodeSize": config.code_size,
        "Description": config.description,
        "Timeout": config.timeout,
        "MemorySize": config.memory_size,
        "LastModified": config.last_modified,
        "CodeSha256": config.code_sha256,
        "Version": config.version,
        "TracingConfig": { "Mode": "PassThrough" },
        "RevisionId": config.revision_id,
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": config.architectures,
        "EphemeralStorage": { "Size": 512 },
        "SnapStart": { "ApplyOn": "None", "OptimizationStatus": "Off" },
        "LoggingConfig": {
            "LogFormat": "Text",
            "LogGroup": format!("/aws/lambda/{}", config.name),
        },
    });
    if let Some(environment) = &config.environment {
        body["Environment"] = environment.clone();
    }
    body
}

fn alias_configuration(alias: &AliasRecord, alias_arn: &str) -> Value {
    let mut body = json!({
        "AliasArn": alias_arn,
        "Name": alias.name,
        "FunctionVersion": alias.function_version,
        "Description": alias.description,
        "RevisionId": alias.revision_id,
    });
    if let Some(routing) = &alias.routing_config {
        body["RoutingConfig"] = routing.clone();
    }
    body
}

fn function_not_found(ctx: &RequestContext, name: &str) -> RestJsonError {
    RestJsonError::resource_not_found(format!(
        "Function not found: {}",
        arn::function_arn(&ctx.region, ctx.account_id(), name, None)
    ))
}

fn stale_revision() -> RestJsonError {
    RestJsonError::precondition_failed(
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    )
}

fn range_violation(member: &str, value: Option<i64>, min: i64, max: i64) -> Option<String> {
    let value = value?;
    let bound = if value < min {
        format!("greater than or equal to {min}")
    } else if value > max {
        format!("less than or equal to {max}")
    } else {
        return None;
    };
    Some(format!(
        "Value '{value}' at '{member}' failed to satisfy constraint: Member must have value {bound}"
    ))
}

fn is_version_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, 1 to 128 characters, without look-around.
fn valid_alias_name(alias: &str) -> bool {
    (1..=128).contains(&alias.len())
        && !is_version_number(alias)
        && alias
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
