//! Generated `JsonSchema` bodies: strict objects (no extra members), every constraint of the
//! model, enums listed exactly, and `null` accepted where a member is optional (serde reads a
//! JSON null as an absent member). An operation's input also carries the overlay's rules for
//! it, where JSON Schema can say them (`conform_runtime::rules::schema`).

use conform_spec::{shape_name, Member, Scalar, Shape, ShapeKind, Traits};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::{doc_text, CodegenError, Gen};

pub fn structure(g: &Gen, shape: &Shape, members: &[Member]) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let mut inserts = Vec::new();
    let mut required = Vec::new();
    for member in members {
        let wire = g.wire_name(member);
        let mut schema = value_schema(g, &member.target, &member.traits)?;
        if member.traits.required {
            required.push(wire.to_owned());
        } else {
            schema = quote!(#rt::serde_json::json!({ "anyOf": [(#schema), { "type": "null" }] }));
        }
        inserts.push(quote! { properties.insert(#wire.to_owned(), #schema); });
    }
    let description = doc_text(shape.traits.documentation.as_deref()).unwrap_or_default();
    let schema = quote! {
        #rt::schemars::json_schema!({
            "type": "object",
            "description": #description,
            "properties": (properties),
            "required": [#(#required),*],
            "additionalProperties": false,
        })
    };
    let schema = match rules_operation(g, &shape.id) {
        Some(operation) => {
            let names = members.iter().map(|m| m.name.as_str());
            quote! {{
                let mut schema = #schema;
                if let ::std::option::Option::Some(object) = schema.as_object_mut() {
                    RULES.json_schema(#operation, &[#(#names),*]).extend(object);
                }
                schema
            }}
        }
        None => schema,
    };
    Ok(quote! {
        let mut properties = #rt::serde_json::Map::new();
        #(#inserts)*
        #schema
    })
}

/// The operation whose overlay rules an input's schema carries: the one operation taking
/// `shape` as its input, when an overlay has rules for it.
fn rules_operation(g: &Gen, shape: &str) -> Option<String> {
    let overlay = g.overlay?;
    let name = shape_name(&g.sole_operation_of(shape)?.id);
    overlay
        .rules
        .iter()
        .any(|r| r.operations.iter().any(|o| o == name))
        .then(|| name.to_owned())
}

pub fn union(g: &Gen, shape: &Shape, members: &[Member]) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let mut alternatives = Vec::new();
    for member in members {
        let wire = g.wire_name(member);
        let schema = value_schema(g, &member.target, &member.traits)?;
        alternatives.push(quote! {
            #rt::serde_json::json!({
                "type": "object",
                "properties": { #wire: (#schema) },
                "required": [#wire],
                "additionalProperties": false,
            })
        });
    }
    let description = doc_text(shape.traits.documentation.as_deref()).unwrap_or_default();
    Ok(quote! {
        #rt::schemars::json_schema!({ "description": #description, "oneOf": [#((#alternatives)),*] })
    })
}

/// An expression of type `serde_json::Value`: the schema of a value of `target`, constrained
/// by the member's effective `traits`.
fn value_schema(g: &Gen, target: &str, traits: &Traits) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let mut keywords: Vec<TokenStream> = Vec::new();
    let shape = g.model.shape(target);
    let kind = shape.map(|s| &s.kind);
    let base = match kind {
        Some(ShapeKind::Scalar { scalar }) => {
            match scalar {
                Scalar::String | Scalar::Blob => {
                    if let Some(l) = traits.length {
                        if let Some(min) = l.min {
                            keywords.push(quote!(object.insert("minLength".to_owned(), #rt::serde_json::Value::from(#min));));
                        }
                        if let Some(max) = l.max {
                            keywords.push(quote!(object.insert("maxLength".to_owned(), #rt::serde_json::Value::from(#max));));
                        }
                    }
                    if let Some(p) = &traits.pattern {
                        // JSON Schema's `pattern` is unanchored; AWS matches the whole value.
                        let p = conform_runtime::pattern::whole_value(p);
                        keywords.push(quote!(object.insert("pattern".to_owned(), #rt::serde_json::Value::from(#p));));
                    }
                    quote!(#rt::serde_json::json!({ "type": "string" }))
                }
                Scalar::Boolean => quote!(#rt::serde_json::json!({ "type": "boolean" })),
                Scalar::Document => quote!(#rt::serde_json::json!({})),
                Scalar::Timestamp | Scalar::Float | Scalar::Double | Scalar::BigDecimal => {
                    range_keywords(g, traits, &mut keywords);
                    quote!(#rt::serde_json::json!({ "type": "number" }))
                }
                integral => {
                    // The Rust type's own bounds, narrowed by the model's range.
                    let (lo, hi): (i64, i64) = match integral {
                        Scalar::Byte => (i8::MIN.into(), i8::MAX.into()),
                        Scalar::Short => (i16::MIN.into(), i16::MAX.into()),
                        Scalar::Integer => (i32::MIN.into(), i32::MAX.into()),
                        _ => (i64::MIN, i64::MAX),
                    };
                    keywords.push(quote!(object.insert("minimum".to_owned(), #rt::serde_json::Value::from(#lo));));
                    keywords.push(quote!(object.insert("maximum".to_owned(), #rt::serde_json::Value::from(#hi));));
                    range_keywords(g, traits, &mut keywords);
                    quote!(#rt::serde_json::json!({ "type": "integer" }))
                }
            }
        }
        Some(ShapeKind::List { member }) => {
            let items = value_schema(g, &member.target, &member.traits)?;
            if let Some(l) = traits.length {
                if let Some(min) = l.min {
                    keywords.push(quote!(object.insert("minItems".to_owned(), #rt::serde_json::Value::from(#min));));
                }
                if let Some(max) = l.max {
                    keywords.push(quote!(object.insert("maxItems".to_owned(), #rt::serde_json::Value::from(#max));));
                }
            }
            quote!(#rt::serde_json::json!({ "type": "array", "items": (#items) }))
        }
        Some(ShapeKind::Map { key, value }) => {
            let keys = value_schema(g, &key.target, &key.traits)?;
            let values = value_schema(g, &value.target, &value.traits)?;
            if let Some(l) = traits.length {
                if let Some(min) = l.min {
                    keywords.push(quote!(object.insert("minProperties".to_owned(), #rt::serde_json::Value::from(#min));));
                }
                if let Some(max) = l.max {
                    keywords.push(quote!(object.insert("maxProperties".to_owned(), #rt::serde_json::Value::from(#max));));
                }
            }
            quote!(#rt::serde_json::json!({ "type": "object", "propertyNames": (#keys), "additionalProperties": (#values) }))
        }
        Some(
            ShapeKind::Structure { .. }
            | ShapeKind::Union { .. }
            | ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. },
        ) => {
            let ty = ident(shape_name(target));
            return Ok(quote!(#rt::serde_json::Value::from(generator.subschema_for::<#ty>())));
        }
        _ => {
            return Err(CodegenError::Unsupported {
                shape: target.to_owned(),
                message: "no JSON Schema for this shape type".into(),
            })
        }
    };
    if keywords.is_empty() {
        return Ok(base);
    }
    Ok(quote! {{
        let mut schema = #base;
        if let ::std::option::Option::Some(object) = schema.as_object_mut() {
            #(#keywords)*
        }
        schema
    }})
}

fn range_keywords(g: &Gen, traits: &Traits, keywords: &mut Vec<TokenStream>) {
    let rt = &g.rt;
    if let Some(range) = &traits.range {
        for (key, bound) in [("minimum", &range.min), ("maximum", &range.max)] {
            if let Some(n) = bound {
                let text = n.to_string();
                keywords.push(quote! {
                    object.insert(#key.to_owned(), #rt::serde_json::from_str(#text).unwrap_or_default());
                });
            }
        }
    }
}
