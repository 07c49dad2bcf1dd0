//! Flattens an operation's input into every member path with its constraints, for
//! `conform spec members` and for generated boundary cases.

use serde::Serialize;

use crate::error::{SpecError, SpecErrorKind};
use crate::ir::{Model, Scalar, ShapeKind};
use crate::path::{MemberPath, PathSegment};
use crate::traits::{Bounds, NumericBounds};

/// One member of an operation's input, nested ones included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlatMember {
    pub path: String,
    /// The member's place in the model: `Structure$Member`, or the list or map shape for
    /// items, keys and values.
    pub owner: String,
    /// The target shape id.
    pub shape: String,
    /// The Smithy type of the target: `string`, `integer`, `list`, `structure`, `enum`, ...
    pub kind: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<Bounds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<NumericBounds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<String>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// `label`, `query:NAME`, `header:NAME` or `body`.
    pub location: String,
    #[serde(skip)]
    pub segments: MemberPath,
}

/// How many structures, lists and maps deep members may nest (AWS's models stay under 20).
const MAX_NESTING: usize = 128;

/// Every input member of `operation`, depth first in model order.
pub fn input_members(model: &Model, operation: &str) -> Result<Vec<FlatMember>, SpecError> {
    let (_, op) = model
        .operation(operation)
        .map_err(|kind| SpecError::new(&model.origin, kind))?;
    match &op.input {
        Some(input) => structure_members(model, input),
        None => Ok(Vec::new()),
    }
}

/// Every member reachable from a structure, depth first in model order.
pub fn structure_members(model: &Model, structure: &str) -> Result<Vec<FlatMember>, SpecError> {
    let mut out = Vec::new();
    let mut stack = vec![structure.to_owned()];
    walk(model, structure, &mut Vec::new(), &mut stack, &mut out)?;
    Ok(out)
}

fn walk(
    model: &Model,
    structure: &str,
    prefix: &mut Vec<PathSegment>,
    stack: &mut Vec<String>,
    out: &mut Vec<FlatMember>,
) -> Result<(), SpecError> {
    for member in model.members_of(structure) {
        let location = if member.traits.http_label {
            "label".to_owned()
        } else if let Some(query) = &member.traits.http_query {
            format!("query:{query}")
        } else if let Some(header) = &member.traits.http_header {
            format!("header:{header}")
        } else {
            "body".to_owned()
        };
        prefix.push(PathSegment::Member(member.name.clone()));
        let site = Site {
            owner: format!("{structure}${}", member.name),
            traits: &member.traits,
            required: member.traits.required,
            location: &location,
        };
        emit(model, &member.target, site, prefix, stack, out)?;
        prefix.pop();
    }
    Ok(())
}

/// Where a value sits: its owner in the model, its effective traits, and its HTTP location.
struct Site<'a> {
    owner: String,
    traits: &'a crate::Traits,
    required: bool,
    location: &'a str,
}

fn emit(
    model: &Model,
    target: &str,
    site: Site<'_>,
    prefix: &mut Vec<PathSegment>,
    stack: &mut Vec<String>,
    out: &mut Vec<FlatMember>,
) -> Result<(), SpecError> {
    let shape = model.shape(target).ok_or_else(|| {
        SpecError::new(
            &model.origin,
            SpecErrorKind::DanglingTarget {
                shape: MemberPath(prefix.clone()).to_string(),
                target: target.to_owned(),
            },
        )
    })?;
    let enum_values = match &shape.kind {
        ShapeKind::Enum { variants } => Some(variants.iter().map(|v| v.value.clone()).collect()),
        ShapeKind::IntEnum { variants } => {
            Some(variants.iter().map(|v| v.value.to_string()).collect())
        }
        _ => None,
    };
    let path = MemberPath(prefix.clone());
    let Site {
        owner,
        traits,
        required,
        location,
    } = site;
    out.push(FlatMember {
        path: path.to_string(),
        owner,
        shape: target.to_owned(),
        kind: shape.kind.type_name().to_owned(),
        required,
        length: traits.length,
        range: traits.range.clone(),
        pattern: traits.pattern.clone(),
        enum_values,
        sensitive: traits.sensitive,
        location: location.to_owned(),
        segments: path,
    });
    if stack.iter().any(|s| s == target) {
        return Ok(()); // recursive shape: listed once, not expanded again
    }
    // Each level of nesting costs stack; refuse a model nested deeper than any real API rather
    // than overflow.
    if stack.len() >= MAX_NESTING {
        return Err(SpecError::new(
            &model.origin,
            SpecErrorKind::Shape {
                shape: target.to_owned(),
                message: format!(
                    "members nest more than {MAX_NESTING} levels deep at `{}`",
                    MemberPath(prefix.clone())
                ),
            },
        ));
    }
    stack.push(target.to_owned());
    match &shape.kind {
        ShapeKind::Structure { .. } | ShapeKind::Union { .. } => {
            walk(model, target, prefix, stack, out)?
        }
        ShapeKind::List { member } => {
            prefix.push(PathSegment::Items);
            let site = Site {
                owner: format!("{target}$member"),
                traits: &member.traits,
                required: false,
                location,
            };
            emit(model, &member.target, site, prefix, stack, out)?;
            prefix.pop();
        }
        ShapeKind::Map { key, value } => {
            prefix.push(PathSegment::Keys);
            let site = Site {
                owner: format!("{target}$key"),
                traits: &key.traits,
                required: false,
                location,
            };
            emit(model, &key.target, site, prefix, stack, out)?;
            prefix.pop();
            prefix.push(PathSegment::Values);
            let site = Site {
                owner: format!("{target}$value"),
                traits: &value.traits,
                required: false,
                location,
            };
            emit(model, &value.target, site, prefix, stack, out)?;
            prefix.pop();
        }
        ShapeKind::Scalar {
            scalar: Scalar::Document,
        }
        | ShapeKind::Scalar { .. } => {}
        _ => {}
    }
    stack.pop();
    Ok(())
}
