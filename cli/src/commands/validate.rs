//! `conform validate OPERATION [FILE|-]`: AWS's verdict on a request body, from the generated
//! validators. Exit 0 valid, 1 invalid, 2 unreadable.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use conform_runtime::{DecodeError, RuleContext};

use crate::EXIT_FINDING;

#[derive(Args)]
pub struct ValidateArgs {
    /// The operation, e.g. CreateEventSourceMapping.
    operation: String,
    /// The request body as JSON; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// The stored resource an update applies to (for rules AWS checks on the result). Without
    /// it, an update's rules that depend on the event source are not checked.
    #[arg(long)]
    existing: Option<PathBuf>,
    /// Print the structured violations as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<u8> {
    // Before reading: a wrong name must not wait on standard input.
    let operation = super::known_operation(&args.operation)?;
    let (name, body) = read_json(args.file.as_ref())?;
    let existing = match &args.existing {
        Some(path) => match read_json(Some(path))? {
            (_, existing @ serde_json::Value::Object(_)) => Some(existing),
            (name, _) => bail!(
                "{name}: --existing must be a JSON object (the stored mapping, as GetEventSourceMapping answers it)"
            ),
        },
        None => None,
    };
    let context = RuleContext {
        existing: existing
            .as_ref()
            .map(|e| e as &dyn conform_runtime::Inspect),
        ..Default::default()
    };
    let outcome = conform_models::validate_input(operation, body, context)
        .with_context(|| format!("no validator for `{operation}`"))?;
    let violations = match outcome {
        Ok(violations) => violations,
        Err(DecodeError::Syntax {
            line,
            column,
            message,
        }) => bail!("{name}:{line}:{column}: {message}"),
        Err(e @ DecodeError::Shape { .. }) => {
            bail!("{name}: the body does not fit {operation}'s input: {e}")
        }
    };
    let error = conform_models::aws_error(&violations);
    if args.json {
        let out = serde_json::json!({ "valid": error.is_none(), "error": error, "violations": violations });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if let Some(error) = &error {
        println!("{}: {}", error.code, error.message);
    }
    Ok(if error.is_some() { EXIT_FINDING } else { 0 })
}

/// The text of FILE, or of standard input for `-` or none, with the name errors call it by. Text
/// that is not UTF-8 is an error naming the line and column of its first bad byte.
fn read_input(file: Option<&PathBuf>) -> anyhow::Result<(String, String)> {
    let (name, bytes) = match file {
        Some(path) if path.as_os_str() != "-" => (
            path.display().to_string(),
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
        ),
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            ("<stdin>".to_owned(), bytes)
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let (line, column) = position(&bytes[..at]);
            bail!(
                "{name}:{line}:{column}: not UTF-8 (byte 0x{:02x})",
                bytes[at]
            )
        }
    }
}

/// The 1-based line and column just after `before` (which is valid UTF-8), in characters.
fn position(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}

/// FILE (or standard input) as JSON; malformed JSON is an error naming its line and column.
fn read_json(file: Option<&PathBuf>) -> anyhow::Result<(String, serde_json::Value)> {
    let (name, text) = read_input(file)?;
    match serde_json::from_str(&text) {
        Ok(value) => Ok((name, value)),
        Err(e) => bail!(
            "{name}:{}:{}: malformed JSON: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}
