//! Loads a Smithy 2.0 JSON AST document into the IR, strictly: unknown shape types and traits
//! are errors that name the shape, and every target must resolve.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{SpecError, SpecErrorKind};
use crate::ir::*;
use crate::prelude::prelude_shape;
use crate::traits::{parse_traits, Traits};

/// A member as written, before the target's traits are merged in.
#[derive(Clone)]
struct RawMember {
    name: String,
    target: String,
    traits: Traits,
}

impl Model {
    /// Reads and loads a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, SpecError> {
        let path = path.as_ref();
        let text = crate::error::read_text(path)?;
        Model::from_json(&text, &path.display().to_string())
    }

    /// Loads a model from JSON text; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Model, SpecError> {
        let document: Value = serde_json::from_str(text).map_err(|e| {
            let e = crate::JsonSyntax::of(text, &e);
            SpecError::new(origin, SpecErrorKind::Json(e.message)).at(e.line, e.column)
        })?;
        let error = |kind: SpecErrorKind| SpecError::new(origin, kind);
        let top = document.as_object().ok_or_else(|| {
            error(SpecErrorKind::NotAModel(
                "the top level must be an object".into(),
            ))
            .at(1, 1)
        })?;
        match top.get("smithy") {
            Some(Value::String(v)) if v == "2.0" || v == "2" || v.starts_with("1.") || v == "1" => {
            }
            Some(Value::String(other)) => {
                return Err(
                    error(SpecErrorKind::Version(other.to_owned())).located_in(text, "smithy")
                )
            }
            // A number such as `2.0` is present but not the string the format requires.
            Some(other) => {
                let message = format!("`smithy` must be a string such as \"2.0\", not {other}");
                return Err(error(SpecErrorKind::NotAModel(message)).located_in(text, "smithy"));
            }
            None => {
                return Err(error(SpecErrorKind::NotAModel(
                    "missing `\"smithy\": \"2.0\"`".into(),
                ))
                .at(1, 1))
            }
        }
        let raw_shapes = match top.get("shapes") {
            Some(Value::Object(shapes)) => shapes,
            Some(_) => {
                return Err(error(SpecErrorKind::NotAModel(
                    "`shapes` must be an object".into(),
                ))
                .located_in(text, "shapes"))
            }
            None => return Err(error(SpecErrorKind::NotAModel("missing `shapes`".into())).at(1, 1)),
        };

        let mut parsed: IndexMap<String, (ShapeDraft, Traits)> =
            IndexMap::with_capacity(raw_shapes.len());
        for (id, raw) in raw_shapes {
            let shape = parse_shape(id, raw).map_err(|kind| error(kind).located_in(text, id))?;
            parsed.insert(id.clone(), shape);
        }

        let shape_traits: std::collections::HashMap<String, Traits> = parsed
            .iter()
            .map(|(id, (_, traits))| (id.clone(), traits.clone()))
            .collect();
        let mut shapes: IndexMap<String, Shape> = IndexMap::with_capacity(parsed.len() + 16);
        // Prelude shapes the file references are added at the end, so file order is kept.
        let mut prelude: IndexMap<String, Shape> = IndexMap::new();
        let mut resolve = |owner: &str, target: &str| -> Result<Traits, SpecError> {
            if let Some(traits) = shape_traits.get(target) {
                return Ok(traits.clone());
            }
            if let Some(shape) = prelude.get(target) {
                return Ok(shape.traits.clone());
            }
            match prelude_shape(target) {
                Some(shape) => {
                    let traits = shape.traits.clone();
                    prelude.insert(target.to_owned(), shape);
                    Ok(traits)
                }
                None => Err(error(SpecErrorKind::DanglingTarget {
                    shape: owner.to_owned(),
                    target: target.to_owned(),
                })
                .located_in(text, owner.split('$').next().unwrap_or(owner))),
            }
        };
        let mut finish = |owner: &str, raw: RawMember| -> Result<Member, SpecError> {
            let target_traits = resolve(&format!("{owner}${}", raw.name), &raw.target)?;
            Ok(Member {
                traits: raw.traits.overlaid_on(&target_traits),
                name: raw.name,
                target: raw.target,
            })
        };

        for (id, (draft, traits)) in parsed {
            let kind = match draft {
                ShapeDraft::Done(kind) => kind,
                ShapeDraft::List(member) => ShapeKind::List {
                    member: finish(&id, member)?,
                },
                ShapeDraft::Map(key, value) => ShapeKind::Map {
                    key: finish(&id, key)?,
                    value: finish(&id, value)?,
                },
                ShapeDraft::Structure(members) => ShapeKind::Structure {
                    members: members
                        .into_iter()
                        .map(|m| finish(&id, m))
                        .collect::<Result<_, _>>()?,
                },
                ShapeDraft::Union(members) => ShapeKind::Union {
                    members: members
                        .into_iter()
                        .map(|m| finish(&id, m))
                        .collect::<Result<_, _>>()?,
                },
            };
            shapes.insert(id.clone(), Shape { id, kind, traits });
        }

        // Operations, services and resources refer to shapes by id too, and each reference must
        // name a shape of the right kind: `operation_ids()` and `select` rely on it.
        let mut references: Vec<(String, String, Option<&'static str>)> = Vec::new();
        for shape in shapes.values() {
            let refer = |kind: Option<&'static str>| {
                let owner = shape.id.clone();
                move |target: &String| (owner.clone(), target.clone(), kind)
            };
            match &shape.kind {
                ShapeKind::Operation(op) => {
                    let structures = op.input.iter().chain(&op.output).chain(&op.errors);
                    references.extend(structures.map(refer(Some("structure"))));
                }
                ShapeKind::Service(service) => {
                    references.extend(service.operations.iter().map(refer(Some("operation"))));
                    references.extend(service.resources.iter().map(refer(Some("resource"))));
                    references.extend(service.errors.iter().map(refer(Some("structure"))));
                }
                ShapeKind::Resource(resource) => {
                    references.extend(resource.identifiers.values().map(refer(None)));
                    references.extend(resource.operations.iter().map(refer(Some("operation"))));
                    references.extend(resource.resources.iter().map(refer(Some("resource"))));
                }
                _ => {}
            }
        }
        for (owner, target, _) in &references {
            if !shapes.contains_key(target) {
                resolve(owner, target)?;
            }
        }
        for (owner, target, expected) in references {
            let found = shapes
                .get(&target)
                .or_else(|| prelude.get(&target))
                .map(|s| s.kind.type_name());
            if let (Some(expected), Some(found)) = (expected, found) {
                if found != expected {
                    let message =
                        format!("`{target}` has type `{found}`, where `{expected}` is expected");
                    return Err(error(SpecErrorKind::Shape {
                        shape: owner.clone(),
                        message,
                    })
                    .located_in(text, &owner));
                }
            }
        }
        shapes.extend(prelude);
        Ok(Model {
            origin: origin.to_owned(),
            shapes,
        })
    }
}

enum ShapeDraft {
    Done(ShapeKind),
    List(RawMember),
    Map(RawMember, RawMember),
    Structure(Vec<RawMember>),
    Union(Vec<RawMember>),
}

fn parse_shape(id: &str, raw: &Value) -> Result<(ShapeDraft, Traits), SpecErrorKind> {
    let shape_error = |message: String| SpecErrorKind::Shape {
        shape: id.to_owned(),
        message,
    };
    if !id.contains('#') {
        return Err(shape_error("a shape id must be `namespace#Name`".into()));
    }
    let object = raw
        .as_object()
        .ok_or_else(|| shape_error("a shape must be an object".into()))?;
    let shape_type = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| shape_error("missing `type`".into()))?;
    let traits = parse_traits(id, object.get("traits"))?;
    let draft = match shape_type {
        "list" | "set" => ShapeDraft::List(parse_member(id, "member", object.get("member"))?),
        "map" => ShapeDraft::Map(
            parse_member(id, "key", object.get("key"))?,
            parse_member(id, "value", object.get("value"))?,
        ),
        "structure" => ShapeDraft::Structure(parse_members(id, object)?),
        "union" => ShapeDraft::Union(parse_members(id, object)?),
        "enum" => ShapeDraft::Done(ShapeKind::Enum {
            variants: parse_members(id, object)?
                .into_iter()
                .map(|m| {
                    let value = match &m.traits.enum_value {
                        None => m.name.clone(),
                        Some(Value::String(s)) => s.clone(),
                        Some(_) => {
                            return Err(shape_error(format!(
                                "enum member `{}` needs a string enumValue",
                                m.name
                            )))
                        }
                    };
                    Ok(EnumVariant {
                        name: m.name,
                        value,
                        documentation: m.traits.documentation,
                    })
                })
                .collect::<Result<_, _>>()?,
        }),
        "intEnum" => ShapeDraft::Done(ShapeKind::IntEnum {
            variants: parse_members(id, object)?
                .into_iter()
                .map(
                    |m| match m.traits.enum_value.as_ref().and_then(Value::as_i64) {
                        Some(value) => Ok(IntEnumVariant {
                            name: m.name,
                            value,
                            documentation: m.traits.documentation,
                        }),
                        None => Err(shape_error(format!(
                            "intEnum member `{}` needs an integer enumValue",
                            m.name
                        ))),
                    },
                )
                .collect::<Result<_, _>>()?,
        }),
        "operation" => ShapeDraft::Done(ShapeKind::Operation(Operation {
            input: optional_target(id, object, "input")?,
            output: optional_target(id, object, "output")?,
            errors: target_list(id, object, "errors")?,
        })),
        "service" => ShapeDraft::Done(ShapeKind::Service(Service {
            version: object
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            operations: target_list(id, object, "operations")?,
            resources: target_list(id, object, "resources")?,
            errors: target_list(id, object, "errors")?,
        })),
        "resource" => {
            let mut operations = Vec::new();
            for key in ["create", "put", "read", "update", "delete", "list"] {
                operations.extend(optional_target(id, object, key)?);
            }
            operations.extend(target_list(id, object, "operations")?);
            operations.extend(target_list(id, object, "collectionOperations")?);
            let mut identifiers = IndexMap::new();
            if let Some(raw) = object.get("identifiers") {
                let map = raw
                    .as_object()
                    .ok_or_else(|| shape_error("`identifiers` must be an object".into()))?;
                for (name, target) in map {
                    identifiers.insert(name.clone(), target_of(id, name, target)?);
                }
            }
            ShapeDraft::Done(ShapeKind::Resource(Resource {
                identifiers,
                operations,
                resources: target_list(id, object, "resources")?,
            }))
        }
        other => match Scalar::from_type(other) {
            Some(scalar) => ShapeDraft::Done(ShapeKind::Scalar { scalar }),
            None => {
                return Err(SpecErrorKind::UnsupportedShapeType {
                    shape: id.to_owned(),
                    shape_type: other.to_owned(),
                })
            }
        },
    };
    Ok((draft, traits))
}

fn parse_members(id: &str, object: &Map<String, Value>) -> Result<Vec<RawMember>, SpecErrorKind> {
    match object.get("members") {
        None => Ok(Vec::new()),
        Some(Value::Object(members)) => members
            .iter()
            .map(|(name, raw)| parse_member(id, name, Some(raw)))
            .collect(),
        Some(_) => Err(SpecErrorKind::Shape {
            shape: id.to_owned(),
            message: "`members` must be an object".into(),
        }),
    }
}

fn parse_member(id: &str, name: &str, raw: Option<&Value>) -> Result<RawMember, SpecErrorKind> {
    let member_id = format!("{id}${name}");
    let raw = raw.ok_or_else(|| SpecErrorKind::Shape {
        shape: id.to_owned(),
        message: format!("missing `{name}`"),
    })?;
    let target = target_of(id, name, raw)?;
    let traits = parse_traits(&member_id, raw.get("traits"))?;
    Ok(RawMember {
        name: name.to_owned(),
        target,
        traits,
    })
}

fn target_of(id: &str, name: &str, raw: &Value) -> Result<String, SpecErrorKind> {
    let target = match raw {
        Value::String(s) => Some(s.as_str()),
        Value::Object(o) => o.get("target").and_then(Value::as_str),
        _ => None,
    };
    target
        .map(str::to_owned)
        .ok_or_else(|| SpecErrorKind::Shape {
            shape: format!("{id}${name}"),
            message: "missing `target`".into(),
        })
}

fn optional_target(
    id: &str,
    object: &Map<String, Value>,
    key: &str,
) -> Result<Option<String>, SpecErrorKind> {
    match object.get(key) {
        None => Ok(None),
        Some(raw) => {
            let target = target_of(id, key, raw)?;
            Ok((target != UNIT).then_some(target))
        }
    }
}

fn target_list(
    id: &str,
    object: &Map<String, Value>,
    key: &str,
) -> Result<Vec<String>, SpecErrorKind> {
    match object.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|item| target_of(id, key, item)).collect(),
        Some(_) => Err(SpecErrorKind::Shape {
            shape: id.to_owned(),
            message: format!("`{key}` must be a list of targets"),
        }),
    }
}
