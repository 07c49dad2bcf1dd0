//! Reads Smithy 2.0 JSON AST models, as AWS publishes them, and the conform overlay into a typed IR.
//!
//! The entry points are [`Model::from_json`] / [`Model::load`] for a model, [`Model::select`] for
//! the closure of some operations, and [`Overlay::load`] for the rules Smithy cannot express.
//! How a reader names a place in a bad file ([`utf8_text`], [`JsonSyntax`]) lives here too, as the
//! lowest crate: the harness and the command line name theirs the same way.

// `SpecError` carries the file, position and ids its message names; errors are rare and end a
// load, so their size costs nothing worth an indirection in every caller's signature.
#![allow(clippy::result_large_err)]

mod diff;
mod error;
mod ir;
mod lint;
mod load;
mod members;
mod overlay;
mod path;
mod prelude;
mod select;
mod traits;

pub use diff::{diff, Change, ChangeKind};
pub use error::{utf8_text, JsonSyntax, NotUtf8, SpecError, SpecErrorKind};
pub use ir::*;
pub use lint::{is_vacuous, lint, lint_pattern, LintFinding, LintLevel};
pub use members::{input_members, structure_members, FlatMember};
pub use overlay::*;
pub use path::{MemberPath, PathSegment};
pub use traits::IGNORED_TRAITS;
pub use traits::{Bounds, ErrorFault, HttpBinding, NumericBounds, TimestampFormat, Traits};
