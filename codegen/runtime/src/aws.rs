//! The AWS formatter: turns violations into the error code and exact text AWS sends.

use serde::Serialize;

use crate::path::Path;
use crate::violation::{ItemRole, Violation, ViolationKind, ViolationValue};

/// An error as AWS answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwsError {
    pub code: String,
    pub message: String,
}

/// Enum value orders AWS's messages use, by enum shape id; others use the model's order.
pub type EnumOrder = &'static [(&'static str, &'static [&'static str])];

/// Shape violations win and are all listed in one `validation_error`; otherwise the first rule
/// that fired decides the code and message. `None` when there is nothing to report.
pub fn format_aws(
    violations: &[Violation],
    validation_error: &str,
    enum_order: EnumOrder,
) -> Option<AwsError> {
    let shape: Vec<&Violation> = violations.iter().filter(|v| !v.kind.is_rule()).collect();
    if !shape.is_empty() {
        let parts: Vec<String> = shape.iter().map(|v| describe(v, enum_order)).collect();
        let noun = if parts.len() == 1 { "error" } else { "errors" };
        return Some(AwsError {
            code: validation_error.to_owned(),
            message: format!(
                "{} validation {noun} detected: {}",
                parts.len(),
                parts.join("; ")
            ),
        });
    }
    violations.iter().find_map(|v| match &v.kind {
        ViolationKind::Rule { error, message, .. } => Some(AwsError {
            code: (*error).to_owned(),
            message: message.to_string(),
        }),
        _ => None,
    })
}

/// One violation in AWS's words: `Value 'x' at 'path' failed to satisfy constraint: ...`.
pub fn describe(violation: &Violation, enum_order: EnumOrder) -> String {
    let value = match &violation.value {
        ViolationValue::Null => "Value null".to_owned(),
        ViolationValue::Text(text) => format!("Value '{text}'"),
        ViolationValue::Withheld => "Value".to_owned(),
    };
    format!(
        "{value} at '{}' failed to satisfy constraint: {}",
        aws_path(&violation.path),
        constraint_text(&violation.kind, violation.shape, enum_order)
    )
}

fn aws_path(path: &Path) -> String {
    path.aws()
}

/// AWS's constraint sentence for one kind of violation.
pub fn constraint_text(kind: &ViolationKind, shape: &str, enum_order: EnumOrder) -> String {
    match kind {
        ViolationKind::Required => "Member must not be null".into(),
        ViolationKind::Length { min, max, actual } => match (min, max) {
            (Some(min), _) if actual < min => {
                format!("Member must have length greater than or equal to {min}")
            }
            (_, Some(max)) => format!("Member must have length less than or equal to {max}"),
            _ => "Member must have a valid length".into(),
        },
        ViolationKind::Range { min, max, actual } => {
            let below = min
                .and_then(|m| m.parse::<f64>().ok())
                .is_some_and(|m| *actual < m);
            match (min, max, below) {
                (Some(min), _, true) => {
                    format!("Member must have value greater than or equal to {min}")
                }
                (_, Some(max), _) => format!("Member must have value less than or equal to {max}"),
                _ => "Member must have a valid value".into(),
            }
        }
        ViolationKind::Pattern { pattern, .. } => {
            format!("Member must satisfy regular expression pattern: {pattern}")
        }
        ViolationKind::Enum { values } => {
            let ordered = enum_order
                .iter()
                .find(|(id, _)| *id == shape)
                .map_or(*values, |(_, order)| *order);
            format!(
                "Member must satisfy enum value set: [{}]",
                ordered.join(", ")
            )
        }
        ViolationKind::Items { role, failures } => {
            let mut texts: Vec<String> = Vec::new();
            for failure in failures {
                let text = constraint_text(&failure.kind, shape, enum_order);
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
            let lead = match role {
                ItemRole::Member => "Member must satisfy constraint",
                ItemRole::Key => "Map keys must satisfy constraint",
                ItemRole::Value => "Map value must satisfy constraint",
            };
            format!("{lead}: [{}]", texts.join(", "))
        }
        ViolationKind::Rule { message, .. } => message.to_string(),
    }
}
