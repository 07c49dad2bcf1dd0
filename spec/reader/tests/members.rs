//! Member paths, the flattened input members of an operation, model diffs and pattern lints.

#[path = "support/small.rs"]
mod small;

use conform_spec::{
    diff, input_members, lint, lint_pattern, structure_members, Bounds, Change, ChangeKind,
    LintLevel, MemberPath, Model, NumericBounds, PathSegment,
};
use serde_json::{json, Value};
use small::load;

/// A nested input: labels, query, header, a list of structures, a map and recursive shapes.
fn nested() -> Value {
    json!({
        "ns#Svc": {"type": "service", "operations": [{"target": "ns#PutThing"}]},
        "ns#PutThing": {"type": "operation", "input": {"target": "ns#In"}, "output": {"target": "ns#Out"},
                        "errors": [{"target": "ns#Bad"}],
                        "traits": {"smithy.api#http": {"method": "PUT", "uri": "/things/{Id}", "code": 200}}},
        "ns#In": {"type": "structure", "members": {
            "Id": {"target": "ns#IdString", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Limit": {"target": "ns#Limit", "traits": {"smithy.api#httpQuery": "limit"}},
            "Token": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "X-Token", "smithy.api#sensitive": {}}},
            "A": {"target": "ns#A"},
            "Tags": {"target": "ns#TagMap"},
            "Node": {"target": "ns#Node"},
            "Mode": {"target": "ns#Mode"}
        }},
        "ns#IdString": {"type": "string", "traits": {"smithy.api#length": {"min": 36, "max": 36}}},
        "ns#Limit": {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 50}}},
        "ns#A": {"type": "structure", "members": {"B": {"target": "ns#BList", "traits": {"smithy.api#required": {}}}}},
        "ns#BList": {"type": "list", "member": {"target": "ns#B"}, "traits": {"smithy.api#length": {"max": 5}}},
        "ns#B": {"type": "structure", "members": {"C": {"target": "ns#CString", "traits": {"smithy.api#required": {}}}}},
        "ns#CString": {"type": "string", "traits": {"smithy.api#pattern": "^[a-z]+$"}},
        "ns#TagMap": {"type": "map", "key": {"target": "ns#TagKey"}, "value": {"target": "ns#TagValue"}},
        "ns#TagKey": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 128}}},
        "ns#TagValue": {"type": "string", "traits": {"smithy.api#length": {"max": 256}}},
        "ns#Node": {"type": "structure", "members": {
            "Next": {"target": "ns#Node"},
            "Children": {"target": "ns#NodeList"}
        }},
        "ns#NodeList": {"type": "list", "member": {"target": "ns#Node"}},
        "ns#Mode": {"type": "enum", "members": {
            "Fast": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "FAST"}},
            "Slow": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SLOW"}}
        }},
        "ns#Out": {"type": "structure", "members": {"Id": {"target": "ns#IdString"}}},
        "ns#Bad": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}}
    })
}

// --- MemberPath --------------------------------------------------------------------------------

#[test]
fn member_paths_parse_into_segments() {
    let path = MemberPath::parse("A.B[].C").expect("parses");
    assert_eq!(
        path.0,
        [
            PathSegment::Member("A".into()),
            PathSegment::Member("B".into()),
            PathSegment::Items,
            PathSegment::Member("C".into())
        ]
    );
    assert_eq!(path.first_member(), Some("A"));
    assert_eq!(
        MemberPath::parse("Tags{key}").expect("parses").0,
        [PathSegment::Member("Tags".into()), PathSegment::Keys]
    );
    assert_eq!(
        MemberPath::parse("E{value}[]").expect("parses").0,
        [
            PathSegment::Member("E".into()),
            PathSegment::Values,
            PathSegment::Items
        ]
    );
    assert_eq!(MemberPath(vec![PathSegment::Items]).first_member(), None);
    for text in ["A.B[].C", "Tags{key}", "Tags{value}", "S.E{value}[]", "x_1"] {
        assert_eq!(MemberPath::parse(text).expect("parses").to_string(), text);
    }
}

#[test]
fn malformed_member_paths_are_rejected_with_a_reason() {
    let reason = |t: &str| MemberPath::parse(t).expect_err(t);
    assert_eq!(reason(""), "`` has an empty or malformed member name");
    assert_eq!(
        reason("A..B"),
        "`A..B` has an empty or malformed member name"
    );
    assert_eq!(reason("A-B"), "`A-B` has an empty or malformed member name");
    assert_eq!(
        reason("A.[]"),
        "`A.[]` has an empty or malformed member name"
    );
    assert_eq!(
        reason("A["),
        "`A[`: expected `[]`, `{key}` or `{value}` after `A`"
    );
    assert_eq!(
        reason("A{keys}"),
        "`A{keys}`: expected `[]`, `{key}` or `{value}` after `A`"
    );
    assert_eq!(
        reason("A[]B"),
        "`A[]B`: expected `[]`, `{key}` or `{value}` after `A`"
    );
}

#[test]
fn member_paths_resolve_to_the_shape_they_end_on() {
    let model = load(nested());
    let resolve = |p: &str| {
        MemberPath::parse(p)
            .expect("parses")
            .resolve(&model, "ns#In")
            .map(str::to_owned)
    };
    assert_eq!(resolve("A").as_deref(), Ok("ns#A"));
    assert_eq!(resolve("A.B").as_deref(), Ok("ns#BList"));
    assert_eq!(resolve("A.B[]").as_deref(), Ok("ns#B"));
    assert_eq!(resolve("A.B[].C").as_deref(), Ok("ns#CString"));
    assert_eq!(resolve("Tags{key}").as_deref(), Ok("ns#TagKey"));
    assert_eq!(resolve("Tags{value}").as_deref(), Ok("ns#TagValue"));
    assert_eq!(
        resolve("Node.Children[].Next.Next").as_deref(),
        Ok("ns#Node")
    );
    assert_eq!(resolve("Token").as_deref(), Ok("smithy.api#String"));

    assert_eq!(resolve("Nope"), Err("`ns#In` has no member `Nope`".into()));
    assert_eq!(resolve("A.C"), Err("`ns#A` has no member `C`".into()));
    assert_eq!(
        resolve("A[]"),
        Err("`[]` does not apply to `ns#A`, a structure".into())
    );
    assert_eq!(
        resolve("A.B.C"),
        Err("`C` does not apply to `ns#BList`, a list".into())
    );
    assert_eq!(
        resolve("A.B{key}"),
        Err("`{key}` does not apply to `ns#BList`, a list".into())
    );
    assert_eq!(
        resolve("Tags[]"),
        Err("`[]` does not apply to `ns#TagMap`, a map".into())
    );
    assert_eq!(
        resolve("Id.Length"),
        Err("`Length` does not apply to `ns#IdString`, a string".into())
    );
    let from_nowhere = MemberPath::parse("A")
        .expect("parses")
        .resolve(&model, "ns#Missing");
    assert_eq!(from_nowhere, Err("`ns#Missing` is not defined".into()));
}

// --- input_members -----------------------------------------------------------------------------

#[test]
fn input_members_flatten_nested_inputs_in_model_order() {
    let model = load(nested());
    let members = input_members(&model, "PutThing").expect("members");
    let rows: Vec<(&str, &str, &str, bool)> = members
        .iter()
        .map(|m| {
            (
                m.path.as_str(),
                m.kind.as_str(),
                m.location.as_str(),
                m.required,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Id", "string", "label", true),
            ("Limit", "integer", "query:limit", false),
            ("Token", "string", "header:X-Token", false),
            ("A", "structure", "body", false),
            ("A.B", "list", "body", true),
            ("A.B[]", "structure", "body", false),
            ("A.B[].C", "string", "body", true),
            ("Tags", "map", "body", false),
            ("Tags{key}", "string", "body", false),
            ("Tags{value}", "string", "body", false),
            // Recursive shapes are listed once where they recur, not expanded again.
            ("Node", "structure", "body", false),
            ("Node.Next", "structure", "body", false),
            ("Node.Children", "list", "body", false),
            ("Node.Children[]", "structure", "body", false),
            ("Mode", "enum", "body", false),
        ]
    );
    let get = |path: &str| members.iter().find(|m| m.path == path).expect(path);
    assert_eq!(
        get("Id").length,
        Some(Bounds {
            min: Some(36),
            max: Some(36)
        })
    );
    assert_eq!(get("Id").shape, "ns#IdString");
    assert_eq!(
        get("Limit").range,
        Some(NumericBounds {
            min: Some(1.into()),
            max: Some(50.into())
        })
    );
    assert!(get("Token").sensitive && !get("Id").sensitive);
    assert_eq!(
        get("A.B").length,
        Some(Bounds {
            min: None,
            max: Some(5)
        })
    );
    assert_eq!(get("A.B[].C").pattern.as_deref(), Some("^[a-z]+$"));
    assert_eq!(
        get("Tags{key}").length,
        Some(Bounds {
            min: Some(1),
            max: Some(128)
        })
    );
    assert_eq!(
        get("Tags{value}").length,
        Some(Bounds {
            min: None,
            max: Some(256)
        })
    );
    assert_eq!(
        get("Mode").enum_values,
        Some(vec!["FAST".to_owned(), "SLOW".to_owned()])
    );
    assert_eq!(
        get("A.B[].C").segments,
        MemberPath::parse("A.B[].C").expect("parses")
    );
    // The output side, by structure.
    let out = structure_members(&model, "ns#Out").expect("members");
    assert_eq!(
        out.iter().map(|m| m.path.as_str()).collect::<Vec<_>>(),
        ["Id"]
    );
}

#[test]
fn mutually_recursive_shapes_terminate() {
    let model = load(json!({
        "ns#Op": {"type": "operation", "input": {"target": "ns#A"}},
        "ns#A": {"type": "structure", "members": {"ToB": {"target": "ns#B"}, "Self": {"target": "ns#A"}}},
        "ns#B": {"type": "union", "members": {"ToA": {"target": "ns#AMap"}}},
        "ns#AMap": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "ns#A"}}
    }));
    let paths: Vec<String> = input_members(&model, "Op")
        .expect("members")
        .into_iter()
        .map(|m| m.path)
        .collect();
    assert_eq!(
        paths,
        ["ToB", "ToB.ToA", "ToB.ToA{key}", "ToB.ToA{value}", "Self"]
    );
}

#[test]
fn an_operation_without_input_has_no_members() {
    let model =
        load(json!({"ns#Op": {"type": "operation", "input": {"target": "smithy.api#Unit"}}}));
    assert!(input_members(&model, "Op").expect("members").is_empty());
}

#[test]
fn flat_members_serialize_for_the_cli() {
    let model = load(nested());
    let members = input_members(&model, "PutThing").expect("members");
    let json = serde_json::to_value(&members[0]).expect("serializes");
    assert_eq!(
        json,
        json!({"path": "Id", "owner": "ns#In$Id", "shape": "ns#IdString", "kind": "string", "required": true,
               "length": {"min": 36, "max": 36}, "location": "label"})
    );
    let mode = serde_json::to_value(members.iter().find(|m| m.path == "Mode").expect("Mode"))
        .expect("serializes");
    assert_eq!(mode["enum"], json!(["FAST", "SLOW"]));
}

// --- diff --------------------------------------------------------------------------------------

fn changed(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
    let old = load(nested());
    let mut shapes = nested();
    edit(&mut shapes);
    let new = load(shapes);
    diff(&old, &new).expect("diff")
}

fn rows(changes: &[Change]) -> Vec<(ChangeKind, &str, &str, String, &str)> {
    changes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.subject,
                c.shape.as_str(),
                c.used_by.join(" | "),
                c.detail.as_str(),
            )
        })
        .collect()
}

#[test]
fn an_unchanged_model_has_no_diff() {
    let model = load(nested());
    assert!(diff(&model, &model).expect("diff").is_empty());
    assert!(changed(|_| {}).is_empty());
    // Documentation is not part of the API.
    let changes = changed(|s| {
        s["ns#In"]["members"]["A"]["traits"] = json!({"smithy.api#documentation": "new words"})
    });
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn diff_reports_added_and_removed_operations() {
    let changes = changed(|s| {
        s["ns#Other"] = json!({"type": "operation"});
        s["ns#Svc"]["operations"]
            .as_array_mut()
            .expect("ops")
            .push(json!({"target": "ns#Other"}));
    });
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Added,
            "operation",
            "ns#Other",
            String::new(),
            "operation added"
        )]
    );
    assert_eq!(
        changes[0].to_string(),
        "+ operation ns#Other: operation added"
    );

    let old = load(nested());
    let mut shapes = nested();
    shapes
        .as_object_mut()
        .expect("shapes")
        .remove("ns#PutThing");
    shapes["ns#Svc"]["operations"] = json!([]);
    let new = load(shapes);
    let changes = diff(&old, &new).expect("diff");
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Removed,
            "operation",
            "ns#PutThing",
            String::new(),
            "operation removed"
        )]
    );
    assert_eq!(
        changes[0].to_string(),
        "- operation ns#PutThing: operation removed"
    );
}

#[test]
fn diff_reports_member_changes() {
    let changes = changed(|s| {
        s["ns#In"]["members"]["New"] = json!({"target": "smithy.api#Boolean"});
        s["ns#In"]["members"]
            .as_object_mut()
            .expect("members")
            .remove("Mode");
    });
    assert_eq!(
        rows(&changes),
        [
            (
                ChangeKind::Added,
                "member",
                "ns#In$New",
                "PutThing input.New".to_owned(),
                "boolean added"
            ),
            (
                ChangeKind::Removed,
                "member",
                "ns#In$Mode",
                "PutThing input.Mode".to_owned(),
                "enum removed"
            ),
        ]
    );
    assert_eq!(
        changes[0].to_string(),
        "+ member ns#In$New: boolean added (in PutThing input.New)"
    );
    let changes =
        changed(|s| s["ns#Out"]["members"]["Extra"] = json!({"target": "smithy.api#Long"}));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Added,
            "member",
            "ns#Out$Extra",
            "PutThing output.Extra".to_owned(),
            "long added"
        )]
    );
    let changes = changed(|s| s["ns#In"]["members"]["Limit"]["target"] = json!("smithy.api#Long"));
    assert_eq!(
        rows(&changes),
        [
            (
                ChangeKind::Changed,
                "constraint",
                "smithy.api#Long",
                "PutThing input.Limit".to_owned(),
                "type integer -> long"
            ),
            (
                ChangeKind::Changed,
                "constraint",
                "smithy.api#Long",
                "PutThing input.Limit".to_owned(),
                "range {\"min\":1,\"max\":50} -> null"
            ),
        ]
    );
}

#[test]
fn diff_reports_constraint_changes() {
    let changes = changed(|s| s["ns#Limit"]["traits"]["smithy.api#range"]["max"] = json!(100));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "constraint",
            "ns#Limit",
            "PutThing input.Limit".to_owned(),
            "range {\"min\":1,\"max\":50} -> {\"min\":1,\"max\":100}"
        )]
    );
    assert_eq!(
        changes[0].to_string(),
        "~ constraint ns#Limit: range {\"min\":1,\"max\":50} -> {\"min\":1,\"max\":100} (in PutThing input.Limit)"
    );
    // The id string is used by input and output: one change, seen in both places.
    let changes =
        changed(|s| s["ns#IdString"]["traits"]["smithy.api#length"] = json!({"min": 1, "max": 36}));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "constraint",
            "ns#IdString",
            "PutThing input.Id | PutThing output.Id".to_owned(),
            "length {\"min\":36,\"max\":36} -> {\"min\":1,\"max\":36}"
        )]
    );
    let changes =
        changed(|s| s["ns#CString"]["traits"]["smithy.api#pattern"] = json!("^[a-z0-9]+$"));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "constraint",
            "ns#CString",
            "PutThing input.A.B[].C".to_owned(),
            "pattern \"^[a-z]+$\" -> \"^[a-z0-9]+$\""
        )]
    );
    let changes =
        changed(|s| s["ns#In"]["members"]["A"]["traits"] = json!({"smithy.api#required": {}}));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "constraint",
            "ns#In$A",
            "PutThing input.A".to_owned(),
            "required false -> true"
        )]
    );
}

#[test]
fn diff_reports_enum_values() {
    let changes = changed(|s| {
        let members = s["ns#Mode"]["members"].as_object_mut().expect("variants");
        members.remove("Slow");
        members.insert(
            "Warp".into(),
            json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "WARP"}}),
        );
    });
    assert_eq!(
        rows(&changes),
        [
            (
                ChangeKind::Added,
                "constraint",
                "ns#Mode",
                "PutThing input.Mode".to_owned(),
                "enum value WARP added"
            ),
            (
                ChangeKind::Removed,
                "constraint",
                "ns#Mode",
                "PutThing input.Mode".to_owned(),
                "enum value SLOW removed"
            ),
        ]
    );
    // Renaming a variant without changing its wire value is no API change.
    let changes = changed(|s| {
        let members = s["ns#Mode"]["members"].as_object_mut().expect("variants");
        let fast = members.remove("Fast").expect("Fast");
        members.insert("Quick".into(), fast);
    });
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn diff_reports_http_bindings() {
    let changes =
        changed(|s| s["ns#PutThing"]["traits"]["smithy.api#http"]["method"] = json!("POST"));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "binding",
            "ns#PutThing",
            String::new(),
            "http PUT /things/{Id} 200 -> POST /things/{Id} 200"
        )]
    );
    let changes = changed(|s| s["ns#PutThing"]["traits"] = json!({}));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "binding",
            "ns#PutThing",
            String::new(),
            "http PUT /things/{Id} 200 -> none"
        )]
    );
    // A member moving from the query string to a header is reported once, not for nested members.
    let changes = changed(|s| {
        s["ns#In"]["members"]["Limit"]["traits"] = json!({"smithy.api#httpHeader": "X-Limit"})
    });
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "binding",
            "ns#In$Limit",
            "PutThing input.Limit".to_owned(),
            "location query:limit -> header:X-Limit"
        )]
    );
    let changes =
        changed(|s| s["ns#In"]["members"]["A"]["traits"] = json!({"smithy.api#httpHeader": "X-A"}));
    assert_eq!(
        rows(&changes),
        [(
            ChangeKind::Changed,
            "binding",
            "ns#In$A",
            "PutThing input.A".to_owned(),
            "location body -> header:X-A"
        )]
    );
}

#[test]
fn diff_reports_errors() {
    let changes = changed(|s| {
        s["ns#Worse"] = json!({"type": "structure", "traits": {"smithy.api#error": "server"}});
        s["ns#PutThing"]["errors"] = json!([{"target": "ns#Worse"}]);
    });
    assert_eq!(
        rows(&changes),
        [
            (
                ChangeKind::Added,
                "error",
                "ns#PutThing",
                String::new(),
                "Worse added"
            ),
            (
                ChangeKind::Removed,
                "error",
                "ns#PutThing",
                String::new(),
                "Bad removed"
            ),
        ]
    );
    assert_eq!(changes[1].to_string(), "- error ns#PutThing: Bad removed");
}

// --- lint --------------------------------------------------------------------------------------

#[test]
fn lint_flags_vacuous_partially_anchored_and_look_around_patterns() {
    let model = load(json!({
        "ns#Op": {"type": "operation", "input": {"target": "ns#In"}},
        "ns#In": {"type": "structure", "members": {
            "Any": {"target": "ns#Anything"},
            "Arn": {"target": "ns#MaybeArn"},
            "Name": {"target": "ns#NotSystem"},
            "Fine": {"target": "ns#Fine"},
            "Override": {"target": "ns#Fine", "traits": {"smithy.api#pattern": ".*"}}
        }},
        "ns#Anything": {"type": "string", "traits": {"smithy.api#pattern": "[\\s\\S]*"}},
        "ns#MaybeArn": {"type": "string", "traits": {"smithy.api#pattern": "^$|arn:(aws)?:.*"}},
        "ns#NotSystem": {"type": "string", "traits": {"smithy.api#pattern": "^(?!system\\.)[a-z.]+$"}},
        "ns#Fine": {"type": "string", "traits": {"smithy.api#pattern": "^[a-z]+$"}}
    }));
    let warnings = lint(&model);
    let found: Vec<(&str, &str, &str)> = warnings
        .iter()
        .map(|w| {
            (
                w.shape.as_str(),
                w.pattern.as_deref().unwrap_or_default(),
                w.kind,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("ns#Anything", "[\\s\\S]*", "vacuous"),
            ("ns#MaybeArn", "^$|arn:(aws)?:.*", "partially-anchored"),
            ("ns#NotSystem", "^(?!system\\.)[a-z.]+$", "look-around"),
            // A member's own pattern is linted too, named by its target.
            ("ns#Fine", ".*", "unanchored-vacuous"),
        ]
    );
    let partial = &warnings[1];
    assert!(
        partial.message.contains("alternation of 2 branches"),
        "{}",
        partial.message
    );
    assert!(
        warnings[2].message.contains("look-around"),
        "{}",
        warnings[2].message
    );
}

#[test]
fn lint_covers_each_kind_on_its_own() {
    let kinds = |p: &str| {
        let model = load(json!({"ns#S": {"type": "string", "traits": {"smithy.api#pattern": p}}}));
        lint(&model).into_iter().map(|w| w.kind).collect::<Vec<_>>()
    };
    assert_eq!(kinds("^[a-z]+$"), Vec::<&str>::new());
    assert_eq!(
        kinds("(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()"),
        ["unanchored-vacuous"]
    );
    assert_eq!(kinds("^a|b$"), ["partially-anchored"]);
    assert_eq!(kinds("^(a|b)$"), Vec::<&str>::new());
    assert_eq!(kinds("(?<=x)y"), ["look-around"]);
    assert_eq!(kinds("(?<!x)y"), ["look-around"]);
    assert_eq!(kinds("x(?=y)"), ["look-around"]);
    assert_eq!(
        kinds("(?<name>x)"),
        Vec::<&str>::new(),
        "a named group is not look-around"
    );
}

#[test]
fn lint_reports_a_pattern_that_compiles_on_neither_engine_as_an_error() {
    let model = load(json!({
        "ns#Op": {"type": "operation", "input": {"target": "ns#In"}},
        "ns#In": {"type": "structure", "members": {
            "Bad": {"target": "ns#Bad"},
            "Own": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "a{2,1}"}}
        }},
        "ns#Bad": {"type": "string", "traits": {"smithy.api#pattern": "(["}},
        "ns#BackReference": {"type": "string", "traits": {"smithy.api#pattern": "^(a)\\1$"}},
        "ns#LookAround": {"type": "string", "traits": {"smithy.api#pattern": "^(?!x)[a-z]+$"}}
    }));
    let found: Vec<(LintLevel, String, String, &str)> = lint(&model)
        .into_iter()
        .map(|w| (w.level, w.shape, w.pattern.unwrap_or_default(), w.kind))
        .collect();
    assert_eq!(
        found,
        [
            (
                LintLevel::Error,
                "ns#Bad".into(),
                "([".into(),
                "invalid-pattern"
            ),
            // Backreferences (no finding) and look-around run on the backtracking engine.
            (
                LintLevel::Warning,
                "ns#LookAround".into(),
                "^(?!x)[a-z]+$".into(),
                "look-around"
            ),
            // A member's own pattern, named as other member patterns are: by its target.
            (
                LintLevel::Error,
                "smithy.api#String".into(),
                "a{2,1}".into(),
                "invalid-pattern"
            ),
        ]
    );
    let bad = &lint_pattern("ns#Bad", "([")[0];
    assert!(
        bad.message.starts_with("does not compile: ") && !bad.message.contains('\n'),
        "{}",
        bad.message
    );
    assert!(
        bad.to_string()
            .starts_with("error[invalid-pattern]: ns#Bad: /([/: does not compile: "),
        "{bad}"
    );
    let vacuous = &lint_pattern("ns#Any", "[\\s\\S]*")[0];
    assert_eq!(
        vacuous.to_string(),
        "warning[vacuous]: ns#Any: /[\\s\\S]*/: matches every value, so it checks nothing"
    );
}

#[test]
fn lint_reports_min_above_max_in_a_model_built_in_code() {
    // The loader refuses such bounds; a model assembled in code reaches lint unchecked.
    let mut model = load(json!({
        "ns#In": {"type": "structure", "members": {
            "Inherits": {"target": "ns#Count"},
            "Own": {"target": "ns#Count", "traits": {"smithy.api#range": {"min": 1, "max": 10}}},
            "Name": {"target": "ns#Name"}
        }},
        "ns#Count": {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 10}}},
        "ns#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 5}}}
    }));
    assert!(lint(&model).is_empty());
    let inverted = NumericBounds {
        min: Some(10.into()),
        max: Some(1.into()),
    };
    model.shapes["ns#Count"].traits.range = Some(inverted.clone());
    model.shapes["ns#Name"].traits.length = Some(Bounds {
        min: Some(5),
        max: Some(2),
    });
    let conform_spec::ShapeKind::Structure { members } = &mut model.shapes["ns#In"].kind else {
        panic!("a structure");
    };
    // Effective traits: the inheriting member now holds the target's range, the other its own.
    members[0].traits.range = Some(inverted);
    members[1].traits.range = Some(NumericBounds {
        min: Some(serde_json::Number::from_f64(2.5).expect("finite")),
        max: Some(2.into()),
    });
    let found: Vec<(LintLevel, String, &str, String)> = lint(&model)
        .into_iter()
        .map(|w| (w.level, w.shape, w.kind, w.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                LintLevel::Error,
                "ns#In$Own".into(),
                "inverted-range",
                "`min` 2.5 is greater than `max` 2: no value meets it".into()
            ),
            (
                LintLevel::Error,
                "ns#Count".into(),
                "inverted-range",
                "`min` 10 is greater than `max` 1: no value meets it".into()
            ),
            (
                LintLevel::Error,
                "ns#Name".into(),
                "inverted-length",
                "`min` 5 is greater than `max` 2: no value meets it".into()
            ),
        ]
    );
    let shown = lint(&model)[1].to_string();
    assert_eq!(
        shown,
        "error[inverted-range]: ns#Count: `min` 10 is greater than `max` 1: no value meets it"
    );
}

#[test]
fn lint_is_quiet_on_a_model_without_patterns() {
    let model: Model = load(json!({"ns#S": {"type": "string"}}));
    assert!(lint(&model).is_empty());
}

/// An operation whose input nests `depth` structures, each holding the next as `Next`.
fn chain(depth: usize) -> Value {
    let mut shapes = serde_json::Map::new();
    shapes.insert(
        "a#Op".into(),
        json!({"type": "operation", "input": {"target": "a#S0"}}),
    );
    for i in 0..depth {
        let members = if i + 1 < depth {
            json!({"Next": {"target": format!("a#S{}", i + 1)}})
        } else {
            json!({})
        };
        shapes.insert(
            format!("a#S{i}"),
            json!({"type": "structure", "members": members}),
        );
    }
    Value::Object(shapes)
}

#[test]
fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
    // 128 structures deep is allowed; the 129th is refused by name.
    let members = input_members(&load(chain(128)), "Op").expect("128 levels");
    assert_eq!(members.len(), 127);
    assert_eq!(members[126].shape, "a#S127");
    let error = input_members(&load(chain(129)), "Op").expect_err("129 levels");
    let deepest = vec!["Next"; 128].join(".");
    assert_eq!(
        error.kind.to_string(),
        format!("shape `a#S128`: members nest more than 128 levels deep at `{deepest}`")
    );
    // Far deeper models fail the same way, in a test thread's small stack.
    let model = load(chain(5000));
    assert!(input_members(&model, "Op").is_err());
    assert!(diff(&model, &model).is_err());
    let _ = lint(&model);
}
