//! Compares two models: added, removed and changed operations, members and constraints.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::error::SpecError;
use crate::ir::{shape_name, Model};
use crate::members::{structure_members, FlatMember};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference. `subject` is `operation`, `member`, `constraint`, `binding` or `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub subject: &'static str,
    pub operation: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub path: String,
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.kind {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        };
        write!(f, "{sign} {} {}", self.subject, self.operation)?;
        if !self.path.is_empty() {
            write!(f, " {}", self.path)?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// The differences from `old` to `new`, operation by operation in `new`'s order, removed
/// operations last.
pub fn diff(old: &Model, new: &Model) -> Result<Vec<Change>, SpecError> {
    let old_ops = operations_by_name(old);
    let new_ops = operations_by_name(new);
    let mut changes = Vec::new();
    for (name, new_id) in &new_ops {
        let Some(old_id) = old_ops.get(name) else {
            changes.push(change(
                ChangeKind::Added,
                "operation",
                name,
                "",
                "operation added".into(),
            ));
            continue;
        };
        let (old_shape, old_op) = old
            .operation(old_id)
            .map_err(|k| SpecError::new(&old.origin, k))?;
        let (new_shape, new_op) = new
            .operation(new_id)
            .map_err(|k| SpecError::new(&new.origin, k))?;
        if old_shape.traits.http != new_shape.traits.http {
            changes.push(change(
                ChangeKind::Changed,
                "binding",
                name,
                "",
                format!(
                    "http {} -> {}",
                    http_text(&old_shape.traits.http),
                    http_text(&new_shape.traits.http)
                ),
            ));
        }
        let old_errors: Vec<&str> = old_op.errors.iter().map(|e| shape_name(e)).collect();
        let new_errors: Vec<&str> = new_op.errors.iter().map(|e| shape_name(e)).collect();
        for e in new_errors.iter().filter(|e| !old_errors.contains(e)) {
            changes.push(change(
                ChangeKind::Added,
                "error",
                name,
                "",
                format!("{e} added"),
            ));
        }
        for e in old_errors.iter().filter(|e| !new_errors.contains(e)) {
            changes.push(change(
                ChangeKind::Removed,
                "error",
                name,
                "",
                format!("{e} removed"),
            ));
        }
        for (side, old_root, new_root) in [
            ("input", &old_op.input, &new_op.input),
            ("output", &old_op.output, &new_op.output),
        ] {
            let old_members = flat(old, old_root.as_deref())?;
            let new_members = flat(new, new_root.as_deref())?;
            compare_members(name, side, &old_members, &new_members, &mut changes);
        }
    }
    for name in old_ops.keys().filter(|n| !new_ops.contains_key(*n)) {
        changes.push(change(
            ChangeKind::Removed,
            "operation",
            name,
            "",
            "operation removed".into(),
        ));
    }
    Ok(changes)
}

fn operations_by_name(model: &Model) -> indexmap::IndexMap<String, String> {
    model
        .operation_ids()
        .into_iter()
        .map(|id| (shape_name(&id).to_owned(), id))
        .collect()
}

fn flat(model: &Model, root: Option<&str>) -> Result<Vec<FlatMember>, SpecError> {
    match root {
        Some(root) => structure_members(model, root),
        None => Ok(Vec::new()),
    }
}

fn compare_members(
    operation: &str,
    side: &str,
    old: &[FlatMember],
    new: &[FlatMember],
    changes: &mut Vec<Change>,
) {
    let old_by_path: BTreeMap<&str, &FlatMember> =
        old.iter().map(|m| (m.path.as_str(), m)).collect();
    let new_paths: std::collections::HashSet<&str> = new.iter().map(|m| m.path.as_str()).collect();
    for member in new {
        let path = format!("{side}.{}", member.path);
        let Some(before) = old_by_path.get(member.path.as_str()) else {
            changes.push(change(
                ChangeKind::Added,
                "member",
                operation,
                &path,
                format!("{} added", member.kind),
            ));
            continue;
        };
        // A member moving between label, query, header and body changes the wire format; nested
        // members inherit the location, so only top-level members report it.
        if member.segments.0.len() == 1 && before.location != member.location {
            let detail = format!("location {} -> {}", before.location, member.location);
            changes.push(change(
                ChangeKind::Changed,
                "binding",
                operation,
                &path,
                detail,
            ));
        }
        let mut constraint = |what: &str, from: String, to: String| {
            if from != to {
                changes.push(change(
                    ChangeKind::Changed,
                    "constraint",
                    operation,
                    &path,
                    format!("{what} {from} -> {to}"),
                ));
            }
        };
        constraint("type", before.kind.clone(), member.kind.clone());
        constraint(
            "required",
            before.required.to_string(),
            member.required.to_string(),
        );
        constraint("length", json(&before.length), json(&member.length));
        constraint("range", json(&before.range), json(&member.range));
        constraint("pattern", json(&before.pattern), json(&member.pattern));
        let old_values = before.enum_values.clone().unwrap_or_default();
        let new_values = member.enum_values.clone().unwrap_or_default();
        for value in new_values.iter().filter(|v| !old_values.contains(v)) {
            changes.push(change(
                ChangeKind::Added,
                "constraint",
                operation,
                &path,
                format!("enum value {value} added"),
            ));
        }
        for value in old_values.iter().filter(|v| !new_values.contains(v)) {
            changes.push(change(
                ChangeKind::Removed,
                "constraint",
                operation,
                &path,
                format!("enum value {value} removed"),
            ));
        }
    }
    for member in old.iter().filter(|m| !new_paths.contains(m.path.as_str())) {
        let path = format!("{side}.{}", member.path);
        changes.push(change(
            ChangeKind::Removed,
            "member",
            operation,
            &path,
            format!("{} removed", member.kind),
        ));
    }
}

fn change(
    kind: ChangeKind,
    subject: &'static str,
    operation: &str,
    path: &str,
    detail: String,
) -> Change {
    Change {
        kind,
        subject,
        operation: operation.to_owned(),
        path: path.to_owned(),
        detail,
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn http_text(http: &Option<crate::HttpBinding>) -> String {
    match http {
        Some(h) => format!("{} {} {}", h.method, h.uri, h.code),
        None => "none".into(),
    }
}
