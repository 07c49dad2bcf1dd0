//! `--report junit=PATH`: one test suite per run, one test case per case, failures with their
//! reasons and diffs (without colour).

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::report::console::{render_case, Painter};
use crate::runner::{RunSummary, Status};

pub fn render(summary: &RunSummary) -> Result<String, String> {
    let mut report = Report::new("conform");
    report.set_time(summary.elapsed);
    let mut suite = TestSuite::new(format!("conform {}", summary.target));
    suite.set_time(summary.elapsed);
    for r in &summary.reports {
        let mut status = match r.status {
            Status::Pass | Status::Diverged => TestCaseStatus::success(),
            Status::Skipped => TestCaseStatus::skipped(),
            // Not judged is the harness's error, never a failure of the target.
            Status::Error | Status::Unjudged => TestCaseStatus::non_success(NonSuccessKind::Error),
            Status::Fail | Status::Resolved | Status::Pending => {
                TestCaseStatus::non_success(NonSuccessKind::Failure)
            }
        };
        if r.status != Status::Pass {
            let message = r
                .reasons
                .first()
                .cloned()
                .or_else(|| r.divergence.clone())
                .unwrap_or_else(|| format!("{} difference(s) from the golden", r.diffs.len()));
            status.set_message(message);
            if r.status.is_problem() {
                status.set_description(render_case(
                    r,
                    &summary.target,
                    &summary.rerun,
                    summary.mode,
                    Painter::plain(),
                ));
            }
        }
        let mut case = TestCase::new(r.id.clone(), status);
        case.set_classname(r.operation.clone());
        case.set_time(r.duration);
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    report
        .to_string()
        .map_err(|e| format!("cannot write JUnit XML: {e}"))
}
