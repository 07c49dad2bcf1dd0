//! Smithy patterns (ECMA-262), each compiled once on first use: the `regex` crate where it can,
//! else a backtracking engine with a step limit. AWS matches a pattern against the whole value
//! (Java's `matches()`), not anywhere in it: the recorded `esm-listtags-qualified-arn` rejects
//! `...:event-source-mapping:<uuid>:alias`, which the unanchored pattern would accept.

use std::sync::OnceLock;

/// Steps the backtracking engine may take on one value before the value counts as failing.
pub const BACKTRACK_LIMIT: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternOutcome {
    Match,
    NoMatch,
    /// The backtracking limit was hit; treated as not matching, never as a hang.
    LimitExceeded,
}

#[derive(Debug)]
enum Engine {
    Linear(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

/// A pattern declared once as a `static` by generated code.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    engine: OnceLock<Result<Engine, String>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            engine: OnceLock::new(),
        }
    }

    pub fn source(&self) -> &'static str {
        self.source
    }

    pub fn outcome(&self, value: &str) -> PatternOutcome {
        match self.engine.get_or_init(|| compile(self.source)) {
            Ok(Engine::Linear(re)) => bool_outcome(re.is_match(value)),
            Ok(Engine::Backtracking(re)) => match re.is_match(value) {
                Ok(matched) => bool_outcome(matched),
                Err(_) => PatternOutcome::LimitExceeded,
            },
            // Generation refuses patterns that do not compile; fail closed all the same.
            Err(_) => PatternOutcome::NoMatch,
        }
    }
}

fn bool_outcome(matched: bool) -> PatternOutcome {
    if matched {
        PatternOutcome::Match
    } else {
        PatternOutcome::NoMatch
    }
}

/// Which engine a pattern needs, or why it cannot be compiled. Code generation calls this to
/// reject bad patterns at build time.
pub fn check(source: &str) -> Result<&'static str, String> {
    compile(source).map(|engine| match engine {
        Engine::Linear(_) => "regex",
        Engine::Backtracking(_) => "backtracking",
    })
}

/// The pattern as AWS applies it: it must match the whole value.
pub fn whole_value(source: &str) -> String {
    format!("^(?:{source})$")
}

fn compile(source: &str) -> Result<Engine, String> {
    let translated = whole_value(&translate_ecma(source));
    match regex::Regex::new(&translated) {
        Ok(re) => Ok(Engine::Linear(re)),
        Err(linear_error) => fancy_regex::RegexBuilder::new(&translated)
            .backtrack_limit(BACKTRACK_LIMIT)
            .build()
            .map(Engine::Backtracking)
            .map_err(|e| format!("{e} (the regex crate also refused it: {linear_error})")),
    }
}

/// Rewrites ECMA-262 classes whose meaning differs in Rust: `\d` and `\w` are ASCII in ECMA but
/// Unicode in the `regex` crate; `\/` is a needless escape.
pub fn translate_ecma(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 8);
    let mut chars = source.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('w') => out.push_str(if in_class {
                    "A-Za-z0-9_"
                } else {
                    "[A-Za-z0-9_]"
                }),
                Some('D') if !in_class => out.push_str("[^0-9]"),
                Some('W') if !in_class => out.push_str("[^A-Za-z0-9_]"),
                Some('/') => out.push('/'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal in ECMA too.
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            // ECMA's `.` stops at every line terminator, Rust's only at `\n`.
            '.' if !in_class => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static COLLECTION: Pattern = Pattern::new("(^(?!(system\\x2e)))(^[_a-zA-Z0-9])([^$]*)");
    static TOPIC: Pattern = Pattern::new("^[^.]([a-zA-Z0-9\\-_.]+)");
    static DIGITS: Pattern = Pattern::new("^\\d{3}$");

    #[test]
    fn look_ahead_runs_on_the_backtracking_engine() {
        assert_eq!(check(COLLECTION.source()), Ok("backtracking"));
        assert_eq!(COLLECTION.outcome("orders"), PatternOutcome::Match);
        assert_eq!(COLLECTION.outcome("system.views"), PatternOutcome::NoMatch);
        assert_eq!(COLLECTION.outcome("$bad"), PatternOutcome::NoMatch);
    }

    #[test]
    fn patterns_match_the_whole_value() {
        assert_eq!(TOPIC.outcome("topic"), PatternOutcome::Match);
        assert_eq!(TOPIC.outcome(".topic"), PatternOutcome::NoMatch);
        assert_eq!(TOPIC.outcome("a"), PatternOutcome::NoMatch);
        assert_eq!(TOPIC.outcome("topic name"), PatternOutcome::NoMatch);
        static EMPTY_OR_ARN: Pattern = Pattern::new("^$|arn:aws:.*");
        assert_eq!(EMPTY_OR_ARN.outcome(""), PatternOutcome::Match);
        assert_eq!(EMPTY_OR_ARN.outcome("arn:aws:x"), PatternOutcome::Match);
        assert_eq!(EMPTY_OR_ARN.outcome("x arn:aws:x"), PatternOutcome::NoMatch);
    }

    #[test]
    fn ecma_dot_stops_at_line_terminators() {
        static ANY: Pattern = Pattern::new("a.b");
        assert_eq!(ANY.outcome("a-b"), PatternOutcome::Match);
        for terminator in ["\n", "\r", "\u{2028}", "\u{2029}"] {
            let value = format!("a{terminator}b");
            assert_eq!(ANY.outcome(&value), PatternOutcome::NoMatch, "{value:?}");
        }
    }

    #[test]
    fn ecma_digits_are_ascii() {
        assert_eq!(DIGITS.outcome("123"), PatternOutcome::Match);
        assert_eq!(DIGITS.outcome("١٢٣"), PatternOutcome::NoMatch);
    }

    #[test]
    fn catastrophic_backtracking_hits_the_limit_not_a_hang() {
        static EVIL: Pattern = Pattern::new("^(?=x)(a+)+$");
        let input = format!("x{}!", "a".repeat(40));
        assert_ne!(EVIL.outcome(&input), PatternOutcome::Match);
        static EVIL2: Pattern = Pattern::new("^(?!b)(a|aa)+$");
        let input = format!("{}b", "a".repeat(60));
        assert_eq!(EVIL2.outcome(&input), PatternOutcome::LimitExceeded);
    }

    #[test]
    fn broken_patterns_are_reported() {
        assert!(check("([a-z]").is_err());
    }
}
