//! `--report markdown=PATH`: a conformance matrix, operations down and targets across, in two
//! tables. The first gives the share of cases whose answer is AWS's golden exactly: an accepted
//! divergence is still a departure from AWS, so it counts against the target here (the run
//! itself passes with it). The second gives the share whose every step got AWS's HTTP status and
//! error code, whatever the members, headers and messages. Cases whose fixture the target cannot
//! make are counted apart, as not applicable, and so are cases the harness could not judge (its
//! own files were broken: no finding about the target). Runs against different targets into the
//! same file add their column: the data rides along in an HTML comment.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::runner::{RunSummary, Status};

const MARKER: &str = "<!-- conform-matrix ";

/// A cell: cases that match the golden, cases that apply, cases not applicable, cases with AWS's
/// outcome (statuses and error codes), cases not judged.
type Cell = (u64, u64, u64, u64, u64);

/// operation → target → cell
pub type Matrix = BTreeMap<String, BTreeMap<String, Cell>>;

/// The matrix of `existing` (what [`parse`] read from the file) with this run's column added.
pub fn render(summary: &RunSummary, existing: Matrix) -> String {
    let mut matrix = existing;
    for columns in matrix.values_mut() {
        columns.remove(&summary.target);
    }
    matrix.retain(|_, columns| !columns.is_empty());
    for r in &summary.reports {
        let cell = matrix
            .entry(r.operation.clone())
            .or_default()
            .entry(summary.target.clone())
            .or_default();
        match r.status {
            Status::Skipped => {
                cell.2 += 1;
                continue;
            }
            Status::Unjudged => {
                cell.4 += 1;
                continue;
            }
            _ => {}
        }
        cell.1 += 1;
        if r.status == Status::Pass {
            cell.0 += 1;
        }
        if r.status == Status::Pass || r.same_outcome == Some(true) {
            cell.3 += 1;
        }
    }
    let mut targets: Vec<&String> = matrix.values().flat_map(BTreeMap::keys).collect();
    targets.sort();
    targets.dedup();

    let mut out = String::from(
        "# Conformance matrix\n\nPer operation and target, the share of the cases that apply \
         (n/a: cases whose fixtures the target cannot make).\n\n",
    );
    out.push_str(
        "## Same answer as AWS\n\nStatus, error code, headers and every member as in AWS's \
         golden. An accepted divergence counts against the target.\n\n",
    );
    table(&mut out, &matrix, &targets, |c| share(c.0, c.1, c.2, c.4));
    out.push_str(
        "\n## Same outcome as AWS\n\nThe same HTTP status and error code at every step (a \
         request accepted or rejected as AWS does), whatever the members, headers and \
         messages.\n\n",
    );
    table(&mut out, &matrix, &targets, |c| share(c.3, c.1, 0, 0));
    let data: BTreeMap<&String, Value> = matrix
        .iter()
        .map(|(op, cols)| {
            (
                op,
                json!(cols
                    .iter()
                    .map(|(t, &(ok, n, na, outcome, unjudged))| {
                        // The fifth count only when there is one: files stay as they were.
                        let mut counts = vec![ok, n, na, outcome];
                        counts.extend((unjudged > 0).then_some(unjudged));
                        (t.clone(), json!(counts))
                    })
                    .collect::<serde_json::Map<_, _>>()),
            )
        })
        .collect();
    out.push_str(&format!("\n{MARKER}{} -->\n", json!(data)));
    out
}

/// One table: a row per operation, then the totals.
fn table(out: &mut String, matrix: &Matrix, targets: &[&String], cell: impl Fn(Cell) -> String) {
    out.push_str("| operation |");
    for t in targets {
        out.push_str(&format!(" {t} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(targets.len()));
    out.push('\n');
    let mut totals: BTreeMap<&String, Cell> = BTreeMap::new();
    for (operation, columns) in matrix {
        out.push_str(&format!("| {operation} |"));
        for t in targets {
            match columns.get(*t) {
                Some(&c) => {
                    let sum = totals.entry(t).or_default();
                    sum.0 += c.0;
                    sum.1 += c.1;
                    sum.2 += c.2;
                    sum.3 += c.3;
                    sum.4 += c.4;
                    out.push_str(&format!(" {} |", cell(c)));
                }
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    out.push_str("| **all** |");
    for t in targets {
        let c = totals.get(t).copied().unwrap_or_default();
        out.push_str(&format!(" **{}** |", cell(c)));
    }
    out.push('\n');
}

fn share(ok: u64, total: u64, na: u64, unjudged: u64) -> String {
    let mut share = match (ok * 100).checked_div(total) {
        Some(percent) => format!("{percent}% ({ok}/{total})"),
        None => "–".to_owned(),
    };
    if na > 0 {
        share.push_str(&format!(", {na} n/a"));
    }
    if unjudged > 0 {
        share.push_str(&format!(", {unjudged} not judged"));
    }
    share
}

/// The matrix a file holds: none in an empty file; an error for a file that is not a matrix
/// this module wrote (it would be overwritten) or whose data is damaged (columns would be lost).
pub fn parse(text: &str) -> Result<Matrix, String> {
    if text.trim().is_empty() {
        return Ok(Matrix::new());
    }
    let refuse = |why: &str| {
        Err(format!(
            "not a conformance matrix ({why}); refusing to overwrite it"
        ))
    };
    let Some(start) = text.find(MARKER) else {
        return refuse("no `<!-- conform-matrix` data");
    };
    let rest = &text[start + MARKER.len()..];
    let Some(end) = rest.find(" -->") else {
        return refuse("its `<!-- conform-matrix` data is not closed by ` -->`");
    };
    let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&rest[..end]) else {
        return refuse("its `<!-- conform-matrix` data is not a JSON object");
    };
    let mut matrix = Matrix::new();
    for (operation, columns) in data {
        let Value::Object(columns) = columns else {
            return refuse(&format!("`{operation}` has no object of targets"));
        };
        for (target, cell) in columns {
            // Files from before the n/a and outcome counts hold two numbers; the count of
            // cases not judged is there only when there were some.
            let numbers: Option<Vec<u64>> = cell
                .as_array()
                .filter(|a| (2..=5).contains(&a.len()))
                .and_then(|a| a.iter().map(Value::as_u64).collect());
            let Some(numbers) = numbers else {
                return refuse(&format!(
                    "`{operation}`/`{target}` is not 2 to 5 counts: {cell}"
                ));
            };
            let at = |i: usize| numbers.get(i).copied().unwrap_or(0);
            matrix
                .entry(operation.clone())
                .or_default()
                .insert(target, (at(0), at(1), at(2), at(3), at(4)));
        }
    }
    Ok(matrix)
}
