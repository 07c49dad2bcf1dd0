//! Overlay rules as static data, and their evaluation: the source type of a request, then every
//! rule of the operation in AWS's order of checks. Generated code tests the rules of a request
//! on its own as code, with the helpers of [`compiled`]; the evaluation here is the reference,
//! and runs requests read with a stored resource.
//!
//! Evaluation runs from an index built once per rule set: per operation and source, the rules
//! that can apply; per source, what its defaults answer to each condition; per request type,
//! each condition's member resolved to its position, so that presence is a bit test (from
//! [`Inspect::presence`]) and values are read without matching member names.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use compact_str::CompactString;

use crate::inspect::{is_present, Inspect, Scalar};
use crate::path::{Path, Segment};
use crate::violation::{Violation, ViolationKind, ViolationValue};

pub mod compiled;
pub mod schema;

pub use compiled::{value_at, with_first_str, DefaultsRow, PlainRule};

/// One step of a member path in static data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSeg {
    Member(&'static str),
    Items,
    Keys,
    Values,
}

/// A constant a condition compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Str(&'static str),
    Num(f64),
    Bool(bool),
}

impl Literal {
    fn matches(&self, value: Scalar<'_>) -> bool {
        match (*self, value) {
            (Literal::Str(a), Scalar::Str(b)) => a == b,
            (Literal::Bool(a), Scalar::Bool(b)) => a == b,
            (Literal::Num(a), v) => v.as_f64() == Some(a),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Condition {
    Present(&'static [PathSeg]),
    Absent(&'static [PathSeg]),
    Equals(&'static [PathSeg], Literal),
    In(&'static [PathSeg], &'static [Literal]),
    NotIn(&'static [PathSeg], &'static [Literal]),
    Greater(&'static [PathSeg], f64),
    GreaterOrEqual(&'static [PathSeg], f64),
    Less(&'static [PathSeg], f64),
    LessOrEqual(&'static [PathSeg], f64),
    Outside(&'static [PathSeg], &'static [(f64, f64)]),
    PlainNameLongerThan(&'static [PathSeg], u64),
    InvalidFilterPattern(&'static [PathSeg]),
    InFuture(&'static [PathSeg]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Request,
    Resulting,
}

#[derive(Debug)]
pub struct RuleDef {
    pub id: &'static str,
    pub operations: &'static [&'static str],
    /// The first is the member the violation is reported on.
    pub paths: &'static [&'static [PathSeg]],
    pub sources: &'static [&'static str],
    pub except_sources: &'static [&'static str],
    pub on: Target,
    pub when: &'static [Condition],
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug, Default)]
pub struct SourceMatcher {
    pub arn_member: Option<&'static [PathSeg]>,
    pub arn_service: &'static [&'static str],
    pub resource_suffix: Option<&'static str>,
    pub resource_contains: Option<&'static str>,
    pub resource_prefix: Option<&'static str>,
    pub member_present: Option<&'static [PathSeg]>,
}

#[derive(Debug)]
pub struct ErrorTemplate {
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug)]
pub struct DuplicateDef {
    pub key: &'static [&'static [PathSeg]],
    pub error: &'static str,
    pub message: &'static str,
}

#[derive(Debug)]
pub struct SourceDef {
    pub id: &'static str,
    pub label: &'static str,
    pub matcher: SourceMatcher,
    pub state_transition_reason: &'static str,
    /// JSON object of the configuration's defaults for this source.
    pub defaults_json: &'static str,
    pub defaults: OnceLock<serde_json::Value>,
    pub missing: Option<ErrorTemplate>,
    pub duplicate: Option<DuplicateDef>,
}

impl SourceDef {
    /// The defaults, parsed once. Generated data is valid JSON; an empty object otherwise.
    pub fn defaults(&self) -> &serde_json::Value {
        self.defaults.get_or_init(|| {
            serde_json::from_str(self.defaults_json)
                .unwrap_or(serde_json::Value::Object(Default::default()))
        })
    }
}

impl SourceMatcher {
    /// Whether an ARN's fields (see [`arn_fields`]) fit this matcher.
    #[inline(always)]
    pub fn arn_fits(&self, fields: Option<(&str, &str)>) -> bool {
        let Some((service, resource)) = fields else {
            return false;
        };
        if !self.arn_service.is_empty() && !self.arn_service.iter().any(|s| same(s, service)) {
            return false;
        }
        self.resource_suffix.is_none_or(|s| resource.ends_with(s))
            && self.resource_prefix.is_none_or(|s| resource.starts_with(s))
            && self.resource_contains.is_none_or(|s| contains(resource, s))
    }
}

/// Out of line: the substring search needs a large stack frame, which every matcher would
/// otherwise set up.
#[inline(never)]
fn contains(text: &str, part: &str) -> bool {
    text.contains(part)
}

/// Whether two short texts are equal, compared in line: a call to `memcmp` costs more than
/// comparing a service name's few bytes.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// An ARN's service and resource, when it has all six fields (`arn:partition:service:region:
/// account:resource`, the resource keeping any further colons).
pub fn arn_fields(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    // The colons ending the partition, service, region and account: in real ARNs all within
    // the first 64 bytes, found there at once; further on, a byte at a time.
    let mut colons = crate::byte_set::positions_of(b':', rest.as_bytes());
    let mut ends = [0usize; 4];
    for end in &mut ends {
        if colons == 0 {
            return arn_fields_bytewise(rest);
        }
        *end = colons.trailing_zeros() as usize;
        colons &= colons - 1;
    }
    Some((&rest[ends[0] + 1..ends[1]], &rest[ends[3] + 1..]))
}

/// As [`arn_fields`] past the first 64 bytes.
#[cold]
fn arn_fields_bytewise(rest: &str) -> Option<(&str, &str)> {
    let mut fields = rest.splitn(5, ':');
    let service = fields.nth(1)?;
    Some((service, fields.nth(2)?))
}

impl Condition {
    fn path(&self) -> &'static [PathSeg] {
        match *self {
            Condition::Present(p)
            | Condition::Absent(p)
            | Condition::Equals(p, _)
            | Condition::In(p, _)
            | Condition::NotIn(p, _)
            | Condition::Greater(p, _)
            | Condition::GreaterOrEqual(p, _)
            | Condition::Less(p, _)
            | Condition::LessOrEqual(p, _)
            | Condition::Outside(p, _)
            | Condition::PlainNameLongerThan(p, _)
            | Condition::InvalidFilterPattern(p)
            | Condition::InFuture(p) => p,
        }
    }

    /// Whether one value found at the path passes a value condition's test (`NotIn` tests
    /// membership; the caller negates).
    #[inline(always)]
    fn test(&self, v: Scalar<'_>, now: &Now) -> bool {
        match *self {
            Condition::Present(_) | Condition::Absent(_) => true,
            Condition::Equals(_, literal) => literal.matches(v),
            Condition::In(_, set) | Condition::NotIn(_, set) => set.iter().any(|l| l.matches(v)),
            Condition::Greater(_, n) => v.as_f64().is_some_and(|x| x > n),
            Condition::GreaterOrEqual(_, n) => v.as_f64().is_some_and(|x| x >= n),
            Condition::Less(_, n) => v.as_f64().is_some_and(|x| x < n),
            Condition::LessOrEqual(_, n) => v.as_f64().is_some_and(|x| x <= n),
            Condition::Outside(_, ranges) => v
                .as_f64()
                .is_some_and(|x| !ranges.iter().any(|(lo, hi)| x >= *lo && x <= *hi)),
            Condition::PlainNameLongerThan(_, max) => {
                // No more characters than bytes: a short name needs neither scan.
                matches!(v, Scalar::Str(s) if s.len() as u64 > max
                    && !s.contains(':')
                    && s.chars().count() as u64 > max)
            }
            Condition::InvalidFilterPattern(_) => {
                matches!(v, Scalar::Str(s) if !crate::filter_pattern::is_valid(s))
            }
            Condition::InFuture(_) => v.as_f64().is_some_and(|x| now.is_before(x)),
        }
    }
}

/// All the overlay's data for one model.
#[derive(Debug)]
pub struct RuleSet {
    pub validation_error: &'static str,
    pub sources: &'static [&'static SourceDef],
    pub rules: &'static [RuleDef],
    /// Built from the above on first use (`RuleIndex::new()` in generated code).
    pub index: RuleIndex,
}

/// What rules may read besides the request.
#[derive(Clone, Copy)]
pub struct RuleContext<'a> {
    /// The stored resource an update applies to.
    pub existing: Option<&'a dyn Inspect>,
    /// Now, in epoch seconds, for rules about the future. NaN (the default) reads the clock
    /// when a rule needs it.
    pub now: f64,
}

impl Default for RuleContext<'_> {
    fn default() -> Self {
        RuleContext {
            existing: None,
            now: f64::NAN,
        }
    }
}

/// The clock, read at most once per evaluation and only if a rule about the future needs it.
pub struct Now {
    given: f64,
    read: OnceCell<f64>,
}

impl Now {
    /// `given` epoch seconds, or the clock when `given` is NaN.
    pub fn new(given: f64) -> Now {
        Now {
            given,
            read: OnceCell::new(),
        }
    }

    /// Whether now is before epoch seconds `x`. A time no later than the process's latest
    /// clock reading is in the past without a new reading (on this machine a reading costs
    /// more than the rest of a request's rules); that takes the clock as not stepping back.
    fn is_before(&self, x: f64) -> bool {
        if self.given.is_nan() && x <= f64::from_bits(LATEST_READING.load(Ordering::Relaxed)) {
            return false;
        }
        x > self.get()
    }

    fn get(&self) -> f64 {
        if self.given.is_nan() {
            *self.read.get_or_init(|| {
                let read = crate::timestamp::Timestamp::now().0;
                // Non-negative floats order as their bits do.
                if read >= 0.0 {
                    LATEST_READING.fetch_max(read.to_bits(), Ordering::Relaxed);
                }
                read
            })
        } else {
            self.given
        }
    }
}

/// The latest clock reading of any [`Now`] in this process, as `f64` bits (0: none yet).
static LATEST_READING: AtomicU64 = AtomicU64::new(0);

impl RuleSet {
    /// The request's source: the first whose matcher holds, reading the request and then the
    /// stored resource.
    pub fn classify(
        &self,
        request: &dyn Inspect,
        existing: Option<&dyn Inspect>,
    ) -> Option<&'static SourceDef> {
        let index = self.index();
        self.classify_slot(index, request, existing, None)
            .map(|slot| self.sources[slot])
    }

    /// As [`RuleSet::classify`], the source's position. No allocation; when the matchers read
    /// one ARN path (as usual), the ARN is read (by position when `fast` resolves it) and split
    /// once.
    fn classify_slot(
        &self,
        index: &Index,
        request: &dyn Inspect,
        existing: Option<&dyn Inspect>,
        fast: Option<(u64, &Resolved)>,
    ) -> Option<usize> {
        // A request that has none of the members the matchers read (an Update's) names no
        // source: without the stored resource, the source is unknown, not unrecognized.
        if existing.is_none() {
            let names_source = match fast {
                Some((_, resolved)) => resolved.names_source,
                None => index.names_source(request.members()),
            };
            if !names_source {
                return None;
            }
        }
        let both = [request, existing.unwrap_or(request)];
        let layers = if existing.is_some() {
            &both[..]
        } else {
            &both[..1]
        };
        match index.arn_paths.as_slice() {
            [path] => {
                let member = fast.and_then(|(bits, r)| Some((bits, r.arn_members[0]?)));
                with_first_string(layers, path, member, |arn| {
                    let fields = arn.and_then(arn_fields);
                    self.first_fitting(layers, |m| m.arn_fits(fields))
                })
            }
            _ => self.first_fitting(layers, |m| {
                let path = m.arn_member.unwrap_or_default();
                with_first_string(layers, path, None, |arn| {
                    m.arn_fits(arn.and_then(arn_fields))
                })
            }),
        }
    }

    /// The first source whose matcher holds, `arn_fits` telling whether its ARN fits.
    fn first_fitting(
        &self,
        layers: &[&dyn Inspect],
        arn_fits: impl Fn(&SourceMatcher) -> bool,
    ) -> Option<usize> {
        self.sources.iter().position(|source| {
            let m = &source.matcher;
            m.member_present
                .is_none_or(|path| layers.iter().any(|l| is_present(*l, path)))
                && (m.arn_member.is_none() || arn_fits(m))
        })
    }

    /// The evaluation index, built on first use.
    fn index(&self) -> &Index {
        self.index.0.get_or_init(|| Index::build(self))
    }

    pub fn source(&self, id: &str) -> Option<&'static SourceDef> {
        self.sources.iter().copied().find(|s| s.id == id)
    }

    /// Every rule of `operation` that fires, in AWS's order of checks.
    pub fn evaluate(
        &self,
        operation: &str,
        request: &dyn Inspect,
        context: RuleContext<'_>,
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        self.evaluate_into(operation, request, context, &mut out);
        out
    }

    /// As [`RuleSet::evaluate`], appending to `out` (after the shape violations, say).
    pub fn evaluate_into(
        &self,
        operation: &str,
        request: &dyn Inspect,
        context: RuleContext<'_>,
        out: &mut Vec<Violation>,
    ) {
        let index = self.index();
        // Generated code passes the same literal: its address usually answers.
        let Some(op) = index
            .operations
            .iter()
            .find(|o| std::ptr::eq(o.name, operation) || o.name == operation)
        else {
            return;
        };
        let fast = request
            .presence()
            .and_then(|bits| Some((bits, op.resolved(self, index, request)?)));
        let slot = self.classify_slot(index, request, context.existing, fast);
        let slot_index = slot.unwrap_or(self.sources.len());
        if op.by_source[slot_index].is_empty() {
            return;
        }
        let defaults = slot.map(|s| self.sources[s].defaults() as &dyn Inspect);
        // The layers rules read, built once rather than per rule.
        let mut request_layers: [&dyn Inspect; 2] = [request; 2];
        let mut request_len = 1;
        let mut resulting: [&dyn Inspect; 3] = [request; 3];
        let mut resulting_len = 1;
        if let Some(existing) = context.existing {
            resulting[resulting_len] = existing;
            resulting_len += 1;
        }
        if let Some(defaults) = defaults {
            request_layers[request_len] = defaults;
            request_len += 1;
            resulting[resulting_len] = defaults;
            resulting_len += 1;
        }
        let request_layers = &request_layers[..request_len];
        let resulting = &resulting[..resulting_len];
        let now = Now::new(context.now);
        match fast {
            Some((bits, resolved)) => {
                let verdicts = &index.defaults[slot_index * index.conditions..];
                let gates = &resolved.by_source[slot_index];
                // The candidate gates as bits, or (past 64 gates) every gate in turn.
                let mut candidates = resolved.filters[slot_index]
                    .as_ref()
                    .map(|f| f.candidates(bits, context.existing.is_some()));
                let mut every = 0..if candidates.is_some() { 0 } else { gates.len() };
                loop {
                    let at = match &mut candidates {
                        Some(0) => break,
                        Some(c) => {
                            let at = c.trailing_zeros() as usize;
                            *c &= *c - 1;
                            at
                        }
                        None => match every.next() {
                            Some(at) => at,
                            None => break,
                        },
                    };
                    let gate = &gates[at];
                    if bits & gate.set != gate.set || bits & gate.clear != 0 {
                        continue;
                    }
                    let rule = &self.rules[gate.rule];
                    let decided = if gate.exact {
                        Some(true)
                    } else if bits & gate.read == 0
                        && (!gate.resulting || context.existing.is_none())
                    {
                        gate.absent
                    } else {
                        None
                    };
                    if decided == Some(false) {
                        continue;
                    }
                    if decided.is_none() {
                        let start = index.starts[gate.rule];
                        let read = Read {
                            request,
                            bits,
                            existing: context.existing.filter(|_| rule.on == Target::Resulting),
                            defaults,
                            now: &now,
                        };
                        let holds = rule.when.iter().enumerate().all(|(k, c)| {
                            read.holds(c, resolved.members[start + k], verdicts[start + k])
                        });
                        if !holds {
                            continue;
                        }
                    }
                    // Every gate still to look at may fire too.
                    let to_come = candidates.map_or(every.len(), |c| c.count_ones() as usize);
                    crate::violation::push_reserving(out, to_come, || {
                        let member = resolved.first_members[gate.rule];
                        violation(
                            rule,
                            &index.templates[gate.rule],
                            request_value(rule, request, member),
                            resulting,
                        )
                    });
                }
            }
            None => {
                let rules = &op.by_source[slot_index];
                for (n, &r) in rules.iter().enumerate() {
                    let rule = &self.rules[r];
                    let values = if rule.on == Target::Resulting {
                        resulting
                    } else {
                        request_layers
                    };
                    if rule.when.iter().all(|c| holds(c, request, values, &now)) {
                        crate::violation::push_reserving(out, rules.len() - n - 1, || {
                            violation(
                                rule,
                                &index.templates[r],
                                request_value(rule, request, None),
                                resulting,
                            )
                        });
                    }
                }
            }
        }
    }
}

/// A fired rule as a violation: on its first path, with `value` (the request's value there),
/// and its message filled from the resulting layers.
fn violation(
    rule: &RuleDef,
    template: &[Piece],
    value: ViolationValue,
    placeholders: &[&dyn Inspect],
) -> Violation {
    let path = rule.paths.first().map(|p| to_path(p)).unwrap_or_default();
    Violation {
        path,
        shape: "",
        kind: ViolationKind::Rule {
            id: rule.id,
            error: rule.error,
            message: render_pieces(template, placeholders),
        },
        value,
    }
}

/// A fired rule's value: what `visit` finds, several values (through a list or a map) in
/// brackets, none as null.
fn value_of(visit: impl FnOnce(&mut dyn FnMut(Scalar<'_>))) -> ViolationValue {
    let mut text: Option<CompactString> = None;
    let mut more: Vec<CompactString> = Vec::new();
    visit(&mut |v: Scalar<'_>| match text {
        None => text = Some(v.text()),
        Some(_) => more.push(v.text()),
    });
    match text {
        Some(text) if more.is_empty() => ViolationValue::Text(text),
        Some(text) => ViolationValue::Text(crate::text::joined(
            '[',
            std::iter::once(text).chain(more),
            ']',
        )),
        None => ViolationValue::Null,
    }
}

/// A fired rule's value read from the request at its first path, by `member` (the position of
/// the path's first member) when resolved.
fn request_value(rule: &RuleDef, request: &dyn Inspect, member: Option<usize>) -> ViolationValue {
    value_of(|found| match (rule.paths.first(), member) {
        // By position when resolved: reading by name matches member names one by one.
        (Some(first), Some(member)) => request.inspect_member(member, &first[1..], found),
        (Some(first), None) => request.inspect(first, found),
        (None, _) => {}
    })
}

/// A rule set's evaluation index, built on first use.
#[derive(Default)]
pub struct RuleIndex(OnceLock<Index>);

impl RuleIndex {
    pub const fn new() -> RuleIndex {
        RuleIndex(OnceLock::new())
    }
}

impl std::fmt::Debug for RuleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "RuleIndex(built)"
        } else {
            "RuleIndex(not built)"
        })
    }
}

struct Index {
    /// Per rule, where its conditions start in the per-condition tables.
    starts: Vec<usize>,
    /// How many conditions all the rules have.
    conditions: usize,
    /// Per source (its position; one past the last for none) and condition: what the source's
    /// defaults answer, at `slot * conditions + condition`.
    defaults: Vec<Verdict>,
    /// Per rule, its message template, parsed.
    templates: Vec<Vec<Piece>>,
    operations: Vec<OperationIndex>,
    /// The distinct ARN paths the sources' matchers read.
    arn_paths: Vec<&'static [PathSeg]>,
    /// The first members of every path the sources' matchers read.
    source_members: Vec<&'static str>,
}

/// What one layer answers to a value condition.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// No value at the path: the next layer decides.
    Nothing,
    /// Values at the path; whether any passes the test.
    Found(bool),
    /// Depends on the time; read when needed.
    Dynamic,
}

struct OperationIndex {
    name: &'static str,
    /// Per source (as `Index::defaults`), the operation's rules that apply to it, in order.
    by_source: Vec<Vec<usize>>,
    /// Conditions resolved against the first request type seen (the operation's input).
    resolved: OnceLock<Option<Resolved>>,
}

struct Resolved {
    /// The request type's members, as `Inspect::members` gave them.
    names: &'static [&'static str],
    /// Per condition, the position of its path's first member among `names`.
    members: Vec<Option<usize>>,
    /// Per source (as `OperationIndex::by_source`), the operation's rules with the presence
    /// each needs.
    by_source: Vec<Vec<Gate>>,
    /// Per ARN path (as `Index::arn_paths`), the position of its first member.
    arn_members: Vec<Option<usize>>,
    /// Whether the request type has a member the sources' matchers read.
    names_source: bool,
    /// Per rule, the position of its first path's first member (where its violations are
    /// reported).
    first_members: Vec<Option<usize>>,
    /// Per source, its gates by field (when there are at most 64 of them).
    filters: Vec<Option<Box<GateFilter>>>,
}

/// A source's gates as bits by position, indexed by the members that can trigger them, so that
/// a request with few members present looks at few gates. A superset of the gates that pass:
/// the evaluation still tests each one.
struct GateFilter {
    /// Gates that may fire whatever is present.
    always: u64,
    /// Per member bit: the gates it can trigger. A gate needing members present is listed under
    /// one of them; one the defaults rule out while its `read` members are absent, under each of
    /// those.
    triggered: [u64; 64],
    /// Members that trigger any gate.
    triggers: u64,
    /// Gates on the resulting resource that a stored resource can trigger.
    with_existing: u64,
}

impl GateFilter {
    fn new(gates: &[Gate]) -> Option<Box<GateFilter>> {
        if gates.len() > 64 {
            return None;
        }
        let mut f = Box::new(GateFilter {
            always: 0,
            triggered: [0; 64],
            triggers: 0,
            with_existing: 0,
        });
        for (g, gate) in gates.iter().enumerate() {
            let bit = 1u64 << g;
            let mut on = |members: u64| {
                let mut members = members;
                while members != 0 {
                    f.triggered[members.trailing_zeros() as usize] |= bit;
                    f.triggers |= 1 << members.trailing_zeros();
                    members &= members - 1;
                }
            };
            if gate.set != 0 {
                // Its lowest needed member: absent, the gate cannot pass.
                on(gate.set & gate.set.wrapping_neg());
            } else if !gate.exact && gate.absent == Some(false) {
                on(gate.read);
                if gate.resulting {
                    f.with_existing |= bit;
                }
            } else {
                f.always |= bit;
            }
        }
        Some(f)
    }

    /// The gates `bits` may let through (and a stored resource, when `existing`).
    #[inline]
    fn candidates(&self, bits: u64, existing: bool) -> u64 {
        let mut out = self.always;
        if existing {
            out |= self.with_existing;
        }
        let mut present = bits & self.triggers;
        while present != 0 {
            out |= self.triggered[present.trailing_zeros() as usize];
            present &= present - 1;
        }
        out
    }
}

/// A rule, with the presence bits it needs set and clear to fire; `exact` when that is all it
/// needs. Otherwise, when none of the `read` members is in the request (and no stored resource
/// is read), the defaults decide the rest: `absent` is that outcome, if fixed.
#[derive(Debug, Clone, Copy)]
struct Gate {
    rule: usize,
    set: u64,
    clear: u64,
    exact: bool,
    read: u64,
    absent: Option<bool>,
    resulting: bool,
}

/// A message template: text and `{Path}` placeholders.
enum Piece {
    Text(&'static str),
    Path(Vec<PathSeg>),
}

impl Index {
    fn build(set: &RuleSet) -> Index {
        let mut starts = Vec::with_capacity(set.rules.len());
        let mut conditions = 0;
        for rule in set.rules {
            starts.push(conditions);
            conditions += rule.when.len();
        }
        let slots = set.sources.len() + 1;
        let mut defaults = vec![Verdict::Nothing; slots * conditions];
        let never = Now::new(0.0);
        for (slot, source) in set.sources.iter().enumerate() {
            let layer = source.defaults();
            for (r, rule) in set.rules.iter().enumerate() {
                for (k, c) in rule.when.iter().enumerate() {
                    defaults[slot * conditions + starts[r] + k] = match c {
                        Condition::Present(_) | Condition::Absent(_) => Verdict::Nothing,
                        Condition::InFuture(_) => match layer_verdict(layer, c.path(), |_| true) {
                            Verdict::Nothing => Verdict::Nothing,
                            _ => Verdict::Dynamic,
                        },
                        _ => layer_verdict(layer, c.path(), |v| c.test(v, &never)),
                    };
                }
            }
        }
        let mut names: Vec<&'static str> = Vec::new();
        for rule in set.rules {
            for op in rule.operations {
                if !names.contains(op) {
                    names.push(op);
                }
            }
        }
        let operations = names
            .into_iter()
            .map(|name| OperationIndex {
                name,
                by_source: (0..slots)
                    .map(|slot| {
                        (0..set.rules.len())
                            .filter(|&r| {
                                let rule = &set.rules[r];
                                // As `conform_spec::Rule::applies_to`, which generated
                                // rule code goes by.
                                let fits = match set.sources.get(slot) {
                                    Some(source) => {
                                        (rule.sources.is_empty()
                                            || rule.sources.contains(&source.id))
                                            && !rule.except_sources.contains(&source.id)
                                    }
                                    // No source known: only the rules of every source.
                                    None => {
                                        rule.sources.is_empty() && rule.except_sources.is_empty()
                                    }
                                };
                                rule.operations.contains(&name) && fits
                            })
                            .collect()
                    })
                    .collect(),
                resolved: OnceLock::new(),
            })
            .collect();
        let mut arn_paths: Vec<&'static [PathSeg]> = Vec::new();
        let mut source_members: Vec<&'static str> = Vec::new();
        for source in set.sources {
            if let Some(path) = source.matcher.arn_member {
                if !arn_paths.contains(&path) {
                    arn_paths.push(path);
                }
            }
            for path in [source.matcher.arn_member, source.matcher.member_present] {
                if let Some(PathSeg::Member(name)) = path.and_then(|p| p.first()) {
                    if !source_members.contains(name) {
                        source_members.push(name);
                    }
                }
            }
        }
        Index {
            starts,
            conditions,
            defaults,
            templates: set
                .rules
                .iter()
                .map(|r| parse_template(r.message))
                .collect(),
            operations,
            arn_paths,
            source_members,
        }
    }

    /// Whether a request with these members can name its source (a type that does not list
    /// its members, a JSON value say, may).
    fn names_source(&self, members: &[&str]) -> bool {
        members.is_empty() || members.iter().any(|m| self.source_members.contains(m))
    }
}

impl OperationIndex {
    /// The resolution for `request`'s type, when it is the type resolved for (generated
    /// structures name a static list of members, so the address identifies the type).
    fn resolved(&self, set: &RuleSet, index: &Index, request: &dyn Inspect) -> Option<&Resolved> {
        let names = request.members();
        // A request that is not a generated structure (JSON, a wrapper) must not claim the
        // resolution the operation's input type would get.
        if names.is_empty() {
            return None;
        }
        let resolved = self
            .resolved
            .get_or_init(|| Resolved::build(set, index, &self.by_source, names))
            .as_ref()?;
        (std::ptr::eq(resolved.names, names)).then_some(resolved)
    }
}

impl Resolved {
    fn build(
        set: &RuleSet,
        index: &Index,
        by_source: &[Vec<usize>],
        names: &'static [&'static str],
    ) -> Option<Resolved> {
        if names.is_empty() || names.len() > 64 {
            return None;
        }
        let position = |path: &[PathSeg]| match path.first() {
            Some(PathSeg::Member(name)) => names.iter().position(|n| n == name),
            _ => None,
        };
        let mut members = vec![None; index.conditions];
        for (r, rule) in set.rules.iter().enumerate() {
            for (k, c) in rule.when.iter().enumerate() {
                members[index.starts[r] + k] = position(c.path());
            }
        }
        let gate = |slot: usize, r: usize| {
            let rule = &set.rules[r];
            let mut gate = Gate {
                rule: r,
                set: 0,
                clear: 0,
                exact: true,
                read: 0,
                absent: Some(true),
                resulting: rule.on == Target::Resulting,
            };
            for (k, c) in rule.when.iter().enumerate() {
                let at = index.starts[r] + k;
                let Some(i) = members[at] else {
                    gate.exact = false;
                    gate.absent = None;
                    continue;
                };
                let bit = 1u64 << i;
                match c {
                    Condition::Present(path) => {
                        gate.set |= bit;
                        if path.len() > 1 {
                            gate.exact = false;
                            gate.read |= bit;
                        }
                    }
                    Condition::Absent(path) if path.len() == 1 => gate.clear |= bit,
                    // Absent from the request, a deeper path is absent too.
                    Condition::Absent(_) => {
                        gate.exact = false;
                        gate.read |= bit;
                    }
                    _ => {
                        gate.exact = false;
                        gate.read |= bit;
                        // With the member absent from the request, the defaults answer.
                        let any = match index.defaults[slot * index.conditions + at] {
                            Verdict::Nothing => Some(false),
                            Verdict::Found(hit) => Some(hit),
                            Verdict::Dynamic => None,
                        };
                        let holds = if matches!(c, Condition::NotIn(..)) {
                            any.map(|a| !a)
                        } else {
                            any
                        };
                        gate.absent = gate.absent.zip(holds).map(|(a, b)| a && b);
                    }
                }
            }
            gate
        };
        let by_source: Vec<Vec<Gate>> = by_source
            .iter()
            .enumerate()
            .map(|(slot, rules)| rules.iter().map(|&r| gate(slot, r)).collect())
            .collect();
        Some(Resolved {
            names,
            members: members.clone(),
            filters: by_source.iter().map(|g| GateFilter::new(g)).collect(),
            by_source,
            arn_members: index.arn_paths.iter().map(|p| position(p)).collect(),
            names_source: index.names_source(names),
            first_members: set
                .rules
                .iter()
                .map(|r| r.paths.first().and_then(|p| position(p)))
                .collect(),
        })
    }
}

/// The layers a condition reads, for the indexed evaluation.
struct Read<'a> {
    request: &'a dyn Inspect,
    bits: u64,
    /// The stored resource, for rules on the resulting resource.
    existing: Option<&'a dyn Inspect>,
    defaults: Option<&'a dyn Inspect>,
    now: &'a Now,
}

impl Read<'_> {
    /// As [`holds`], with the request's presence bits and `member` (the position of the path's
    /// first member) instead of names, and the defaults' precomputed `verdict`.
    fn holds(&self, c: &Condition, member: Option<usize>, verdict: Verdict) -> bool {
        match c {
            Condition::Present(path) => self.present(path, member),
            Condition::Absent(path) => !self.present(path, member),
            Condition::NotIn(..) => !self.any_value(c, member, verdict),
            _ => self.any_value(c, member, verdict),
        }
    }

    fn present(&self, path: &[PathSeg], member: Option<usize>) -> bool {
        match member {
            Some(i) => {
                self.bits & (1 << i) != 0
                    && (path.len() == 1 || {
                        let mut found = false;
                        self.request
                            .inspect_member(i, &path[1..], &mut |_| found = true);
                        found
                    })
            }
            None => is_present(self.request, path),
        }
    }

    /// As [`any_value`] over the request, the stored resource and the defaults.
    #[inline]
    fn any_value(&self, c: &Condition, member: Option<usize>, verdict: Verdict) -> bool {
        let path = c.path();
        let test = |v: Scalar<'_>| c.test(v, self.now);
        let from_request = match member {
            Some(i) if self.bits & (1 << i) == 0 => Verdict::Nothing,
            // A string member is read straight; anything else through the callback.
            Some(i) => match member_text(self.request, i, &path[1..]) {
                Some(text) => Verdict::Found(test(Scalar::Str(text))),
                None => verdict_of(&test, |found| {
                    self.request.inspect_member(i, &path[1..], found)
                }),
            },
            None => layer_verdict(self.request, path, test),
        };
        if let Verdict::Found(hit) = from_request {
            return hit;
        }
        if let Some(existing) = self.existing {
            if let Verdict::Found(hit) = layer_verdict(existing, path, test) {
                return hit;
            }
        }
        defaults_hold(verdict, || self.defaults, path, test)
    }
}

/// What the defaults answer to a value condition the request has no value for: `verdict`, as the
/// index worked it out for the source, unless it depends on the clock, when `defaults` are read.
#[inline]
fn defaults_hold<'a>(
    verdict: Verdict,
    defaults: impl FnOnce() -> Option<&'a dyn Inspect>,
    path: &[PathSeg],
    test: impl Fn(Scalar<'_>) -> bool,
) -> bool {
    match verdict {
        Verdict::Found(hit) => hit,
        Verdict::Dynamic => defaults()
            .is_some_and(|defaults| layer_verdict(defaults, path, test) == Verdict::Found(true)),
        Verdict::Nothing => false,
    }
}

/// Whether `layer` has values at `path`, and if so whether any passes `test`.
fn layer_verdict(
    layer: &dyn Inspect,
    path: &[PathSeg],
    test: impl Fn(Scalar<'_>) -> bool,
) -> Verdict {
    verdict_of(&test, |found| layer.inspect(path, found))
}

/// Whether `visit` reports any value, and if so whether any passes `test`.
fn verdict_of(
    test: &impl Fn(Scalar<'_>) -> bool,
    visit: impl FnOnce(&mut dyn FnMut(Scalar<'_>)),
) -> Verdict {
    let (mut seen, mut hit) = (false, false);
    visit(&mut |v| {
        seen = true;
        hit = hit || test(v);
    });
    if seen {
        Verdict::Found(hit)
    } else {
        Verdict::Nothing
    }
}

/// Member `index` of `layer` read straight, when the path ends there and it is a string; else
/// the caller reads it through `inspect_member`.
#[inline]
fn member_text<'a>(layer: &'a dyn Inspect, index: usize, rest: &[PathSeg]) -> Option<&'a str> {
    if rest.is_empty() {
        layer.member_str(index)
    } else {
        None
    }
}

fn to_path(segments: &[PathSeg]) -> Path {
    // Pushed one by one: collecting a filtered iterator goes through the generic extend.
    let mut path = Path::root();
    for segment in segments {
        if let PathSeg::Member(name) = segment {
            path.0.push(Segment::Member(name));
        }
    }
    path
}

fn holds(condition: &Condition, request: &dyn Inspect, values: &[&dyn Inspect], now: &Now) -> bool {
    match *condition {
        Condition::Present(path) => is_present(request, path),
        Condition::Absent(path) => !is_present(request, path),
        Condition::NotIn(path, _) => !any_value(values, path, |v| condition.test(v, now)),
        _ => any_value(values, condition.path(), |v| condition.test(v, now)),
    }
}

/// Tests the values at `path` in the first layer that has any.
fn any_value(
    layers: &[&dyn Inspect],
    path: &[PathSeg],
    mut test: impl FnMut(Scalar<'_>) -> bool,
) -> bool {
    for layer in layers {
        let (mut seen, mut hit) = (false, false);
        layer.inspect(path, &mut |v| {
            seen = true;
            hit = hit || test(v);
        });
        if seen {
            return hit;
        }
    }
    false
}

/// Calls `then` with the first string at `path` in the first layer that has one; `member`
/// (presence bits, position of the path's first member) reads the first layer by position.
fn with_first_string<R>(
    layers: &[&dyn Inspect],
    path: &[PathSeg],
    member: Option<(u64, usize)>,
    then: impl FnOnce(Option<&str>) -> R,
) -> R {
    let mut first = FirstString::new(then);
    for (n, layer) in layers.iter().enumerate() {
        let mut found = |v: Scalar<'_>| first.found(v);
        match member {
            Some((bits, i)) if n == 0 => {
                if bits & (1 << i) != 0 {
                    match member_text(*layer, i, &path[1..]) {
                        Some(text) => found(Scalar::Str(text)),
                        None => layer.inspect_member(i, &path[1..], &mut found),
                    }
                }
            }
            _ => layer.inspect(path, &mut found),
        }
        if first.result.is_some() {
            break;
        }
    }
    first.finish()
}

/// Calls `then` once: with the first string found, or with `None` when none is. The string
/// only lives in the callback that finds it, so `then` runs there.
struct FirstString<F, R> {
    then: Option<F>,
    result: Option<R>,
}

impl<F: FnOnce(Option<&str>) -> R, R> FirstString<F, R> {
    fn new(then: F) -> Self {
        FirstString {
            then: Some(then),
            result: None,
        }
    }

    fn found(&mut self, v: Scalar<'_>) {
        if let Scalar::Str(s) = v {
            if let Some(then) = self.then.take() {
                self.result = Some(then(Some(s)));
            }
        }
    }

    fn finish(self) -> R {
        match (self.result, self.then) {
            (Some(result), _) => result,
            (None, Some(then)) => then(None),
            (None, None) => unreachable!("a result is kept as soon as `then` runs"),
        }
    }
}

/// Fills `{Path}` placeholders from the first layer holding a value; several values (through a
/// list or map) are joined with commas.
pub fn render(template: &str, layers: &[&dyn Inspect]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = matching_brace(after) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let segments = parse_path(&after[..end]);
        push_values(&mut out, &segments, layers);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// `template` as [`render`] reads it, parsed once.
fn parse_template(template: &'static str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        pieces.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 1..];
        let Some(end) = matching_brace(after) else {
            pieces.push(Piece::Text(&rest[start..]));
            return pieces;
        };
        pieces.push(Piece::Path(parse_path(&after[..end])));
        rest = &after[end + 1..];
    }
    pieces.push(Piece::Text(rest));
    pieces
}

/// A template without placeholders is its own message: nothing to build.
fn render_pieces(pieces: &[Piece], layers: &[&dyn Inspect]) -> Cow<'static, str> {
    if let [Piece::Text(text)] = pieces {
        return Cow::Borrowed(text);
    }
    let fixed: usize = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(text) => text.len(),
            Piece::Path(_) => 16,
        })
        .sum();
    let mut out = String::with_capacity(fixed);
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Path(segments) => push_values(&mut out, segments, layers),
        }
    }
    Cow::Owned(out)
}

/// Appends the values at `segments` in the first layer holding any, joined with commas.
fn push_values(out: &mut String, segments: &[PathSeg], layers: &[&dyn Inspect]) {
    for layer in layers {
        let mut any = false;
        layer.inspect(segments, &mut |v| {
            if any {
                out.push(',');
            }
            any = true;
            out.push_str(&v.text());
        });
        if any {
            break;
        }
    }
}

fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses `A.B[].C`, `M{key}`, `M{value}` into owned segments for placeholder lookups.
pub fn parse_path(text: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    for part in text.split('.') {
        let end = part.find(['[', '{']).unwrap_or(part.len());
        let (name, mut rest) = part.split_at(end);
        out.push(PathSeg::Member(leak_name(name)));
        while !rest.is_empty() {
            if let Some(tail) = rest.strip_prefix("[]") {
                out.push(PathSeg::Items);
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix("{key}") {
                out.push(PathSeg::Keys);
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix("{value}") {
                out.push(PathSeg::Values);
                rest = tail;
            } else {
                break;
            }
        }
    }
    out
}

/// Placeholder names come from static templates; interning keeps `PathSeg` `'static` without
/// leaking per call.
fn leak_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(|| Mutex::new(HashSet::new()));
    let mut names = names
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::{arn_fields, Now};
    use crate::timestamp::Timestamp;

    /// The clock decides a time after the process's latest reading, and the reading a time
    /// no later than it.
    #[test]
    fn the_future_is_read_on_the_clock() {
        let clock = Now::new(f64::NAN);
        let start = Timestamp::now().0;
        assert!(clock.is_before(start + 3600.0));
        assert!(!clock.is_before(start - 3600.0));
        // After a reading, times before it and between it and the clock.
        let later = Now::new(f64::NAN);
        assert!(!later.is_before(later.get() - 0.001));
        assert!(!later.is_before(Timestamp::now().0 - 0.001));
        assert!(later.is_before(Timestamp::now().0 + 60.0));
        // A given now is the only one read, even for a time long before the latest reading.
        let given = Now::new(100.0);
        assert!(given.is_before(100.5));
        assert!(!given.is_before(99.5));
    }

    #[test]
    fn arn_fields_split_as_six_fields() {
        fn by_splitn(arn: &str) -> Option<(&str, &str)> {
            let mut fields = arn.splitn(6, ':');
            match (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) {
                (Some("arn"), _, Some(service), _, _, Some(resource)) => Some((service, resource)),
                _ => None,
            }
        }
        for arn in [
            "arn:aws:sqs:us-east-1:111111111111:q",
            "arn:aws:kafka:us-east-1:111111111111:cluster/c/1a2b3c4d",
            "arn:aws:mq:us-east-1:111111111111:broker:b:b-1",
            "arn:aws:s3:::bucket",
            "arn:aws:sqs:us-east-1:111111111111:",
            "arn:aws:sqs:us-east-1:111111111111",
            "arn::::",
            "arn:::::",
            "arn:aws:sqs",
            "arn",
            "arn:",
            "arnx:aws:sqs:r:a:q",
            "ARN:aws:sqs:r:a:q",
            "",
            ":::::",
            "arn:é:ü:r:a:ß:x",
        ] {
            assert_eq!(arn_fields(arn), by_splitn(arn), "{arn:?}");
        }
        // Colons at every offset of the eight-byte words, and bytes one off a colon.
        for before in 0..20 {
            for filler in ["x", ";", "9", "\u{ba}", "\u{3a3}"] {
                let pad = filler.repeat(before);
                let arn = format!("arn:{pad}:s{pad}:r:{pad}a:{pad}");
                assert_eq!(arn_fields(&arn), by_splitn(&arn), "{arn:?}");
                let short = format!("arn:{pad}:{pad}:r{pad}");
                assert_eq!(arn_fields(&short), by_splitn(&short), "{short:?}");
            }
        }
    }
}
