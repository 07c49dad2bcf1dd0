//! Loading small models: prelude targets, trait precedence, every shape type, every trait the
//! reader parses or ignores, and every error path with its message and position.

#[path = "support/small.rs"]
mod small;

use conform_spec::{
    Bounds, ErrorFault, HttpBinding, Model, NumericBounds, Scalar, ShapeKind, SpecErrorKind,
    TimestampFormat, Traits,
};
use serde_json::{json, Number, Value};
use small::{document, line_of, load, load_err, text_err};

fn member<'m>(model: &'m Model, shape: &str, name: &str) -> &'m conform_spec::Member {
    model
        .members_of(shape)
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{shape} has no member {name}"))
}

fn range(min: Option<i64>, max: Option<i64>) -> NumericBounds {
    NumericBounds {
        min: min.map(Number::from),
        max: max.map(Number::from),
    }
}

// --- prelude ---------------------------------------------------------------------------------

#[test]
fn prelude_targets_resolve_with_their_defaults() {
    let model = load(json!({
        "ns#Op": {"type": "operation", "input": {"target": "smithy.api#Unit"}, "output": {"target": "smithy.api#Unit"}},
        "ns#S": {"type": "structure", "members": {
            "Text": {"target": "smithy.api#String"},
            "Count": {"target": "smithy.api#PrimitiveInteger"},
            "Flag": {"target": "smithy.api#PrimitiveBoolean"},
            "Maybe": {"target": "smithy.api#Integer"},
            "When": {"target": "smithy.api#Timestamp"},
            "Any": {"target": "smithy.api#Document"},
            "Bytes": {"target": "smithy.api#Blob"},
            "Big": {"target": "smithy.api#Long"}
        }}
    }));
    let s = "ns#S";
    assert_eq!(member(&model, s, "Count").traits.default, Some(json!(0)));
    assert_eq!(member(&model, s, "Flag").traits.default, Some(json!(false)));
    assert_eq!(member(&model, s, "Maybe").traits.default, None);
    assert_eq!(member(&model, s, "Text").traits, Traits::default());
    let scalar = |id: &str| match &model
        .shape(id)
        .unwrap_or_else(|| panic!("{id} missing"))
        .kind
    {
        ShapeKind::Scalar { scalar } => *scalar,
        other => panic!("{id} is {other:?}"),
    };
    assert_eq!(scalar("smithy.api#String"), Scalar::String);
    assert_eq!(scalar("smithy.api#PrimitiveInteger"), Scalar::Integer);
    assert_eq!(scalar("smithy.api#PrimitiveBoolean"), Scalar::Boolean);
    assert_eq!(scalar("smithy.api#Timestamp"), Scalar::Timestamp);
    assert_eq!(scalar("smithy.api#Document"), Scalar::Document);
    assert_eq!(scalar("smithy.api#Blob"), Scalar::Blob);
    assert_eq!(scalar("smithy.api#Long"), Scalar::Long);
    assert_eq!(
        model
            .shape("smithy.api#PrimitiveInteger")
            .map(|s| s.traits.default.clone()),
        Some(Some(json!(0)))
    );
    // Only referenced prelude shapes are added, after the file's own shapes.
    assert!(model.shape("smithy.api#Float").is_none());
    assert_eq!(
        model.shapes.get_index(0).map(|(k, _)| k.as_str()),
        Some("ns#Op")
    );
    assert_eq!(
        model.shapes.get_index(1).map(|(k, _)| k.as_str()),
        Some("ns#S")
    );
    let (_, op) = model.operation("Op").expect("operation");
    assert_eq!(op.input, None);
    assert_eq!(op.output, None);
}

#[test]
fn an_unknown_prelude_name_is_dangling() {
    let error = load_err(
        json!({"ns#S": {"type": "structure", "members": {"X": {"target": "smithy.api#Strung"}}}}),
    );
    assert_eq!(
        error.kind,
        SpecErrorKind::DanglingTarget {
            shape: "ns#S$X".into(),
            target: "smithy.api#Strung".into()
        }
    );
}

// --- trait precedence ------------------------------------------------------------------------

#[test]
fn member_traits_override_the_targets() {
    let model = load(json!({
        "ns#Name": {"type": "string", "traits": {
            "smithy.api#length": {"min": 1, "max": 64},
            "smithy.api#pattern": "^[a-z]+$",
            "smithy.api#documentation": "The target's documentation.",
            "smithy.api#sensitive": {}
        }},
        "ns#Size": {"type": "integer", "traits": {"smithy.api#range": {"min": 0, "max": 100}, "smithy.api#default": 5}},
        "ns#S": {"type": "structure", "members": {
            "Own": {"target": "ns#Name", "traits": {
                "smithy.api#length": {"min": 3},
                "smithy.api#pattern": "^[a-z]{3,}$",
                "smithy.api#documentation": "The member's documentation.",
                "smithy.api#required": {}
            }},
            "Inherited": {"target": "ns#Name"},
            "OwnRange": {"target": "ns#Size", "traits": {"smithy.api#range": {"max": 10}, "smithy.api#default": 1}},
            "InheritedRange": {"target": "ns#Size"}
        }}
    }));
    let own = &member(&model, "ns#S", "Own").traits;
    assert_eq!(
        own.length,
        Some(Bounds {
            min: Some(3),
            max: None
        })
    );
    assert_eq!(own.pattern.as_deref(), Some("^[a-z]{3,}$"));
    assert_eq!(
        own.documentation.as_deref(),
        Some("The member's documentation.")
    );
    assert!(own.required);
    assert!(
        own.sensitive,
        "the target's sensitive trait applies to the member"
    );

    let inherited = &member(&model, "ns#S", "Inherited").traits;
    assert_eq!(
        inherited.length,
        Some(Bounds {
            min: Some(1),
            max: Some(64)
        })
    );
    assert_eq!(inherited.pattern.as_deref(), Some("^[a-z]+$"));
    assert_eq!(
        inherited.documentation.as_deref(),
        Some("The target's documentation.")
    );
    assert!(!inherited.required);

    let own_range = &member(&model, "ns#S", "OwnRange").traits;
    assert_eq!(own_range.range, Some(range(None, Some(10))));
    assert_eq!(own_range.default, Some(json!(1)));
    let inherited_range = &member(&model, "ns#S", "InheritedRange").traits;
    assert_eq!(inherited_range.range, Some(range(Some(0), Some(100))));
    assert_eq!(inherited_range.default, Some(json!(5)));
    // The target shape keeps its own traits.
    let name = model.shape("ns#Name").expect("shape");
    assert_eq!(
        name.traits.length,
        Some(Bounds {
            min: Some(1),
            max: Some(64)
        })
    );
}

#[test]
fn list_and_map_members_take_target_constraints() {
    let model = load(json!({
        "ns#Item": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 249}}},
        "ns#Items": {"type": "list", "member": {"target": "ns#Item"}, "traits": {"smithy.api#length": {"min": 1, "max": 1}}},
        "ns#Pairs": {"type": "map", "key": {"target": "ns#Item"}, "value": {"target": "ns#Item", "traits": {"smithy.api#length": {"max": 5}}}}
    }));
    match &model.shape("ns#Items").expect("list").kind {
        ShapeKind::List { member } => {
            assert_eq!(member.name, "member");
            assert_eq!(member.target, "ns#Item");
            assert_eq!(
                member.traits.length,
                Some(Bounds {
                    min: Some(1),
                    max: Some(249)
                })
            );
        }
        other => panic!("{other:?}"),
    }
    match &model.shape("ns#Pairs").expect("map").kind {
        ShapeKind::Map { key, value } => {
            assert_eq!(
                key.traits.length,
                Some(Bounds {
                    min: Some(1),
                    max: Some(249)
                })
            );
            assert_eq!(
                value.traits.length,
                Some(Bounds {
                    min: None,
                    max: Some(5)
                })
            );
        }
        other => panic!("{other:?}"),
    }
}

// --- shape types ------------------------------------------------------------------------------

#[test]
fn enums_take_their_wire_values_from_enum_value() {
    let model = load(json!({
        "ns#Level": {"type": "enum", "members": {
            "Debug": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "DEBUG", "smithy.api#documentation": "Everything."}},
            "Info": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "INFO"}}
        }},
        "ns#Bare": {"type": "enum", "members": {
            "LATEST": {"target": "smithy.api#Unit"},
            "TRIM_HORIZON": {"target": "smithy.api#Unit"}
        }},
        "ns#Code": {"type": "intEnum", "members": {
            "Low": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
            "High": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": -7}}
        }}
    }));
    match &model.shape("ns#Level").expect("enum").kind {
        ShapeKind::Enum { variants } => {
            let pairs: Vec<(&str, &str)> = variants
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str()))
                .collect();
            assert_eq!(pairs, [("Debug", "DEBUG"), ("Info", "INFO")]);
            assert_eq!(variants[0].documentation.as_deref(), Some("Everything."));
            assert_eq!(variants[1].documentation, None);
        }
        other => panic!("{other:?}"),
    }
    match &model.shape("ns#Bare").expect("enum").kind {
        ShapeKind::Enum { variants } => {
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            assert_eq!(values, ["LATEST", "TRIM_HORIZON"]);
        }
        other => panic!("{other:?}"),
    }
    match &model.shape("ns#Code").expect("intEnum").kind {
        ShapeKind::IntEnum { variants } => {
            let pairs: Vec<(&str, i64)> = variants
                .iter()
                .map(|v| (v.name.as_str(), v.value))
                .collect();
            assert_eq!(pairs, [("Low", 1), ("High", -7)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn enum_values_of_the_wrong_type_are_errors() {
    let error = load_err(json!({"ns#E": {"type": "enum", "members": {
        "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 3}}
    }}}));
    assert!(
        error
            .to_string()
            .contains("shape `ns#E`: enum member `A` needs a string enumValue"),
        "{error}"
    );
    let error = load_err(json!({"ns#E": {"type": "intEnum", "members": {
        "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "3"}}
    }}}));
    assert!(
        error
            .to_string()
            .contains("shape `ns#E`: intEnum member `A` needs an integer enumValue"),
        "{error}"
    );
    let error = load_err(
        json!({"ns#E": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit"}}}}),
    );
    assert!(
        error
            .to_string()
            .contains("intEnum member `A` needs an integer enumValue"),
        "{error}"
    );
    let error = load_err(json!({"ns#E": {"type": "enum", "members": {
        "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1.5}}
    }}}));
    assert!(
        error
            .to_string()
            .contains("`smithy.api#enumValue` has a malformed value"),
        "{error}"
    );
}

#[test]
fn every_shape_type_loads_into_its_kind() {
    let scalars = [
        ("blob", Scalar::Blob),
        ("boolean", Scalar::Boolean),
        ("string", Scalar::String),
        ("byte", Scalar::Byte),
        ("short", Scalar::Short),
        ("integer", Scalar::Integer),
        ("long", Scalar::Long),
        ("float", Scalar::Float),
        ("double", Scalar::Double),
        ("bigInteger", Scalar::BigInteger),
        ("bigDecimal", Scalar::BigDecimal),
        ("timestamp", Scalar::Timestamp),
        ("document", Scalar::Document),
    ];
    let mut shapes = serde_json::Map::new();
    for (name, _) in scalars {
        shapes.insert(format!("ns#{name}"), json!({"type": name}));
    }
    shapes.insert(
        "ns#List".into(),
        json!({"type": "list", "member": {"target": "ns#string"}}),
    );
    shapes.insert(
        "ns#Set".into(),
        json!({"type": "set", "member": {"target": "ns#integer"}}),
    );
    shapes.insert(
        "ns#Map".into(),
        json!({"type": "map", "key": {"target": "ns#string"}, "value": {"target": "ns#document"}}),
    );
    shapes.insert(
        "ns#Struct".into(),
        json!({"type": "structure", "members": {"B": {"target": "ns#blob"}, "T": {"target": "ns#timestamp"}}}),
    );
    shapes.insert(
        "ns#Union".into(),
        json!({"type": "union", "members": {"S": {"target": "ns#string"}, "Nothing": {"target": "smithy.api#Unit"}}}),
    );
    shapes.insert("ns#Empty".into(), json!({"type": "structure"}));
    let model = load(Value::Object(shapes));
    for (name, scalar) in scalars {
        let shape = model.shape(&format!("ns#{name}")).expect("scalar");
        assert_eq!(shape.kind, ShapeKind::Scalar { scalar });
        assert_eq!(shape.kind.type_name(), name);
    }
    assert!(
        Scalar::Byte.is_integral()
            && Scalar::BigInteger.is_integral()
            && !Scalar::Float.is_integral()
    );
    assert!(
        Scalar::BigDecimal.is_numeric()
            && Scalar::Short.is_numeric()
            && !Scalar::Timestamp.is_numeric()
    );
    match &model.shape("ns#Set").expect("set").kind {
        ShapeKind::List { member } => assert_eq!(member.target, "ns#integer"),
        other => panic!("a Smithy 1 set is a list, not {other:?}"),
    }
    let kind = |id: &str| model.shape(id).expect("shape").kind.type_name();
    assert_eq!(kind("ns#List"), "list");
    assert_eq!(kind("ns#Map"), "map");
    assert_eq!(kind("ns#Struct"), "structure");
    assert_eq!(kind("ns#Union"), "union");
    let names: Vec<&str> = model
        .members_of("ns#Union")
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, ["S", "Nothing"]);
    assert_eq!(model.members_of("ns#Struct").len(), 2);
    assert!(model.members_of("ns#Empty").is_empty());
    assert!(
        model.members_of("ns#List").is_empty(),
        "members_of is for structures and unions"
    );
    assert_eq!(kind("smithy.api#Unit"), "structure");
}

#[test]
fn services_and_resources_load_with_their_references() {
    let model = load(json!({
        "ns#Svc": {"type": "service", "version": "2015-03-31",
                   "operations": [{"target": "ns#Ping"}],
                   "resources": [{"target": "ns#Thing"}],
                   "errors": [{"target": "ns#Oops"}],
                   "traits": {"aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "things"}}},
        "ns#Thing": {"type": "resource", "identifiers": {"ThingId": {"target": "smithy.api#String"}},
                     "create": {"target": "ns#MakeThing"}, "read": {"target": "ns#ReadThing"},
                     "list": {"target": "ns#ListThings"}, "operations": [{"target": "ns#PokeThing"}],
                     "resources": [{"target": "ns#Part"}]},
        "ns#Part": {"type": "resource", "put": {"target": "ns#PutPart"}, "collectionOperations": [{"target": "ns#CountParts"}]},
        // In model order the nested resource's operations come first and `Loose` sits among
        // them; operation_ids must follow the service instead.
        "ns#CountParts": {"type": "operation"},
        "ns#PutPart": {"type": "operation"},
        "ns#Loose": {"type": "operation"},
        "ns#Ping": {"type": "operation"},
        "ns#MakeThing": {"type": "operation"},
        "ns#ReadThing": {"type": "operation"},
        "ns#ListThings": {"type": "operation"},
        "ns#PokeThing": {"type": "operation"},
        "ns#Oops": {"type": "structure", "traits": {"smithy.api#error": "server"}}
    }));
    let (shape, service) = model.service().expect("service");
    assert_eq!(shape.id, "ns#Svc");
    assert_eq!(service.version, "2015-03-31");
    assert_eq!(service.operations, ["ns#Ping"]);
    assert_eq!(service.resources, ["ns#Thing"]);
    assert_eq!(service.errors, ["ns#Oops"]);
    assert!(shape.traits.rest_json1);
    assert_eq!(shape.traits.sigv4_name.as_deref(), Some("things"));
    match &model.shape("ns#Thing").expect("resource").kind {
        ShapeKind::Resource(r) => {
            assert_eq!(
                r.identifiers.get("ThingId").map(String::as_str),
                Some("smithy.api#String")
            );
            assert_eq!(
                r.operations,
                [
                    "ns#MakeThing",
                    "ns#ReadThing",
                    "ns#ListThings",
                    "ns#PokeThing"
                ]
            );
            assert_eq!(r.resources, ["ns#Part"]);
        }
        other => panic!("{other:?}"),
    }
    match &model.shape("ns#Part").expect("resource").kind {
        ShapeKind::Resource(r) => assert_eq!(r.operations, ["ns#PutPart", "ns#CountParts"]),
        other => panic!("{other:?}"),
    }
    // Service operations first, then resources depth first, then any unbound operation.
    assert_eq!(
        model.operation_ids(),
        [
            "ns#Ping",
            "ns#MakeThing",
            "ns#ReadThing",
            "ns#ListThings",
            "ns#PokeThing",
            "ns#PutPart",
            "ns#CountParts",
            "ns#Loose"
        ]
    );
}

#[test]
fn operation_ids_terminate_on_resource_cycles() {
    // Smithy forbids such cycles; the reader must still not loop on them.
    let model = load(json!({
        "ns#Svc": {"type": "service", "resources": [{"target": "ns#A"}]},
        "ns#A": {"type": "resource", "read": {"target": "ns#GetA"}, "resources": [{"target": "ns#B"}, {"target": "ns#A"}]},
        "ns#B": {"type": "resource", "read": {"target": "ns#GetB"}, "resources": [{"target": "ns#A"}]},
        "ns#GetA": {"type": "operation"},
        "ns#GetB": {"type": "operation"},
        "ns#Loose": {"type": "operation"}
    }));
    assert_eq!(model.operation_ids(), ["ns#GetA", "ns#GetB", "ns#Loose"]);
}

// --- traits -----------------------------------------------------------------------------------

#[test]
fn every_design_trait_is_parsed_with_its_value() {
    let model = load(json!({
        "ns#Op": {"type": "operation", "input": {"target": "ns#In"}, "errors": [{"target": "ns#NotFound"}, {"target": "ns#Broken"}],
                  "traits": {"smithy.api#http": {"method": "PUT", "uri": "/things/{Id}/{Rest+}", "code": 202}}},
        "ns#Plain": {"type": "operation", "traits": {"smithy.api#http": {"method": "GET", "uri": "/"}}},
        "ns#In": {"type": "structure", "members": {
            "Id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Rest": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Q": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "max-items"}},
            "H": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "X-Amz-Thing"}},
            "Json": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": "json_name"}},
            "Epoch": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "epoch-seconds"}},
            "Iso": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "date-time"}},
            "Http": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "http-date"}},
            "Def": {"target": "smithy.api#String", "traits": {"smithy.api#default": "none"}},
            "Len": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 2, "max": 9}}},
            "Rng": {"target": "smithy.api#Double", "traits": {"smithy.api#range": {"min": -1.5, "max": 2.5}}},
            "Pat": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "^\\d+$"}},
            "Secret": {"target": "smithy.api#String", "traits": {"smithy.api#sensitive": {}}},
            "Doc": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "<p>Docs.</p>"}},
            "Body": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpPayload": {}}},
            "Params": {"target": "ns#Params", "traits": {"smithy.api#httpQueryParams": {}}},
            "Prefixed": {"target": "ns#Params", "traits": {"smithy.api#httpPrefixHeaders": "X-Meta-"}}
        }},
        "ns#Params": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
        "ns#Out": {"type": "structure", "members": {
            "Status": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpResponseCode": {}}}
        }},
        "ns#NotFound": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}},
        "ns#Broken": {"type": "structure", "traits": {"smithy.api#error": "server", "smithy.api#httpError": 503}}
    }));
    let op = model.shape("ns#Op").expect("op");
    assert_eq!(
        op.traits.http,
        Some(HttpBinding {
            method: "PUT".into(),
            uri: "/things/{Id}/{Rest+}".into(),
            code: 202
        })
    );
    let plain = model.shape("ns#Plain").expect("op");
    assert_eq!(
        plain.traits.http.as_ref().map(|h| h.code),
        Some(200),
        "`code` defaults to 200"
    );
    let t = |name: &str| member(&model, "ns#In", name).traits.clone();
    assert!(t("Id").http_label && t("Id").required);
    assert!(!t("Q").http_label && !t("Q").required);
    assert_eq!(t("Q").http_query.as_deref(), Some("max-items"));
    assert_eq!(t("H").http_header.as_deref(), Some("X-Amz-Thing"));
    assert_eq!(t("Json").json_name.as_deref(), Some("json_name"));
    assert_eq!(
        t("Epoch").timestamp_format,
        Some(TimestampFormat::EpochSeconds)
    );
    assert_eq!(t("Iso").timestamp_format, Some(TimestampFormat::DateTime));
    assert_eq!(t("Http").timestamp_format, Some(TimestampFormat::HttpDate));
    assert_eq!(t("Def").default, Some(json!("none")));
    assert_eq!(
        t("Len").length,
        Some(Bounds {
            min: Some(2),
            max: Some(9)
        })
    );
    assert_eq!(
        t("Rng").range,
        Some(NumericBounds {
            min: Number::from_f64(-1.5),
            max: Number::from_f64(2.5)
        })
    );
    assert_eq!(t("Pat").pattern.as_deref(), Some("^\\d+$"));
    assert!(t("Secret").sensitive && !t("Pat").sensitive);
    assert_eq!(t("Doc").documentation.as_deref(), Some("<p>Docs.</p>"));
    assert!(t("Body").http_payload);
    assert!(t("Params").http_query_params);
    assert_eq!(
        t("Prefixed").http_prefix_headers.as_deref(),
        Some("X-Meta-")
    );
    assert!(member(&model, "ns#Out", "Status").traits.http_response_code);
    let not_found = &model.shape("ns#NotFound").expect("error").traits;
    assert_eq!(
        (not_found.error, not_found.http_error),
        (Some(ErrorFault::Client), Some(404))
    );
    let broken = &model.shape("ns#Broken").expect("error").traits;
    assert_eq!(
        (broken.error, broken.http_error),
        (Some(ErrorFault::Server), Some(503))
    );
}

/// Every trait the census in `smithy-json-ast.md` lists, with a value in AWS's style: the reader
/// must accept each, and those that carry no meaning leave `Traits` empty.
const CENSUS_IGNORED: &[(&str, &str)] = &[
    ("smithy.api#tags", r#"["a"]"#),
    (
        "aws.iam#iamAction",
        r#"{"documentation": "Grants permission"}"#,
    ),
    ("smithy.api#input", "{}"),
    ("smithy.api#output", "{}"),
    (
        "smithy.api#examples",
        r#"[{"title": "t", "input": {}, "output": {}}]"#,
    ),
    ("smithy.api#readonly", "{}"),
    ("aws.iam#conditionKeys", r#"["x:y"]"#),
    (
        "smithy.api#paginated",
        r#"{"inputToken": "Marker", "outputToken": "NextMarker"}"#,
    ),
    ("smithy.api#idempotent", "{}"),
    ("smithy.api#suppress", r#"["HttpMethodSemantics"]"#),
    ("aws.api#arn", r#"{"template": "function:{Name}"}"#),
    ("aws.iam#iamResource", r#"{"name": "function"}"#),
    ("aws.api#data", r#""content""#),
    ("smithy.api#deprecated", r#"{"message": "old"}"#),
    ("smithy.api#streaming", "{}"),
    (
        "smithy.waiters#waitable",
        r#"{"Ready": {"acceptors": [], "minDelay": 1}}"#,
    ),
    (
        "smithy.test#smokeTests",
        r#"[{"id": "x", "params": {}, "expect": {"success": {}}}]"#,
    ),
    ("aws.api#service", r#"{"sdkId": "X"}"#),
    ("aws.api#tagEnabled", "{}"),
    (
        "aws.iam#defineConditionKeys",
        r#"{"x:y": {"type": "String"}}"#,
    ),
    ("aws.iam#disableConditionKeyInference", "{}"),
    ("aws.iam#supportedPrincipalTypes", r#"["Root"]"#),
    ("smithy.api#title", r#""T""#),
    (
        "smithy.rules#endpointBdd",
        r#"{"version": "1.1", "nodes": "AAAA"}"#,
    ),
    (
        "smithy.rules#endpointRuleSet",
        r#"{"version": "1.0", "rules": []}"#,
    ),
    ("smithy.rules#endpointTests", r#"{"testCases": []}"#),
    ("aws.api#taggable", "{}"),
    ("smithy.api#resourceIdentifier", r#""Name""#),
    ("smithy.api#idempotencyToken", "{}"),
    ("smithy.api#eventPayload", "{}"),
];

#[test]
fn every_census_trait_without_meaning_is_accepted_and_left_out() {
    for (trait_id, value) in CENSUS_IGNORED {
        let value: Value = serde_json::from_str(value).expect("test value is JSON");
        let model = load(json!({
            "ns#S": {"type": "structure", "traits": {(*trait_id): value.clone()},
                     "members": {"M": {"target": "smithy.api#String", "traits": {(*trait_id): value}}}}
        }));
        assert_eq!(
            model.shape("ns#S").expect("shape").traits,
            Traits::default(),
            "{trait_id} on a shape"
        );
        assert_eq!(
            member(&model, "ns#S", "M").traits,
            Traits::default(),
            "{trait_id} on a member"
        );
    }
}

#[test]
fn every_census_trait_with_meaning_is_accepted() {
    // The census traits that matter, in the form AWS writes them.
    let model = load(json!({
        "ns#S": {"type": "structure", "traits": {
            "smithy.api#documentation": "d", "smithy.api#length": {"min": 1}, "smithy.api#http": {"method": "GET", "uri": "/"},
            "smithy.api#pattern": "^a$", "smithy.api#error": "client", "smithy.api#httpError": 400,
            "smithy.api#range": {"max": 3}, "smithy.api#sensitive": {}, "smithy.api#default": {}
        }, "members": {"M": {"target": "smithy.api#String", "traits": {
            "smithy.api#documentation": "d", "smithy.api#enumValue": "V", "smithy.api#required": {},
            "smithy.api#httpLabel": {}, "smithy.api#httpQuery": "q", "smithy.api#default": "", "smithy.api#httpHeader": "h",
            "smithy.api#httpPayload": {}, "smithy.api#range": {"min": 0}, "smithy.api#httpResponseCode": {},
            "smithy.api#length": {"max": 1}
        }}}}
    }));
    let shape = &model.shape("ns#S").expect("shape").traits;
    assert_eq!(shape.default, Some(json!({})));
    assert_eq!(shape.range, Some(range(None, Some(3))));
    let m = &member(&model, "ns#S", "M").traits;
    assert_eq!(m.enum_value, Some(json!("V")));
    assert_eq!(m.default, Some(json!("")));
    assert_eq!(m.range, Some(range(Some(0), None)));
}

// --- error paths ------------------------------------------------------------------------------

#[test]
fn malformed_json_reports_line_and_column() {
    let text = "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {\n    \"a#B\": {\"type\": \"string\",}\n  }\n}\n";
    let error = text_err(text);
    assert!(matches!(error.kind, SpecErrorKind::Json(_)), "{error:?}");
    // The stray `}` after the trailing comma: line 4, column 30.
    assert_eq!((error.line, error.column), (Some(4), Some(30)));
    let shown = error.to_string();
    assert!(
        shown.starts_with("bad.json:4:30: malformed JSON: trailing comma"),
        "{shown}"
    );
    assert!(
        !shown.contains(" at line "),
        "the position is not repeated: {shown}"
    );

    let error = text_err("{\"smithy\": \"2.0\",\n \"shapes\": {\"a#B\": ");
    assert!(matches!(error.kind, SpecErrorKind::Json(_)), "{error:?}");
    assert_eq!(error.line, Some(2));
    assert!(error.to_string().contains("EOF"), "{error}");
}

#[test]
fn a_newline_inside_a_string_is_placed_at_the_end_of_its_line() {
    // serde_json reports such errors at column 0 of the next line; the reader never says 0.
    let text = "{\"smithy\": \"2.0\",\n \"shapes\": {\"a#B\n\": {}}}";
    let error = text_err(text);
    assert!(error.to_string().contains("control character"), "{error}");
    // Line 2 is ` "shapes": {"a#B`, 16 characters; the newline follows it.
    assert_eq!((error.line, error.column), (Some(2), Some(17)));
}

#[test]
fn top_level_must_be_an_object() {
    for text in ["[]", "\"smithy\"", "2", "null"] {
        let error = text_err(text);
        assert_eq!(
            error.to_string(),
            "bad.json:1:1: not a Smithy JSON AST model: the top level must be an object"
        );
    }
}

#[test]
fn the_smithy_version_is_required_and_checked() {
    let error = text_err("{\"shapes\": {}}");
    assert_eq!(
        error.to_string(),
        "bad.json:1:1: not a Smithy JSON AST model: missing `\"smithy\": \"2.0\"`"
    );

    let text = "{\n  \"metadata\": {},\n  \"smithy\": \"3.0\",\n  \"shapes\": {}\n}";
    let error = text_err(text);
    assert_eq!(error.kind, SpecErrorKind::Version("3.0".into()));
    assert_eq!((error.line, error.column), (Some(3), Some(3)));
    assert!(
        error
            .to_string()
            .contains("unsupported Smithy version `3.0`"),
        "{error}"
    );

    let error = text_err("{\"smithy\": 2.0, \"shapes\": {}}");
    assert!(
        error
            .to_string()
            .contains("`smithy` must be a string such as \"2.0\", not 2.0"),
        "{error}"
    );

    for accepted in ["2.0", "2", "1.0", "1"] {
        let text = format!("{{\"smithy\": \"{accepted}\", \"shapes\": {{}}}}");
        let model =
            Model::from_json(&text, "ok.json").unwrap_or_else(|e| panic!("{accepted}: {e}"));
        assert!(model.shapes.is_empty());
    }
}

#[test]
fn shapes_must_be_an_object() {
    let error = text_err("{\"smithy\": \"2.0\",\n\"shapes\": []}");
    assert_eq!(
        error.to_string(),
        "bad.json:2:1: not a Smithy JSON AST model: `shapes` must be an object"
    );
    let error = text_err("{\"smithy\": \"2.0\"}");
    assert_eq!(
        error.to_string(),
        "bad.json:1:1: not a Smithy JSON AST model: missing `shapes`"
    );
}

#[test]
fn shape_errors_name_the_shape_and_its_line() {
    let cases: &[(Value, &str, &str)] = &[
        (
            json!({"ns#Ok": {"type": "string"}, "NoNamespace": {"type": "string"}}),
            "NoNamespace",
            "shape `NoNamespace`: a shape id must be `namespace#Name`",
        ),
        (
            json!({"ns#Ok": {"type": "string"}, "ns#T": {"traits": {}}}),
            "ns#T",
            "shape `ns#T`: missing `type`",
        ),
        (
            json!({"ns#T": {"type": 7}}),
            "ns#T",
            "shape `ns#T`: missing `type`",
        ),
        (
            json!({"ns#T": "string"}),
            "ns#T",
            "shape `ns#T`: a shape must be an object",
        ),
        (
            json!({"ns#T": {"type": "widget"}}),
            "ns#T",
            "shape `ns#T`: unsupported shape type `widget`",
        ),
        (
            json!({"ns#T": {"type": "list"}}),
            "ns#T",
            "shape `ns#T`: missing `member`",
        ),
        (
            json!({"ns#T": {"type": "map", "key": {"target": "smithy.api#String"}}}),
            "ns#T",
            "shape `ns#T`: missing `value`",
        ),
        (
            json!({"ns#T": {"type": "structure", "members": []}}),
            "ns#T",
            "shape `ns#T`: `members` must be an object",
        ),
        (
            json!({"ns#T": {"type": "structure", "members": {"M": {}}}}),
            "ns#T",
            "shape `ns#T$M`: missing `target`",
        ),
        (
            json!({"ns#T": {"type": "string", "traits": []}}),
            "ns#T",
            "shape `ns#T`: `traits` must be an object",
        ),
        (
            json!({"ns#T": {"type": "operation", "errors": {}}}),
            "ns#T",
            "shape `ns#T`: `errors` must be a list of targets",
        ),
        (
            json!({"ns#T": {"type": "resource", "identifiers": []}}),
            "ns#T",
            "shape `ns#T`: `identifiers` must be an object",
        ),
    ];
    for (shapes, shape, message) in cases {
        let text = document(shapes.clone());
        let error = text_err(&text);
        assert_eq!(error.origin, "bad.json");
        assert_eq!(error.kind.to_string(), *message);
        let expected_line = line_of(&text, &format!("\"{shape}\":"));
        assert_eq!(error.line, Some(expected_line), "{error}");
        assert_eq!(error.column, Some(5), "{error}");
    }
}

#[test]
fn unknown_traits_name_the_shape_and_the_trait() {
    let error = load_err(
        json!({"ns#T": {"type": "string", "traits": {"smithy.api#mediaType": "text/plain"}}}),
    );
    assert_eq!(
        error.kind,
        SpecErrorKind::UnsupportedTrait {
            shape: "ns#T".into(),
            trait_id: "smithy.api#mediaType".into()
        }
    );
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#T`: unsupported trait `smithy.api#mediaType`"),
        "{error}"
    );

    let text = document(json!({
        "ns#A": {"type": "string"},
        "ns#S": {"type": "structure", "members": {"member": {"target": "ns#A", "traits": {"acme#custom": {}}}}}
    }));
    let error = text_err(&text);
    assert_eq!(
        error.kind,
        SpecErrorKind::UnsupportedTrait {
            shape: "ns#S$member".into(),
            trait_id: "acme#custom".into()
        }
    );
    assert_eq!(error.line, Some(line_of(&text, "\"ns#S\":")));
    // Traits on enum variants are checked too.
    let error = load_err(
        json!({"ns#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"x#y": 1}}}}}),
    );
    assert!(
        error
            .to_string()
            .contains("shape `ns#E$A`: unsupported trait `x#y`"),
        "{error}"
    );
}

#[test]
fn malformed_trait_values_name_shape_trait_and_problem() {
    let cases: &[(&str, Value, &str)] = &[
        (
            "smithy.api#length",
            json!({"min": -1}),
            "`min` must be a non-negative integer",
        ),
        (
            "smithy.api#length",
            json!({"max": 1.5}),
            "`max` must be a non-negative integer",
        ),
        (
            "smithy.api#length",
            json!({"min": 1, "most": 2}),
            "unknown key `most`",
        ),
        (
            "smithy.api#length",
            json!([1, 2]),
            "expected {\"min\", \"max\"}",
        ),
        (
            "smithy.api#range",
            json!({"min": "1"}),
            "`min` must be a number",
        ),
        (
            "smithy.api#range",
            json!({"max": null}),
            "`max` must be a number",
        ),
        ("smithy.api#range", json!({"low": 1}), "unknown key `low`"),
        (
            "smithy.api#http",
            json!({"uri": "/"}),
            "`method` must be a string",
        ),
        (
            "smithy.api#http",
            json!({"method": "GET"}),
            "`uri` must be a string",
        ),
        (
            "smithy.api#http",
            json!({"method": "GET", "uri": "/", "code": 70000}),
            "`code` must be an HTTP status",
        ),
        (
            "smithy.api#http",
            json!("GET /"),
            "expected {\"method\", \"uri\", \"code\"}",
        ),
        (
            "smithy.api#error",
            json!("fatal"),
            "expected \"client\" or \"server\"",
        ),
        (
            "smithy.api#error",
            json!({}),
            "expected \"client\" or \"server\"",
        ),
        (
            "smithy.api#httpError",
            json!("404"),
            "expected an HTTP status",
        ),
        ("smithy.api#httpError", json!(-1), "expected an HTTP status"),
        (
            "smithy.api#timestampFormat",
            json!("unix"),
            "expected epoch-seconds, date-time or http-date",
        ),
        ("smithy.api#documentation", json!(1), "expected a string"),
        ("smithy.api#pattern", json!(["^a$"]), "expected a string"),
        ("smithy.api#httpQuery", json!({}), "expected a string"),
        ("smithy.api#httpHeader", json!(null), "expected a string"),
        ("smithy.api#jsonName", json!(false), "expected a string"),
        ("aws.auth#sigv4", json!({}), "expected {\"name\": ...}"),
    ];
    for (trait_id, value, problem) in cases {
        let error = load_err(json!({"ns#T": {"type": "string", "traits": {(*trait_id): value}}}));
        assert_eq!(
            error.kind,
            SpecErrorKind::TraitValue {
                shape: "ns#T".into(),
                trait_id: (*trait_id).into(),
                message: (*problem).into()
            },
            "{trait_id} = {value}"
        );
        let shown = error.to_string();
        assert!(
            shown.contains(&format!(
                "shape `ns#T`: trait `{trait_id}` has a malformed value: {problem}"
            )),
            "{shown}"
        );
    }
}

#[test]
fn bounds_with_min_above_max_are_refused_on_the_shape_or_member() {
    // As Smithy does: no value meets them, and boundary cases and schemas built on them mislead.
    let cases = [
        (
            "smithy.api#length",
            json!({"min": 10, "max": 5}),
            "`min` 10 is greater than `max` 5",
        ),
        (
            "smithy.api#range",
            json!({"min": 10, "max": 1}),
            "`min` 10 is greater than `max` 1",
        ),
        (
            "smithy.api#range",
            json!({"min": 1.5, "max": 1.25}),
            "`min` 1.5 is greater than `max` 1.25",
        ),
        (
            "smithy.api#range",
            json!({"min": 0, "max": -0.5}),
            "`min` 0 is greater than `max` -0.5",
        ),
        // Beyond i64 on one side, below zero on the other: compared exactly, not as f64.
        (
            "smithy.api#range",
            json!({"min": u64::MAX, "max": -1}),
            "`min` 18446744073709551615 is greater than `max` -1",
        ),
    ];
    for (trait_id, value, problem) in cases {
        let text = document(json!({
            "ns#S": {"type": "structure", "members": {"M": {"target": "ns#T"}}},
            "ns#T": {"type": "integer", "traits": {trait_id: value.clone()}}
        }));
        let error = text_err(&text);
        assert_eq!(
            error.kind,
            SpecErrorKind::TraitValue {
                shape: "ns#T".into(),
                trait_id: trait_id.into(),
                message: problem.into()
            },
            "{trait_id} = {value}"
        );
        assert_eq!(error.line, Some(line_of(&text, "\"ns#T\":")), "{error}");
        // A member's own trait is named by the member, on its structure's line.
        let text = document(json!({
            "ns#S": {"type": "structure", "members": {
                "M": {"target": "smithy.api#Integer", "traits": {trait_id: value.clone()}}
            }}
        }));
        let error = text_err(&text);
        assert!(
            matches!(&error.kind, SpecErrorKind::TraitValue { shape, .. } if shape == "ns#S$M"),
            "{error:?}"
        );
        assert_eq!(error.line, Some(line_of(&text, "\"ns#S\":")), "{error}");
    }
    // Equal bounds admit one value, and a float bound compares with an integer one.
    let model = load(json!({
        "ns#One": {"type": "string", "traits": {"smithy.api#length": {"min": 3, "max": 3}}},
        "ns#Tight": {"type": "double", "traits": {"smithy.api#range": {"min": 1, "max": 1.0}}},
        "ns#Half": {"type": "double", "traits": {"smithy.api#range": {"min": 0.5, "max": 1}}}
    }));
    assert_eq!(
        model.shape("ns#One").and_then(|s| s.traits.length),
        Some(Bounds {
            min: Some(3),
            max: Some(3)
        })
    );
    assert!(model
        .shape("ns#Tight")
        .and_then(|s| s.traits.range.clone())
        .is_some());
    assert!(model
        .shape("ns#Half")
        .and_then(|s| s.traits.range.clone())
        .is_some());
}

#[test]
fn dangling_targets_name_the_referrer() {
    let text = document(json!({
        "ns#Op": {"type": "operation", "input": {"target": "ns#In"}},
        "ns#In": {"type": "structure", "members": {"Nested": {"target": "ns#Gone"}}}
    }));
    let error = text_err(&text);
    assert_eq!(
        error.to_string(),
        format!(
            "bad.json:{}:5: shape `ns#In$Nested` targets `ns#Gone`, which is not defined",
            line_of(&text, "\"ns#In\":")
        )
    );

    let error =
        load_err(json!({"ns#Op": {"type": "operation", "input": {"target": "ns#Missing"}}}));
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#Op` targets `ns#Missing`, which is not defined"),
        "{error}"
    );
    let error =
        load_err(json!({"ns#Op": {"type": "operation", "output": {"target": "ns#Missing"}}}));
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#Op` targets `ns#Missing`, which is not defined"),
        "{error}"
    );
    let error =
        load_err(json!({"ns#Op": {"type": "operation", "errors": [{"target": "ns#NoSuchError"}]}}));
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#Op` targets `ns#NoSuchError`, which is not defined"),
        "{error}"
    );

    let text = document(json!({
        "ns#Op": {"type": "operation"},
        "ns#Svc": {"type": "service", "operations": [{"target": "ns#Op"}, {"target": "ns#Ghost"}]}
    }));
    let error = text_err(&text);
    assert_eq!(
        error.kind,
        SpecErrorKind::DanglingTarget {
            shape: "ns#Svc".into(),
            target: "ns#Ghost".into()
        }
    );
    assert_eq!(error.line, Some(line_of(&text, "\"ns#Svc\":")));
    let error = load_err(
        json!({"ns#Svc": {"type": "service", "resources": [{"target": "ns#NoResource"}]}}),
    );
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#Svc` targets `ns#NoResource`, which is not defined"),
        "{error}"
    );
    let error = load_err(json!({"ns#R": {"type": "resource", "read": {"target": "ns#NoOp"}}}));
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#R` targets `ns#NoOp`, which is not defined"),
        "{error}"
    );
    let error = load_err(
        json!({"ns#R": {"type": "resource", "identifiers": {"Id": {"target": "ns#NoId"}}}}),
    );
    assert!(
        error
            .to_string()
            .ends_with("shape `ns#R` targets `ns#NoId`, which is not defined"),
        "{error}"
    );
}

#[test]
fn references_must_name_shapes_of_the_right_kind() {
    let cases: &[(Value, &str)] = &[
        (
            json!({"ns#S": {"type": "string"}, "ns#Svc": {"type": "service", "operations": [{"target": "ns#S"}]}}),
            "shape `ns#Svc`: `ns#S` has type `string`, where `operation` is expected",
        ),
        (
            json!({"ns#Op": {"type": "operation"}, "ns#Svc": {"type": "service", "resources": [{"target": "ns#Op"}]}}),
            "shape `ns#Svc`: `ns#Op` has type `operation`, where `resource` is expected",
        ),
        (
            json!({"ns#Op": {"type": "operation", "input": {"target": "smithy.api#String"}}}),
            "shape `ns#Op`: `smithy.api#String` has type `string`, where `structure` is expected",
        ),
        (
            json!({"ns#L": {"type": "list", "member": {"target": "smithy.api#String"}}, "ns#Op": {"type": "operation", "errors": [{"target": "ns#L"}]}}),
            "shape `ns#Op`: `ns#L` has type `list`, where `structure` is expected",
        ),
        (
            json!({"ns#R": {"type": "resource", "operations": [{"target": "smithy.api#Unit"}]}}),
            "shape `ns#R`: `smithy.api#Unit` has type `structure`, where `operation` is expected",
        ),
    ];
    for (shapes, message) in cases {
        let error = load_err(shapes.clone());
        assert_eq!(error.kind.to_string(), *message);
        assert!(error.line.is_some(), "{error}");
    }
}

#[test]
fn select_and_input_members_reject_unknown_and_ambiguous_operations() {
    let model = load(json!({
        "a#Op": {"type": "operation"},
        "b#Op": {"type": "operation"},
        "a#Solo": {"type": "operation"}
    }));
    let error = model.select(&["Nope"]).expect_err("unknown");
    assert_eq!(
        error.to_string(),
        "test.json: unknown operation `Nope`; known: a#Op, b#Op, Solo"
    );
    let error = model.select(&["Op"]).expect_err("ambiguous");
    assert_eq!(
        error.to_string(),
        "test.json: operation name `Op` is ambiguous: a#Op, b#Op"
    );
    // A full id settles it; a shape that is not an operation is not one.
    let selected = model.select(&["b#Op"]).expect("by id");
    assert_eq!(selected.shapes.keys().collect::<Vec<_>>(), ["b#Op"]);
    let error = conform_spec::input_members(&model, "Op").expect_err("ambiguous");
    assert!(matches!(
        error.kind,
        SpecErrorKind::AmbiguousOperation { .. }
    ));
    let error = conform_spec::input_members(&model, "a#Missing").expect_err("unknown");
    assert!(matches!(
        error.kind,
        SpecErrorKind::UnknownOperation { name, .. } if name == "a#Missing"
    ));
}

#[test]
fn select_lists_an_operation_named_twice_once() {
    let model = load(json!({
        "ns#Svc": {"type": "service", "operations": [{"target": "ns#A"}, {"target": "ns#B"}]},
        "ns#A": {"type": "operation"},
        "ns#B": {"type": "operation"}
    }));
    let selected = model.select(&["A", "ns#A", "A"]).expect("select");
    let (_, service) = selected.service().expect("service");
    assert_eq!(service.operations, ["ns#A"]);
    assert_eq!(selected.operation_ids(), ["ns#A"]);
}

#[test]
fn load_reads_files_and_reports_io_errors() {
    let dir = std::env::temp_dir().join(format!("conform-spec-reader-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("model.json");
    std::fs::write(&path, document(json!({"ns#S": {"type": "string"}}))).expect("write");
    let model = Model::load(&path).expect("loads");
    assert_eq!(model.origin, path.display().to_string());
    assert!(model.shape("ns#S").is_some());
    let missing = dir.join("missing.json");
    let error = Model::load(&missing).expect_err("no file");
    assert!(matches!(error.kind, SpecErrorKind::Io(_)));
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: cannot read: ", missing.display())),
        "{error}"
    );
    // Bytes that are not UTF-8 are named where the first one is, in a model or an overlay.
    let latin1 = dir.join("latin1.json");
    std::fs::write(
        &latin1,
        b"{\n  \"smithy\": \"2.0\", \"x\": \"\xc3\xa9\xff\"}",
    )
    .expect("write");
    let error = Model::load(&latin1).expect_err("not UTF-8");
    assert_eq!(
        error.to_string(),
        format!("{}:2:27: not UTF-8 (byte 0xff)", latin1.display())
    );
    let overlay = dir.join("latin1.toml");
    std::fs::write(&overlay, b"# caf\xe9\n").expect("write");
    let error = conform_spec::Overlay::load(&overlay, &model).expect_err("not UTF-8");
    assert_eq!(
        error.to_string(),
        format!("{}:1:6: not UTF-8 (byte 0xe9)", overlay.display())
    );
    std::fs::remove_dir_all(&dir).ok();
}
