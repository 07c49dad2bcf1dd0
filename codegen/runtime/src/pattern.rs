//! Smithy patterns (ECMA-262), each compiled once on first use: the `regex` crate where it can,
//! else a backtracking engine with a step limit. AWS matches a pattern against the whole value
//! (Java's `matches()`), not anywhere in it: the recorded `esm-listtags-qualified-arn` rejects
//! `...:event-source-mapping:<uuid>:alias`, which the unanchored pattern would accept.

use std::sync::OnceLock;

use fancy_regex::{Assertion, Expr, LookAround};
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

/// Steps the backtracking engine may take on one value before the value counts as failing.
pub const BACKTRACK_LIMIT: usize = 100_000;

/// The most memory one pattern's DFA may take; a larger one runs on the `regex` crate instead.
const DFA_SIZE_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternOutcome {
    Match,
    NoMatch,
    /// The backtracking limit was hit; treated as not matching, never as a hang.
    LimitExceeded,
}

#[derive(Debug)]
enum Engine {
    Linear(Linear),
    Backtracking {
        /// The pattern's leading look-aheads split off, when it has that form: a fast verdict.
        split: Option<Split>,
        regex: fancy_regex::Regex,
    },
}

/// A pattern without look-around, matched against a whole value (or, for a look-ahead body,
/// a prefix of it).
#[derive(Debug)]
enum Linear {
    /// A dense DFA built once, walked byte by byte: no allocation, no cache, no lock.
    Dfa(Box<AnchoredDfa>),
    /// The `regex` crate, where the DFA would be too large.
    Meta(regex::Regex),
}

#[derive(Debug)]
struct AnchoredDfa {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    /// Any match starting at 0 will do (a look-ahead body), not only one spanning the value.
    prefix: bool,
    /// Per state (by index), its entry in `loops`, or 0: the state stays itself on those bytes.
    loop_of: Vec<u16>,
    /// The bytes on which a state loops to itself, for skipping a run of them at once.
    loops: Vec<[bool; 256]>,
}

/// `^(?=A)(?!B)R$` as the look-aheads, each tested at the start, and the rest `^R$`. All hold
/// exactly when the whole pattern matches, since a look-ahead at the start reads the value
/// independently of what the rest consumes.
#[derive(Debug)]
struct Split {
    /// Each look-ahead body (matched as a prefix) and whether it must not match.
    look_aheads: Vec<(Linear, bool)>,
    rest: Linear,
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

    #[inline]
    pub fn outcome(&self, value: &str) -> PatternOutcome {
        match self.engine.get_or_init(|| compile(self.source)) {
            Ok(Engine::Linear(linear)) => bool_outcome(linear.is_match(value)),
            Ok(Engine::Backtracking { split, regex }) => {
                // The split decides matches; the backtracking engine has the last word on a
                // failure, so hitting its limit is reported as before.
                if split.as_ref().is_some_and(|s| s.is_match(value)) {
                    return PatternOutcome::Match;
                }
                match regex.is_match(value) {
                    Ok(matched) => bool_outcome(matched),
                    Err(_) => PatternOutcome::LimitExceeded,
                }
            }
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

impl Linear {
    /// `regex` (already anchored as wanted) on a DFA, or on the `regex` crate if too large.
    fn new(regex: &str, prefix: bool) -> Result<Linear, String> {
        if let Ok(dfa) = AnchoredDfa::new(regex, prefix) {
            return Ok(Linear::Dfa(Box::new(dfa)));
        }
        regex::Regex::new(regex)
            .map(Linear::Meta)
            .map_err(|e| e.to_string())
    }

    #[inline]
    fn is_match(&self, value: &str) -> bool {
        match self {
            Linear::Dfa(dfa) => dfa.is_match(value.as_bytes()),
            Linear::Meta(regex) => regex.is_match(value),
        }
    }
}

impl AnchoredDfa {
    fn new(regex: &str, prefix: bool) -> Result<AnchoredDfa, String> {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Anchored)
                    // Whether any match exists, not which one.
                    .match_kind(MatchKind::All)
                    .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                    .determinize_size_limit(Some(DFA_SIZE_LIMIT)),
            )
            .build(regex)
            .map_err(|e| e.to_string())?;
        let start = dfa
            .start_state(&start::Config::new().anchored(Anchored::Yes))
            .map_err(|e| e.to_string())?;
        // Every state reachable from the start, and the bytes each loops on: a value's long
        // runs inside one class (`[a-z0-9-]+`, `.*`) are then skipped by table, not stepped.
        let stride2 = dfa.stride2();
        let mut seen = std::collections::HashSet::from([start]);
        let mut queue = vec![start];
        while let Some(state) = queue.pop() {
            for byte in 0..=255u8 {
                let next = dfa.next_state(state, byte);
                if seen.insert(next) {
                    queue.push(next);
                }
            }
        }
        let states = seen
            .iter()
            .map(|s| s.as_usize() >> stride2)
            .max()
            .unwrap_or(0)
            + 1;
        let mut loop_of = vec![0u16; states];
        let mut loops = vec![[false; 256]];
        for &state in &seen {
            if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                continue;
            }
            let mut bytes = [false; 256];
            for byte in 0..=255u8 {
                bytes[usize::from(byte)] = dfa.next_state(state, byte) == state;
            }
            if bytes.iter().filter(|b| **b).count() >= 2 && loops.len() < usize::from(u16::MAX) {
                loop_of[state.as_usize() >> stride2] = loops.len() as u16;
                loops.push(bytes);
            }
        }
        Ok(AnchoredDfa {
            dfa,
            start,
            prefix,
            loop_of,
            loops,
        })
    }

    #[inline]
    fn is_match(&self, bytes: &[u8]) -> bool {
        let dfa = &self.dfa;
        let stride2 = dfa.stride2();
        let mut state = self.start;
        let mut at = 0;
        while at < bytes.len() {
            state = dfa.next_state(state, bytes[at]);
            at += 1;
            if dfa.is_special_state(state) {
                if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
                    return false;
                }
                // Match states come one byte late: a match ended before this byte.
                if self.prefix && dfa.is_match_state(state) {
                    return true;
                }
            }
            let looping = self.loop_of[state.as_usize() >> stride2];
            if looping != 0 {
                at = skip_run(&self.loops[usize::from(looping)], bytes, at);
            }
        }
        dfa.is_match_state(dfa.next_eoi_state(state))
    }
}

/// Where the run of bytes in `class` starting at `at` ends.
#[inline]
fn skip_run(class: &[bool; 256], bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        if chunk
            .iter()
            .fold(true, |all, b| all & class[usize::from(*b)])
        {
            at += 8;
        } else {
            break;
        }
    }
    while at < bytes.len() && class[usize::from(bytes[at])] {
        at += 1;
    }
    at
}

impl Split {
    fn is_match(&self, value: &str) -> bool {
        self.look_aheads
            .iter()
            .all(|(body, negated)| body.is_match(value) != *negated)
            && self.rest.is_match(value)
    }

    /// The split of `whole` (a whole-value regex), when it is a sequence whose look-arounds are
    /// all look-aheads at the start, with nothing else needing the backtracking engine.
    fn of(whole: &str) -> Option<Split> {
        let tree = Expr::parse_tree(whole).ok()?;
        if !tree.backrefs.is_empty() {
            return None;
        }
        let mut items = Vec::new();
        flatten(&tree.expr, &mut items);
        let mut look_aheads = Vec::new();
        let mut rest = String::new();
        let mut consumed = false;
        for item in items {
            match item {
                Expr::LookAround(body, kind) => {
                    let negated = match kind {
                        LookAround::LookAhead => false,
                        LookAround::LookAheadNeg => true,
                        _ => return None,
                    };
                    if consumed || !easy(body) {
                        return None;
                    }
                    let mut text = String::from("^(?:");
                    body.to_str(&mut text, 0);
                    text.push(')');
                    look_aheads.push((Linear::new(&text, true).ok()?, negated));
                }
                // Before any look-ahead only the start of the text may come: the look-aheads
                // are then all at position 0.
                Expr::Assertion(Assertion::StartText) | Expr::Empty => {
                    item.to_str(&mut rest, 2);
                }
                other => {
                    if !easy(other) {
                        return None;
                    }
                    consumed = true;
                    other.to_str(&mut rest, 2);
                }
            }
        }
        if look_aheads.is_empty() {
            return None;
        }
        let rest = Linear::new(&rest, false).ok()?;
        Some(Split { look_aheads, rest })
    }
}

/// The top-level sequence of `expr`, through nested sequences and capturing groups (captures
/// do not change whether a value matches).
fn flatten<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match expr {
        Expr::Concat(children) => children.iter().for_each(|c| flatten(c, out)),
        Expr::Group(child) => flatten(child, out),
        other => out.push(other),
    }
}

/// Whether the `regex` crate can run `expr` (and `Expr::to_str` can print it).
fn easy(expr: &Expr) -> bool {
    match expr {
        Expr::Empty | Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => true,
        Expr::Assertion(a) => matches!(
            a,
            Assertion::StartText
                | Assertion::EndText
                | Assertion::StartLine { .. }
                | Assertion::EndLine { .. }
        ),
        Expr::Concat(children) | Expr::Alt(children) => children.iter().all(easy),
        Expr::Group(child) => easy(child),
        Expr::Repeat { child, .. } => easy(child),
        _ => false,
    }
}

/// Which engine a pattern needs, or why it cannot be compiled. Code generation calls this to
/// reject bad patterns at build time.
pub fn check(source: &str) -> Result<&'static str, String> {
    compile(source).map(|engine| match engine {
        Engine::Linear(_) => "regex",
        Engine::Backtracking { .. } => "backtracking",
    })
}

/// The pattern as AWS applies it: it must match the whole value.
pub fn whole_value(source: &str) -> String {
    format!("^(?:{source})$")
}

fn compile(source: &str) -> Result<Engine, String> {
    let translated = whole_value(&translate_ecma(source));
    match regex::Regex::new(&translated) {
        Ok(meta) => Ok(Engine::Linear(match AnchoredDfa::new(&translated, false) {
            Ok(dfa) => Linear::Dfa(Box::new(dfa)),
            Err(_) => Linear::Meta(meta),
        })),
        Err(linear_error) => fancy_regex::RegexBuilder::new(&translated)
            .backtrack_limit(BACKTRACK_LIMIT)
            .build()
            .map(|regex| Engine::Backtracking {
                split: Split::of(&translated),
                regex,
            })
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

    /// Every string over `alphabet` up to `max_len` characters, and long runs around some of
    /// them (for the DFA's skipping of runs).
    fn corpus(alphabet: &[&str], max_len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|prefix| alphabet.iter().map(move |c| format!("{prefix}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        let short: Vec<String> = all
            .iter()
            .filter(|v| v.chars().count() <= 1)
            .cloned()
            .collect();
        for v in &short {
            for c in alphabet {
                for n in [8, 9, 30] {
                    all.push(format!("{v}{}", c.repeat(n)));
                    all.push(format!("{}{v}", c.repeat(n)));
                    all.push(format!("{v}{}{v}", c.repeat(n)));
                }
            }
        }
        all
    }

    #[test]
    fn leading_look_aheads_are_split_off_and_agree_with_backtracking() {
        let alphabet = [
            "s", "y", "t", "e", "m", ".", "$", "_", "a", "b", "x", "0", "-", "\n", "é",
        ];
        let mut values = corpus(&alphabet, 4);
        values.extend(
            [
                "system.x", "system.", "systemx", "system", "_system.", "a$", "aa", "é$",
            ]
            .map(String::from),
        );
        for source in [
            COLLECTION.source(),
            "^(?=x)(a+)+$",
            "^(?!b)(a|aa)+$",
            "(?=[a-z]{2})(?!ss)[a-z.]+\\d?",
            "(?!a)(?=.)(\\w|\\.)*",
            "^(?!(system\\x2e))(?=sy)[^$]*",
            "(?!$)(ab|a)(a|m)*",
        ] {
            let translated = whole_value(&translate_ecma(source));
            let split = Split::of(&translated).unwrap_or_else(|| panic!("{source} is not split"));
            let regex = fancy_regex::Regex::new(&translated).unwrap();
            for value in &values {
                // Where backtracking gives up, there is nothing to compare with.
                if let Ok(matched) = regex.is_match(value) {
                    assert_eq!(split.is_match(value), matched, "{source} on {value:?}");
                }
            }
        }
        // Look-behind, or a look-ahead after consuming text, stays on the backtracking engine.
        for source in ["a(?=b)b", "(?<=a)b", "(a|(?!b)c)"] {
            assert!(Split::of(&whole_value(source)).is_none(), "{source}");
        }
    }

    #[test]
    fn the_dfa_agrees_with_the_regex_crate() {
        let alphabet = [
            "arn", ":", "aws", "a", "-", "1", "Z", ".", "\n", "\u{2028}", "é", "$",
        ];
        let values = corpus(&alphabet, 4);
        for source in [
            "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)",
            "[a-zA-Z0-9-\\/*:_+=.@-]*",
            "^$|arn:(aws[a-zA-Z0-9-]*):.*",
            "^[^.]([a-zA-Z0-9\\-_.]+)",
            "[^ /\\.$\\x22]*",
            "(a|aa)+1?",
            ".{0,3}",
            "\\w*$",
        ] {
            let translated = whole_value(&translate_ecma(source));
            let dfa = AnchoredDfa::new(&translated, false).unwrap();
            let regex = regex::Regex::new(&translated).unwrap();
            for value in &values {
                assert_eq!(dfa.is_match(value.as_bytes()), regex.is_match(value), "{source} on {value:?}");
            }
        }
    }
}
