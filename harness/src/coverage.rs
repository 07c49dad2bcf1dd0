//! Which cases exercise each constraint of the spec, each overlay rule and each operation, for
//! `conform spec coverage`. Coverage is decided by evaluation, never by what a case says about
//! itself: every step's request is rendered with stand-in fixtures and run through the
//! generated validators ([`crate::standin`]). A constraint (an operation's member path and
//! kind) is exercised by a step that breaks it, since AWS reports every broken constraint at
//! once; a rule by a step that reaches the rules (no broken constraint, and for an update a
//! mapping to read) and that the rule answers, since AWS answers with the first rule that
//! fires; an operation by any step that calls it.
//!
//! Out of scope: what needs the emulator's state rather than the request (whether the function
//! and the event source exist, duplicate mappings) is the emulator's behaviour, not a rule of
//! the overlay. A label's `required` is its HTTP binding's (a request without the label is
//! another route), and a pattern that every value matches, as AWS applies it, cannot be broken;
//! both are listed as not counted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use conform_models::{operations, RULES};
use conform_spec::Model;
use serde::Serialize;
use serde_json::Value;

use crate::case::Case;
use crate::standin;

/// What the coverage leaves out, said in every output.
pub const SCOPE: &str =
    "not in scope: whether the function and the event source exist, and duplicate mappings: \
    these need the emulator's state, and are its behaviour, not overlay rules";

/// One constraint: a member's `required`, `length`, `range`, `pattern` or `enum` in one
/// operation's input.
#[derive(Debug, Clone, Serialize)]
pub struct ConstraintCoverage {
    pub operation: String,
    pub path: String,
    pub kind: String,
    /// The constraint as the model states it: `1..10000`, `/pattern/`, `[A, B]`.
    pub detail: String,
    pub cases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleCoverage {
    pub id: String,
    pub operations: Vec<String>,
    pub cases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationCoverage {
    pub operation: String,
    pub cases: Vec<String>,
}

/// A constraint the model declares that coverage does not count, and why.
#[derive(Debug, Clone, Serialize)]
pub struct NotCounted {
    pub operation: String,
    pub path: String,
    pub kind: String,
    pub why: String,
}

/// The coverage of a set of cases.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub cases: usize,
    pub constraints: Vec<ConstraintCoverage>,
    pub rules: Vec<RuleCoverage>,
    pub operations: Vec<OperationCoverage>,
    pub not_counted: Vec<NotCounted>,
    /// Steps the validators could not read (malformed on purpose): `case / step: why`.
    pub unchecked: Vec<String>,
}

/// Computes the coverage of `cases` over the project's spec and overlay.
pub fn compute(cases: &[Case]) -> Result<Coverage, String> {
    let model = Model::from_json(
        conform_models::spec::MODEL_JSON,
        conform_models::spec::MODEL_NAME,
    )
    .map_err(|e| e.to_string())?;
    compute_with(&model, cases)
}

fn compute_with(model: &Model, cases: &[Case]) -> Result<Coverage, String> {
    let mut constraints = Vec::new();
    let mut not_counted = Vec::new();
    for op in operations::ALL {
        for member in conform_spec::input_members(model, op.name).map_err(|e| e.to_string())? {
            let mut add = |kind: &str, detail: String| {
                constraints.push(ConstraintCoverage {
                    operation: op.name.to_owned(),
                    path: member.path.clone(),
                    kind: kind.to_owned(),
                    detail,
                    cases: Vec::new(),
                });
            };
            if member.required && member.location != "label" {
                add("required", String::new());
            }
            if let Some(l) = member.length {
                add("length", format!("{}..{}", opt(l.min), opt(l.max)));
            }
            if let Some(r) = &member.range {
                add(
                    "range",
                    format!("{}..{}", opt(r.min.as_ref()), opt(r.max.as_ref())),
                );
            }
            if let Some(values) = &member.enum_values {
                add("enum", format!("[{}]", values.join(", ")));
            }
            match (&member.pattern, crate::generated::checked_pattern(&member)) {
                (_, Some(pattern)) => add("pattern", format!("/{pattern}/")),
                (Some(pattern), None) => not_counted.push(NotCounted {
                    operation: op.name.to_owned(),
                    path: member.path.clone(),
                    kind: "pattern".into(),
                    why: format!(
                        "/{pattern}/ matches every value as AWS applies it (to the whole value), so no request breaks it"
                    ),
                }),
                (None, None) => {}
            }
            if member.required && member.location == "label" {
                not_counted.push(NotCounted {
                    operation: op.name.to_owned(),
                    path: member.path.clone(),
                    kind: "required".into(),
                    why: "an HTTP label: a request without it is another route, not this operation without the member".into(),
                });
            }
        }
    }
    let mut rules: Vec<RuleCoverage> = RULES
        .rules
        .iter()
        .map(|r| RuleCoverage {
            id: r.id.to_owned(),
            operations: r.operations.iter().map(|o| (*o).to_owned()).collect(),
            cases: Vec::new(),
        })
        .collect();
    let mut ops: Vec<OperationCoverage> = operations::ALL
        .iter()
        .map(|o| OperationCoverage {
            operation: o.name.to_owned(),
            cases: Vec::new(),
        })
        .collect();

    let constraint_index: BTreeMap<(String, String, String), usize> = constraints
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.operation.clone(), c.path.clone(), c.kind.clone()), i))
        .collect();
    let mut unchecked = Vec::new();
    let push = |list: &mut Vec<String>, id: &str| {
        if list.last().map(String::as_str) != Some(id) {
            list.push(id.to_owned());
        }
    };
    for case in cases {
        for outcome in standin::evaluate(case) {
            if let Some(op) = ops
                .iter_mut()
                .find(|o| outcome.routed && o.operation == outcome.operation)
            {
                push(&mut op.cases, &case.id);
            }
            if let Some(why) = &outcome.unchecked {
                unchecked.push(format!("{} / {}: {why}", case.id, outcome.step));
            }
            for hit in &outcome.shape {
                let key = (
                    outcome.operation.to_owned(),
                    hit.path.clone(),
                    hit.kind.to_owned(),
                );
                if let Some(&i) = constraint_index.get(&key) {
                    push(&mut constraints[i].cases, &case.id);
                }
            }
            if let Some(id) = outcome.answered_rule() {
                if let Some(rule) = rules.iter_mut().find(|r| r.id == id) {
                    push(&mut rule.cases, &case.id);
                }
            }
        }
    }
    Ok(Coverage {
        cases: cases.len(),
        constraints,
        rules,
        operations: ops,
        not_counted,
        unchecked,
    })
}

/// At most `max` characters, an ellipsis marking a cut (long patterns in the table).
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// One gap, as a line: `constraint CreateEventSourceMapping BatchSize range 1..10000`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap(pub String);

impl Coverage {
    fn covered<T>(items: &[T], cases: impl Fn(&T) -> &Vec<String>) -> usize {
        items.iter().filter(|i| !cases(i).is_empty()).count()
    }

    /// Everything no case exercises.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut out = Vec::new();
        for c in self.constraints.iter().filter(|c| c.cases.is_empty()) {
            out.push(Gap(format!(
                "constraint {} {} {}{}",
                c.operation,
                c.path,
                c.kind,
                if c.detail.is_empty() {
                    String::new()
                } else {
                    format!(" {}", c.detail)
                }
            )));
        }
        for r in self.rules.iter().filter(|r| r.cases.is_empty()) {
            out.push(Gap(format!("rule {} ({})", r.id, r.operations.join(", "))));
        }
        for o in self.operations.iter().filter(|o| o.cases.is_empty()) {
            out.push(Gap(format!("operation {}", o.operation)));
        }
        out
    }

    /// 0 when everything is exercised, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.gaps().is_empty())
    }

    /// `coverage: constraints 120/120, overlay rules 33/35, operations 8/8 (412 cases)`.
    pub fn summary(&self) -> String {
        format!(
            "coverage: constraints {}/{}, overlay rules {}/{}, operations {}/{} ({} cases)",
            Self::covered(&self.constraints, |c| &c.cases),
            self.constraints.len(),
            Self::covered(&self.rules, |r| &r.cases),
            self.rules.len(),
            Self::covered(&self.operations, |o| &o.cases),
            self.operations.len(),
            self.cases,
        )
    }

    /// The table: every constraint, rule and operation with the cases that exercise it (the
    /// first few; `--json` has them all), or only the gaps.
    pub fn table(&self, only_gaps: bool) -> String {
        let mut out = String::new();
        let shown = |cases: &Vec<String>| -> String {
            const FIRST: usize = 3;
            if cases.is_empty() {
                return "-".into();
            }
            let mut text = cases
                .iter()
                .take(FIRST)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if cases.len() > FIRST {
                let _ = write!(text, " (+{} more)", cases.len() - FIRST);
            }
            text
        };
        let keep = |cases: &Vec<String>| !only_gaps || cases.is_empty();

        let rows: Vec<[String; 4]> = self
            .constraints
            .iter()
            .filter(|c| keep(&c.cases))
            .map(|c| {
                [
                    c.operation.clone(),
                    c.path.clone(),
                    if c.detail.is_empty() {
                        c.kind.clone()
                    } else {
                        format!("{} {}", c.kind, clip(&c.detail, 40))
                    },
                    shown(&c.cases),
                ]
            })
            .collect();
        section(
            &mut out,
            &format!(
                "CONSTRAINTS ({}/{} exercised)",
                Self::covered(&self.constraints, |c| &c.cases),
                self.constraints.len()
            ),
            ["OPERATION", "MEMBER", "CONSTRAINT", "CASES"],
            rows,
        );
        let rows: Vec<[String; 3]> = self
            .rules
            .iter()
            .filter(|r| keep(&r.cases))
            .map(|r| [r.id.clone(), r.operations.join(","), shown(&r.cases)])
            .collect();
        section(
            &mut out,
            &format!(
                "OVERLAY RULES ({}/{} answered)",
                Self::covered(&self.rules, |r| &r.cases),
                self.rules.len()
            ),
            ["RULE", "OPERATIONS", "CASES"],
            rows,
        );
        let rows: Vec<[String; 2]> = self
            .operations
            .iter()
            .filter(|o| keep(&o.cases))
            .map(|o| [o.operation.clone(), shown(&o.cases)])
            .collect();
        section(
            &mut out,
            &format!(
                "OPERATIONS ({}/{} called)",
                Self::covered(&self.operations, |o| &o.cases),
                self.operations.len()
            ),
            ["OPERATION", "CASES"],
            rows,
        );
        if !only_gaps {
            let _ = writeln!(out, "NOT COUNTED");
            for n in &self.not_counted {
                let _ = writeln!(out, "  {} {} {}: {}", n.operation, n.path, n.kind, n.why);
            }
            if !self.unchecked.is_empty() {
                let _ = writeln!(
                    out,
                    "\nSTEPS THE VALIDATORS CANNOT READ (they call their operation, and exercise no constraint)"
                );
                for u in &self.unchecked {
                    let _ = writeln!(out, "  {u}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Everything, for scripts.
    pub fn json(&self) -> Value {
        let mut value = serde_json::to_value(self).expect("coverage serialises");
        value["summary"] = serde_json::json!({
            "constraints": { "covered": Self::covered(&self.constraints, |c| &c.cases), "total": self.constraints.len() },
            "rules": { "covered": Self::covered(&self.rules, |r| &r.cases), "total": self.rules.len() },
            "operations": { "covered": Self::covered(&self.operations, |o| &o.cases), "total": self.operations.len() },
            "gaps": self.gaps().into_iter().map(|g| g.0).collect::<Vec<_>>(),
            "scope": SCOPE,
        });
        value
    }
}

/// A titled table with aligned columns.
fn section<const N: usize>(
    out: &mut String,
    title: &str,
    header: [&str; N],
    rows: Vec<[String; N]>,
) {
    let _ = writeln!(out, "{title}");
    if rows.is_empty() {
        let _ = writeln!(out, "  (none)\n");
        return;
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut text = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                let _ = write!(text, " {cell}");
            } else {
                let pad = widths[i] - cell.chars().count();
                let _ = write!(text, " {cell}{}", " ".repeat(pad));
            }
        }
        text.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(header.to_vec()));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::parse_case;

    fn cases(texts: &[&str]) -> Vec<Case> {
        texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| parse_case(t, &format!("cases/{i}.toml")).unwrap())
            .collect()
    }

    const BATCH_ZERO: &str = r#"
id = "sqs-batch-zero"
doc = "d"
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue:own"]
[request]
FunctionName = "{function.name}"
EventSourceArn = "{queue:own.arn}"
BatchSize = 0
"#;

    #[test]
    fn a_gap_is_named_and_exits_1() {
        let coverage = compute(&cases(&[BATCH_ZERO])).unwrap();
        assert_eq!(coverage.exit_code(), 1);
        let gaps: Vec<String> = coverage.gaps().into_iter().map(|g| g.0).collect();
        for gap in [
            "constraint CreateEventSourceMapping FunctionName required",
            "constraint CreateEventSourceMapping BatchSize range 1..10000",
            "rule batch-window.required-over-10 (CreateEventSourceMapping, UpdateEventSourceMapping)",
            "operation DeleteEventSourceMapping",
        ] {
            if gap.contains("BatchSize") {
                assert!(!gaps.iter().any(|g| g == gap), "{gap} is exercised");
            } else {
                assert!(gaps.iter().any(|g| g == gap), "{gap} missing from {gaps:#?}");
            }
        }
        let batch = coverage
            .constraints
            .iter()
            .find(|c| c.path == "BatchSize" && c.operation == "CreateEventSourceMapping")
            .unwrap();
        assert_eq!(batch.cases, ["sqs-batch-zero"]);
        assert_eq!(coverage.operations[0].cases, ["sqs-batch-zero"]);
        assert!(
            coverage.summary().starts_with("coverage: constraints 1/"),
            "{}",
            coverage.summary()
        );

        let table = coverage.table(true);
        assert!(table.contains("DeleteEventSourceMapping"), "{table}");
        assert!(!table.contains("sqs-batch-zero"), "only gaps: {table}");
        let json = coverage.json();
        assert_eq!(json["summary"]["operations"]["covered"], 1);
        assert!(json["summary"]["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "operation ListTags"));
        assert_eq!(json["summary"]["scope"], SCOPE);
    }

    #[test]
    fn a_rule_counts_when_the_request_reaches_it_and_it_answers_first() {
        let coverage = compute(&cases(&[
            // A pattern breaks first: AWS never gets to the batch-window rule.
            r#"
id = "shape-first"
doc = "d"
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue:own"]
request = { FunctionName = "{function.name}", EventSourceArn = "{queue:own.arn}", BatchSize = 20, KMSKeyArn = "has space" }
"#,
            // Two rules fire; the first in AWS's order answers.
            r#"
id = "two-rules"
doc = "d"
operation = "CreateEventSourceMapping"
fixtures = ["function", "queue:own"]
request = { FunctionName = "{function.name}", EventSourceArn = "{queue:own.arn}", ParallelizationFactor = 2, BatchSize = 11 }
"#,
            // On an update, the rule reads the mapping created first.
            r#"
id = "update-reads-the-mapping"
doc = "d"
operation = "UpdateEventSourceMapping"
fixtures = ["function", "queue:own"]
[[steps]]
name = "create"
operation = "CreateEventSourceMapping"
request = { FunctionName = "{function.name}", EventSourceArn = "{queue:own.arn}" }
capture = { uuid = "UUID" }
[[steps]]
name = "update"
request = { UUID = "{capture.uuid}", BatchSize = 50 }
"#,
        ]))
        .unwrap();
        let rule = |id: &str| {
            coverage
                .rules
                .iter()
                .find(|r| r.id == id)
                .unwrap()
                .cases
                .clone()
        };
        assert_eq!(rule("fit.parallelization-factor"), ["two-rules"]);
        assert_eq!(
            rule("batch-window.required-over-10"),
            ["update-reads-the-mapping"]
        );
        let update = coverage
            .operations
            .iter()
            .find(|o| o.operation == "UpdateEventSourceMapping")
            .unwrap();
        assert_eq!(update.cases, ["update-reads-the-mapping"]);
    }

    #[test]
    fn nothing_missing_exits_0_and_labels_and_vacuous_patterns_are_not_counted() {
        let mut coverage = compute(&cases(&[BATCH_ZERO])).unwrap();
        for c in &mut coverage.constraints {
            c.cases = vec!["x".into()];
        }
        for r in &mut coverage.rules {
            r.cases = vec!["x".into()];
        }
        for o in &mut coverage.operations {
            o.cases = vec!["x".into()];
        }
        assert_eq!(coverage.exit_code(), 0);
        assert!(coverage.gaps().is_empty());
        let n = coverage.constraints.len();
        assert!(coverage.summary().contains(&format!("constraints {n}/{n}")));
        assert!(coverage
            .not_counted
            .iter()
            .any(|n| n.path == "UUID" && n.kind == "required"));
        assert!(coverage
            .not_counted
            .iter()
            .any(|n| n.path == "Queues[]" && n.kind == "pattern"));
        assert!(!coverage
            .constraints
            .iter()
            .any(|c| c.path == "UUID" || (c.path == "Queues[]" && c.kind == "pattern")));
    }
}
