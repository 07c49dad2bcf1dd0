//! Lambda's function, version and alias APIs, and `resolve_function`.

mod common;

use common::{Harness, ACCOUNT, REGION, ZIP_BASE64, ZIP_SHA256, ZIP_SIZE};
use conform_emulator::{FunctionLookupError, ResolvedFunction};
use reqwest::Method;
use serde_json::{json, Value};

const FUNCTIONS: &str = "/2015-03-31/functions";

fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
}

fn role() -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/lambda-role")
}

fn is_uuid(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok())
}

/// `2026-11-26T18:58:31.123+0000`
fn is_lambda_timestamp(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+0000"
    );
    time::PrimitiveDateTime::parse(text, format).is_ok()
}

#[tokio::test]
async fn create_function_answers_its_configuration() {
    let h = Harness::start().await;
    let reply = h
        .lambda(
            Method::POST,
            FUNCTIONS,
            Some(json!({
                "FunctionName": "created",
                "Runtime": "python3.12",
                "Role": role(),
                "Handler": "index.handler",
                "Code": { "ZipFile": ZIP_BASE64 },
                "Description": "a fixture",
                "Timeout": 30,
                "Environment": { "Variables": { "A": "1" } },
            })),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let config = reply.json();
    assert!(is_uuid(&config["RevisionId"]), "{config}");
    assert!(is_lambda_timestamp(&config["LastModified"]), "{config}");
    let mut expected = json!({
        "FunctionName": "created",
        "FunctionArn": function_arn("created"),
        "Runtime": "python3.12",
        "Role": role(),
        "Handler": "index.handler",
        "CodeSize": ZIP_SIZE,
        "Description": "a fixture",
        "Timeout": 30,
        "MemorySize": 128,
        "LastModified": config["LastModified"],
        "CodeSha256": ZIP_SHA256,
        "Version": "$LATEST",
        "Environment": { "Variables": { "A": "1" } },
        "TracingConfig": { "Mode": "PassThrough" },
        "RevisionId": config["RevisionId"],
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": { "Size": 512 },
        "SnapStart": { "ApplyOn": "None", "OptimizationStatus": "Off" },
        "LoggingConfig": { "LogFormat": "Text", "LogGroup": "/aws/lambda/created" },
    });
    assert_eq!(config, expected);

    let reply = h
        .lambda(Method::GET, &format!("{FUNCTIONS}/created"), None)
        .await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    expected["FunctionArn"] = function_arn("created").into();
    assert_eq!(body["Configuration"], expected);
    assert_eq!(body["Code"]["RepositoryType"], "S3");
    assert!(body["Code"]["Location"].as_str().is_some());
}

#[tokio::test]
async fn a_duplicate_function_conflicts() {
    let h = Harness::start().await;
    let first = h.create_function("twice").await;
    let reply = h
        .lambda(
            Method::POST,
            FUNCTIONS,
            Some(json!({
                "FunctionName": "twice",
                "Runtime": "python3.12",
                "Role": role(),
                "Handler": "index.handler",
                "Code": { "ZipFile": ZIP_BASE64 },
            })),
        )
        .await;
    reply.assert_rest_error(
        409,
        "ResourceConflictException",
        json!({ "Type": "User", "message": "Function already exist: twice" }),
    );
    // The first one is untouched.
    let reply = h
        .lambda(Method::GET, &format!("{FUNCTIONS}/twice"), None)
        .await;
    assert_eq!(
        reply.json()["Configuration"]["RevisionId"],
        first["RevisionId"]
    );
}

#[tokio::test]
async fn create_function_validates_its_members() {
    let h = Harness::start().await;
    let cases = [
        (
            json!({}),
            400,
            "ValidationException",
            json!({ "message": "3 validation errors detected: \
                Value null at 'functionName' failed to satisfy constraint: Member must not be null; \
                Value null at 'role' failed to satisfy constraint: Member must not be null; \
                Value null at 'code' failed to satisfy constraint: Member must not be null" }),
        ),
        (
            json!({ "FunctionName": "f", "Role": "not-a-role", "Code": { "ZipFile": ZIP_BASE64 }, "Timeout": 0 }),
            400,
            "ValidationException",
            json!({ "message": "2 validation errors detected: \
                Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+; \
                Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1" }),
        ),
        (
            json!({ "FunctionName": "f", "Role": role(), "Code": { "ZipFile": ZIP_BASE64 } }),
            400,
            "InvalidParameterValueException",
            json!({ "Type": "User", "message": "Runtime and Handler are mandatory parameters for functions created with deployment packages." }),
        ),
        (
            json!({ "FunctionName": "f", "Role": role(), "Runtime": "python3.12", "Handler": "h", "Code": { "ZipFile": "bm90IGEgemlw" } }),
            400,
            "InvalidParameterValueException",
            json!({ "Type": "User", "message": "Could not unzip uploaded file. Please check your file, then try to upload again." }),
        ),
        (
            json!({ "FunctionName": "f", "Role": role(), "Runtime": "python3.12", "Handler": "h", "Code": { "ZipFile": ZIP_BASE64 }, "Timeout": "long" }),
            400,
            "InvalidRequestContentException",
            json!({ "Type": "User", "message": "Could not parse request body into json: Could not parse payload into json: 'Timeout' must be an integer" }),
        ),
        (
            json!({ "FunctionName": "f:1", "Role": role(), "Runtime": "python3.12", "Handler": "h", "Code": { "ZipFile": ZIP_BASE64 } }),
            400,
            "ValidationException",
            json!({ "message": format!(
                "1 validation error detected: Value 'f:1' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
                conform_emulator::arn::FUNCTION_NAME_PATTERN
            ) }),
        ),
    ];
    for (body, status, code, expected) in cases {
        let reply = h.lambda(Method::POST, FUNCTIONS, Some(body.clone())).await;
        reply.assert_rest_error(status, code, expected);
    }
}

#[tokio::test]
async fn get_function_of_an_unknown_function_is_not_found() {
    let h = Harness::start().await;
    let reply = h
        .lambda(Method::GET, &format!("{FUNCTIONS}/missing"), None)
        .await;
    reply.assert_rest_error(
        404,
        "ResourceNotFoundException",
        json!({ "Type": "User", "Message": format!("Function not found: {}", function_arn("missing")) }),
    );
}

#[tokio::test]
async fn get_function_accepts_arns_and_qualifiers() {
    let h = Harness::start().await;
    h.create_function("named").await;
    let publish = h
        .lambda(
            Method::POST,
            &format!("{FUNCTIONS}/named/versions"),
            Some(json!({})),
        )
        .await;
    assert_eq!(publish.status, 201);

    let encoded_arn = function_arn("named").replace(':', "%3A");
    let cases = [
        (
            format!("{FUNCTIONS}/{encoded_arn}"),
            function_arn("named"),
            "$LATEST",
        ),
        (
            format!("{FUNCTIONS}/{encoded_arn}?Qualifier=1"),
            format!("{}:1", function_arn("named")),
            "1",
        ),
        (
            format!("{FUNCTIONS}/named%3A1"),
            format!("{}:1", function_arn("named")),
            "1",
        ),
        (
            format!("{FUNCTIONS}/{ACCOUNT}%3Afunction%3Anamed?Qualifier=%24LATEST"),
            format!("{}:$LATEST", function_arn("named")),
            "$LATEST",
        ),
    ];
    for (path, arn, version) in cases {
        let reply = h.lambda(Method::GET, &path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let config = &reply.json()["Configuration"];
        assert_eq!(config["FunctionArn"], arn, "{path}");
        assert_eq!(config["Version"], version, "{path}");
    }

    let reply = h
        .lambda(
            Method::GET,
            &format!("{FUNCTIONS}/named:1?Qualifier=2"),
            None,
        )
        .await;
    reply.assert_rest_error(
        400,
        "InvalidParameterValueException",
        json!({ "Type": "User", "message": "The derived qualifier from the function name does not match the specified qualifier." }),
    );
    let reply = h
        .lambda(Method::GET, &format!("{FUNCTIONS}/named?Qualifier=7"), None)
        .await;
    reply.assert_rest_error(
        404,
        "ResourceNotFoundException",
        json!({ "Type": "User", "Message": format!("Function not found: {}:7", function_arn("named")) }),
    );
}

#[tokio::test]
async fn versions_are_published_only_when_something_changed() {
    let h = Harness::start().await;
    h.create_function("versioned").await;
    let path = format!("{FUNCTIONS}/versioned/versions");
    let first = h
        .lambda(Method::POST, &path, Some(json!({ "Description": "first" })))
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let first = first.json();
    assert_eq!(first["Version"], "1");
    assert_eq!(
        first["FunctionArn"],
        format!("{}:1", function_arn("versioned"))
    );
    assert_eq!(first["Description"], "first");
    assert_eq!(first["CodeSha256"], ZIP_SHA256);

    let again = h.lambda(Method::POST, &path, None).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.json()["Version"], "1");

    let reply = h
        .lambda(Method::POST, &path, Some(json!({ "CodeSha256": "stale" })))
        .await;
    reply.assert_rest_error(
        400,
        "InvalidParameterValueException",
        json!({ "Type": "User", "message": format!(
            "CodeSHA256 (stale) is different from current CodeSHA256 in $LATEST ({ZIP_SHA256}). Please try again with the CodeSHA256 in $LATEST."
        ) }),
    );

    let reply = h
        .lambda(Method::POST, &format!("{FUNCTIONS}/absent/versions"), None)
        .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn create_with_publish_answers_version_one() {
    let h = Harness::start().await;
    let reply = h
        .lambda(
            Method::POST,
            FUNCTIONS,
            Some(json!({
                "FunctionName": "published",
                "Runtime": "python3.12",
                "Role": role(),
                "Handler": "index.handler",
                "Code": { "ZipFile": ZIP_BASE64 },
                "Publish": true,
            })),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.json()["Version"], "1");
    assert_eq!(
        reply.json()["FunctionArn"],
        format!("{}:1", function_arn("published"))
    );
}

#[tokio::test]
async fn aliases_lifecycle() {
    let h = Harness::start().await;
    h.create_function("aliased").await;
    let aliases = format!("{FUNCTIONS}/aliased/aliases");
    h.lambda(Method::POST, &format!("{FUNCTIONS}/aliased/versions"), None)
        .await;

    let reply = h
        .lambda(
            Method::POST,
            &aliases,
            Some(json!({ "Name": "live", "FunctionVersion": "1", "Description": "prod" })),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let alias = reply.json();
    assert!(is_uuid(&alias["RevisionId"]));
    let expected = json!({
        "AliasArn": format!("{}:live", function_arn("aliased")),
        "Name": "live",
        "FunctionVersion": "1",
        "Description": "prod",
        "RevisionId": alias["RevisionId"],
    });
    assert_eq!(alias, expected);

    let reply = h
        .lambda(Method::GET, &format!("{aliases}/live"), None)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), expected);

    let reply = h
        .lambda(
            Method::POST,
            &aliases,
            Some(json!({ "Name": "live", "FunctionVersion": "$LATEST" })),
        )
        .await;
    reply.assert_rest_error(
        409,
        "ResourceConflictException",
        json!({ "Type": "User", "message": format!("Alias already exists: {}:live", function_arn("aliased")) }),
    );

    let reply = h
        .lambda(
            Method::POST,
            &aliases,
            Some(json!({ "Name": "later", "FunctionVersion": "5" })),
        )
        .await;
    reply.assert_rest_error(
        404,
        "ResourceNotFoundException",
        json!({ "Type": "User", "Message": format!("Function not found: {}:5", function_arn("aliased")) }),
    );

    let reply = h
        .lambda(
            Method::POST,
            &aliases,
            Some(json!({ "Name": "42", "FunctionVersion": "1" })),
        )
        .await;
    reply.assert_rest_error(
        400,
        "ValidationException",
        json!({ "message": "1 validation error detected: Value '42' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)" }),
    );

    // A version an alias points at cannot go.
    let reply = h
        .lambda(
            Method::DELETE,
            &format!("{FUNCTIONS}/aliased?Qualifier=1"),
            None,
        )
        .await;
    reply.assert_rest_error(
        409,
        "ResourceConflictException",
        json!({ "Type": "User", "message": "Unable to delete version because the following aliases reference it: [live]" }),
    );

    let reply = h
        .lambda(Method::DELETE, &format!("{aliases}/live"), None)
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");
    let reply = h
        .lambda(Method::GET, &format!("{aliases}/live"), None)
        .await;
    reply.assert_rest_error(
        404,
        "ResourceNotFoundException",
        json!({ "Type": "User", "Message": format!("Cannot find alias arn: {}:live", function_arn("aliased")) }),
    );
    let reply = h
        .lambda(
            Method::DELETE,
            &format!("{FUNCTIONS}/aliased?Qualifier=1"),
            None,
        )
        .await;
    assert_eq!(reply.status, 204);
}

#[tokio::test]
async fn delete_function() {
    let h = Harness::start().await;
    h.create_function("doomed").await;
    let reply = h
        .lambda(
            Method::DELETE,
            &format!("{FUNCTIONS}/doomed?Qualifier=%24LATEST"),
            None,
        )
        .await;
    reply.assert_rest_error(
        400,
        "InvalidParameterValueException",
        json!({ "Type": "User", "message": "$LATEST version cannot be deleted without deleting the function." }),
    );

    let reply = h
        .lambda(Method::DELETE, &format!("{FUNCTIONS}/doomed"), None)
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");

    let not_found = json!({ "Type": "User", "Message": format!("Function not found: {}", function_arn("doomed")) });
    for method in [Method::GET, Method::DELETE] {
        let reply = h.lambda(method, &format!("{FUNCTIONS}/doomed"), None).await;
        reply.assert_rest_error(404, "ResourceNotFoundException", not_found.clone());
    }
}

#[tokio::test]
async fn resolve_function_accepts_every_function_name_form() {
    let h = Harness::start().await;
    h.create_function("resolved").await;
    h.lambda(
        Method::POST,
        &format!("{FUNCTIONS}/resolved/versions"),
        None,
    )
    .await;
    let alias = h
        .lambda(
            Method::POST,
            &format!("{FUNCTIONS}/resolved/aliases"),
            Some(json!({ "Name": "live", "FunctionVersion": "1" })),
        )
        .await;
    assert_eq!(alias.status, 201);

    let state = h.emulator.state();
    let arn = function_arn("resolved");
    let cases: [(String, Option<&str>, &str, String); 9] = [
        ("resolved".into(), None, "$LATEST", arn.clone()),
        ("resolved:1".into(), Some("1"), "1", format!("{arn}:1")),
        (
            "resolved:live".into(),
            Some("live"),
            "1",
            format!("{arn}:live"),
        ),
        (
            "resolved:$LATEST".into(),
            Some("$LATEST"),
            "$LATEST",
            format!("{arn}:$LATEST"),
        ),
        (
            format!("{ACCOUNT}:function:resolved"),
            None,
            "$LATEST",
            arn.clone(),
        ),
        (
            format!("{ACCOUNT}:function:resolved:live"),
            Some("live"),
            "1",
            format!("{arn}:live"),
        ),
        (arn.clone(), None, "$LATEST", arn.clone()),
        (format!("{arn}:1"), Some("1"), "1", format!("{arn}:1")),
        (
            format!("{arn}:live"),
            Some("live"),
            "1",
            format!("{arn}:live"),
        ),
    ];
    for (name, qualifier, version, expected_arn) in cases {
        let resolved = state.resolve_function(REGION, &name);
        assert_eq!(
            resolved,
            Ok(ResolvedFunction {
                name: "resolved".into(),
                qualifier: qualifier.map(Into::into),
                version: version.into(),
                arn: expected_arn,
                unqualified_arn: arn.clone(),
            }),
            "{name}"
        );
    }
}

#[tokio::test]
async fn resolve_function_tells_why_nothing_was_found() {
    let h = Harness::start().await;
    h.create_function("known").await;
    let state = h.emulator.state();
    let arn = function_arn("known");

    assert_eq!(
        state.resolve_function(REGION, "unknown"),
        Err(FunctionLookupError::FunctionNotFound {
            arn: function_arn("unknown")
        })
    );
    assert_eq!(
        state.resolve_function(REGION, "known:9"),
        Err(FunctionLookupError::VersionNotFound {
            arn: format!("{arn}:9")
        })
    );
    assert_eq!(
        state.resolve_function(REGION, "known:nope"),
        Err(FunctionLookupError::AliasNotFound {
            arn: format!("{arn}:nope")
        })
    );
    assert_eq!(
        state.resolve_function(
            REGION,
            &format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:known")
        ),
        Err(FunctionLookupError::WrongRegion {
            arn: format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:known"),
            function_region: "eu-west-1".into(),
            region: REGION.into(),
        })
    );
    assert_eq!(
        state.resolve_function(REGION, "999999999999:function:known"),
        Err(FunctionLookupError::WrongAccount {
            arn: format!("arn:aws:lambda:{REGION}:999999999999:function:known"),
            account: "999999999999".into(),
        })
    );
    assert_eq!(
        state.resolve_function(REGION, "not a name"),
        Err(FunctionLookupError::InvalidName {
            name: "not a name".into()
        })
    );
    // The same function seen from another region does not exist.
    assert_eq!(
        state.resolve_function("eu-west-1", "known"),
        Err(FunctionLookupError::FunctionNotFound {
            arn: format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:function:known")
        })
    );
}
