//! UI tests of the `models!` macro: each `tests/ui/fail_*.rs` must fail to compile with the
//! message in its `.stderr` file, and each `tests/ui/pass_*.rs` must compile and run.
//!
//! Refresh the `.stderr` files with `TRYBUILD=overwrite cargo test -p conform-macros --test ui`
//! and read each one: it is the message a user gets.
//!
//! # Paths in the test programs
//!
//! The macro resolves `model = "..."` and `overlay = "..."` against `CARGO_MANIFEST_DIR`. trybuild
//! compiles the programs as binaries of a crate it generates in
//! `<target dir>/tests/trybuild/conform-macros/`, and that directory is the proc-macro's
//! `CARGO_MANIFEST_DIR` during these tests, not `codegen/macros/`. A macro literal cannot be
//! built with `concat!(env!(..), ..)`, so the programs reach the model files from there:
//! `../../../../codegen/macros/tests/ui/models/...` (up four levels from the generated crate is
//! the workspace root, given cargo's default target directory `<workspace>/target`).
//!
//! The macro's messages quote the resolved path. trybuild rewrites the workspace's absolute
//! path to `$WORKSPACE/` on every line of the compiler's output, so the `.stderr` files hold
//! `$WORKSPACE/target/tests/trybuild/conform-macros/../../../../codegen/...` and do not depend
//! on where the repository is cloned. A target directory outside the workspace
//! (`CARGO_TARGET_DIR`, `build.target-dir`) would break both the paths and the messages, so
//! the test refuses to run there rather than fail obscurely.

use std::path::{Path, PathBuf};

/// Where the test programs find the model files, from trybuild's generated crate.
const FROM_TRYBUILD_CRATE: &str = "../../../../codegen/macros/tests/ui/models";

#[test]
fn ui() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .join("../..")
        .canonicalize()
        .expect("workspace");
    let target = workspace.join("target");
    let exe = std::env::current_exe().expect("test binary path");
    assert!(
        exe.starts_with(&target),
        "the UI tests need cargo's default target directory ({}), but this test runs from {}: \
         unset CARGO_TARGET_DIR / build.target-dir (see tests/ui.rs)",
        target.display(),
        exe.display()
    );
    let trybuild_crate: PathBuf = target.join("tests/trybuild/conform-macros");
    let models = manifest_dir
        .join("tests/ui/models")
        .canonicalize()
        .expect("models");
    assert_eq!(
        lexical(&trybuild_crate.join(FROM_TRYBUILD_CRATE)),
        models,
        "FROM_TRYBUILD_CRATE must lead from trybuild's crate to tests/ui/models"
    );

    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail_*.rs");
    cases.pass("tests/ui/pass_*.rs");
}

/// `path` with `..` resolved lexically (the generated crate may not exist yet).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
