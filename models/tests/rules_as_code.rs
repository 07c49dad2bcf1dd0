//! The overlay's rules generated as code (`rule_violations_into`) against the rule set's
//! evaluation, on a fixture model and overlay built to reach what the Lambda overlay does not.

use std::collections::BTreeSet;
use std::fmt::Debug;

use conform_runtime::{Inspect, RuleContext, Shape, Violation, ViolationKind};
use serde_json::{json, Map, Value};

mod fixture {
    conform_macros::models!(
        model = "tests/fixtures/rule_code/model.json",
        overlay = "tests/fixtures/rule_code/overlay.toml",
        operations = [CreateThing, UpdateThing, PartThing],
    );
}
use fixture::*;

mod rule_support;
use rule_support::{ByName, Rng};

/// Rounds of one request per operation: every rule and source is reached within a few hundred
/// (on the seeds tried), and 3000 rounds take about a quarter of a second unoptimised.
const CASES: usize = 3000;

/// Two clocks, between and after the timestamps drawn and defaulted, so `in_future` flips.
const NOWS: [f64; 2] = [2_000_000_000.0, 5_000_000_000.0];

/// Sources no request can reach: `never` comes after the catch-all `any`. (Every rule can
/// still fire: the one rule for `never` also applies to `any`.)
const UNREACHABLE_SOURCES: &[&str] = &["never"];

/// ARNs for each ARN matcher of the fixture, near misses, and ones that name nothing.
const ARNS: &[&str] = &[
    "arn:aws:sqs:r:a:q.fifo",
    "arn:aws:sqs:r:a:q",
    "arn:aws:kinesis:r:a:stream/s",
    "arn:aws:kinesis:r:a:other",
    "arn:aws:dynamodb:r:a:t",
    "not-an-arn",
    "",
];

/// An `Origin`: each of its members absent or not, so both nested matchers and the nested
/// conditions see every combination.
fn origin(rng: &mut Rng) -> Value {
    let mut origin = Map::new();
    if rng.below(2) == 0 {
        origin.insert("Arn".into(), json!(rng.pick(ARNS)));
    }
    if let Some(flag) = rng.pick(&[None, Some(true), Some(false)]) {
        origin.insert("Flag".into(), json!(flag));
    }
    if let Some(tags) = rng.pick(&[None, Some(json!([])), Some(json!(["t"]))]) {
        origin.insert("Tags".into(), tags);
    }
    Value::Object(origin)
}

/// A value for `member`, on either side of the fixture's tests.
fn draw(member: &str, rng: &mut Rng) -> Value {
    match member {
        // "éé" is two characters in four bytes.
        "Name" => rng.pick(&[json!("ab"), json!("abcd"), json!("a:bcd"), json!("éé")]),
        "ArnA" => json!(rng.pick(ARNS)),
        "Origin" => origin(rng),
        "Mode" => rng.pick(&[json!("a"), json!("b"), json!("c")]),
        "Level" => rng.pick(&[json!(1), json!(10)]),
        "Size" => rng.pick(&[json!(1), json!(7), json!(8), json!(100)]),
        "Ratio" => rng.pick(&[json!(0.25), json!(2.0)]),
        "When" => rng.pick(&[json!(1000), json!(3_000_000_000_u64)]),
        "Names" => rng.pick(&[
            json!([]),
            json!(["x"]),
            json!(["p", "q"]),
            json!(["y", "x"]),
        ]),
        "Labels" => rng.pick(&[
            json!({}),
            json!({ "k": 1 }),
            json!({ "z": 5, "a": 1 }),
            json!({ "b": -1 }),
        ]),
        "Doc" => rng.pick(&[
            json!("d"),
            json!(null),
            json!({ "a": 1 }),
            json!(["d"]),
            json!(3),
        ]),
        "Opt" => rng.pick(&[json!(true), json!(false)]),
        _ => panic!("no values for member {member}"),
    }
}

/// A random `T`: each member present or not, more or fewer at a time.
fn generate<T: Shape>(rng: &mut Rng) -> T {
    let density = rng.pick(&[2, 3, 6]);
    let mut object = Map::new();
    for member in T::MEMBERS {
        if rng.below(density) == 0 {
            object.insert((*member).to_owned(), draw(member, rng));
        }
    }
    let object = Value::Object(object);
    serde_json::from_value(object.clone()).unwrap_or_else(|e| panic!("{object}: {e}"))
}

/// What the draws reached.
#[derive(Default)]
struct Reached {
    rules: BTreeSet<&'static str>,
    sources: BTreeSet<&'static str>,
}

/// Holds the rules as code to the rule set's evaluation on `request` (and, when its type
/// `names_source`, to the evaluation of the request read by name), noting what was reached.
fn compare<T: Inspect + Debug>(
    operation: &str,
    request: &T,
    as_code: fn(&T, RuleContext<'_>, &mut Vec<Violation>),
    names_source: bool,
    now: f64,
    reached: &mut Reached,
) {
    let context = RuleContext {
        existing: None,
        now,
    };
    let mut generated = Vec::new();
    as_code(request, context, &mut generated);
    let evaluated = RULES.evaluate(operation, request, context);
    assert_eq!(generated, evaluated, "{operation} at {now}: {request:?}");
    if names_source {
        // Read by name, a request whose type names no source falls to the catch-all: only
        // the type tells that it has none.
        let by_name = RULES.evaluate(operation, &ByName(request), context);
        assert_eq!(
            generated, by_name,
            "{operation} at {now} by name: {request:?}"
        );
    }
    if let Some(source) = RULES.classify(request, None) {
        reached.sources.insert(source.id);
    }
    for violation in generated {
        if let ViolationKind::Rule { id, .. } = violation.kind {
            reached.rules.insert(id);
        }
    }
}

#[test]
fn rules_as_code_agree_with_the_rule_set_on_the_fixture() {
    let mut rng = Rng(1);
    let mut reached = Reached::default();
    for case in 0..CASES {
        let now = NOWS[case % NOWS.len()];
        let create: CreateThingRequest = generate(&mut rng);
        compare(
            "CreateThing",
            &create,
            CreateThingRequest::rule_violations_into,
            true,
            now,
            &mut reached,
        );
        let update: UpdateThingRequest = generate(&mut rng);
        compare(
            "UpdateThing",
            &update,
            UpdateThingRequest::rule_violations_into,
            false, // Its input has none of the members the matchers read.
            now,
            &mut reached,
        );
        let part: PartThingRequest = generate(&mut rng);
        compare(
            "PartThing",
            &part,
            PartThingRequest::rule_violations_into,
            true,
            now,
            &mut reached,
        );
    }
    // The comparison says little about a rule that never fires or a source never chosen.
    let rules: BTreeSet<_> = RULES.rules.iter().map(|r| r.id).collect();
    assert_eq!(reached.rules, rules, "rules fired");
    let sources: BTreeSet<_> = RULES
        .sources
        .iter()
        .map(|s| s.id)
        .filter(|id| !UNREACHABLE_SOURCES.contains(id))
        .collect();
    assert_eq!(reached.sources, sources, "sources classified");
}
