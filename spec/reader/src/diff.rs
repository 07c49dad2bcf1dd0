//! Compares two models: added, removed and changed operations, members and constraints. A
//! change to a shape is reported once, with every operation path that uses it.

use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use serde::Serialize;

use crate::error::SpecError;
use crate::ir::{shape_name, Model};
use crate::members::{structure_members, FlatMember};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference. `subject` is `operation`, `binding`, `error`, `member` or `constraint`;
/// `shape` is what changed (an operation, `Structure$member`, or a constrained shape);
/// `used_by` lists the operation paths where it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub subject: &'static str,
    pub shape: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.kind {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        };
        write!(f, "{sign} {} {}: {}", self.subject, self.shape, self.detail)?;
        if !self.used_by.is_empty() {
            write!(f, " (in {})", self.used_by.join(", "))?;
        }
        Ok(())
    }
}

/// The differences from `old` to `new`: operations in `new`'s order, then members and
/// constraints in the order they are first met; removed operations last.
pub fn diff(old: &Model, new: &Model) -> Result<Vec<Change>, SpecError> {
    let old_ops = operations_by_name(old);
    let new_ops = operations_by_name(new);
    let mut changes = Collector::default();
    for (name, new_id) in &new_ops {
        let Some(old_id) = old_ops.get(name) else {
            changes.add(
                ChangeKind::Added,
                "operation",
                new_id,
                "operation added".into(),
                None,
            );
            continue;
        };
        let (old_shape, old_op) = old
            .operation(old_id)
            .map_err(|k| SpecError::new(&old.origin, k))?;
        let (new_shape, new_op) = new
            .operation(new_id)
            .map_err(|k| SpecError::new(&new.origin, k))?;
        if old_shape.traits.http != new_shape.traits.http {
            let detail = format!(
                "http {} -> {}",
                http_text(&old_shape.traits.http),
                http_text(&new_shape.traits.http)
            );
            changes.add(ChangeKind::Changed, "binding", new_id, detail, None);
        }
        let old_errors: Vec<&str> = old_op.errors.iter().map(|e| shape_name(e)).collect();
        let new_errors: Vec<&str> = new_op.errors.iter().map(|e| shape_name(e)).collect();
        for e in new_errors.iter().filter(|e| !old_errors.contains(e)) {
            changes.add(
                ChangeKind::Added,
                "error",
                new_id,
                format!("{e} added"),
                None,
            );
        }
        for e in old_errors.iter().filter(|e| !new_errors.contains(e)) {
            changes.add(
                ChangeKind::Removed,
                "error",
                new_id,
                format!("{e} removed"),
                None,
            );
        }
        let sides = [
            ("input", &old_op.input, &new_op.input),
            ("output", &old_op.output, &new_op.output),
        ];
        for (side, old_root, new_root) in sides {
            let old_members = flat(old, old_root.as_deref())?;
            let new_members = flat(new, new_root.as_deref())?;
            compare_members(name, side, &old_members, &new_members, &mut changes);
        }
    }
    for (_, old_id) in old_ops.iter().filter(|(n, _)| !new_ops.contains_key(*n)) {
        changes.add(
            ChangeKind::Removed,
            "operation",
            old_id,
            "operation removed".into(),
            None,
        );
    }
    Ok(changes.into_changes())
}

/// Collapses the same change seen through several operation paths into one.
#[derive(Default)]
struct Collector {
    changes: IndexMap<(ChangeKind, &'static str, String, String), Vec<String>>,
}

impl Collector {
    fn add(
        &mut self,
        kind: ChangeKind,
        subject: &'static str,
        shape: &str,
        detail: String,
        used_by: Option<String>,
    ) {
        let uses = self
            .changes
            .entry((kind, subject, shape.to_owned(), detail))
            .or_default();
        if let Some(path) = used_by {
            if !uses.contains(&path) {
                uses.push(path);
            }
        }
    }

    fn into_changes(self) -> Vec<Change> {
        self.changes
            .into_iter()
            .map(|((kind, subject, shape, detail), used_by)| Change {
                kind,
                subject,
                shape,
                detail,
                used_by,
            })
            .collect()
    }
}

fn operations_by_name(model: &Model) -> IndexMap<String, String> {
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
    changes: &mut Collector,
) {
    let old_by_path: BTreeMap<&str, &FlatMember> =
        old.iter().map(|m| (m.path.as_str(), m)).collect();
    let new_paths: std::collections::HashSet<&str> = new.iter().map(|m| m.path.as_str()).collect();
    for member in new {
        let used = Some(format!("{operation} {side}.{}", member.path));
        let Some(before) = old_by_path.get(member.path.as_str()) else {
            changes.add(
                ChangeKind::Added,
                "member",
                &member.owner,
                format!("{} added", member.kind),
                used,
            );
            continue;
        };
        // A member moving between label, query, header and body changes the wire format; nested
        // members inherit the location, so only top-level members report it.
        if member.segments.0.len() == 1 && before.location != member.location {
            let detail = format!("location {} -> {}", before.location, member.location);
            changes.add(
                ChangeKind::Changed,
                "binding",
                &member.owner,
                detail,
                used.clone(),
            );
        }
        // AWS puts constraints on target shapes; report them there, once.
        let place = member.shape.clone();
        let mut constraint = |what: &str, from: String, to: String| {
            if from != to {
                changes.add(
                    ChangeKind::Changed,
                    "constraint",
                    &place,
                    format!("{what} {from} -> {to}"),
                    used.clone(),
                );
            }
        };
        constraint("type", before.kind.clone(), member.kind.clone());
        constraint("length", json(&before.length), json(&member.length));
        constraint("range", json(&before.range), json(&member.range));
        constraint("pattern", json(&before.pattern), json(&member.pattern));
        if before.required != member.required {
            changes.add(
                ChangeKind::Changed,
                "constraint",
                &member.owner,
                format!("required {} -> {}", before.required, member.required),
                used.clone(),
            );
        }
        let old_values = before.enum_values.clone().unwrap_or_default();
        let new_values = member.enum_values.clone().unwrap_or_default();
        for value in new_values.iter().filter(|v| !old_values.contains(v)) {
            changes.add(
                ChangeKind::Added,
                "constraint",
                &member.shape,
                format!("enum value {value} added"),
                used.clone(),
            );
        }
        for value in old_values.iter().filter(|v| !new_values.contains(v)) {
            changes.add(
                ChangeKind::Removed,
                "constraint",
                &member.shape,
                format!("enum value {value} removed"),
                used.clone(),
            );
        }
    }
    for member in old.iter().filter(|m| !new_paths.contains(m.path.as_str())) {
        let used = Some(format!("{operation} {side}.{}", member.path));
        changes.add(
            ChangeKind::Removed,
            "member",
            &member.owner,
            format!("{} removed", member.kind),
            used,
        );
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
