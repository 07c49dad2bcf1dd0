//! `--report markdown=PATH`: a conformance matrix, operations down and targets across, each
//! cell the share of cases that conform. Runs against different targets into the same file
//! add their column: the data rides along in an HTML comment.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::runner::{RunSummary, Status};

const MARKER: &str = "<!-- conform-matrix ";

/// operation → target → (conformant, total)
type Matrix = BTreeMap<String, BTreeMap<String, (u64, u64)>>;

pub fn render(summary: &RunSummary, existing: Option<&str>) -> String {
    let mut matrix = existing.map(parse).unwrap_or_default();
    for columns in matrix.values_mut() {
        columns.remove(&summary.target);
    }
    matrix.retain(|_, columns| !columns.is_empty());
    for r in summary
        .reports
        .iter()
        .filter(|r| r.status != Status::Skipped)
    {
        let cell = matrix
            .entry(r.operation.clone())
            .or_default()
            .entry(summary.target.clone())
            .or_default();
        cell.1 += 1;
        if r.status.conformant() {
            cell.0 += 1;
        }
    }
    let mut targets: Vec<&String> = matrix.values().flat_map(BTreeMap::keys).collect();
    targets.sort();
    targets.dedup();

    let mut out = String::from("# Conformance\n\nShare of cases that match AWS's goldens (accepted divergences count as conformant).\n\n");
    out.push_str("| operation |");
    for t in &targets {
        out.push_str(&format!(" {t} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(targets.len()));
    out.push('\n');
    let mut totals: BTreeMap<&String, (u64, u64)> = BTreeMap::new();
    for (operation, columns) in &matrix {
        out.push_str(&format!("| {operation} |"));
        for t in &targets {
            match columns.get(*t) {
                Some(&(ok, total)) => {
                    let sum = totals.entry(t).or_default();
                    sum.0 += ok;
                    sum.1 += total;
                    out.push_str(&format!(" {} |", cell(ok, total)));
                }
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    out.push_str("| **all** |");
    for t in &targets {
        let (ok, total) = totals.get(t).copied().unwrap_or_default();
        out.push_str(&format!(" **{}** |", cell(ok, total)));
    }
    out.push('\n');
    let data: BTreeMap<&String, Value> = matrix
        .iter()
        .map(|(op, cols)| {
            (
                op,
                json!(cols
                    .iter()
                    .map(|(t, (ok, n))| (t.clone(), json!([ok, n])))
                    .collect::<serde_json::Map<_, _>>()),
            )
        })
        .collect();
    out.push_str(&format!("\n{MARKER}{} -->\n", json!(data)));
    out
}

fn cell(ok: u64, total: u64) -> String {
    if total == 0 {
        return "–".into();
    }
    format!("{}% ({ok}/{total})", ok * 100 / total)
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
                            Some((t.clone(), (v.get(0)?.as_u64()?, v.get(1)?.as_u64()?)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (op, cols)
        })
        .collect()
}
