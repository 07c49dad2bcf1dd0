//! The reader against a generated AWS-style model of Lambda's size and shape: counts, every trait
//! value against the raw JSON, operations bound only through resources, and `select` closures.

#[path = "support/aws_style.rs"]
mod aws_style;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use aws_style::{id, AwsStyle, NS, SERVICE_NAME};
use conform_spec::{
    input_members, Bounds, ErrorFault, Member, Model, NumericBounds, ShapeKind, Traits,
};
use serde_json::{Map, Value};

fn fixture() -> &'static (AwsStyle, Model, Value) {
    static FIXTURE: OnceLock<(AwsStyle, Model, Value)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let generated = aws_style::generate();
        let model =
            Model::from_json(&generated.json, "aws-style.json").unwrap_or_else(|e| panic!("{e}"));
        let raw: Value = serde_json::from_str(&generated.json).expect("generated JSON parses");
        (generated, model, raw)
    })
}

/// The census of `smithy-json-ast.md`: shapes by type.
const CENSUS_TYPES: &[(&str, usize)] = &[
    ("structure", 317),
    ("string", 100),
    ("operation", 85),
    ("list", 45),
    ("enum", 45),
    ("integer", 36),
    ("boolean", 10),
    ("resource", 10),
    ("map", 4),
    ("blob", 3),
    ("double", 3),
    ("timestamp", 2),
    ("long", 2),
    ("service", 1),
    ("union", 1),
];

const CENSUS_SHAPE_TRAITS: &[&str] = &[
    "smithy.api#tags",
    "smithy.api#documentation",
    "smithy.api#length",
    "aws.iam#iamAction",
    "smithy.api#http",
    "smithy.api#input",
    "smithy.api#pattern",
    "smithy.api#output",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#examples",
    "smithy.api#range",
    "smithy.api#readonly",
    "aws.iam#conditionKeys",
    "smithy.api#paginated",
    "smithy.api#sensitive",
    "smithy.api#idempotent",
    "smithy.api#suppress",
    "smithy.api#default",
    "aws.api#arn",
    "aws.iam#iamResource",
    "aws.api#data",
    "smithy.api#deprecated",
    "smithy.api#streaming",
    "smithy.waiters#waitable",
    "smithy.test#smokeTests",
];

const CENSUS_SERVICE_TRAITS: &[&str] = &[
    "aws.api#service",
    "aws.api#tagEnabled",
    "aws.auth#sigv4",
    "aws.iam#defineConditionKeys",
    "aws.iam#disableConditionKeyInference",
    "aws.iam#supportedPrincipalTypes",
    "aws.protocols#restJson1",
    "smithy.api#title",
    "smithy.rules#endpointBdd",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
];

const CENSUS_MEMBER_TRAITS: &[&str] = &[
    "smithy.api#tags",
    "smithy.api#documentation",
    "smithy.api#enumValue",
    "smithy.api#required",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#default",
    "smithy.api#httpHeader",
    "smithy.api#httpPayload",
    "smithy.api#range",
    "smithy.api#resourceIdentifier",
    "smithy.api#httpResponseCode",
    "smithy.api#idempotencyToken",
    "smithy.api#eventPayload",
    "smithy.api#length",
];

fn raw_shapes(raw: &Value) -> &Map<String, Value> {
    raw["shapes"].as_object().expect("shapes")
}

/// The members of a raw shape as `(name, member)`, for every member-bearing type.
fn raw_members(shape: &Value) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = Vec::new();
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        out.extend(members.iter().map(|(n, m)| (n.clone(), m)));
    }
    for key in ["member", "key", "value"] {
        if let Some(m) = shape.get(key) {
            out.push((key.to_owned(), m));
        }
    }
    out
}

#[test]
fn the_generator_matches_the_census() {
    let (generated, _, raw) = fixture();
    let shapes = raw_shapes(raw);
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shape_traits: BTreeSet<&str> = BTreeSet::new();
    let mut member_traits: BTreeSet<&str> = BTreeSet::new();
    for shape in shapes.values() {
        *by_type
            .entry(shape["type"].as_str().expect("type"))
            .or_default() += 1;
        if let Some(traits) = shape.get("traits").and_then(Value::as_object) {
            shape_traits.extend(traits.keys().map(String::as_str));
        }
        for (_, m) in raw_members(shape) {
            if let Some(traits) = m.get("traits").and_then(Value::as_object) {
                member_traits.extend(traits.keys().map(String::as_str));
            }
        }
    }
    let census: BTreeMap<&str, usize> = CENSUS_TYPES.iter().copied().collect();
    assert_eq!(by_type, census);
    assert_eq!(shapes.len(), 664);
    for t in CENSUS_SHAPE_TRAITS.iter().chain(CENSUS_SERVICE_TRAITS) {
        assert!(shape_traits.contains(t), "no shape carries {t}");
    }
    for t in CENSUS_MEMBER_TRAITS {
        assert!(member_traits.contains(t), "no member carries {t}");
    }
    assert_eq!(generated.counts.values().sum::<usize>(), 664);
    // About 1 MB, like AWS's file.
    assert!(
        (900_000..1_400_000).contains(&generated.json.len()),
        "{} bytes",
        generated.json.len()
    );
    assert_eq!(
        aws_style::generate().json,
        generated.json,
        "the generator is deterministic"
    );
}

#[test]
fn the_large_model_loads_with_the_generated_counts() {
    let (generated, model, _) = fixture();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for shape in model
        .shapes
        .values()
        .filter(|s| s.id.starts_with(&format!("{NS}#")))
    {
        *by_type
            .entry(shape.kind.type_name().to_owned())
            .or_default() += 1;
    }
    assert_eq!(by_type, generated.counts);
    // Unit outputs become `None` and enum members are not followed, so no prelude shape is added.
    let others: Vec<&str> = model
        .shapes
        .keys()
        .map(String::as_str)
        .filter(|id| !id.starts_with(NS))
        .collect();
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(model.operations().count(), 85);
    let (service, _) = model.service().expect("service");
    assert_eq!(service.id, id(SERVICE_NAME));
    assert!(service.traits.rest_json1);
    assert_eq!(service.traits.sigv4_name.as_deref(), Some("awsstyle"));
}

fn expected_bounds(value: Option<&Value>) -> Option<Bounds> {
    value.map(|v| Bounds {
        min: v.get("min").map(|n| n.as_u64().expect("min")),
        max: v.get("max").map(|n| n.as_u64().expect("max")),
    })
}

fn expected_range(value: Option<&Value>) -> Option<NumericBounds> {
    value.map(|v| NumericBounds {
        min: v.get("min").map(|n| n.as_number().expect("min").clone()),
        max: v.get("max").map(|n| n.as_number().expect("max").clone()),
    })
}

fn text(value: Option<&Value>) -> Option<String> {
    value.map(|v| v.as_str().expect("string trait").to_owned())
}

#[test]
fn every_trait_value_matches_the_raw_json() {
    let (_, model, raw) = fixture();
    let shapes = raw_shapes(raw);
    let traits_of = |v: &Value| {
        v.get("traits")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut members_checked = 0;
    for (shape_id, raw_shape) in shapes {
        let shape = model
            .shape(shape_id)
            .unwrap_or_else(|| panic!("{shape_id} not loaded"));
        let t = traits_of(raw_shape);
        let ir = &shape.traits;
        assert_eq!(
            ir.documentation,
            text(t.get("smithy.api#documentation")),
            "{shape_id}"
        );
        assert_eq!(
            ir.length,
            expected_bounds(t.get("smithy.api#length")),
            "{shape_id}"
        );
        assert_eq!(
            ir.range,
            expected_range(t.get("smithy.api#range")),
            "{shape_id}"
        );
        assert_eq!(ir.pattern, text(t.get("smithy.api#pattern")), "{shape_id}");
        assert_eq!(
            ir.sensitive,
            t.contains_key("smithy.api#sensitive"),
            "{shape_id}"
        );
        assert_eq!(
            ir.default,
            t.get("smithy.api#default").cloned(),
            "{shape_id}"
        );
        assert_eq!(
            ir.http_error,
            t.get("smithy.api#httpError")
                .map(|v| v.as_u64().expect("status") as u16),
            "{shape_id}"
        );
        let fault = t.get("smithy.api#error").map(|v| match v.as_str() {
            Some("client") => ErrorFault::Client,
            Some("server") => ErrorFault::Server,
            other => panic!("{other:?}"),
        });
        assert_eq!(ir.error, fault, "{shape_id}");
        match t.get("smithy.api#http") {
            Some(http) => {
                let binding = ir
                    .http
                    .as_ref()
                    .unwrap_or_else(|| panic!("{shape_id} lost http"));
                assert_eq!(binding.method, http["method"].as_str().expect("method"));
                assert_eq!(binding.uri, http["uri"].as_str().expect("uri"));
                assert_eq!(
                    u64::from(binding.code),
                    http["code"].as_u64().expect("code")
                );
            }
            None => assert_eq!(ir.http, None, "{shape_id}"),
        }

        let ir_members: Vec<&Member> = match &shape.kind {
            ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                members.iter().collect()
            }
            ShapeKind::List { member } => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            ShapeKind::Enum { variants } => {
                let raw_variants = raw_shape["members"].as_object().expect("enum members");
                let expected: Vec<(String, String)> = raw_variants
                    .iter()
                    .map(|(n, m)| {
                        (
                            n.clone(),
                            m["traits"]["smithy.api#enumValue"]
                                .as_str()
                                .expect("value")
                                .to_owned(),
                        )
                    })
                    .collect();
                let found: Vec<(String, String)> = variants
                    .iter()
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect();
                assert_eq!(found, expected, "{shape_id}");
                continue;
            }
            _ => continue,
        };
        let raw_list = raw_members(raw_shape);
        assert_eq!(ir_members.len(), raw_list.len(), "{shape_id}");
        for (ir_member, (name, raw_member)) in ir_members.iter().zip(raw_list) {
            assert_eq!(ir_member.name, name);
            let target_id = raw_member["target"].as_str().expect("target");
            assert_eq!(ir_member.target, target_id);
            let own = traits_of(raw_member);
            let target = shapes.get(target_id).map(traits_of).unwrap_or_default();
            // The member's trait, else the target's.
            let either = |key: &str| own.get(key).or_else(|| target.get(key));
            let ir = &ir_member.traits;
            let at = format!("{shape_id}${name}");
            assert_eq!(
                ir.length,
                expected_bounds(either("smithy.api#length")),
                "{at}"
            );
            assert_eq!(ir.range, expected_range(either("smithy.api#range")), "{at}");
            assert_eq!(ir.pattern, text(either("smithy.api#pattern")), "{at}");
            assert_eq!(
                ir.documentation,
                text(either("smithy.api#documentation")),
                "{at}"
            );
            assert_eq!(ir.default, either("smithy.api#default").cloned(), "{at}");
            assert_eq!(
                ir.sensitive,
                own.contains_key("smithy.api#sensitive")
                    || target.contains_key("smithy.api#sensitive"),
                "{at}"
            );
            // These apply to the member alone.
            assert_eq!(ir.required, own.contains_key("smithy.api#required"), "{at}");
            assert_eq!(
                ir.http_label,
                own.contains_key("smithy.api#httpLabel"),
                "{at}"
            );
            assert_eq!(ir.http_query, text(own.get("smithy.api#httpQuery")), "{at}");
            assert_eq!(
                ir.http_header,
                text(own.get("smithy.api#httpHeader")),
                "{at}"
            );
            assert_eq!(
                ir.http_payload,
                own.contains_key("smithy.api#httpPayload"),
                "{at}"
            );
            assert_eq!(
                ir.http_response_code,
                own.contains_key("smithy.api#httpResponseCode"),
                "{at}"
            );
            members_checked += 1;
        }
    }
    assert!(members_checked > 1000, "{members_checked} members checked");
}

#[test]
fn operation_ids_include_operations_bound_only_through_resources() {
    let (generated, model, _) = fixture();
    let ids = model.operation_ids();
    assert_eq!(
        ids.len(),
        85,
        "each operation once, though some are bound twice"
    );
    let found: BTreeSet<&String> = ids.iter().collect();
    let expected: BTreeSet<&String> = generated.operations.iter().collect();
    assert_eq!(found, expected);
    // The service's own list comes first, in its order.
    assert_eq!(
        ids[..generated.service_operations.len()],
        generated.service_operations[..]
    );
    // Then the resources' operations, depth first through nested resources; the file lists
    // shapes alphabetically, so model order would differ.
    assert_eq!(
        ids[generated.service_operations.len()..],
        generated.resource_only[..]
    );
    assert!(
        generated.resource_only.len() > 40,
        "{}",
        generated.resource_only.len()
    );
    for op in &generated.resource_only {
        assert!(ids.contains(op), "{op}");
    }
    // A nested resource's operation: Function > UrlConfig.
    let nested = id("DeleteUrlConfig");
    assert!(generated.resource_only.contains(&nested));
    let (_, service) = model.service().expect("service");
    assert!(!service.operations.contains(&nested));
}

fn assert_select_is_the_closure(generated: &AwsStyle, model: &Model, name: &str) {
    let op_id = id(name);
    let selected = model.select(&[name]).unwrap_or_else(|e| panic!("{e}"));
    let mut expected = generated.closure(&op_id);
    expected.insert(id(SERVICE_NAME));
    let found: BTreeSet<String> = selected.shapes.keys().cloned().collect();
    assert_eq!(found, expected, "select({name})");
    let (service_shape, service) = selected.service().expect("narrowed service");
    assert_eq!(service.operations, std::slice::from_ref(&op_id));
    assert!(service.resources.is_empty());
    assert_eq!(service.version, "2015-03-31");
    assert_eq!(
        service_shape.traits,
        model.service().expect("service").0.traits
    );
    // Kept shapes are unchanged.
    for (shape_id, shape) in &selected.shapes {
        if shape_id != &service_shape.id {
            assert_eq!(Some(shape), model.shape(shape_id), "{shape_id}");
        }
    }
    assert_eq!(selected.operation_ids(), [op_id]);
}

#[test]
fn select_returns_exactly_the_closure_of_an_operation() {
    let (generated, model, _) = fixture();
    for name in [
        "Invoke",
        "InvokeWithResponseStream",
        "ListTags",
        "UpdateFunction",
        "GetAccountSettings",
    ] {
        assert_select_is_the_closure(generated, model, name);
    }
    // Spot-check one closure by hand: ListTags reaches its input and output, the tag map with
    // its key and value strings, the FunctionArn label and its errors.
    let selected = model.select(&["ListTags"]).expect("select");
    for shape in [
        "ListTagsRequest",
        "ListTagsResponse",
        "Tags",
        "TagKey",
        "TagValue",
        "FunctionArn",
        "ServiceException",
    ] {
        assert!(selected.shape(&id(shape)).is_some(), "{shape}");
    }
    for shape in ["Invoke", "FunctionConfiguration", "ResponseStream", "Blob"] {
        assert!(selected.shape(&id(shape)).is_none(), "{shape}");
    }
}

#[test]
fn operations_reachable_only_through_resources_are_selectable() {
    let (generated, model, _) = fixture();
    for name in [
        "CreateUrlConfig",
        "ListLayerVersions",
        "PutEventSourceMappingPolicy",
        "DeleteAlias",
    ] {
        assert!(
            generated.resource_only.contains(&id(name)),
            "{name} should be resource-only"
        );
        assert_select_is_the_closure(generated, model, name);
    }
    let several = model
        .select(&["CreateUrlConfig", "Invoke"])
        .expect("select");
    let (_, service) = several.service().expect("service");
    assert_eq!(service.operations, [id("CreateUrlConfig"), id("Invoke")]);
    let union: BTreeSet<String> = generated
        .closure(&id("CreateUrlConfig"))
        .into_iter()
        .chain(generated.closure(&id("Invoke")))
        .collect();
    let found: BTreeSet<String> = several
        .shapes
        .keys()
        .filter(|k| **k != id(SERVICE_NAME))
        .cloned()
        .collect();
    assert_eq!(found, union);
}

#[test]
fn input_members_of_a_large_operation() {
    let (_, model, _) = fixture();
    let members = input_members(model, "UpdateAlias").expect("members");
    let by_path: BTreeMap<&str, &conform_spec::FlatMember> =
        members.iter().map(|m| (m.path.as_str(), m)).collect();
    // Labels from both resources' identifiers.
    assert_eq!(by_path["FunctionName"].location, "label");
    assert!(by_path["FunctionName"].required);
    assert_eq!(by_path["Name"].location, "label");
    assert_eq!(by_path["Name"].shape, id("AliasName"));
    assert_eq!(by_path["RevisionId"].location, "header:X-Amz-Revision");
    // The member's range narrows the target's 1..10000.
    let batch = by_path["BatchSize"];
    assert_eq!(
        batch.range,
        Some(NumericBounds {
            min: Some(1.into()),
            max: Some(10.into())
        })
    );
    assert_eq!(batch.kind, "integer");
    let settings: Vec<&str> = by_path
        .keys()
        .copied()
        .filter(|p| p.starts_with("Settings."))
        .collect();
    assert!(settings.len() >= 3, "{settings:?}");
    assert!(settings.iter().all(|p| by_path[p].location == "body"));
    let list = input_members(model, "ListAliases").expect("members");
    let max_items = list
        .iter()
        .find(|m| m.path == "MaxItems")
        .expect("MaxItems");
    assert_eq!(max_items.location, "query:MaxItems");
    assert_eq!(
        max_items.range,
        Some(NumericBounds {
            min: Some(1.into()),
            max: Some(50.into())
        })
    );
    // Traits the reader ignores leave nothing behind.
    let create = model.shape(&id("CreateFunctionRequest")).expect("input");
    assert_eq!(create.traits, Traits::default());
}
