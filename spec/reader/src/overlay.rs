//! The overlay: AWS rules that Smithy cannot express (cross-field checks, per-source rules,
//! disjoint ranges, hidden limits, AWS's order of checks and exact messages), plus per-source
//! response data. The file format is TOML; `docs/overlay.md` describes it.

use std::collections::HashSet;
use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{line_column, SpecError, SpecErrorKind};
use crate::ir::{shape_name, Model, Scalar, ShapeKind};
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

impl Rule {
    /// Whether the rule applies to a request of source `source` (`None`: no source known, when
    /// only the rules of every source apply). Generated rule code picks rules by it; the
    /// runtime's rule index (`conform_runtime::rules`, `Index::build`) decides the same way.
    pub fn applies_to(&self, source: Option<&str>) -> bool {
        match source {
            Some(id) => {
                (self.sources.is_empty() || self.sources.iter().any(|s| s == id))
                    && !self.except_sources.iter().any(|s| s == id)
            }
            None => self.sources.is_empty() && self.except_sources.is_empty(),
        }
    }
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

    /// The overlay key of its test, for messages.
    fn key(&self) -> &'static str {
        match self {
            Condition::Present(_) => "present",
            Condition::Absent(_) => "absent",
            Condition::Equals(..) => "equals",
            Condition::In(..) => "in",
            Condition::NotIn(..) => "not_in",
            Condition::Greater(..) => "gt",
            Condition::GreaterOrEqual(..) => "ge",
            Condition::Less(..) => "lt",
            Condition::LessOrEqual(..) => "le",
            Condition::Outside(..) => "outside",
            Condition::PlainNameLongerThan(..) => "plain_name_longer_than",
            Condition::InvalidFilterPattern(_) => "invalid_filter_pattern",
            Condition::InFuture(_) => "in_future",
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
    // Not `(f64, f64)`: serde would drop a third number silently.
    outside: Option<Vec<Vec<f64>>>,
    plain_name_longer_than: Option<u64>,
    invalid_filter_pattern: Option<bool>,
    in_future: Option<bool>,
}

impl RawCondition {
    fn into_condition(self) -> Result<Condition, String> {
        let path = self.path;
        let need_path = |test: &str| path.clone().ok_or_else(|| format!("`{test}` needs `path`"));
        let mut found: Vec<Condition> = Vec::new();
        if let Some(p) = self.present {
            found.push(Condition::Present(p));
        }
        if let Some(p) = self.absent {
            found.push(Condition::Absent(p));
        }
        if let Some(v) = self.equals {
            let v = literal("equals", v)?;
            found.push(Condition::Equals(need_path("equals")?, v));
        }
        if let Some(v) = self.in_ {
            let v = literal_set("in", v)?;
            found.push(Condition::In(need_path("in")?, v));
        }
        if let Some(v) = self.not_in {
            let v = literal_set("not_in", v)?;
            found.push(Condition::NotIn(need_path("not_in")?, v));
        }
        if let Some(v) = self.gt {
            found.push(Condition::Greater(need_path("gt")?, finite("gt", v)?));
        }
        if let Some(v) = self.ge {
            found.push(Condition::GreaterOrEqual(
                need_path("ge")?,
                finite("ge", v)?,
            ));
        }
        if let Some(v) = self.lt {
            found.push(Condition::Less(need_path("lt")?, finite("lt", v)?));
        }
        if let Some(v) = self.le {
            found.push(Condition::LessOrEqual(need_path("le")?, finite("le", v)?));
        }
        if let Some(v) = self.outside {
            found.push(Condition::Outside(need_path("outside")?, ranges(v)?));
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
        let condition = match found.len() {
            1 => found.pop().expect("one condition"),
            0 => return Err("a condition needs one test (present, absent, equals, in, not_in, gt, ge, lt, le, outside, plain_name_longer_than, invalid_filter_pattern, in_future)".into()),
            _ => return Err("a condition holds exactly one test; use several conditions".into()),
        };
        // A key the test does not read would be ignored, though its author meant something.
        let stray = if matches!(condition, Condition::Present(_) | Condition::Absent(_))
            && path.is_some()
        {
            Some("path")
        } else if self.invalid_filter_pattern == Some(false) {
            Some("invalid_filter_pattern = false")
        } else if self.in_future == Some(false) {
            Some("in_future = false")
        } else {
            None
        };
        match stray {
            Some(key) => Err(format!("`{key}` has no place beside `{}`", condition.key())),
            None => Ok(condition),
        }
    }
}

/// A literal a condition compares with: a string, a number or a boolean, as the runtime's.
fn literal(test: &str, value: Value) -> Result<Value, String> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(value),
        other => Err(format!(
            "`{test}` compares with a string, a finite number or a boolean, not {}",
            describe(&other)
        )),
    }
}

/// The literals of `in` or `not_in`; an empty set says nothing (or everything).
fn literal_set(test: &str, values: Vec<Value>) -> Result<Vec<Value>, String> {
    if values.is_empty() {
        return Err(format!("`{test}` lists no value"));
    }
    values.into_iter().map(|v| literal(test, v)).collect()
}

/// TOML reads `nan` and `inf`; no comparison with them means anything, and code generation
/// cannot write them as literals.
fn finite(test: &str, n: f64) -> Result<f64, String> {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(format!("`{test}` must be a finite number, not {n}"))
    }
}

/// The inclusive ranges of `outside`: each `[low, high]`, finite, with low <= high.
fn ranges(raw: Vec<Vec<f64>>) -> Result<Vec<(f64, f64)>, String> {
    if raw.is_empty() {
        return Err("`outside` lists no range".into());
    }
    raw.into_iter()
        .map(|range| {
            let shown = || {
                let numbers: Vec<String> = range.iter().map(f64::to_string).collect();
                format!("[{}]", numbers.join(", "))
            };
            let &[low, high] = range.as_slice() else {
                return Err(format!(
                    "`outside` range {} must be two numbers, [low, high]",
                    shown()
                ));
            };
            finite("outside", low)?;
            finite("outside", high)?;
            if low > high {
                return Err(format!(
                    "`outside` range {} is inverted: its low end is above its high end",
                    shown()
                ));
            }
            Ok((low, high))
        })
        .collect()
}

/// A value as the overlay's author wrote it. TOML has no null: serde_json makes one of a NaN or
/// an infinity, which it cannot hold; toml hands a datetime over as an object with a private key.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nan or an infinity".into(),
        Value::String(_) => format!("the string {value}"),
        Value::Number(_) => format!("the number {value}"),
        Value::Bool(_) => format!("the boolean {value}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) if is_toml_datetime(value) => "a datetime".into(),
        Value::Object(_) => "a table".into(),
    }
}

fn is_toml_datetime(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.contains_key("$__toml_private_datetime"))
}

/// `a integer` reads badly: the article for a Smithy type name.
fn a(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

/// Whether `value` can be a value of `shape` (at `at`, for messages): a source default, or a
/// literal a condition compares with. Lists, maps and structures are checked member by member.
fn value_fits(model: &Model, shape: &str, value: &Value, at: &str) -> Result<(), String> {
    if value.is_null() || is_toml_datetime(value) {
        return Err(format!(
            "`{at}` holds {}, which JSON cannot",
            describe(value)
        ));
    }
    let Some(found) = model.shape(shape) else {
        return Err(format!("`{shape}` is not defined"));
    };
    let mismatch = || {
        format!(
            "`{at}` is {} (`{shape}`), not {}",
            a(found.kind.type_name()),
            describe(value)
        )
    };
    let kind = &found.kind;
    match (kind, value) {
        _ if is_document(kind) => Ok(()),
        (_, Value::String(_)) if is_text(kind) => Ok(()),
        (_, Value::Bool(_))
            if matches!(
                kind,
                ShapeKind::Scalar {
                    scalar: Scalar::Boolean
                }
            ) =>
        {
            Ok(())
        }
        // A default of 10.0, or one beyond the type's width, would not deserialize into an
        // integer member.
        (_, Value::Number(n)) if is_number(kind) => {
            let (integral, range) = match kind {
                ShapeKind::Scalar { scalar } => (scalar.is_integral(), scalar.integer_range()),
                // An intEnum's values are Integers.
                _ => (true, Scalar::Integer.integer_range()),
            };
            let whole = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
            match (integral, whole, range) {
                (false, ..) => Ok(()),
                (true, None, _) => Err(mismatch()),
                (true, Some(v), Some((low, high))) if v < low || v > high => Err(format!(
                    "`{at}` is {} (`{shape}`, from {low} to {high}), not {v}",
                    a(found.kind.type_name())
                )),
                (true, Some(_), _) => Ok(()),
            }
        }
        (ShapeKind::List { member }, Value::Array(items)) => items
            .iter()
            .try_for_each(|item| value_fits(model, &member.target, item, &format!("{at}[]"))),
        (ShapeKind::Map { key, value: entry }, Value::Object(entries)) => {
            entries.iter().try_for_each(|(k, v)| {
                let key_value = Value::String(k.clone());
                value_fits(model, &key.target, &key_value, &format!("{at}{{key}}"))?;
                value_fits(model, &entry.target, v, &format!("{at}{{value}}"))
            })
        }
        (
            ShapeKind::Structure { members } | ShapeKind::Union { members },
            Value::Object(fields),
        ) => {
            if matches!(kind, ShapeKind::Union { .. }) && fields.len() != 1 {
                return Err(format!(
                    "`{at}` is a union (`{shape}`): it holds exactly one member, not {}",
                    fields.len()
                ));
            }
            fields.iter().try_for_each(|(name, v)| {
                let member = members
                    .iter()
                    .find(|m| m.name == *name)
                    .ok_or_else(|| format!("`{shape}` has no member `{name}`"))?;
                value_fits(model, &member.target, v, &format!("{at}.{name}"))
            })
        }
        _ => Err(mismatch()),
    }
}

/// Whether a condition can ever hold on a member of `shape`: a comparison the member's type
/// cannot take would silently never fire (or, for `not_in`, always).
fn condition_fits(model: &Model, condition: &Condition, shape: &str) -> Result<(), String> {
    let (path, test) = (condition.path(), condition.key());
    let (wants, fits): (&str, fn(&ShapeKind) -> bool) = match condition {
        Condition::Present(_) | Condition::Absent(_) => return Ok(()),
        Condition::Equals(_, v) => {
            return literals_fit(model, test, std::slice::from_ref(v), shape, path)
        }
        Condition::In(_, vs) | Condition::NotIn(_, vs) => {
            return literals_fit(model, test, vs, shape, path)
        }
        Condition::Greater(..)
        | Condition::GreaterOrEqual(..)
        | Condition::Less(..)
        | Condition::LessOrEqual(..)
        | Condition::Outside(..) => ("compares numbers", is_number),
        Condition::InFuture(_) => ("compares timestamps", is_number),
        Condition::PlainNameLongerThan(..) | Condition::InvalidFilterPattern(_) => {
            ("tests strings", is_text)
        }
    };
    match model.shape(shape).map(|s| &s.kind) {
        Some(kind) if fits(kind) || is_document(kind) => Ok(()),
        Some(kind) => Err(format!(
            "`{test}` {wants}, but `{path}` is {} (`{shape}`)",
            a(kind.type_name())
        )),
        None => Err(format!("`{shape}` is not defined")),
    }
}

fn literals_fit(
    model: &Model,
    test: &str,
    literals: &[Value],
    shape: &str,
    path: &str,
) -> Result<(), String> {
    literals.iter().try_for_each(|v| {
        value_fits(model, shape, v, path)
            .map_err(|reason| format!("`{test}` does not fit: {reason}"))
    })
}

/// What the runtime reads as a number: numbers, intEnums and timestamps (epoch seconds).
fn is_number(kind: &ShapeKind) -> bool {
    match kind {
        ShapeKind::Scalar { scalar } => scalar.is_numeric() || *scalar == Scalar::Timestamp,
        ShapeKind::IntEnum { .. } => true,
        _ => false,
    }
}

/// What the runtime reads as a string: strings, blobs and enums.
fn is_text(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Scalar {
            scalar: Scalar::String | Scalar::Blob
        } | ShapeKind::Enum { .. }
    )
}

fn is_document(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Scalar {
            scalar: Scalar::Document
        }
    )
}

impl Overlay {
    /// Reads an overlay file and checks it against `model`.
    pub fn load(path: impl AsRef<Path>, model: &Model) -> Result<Overlay, SpecError> {
        let path = path.as_ref();
        let text = crate::error::read_text(path)?;
        Overlay::from_toml(&text, &path.display().to_string(), model)
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
            let source_message = |message: String| {
                rule_error(
                    &source.id,
                    SpecErrorKind::OverlayRule {
                        rule: rule.clone(),
                        message,
                    },
                )
            };
            let check_path = |path: &str| {
                checker.check_anywhere(path).map_err(|reason| {
                    rule_error(
                        &source.id,
                        SpecErrorKind::OverlayPath {
                            rule: rule.clone(),
                            path: path.to_owned(),
                            reason,
                        },
                    )
                })
            };
            for (path, value) in &source.defaults {
                let shape = check_path(path)?;
                value_fits(model, shape, value, path)
                    .map_err(|reason| source_message(format!("defaults: {reason}")))?;
            }
            let matcher = &source.matcher;
            for path in matcher.arn_member.iter().chain(&matcher.member_present) {
                check_path(path)?;
            }
            let mut templates: Vec<(&str, &str)> = Vec::new();
            // String values of defaults, nested ones included, may hold placeholders too.
            let mut pending: Vec<&Value> = source.defaults.values().rev().collect();
            while let Some(value) = pending.pop() {
                match value {
                    Value::String(text) => templates.push(("a default", text)),
                    Value::Array(items) => pending.extend(items.iter().rev()),
                    Value::Object(fields) => pending.extend(fields.values().rev()),
                    _ => {}
                }
            }
            if let Some(missing) = &source.missing {
                templates.push(("`missing.message`", &missing.message));
            }
            if let Some(duplicate) = &source.duplicate {
                templates.push(("`duplicate.message`", &duplicate.message));
                for path in &duplicate.key {
                    check_path(path)?;
                }
            }
            for (name, template) in templates {
                for path in template_placeholders(name, template).map_err(source_message)? {
                    check_path(&path)?;
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
            if raw_rule.paths.is_empty() {
                return Err(fail(rule_message(
                    "`paths` is empty; its first path is where the violation is reported".into(),
                )));
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
            let message_paths = template_placeholders("the message", &raw_rule.message)
                .map_err(|m| fail(rule_message(m)))?;
            paths.extend(message_paths.into_iter().map(|p| (p, true)));
            let resolve = |path: &str, placeholder: bool, input: Option<&str>| {
                let result = if placeholder || raw_rule.on == RuleTarget::Resulting {
                    checker.check(path, input)
                } else {
                    checker.check_input(path, input)
                };
                result.map_err(|reason| {
                    fail(SpecErrorKind::OverlayPath {
                        rule: id.clone(),
                        path: path.to_owned(),
                        reason,
                    })
                })
            };
            for (path, placeholder) in &paths {
                for (_, input) in &operations {
                    resolve(path, *placeholder, input.as_deref())?;
                }
            }
            for condition in &when {
                for (_, input) in &operations {
                    let shape = resolve(condition.path(), false, input.as_deref())?;
                    condition_fits(model, condition, shape).map_err(|m| fail(rule_message(m)))?;
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

    /// The overlay for a model narrowed to `operations` (full ids or bare names, as
    /// [`Model::select`] takes them): the rules of those operations only. Check the overlay
    /// against the whole model first; a rule of another operation names members the narrowed
    /// model may not have.
    pub fn select<S: AsRef<str>>(&self, operations: &[S]) -> Overlay {
        let selected = |name: &String| {
            operations
                .iter()
                .any(|o| shape_name(o.as_ref()) == shape_name(name))
        };
        let rules = self
            .rules
            .iter()
            .filter(|rule| rule.operations.iter().any(selected))
            .map(|rule| Rule {
                operations: rule
                    .operations
                    .iter()
                    .filter(|o| selected(o))
                    .cloned()
                    .collect(),
                ..rule.clone()
            })
            .collect();
        Overlay {
            rules,
            ..self.clone()
        }
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

impl<'m> PathChecker<'m> {
    /// The path must exist in the input (when given) or in the resulting configuration; the
    /// shape it ends on.
    fn check(&self, path: &str, input: Option<&str>) -> Result<&'m str, String> {
        let parsed = MemberPath::parse(path)?;
        let in_input = input.map(|i| parsed.resolve(self.model, i));
        match in_input {
            Some(Ok(shape)) => Ok(shape),
            _ => parsed
                .resolve(self.model, self.configuration)
                .map_err(|e| match in_input {
                    Some(Err(input_error)) => format!("{input_error}; {e}"),
                    _ => e,
                }),
        }
    }

    /// The path must exist in the configuration or in some operation's input: source data
    /// serves every operation.
    fn check_anywhere(&self, path: &str) -> Result<&'m str, String> {
        match self.check(path, None) {
            Ok(shape) => Ok(shape),
            Err(e) => self
                .model
                .operations()
                .filter_map(|(_, op)| op.input.as_deref())
                .find_map(|input| self.check_input(path, Some(input)).ok())
                .ok_or_else(|| format!("{e}, nor in any operation's input")),
        }
    }

    /// The path must exist in the operation's input; the shape it ends on.
    fn check_input(&self, path: &str, input: Option<&str>) -> Result<&'m str, String> {
        let parsed = MemberPath::parse(path)?;
        match input {
            Some(input) => parsed.resolve(self.model, input),
            None => Err("the operation has no input".into()),
        }
    }
}

/// The `{Path}` placeholders of a message template.
pub fn placeholders(template: &str) -> Vec<String> {
    scan_placeholders(template).0
}

/// The placeholders of `template` (named `name` in messages), refusing what the runtime's
/// `parse_template` would print as it stands: an unclosed `{` as text, `{}` as nothing.
fn template_placeholders(name: &str, template: &str) -> Result<Vec<String>, String> {
    let (found, unclosed) = scan_placeholders(template);
    if let Some(start) = unclosed {
        let shown: String = template[start..].chars().take(24).collect();
        let shown = shown.trim_end();
        return Err(format!("{name} has a `{{` that is never closed: `{shown}`"));
    }
    if found.iter().any(String::is_empty) {
        return Err(format!("{name} has an empty placeholder `{{}}`"));
    }
    Ok(found)
}

/// The placeholders up to the first unclosed `{`, and that brace's byte offset.
fn scan_placeholders(template: &str) -> (Vec<String>, Option<usize>) {
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
        let Some(end) = end else {
            return (out, Some(template.len() - rest.len() + start));
        };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    (out, None)
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
