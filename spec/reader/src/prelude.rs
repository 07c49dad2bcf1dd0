//! The Smithy prelude (`smithy.api#…`): shapes every model may target without defining them.

use crate::ir::{Scalar, Shape, ShapeKind};
use crate::traits::Traits;

const PRELUDE: &[(&str, Scalar, Option<&str>)] = &[
    ("String", Scalar::String, None),
    ("Blob", Scalar::Blob, None),
    ("BigInteger", Scalar::BigInteger, None),
    ("BigDecimal", Scalar::BigDecimal, None),
    ("Timestamp", Scalar::Timestamp, None),
    ("Document", Scalar::Document, None),
    ("Boolean", Scalar::Boolean, None),
    ("PrimitiveBoolean", Scalar::Boolean, Some("false")),
    ("Byte", Scalar::Byte, None),
    ("PrimitiveByte", Scalar::Byte, Some("0")),
    ("Short", Scalar::Short, None),
    ("PrimitiveShort", Scalar::Short, Some("0")),
    ("Integer", Scalar::Integer, None),
    ("PrimitiveInteger", Scalar::Integer, Some("0")),
    ("Long", Scalar::Long, None),
    ("PrimitiveLong", Scalar::Long, Some("0")),
    ("Float", Scalar::Float, None),
    ("PrimitiveFloat", Scalar::Float, Some("0")),
    ("Double", Scalar::Double, None),
    ("PrimitiveDouble", Scalar::Double, Some("0")),
];

/// The prelude shape with this id, if there is one.
pub(crate) fn prelude_shape(id: &str) -> Option<Shape> {
    let name = id.strip_prefix("smithy.api#")?;
    if name == "Unit" {
        return Some(Shape {
            id: id.to_owned(),
            kind: ShapeKind::Structure {
                members: Vec::new(),
            },
            traits: Traits::default(),
        });
    }
    let (_, scalar, default) = PRELUDE.iter().find(|(n, _, _)| *n == name)?;
    Some(Shape {
        id: id.to_owned(),
        kind: ShapeKind::Scalar { scalar: *scalar },
        traits: Traits {
            default: default.map(|d| serde_json::from_str(d).expect("prelude default is JSON")),
            ..Traits::default()
        },
    })
}
