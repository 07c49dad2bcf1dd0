//! Errors of the reader: each names the file and where possible the line, column and shape id.

use std::fmt;

/// Bytes that should be UTF-8 text and are not: where the first bad byte is (line and column
/// from 1, in characters), and what it is. Every reader of the project names it so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
    pub column: usize,
    pub byte: u8,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: not UTF-8 (byte 0x{:02x})",
            self.line, self.column, self.byte
        )
    }
}

/// `bytes` as text, or where they stop being UTF-8.
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        NotUtf8 {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            byte: bytes[at],
        }
    })
}

/// A JSON syntax error where every reader of the project puts it: serde_json's message without
/// its " at line L column C", and a line and column from 1. serde_json gives column 0 for a
/// newline (inside a string, say); that newline ends the line before, so the place is just past
/// that line's last character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntax {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl JsonSyntax {
    /// `error`, from parsing `text`.
    pub fn of(text: &str, error: &serde_json::Error) -> JsonSyntax {
        let (line, column) = match (error.line(), error.column()) {
            (line, 0) if line > 1 => {
                let previous = text.lines().nth(line - 2).unwrap_or_default();
                (line - 1, previous.chars().count() + 1)
            }
            (line, column) => (line.max(1), column.max(1)),
        };
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(index) => message[..index].to_owned(),
            None => message,
        };
        JsonSyntax {
            line,
            column,
            message,
        }
    }
}

/// The text of a spec file; bytes that are not UTF-8 are an error at the first bad one.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, SpecError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| SpecError::new(&origin, SpecErrorKind::Io(e.to_string())))?;
    utf8_text(bytes)
        .map_err(|e| SpecError::new(&origin, SpecErrorKind::NotUtf8(e.byte)).at(e.line, e.column))
}

/// A spec error with its origin (file name) and, where known, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub origin: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub kind: SpecErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("not UTF-8 (byte 0x{0:02x})")]
    NotUtf8(u8),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("malformed overlay: {0}")]
    Toml(String),
    #[error("not a Smithy JSON AST model: {0}")]
    NotAModel(String),
    #[error("unsupported Smithy version `{0}` (expected 2.0 or 1.0)")]
    Version(String),
    #[error("shape `{shape}`: {message}")]
    Shape { shape: String, message: String },
    #[error("shape `{shape}`: unsupported shape type `{shape_type}`")]
    UnsupportedShapeType { shape: String, shape_type: String },
    #[error("shape `{shape}`: unsupported trait `{trait_id}`")]
    UnsupportedTrait { shape: String, trait_id: String },
    #[error("shape `{shape}`: trait `{trait_id}` has a malformed value: {message}")]
    TraitValue {
        shape: String,
        trait_id: String,
        message: String,
    },
    #[error("shape `{shape}` targets `{target}`, which is not defined")]
    DanglingTarget { shape: String, target: String },
    #[error("unknown operation `{name}`; known: {known}")]
    UnknownOperation { name: String, known: String },
    #[error("operation name `{name}` is ambiguous: {candidates}")]
    AmbiguousOperation { name: String, candidates: String },
    #[error("rule `{rule}`: path `{path}` is not in the model ({reason})")]
    OverlayPath {
        rule: String,
        path: String,
        reason: String,
    },
    #[error("rule `{rule}`: {message}")]
    OverlayRule { rule: String, message: String },
}

impl SpecError {
    pub fn new(origin: impl Into<String>, kind: SpecErrorKind) -> Self {
        SpecError {
            origin: origin.into(),
            line: None,
            column: None,
            kind,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Places the error at the first line where `needle` is a JSON object key in `source`.
    pub(crate) fn located_in(self, source: &str, needle: &str) -> Self {
        match locate_key(source, needle) {
            Some((line, column)) => self.at(line, column),
            None => self,
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for SpecError {}

/// Finds `"needle"` used as an object key, returning its 1-based line and column.
pub(crate) fn locate_key(source: &str, needle: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{needle}\"");
    let mut from = 0;
    while let Some(found) = source[from..].find(&quoted) {
        let start = from + found;
        let after = source[start + quoted.len()..].trim_start();
        if after.starts_with(':') {
            return Some(line_column(source, start));
        }
        from = start + quoted.len();
    }
    None
}

pub(crate) fn line_column(source: &str, byte_offset: usize) -> (usize, usize) {
    let before = &source[..byte_offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(byte_offset, |nl| byte_offset - nl - 1)
        + 1;
    (line, column)
}
