//! Pure generator: turns a selected Smithy model and its overlay into Rust models, validators,
//! JSON Schemas, operation metadata and rule tables, as a `TokenStream`. The `models!` macro
//! is a thin shell over [`generate`]; `conform codegen expand` prints [`expand`]'s output.

mod checks;
mod error;
mod items;
mod meta;
mod names;
mod rule_code;
mod rules;
mod schema;
mod types;

use std::cell::RefCell;
use std::collections::HashSet;

use conform_spec::{Member, Model, Overlay, Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

pub use error::CodegenError;
pub use names::{field_ident, pascal_case, snake_case};

/// Where the generated code finds its runtime, and which files it was generated from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The path of the runtime crate, `::conform_runtime` by default.
    pub runtime: TokenStream,
    /// Absolute paths of the spec files; emitted as `include_bytes!` so editing them rebuilds.
    pub sources: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime: quote!(::conform_runtime),
            sources: Vec::new(),
        }
    }
}

/// Shared state of one generation run.
pub(crate) struct Gen<'m> {
    pub model: &'m Model,
    pub overlay: Option<&'m Overlay>,
    pub rt: TokenStream,
    /// `(structure, member)` pairs whose field is boxed to break a cycle.
    pub boxed: HashSet<(String, String)>,
    /// Distinct patterns, each declared once as a static.
    pub patterns: RefCell<Vec<String>>,
}

impl Gen<'_> {
    /// The operation that takes `input` as its input, when exactly one does (a shared input
    /// gets no per-operation `validate()` or rules).
    pub fn sole_operation_of(&self, input: &str) -> Option<&Shape> {
        let mut takers = self
            .model
            .operations()
            .filter(|(_, op)| op.input.as_deref() == Some(input));
        let (operation, _) = takers.next()?;
        takers.next().is_none().then_some(operation)
    }

    /// The static holding `pattern`, declared on first use; a pattern that compiles on neither
    /// engine is an error naming the shape.
    pub fn pattern_static(
        &self,
        shape: &str,
        pattern: &str,
    ) -> Result<proc_macro2::Ident, CodegenError> {
        conform_runtime::pattern::check(pattern).map_err(|message| CodegenError::BadPattern {
            shape: shape.to_owned(),
            pattern: pattern.to_owned(),
            message,
        })?;
        let mut patterns = self.patterns.borrow_mut();
        let index = match patterns.iter().position(|p| p == pattern) {
            Some(index) => index,
            None => {
                patterns.push(pattern.to_owned());
                patterns.len() - 1
            }
        };
        Ok(names::ident(&format!("PATTERN_{index}")))
    }

    /// An error raised on `member`'s target because of a trait that the member itself carries
    /// (a member-level `pattern` or `timestampFormat`) names the member, `owner$name`: the
    /// target may be a shared shape such as `smithy.api#String`, which tells the user nothing.
    pub fn at_member(&self, owner: &str, member: &Member, error: CodegenError) -> CodegenError {
        let target = self.model.shape(&member.target).map(|s| &s.traits);
        let member_id = || format!("{owner}${}", member.name);
        match error {
            CodegenError::BadPattern {
                shape,
                pattern,
                message,
            } if shape == member.target
                && target.and_then(|t| t.pattern.as_deref()) != Some(pattern.as_str()) =>
            {
                CodegenError::BadPattern {
                    shape: member_id(),
                    pattern,
                    message,
                }
            }
            CodegenError::Unsupported { shape, message }
                if shape == member.target
                    && member.traits.timestamp_format.is_some()
                    && target.map(|t| t.timestamp_format)
                        != Some(member.traits.timestamp_format) =>
            {
                CodegenError::Unsupported {
                    shape: member_id(),
                    message: format!("{message} (target `{shape}`)"),
                }
            }
            other => other,
        }
    }
}

/// Generates the code for `model` (already narrowed to the wanted operations).
pub fn generate(
    model: &Model,
    overlay: Option<&Overlay>,
    options: &Options,
) -> Result<TokenStream, CodegenError> {
    let generator = Gen {
        model,
        overlay,
        rt: options.runtime.clone(),
        boxed: types::cycle_breaks(model),
        patterns: RefCell::new(Vec::new()),
    };
    let mut items = Vec::new();
    for shape in model.shapes.values() {
        if shape.id.starts_with("smithy.api#") {
            continue;
        }
        match &shape.kind {
            ShapeKind::Structure { members } => {
                items.push(items::structure(&generator, shape, members)?)
            }
            ShapeKind::Union { members } => items.push(items::union(&generator, shape, members)?),
            ShapeKind::Enum { variants } => {
                items.push(items::string_enum(&generator, shape, variants))
            }
            ShapeKind::IntEnum { variants } => {
                items.push(items::int_enum(&generator, shape, variants))
            }
            _ => {}
        }
    }
    let operations = meta::operations(&generator)?;
    let rt = &generator.rt;
    let patterns = generator
        .patterns
        .borrow()
        .iter()
        .enumerate()
        .map(|(index, pattern)| {
            let name = names::ident(&format!("PATTERN_{index}"));
            quote!(static #name: #rt::Pattern = #rt::Pattern::new(#pattern);)
        })
        .collect::<Vec<_>>();
    let rules = rules::rule_set(&generator)?;
    let sources = options.sources.iter().enumerate().map(|(index, path)| {
        let name = names::ident(&format!("SPEC_SOURCE_{index}"));
        quote! {
            #[doc(hidden)]
            pub const #name: &[u8] = include_bytes!(#path);
        }
    });
    Ok(quote! {
        #(#items)*
        #(#patterns)*
        #operations
        #rules
        #(#sources)*
    })
}

/// Pretty-prints generated code.
pub fn expand(tokens: &TokenStream) -> Result<String, CodegenError> {
    let file: syn::File =
        syn::parse2(tokens.clone()).map_err(|e| CodegenError::Expand(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Documentation text without HTML tags, whitespace folded.
pub(crate) fn doc_text(documentation: Option<&str>) -> Option<String> {
    let text = documentation?;
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let folded = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    (!folded.is_empty()).then_some(folded)
}

pub(crate) fn doc_attr(documentation: Option<&str>) -> TokenStream {
    match doc_text(documentation) {
        Some(text) => {
            let text = format!(" {text}");
            quote!(#[doc = #text])
        }
        None => quote!(),
    }
}
