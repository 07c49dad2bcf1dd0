//! Boundary tests generated from the spec's IR: every constrained input member of every
//! operation, just inside and just outside each bound, through `validate_input`.

#[allow(dead_code)]
mod support;

use conform_models::validate_input;
use support::{boundary_checks, shape_tags, Tag};

#[test]
fn every_bound_of_every_input_member() {
    let checks = boundary_checks();
    let mut failures = Vec::new();
    for check in &checks {
        let outcome = validate_input(check.operation, check.body.clone(), Default::default())
            .expect("a generated operation");
        let violations = match outcome {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!(
                    "{} {} [{}]: does not decode: {e}",
                    check.operation, check.member, check.label
                ));
                continue;
            }
        };
        let got = shape_tags(&violations);
        if got != check.expected {
            failures.push(format!(
                "{} {} [{}]\n  body:     {}\n  expected: {:?}\n  got:      {:?}",
                check.operation, check.member, check.label, check.body, check.expected, got
            ));
        }
    }
    let outside = checks.iter().filter(|c| !c.expected.is_empty()).count();
    println!(
        "{} boundary checks ({} expecting a violation, {} expecting none)",
        checks.len(),
        outside,
        checks.len() - outside
    );
    assert!(
        failures.is_empty(),
        "{} of {} boundary checks failed:\n{}",
        failures.len(),
        checks.len(),
        failures.join("\n")
    );
}

/// The generator covers every kind of bound the model has, nested members included.
#[test]
fn checks_reach_nested_members_and_every_kind() {
    let checks = boundary_checks();
    for member in [
        "DestinationConfig.OnFailure.Destination",
        "Topics[]",
        "Tags{key}",
        "Tags{value}",
        "SelfManagedEventSource.Endpoints",
        "SelfManagedEventSource.Endpoints{key}",
        "SelfManagedEventSource.Endpoints{value}",
        "SelfManagedEventSource.Endpoints{value}[]",
        "SourceAccessConfigurations[].URI",
        "DocumentDBEventSourceConfig.CollectionName",
        "FunctionName",
        "Resource",
    ] {
        assert!(
            checks
                .iter()
                .any(|c| c.member == member && !c.expected.is_empty()),
            "no failing check for {member}"
        );
    }
    let kinds: Vec<&Tag> = checks
        .iter()
        .flat_map(|c| c.expected.values().flatten())
        .collect();
    for wanted in [
        Tag::Required,
        Tag::Length,
        Tag::Range,
        Tag::Pattern,
        Tag::Enum,
    ] {
        assert!(
            kinds
                .iter()
                .any(|k| **k == wanted
                    || matches!(k, Tag::Items(_, inner) if inner.contains(&wanted))),
            "no check expects {wanted:?}"
        );
    }
    for role in ["member", "key", "value"] {
        assert!(
            kinds
                .iter()
                .any(|k| matches!(k, Tag::Items(r, _) if *r == role)),
            "no check expects an item violation on a {role}"
        );
    }
}

/// Lengths count Unicode scalar values: a value of `max` four-byte characters is inside.
#[test]
fn lengths_count_scalar_values_not_bytes() {
    let wide = boundary_checks()
        .into_iter()
        .filter(|c| c.label.contains("wide") && c.label.contains("inside"))
        .filter(|c| c.body.to_string().len() > 1000)
        .count();
    assert!(wide > 0, "no wide-character check at a long maximum");
}
