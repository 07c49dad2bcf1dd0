//! `conform codegen`: the generated Rust code, pretty-printed, and the JSON Schema generated
//! for an operation's input.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use super::spec::{load, load_overlay};

#[derive(Subcommand)]
pub enum CodegenCommand {
    /// Print the code generated for a model (the project's own by default).
    Expand {
        #[arg(long)]
        model: Option<PathBuf>,
        /// The overlay; the project's own when --model is not given.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Operations to generate (repeat or comma-separate); all of the model's by default.
        #[arg(long, value_delimiter = ',')]
        operation: Vec<String>,
    },
    /// Print the JSON Schema of an operation's input, with the overlay's rules it can say (the
    /// project's spec).
    Schema {
        /// The operation, e.g. CreateEventSourceMapping.
        operation: String,
    },
}

pub fn run(command: CodegenCommand) -> anyhow::Result<u8> {
    match command {
        CodegenCommand::Expand {
            model: model_path,
            overlay,
            operation,
        } => {
            let model = load(model_path.as_ref())?;
            let operations: Vec<String> = if operation.is_empty() {
                model.operation_ids()
            } else {
                operation
            };
            let selected = model.select(&operations)?;
            // Checked against the whole model: rules of operations left out name its members.
            let overlay = match (&model_path, &overlay) {
                (_, Some(path)) => Some(load_overlay(Some(path), &model)?),
                (None, None) => Some(load_overlay(None, &model)?),
                (Some(_), None) => None,
            }
            .map(|overlay| overlay.select(&operations));
            let tokens = conform_codegen::generate(
                &selected,
                overlay.as_ref(),
                &conform_codegen::Options::default(),
            )?;
            out!("{}", conform_codegen::expand(&tokens)?)?;
            Ok(0)
        }
        CodegenCommand::Schema { operation } => {
            let operation = super::known_operation(&operation)?;
            let schema = conform_models::input_schema(operation)
                .with_context(|| format!("{operation} has no input"))?;
            outln!("{}", serde_json::to_string_pretty(&schema)?)?;
            Ok(0)
        }
    }
}
