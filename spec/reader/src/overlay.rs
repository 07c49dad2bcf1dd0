//! The overlay: AWS rules that Smithy cannot express (cross-field checks, per-source rules,
//! disjoint ranges, hidden limits, AWS's order of checks and exact messages), plus per-source
//! response data. The file format is TOML; `docs/overlay.md` describes it.

use std::collections::HashSet;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{line_column, SpecError, SpecErrorKind};
use crate::ir::{shape_name, Model, ShapeKind};
use crate::path::MemberPath;

/// A loaded, checked overlay. Rules are sorted by `order`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlay {
    pub origin: String,
    /// The structure that holds a resulting resource (defaults and `on = "resulting"` paths).
    pub configuration: String,
    pub validation: ValidationStyle,
    pub sources: Vec<Source>,
    pub rules: Vec<Rule>,
}

/// How shape-constraint violations are reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationStyle {
    /// The error code of shape-constraint violations.
    #[serde(default = "ValidationStyle::default_error")]
    pub error: String,
    /// The order in which AWS lists an enum's values in messages, by enum shape id.
    #[serde(default)]
    pub enum_order: IndexMap<String, Vec<String>>,
}

impl ValidationStyle {
    fn default_error() -> String {
        "ValidationException".to_owned()
    }
}

impl Default for ValidationStyle {
    fn default() -> Self {
        ValidationStyle {
            error: Self::default_error(),
            enum_order: IndexMap::new(),
        }
    }
}

/// One source type: how a request is recognised as it, and what its responses hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub label: String,
    #[serde(rename = "match")]
    pub matcher: SourceMatch,
    pub state_transition_reason: String,
    /// Members the resulting configuration holds when the request leaves them out. A string
    /// value may hold `{Path}` placeholders.
    #[serde(default)]
    pub defaults: IndexMap<String, Value>,
    /// The error when the named event source does not exist.
    #[serde(default)]
    pub missing: Option<ErrorTemplate>,
    /// The error when a mapping with the same key exists.
    #[serde(default)]
    pub duplicate: Option<DuplicateTemplate>,
}

/// Two resources whose `key` paths all hold equal values are duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateTemplate {
    pub key: Vec<String>,
    pub error: String,
    pub message: String,
}

/// How a request's source type is recognised; the first source whose every given test holds wins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMatch {
    /// The member that holds the source's ARN.
    #[serde(default)]
    pub arn_member: Option<String>,
    /// The ARN's service (third field), e.g. `sqs`.
    #[serde(default)]
    pub arn_service: Option<Vec<String>>,
    /// The ARN's resource (sixth field onward) ends with this.
    #[serde(default)]
    pub resource_suffix: Option<String>,
    /// The ARN's resource contains this.
    #[serde(default)]
    pub resource_contains: Option<String>,
    /// The ARN's resource starts with this.
    #[serde(default)]
    pub resource_prefix: Option<String>,
    /// This member is present in the request.
    #[serde(default)]
    pub member_present: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTemplate {
    pub error: String,
    pub message: String,
}

/// What a rule's conditions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleTarget {
    /// Presence is read from the request; values from the request over the source's defaults.
    #[default]
    Request,
    /// Values are read from the mapping that results: the request over the stored mapping (on
    /// update) over the source's defaults.
    Resulting,
}

/// One rule. It raises `error` with `message` when the request's source is in `sources` (or
/// not in `except_sources`) and every condition in `when` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    pub order: u32,
    pub doc: String,
    /// Where the rule comes from: a recorded case id, a user report, or `assumed: why`.
    pub evidence: String,
    pub operations: Vec<String>,
    pub paths: Vec<String>,
    pub sources: Vec<String>,
    pub except_sources: Vec<String>,
    pub on: RuleTarget,
    pub when: Vec<Condition>,
    pub error: String,
    pub message: String,
}

/// A test on the request. Value tests do not hold when the value is absent, except `not_in`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Present(String),
    Absent(String),
    Equals(String, Value),
    In(String, Vec<Value>),
    NotIn(String, Vec<Value>),
    Greater(String, f64),
    GreaterOrEqual(String, f64),
    Less(String, f64),
    LessOrEqual(String, f64),
    /// The value lies outside every listed inclusive range.
    Outside(String, Vec<(f64, f64)>),
    /// A value without `:` (a plain name, not an ARN) is longer than this many characters.
    PlainNameLongerThan(String, u64),
    /// Some item is not a valid EventBridge-style filter pattern.
    InvalidFilterPattern(String),
    /// A timestamp lies in the future.
    InFuture(String),
}

impl Condition {
    pub fn path(&self) -> &str {
        match self {
            Condition::Present(p)
            | Condition::Absent(p)
            | Condition::Equals(p, _)
            | Condition::In(p, _)
            | Condition::NotIn(p, _)
            | Condition::Greater(p, _)
            | Condition::GreaterOrEqual(p, _)
            | Condition::Less(p, _)
            | Condition::LessOrEqual(p, _)
            | Condition::Outside(p, _)
            | Condition::PlainNameLongerThan(p, _)
            | Condition::InvalidFilterPattern(p)
            | Condition::InFuture(p) => p,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlay {
    format: u32,
    configuration: String,
    #[serde(default)]
    validation: ValidationStyle,
    #[serde(default, rename = "source")]
    sources: Vec<Source>,
    #[serde(default, rename = "rule")]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    order: u32,
    #[serde(default)]
    doc: String,
    evidence: String,
    operations: Vec<String>,
    paths: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    except_sources: Vec<String>,
    #[serde(default)]
    on: RuleTarget,
    when: Vec<RawCondition>,
    error: String,
    message: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    present: Option<String>,
    absent: Option<String>,
    path: Option<String>,
    equals: Option<Value>,
    #[serde(rename = "in")]
    in_: Option<Vec<Value>>,
    not_in: Option<Vec<Value>>,
    gt: Option<f64>,
    ge: Option<f64>,
    lt: Option<f64>,
    le: Option<f64>,
    outside: Option<Vec<(f64, f64)>>,
    plain_name_longer_than: Option<u64>,
    invalid_filter_pattern: Option<bool>,
    in_future: Option<bool>,
}

impl RawCondition {
    fn into_condition(self) -> Result<Condition, String> {
        let mut found: Vec<Condition> = Vec::new();
        if let Some(p) = self.present {
            found.push(Condition::Present(p));
        }
        if let Some(p) = self.absent {
            found.push(Condition::Absent(p));
        }
        let path = self.path;
        let need_path = |test: &str| path.clone().ok_or_else(|| format!("`{test}` needs `path`"));
        if let Some(v) = self.equals {
            found.push(Condition::Equals(need_path("equals")?, v));
        }
        if let Some(v) = self.in_ {
            found.push(Condition::In(need_path("in")?, v));
        }
        if let Some(v) = self.not_in {
            found.push(Condition::NotIn(need_path("not_in")?, v));
        }
        if let Some(v) = self.gt {
            found.push(Condition::Greater(need_path("gt")?, v));
        }
        if let Some(v) = self.ge {
            found.push(Condition::GreaterOrEqual(need_path("ge")?, v));
        }
        if let Some(v) = self.lt {
            found.push(Condition::Less(need_path("lt")?, v));
        }
        if let Some(v) = self.le {
            found.push(Condition::LessOrEqual(need_path("le")?, v));
        }
        if let Some(v) = self.outside {
            found.push(Condition::Outside(need_path("outside")?, v));
        }
        if let Some(v) = self.plain_name_longer_than {
            found.push(Condition::PlainNameLongerThan(
                need_path("plain_name_longer_than")?,
                v,
            ));
        }
        if self.invalid_filter_pattern == Some(true) {
            found.push(Condition::InvalidFilterPattern(need_path(
                "invalid_filter_pattern",
            )?));
        }
        if self.in_future == Some(true) {
            found.push(Condition::InFuture(need_path("in_future")?));
        }
        match found.len() {
            1 => Ok(found.pop().expect("one condition")),
            0 => Err("a condition needs one test (present, absent, equals, in, not_in, gt, ge, lt, le, outside, plain_name_longer_than, invalid_filter_pattern, in_future)".into()),
            _ => Err("a condition holds exactly one test; use several conditions".into()),
        }
    }
}

impl Overlay {
    /// Reads an overlay file and checks it against `model`.
    pub fn load(path: impl AsRef<Path>, model: &Model) -> Result<Overlay, SpecError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| SpecError::new(&origin, SpecErrorKind::Io(e.to_string())))?;
        Overlay::from_toml(&text, &origin, model)
    }

    /// Parses overlay TOML and checks every rule, path and source against `model`.
    pub fn from_toml(text: &str, origin: &str, model: &Model) -> Result<Overlay, SpecError> {
        let raw: RawOverlay = toml::from_str(text).map_err(|e| {
            let error = SpecError::new(origin, SpecErrorKind::Toml(e.message().to_owned()));
            match e.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start.min(text.len()));
                    error.at(line, column)
                }
                None => error,
            }
        })?;
        let rule_error = |rule: &str, kind: SpecErrorKind| {
            let error = SpecError::new(origin, kind);
            match find_rule_line(text, rule) {
                Some(line) => error.at(line, 1),
                None => error,
            }
        };
        if raw.format != 1 {
            return Err(SpecError::new(
                origin,
                SpecErrorKind::Toml(format!(
                    "unsupported overlay format {} (this reader knows 1)",
                    raw.format
                )),
            ));
        }
        // Paths resolve from the configuration, so it must be a structure.
        let configuration_problem = match model.shape(&raw.configuration).map(|s| &s.kind) {
            Some(ShapeKind::Structure { .. }) => None,
            Some(kind) => Some(format!(
                "it has type `{}`, not `structure`",
                kind.type_name()
            )),
            None => Some("no such shape".to_owned()),
        };
        if let Some(reason) = configuration_problem {
            let error = SpecError::new(
                origin,
                SpecErrorKind::OverlayPath {
                    rule: "configuration".into(),
                    path: raw.configuration.clone(),
                    reason,
                },
            );
            return Err(
                match text
                    .lines()
                    .position(|l| l.trim_start().starts_with("configuration"))
                {
                    Some(index) => error.at(index + 1, 1),
                    None => error,
                },
            );
        }
        for (enum_id, order) in &raw.validation.enum_order {
            let values: Option<Vec<String>> = match model.shape(enum_id).map(|s| &s.kind) {
                Some(ShapeKind::Enum { variants }) => {
                    Some(variants.iter().map(|v| v.value.clone()).collect())
                }
                Some(ShapeKind::IntEnum { variants }) => {
                    Some(variants.iter().map(|v| v.value.to_string()).collect())
                }
                _ => None,
            };
            let reason = match &values {
                None => Some("no such enum shape".to_owned()),
                Some(values) => order
                    .iter()
                    .find(|v| !values.contains(v))
                    .map(|v| format!("`{v}` is not one of its values")),
            };
            if let Some(reason) = reason {
                return Err(rule_error(
                    "validation.enum_order",
                    SpecErrorKind::OverlayPath {
                        rule: "validation.enum_order".into(),
                        path: enum_id.clone(),
                        reason,
                    },
                ));
            }
        }

        let source_ids: HashSet<&str> = raw.sources.iter().map(|s| s.id.as_str()).collect();
        let checker = PathChecker {
            model,
            configuration: &raw.configuration,
        };
        for source in &raw.sources {
            let rule = format!("source {}", source.id);
            let mut paths: Vec<&str> = source.defaults.keys().map(String::as_str).collect();
            paths.extend(source.matcher.arn_member.as_deref());
            paths.extend(source.matcher.member_present.as_deref());
            for path in paths {
                checker.check_anywhere(path).map_err(|reason| {
                    rule_error(
                        &source.id,
                        SpecErrorKind::OverlayPath {
                            rule: rule.clone(),
                            path: path.to_owned(),
                            reason,
                        },
                    )
                })?;
            }
            let mut templates: Vec<&str> = Vec::new();
            // String values of defaults, nested ones included, may hold placeholders too.
            let mut pending: Vec<&Value> = source.defaults.values().rev().collect();
            while let Some(value) = pending.pop() {
                match value {
                    Value::String(text) => templates.push(text),
                    Value::Array(items) => pending.extend(items.iter().rev()),
                    Value::Object(fields) => pending.extend(fields.values().rev()),
                    _ => {}
                }
            }
            templates.extend(source.missing.as_ref().map(|t| t.message.as_str()));
            if let Some(duplicate) = &source.duplicate {
                templates.push(&duplicate.message);
                for path in &duplicate.key {
                    checker.check_anywhere(path).map_err(|reason| {
                        rule_error(
                            &source.id,
                            SpecErrorKind::OverlayPath {
                                rule: rule.clone(),
                                path: path.clone(),
                                reason,
                            },
                        )
                    })?;
                }
            }
            for template in templates {
                for path in placeholders(template) {
                    checker.check_anywhere(&path).map_err(|reason| {
                        rule_error(
                            &source.id,
                            SpecErrorKind::OverlayPath {
                                rule: rule.clone(),
                                path: path.clone(),
                                reason,
                            },
                        )
                    })?;
                }
            }
        }

        let mut rules = Vec::with_capacity(raw.rules.len());
        let mut seen_ids = HashSet::new();
        for raw_rule in raw.rules {
            let id = raw_rule.id.clone();
            let fail = |kind: SpecErrorKind| rule_error(&id, kind);
            let rule_message = |message: String| SpecErrorKind::OverlayRule {
                rule: id.clone(),
                message,
            };
            if !seen_ids.insert(id.clone()) {
                // Point at the repeated rule, not at the first one.
                let error = SpecError::new(origin, rule_message("duplicate rule id".into()));
                return Err(match rule_lines(text, &id).nth(1) {
                    Some(line) => error.at(line, 1),
                    None => error,
                });
            }
            if raw_rule.operations.is_empty() {
                return Err(fail(rule_message("`operations` is empty".into())));
            }
            let mut operations = Vec::new();
            for name in &raw_rule.operations {
                let (shape, op) = model
                    .operation(name)
                    .map_err(|kind| fail(rule_message(kind.to_string())))?;
                let error_known = raw_rule.error == raw.validation.error
                    || op.errors.iter().any(|e| shape_name(e) == raw_rule.error);
                if !error_known {
                    return Err(fail(rule_message(format!(
                        "error `{}` is neither a modeled error of {} nor the validation error",
                        raw_rule.error,
                        shape_name(&shape.id)
                    ))));
                }
                operations.push((shape_name(&shape.id).to_owned(), op.input.clone()));
            }
            for source in raw_rule.sources.iter().chain(&raw_rule.except_sources) {
                if !source_ids.contains(source.as_str()) {
                    return Err(fail(rule_message(format!("unknown source `{source}`"))));
                }
            }
            let when = raw_rule
                .when
                .into_iter()
                .map(RawCondition::into_condition)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| fail(rule_message(m)))?;
            let mut paths: Vec<(String, bool)> =
                raw_rule.paths.iter().map(|p| (p.clone(), false)).collect();
            paths.extend(when.iter().map(|c| (c.path().to_owned(), false)));
            // Message placeholders may also name members of the resulting configuration.
            paths.extend(
                placeholders(&raw_rule.message)
                    .into_iter()
                    .map(|p| (p, true)),
            );
            for (path, placeholder) in &paths {
                for (_, input) in &operations {
                    let input = input.as_deref();
                    let result = if *placeholder || raw_rule.on == RuleTarget::Resulting {
                        checker.check(path, input)
                    } else {
                        checker.check_input(path, input)
                    };
                    result.map_err(|reason| {
                        fail(SpecErrorKind::OverlayPath {
                            rule: id.clone(),
                            path: path.clone(),
                            reason,
                        })
                    })?;
                }
            }
            rules.push(Rule {
                id: raw_rule.id,
                order: raw_rule.order,
                doc: raw_rule.doc,
                evidence: raw_rule.evidence,
                operations: operations.into_iter().map(|(name, _)| name).collect(),
                paths: raw_rule.paths,
                sources: raw_rule.sources,
                except_sources: raw_rule.except_sources,
                on: raw_rule.on,
                when,
                error: raw_rule.error,
                message: raw_rule.message,
            });
        }
        rules.sort_by_key(|r| r.order);
        Ok(Overlay {
            origin: origin.to_owned(),
            configuration: raw.configuration,
            validation: raw.validation,
            sources: raw.sources,
            rules,
        })
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Rules that apply to an operation (by bare name), in AWS's order of checks.
    pub fn rules_for<'a>(&'a self, operation: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.operations.iter().any(|o| o == operation))
    }
}

struct PathChecker<'m> {
    model: &'m Model,
    configuration: &'m str,
}

impl PathChecker<'_> {
    /// The path must exist in the input (when given) or in the resulting configuration.
    fn check(&self, path: &str, input: Option<&str>) -> Result<(), String> {
        let parsed = MemberPath::parse(path)?;
        let in_input = input.map(|i| parsed.resolve(self.model, i));
        match in_input {
            Some(Ok(_)) => Ok(()),
            _ => parsed
                .resolve(self.model, self.configuration)
                .map(|_| ())
                .map_err(|e| match in_input {
                    Some(Err(input_error)) => format!("{input_error}; {e}"),
                    _ => e,
                }),
        }
    }

    /// The path must exist in the configuration or in some operation's input: source data
    /// serves every operation.
    fn check_anywhere(&self, path: &str) -> Result<(), String> {
        let configuration = self.check(path, None);
        if configuration.is_ok() {
            return configuration;
        }
        let in_some_input = self
            .model
            .operations()
            .filter_map(|(_, op)| op.input.as_deref())
            .any(|input| self.check_input(path, Some(input)).is_ok());
        if in_some_input {
            Ok(())
        } else {
            configuration.map_err(|e| format!("{e}, nor in any operation's input"))
        }
    }

    /// The path must exist in the operation's input.
    fn check_input(&self, path: &str, input: Option<&str>) -> Result<(), String> {
        let parsed = MemberPath::parse(path)?;
        match input {
            Some(input) => parsed.resolve(self.model, input).map(|_| ()),
            None => Err("the operation has no input".into()),
        }
    }
}

/// The `{Path}` placeholders of a message template.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        // A placeholder may itself hold `{key}`/`{value}` segments: match braces.
        let mut depth = 1;
        let mut end = None;
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

fn find_rule_line(text: &str, id: &str) -> Option<usize> {
    rule_lines(text, id).next()
}

/// Every line that declares `id`, in file order.
fn rule_lines<'a>(text: &'a str, id: &str) -> impl Iterator<Item = usize> + 'a {
    let needle_double = format!("id = \"{id}\"");
    let needle_single = format!("id = '{id}'");
    let table = format!("[{id}");
    text.lines().enumerate().filter_map(move |(index, line)| {
        let line = line.trim();
        (line == needle_double || line == needle_single || line.starts_with(&table))
            .then_some(index + 1)
    })
}
