//! No input makes the reader panic or hang: arbitrary text and JSON, mutated documents, and
//! generated models that get past loading so that select, members, diff and lint run too; the
//! same for overlays. `PROPTEST_CASES` sets the number of cases (BENCHMARKS.md has a long run).

use std::collections::BTreeSet;

use conform_spec::{diff, input_members, lint, MemberPath, Model, Overlay, ShapeKind};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use serde_json::{json, Map, Value};

/// Few cases by default so `cargo test` stays fast; `PROPTEST_CASES` overrides.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    // Integration tests have no lib.rs beside them; keep failing seeds next to this file.
    config.failure_persistence = Some(Box::new(FileFailurePersistence::WithSource("regressions")));
    config
}

// --- vocabulary --------------------------------------------------------------------------------

const KEYS: &[&str] = &[
    "smithy",
    "shapes",
    "metadata",
    "type",
    "members",
    "member",
    "key",
    "value",
    "target",
    "traits",
    "input",
    "output",
    "errors",
    "operations",
    "resources",
    "identifiers",
    "create",
    "put",
    "read",
    "update",
    "delete",
    "list",
    "collectionOperations",
    "version",
    "min",
    "max",
    "method",
    "uri",
    "code",
    "name",
    "a#A",
    "a#Op",
];

const WORDS: &[&str] = &[
    "2.0",
    "1.0",
    "3",
    "structure",
    "union",
    "list",
    "set",
    "map",
    "enum",
    "intEnum",
    "operation",
    "service",
    "resource",
    "string",
    "integer",
    "timestamp",
    "document",
    "smithy.api#String",
    "smithy.api#Unit",
    "smithy.api#PrimitiveInteger",
    "a#A",
    "a#Op",
    "smithy.api#required",
    "smithy.api#length",
    "client",
    "GET",
    "/x",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(WORDS).prop_map(|w| Value::String(w.to_owned())),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        let key =
            prop_oneof![3 => prop::sample::select(KEYS).prop_map(str::to_owned), 1 => ".{0,8}"];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A small valid document to mutate.
fn seed_document() -> String {
    serde_json::to_string_pretty(&json!({"smithy": "2.0", "shapes": {
        "a#Op": {"type": "operation", "input": {"target": "a#In"}, "errors": [{"target": "a#Err"}],
                 "traits": {"smithy.api#http": {"method": "GET", "uri": "/{Id}", "code": 200}}},
        "a#In": {"type": "structure", "members": {
            "Id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Tags": {"target": "a#Tags"}, "Ü": {"target": "a#E"}}},
        "a#Tags": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "a#L"}},
        "a#L": {"type": "list", "member": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#range": {"min": 1}}}},
        "a#E": {"type": "enum", "members": {"X": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}}}},
        "a#Err": {"type": "structure", "traits": {"smithy.api#error": "client", "smithy.api#httpError": 400}}
    }}))
    .expect("serializes")
}

#[derive(Debug, Clone)]
enum Edit {
    Truncate(usize),
    Insert(usize, char),
    Delete(usize, usize),
    Replace(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    let ch = prop_oneof![
        prop::sample::select(
            &['{', '}', '[', ']', '"', ':', ',', '\\', '#', '$', '0', '-', ' ', '\n', 'é'][..]
        ),
        any::<char>()
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), ch.clone()).prop_map(|(at, c)| Edit::Insert(at, c)),
        (any::<usize>(), 1usize..20).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), ch).prop_map(|(at, c)| Edit::Replace(at, c)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let len = chars.len().max(1);
        match *e {
            Edit::Truncate(at) => chars.truncate(at % len),
            Edit::Insert(at, c) => chars.insert(at % (chars.len() + 1), c),
            Edit::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(chars.len());
                chars.drain(start.min(end)..end);
            }
            Edit::Replace(at, c) => {
                if !chars.is_empty() {
                    chars[at % len] = c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

// --- generated models that often load ----------------------------------------------------------

const IDS: &[&str] = &[
    "a#A", "a#B", "a#C", "a#Op", "b#Op", "a#Svc", "a#R", "a#R2", "a#E", "a#L", "a#M", "a#Ü",
];
const OTHER_TARGETS: &[&str] = &[
    "smithy.api#String",
    "smithy.api#Unit",
    "smithy.api#PrimitiveInteger",
    "smithy.api#Timestamp",
    "smithy.api#Nope",
    "a#Missing",
    "NoHash",
    "",
];
const TYPES: &[&str] = &[
    "structure",
    "structure",
    "union",
    "list",
    "set",
    "map",
    "enum",
    "intEnum",
    "operation",
    "operation",
    "service",
    "resource",
    "string",
    "integer",
    "long",
    "blob",
    "timestamp",
    "document",
    "double",
    "bigDecimal",
    "boolean",
    "widget",
];
const MEMBER_NAMES: &[&str] = &["A", "B", "Next", "Items", "x_1", "Ü", "member"];

/// Trait values, valid ones first.
fn traits_table() -> Vec<(&'static str, Value)> {
    vec![
        ("smithy.api#required", json!({})),
        ("smithy.api#length", json!({"min": 1, "max": 5})),
        ("smithy.api#range", json!({"min": 0, "max": 10.5})),
        ("smithy.api#pattern", json!("^[a-z]+$")),
        ("smithy.api#pattern", json!("[\\s\\S]*")),
        ("smithy.api#pattern", json!("^$|arn:.*")),
        ("smithy.api#pattern", json!("^(?!x)y")),
        ("smithy.api#pattern", json!("((")),
        ("smithy.api#http", json!({"method": "GET", "uri": "/x/{A}"})),
        ("smithy.api#httpLabel", json!({})),
        ("smithy.api#httpQuery", json!("q")),
        ("smithy.api#httpHeader", json!("X-H")),
        ("smithy.api#httpPayload", json!({})),
        ("smithy.api#httpError", json!(404)),
        ("smithy.api#error", json!("client")),
        ("smithy.api#enumValue", json!("V")),
        ("smithy.api#enumValue", json!(3)),
        ("smithy.api#default", json!(0)),
        ("smithy.api#sensitive", json!({})),
        ("smithy.api#documentation", json!("<p>d</p>")),
        ("smithy.api#timestampFormat", json!("epoch-seconds")),
        ("smithy.api#jsonName", json!("j")),
        ("smithy.api#tags", json!(["t"])),
        ("aws.auth#sigv4", json!({"name": "n"})),
        ("aws.protocols#restJson1", json!({})),
        // Invalid from here.
        ("smithy.api#length", json!({"min": -1})),
        ("smithy.api#range", json!({"min": "x"})),
        ("smithy.api#http", json!({"uri": "/"})),
        ("smithy.api#httpError", json!("x")),
        ("smithy.api#error", json!("boom")),
        ("acme#unknown", json!({})),
        ("smithy.api#timestampFormat", json!(1)),
    ]
}
const VALID_TRAITS: usize = 25;

#[derive(Debug, Clone, Copy)]
enum Pick {
    Defined(usize),
    Other(usize),
}

#[derive(Debug, Clone)]
struct ShapePlan {
    ty: usize,
    members: Vec<(usize, Pick, Vec<usize>)>,
    traits: Vec<usize>,
    refs: Vec<Pick>,
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![12 => any::<usize>().prop_map(Pick::Defined), 1 => any::<usize>().prop_map(Pick::Other)]
}

fn trait_index() -> impl Strategy<Value = usize> {
    prop_oneof![20 => 0..VALID_TRAITS, 1 => 0..traits_table().len()]
}

fn shape_plan() -> impl Strategy<Value = ShapePlan> {
    // An unknown type fails the whole model, so it is rare.
    let ty = prop_oneof![40 => 0..TYPES.len() - 1, 1 => Just(TYPES.len() - 1)];
    (
        ty,
        prop::collection::vec(
            (
                any::<usize>(),
                pick(),
                prop::collection::vec(trait_index(), 0..3),
            ),
            0..4,
        ),
        prop::collection::vec(trait_index(), 0..3),
        prop::collection::vec(pick(), 0..5),
    )
        .prop_map(|(ty, members, traits, refs)| ShapePlan {
            ty,
            members,
            traits,
            refs,
        })
}

fn model_plan() -> impl Strategy<Value = Vec<ShapePlan>> {
    // Mostly an operation and a structure for it, so select and members have work to do.
    (prop::collection::vec(shape_plan(), 1..IDS.len()), 0..10u8).prop_map(|(mut plan, dice)| {
        if dice < 7 {
            plan[0].ty = TYPES
                .iter()
                .position(|t| *t == "operation")
                .expect("operation");
            if let Some(second) = plan.get_mut(1) {
                second.ty = 0;
            }
        }
        plan
    })
}

/// Turns a plan into a document. References prefer a defined shape of the kind they need, so
/// many plans load and the code past loading runs.
fn build(plan: &[ShapePlan]) -> String {
    let table = traits_table();
    let types: Vec<&str> = plan.iter().map(|s| TYPES[s.ty]).collect();
    let target = |p: Pick, wanted: &[&str]| -> String {
        match p {
            Pick::Defined(k) => {
                let fitting: Vec<usize> = (0..plan.len())
                    .filter(|&i| wanted.contains(&types[i]))
                    .collect();
                let i = if fitting.is_empty() {
                    k % plan.len()
                } else {
                    fitting[k % fitting.len()]
                };
                IDS[i].to_owned()
            }
            Pick::Other(k) => OTHER_TARGETS[k % OTHER_TARGETS.len()].to_owned(),
        }
    };
    let traits = |indexes: &[usize]| -> Value {
        Value::Object(
            indexes
                .iter()
                .map(|&i| (table[i].0.to_owned(), table[i].1.clone()))
                .collect(),
        )
    };
    const DATA: &[&str] = &[
        "structure",
        "union",
        "list",
        "set",
        "map",
        "enum",
        "intEnum",
        "string",
        "integer",
        "long",
        "blob",
        "timestamp",
        "document",
        "double",
        "bigDecimal",
        "boolean",
    ];
    let mut shapes = Map::new();
    for (i, s) in plan.iter().enumerate() {
        let ty = types[i];
        let mut shape = Map::new();
        shape.insert("type".into(), json!(ty));
        shape.insert("traits".into(), traits(&s.traits));
        let member = |(name, p, t): &(usize, Pick, Vec<usize>)| {
            let target = if ty == "enum" || ty == "intEnum" {
                "smithy.api#Unit".to_owned()
            } else {
                target(*p, DATA)
            };
            let mut traits = traits(t);
            if ty == "enum" && name % 3 != 0 {
                traits["smithy.api#enumValue"] = json!(format!("V{name}"));
            }
            if ty == "intEnum" && name % 5 != 0 {
                traits["smithy.api#enumValue"] = json!(*name as i64 % 100);
            }
            (
                MEMBER_NAMES[name % MEMBER_NAMES.len()].to_owned(),
                json!({"target": target, "traits": traits}),
            )
        };
        let refs = |wanted: &[&str]| -> Vec<Value> {
            s.refs
                .iter()
                .map(|p| json!({"target": target(*p, wanted)}))
                .collect()
        };
        match ty {
            "structure" | "union" | "enum" | "intEnum" => {
                shape.insert(
                    "members".into(),
                    Value::Object(s.members.iter().map(member).collect()),
                );
            }
            // Lists and maps mostly get the members they need; sometimes one is missing.
            "list" | "set" => {
                let fallback = (i, Pick::Defined(i), Vec::new());
                match s.members.first() {
                    Some(m) => shape.insert("member".into(), member(m).1),
                    None if s.refs.len() < 4 => shape.insert("member".into(), member(&fallback).1),
                    None => None,
                };
            }
            "map" => {
                let fallback = (i, Pick::Defined(i + 1), Vec::new());
                let missing = s.refs.len() == 4;
                for (n, key) in ["key", "value"].into_iter().enumerate() {
                    match s.members.get(n) {
                        Some(m) => shape.insert(key.into(), member(m).1),
                        None if !missing => shape.insert(key.into(), member(&fallback).1),
                        None => None,
                    };
                }
            }
            "operation" => {
                let mut r = refs(&["structure"]).into_iter();
                if let Some(input) = r.next() {
                    shape.insert("input".into(), input);
                }
                if let Some(output) = r.next() {
                    shape.insert("output".into(), output);
                }
                shape.insert("errors".into(), Value::Array(r.collect()));
            }
            "service" => {
                shape.insert("version".into(), json!("2020-01-01"));
                shape.insert("operations".into(), Value::Array(refs(&["operation"])));
                let resources: Vec<Value> = refs(&["resource"]).into_iter().take(2).collect();
                shape.insert("resources".into(), Value::Array(resources));
            }
            "resource" => {
                let ops = refs(&["operation"]);
                for (key, op) in ["read", "create", "list"].iter().zip(&ops) {
                    shape.insert((*key).into(), op.clone());
                }
                shape.insert(
                    "operations".into(),
                    Value::Array(ops.into_iter().skip(3).collect()),
                );
                shape.insert(
                    "resources".into(),
                    Value::Array(refs(&["resource"]).into_iter().take(2).collect()),
                );
                if let Some(id) = refs(&["string"]).first() {
                    shape.insert("identifiers".into(), json!({"Id": id}));
                }
            }
            _ => {}
        }
        shapes.insert(IDS[i].to_owned(), Value::Object(shape));
    }
    serde_json::to_string_pretty(&json!({"smithy": "2.0", "shapes": shapes})).expect("serializes")
}

/// Runs everything past loading and checks what must hold of any loaded model.
fn exercise(model: &Model) {
    let ids = model.operation_ids();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "operation ids are unique"
    );
    for id in &ids {
        let (shape, _) = model
            .operation(id)
            .unwrap_or_else(|e| panic!("operation_ids gave {id}: {e}"));
        assert_eq!(&shape.id, id);
        let selected = model
            .select(&[id])
            .unwrap_or_else(|e| panic!("select {id}: {e}"));
        assert_closed(&selected);
        assert_eq!(selected.operation_ids(), std::slice::from_ref(id));
        let members = input_members(model, id).unwrap_or_else(|e| panic!("members of {id}: {e}"));
        let selected_members = input_members(&selected, id).expect("members of the selection");
        assert_eq!(
            members, selected_members,
            "the selection keeps every input member"
        );
        for m in &members {
            let (_, op) = model.operation(id).expect("operation");
            let input = op.input.as_deref().expect("members imply an input");
            assert_eq!(
                m.segments.resolve(model, input),
                Ok(m.shape.as_str()),
                "{}",
                m.path
            );
        }
    }
    let _ = lint(model);
    assert_eq!(
        diff(model, model).expect("diff"),
        [],
        "a model does not differ from itself"
    );
    for shape in model.shapes.values() {
        if let ShapeKind::Structure { .. } = shape.kind {
            for path in [
                "A",
                "A.B",
                "Next.Next[]",
                "Items[].A",
                "member{key}",
                "Ü",
                "A{value}[]",
            ] {
                if let Ok(parsed) = MemberPath::parse(path) {
                    let _ = parsed.resolve(model, &shape.id);
                }
            }
        }
    }
}

/// Every shape a kept shape refers to is kept.
fn assert_closed(model: &Model) {
    for shape in model.shapes.values() {
        let targets: Vec<&String> = match &shape.kind {
            ShapeKind::Structure { members } | ShapeKind::Union { members } => {
                members.iter().map(|m| &m.target).collect()
            }
            ShapeKind::List { member } => vec![&member.target],
            ShapeKind::Map { key, value } => vec![&key.target, &value.target],
            ShapeKind::Operation(op) => op
                .input
                .iter()
                .chain(&op.output)
                .chain(&op.errors)
                .collect(),
            _ => Vec::new(),
        };
        for target in targets {
            assert!(
                model.shapes.contains_key(target),
                "{} refers to {target}, which select dropped",
                shape.id
            );
        }
    }
}

fn try_load(text: &str) -> Option<Model> {
    match Model::from_json(text, "fuzz.json") {
        Ok(model) => Some(model),
        Err(error) => {
            // Messages render, and positions are 1-based.
            let _ = error.to_string();
            assert!(
                error.line.is_none_or(|l| l >= 1) && error.column.is_none_or(|c| c >= 1),
                "{error:?}"
            );
            None
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        if let Some(model) = try_load(&text) {
            exercise(&model);
        }
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value(), wrap in any::<bool>()) {
        let document = if wrap { json!({"smithy": "2.0", "shapes": value}) } else { value };
        if let Some(model) = try_load(&document.to_string()) {
            exercise(&model);
        }
    }

    #[test]
    fn mutated_documents_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        if let Some(model) = try_load(&apply(&seed_document(), &edits)) {
            exercise(&model);
        }
    }

    #[test]
    fn generated_models_never_panic(plan in model_plan()) {
        if let Some(model) = try_load(&build(&plan)) {
            exercise(&model);
        }
    }
}

#[test]
fn generated_models_mostly_load() {
    // The generator is only useful if it gets past loading; count how often it does.
    let mut runner = TestRunner::deterministic();
    let strategy = model_plan();
    let (mut loaded, mut with_operations) = (0, 0);
    for _ in 0..400 {
        let plan = strategy.new_tree(&mut runner).expect("plan").current();
        if let Some(model) = try_load(&build(&plan)) {
            loaded += 1;
            if model.operations().count() > 0 {
                with_operations += 1;
            }
        }
    }
    assert!(
        loaded >= 120,
        "only {loaded} of 400 generated models loaded"
    );
    assert!(
        with_operations >= 100,
        "only {with_operations} loaded models had operations"
    );
}

// --- overlays ----------------------------------------------------------------------------------

fn overlay_model() -> Model {
    let text = serde_json::to_string(&json!({"smithy": "2.0", "shapes": {
        "a#Create": {"type": "operation", "input": {"target": "a#In"}, "output": {"target": "a#Conf"},
                     "errors": [{"target": "a#Bad"}]},
        "a#Ping": {"type": "operation"},
        "a#In": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String"}, "Size": {"target": "smithy.api#Integer"},
            "List": {"target": "a#List"}, "Map": {"target": "a#Map"}}},
        "a#Conf": {"type": "structure", "members": {"Name": {"target": "smithy.api#String"}, "State": {"target": "smithy.api#String"}}},
        "a#List": {"type": "list", "member": {"target": "a#In"}},
        "a#Map": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
        "a#Mode": {"type": "enum", "members": {"F": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "FAST"}}}},
        "a#Bad": {"type": "structure", "traits": {"smithy.api#error": "client"}}
    }}))
    .expect("serializes");
    Model::from_json(&text, "overlay-model.json").expect("loads")
}

const OVERLAY_LINES: &[&str] = &[
    "format = 1",
    "format = 2",
    "configuration = \"a#Conf\"",
    "configuration = \"a#In\"",
    "configuration = \"a#Mode\"",
    "[validation]",
    "error = \"ValidationException\"",
    "[validation.enum_order]",
    "\"a#Mode\" = [\"FAST\"]",
    "\"a#Mode\" = [\"SLOW\"]",
    "[[source]]",
    "id = \"s\"",
    "label = \"S\"",
    "match = { arn_member = \"Name\", arn_service = [\"sqs\"] }",
    "match = { member_present = \"List[].Size\" }",
    "state_transition_reason = \"x\"",
    "defaults = { Size = 1, State = \"{Name}\" }",
    "defaults = { Nope = 1 }",
    "missing = { error = \"Bad\", message = \"{Name} {Map{value}}\" }",
    "duplicate = { key = [\"Name\"], error = \"Bad\", message = \"{Name}\" }",
    "[[rule]]",
    "id = \"r\"",
    "id = \"r2\"",
    "order = 3",
    "order = 1",
    "evidence = \"e\"",
    "operations = [\"Create\"]",
    "operations = [\"Ping\", \"Create\"]",
    "operations = []",
    "paths = [\"Name\", \"List[].Map{key}\"]",
    "paths = [\"State\"]",
    "sources = [\"s\"]",
    "except_sources = [\"t\"]",
    "on = \"resulting\"",
    "on = \"sideways\"",
    "when = [{ present = \"Name\" }, { path = \"Size\", outside = [[1, 2]] }]",
    "when = [{ path = \"Size\", gt = 1, lt = 2 }]",
    "when = [{ path = \"Name\", plain_name_longer_than = 64 }, { path = \"List\", in = [1, \"a\"] }]",
    "when = []",
    "error = \"Bad\"",
    "error = \"ValidationException\"",
    "message = \"{Name} is {State}\"",
    "message = \"{Nmae}\"",
    "doc = \"\"\"multi\nline\"\"\"",
    "x = ",
    "[[rule",
    "é = 'é'",
    "duplicate = { key = [\"Name\"], error = \"Bad\", message = \"{Name\" }",
];

fn overlay_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(OVERLAY_LINES), 0..40)
        .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_overlay_text_never_panics(text in ".{0,300}") {
        let model = overlay_model();
        if let Err(error) = Overlay::from_toml(&text, "fuzz.toml", &model) {
            let _ = error.to_string();
        }
    }

    #[test]
    fn generated_overlays_never_panic(text in overlay_text(), edits in prop::collection::vec(edit(), 0..3)) {
        let model = overlay_model();
        match Overlay::from_toml(&apply(&text, &edits), "fuzz.toml", &model) {
            Ok(overlay) => prop_assert!(overlay.rules.windows(2).all(|w| w[0].order <= w[1].order)),
            Err(error) => { let _ = error.to_string(); }
        }
    }
}

#[test]
fn generated_overlays_sometimes_load() {
    // A fixed overlay built from the same lines loads, so the generator can reach success.
    let text = [
        0, 2, 10, 11, 12, 13, 15, 16, 18, 19, 20, 21, 23, 25, 26, 29, 35, 39, 41,
    ]
    .iter()
    .map(|&i| OVERLAY_LINES[i])
    .collect::<Vec<_>>()
    .join("\n");
    let overlay = Overlay::from_toml(&text, "fixed.toml", &overlay_model())
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(overlay.rules.len(), 1);
}
