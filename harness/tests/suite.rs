//! `cargo test` runs the whole suite (`cases/`) against the embedded reference, one test per
//! case, through libtest-mimic: `cargo test -p conform-harness --test suite -- sqs-` filters as
//! usual. A case without a golden yet is listed as ignored.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use conform_harness::case;
use conform_harness::report::console::{render_case, Painter};
use conform_harness::runner::{Mode, Paths, Session};
use conform_harness::snapshot;
use conform_harness::target::{self, TargetOptions, Targets};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let paths = Paths::under(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let cases = match case::load_dir(&paths.cases) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("error: the cases do not load:\n{e}");
            std::process::exit(101);
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    // The environment is ignored: `cargo test` always checks the embedded reference.
    let target = target::resolve(&TargetOptions::default(), &Targets::builtin(), &|_| None)
        .expect("the reference resolves");
    let session = runtime
        .block_on(Session::start(
            target,
            Mode::Verify,
            paths.snapshots.clone(),
            Duration::from_secs(10),
        ))
        .expect("the embedded reference starts");
    let session = Arc::new(session);

    let trials = cases
        .into_iter()
        .map(|case| {
            let golden = snapshot::golden_path(&paths.snapshots, &case.id).exists();
            let session = Arc::clone(&session);
            let handle = runtime.handle().clone();
            let kind = case.operation;
            Trial::test(case.id.clone(), move || {
                let report = handle.block_on(session.run_case(&case));
                if report.status.conformant() {
                    Ok(())
                } else {
                    Err(Failed::from(render_case(
                        &report,
                        "reference",
                        "--target reference",
                        Mode::Verify,
                        Painter::plain(),
                    )))
                }
            })
            .with_kind(kind)
            .with_ignored_flag(!golden)
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let problems = runtime.block_on(session.finish());
    for problem in problems {
        eprintln!("warning: teardown: {problem}");
    }
    conclusion.exit();
}
