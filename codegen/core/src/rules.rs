//! The overlay as static data: sources, rules and enum orders, with the AWS formatter bound
//! to them.

use conform_spec::{
    placeholders, Condition, MemberPath, Overlay, PathSegment, RuleTarget, SpecError, SpecErrorKind,
};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::{CodegenError, Gen};

pub fn has_resulting_rules(g: &Gen, operation: &str) -> bool {
    g.overlay.is_some_and(|o| {
        o.rules_for(operation)
            .any(|r| r.on == RuleTarget::Resulting)
    })
}

pub fn rule_set(g: &Gen) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let empty = Overlay {
        origin: String::new(),
        configuration: String::new(),
        validation: Default::default(),
        sources: Vec::new(),
        rules: Vec::new(),
    };
    let overlay = g.overlay.unwrap_or(&empty);
    let validation_error = &overlay.validation.error;
    let sources = overlay.sources.iter().enumerate().map(|(index, s)| {
        let static_name = crate::names::ident(&format!("SOURCE_{index}"));
        let m = &s.matcher;
        let arn_member = opt_path(g, m.arn_member.as_deref());
        let member_present = opt_path(g, m.member_present.as_deref());
        let services = m.arn_service.clone().unwrap_or_default();
        let suffix = opt_str(m.resource_suffix.as_deref());
        let contains = opt_str(m.resource_contains.as_deref());
        let prefix = opt_str(m.resource_prefix.as_deref());
        let (id, label, reason) = (&s.id, &s.label, &s.state_transition_reason);
        let defaults = Value::Object(s.defaults.clone().into_iter().collect()).to_string();
        let missing = match &s.missing {
            Some(t) => {
                let (error, message) = (&t.error, &t.message);
                quote!(::std::option::Option::Some(#rt::rules::ErrorTemplate { error: #error, message: #message }))
            }
            None => quote!(::std::option::Option::None),
        };
        let duplicate = match &s.duplicate {
            Some(d) => {
                let keys = d.key.iter().map(|k| path_tokens(g, k));
                let (error, message) = (&d.error, &d.message);
                quote!(::std::option::Option::Some(#rt::rules::DuplicateDef { key: &[#(#keys),*], error: #error, message: #message }))
            }
            None => quote!(::std::option::Option::None),
        };
        let matcher_name = matcher_const(index);
        quote! {
            /// A constant, so that generated rule code testing it folds its fields in.
            const #matcher_name: #rt::rules::SourceMatcher = #rt::rules::SourceMatcher {
                arn_member: #arn_member,
                arn_service: &[#(#services),*],
                resource_suffix: #suffix,
                resource_contains: #contains,
                resource_prefix: #prefix,
                member_present: #member_present,
            };

            static #static_name: #rt::rules::SourceDef = #rt::rules::SourceDef {
                id: #id,
                label: #label,
                matcher: #matcher_name,
                state_transition_reason: #reason,
                defaults_json: #defaults,
                defaults: ::std::sync::OnceLock::new(),
                missing: #missing,
                duplicate: #duplicate,
            };
        }
    });
    let source_refs = (0..overlay.sources.len()).map(|index| {
        let static_name = crate::names::ident(&format!("SOURCE_{index}"));
        quote!(&#static_name)
    });
    let mut rules = Vec::new();
    for rule in &overlay.rules {
        let id = &rule.id;
        let operations = &rule.operations;
        let paths = rule.paths.iter().map(|p| path_tokens(g, p));
        let (sources, except) = (&rule.sources, &rule.except_sources);
        let on = match rule.on {
            RuleTarget::Request => quote!(#rt::rules::Target::Request),
            RuleTarget::Resulting => quote!(#rt::rules::Target::Resulting),
        };
        let when = rule
            .when
            .iter()
            .map(|c| condition(g, c, &overlay.origin, id))
            .collect::<Result<Vec<_>, _>>()?;
        let (error, message) = (&rule.error, &rule.message);
        let doc = format!(" {} ({})", rule.doc, rule.evidence);
        // Placeholders are checked by the reader; generation only needs the template.
        let _ = placeholders(message);
        rules.push(quote! {
            #[doc = #doc]
            #rt::rules::RuleDef {
                id: #id,
                operations: &[#(#operations),*],
                paths: &[#(#paths),*],
                sources: &[#(#sources),*],
                except_sources: &[#(#except),*],
                on: #on,
                when: &[#(#when),*],
                error: #error,
                message: #message,
            }
        });
    }
    let enum_order = overlay
        .validation
        .enum_order
        .iter()
        .map(|(shape, values)| quote!((#shape, &[#(#values),*])));
    Ok(quote! {
        #(#sources)*

        /// The overlay's sources and rules, in AWS's order of checks.
        pub static RULES: #rt::RuleSet = #rt::RuleSet {
            validation_error: #validation_error,
            sources: &[#(#source_refs),*],
            rules: &[#(#rules),*],
            index: #rt::rules::RuleIndex::new(),
        };

        /// The order in which AWS lists enum values in its messages, where it differs from the
        /// model's.
        pub static ENUM_ORDER: #rt::aws::EnumOrder = &[#(#enum_order),*];

        /// AWS's error code and exact message for these violations, as AWS would answer.
        pub fn aws_error(violations: &[#rt::Violation]) -> ::std::option::Option<#rt::AwsError> {
            #rt::format_aws(violations, RULES.validation_error, ENUM_ORDER)
        }
    })
}

/// The constant holding source `index`'s matcher.
pub fn matcher_const(index: usize) -> proc_macro2::Ident {
    crate::names::ident(&format!("SOURCE_{index}_MATCHER"))
}

/// A condition as the runtime's static data.
pub fn condition(
    g: &Gen,
    c: &Condition,
    origin: &str,
    rule: &str,
) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let p = path_tokens(g, c.path());
    // The reader refuses these values; an overlay built in code could still hold one.
    let refuse = |message: String| {
        let kind = SpecErrorKind::OverlayRule {
            rule: rule.to_owned(),
            message,
        };
        CodegenError::from(SpecError::new(origin, kind))
    };
    // proc_macro2 panics on a NaN or an infinite literal.
    let number = |n: f64| {
        if n.is_finite() {
            Ok(quote!(#n))
        } else {
            Err(refuse(format!("a condition cannot compare with {n}")))
        }
    };
    let literal = |v: &Value| -> Result<TokenStream, CodegenError> {
        Ok(match v {
            Value::String(s) => quote!(#rt::rules::Literal::Str(#s)),
            Value::Bool(b) => quote!(#rt::rules::Literal::Bool(#b)),
            Value::Number(n) => {
                let f = number(n.as_f64().unwrap_or(f64::NAN))?;
                quote!(#rt::rules::Literal::Num(#f))
            }
            other => return Err(refuse(format!("a condition cannot compare with {other}"))),
        })
    };
    Ok(match c {
        Condition::Present(_) => quote!(#rt::rules::Condition::Present(#p)),
        Condition::Absent(_) => quote!(#rt::rules::Condition::Absent(#p)),
        Condition::Equals(_, v) => {
            let v = literal(v)?;
            quote!(#rt::rules::Condition::Equals(#p, #v))
        }
        Condition::In(_, vs) | Condition::NotIn(_, vs) => {
            let items = vs.iter().map(literal).collect::<Result<Vec<_>, _>>()?;
            if matches!(c, Condition::In(..)) {
                quote!(#rt::rules::Condition::In(#p, &[#(#items),*]))
            } else {
                quote!(#rt::rules::Condition::NotIn(#p, &[#(#items),*]))
            }
        }
        Condition::Greater(_, n)
        | Condition::GreaterOrEqual(_, n)
        | Condition::Less(_, n)
        | Condition::LessOrEqual(_, n) => {
            let variant = match c {
                Condition::Greater(..) => quote!(Greater),
                Condition::GreaterOrEqual(..) => quote!(GreaterOrEqual),
                Condition::Less(..) => quote!(Less),
                _ => quote!(LessOrEqual),
            };
            let n = number(*n)?;
            quote!(#rt::rules::Condition::#variant(#p, #n))
        }
        Condition::Outside(_, ranges) => {
            let ranges = ranges
                .iter()
                .map(|(lo, hi)| {
                    let (lo, hi) = (number(*lo)?, number(*hi)?);
                    Ok(quote!((#lo, #hi)))
                })
                .collect::<Result<Vec<_>, CodegenError>>()?;
            quote!(#rt::rules::Condition::Outside(#p, &[#(#ranges),*]))
        }
        Condition::PlainNameLongerThan(_, n) => {
            quote!(#rt::rules::Condition::PlainNameLongerThan(#p, #n))
        }
        Condition::InvalidFilterPattern(_) => {
            quote!(#rt::rules::Condition::InvalidFilterPattern(#p))
        }
        Condition::InFuture(_) => quote!(#rt::rules::Condition::InFuture(#p)),
    })
}

/// A checked overlay path as a static `&[PathSeg]`.
fn path_tokens(g: &Gen, text: &str) -> TokenStream {
    segments_tokens(g, &segments(text))
}

/// A checked overlay path's segments.
pub fn segments(text: &str) -> Vec<PathSegment> {
    // The reader has already parsed and resolved every overlay path.
    MemberPath::parse(text).map(|p| p.0).unwrap_or_default()
}

/// Path segments as a static `&[PathSeg]`.
pub fn segments_tokens(g: &Gen, segments: &[PathSegment]) -> TokenStream {
    let rt = &g.rt;
    let segments = segments.iter().map(|s| match s {
        PathSegment::Member(name) => quote!(#rt::rules::PathSeg::Member(#name)),
        PathSegment::Items => quote!(#rt::rules::PathSeg::Items),
        PathSegment::Keys => quote!(#rt::rules::PathSeg::Keys),
        PathSegment::Values => quote!(#rt::rules::PathSeg::Values),
    });
    quote!(&[#(#segments),*])
}

fn opt_path(g: &Gen, text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => {
            let p = path_tokens(g, t);
            quote!(::std::option::Option::Some(#p))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => quote!(::std::option::Option::Some(#t)),
        None => quote!(::std::option::Option::None),
    }
}
