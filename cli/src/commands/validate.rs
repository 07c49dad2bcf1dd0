//! `conform validate OPERATION [FILE|-]`: AWS's verdict on a request body, from the generated
//! validators. Exit 0 valid, 1 invalid, 2 unreadable.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use conform_runtime::{DecodeError, RuleContext};

use crate::{EXIT_ERROR, EXIT_FINDING};

#[derive(Args)]
pub struct ValidateArgs {
    /// The operation, e.g. CreateEventSourceMapping.
    operation: String,
    /// The request body as JSON; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// The stored resource an update applies to (for rules AWS checks on the result).
    #[arg(long)]
    existing: Option<PathBuf>,
    /// Print the structured violations as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<u8> {
    let (name, text) = read_input(args.file.as_ref())?;
    let body: serde_json::Value = match serde_json::from_str(&text) {
        Ok(body) => body,
        Err(e) => {
            eprintln!(
                "error: {name}:{}:{}: malformed JSON: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            );
            return Ok(EXIT_ERROR);
        }
    };
    let existing: Option<serde_json::Value> = match &args.existing {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("{}: malformed JSON", path.display()))?,
            )
        }
        None => None,
    };
    let context = RuleContext {
        existing: existing
            .as_ref()
            .map(|e| e as &dyn conform_runtime::Inspect),
        ..Default::default()
    };
    let Some(outcome) = conform_models::validate_input(&args.operation, body, context) else {
        bail!(
            "unknown operation `{}`; known: {}",
            args.operation,
            conform_models::spec::OPERATIONS.join(", ")
        );
    };
    let violations = match outcome {
        Ok(violations) => violations,
        Err(DecodeError::Syntax {
            line,
            column,
            message,
        }) => {
            eprintln!("error: {name}:{line}:{column}: {message}");
            return Ok(EXIT_ERROR);
        }
        Err(e @ DecodeError::Shape { .. }) => {
            eprintln!(
                "error: {name}: the body does not fit {}'s input: {e}",
                args.operation
            );
            return Ok(EXIT_ERROR);
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

fn read_input(file: Option<&PathBuf>) -> anyhow::Result<(String, String)> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let text = String::from_utf8(bytes)
                .with_context(|| format!("{}: not UTF-8", path.display()))?;
            Ok((path.display().to_string(), text))
        }
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input (not UTF-8?)")?;
            Ok(("<stdin>".to_owned(), text))
        }
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}
