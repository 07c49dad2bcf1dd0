//! The overlay's rules as JSON Schema, where JSON Schema can say them: a request the schema
//! accepts fires none of the rules said, and one it refuses fires at least one. The request's
//! source is an `if`/`then`/`else` chain in the sources' order, and each source's defaults are
//! folded into the conditions that read them, as the evaluation reads them.

use serde_json::{json, Map, Value};

use super::{Condition, Index, Literal, PathSeg, RuleSet, SourceMatcher, Verdict};

/// An operation's rules as JSON Schema.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesSchema {
    /// Subschemas a request satisfies when none of the rules said fires (for `allOf`).
    pub all_of: Vec<Value>,
    /// The rules JSON Schema cannot say (a value against the clock, event-filter syntax), by
    /// id: the schema accepts requests that fire them.
    pub not_said: Vec<&'static str>,
}

/// The annotation listing the rules a schema leaves out.
pub const NOT_SAID_KEYWORD: &str = "x-conform-rules-not-expressed";

impl RulesSchema {
    /// Adds the rules to an input's object schema.
    pub fn extend(self, schema: &mut Map<String, Value>) {
        if !self.all_of.is_empty() {
            schema.insert("allOf".to_owned(), Value::Array(self.all_of));
        }
        if !self.not_said.is_empty() {
            schema.insert(NOT_SAID_KEYWORD.to_owned(), json!(self.not_said));
        }
    }
}

impl RuleSet {
    /// `operation`'s rules as JSON Schema, for its input type with `members`.
    pub fn json_schema(&self, operation: &str, members: &[&str]) -> RulesSchema {
        let index = self.index();
        let mut out = RulesSchema {
            all_of: Vec::new(),
            not_said: Vec::new(),
        };
        let Some(op) = index.operations.iter().find(|o| o.name == operation) else {
            return out;
        };
        let by_source = |slot: usize, out: &mut RulesSchema| {
            let mut clauses = Vec::new();
            for &r in &op.by_source[slot] {
                match rule_clause(self, index, r, slot) {
                    Some(clause) => clauses.push(clause),
                    None if out.not_said.contains(&self.rules[r].id) => {}
                    None => out.not_said.push(self.rules[r].id),
                }
            }
            merge_properties(clauses)
        };
        let none = self.sources.len();
        if !index.names_source(members) {
            // No source known without the stored resource: as the evaluation, the rules of
            // every source only.
            out.all_of = by_source(none, &mut out);
            return out;
        }
        let matchers: Option<Vec<Option<Value>>> =
            self.sources.iter().map(|s| matcher(&s.matcher)).collect();
        let Some(matchers) = matchers else {
            // A matcher JSON Schema cannot say: no source-dependent verdict can be said.
            for &r in op.by_source.iter().flatten() {
                if !out.not_said.contains(&self.rules[r].id) {
                    out.not_said.push(self.rules[r].id);
                }
            }
            return out;
        };
        // The sources up to the first that always matches (which ends the chain, as it ends
        // the classification), built from the last back: `if` it matches `then` its rules,
        // `else` the rest.
        let tests: Vec<Value> = matchers.into_iter().map_while(|m| m).collect();
        let mut chain = all_of(by_source(tests.len(), &mut out));
        for (slot, test) in tests.into_iter().enumerate().rev() {
            let then = all_of(by_source(slot, &mut out)).unwrap_or(Value::Bool(true));
            chain = Some(
                json!({ "if": test, "then": then, "else": chain.unwrap_or(Value::Bool(true)) }),
            );
        }
        out.all_of.extend(chain);
        out
    }
}

/// Rule `r` as the schema a request satisfies when it does not fire for the source at `slot`
/// (one past the last: no source); `None` when JSON Schema cannot say it.
fn rule_clause(set: &RuleSet, index: &Index, r: usize, slot: usize) -> Option<Value> {
    let rule = &set.rules[r];
    let start = index.starts[r];
    let conditions: Option<Vec<Value>> = rule
        .when
        .iter()
        .enumerate()
        .map(|(k, c)| condition(c, index.defaults[slot * index.conditions + start + k]))
        .collect();
    Some(match (rule.when, all_of(conditions?)) {
        // No condition: it fires whenever the source matches.
        (_, None) => Value::Bool(false),
        ([Condition::Present(path)], _) => absent(path)?,
        (_, Some(fires)) => json!({ "not": fires }),
    })
}

/// The test of a source's matcher; `Some(None)` when it always holds, `None` when JSON Schema
/// cannot say it.
fn matcher(m: &SourceMatcher) -> Option<Option<Value>> {
    let mut tests = Vec::new();
    if let Some(path) = m.member_present {
        tests.push(present(path)?);
    }
    if let Some(path) = m.arn_member {
        tests.push(at_path(path, arn(m), true)?);
    }
    Some(all_of(tests))
}

/// A condition as the schema of requests for which it holds, the source's defaults answering
/// `verdict` where the request has no value.
fn condition(c: &Condition, verdict: Verdict) -> Option<Value> {
    let (path, test) = match *c {
        Condition::Present(path) => return present(path),
        Condition::Absent(path) => return absent(path),
        Condition::Equals(path, literal) => (path, json!({ "const": literal_json(literal) })),
        Condition::In(path, set) | Condition::NotIn(path, set) => {
            let values: Vec<Value> = set.iter().copied().map(literal_json).collect();
            (path, json!({ "enum": values }))
        }
        Condition::Greater(path, n) => (path, json!({ "type": "number", "exclusiveMinimum": n })),
        Condition::GreaterOrEqual(path, n) => (path, json!({ "type": "number", "minimum": n })),
        Condition::Less(path, n) => (path, json!({ "type": "number", "exclusiveMaximum": n })),
        Condition::LessOrEqual(path, n) => (path, json!({ "type": "number", "maximum": n })),
        Condition::Outside(path, ranges) => {
            let inside: Vec<Value> = ranges
                .iter()
                .map(|(lo, hi)| json!({ "minimum": lo, "maximum": hi }))
                .collect();
            (
                path,
                json!({ "type": "number", "not": { "anyOf": inside } }),
            )
        }
        Condition::PlainNameLongerThan(path, max) => (
            path,
            json!({ "type": "string", "pattern": "^[^:]*$", "minLength": max + 1 }),
        ),
        Condition::InvalidFilterPattern(_) | Condition::InFuture(_) => return None,
    };
    // `NotIn` holds when no value is in the set; the others when a value passes.
    let negated = matches!(c, Condition::NotIn(..));
    let test = if negated {
        json!({ "not": test })
    } else {
        test
    };
    let when_absent = match verdict {
        Verdict::Nothing => negated,
        Verdict::Found(hit) => hit != negated,
        Verdict::Dynamic => return None,
    };
    let value = at_path(path, test, false)?;
    Some(if when_absent {
        json!({ "anyOf": [absent(path)?, value] })
    } else {
        json!({ "allOf": [present(path)?, value] })
    })
}

/// Requests with a value (not null) at `path`, a path of members.
fn present(path: &[PathSeg]) -> Option<Value> {
    let (last, outer) = path.split_last()?;
    let PathSeg::Member(last) = last else {
        return None;
    };
    let inner =
        json!({ "required": [last], "properties": { *last: { "not": { "type": "null" } } } });
    outer.iter().rev().try_fold(inner, |inner, seg| match seg {
        PathSeg::Member(name) => Some(json!({
            "required": [name],
            "properties": { *name: { "type": "object", "allOf": [inner] } },
        })),
        _ => None,
    })
}

/// Requests without a value (or with null) at `path`: for one member, the form a validator
/// answers fastest.
fn absent(path: &[PathSeg]) -> Option<Value> {
    match path {
        [PathSeg::Member(name)] => Some(json!({ "properties": { *name: { "type": "null" } } })),
        _ => Some(json!({ "not": present(path)? })),
    }
}

/// Requests whose value at `path` (a path of members) satisfies `test`; when `required`, only
/// those with a value there.
fn at_path(path: &[PathSeg], test: Value, required: bool) -> Option<Value> {
    path.iter().rev().try_fold(test, |inner, seg| match seg {
        PathSeg::Member(name) if required => Some(json!({
            "type": "object",
            "required": [name],
            "properties": { *name: inner },
        })),
        PathSeg::Member(name) => Some(json!({ "properties": { *name: inner } })),
        _ => None,
    })
}

/// ARNs that fit a matcher: six fields (the resource keeping further colons), the service one
/// of the matcher's, the resource passing its tests.
fn arn(m: &SourceMatcher) -> Value {
    let escaped = |text: &str| regex::escape(text);
    let service = if m.arn_service.is_empty() {
        "[^:]*".to_owned()
    } else {
        let names: Vec<String> = m.arn_service.iter().map(|s| escaped(s)).collect();
        format!("(?:{})", names.join("|"))
    };
    let fields = format!("^arn:[^:]*:{service}:[^:]*:[^:]*:");
    let mut patterns = vec![json!({ "pattern": fields })];
    let any = "[\\s\\S]*";
    if let Some(prefix) = m.resource_prefix {
        patterns.push(json!({ "pattern": format!("{fields}{}", escaped(prefix)) }));
    }
    if let Some(contained) = m.resource_contains {
        patterns.push(json!({ "pattern": format!("{fields}{any}{}", escaped(contained)) }));
    }
    if let Some(suffix) = m.resource_suffix {
        patterns.push(json!({ "pattern": format!("{fields}{any}{}$", escaped(suffix)) }));
    }
    json!({ "type": "string", "allOf": patterns })
}

fn literal_json(literal: Literal) -> Value {
    match literal {
        Literal::Str(s) => json!(s),
        Literal::Num(n) => json!(n),
        Literal::Bool(b) => json!(b),
    }
}

/// `clauses` with those that only constrain members (`properties`, as an absent member's)
/// merged into one, where they name different members: one keyword for a validator to walk.
fn merge_properties(clauses: Vec<Value>) -> Vec<Value> {
    let mut merged = Map::new();
    let mut rest = Vec::new();
    for clause in clauses {
        match clause.as_object().and_then(|o| match o.get("properties") {
            Some(Value::Object(members)) if o.len() == 1 => Some(members),
            _ => None,
        }) {
            Some(members) if members.keys().all(|k| !merged.contains_key(k)) => {
                merged.extend(members.clone());
            }
            _ => rest.push(clause),
        }
    }
    if !merged.is_empty() {
        rest.insert(0, json!({ "properties": merged }));
    }
    rest
}

/// One schema for all of `parts`; `None` when there are none.
fn all_of(mut parts: Vec<Value>) -> Option<Value> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(json!({ "allOf": parts })),
    }
}

#[cfg(test)]
mod tests {
    //! A small rule set with what the project's overlay does not use (a nested `member_present`
    //! matcher, a resource prefix, `In`, a default that decides an absent member), held to the
    //! evaluation by the jsonschema crate on every combination of a few values.

    use std::sync::OnceLock;

    use serde_json::{json, Value};

    use super::super::{RuleContext, RuleDef, RuleIndex, SourceDef, Target};
    use super::*;

    const ARN: &[PathSeg] = &[PathSeg::Member("Arn")];
    const CLUSTER: &[PathSeg] = &[PathSeg::Member("Source"), PathSeg::Member("Cluster")];
    const MODE: &[PathSeg] = &[PathSeg::Member("Mode")];
    const SIZE: &[PathSeg] = &[PathSeg::Member("Size")];
    const WHEN: &[PathSeg] = &[PathSeg::Member("When")];

    const fn source(id: &'static str, matcher: SourceMatcher, defaults: &'static str) -> SourceDef {
        SourceDef {
            id,
            label: id,
            matcher,
            state_transition_reason: "",
            defaults_json: defaults,
            defaults: OnceLock::new(),
            missing: None,
            duplicate: None,
        }
    }

    const fn matcher(
        arn_service: &'static [&'static str],
        resource_prefix: Option<&'static str>,
        member_present: Option<&'static [PathSeg]>,
    ) -> SourceMatcher {
        SourceMatcher {
            arn_member: if member_present.is_some() {
                None
            } else {
                Some(ARN)
            },
            arn_service,
            resource_suffix: None,
            resource_contains: None,
            resource_prefix,
            member_present,
        }
    }

    static STREAM: SourceDef = source(
        "stream",
        matcher(&["kinesis"], Some("stream/"), None),
        r#"{"Size": 100}"#,
    );
    static CLUSTERED: SourceDef = source("clustered", matcher(&[], None, Some(CLUSTER)), "{}");

    const fn rule(
        id: &'static str,
        sources: &'static [&'static str],
        except_sources: &'static [&'static str],
        when: &'static [Condition],
    ) -> RuleDef {
        RuleDef {
            id,
            operations: &["Op"],
            paths: &[],
            sources,
            except_sources,
            on: Target::Request,
            when,
            error: "E",
            message: "m",
        }
    }

    static RULES: RuleSet = RuleSet {
        validation_error: "ValidationException",
        sources: &[&STREAM, &CLUSTERED],
        rules: &[
            rule(
                "mode.one-of",
                &["clustered"],
                &[],
                &[Condition::In(MODE, &[Literal::Str("A"), Literal::Str("B")])],
            ),
            // Fires on an absent Size: the stream's default (100) holds.
            rule(
                "size.small",
                &["stream"],
                &[],
                &[Condition::LessOrEqual(SIZE, 100.0)],
            ),
            rule(
                "mode-with-size",
                &[],
                &[],
                &[
                    Condition::Present(MODE),
                    Condition::GreaterOrEqual(SIZE, 5.0),
                ],
            ),
            rule(
                "mode.not-streams",
                &[],
                &["stream"],
                &[Condition::Present(MODE)],
            ),
            rule("when.future", &[], &[], &[Condition::InFuture(WHEN)]),
        ],
        index: RuleIndex::new(),
    };

    fn validator(members: &[&str]) -> (jsonschema::Validator, Vec<&'static str>) {
        let rules = RULES.json_schema("Op", members);
        let not_said = rules.not_said.clone();
        let mut schema = serde_json::Map::new();
        schema.insert("type".into(), json!("object"));
        rules.extend(&mut schema);
        let validator = jsonschema::validator_for(&Value::Object(schema)).expect("compiles");
        (validator, not_said)
    }

    fn fired(body: &Value) -> Vec<&'static str> {
        let context = RuleContext {
            existing: None,
            now: 0.0,
        };
        RULES
            .evaluate("Op", body, context)
            .into_iter()
            .filter_map(|v| match v.kind {
                crate::ViolationKind::Rule { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_schema_refuses_exactly_what_a_said_rule_refuses() {
        let (validator, not_said) = validator(&["Arn", "Source", "Mode", "Size", "When"]);
        assert_eq!(not_said, ["when.future"]);
        let arns = [
            None,
            Some(json!("arn:aws:kinesis:r:a:stream/s")),
            Some(json!("arn:aws:kinesis:r:a:table/t")),
            Some(json!("arn:aws:sqs:r:a:stream/s")),
            Some(json!("arn:aws:kinesis:stream/s")),
        ];
        let sources = [
            None,
            Some(json!({ "Cluster": "c" })),
            Some(json!({ "Cluster": null })),
            Some(json!({})),
        ];
        let modes = [None, Some(json!("A")), Some(json!("C")), Some(json!(null))];
        let sizes = [
            None,
            Some(json!(4)),
            Some(json!(5)),
            Some(json!(100)),
            Some(json!(101)),
        ];
        let (mut refused, mut checked) = (0, 0);
        for arn in &arns {
            for source in &sources {
                for mode in &modes {
                    for size in &sizes {
                        let mut body = serde_json::Map::new();
                        for (name, value) in [
                            ("Arn", arn),
                            ("Source", source),
                            ("Mode", mode),
                            ("Size", size),
                        ] {
                            if let Some(value) = value {
                                body.insert(name.into(), value.clone());
                            }
                        }
                        let body = Value::Object(body);
                        let fired = fired(&body);
                        assert_eq!(
                            fired.is_empty(),
                            validator.is_valid(&body),
                            "{body}: fired {fired:?}"
                        );
                        refused += usize::from(!fired.is_empty());
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            refused > 0 && refused < checked,
            "{refused} of {checked} refused"
        );
    }

    #[test]
    fn a_request_that_names_no_source_gets_the_rules_of_every_source() {
        let (validator, not_said) = validator(&["Mode", "Size", "When"]);
        assert_eq!(not_said, ["when.future"]);
        for (body, fires) in [
            (json!({ "Mode": "C", "Size": 4 }), false),
            (json!({ "Mode": "C", "Size": 5 }), true),
            (json!({ "Size": 100 }), false),
        ] {
            assert_eq!(!fired(&body).is_empty(), fires, "{body}");
            assert_eq!(validator.is_valid(&body), !fires, "{body}");
        }
    }
}
