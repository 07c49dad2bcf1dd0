//! Boundary requests generated from the spec's IR (`conform_spec::input_members`), shared by the
//! boundary and differential tests.

use std::collections::BTreeMap;

use conform_runtime::{ItemRole, Violation, ViolationKind};
use conform_spec::{FlatMember, Model, PathSegment};
use serde_json::{json, Map, Value};

pub fn model() -> Model {
    Model::from_json(
        conform_models::spec::MODEL_JSON,
        conform_models::spec::MODEL_NAME,
    )
    .expect("the project's model loads")
}

/// How to build strings that satisfy one pattern: `prefix`, fillers, `suffix`; values shorter
/// than `shortest` cannot match. `counterexamples` fail the pattern but fit any length bound.
pub struct StringShape {
    pub prefix: &'static str,
    pub filler: char,
    /// A filler of several UTF-8 bytes, where the pattern allows one.
    pub wide: Option<char>,
    pub suffix: &'static str,
    pub shortest: usize,
    pub matches_empty: bool,
    pub counterexamples: &'static [&'static str],
}

const PLAIN: StringShape = StringShape {
    prefix: "",
    filler: 'a',
    wide: Some('😀'),
    suffix: "",
    shortest: 0,
    matches_empty: true,
    counterexamples: &[],
};

const ARN_PREFIX: &str = "arn:aws:sqs:us-east-1:111111111111:";

/// An ARN of each kind of event source the overlay tells apart, and of one it does not.
pub const SOURCE_ARNS: &[&str] = &[
    "arn:aws:sqs:us-east-1:111111111111:q",
    "arn:aws:sqs:us-east-1:111111111111:q.fifo",
    "arn:aws:kinesis:us-east-1:111111111111:stream/s",
    "arn:aws:dynamodb:us-east-1:111111111111:table/t/stream/2024-01-01T00:00:00.000",
    "arn:aws:dynamodb:us-east-1:111111111111:table/t",
    "arn:aws:kafka:us-east-1:111111111111:cluster/c/1a2b3c4d",
    "arn:aws:mq:us-east-1:111111111111:broker:b:b-1",
    "arn:aws:rds:us-east-1:111111111111:cluster:docdb",
    "arn:aws:s3:::bucket",
];
const UUID: &str = "a1b2c3d4-5678-90ab-cdef-111111111111";

/// Every non-vacuous pattern of the model, keyed by its text; a new pattern fails the tests
/// until it has a row here.
pub fn pattern_shape(pattern: &str) -> Option<StringShape> {
    Some(match pattern {
        r"(^(?!(system\x2e)))(^[_a-zA-Z0-9])([^$]*)" => StringShape {
            prefix: "c",
            filler: 'o',
            wide: Some('é'),
            suffix: "",
            shortest: 1,
            matches_empty: false,
            counterexamples: &["system.views", "$coll", "co$ll"],
        },
        r"(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()" => StringShape {
            prefix: "arn:aws:kms:us-east-1:111111111111:key/",
            filler: 'k',
            wide: Some('é'),
            suffix: "",
            shortest: 0,
            matches_empty: true,
            counterexamples: &["key-id", " arn:aws:kms:us-east-1:111111111111:key/k"],
        },
        r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?" => {
            StringShape {
                prefix: "",
                filler: 'f',
                wide: None,
                suffix: "",
                shortest: 1,
                matches_empty: false,
                counterexamples: &["my function", "fn.v1", "fn:1:2"],
            }
        }
        r"[^ /\.$\x22]*" => StringShape {
            prefix: "",
            filler: 'd',
            wide: Some('é'),
            suffix: "",
            shortest: 0,
            matches_empty: true,
            counterexamples: &["my db", "db.name", "a\"b", "a$b"],
        },
        r"[a-zA-Z0-9-\/*:_+=.@-]*" => StringShape {
            prefix: "",
            filler: 'g',
            wide: None,
            suffix: "",
            shortest: 0,
            matches_empty: true,
            counterexamples: &["has space", "semi;colon", "é"],
        },
        r"^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)" => {
            StringShape {
                prefix: ARN_PREFIX,
                filler: 'q',
                wide: Some('é'),
                suffix: "",
                shortest: 0,
                matches_empty: true,
                counterexamples: &["queue", " arn:aws:sqs:us-east-1:111111111111:q"],
            }
        }
        r"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)" => {
            StringShape {
                prefix: ARN_PREFIX,
                filler: 'q',
                wide: Some('é'),
                suffix: "",
                shortest: 0,
                matches_empty: false,
                counterexamples: &[
                    "queue",
                    " arn:aws:sqs:us-east-1:111111111111:q",
                    "arn:aws:sqs:us-east-1:111111111111",
                ],
            }
        }
        r"^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]):[0-9]{1,5}" => {
            StringShape {
                prefix: "",
                filler: 'b',
                wide: None,
                suffix: ":9",
                shortest: 3,
                matches_empty: false,
                counterexamples: &["kafka", "kafka:123456", "-kafka:9092", "kafka:9092,b:1"],
            }
        }
        r"^[^.]([a-zA-Z0-9\-_.]+)" => StringShape {
            prefix: "t",
            filler: 'o',
            wide: None,
            suffix: "",
            shortest: 2,
            matches_empty: false,
            counterexamples: &[".topic", "t", "topic name"],
        },
        r"arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)" => {
            StringShape {
                prefix: "arn:aws:lambda:us-east-1:111111111111:function:",
                filler: 'f',
                wide: None,
                suffix: "",
                shortest: 48,
                matches_empty: false,
                counterexamples: &[
                    "arn:aws:something",
                    "arn:aws:lambda:us-east-1:111111111111:event-source-mapping:a1b2c3d4-5678-90ab-cdef-111111111111:alias",
                    "arn:aws:lambda:us-east-1:111111111111:function:f:1:2",
                ],
            }
        }
        _ => return None,
    })
}

/// Whether the generated validator checks `pattern`, as the generator decides it.
pub fn checked_pattern(member: &FlatMember) -> Option<&str> {
    member
        .pattern
        .as_deref()
        .filter(|p| !conform_spec::is_vacuous(&conform_runtime::pattern::whole_value(p)))
}

pub fn string_shape(member: &FlatMember) -> StringShape {
    match checked_pattern(member) {
        None => PLAIN,
        Some(p) => pattern_shape(p).unwrap_or_else(|| {
            panic!(
                "{}: no row for pattern {p:?} in support::pattern_shape",
                member.path
            )
        }),
    }
}

impl StringShape {
    /// A string of `len` Unicode scalar values, and whether it satisfies the pattern.
    pub fn of_length(&self, len: usize, wide: bool) -> (String, bool) {
        let filler = if wide {
            self.wide.expect("a wide filler")
        } else {
            self.filler
        };
        let fixed = self.prefix.chars().count() + self.suffix.chars().count();
        if len >= self.min_len() {
            let body: String = std::iter::repeat_n(filler, len - fixed).collect();
            (format!("{}{body}{}", self.prefix, self.suffix), true)
        } else if len == 0 {
            (String::new(), self.matches_empty)
        } else {
            // Fillers alone, shorter than any match.
            (std::iter::repeat_n(filler, len).collect(), false)
        }
    }

    /// The shortest string built from prefix, fillers and suffix.
    pub fn min_len(&self) -> usize {
        self.shortest
            .max(self.prefix.chars().count() + self.suffix.chars().count())
    }
}

/// What one kind of violation looks like, for comparing sets of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tag {
    Required,
    Length,
    Range,
    Pattern,
    Enum,
    Items(&'static str, Vec<Tag>),
}

pub fn tag_of(kind: &ViolationKind) -> Tag {
    match kind {
        ViolationKind::Required => Tag::Required,
        ViolationKind::Length { .. } => Tag::Length,
        ViolationKind::Range { .. } => Tag::Range,
        ViolationKind::Pattern { .. } => Tag::Pattern,
        ViolationKind::Enum { .. } => Tag::Enum,
        ViolationKind::Items { role, failures } => {
            let mut tags: Vec<Tag> = failures.iter().map(|f| tag_of(&f.kind)).collect();
            tags.sort();
            tags.dedup();
            Tag::Items(role_name(*role), tags)
        }
        ViolationKind::Rule { id, .. } => panic!("rule {id} is not a shape violation"),
    }
}

fn role_name(role: ItemRole) -> &'static str {
    match role {
        ItemRole::Member => "member",
        ItemRole::Key => "key",
        ItemRole::Value => "value",
    }
}

/// Shape violations grouped by path, each path's kinds sorted.
pub fn shape_tags(violations: &[Violation]) -> BTreeMap<String, Vec<Tag>> {
    let mut out: BTreeMap<String, Vec<Tag>> = BTreeMap::new();
    for v in violations.iter().filter(|v| !v.kind.is_rule()) {
        out.entry(v.path.to_string())
            .or_default()
            .push(tag_of(&v.kind));
    }
    for tags in out.values_mut() {
        tags.sort();
    }
    out
}

/// One generated boundary check.
pub struct Check {
    pub operation: &'static str,
    pub member: String,
    pub label: String,
    pub body: Value,
    /// The shape violations expected, by path (empty: valid).
    pub expected: BTreeMap<String, Vec<Tag>>,
}

/// The members of one operation's input, by path.
pub struct Members {
    pub operation: &'static str,
    pub list: Vec<FlatMember>,
    by_path: BTreeMap<String, usize>,
}

impl Members {
    pub fn new(model: &Model, operation: &'static str) -> Members {
        let list = conform_spec::input_members(model, operation).expect("the operation exists");
        let by_path = list
            .iter()
            .enumerate()
            .map(|(i, m)| (m.path.clone(), i))
            .collect();
        Members {
            operation,
            list,
            by_path,
        }
    }

    pub fn get(&self, path: &str) -> &FlatMember {
        &self.list[self.by_path[path]]
    }

    fn children<'a>(&'a self, parent: &'a FlatMember) -> impl Iterator<Item = &'a FlatMember> {
        let depth = parent.segments.0.len();
        self.list.iter().filter(move |m| {
            m.segments.0.len() == depth + 1 && m.segments.0[..depth] == parent.segments.0[..]
        })
    }

    fn child(&self, parent: &FlatMember, segment: &str) -> &FlatMember {
        self.get(&format!("{}{segment}", parent.path))
    }

    /// The operation's smallest valid input: its required members only.
    pub fn minimal(&self) -> Value {
        let mut object = Map::new();
        for m in self
            .list
            .iter()
            .filter(|m| m.segments.0.len() == 1 && m.required)
        {
            object.insert(name(m).to_owned(), self.valid(m));
        }
        Value::Object(object)
    }

    /// A valid value for `member`: the smallest its constraints allow.
    pub fn valid(&self, member: &FlatMember) -> Value {
        match member.kind.as_str() {
            "string" | "blob" => {
                let min = member.length.and_then(|l| l.min).unwrap_or(0) as usize;
                let shape = string_shape(member);
                let len = min.max(shape.min_len()).max(1);
                Value::String(shape.of_length(len, false).0)
            }
            "enum" => Value::String(member.enum_values.as_ref().expect("values")[0].clone()),
            "boolean" => Value::Bool(true),
            "timestamp" => json!(1_700_000_000),
            "byte" | "short" | "integer" | "long" | "intEnum" => {
                let min = range_bound(member, true).unwrap_or(1).max(1);
                let min = range_bound(member, false).map_or(min, |max| min.min(max));
                json!(min)
            }
            "float" | "double" | "bigDecimal" | "bigInteger" => json!(1),
            "document" => json!({}),
            "list" => {
                let n = member.length.and_then(|l| l.min).unwrap_or(0) as usize;
                Value::Array(self.items(member, n))
            }
            "map" => {
                let n = member.length.and_then(|l| l.min).unwrap_or(0) as usize;
                Value::Object(self.entries(member, n).0)
            }
            "structure" | "union" => {
                let mut object = Map::new();
                for child in self.children(member).filter(|c| c.required) {
                    object.insert(name(child).to_owned(), self.valid(child));
                }
                if member.kind == "union" && object.is_empty() {
                    if let Some(first) = self.children(member).next() {
                        object.insert(name(first).to_owned(), self.valid(first));
                    }
                }
                Value::Object(object)
            }
            other => panic!("{}: no valid value for kind {other}", member.path),
        }
    }

    fn items(&self, list: &FlatMember, n: usize) -> Vec<Value> {
        let item = self.child(list, "[]");
        (0..n).map(|_| self.valid(item)).collect()
    }

    /// `n` entries with distinct keys; also whether some keys had to break the key's enum.
    fn entries(&self, map: &FlatMember, n: usize) -> (Map<String, Value>, bool) {
        let key = self.child(map, "{key}");
        let value = self.child(map, "{value}");
        let mut out = Map::new();
        let mut invalid = false;
        for i in 0..n {
            let k = match &key.enum_values {
                Some(values) if i < values.len() => values[i].clone(),
                Some(_) => {
                    invalid = true;
                    format!("BOGUS_{i}")
                }
                None => {
                    let shape = string_shape(key);
                    let min = key.length.and_then(|l| l.min).unwrap_or(1).max(1) as usize;
                    let (base, _) = shape.of_length(min.max(shape.min_len()), false);
                    format!("{base}{i}")
                }
            };
            out.insert(k, self.valid(value));
        }
        (out, invalid)
    }
}

fn name(member: &FlatMember) -> &str {
    match member.segments.0.last() {
        Some(PathSegment::Member(name)) => name,
        _ => panic!("{} is not a structure member", member.path),
    }
}

pub fn range_bound(member: &FlatMember, min: bool) -> Option<i64> {
    let range = member.range.as_ref()?;
    let bound = if min { &range.min } else { &range.max };
    bound.as_ref().map(|n| {
        n.as_i64()
            .unwrap_or_else(|| panic!("{}: non-integral range", member.path))
    })
}

/// Where a value placed at a member path ends up, as violation paths print it.
struct Placement {
    /// The concrete path of the value itself: `Topics[0]`, `Tags{k}`, `A.B`.
    own: String,
    /// The concrete path of the innermost collection holding it, when the value is a list
    /// item, map key or map value.
    collection: Option<(String, &'static str)>,
}

impl Members {
    /// `base` with `value` placed at `member` (parents created, valid where required).
    fn place(&self, base: &Value, member: &FlatMember, value: Value) -> (Value, Placement) {
        let mut root = base.clone();
        let segments = &member.segments.0;
        let mut cursor = &mut root;
        let mut own = String::new();
        let mut collection;
        let mut prefix = String::new();
        for (i, segment) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let here = match segment {
                PathSegment::Member(name) => {
                    prefix = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    prefix.clone()
                }
                PathSegment::Items => {
                    prefix.push_str("[]");
                    prefix.clone()
                }
                PathSegment::Keys => {
                    prefix.push_str("{key}");
                    prefix.clone()
                }
                PathSegment::Values => {
                    prefix.push_str("{value}");
                    prefix.clone()
                }
            };
            let this = self.get(&here);
            match segment {
                PathSegment::Member(name) => {
                    let object = cursor.as_object_mut().expect("a structure");
                    if !own.is_empty() {
                        own.push('.');
                    }
                    own.push_str(name);
                    collection = None;
                    if last {
                        object.insert(name.clone(), value);
                        return (root, Placement { own, collection });
                    }
                    cursor = object
                        .entry(name.clone())
                        .or_insert_with(|| self.valid(this));
                    if this.kind == "list" {
                        cursor.as_array_mut().expect("a list").clear();
                    } else if this.kind == "map" {
                        cursor.as_object_mut().expect("a map").clear();
                    }
                }
                PathSegment::Items => {
                    let array = cursor.as_array_mut().expect("a list");
                    collection = Some((own.clone(), "member"));
                    own.push_str("[0]");
                    if last {
                        array.insert(0, value);
                        return (root, Placement { own, collection });
                    }
                    if array.is_empty() {
                        array.push(self.valid(this));
                    }
                    cursor = &mut array[0];
                    if this.kind == "list" {
                        cursor.as_array_mut().expect("a list").clear();
                    }
                }
                PathSegment::Keys => {
                    let object = cursor.as_object_mut().expect("a map");
                    let parent = &here[..here.len() - "{key}".len()];
                    let map_value = self.get(&format!("{parent}{{value}}"));
                    collection = Some((own.clone(), "key"));
                    let key = value.as_str().expect("a string key").to_owned();
                    own.push_str(&format!("{{{key}}}"));
                    object.insert(key, self.valid(map_value));
                    return (root, Placement { own, collection });
                }
                PathSegment::Values => {
                    let object = cursor.as_object_mut().expect("a map");
                    let parent = &here[..here.len() - "{value}".len()];
                    let key_member = self.get(&format!("{parent}{{key}}"));
                    let key = self.valid(key_member).as_str().expect("a key").to_owned();
                    collection = Some((own.clone(), "value"));
                    own.push_str(&format!("{{{key}}}"));
                    if last {
                        object.insert(key, value);
                        return (root, Placement { own, collection });
                    }
                    cursor = object.entry(key).or_insert_with(|| self.valid(this));
                    if this.kind == "list" {
                        cursor.as_array_mut().expect("a list").clear();
                    }
                }
            }
        }
        unreachable!("a member path is never empty")
    }
}

fn is_scalar(kind: &str) -> bool {
    !matches!(kind, "list" | "map" | "structure" | "union" | "document")
}

/// Every boundary check of every operation, in model order.
pub fn boundary_checks() -> Vec<Check> {
    let model = model();
    let mut out = Vec::new();
    for operation in conform_models::spec::OPERATIONS {
        let members = Members::new(&model, operation);
        let minimal = members.minimal();
        out.push(Check {
            operation,
            member: String::new(),
            label: "minimal".into(),
            body: minimal.clone(),
            expected: BTreeMap::new(),
        });
        for member in &members.list {
            member_checks(&members, &minimal, member, &mut out);
        }
    }
    out
}

fn member_checks(members: &Members, minimal: &Value, member: &FlatMember, out: &mut Vec<Check>) {
    if member.required {
        let mut body = minimal.clone();
        if member.segments.0.len() == 1 {
            body.as_object_mut()
                .expect("an object")
                .remove(name(member));
            out.push(Check {
                operation: members.operation,
                member: member.path.clone(),
                label: "required: absent".into(),
                body,
                expected: BTreeMap::from([(member.path.clone(), vec![Tag::Required])]),
            });
        } else {
            // No nested member of this model is required; fail loudly if one appears.
            panic!("{}: nested required members need a check", member.path);
        }
    }

    let scalar = is_scalar(&member.kind);
    // Bounds that coincide (min == max, an empty wide string) give one check, not two.
    let mut seen = std::collections::HashSet::new();
    let mut add = |label: String, value: Value, kinds: Vec<Tag>| {
        let (body, at) = members.place(minimal, member, value);
        if !seen.insert(body.to_string()) {
            return;
        }
        let mut expected = BTreeMap::new();
        if !kinds.is_empty() {
            match (&at.collection, scalar) {
                (Some((path, role)), true) => {
                    expected.insert(path.clone(), vec![Tag::Items(role, dedup(kinds))]);
                }
                _ => {
                    expected.insert(at.own.clone(), sorted(kinds));
                }
            }
        }
        out.push(Check {
            operation: members.operation,
            member: member.path.clone(),
            label,
            body,
            expected,
        });
    };

    match member.kind.as_str() {
        "string" | "blob" => {
            let shape = string_shape(member);
            if let Some(length) = member.length {
                let mut lengths: Vec<(u64, bool)> = Vec::new();
                if let Some(min) = length.min {
                    if min > 0 {
                        lengths.push((min - 1, false));
                    }
                    lengths.push((min, true));
                }
                if let Some(max) = length.max {
                    lengths.push((max, true));
                    lengths.push((max + 1, false));
                }
                for (len, inside) in lengths {
                    let widths: &[bool] = if shape.wide.is_some() {
                        &[false, true]
                    } else {
                        &[false]
                    };
                    for &wide in widths {
                        let (value, matches) = shape.of_length(len as usize, wide);
                        let mut kinds = Vec::new();
                        if !inside {
                            kinds.push(Tag::Length);
                        }
                        if !matches && checked_pattern(member).is_some() {
                            kinds.push(Tag::Pattern);
                        }
                        let label = format!(
                            "length {len} ({}){}",
                            if inside { "inside" } else { "outside" },
                            if wide { ", wide chars" } else { "" }
                        );
                        add(label, Value::String(value), kinds);
                    }
                }
            }
            if let Some(pattern) = checked_pattern(member) {
                let (min, max) = member.length.map_or((0, u64::MAX), |l| {
                    (l.min.unwrap_or(0), l.max.unwrap_or(u64::MAX))
                });
                let len = (min as usize).max(shape.min_len()).max(1);
                let (example, _) = shape.of_length(len, false);
                add("pattern: example".into(), Value::String(example), vec![]);
                assert!(
                    !shape.counterexamples.is_empty(),
                    "{}: pattern {pattern:?} needs a counterexample",
                    member.path
                );
                for bad in shape.counterexamples {
                    let n = bad.chars().count() as u64;
                    assert!(
                        n >= min && n <= max,
                        "{}: counterexample {bad:?} breaks the length",
                        member.path
                    );
                    add(
                        format!("pattern: counterexample {bad:?}"),
                        Value::String((*bad).to_owned()),
                        vec![Tag::Pattern],
                    );
                }
            }
        }
        "enum" => {
            let values = member.enum_values.as_ref().expect("enum values");
            for value in values {
                add(
                    format!("enum: {value}"),
                    Value::String(value.clone()),
                    vec![],
                );
            }
            add(
                "enum: unknown value".into(),
                json!("NOT_A_MEMBER"),
                vec![Tag::Enum],
            );
            let first = &values[0];
            let lower = first.to_lowercase();
            let wrong_case = if lower != *first {
                lower
            } else {
                first.to_uppercase()
            };
            add(
                format!("enum: wrong case {wrong_case:?}"),
                json!(wrong_case),
                vec![Tag::Enum],
            );
        }
        "byte" | "short" | "integer" | "long" => {
            if let Some(min) = range_bound(member, true) {
                add(
                    format!("range {} (outside)", min - 1),
                    json!(min - 1),
                    vec![Tag::Range],
                );
                add(format!("range {min} (inside)"), json!(min), vec![]);
            }
            if let Some(max) = range_bound(member, false) {
                add(format!("range {max} (inside)"), json!(max), vec![]);
                add(
                    format!("range {} (outside)", max + 1),
                    json!(max + 1),
                    vec![Tag::Range],
                );
            }
        }
        "list" => {
            if let Some(length) = member.length {
                for (n, inside) in count_bounds(length) {
                    let items = members.items(member, n as usize);
                    let kinds = if inside { vec![] } else { vec![Tag::Length] };
                    add(
                        format!("{n} items ({})", side(inside)),
                        Value::Array(items),
                        kinds,
                    );
                }
            }
        }
        "map" => {
            if let Some(length) = member.length {
                for (n, inside) in count_bounds(length) {
                    let (entries, invalid_keys) = members.entries(member, n as usize);
                    let mut kinds = if inside { vec![] } else { vec![Tag::Length] };
                    if invalid_keys {
                        // The key enum has fewer values than the bound needs.
                        kinds.push(Tag::Items("key", vec![Tag::Enum]));
                    }
                    add(
                        format!("{n} entries ({})", side(inside)),
                        Value::Object(entries),
                        kinds,
                    );
                }
            }
        }
        _ => {}
    }
}

fn count_bounds(length: conform_spec::Bounds) -> Vec<(u64, bool)> {
    let mut out = Vec::new();
    if let Some(min) = length.min {
        if min > 0 {
            out.push((min - 1, false));
        }
        out.push((min, true));
    }
    if let Some(max) = length.max {
        out.push((max, true));
        out.push((max + 1, false));
    }
    out
}

fn side(inside: bool) -> &'static str {
    if inside {
        "inside"
    } else {
        "outside"
    }
}

fn sorted(mut tags: Vec<Tag>) -> Vec<Tag> {
    tags.sort();
    tags
}

fn dedup(tags: Vec<Tag>) -> Vec<Tag> {
    let mut tags = sorted(tags);
    tags.dedup();
    tags
}
