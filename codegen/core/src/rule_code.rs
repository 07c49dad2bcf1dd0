//! The overlay's rules of one operation as code on its input type: the source chosen by the
//! matchers in order, then, per source, each rule's conditions read straight from the fields.
//! A request read with a stored resource takes the rule set's evaluation, which stays the
//! reference; tests hold the two to the same answers.

use std::collections::HashSet;

use conform_spec::{Condition, Member, PathSegment, Rule, Source};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::names::field_ident;
use crate::rules::{condition, matcher_const, segments, segments_tokens};
use crate::{CodegenError, Gen};

/// A member path resolved against the input type: the member's field, and the segments below
/// it.
struct Resolved<'a> {
    field: Ident,
    rest: &'a [PathSegment],
}

fn resolve<'a>(members: &[Member], segments: &'a [PathSegment]) -> Option<Resolved<'a>> {
    let (PathSegment::Member(name), rest) = segments.split_first()? else {
        return None;
    };
    members.iter().find(|m| &m.name == name)?;
    Some(Resolved {
        field: field_ident(name),
        rest,
    })
}

/// `rule_violations_into` for `operation`, whose input structure has `members`.
pub fn rule_method(
    g: &Gen,
    operation: &str,
    input_ty: &Ident,
    members: &[Member],
) -> Result<TokenStream, CodegenError> {
    let rt = &g.rt;
    let (sources, rules) = match g.overlay {
        Some(o) => (o.sources.as_slice(), o.rules.as_slice()),
        None => (&[][..], &[][..]),
    };
    let origin = g.overlay.map_or("", |o| o.origin.as_str());
    let none = sources.len();
    // Conditions are numbered across the rules in order, as the rule set's index numbers them
    // (`RULES` lists the overlay's rules in the same order).
    let mut first_condition = 0;
    let mut tests = Vec::new();
    let mut names = HashSet::new();
    for (r, rule) in rules.iter().enumerate() {
        if rule.operations.iter().any(|o| o == operation) {
            let name = test_name(&rule.id, r, &mut names);
            let test = RuleTest {
                plain: plain_rule(g, r, rule),
                ..RuleTest::new(g, members, origin, input_ty, rule, first_condition, name)?
            };
            tests.push((r, rule, test));
        }
        first_condition += rule.when.len();
    }
    if tests.is_empty() {
        return Ok(quote! {
            /// The overlay's rules of this operation: it has none.
            pub fn rule_violations_into(&self, _context: #rt::RuleContext<'_>, _out: &mut ::std::vec::Vec<#rt::Violation>) {}
        });
    }
    // The rules that apply to `slot`'s source, tested in order.
    let slot_body = |slot: usize| {
        let id = sources.get(slot).map(|s| s.id.as_str());
        let applying: Vec<_> = tests
            .iter()
            .filter(|(_, rule, _)| rule.applies_to(id))
            .collect();
        let fired = applying.iter().enumerate().map(|(n, (r, _, test))| {
            // Room for every rule still to test is made at the first that fires: an upper bound
            // that spares growing the list one violation at a time.
            let to_come = applying.len() - n - 1;
            let value = &test.value;
            let fire = match &test.plain {
                Some((name, _)) => quote!(#name.push(#value, #to_come, out);),
                None => quote!(RULES.push_fired(#r, #slot, self, #value, #to_come, out);),
            };
            match &test.call {
                Some(call) => quote!(if #call { #fire }),
                None => fire,
            }
        });
        let defaults = if applying.iter().any(|(_, _, test)| test.reads_defaults) {
            quote!(let defaults = RULES.defaults_row(#slot);)
        } else {
            quote!()
        };
        (!applying.is_empty()).then(|| quote!(#defaults #(#fired)*))
    };
    let body = if names_source(sources, members) {
        let classify = classify(g, members);
        let mut arms: Vec<TokenStream> = (0..none)
            .filter_map(|slot| slot_body(slot).map(|body| quote!(#slot => { #body })))
            .collect();
        // No source known: the rules of every source, which apply to each source as well.
        let unknown = slot_body(none).unwrap_or_default();
        arms.push(quote!(_ => { #unknown }));
        quote! {
            let slot: usize = #classify;
            match slot {
                #(#arms)*
            }
        }
    } else {
        slot_body(none).unwrap_or_default()
    };
    let functions = tests.iter().flat_map(|(_, _, test)| {
        let plain = test.plain.as_ref().map(|(_, item)| item);
        test.function.iter().chain(plain)
    });
    let doc = format!(
        " The overlay's rules of {operation} that fire, in AWS's order of checks, appended to `out`: tested as code for a request on its own, through the rule set's evaluation with a stored resource."
    );
    Ok(quote! {
        #[doc = #doc]
        #[allow(unused_variables)]
        pub fn rule_violations_into(&self, context: #rt::RuleContext<'_>, out: &mut ::std::vec::Vec<#rt::Violation>) {
            if context.existing.is_some() {
                RULES.evaluate_into(#operation, self, context, out);
                return;
            }
            #(#functions)*
            let now = #rt::rules::Now::new(context.now);
            #body
        }
    })
}

/// Whether the input type has a member the sources' matchers read: one without (an Update's
/// input) names no source, so only the rules of every source apply to it.
fn names_source(sources: &[Source], members: &[Member]) -> bool {
    sources
        .iter()
        .flat_map(|s| [&s.matcher.arn_member, &s.matcher.member_present])
        .flatten()
        .any(|p| resolve(members, &segments(p)).is_some())
}

/// The request's source as its position among the sources (one past the last for none): the
/// first whose matcher holds.
fn classify(g: &Gen, members: &[Member]) -> TokenStream {
    let rt = &g.rt;
    let sources = g.overlay.map_or(&[][..], |o| o.sources.as_slice());
    let none = sources.len();
    let mut arn_paths: Vec<&str> = Vec::new();
    for source in sources {
        if let Some(path) = source.matcher.arn_member.as_deref() {
            if !arn_paths.contains(&path) {
                arn_paths.push(path);
            }
        }
    }
    let fields_name = |k: usize| crate::names::ident(&format!("arn_fields_{k}"));
    let mut tests = Vec::new();
    let mut otherwise = quote!(#none);
    for (index, source) in sources.iter().enumerate() {
        let mut parts = Vec::new();
        if let Some(path) = source.matcher.member_present.as_deref() {
            let path = segments(path);
            parts.push(match resolve(members, &path) {
                Some(Resolved { field, rest }) => {
                    let rest = segments_tokens(g, rest);
                    quote!(#rt::inspect::is_present(&self.#field, #rest))
                }
                None => quote!(false),
            });
        }
        if let Some(path) = source.matcher.arn_member.as_deref() {
            let k = arn_paths
                .iter()
                .position(|p| *p == path)
                .unwrap_or_default();
            let (matcher, fields) = (matcher_const(index), fields_name(k));
            parts.push(quote!(#matcher.arn_fits(#fields)));
        }
        if parts.is_empty() {
            // A source that tests nothing takes every request left.
            otherwise = quote!(#index);
            break;
        }
        tests.push(quote!(if #(#parts)&&* { #index }));
    }
    let mut body = if tests.is_empty() {
        otherwise
    } else {
        quote!(#(#tests)else* else { #otherwise })
    };
    for (k, path) in arn_paths.iter().enumerate().rev() {
        let fields = fields_name(k);
        let path = segments(path);
        body = match resolve(members, &path) {
            Some(Resolved { field, rest }) => {
                let rest = segments_tokens(g, rest);
                quote! {
                    #rt::rules::with_first_str(&self.#field, #rest, |arn| {
                        let #fields = arn.and_then(#rt::rules::arn_fields);
                        #body
                    })
                }
            }
            None => quote! {{
                let #fields: ::std::option::Option<(&str, &str)> = ::std::option::Option::None;
                #body
            }},
        };
    }
    body
}

/// One rule's conditions as a function of the request (and the defaults of its source, when a
/// condition reads them), generated once and called for each source the rule applies to.
struct RuleTest {
    /// The function, `None` for a rule without conditions.
    function: Option<TokenStream>,
    /// The call, `None` for a rule without conditions.
    call: Option<TokenStream>,
    reads_defaults: bool,
    /// The request's value its violations report.
    value: TokenStream,
    /// The rule as a `PlainRule` static (its name and item) when its message has no placeholders.
    plain: Option<(Ident, TokenStream)>,
}

/// Rule number `r` as a `PlainRule` static (its name and item) when its message has no
/// placeholders: its violations are then built from constants. A message with a brace goes
/// through the rule set's templates, which decide what is a placeholder.
fn plain_rule(g: &Gen, r: usize, rule: &Rule) -> Option<(Ident, TokenStream)> {
    if rule.message.contains('{') {
        return None;
    }
    let rt = &g.rt;
    let name = crate::names::ident(&format!("PLAIN_RULE_{r}"));
    let first = rule.paths.first().map(|p| segments(p)).unwrap_or_default();
    let path = first.iter().filter_map(|s| match s {
        PathSegment::Member(name) => Some(name),
        _ => None,
    });
    let (id, error, message) = (&rule.id, &rule.error, &rule.message);
    let item = quote! {
        static #name: #rt::rules::PlainRule = #rt::rules::PlainRule {
            id: #id,
            error: #error,
            message: #message,
            path: &[#(#path),*],
        };
    };
    Some((name, item))
}

impl RuleTest {
    fn new(
        g: &Gen,
        members: &[Member],
        origin: &str,
        input_ty: &Ident,
        rule: &Rule,
        first_condition: usize,
        name: Ident,
    ) -> Result<RuleTest, CodegenError> {
        let rt = &g.rt;
        let first = rule.paths.first().map(|p| segments(p)).unwrap_or_default();
        let value = match resolve(members, &first) {
            Some(Resolved { field, rest }) => {
                let rest = segments_tokens(g, rest);
                quote!(#rt::rules::value_at(&self.#field, #rest))
            }
            // Not a member of the request (or no path): nothing to report.
            None => quote!(#rt::ViolationValue::Null),
        };
        if rule.when.is_empty() {
            return Ok(RuleTest {
                function: None,
                call: None,
                reads_defaults: false,
                value,
                plain: None,
            });
        }
        let (conditions, constants): (Vec<_>, Vec<_>) = rule
            .when
            .iter()
            .enumerate()
            .map(|(k, c)| condition_check(g, members, origin, &rule.id, first_condition + k, c))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        let constants = constants.into_iter().flatten();
        let doc = format!(" Whether rule `{}` fires.", rule.id);
        let reads_defaults = rule.when.iter().any(is_value_condition);
        let (params, args) = if reads_defaults {
            (
                quote!(request: &#input_ty, defaults: &#rt::rules::DefaultsRow, now: &#rt::rules::Now),
                quote!(self, &defaults, &now),
            )
        } else {
            (quote!(request: &#input_ty), quote!(self))
        };
        Ok(RuleTest {
            function: Some(quote! {
                #[doc = #doc]
                #[inline(always)]
                fn #name(#params) -> bool {
                    #(#constants)*
                    #(#conditions)&&*
                }
            }),
            call: Some(quote!(#name(#args))),
            reads_defaults,
            value,
            plain: None,
        })
    }
}

/// A rule's id as the name of its test, `fires_` and the id in snake case
/// (`batch-size.sqs-window` → `fires_batch_size_sqs_window`): the prefix keeps it clear of the
/// method's own names (`now`, `slot`, `out`), and an id that folds onto one already taken gets
/// its rule's position too.
fn test_name(id: &str, rule: usize, taken: &mut HashSet<String>) -> Ident {
    let folded: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let mut name = format!("fires_{folded}");
    if !taken.insert(name.clone()) {
        name = format!("{name}_{rule}");
        taken.insert(name.clone());
    }
    crate::names::ident(&name)
}

fn is_value_condition(c: &Condition) -> bool {
    !matches!(c, Condition::Present(_) | Condition::Absent(_))
}

/// A condition's test as an expression, read from the request's fields, else from the
/// `defaults` of the request's source; a value condition also gives the constant it tests with
/// (condition number `at`, named after it).
fn condition_check(
    g: &Gen,
    members: &[Member],
    origin: &str,
    rule: &str,
    at: usize,
    c: &Condition,
) -> Result<(TokenStream, Option<TokenStream>), CodegenError> {
    let rt = &g.rt;
    let path = segments(c.path());
    let resolved = resolve(members, &path);
    let presence = |resolved: &Option<Resolved>| match resolved {
        Some(Resolved { field, rest: [] }) => {
            quote!(#rt::inspect::present(&request.#field))
        }
        Some(Resolved { field, rest }) => {
            let rest = segments_tokens(g, rest);
            quote!((#rt::inspect::present(&request.#field) && #rt::inspect::is_present(&request.#field, #rest)))
        }
        // Not a member of the request: never present.
        None => quote!(false),
    };
    Ok(match c {
        Condition::Present(_) => (presence(&resolved), None),
        Condition::Absent(_) => {
            let present = presence(&resolved);
            (quote!(!#present), None)
        }
        _ => {
            let value = condition(g, c, origin, rule)?;
            let name = crate::names::ident(&format!("CONDITION_{at}"));
            let read = match &resolved {
                Some(Resolved { field, rest }) => {
                    let rest = segments_tokens(g, rest);
                    quote!(defaults.value_holds(&#name, &request.#field, #rest, #at, now))
                }
                None => quote!(defaults.answer(&#name, #at, now)),
            };
            let constant = quote!(const #name: #rt::rules::Condition = #value;);
            (read, Some(constant))
        }
    })
}
