//! Goldens in insta's file format, so `cargo insta review` shows and accepts them:
//!
//! ```text
//! ---
//! source: cases/sqs-create-defaults.toml
//! description: "…the case's doc…"
//! expression: CreateEventSourceMapping
//! info: {"case": "…", "provenance": "reference", "recorded": "…", "requests": […]}
//! ---
//! { …the normalised response, pretty JSON… }
//! ```
//!
//! The header is YAML (insta parses it so, and rewrites it in block style when a snapshot is
//! accepted), so it is read with a YAML parser; it is written as JSON values, which are YAML.
//! Only the body is compared; the metadata says where the golden came from. Errors name the
//! file's own line and column (`PATH:LINE:COLUMN: …`), not the header's or the body's.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};
use yaml_rust2::{Yaml, YamlLoader};

/// A golden, or a pending one.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The case file, relative to the workspace root.
    pub source: String,
    pub description: String,
    pub expression: String,
    /// The metadata: case, target, provenance, recording time, requests, reason.
    pub info: Map<String, Value>,
    /// What is compared.
    pub body: Value,
}

impl Snapshot {
    /// The `reason` of an accepted divergence.
    pub fn reason(&self) -> Option<&str> {
        self.info
            .get("reason")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let string = |s: &str| Value::String(s.to_owned()).to_string();
        let info = serde_json::to_string(&self.info).expect("JSON serialises");
        let body = serde_json::to_string_pretty(&self.body).expect("JSON serialises");
        format!(
            "---\nsource: {}\ndescription: {}\nexpression: {}\ninfo: {info}\n---\n{body}\n",
            string(&self.source),
            string(&self.description),
            string(&self.expression),
        )
    }

    /// Parses a snapshot file's text; an error starts with its `LINE:COLUMN`.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::parse_parts(text)
            .map(|(snapshot, _)| snapshot)
            .map_err(|p| p.to_string())
    }

    /// The snapshot and its header's text.
    fn parse_parts(text: &str) -> Result<(Self, &str), Problem> {
        let parts = split(text)?;
        let header = parts.header;
        let mut meta = match parse_header(header).map_err(|p| p.below(HEADER_LINE - 1))? {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => return Err(Problem::at((HEADER_LINE, 1), "header is not a mapping")),
        };
        let info = match meta.get_mut("info").map(Value::take) {
            Some(Value::Object(info)) => info,
            Some(Value::Null) | None => Map::new(),
            Some(_) => {
                return Err(Problem::located(
                    header,
                    &["info"],
                    "`info` is not a mapping".into(),
                ))
            }
        };
        let text_of = |key: &str| {
            meta.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let snapshot = Self {
            source: text_of("source"),
            description: text_of("description"),
            expression: text_of("expression"),
            info,
            body: parts.body()?,
        };
        Ok((snapshot, header))
    }

    /// Reads `path`; `Ok(None)` when there is no such file.
    pub fn read(path: &Path) -> Result<Option<Self>, String> {
        read_with(path, |text| {
            Self::parse_parts(text).map(|(snapshot, _)| snapshot)
        })
    }

    /// Reads an accepted divergence, as [`Snapshot::read`]; its `reason`, which the run shows
    /// for it, must be a string that says something.
    pub fn read_divergence(path: &Path) -> Result<Option<Self>, String> {
        read_with(path, |text| {
            let (snapshot, header) = Self::parse_parts(text)?;
            // The runner adds what to do about it.
            let reason = "one line on why the divergence is accepted";
            let (key, message) = match snapshot.info.get("reason") {
                Some(Value::String(text)) if !text.trim().is_empty() => return Ok(snapshot),
                Some(Value::String(_)) => ("reason", format!("`reason` is empty ({reason})")),
                None | Some(Value::Null) => {
                    ("info", format!("has no `reason` in its info ({reason})"))
                }
                Some(other) => (
                    "reason",
                    format!("`reason` must be a string ({reason}), not `{other}`"),
                ),
            };
            let path: &[&str] = if key == "info" {
                &["info"]
            } else {
                &["info", "reason"]
            };
            Err(Problem::located(header, path, message))
        })
    }

    /// Reads only the body of `path`, what a comparison needs; `Ok(None)` when there is no such
    /// file. The header is metadata: reading it as YAML was a fifth of a verify run's own cost,
    /// and every committed snapshot's header is checked by this module's tests instead.
    pub fn read_body(path: &Path) -> Result<Option<Value>, String> {
        read_with(path, |text| split(text)?.body())
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        crate::files::write_whole(path, &self.render())
    }
}

/// `parse` applied to the text of `path`, `Ok(None)` when there is no such file; errors name it,
/// and the line and column in it.
fn read_with<T>(
    path: &Path,
    parse: impl Fn(&str) -> Result<T, Problem>,
) -> Result<Option<T>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let parsed = match conform_spec::utf8_text(bytes) {
        Ok(text) => parse(&text),
        Err(e) => Err(Problem::at(
            (e.line, e.column),
            &format!("not UTF-8 (byte 0x{:02x})", e.byte),
        )),
    };
    parsed.map(Some).map_err(|p| match p.at {
        Some(_) => format!("{}:{p}", path.display()),
        None => format!("{}: {p}", path.display()),
    })
}

/// The header starts on the file's second line, after the first `---`.
const HEADER_LINE: usize = 2;

/// A problem in a snapshot's text, at a line and column of the file (from 1) when known.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    at: Option<(usize, usize)>,
    message: String,
}

impl Problem {
    fn at(at: (usize, usize), message: &str) -> Self {
        Self {
            at: Some(at),
            message: message.to_owned(),
        }
    }

    /// At the key `path` names in `header`, when the header has it.
    fn located(header: &str, path: &[&str], message: String) -> Self {
        let at = locate(header, path).map(|(line, column)| (line + HEADER_LINE - 1, column));
        Self { at, message }
    }

    /// Moves a position in a part of the file down by the `lines` before that part.
    fn below(mut self, lines: usize) -> Self {
        if let Some((line, _)) = &mut self.at {
            *line += lines;
        }
        self
    }
}

/// `LINE:COLUMN: message`, to follow the file's name as the project's other readers do.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{line}:{column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A snapshot's text cut at the `---` lines around its header.
struct Parts<'a> {
    header: &'a str,
    body: &'a str,
    /// How many lines of the file come before the body.
    body_after: usize,
}

impl Parts<'_> {
    /// The body as JSON; an error gives the file's line and column.
    fn body(&self) -> Result<Value, Problem> {
        serde_json::from_str(self.body).map_err(|e| {
            // The place is the body's; `below` makes it the file's.
            let e = conform_spec::JsonSyntax::of(self.body, &e);
            Problem {
                at: Some((e.line, e.column)),
                message: format!("body is not JSON: {}", e.message),
            }
            .below(self.body_after)
        })
    }
}

/// Cuts a snapshot's text at the `---` lines around its header. As insta reads them, each is
/// `---` with any trailing whitespace (a `\r`, a stray space).
fn split(text: &str) -> Result<Parts<'_>, Problem> {
    let first = text.split_inclusive('\n').next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err(Problem::at(
            (1, 1),
            "does not start with a `---` line (not an insta snapshot)",
        ));
    }
    let rest = &text[first.len()..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_start = first.len() + offset + line.len();
            return Ok(Parts {
                header: &rest[..offset],
                body: &text[body_start..],
                body_after: text[..body_start].matches('\n').count(),
            });
        }
        offset += line.len();
    }
    Err(Problem::at(
        (1, 1),
        "has no second `---` line ending the header that starts here",
    ))
}

/// `snapshots/<id>.snap`: what AWS (or the reference, standing in for it) answers.
pub fn golden_path(dir: &Path, case_id: &str) -> PathBuf {
    dir.join(format!("{case_id}.snap"))
}

/// `snapshots/<id>@<target>.snap`: an accepted divergence of one target.
pub fn divergence_path(dir: &Path, case_id: &str, target: &str) -> PathBuf {
    dir.join(format!("{case_id}@{target}.snap"))
}

/// The pending file insta reviews: `….snap.new`.
pub fn pending_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// The header's first document as JSON (`Null` when there is none). Built straight from the
/// parser's events: building `YamlLoader`'s tree and converting it was about 40% of the cost
/// of reading a golden. Anything the direct build does not cover (anchors, aliases, tags,
/// non-scalar keys, two keys with the same text) is loaded the general way, so the result and
/// the errors are `YamlLoader`'s.
fn parse_header(header: &str) -> Result<Value, Problem> {
    if let Some(written) = parse_header_as_written(header) {
        return Ok(written);
    }
    let mut direct = DirectLoader::default();
    Parser::new_from_str(header)
        .load(&mut direct, true)
        .map_err(yaml_problem)?;
    if !direct.general {
        return Ok(direct.docs.into_iter().next().unwrap_or(Value::Null));
    }
    parse_header_generally(header)
}

/// The header as [`Snapshot::render`] writes it: one `key: VALUE` line per key, each value a
/// JSON string or object. JSON is YAML, so serde reads those values as a YAML parser would, at
/// a fraction of the cost of scanning them as YAML. `None` for anything else (block style after
/// `cargo insta accept`, plain scalars, comments), which the YAML readers take.
fn parse_header_as_written(header: &str) -> Option<Value> {
    let mut map = Map::new();
    for line in header.lines() {
        let (key, value) = line.split_once(": ")?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return None;
        }
        let value: Value = serde_json::from_str(value).ok()?;
        if !(value.is_string() || value.is_object()) {
            return None;
        }
        if map.insert(key.to_owned(), value).is_some() {
            return None;
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

fn parse_header_generally(header: &str) -> Result<Value, Problem> {
    let docs = YamlLoader::load_from_str(header).map_err(yaml_problem)?;
    Ok(docs.into_iter().next().map_or(Value::Null, yaml_to_json))
}

/// A YAML error at its place in the header (yaml-rust2 counts lines from 1, columns from 0).
fn yaml_problem(e: ScanError) -> Problem {
    Problem::at(
        (e.marker().line(), e.marker().col() + 1),
        &format!("header: {}", e.info()),
    )
}

/// Where the key `path` names (`["info", "reason"]`) starts in `header`, as a line and column
/// from 1. Only errors need it, so the header is parsed once more, for the parser's marks.
fn locate(header: &str, path: &[&str]) -> Option<(usize, usize)> {
    /// An open collection: whether a mapping, how many of its nodes are done (a mapping's
    /// even ones are keys), and the key of the value being read.
    struct Level {
        mapping: bool,
        done: usize,
        key: Option<String>,
    }
    struct Finder<'a> {
        path: &'a [&'a str],
        open: Vec<Level>,
        found: Option<Marker>,
    }
    impl MarkedEventReceiver for Finder<'_> {
        fn on_event(&mut self, event: Event, mark: Marker) {
            let key = match self.open.last_mut() {
                Some(level) if level.mapping && level.done % 2 == 0 => Some(level),
                _ => None,
            };
            match event {
                Event::Scalar(text, ..) => {
                    if let Some(level) = key {
                        level.key = Some(text);
                        let here = self.open.len() == self.path.len()
                            && self.open.iter().zip(self.path).all(|(level, name)| {
                                level.mapping && level.key.as_deref() == Some(*name)
                            });
                        if here && self.found.is_none() {
                            self.found = Some(mark);
                        }
                    }
                    self.done();
                }
                Event::Alias(_) => {
                    if let Some(level) = key {
                        level.key = None;
                    }
                    self.done();
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if let Some(level) = key {
                        level.key = None;
                    }
                    let mapping = matches!(event, Event::MappingStart(..));
                    self.open.push(Level {
                        mapping,
                        done: 0,
                        key: None,
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.open.pop();
                    self.done();
                }
                _ => {}
            }
        }
    }
    impl Finder<'_> {
        fn done(&mut self) {
            if let Some(level) = self.open.last_mut() {
                level.done += 1;
            }
        }
    }
    let mut finder = Finder {
        path,
        open: Vec::new(),
        found: None,
    };
    // A header with a YAML error has failed before anything asks where its keys are.
    let _ = Parser::new_from_str(header).load(&mut finder, false);
    finder.found.map(|mark| (mark.line(), mark.col() + 1))
}

/// An open collection of [`DirectLoader`]; a mapping holds the key waiting for its value.
enum Open {
    Sequence(Vec<Value>),
    Mapping(Map<String, Value>, Option<String>),
}

/// Builds JSON from parser events, as `YamlLoader` followed by [`yaml_to_json`] would; sets
/// `general` at the first event it does not cover.
#[derive(Default)]
struct DirectLoader {
    open: Vec<Open>,
    root: Option<Value>,
    docs: Vec<Value>,
    general: bool,
}

impl DirectLoader {
    fn insert(&mut self, value: Value) {
        match self.open.last_mut() {
            None => self.root = Some(value),
            Some(Open::Sequence(items)) => items.push(value),
            Some(Open::Mapping(map, key)) => match key.take() {
                Some(key) => {
                    map.insert(key, value);
                }
                None => {
                    let text = match value {
                        Value::String(k) => Some(k),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    };
                    // `YamlLoader` tells equal keys (an error) from keys that only read the
                    // same (`true` and `"true"`); leave both to it.
                    match text {
                        Some(text) if !map.contains_key(&text) => *key = Some(text),
                        _ => self.general = true,
                    }
                }
            },
        }
    }
}

impl MarkedEventReceiver for DirectLoader {
    fn on_event(&mut self, event: Event, _mark: Marker) {
        if self.general {
            return;
        }
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
            Event::DocumentEnd => {
                let doc = self.root.take().unwrap_or(Value::Null);
                self.docs.push(doc);
            }
            Event::Alias(_) => self.general = true,
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) if anchor > 0 => {
                self.general = true;
            }
            Event::SequenceStart(..) => self.open.push(Open::Sequence(Vec::new())),
            Event::MappingStart(..) => self.open.push(Open::Mapping(Map::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => match self.open.pop() {
                Some(Open::Sequence(items)) => self.insert(Value::Array(items)),
                Some(Open::Mapping(map, None)) => self.insert(Value::Object(map)),
                _ => self.general = true,
            },
            Event::Scalar(_, _, anchor, tag) if anchor > 0 || tag.is_some() => {
                self.general = true;
            }
            Event::Scalar(text, TScalarStyle::Plain, ..) => {
                let value = yaml_to_json(Yaml::from_str(&text));
                // A key's number keeps the text `YamlLoader` reads it as, not serde's.
                if matches!(self.open.last(), Some(Open::Mapping(_, None))) && value.is_number() {
                    self.general = true;
                } else {
                    self.insert(value);
                }
            }
            Event::Scalar(text, ..) => self.insert(Value::String(text)),
        }
    }
}

fn yaml_to_json(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Real(text) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(text), Value::Number),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Hash(hash) => Value::Object(
            hash.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s,
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r,
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Snapshot {
        let Value::Object(info) = json!({
            "case": "sqs-create-defaults",
            "provenance": "reference",
            "recorded": "2026-11-26T19:00:00Z",
            "requests": [{"step": "create", "method": "POST", "body": {"Name": "it's \"quoted\"\n"}}],
            "reason": "moto answers 201",
        }) else {
            unreachable!()
        };
        Snapshot {
            source: "cases/sqs-create-defaults.toml".into(),
            description: "Creating a mapping: the defaults: # not a comment".into(),
            expression: "CreateEventSourceMapping".into(),
            info,
            body: json!({"status": 202, "body": {"BatchSize": 10, "State": "Creating"}}),
        }
    }

    #[test]
    fn round_trips() {
        let s = sample();
        let text = s.render();
        assert!(
            text.starts_with("---\nsource: \"cases/sqs-create-defaults.toml\"\n"),
            "{text}"
        );
        assert_eq!(Snapshot::parse(&text).unwrap(), s);
        assert_eq!(s.reason(), Some("moto answers 201"));
    }

    /// The body alone reads as the whole snapshot's body; what cannot be read names the file.
    #[test]
    fn reads_the_body_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.snap");
        assert_eq!(Snapshot::read_body(&path), Ok(None));
        sample().write(&path).unwrap();
        assert_eq!(Snapshot::read_body(&path), Ok(Some(sample().body)));
        for (text, why) in [
            ("---\nsource: x\n---\n{\"status\": ", "body is not JSON"),
            ("---\nsource: x\n{}\n", "no second `---`"),
            ("{}\n", "not an insta snapshot"),
        ] {
            std::fs::write(&path, text).unwrap();
            let error = Snapshot::read_body(&path).unwrap_err();
            assert!(
                error.starts_with(&path.display().to_string()) && error.contains(why),
                "{error}"
            );
        }
    }

    /// Errors give the file's line and column, not the header's or the body's: the header
    /// starts on line 2, the body after the second `---`.
    #[test]
    fn errors_name_the_files_line_and_column() {
        let text = sample().render();
        // Cut inside the body's last string.
        let cut = &text[..text.rfind("Creating").unwrap() + 3];
        let (line, column) = (cut.lines().count(), cut.lines().last().unwrap().len());
        assert!(line > 10, "the body is well below the header: {line}");
        assert_eq!(
            Snapshot::parse(cut).unwrap_err(),
            format!("{line}:{column}: body is not JSON: EOF while parsing a string")
        );
        // serde_json's column 0 is a newline in a string: the end of the line before.
        assert_eq!(
            Snapshot::parse("---\nsource: x\n---\n{\"a\": \"x\ny\"}\n").unwrap_err(),
            "4:9: body is not JSON: control character (\\u0000-\\u001F) found while parsing a string"
        );
        // A YAML error on the header's third line, the file's fourth.
        assert_eq!(
            Snapshot::parse("---\nsource: x\ndescription: y\nexpression: a: b\n---\n{}\n")
                .unwrap_err(),
            "4:14: header: mapping values are not allowed in this context"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.snap");
        std::fs::write(&path, cut).unwrap();
        assert_eq!(
            Snapshot::read_body(&path).unwrap_err(),
            format!(
                "{}:{line}:{column}: body is not JSON: EOF while parsing a string",
                path.display()
            )
        );
        std::fs::write(&path, b"---\nsource: \"\xc3\xa9t\xe9\"\n---\n{}\n").unwrap();
        assert_eq!(
            Snapshot::read_body(&path).unwrap_err(),
            format!("{}:2:12: not UTF-8 (byte 0xe9)", path.display())
        );
    }

    /// insta reads a `---` line with trailing whitespace as `---` (`trim_end`), and so does this
    /// module; anything else on the first line is not a snapshot.
    #[test]
    fn dashes_may_end_in_whitespace_as_insta_reads_them() {
        let text = sample().render();
        for (first, second) in [("--- ", "---"), ("---\t", "---  "), ("---\r", "---\r")] {
            let edited =
                format!("{first}\n{}", &text[4..]).replacen("\n---\n", &format!("\n{second}\n"), 1);
            assert_eq!(Snapshot::parse(&edited), Ok(sample()), "{edited:?}");
        }
        assert_eq!(
            Snapshot::parse(&format!("---x\n{}", &text[4..])).unwrap_err(),
            "1:1: does not start with a `---` line (not an insta snapshot)"
        );
    }

    /// An accepted divergence's `reason` is a string that says something, or the file is named
    /// where it goes wrong: in the one-line header `render` writes, and in insta's block style.
    #[test]
    fn a_divergence_needs_a_string_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a@moto.snap");
        let at = |line: usize, column: usize, why: &str| {
            format!("{}:{line}:{column}: {why}", path.display())
        };
        sample().write(&path).unwrap();
        assert_eq!(Snapshot::read_divergence(&path), Ok(Some(sample())));
        let mut no_reason = sample();
        no_reason.info.remove("reason");
        let mut number = sample();
        number.info.insert("reason".into(), json!(5));
        let mut blank = sample();
        blank.info.insert("reason".into(), json!(" "));
        for (snapshot, why) in [
            (no_reason, "has no `reason` in its info"),
            (number, "`reason` must be a string"),
            (blank, "`reason` is empty"),
        ] {
            let text = snapshot.render();
            let line = text.lines().position(|l| l.starts_with("info: ")).unwrap() + 1;
            let info = &text.lines().nth(line - 1).unwrap();
            let column = info.find("\"reason\"").map_or(1, |c| c + 1);
            std::fs::write(&path, &text).unwrap();
            let error = Snapshot::read_divergence(&path).unwrap_err();
            assert!(error.starts_with(&at(line, column, why)), "{error}");
        }
        let block = "---\nsource: x\ninfo:\n  case: x\n  reason: 5\n---\n{}\n";
        std::fs::write(&path, block).unwrap();
        assert_eq!(
            Snapshot::read_divergence(&path).unwrap_err(),
            at(
                5,
                3,
                "`reason` must be a string (one line on why the divergence is accepted), not `5`"
            )
        );
        std::fs::write(&path, block.replace("  reason: 5\n", "")).unwrap();
        let error = Snapshot::read_divergence(&path).unwrap_err();
        assert!(error.starts_with(&at(3, 1, "has no `reason`")), "{error}");
    }

    #[test]
    fn reads_the_block_style_insta_writes_on_accept() {
        let text = "---\nsource: cases/x.toml\ndescription: \"a: b\"\nexpression: CreateEventSourceMapping\ninfo:\n  case: x\n  provenance: reference\n  requests:\n    - step: create\n      body:\n        BatchSize: 10\n        Enabled: true\n  reason: ~\n---\n{\n  \"status\": 202\n}\n";
        let s = Snapshot::parse(text).unwrap();
        assert_eq!(s.description, "a: b");
        assert_eq!(
            s.info["requests"][0]["body"],
            json!({"BatchSize": 10, "Enabled": true})
        );
        assert_eq!(s.reason(), None);
        assert_eq!(s.body, json!({"status": 202}));
    }

    /// The direct build and the as-written reading give what `YamlLoader` gives, on every
    /// snapshot in the project.
    #[test]
    fn headers_read_directly_as_yaml_loader_reads_them() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots");
        let mut seen = 0;
        let mut read_as_written = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "snap") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let rest = &text[4..];
            let header = &rest[..rest.find("\n---\n").map_or(rest.len(), |i| i + 1)];
            let mut direct = DirectLoader::default();
            Parser::new_from_str(header)
                .load(&mut direct, true)
                .unwrap();
            assert!(!direct.general, "{}", path.display());
            let general = parse_header_generally(header).unwrap();
            if let Some(written) = parse_header_as_written(header) {
                assert_eq!(written, general, "{}", path.display());
                read_as_written += 1;
            }
            assert_eq!(
                direct.docs.into_iter().next(),
                Some(general),
                "{}",
                path.display()
            );
            seen += 1;
        }
        assert!(seen > 0);
        assert!(read_as_written > 0, "no snapshot took the as-written path");
    }

    /// What the direct build leaves to `YamlLoader` still reads (or fails) as it does.
    #[test]
    fn unusual_headers_read_as_yaml_loader_reads_them() {
        for header in [
            "",
            "a: 1\nb: 2.50\nc: 0x10\nd: ~\ne: [1, \"x\", true]\nf: {g: .inf}\n",
            "1: a\n\"1\": b\n",
            "true: a\n\"true\": b\n",
            "a: 1\na: 2\n",
            "a: &x {b: 1}\nc: *x\n",
            "a: !!str 5\nb: !!int 7\n",
            "? [a]\n: 1\n",
            "~: a\n",
            "- a\n- b\n",
            "a: [\n",
            "a: 1\n...\n---\nb: 2\n",
            "a: \"x\\u00e9\\n\\\"y\\\"\"\nb: {\"n\": [1, 2.5, -3, true, null], \"s\": \"\\/\"}\n",
            "a: \"x\"\na: \"y\"\n",
            "a: \"x\" # note\n",
            "a: \"tab\there\"\n",
            "A: \"x\"\n",
            "a: []\n",
        ] {
            assert_eq!(
                parse_header(header),
                parse_header_generally(header),
                "{header:?}"
            );
        }
    }

    #[test]
    fn names_files_like_insta() {
        let dir = Path::new("snapshots");
        assert_eq!(golden_path(dir, "a.b"), Path::new("snapshots/a.b.snap"));
        let d = divergence_path(dir, "a", "moto");
        assert_eq!(d, Path::new("snapshots/a@moto.snap"));
        assert_eq!(pending_path(&d), Path::new("snapshots/a@moto.snap.new"));
        assert!(Snapshot::parse("no header").is_err());
    }
}
