//! Operation metadata, error metadata and error enums, per-operation `validate` methods, and a
//! dispatcher that validates any operation's input by name.

use conform_spec::{shape_name, ErrorFault, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::names::{constant_ident, ident};
use crate::rules::has_resulting_rules;
use crate::{doc_attr, CodegenError, Gen};

pub fn operations(g: &Gen) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let mut error_statics = Vec::new();
    let mut seen_errors = Vec::new();
    let mut operation_statics = Vec::new();
    let mut operation_refs = Vec::new();
    let mut error_enums = Vec::new();
    let mut validate_impls = Vec::new();
    let mut dispatch_arms = Vec::new();
    let mut schema_arms = Vec::new();

    for id in g.model.operation_ids() {
        let (shape, op) = g
            .model
            .operation(&id)
            .map_err(|kind| conform_spec::SpecError::new(&g.model.origin, kind))?;
        let name = shape_name(&shape.id);
        let http = shape
            .traits
            .http
            .as_ref()
            .ok_or_else(|| CodegenError::Unsupported {
                shape: shape.id.clone(),
                message: "an operation needs the `http` trait (restJson1)".into(),
            })?;
        let (method, uri, code) = (&http.method, &http.uri, http.code);

        let mut error_refs = Vec::new();
        let mut enum_variants = Vec::new();
        let mut enum_codes = Vec::new();
        for error_id in &op.errors {
            let error_name = shape_name(error_id);
            let error_shape = g
                .model
                .shape(error_id)
                .ok_or_else(|| CodegenError::Unsupported {
                    shape: error_id.clone(),
                    message: "error shape missing".into(),
                })?;
            let meta_ident = format_ident!(
                "{}_META",
                constant_ident(error_name)
                    .to_string()
                    .trim_start_matches("r#")
            );
            if !seen_errors.contains(error_id) {
                seen_errors.push(error_id.clone());
                let status =
                    error_shape
                        .traits
                        .http_error
                        .unwrap_or(match error_shape.traits.error {
                            Some(ErrorFault::Server) => 500,
                            _ => 400,
                        });
                let fault = match error_shape.traits.error {
                    Some(ErrorFault::Server) => "server",
                    _ => "client",
                };
                let upper = g
                    .model
                    .members_of(error_id)
                    .iter()
                    .any(|m| m.name == "Message");
                let message_key = if upper {
                    quote!(#rt::MessageKey::Upper)
                } else {
                    quote!(#rt::MessageKey::Lower)
                };
                error_statics.push(quote! {
                    pub static #meta_ident: #rt::ErrorMeta = #rt::ErrorMeta {
                        name: #error_name,
                        status: #status,
                        message_key: #message_key,
                        fault: #fault,
                    };
                });
            }
            error_refs.push(quote!(&#meta_ident));
            let variant = ident(error_name);
            enum_variants.push(quote!(#variant(super::#variant),));
            enum_codes.push(quote!(Self::#variant(_) => #error_name,));
        }

        let bindings =
            |pick: &dyn Fn(&conform_spec::Traits) -> Option<String>| -> Vec<TokenStream> {
                let Some(input) = &op.input else {
                    return Vec::new();
                };
                g.model
                .members_of(input)
                .iter()
                .filter_map(|m| {
                    let wire = pick(&m.traits)?;
                    let member = &m.name;
                    let kind = g.kind_of(&m.target);
                    let list = matches!(kind, Some(ShapeKind::List { .. }));
                    let numeric = matches!(kind, Some(ShapeKind::Scalar { scalar }) if scalar.is_numeric());
                    Some(quote!(#rt::meta::Binding { member: #member, wire: #wire, list: #list, numeric: #numeric }))
                })
                .collect()
            };
        // A label's wire name is the member name, as the URI template writes it.
        let labels: Vec<TokenStream> = op
            .input
            .iter()
            .flat_map(|input| g.model.members_of(input))
            .filter(|m| m.traits.http_label)
            .map(|m| {
                let member = &m.name;
                quote!(#rt::meta::Binding { member: #member, wire: #member, list: false, numeric: false })
            })
            .collect();
        let query = bindings(&|t| t.http_query.clone());
        let headers = bindings(&|t| t.http_header.clone());
        let input = option_str(op.input.as_deref());
        let output = option_str(op.output.as_deref());
        let static_ident = constant_ident(name);
        let doc = doc_attr(shape.traits.documentation.as_deref());
        operation_statics.push(quote! {
            #doc
            pub static #static_ident: #rt::OperationMeta = #rt::OperationMeta {
                name: #name,
                method: #method,
                uri: #uri,
                success_code: #code,
                input: #input,
                output: #output,
                labels: &[#(#labels),*],
                query: &[#(#query),*],
                headers: &[#(#headers),*],
                errors: &[#(#error_refs),*],
            };
        });
        operation_refs.push(quote!(&#static_ident));

        let enum_ident = format_ident!("{}Error", name);
        let enum_doc = format!(" The modeled errors of {name}.");
        error_enums.push(quote! {
            #[doc = #enum_doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #enum_ident {
                #(#enum_variants)*
            }

            impl #enum_ident {
                /// The error code, as `x-amzn-ErrorType` carries it.
                pub fn code(&self) -> &'static str {
                    // `*self`: an operation without modeled errors has an empty enum, and
                    // an empty match is exhaustive on the enum but not on a reference to it.
                    match *self { #(#enum_codes)* }
                }
            }
        });

        if let Some(input) = &op.input {
            let input_ty = ident(shape_name(input));
            schema_arms.push(quote! {
                #name => ::std::option::Option::Some(
                    #rt::schemars::SchemaGenerator::default().into_root_schema_for::<#input_ty>()
                ),
            });
            let sole = g.sole_operation_of(input).is_some();
            let rules_call = if sole {
                quote!(input.rule_violations_into(context, &mut violations);)
            } else {
                quote!(RULES.evaluate_into(#name, &input, context, &mut violations);)
            };
            dispatch_arms.push(quote! {
                #name => ::std::option::Option::Some(
                    #rt::decode::decode_value::<#input_ty>(body).map(|(input, missing)| {
                        let mut violations = #rt::decode::shape_violations(&input, missing);
                        #rules_call
                        violations
                    })
                ),
            });
            if sole {
                let members = g.model.members_of(input);
                let rule_method = crate::rule_code::rule_method(g, name, &input_ty, members)?;
                let validate_doc = format!(
                    " Every violation of this {name} input: shape constraints in model order, then the overlay's rules in AWS's order of checks."
                );
                let update = if has_resulting_rules(g, name) {
                    let config = g
                        .overlay
                        .map(|o| o.configuration.clone())
                        .unwrap_or_default();
                    let config_ty = ident(shape_name(&config));
                    quote! {
                        /// As `validate`, with rules that AWS checks against the resource that
                        /// results from applying this request to `existing`.
                        pub fn validate_update(&self, existing: &#config_ty) -> ::std::vec::Vec<#rt::Violation> {
                            self.validate_with(#rt::RuleContext { existing: ::std::option::Option::Some(existing), ..::std::default::Default::default() })
                        }
                    }
                } else {
                    quote!()
                };
                validate_impls.push(quote! {
                    impl #input_ty {
                        #[doc = #validate_doc]
                        pub fn validate(&self) -> ::std::vec::Vec<#rt::Violation> {
                            self.validate_with(::std::default::Default::default())
                        }

                        /// As `validate`, with what the rules may read besides the request.
                        pub fn validate_with(&self, context: #rt::RuleContext<'_>) -> ::std::vec::Vec<#rt::Violation> {
                            let mut violations = #rt::decode::shape_violations(self, ::std::vec::Vec::new());
                            self.rule_violations_into(context, &mut violations);
                            violations
                        }

                        #rule_method

                        #update
                    }
                });
            }
        }
    }
    Ok(quote! {
        /// Error metadata: status, fault and the casing of the message key.
        pub mod errors {
            #(#error_statics)*
        }

        /// Operation metadata: HTTP binding, success code and modeled errors.
        pub mod operations {
            #[allow(unused_imports)]
            use super::errors::*;
            #(#operation_statics)*

            /// Every operation, in service order.
            pub static ALL: &[&#rt::OperationMeta] = &[#(#operation_refs),*];

            /// The operation with this name.
            pub fn by_name(name: &str) -> ::std::option::Option<&'static #rt::OperationMeta> {
                ALL.iter().copied().find(|op| op.name == name)
            }
        }

        /// Per-operation error enums.
        pub mod operation_errors {
            #(#error_enums)*
        }

        #(#validate_impls)*

        /// Decodes and validates the input of `operation` given as JSON (labels and query members
        /// merged in): `None` for an unknown operation, `Err` when the JSON does not fit the
        /// input's shape.
        pub fn validate_input(
            operation: &str,
            body: #rt::serde_json::Value,
            context: #rt::RuleContext<'_>,
        ) -> ::std::option::Option<::std::result::Result<::std::vec::Vec<#rt::Violation>, #rt::DecodeError>> {
            match operation {
                #(#dispatch_arms)*
                _ => ::std::option::Option::None,
            }
        }

        /// The JSON Schema of `operation`'s input (labels and query members merged in, the
        /// overlay's rules included where JSON Schema can say them): `None` for an unknown
        /// operation.
        pub fn input_schema(operation: &str) -> ::std::option::Option<#rt::schemars::Schema> {
            match operation {
                #(#schema_arms)*
                _ => ::std::option::Option::None,
            }
        }
    })
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
