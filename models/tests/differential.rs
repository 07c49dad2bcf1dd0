//! Differential test: the generated decoder and validator against the `jsonschema` crate on
//! the generated schemars schema, over a corpus (boundary values, recorded requests, tricky
//! hand-picked bodies) and proptest-generated bodies shaped like each operation's input. The
//! schema carries the overlay's rules where JSON Schema can say them; the few it cannot it
//! lists, and those are left out of our verdict.

#[allow(dead_code)]
mod support;

use std::cell::Cell;

use conform_models::*;
use conform_runtime::rules::schema::NOT_SAID_KEYWORD;
use conform_runtime::{RuleContext, ViolationKind};
use conform_spec::FlatMember;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use support::{range_bound, Members, SOURCE_ARNS};

/// Our verdict: decodes, no required member missing, no shape violation, and no rule fires
/// but those the schema lists as not said.
fn ours(operation: &str, body: &Value, not_said: &[String]) -> bool {
    match validate_input(operation, body.clone(), RuleContext::default()) {
        Some(Ok(violations)) => violations.iter().all(
            |v| matches!(&v.kind, ViolationKind::Rule { id, .. } if not_said.iter().any(|n| n == id)),
        ),
        Some(Err(_)) => false,
        None => panic!("{operation}: not a generated operation"),
    }
}

/// The validator of `T`'s schema, and the rules the schema lists as not said.
fn schema_of<T: schemars::JsonSchema>() -> (jsonschema::Validator, Vec<String>) {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    let schema = serde_json::to_value(schema).unwrap();
    let not_said = schema[NOT_SAID_KEYWORD]
        .as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(|id| id.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    (validator, not_said)
}

struct Operation {
    name: &'static str,
    schema: jsonschema::Validator,
    not_said: Vec<String>,
}

impl Operation {
    fn ours(&self, body: &Value) -> bool {
        ours(self.name, body, &self.not_said)
    }
}

fn operations() -> Vec<Operation> {
    macro_rules! op {
        ($name:literal, $ty:ty) => {{
            let (schema, not_said) = schema_of::<$ty>();
            Operation {
                name: $name,
                schema,
                not_said,
            }
        }};
    }
    let all = vec![
        op!("CreateEventSourceMapping", CreateEventSourceMappingRequest),
        op!("GetEventSourceMapping", GetEventSourceMappingRequest),
        op!("UpdateEventSourceMapping", UpdateEventSourceMappingRequest),
        op!("DeleteEventSourceMapping", DeleteEventSourceMappingRequest),
        op!("ListEventSourceMappings", ListEventSourceMappingsRequest),
        op!("TagResource", TagResourceRequest),
        op!("UntagResource", UntagResourceRequest),
        op!("ListTags", ListTagsRequest),
    ];
    let names: Vec<&str> = all.iter().map(|o| o.name).collect();
    assert_eq!(
        names,
        conform_models::spec::OPERATIONS,
        "an operation is missing here"
    );
    all
}

/// Where JSON Schema and serde cannot agree by construction; each exclusion is narrow.
fn excluded(body: &Value) -> Option<&'static str> {
    // JSON Schema's `integer` takes 1.0; serde's i32 refuses a float token.
    fn integral_float(v: &Value) -> bool {
        match v {
            Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(|f| f.fract() == 0.0),
            Value::Array(items) => items.iter().any(integral_float),
            Value::Object(map) => map.values().any(integral_float),
            _ => false,
        }
    }
    integral_float(body).then_some("an integral float: JSON Schema's integer, serde's float")
}

struct Tally {
    checked: usize,
    excluded: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn check(&mut self, op: &Operation, body: &Value) {
        if excluded(body).is_some() {
            self.excluded += 1;
            return;
        }
        self.checked += 1;
        let (a, b) = (op.ours(body), op.schema.is_valid(body));
        if a != b {
            let errors: Vec<String> = op.schema.iter_errors(body).map(|e| e.to_string()).collect();
            self.disagreements.push(format!(
                "{}: ours {a}, jsonschema {b} ({errors:?}) on {body}",
                op.name
            ));
        }
    }
}

fn tricky(op: &str) -> Vec<Value> {
    let mut out = vec![
        json!(null),
        json!([]),
        json!("string"),
        json!({}),
        json!({ "Unknown": 1 }),
    ];
    if op == "CreateEventSourceMapping" {
        let base = || json!({ "FunctionName": "f" });
        let with = |k: &str, v: Value| {
            let mut b = base();
            b[k] = v;
            b
        };
        out.extend([
            with("BatchSize", json!(null)),
            with("EventSourceArn", json!(null)),
            with("Tags", json!(null)),
            json!({ "FunctionName": null }),
            json!({ "FunctionName": 7 }),
            with("BatchSize", json!("10")),
            with("BatchSize", json!(1.5)),
            with("BatchSize", json!(1.0)),
            with("BatchSize", json!(2_147_483_648_i64)),
            with("BatchSize", json!(-2_147_483_649_i64)),
            with("BatchSize", json!(9_223_372_036_854_775_807_i64)),
            with("BatchSize", json!(18_446_744_073_709_551_615_u64)),
            with("BatchSize", json!(1e20)),
            with("Enabled", json!("true")),
            with("StartingPosition", json!(1)),
            with("StartingPosition", json!("latest")),
            with("StartingPositionTimestamp", json!("1741010802")),
            with("StartingPositionTimestamp", json!(1_741_010_802.5)),
            with("Tags", json!({ "k": 1 })),
            with("Tags", json!({ "é😀": "x" })),
            with("Tags", json!({ "k": "\u{0}" })),
            with("Topics", json!("t1")),
            with("Topics", json!([null])),
            with("FilterCriteria", json!({ "Filters": [{ "Pattern": {} }] })),
            with("FilterCriteria", json!({ "Filters": [{}] })),
            with("FilterCriteria", json!({ "Filters": null })),
            with(
                "EventSourceArn",
                json!("arn:aws:sqs:us-east-1:111111111111:q\n"),
            ),
            with(
                "EventSourceArn",
                json!("arn:aws:sqs:us-east-1:111111111111:q\r"),
            ),
            with(
                "EventSourceArn",
                json!("arn:aws:sqs:us-east-1:111111111111:q\u{2028}"),
            ),
            with(
                "EventSourceArn",
                json!("arn:aws:sqs:us-east-1:١١١١١١١١١١١١:q"),
            ),
            with("FunctionName", json!("f\u{301}")),
            with("FunctionName", json!("ｆ")),
            with(
                "SelfManagedEventSource",
                json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["b:1"] }, "Extra": 1 }),
            ),
            with("SelfManagedEventSource", json!({})),
            with("SelfManagedEventSource", json!([])),
            with("ScalingConfig", json!([2])),
            with("FilterCriteria", json!({ "Filters": [[]] })),
            with(
                "DocumentDBEventSourceConfig",
                json!({ "CollectionName": "system.x" }),
            ),
            with(
                "DocumentDBEventSourceConfig",
                json!({ "CollectionName": "a\nb" }),
            ),
            with(
                "DocumentDBEventSourceConfig",
                json!({ "FullDocument": "default" }),
            ),
        ]);
    }
    out
}

fn recorded_requests() -> Vec<(String, Value)> {
    let doc: Value = serde_json::from_str(include_str!("../../spec/recorded/cases.json")).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["operation"].as_str().unwrap().to_owned(),
                c["request"].clone(),
            )
        })
        .collect()
}

#[test]
fn corpus_agrees_with_jsonschema() {
    let ops = operations();
    let find = |name: &str| ops.iter().find(|o| o.name == name).expect("an operation");
    let mut tally = Tally {
        checked: 0,
        excluded: 0,
        disagreements: Vec::new(),
    };
    for check in support::boundary_checks() {
        tally.check(find(check.operation), &check.body);
    }
    for (op, body) in recorded_requests() {
        tally.check(find(&op), &body);
    }
    for op in &ops {
        for body in tricky(op.name) {
            tally.check(op, &body);
        }
    }
    println!(
        "differential corpus: {} bodies checked, {} excluded",
        tally.checked, tally.excluded
    );
    assert!(
        tally.disagreements.is_empty(),
        "{} disagreements:\n{}",
        tally.disagreements.len(),
        tally.disagreements.join("\n")
    );
}

/// Values near an input member's bounds, plus junk.
struct Generator<'a> {
    members: &'a Members,
    rng: u64,
}

impl Generator<'_> {
    fn next(&mut self) -> u64 {
        // splitmix64: proptest draws the seed, this spreads it.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    fn junk(&mut self) -> Value {
        let choices = [
            json!(null),
            json!(true),
            json!(-1),
            json!(4_294_967_296_u64),
            json!(0.5),
            json!("junk"),
            json!([]),
            json!({}),
        ];
        self.pick(&choices)
    }

    fn length_near(&mut self, min: u64, max: Option<u64>) -> u64 {
        let mut near = vec![min, min + 1, min.saturating_sub(1), self.below(8)];
        if let Some(max) = max {
            near.extend([max, max + 1, max.saturating_sub(1)]);
        }
        self.pick(&near)
    }

    fn string(&mut self, member: &FlatMember) -> Value {
        let shape = support::string_shape(member);
        let min = member.length.and_then(|l| l.min).unwrap_or(0);
        let max = member.length.and_then(|l| l.max);
        let len = self.length_near(min, max.or(Some(min + 64))) as usize;
        match self.below(5) {
            0 => Value::String(shape.of_length(len, false).0),
            1 if shape.wide.is_some() => Value::String(shape.of_length(len, true).0),
            2 if !shape.counterexamples.is_empty() => {
                Value::String(self.pick(shape.counterexamples).to_owned())
            }
            _ => {
                let alphabet = [
                    'a', 'Z', '0', '-', '_', ':', '.', '/', ' ', '$', 'é', '😀', '\n',
                ];
                let mut text = shape.of_length(len, false).0;
                if !text.is_empty() {
                    let at = self.below(text.chars().count() as u64) as usize;
                    let c = self.pick(&alphabet);
                    text = text
                        .chars()
                        .enumerate()
                        .map(|(i, x)| if i == at { c } else { x })
                        .collect();
                }
                Value::String(text)
            }
        }
    }

    fn value(&mut self, member: &FlatMember, depth: usize) -> Value {
        if self.below(12) == 0 {
            return self.junk();
        }
        match member.kind.as_str() {
            // Every kind of source, so that each source's rules decide some bodies.
            "string" if member.path == "EventSourceArn" && self.below(2) == 0 => {
                Value::String(self.pick(SOURCE_ARNS).to_owned())
            }
            "string" => self.string(member),
            "enum" => {
                let values = member.enum_values.clone().unwrap_or_default();
                match self.below(4) {
                    0 => json!("NOT_A_MEMBER"),
                    1 => json!(values[0].to_lowercase()),
                    _ => Value::String(self.pick(&values)),
                }
            }
            "boolean" => json!(self.below(2) == 0),
            "timestamp" => json!(1_700_000_000 + self.below(1000) as i64),
            "integer" | "long" | "short" | "byte" => {
                let mut near = vec![0_i64, 1, -1, i64::from(i32::MAX), i64::from(i32::MIN)];
                for bound in [range_bound(member, true), range_bound(member, false)]
                    .into_iter()
                    .flatten()
                {
                    near.extend([bound - 1, bound, bound + 1]);
                }
                json!(self.pick(&near))
            }
            "list" if depth < 4 => {
                let min = member.length.and_then(|l| l.min).unwrap_or(0);
                let n = self
                    .length_near(min, member.length.and_then(|l| l.max))
                    .min(24);
                let item = self.members.get(&format!("{}[]", member.path));
                Value::Array((0..n).map(|_| self.value(item, depth + 1)).collect())
            }
            "map" if depth < 4 => {
                let min = member.length.and_then(|l| l.min).unwrap_or(0);
                let n = self
                    .length_near(min, member.length.and_then(|l| l.max))
                    .min(6);
                let key = self.members.get(&format!("{}{{key}}", member.path));
                let value = self.members.get(&format!("{}{{value}}", member.path));
                let mut map = Map::new();
                for _ in 0..n {
                    if let Value::String(k) = self.value(key, depth + 1) {
                        let v = self.value(value, depth + 1);
                        map.insert(k, v);
                    }
                }
                Value::Object(map)
            }
            "structure" if depth < 4 => self.structure(Some(member), depth + 1),
            _ => self.junk(),
        }
    }

    /// A random subset of a structure's members (the input itself when `parent` is `None`).
    fn structure(&mut self, parent: Option<&FlatMember>, depth: usize) -> Value {
        let prefix = parent.map_or(String::new(), |p| format!("{}.", p.path));
        let segments = parent.map_or(0, |p| p.segments.0.len());
        let children: Vec<&FlatMember> = self
            .members
            .list
            .iter()
            .filter(|m| {
                m.segments.0.len() == segments + 1
                    && m.path.starts_with(&prefix)
                    && !m.path[prefix.len()..].contains(['.', '[', '{'])
            })
            .collect();
        let mut object = Map::new();
        for child in children {
            let keep = if child.required { 9 } else { 3 };
            if self.below(10) < keep {
                let name = child.path[prefix.len()..].to_owned();
                object.insert(name, self.value(child, depth));
            }
        }
        if self.below(30) == 0 {
            object.insert("Unknown".into(), json!(1));
        }
        Value::Object(object)
    }
}

const CASES_PER_OPERATION: u32 = 1500;

/// Runs `check` on `cases` generators over `members`, seeded by proptest; a failure panics
/// with proptest's report.
fn for_generated(
    cases: u32,
    members: &Members,
    check: impl Fn(&mut Generator) -> Result<(), TestCaseError>,
) {
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&any::<u64>(), |seed| {
        check(&mut Generator { members, rng: seed })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn generated_inputs_agree_with_jsonschema() {
    let model = support::model();
    let ops = operations();
    let mut total = 0;
    for op in &ops {
        let members = Members::new(&model, op.name);
        for_generated(CASES_PER_OPERATION, &members, |generator| {
            let body = generator.structure(None, 0);
            if excluded(&body).is_none() {
                let (a, b) = (op.ours(&body), op.schema.is_valid(&body));
                prop_assert_eq!(a, b, "{}: ours {} jsonschema {} on {}", op.name, a, b, body);
            }
            Ok(())
        });
        total += CASES_PER_OPERATION;
    }
    println!("differential proptest: {total} generated bodies checked");
}

/// Shape-valid values of the members the overlay's rules read, chosen on both sides of each
/// rule, so that the rules alone decide the verdict.
fn rule_palette() -> Vec<(&'static str, Vec<Value>)> {
    let secret = "arn:aws:secretsmanager:us-east-1:111111111111:secret:s";
    let dlq = "arn:aws:sqs:us-east-1:111111111111:dlq";
    vec![
        ("UUID", vec![json!("a1b2c3d4-5678-90ab-cdef-111111111111")]),
        (
            "EventSourceArn",
            SOURCE_ARNS.iter().map(|a| json!(a)).collect(),
        ),
        (
            "SelfManagedEventSource",
            vec![json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["b-1.example.com:9092"] } })],
        ),
        (
            "FunctionName",
            vec![
                json!("f"),
                json!("f".repeat(64)),
                json!("f".repeat(65)),
                json!(format!(
                    "arn:aws:lambda:us-east-1:111111111111:function:{}",
                    "f".repeat(64)
                )),
            ],
        ),
        ("Enabled", vec![json!(true), json!(false)]),
        (
            "BatchSize",
            vec![json!(1), json!(10), json!(11), json!(10000)],
        ),
        (
            "MaximumBatchingWindowInSeconds",
            vec![json!(0), json!(1), json!(300)],
        ),
        (
            "StartingPosition",
            vec![
                json!("LATEST"),
                json!("TRIM_HORIZON"),
                json!("AT_TIMESTAMP"),
            ],
        ),
        ("StartingPositionTimestamp", vec![json!(1_700_000_000)]),
        (
            "DestinationConfig",
            vec![
                json!({}),
                json!({ "OnFailure": { "Destination": dlq } }),
                json!({ "OnSuccess": { "Destination": dlq } }),
                json!({ "OnSuccess": null }),
            ],
        ),
        ("ParallelizationFactor", vec![json!(1), json!(10)]),
        ("TumblingWindowInSeconds", vec![json!(0), json!(900)]),
        (
            "BisectBatchOnFunctionError",
            vec![json!(true), json!(false)],
        ),
        ("MaximumRetryAttempts", vec![json!(-1), json!(10000)]),
        (
            "MaximumRecordAgeInSeconds",
            vec![json!(-1), json!(0), json!(59), json!(60), json!(604800)],
        ),
        ("ScalingConfig", vec![json!({ "MaximumConcurrency": 2 })]),
        (
            "FunctionResponseTypes",
            vec![json!([]), json!(["ReportBatchItemFailures"])],
        ),
        ("Queues", vec![json!(["q"])]),
        ("Topics", vec![json!(["orders"])]),
        (
            "SourceAccessConfigurations",
            vec![json!([{ "Type": "BASIC_AUTH", "URI": secret }])],
        ),
        (
            "AmazonManagedKafkaEventSourceConfig",
            vec![json!({ "ConsumerGroupId": "g" })],
        ),
        (
            "SelfManagedKafkaEventSourceConfig",
            vec![json!({ "ConsumerGroupId": "g" })],
        ),
        (
            "DocumentDBEventSourceConfig",
            vec![json!({ "DatabaseName": "db", "CollectionName": "c" })],
        ),
        (
            "FilterCriteria",
            vec![json!({ "Filters": [{ "Pattern": r#"{"a": ["b"]}"# }] })],
        ),
        (
            "KMSKeyArn",
            vec![json!("arn:aws:kms:us-east-1:111111111111:key/k")],
        ),
    ]
}

/// Palette bodies are cheap to check, and the rules' combinations many.
const RULE_CASES_PER_OPERATION: u32 = 6000;

/// Bodies with valid shapes, members drawn from [`rule_palette`]: the schema's rules must
/// refuse exactly the bodies a rule refuses. Both verdicts must turn up, or the test proves
/// nothing.
#[test]
fn rule_decided_inputs_agree_with_jsonschema() {
    let model = support::model();
    let palette = rule_palette();
    let mut report = Vec::new();
    for op in operations() {
        let members = Members::new(&model, op.name);
        let palette: Vec<_> = palette
            .iter()
            .filter(|(name, _)| members.list.iter().any(|m| m.path == *name))
            .collect();
        if !RULES.rules.iter().any(|r| r.operations.contains(&op.name)) {
            continue;
        }
        let (accepted, refused) = (Cell::new(0), Cell::new(0));
        for_generated(RULE_CASES_PER_OPERATION, &members, |generator| {
            let mut body = Map::new();
            for (name, values) in &palette {
                let member = members.get(name);
                // Sources and required members usually, the rest now and then.
                let keep = match *name {
                    _ if member.required => 10,
                    "EventSourceArn" => 9,
                    _ => 1,
                };
                if generator.below(10) < keep {
                    body.insert((*name).to_owned(), generator.pick(values));
                }
            }
            let body = Value::Object(body);
            let violations = validate_input(op.name, body.clone(), RuleContext::default())
                .expect("a generated operation")
                .expect("palette bodies decode");
            prop_assert!(
                violations.iter().all(|v| v.kind.is_rule()),
                "{}: the palette broke a shape constraint: {:?} on {}",
                op.name,
                violations,
                body
            );
            let (a, b) = (op.ours(&body), op.schema.is_valid(&body));
            prop_assert_eq!(a, b, "{}: ours {} jsonschema {} on {}", op.name, a, b, body);
            let tally = if a { &accepted } else { &refused };
            tally.set(tally.get() + 1);
            Ok(())
        });
        let (accepted, refused) = (accepted.get(), refused.get());
        assert!(
            accepted > 0 && refused > 0,
            "{}: {accepted} accepted, {refused} refused by rules: one verdict never came up",
            op.name
        );
        report.push(format!(
            "{}: {accepted} accepted, {refused} refused",
            op.name
        ));
    }
    assert!(!report.is_empty(), "no operation has rules");
    println!("rule-decided bodies: {}", report.join("; "));
}

/// The rules JSON Schema cannot say are listed, and only those: the clock's and the
/// filter-pattern syntax on Create; on Update, which names no source, the syntax only (the
/// clock's rule is not an Update rule).
#[test]
fn schemas_list_the_rules_they_cannot_say() {
    let ops = operations();
    let not_said = |name: &str| {
        ops.iter()
            .find(|o| o.name == name)
            .map(|o| o.not_said.clone())
            .expect("an operation")
    };
    assert_eq!(
        not_said("CreateEventSourceMapping"),
        [
            "starting-position.timestamp-not-in-future",
            "filter-criteria.valid-pattern"
        ]
    );
    assert_eq!(
        not_said("UpdateEventSourceMapping"),
        ["filter-criteria.valid-pattern"]
    );
    assert_eq!(not_said("GetEventSourceMapping"), Vec::<String>::new());
}
