//! Member paths such as `FilterCriteria.Filters[].Pattern` or `Tags{key}`, and their resolution
//! against a model.

use std::fmt;

use serde::Serialize;

use crate::ir::{Model, ShapeKind};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum PathSegment {
    /// A structure or union member.
    Member(String),
    /// Every item of a list: `[]`.
    Items,
    /// Every key of a map: `{key}`.
    Keys,
    /// Every value of a map: `{value}`.
    Values,
}

/// A dotted path from an operation's input (or output) structure to a member.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MemberPath(pub Vec<PathSegment>);

impl MemberPath {
    /// Parses `A.B[].C`, `Tags{key}`, `Endpoints{value}[]`.
    pub fn parse(text: &str) -> Result<MemberPath, String> {
        let mut segments = Vec::new();
        for part in text.split('.') {
            let name_end = part.find(['[', '{']).unwrap_or(part.len());
            let (name, mut rest) = part.split_at(name_end);
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{text}` has an empty or malformed member name"));
            }
            segments.push(PathSegment::Member(name.to_owned()));
            while !rest.is_empty() {
                let (segment, tail) = if let Some(tail) = rest.strip_prefix("[]") {
                    (PathSegment::Items, tail)
                } else if let Some(tail) = rest.strip_prefix("{key}") {
                    (PathSegment::Keys, tail)
                } else if let Some(tail) = rest.strip_prefix("{value}") {
                    (PathSegment::Values, tail)
                } else {
                    return Err(format!(
                        "`{text}`: expected `[]`, `{{key}}` or `{{value}}` after `{name}`"
                    ));
                };
                segments.push(segment);
                rest = tail;
            }
        }
        Ok(MemberPath(segments))
    }

    pub fn first_member(&self) -> Option<&str> {
        match self.0.first() {
            Some(PathSegment::Member(name)) => Some(name),
            _ => None,
        }
    }

    /// Resolves the path from structure `root`, returning the id of the shape it ends on.
    pub fn resolve<'m>(&self, model: &'m Model, root: &str) -> Result<&'m str, String> {
        let mut current: &str = model
            .shapes
            .get_key_value(root)
            .map(|(k, _)| k.as_str())
            .ok_or_else(|| format!("`{root}` is not defined"))?;
        for segment in &self.0 {
            let shape = model
                .shape(current)
                .ok_or_else(|| format!("`{current}` is not defined"))?;
            current = match (segment, &shape.kind) {
                (
                    PathSegment::Member(name),
                    ShapeKind::Structure { members } | ShapeKind::Union { members },
                ) => {
                    &members
                        .iter()
                        .find(|m| &m.name == name)
                        .ok_or_else(|| format!("`{current}` has no member `{name}`"))?
                        .target
                }
                (PathSegment::Items, ShapeKind::List { member }) => &member.target,
                (PathSegment::Keys, ShapeKind::Map { key, .. }) => &key.target,
                (PathSegment::Values, ShapeKind::Map { value, .. }) => &value.target,
                (segment, kind) => {
                    return Err(format!(
                        "`{segment}` does not apply to `{current}`, a {}",
                        kind.type_name()
                    ));
                }
            };
        }
        Ok(current)
    }
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathSegment::Member(name) => f.write_str(name),
            PathSegment::Items => f.write_str("[]"),
            PathSegment::Keys => f.write_str("{key}"),
            PathSegment::Values => f.write_str("{value}"),
        }
    }
}

impl fmt::Display for MemberPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.0.iter().enumerate() {
            if index > 0 && matches!(segment, PathSegment::Member(_)) {
                f.write_str(".")?;
            }
            write!(f, "{segment}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_segment_kind() {
        for text in [
            "A",
            "A.B",
            "A.B[].C",
            "Tags{key}",
            "Tags{value}",
            "S.Endpoints{value}[]",
        ] {
            assert_eq!(MemberPath::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_paths() {
        for text in ["", "A..B", "A[", "A{x}", "A.[]", "A-B"] {
            assert!(
                MemberPath::parse(text).is_err(),
                "{text} should be rejected"
            );
        }
    }
}
