//! The typed IR: shapes with their kinds, members with effective (merged) traits.

use indexmap::IndexMap;
use serde::Serialize;

use crate::traits::Traits;

/// A loaded model: every shape of the file plus the prelude shapes it references, in file order.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Where the model came from, for messages.
    pub origin: String,
    pub shapes: IndexMap<String, Shape>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    pub id: String,
    pub kind: ShapeKind,
    pub traits: Traits,
}

/// Scalar shape types that carry no members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Scalar {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

impl Scalar {
    pub fn from_type(shape_type: &str) -> Option<Scalar> {
        Some(match shape_type {
            "blob" => Scalar::Blob,
            "boolean" => Scalar::Boolean,
            "string" => Scalar::String,
            "byte" => Scalar::Byte,
            "short" => Scalar::Short,
            "integer" => Scalar::Integer,
            "long" => Scalar::Long,
            "float" => Scalar::Float,
            "double" => Scalar::Double,
            "bigInteger" => Scalar::BigInteger,
            "bigDecimal" => Scalar::BigDecimal,
            "timestamp" => Scalar::Timestamp,
            "document" => Scalar::Document,
            _ => return None,
        })
    }

    pub fn is_integral(self) -> bool {
        matches!(
            self,
            Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long | Scalar::BigInteger
        )
    }

    /// The values an integral type holds; `None` for one without bounds (BigInteger) or that is
    /// not integral.
    pub fn integer_range(self) -> Option<(i128, i128)> {
        Some(match self {
            Scalar::Byte => (i8::MIN.into(), i8::MAX.into()),
            Scalar::Short => (i16::MIN.into(), i16::MAX.into()),
            Scalar::Integer => (i32::MIN.into(), i32::MAX.into()),
            Scalar::Long => (i64::MIN.into(), i64::MAX.into()),
            _ => return None,
        })
    }

    pub fn is_numeric(self) -> bool {
        self.is_integral() || matches!(self, Scalar::Float | Scalar::Double | Scalar::BigDecimal)
    }
}

// Shapes are built once per load and matched by value everywhere; boxing the map's members
// would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ShapeKind {
    Scalar { scalar: Scalar },
    Enum { variants: Vec<EnumVariant> },
    IntEnum { variants: Vec<IntEnumVariant> },
    List { member: Member },
    Map { key: Member, value: Member },
    Structure { members: Vec<Member> },
    Union { members: Vec<Member> },
    Operation(Operation),
    Service(Service),
    Resource(Resource),
}

impl ShapeKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Scalar { scalar } => match scalar {
                Scalar::Blob => "blob",
                Scalar::Boolean => "boolean",
                Scalar::String => "string",
                Scalar::Byte => "byte",
                Scalar::Short => "short",
                Scalar::Integer => "integer",
                Scalar::Long => "long",
                Scalar::Float => "float",
                Scalar::Double => "double",
                Scalar::BigInteger => "bigInteger",
                Scalar::BigDecimal => "bigDecimal",
                Scalar::Timestamp => "timestamp",
                Scalar::Document => "document",
            },
            ShapeKind::Enum { .. } => "enum",
            ShapeKind::IntEnum { .. } => "intEnum",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure { .. } => "structure",
            ShapeKind::Union { .. } => "union",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Service(_) => "service",
            ShapeKind::Resource(_) => "resource",
        }
    }
}

/// A member of a structure, union, list or map. `traits` are the effective traits: the member's
/// own, over the target shape's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub name: String,
    pub target: String,
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntEnumVariant {
    pub name: String,
    pub value: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operation {
    /// `None` when the input is `smithy.api#Unit`.
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub version: String,
    pub operations: Vec<String>,
    pub resources: Vec<String>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub identifiers: IndexMap<String, String>,
    /// Lifecycle and listed operations, in the order the file gives them.
    pub operations: Vec<String>,
    pub resources: Vec<String>,
}

pub const UNIT: &str = "smithy.api#Unit";

impl Model {
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// All operation shapes, in model order.
    pub fn operations(&self) -> impl Iterator<Item = (&Shape, &Operation)> {
        self.shapes.values().filter_map(|s| match &s.kind {
            ShapeKind::Operation(op) => Some((s, op)),
            _ => None,
        })
    }

    pub fn service(&self) -> Option<(&Shape, &Service)> {
        self.shapes.values().find_map(|s| match &s.kind {
            ShapeKind::Service(service) => Some((s, service)),
            _ => None,
        })
    }

    /// The operations in service order as a user names them, for messages: the bare name, or
    /// the full id where two share it (`none` in a model without).
    fn operation_names(&self) -> String {
        let ids = self.operation_ids();
        let shared = |id: &str| {
            ids.iter()
                .filter(|o| shape_name(o) == shape_name(id))
                .count()
                > 1
        };
        let names: Vec<&str> = ids
            .iter()
            .map(|id| {
                if shared(id) {
                    id.as_str()
                } else {
                    shape_name(id)
                }
            })
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    }

    /// Resolves an operation by full shape id or by its bare name.
    pub fn operation(&self, name: &str) -> Result<(&Shape, &Operation), crate::SpecErrorKind> {
        let matches: Vec<_> = self
            .operations()
            .filter(|(shape, _)| shape.id == name || shape_name(&shape.id) == name)
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(crate::SpecErrorKind::UnknownOperation {
                name: name.to_owned(),
                known: self.operation_names(),
            }),
            many => Err(crate::SpecErrorKind::AmbiguousOperation {
                name: name.to_owned(),
                candidates: many
                    .iter()
                    .map(|(s, _)| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// The members of a structure or union shape; empty for other shapes.
    pub fn members_of(&self, id: &str) -> &[Member] {
        match self.shapes.get(id).map(|s| &s.kind) {
            Some(ShapeKind::Structure { members }) | Some(ShapeKind::Union { members }) => members,
            _ => &[],
        }
    }
}

/// The name part of a shape id: `Name` in `ns#Name`.
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}
