//! The Rust type of each Smithy target, and which fields need a `Box` to break cycles.

use std::collections::HashSet;

use conform_spec::{shape_name, Member, Model, Scalar, ShapeKind, TimestampFormat};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::{CodegenError, Gen};

impl Gen<'_> {
    /// The Rust type of a value of shape `target`.
    pub fn rust_type(
        &self,
        target: &str,
        member: Option<&Member>,
    ) -> Result<TokenStream, CodegenError> {
        let rt = &self.rt;
        let shape = self
            .model
            .shape(target)
            .ok_or_else(|| CodegenError::Unsupported {
                shape: target.to_owned(),
                message: "target is not in the model".into(),
            })?;
        Ok(match &shape.kind {
            ShapeKind::Scalar { scalar } => match scalar {
                Scalar::String | Scalar::Blob => quote!(::std::string::String),
                Scalar::Boolean => quote!(bool),
                Scalar::Byte => quote!(i8),
                Scalar::Short => quote!(i16),
                Scalar::Integer => quote!(i32),
                Scalar::Long => quote!(i64),
                Scalar::Float => quote!(f32),
                Scalar::Double => quote!(f64),
                Scalar::BigInteger | Scalar::BigDecimal => quote!(#rt::serde_json::Number),
                Scalar::Document => quote!(#rt::serde_json::Value),
                Scalar::Timestamp => {
                    let format = member
                        .and_then(|m| m.traits.timestamp_format)
                        .or(shape.traits.timestamp_format);
                    if matches!(
                        format,
                        Some(TimestampFormat::DateTime | TimestampFormat::HttpDate)
                    ) {
                        return Err(CodegenError::Unsupported {
                            shape: target.to_owned(),
                            message: "only epoch-seconds timestamps are supported".into(),
                        });
                    }
                    quote!(#rt::Timestamp)
                }
            },
            ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. }
            | ShapeKind::Structure { .. }
            | ShapeKind::Union { .. } => {
                let name = ident(shape_name(target));
                quote!(#name)
            }
            ShapeKind::List { member } => {
                let item = self
                    .rust_type(&member.target, Some(member))
                    .map_err(|e| self.at_member(target, member, e))?;
                quote!(::std::vec::Vec<#item>)
            }
            ShapeKind::Map { key, value } => {
                let k = self
                    .rust_type(&key.target, Some(key))
                    .map_err(|e| self.at_member(target, key, e))?;
                let v = self
                    .rust_type(&value.target, Some(value))
                    .map_err(|e| self.at_member(target, value, e))?;
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => {
                return Err(CodegenError::Unsupported {
                    shape: target.to_owned(),
                    message: format!("a member cannot target a {}", shape.kind.type_name()),
                })
            }
        })
    }

    pub fn kind_of(&self, target: &str) -> Option<&ShapeKind> {
        self.model.shape(target).map(|s| &s.kind)
    }
}

/// Fields that must be boxed: a structure member whose target structure leads back to the
/// owner without passing through a list or map.
pub fn cycle_breaks(model: &Model) -> HashSet<(String, String)> {
    let mut boxed = HashSet::new();
    for shape in model.shapes.values() {
        if let ShapeKind::Structure { members } | ShapeKind::Union { members } = &shape.kind {
            for member in members {
                if reaches(model, &member.target, &shape.id, &mut HashSet::new()) {
                    boxed.insert((shape.id.clone(), member.name.clone()));
                }
            }
        }
    }
    boxed
}

fn reaches(model: &Model, from: &str, goal: &str, seen: &mut HashSet<String>) -> bool {
    if from == goal {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    match model.shape(from).map(|s| &s.kind) {
        Some(ShapeKind::Structure { members }) | Some(ShapeKind::Union { members }) => members
            .iter()
            .any(|m| reaches(model, &m.target, goal, seen)),
        _ => false,
    }
}
