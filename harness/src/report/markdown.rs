//! `--report markdown=PATH`: a conformance matrix, operations down and targets across, each
//! cell the share of cases whose answer matches AWS's golden. An accepted divergence is still a
//! departure from AWS, so it counts against the target here (the run itself passes with it);
//! cases whose fixture the target cannot make are counted apart, as not applicable. Runs
//! against different targets into the same file add their column: the data rides along in an
//! HTML comment.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::runner::{RunSummary, Status};

const MARKER: &str = "<!-- conform-matrix ";

/// A cell: cases that match the golden, cases that apply, cases not applicable.
type Cell = (u64, u64, u64);

/// operation → target → cell
type Matrix = BTreeMap<String, BTreeMap<String, Cell>>;

pub fn render(summary: &RunSummary, existing: Option<&str>) -> String {
    let mut matrix = existing.map(parse).unwrap_or_default();
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
            Status::Skipped => cell.2 += 1,
            Status::Pass => {
                cell.0 += 1;
                cell.1 += 1;
            }
            _ => cell.1 += 1,
        }
    }
    let mut targets: Vec<&String> = matrix.values().flat_map(BTreeMap::keys).collect();
    targets.sort();
    targets.dedup();

    let mut out = String::from(
        "# Conformance matrix\n\nShare of cases whose answer matches AWS's golden. An accepted \
         divergence counts against the target; n/a: cases whose fixtures the target cannot \
         make.\n\n",
    );
    out.push_str("| operation |");
    for t in &targets {
        out.push_str(&format!(" {t} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(targets.len()));
    out.push('\n');
    let mut totals: BTreeMap<&String, Cell> = BTreeMap::new();
    for (operation, columns) in &matrix {
        out.push_str(&format!("| {operation} |"));
        for t in &targets {
            match columns.get(*t) {
                Some(&c) => {
                    let sum = totals.entry(t).or_default();
                    sum.0 += c.0;
                    sum.1 += c.1;
                    sum.2 += c.2;
                    out.push_str(&format!(" {} |", cell(c)));
                }
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    out.push_str("| **all** |");
    for t in &targets {
        let c = totals.get(t).copied().unwrap_or_default();
        out.push_str(&format!(" **{}** |", cell(c)));
    }
    out.push('\n');
    let data: BTreeMap<&String, Value> = matrix
        .iter()
        .map(|(op, cols)| {
            (
                op,
                json!(cols
                    .iter()
                    .map(|(t, (ok, n, na))| (t.clone(), json!([ok, n, na])))
                    .collect::<serde_json::Map<_, _>>()),
            )
        })
        .collect();
    out.push_str(&format!("\n{MARKER}{} -->\n", json!(data)));
    out
}

fn cell((ok, total, na): Cell) -> String {
    let share = match (ok * 100).checked_div(total) {
        Some(percent) => format!("{percent}% ({ok}/{total})"),
        None => "–".to_owned(),
    };
    if na == 0 {
        share
    } else {
        format!("{share}, {na} n/a")
    }
}

fn parse(text: &str) -> Matrix {
    let Some(start) = text.find(MARKER) else {
        return Matrix::new();
    };
    let rest = &text[start + MARKER.len()..];
    let Some(end) = rest.find(" -->") else {
        return Matrix::new();
    };
    let Ok(Value::Object(data)) = serde_json::from_str::<Value>(&rest[..end]) else {
        return Matrix::new();
    };
    data.into_iter()
        .map(|(op, cols)| {
            let cols = cols
                .as_object()
                .map(|c| {
                    c.iter()
                        .filter_map(|(t, v)| {
                            let na = v.get(2).and_then(Value::as_u64).unwrap_or(0);
                            Some((t.clone(), (v.get(0)?.as_u64()?, v.get(1)?.as_u64()?, na)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (op, cols)
        })
        .collect()
}
