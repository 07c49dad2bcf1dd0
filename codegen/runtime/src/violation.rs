//! A violation: which value, where, of which shape, broke which constraint.

use std::borrow::Cow;

use compact_str::CompactString;
use serde::Serialize;

use crate::path::Path;

/// The offending value as AWS would quote it, or why it is not quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "text", rename_all = "lowercase")]
pub enum ViolationValue {
    /// The member is absent: AWS writes `Value null`.
    Null,
    Text(CompactString),
    /// The member is `@sensitive`: the value is withheld.
    Withheld,
}

/// Where a collection's items failed: list members, map keys or map values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemRole {
    Member,
    Key,
    Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemFailure {
    /// The item's index or key.
    pub at: CompactString,
    pub kind: ViolationKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ViolationKind {
    Required,
    Length {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
        actual: u64,
    },
    Range {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<&'static str>,
        actual: f64,
    },
    Pattern {
        pattern: &'static str,
        /// The backtracking engine gave up: the value counts as not matching.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        limit_exceeded: bool,
    },
    Enum {
        values: &'static [&'static str],
    },
    /// Scalar items of a list or map failed their own constraints; AWS reports them once, on
    /// the collection.
    Items {
        role: ItemRole,
        failures: Vec<ItemFailure>,
    },
    /// An overlay rule fired; `message` is already rendered (borrowed when the template has no
    /// placeholders).
    Rule {
        id: &'static str,
        error: &'static str,
        message: Cow<'static, str>,
    },
}

impl ViolationKind {
    pub fn is_rule(&self) -> bool {
        matches!(self, ViolationKind::Rule { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    #[serde(serialize_with = "serialize_path")]
    pub path: Path,
    pub shape: &'static str,
    #[serde(flatten)]
    pub kind: ViolationKind,
    pub value: ViolationValue,
}

fn serialize_path<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(path)
}

/// Room for `more` violations; a first violation reserves for several, as they tend to come
/// together (four: 704 bytes, a size the allocator's per-thread cache serves; eight missed it).
pub(crate) fn reserve(out: &mut Vec<Violation>, more: usize) {
    if out.capacity() == 0 {
        out.reserve(more.max(4));
    }
}

/// Pushes the violation `make` builds; a push that finds `out` full first makes room for it and
/// the `to_come` that may follow (at least the first reservation's four): one allocation, not a
/// series. Built after the room is made, the violation is written in place.
#[inline]
pub(crate) fn push_reserving(
    out: &mut Vec<Violation>,
    to_come: usize,
    make: impl FnOnce() -> Violation,
) {
    if out.len() == out.capacity() {
        out.reserve((to_come + 1).max(4));
    }
    // Through `extend`, which calls `make` with room made: the violation is then written
    // straight into the list, where `push(make())` built it on the stack and copied it over.
    out.extend(std::iter::once_with(make));
}
