//! The command line as a user runs it: exit codes, exact outputs and precise errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn conform(args: &[&str], stdin: Option<&str>) -> Output {
    conform_with_bytes(args, stdin.map(str::as_bytes))
}

fn conform_with_bytes(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("conform runs");
    if let Some(input) = stdin {
        // A command that refuses its arguments exits without reading: a closed pipe is fine.
        if let Err(e) = child.stdin.take().expect("stdin").write_all(input) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing stdin: {e}"
            );
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("conform finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn project_model() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/model/lambda.json"
    ))
    .expect("the model");
    serde_json::from_str(&text).expect("JSON")
}

fn write_temp(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("conform-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("written");
    path
}

#[test]
fn members_json_lists_the_seed_members_with_their_constraints() {
    let output = conform(
        &["spec", "members", "CreateEventSourceMapping", "--json"],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    let members = json["members"].as_array().expect("members");
    let top: Vec<&str> = members
        .iter()
        .map(|m| m["path"].as_str().expect("path"))
        .filter(|p| !p.contains(['.', '[', '{']))
        .collect();
    assert_eq!(top.len(), 25, "{top:?}");
    let by_path = |path: &str| {
        members
            .iter()
            .find(|m| m["path"] == path)
            .unwrap_or_else(|| panic!("no {path}"))
    };
    assert_eq!(by_path("FunctionName")["required"], true);
    assert_eq!(
        by_path("FunctionName")["length"],
        serde_json::json!({"min": 1, "max": 140})
    );
    assert_eq!(
        by_path("BatchSize")["range"],
        serde_json::json!({"min": 1, "max": 10000})
    );
    assert_eq!(
        by_path("MaximumRecordAgeInSeconds")["range"],
        serde_json::json!({"min": -1, "max": 604800})
    );
    assert_eq!(
        by_path("SourceAccessConfigurations")["length"],
        serde_json::json!({"min": 0, "max": 22})
    );
    assert_eq!(
        by_path("StartingPosition")["enum"],
        serde_json::json!(["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"])
    );
    assert_eq!(by_path("Topics[]")["pattern"], "^[^.]([a-zA-Z0-9\\-_.]+)");
    assert_eq!(
        by_path("ScalingConfig.MaximumConcurrency")["range"],
        serde_json::json!({"min": 2, "max": 1000})
    );
    assert_eq!(
        by_path("Tags{key}")["length"],
        serde_json::json!({"min": 1, "max": 128})
    );
    assert_eq!(
        by_path("SelfManagedEventSource.Endpoints")["length"],
        serde_json::json!({"min": 1, "max": 2})
    );
    assert_eq!(
        by_path("DestinationConfig.OnFailure.Destination")["length"],
        serde_json::json!({"min": 0, "max": 350})
    );
}

#[test]
fn diff_reports_exactly_a_changed_range_a_new_member_and_a_removed_enum_value() {
    let mut changed = project_model();
    let shapes = changed["shapes"].as_object_mut().expect("shapes");
    shapes["com.amazonaws.lambda#BatchSize"]["traits"]["smithy.api#range"]["max"] = 5000.into();
    shapes["com.amazonaws.lambda#CreateEventSourceMappingRequest"]["members"]
        .as_object_mut()
        .expect("members")
        .insert(
            "MetricsEnabled".into(),
            serde_json::json!({ "target": "smithy.api#Boolean" }),
        );
    shapes["com.amazonaws.lambda#EventSourcePosition"]["members"]
        .as_object_mut()
        .expect("members")
        .remove("AT_TIMESTAMP");
    let old = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/model/lambda.json");
    let new = write_temp("changed.json", &changed.to_string());
    let output = conform(
        &["spec", "diff", old, new.to_str().expect("path"), "--json"],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let changes: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("JSON");
    let summary: Vec<String> = changes
        .iter()
        .map(|c| {
            let field = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            format!(
                "{} {} {} {}",
                field("kind"),
                field("subject"),
                field("shape"),
                field("detail")
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            "changed constraint com.amazonaws.lambda#BatchSize range {\"min\":1,\"max\":10000} -> {\"min\":1,\"max\":5000}",
            "removed constraint com.amazonaws.lambda#EventSourcePosition enum value AT_TIMESTAMP removed",
            "added member com.amazonaws.lambda#CreateEventSourceMappingRequest$MetricsEnabled boolean added",
        ],
        "{changes:#?}"
    );
    // A shape's change is reported once, with every place it shows.
    let uses: Vec<&str> = changes[0]["used_by"]
        .as_array()
        .expect("used_by")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        uses.contains(&"CreateEventSourceMapping input.BatchSize"),
        "{uses:?}"
    );
    assert!(
        uses.contains(&"GetEventSourceMapping output.BatchSize"),
        "{uses:?}"
    );

    let text = conform(&["spec", "diff", old, new.to_str().expect("path")], None);
    assert_eq!(text.status.code(), Some(1));
    assert_eq!(stdout(&text).lines().count(), 3, "{}", stdout(&text));
    assert!(
        stderr(&text).contains("3 changes: 1 added, 1 removed, 1 changed"),
        "{}",
        stderr(&text)
    );

    let same = conform(&["spec", "diff", old, old], None);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(stdout(&same), "");
}

#[test]
fn validate_prints_aws_code_and_exact_text() {
    let body = r#"{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q","BatchSize":0}"#;
    let output = conform(&["validate", "CreateEventSourceMapping", "-"], Some(body));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).trim_end(),
        "ValidationException: 1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );

    let valid = r#"{"FunctionName":"f","EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q"}"#;
    let output = conform(&["validate", "CreateEventSourceMapping"], Some(valid));
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "");

    let output = conform(
        &["validate", "CreateEventSourceMapping", "--json", "-"],
        Some(body),
    );
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["valid"], false);
    assert_eq!(json["violations"][0]["path"], "BatchSize");
    assert_eq!(json["violations"][0]["kind"], "range");
    assert_eq!(json["violations"][0]["value"]["text"], "0");
}

/// `conform validate` of an update raising BatchSize to 11, against the stored mapping in `existing`.
fn validate_update_of(existing: &std::path::Path) -> Output {
    conform(
        &[
            "validate",
            "UpdateEventSourceMapping",
            "-",
            "--existing",
            existing.to_str().expect("path"),
        ],
        Some(r#"{"UUID":"a1b2c3d4-0000-0000-0000-000000000000","BatchSize":11}"#),
    )
}

#[test]
fn validate_checks_updates_against_the_stored_mapping() {
    let existing = write_temp(
        "existing.json",
        r#"{"EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q","BatchSize":10,"MaximumBatchingWindowInSeconds":0}"#,
    );
    let output = validate_update_of(&existing);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).trim_end(),
        "InvalidParameterValueException: Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
    );
    // Without the stored mapping the source is unknown: the batch rule of SQS is not checked.
    let output = conform(
        &["validate", "UpdateEventSourceMapping", "-"],
        Some(r#"{"UUID":"a1b2c3d4-0000-0000-0000-000000000000","BatchSize":11}"#),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn unreadable_input_exits_2_with_line_and_column() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "CreateEventSourceMapping",
            b"{\n  \"FunctionName\": ,\n}",
            "error: <stdin>:2:19: malformed JSON",
        ),
        // A raw newline in a string: at the end of the line it breaks, as every reader says.
        (
            "CreateEventSourceMapping",
            b"{\"a\": \"x\ny\"}",
            "error: <stdin>:1:9: malformed JSON: control character (\\u0000-\\u001F) found while parsing a string",
        ),
        // The operation is checked first: its error, not the body's, is the one reported.
        (
            "NoSuchOperation",
            b"{",
            "error: unknown operation `NoSuchOperation`; known: Create",
        ),
        (
            "CreateEventSourceMapping",
            b"{\"FunctionName\":\n  \"\xc3\xa9\xff\"}",
            "error: <stdin>:2:5: not UTF-8 (byte 0xff)",
        ),
    ];
    for (operation, body, expected) in cases {
        let output = conform_with_bytes(&["validate", operation, "-"], Some(body));
        assert_eq!(output.status.code(), Some(2), "{expected}");
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
        assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    }
}

/// JSON that AWS cannot bind to the input is an invalid request, answered as the reference
/// emulator answers it.
#[test]
fn a_body_that_does_not_fit_the_input_is_refused_as_aws_does() {
    for (body, expected) in [
        (
            r#"{"FunctionName":"f","BatchSize":"ten"}"#,
            r#"InvalidRequestContentException: Could not parse request body into json: Could not parse payload into json: invalid type: string "ten", expected i32 (at BatchSize)"#,
        ),
        (
            "[1]",
            "InvalidRequestContentException: Could not parse request body into json: Could not parse payload into json: expected a JSON object, found an array",
        ),
    ] {
        let output = conform(&["validate", "CreateEventSourceMapping", "-"], Some(body));
        assert_eq!(output.status.code(), Some(1), "{body}");
        assert_eq!(stdout(&output).trim_end(), expected);
        assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    }
}

#[test]
fn a_bad_stored_mapping_is_named_with_its_position() {
    for (file, contents, expected) in [
        (
            "truncated.json",
            "{\n  \"BatchSize\": ",
            "truncated.json:2:15: malformed JSON: EOF while parsing a value",
        ),
        (
            "list.json",
            "[1]",
            "list.json: --existing is not a stored mapping (as GetEventSourceMapping answers it): expected a JSON object, found an array",
        ),
        // What the rules would read must be what a stored mapping holds.
        (
            "wrong-type.json",
            r#"{"EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q","MaximumBatchingWindowInSeconds":"abc"}"#,
            "wrong-type.json: --existing is not a stored mapping (as GetEventSourceMapping answers it): at `MaximumBatchingWindowInSeconds`: invalid type: string \"abc\", expected i32",
        ),
        (
            "wrong-case.json",
            r#"{"eventsourcearn":"arn:aws:sqs:us-east-1:123456789012:q"}"#,
            "at `eventsourcearn`: unknown field `eventsourcearn`",
        ),
        (
            "not-an-arn.json",
            r#"{"EventSourceArn":"garbage"}"#,
            "not-an-arn.json: --existing is not a stored mapping (as GetEventSourceMapping answers it): 1 validation error detected: Value 'garbage' at 'eventSourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern",
        ),
        (
            "bom.json",
            "\u{feff}{}",
            "bom.json:1:1: malformed JSON: a byte order mark (U+FEFF) starts the text",
        ),
        ("empty.json", "", "empty.json:1:1: malformed JSON: EOF while parsing a value"),
    ] {
        let output = validate_update_of(&write_temp(file, contents));
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(
            stderr(&output).contains(expected),
            "{file}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{file}: {}", stdout(&output));
    }
}

#[test]
fn existing_is_refused_where_it_cannot_mean_anything() {
    let existing = write_temp(
        "stored.json",
        r#"{"EventSourceArn":"arn:aws:sqs:us-east-1:123456789012:q"}"#,
    );
    let existing = existing.to_str().expect("path");
    for (args, expected) in [
        (
            vec!["validate", "CreateEventSourceMapping", "-", "--existing", existing],
            "error: --existing: CreateEventSourceMapping's rules do not read a stored resource (only an update's do)",
        ),
        (
            vec!["validate", "UpdateEventSourceMapping", "-", "--existing", "-"],
            "error: --existing: standard input is already the body; give the stored mapping as a file",
        ),
    ] {
        let output = conform(&args, Some("{}"));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&output).trim_end(), expected);
    }
}

/// A full disk (`/dev/full`) fails every write: the command says so and exits 2, never panics.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_is_an_error_not_a_panic() {
    for (args, stdin) in [
        (
            vec!["validate", "CreateEventSourceMapping", "-"],
            Some("{}"),
        ),
        (vec!["spec", "members", "CreateEventSourceMapping"], None),
        (vec!["codegen", "expand"], None),
        (vec!["list"], None),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .expect("conform runs");
        if let Some(body) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(body.as_bytes())
                .expect("written");
        }
        drop(child.stdin.take());
        let output = child.wait_with_output().expect("conform finishes");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            stderr(&output).trim_end(),
            "error: cannot write to standard output: No space left on device (os error 28)",
            "{args:?}"
        );
    }
}

#[test]
fn run_refuses_bad_options_before_running() {
    let readme = write_temp("README.md", "# my README\n");
    let readme_report = format!("markdown={}", readme.display());
    let cases: [(Vec<&str>, &str); 6] = [
        (
            vec!["run", "--timeout", "1e20"],
            "invalid value '1e20' for '--timeout <SECS>': must be from 0.001 to 86400 seconds",
        ),
        (vec!["run", "--timeout", "0"], "must be from 0.001"),
        (vec!["run", "--timeout", "1e-10"], "must be from 0.001"),
        (vec!["run", "--timeout", "NaN"], "must be from 0.001"),
        (
            vec!["run", "--report", &readme_report],
            "not a conformance matrix (no `<!-- conform-matrix` data); refusing to overwrite it",
        ),
        (
            vec!["run", "--report", "junit=r.out", "--report", "ndjson=r.out"],
            "error: --report: r.out: named by two --report options",
        ),
    ];
    for (args, expected) in cases {
        let output = conform(&args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).is_empty(),
            "{args:?}: the run did not start"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&readme).expect("read"),
        "# my README\n"
    );
}

#[test]
fn spec_errors_name_the_file_line_and_shape() {
    let broken = write_temp(
        "broken.json",
        "{\"smithy\": \"2.0\",\n \"shapes\": {\n  \"a#B\": {\"type\": \"string\",}\n }}",
    );
    let output = conform(
        &[
            "spec",
            "members",
            "X",
            "--model",
            broken.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("broken.json:3:") && message.contains("malformed JSON"),
        "{message}"
    );

    let unknown_trait = write_temp(
        "trait.json",
        r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string", "traits": {"smithy.api#xmlName": "x"}}}}"#,
    );
    let output = conform(
        &[
            "spec",
            "lint",
            "--model",
            unknown_trait.to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("`a#S`") && message.contains("`smithy.api#xmlName`"),
        "{message}"
    );
}

#[test]
fn lint_reports_a_pattern_that_does_not_compile_and_exits_1() {
    let mut model = project_model();
    model["shapes"]["com.amazonaws.lambda#FunctionName"]["traits"]["smithy.api#pattern"] =
        Value::from("([");
    let path = write_temp(
        "bad-pattern.json",
        &serde_json::to_string_pretty(&model).expect("JSON"),
    );
    let output = conform(
        &["spec", "lint", "--model", path.to_str().expect("path")],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output)
            .contains("error[invalid-pattern]: com.amazonaws.lambda#FunctionName: /([/: "),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).starts_with("1 error, "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_flags_the_project_models_pattern_traps() {
    let output = conform(&["spec", "lint"], None);
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(
        out.contains("warning[look-around]: com.amazonaws.lambda#CollectionName"),
        "{out}"
    );
    assert!(
        out.contains("warning[unanchored-vacuous]: com.amazonaws.lambda#KMSKeyArn"),
        "{out}"
    );
    assert!(
        out.contains("warning[vacuous]: com.amazonaws.lambda#Queue"),
        "{out}"
    );
    assert!(
        out.contains("warning[partially-anchored]: com.amazonaws.lambda#DestinationArn"),
        "{out}"
    );
}

#[test]
fn codegen_expand_prints_the_generated_models() {
    let output = conform(&["codegen", "expand"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let code = stdout(&output);
    assert!(code.contains("pub struct CreateEventSourceMappingRequest"));
    assert!(code.contains("#[serde(rename = \"KMSKeyArn\")]"));
    assert!(code.contains("pub kms_key_arn"));
    // Every rule of the overlay, for every operation.
    // Byte for byte the reviewed expansion snapshot (its body, after insta's header).
    let snapshot = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../codegen/core/tests/snapshots/expand__lambda_expansion.snap"
    ))
    .expect("the expansion snapshot");
    let body = snapshot.splitn(3, "---\n").nth(2).expect("insta's header");
    assert!(
        code.trim_end() == body.trim_end(),
        "`conform codegen expand` differs from the expansion snapshot"
    );

    // One operation: its own rules only, none of the others'.
    let output = conform(
        &[
            "codegen",
            "expand",
            "--operation",
            "CreateEventSourceMapping",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let code = stdout(&output);
    assert!(code.contains("pub struct CreateEventSourceMappingRequest"));
    assert!(!code.contains("pub struct UpdateEventSourceMappingRequest"));
    assert!(
        !code.contains("\"UpdateEventSourceMapping\""),
        "no rule of Update"
    );
}

#[test]
fn rules_lists_the_overlay_in_aws_order() {
    let output = conform(&["spec", "rules", "--json"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let overlay: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let orders: Vec<u64> = overlay["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["order"].as_u64().expect("order"))
        .collect();
    let mut sorted = orders.clone();
    sorted.sort_unstable();
    assert_eq!(orders, sorted);
    assert!(orders.len() >= 30);
}

/// `conform spec coverage` over a suite of one hand-written case (and the generated ones): the
/// constraints are all exercised, but the rules and operations that case misses are gaps, each
/// named, and the exit code is 1.
#[test]
fn coverage_names_each_gap_and_exits_1() {
    let root = std::env::temp_dir().join(format!("conform-cli-coverage-{}", std::process::id()));
    std::fs::create_dir_all(root.join("cases")).expect("cases/");
    std::fs::create_dir_all(root.join("snapshots")).expect("snapshots/");
    // A root holding the spec gets the cases generated from it.
    std::fs::create_dir_all(root.join("spec/model")).expect("spec/model/");
    std::fs::write(
        root.join("spec/model/lambda.json"),
        project_model().to_string(),
    )
    .expect("the model");
    std::fs::write(
        root.join("cases/get.toml"),
        "id = \"get-one\"\ndoc = \"d\"\noperation = \"GetEventSourceMapping\"\n\
         request = { UUID = \"5c4c2b6e-0000-4000-8000-000000000000\" }\n",
    )
    .expect("a case");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_conform"))
            .args(args)
            .env("CONFORM_ROOT", &root)
            .output()
            .expect("conform runs")
    };
    let output = run(&["spec", "coverage"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("coverage: constraints "), "{out}");
    assert!(
        out.contains("not exercised: operation DeleteEventSourceMapping"),
        "{out}"
    );
    assert!(
        out.contains("not exercised: rule source.unrecognized (CreateEventSourceMapping)"),
        "{out}"
    );
    assert!(!out.contains("operation GetEventSourceMapping"), "{out}");
    assert!(out.contains("not in scope"), "{out}");

    let output = run(&["spec", "coverage", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let summary = &json["summary"];
    assert_eq!(
        summary["constraints"]["covered"],
        summary["constraints"]["total"]
    );
    // Delete is the one operation neither that case nor a generated one calls.
    assert_eq!(summary["operations"]["covered"], 7, "{summary}");
    let get = json["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .find(|o| o["operation"] == "GetEventSourceMapping")
        .expect("Get");
    assert!(
        get["cases"]
            .as_array()
            .expect("cases")
            .contains(&Value::from("get-one")),
        "{get}"
    );

    let output = run(&["spec", "coverage", "--uncovered"]);
    let out = stdout(&output);
    assert!(out.contains("DeleteEventSourceMapping"), "{out}");
    assert!(!out.contains("get-one"), "only gaps: {out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn codegen_schema_prints_an_inputs_schema_with_its_rules() {
    let output = conform(&["codegen", "schema", "CreateEventSourceMapping"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let schema: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(schema["title"], "CreateEventSourceMappingRequest");
    assert_eq!(schema["required"], serde_json::json!(["FunctionName"]));
    // The source chain, and the rules it cannot say.
    assert!(schema["allOf"][0]["if"].is_object(), "{schema}");
    assert_eq!(
        schema["x-conform-rules-not-expressed"],
        serde_json::json!([
            "starting-position.timestamp-not-in-future",
            "filter-criteria.valid-pattern"
        ])
    );

    let output = conform(&["codegen", "schema", "CreateEventSourceMappings"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "unknown operation `CreateEventSourceMappings`; known: CreateEventSourceMapping,"
        ),
        "{}",
        stderr(&output)
    );
}
