//! Smithy patterns (ECMA-262), each compiled once on first use: the `regex` crate where it can;
//! leading look-aheads (CollectionName) split off and each part run on it; else a backtracking
//! engine with a step limit. AWS matches a pattern against the whole value
//! (Java's `matches()`), not anywhere in it: the recorded `esm-listtags-qualified-arn` rejects
//! `...:event-source-mapping:<uuid>:alias`, which the unanchored pattern would accept.

use std::sync::OnceLock;

use fancy_regex::{Assertion, Expr, LookAround};
use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

use crate::byte_set::ByteSet;

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
    /// Leading look-aheads split off from the rest: decided exactly, in linear time.
    Split(Split),
    /// Other look-around, on a backtracking engine with a step limit.
    Backtracking(fancy_regex::Regex),
}

/// A pattern without look-around, matched against a whole value (or, for a look-ahead body,
/// a prefix of it).
#[derive(Debug)]
enum Linear {
    /// A dense DFA built once and walked without allocation, cache or lock.
    Dfa(Box<AnchoredDfa>),
    /// The `regex` crate, where the DFA would be too large.
    Meta(regex::Regex),
}

/// A DFA re-encoded for walking: a byte's class, then the next state, with the dead state and
/// the states that loop told apart by comparing the state, not by reading more tables. In long
/// values, a looping state's run (`[a-z0-9-]*`, `.*`) is skipped many bytes a step (`ByteSet`).
#[derive(Debug)]
struct AnchoredDfa {
    /// Each byte's class (bytes the pattern never tells apart share one).
    classes: [u8; 256],
    /// Transitions at `state + class`. States are offsets (index << `stride2`); the dead state
    /// is 0, then states that never loop, then from `first_loop` on, states that do.
    next: Vec<u32>,
    stride2: u32,
    start: u32,
    first_loop: u32,
    /// Per looping state (`(state - first_loop) >> stride2`), the bytes it stays itself on.
    loops: Vec<ByteSet>,
    /// Per state (by index), whether the value may end there.
    accepts_at_end: Vec<bool>,
    /// Per state (by index), whether a match ended before the byte that led there: a prefix
    /// match (a look-ahead body) can stop.
    matched: Vec<bool>,
    /// Any match starting at 0 will do (a look-ahead body), not only one spanning the value.
    prefix: bool,
}

/// Values shorter than this are stepped a byte at a time: looking for runs to skip costs more
/// than it saves.
const SHORT_VALUE: usize = 64;

/// How many bytes the walk steps before it looks for a run to skip: a run shorter than this
/// costs less to step than to skip.
const BLOCK: usize = 16;

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
        // Most patterns are a whole-value DFA: kept to a few instructions before the walk.
        if let Some(Ok(Engine::Linear(Linear::Dfa(dfa)))) = self.engine.get() {
            if !dfa.prefix {
                return bool_outcome(dfa.walk(value.as_bytes()));
            }
        }
        self.outcome_any(value)
    }

    #[inline(never)]
    fn outcome_any(&self, value: &str) -> PatternOutcome {
        match self.engine.get_or_init(|| compile(self.source)) {
            Ok(Engine::Linear(linear)) => bool_outcome(linear.is_match(value)),
            Ok(Engine::Split(split)) => bool_outcome(split.is_match(value)),
            Ok(Engine::Backtracking(regex)) => match regex.is_match(value) {
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
        let byte_classes = dfa.byte_classes();
        let mut classes = [0u8; 256];
        let mut representative: Vec<u8> = Vec::new();
        for byte in 0..=255u8 {
            let class = byte_classes.get(byte);
            classes[usize::from(byte)] = class;
            if usize::from(class) == representative.len() {
                representative.push(byte);
            }
        }
        // Classes come numbered from 0 in byte order; the unchecked step relies on each being
        // below the class count, so a numbering that is not is refused (the `regex` crate runs
        // the pattern instead).
        if classes
            .iter()
            .any(|&class| usize::from(class) >= representative.len())
        {
            return Err("byte classes are not numbered densely".into());
        }
        let stride2 = representative.len().next_power_of_two().trailing_zeros();
        let dead = |s: StateID| dfa.is_dead_state(s) || dfa.is_quit_state(s);
        // Every state reachable from the start, and the bytes each loops on: a value's long
        // runs inside one class (`[a-z0-9-]+`, `.*`) are then skipped by table, not stepped.
        let mut seen = std::collections::HashSet::from([start]);
        let mut order = vec![start];
        let mut queue = vec![start];
        while let Some(state) = queue.pop() {
            for &byte in &representative {
                let next = dfa.next_state(state, byte);
                if !dead(next) && seen.insert(next) {
                    order.push(next);
                    queue.push(next);
                }
            }
        }
        if dead(start) {
            order.clear();
        }
        let loop_bytes = |state: StateID| {
            let mut bytes = [false; 256];
            for byte in 0..=255u8 {
                bytes[usize::from(byte)] = dfa.next_state(state, byte) == state;
            }
            bytes
        };
        let loops_on = |state: StateID| loop_bytes(state).iter().filter(|b| **b).count() >= 2;
        // Index 0 is the dead state; then states that never loop, then states that do.
        order.sort_by_cached_key(|&s| loops_on(s));
        let states = order.len() + 1;
        if (states << stride2) > u32::MAX as usize {
            return Err("the DFA is too large".into());
        }
        let index_of: std::collections::HashMap<StateID, usize> =
            order.iter().enumerate().map(|(i, &s)| (s, i + 1)).collect();
        let offset = |s: StateID| -> u32 { index_of.get(&s).map_or(0, |i| (i << stride2) as u32) };
        let mut next = vec![0u32; states << stride2];
        let mut accepts_at_end = vec![false; states];
        let mut matched = vec![false; states];
        let mut loops = Vec::new();
        let mut first_loop = (states << stride2) as u32;
        for (i, &state) in order.iter().enumerate() {
            let index = i + 1;
            for (class, &byte) in representative.iter().enumerate() {
                next[(index << stride2) + class] = offset(dfa.next_state(state, byte));
            }
            accepts_at_end[index] = dfa.is_match_state(dfa.next_eoi_state(state));
            matched[index] = dfa.is_match_state(state);
            if loops_on(state) {
                first_loop = first_loop.min((index << stride2) as u32);
                let stays = loop_bytes(state);
                loops.push(ByteSet::from_fn(|byte| stays[usize::from(byte)]));
            }
        }
        Ok(AnchoredDfa {
            classes,
            next,
            stride2,
            start: offset(start),
            first_loop,
            loops,
            accepts_at_end,
            matched,
            prefix,
        })
    }

    /// The state after `byte`: the walk's inner step, without a bounds check. `state` must be
    /// one of this DFA's states, as `start` and every `next` entry are.
    #[inline(always)]
    fn step(&self, state: u32, byte: u8) -> u32 {
        let at = (state + u32::from(self.classes[usize::from(byte)])) as usize;
        debug_assert!(at < self.next.len());
        // SAFETY: `new` fills `next` (and sets `start`) with states' offsets, `index <<
        // stride2` with `index` below the state count, and checks that every class is below
        // the class count, at most `1 << stride2`; so `at` is below `states << stride2`, the
        // table's length.
        unsafe { *self.next.get_unchecked(at) }
    }

    /// The state after `bytes` from `state`. The dead state leads only to itself, so no byte
    /// needs a test.
    #[inline(always)]
    fn steps(&self, state: u32, bytes: &[u8]) -> u32 {
        bytes
            .iter()
            .fold(state, |state, &byte| self.step(state, byte))
    }

    #[inline]
    fn is_match(&self, bytes: &[u8]) -> bool {
        if self.prefix {
            self.is_prefix_match(bytes)
        } else {
            self.walk(bytes)
        }
    }

    /// The whole value: short ones stepped in one go, long ones by `walk_long`.
    #[inline]
    fn walk(&self, bytes: &[u8]) -> bool {
        if bytes.len() < SHORT_VALUE {
            self.accepts_at_end[(self.steps(self.start, bytes) >> self.stride2) as usize]
        } else {
            self.walk_long(bytes)
        }
    }

    #[inline(never)]
    fn walk_long(&self, bytes: &[u8]) -> bool {
        // A block of bytes at a time: between blocks, a state that loops skips its run. The
        // first byte alone, as the state after it is often one that loops (`[a-z]*`).
        let mut state = self.step(self.start, bytes[0]);
        let mut at = 1;
        while at < bytes.len() {
            if state >= self.first_loop {
                let looping = ((state - self.first_loop) >> self.stride2) as usize;
                at = self.loops[looping].run_end(bytes, at);
            }
            let block = &bytes[at.min(bytes.len())..(at + BLOCK).min(bytes.len())];
            state = self.steps(state, block);
            at += block.len();
            if state == 0 {
                return false;
            }
        }
        self.accepts_at_end[(state >> self.stride2) as usize]
    }

    /// Whether a match starts at 0, wherever it ends.
    fn is_prefix_match(&self, bytes: &[u8]) -> bool {
        let mut state = self.start;
        for &byte in bytes {
            if state == 0 {
                return false;
            }
            // Match states come one byte late: a match ended before this byte.
            if self.matched[(state >> self.stride2) as usize] {
                return true;
            }
            state = self.step(state, byte);
        }
        state != 0
            && (self.matched[(state >> self.stride2) as usize]
                || self.accepts_at_end[(state >> self.stride2) as usize])
    }
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
        Engine::Split(_) => "split look-ahead",
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
        Ok(meta) => Ok(Engine::Linear(match AnchoredDfa::new(&translated, false) {
            Ok(dfa) => Linear::Dfa(Box::new(dfa)),
            Err(_) => Linear::Meta(meta),
        })),
        Err(linear_error) => {
            // Built even when the split stands in for it: it is what says a pattern is valid.
            let regex = fancy_regex::RegexBuilder::new(&translated)
                .backtrack_limit(BACKTRACK_LIMIT)
                .build()
                .map_err(|e| format!("{e} (the regex crate also refused it: {linear_error})"))?;
            Ok(match Split::of(&translated) {
                Some(split) => Engine::Split(split),
                None => Engine::Backtracking(regex),
            })
        }
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
    fn leading_look_aheads_are_split_off() {
        assert_eq!(check(COLLECTION.source()), Ok("split look-ahead"));
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
        // A leading look-ahead is split off and decided in linear time; a look-behind is not.
        static SPLIT: Pattern = Pattern::new("^(?!b)(a|aa)+$");
        let input = format!("{}b", "a".repeat(60));
        assert_eq!(SPLIT.outcome(&input), PatternOutcome::NoMatch);
        static EVIL2: Pattern = Pattern::new("^(?<!b)(a|aa)+$");
        assert_eq!(check(EVIL2.source()), Ok("backtracking"));
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

    /// The DFA agrees with the regex crate on `value`, and on long variants of it (a run of
    /// its first byte before it, of its last after it), so that the walk meets the runs it
    /// skips as well as the bytes it steps.
    fn assert_agrees(dfa: &AnchoredDfa, regex: &regex::Regex, value: &str, source: &str) {
        let (first, last) = (value.chars().next(), value.chars().last());
        let long_variants = [
            first.map(|c| format!("{}{value}", c.to_string().repeat(SHORT_VALUE))),
            last.map(|c| format!("{value}{}", c.to_string().repeat(SHORT_VALUE))),
        ];
        for value in std::iter::once(value.to_owned()).chain(long_variants.into_iter().flatten()) {
            assert_eq!(
                dfa.is_match(value.as_bytes()),
                regex.is_match(&value),
                "{source} on {value:?}"
            );
        }
    }

    /// Realistic values, each cut short at every length and changed at every position:
    /// literals and counted classes are entered, left early and broken everywhere.
    #[test]
    fn the_dfa_agrees_with_the_regex_crate_around_real_values() {
        let sources = [
            "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)",
            "arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
        ];
        let seeds = [
            "arn:aws:sqs:us-east-1:111111111111:q",
            "arn:aws-us-gov:kafka:us-gov-west-1:123456789012:cluster/c/1",
            "arn:aws:lambda:us-east-1:123456789012:event-source-mapping:1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f",
            "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST",
            "123456789012:function:f",
        ];
        let mut values = Vec::new();
        for seed in seeds {
            for cut in 0..=seed.len() {
                values.push(seed[..cut].to_string());
            }
            for at in 0..seed.len() {
                for with in ["a", "Z", "0", ":", "-", "$", "\n", "é", ""] {
                    values.push(format!("{}{with}{}", &seed[..at], &seed[at + 1..]));
                }
            }
        }
        for source in sources {
            let translated = whole_value(&translate_ecma(source));
            let dfa = AnchoredDfa::new(&translated, false).unwrap();
            let regex = regex::Regex::new(&translated).unwrap();
            for value in &values {
                assert_agrees(&dfa, &regex, value, source);
            }
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
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
            "system\\x2e",
            "",
            ".{0,3}",
            "\\w*$",
        ] {
            let translated = whole_value(&translate_ecma(source));
            let dfa = AnchoredDfa::new(&translated, false).unwrap();
            let regex = regex::Regex::new(&translated).unwrap();
            for value in &values {
                assert_agrees(&dfa, &regex, value, source);
            }
            // As a look-ahead body: any match from the start.
            let body = format!("^(?:{})", translate_ecma(source));
            let dfa = AnchoredDfa::new(&body, true).unwrap();
            let regex = regex::Regex::new(&body).unwrap();
            for value in &values {
                assert_eq!(dfa.is_match(value.as_bytes()), regex.is_match(value), "prefix {source} on {value:?}");
            }
        }
    }
}
