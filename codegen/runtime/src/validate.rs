//! Shape-constraint checking: the `Validate` trait generated code implements, and the checker
//! that collects every violation with its path.

use compact_str::CompactString;
use smallvec::SmallVec;

use crate::path::{Path, Segment};
use crate::pattern::{Pattern, PatternOutcome};
use crate::text::AwsText;
use crate::violation::{ItemFailure, ItemRole, Violation, ViolationKind, ViolationValue};

/// Checks the shape constraints of a value and everything inside it.
pub trait Validate {
    fn validate_into(&self, checker: &mut Checker);
}

impl<T: Validate> Validate for Box<T> {
    fn validate_into(&self, checker: &mut Checker) {
        (**self).validate_into(checker)
    }
}

/// Collects violations while walking a value; `path` is where the walk is (inline: a walk that
/// finds nothing allocates nothing).
#[derive(Debug, Default)]
pub struct Checker {
    path: SmallVec<[Segment; 8]>,
    /// The failures of the value being checked; `report` and `item_checked` take them, so the
    /// buffer is empty before each value and is never built or dropped per value.
    failures: Failures,
    /// The failures of the scalar items of the collection being checked, with their index or
    /// key; `report_items` takes them.
    items: Vec<ItemFailure>,
    pub violations: Vec<Violation>,
    /// Where a structure was given as a JSON array, which decoding must refuse.
    pub not_an_object: Option<Path>,
}

/// The failures of one value: rarely more than one, so kept inline.
pub type Failures = SmallVec<[ViolationKind; 2]>;

/// A range bound: its value, and its text as the model writes it (for messages).
pub type RangeBound = (f64, &'static str);

/// A string or number constraint, as generated code declares it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<RangeBound>, Option<RangeBound>)>,
    pub pattern: Option<&'static Pattern>,
}

/// Every shape violation of `value`. The checker's drop glue runs only when one of its buffers
/// holds memory: for most values, nothing is left to free once they are checked. (Should a
/// check panic, the checker is leaked, not dropped: safe, and no worse than the panic.)
#[inline]
pub fn violations_of<T: Validate + ?Sized>(value: &T) -> Vec<Violation> {
    let mut checker = std::mem::ManuallyDrop::new(Checker::new());
    value.validate_into(&mut checker);
    let violations = std::mem::take(&mut checker.violations);
    if checker.holds_heap() {
        drop(std::mem::ManuallyDrop::into_inner(checker));
    }
    violations
}

impl Checker {
    #[inline]
    pub fn new() -> Checker {
        Checker::default()
    }

    #[inline]
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }

    /// Whether a buffer other than the violations may hold memory to free.
    fn holds_heap(&self) -> bool {
        // Named field by field, so that a new field must be considered here.
        let Checker {
            path,
            failures,
            items,
            violations: _,
            not_an_object,
        } = self;
        // Inline items may own memory too (a map key in a path), so any item counts.
        !path.is_empty()
            || path.spilled()
            || !failures.is_empty()
            || failures.spilled()
            || items.capacity() != 0
            || not_an_object.is_some()
    }

    #[inline]
    pub fn enter(&mut self, segment: Segment) {
        self.path.push(segment);
    }

    #[inline]
    pub fn leave(&mut self) {
        self.path.pop();
    }

    fn here(&self) -> Path {
        Path(self.path.iter().cloned().collect())
    }

    /// The structure at the current path is a JSON array.
    pub fn not_an_object(&mut self) {
        if self.not_an_object.is_none() {
            self.not_an_object = Some(self.here());
        }
    }

    /// A required member of the structure at the current path is absent.
    pub fn missing(&mut self, member: &'static str, shape: &'static str) {
        let mut segments = self.here().0;
        segments.push(Segment::Member(member));
        crate::violation::reserve(&mut self.violations, 1);
        self.violations.push(Violation {
            path: Path(segments),
            shape,
            kind: ViolationKind::Required,
            value: ViolationValue::Null,
        });
    }

    /// Where the checks of one value put their failures.
    #[inline]
    pub fn failures(&mut self) -> &mut Failures {
        &mut self.failures
    }

    /// Records each failure of the value just checked, at the current path.
    #[inline]
    pub fn report(
        &mut self,
        shape: &'static str,
        sensitive: bool,
        text: impl FnOnce() -> CompactString,
    ) {
        // Inlined so a value without failures costs one test.
        if !self.failures.is_empty() {
            self.record(shape, sensitive, text);
        }
    }

    /// As `report`, for a member of the structure at the current path: the member's segment is
    /// only added to the path when there is something to report.
    #[inline]
    pub fn report_member(
        &mut self,
        member: &'static str,
        shape: &'static str,
        sensitive: bool,
        text: impl FnOnce() -> CompactString,
    ) {
        if !self.failures.is_empty() {
            self.record_member(member, shape, sensitive, text);
        }
    }

    #[cold]
    fn record_member(
        &mut self,
        member: &'static str,
        shape: &'static str,
        sensitive: bool,
        text: impl FnOnce() -> CompactString,
    ) {
        self.enter(Segment::Member(member));
        self.record(shape, sensitive, text);
        self.leave();
    }

    #[cold]
    fn record(
        &mut self,
        shape: &'static str,
        sensitive: bool,
        text: impl FnOnce() -> CompactString,
    ) {
        let failures = std::mem::take(&mut self.failures);
        self.push_violations(shape, sensitive, text, failures);
    }

    /// One violation per kind, at the current path, each quoting the value (or withholding it).
    fn push_violations(
        &mut self,
        shape: &'static str,
        sensitive: bool,
        text: impl FnOnce() -> CompactString,
        kinds: impl IntoIterator<Item = ViolationKind>,
    ) {
        let value = if sensitive {
            ViolationValue::Withheld
        } else {
            ViolationValue::Text(text())
        };
        let mut kinds = kinds.into_iter();
        let Some(mut kind) = kinds.next() else {
            return;
        };
        crate::violation::reserve(&mut self.violations, 1 + kinds.size_hint().0);
        let path = self.here();
        // Every kind but the last copies the path and value; the last takes them.
        for next in kinds {
            self.violations.push(Violation {
                path: path.clone(),
                shape,
                kind,
                value: value.clone(),
            });
            kind = next;
        }
        self.violations.push(Violation {
            path,
            shape,
            kind,
            value,
        });
    }

    /// Keeps the failures of the collection item just checked, `at` naming its index or key.
    #[inline]
    pub fn item_checked(&mut self, at: impl FnOnce() -> CompactString) {
        if !self.failures.is_empty() {
            self.keep_item_failures(at());
        }
    }

    #[cold]
    fn keep_item_failures(&mut self, at: CompactString) {
        let failures = std::mem::take(&mut self.failures);
        self.items
            .extend(failures.into_iter().map(|kind| ItemFailure {
                at: at.clone(),
                kind,
            }));
    }

    /// Records the failures of a collection's scalar items as one violation on the collection
    /// at the current path, as AWS reports them.
    #[inline]
    pub fn report_items(
        &mut self,
        shape: &'static str,
        sensitive: bool,
        role: ItemRole,
        text: impl FnOnce() -> CompactString,
    ) {
        if !self.items.is_empty() {
            self.record_items(shape, sensitive, role, text);
        }
    }

    #[cold]
    fn record_items(
        &mut self,
        shape: &'static str,
        sensitive: bool,
        role: ItemRole,
        text: impl FnOnce() -> CompactString,
    ) {
        let failures = std::mem::take(&mut self.items);
        self.push_violations(
            shape,
            sensitive,
            text,
            [ViolationKind::Items { role, failures }],
        );
    }
}

/// How many list items are checked at most: a list far over its maximum is reported on its
/// length, without checking every item.
#[inline]
pub fn item_check_limit(max: Option<u64>) -> usize {
    match max {
        Some(max) => {
            usize::try_from(max.saturating_mul(2).max(max.saturating_add(16))).unwrap_or(usize::MAX)
        }
        None => usize::MAX,
    }
}

/// Always inlined, so that the constraints generated code passes as constants fold into a
/// few comparisons; the pattern walk stays out of line. Each check answers whether it found a
/// failure, so that generated code reports only then (and, for a value that surely fits, the
/// report folds away).
#[inline(always)]
pub fn check_string(value: &str, constraints: &Constraints, out: &mut Failures) -> bool {
    let mut failed = false;
    if let Some((min, max)) = constraints.length {
        // Length counts Unicode scalar values: from len / 4 (rounded up) to len of them, so
        // most values need no count.
        let bytes = value.len() as u64;
        let surely_fits =
            max.is_none_or(|m| bytes <= m) && min.is_none_or(|m| bytes.div_ceil(4) >= m);
        if !surely_fits {
            failed |= check_count(value.chars().count() as u64, min, max, out);
        }
    }
    if let Some(pattern) = constraints.pattern {
        failed |= check_pattern(value, pattern, out);
    }
    failed
}

#[inline(never)]
fn check_pattern(value: &str, pattern: &'static Pattern, out: &mut Failures) -> bool {
    match pattern.outcome(value) {
        PatternOutcome::Match => false,
        outcome => {
            out.push(ViolationKind::Pattern {
                pattern: pattern.source(),
                limit_exceeded: outcome == PatternOutcome::LimitExceeded,
            });
            true
        }
    }
}

#[inline]
pub fn check_count(count: u64, min: Option<u64>, max: Option<u64>, out: &mut Failures) -> bool {
    let failed = min.is_some_and(|m| count < m) || max.is_some_and(|m| count > m);
    if failed {
        out.push(ViolationKind::Length {
            min,
            max,
            actual: count,
        });
    }
    failed
}

#[inline]
pub fn check_number(value: f64, constraints: &Constraints, out: &mut Failures) -> bool {
    let Some((min, max)) = constraints.range else {
        return false;
    };
    let below = min.is_some_and(|(m, _)| value < m);
    let above = max.is_some_and(|(m, _)| value > m);
    if below || above {
        out.push(ViolationKind::Range {
            min: min.map(|(_, text)| text),
            max: max.map(|(_, text)| text),
            actual: value,
        });
    }
    below || above
}

/// Enum values outside the model's set (kept as `Unknown`) fail.
#[inline]
pub fn check_enum(unknown: bool, values: &'static [&'static str], out: &mut Failures) -> bool {
    if unknown {
        out.push(ViolationKind::Enum { values });
    }
    unknown
}

/// Renders a value for a message only when one is needed.
pub fn text_of<T: AwsText + ?Sized>(value: &T) -> impl FnOnce() -> CompactString + '_ {
    move || value.aws_text()
}
