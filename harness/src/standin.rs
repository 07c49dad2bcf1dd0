//! Cases evaluated offline, with no endpoint: each step's request is rendered with stand-in
//! fixture values (names and ARNs of the right shape for each fixture kind) and checked with the
//! generated validators (`conform_models::validate_input`). The generated cases choose their
//! requests this way, and `conform spec coverage` decides what a case exercises this way.
//!
//! What the stand-ins cannot know is the emulator's state: whether a function or source exists,
//! and duplicates. A step is assumed to succeed when it breaks no constraint and no rule. The
//! one piece of state rules read, the mapping an update applies to, is kept: a create step that
//! passes stores a stand-in mapping (the source's defaults and the request), later steps capture
//! from it, and an update of it is checked against it, as AWS checks the mapping that results.

use std::collections::BTreeMap;

use conform_models::RULES;
use conform_runtime::{ItemRole, OperationMeta, RuleContext, Violation, ViolationKind};
use serde_json::{Map, Value};

use crate::case::{Case, Request, Step};
use crate::fixtures::{FixtureKind, FixtureRef};
use crate::template::{Scope, Var};

/// The account stand-in ARNs carry.
pub const ACCOUNT: &str = "123456789012";
/// The region stand-in ARNs carry.
pub const REGION: &str = "us-east-1";
/// The run prefix stand-in names carry.
pub const RUN: &str = "conform-00000000";
/// The UUID of a stand-in mapping (the n-th made in a case ends in n).
const UUID_BASE: &str = "00000000-0000-4000-8000-0000000000";

/// The value of `{fixture.attr}` in stand-in form: what a real fixture's attribute looks like.
pub fn fixture_attr(fixture: &FixtureRef, attr: &str) -> Option<String> {
    let name = match &fixture.label {
        Some(label) => format!("{RUN}-{}-{label}", fixture.kind),
        None => format!("{RUN}-{}", fixture.kind),
    };
    let function = |name: &str| format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}");
    let function_name = match &fixture.label {
        Some(label) => format!("{RUN}-function-{label}"),
        None => format!("{RUN}-function"),
    };
    let value = match (fixture.kind, attr) {
        (FixtureKind::Role, "name") => name,
        (FixtureKind::Role, "arn") => format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        (FixtureKind::Function, "name") => name,
        (FixtureKind::Function, "arn") => function(&name),
        (FixtureKind::FunctionVersion, "name") => function_name,
        (FixtureKind::FunctionVersion, "arn") => format!("{}:1", function(&function_name)),
        (FixtureKind::FunctionVersion, "version") => "1".into(),
        (FixtureKind::FunctionAlias, "name") => "live".into(),
        (FixtureKind::FunctionAlias, "arn") => format!("{}:live", function(&function_name)),
        (FixtureKind::FunctionAlias, "function") => function_name,
        (FixtureKind::FunctionAlias, "version") => "1".into(),
        (FixtureKind::Queue, "name") => name,
        (FixtureKind::FifoQueue, "name") => format!("{name}.fifo"),
        (FixtureKind::Queue | FixtureKind::FifoQueue, "arn" | "url") => {
            let name = fixture_attr(fixture, "name")?;
            if attr == "arn" {
                format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}")
            } else {
                format!("http://sqs.{REGION}.localhost/{ACCOUNT}/{name}")
            }
        }
        (FixtureKind::Stream, "name") => name,
        (FixtureKind::Stream, "arn") => format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"),
        (FixtureKind::Table, "name") => name,
        (FixtureKind::Table, "arn") => format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"),
        (FixtureKind::Table, "stream_arn") => format!(
            "arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}/stream/2024-01-01T00:00:00.000"
        ),
        _ => return None,
    };
    Some(value)
}

/// One constraint or rule a violation stands for: the member's path as the model names it
/// (`Topics[]`, `Tags{key}`) and the kind (`required`, `length`, `range`, `pattern`, `enum`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    pub path: String,
    pub kind: &'static str,
}

/// What one step's request does to the validators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepOutcome {
    pub step: String,
    pub operation: &'static str,
    /// Every shape constraint broken (AWS reports them all at once).
    pub shape: Vec<Hit>,
    /// Every rule that fires, in AWS's order of checks.
    pub rules: Vec<&'static str>,
    /// Whether the rules are reached: no shape violation, and for an update a mapping to read.
    pub rules_reached: bool,
    /// Why the step could not be checked (a malformed raw request, a body that does not
    /// decode): it exercises no constraint.
    pub unchecked: Option<String>,
    /// Whether the request reaches its operation: always for members, and for a raw request
    /// when its method and path are the operation's.
    pub routed: bool,
}

impl StepOutcome {
    /// The rule AWS answers with: the first that fires, when the rules are reached.
    pub fn answered_rule(&self) -> Option<&'static str> {
        if self.rules_reached {
            self.rules.first().copied()
        } else {
            None
        }
    }
}

/// Evaluates every step of `case` in order, with stand-in fixtures, captures and mappings.
pub fn evaluate(case: &Case) -> Vec<StepOutcome> {
    let mut state = State {
        case,
        captures: Map::new(),
        mappings: BTreeMap::new(),
        made: 0,
    };
    case.steps.iter().map(|step| state.step(step)).collect()
}

struct State<'a> {
    case: &'a Case,
    captures: Map<String, Value>,
    /// Stand-in mappings by UUID.
    mappings: BTreeMap<String, Value>,
    made: usize,
}

impl Scope for State<'_> {
    fn lookup(&self, var: &Var) -> Result<Value, String> {
        Ok(match var {
            Var::Account => Value::String(ACCOUNT.into()),
            Var::Region => Value::String(REGION.into()),
            Var::Run => Value::String(RUN.into()),
            Var::Row(key) => self
                .case
                .row
                .get(key)
                .cloned()
                .ok_or_else(|| format!("{var}: the row has no `{key}`"))?,
            Var::Capture(key) => self
                .captures
                .get(key)
                .cloned()
                .unwrap_or_else(|| Value::String(format!("{UUID_BASE}99"))),
            Var::Fixture { fixture, attr } => Value::String(
                fixture_attr(fixture, attr)
                    .ok_or_else(|| format!("{var}: no stand-in for `{attr}`"))?,
            ),
        })
    }
}

impl State<'_> {
    fn step(&mut self, step: &Step) -> StepOutcome {
        let mut outcome = StepOutcome {
            step: step.name.clone(),
            operation: step.operation.name,
            routed: self.routed(step),
            ..StepOutcome::default()
        };
        let input = match self.input(step) {
            Ok(input) => input,
            Err(why) => {
                outcome.unchecked = Some(why);
                return outcome;
            }
        };
        let op = step.operation;
        let uuid = input.get("UUID").and_then(Value::as_str).map(str::to_owned);
        let existing = uuid.as_ref().and_then(|u| self.mappings.get(u)).cloned();
        let context = RuleContext {
            existing: existing
                .as_ref()
                .map(|e| e as &dyn conform_runtime::Inspect),
            ..RuleContext::default()
        };
        let violations = match conform_models::validate_input(op.name, input.clone(), context) {
            None => {
                outcome.unchecked = Some(format!("`{}` has no validator", op.name));
                return outcome;
            }
            Some(Err(e)) => {
                outcome.unchecked = Some(format!("the input does not decode: {e}"));
                return outcome;
            }
            Some(Ok(v)) => v,
        };
        for violation in &violations {
            match &violation.kind {
                ViolationKind::Rule { id, .. } => outcome.rules.push(id),
                _ => hits(&violation.path.model_path(), violation, &mut outcome.shape),
            }
        }
        outcome.shape.sort();
        outcome.shape.dedup();
        // An update of a mapping that does not exist ends in a 404 before the rules.
        let needs_mapping = op.labels.iter().any(|l| l.member == "UUID");
        outcome.rules_reached = outcome.shape.is_empty() && (!needs_mapping || existing.is_some());
        let passes = outcome.shape.is_empty() && outcome.rules.is_empty();
        let response = if passes {
            self.apply(op, &input, uuid.as_deref())
        } else {
            None
        };
        for (key, path) in &step.capture {
            let value = response
                .as_ref()
                .and_then(|r| path.get(r))
                .cloned()
                .unwrap_or_else(|| Value::String(format!("{UUID_BASE}98")));
            self.captures.insert(key.clone(), value);
        }
        outcome
    }

    fn routed(&self, step: &Step) -> bool {
        match &step.request {
            Request::Params(_) => true,
            Request::Raw(raw) => {
                raw.method == step.operation.method
                    && raw
                        .path
                        .render_string(self)
                        .is_ok_and(|path| step.operation.match_path(&path).is_some())
            }
        }
    }

    /// The operation's input as one JSON object, as `validate_input` takes it.
    fn input(&self, step: &Step) -> Result<Value, String> {
        match &step.request {
            Request::Params(template) => template.render(self),
            Request::Raw(raw) => {
                let op = step.operation;
                if raw.method != op.method {
                    return Err(format!("raw {} is not {}'s method", raw.method, op.name));
                }
                let path = raw.path.render_string(self)?;
                let labels = op
                    .match_path(&path)
                    .ok_or_else(|| format!("raw path {path} is not {}'s", op.name))?;
                let mut object = match &raw.body {
                    None => Map::new(),
                    Some(body) => match serde_json::from_str(&body.render_string(self)?) {
                        Ok(Value::Object(object)) => object,
                        _ => return Err("the raw body is not a JSON object".into()),
                    },
                };
                for (member, value) in labels {
                    object.insert(member.to_owned(), Value::String(value));
                }
                if let Some(query) = &raw.query {
                    query_members(op, &query.render_string(self)?, &mut object)?;
                }
                Ok(Value::Object(object))
            }
        }
    }

    /// The stand-in response of a step that passes, updating the stand-in mappings.
    fn apply(&mut self, op: &OperationMeta, input: &Value, uuid: Option<&str>) -> Option<Value> {
        match op.name {
            "CreateEventSourceMapping" => {
                self.made += 1;
                let uuid = format!("{UUID_BASE}{:02}", self.made % 100);
                let source = RULES.classify(input, None);
                let mut config = match source.map(|s| s.defaults().clone()) {
                    Some(Value::Object(defaults)) => defaults,
                    _ => Map::new(),
                };
                merge(&mut config, input);
                config.insert("UUID".into(), Value::String(uuid.clone()));
                config.insert(
                    "EventSourceMappingArn".into(),
                    Value::String(format!(
                        "arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{uuid}"
                    )),
                );
                config.insert("State".into(), Value::String("Enabled".into()));
                let config = Value::Object(config);
                self.mappings.insert(uuid, config.clone());
                Some(config)
            }
            "UpdateEventSourceMapping" => {
                let stored = self.mappings.get_mut(uuid?)?;
                if let Value::Object(config) = stored {
                    merge(config, input);
                }
                Some(stored.clone())
            }
            "GetEventSourceMapping" | "DeleteEventSourceMapping" => {
                self.mappings.get(uuid?).cloned()
            }
            _ => None,
        }
    }
}

/// A mapping takes the request's members, but names its function by ARN.
fn merge(config: &mut Map<String, Value>, input: &Value) {
    let Value::Object(members) = input else {
        return;
    };
    for (key, value) in members {
        match key.as_str() {
            "UUID" => {}
            "FunctionName" => {
                let name = value.as_str().unwrap_or_default();
                let arn = if name.starts_with("arn:") {
                    name.to_owned()
                } else {
                    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
                };
                config.insert("FunctionArn".into(), Value::String(arn));
            }
            _ => {
                config.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Query parameters of a raw request, bound to members as the operation's metadata says.
fn query_members(
    op: &OperationMeta,
    query: &str,
    object: &mut Map<String, Value>,
) -> Result<(), String> {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = conform_runtime::meta::percent_decode(key);
        let value = conform_runtime::meta::percent_decode(&value.replace('+', " "));
        let Some(binding) = op.query.iter().find(|b| b.wire == key) else {
            continue;
        };
        let value = if binding.numeric {
            Value::from(
                value
                    .parse::<i64>()
                    .map_err(|_| format!("query {key}={value} is not a number"))?,
            )
        } else {
            Value::String(value)
        };
        if binding.list {
            let entry = object
                .entry(binding.member.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(value);
            }
        } else {
            object.insert(binding.member.to_owned(), value);
        }
    }
    Ok(())
}

/// The constraints one violation stands for; items of a collection are named as the model
/// names them (`Topics[]`, `Tags{key}`, `Tags{value}`).
fn hits(path: &str, violation: &Violation, out: &mut Vec<Hit>) {
    fn walk(path: &str, kind: &ViolationKind, out: &mut Vec<Hit>) {
        let name = match kind {
            ViolationKind::Required => "required",
            ViolationKind::Length { .. } => "length",
            ViolationKind::Range { .. } => "range",
            ViolationKind::Pattern { .. } => "pattern",
            ViolationKind::Enum { .. } => "enum",
            ViolationKind::Rule { .. } => return,
            ViolationKind::Items { role, failures } => {
                let suffix = match role {
                    ItemRole::Member => "[]",
                    ItemRole::Key => "{key}",
                    ItemRole::Value => "{value}",
                };
                let inner = format!("{path}{suffix}");
                for failure in failures {
                    walk(&inner, &failure.kind, out);
                }
                return;
            }
        };
        out.push(Hit {
            path: path.to_owned(),
            kind: name,
        });
    }
    walk(path, &violation.kind, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::parse_case;

    fn outcomes(text: &str) -> Vec<StepOutcome> {
        let cases = parse_case(text, "cases/x.toml").unwrap();
        evaluate(&cases[0])
    }

    #[test]
    fn stand_ins_look_like_real_fixtures() {
        let queue = FixtureRef::parse("fifo-queue:own").unwrap();
        assert_eq!(
            fixture_attr(&queue, "arn").unwrap(),
            "arn:aws:sqs:us-east-1:123456789012:conform-00000000-fifo-queue-own.fifo"
        );
        let alias = FixtureRef::parse("function-alias").unwrap();
        assert!(fixture_attr(&alias, "arn")
            .unwrap()
            .ends_with(":function:conform-00000000-function:live"));
        for kind in FixtureKind::ALL {
            for attr in kind.attributes() {
                let fixture = FixtureRef { kind, label: None };
                assert!(fixture_attr(&fixture, attr).is_some(), "{kind}.{attr}");
            }
        }
    }

    #[test]
    fn items_are_named_as_the_model_names_them() {
        let out = outcomes(
            r#"
id = "x"
doc = "d"
operation = "CreateEventSourceMapping"
fixtures = ["function"]
[request]
FunctionName = "{function.name}"
EventSourceArn = "arn:aws:kafka:us-east-1:123456789012:cluster/c/1"
Topics = [".bad"]
Tags = { "" = "v" }
BatchSize = 0
"#,
        );
        let kinds: Vec<String> = out[0]
            .shape
            .iter()
            .map(|h| format!("{} {}", h.path, h.kind))
            .collect();
        assert_eq!(
            kinds,
            ["BatchSize range", "Tags{key} length", "Topics[] pattern"]
        );
        assert!(!out[0].rules_reached);
    }

    #[test]
    fn the_first_rule_is_answered_and_updates_read_the_created_mapping() {
        let out = outcomes(
            r#"
id = "x"
doc = "d"
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue:own"]
[[steps]]
name = "create"
request = { FunctionName = "{function.name}", EventSourceArn = "{queue:own.arn}" }
capture = { uuid = "UUID" }
[[steps]]
name = "update"
operation = "UpdateEventSourceMapping"
request = { UUID = "{capture.uuid}", BatchSize = 11 }
[[steps]]
name = "update-unknown"
operation = "UpdateEventSourceMapping"
request = { UUID = "5c4c2b6e-0000-4000-8000-000000000000", BatchSize = 11 }
"#,
        );
        assert!(out[0].shape.is_empty() && out[0].rules.is_empty());
        assert_eq!(
            out[1].answered_rule(),
            Some("batch-window.required-over-10")
        );
        // No mapping: AWS answers 404 before it checks the rules.
        assert_eq!(out[2].answered_rule(), None);
    }

    #[test]
    fn raw_requests_are_read_back_into_members() {
        let out = outcomes(
            r#"
id = "x"
doc = "d"
operation = "ListEventSourceMappings"
[raw]
method = "GET"
path = "/2015-03-31/event-source-mappings/"
query = "MaxItems=0"
"#,
        );
        assert_eq!(
            out[0].shape,
            [Hit {
                path: "MaxItems".into(),
                kind: "range"
            }]
        );
        let out = outcomes(
            r#"
id = "x"
doc = "d"
operation = "CreateEventSourceMapping"
[raw]
method = "POST"
path = "/2015-03-31/event-source-mappings"
body = '{"FunctionName": '
"#,
        );
        assert!(out[0].unchecked.is_some());
    }
}
