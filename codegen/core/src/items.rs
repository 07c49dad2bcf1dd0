//! Items for structures, unions and enums: the type, serde, `Validate`, `Inspect`, `Shape`,
//! `JsonSchema` and `AwsText`.

use conform_spec::{shape_name, EnumVariant, IntEnumVariant, Member, Shape};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::{field_ident, ident, pascal_case};
use crate::{checks, doc_attr, schema, CodegenError, Gen};

impl Gen<'_> {
    fn serde_crate(&self) -> String {
        let rt = &self.rt;
        quote!(#rt::serde).to_string().replace(' ', "")
    }

    /// The field's type: `Option` unless required, boxed where a cycle needs it.
    pub fn field_type(&self, owner: &str, member: &Member) -> Result<TokenStream, CodegenError> {
        let mut ty = self
            .rust_type(&member.target, Some(member))
            .map_err(|e| self.at_member(owner, member, e))?;
        if self
            .boxed
            .contains(&(owner.to_owned(), member.name.clone()))
        {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        Ok(if member.traits.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        })
    }

    pub fn wire_name<'a>(&self, member: &'a Member) -> &'a str {
        member.traits.json_name.as_deref().unwrap_or(&member.name)
    }
}

pub fn structure(g: &Gen, shape: &Shape, members: &[Member]) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let name = ident(shape_name(&shape.id));
    let id = &shape.id;
    let doc = doc_attr(shape.traits.documentation.as_deref());
    let serde_crate = g.serde_crate();
    let mut fields = Vec::new();
    let mut checks_code = Vec::new();
    let mut inspect_arms = Vec::new();
    let mut member_arms = Vec::new();
    let mut str_arms = Vec::new();
    let mut presence_bits = Vec::new();
    let mut text_parts = Vec::new();
    for member in members {
        for unsupported in [
            (member.traits.http_payload, "httpPayload"),
            (
                member.traits.http_prefix_headers.is_some(),
                "httpPrefixHeaders",
            ),
            (member.traits.http_query_params, "httpQueryParams"),
        ] {
            if unsupported.0 {
                return Err(CodegenError::Unsupported {
                    shape: format!("{id}${}", member.name),
                    message: format!(
                        "the `{}` trait is not supported by the generator",
                        unsupported.1
                    ),
                });
            }
        }
        let field = field_ident(&member.name);
        let ty = g.field_type(&shape.id, member)?;
        let wire = g.wire_name(member);
        let member_doc = doc_attr(member.traits.documentation.as_deref());
        let optional = if member.traits.required {
            quote!()
        } else {
            quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
        };
        fields.push(quote! {
            #member_doc
            #[serde(rename = #wire)]
            #optional
            pub #field: #ty,
        });
        let check = checks::member_check(g, &shape.id, member, quote!(value))?;
        if !check.is_empty() {
            checks_code.push(if member.traits.required {
                quote! { { let value = &self.#field; #check } }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#field { #check } }
            });
        }
        let member_name = &member.name;
        inspect_arms.push(quote! {
            ::std::option::Option::Some((#rt::rules::PathSeg::Member(#member_name), rest)) => {
                #rt::Inspect::inspect(&self.#field, rest, found)
            }
        });
        let index = member_arms.len();
        member_arms.push(quote! { #index => #rt::Inspect::inspect(&self.#field, rest, found), });
        str_arms.push(quote! { #index => #rt::Inspect::as_str(&self.#field), });
        presence_bits.push(quote! {
            if #rt::inspect::present(&self.#field) {
                bits |= 1u64 << #index;
            }
        });
        text_parts.push(if member.traits.required {
            quote! { parts.push(#rt::text::entry(#wire, &self.#field)); }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#field {
                    parts.push(#rt::text::entry(#wire, value));
                }
            }
        });
    }
    let default_derive = if members.iter().any(|m| m.traits.required) {
        quote!()
    } else {
        quote!(Default,)
    };
    let member_names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    // Rules read members by position: presence as bits, values without matching names.
    let presence = if members.len() <= 64 {
        quote! {
            fn presence(&self) -> ::std::option::Option<u64> {
                #[allow(unused_mut)]
                let mut bits = 0u64;
                #(#presence_bits)*
                ::std::option::Option::Some(bits)
            }
        }
    } else {
        quote!()
    };
    let fill = checks::fill_required(g, members)?;
    let json_schema = json_schema_impl(
        g,
        shape,
        quote!(generator),
        schema::structure(g, shape, members)?,
    );
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default_derive #rt::serde::Serialize, #rt::serde::Deserialize)]
        #[serde(crate = #serde_crate, deny_unknown_fields)]
        pub struct #name {
            #(#fields)*
        }

        impl #rt::Validate for #name {
            #[allow(unused_variables)]
            fn validate_into(&self, checker: &mut #rt::Checker) {
                #(#checks_code)*
            }
        }

        impl #rt::Inspect for #name {
            fn inspect(&self, path: &[#rt::rules::PathSeg], found: &mut dyn FnMut(#rt::Scalar<'_>)) {
                match path.split_first() {
                    ::std::option::Option::None => found(#rt::Scalar::Composite),
                    #(#inspect_arms)*
                    _ => {}
                }
            }

            fn is_here(&self) -> bool {
                true
            }

            fn scalar(&self) -> ::std::option::Option<#rt::Scalar<'_>> {
                ::std::option::Option::Some(#rt::Scalar::Composite)
            }

            fn members(&self) -> &'static [&'static str] {
                static MEMBERS: &[&str] = &[#(#member_names),*];
                MEMBERS
            }

            #presence

            #[allow(unused_variables)]
            fn inspect_member(&self, index: usize, rest: &[#rt::rules::PathSeg], found: &mut dyn FnMut(#rt::Scalar<'_>)) {
                match index {
                    #(#member_arms)*
                    _ => {}
                }
            }

            fn member_str(&self, index: usize) -> ::std::option::Option<&str> {
                match index {
                    #(#str_arms)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl #rt::Shape for #name {
            const SHAPE_ID: &'static str = #id;
            const MEMBERS: &'static [&'static str] = &[#(#member_names),*];
            #[allow(unused_variables)]
            fn fill_required(value: &mut #rt::serde_json::Value, checker: &mut #rt::Checker) {
                #fill
            }
        }

        impl #rt::AwsText for #name {
            fn aws_text(&self) -> #rt::CompactString {
                #[allow(unused_mut)]
                let mut parts: ::std::vec::Vec<#rt::CompactString> = ::std::vec::Vec::new();
                #(#text_parts)*
                #rt::text::joined('{', parts, '}')
            }
        }

        #json_schema
    })
}

pub fn union(g: &Gen, shape: &Shape, members: &[Member]) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let name = ident(shape_name(&shape.id));
    let doc = doc_attr(shape.traits.documentation.as_deref());
    let serde_crate = g.serde_crate();
    let mut variants = Vec::new();
    let mut checks_code = Vec::new();
    let mut inspect_arms = Vec::new();
    let mut texts = Vec::new();
    for member in members {
        let variant = ident(&pascal_case(&member.name));
        let mut ty = g
            .rust_type(&member.target, Some(member))
            .map_err(|e| g.at_member(&shape.id, member, e))?;
        if g.boxed.contains(&(shape.id.clone(), member.name.clone())) {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let wire = g.wire_name(member);
        let member_doc = doc_attr(member.traits.documentation.as_deref());
        variants.push(quote! { #member_doc #[serde(rename = #wire)] #variant(#ty), });
        let member_name = &member.name;
        let check = checks::member_check(g, &shape.id, member, quote!(value))?;
        checks_code.push(quote! {
            #name::#variant(value) => { #check }
        });
        inspect_arms.push(quote! {
            (#name::#variant(value), ::std::option::Option::Some((#rt::rules::PathSeg::Member(#member_name), rest))) => {
                #rt::Inspect::inspect(value, rest, found)
            }
        });
        texts.push(quote! { #name::#variant(value) => #rt::text::joined('{', [#rt::text::entry(#wire, value)], '}'), });
    }
    let json_schema = json_schema_impl(
        g,
        shape,
        quote!(generator),
        schema::union(g, shape, members)?,
    );
    Ok(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #rt::serde::Serialize, #rt::serde::Deserialize)]
        #[serde(crate = #serde_crate)]
        pub enum #name {
            #(#variants)*
        }

        impl #rt::Validate for #name {
            #[allow(unused_variables)]
            fn validate_into(&self, checker: &mut #rt::Checker) {
                match self { #(#checks_code)* }
            }
        }

        impl #rt::Inspect for #name {
            fn inspect(&self, path: &[#rt::rules::PathSeg], found: &mut dyn FnMut(#rt::Scalar<'_>)) {
                match (self, path.split_first()) {
                    (_, ::std::option::Option::None) => found(#rt::Scalar::Composite),
                    #(#inspect_arms)*
                    _ => {}
                }
            }
        }

        impl #rt::AwsText for #name {
            fn aws_text(&self) -> #rt::CompactString {
                match self { #(#texts)* }
            }
        }

        #json_schema
    })
}

/// The `JsonSchema` impl of a generated type: its name and id from the shape, and `body`, which
/// builds the schema (reading the generator when `generator` names it).
fn json_schema_impl(
    g: &Gen,
    shape: &Shape,
    generator: TokenStream,
    body: TokenStream,
) -> TokenStream {
    let rt = &g.rt;
    let name = ident(shape_name(&shape.id));
    let schema_name = shape_name(&shape.id);
    let id = &shape.id;
    quote! {
        impl #rt::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #schema_name.into()
            }
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                #id.into()
            }
            fn json_schema(#generator: &mut #rt::schemars::SchemaGenerator) -> #rt::schemars::Schema {
                #body
            }
        }
    }
}

/// The catch-all variant's name: `Unknown`, unless the model already uses it.
fn unknown_ident(names: &[String]) -> proc_macro2::Ident {
    if names.iter().any(|n| n == "Unknown") {
        ident("UnknownValue")
    } else {
        ident("Unknown")
    }
}

pub fn string_enum(g: &Gen, shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let names: Vec<String> = variants.iter().map(|v| pascal_case(&v.name)).collect();
    let docs: Vec<Option<&str>> = variants
        .iter()
        .map(|v| v.documentation.as_deref())
        .collect();
    enum_item(g, shape, &names, &docs, EnumRepr::Str(&values))
}

pub fn int_enum(g: &Gen, shape: &Shape, variants: &[IntEnumVariant]) -> TokenStream {
    let values: Vec<i64> = variants.iter().map(|v| v.value).collect();
    let names: Vec<String> = variants.iter().map(|v| pascal_case(&v.name)).collect();
    let docs: Vec<Option<&str>> = variants
        .iter()
        .map(|v| v.documentation.as_deref())
        .collect();
    enum_item(g, shape, &names, &docs, EnumRepr::Int(&values))
}

enum EnumRepr<'a> {
    Str(&'a [&'a str]),
    Int(&'a [i64]),
}

/// What a string enum and an int enum generate differently; the rest is written once.
struct ReprTokens {
    derive_copy: TokenStream,
    payload: TokenStream,
    values_doc: &'static str,
    accessor: TokenStream,
    from: TokenStream,
    serialize: TokenStream,
    wire_type: TokenStream,
    from_wire: TokenStream,
    scalar: TokenStream,
    text: TokenStream,
    schema_type: &'static str,
    schema_values: Vec<TokenStream>,
    text_values: Vec<String>,
}

fn enum_item(
    g: &Gen,
    shape: &Shape,
    names: &[String],
    docs: &[Option<&str>],
    repr: EnumRepr,
) -> TokenStream {
    let rt = &g.rt;
    let name = ident(shape_name(&shape.id));
    let doc = doc_attr(shape.traits.documentation.as_deref());
    let unknown = unknown_ident(names);
    let variants: Vec<_> = names.iter().map(|n| ident(n)).collect();
    let variant_docs: Vec<_> = docs.iter().map(|d| doc_attr(*d)).collect();
    let repr = match repr {
        EnumRepr::Str(values) => ReprTokens {
            derive_copy: quote!(),
            payload: quote!(::std::string::String),
            values_doc: " The wire values in model order.",
            accessor: quote! {
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#name::#variants => #values,)*
                        #name::#unknown(value) => value,
                    }
                }
            },
            from: quote! {
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #(#values => #name::#variants,)*
                            other => #name::#unknown(other.to_owned()),
                        }
                    }
                }
            },
            serialize: quote!(serializer.serialize_str(self.as_str())),
            wire_type: quote!(::std::string::String),
            from_wire: quote!(value.as_str()),
            scalar: quote!(#rt::Scalar::Str(self.as_str())),
            text: quote!(#rt::CompactString::from(self.as_str())),
            schema_type: "string",
            schema_values: values.iter().map(|v| quote!(#v)).collect(),
            text_values: values.iter().map(|v| v.to_string()).collect(),
        },
        EnumRepr::Int(values) => ReprTokens {
            derive_copy: quote!(Copy,),
            payload: quote!(i64),
            values_doc: " The values in model order, as text for messages.",
            accessor: quote! {
                pub fn value(&self) -> i64 {
                    match self {
                        #(#name::#variants => #values,)*
                        #name::#unknown(value) => *value,
                    }
                }
            },
            from: quote! {
                impl ::std::convert::From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#values => #name::#variants,)*
                            other => #name::#unknown(other),
                        }
                    }
                }
            },
            serialize: quote!(serializer.serialize_i64(self.value())),
            wire_type: quote!(i64),
            from_wire: quote!(value),
            scalar: quote!(#rt::Scalar::Int(self.value())),
            text: quote!(#rt::text::AwsText::aws_text(&self.value())),
            schema_type: "integer",
            schema_values: values.iter().map(|v| quote!(#v)).collect(),
            text_values: values.iter().map(|v| v.to_string()).collect(),
        },
    };
    let ReprTokens {
        derive_copy,
        payload,
        values_doc,
        accessor,
        from,
        serialize,
        wire_type,
        from_wire,
        scalar,
        text,
        schema_type,
        schema_values,
        text_values,
    } = repr;
    let json_schema = json_schema_impl(
        g,
        shape,
        quote!(_),
        quote!(#rt::schemars::json_schema!({ "type": #schema_type, "enum": [#(#schema_values),*] })),
    );
    quote! {
        #doc
        #[derive(Debug, Clone, #derive_copy PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value outside the model's set: kept, so validation can report it.
            #unknown(#payload),
        }

        impl #name {
            #[doc = #values_doc]
            pub const VALUES: &'static [&'static str] = &[#(#text_values),*];

            #accessor

            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::#unknown(_))
            }
        }

        #from

        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <#wire_type as #rt::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(#name::from(#from_wire))
            }
        }

        impl #rt::Inspect for #name {
            fn inspect(&self, path: &[#rt::rules::PathSeg], found: &mut dyn FnMut(#rt::Scalar<'_>)) {
                if path.is_empty() {
                    found(#scalar);
                }
            }

            fn is_here(&self) -> bool {
                true
            }

            fn scalar(&self) -> ::std::option::Option<#rt::Scalar<'_>> {
                ::std::option::Option::Some(#scalar)
            }
        }

        impl #rt::AwsText for #name {
            fn aws_text(&self) -> #rt::CompactString {
                #text
            }
        }

        #json_schema
    }
}
