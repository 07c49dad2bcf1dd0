//! Warns about patterns that do not do what their authors probably meant, and reports as errors
//! the constraints no value can meet: a pattern that does not compile, `min` above `max`.

use std::fmt;

use serde::Serialize;

use crate::ir::{Model, ShapeKind};
use crate::members::structure_members;
use crate::traits::Traits;

/// A warning is a pattern that runs but probably not as meant; an error, a constraint that
/// cannot be generated or met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    pub level: LintLevel,
    pub shape: String,
    /// The pattern; `None` for a finding on a length or a range.
    pub pattern: Option<String>,
    pub kind: &'static str,
    pub message: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            LintLevel::Warning => "warning",
            LintLevel::Error => "error",
        };
        write!(f, "{level}[{}]: {}: ", self.kind, self.shape)?;
        if let Some(pattern) = &self.pattern {
            write!(f, "/{pattern}/: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Lints every pattern in the model, once per shape that carries it, then every length and
/// range. The loader refuses `min` above `max`; a model built in code may still hold one.
pub fn lint(model: &Model) -> Vec<LintFinding> {
    let mut seen = std::collections::HashSet::new();
    let mut warnings = Vec::new();
    let mut check = |shape: &str, pattern: &str| {
        if seen.insert((shape.to_owned(), pattern.to_owned())) {
            warnings.extend(lint_pattern(shape, pattern));
        }
    };
    for shape in model.shapes.values() {
        if let Some(p) = &shape.traits.pattern {
            check(&shape.id, p);
        }
    }
    for (_, op) in model.operations() {
        for root in op.input.iter().chain(&op.output) {
            for member in structure_members(model, root).unwrap_or_default() {
                if let Some(p) = &member.pattern {
                    check(&member.shape, p);
                }
            }
        }
    }
    for shape in model.shapes.values() {
        warnings.extend(lint_bounds(&shape.id, &shape.traits));
        // A member's traits are effective ones: report only those it sets itself.
        for (name, member) in shape_members(&shape.kind) {
            let target = model.shape(&member.target).map(|t| &t.traits);
            let own = Traits {
                length: member
                    .traits
                    .length
                    .filter(|l| target.is_none_or(|t| t.length != Some(*l))),
                range: member
                    .traits
                    .range
                    .clone()
                    .filter(|r| target.is_none_or(|t| t.range.as_ref() != Some(r))),
                ..Traits::default()
            };
            warnings.extend(lint_bounds(&format!("{}${name}", shape.id), &own));
        }
    }
    warnings
}

/// The members of any shape that has them, by name (`member`, `key`, `value` for lists and maps).
fn shape_members(kind: &ShapeKind) -> Vec<(&str, &crate::ir::Member)> {
    match kind {
        ShapeKind::Structure { members } | ShapeKind::Union { members } => {
            members.iter().map(|m| (m.name.as_str(), m)).collect()
        }
        ShapeKind::List { member } => vec![("member", member)],
        ShapeKind::Map { key, value } => vec![("key", key), ("value", value)],
        _ => Vec::new(),
    }
}

/// A length or range whose `min` is above its `max`: no value meets it.
fn lint_bounds(shape: &str, traits: &Traits) -> Vec<LintFinding> {
    let length = traits.length.and_then(|l| l.inversion());
    let range = traits.range.as_ref().and_then(|r| r.inversion());
    [("inverted-length", length), ("inverted-range", range)]
        .into_iter()
        .filter_map(|(kind, problem)| {
            Some(LintFinding {
                level: LintLevel::Error,
                shape: shape.to_owned(),
                pattern: None,
                kind,
                message: format!("{}: no value meets it", problem?),
            })
        })
        .collect()
}

/// Lints one ECMA-262 pattern. Smithy says patterns are not anchored; AWS applies them to the
/// whole value (the recorded `esm-listtags-qualified-arn`), so both readings are checked.
pub fn lint_pattern(shape: &str, pattern: &str) -> Vec<LintFinding> {
    let finding = |level: LintLevel, kind: &'static str, message: String| LintFinding {
        level,
        shape: shape.to_owned(),
        pattern: Some(pattern.to_owned()),
        kind,
        message,
    };
    // The other findings read a pattern that runs; this one does not.
    if let Some(error) = compile_error(pattern) {
        let message = format!("does not compile: {error}");
        return vec![finding(LintLevel::Error, "invalid-pattern", message)];
    }
    let warn = |kind, message| finding(LintLevel::Warning, kind, message);
    let mut out = Vec::new();
    if is_vacuous(&whole_value(pattern)) {
        out.push(warn(
            "vacuous",
            "matches every value, so it checks nothing".into(),
        ));
    } else if is_vacuous(pattern) {
        out.push(warn(
            "unanchored-vacuous",
            "read as Smithy says (unanchored) it matches every string; AWS matches the whole value, and so does conform"
                .into(),
        ));
    }
    if has_lookaround(pattern) {
        out.push(warn(
            "look-around",
            "uses look-around, which the `regex` crate cannot run; it needs a rewrite or a bounded backtracking engine".into(),
        ));
    }
    if let Some(detail) = partial_anchor(pattern) {
        out.push(warn("partially-anchored", detail));
    }
    out
}

/// Why the pattern compiles on neither engine conform runs patterns on: the `regex` crate, then
/// `fancy-regex` for look-around and backreferences (as `conform_runtime::pattern::check`).
fn compile_error(pattern: &str) -> Option<String> {
    let whole = whole_value(pattern);
    let linear = regex::Regex::new(&whole).err()?;
    let backtracking = fancy_regex::Regex::new(&whole).err()?;
    // The regex crate draws the pattern with a caret over lines; its last line says why.
    let linear = linear.to_string();
    let why = linear.lines().last().unwrap_or_default();
    let why = why.strip_prefix("error: ").unwrap_or(why);
    Some(format!(
        "{backtracking} (the regex crate also refused it: {why})"
    ))
}

/// The pattern as AWS applies it: Java's `matches()`, which must match the whole value.
pub fn whole_value(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// True when the pattern matches every input. An unanchored pattern that can match the empty
/// string somewhere matches everything; probing varied inputs finds those, and `^.*$`-style
/// wholes.
pub fn is_vacuous(pattern: &str) -> bool {
    const PROBES: &[&str] = &[
        "", "a", "Z9", " ", "\n", "~!@#", "\u{0}", "é", "arn:x", "\\$.",
    ];
    match regex::Regex::new(pattern) {
        Ok(re) => PROBES.iter().all(|probe| re.is_match(probe)),
        Err(_) => false,
    }
}

fn has_lookaround(pattern: &str) -> bool {
    ["(?=", "(?!", "(?<=", "(?<!"]
        .iter()
        .any(|l| pattern.contains(l))
}

/// A top-level alternation whose branches do not all carry the anchors: `^a|b$` anchors only
/// its first branch at the start and its last at the end.
fn partial_anchor(pattern: &str) -> Option<String> {
    let branches = top_level_branches(pattern);
    if branches.len() < 2 {
        return None;
    }
    let starts = branches.iter().filter(|b| b.starts_with('^')).count();
    let ends = branches
        .iter()
        .filter(|b| b.ends_with('$') && !b.ends_with("\\$"))
        .count();
    let partial = |n: usize| n > 0 && n < branches.len();
    (partial(starts) || partial(ends)).then(|| {
        format!(
            "a top-level alternation of {} branches anchors only some of them; wrap it in a group: ^(...)$",
            branches.len()
        )
    })
}

fn top_level_branches(pattern: &str) -> Vec<&str> {
    let mut branches = Vec::new();
    let (mut depth, mut start, mut escaped, mut in_class) = (0i32, 0, false, false);
    for (i, c) in pattern.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth == 0 => {
                branches.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    branches.push(&pattern[start..]);
    branches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_value_reading_is_stricter() {
        assert!(is_vacuous(&whole_value("[\\s\\S]*")));
        assert!(
            !is_vacuous(&whole_value(".*")),
            "`.` does not match a newline"
        );
        assert!(!is_vacuous(&whole_value("[a-zA-Z0-9-\\/*:_+=.@-]*")));
        assert!(!is_vacuous(&whole_value(
            "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()"
        )));
    }

    #[test]
    fn vacuous_patterns() {
        for p in [
            "[\\s\\S]*",
            ".*",
            "^[\\s\\S]*$",
            "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
            "[a-zA-Z0-9-\\/*:_+=.@-]*",
        ] {
            assert!(is_vacuous(p), "{p}");
        }
        for p in [
            "^[^.]([a-zA-Z0-9\\-_.]+)",
            "arn:(aws[a-zA-Z0-9-]*):.*",
            "^$|arn:.*",
            "^$",
        ] {
            assert!(!is_vacuous(p), "{p}");
        }
    }

    #[test]
    fn partially_anchored_alternation() {
        assert!(partial_anchor("^$|arn:(aws)?:.*").is_some());
        assert!(partial_anchor("^(a|b)$").is_none());
        assert!(partial_anchor("^a$|^b$").is_none());
        assert!(partial_anchor("[|^]x").is_none());
    }

    #[test]
    fn look_around() {
        let warnings = lint_pattern("s", "(^(?!(system\\x2e)))(^[_a-zA-Z0-9])([^$]*)");
        assert!(warnings.iter().any(|w| w.kind == "look-around"));
    }
}
