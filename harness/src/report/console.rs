//! The console: a progress bar on a terminal (quiet lines otherwise), then each failure with a
//! coloured diff by JSON path and its repro lines, then a summary by operation and by tag.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::compare::Difference;
use crate::runner::{CaseReport, Mode, Progress, RunSummary, Status};
use crate::target::Target;

/// Colours, or none (not a terminal, or `NO_COLOR`).
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    pub fn plain() -> Self {
        Self { color: false }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn red(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }
    fn green(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
    fn yellow(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    fn status(&self, status: Status) -> String {
        let label = match status {
            // A fixture the target cannot make: the case does not apply there.
            Status::Skipped => "n/a",
            _ => status.label(),
        };
        match status {
            Status::Pass => self.green(label),
            Status::Diverged | Status::Skipped | Status::Pending => self.yellow(label),
            Status::Fail | Status::Resolved | Status::Error | Status::Unjudged => self.red(label),
        }
    }
}

/// Progress on stderr: a bar on a terminal, else quiet; either way one line per problem case
/// (matches and accepted divergences are only counted, in the summary).
pub struct Console {
    bar: Option<ProgressBar>,
    painter: Painter,
}

impl Console {
    pub fn new(painter: Painter) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos}/{len} {wide_bar} {elapsed} {msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar, painter }
    }

    /// Clears the bar before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Console {
    fn started(&self, total: usize, target: &Target) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_message(target.name.clone());
        }
    }

    fn finished(&self, report: &CaseReport) {
        let line = report
            .status
            .is_problem()
            .then(|| format!("{:<8} {}", self.painter.status(report.status), report.id));
        match (&self.bar, line) {
            (Some(bar), Some(line)) => {
                bar.println(line);
                bar.inc(1);
            }
            (Some(bar), None) => bar.inc(1),
            (None, Some(line)) => eprintln!("{line}"),
            (None, None) => {}
        }
    }
}

/// Everything printed after the run: problems in detail, then the summary.
pub fn render(summary: &RunSummary, painter: Painter) -> String {
    let mut out = String::new();
    let problems: Vec<&CaseReport> = summary
        .reports
        .iter()
        .filter(|r| r.status.is_problem())
        .collect();
    for report in &problems {
        out.push_str(&render_case(
            report,
            &summary.target,
            &summary.rerun,
            summary.mode,
            painter,
        ));
        out.push('\n');
    }
    out.push_str(&render_summary(summary, painter));
    out
}

/// One case in detail: why, the diff by path, and how to repeat it.
/// `rerun`: the options that reach `target` (`RunSummary::rerun`), for the repro line.
pub fn render_case(
    report: &CaseReport,
    target: &str,
    rerun: &str,
    mode: Mode,
    painter: Painter,
) -> String {
    let mut out = format!(
        "{} {} {}\n",
        painter.status(report.status),
        painter.bold(&report.id),
        painter.dim(&format!("({}, {})", report.operation, report.file))
    );
    for reason in &report.reasons {
        out.push_str(&format!("  {reason}\n"));
    }
    if let Some(written) = &report.written {
        out.push_str(&format!(
            "  wrote {} (review with `cargo insta review`)\n",
            shown(written)
        ));
    }
    if !report.diffs.is_empty() {
        let against = report
            .compared_with
            .as_ref()
            .map_or("the golden".to_owned(), |p| shown(p));
        out.push_str(&format!(
            "  differs from {against} ({} {}; {} golden, {} {}):\n",
            report.diffs.len(),
            if report.diffs.len() == 1 {
                "place"
            } else {
                "places"
            },
            painter.red("-"),
            painter.green("+"),
            target
        ));
        out.push_str(&render_diffs(&report.diffs, painter));
    }
    // Running a case again cannot mend a file of the harness's own (an unjudged case).
    if !matches!(report.status, Status::Pending | Status::Unjudged) {
        out.push_str("  repro:\n");
        for line in &report.repro {
            out.push_str(&format!("    {}\n", painter.dim(line)));
        }
        out.push_str(&format!(
            "    conform {} --case {} {}\n",
            if mode == Mode::Record {
                "record"
            } else {
                "run"
            },
            report.id,
            rerun
        ));
    }
    out
}

/// Each difference under its JSON path; long strings get a word diff.
pub fn render_diffs(diffs: &[Difference], painter: Painter) -> String {
    let mut out = String::new();
    for d in diffs {
        out.push_str(&format!("    {}\n", painter.bold(&d.path)));
        match (&d.expected, &d.actual) {
            (Some(Value::String(e)), Some(Value::String(a))) if e.len() + a.len() > 60 => {
                out.push_str(&format!("      {}\n", word_diff(e, a, painter)));
            }
            (e, a) => {
                if let Some(e) = e {
                    out.push_str(&format!(
                        "      {}\n",
                        painter.red(&format!("- {}", compact(e)))
                    ));
                }
                if let Some(a) = a {
                    out.push_str(&format!(
                        "      {}\n",
                        painter.green(&format!("+ {}", compact(a)))
                    ));
                }
            }
        }
    }
    out
}

/// `"…[-old-]{+new+}…"`, coloured when colour is on.
fn word_diff(expected: &str, actual: &str, painter: Painter) -> String {
    let diff = TextDiff::from_words(expected, actual);
    let mut out = String::from("\"");
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => out.push_str(text),
            ChangeTag::Delete => out.push_str(&painter.red(&format!("[-{text}-]"))),
            ChangeTag::Insert => out.push_str(&painter.green(&format!("{{+{text}+}}"))),
        }
    }
    out.push('"');
    out
}

/// A path relative to the working directory when it is under it.
fn shown(path: &std::path::Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(400) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Counts per operation and per tag, and the one-line verdict.
pub fn render_summary(summary: &RunSummary, painter: Painter) -> String {
    let mut out = String::new();
    let groups = |key: &dyn Fn(&CaseReport) -> Vec<String>| {
        let mut map: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        // A case not judged says nothing about the target, for or against.
        for r in summary
            .reports
            .iter()
            .filter(|r| !matches!(r.status, Status::Skipped | Status::Unjudged))
        {
            for k in key(r) {
                let entry = map.entry(k).or_default();
                entry.1 += 1;
                if r.status.conformant() {
                    entry.0 += 1;
                }
            }
        }
        map
    };
    let by_operation = groups(&|r| vec![r.operation.clone()]);
    let by_tag = groups(&|r| r.tags.clone());
    let width = by_operation
        .keys()
        .chain(by_tag.keys())
        .map(String::len)
        .max()
        .unwrap_or(0);
    for (title, map) in [("by operation", &by_operation), ("by tag", &by_tag)] {
        if map.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        for (name, (ok, total)) in map {
            let cell = format!("{ok}/{total}");
            let cell = if ok == total {
                painter.green(&cell)
            } else {
                painter.red(&cell)
            };
            out.push_str(&format!("  {name:<width$}  {cell}\n"));
        }
    }
    for problem in &summary.teardown_problems {
        out.push_str(&format!(
            "{} teardown: {problem}\n",
            painter.yellow("warning:")
        ));
    }
    let counts: Vec<String> = [
        Status::Pass,
        Status::Diverged,
        Status::Pending,
        Status::Fail,
        Status::Resolved,
        Status::Error,
        Status::Unjudged,
        Status::Skipped,
    ]
    .into_iter()
    .filter_map(|s| {
        let n = summary.count(s);
        let label = match s {
            Status::Skipped => "not applicable (fixture unavailable)",
            _ => s.label(),
        };
        (n > 0 || s == Status::Pass).then(|| format!("{n} {label}"))
    })
    .collect();
    // Never skipped silently: how many, and why, grouped by the reason.
    let mut unavailable: BTreeMap<&str, usize> = BTreeMap::new();
    for r in summary
        .reports
        .iter()
        .filter(|r| r.status == Status::Skipped)
    {
        let why = r.reasons.first().map_or("", String::as_str);
        *unavailable.entry(why).or_default() += 1;
    }
    if !unavailable.is_empty() {
        out.push_str(&format!(
            "{} {}\n",
            painter.yellow("not applicable: fixture unavailable:"),
            plural(summary.count(Status::Skipped), "case")
        ));
        for (why, n) in &unavailable {
            out.push_str(&format!("  {}: {why}\n", plural(*n, "case")));
        }
    }
    // Each file to fix, apart from the target's results: a CI log's last lines say what broke.
    let unjudged: Vec<&CaseReport> = summary
        .reports
        .iter()
        .filter(|r| r.status == Status::Unjudged)
        .collect();
    if !unjudged.is_empty() {
        out.push_str(&format!(
            "{} {}, for the harness's own files (no finding about {}):\n",
            painter.red("not judged:"),
            plural(unjudged.len(), "case"),
            summary.target
        ));
        const SHOWN: usize = 10;
        for r in unjudged.iter().take(SHOWN) {
            let why = r.reasons.first().map_or("", String::as_str);
            out.push_str(&format!("  {}: {why}\n", r.id));
        }
        if unjudged.len() > SHOWN {
            out.push_str(&format!("  … and {} more, above\n", unjudged.len() - SHOWN));
        }
    }
    let verdict = match summary.exit_code() {
        0 => painter.green("conformant"),
        1 if summary.mode == Mode::Record => painter.yellow("pending review"),
        1 => painter.red("not conformant"),
        2 if summary.unreachable() => painter.red("endpoint unreachable"),
        2 => painter.red("harness error"),
        _ => painter.yellow("interrupted"),
    };
    let cases = if summary.interrupted {
        format!(
            "{} of {}",
            summary.reports.len(),
            plural(summary.selected, "case")
        )
    } else {
        plural(summary.reports.len(), "case")
    };
    out.push_str(&format!(
        "{verdict}: {cases} against {} at {}: {} ({:.2} s)\n",
        summary.target,
        summary.endpoint,
        counts.join(", "),
        summary.elapsed.as_secs_f64()
    ));
    if summary.count(Status::Pending) > 0 {
        out.push_str("review the pending snapshots with `cargo insta review` (or accept them all: `cargo insta accept`)\n");
    }
    if summary.unreachable() {
        out.push_str(&format!(
            "no request reached {}: is the target running?\n",
            summary.endpoint
        ));
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unavailable_fixtures_are_counted_as_not_applicable() {
        let mut summary = crate::report::tests::summary("localstack");
        summary.reports[3].reasons = vec!["fixture `table` is unavailable on this target".into()];
        let text = render_summary(&summary, Painter::plain());
        assert!(
            text.contains("1 not applicable (fixture unavailable)"),
            "{text}"
        );
        assert!(
            text.contains("not applicable: fixture unavailable: 1 case\n  1 case: fixture `table` is unavailable on this target\n"),
            "{text}"
        );
        assert_eq!(Painter::plain().status(Status::Skipped), "n/a");
    }

    #[test]
    fn diffs_show_paths_and_word_changes() {
        let diffs = vec![
            Difference {
                path: "$.status".into(),
                expected: Some(json!(202)),
                actual: Some(json!(201)),
            },
            Difference {
                path: "$.body.message".into(),
                expected: Some(json!(
                    "Value 0 at 'batchSize' failed to satisfy constraint: Member must be >= 1"
                )),
                actual: Some(json!(
                    "Value 0 at 'batchSize' failed to satisfy constraint: out of bounds todo"
                )),
            },
            Difference {
                path: "$.body.Gone".into(),
                expected: Some(json!(true)),
                actual: None,
            },
        ];
        let text = render_diffs(&diffs, Painter::plain());
        assert!(
            text.contains("    $.status\n      - 202\n      + 201\n"),
            "{text}"
        );
        assert!(text.contains("[-Member-]"), "{text}");
        assert!(text.contains("{+todo+}"), "{text}");
        assert!(text.contains("    $.body.Gone\n      - true\n"), "{text}");
        assert!(!text.contains('\u{1b}'));
        let coloured = render_diffs(&diffs, Painter { color: true });
        assert!(coloured.contains('\u{1b}'));
    }
}
