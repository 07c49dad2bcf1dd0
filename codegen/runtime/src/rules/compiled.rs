//! What the overlay's rules generated as code call. Generated code classifies the request and
//! picks, per source, the rules to test in AWS's order; these functions read a value condition's
//! answer (the request's value, else the source's defaults) and report a fired rule. A request
//! read with a stored resource goes through [`RuleSet::evaluate_into`] instead.

use super::{
    defaults_hold, value_of, verdict_of, violation, Condition, FirstString, Inspect, Now, PathSeg,
    RuleSet, Scalar, SourceDef, Verdict, Violation,
};
use crate::inspect::present;
use crate::path::Path;
use crate::violation::{push_reserving, ViolationKind, ViolationValue};

/// What one source's defaults answer to every condition of the rule set (numbered across the
/// rules in order), fetched once per request by generated code.
pub struct DefaultsRow {
    verdicts: &'static [Verdict],
    source: Option<&'static SourceDef>,
}

impl DefaultsRow {
    /// Whether value condition `condition` (number `at`) holds for a request whose member
    /// `member` holds the condition's path up to `rest`. Negated for `NotIn`, as the evaluation
    /// reads it. Always in line: the condition is a constant of the generated code, so its
    /// test folds to the one variant.
    #[inline(always)]
    pub fn value_holds<T: Inspect + ?Sized>(
        &self,
        condition: &Condition,
        member: &T,
        rest: &[PathSeg],
        at: usize,
        now: &Now,
    ) -> bool {
        let test = |v: Scalar<'_>| condition.test(v, now);
        let from_request = if !present(member) {
            Verdict::Nothing
        } else if let Some(value) = member.scalar().filter(|_| rest.is_empty()) {
            Verdict::Found(test(value))
        } else {
            verdict_of(&test, |found| member.inspect(rest, found))
        };
        match from_request {
            Verdict::Found(hit) => hit != matches!(condition, Condition::NotIn(..)),
            _ => self.answer(condition, at, now),
        }
    }

    /// What value condition `condition` (number `at`) answers when the request has no value at
    /// its path: the defaults decide.
    #[inline]
    pub fn answer(&self, condition: &Condition, at: usize, now: &Now) -> bool {
        let verdict = self.verdicts.get(at).copied().unwrap_or(Verdict::Nothing);
        let defaults = || self.source.map(|s| s.defaults() as &dyn Inspect);
        let any = defaults_hold(verdict, defaults, condition.path(), |v| {
            condition.test(v, now)
        });
        any != matches!(condition, Condition::NotIn(..))
    }
}

impl RuleSet {
    /// The defaults of source `slot` (one past the last for none), for generated rule code.
    pub fn defaults_row(&'static self, slot: usize) -> DefaultsRow {
        let index = self.index();
        let start = (slot * index.conditions).min(index.defaults.len());
        let end = (start + index.conditions).min(index.defaults.len());
        DefaultsRow {
            verdicts: &index.defaults[start..end],
            source: self.sources.get(slot).copied(),
        }
    }

    /// Appends the violation of fired rule `rule` for `request` with source `slot`: `value` is
    /// the request's value at the rule's first path ([`super::value_at`]), and `to_come` how
    /// many rules are still to be tested (room is made for them at once).
    #[inline(never)]
    pub fn push_fired(
        &self,
        rule: usize,
        slot: usize,
        request: &dyn Inspect,
        value: ViolationValue,
        to_come: usize,
        out: &mut Vec<Violation>,
    ) {
        let index = self.index();
        let mut layers: [&dyn Inspect; 2] = [request; 2];
        let placeholders = match self.sources.get(slot) {
            Some(source) => {
                layers[1] = source.defaults();
                &layers[..]
            }
            None => &layers[..1],
        };
        push_reserving(out, to_come, || {
            violation(
                &self.rules[rule],
                &index.templates[rule],
                value,
                placeholders,
            )
        });
    }
}

/// A rule whose message has no placeholders: all of its violation but the value is a constant
/// of generated code, so it is built without the rule set's index or the template's pieces.
#[derive(Debug)]
pub struct PlainRule {
    pub id: &'static str,
    pub error: &'static str,
    pub message: &'static str,
    /// The member names of the rule's first path, where its violation is reported.
    pub path: &'static [&'static str],
}

impl PlainRule {
    /// Appends this rule's violation with `value`; `to_come` as for [`RuleSet::push_fired`].
    #[inline(never)]
    pub fn push(&'static self, value: ViolationValue, to_come: usize, out: &mut Vec<Violation>) {
        push_reserving(out, to_come, || Violation {
            path: Path::of_members(self.path),
            shape: "",
            kind: ViolationKind::Rule {
                id: self.id,
                error: self.error,
                message: std::borrow::Cow::Borrowed(self.message),
            },
            value,
        });
    }
}

/// Calls `then` with the first string at `rest` under `member` (a request's member), as the
/// sources' matchers read an ARN.
#[inline]
pub fn with_first_str<T: Inspect + ?Sized, R>(
    member: &T,
    rest: &[PathSeg],
    then: impl FnOnce(Option<&str>) -> R,
) -> R {
    if !present(member) {
        return then(None);
    }
    if let Some(text) = member.as_str().filter(|_| rest.is_empty()) {
        return then(Some(text));
    }
    let mut first = FirstString::new(then);
    member.inspect(rest, &mut |v| first.found(v));
    first.finish()
}

/// The value a fired rule reports, at `rest` under the request's member `member`: read straight
/// when it is a scalar.
#[inline]
pub fn value_at<T: Inspect + ?Sized>(member: &T, rest: &[PathSeg]) -> ViolationValue {
    match member.scalar().filter(|_| rest.is_empty()) {
        Some(value) => ViolationValue::Text(value.text()),
        None => value_of(|found| member.inspect(rest, found)),
    }
}
