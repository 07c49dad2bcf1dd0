//! Rust names for Smithy names: types keep their PascalCase, members become snake_case,
//! enum variants become PascalCase, and keywords are escaped.

use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];
const UNESCAPABLE: &[&str] = &["self", "Self", "super", "crate"];

/// `KMSKeyArn` → `kms_key_arn`, `UUID` → `uuid`, `retryAfterSeconds` → `retry_after_seconds`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('_');
            }
        }
        if c == '-' || c == ' ' || c == '.' {
            out.push('_');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `TRIM_HORIZON` → `TrimHorizon`; `ReportBatchItemFailures` stays; `debug` → `Debug`.
pub fn pascal_case(name: &str) -> String {
    let shouting = !name.chars().any(|c| c.is_lowercase());
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(['_', '-', '.', ' ', ':', '/'])
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if shouting {
                out.extend(chars.flat_map(char::to_lowercase));
            } else {
                out.extend(chars);
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// An identifier, raw where the name is a keyword.
pub fn ident(name: &str) -> Ident {
    if UNESCAPABLE.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

pub fn field_ident(member: &str) -> Ident {
    ident(&snake_case(member))
}

/// `CreateEventSourceMapping` → `CREATE_EVENT_SOURCE_MAPPING`.
pub fn constant_ident(name: &str) -> Ident {
    ident(&snake_case(name).to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms() {
        assert_eq!(snake_case("KMSKeyArn"), "kms_key_arn");
        assert_eq!(snake_case("UUID"), "uuid");
        assert_eq!(snake_case("URI"), "uri");
        assert_eq!(snake_case("EventSourceArn"), "event_source_arn");
        assert_eq!(
            snake_case("DocumentDBEventSourceConfig"),
            "document_db_event_source_config"
        );
        assert_eq!(snake_case("retryAfterSeconds"), "retry_after_seconds");
        assert_eq!(snake_case("Type"), "type");
    }

    #[test]
    fn pascal_case_for_variants() {
        assert_eq!(pascal_case("TRIM_HORIZON"), "TrimHorizon");
        assert_eq!(
            pascal_case("ReportBatchItemFailures"),
            "ReportBatchItemFailures"
        );
        assert_eq!(
            pascal_case("KAFKA_BOOTSTRAP_SERVERS"),
            "KafkaBootstrapServers"
        );
        assert_eq!(pascal_case("debug"), "Debug");
        assert_eq!(pascal_case("2xx"), "V2xx");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_ident("Type").to_string(), "r#type");
        assert_eq!(field_ident("Self").to_string(), "self_");
    }
}
