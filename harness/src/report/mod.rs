//! Reports of a run: the console (progress, failures with diffs and repro lines, summary), and
//! the files `--report KIND=PATH` writes.

pub mod console;
pub mod junit;
pub mod markdown;
pub mod ndjson;

use std::path::PathBuf;

use crate::runner::RunSummary;

/// A `--report KIND=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    pub kind: ReportKind,
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Junit,
    Ndjson,
    Markdown,
}

impl std::str::FromStr for ReportSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (kind, path) = s
            .split_once('=')
            .ok_or_else(|| format!("report `{s}` must be KIND=PATH (junit, ndjson or markdown)"))?;
        let kind = match kind {
            "junit" => ReportKind::Junit,
            "ndjson" => ReportKind::Ndjson,
            "markdown" | "md" => ReportKind::Markdown,
            other => {
                return Err(format!(
                    "unknown report kind `{other}`; use junit, ndjson or markdown"
                ))
            }
        };
        if path.is_empty() {
            return Err(format!("report `{s}` names no file"));
        }
        Ok(Self {
            kind,
            path: PathBuf::from(path),
        })
    }
}

/// Writes the report to its file.
pub fn write(spec: &ReportSpec, summary: &RunSummary) -> Result<(), String> {
    let text = match spec.kind {
        ReportKind::Junit => junit::render(summary)?,
        ReportKind::Ndjson => ndjson::render(summary),
        ReportKind::Markdown => {
            let existing = std::fs::read_to_string(&spec.path).ok();
            markdown::render(summary, existing.as_deref())
        }
    };
    if let Some(dir) = spec.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&spec.path, text).map_err(|e| format!("{}: {e}", spec.path.display()))
}
