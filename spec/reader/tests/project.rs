//! The project's own model (`spec/model/lambda.json`) against the seed API reference page
//! (`shared/seed/CreateEventSourceMapping-API-reference.txt`), and its overlay when present.

use std::collections::BTreeMap;
use std::path::PathBuf;

use conform_spec::{input_members, Bounds, FlatMember, Model, NumericBounds, Overlay};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../model")
}

fn lambda() -> Model {
    Model::load(spec_dir().join("lambda.json")).unwrap_or_else(|e| panic!("{e}"))
}

/// The seed page's "Request Body" members of CreateEventSourceMapping, in its order.
const SEED_MEMBERS: [&str; 25] = [
    "AmazonManagedKafkaEventSourceConfig",
    "BatchSize",
    "BisectBatchOnFunctionError",
    "DestinationConfig",
    "DocumentDBEventSourceConfig",
    "Enabled",
    "EventSourceArn",
    "FilterCriteria",
    "FunctionName",
    "FunctionResponseTypes",
    "KMSKeyArn",
    "MaximumBatchingWindowInSeconds",
    "MaximumRecordAgeInSeconds",
    "MaximumRetryAttempts",
    "ParallelizationFactor",
    "Queues",
    "ScalingConfig",
    "SelfManagedEventSource",
    "SelfManagedKafkaEventSourceConfig",
    "SourceAccessConfigurations",
    "StartingPosition",
    "StartingPositionTimestamp",
    "Tags",
    "Topics",
    "TumblingWindowInSeconds",
];

fn range(min: i64, max: i64) -> Option<NumericBounds> {
    Some(NumericBounds {
        min: Some(min.into()),
        max: Some(max.into()),
    })
}

fn length(min: u64, max: u64) -> Option<Bounds> {
    Some(Bounds {
        min: Some(min),
        max: Some(max),
    })
}

#[test]
fn create_event_source_mapping_has_the_seed_members_and_constraints() {
    let model = lambda();
    let members =
        input_members(&model, "CreateEventSourceMapping").unwrap_or_else(|e| panic!("{e}"));
    let top: Vec<&str> = members
        .iter()
        .filter(|m| m.segments.0.len() == 1)
        .map(|m| m.path.as_str())
        .collect();
    let mut sorted = top.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, SEED_MEMBERS, "the seed lists 25 top-level members");
    let by_path: BTreeMap<&str, &FlatMember> =
        members.iter().map(|m| (m.path.as_str(), m)).collect();

    // "Required: Yes" only for FunctionName.
    let required: Vec<&str> = top
        .iter()
        .copied()
        .filter(|p| by_path[p].required)
        .collect();
    assert_eq!(required, ["FunctionName"]);
    // Every member travels in the JSON body: "The request does not use any URI parameters."
    assert!(top.iter().all(|p| by_path[p].location == "body"));

    let f = by_path["FunctionName"];
    assert_eq!((f.kind.as_str(), f.length), ("string", length(1, 140)));
    assert_eq!(
        f.pattern.as_deref(),
        Some(
            r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"
        )
    );
    assert_eq!(by_path["BatchSize"].range, range(1, 10000));
    assert_eq!(by_path["BatchSize"].kind, "integer");
    assert_eq!(
        by_path["MaximumBatchingWindowInSeconds"].range,
        range(0, 300)
    );
    assert_eq!(
        by_path["MaximumRecordAgeInSeconds"].range,
        range(-1, 604_800)
    );
    assert_eq!(by_path["MaximumRetryAttempts"].range, range(-1, 10000));
    assert_eq!(by_path["ParallelizationFactor"].range, range(1, 10));
    assert_eq!(by_path["TumblingWindowInSeconds"].range, range(0, 900));
    assert_eq!(
        by_path["EventSourceArn"].pattern.as_deref(),
        Some(
            r"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"
        )
    );
    assert_eq!(
        by_path["KMSKeyArn"].pattern.as_deref(),
        Some(r"(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()")
    );
    // Array members and their items.
    assert_eq!(by_path["Queues"].length, length(1, 1));
    assert_eq!(by_path["Queues[]"].length, length(1, 1000));
    assert_eq!(by_path["Queues[]"].pattern.as_deref(), Some(r"[\s\S]*"));
    assert_eq!(by_path["Topics"].length, length(1, 1));
    assert_eq!(by_path["Topics[]"].length, length(1, 249));
    assert_eq!(
        by_path["Topics[]"].pattern.as_deref(),
        Some(r"^[^.]([a-zA-Z0-9\-_.]+)")
    );
    assert_eq!(by_path["SourceAccessConfigurations"].length, length(0, 22));
    assert_eq!(by_path["FunctionResponseTypes"].length, length(0, 1));
    assert_eq!(
        by_path["FunctionResponseTypes[]"].enum_values.as_deref(),
        Some(&["ReportBatchItemFailures".to_owned()][..])
    );
    let mut positions = by_path["StartingPosition"]
        .enum_values
        .clone()
        .expect("enum");
    positions.sort_unstable();
    assert_eq!(positions, ["AT_TIMESTAMP", "LATEST", "TRIM_HORIZON"]);
    assert_eq!(by_path["StartingPositionTimestamp"].kind, "timestamp");
    for (path, kind) in [
        ("Enabled", "boolean"),
        ("BisectBatchOnFunctionError", "boolean"),
        ("Tags", "map"),
        ("FilterCriteria", "structure"),
        ("DestinationConfig", "structure"),
        ("ScalingConfig", "structure"),
    ] {
        assert_eq!(by_path[path].kind, kind, "{path}");
    }
    // Nested members the page links to.
    for nested in [
        "FilterCriteria.Filters[].Pattern",
        "DestinationConfig.OnFailure.Destination",
        "Tags{key}",
        "Tags{value}",
    ] {
        assert!(by_path.contains_key(nested), "{nested}");
    }
}

#[test]
fn the_project_model_has_the_event_source_mapping_family() {
    let model = lambda();
    let (_, service) = model.service().expect("service");
    assert_eq!(service.version, "2015-03-31");
    let ids = model.operation_ids();
    let mut ops: Vec<&str> = ids.iter().map(|id| conform_spec::shape_name(id)).collect();
    ops.sort_unstable();
    assert_eq!(
        ops,
        [
            "CreateEventSourceMapping",
            "DeleteEventSourceMapping",
            "GetEventSourceMapping",
            "ListEventSourceMappings",
            "ListTags",
            "TagResource",
            "UntagResource",
            "UpdateEventSourceMapping",
        ]
    );
    let create = model
        .shape("com.amazonaws.lambda#CreateEventSourceMapping")
        .expect("operation");
    let http = create.traits.http.as_ref().expect("http");
    assert_eq!((http.method.as_str(), http.code), ("POST", 202));
    // The seed's errors and their status codes.
    let (_, op) = model
        .operation("CreateEventSourceMapping")
        .expect("operation");
    let mut errors: Vec<(String, Option<u16>)> = op
        .errors
        .iter()
        .map(|e| {
            (
                conform_spec::shape_name(e).to_owned(),
                model.shape(e).and_then(|s| s.traits.http_error),
            )
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("InvalidParameterValueException".to_owned(), Some(400)),
            ("ResourceConflictException".to_owned(), Some(409)),
            ("ResourceNotFoundException".to_owned(), Some(404)),
            ("ServiceException".to_owned(), Some(500)),
            ("TooManyRequestsException".to_owned(), Some(429)),
        ]
    );
    // Selecting the family keeps every operation and loads nothing dangling.
    let selected = model.select(&model.operation_ids()).expect("select");
    assert_eq!(selected.operation_ids().len(), 8);
}

#[test]
fn the_project_overlay_loads_when_present() {
    let path = spec_dir().join("lambda.overlay.toml");
    if !path.exists() {
        return; // written separately; nothing to check yet
    }
    let model = lambda();
    let overlay = Overlay::load(&path, &model).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        overlay.configuration,
        "com.amazonaws.lambda#EventSourceMappingConfiguration"
    );
    assert!(!overlay.rules.is_empty());
    assert!(
        overlay.rules.windows(2).all(|w| w[0].order <= w[1].order),
        "rules are sorted by order"
    );
}
