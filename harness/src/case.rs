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
use crate::template::{JsonTemplate, Scope, Template, Var};

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
    let base = dir.parent().unwrap_or(dir);
    let shown = |path: &Path| {
        path.strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut folders = Folders::default();
    if let Err(e) = folders.collect(dir, &mut files, &mut problems) {
        problems.push((dir.to_owned(), e));
    }
    let mut problems: Vec<String> = problems
        .into_iter()
        .map(|(path, e)| format!("{}: {e}", shown(&path)))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let shown = shown(&file);
        match read_text(&file, &shown)
            .and_then(|text| parse_case(&text, &shown).map_err(|e| format!("{shown}: {e}")))
        {
            Ok(mut expanded) => cases.append(&mut expanded),
            Err(e) => problems.push(e),
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

/// The folders read so far, by canonical path: a symlink back to one of them (a loop, or a
/// second link to the same folder) would read its cases again, forever in a loop.
#[derive(Default)]
struct Folders {
    read: BTreeSet<PathBuf>,
}

impl Folders {
    /// Adds every case file under `dir` to `out`, in name order; a problem with one entry is
    /// added to `problems` with its path. Only regular files are case files: reading a FIFO or
    /// a device would block or never end.
    fn collect(
        &mut self,
        dir: &Path,
        out: &mut Vec<PathBuf>,
        problems: &mut Vec<(PathBuf, String)>,
    ) -> Result<(), String> {
        let canonical = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
        if !self.read.insert(canonical.clone()) {
            return Err(format!(
                "leads to {}, a folder already read (a symlink loop, or a second link to it)",
                canonical.display()
            ));
        }
        let mut entries = std::fs::read_dir(dir)
            .and_then(|entries| {
                entries
                    .map(|e| e.map(|e| e.path()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| e.to_string())?;
        entries.sort();
        for path in entries {
            let is_case = path.extension().is_some_and(|e| e == "toml");
            // Through symlinks: a link to a case file or a folder of cases is followed.
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => {
                    if let Err(e) = self.collect(&path, out, problems) {
                        problems.push((path, e));
                    }
                }
                Ok(meta) if is_case && !meta.is_file() => problems.push((
                    path,
                    "not a regular file (a FIFO, socket or device): a case is a TOML file".into(),
                )),
                Ok(_) if is_case => out.push(path),
                Err(e) if is_case => problems.push((path, e.to_string())),
                _ => {}
            }
        }
        Ok(())
    }
}

/// The text of a case file; bytes that are not UTF-8 are an error at the first one's line and
/// column (in characters), as the spec reader names them.
fn read_text(path: &Path, shown: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    conform_spec::utf8_text(bytes).map_err(|e| format!("{shown}:{e}"))
}

/// Parses one case file's text; `file` names it in the cases and in errors.
pub fn parse_case(text: &str, file: &str) -> Result<Vec<Case>, String> {
    let raw: CaseFile = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
    check_id(&raw.id, "id")?;
    check_id_length(&raw.id)?;
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

    let rows = raw
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| table_to_json(row, "").map_err(|e| format!("row {}: {e}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;
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
        let at = |e: String| format!("row {}: {e}", i + 1);
        let suffix = row_suffix(&row, &used).map_err(at)?;
        if suffix.is_empty() {
            return Err(at("gives no id suffix; add `id = \"...\"`".into()));
        }
        if !suffixes.insert(suffix.clone()) {
            return Err(format!(
                "rows give the id suffix `{suffix}` twice; add distinct `id = \"...\"` keys"
            ));
        }
        let id = format!("{}.{suffix}", raw.id);
        check_id_length(&id).map_err(at)?;
        cases.push(make(id, row));
    }
    Ok(cases)
}

/// The longest case id: it names `snapshots/<id>@<target>.snap.new`, and a file name has at
/// most 255 bytes on common file systems, which leaves room for a target's name.
const MAX_ID_LEN: usize = 200;

fn check_id_length(id: &str) -> Result<(), String> {
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "case id `{id}` is {} characters long; at most {MAX_ID_LEN} (it names the golden \
             `<id>@<target>.snap.new`)",
            id.len()
        ));
    }
    Ok(())
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
            JsonTemplate::parse(Value::Object(
                table_to_json(request.unwrap_or_default(), "request").map_err(at)?,
            ))
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
                    .map(|b| JsonTemplate::parse(Value::Object(table_to_json(b, "expect.body")?)))
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
    let wait = file.wait.map(build_wait).transpose().map_err(at)?;
    Ok(Step {
        name,
        operation,
        request,
        expect,
        capture,
        wait,
    })
}

/// The longest wait: a case that needs longer is waiting on something that will not come.
const MAX_WAIT_MS: u64 = 600_000;
/// The shortest interval between tries, so a wait does not flood the target.
const MIN_INTERVAL_MS: u64 = 10;

fn build_wait(wait: WaitFile) -> Result<Wait, String> {
    let timeout_ms = wait.timeout_ms.unwrap_or(30_000);
    let interval_ms = wait.interval_ms.unwrap_or(250);
    if timeout_ms > MAX_WAIT_MS {
        return Err(format!(
            "wait timeout_ms = {timeout_ms} is above {MAX_WAIT_MS} (10 minutes)"
        ));
    }
    if !(MIN_INTERVAL_MS..=timeout_ms).contains(&interval_ms) {
        let default = if wait.interval_ms.is_none() {
            " (the default)"
        } else {
            ""
        };
        return Err(format!(
            "wait interval_ms = {interval_ms}{default} must be from {MIN_INTERVAL_MS} to \
             timeout_ms ({timeout_ms})"
        ));
    }
    Ok(Wait {
        until: Condition::parse(&wait.until)?,
        timeout_ms,
        interval_ms,
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
    let path = Template::parse(&raw.path)?;
    let query = raw.query.as_deref().map(Template::parse).transpose()?;
    check_request_target(&raw.path, &path, raw.query.as_deref().zip(query.as_ref()))?;
    let headers = raw
        .headers
        .into_iter()
        .map(|(name, value)| {
            let template = Template::parse(&value)?;
            check_header(&name, &value, &template)?;
            Ok((name.to_ascii_lowercase(), template))
        })
        .collect::<Result<_, String>>()?;
    Ok(Raw {
        method,
        path,
        query,
        headers,
        body: raw.body.as_deref().map(Template::parse).transpose()?,
        service,
        sign: raw.sign.unwrap_or(true),
    })
}

/// Stands in for every substitution when a raw request's shape is checked at load time; the
/// values substituted when the case runs are names, ARNs and captures.
struct StandIn;

impl Scope for StandIn {
    fn lookup(&self, _: &Var) -> Result<Value, String> {
        Ok(Value::String("x".into()))
    }
}

/// A raw path and query must reach the target as written: the signer takes them as an HTTP
/// request target (`http::uri::PathAndQuery`), and the URL parser would otherwise encode, drop
/// or normalise what it does not keep as is (a space, a tab, `#`, `..`), so that the request
/// sent is not the case's, or is blamed on the target as one that cannot be signed.
fn check_request_target(
    path_text: &str,
    path: &Template,
    query: Option<(&str, &Template)>,
) -> Result<(), String> {
    if !path_text.starts_with('/') {
        return Err(format!("raw path {path_text:?} must start with `/`"));
    }
    let path = path.render_string(&StandIn)?;
    let query = query
        .map(|(text, q)| Ok::<_, String>((text, q.render_string(&StandIn)?)))
        .transpose()?
        .filter(|(_, q)| !q.is_empty());
    let invalid = |what: &str, text: &str, why: &dyn fmt::Display| {
        format!(
            "raw {what} {text:?} is not sent as written ({why}); percent-encode what must \
             reach the target (a space as %20)"
        )
    };
    http::uri::PathAndQuery::try_from(path.as_str()).map_err(|e| invalid("path", path_text, &e))?;
    if let Some((text, query)) = &query {
        http::uri::PathAndQuery::try_from(format!("/?{query}"))
            .map_err(|e| invalid("query", text, &e))?;
    }
    // The URL the client would send.
    let target = crate::client::raw_url(
        "http://host",
        &path,
        query.as_ref().map(|(_, q)| q.as_str()),
    );
    let url = reqwest::Url::parse(&target).map_err(|e| e.to_string())?;
    if url.path() != path {
        let why = format!("the URL would have the path {:?}", url.path());
        return Err(invalid("path", path_text, &why));
    }
    if let Some((text, query)) = query {
        if url.query() != Some(query.as_str()) {
            let why = format!(
                "the URL would have the query {:?}",
                url.query().unwrap_or("")
            );
            return Err(invalid("query", text, &why));
        }
    }
    Ok(())
}

/// A raw header must be one HTTP can carry as written; checked with the parsers the client and
/// the signer use, so that it is not refused only when the case runs.
fn check_header(name: &str, text: &str, value: &Template) -> Result<(), String> {
    http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("raw header name {name:?} is not an HTTP header name"))?;
    http::HeaderValue::from_str(&value.render_string(&StandIn)?).map_err(|_| {
        format!(
            "raw header `{name}`: {text:?} is not an HTTP header value (visible ASCII, spaces \
             and tabs only)"
        )
    })?;
    Ok(())
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

/// The id suffix of a row: its `id`, which must be a valid id as written, else the values of
/// the `used` keys joined with `-`, lowercased, other ASCII characters becoming `-`. A character
/// outside ASCII would be dropped, so a value with one needs an `id`.
fn row_suffix(row: &Map<String, Value>, used: &[&str]) -> Result<String, String> {
    match row.get("id") {
        Some(Value::String(id)) => {
            check_id(id, "row id")?;
            return Ok(id.clone());
        }
        Some(other) => {
            return Err(format!(
                "`id = {other}` must be a string (it is the suffix of the row's case id)"
            ));
        }
        None => {}
    }
    let text = used
        .iter()
        .filter_map(|k| row.get(*k))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("-");
    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        return Err(format!(
            "its values give the id suffix {text:?}, and `{c}` cannot be in an id; add \
             `id = \"...\"`"
        ));
    }
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    Ok(out.trim_matches('-').to_owned())
}

/// A TOML value as JSON; `path` names it in errors (`request.BatchSize`). A NaN or infinite
/// float is refused: JSON has no such number (serde_json would make it `null`).
fn toml_to_json(value: toml::Value, path: &str) -> Result<Value, String> {
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("`{path}` is {f}: JSON has no NaN or infinite numbers"))?,
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| toml_to_json(item, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(table) => Value::Object(table_to_json(table, path)?),
    })
}

/// A TOML table as a JSON object; `path` is the table's key path (empty for a row).
fn table_to_json(table: toml::Table, path: &str) -> Result<Map<String, Value>, String> {
    table
        .into_iter()
        .map(|(key, value)| {
            // A key that is not bare TOML is quoted, so the path reads as TOML would write it.
            let bare = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
            let named = if bare {
                key.clone()
            } else {
                format!("{key:?}")
            };
            let inner = if path.is_empty() {
                named
            } else {
                format!("{path}.{named}")
            };
            let value = toml_to_json(value, &inner)?;
            Ok((key, value))
        })
        .collect()
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

    /// A one-step case around `step`, the lines of a `[[steps]]` table.
    fn with_step(step: &str) -> String {
        format!(
            "id = \"c\"\ndoc = \"d\"\noperation = \"GetEventSourceMapping\"\n\
             [[steps]]\nname = \"get\"\n{step}\n"
        )
    }

    #[test]
    fn waits_are_bounded() {
        let wait = |w: &str| {
            parse_case(
                &with_step(&format!("request = {{ UUID = \"u\" }}\nwait = {w}")),
                "x",
            )
        };
        let ok = wait(r#"{ until = "status == 200", timeout_ms = 600000, interval_ms = 10 }"#);
        let step = &ok.unwrap()[0].steps[0];
        let w = step.wait.as_ref().unwrap();
        assert_eq!((w.timeout_ms, w.interval_ms), (600_000, 10));
        for (w, says) in [
            (
                r#"{ until = "status == 200", timeout_ms = 18446744073709551615 }"#,
                "timeout_ms = 18446744073709551615 is above 600000",
            ),
            (
                r#"{ until = "status == 200", interval_ms = 100000000 }"#,
                "interval_ms = 100000000 must be from 10 to timeout_ms (30000)",
            ),
            (
                r#"{ until = "status == 200", interval_ms = 0 }"#,
                "interval_ms = 0 must be from 10",
            ),
            (
                r#"{ until = "status == 200", timeout_ms = 100 }"#,
                "interval_ms = 250 (the default) must be from 10 to timeout_ms (100)",
            ),
        ] {
            let err = wait(w).unwrap_err();
            assert!(err.starts_with("step `get`: wait "), "{err}");
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn raw_requests_are_checked_at_load() {
        let raw = |r: &str| {
            parse_case(
                &with_step(&format!("raw = {{ method = \"GET\", {r} }}")),
                "x",
            )
        };
        raw(r#"path = "/a/{run}-b%20c", query = "A=1&B={account}", headers = { X-Y = "v w	{run}" }"#)
            .unwrap();
        for (r, says) in [
            (r#"path = "a/b""#, r#"raw path "a/b" must start with `/`"#),
            (
                r#"path = "/a b""#,
                r#"raw path "/a b" is not sent as written"#,
            ),
            (
                r#"path = "/a\u0001b""#,
                r#"raw path "/a\u{1}b" is not sent as written"#,
            ),
            (
                r#"path = "/a\tb""#,
                r#"raw path "/a\tb" is not sent as written"#,
            ),
            (r#"path = "/a/../b""#, r#"the URL would have the path "/b""#),
            (r#"path = "/a#b""#, r#"the URL would have the path "/a""#),
            (r#"path = "/a?b""#, r#"the URL would have the path "/a""#),
            (
                r#"path = "/", query = "A=1#2""#,
                r#"the URL would have the query "A=1""#,
            ),
            (
                r#"path = "/", query = "A='1'""#,
                r#"the URL would have the query "A=%271%27""#,
            ),
            (
                r#"path = "/", query = "A=1 2""#,
                r#"raw query "A=1 2" is not sent"#,
            ),
            (
                r#"path = "/", query = "A=\n""#,
                r#"raw query "A=\n" is not sent"#,
            ),
            (
                r#"path = "/", headers = { "X Y" = "v" }"#,
                r#"raw header name "X Y" is not an HTTP header name"#,
            ),
            (
                r#"path = "/", headers = { "" = "v" }"#,
                r#"raw header name "" is not an HTTP header name"#,
            ),
            (
                r#"path = "/", headers = { x = "a\nb" }"#,
                r#"raw header `x`: "a\nb" is not an HTTP header value"#,
            ),
            (
                r#"path = "/", headers = { x = "a\u0000b" }"#,
                r#"raw header `x`: "a\0b" is not an HTTP header value"#,
            ),
        ] {
            let err = raw(r).unwrap_err();
            assert!(err.starts_with("step `get`: raw "), "{r}: {err}");
            assert!(err.contains(says), "{r}: {err}");
        }
    }

    #[test]
    fn non_finite_floats_are_refused() {
        let err = parse_case(&ROWS.replace("size = 0", "size = nan"), "x").unwrap_err();
        assert_eq!(
            err,
            "row 1: `size` is NaN: JSON has no NaN or infinite numbers"
        );
        let step = |s: &str| parse_case(&with_step(s), "x").unwrap_err();
        let err = step(r#"request = { UUID = "u", A = { "b c" = [1.0, inf] } }"#);
        assert!(
            err.starts_with(r#"step `get`: `request.A."b c"[1]` is inf"#),
            "{err}"
        );
        let err = step(r#"expect = { body = { BatchSize = -inf } }"#);
        assert!(
            err.starts_with("step `get`: `expect.body.BatchSize` is -inf"),
            "{err}"
        );
    }

    #[test]
    fn ids_fit_a_file_name() {
        let long = "a".repeat(MAX_ID_LEN);
        let with_id = |id: &str| ROWS.replace("id = \"batch-size\"", &format!("id = \"{id}\""));
        parse_case(&with_id(&long[..194]), "x").expect("an id of 200 with its suffix");
        let err = parse_case(&with_id(&format!("{long}a")), "x").unwrap_err();
        assert!(err.contains("is 201 characters long; at most 200"), "{err}");
        // Within the limit alone, over it with a row's suffix.
        let err = parse_case(&with_id(&long[..195]), "x").unwrap_err();
        assert!(err.starts_with("row 2: case id `aaa"), "{err}");
        assert!(err.contains(".10001` is 201 characters long"), "{err}");
    }

    #[test]
    fn row_ids_are_ids_as_written() {
        let with_id = |id: &str| {
            parse_case(
                &ROWS.replace("size = 0", &format!("size = 0\nid = {id}")),
                "x",
            )
        };
        assert_eq!(
            with_id("\"too-small\"").unwrap()[0].id,
            "batch-size.too-small"
        );
        let err = with_id("5").unwrap_err();
        assert_eq!(
            err,
            "row 1: `id = 5` must be a string (it is the suffix of the row's case id)"
        );
        let err = with_id("\"Ünïcode\"").unwrap_err();
        assert!(
            err.starts_with("row 1: row id `Ünïcode` must be lowercase letters"),
            "{err}"
        );
        // A suffix made of values keeps ASCII (lowercased, punctuation as `-`); other letters
        // would be lost.
        let values = |v: &str| parse_case(&ROWS.replace("size = 0", &format!("size = {v}")), "x");
        assert_eq!(values("\"A:b c\"").unwrap()[0].id, "batch-size.a-b-c");
        let err = values("\"Ünïcode\"").unwrap_err();
        assert!(
            err.starts_with(r#"row 1: its values give the id suffix "Ünïcode", and `Ü`"#),
            "{err}"
        );
    }

    /// A folder holding `cases/` with one valid case file.
    fn suite() -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().expect("a temp dir");
        let cases = root.path().join("cases");
        std::fs::create_dir(&cases).expect("cases/");
        std::fs::write(cases.join("ok.toml"), ROWS).expect("written");
        (root, cases)
    }

    #[test]
    fn case_files_that_are_not_utf8_are_named_at_the_first_bad_byte() {
        let (_root, cases) = suite();
        std::fs::write(cases.join("latin1.toml"), b"id = \"x\"\n# caf\xe9\n").expect("written");
        let err = load_dir(&cases).unwrap_err();
        assert_eq!(
            err.problems,
            ["cases/latin1.toml:2:6: not UTF-8 (byte 0xe9)"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_and_folder_loops_are_one_error_each() {
        let (_root, cases) = suite();
        std::os::unix::fs::symlink(".", cases.join("loop")).expect("a symlink");
        std::os::unix::fs::symlink("../cases", cases.join("again")).expect("a symlink");
        let status = std::process::Command::new("mkfifo")
            .arg(cases.join("fifo.toml"))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        // Reading the FIFO would block for ever: the load runs in a thread and must end.
        let (send, receive) = std::sync::mpsc::channel();
        let dir = cases.clone();
        std::thread::spawn(move || send.send(load_dir(&dir)));
        let err = receive
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the load ends")
            .unwrap_err();
        let again = format!(
            "leads to {}, a folder already read (a symlink loop, or a second link to it)",
            std::fs::canonicalize(&cases).expect("canonical").display()
        );
        assert_eq!(
            err.problems,
            [
                format!("cases/again: {again}"),
                "cases/fifo.toml: not a regular file (a FIFO, socket or device): a case is a \
                 TOML file"
                    .to_owned(),
                format!("cases/loop: {again}"),
            ]
        );
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
