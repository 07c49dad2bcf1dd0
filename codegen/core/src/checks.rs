//! Generated shape-constraint checks (`Validate`) and required-member filling (`Shape`).

use conform_spec::{Member, Scalar, ShapeKind, Traits};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::ident;
use crate::{CodegenError, Gen};

/// Code checking `value` (a reference to the value of `owner`'s `member`), at the member's
/// path. A scalar's path is only built when it fails; anything else walks in and out of it.
pub fn member_check(
    g: &Gen,
    owner: &str,
    member: &Member,
    value: TokenStream,
) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let name = &member.name;
    let (target, sensitive) = (&member.target, member.traits.sensitive);
    if let Some(code) = scalar_failures(g, target, &member.traits, value.clone())
        .map_err(|e| g.at_member(owner, member, e))?
    {
        return Ok(quote! {
            if #code {
                checker.report_member(#name, #target, #sensitive, #rt::validate::text_of(#value));
            }
        });
    }
    let check = item_check(g, owner, member, value)?;
    if check.is_empty() {
        return Ok(check);
    }
    Ok(quote! {
        checker.enter(#rt::Segment::Member(#name));
        #check
        checker.leave();
    })
}

/// Code checking `value` (a reference to a value of `owner`'s `member`, or of a collection's
/// item) at the checker's current path.
fn item_check(
    g: &Gen,
    owner: &str,
    member: &Member,
    value: TokenStream,
) -> Result<TokenStream, CodegenError> {
    value_check(g, &member.target, &member.traits, value).map_err(|e| g.at_member(owner, member, e))
}

fn value_check(
    g: &Gen,
    target: &str,
    traits: &Traits,
    value: TokenStream,
) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let sensitive = traits.sensitive;
    Ok(match g.kind_of(target) {
        Some(ShapeKind::Structure { .. }) | Some(ShapeKind::Union { .. }) => {
            quote! { #rt::Validate::validate_into(#value, checker); }
        }
        Some(ShapeKind::List { member: item }) => {
            let own = count_check(g, target, traits, quote!(#value.len()), value.clone());
            let limit = limit_expr(g, traits);
            let items = if let Some(code) =
                scalar_failures(g, &item.target, &item.traits, quote!(item))
                    .map_err(|e| g.at_member(target, item, e))?
            {
                let items = ItemLoop {
                    head: quote!((index, item) in #value.iter().enumerate().take(#limit)),
                    at: quote!(&index),
                    shape: &item.target,
                    sensitive: item.traits.sensitive || sensitive,
                    role: quote!(Member),
                };
                items.code(g, code, &value)
            } else {
                let nested = item_check(g, target, item, quote!(item))?;
                if nested.is_empty() {
                    quote!()
                } else {
                    quote! {
                        for (index, item) in #value.iter().enumerate().take(#limit) {
                            checker.enter(#rt::Segment::Index(index));
                            #nested
                            checker.leave();
                        }
                    }
                }
            };
            quote! { #own #items }
        }
        Some(ShapeKind::Map {
            key,
            value: map_value,
        }) => {
            let own = count_check(g, target, traits, quote!(#value.len()), value.clone());
            let keys = match scalar_failures(g, &key.target, &key.traits, quote!(key))
                .map_err(|e| g.at_member(target, key, e))?
            {
                Some(code) => {
                    let keys = ItemLoop {
                        head: quote!(key in #value.keys()),
                        at: quote!(key),
                        shape: &key.target,
                        sensitive,
                        role: quote!(Key),
                    };
                    keys.code(g, code, &value)
                }
                None => quote!(),
            };
            let values = if let Some(code) =
                scalar_failures(g, &map_value.target, &map_value.traits, quote!(item))
                    .map_err(|e| g.at_member(target, map_value, e))?
            {
                let values = ItemLoop {
                    head: quote!((key, item) in #value.iter()),
                    at: quote!(key),
                    shape: &map_value.target,
                    sensitive: map_value.traits.sensitive || sensitive,
                    role: quote!(Value),
                };
                values.code(g, code, &value)
            } else {
                let nested = item_check(g, target, map_value, quote!(item))?;
                if nested.is_empty() {
                    quote!()
                } else {
                    quote! {
                        for (key, item) in #value.iter() {
                            checker.enter(#rt::Segment::Key(#rt::AwsText::aws_text(key)));
                            #nested
                            checker.leave();
                        }
                    }
                }
            };
            quote! { #own #keys #values }
        }
        // Scalars are checked where they are held: by `member_check` or by an item loop.
        _ => quote!(),
    })
}

fn limit_expr(g: &Gen, traits: &Traits) -> TokenStream {
    let rt = &g.rt;
    let max = option_u64(traits.length.and_then(|l| l.max));
    quote!(#rt::validate::item_check_limit(#max))
}

fn count_check(
    g: &Gen,
    shape: &str,
    traits: &Traits,
    count: TokenStream,
    value: TokenStream,
) -> TokenStream {
    let rt = &g.rt;
    let Some(length) = traits.length else {
        return quote!();
    };
    let (min, max) = (option_u64(length.min), option_u64(length.max));
    let sensitive = traits.sensitive;
    quote! {
        if #rt::validate::check_count(#count as u64, #min, #max, checker.failures()) {
            checker.report(#shape, #sensitive, #rt::validate::text_of(#value));
        }
    }
}

/// A loop over a collection's scalar items (list members, map keys or map values): each item's
/// failures are kept with its index or key, then reported once, on the collection.
struct ItemLoop<'a> {
    /// `PATTERN in ITERATOR`, binding `item` (or `key`) for the check.
    head: TokenStream,
    /// The item's index or key, as a reference to quote.
    at: TokenStream,
    shape: &'a str,
    sensitive: bool,
    /// The `ItemRole` variant.
    role: TokenStream,
}

impl ItemLoop<'_> {
    fn code(&self, g: &Gen, check: TokenStream, collection: &TokenStream) -> TokenStream {
        let rt = &g.rt;
        let ItemLoop {
            head,
            at,
            shape,
            sensitive,
            role,
        } = self;
        quote! {
            for #head {
                if #check {
                    checker.item_checked(|| #rt::AwsText::aws_text(#at));
                }
            }
            checker.report_items(#shape, #sensitive, #rt::ItemRole::#role, #rt::validate::text_of(#collection));
        }
    }
}

fn option_u64(value: Option<u64>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// An expression pushing the failures of a scalar `value` into the checker's and answering
/// whether there were any, or `None` when the scalar has no constraint to check.
fn scalar_failures(
    g: &Gen,
    target: &str,
    traits: &Traits,
    value: TokenStream,
) -> Result<Option<TokenStream>, CodegenError> {
    let rt = &g.rt;
    Ok(match g.kind_of(target) {
        Some(ShapeKind::Scalar {
            scalar: Scalar::String | Scalar::Blob,
        }) => {
            let pattern = match &traits.pattern {
                // Vacuous as AWS applies it: matching the whole value.
                Some(p) if !conform_spec::is_vacuous(&conform_runtime::pattern::whole_value(p)) => {
                    Some(g.pattern_static(target, p)?)
                }
                _ => None,
            };
            if traits.length.is_none() && pattern.is_none() {
                return Ok(None);
            }
            let length = match traits.length {
                Some(l) => {
                    let (min, max) = (option_u64(l.min), option_u64(l.max));
                    quote!(::std::option::Option::Some((#min, #max)))
                }
                None => quote!(::std::option::Option::None),
            };
            let pattern = match pattern {
                Some(name) => quote!(::std::option::Option::Some(&#name)),
                None => quote!(::std::option::Option::None),
            };
            Some(quote! {
                #rt::validate::check_string(#value, &#rt::validate::Constraints { length: #length, range: ::std::option::Option::None, pattern: #pattern }, checker.failures())
            })
        }
        Some(ShapeKind::Scalar { scalar }) if scalar.is_numeric() => {
            let Some(range) = &traits.range else {
                return Ok(None);
            };
            let bound = |n: &Option<serde_json::Number>| match n {
                Some(n) => {
                    let f = n.as_f64().unwrap_or(0.0);
                    let text = n.to_string();
                    quote!(::std::option::Option::Some((#f, #text)))
                }
                None => quote!(::std::option::Option::None),
            };
            let (min, max) = (bound(&range.min), bound(&range.max));
            let as_f64 = match scalar {
                Scalar::BigInteger | Scalar::BigDecimal => {
                    quote!(#value.as_f64().unwrap_or(f64::NAN))
                }
                _ => quote!((*#value) as f64),
            };
            Some(quote! {
                #rt::validate::check_number(#as_f64, &#rt::validate::Constraints { length: ::std::option::Option::None, range: ::std::option::Option::Some((#min, #max)), pattern: ::std::option::Option::None }, checker.failures())
            })
        }
        Some(ShapeKind::Enum { .. }) | Some(ShapeKind::IntEnum { .. }) => {
            let ty = g.rust_type(target, None)?;
            Some(quote! {
                #rt::validate::check_enum(#value.is_unknown(), #ty::VALUES, checker.failures())
            })
        }
        _ => None,
    })
}

/// The body of `Shape::fill_required` for a structure.
pub fn fill_required(g: &Gen, members: &[Member]) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let mut code = Vec::new();
    for member in members {
        let wire = g.wire_name(member);
        let name = &member.name;
        if member.traits.required {
            let target = &member.target;
            let placeholder = placeholder(g, &member.target);
            code.push(quote! {
                if object.get(#wire).is_none_or(|v| v.is_null()) {
                    checker.missing(#name, #target);
                    object.insert(#wire.to_owned(), #placeholder);
                }
            });
        }
        if let Some(nested) = nested_fill(g, &member.target, quote!(child)) {
            code.push(quote! {
                if let ::std::option::Option::Some(child) = object.get_mut(#wire) {
                    checker.enter(#rt::Segment::Member(#name));
                    #nested
                    checker.leave();
                }
            });
        }
    }
    if code.is_empty() {
        return Ok(quote!());
    }
    Ok(quote! {
        let ::std::option::Option::Some(object) = value.as_object_mut() else { return };
        #(#code)*
    })
}

fn nested_fill(g: &Gen, target: &str, value: TokenStream) -> Option<TokenStream> {
    let rt = &g.rt;
    match g.kind_of(target)? {
        ShapeKind::Structure { .. } => {
            let ty = ident(conform_spec::shape_name(target));
            // serde reads a struct from an array too (by position); JSON has no such form.
            Some(quote! {
                if #value.is_array() {
                    checker.not_an_object();
                } else {
                    <#ty as #rt::Shape>::fill_required(#value, checker);
                }
            })
        }
        ShapeKind::List { member } => {
            let nested = nested_fill(g, &member.target, quote!(item))?;
            Some(quote! {
                if let #rt::serde_json::Value::Array(items) = #value {
                    for (index, item) in items.iter_mut().enumerate() {
                        checker.enter(#rt::Segment::Index(index));
                        #nested
                        checker.leave();
                    }
                }
            })
        }
        ShapeKind::Map {
            value: map_value, ..
        } => {
            let nested = nested_fill(g, &map_value.target, quote!(item))?;
            Some(quote! {
                if let #rt::serde_json::Value::Object(entries) = #value {
                    for (key, item) in entries.iter_mut() {
                        checker.enter(#rt::Segment::Key(key.clone()));
                        #nested
                        checker.leave();
                    }
                }
            })
        }
        _ => None,
    }
}

/// A JSON value that decodes into the target's type, standing in for an absent member.
fn placeholder(g: &Gen, target: &str) -> TokenStream {
    let rt = &g.rt;
    match g.kind_of(target) {
        Some(ShapeKind::Scalar { scalar }) => match scalar {
            Scalar::String | Scalar::Blob => {
                quote!(#rt::serde_json::Value::String(::std::string::String::new()))
            }
            Scalar::Boolean => quote!(#rt::serde_json::Value::Bool(false)),
            Scalar::Document => quote!(#rt::serde_json::Value::Null),
            _ => quote!(#rt::serde_json::Value::from(0)),
        },
        Some(ShapeKind::Enum { .. }) => {
            quote!(#rt::serde_json::Value::String(::std::string::String::new()))
        }
        Some(ShapeKind::IntEnum { .. }) => quote!(#rt::serde_json::Value::from(0)),
        Some(ShapeKind::List { .. }) => {
            quote!(#rt::serde_json::Value::Array(::std::vec::Vec::new()))
        }
        _ => quote!(#rt::serde_json::Value::Object(::std::default::Default::default())),
    }
}
