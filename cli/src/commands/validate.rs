//! `conform validate OPERATION [FILE|-]`: AWS's verdict on a request body, from the generated
//! validators. Exit 0 valid, 1 invalid, 2 unreadable.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use conform_models::EventSourceMappingConfiguration;
use conform_runtime::decode::{decode_value, shape_violations};
use conform_runtime::rules::Target;
use conform_runtime::{AwsError, DecodeError, RuleContext};

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
    if let Some(existing) = &args.existing {
        if !reads_stored_resource(operation) {
            bail!("--existing: {operation}'s rules do not read a stored resource (only an update's do)");
        }
        if is_stdin(args.file.as_ref()) && is_stdin(Some(existing)) {
            bail!(
                "--existing: standard input is already the body; give the stored mapping as a file"
            );
        }
    }
    let (name, body) = read_json(args.file.as_ref())?;
    let existing = match &args.existing {
        Some(path) => Some(read_stored_mapping(path)?),
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
    // A body AWS cannot bind to the input (a wrong type, an unknown member) is refused as such,
    // as the reference emulator answers it: an invalid request, not an unreadable one.
    let (violations, error) = match outcome {
        Ok(violations) => {
            let error = conform_models::aws_error(&violations);
            (violations, error)
        }
        Err(DecodeError::Syntax {
            line,
            column,
            message,
        }) => bail!("{name}:{line}:{column}: {message}"),
        Err(e @ DecodeError::Shape { .. }) => {
            let refused = conform_emulator::esm::unbindable_body(e);
            let error = AwsError {
                code: refused.code.into_owned(),
                message: refused.message,
            };
            (Vec::new(), Some(error))
        }
    };
    if args.json {
        let out = serde_json::json!({ "valid": error.is_none(), "error": error, "violations": violations });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else if let Some(error) = &error {
        outln!("{}: {}", error.code, error.message)?;
    }
    Ok(if error.is_some() { EXIT_FINDING } else { 0 })
}

/// Whether `operation` changes a stored resource (a PUT, as an update is) and has rules on the
/// result, which read the stored resource: the only case where `--existing` means something.
fn reads_stored_resource(operation: &str) -> bool {
    let updates =
        conform_models::operations::by_name(operation).is_some_and(|op| op.method == "PUT");
    updates
        && conform_models::RULES
            .rules
            .iter()
            .any(|rule| rule.on == Target::Resulting && rule.operations.contains(&operation))
}

fn is_stdin(file: Option<&PathBuf>) -> bool {
    file.is_none_or(|path| path.as_os_str() == "-")
}

/// The stored mapping of `--existing`, decoded as the mapping's shape (as GetEventSourceMapping
/// answers it) and held to its constraints: the rules read it as the emulator reads a stored one.
fn read_stored_mapping(path: &PathBuf) -> anyhow::Result<EventSourceMappingConfiguration> {
    let (name, existing) = read_json(Some(path))?;
    let what = "--existing is not a stored mapping (as GetEventSourceMapping answers it)";
    let (mapping, missing) = decode_value::<EventSourceMappingConfiguration>(existing)
        .map_err(|e| anyhow::anyhow!("{name}: {what}: {e}"))?;
    if let Some(error) = conform_models::aws_error(&shape_violations(&mapping, missing)) {
        bail!("{name}: {what}: {}", error.message);
    }
    Ok(mapping)
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
    match conform_spec::utf8_text(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => bail!("{name}:{e}"),
    }
}

/// FILE (or standard input) as JSON; malformed JSON is an error naming its line and column.
fn read_json(file: Option<&PathBuf>) -> anyhow::Result<(String, serde_json::Value)> {
    let (name, text) = read_input(file)?;
    if text.starts_with('\u{feff}') {
        bail!("{name}:1:1: malformed JSON: a byte order mark (U+FEFF) starts the text");
    }
    match serde_json::from_str(&text) {
        Ok(value) => Ok((name, value)),
        Err(e) => {
            let e = conform_spec::JsonSyntax::of(&text, &e);
            bail!(
                "{name}:{}:{}: malformed JSON: {}",
                e.line,
                e.column,
                e.message
            )
        }
    }
}
