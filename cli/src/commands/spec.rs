//! `conform spec …`: members, diff and lint over a Smithy model.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use conform_spec::{ChangeKind, FlatMember, LintLevel, Model, Overlay};

use crate::EXIT_FINDING;
use conform_models::spec as embedded;

#[derive(Subcommand)]
pub enum SpecCommand {
    /// List every input member of an operation, nested ones included, with its constraints.
    Members {
        /// The operation, e.g. CreateEventSourceMapping.
        operation: String,
        /// A Smithy JSON AST model; the project's own by default.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print JSON (stable for scripts).
        #[arg(long)]
        json: bool,
    },
    /// List added, removed and changed operations, members and constraints. Exits 1 on a change.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Warn about vacuous, partially anchored and look-around patterns; report patterns that do
    /// not compile as errors. Exits 1 on an error.
    Lint {
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// List the overlay's rules in AWS's order of checks, with their evidence.
    Rules {
        /// An overlay file, checked against --model; the project's own by default.
        #[arg(long)]
        overlay: Option<PathBuf>,
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Show which cases exercise each constraint, overlay rule and operation. Exits 1 on a gap.
    Coverage(super::coverage::CoverageArgs),
}

pub fn run(command: SpecCommand) -> anyhow::Result<u8> {
    match command {
        SpecCommand::Coverage(args) => super::coverage::run(args),
        SpecCommand::Members {
            operation,
            model,
            json,
        } => {
            let model = load(model.as_ref())?;
            let members = conform_spec::input_members(&model, &operation)?;
            if json {
                let out = serde_json::json!({ "operation": operation, "members": members });
                outln!("{}", serde_json::to_string_pretty(&out)?)?;
            } else {
                print_members(&members)?;
            }
            Ok(0)
        }
        SpecCommand::Diff { old, new, json } => {
            let changes = conform_spec::diff(&load(Some(&old))?, &load(Some(&new))?)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&changes)?)?;
            } else {
                for change in &changes {
                    outln!("{change}")?;
                }
                if !changes.is_empty() {
                    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
                    eprintln!(
                        "{} changes: {} added, {} removed, {} changed",
                        changes.len(),
                        count(ChangeKind::Added),
                        count(ChangeKind::Removed),
                        count(ChangeKind::Changed)
                    );
                }
            }
            Ok(if changes.is_empty() { 0 } else { EXIT_FINDING })
        }
        SpecCommand::Lint { model } => {
            let model = load(model.as_ref())?;
            let findings = conform_spec::lint(&model);
            for finding in &findings {
                outln!("{finding}")?;
            }
            let errors = findings
                .iter()
                .filter(|f| f.level == LintLevel::Error)
                .count();
            let warnings = findings.len() - errors;
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            eprintln!(
                "{errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            );
            // A constraint no value can meet is a finding; a pattern that may mislead is not.
            Ok(if errors > 0 { EXIT_FINDING } else { 0 })
        }
        SpecCommand::Rules {
            overlay,
            model,
            json,
        } => {
            let model = load(model.as_ref())?;
            let overlay = load_overlay(overlay.as_ref(), &model)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&overlay)?)?;
            } else {
                for rule in &overlay.rules {
                    outln!(
                        "{:>3} {:45} {} -> {}",
                        rule.order,
                        rule.id,
                        rule.operations.join(","),
                        rule.error
                    )?;
                    outln!("    {}", rule.message)?;
                    outln!("    evidence: {}", rule.evidence)?;
                }
            }
            Ok(0)
        }
    }
}

/// Loads an overlay file, or the project's own when no path is given.
pub fn load_overlay(path: Option<&PathBuf>, model: &Model) -> anyhow::Result<Overlay> {
    Ok(match path {
        Some(path) => Overlay::load(path, model)?,
        None => Overlay::from_toml(embedded::OVERLAY_TOML, embedded::OVERLAY_NAME, model)
            .context("the built-in overlay")?,
    })
}

/// Loads a model file, or the project's own when no path is given.
pub fn load(path: Option<&PathBuf>) -> anyhow::Result<Model> {
    Ok(match path {
        Some(path) => Model::load(path)?,
        None => Model::from_json(embedded::MODEL_JSON, embedded::MODEL_NAME)
            .context("the built-in model")?,
    })
}

fn print_members(members: &[FlatMember]) -> anyhow::Result<()> {
    let width = members
        .iter()
        .map(|m| m.path.len())
        .max()
        .unwrap_or(4)
        .max(4);
    outln!(
        "{:width$}  {:9}  {:8}  CONSTRAINTS",
        "PATH",
        "KIND",
        "REQUIRED"
    )?;
    for m in members {
        let mut constraints = Vec::new();
        if let Some(l) = m.length {
            constraints.push(format!("length {}..{}", opt(l.min), opt(l.max)));
        }
        if let Some(r) = &m.range {
            constraints.push(format!(
                "range {}..{}",
                opt(r.min.as_ref()),
                opt(r.max.as_ref())
            ));
        }
        if let Some(p) = &m.pattern {
            constraints.push(format!("pattern /{p}/"));
        }
        if let Some(values) = &m.enum_values {
            constraints.push(format!("enum [{}]", values.join(", ")));
        }
        if m.location != "body" {
            constraints.push(format!("in {}", m.location));
        }
        let required = if m.required { "yes" } else { "" };
        outln!(
            "{:width$}  {:9}  {:8}  {}",
            m.path,
            m.kind,
            required,
            constraints.join("; ")
        )?;
    }
    Ok(())
}

fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
