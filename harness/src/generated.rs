//! Cases generated from the spec's IR at load time, beside the hand-written ones in `cases/`:
//! for every constrained input member of every operation, each range and length bound just
//! inside and just outside (min - 1, min, max, max + 1; strings counted in Unicode scalar
//! values, lists in items, maps in entries), each enum with a value outside it and one in the
//! wrong case, each checked pattern with a value it rejects (as AWS applies it, to the whole
//! value), and each required member left out. They are never written by hand: when the spec
//! changes, they change with it, and their goldens come from the reference like the rest.
//!
//! How a request is chosen. Each case starts from a minimal valid request for its operation and
//! puts one value at one member (parents made as needed). Which starting request, and which of
//! several values of the wanted length, is decided by evaluation ([`crate::standin`]): the
//! generated validators run on every candidate with stand-in fixtures, and the one kept breaks
//! the constraint under test and as little else as it can, rules included. So a member only
//! Kinesis takes (`ParallelizationFactor`) lands on a Kinesis stream, and a source rule does not
//! mask the constraint; `FunctionName` at its maximum of 140 is an ARN, since a plain name over
//! 64 breaks a rule. A just-inside value the pattern cannot take at that length (a one-character
//! topic) stays, and its golden shows AWS rejecting it for the pattern.
//!
//! Starting requests. `CreateEventSourceMapping` tries, in order: an SQS queue, a Kinesis stream
//! and a DynamoDB stream (each the case's own fixture, since a mapping may be created), an SQS
//! FIFO queue, then sources no fixture makes (an MSK cluster, an MQ broker, a DocumentDB
//! cluster, self-managed Kafka), named by literal ARNs and hosts that carry a token of the case
//! id, so two cases never make duplicate mappings. Operations whose label names a mapping
//! (`UpdateEventSourceMapping`'s UUID, the tag operations' Resource) need one only when the
//! value is just inside: those cases create a mapping first (and, for an update, wait until it
//! has settled), then send the value to it. Values just outside go to a well-formed label that
//! names nothing: AWS checks the input's shape before it looks the mapping up, so the answer is
//! the validation error either way, without a mapping to make.
//!
//! Ids are stable: `gen.<operation>.<member>.<kind>.<bound>`, such as
//! `gen.create.batch-size.range.max-plus-1`, from names in the spec, never from values. Cases
//! whose requests come out identical (a list of length 1..1) are kept once, under the first id.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use conform_models::operations;
use conform_runtime::pattern::{Pattern, PatternOutcome};
use conform_runtime::OperationMeta;
use conform_spec::{FlatMember, Model, PathSegment};
use serde_json::{json, Map, Value};

use crate::case::{Case, Condition, Expect, Request, Step, Wait};
use crate::fixtures::FixtureRef;
use crate::path::ValuePath;
use crate::standin::{self, Hit, StepOutcome};
use crate::template::{JsonTemplate, Var};

/// What generated cases name as their file: the spec they come from.
pub const SOURCE: &str = conform_models::spec::MODEL_NAME;

/// Every generated case tags itself with this.
pub const TAG: &str = "generated";

/// Stands for the case's token in literal source names, replaced once ids are final. Its
/// characters fit every place it goes: ARNs, topic names and host names.
const TOKEN: &str = "gen00000000";

/// A well-formed mapping UUID that names nothing.
const NO_SUCH_UUID: &str = "5c4c2b6e-0000-4000-8000-00000000dead";

/// The generated cases of the suite under `root`: all of them when `root` holds the spec they
/// come from (the project: its `snapshots/` has their goldens), none for another folder of
/// cases (`CONFORM_ROOT` pointing at a suite of one's own, a test's temporary suite).
pub fn for_root(root: &std::path::Path) -> Result<&'static [Case], String> {
    if root.join(SOURCE).is_file() {
        cases()
    } else {
        Ok(&[])
    }
}

/// The cases generated from the project's spec, computed once per process.
pub fn cases() -> Result<&'static [Case], String> {
    static CASES: OnceLock<Result<Vec<Case>, String>> = OnceLock::new();
    CASES
        .get_or_init(|| {
            let model = Model::from_json(
                conform_models::spec::MODEL_JSON,
                conform_models::spec::MODEL_NAME,
            )
            .map_err(|e| e.to_string())?;
            generate(&model)
        })
        .as_deref()
        .map_err(|e| format!("{SOURCE}: cannot generate cases: {e}"))
}

/// The cases generated from `model`, whose operations must be those the validators were
/// generated for (`conform_models`).
pub fn generate(model: &Model) -> Result<Vec<Case>, String> {
    let mut drafts: Vec<Draft> = Vec::new();
    for op in operations::ALL {
        let list = conform_spec::input_members(model, op.name).map_err(|e| e.to_string())?;
        let members = Members::new(&list);
        let plan = Plan::new(op, &members);
        for member in &list {
            for probe in probes(&members, member) {
                if let Some(draft) = plan.draft(&probe) {
                    drafts.push(draft);
                }
            }
        }
    }
    let drafts = dedupe(drafts);
    let mut ids = HashSet::new();
    let mut tokens = HashMap::new();
    let mut cases = Vec::with_capacity(drafts.len());
    for mut draft in drafts {
        if !ids.insert(draft.id.clone()) {
            return Err(format!("two generated cases have the id `{}`", draft.id));
        }
        let token = token(&draft.id);
        if let Some(other) = tokens.insert(token.clone(), draft.id.clone()) {
            return Err(format!(
                "`{}` and `{other}` share the token {token}",
                draft.id
            ));
        }
        for step in &mut draft.steps {
            replace_token(&mut step.request, &token);
        }
        cases.push(draft.into_case()?);
    }
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(cases)
}

// ---------------------------------------------------------------------------------------------
// Members and values

/// One operation's input members, by path.
struct Members<'m> {
    list: &'m [FlatMember],
    by_path: HashMap<&'m str, &'m FlatMember>,
}

impl<'m> Members<'m> {
    fn new(list: &'m [FlatMember]) -> Self {
        let by_path = list.iter().map(|m| (m.path.as_str(), m)).collect();
        Self { list, by_path }
    }

    fn get(&self, path: &str) -> Option<&'m FlatMember> {
        self.by_path.get(path).copied()
    }

    /// The direct members of a structure.
    fn children(&self, parent: &'m FlatMember) -> impl Iterator<Item = &'m FlatMember> + '_ {
        let depth = parent.segments.0.len();
        self.list.iter().filter(move |m| {
            m.segments.0.len() == depth + 1
                && m.segments.0[..depth] == parent.segments.0[..]
                && matches!(m.segments.0[depth], PathSegment::Member(_))
        })
    }

    /// A valid value for `member`, the `index`-th of several when a collection needs distinct
    /// items. `None` when the model gives no way to build one.
    fn valid(&self, member: &FlatMember, index: usize) -> Option<Value> {
        Some(match member.kind.as_str() {
            "string" | "blob" => {
                let (min, max) = length_bounds(member);
                let low = min.max(1);
                let high = max.min(low + 80);
                (low..=high).find_map(|len| {
                    let filler = FILLERS[index % FILLERS.len()];
                    strings_of_length(len, &[filler])
                        .into_iter()
                        .find(|s| fits_pattern(member, s))
                        .map(Value::String)
                })?
            }
            "enum" => {
                let values = member.enum_values.as_ref()?;
                Value::String(values.get(index % values.len().max(1))?.clone())
            }
            "intEnum" => {
                let values = member.enum_values.as_ref()?;
                let text = values.get(index % values.len().max(1))?;
                Value::from(text.parse::<i64>().ok()?)
            }
            "boolean" => Value::Bool(true),
            "timestamp" => json!(1_700_000_000),
            "byte" | "short" | "integer" | "long" | "bigInteger" | "float" | "double"
            | "bigDecimal" => {
                let (min, max) = (range_bound(member, true), range_bound(member, false));
                let value = min.map_or(1.0, |m| m.max(1.0));
                number(max.map_or(value, |m| value.min(m)))
            }
            "document" => json!({}),
            "list" => {
                let item = self.get(&format!("{}[]", member.path))?;
                let n = self.count(member);
                Value::Array((0..n).map(|i| self.item(item, i)).collect::<Option<_>>()?)
            }
            "map" => Value::Object(self.entries(member, self.count(member))?.0),
            "structure" | "union" => {
                let mut object = Map::new();
                for child in self.children(member).filter(|c| c.required) {
                    object.insert(name(child)?.to_owned(), self.valid(child, 0)?);
                }
                if member.kind == "union" && object.is_empty() {
                    let first = self.children(member).next()?;
                    object.insert(name(first)?.to_owned(), self.valid(first, 0)?);
                }
                Value::Object(object)
            }
            _ => return None,
        })
    }

    /// A valid list item, the `index`-th: a structure item gets every scalar member, as a
    /// real one would (a source access configuration has its type and URI), not just the
    /// required ones.
    fn item(&self, item: &FlatMember, index: usize) -> Option<Value> {
        let mut value = self.valid(item, index)?;
        if let Value::Object(object) = &mut value {
            for child in self.children(item).filter(|c| is_scalar(&c.kind)) {
                if !object.contains_key(name(child)?) {
                    object.insert(name(child)?.to_owned(), self.valid(child, index)?);
                }
            }
        }
        Some(value)
    }

    /// How many items a valid collection gets: its minimum, and one when it is required.
    fn count(&self, member: &FlatMember) -> usize {
        let min = member.length.and_then(|l| l.min).unwrap_or(0) as usize;
        min.max(usize::from(member.required))
    }

    /// `n` entries with distinct keys, and whether some keys had to break the key's enum.
    fn entries(&self, map: &FlatMember, n: usize) -> Option<(Map<String, Value>, bool)> {
        let key = self.get(&format!("{}{{key}}", map.path))?;
        let value = self.get(&format!("{}{{value}}", map.path))?;
        let mut out = Map::new();
        let mut invalid = false;
        for i in 0..n {
            let k = match &key.enum_values {
                Some(values) if i < values.len() => values[i].clone(),
                Some(_) => {
                    invalid = true;
                    format!("NOT_A_KEY_{i}")
                }
                None => self.valid(key, i)?.as_str()?.to_owned(),
            };
            out.insert(k, self.valid(value, i)?);
        }
        Some((out, invalid))
    }

    /// Puts `edit` at `member` in `root`, making parents valid where they are missing. Map keys
    /// are taken literally by templates; every string value put here is escaped.
    fn place(&self, root: &mut Value, member: &FlatMember, edit: &Edit) -> Option<()> {
        let segments = &member.segments.0;
        let mut cursor = root;
        let mut here = String::new();
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            match segment {
                PathSegment::Member(name) => {
                    if !here.is_empty() {
                        here.push('.');
                    }
                    here.push_str(name);
                    if !cursor.is_object() {
                        *cursor = Value::Object(Map::new());
                    }
                    let object = cursor.as_object_mut()?;
                    if last {
                        match edit {
                            Edit::Set(value) => {
                                object.insert(name.clone(), escape(value.clone()));
                            }
                            Edit::Remove => {
                                object.remove(name);
                            }
                        }
                        return Some(());
                    }
                    if !object.contains_key(name) {
                        let parent = self.get(&here)?;
                        object.insert(name.clone(), escape(self.valid(parent, 0)?));
                    }
                    cursor = object.get_mut(name)?;
                }
                PathSegment::Items => {
                    here.push_str("[]");
                    let list = self.get(&here[..here.len() - 2])?;
                    let item = self.get(&here)?;
                    if !cursor.is_array() {
                        *cursor = Value::Array(Vec::new());
                    }
                    let items = cursor.as_array_mut()?;
                    if last {
                        let Edit::Set(value) = edit else { return None };
                        // The value, then valid items up to the list's minimum.
                        let mut new = vec![escape(value.clone())];
                        for i in 1..self.count(list).max(1) {
                            new.push(escape(self.item(item, i)?));
                        }
                        *items = new;
                        return Some(());
                    }
                    if items.is_empty() {
                        items.push(escape(self.item(item, 0)?));
                    }
                    items.truncate(1);
                    cursor = &mut items[0];
                }
                PathSegment::Keys => {
                    here.push_str("{key}");
                    let map = self.get(&here[..here.len() - 5])?;
                    let value_member = self.get(&format!("{}{{value}}", map.path))?;
                    let Edit::Set(Value::String(key)) = edit else {
                        return None;
                    };
                    // The map holds just the key under test.
                    let mut entries = Map::new();
                    entries.insert(key.clone(), escape(self.valid(value_member, 0)?));
                    *cursor = Value::Object(entries);
                    return Some(());
                }
                PathSegment::Values => {
                    here.push_str("{value}");
                    let map = self.get(&here[..here.len() - 7])?;
                    let key_member = self.get(&format!("{}{{key}}", map.path))?;
                    let key = match cursor.as_object().and_then(|m| m.keys().next()) {
                        Some(existing) => existing.clone(),
                        None => self.valid(key_member, 0)?.as_str()?.to_owned(),
                    };
                    let value_member = self.get(&here)?;
                    let value = match (last, edit) {
                        (true, Edit::Set(value)) => escape(value.clone()),
                        (true, Edit::Remove) => return None,
                        (false, _) => cursor
                            .as_object()
                            .and_then(|m| m.get(&key))
                            .cloned()
                            .map_or_else(|| self.valid(value_member, 0).map(escape), Some)?,
                    };
                    // The map holds one entry: the one the path goes through.
                    let mut entries = Map::new();
                    entries.insert(key.clone(), value);
                    *cursor = Value::Object(entries);
                    if last {
                        return Some(());
                    }
                    cursor = cursor.as_object_mut()?.get_mut(&key)?;
                }
            }
        }
        None
    }
}

fn name(member: &FlatMember) -> Option<&str> {
    match member.segments.0.last() {
        Some(PathSegment::Member(name)) => Some(name),
        _ => None,
    }
}

fn is_scalar(kind: &str) -> bool {
    !matches!(kind, "list" | "map" | "structure" | "union" | "document")
}

fn length_bounds(member: &FlatMember) -> (u64, u64) {
    member.length.map_or((0, u64::MAX), |l| {
        (l.min.unwrap_or(0), l.max.unwrap_or(u64::MAX))
    })
}

fn range_bound(member: &FlatMember, min: bool) -> Option<f64> {
    let range = member.range.as_ref()?;
    let bound = if min { &range.min } else { &range.max };
    bound.as_ref().and_then(serde_json::Number::as_f64)
}

/// A JSON number: an integer when the value is one.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

/// Doubles every `{`, so a generated string is sent as written, never substituted (a `}` is
/// always literal).
fn escape(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace('{', "{{")),
        Value::Array(items) => Value::Array(items.into_iter().map(escape).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, escape(v))).collect()),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Strings and patterns

/// Where the characters of a string of some length go: between a prefix and a suffix, in the
/// forms AWS's values take (a name, an ARN, a host and port, a filter pattern). Which fits a
/// member is decided by its pattern, and by the rules, never by its name.
const SEEDS: &[(&str, &str)] = &[
    ("", ""),
    ("arn:aws:lambda:us-east-1:123456789012:function:", ""),
    ("arn:aws:sqs:us-east-1:123456789012:", ""),
    ("", ":9092"),
    ("{\"body\":[\"", "\"]}"),
];

/// Plain fillers; successive items of a collection take successive ones, so they differ.
const FILLERS: &[char] = &['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'm', 'n', 'p'];

/// A character of four UTF-8 bytes and two UTF-16 units but one Unicode scalar value: a value
/// of `max` of them is inside the bound only when length counts scalar values, as Smithy says.
const WIDE: char = '\u{1F600}';

/// The longest string or list a case sends: a bound beyond it (a blob of megabytes) is a
/// limit on memory, better tested by hand than by a generated request of that size.
const MAX_LENGTH: f64 = 1_048_576.0;

/// Values that break common patterns, tried in order (each checked against the pattern).
const MISMATCHES: &[&str] = &[
    "has space",
    "$",
    "a\"b",
    "!",
    ".",
    "arn:aws",
    "\u{e9}",
    "a\nb",
];

/// Strings of exactly `len` scalar values built from each seed and filler, in order.
fn strings_of_length(len: u64, fillers: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for &(prefix, suffix) in SEEDS {
        let fixed = (prefix.chars().count() + suffix.chars().count()) as u64;
        if fixed > len {
            continue;
        }
        for &filler in fillers {
            let body: String = std::iter::repeat_n(filler, (len - fixed) as usize).collect();
            let s = format!("{prefix}{body}{suffix}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The member's pattern, when the validators check it: patterns that every value matches, as
/// AWS applies them (to the whole value), are skipped by the generated code too.
pub fn checked_pattern(member: &FlatMember) -> Option<&str> {
    // Deciding vacuity compiles the pattern; members share a handful of patterns.
    static VACUOUS: OnceLock<Mutex<HashMap<String, bool>>> = OnceLock::new();
    let pattern = member.pattern.as_deref()?;
    let mut known = VACUOUS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let vacuous = *known.entry(pattern.to_owned()).or_insert_with(|| {
        conform_spec::is_vacuous(&conform_runtime::pattern::whole_value(pattern))
    });
    (!vacuous).then_some(pattern)
}

fn fits_pattern(member: &FlatMember, value: &str) -> bool {
    checked_pattern(member).is_none_or(|p| matches(p, value))
}

/// Whether `value` matches `pattern` as the generated validators match it.
fn matches(pattern: &str, value: &str) -> bool {
    // `Pattern` takes a `'static` source, as generated code declares them; a model has a
    // handful of distinct patterns, each compiled and kept once for the process.
    static COMPILED: OnceLock<Mutex<HashMap<String, &'static Pattern>>> = OnceLock::new();
    let compiled = {
        let mut map = COMPILED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *map.entry(pattern.to_owned()).or_insert_with(|| {
            let source: &'static str = Box::leak(pattern.to_owned().into_boxed_str());
            Box::leak(Box::new(Pattern::new(source)))
        })
    };
    compiled.outcome(value) == PatternOutcome::Match
}

// ---------------------------------------------------------------------------------------------
// Probes: one value at one member

#[derive(Debug, Clone, PartialEq)]
enum Edit {
    Set(Value),
    Remove,
}

/// One constraint at one bound, with the values that may show it, best first.
struct Probe<'m> {
    member: &'m FlatMember,
    kind: &'static str,
    /// `min-minus-1`, `min`, `max`, `max-plus-1`, `bad-value`, `wrong-case`, `mismatch`,
    /// `missing`.
    bound: &'static str,
    inside: bool,
    candidates: Vec<Edit>,
}

impl Probe<'_> {
    fn hit(&self) -> Hit {
        Hit {
            path: self.member.path.clone(),
            kind: self.kind,
        }
    }
}

/// Bounds of a length or range: (name, value, inside).
fn bounds(min: Option<f64>, max: Option<f64>) -> Vec<(&'static str, f64, bool)> {
    let mut out = Vec::new();
    if let Some(min) = min {
        out.push(("min-minus-1", min - 1.0, false));
        out.push(("min", min, true));
    }
    if let Some(max) = max {
        out.push(("max", max, true));
        out.push(("max-plus-1", max + 1.0, false));
    }
    out
}

fn probes<'m>(members: &Members<'m>, member: &'m FlatMember) -> Vec<Probe<'m>> {
    let mut out = Vec::new();
    let label = member.location == "label";
    let probe = |kind, bound, inside, candidates| Probe {
        member,
        kind,
        bound,
        inside,
        candidates,
    };
    // A label is required by its HTTP binding: without it the request is another route.
    if member.required && !label {
        out.push(probe("required", "missing", false, vec![Edit::Remove]));
    }
    match member.kind.as_str() {
        "string" | "blob" => {
            if let Some(length) = member.length {
                let lengths = bounds(length.min.map(|n| n as f64), length.max.map(|n| n as f64));
                for (bound, len, inside) in lengths {
                    // Negative, or an empty label (a path with an empty segment routes
                    // elsewhere), or too long to send (a bound that only guards memory).
                    if len < 0.0 || (label && len == 0.0) || len > MAX_LENGTH {
                        continue;
                    }
                    let len = len as u64;
                    // Wide characters first at the maximum, ASCII first elsewhere.
                    let mut fillers = vec!['a', '0'];
                    if bound == "max" {
                        fillers.insert(0, WIDE);
                    } else {
                        fillers.push(WIDE);
                    }
                    let all = strings_of_length(len, &fillers);
                    let (fitting, rest): (Vec<String>, Vec<String>) =
                        all.into_iter().partition(|s| fits_pattern(member, s));
                    let candidates = fitting
                        .into_iter()
                        .chain(rest)
                        .map(|s| Edit::Set(Value::String(s)))
                        .collect();
                    out.push(probe("length", bound, inside, candidates));
                }
            }
            if let Some(pattern) = checked_pattern(member) {
                let (min, max) = length_bounds(member);
                let candidates: Vec<Edit> = MISMATCHES
                    .iter()
                    .filter(|s| {
                        let n = s.chars().count() as u64;
                        n >= min && n <= max && !matches(pattern, s)
                    })
                    .map(|s| Edit::Set(Value::String((*s).to_owned())))
                    .collect();
                out.push(probe("pattern", "mismatch", false, candidates));
            }
        }
        "enum" | "intEnum" => {
            let values = member.enum_values.clone().unwrap_or_default();
            if member.kind == "enum" {
                out.push(probe(
                    "enum",
                    "bad-value",
                    false,
                    vec![Edit::Set(json!("NOT_A_VALUE"))],
                ));
                let wrong = values.iter().find_map(|v| {
                    let lower = v.to_lowercase();
                    let other = if lower != *v { lower } else { v.to_uppercase() };
                    (!values.contains(&other)).then_some(other)
                });
                if let Some(wrong) = wrong {
                    out.push(probe(
                        "enum",
                        "wrong-case",
                        false,
                        vec![Edit::Set(json!(wrong))],
                    ));
                }
            } else {
                let max = values.iter().filter_map(|v| v.parse::<i64>().ok()).max();
                let bad = max.map_or(1, |m| m + 1);
                out.push(probe(
                    "enum",
                    "bad-value",
                    false,
                    vec![Edit::Set(json!(bad))],
                ));
            }
        }
        "byte" | "short" | "integer" | "long" | "bigInteger" | "float" | "double"
        | "bigDecimal"
            if member.range.is_some() =>
        {
            let (min, max) = (range_bound(member, true), range_bound(member, false));
            for (bound, value, inside) in bounds(min, max) {
                out.push(probe(
                    "range",
                    bound,
                    inside,
                    vec![Edit::Set(number(value))],
                ));
            }
        }
        "list" | "map" => {
            if let Some(length) = member.length {
                let counts = bounds(length.min.map(|n| n as f64), length.max.map(|n| n as f64));
                for (bound, n, inside) in counts {
                    if !(0.0..=MAX_LENGTH).contains(&n) {
                        continue;
                    }
                    let n = n as usize;
                    let value = if member.kind == "list" {
                        members.get(&format!("{}[]", member.path)).and_then(|item| {
                            (0..n)
                                .map(|i| members.item(item, i))
                                .collect::<Option<Vec<_>>>()
                                .map(Value::Array)
                        })
                    } else {
                        members.entries(member, n).map(|(m, _)| Value::Object(m))
                    };
                    if let Some(value) = value {
                        out.push(probe("length", bound, inside, vec![Edit::Set(value)]));
                    }
                }
            }
        }
        _ => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Starting requests

/// A starting request for `CreateEventSourceMapping`, on one kind of source.
struct Source {
    key: &'static str,
    describe: &'static str,
    request: fn() -> Value,
}

const SOURCES: &[Source] = &[
    Source {
        key: "sqs",
        describe: "an SQS queue of its own",
        request: || json!({ "FunctionName": "{function.name}", "EventSourceArn": "{queue:own.arn}" }),
    },
    Source {
        key: "kinesis",
        describe: "a Kinesis stream of its own",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "EventSourceArn": "{stream:own.arn}",
                "StartingPosition": "LATEST",
            })
        },
    },
    Source {
        key: "dynamodb-streams",
        describe: "a DynamoDB stream of its own",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "EventSourceArn": "{table:own.stream_arn}",
                "StartingPosition": "LATEST",
            })
        },
    },
    Source {
        key: "sqs-fifo",
        describe: "an SQS FIFO queue of its own",
        request: || json!({ "FunctionName": "{function.name}", "EventSourceArn": "{fifo-queue:own.arn}" }),
    },
    Source {
        key: "msk",
        describe: "an Amazon MSK cluster (a literal ARN: no fixture makes one)",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "EventSourceArn": format!("arn:aws:kafka:{{region}}:{{account}}:cluster/conform-{TOKEN}/1"),
                "Topics": ["topic"],
            })
        },
    },
    Source {
        key: "mq",
        describe: "an Amazon MQ broker (a literal ARN: no fixture makes one)",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "EventSourceArn": format!("arn:aws:mq:{{region}}:{{account}}:broker:conform:b-{TOKEN}"),
                "Queues": ["queue"],
            })
        },
    },
    Source {
        key: "documentdb",
        describe: "a DocumentDB cluster (a literal ARN: no fixture makes one)",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "EventSourceArn": format!("arn:aws:rds:{{region}}:{{account}}:cluster:conform-{TOKEN}"),
            })
        },
    },
    Source {
        key: "kafka",
        describe: "a self-managed Kafka cluster (literal hosts)",
        request: || {
            json!({
                "FunctionName": "{function.name}",
                "SelfManagedEventSource": {
                    "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": [format!("{TOKEN}.kafka.example:9092")] }
                },
                "Topics": [TOKEN],
                "SourceAccessConfigurations": [{
                    "Type": "BASIC_AUTH",
                    "URI": "arn:aws:secretsmanager:{region}:{account}:secret:conform",
                }],
            })
        },
    },
];

/// How a label that names a mapping is filled: from a mapping the case creates (a capture of
/// the create's answer), or with a well-formed name of nothing.
struct MappingLabel {
    member: &'static str,
    capture: &'static str,
    missing: fn() -> String,
}

const MAPPING_LABELS: &[MappingLabel] = &[
    MappingLabel {
        member: "UUID",
        capture: "UUID",
        missing: || NO_SUCH_UUID.to_owned(),
    },
    MappingLabel {
        member: "Resource",
        capture: "EventSourceMappingArn",
        missing: || {
            format!("arn:aws:lambda:{{region}}:{{account}}:event-source-mapping:{NO_SUCH_UUID}")
        },
    },
];

/// Members a listing always sends. A listing answers with whatever the target holds, which
/// other cases change while they run; a filter naming a source that never exists keeps the
/// answer empty, and the same on every run (the value under test replaces it when it is the
/// member under test).
const SCOPES: &[(&str, &str, &str)] = &[(
    "ListEventSourceMappings",
    "EventSourceArn",
    "arn:aws:sqs:{region}:{account}:{run}-no-such-queue",
)];

const CREATE: &str = "CreateEventSourceMapping";
const UPDATE: &str = "UpdateEventSourceMapping";
const GET: &str = "GetEventSourceMapping";

/// How one operation's cases are built.
struct Plan<'a, 'm> {
    op: &'static OperationMeta,
    members: &'a Members<'m>,
    /// The label naming a mapping, if the operation has one.
    mapping_label: Option<&'static MappingLabel>,
}

/// Where a candidate starts.
enum Start {
    /// A create on this source.
    Create(&'static Source),
    /// A mapping made on this source first, then the operation on it.
    Existing(&'static MappingLabel, &'static Source),
    /// The operation alone; a label naming a mapping names none.
    Plain(Option<&'static MappingLabel>),
}

/// A draft case, before dedupe and tokens.
#[derive(Debug, Clone)]
struct Draft {
    id: String,
    doc: String,
    tags: Vec<String>,
    operation: &'static str,
    steps: Vec<DraftStep>,
}

#[derive(Debug, Clone, PartialEq)]
struct DraftStep {
    name: String,
    operation: &'static str,
    request: Value,
    capture: Option<(&'static str, &'static str)>,
    settle: bool,
    expect: Option<(u16, Option<&'static str>)>,
}

/// The steps of one candidate and where it starts.
struct Built {
    steps: Vec<DraftStep>,
    describe: String,
    /// The kind of source the mapping is on, for a tag.
    source: Option<&'static str>,
}

impl<'a, 'm> Plan<'a, 'm> {
    fn new(op: &'static OperationMeta, members: &'a Members<'m>) -> Self {
        let mapping_label = MAPPING_LABELS
            .iter()
            .find(|l| op.labels.iter().any(|b| b.member == l.member));
        Self {
            op,
            members,
            mapping_label,
        }
    }

    /// The input's required members, valid, except labels and the member under test.
    fn required(&self, skip: &FlatMember) -> Option<Value> {
        let mut object = Map::new();
        for m in self.members.list.iter().filter(|m| {
            m.segments.0.len() == 1 && m.required && m.location != "label" && m.path != skip.path
        }) {
            object.insert(name(m)?.to_owned(), escape(self.members.valid(m, 0)?));
        }
        Some(Value::Object(object))
    }

    /// Where candidates start: each a way to build the steps around the probe step's request.
    /// `existing` asks for a mapping to exist first (values just inside).
    fn starts(&self, member: &FlatMember, existing: bool) -> Vec<Start> {
        let label_under_test = self.mapping_label.is_some_and(|l| l.member == member.path);
        match self.mapping_label {
            _ if self.op.name == CREATE => SOURCES.iter().map(Start::Create).collect(),
            Some(label) if existing && !label_under_test => {
                // A mapping to act on: every source for an update (its rules read the mapping's
                // source), the first for the others.
                let sources = if self.op.name == UPDATE {
                    SOURCES
                } else {
                    &SOURCES[..1]
                };
                sources.iter().map(|s| Start::Existing(label, s)).collect()
            }
            label => vec![Start::Plain(label.filter(|_| !label_under_test))],
        }
    }

    fn build(&self, start: &Start, member: &FlatMember, edit: &Edit) -> Option<Built> {
        match *start {
            Start::Create(source) => {
                let mut request = (source.request)();
                self.members.place(&mut request, member, edit)?;
                Some(Built {
                    steps: vec![self.step(self.op.name.to_owned(), request)],
                    describe: format!("on {}", source.describe),
                    source: Some(source.key),
                })
            }
            Start::Existing(label, source) => {
                let mut request = self.required(member)?;
                request[label.member] = json!("{capture.mapping}");
                self.members.place(&mut request, member, edit)?;
                let create = operations::by_name(CREATE)?;
                let mut steps = vec![DraftStep {
                    capture: Some(("mapping", label.capture)),
                    expect: Some((create.success_code, None)),
                    ..self.step_of(create, "create".into(), (source.request)())
                }];
                if self.op.name == UPDATE {
                    let get = operations::by_name(GET)?;
                    steps.push(DraftStep {
                        settle: true,
                        ..self.step_of(
                            get,
                            "settled".into(),
                            json!({ "UUID": "{capture.mapping}" }),
                        )
                    });
                }
                steps.push(self.step(self.op.name.to_owned(), request));
                Some(Built {
                    steps,
                    describe: format!("on a mapping of {}, created first", source.describe),
                    source: Some(source.key),
                })
            }
            Start::Plain(label) => {
                let mut request = self.required(member)?;
                let mut describe = String::new();
                for (_, scoped, value) in SCOPES.iter().filter(|(op, ..)| *op == self.op.name) {
                    request[*scoped] = json!(value);
                    if *scoped != member.path {
                        describe = format!(
                            "filtered by an {scoped} that names nothing, so the answer is the same on every run"
                        );
                    }
                }
                if let Some(label) = label {
                    request[label.member] = Value::String((label.missing)());
                    describe =
                        "on a mapping that does not exist (the input is checked first)".into();
                }
                for l in self.op.labels.iter().filter(|l| l.member != member.path) {
                    if request.get(l.member).is_none() {
                        let m = self.members.get(l.member)?;
                        request[l.member] = escape(self.members.valid(m, 0)?);
                    }
                }
                self.members.place(&mut request, member, edit)?;
                Some(Built {
                    steps: vec![self.step(self.op.name.to_owned(), request)],
                    describe,
                    source: None,
                })
            }
        }
    }

    fn step(&self, name: String, request: Value) -> DraftStep {
        self.step_of(self.op, name, request)
    }

    fn step_of(&self, op: &'static OperationMeta, name: String, request: Value) -> DraftStep {
        DraftStep {
            name,
            operation: op.name,
            request,
            capture: None,
            settle: false,
            expect: None,
        }
    }

    /// The best candidate for `probe`, as a draft; `None` when no candidate shows it.
    fn draft(&self, probe: &Probe<'_>) -> Option<Draft> {
        let mut chosen = self.choose(probe, probe.inside && self.mapping_label.is_some())?;
        // A just-inside value that breaks a constraint anyway (a pattern that cannot match so
        // short a value) needs no mapping: it is answered like a value outside.
        if probe.inside && self.mapping_label.is_some() && !chosen.1.shape.is_empty() {
            chosen = self.choose(probe, false)?;
        }
        let (built, outcome, edit) = chosen;
        let mut steps = built.steps;
        let rejected = !outcome.shape.is_empty();
        if rejected {
            if let Some(last) = steps.last_mut() {
                let error = conform_models::RULES.validation_error;
                last.expect = Some((400, Some(error)));
            }
        }
        let op_slug = operation_slug(self.op.name);
        let member_slug = member_slug(&probe.member.path);
        let id = format!("gen.{op_slug}.{member_slug}.{}.{}", probe.kind, probe.bound);
        let doc = format!(
            "Generated from the spec: {}'s `{}` ({}) {}, {}{}.",
            self.op.name,
            probe.member.path,
            constraint_text(probe.member, probe.kind),
            describe_edit(probe, &edit),
            if probe.inside {
                "just inside"
            } else {
                "just outside"
            },
            if built.describe.is_empty() {
                String::new()
            } else {
                format!(", {}", built.describe)
            },
        );
        let mut tags = vec![
            TAG.to_owned(),
            "boundary".to_owned(),
            op_slug,
            probe.kind.to_owned(),
            member_slug,
            if probe.inside { "inside" } else { "outside" }.to_owned(),
        ];
        tags.extend(built.source.map(str::to_owned));
        Some(Draft {
            id,
            doc,
            tags,
            operation: self.op.name,
            steps,
        })
    }

    /// Tries every start with every candidate value; keeps the one that breaks the constraint
    /// under test (outside) or nothing (inside), and as little else as it can.
    fn choose(&self, probe: &Probe<'_>, existing: bool) -> Option<(Built, StepOutcome, Edit)> {
        let wanted = probe.hit();
        let mut best: Option<((usize, usize), Built, StepOutcome, Edit)> = None;
        for start in self.starts(probe.member, existing) {
            for edit in &probe.candidates {
                let Some(built) = self.build(&start, probe.member, edit) else {
                    continue;
                };
                let Ok(case) = draft_case("gen.candidate", self.op.name, &built.steps) else {
                    continue;
                };
                let Some(outcome) = standin::evaluate(&case).pop() else {
                    continue;
                };
                if outcome.unchecked.is_some() {
                    continue;
                }
                let others = outcome.shape.iter().filter(|h| **h != wanted).count();
                if !probe.inside && others == outcome.shape.len() {
                    continue; // the constraint under test is not broken
                }
                let score = (others, outcome.rules.len());
                if best.as_ref().is_none_or(|(s, ..)| score < *s) {
                    let perfect = score == (0, 0);
                    best = Some((score, built, outcome, edit.clone()));
                    if perfect {
                        break;
                    }
                }
            }
            if best.as_ref().is_some_and(|(s, ..)| *s == (0, 0)) {
                break;
            }
        }
        best.map(|(_, built, outcome, edit)| (built, outcome, edit))
    }
}

fn constraint_text(member: &FlatMember, kind: &str) -> String {
    let show = |v: Option<String>| v.unwrap_or_default();
    match kind {
        "required" => "required".into(),
        "length" => {
            let l = member.length.unwrap_or(conform_spec::Bounds {
                min: None,
                max: None,
            });
            let unit = match member.kind.as_str() {
                "list" => " items",
                "map" => " entries",
                _ => " characters",
            };
            format!(
                "length {}..{}{unit}",
                show(l.min.map(|n| n.to_string())),
                show(l.max.map(|n| n.to_string()))
            )
        }
        "range" => {
            let r = member.range.clone();
            format!(
                "range {}..{}",
                show(
                    r.as_ref()
                        .and_then(|r| r.min.as_ref())
                        .map(ToString::to_string)
                ),
                show(
                    r.as_ref()
                        .and_then(|r| r.max.as_ref())
                        .map(ToString::to_string)
                )
            )
        }
        "pattern" => format!(
            "pattern /{}/",
            member.pattern.as_deref().unwrap_or_default()
        ),
        "enum" => format!(
            "enum {}",
            member.enum_values.clone().unwrap_or_default().join(", ")
        ),
        other => other.to_owned(),
    }
}

fn describe_edit(probe: &Probe<'_>, edit: &Edit) -> String {
    let bound = match probe.bound {
        "min-minus-1" => "the minimum - 1",
        "min" => "the minimum",
        "max" => "the maximum",
        "max-plus-1" => "the maximum + 1",
        _ => "",
    };
    match edit {
        Edit::Remove => "left out".into(),
        Edit::Set(Value::String(s)) if probe.kind == "length" => {
            let n = s.chars().count();
            let wide = if s.contains(WIDE) {
                ", of four-byte characters"
            } else {
                ""
            };
            let chars = if n == 1 { "character" } else { "characters" };
            if n <= 24 {
                format!("set to {s:?}, {n} {chars} ({bound}{wide})")
            } else {
                format!("set to {n} {chars} ({bound}{wide})")
            }
        }
        Edit::Set(Value::Array(items)) => {
            let unit = if items.len() == 1 { "item" } else { "items" };
            format!("with {} {unit} ({bound})", items.len())
        }
        Edit::Set(Value::Object(entries)) => {
            let unit = if entries.len() == 1 {
                "entry"
            } else {
                "entries"
            };
            format!("with {} {unit} ({bound})", entries.len())
        }
        Edit::Set(value) if probe.kind == "range" => format!("set to {value} ({bound})"),
        Edit::Set(value) => match probe.bound {
            "wrong-case" => format!("set to {value}, a value in the wrong case"),
            "bad-value" => format!("set to {value}, not one of its values"),
            _ => format!("set to {value}, which the pattern rejects"),
        },
    }
}

/// `CreateEventSourceMapping` → `create`, `ListTags` → `list-tags`.
fn operation_slug(name: &str) -> String {
    let kebab = kebab(name);
    for suffix in ["-event-source-mappings", "-event-source-mapping"] {
        if let Some(stem) = kebab.strip_suffix(suffix) {
            return stem.to_owned();
        }
    }
    kebab
}

/// `DestinationConfig.OnFailure.Destination` → `destination-config-on-failure-destination`,
/// `Tags{key}` → `tags-key`, `Topics[]` → `topics-items`.
fn member_slug(path: &str) -> String {
    let spaced = path
        .replace("[]", ".items")
        .replace("{key}", ".key")
        .replace("{value}", ".value");
    spaced.split('.').map(kebab).collect::<Vec<_>>().join("-")
}

/// `KMSKeyArn` → `kms-key-arn`, `DocumentDBEventSourceConfig` → `document-db-event-source-config`.
fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Drafts into cases

/// Keeps the first of drafts whose requests are identical; its doc names the others' bounds.
fn dedupe(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for draft in drafts {
        let key = format!("{}|{:?}", draft.operation, draft.steps);
        match seen.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                kept.doc = format!(
                    "{} The same request stands for `{}` too.",
                    kept.doc, draft.id
                );
            }
            None => {
                seen.insert(key, out.len());
                out.push(draft);
            }
        }
    }
    out
}

/// A short, stable token of a case id (FNV-1a), so literal sources differ between cases.
fn token(id: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in id.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("gen{hash:08x}")
}

fn replace_token(value: &mut Value, token: &str) {
    match value {
        Value::String(s) if s.contains(TOKEN) => *s = s.replace(TOKEN, token),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_token(v, token)),
        Value::Object(map) => {
            let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for (key, mut v) in entries {
                replace_token(&mut v, token);
                map.insert(key.replace(TOKEN, token), v);
            }
        }
        _ => {}
    }
}

impl Draft {
    fn into_case(self) -> Result<Case, String> {
        let mut case = draft_case(&self.id, self.operation, &self.steps)?;
        case.doc = self.doc;
        case.tags = self.tags;
        Ok(case)
    }
}

/// A runnable case from draft steps; its fixtures are those the steps name.
fn draft_case(id: &str, operation: &'static str, steps: &[DraftStep]) -> Result<Case, String> {
    let mut built = Vec::new();
    for s in steps {
        let op = operations::by_name(s.operation)
            .ok_or_else(|| format!("unknown operation {}", s.operation))?;
        let capture = match s.capture {
            Some((key, path)) => vec![(key.to_owned(), ValuePath::parse(path)?)],
            None => Vec::new(),
        };
        let wait = s
            .settle
            .then(|| {
                Ok::<_, String>(Wait {
                    until: Condition::parse("State != Creating")?,
                    timeout_ms: 30_000,
                    interval_ms: 100,
                })
            })
            .transpose()?;
        built.push(Step {
            name: s.name.clone(),
            operation: op,
            request: Request::Params(JsonTemplate::parse(s.request.clone())?),
            expect: s.expect.map(|(status, error)| Expect {
                status: Some(status),
                error: error.map(str::to_owned),
                ..Expect::default()
            }),
            capture,
            wait,
        });
    }
    let mut fixtures: Vec<FixtureRef> = Vec::new();
    for step in &built {
        for var in step.vars() {
            if let Var::Fixture { fixture, .. } = var {
                if !fixtures.contains(fixture) {
                    fixtures.push(fixture.clone());
                }
            }
        }
    }
    Ok(Case {
        id: id.to_owned(),
        doc: String::new(),
        tags: Vec::new(),
        operation,
        fixtures,
        row: Map::new(),
        steps: built,
        aws_verified: None,
        file: SOURCE.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage;
    use crate::standin::evaluate;

    fn model() -> Model {
        Model::from_json(
            conform_models::spec::MODEL_JSON,
            conform_models::spec::MODEL_NAME,
        )
        .unwrap()
    }

    fn case<'a>(cases: &'a [Case], id: &str) -> &'a Case {
        cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no case {id}"))
    }

    fn request(case: &Case, step: usize) -> &Value {
        match &case.steps[step].request {
            Request::Params(t) => t.source(),
            Request::Raw(_) => panic!("{}: a raw request", case.id),
        }
    }

    /// Every constrained member's path by its slug, per operation slug.
    fn paths() -> HashMap<(String, String), String> {
        let model = model();
        let mut out = HashMap::new();
        for op in operations::ALL {
            for m in conform_spec::input_members(&model, op.name).unwrap() {
                out.insert((operation_slug(op.name), member_slug(&m.path)), m.path);
            }
        }
        out
    }

    #[test]
    fn ids_are_stable_and_well_formed() {
        let first = generate(&model()).unwrap();
        let again = generate(&model()).unwrap();
        assert_eq!(first.len(), again.len());
        for (a, b) in first.iter().zip(&again) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.steps.len(), b.steps.len());
            for i in 0..a.steps.len() {
                assert_eq!(request(a, i), request(b, i), "{}", a.id);
            }
        }
        for id in [
            "gen.create.batch-size.range.max-plus-1",
            "gen.create.batch-size.range.min-minus-1",
            "gen.create.function-name.required.missing",
            "gen.create.starting-position.enum.wrong-case",
            "gen.create.topics-items.pattern.mismatch",
            "gen.create.self-managed-event-source-endpoints-value.length.max-plus-1",
            "gen.update.parallelization-factor.range.max",
            "gen.list.max-items.range.min",
            "gen.tag-resource.tags-key.length.max",
            "gen.untag-resource.tag-keys.required.missing",
            "gen.list-tags.resource.pattern.mismatch",
        ] {
            case(&first, id);
        }
        for c in &first {
            let parts: Vec<&str> = c.id.split('.').collect();
            assert_eq!(parts.len(), 5, "{}", c.id);
            assert_eq!(parts[0], "gen");
            assert!(
                parts.iter().all(|p| !p.is_empty()
                    && p.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')),
                "{}",
                c.id
            );
            assert_eq!(c.file, SOURCE);
            assert!(c
                .tags
                .starts_with(&["generated".to_owned(), "boundary".to_owned()]));
        }
        assert_eq!(kebab("KMSKeyArn"), "kms-key-arn");
        assert_eq!(
            member_slug("DocumentDBEventSourceConfig.FullDocument"),
            "document-db-event-source-config-full-document"
        );
        assert_eq!(
            member_slug("SelfManagedEventSource.Endpoints{value}[]"),
            "self-managed-event-source-endpoints-value-items"
        );
        assert_eq!(operation_slug("ListEventSourceMappings"), "list");
        assert_eq!(operation_slug("UntagResource"), "untag-resource");
    }

    /// Every range and length bound has its case (or shares an identical request with one),
    /// and the case's request is on the side of the bound it says: outside breaks the
    /// constraint, inside does not.
    #[test]
    fn every_bound_is_probed_just_inside_and_just_outside() {
        let cases = generate(&model()).unwrap();
        let paths = paths();
        let model = model();
        let mut checked = 0;
        for op in operations::ALL {
            for m in conform_spec::input_members(&model, op.name).unwrap() {
                let (kind, min, max) = match (&m.length, &m.range) {
                    (Some(l), _) => ("length", l.min.map(|n| n as f64), l.max.map(|n| n as f64)),
                    (None, Some(_)) => ("range", range_bound(&m, true), range_bound(&m, false)),
                    _ => continue,
                };
                for (bound, value, _) in bounds(min, max) {
                    if value < 0.0 && kind == "length" || (m.location == "label" && value == 0.0) {
                        continue;
                    }
                    let id = format!(
                        "gen.{}.{}.{kind}.{bound}",
                        operation_slug(op.name),
                        member_slug(&m.path)
                    );
                    let found = cases
                        .iter()
                        .any(|c| c.id == id || c.doc.contains(&format!("`{id}` too")));
                    assert!(found, "no case for {id}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 150, "{checked} bounds");

        for c in &cases {
            let parts: Vec<&str> = c.id.split('.').collect();
            let path = &paths[&(parts[1].to_owned(), parts[2].to_owned())];
            let kind = parts[3];
            let last = evaluate(c).pop().unwrap();
            assert!(last.unchecked.is_none(), "{}: {:?}", c.id, last.unchecked);
            let hit = Hit {
                path: path.clone(),
                kind: match kind {
                    "required" => "required",
                    "length" => "length",
                    "range" => "range",
                    "pattern" => "pattern",
                    _ => "enum",
                },
            };
            let outside = c.tags.iter().any(|t| t == "outside");
            if outside {
                assert!(last.shape.contains(&hit), "{}: {:?}", c.id, last.shape);
                let expect = c.steps.last().unwrap().expect.as_ref().unwrap();
                assert_eq!(expect.status, Some(400), "{}", c.id);
                assert_eq!(expect.error.as_deref(), Some("ValidationException"));
            } else {
                assert!(!last.shape.contains(&hit), "{}: {:?}", c.id, last.shape);
            }
        }
    }

    #[test]
    fn source_rules_do_not_mask_the_constraint() {
        let cases = generate(&model()).unwrap();
        for id in [
            "gen.create.parallelization-factor.range.max",
            "gen.create.parallelization-factor.range.max-plus-1",
            "gen.create.tumbling-window-in-seconds.range.min-minus-1",
            "gen.update.parallelization-factor.range.max",
        ] {
            let c = case(&cases, id);
            assert!(c.tags.contains(&"kinesis".to_owned()), "{id}: {:?}", c.tags);
            let last = evaluate(c).pop().unwrap();
            assert!(last.rules.is_empty(), "{id}: {:?}", last.rules);
        }
        // A plain function name over 64 breaks a rule; at 140 the value is an ARN.
        let c = case(&cases, "gen.create.function-name.length.max");
        let name = request(c, 0)["FunctionName"].as_str().unwrap();
        assert_eq!(name.chars().count(), 140);
        assert!(name.starts_with("arn:aws:lambda:"), "{name}");
        assert!(evaluate(c).pop().unwrap().rules.is_empty());
        // Every just-inside create on a source with its own fixture passes every check.
        for c in cases
            .iter()
            .filter(|c| c.id.starts_with("gen.create.") && c.tags.contains(&"inside".to_owned()))
        {
            let last = evaluate(c).pop().unwrap();
            if last.shape.is_empty()
                && !c.id.contains("on-success")
                && !c
                    .id
                    .contains("filter-criteria-filters-items-pattern.length.min")
            {
                assert!(last.rules.is_empty(), "{}: {:?}", c.id, last.rules);
            }
        }
    }

    #[test]
    fn lengths_count_unicode_scalar_values() {
        let cases = generate(&model()).unwrap();
        let c = case(&cases, "gen.create.tags-value.length.max");
        let tags = request(c, 0)["Tags"].as_object().unwrap();
        let value = tags.values().next().unwrap().as_str().unwrap();
        assert_eq!(value.chars().count(), 256);
        assert!(value.chars().all(|ch| ch == WIDE));
        assert!(evaluate(c).pop().unwrap().shape.is_empty());
        let c = case(&cases, "gen.create.tags-value.length.max-plus-1");
        let tags = request(c, 0)["Tags"].as_object().unwrap();
        assert_eq!(
            tags.values()
                .next()
                .unwrap()
                .as_str()
                .unwrap()
                .chars()
                .count(),
            257
        );
    }

    #[test]
    fn values_just_inside_a_mapping_label_act_on_a_mapping_made_first() {
        let cases = generate(&model()).unwrap();
        let c = case(&cases, "gen.update.batch-size.range.max");
        let names: Vec<&str> = c.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["create", "settled", "UpdateEventSourceMapping"]);
        assert_eq!(request(c, 2)["UUID"], "{capture.mapping}");
        assert!(c.steps[1].wait.is_some());
        // Outside: one request, to a mapping that does not exist.
        let c = case(&cases, "gen.update.batch-size.range.max-plus-1");
        assert_eq!(c.steps.len(), 1);
        assert_eq!(request(c, 0)["UUID"], NO_SUCH_UUID);
        assert!(c.fixtures.is_empty());
        let c = case(&cases, "gen.tag-resource.tags-key.length.min");
        assert_eq!(c.steps.len(), 2);
        assert_eq!(c.steps[0].capture[0].1.to_string(), "EventSourceMappingArn");
        // The label under test is the value itself.
        let c = case(&cases, "gen.list-tags.resource.length.max");
        assert_eq!(
            request(c, 0)["Resource"].as_str().unwrap().chars().count(),
            256
        );
    }

    #[test]
    fn identical_requests_are_kept_once() {
        let cases = generate(&model()).unwrap();
        // Queues has length 1..1: the minimum and the maximum are one request.
        let kept = case(&cases, "gen.create.queues.length.min");
        assert!(
            kept.doc.contains("`gen.create.queues.length.max` too"),
            "{}",
            kept.doc
        );
        assert!(!cases.iter().any(|c| c.id == "gen.create.queues.length.max"));

        let draft = |id: &str, batch: i64| Draft {
            id: id.into(),
            doc: "d.".into(),
            tags: Vec::new(),
            operation: CREATE,
            steps: vec![DraftStep {
                name: "s".into(),
                operation: CREATE,
                request: json!({ "BatchSize": batch }),
                capture: None,
                settle: false,
                expect: None,
            }],
        };
        let out = dedupe(vec![draft("a", 1), draft("b", 2), draft("c", 1)]);
        let ids: Vec<&str> = out.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(out[0].doc.ends_with("The same request stands for `c` too."));
    }

    #[test]
    fn literal_sources_differ_between_cases() {
        let cases = generate(&model()).unwrap();
        let mut seen = HashSet::new();
        for c in cases.iter().filter(|c| {
            c.tags
                .iter()
                .any(|t| matches!(t.as_str(), "msk" | "mq" | "documentdb"))
        }) {
            let arn = request(c, 0)["EventSourceArn"].as_str().unwrap().to_owned();
            assert!(!arn.contains(TOKEN), "{arn}");
            assert!(seen.insert(arn.clone()), "{}: {arn} again", c.id);
        }
        assert!(seen.len() > 20);
    }

    /// The generated cases alone break every constraint the spec declares.
    #[test]
    fn generated_cases_exercise_every_constraint() {
        let cases = generate(&model()).unwrap();
        let coverage = coverage::compute(&cases).unwrap();
        let gaps: Vec<String> = coverage
            .gaps()
            .into_iter()
            .map(|g| g.0)
            .filter(|g| g.starts_with("constraint"))
            .collect();
        assert!(gaps.is_empty(), "{gaps:#?}");
    }

    #[test]
    fn only_the_project_holding_the_spec_gets_them() {
        let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert!(!for_root(&project).unwrap().is_empty());
        let elsewhere = std::env::temp_dir();
        assert!(for_root(&elsewhere).unwrap().is_empty());
    }

    #[test]
    fn patterns_match_as_the_validators_do() {
        let topic = r"^[^.]([a-zA-Z0-9\-_.]+)";
        assert!(matches(topic, "topic"));
        assert!(!matches(topic, "topic name"), "whole value");
        assert!(!matches(topic, "t"));
        let member = |pattern: &str| FlatMember {
            path: "X".into(),
            owner: "S$X".into(),
            shape: "smithy.api#String".into(),
            kind: "string".into(),
            required: false,
            length: None,
            range: None,
            pattern: Some(pattern.into()),
            enum_values: None,
            sensitive: false,
            location: "body".into(),
            segments: conform_spec::MemberPath(vec![PathSegment::Member("X".into())]),
        };
        assert_eq!(checked_pattern(&member(r"[\s\S]*")), None);
        assert!(checked_pattern(&member(topic)).is_some());
    }
}
