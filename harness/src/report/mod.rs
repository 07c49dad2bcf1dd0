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

/// Checks, before a run, that its reports can be written: one file each, and a Markdown file
/// that exists is a matrix to add to (anything else would be overwritten).
pub fn check(specs: &[ReportSpec]) -> Result<(), String> {
    let files: Vec<PathBuf> = specs.iter().map(|spec| file_named(&spec.path)).collect();
    for (n, spec) in specs.iter().enumerate() {
        if files[..n].contains(&files[n]) {
            return Err(format!(
                "{}: named by two --report options; give each report its own file",
                spec.path.display()
            ));
        }
        if spec.kind == ReportKind::Markdown {
            existing_matrix(spec)?;
        }
    }
    Ok(())
}

/// The file `path` names, however it is spelt (`a.xml`, `./a.xml`, `dir/../a.xml`, a link): its
/// folder resolved, as the file itself may not exist yet.
fn file_named(path: &std::path::Path) -> PathBuf {
    if let Ok(file) = std::fs::canonicalize(path) {
        return file;
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Writes the report to its file, whole or not at all.
pub fn write(spec: &ReportSpec, summary: &RunSummary) -> Result<(), String> {
    let text = match spec.kind {
        ReportKind::Junit => junit::render(summary)?,
        ReportKind::Ndjson => ndjson::render(summary),
        ReportKind::Markdown => markdown::render(summary, existing_matrix(spec)?),
    };
    crate::files::write_whole(&spec.path, &text)
}

/// The matrix already in a Markdown report's file, if there is one.
fn existing_matrix(spec: &ReportSpec) -> Result<markdown::Matrix, String> {
    let named = |e: String| format!("{}: {e}", spec.path.display());
    match std::fs::read(&spec.path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                named("not a conformance matrix (not UTF-8); refusing to overwrite it".into())
            })?;
            markdown::parse(&text).map_err(named)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(markdown::Matrix::new()),
        Err(e) => Err(named(e.to_string())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::compare::Difference;
    use crate::runner::{CaseReport, Mode, Status};

    pub(crate) fn summary(target: &str) -> RunSummary {
        let case = |id: &str, operation: &str, status: Status| CaseReport {
            id: id.into(),
            operation: operation.into(),
            tags: vec!["sqs".into()],
            file: format!("cases/{id}.toml"),
            status,
            reasons: if status == Status::Fail {
                vec!["wrong content type: a & <b>".into()]
            } else {
                vec![]
            },
            diffs: if status == Status::Fail {
                vec![Difference {
                    path: "$.status".into(),
                    expected: Some(json!(202)),
                    actual: Some(json!(201)),
                }]
            } else {
                vec![]
            },
            compared_with: None,
            written: None,
            divergence: (status == Status::Diverged).then(|| "moto answers 201".to_owned()),
            same_outcome: (status != Status::Skipped).then_some(status != Status::Fail),
            repro: vec!["curl -sS -i 'http://127.0.0.1:1/x'".into()],
            duration: Duration::from_millis(3),
        };
        RunSummary {
            target: target.into(),
            rerun: format!("--target {target}"),
            endpoint: "http://127.0.0.1:1".into(),
            mode: Mode::Verify,
            selected: 4,
            reports: vec![
                case("a", "CreateEventSourceMapping", Status::Pass),
                case("b", "CreateEventSourceMapping", Status::Fail),
                case("c", "GetEventSourceMapping", Status::Diverged),
                case("d", "GetEventSourceMapping", Status::Skipped),
            ],
            reached: true,
            interrupted: false,
            teardown_problems: vec![],
            elapsed: Duration::from_millis(20),
        }
    }

    #[test]
    fn parses_report_specs() {
        let spec: ReportSpec = "junit=out/r.xml".parse().unwrap();
        assert_eq!(spec.kind, ReportKind::Junit);
        assert_eq!(spec.path, PathBuf::from("out/r.xml"));
        assert!("xml=r"
            .parse::<ReportSpec>()
            .unwrap_err()
            .contains("unknown report kind"));
        assert!("junit".parse::<ReportSpec>().is_err());
        assert!("junit=".parse::<ReportSpec>().is_err());
    }

    #[test]
    fn junit_has_one_test_per_case() {
        let xml = junit::render(&summary("moto")).unwrap();
        assert!(
            xml.contains(r#"<testsuite name="conform moto" tests="4""#),
            "{xml}"
        );
        assert!(xml.contains(r#"failures="1""#), "{xml}");
        assert!(xml.contains(r#"disabled="1""#), "{xml}");
        assert!(
            xml.contains("wrong content type: a &amp; &lt;b&gt;"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"classname="CreateEventSourceMapping""#),
            "{xml}"
        );
    }

    #[test]
    fn ndjson_has_one_line_per_case_then_the_run() {
        let text = ndjson::render(&summary("moto"));
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[1]["status"], "fail");
        assert_eq!(lines[1]["diffs"][0]["path"], "$.status");
        assert_eq!(lines[2]["divergence"], "moto answers 201");
        assert_eq!(lines[4]["type"], "run");
        assert_eq!(lines[4]["exit_code"], 1);
    }

    #[test]
    fn markdown_matrices_merge_targets() {
        let first = markdown::render(&summary("moto"), markdown::Matrix::new());
        assert!(first.contains("| operation | moto |"), "{first}");
        assert!(
            first.contains("| CreateEventSourceMapping | 50% (1/2) |"),
            "{first}"
        );
        // An accepted divergence departs from AWS; a fixture the target cannot make is n/a.
        assert!(
            first.contains("| GetEventSourceMapping | 0% (0/1), 1 n/a |"),
            "{first}"
        );
        let both = markdown::render(&summary("reference"), markdown::parse(&first).unwrap());
        assert!(both.contains("| operation | moto | reference |"), "{both}");
        assert!(
            both.contains("| **all** | **33% (1/3), 1 n/a** | **33% (1/3), 1 n/a** |"),
            "{both}"
        );
        // The second table: the same status and error code (the divergence "c" had them).
        let outcome = both.split("## Same outcome as AWS").nth(1).unwrap();
        assert!(
            outcome.contains("| GetEventSourceMapping | 100% (1/1) | 100% (1/1) |"),
            "{both}"
        );
        assert!(
            outcome.contains("| **all** | **66% (2/3)** | **66% (2/3)** |"),
            "{both}"
        );
        // Running a target again replaces its column.
        assert_eq!(
            markdown::render(&summary("reference"), markdown::parse(&both).unwrap()),
            both
        );
    }

    /// A case the harness could not judge (its golden unreadable) is the harness's error: the
    /// run exits 2 beside a target's failure, and no report counts it against the target.
    #[test]
    fn a_case_not_judged_is_no_finding_about_the_target() {
        let mut summary = summary("moto");
        let why = "snapshots/a.snap:26:30: body is not JSON: EOF while parsing a string; fix it, or delete it and record it again";
        summary.reports[0].status = Status::Unjudged;
        summary.reports[0].reasons = vec![why.into()];
        assert_eq!(summary.exit_code(), 2, "whatever the failure of `b`");

        let text = console::render_summary(&summary, console::Painter::plain());
        assert!(
            text.contains(&format!(
                "not judged: 1 case, for the harness's own files (no finding about moto):\n  a: {why}\n"
            )),
            "{text}"
        );
        assert!(text.contains("  CreateEventSourceMapping  0/1\n"), "{text}");
        // Running it again cannot mend the harness's file: no repro line; the failure keeps its.
        let shown = console::render(&summary, console::Painter::plain());
        assert!(!shown.contains("conform run --case a "), "{shown}");
        assert!(
            shown.contains("conform run --case b --target moto"),
            "{shown}"
        );
        assert!(
            text.contains("harness error: 4 cases against moto at http://127.0.0.1:1: 0 pass, 1 diverged, 1 fail, 1 unjudged, 1 not applicable"),
            "{text}"
        );

        let xml = junit::render(&summary).unwrap();
        assert!(xml.contains(r#"errors="1" failures="1""#), "{xml}");
        let lines: Vec<serde_json::Value> = ndjson::render(&summary)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["status"], "unjudged");
        assert_eq!(lines[4]["exit_code"], 2);

        let matrix = markdown::render(&summary, markdown::Matrix::new());
        assert!(
            matrix.contains("| CreateEventSourceMapping | 0% (0/1), 1 not judged |"),
            "{matrix}"
        );
        assert!(matrix.contains(r#""moto":[0,1,0,0,1]"#), "{matrix}");
        assert_eq!(
            markdown::render(&summary, markdown::parse(&matrix).unwrap()),
            matrix
        );
    }

    #[test]
    fn a_markdown_report_never_overwrites_what_is_not_its_matrix() {
        let matrix = markdown::render(&summary("moto"), markdown::Matrix::new());
        let damaged = [
            ("# my README\n".to_owned(), "no `<!-- conform-matrix` data"),
            (matrix.replace(" -->", ""), "not closed"),
            (
                matrix.replace("[1,2,", "[\"1\",2,"),
                "`CreateEventSourceMapping`/`moto`",
            ),
            (matrix.replace("[1,2,0,1]", "[1]"), "not 2 to 5 counts"),
        ];
        for (text, why) in damaged {
            let error = markdown::parse(&text).expect_err(why);
            assert!(error.contains(why), "{error}");
            assert!(error.contains("refusing to overwrite it"), "{error}");
        }
        assert_eq!(markdown::parse(" \n"), Ok(markdown::Matrix::new()));
    }

    #[test]
    fn reports_are_checked_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str, kind: &str| -> ReportSpec {
            format!("{kind}={}", dir.path().join(name).display())
                .parse()
                .unwrap()
        };
        let twice = check(&[at("same", "junit"), at("same", "ndjson")]).unwrap_err();
        assert!(twice.contains("named by two --report options"), "{twice}");
        // However the second spells it.
        for other in ["./same", "deeper/../same"] {
            std::fs::create_dir_all(dir.path().join("deeper")).unwrap();
            let twice = check(&[at("same", "junit"), at(other, "ndjson")]).unwrap_err();
            assert!(
                twice.contains("named by two --report options"),
                "{other}: {twice}"
            );
        }
        std::fs::write(dir.path().join("notes.md"), b"precious\xff data").unwrap();
        let foreign = check(&[at("notes.md", "markdown")]).unwrap_err();
        assert!(foreign.contains("not UTF-8"), "{foreign}");
        std::fs::write(dir.path().join("readme.md"), "# my README\n").unwrap();
        assert!(check(&[at("readme.md", "markdown")]).is_err());
        // The refused files are as they were; new files and a matrix are fine.
        assert_eq!(
            std::fs::read(dir.path().join("notes.md")).unwrap(),
            b"precious\xff data"
        );
        check(&[at("new.md", "markdown"), at("new.xml", "junit")]).unwrap();
        let matrix = dir.path().join("matrix.md");
        write(&at("matrix.md", "markdown"), &summary("moto")).unwrap();
        check(&[at("matrix.md", "markdown")]).unwrap();
        assert!(std::fs::read_to_string(matrix)
            .unwrap()
            .contains("| moto |"));
    }
}
