//! The `models!` macro: a thin shell over `conform-codegen`. It reads the spec files relative to
//! `CARGO_MANIFEST_DIR`, generates the code, and turns every spec error into a `compile_error!`
//! at the macro call.
//!
//! ```ignore
//! conform_macros::models!(
//!     model = "../spec/model/lambda.json",
//!     overlay = "../spec/model/lambda.overlay.toml",
//!     operations = [CreateEventSourceMapping, GetEventSourceMapping],
//! );
//! ```

use std::path::PathBuf;

use proc_macro::TokenStream;
use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, Ident, LitStr, Token};

struct Arguments {
    model: LitStr,
    overlay: Option<LitStr>,
    operations: Vec<Ident>,
    runtime: Option<syn::Path>,
}

impl Parse for Arguments {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (mut model, mut overlay, mut operations, mut runtime) = (None, None, None, None);
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "model" => model = Some(input.parse()?),
                "overlay" => overlay = Some(input.parse()?),
                "runtime" => runtime = Some(input.parse()?),
                "operations" => {
                    let content;
                    bracketed!(content in input);
                    let names: Punctuated<Ident, Token![,]> = content.parse_terminated(Ident::parse, Token![,])?;
                    operations = Some(names.into_iter().collect());
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}`; expected model, overlay, operations or runtime"),
                    ))
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(Arguments {
            model: model.ok_or_else(|| input.error("missing `model = \"path/to/model.json\"`"))?,
            overlay,
            operations: operations
                .ok_or_else(|| input.error("missing `operations = [Name, ...]`"))?,
            runtime,
        })
    }
}

#[proc_macro]
pub fn models(input: TokenStream) -> TokenStream {
    let arguments = syn::parse_macro_input!(input as Arguments);
    match expand(&arguments) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

fn expand(arguments: &Arguments) -> syn::Result<proc_macro2::TokenStream> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let resolve = |lit: &LitStr| manifest_dir.join(lit.value());
    let model_path = resolve(&arguments.model);
    let spec_error =
        |span: Span, error: &dyn std::fmt::Display| syn::Error::new(span, error.to_string());

    let model = conform_spec::Model::load(&model_path)
        .map_err(|e| spec_error(arguments.model.span(), &e))?;
    let names: Vec<String> = arguments.operations.iter().map(Ident::to_string).collect();
    for operation in &arguments.operations {
        model
            .operation(&operation.to_string())
            .map_err(|e| spec_error(operation.span(), &format!("{}: {e}", model_path.display())))?;
    }
    let selected = model
        .select(&names)
        .map_err(|e| spec_error(Span::call_site(), &e))?;

    let mut sources = vec![model_path.display().to_string()];
    let overlay = match &arguments.overlay {
        Some(lit) => {
            let path = resolve(lit);
            // Checked against the whole model: rules of operations left out name its members.
            let overlay = conform_spec::Overlay::load(&path, &model)
                .map_err(|e| spec_error(lit.span(), &e))?
                .select(&names);
            sources.push(path.display().to_string());
            Some(overlay)
        }
        None => None,
    };
    let mut options = conform_codegen::Options {
        sources,
        ..Default::default()
    };
    if let Some(runtime) = &arguments.runtime {
        options.runtime = quote::quote!(#runtime);
    }
    conform_codegen::generate(&selected, overlay.as_ref(), &options)
        .map_err(|e| spec_error(Span::call_site(), &e))
}
