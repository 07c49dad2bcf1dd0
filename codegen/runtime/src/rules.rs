//! Overlay rules as static data, and their evaluation: the source type of a request, then every
//! rule of the operation in AWS's order of checks.

use std::sync::OnceLock;

use crate::inspect::{is_present, Inspect, Scalar};
use crate::path::{Path, Segment};
use crate::violation::{Violation, ViolationKind, ViolationValue};

/// One step of a member path in static data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSeg {
    Member(&'static str),
    Items,
    Keys,
    Values,
}

/// A constant a condition compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Str(&'static str),
    Num(f64),
    Bool(bool),
}

impl Literal {
    fn matches(&self, value: Scalar<'_>) -> bool {
        match (*self, value) {
            (Literal::Str(a), Scalar::Str(b)) => a == b,
            (Literal::Bool(a), Scalar::Bool(b)) => a == b,
            (Literal::Num(a), v) => v.as_f64() == Some(a),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Condition {
    Present(&'static [PathSeg]),
    Absent(&'static [PathSeg]),
    Equals(&'static [PathSeg], Literal),
    In(&'static [PathSeg], &'static [Literal]),
    NotIn(&'static [PathSeg], &'static [Literal]),
    Greater(&'static [PathSeg], f64),
    GreaterOrEqual(&'static [PathSeg], f64),
    Less(&'static [PathSeg], f64),
    LessOrEqual(&'static [PathSeg], f64),
    Outside(&'static [PathSeg], &'static [(f64, f64)]),
    PlainNameLongerThan(&'static [PathSeg], u64),
    InvalidFilterPattern(&'static [PathSeg]),
    InFuture(&'static [PathSeg]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Request,
    Resulting,
}

#[derive(Debug)]
pub struct RuleDef {
    pub id: &'static str,
    pub operations: &'static [&'static str],
    /// The first is the member the violation is reported on.
    pub paths: &'static [&'static [PathSeg]],
    pub sources: &'static [&'static str],
    pub except_sources: &'static [&'static str],
    pub on: Target,
    pub when: &'static [Condition],
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug, Default)]
pub struct SourceMatcher {
    pub arn_member: Option<&'static [PathSeg]>,
    pub arn_service: &'static [&'static str],
    pub resource_suffix: Option<&'static str>,
    pub resource_contains: Option<&'static str>,
    pub resource_prefix: Option<&'static str>,
    pub member_present: Option<&'static [PathSeg]>,
}

#[derive(Debug)]
pub struct ErrorTemplate {
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug)]
pub struct DuplicateDef {
    pub key: &'static [&'static [PathSeg]],
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug)]
pub struct SourceDef {
    pub id: &'static str,
    pub label: &'static str,
    pub matcher: SourceMatcher,
    pub state_transition_reason: &'static str,
    /// JSON object of the configuration's defaults for this source.
    pub defaults_json: &'static str,
    pub defaults: OnceLock<serde_json::Value>,
    pub missing: Option<ErrorTemplate>,
    pub duplicate: Option<DuplicateDef>,
}

impl SourceDef {
    /// The defaults, parsed once. Generated data is valid JSON; an empty object otherwise.
    pub fn defaults(&self) -> &serde_json::Value {
        self.defaults.get_or_init(|| {
            serde_json::from_str(self.defaults_json)
                .unwrap_or(serde_json::Value::Object(Default::default()))
        })
    }

    fn matches(&self, layers: &[&dyn Inspect]) -> bool {
        let m = &self.matcher;
        if let Some(path) = m.member_present {
            if !layers.iter().any(|l| is_present(*l, path)) {
                return false;
            }
        }
        if let Some(path) = m.arn_member {
            let Some(arn) = first_string(layers, path) else {
                return false;
            };
            let mut fields = arn.splitn(6, ':');
            let (Some("arn"), _, Some(service), _, _, Some(resource)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                return false;
            };
            if !m.arn_service.is_empty() && !m.arn_service.contains(&service) {
                return false;
            }
            if m.resource_suffix.is_some_and(|s| !resource.ends_with(s))
                || m.resource_contains.is_some_and(|s| !resource.contains(s))
                || m.resource_prefix.is_some_and(|s| !resource.starts_with(s))
            {
                return false;
            }
        }
        true
    }
}

/// All the overlay's data for one model.
#[derive(Debug)]
pub struct RuleSet {
    pub validation_error: &'static str,
    pub sources: &'static [&'static SourceDef],
    pub rules: &'static [RuleDef],
}

/// What rules may read besides the request.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    /// The stored resource an update applies to.
    pub existing: Option<&'a dyn Inspect>,
    /// Now, in epoch seconds, for rules about the future.
    pub now: f64,
}

impl Default for RuleContext<'_> {
    fn default() -> Self {
        RuleContext {
            existing: None,
            now: crate::timestamp::Timestamp::now().0,
        }
    }
}

impl RuleSet {
    /// The request's source: the first whose matcher holds, reading the request and then the
    /// stored resource.
    pub fn classify(
        &self,
        request: &dyn Inspect,
        existing: Option<&dyn Inspect>,
    ) -> Option<&'static SourceDef> {
        // No allocation: this runs on every validation.
        let both = [request, existing.unwrap_or(request)];
        let layers = if existing.is_some() {
            &both[..]
        } else {
            &both[..1]
        };
        self.sources.iter().copied().find(|s| s.matches(layers))
    }

    pub fn source(&self, id: &str) -> Option<&'static SourceDef> {
        self.sources.iter().copied().find(|s| s.id == id)
    }

    /// Every rule of `operation` that fires, in AWS's order of checks.
    pub fn evaluate(
        &self,
        operation: &str,
        request: &dyn Inspect,
        context: RuleContext<'_>,
    ) -> Vec<Violation> {
        let source = self.classify(request, context.existing);
        let defaults = source.map(|s| s.defaults() as &dyn Inspect);
        // The layers rules read, built once rather than per rule.
        let mut request_layers: [&dyn Inspect; 2] = [request; 2];
        let mut request_len = 1;
        let mut resulting: [&dyn Inspect; 3] = [request; 3];
        let mut resulting_len = 1;
        if let Some(existing) = context.existing {
            resulting[resulting_len] = existing;
            resulting_len += 1;
        }
        if let Some(defaults) = defaults {
            request_layers[request_len] = defaults;
            request_len += 1;
            resulting[resulting_len] = defaults;
            resulting_len += 1;
        }
        let request_layers = &request_layers[..request_len];
        let resulting = &resulting[..resulting_len];
        let mut out = Vec::new();
        for rule in self
            .rules
            .iter()
            .filter(|r| r.operations.contains(&operation))
        {
            let source_id = source.map_or("", |s| s.id);
            if (!rule.sources.is_empty() && !rule.sources.contains(&source_id))
                || rule.except_sources.contains(&source_id)
            {
                continue;
            }
            let values = if rule.on == Target::Resulting {
                resulting
            } else {
                request_layers
            };
            if rule
                .when
                .iter()
                .all(|c| holds(c, request, values, context.now))
            {
                let placeholders = resulting;
                let path = rule.paths.first().map(|p| to_path(p)).unwrap_or_default();
                let mut texts = Vec::new();
                if let Some(first) = rule.paths.first() {
                    request.inspect(first, &mut |v| texts.push(v.text()));
                }
                let value = match texts.first() {
                    Some(text) if texts.len() == 1 => ViolationValue::Text(text.clone()),
                    Some(_) => ViolationValue::Text(format!("[{}]", texts.join(", "))),
                    None => ViolationValue::Null,
                };
                out.push(Violation {
                    path,
                    shape: "",
                    kind: ViolationKind::Rule {
                        id: rule.id,
                        error: rule.error,
                        message: render(rule.message, placeholders),
                    },
                    value,
                });
            }
        }
        out
    }
}

fn to_path(segments: &[PathSeg]) -> Path {
    Path(
        segments
            .iter()
            .filter_map(|s| match s {
                PathSeg::Member(name) => Some(Segment::Member(name)),
                _ => None,
            })
            .collect(),
    )
}

fn holds(condition: &Condition, request: &dyn Inspect, values: &[&dyn Inspect], now: f64) -> bool {
    match *condition {
        Condition::Present(path) => is_present(request, path),
        Condition::Absent(path) => !is_present(request, path),
        Condition::Equals(path, literal) => any_value(values, path, |v| literal.matches(v)),
        Condition::In(path, set) => any_value(values, path, |v| set.iter().any(|l| l.matches(v))),
        Condition::NotIn(path, set) => {
            !any_value(values, path, |v| set.iter().any(|l| l.matches(v)))
        }
        Condition::Greater(path, n) => {
            any_value(values, path, |v| v.as_f64().is_some_and(|x| x > n))
        }
        Condition::GreaterOrEqual(path, n) => {
            any_value(values, path, |v| v.as_f64().is_some_and(|x| x >= n))
        }
        Condition::Less(path, n) => any_value(values, path, |v| v.as_f64().is_some_and(|x| x < n)),
        Condition::LessOrEqual(path, n) => {
            any_value(values, path, |v| v.as_f64().is_some_and(|x| x <= n))
        }
        Condition::Outside(path, ranges) => any_value(values, path, |v| {
            v.as_f64()
                .is_some_and(|x| !ranges.iter().any(|(lo, hi)| x >= *lo && x <= *hi))
        }),
        Condition::PlainNameLongerThan(path, max) => any_value(
            values,
            path,
            |v| matches!(v, Scalar::Str(s) if !s.contains(':') && s.chars().count() as u64 > max),
        ),
        Condition::InvalidFilterPattern(path) => any_value(
            values,
            path,
            |v| matches!(v, Scalar::Str(s) if !crate::filter_pattern::is_valid(s)),
        ),
        Condition::InFuture(path) => {
            any_value(values, path, |v| v.as_f64().is_some_and(|x| x > now))
        }
    }
}

/// Tests the values at `path` in the first layer that has any.
fn any_value(
    layers: &[&dyn Inspect],
    path: &[PathSeg],
    mut test: impl FnMut(Scalar<'_>) -> bool,
) -> bool {
    for layer in layers {
        let (mut seen, mut hit) = (false, false);
        layer.inspect(path, &mut |v| {
            seen = true;
            hit = hit || test(v);
        });
        if seen {
            return hit;
        }
    }
    false
}

fn first_string(layers: &[&dyn Inspect], path: &[PathSeg]) -> Option<String> {
    for layer in layers {
        let mut found = None;
        layer.inspect(path, &mut |v| {
            if let (None, Scalar::Str(s)) = (&found, v) {
                found = Some(s.to_owned());
            }
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Fills `{Path}` placeholders from the first layer holding a value; several values (through a
/// list or map) are joined with commas.
pub fn render(template: &str, layers: &[&dyn Inspect]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = matching_brace(after) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let segments = parse_path(&after[..end]);
        let mut texts: Vec<String> = Vec::new();
        for layer in layers {
            layer.inspect(&segments, &mut |v| texts.push(v.text()));
            if !texts.is_empty() {
                break;
            }
        }
        out.push_str(&texts.join(","));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses `A.B[].C`, `M{key}`, `M{value}` into owned segments for placeholder lookups.
pub fn parse_path(text: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    for part in text.split('.') {
        let end = part.find(['[', '{']).unwrap_or(part.len());
        let (name, mut rest) = part.split_at(end);
        out.push(PathSeg::Member(leak_name(name)));
        while !rest.is_empty() {
            if let Some(tail) = rest.strip_prefix("[]") {
                out.push(PathSeg::Items);
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix("{key}") {
                out.push(PathSeg::Keys);
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix("{value}") {
                out.push(PathSeg::Values);
                rest = tail;
            } else {
                break;
            }
        }
    }
    out
}

/// Placeholder names come from static templates; interning keeps `PathSeg` `'static` without
/// leaking per call.
fn leak_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(|| Mutex::new(HashSet::new()));
    let mut names = names
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}
