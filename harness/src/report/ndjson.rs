//! `--report ndjson=PATH`: one JSON object per case, then one for the run.

use serde_json::{json, Value};

use crate::runner::RunSummary;

pub fn render(summary: &RunSummary) -> String {
    let mut out = String::new();
    for r in &summary.reports {
        let diffs: Vec<Value> = r
            .diffs
            .iter()
            .map(|d| json!({ "path": d.path, "expected": d.expected, "actual": d.actual }))
            .collect();
        let line = json!({
            "type": "case",
            "id": r.id,
            "operation": r.operation,
            "tags": r.tags,
            "file": r.file,
            "target": summary.target,
            "status": r.status.label(),
            "conformant": r.status.conformant(),
            "reasons": r.reasons,
            "diffs": diffs,
            "compared_with": r.compared_with.as_ref().map(|p| p.display().to_string()),
            "written": r.written.as_ref().map(|p| p.display().to_string()),
            "divergence": r.divergence,
            "duration_ms": r.duration.as_secs_f64() * 1000.0,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    let run = json!({
        "type": "run",
        "target": summary.target,
        "endpoint": summary.endpoint,
        "cases": summary.reports.len(),
        "exit_code": summary.exit_code(),
        "reached": summary.reached,
        "interrupted": summary.interrupted,
        "teardown_problems": summary.teardown_problems,
        "elapsed_ms": summary.elapsed.as_secs_f64() * 1000.0,
    });
    out.push_str(&run.to_string());
    out.push('\n');
    out
}
