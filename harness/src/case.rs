//! The case format (see `docs/cases.md`): one TOML file per case under `cases/`, checked at
//! load time and expanded into runnable cases, one per parameter row.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use conform_models::operations;
use conform_runtime::OperationMeta;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::fixtures::FixtureRef;
use crate::path::ValuePath;
use crate::template::{JsonTemplate, Template, Var};

// ---------------------------------------------------------------------------------------------
// The file format, as written

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    id: String,
    doc: String,
    #[serde(default)]
    tags: Vec<String>,
    operation: String,
    #[serde(default)]
    fixtures: Vec<String>,
    #[serde(default)]
    rows: Vec<toml::Table>,
    request: Option<toml::Table>,
    raw: Option<RawFile>,
    expect: Option<ExpectFile>,
    #[serde(default)]
    steps: Vec<StepFile>,
    /// The recorded AWS case this one reproduces, e.g. `sqs-create-defaults (2025-11-27)`.
    aws_verified: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    name: Option<String>,
    operation: Option<String>,
    request: Option<toml::Table>,
    raw: Option<RawFile>,
    expect: Option<ExpectFile>,
    #[serde(default)]
    capture: BTreeMap<String, String>,
    wait: Option<WaitFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    method: String,
    path: String,
    query: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    body: Option<String>,
    service: Option<String>,
    sign: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    status: Option<u16>,
    error: Option<String>,
    message: Option<String>,
    body: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitFile {
    until: String,
    timeout_ms: Option<u64>,
    interval_ms: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Runnable cases

/// One runnable case: a file, or one row of a file with rows.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique; names the golden `snapshots/<id>.snap`.
    pub id: String,
    pub doc: String,
    pub tags: Vec<String>,
    /// The operation the case is about (for filters and summaries).
    pub operation: &'static str,
    pub fixtures: Vec<FixtureRef>,
    pub row: Map<String, Value>,
    pub steps: Vec<Step>,
    pub aws_verified: Option<String>,
    /// The file, relative to the cases folder's parent (e.g. `cases/sqs-create-defaults.toml`).
    pub file: String,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub operation: &'static OperationMeta,
    pub request: Request,
    pub expect: Option<Expect>,
    pub capture: Vec<(String, ValuePath)>,
    pub wait: Option<Wait>,
}

#[derive(Debug, Clone)]
pub enum Request {
    /// Members of the operation's input; the operation's HTTP binding places them.
    Params(JsonTemplate),
    /// Sent as written, for input no SDK would send.
    Raw(Raw),
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub method: String,
    pub path: Template,
    pub query: Option<Template>,
    pub headers: Vec<(String, Template)>,
    pub body: Option<Template>,
    /// The SigV4 signing name.
    pub service: String,
    pub sign: bool,
}

/// Hard expectations, checked on the raw response (before normalisation).
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub message: Option<Template>,
    pub body: Option<JsonTemplate>,
}

#[derive(Debug, Clone)]
pub struct Wait {
    pub until: Condition,
    pub timeout_ms: u64,
    pub interval_ms: u64,
}

/// `PATH == VALUE` or `PATH != VALUE`.
#[derive(Debug, Clone)]
pub struct Condition {
    pub path: ValuePath,
    pub equal: bool,
    pub value: String,
}

impl Condition {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (path, equal, value) = if let Some((p, v)) = text.split_once("!=") {
            (p, false, v)
        } else if let Some((p, v)) = text.split_once("==") {
            (p, true, v)
        } else {
            return Err(format!(
                "wait condition `{text}` needs `==` or `!=` (e.g. `State != Creating`)"
            ));
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        Ok(Self {
            path: ValuePath::parse(path)?,
            equal,
            value: value.to_owned(),
        })
    }

    /// Whether the response satisfies the condition; a missing member is `null`.
    pub fn holds(&self, status: u16, body: &Value) -> bool {
        let found = if self.path.is_status() {
            status.to_string()
        } else {
            match self.path.get(body) {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "null".to_owned(),
            }
        };
        (found == self.value) == self.equal
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = if self.equal { "==" } else { "!=" };
        write!(f, "{} {op} {}", self.path, self.value)
    }
}

// ---------------------------------------------------------------------------------------------
// Loading

/// Why the cases could not be loaded: every problem found, each naming its file.
#[derive(Debug)]
pub struct LoadError {
    pub problems: Vec<String>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(problem)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Loads every `*.toml` under `dir` (recursively), sorted by case id; in the project that holds
/// the spec, with the cases generated from it (`generated`).
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, LoadError> {
    let mut files = Vec::new();
    collect_files(dir, &mut files).map_err(|e| LoadError {
        problems: vec![format!("{}: {e}", dir.display())],
    })?;
    files.sort();
    let base = dir.parent().unwrap_or(dir);
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let shown = file
            .strip_prefix(base)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(&file) {
            Ok(text) => match parse_case(&text, &shown) {
                Ok(mut expanded) => cases.append(&mut expanded),
                Err(e) => problems.push(format!("{shown}: {e}")),
            },
            Err(e) => problems.push(format!("{shown}: {e}")),
        }
    }
    match crate::generated::for_root(base) {
        Ok(generated) => cases.extend_from_slice(generated),
        Err(e) => problems.push(e),
    }
    let mut seen = BTreeMap::new();
    for case in &cases {
        if let Some(other) = seen.insert(case.id.clone(), case.file.clone()) {
            problems.push(format!(
                "{}: case id `{}` is also used by {other}",
                case.file, case.id
            ));
        }
    }
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(cases)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses one case file's text; `file` names it in the cases and in errors.
pub fn parse_case(text: &str, file: &str) -> Result<Vec<Case>, String> {
    let raw: CaseFile = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
    check_id(&raw.id, "id")?;
    for tag in &raw.tags {
        check_id(tag, "tag")?;
    }
    let operation = operation(&raw.operation)?;
    let fixtures = raw
        .fixtures
        .iter()
        .map(|f| FixtureRef::parse(f))
        .collect::<Result<Vec<_>, _>>()?;

    let steps = if raw.steps.is_empty() {
        let single = StepFile {
            name: None,
            operation: None,
            request: raw.request,
            raw: raw.raw,
            expect: raw.expect,
            capture: BTreeMap::new(),
            wait: None,
        };
        vec![build_step(single, operation, 0)?]
    } else {
        if raw.request.is_some() || raw.raw.is_some() || raw.expect.is_some() {
            return Err(
                "a case with [[steps]] puts [request], [raw] and [expect] inside each step".into(),
            );
        }
        raw.steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| build_step(s, operation, i))
            .collect::<Result<Vec<_>, _>>()?
    };
    check_references(&steps, &fixtures, &raw.rows)?;

    let rows: Vec<Map<String, Value>> = raw
        .rows
        .into_iter()
        .map(|row| match toml_to_json(toml::Value::Table(row)) {
            Value::Object(map) => map,
            _ => unreachable!("a table converts to an object"),
        })
        .collect();
    let make = |id: String, row: Map<String, Value>| Case {
        id,
        doc: raw.doc.trim().to_owned(),
        tags: raw.tags.clone(),
        operation: operation.name,
        fixtures: fixtures.clone(),
        row,
        steps: steps.clone(),
        aws_verified: raw.aws_verified.clone(),
        file: file.to_owned(),
    };
    if rows.is_empty() {
        return Ok(vec![make(raw.id.clone(), Map::new())]);
    }
    // Rows are named by the values the steps use, in order of use (or by their `id`).
    let mut used: Vec<&str> = Vec::new();
    for var in steps.iter().flat_map(Step::vars) {
        if let Var::Row(key) = var {
            if !used.contains(&key.as_str()) {
                used.push(key);
            }
        }
    }
    let mut cases = Vec::new();
    let mut suffixes = BTreeSet::new();
    for (i, row) in rows.into_iter().enumerate() {
        let suffix = row_suffix(&row, &used);
        if suffix.is_empty() {
            return Err(format!(
                "row {} gives no id suffix; add `id = \"...\"`",
                i + 1
            ));
        }
        if !suffixes.insert(suffix.clone()) {
            return Err(format!(
                "rows give the id suffix `{suffix}` twice; add distinct `id = \"...\"` keys"
            ));
        }
        cases.push(make(format!("{}.{suffix}", raw.id), row));
    }
    Ok(cases)
}

fn check_id(id: &str, what: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{id}` must be lowercase letters, digits, `-` and `_` (it names files)"
        ))
    }
}

fn operation(name: &str) -> Result<&'static OperationMeta, String> {
    operations::by_name(name).ok_or_else(|| {
        let known: Vec<&str> = operations::ALL.iter().map(|o| o.name).collect();
        format!("unknown operation `{name}`; known: {}", known.join(", "))
    })
}

fn build_step(
    file: StepFile,
    default_op: &'static OperationMeta,
    index: usize,
) -> Result<Step, String> {
    let operation = match &file.operation {
        Some(name) => operation(name)?,
        None => default_op,
    };
    let name = file.name.unwrap_or_else(|| {
        if index == 0 {
            operation.name.to_owned()
        } else {
            format!("{}#{}", operation.name, index + 1)
        }
    });
    let at = |e: String| format!("step `{name}`: {e}");
    let request = match (file.request, file.raw) {
        (Some(_), Some(_)) => return Err(at("give [request] or [raw], not both".into())),
        (None, Some(raw)) => Request::Raw(build_raw(raw).map_err(at)?),
        (request, None) => Request::Params(
            JsonTemplate::parse(toml_to_json(toml::Value::Table(
                request.unwrap_or_default(),
            )))
            .map_err(at)?,
        ),
    };
    let expect = file
        .expect
        .map(|e| {
            Ok::<_, String>(Expect {
                status: e.status,
                error: e.error,
                message: e.message.as_deref().map(Template::parse).transpose()?,
                body: e
                    .body
                    .map(|b| JsonTemplate::parse(toml_to_json(toml::Value::Table(b))))
                    .transpose()?,
            })
        })
        .transpose()
        .map_err(at)?;
    let capture = file
        .capture
        .into_iter()
        .map(|(k, p)| Ok((k, ValuePath::parse(&p)?)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(at)?;
    let wait = file
        .wait
        .map(|w| {
            Ok::<_, String>(Wait {
                until: Condition::parse(&w.until)?,
                timeout_ms: w.timeout_ms.unwrap_or(30_000),
                interval_ms: w.interval_ms.unwrap_or(250).max(10),
            })
        })
        .transpose()
        .map_err(at)?;
    Ok(Step {
        name,
        operation,
        request,
        expect,
        capture,
        wait,
    })
}

fn build_raw(raw: RawFile) -> Result<Raw, String> {
    let method = raw.method.to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!("raw method `{}` is not an HTTP method", raw.method));
    }
    let service = raw.service.unwrap_or_else(|| "lambda".to_owned());
    if !["lambda", "sqs", "kinesis", "dynamodb", "iam"].contains(&service.as_str()) {
        return Err(format!(
            "raw service `{service}`: use lambda, sqs, kinesis, dynamodb or iam"
        ));
    }
    Ok(Raw {
        method,
        path: Template::parse(&raw.path)?,
        query: raw.query.as_deref().map(Template::parse).transpose()?,
        headers: raw
            .headers
            .into_iter()
            .map(|(k, v)| Ok((k.to_ascii_lowercase(), Template::parse(&v)?)))
            .collect::<Result<_, String>>()?,
        body: raw.body.as_deref().map(Template::parse).transpose()?,
        service,
        sign: raw.sign.unwrap_or(true),
    })
}

impl Step {
    /// Every variable the step's request and expectations use.
    pub fn vars(&self) -> Vec<&Var> {
        let mut vars: Vec<&Var> = match &self.request {
            Request::Params(t) => t.vars().collect(),
            Request::Raw(raw) => {
                let mut v: Vec<&Var> = raw.path.vars().collect();
                v.extend(raw.query.iter().flat_map(Template::vars));
                v.extend(raw.headers.iter().flat_map(|(_, t)| t.vars()));
                v.extend(raw.body.iter().flat_map(Template::vars));
                v
            }
        };
        if let Some(expect) = &self.expect {
            vars.extend(expect.message.iter().flat_map(Template::vars));
            vars.extend(expect.body.iter().flat_map(JsonTemplate::vars));
        }
        vars
    }
}

/// Every `{fixture.x}` names a listed fixture, every `{row.x}` a key of every row, and every
/// `{capture.x}` a capture of an earlier step.
fn check_references(
    steps: &[Step],
    fixtures: &[FixtureRef],
    rows: &[toml::Table],
) -> Result<(), String> {
    let mut captured: BTreeSet<&str> = BTreeSet::new();
    for step in steps {
        for var in step.vars() {
            match var {
                Var::Fixture { fixture, .. } if !fixtures.contains(fixture) => {
                    return Err(format!(
                        "step `{}` uses {var} but `fixtures` does not list `{fixture}`",
                        step.name
                    ));
                }
                Var::Row(key) => {
                    if rows.is_empty() {
                        return Err(format!(
                            "step `{}` uses {var} but the case has no [[rows]]",
                            step.name
                        ));
                    }
                    if let Some(i) = rows.iter().position(|r| !r.contains_key(key)) {
                        return Err(format!(
                            "step `{}` uses {var} but row {} has no `{key}`",
                            step.name,
                            i + 1
                        ));
                    }
                }
                Var::Capture(key) if !captured.contains(key.as_str()) => {
                    return Err(format!(
                        "step `{}` uses {var} but no earlier step captures `{key}`",
                        step.name
                    ));
                }
                _ => {}
            }
        }
        captured.extend(step.capture.iter().map(|(k, _)| k.as_str()));
    }
    let mut names = BTreeSet::new();
    for step in steps {
        if !names.insert(step.name.as_str()) {
            return Err(format!("two steps are named `{}`", step.name));
        }
    }
    Ok(())
}

/// The id suffix of a row: its `id`, else the values of the `used` keys joined with `-`.
fn row_suffix(row: &Map<String, Value>, used: &[&str]) -> String {
    let text = match row.get("id") {
        Some(Value::String(id)) => id.clone(),
        _ => used
            .iter()
            .filter_map(|k| row.get(*k))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("-"),
    };
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

pub(crate) fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Selection

/// Which cases a run takes: `--case`, `--tag` and `--partition`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A case id or a glob over ids (`sqs-*`, `batch-size.*`).
    pub case: Option<String>,
    pub tag: Option<String>,
    pub partition: Option<Partition>,
}

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Partition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("partition `{s}` must be K/N with 1 <= K <= N (e.g. 2/4)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl Selection {
    /// The selected cases, in id order. A `--case` that matches nothing is an error.
    pub fn apply(&self, cases: Vec<Case>) -> Result<Vec<Case>, String> {
        let matcher = match &self.case {
            Some(pattern) => Some(
                globset::Glob::new(pattern)
                    .map_err(|e| format!("--case `{pattern}`: {e}"))?
                    .compile_matcher(),
            ),
            None => None,
        };
        let selected: Vec<Case> = cases
            .into_iter()
            .filter(|c| {
                matcher.as_ref().is_none_or(|m| {
                    m.is_match(&c.id) || self.case.as_deref() == Some(c.id.as_str())
                })
            })
            .filter(|c| self.tag.as_ref().is_none_or(|t| c.tags.contains(t)))
            .collect();
        if selected.is_empty() {
            let mut what = Vec::new();
            if let Some(c) = &self.case {
                what.push(format!("--case `{c}`"));
            }
            if let Some(t) = &self.tag {
                what.push(format!("--tag `{t}`"));
            }
            if !what.is_empty() {
                return Err(format!("no case matches {}", what.join(" and ")));
            }
        }
        Ok(match self.partition {
            Some(p) => selected
                .into_iter()
                .enumerate()
                .filter(|(i, _)| i % p.count == p.index - 1)
                .map(|(_, c)| c)
                .collect(),
            None => selected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: &str = r#"
id = "batch-size"
doc = "BatchSize values"
tags = ["sqs"]
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue"]

[[rows]]
size = 0
[[rows]]
size = 10001

[request]
FunctionName = "{function.name}"
EventSourceArn = "{queue.arn}"
BatchSize = "{row.size}"

[expect]
status = 400
"#;

    #[test]
    fn rows_expand_into_cases() {
        let cases = parse_case(ROWS, "cases/rows.toml").unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["batch-size.0", "batch-size.10001"]);
        assert_eq!(cases[1].row["size"], 10001);
        assert_eq!(cases[0].operation, "CreateEventSourceMapping");
        assert_eq!(cases[0].steps.len(), 1);
        assert_eq!(cases[0].steps[0].expect.as_ref().unwrap().status, Some(400));
    }

    #[test]
    fn references_are_checked() {
        let text = ROWS.replace(
            r#"fixtures = ["function", "queue"]"#,
            r#"fixtures = ["function"]"#,
        );
        let err = parse_case(&text, "x").unwrap_err();
        assert!(err.contains("does not list `queue`"), "{err}");
        let text = ROWS.replace("size = 10001", "other = 1");
        let err = parse_case(&text, "x").unwrap_err();
        assert!(err.contains("row 2 has no `size`"), "{err}");
        let text = ROWS.replace("CreateEventSourceMapping", "CreateWidget");
        assert!(parse_case(&text, "x")
            .unwrap_err()
            .contains("unknown operation"));
        let text = ROWS.replace("doc =", "docs =");
        assert!(parse_case(&text, "x")
            .unwrap_err()
            .contains("unknown field"));
    }

    #[test]
    fn steps_check_captures_in_order() {
        let text = r#"
id = "lifecycle"
doc = "d"
operation = "GetEventSourceMapping"
[[steps]]
name = "get"
request = { UUID = "{capture.uuid}" }
[[steps]]
name = "create"
operation = "CreateEventSourceMapping"
capture = { uuid = "UUID" }
"#;
        let err = parse_case(text, "x").unwrap_err();
        assert!(err.contains("no earlier step captures `uuid`"), "{err}");
    }

    #[test]
    fn conditions_compare_as_text() {
        let c = Condition::parse("State != Creating").unwrap();
        assert!(c.holds(200, &serde_json::json!({"State": "Enabled"})));
        assert!(!c.holds(200, &serde_json::json!({"State": "Creating"})));
        let c = Condition::parse("status == 404").unwrap();
        assert!(c.holds(404, &Value::Null));
        assert!(Condition::parse("State").is_err());
    }

    #[test]
    fn selection_globs_tags_and_partitions() {
        let cases = parse_case(ROWS, "x").unwrap();
        let pick = |s: Selection| -> Vec<String> {
            s.apply(cases.clone())
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect()
        };
        assert_eq!(
            pick(Selection {
                case: Some("batch-size.*".into()),
                ..Default::default()
            })
            .len(),
            2
        );
        assert_eq!(
            pick(Selection {
                case: Some("batch-size.0".into()),
                ..Default::default()
            }),
            ["batch-size.0"]
        );
        assert_eq!(
            pick(Selection {
                partition: Some("2/2".parse().unwrap()),
                ..Default::default()
            }),
            ["batch-size.10001"]
        );
        let none = Selection {
            tag: Some("kinesis".into()),
            ..Default::default()
        }
        .apply(cases.clone());
        assert!(none
            .unwrap_err()
            .contains("no case matches --tag `kinesis`"));
        assert!("0/2".parse::<Partition>().is_err());
        assert!("3/2".parse::<Partition>().is_err());
    }
}
