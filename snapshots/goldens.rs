//! The goldens themselves: every snapshot here parses, belongs to a case in `cases/`, and every
//! accepted divergence (`<id>@<target>.snap`) has a golden to diverge from and a reason.
//!
//! (This file is a test target of `conform-harness`; it sits in `snapshots/` so that
//! `cargo insta review` finds the pending snapshots in this folder.)

use std::collections::BTreeSet;
use std::path::Path;

use conform_harness::case;
use conform_harness::snapshot::Snapshot;

#[test]
fn every_snapshot_parses_and_belongs_to_a_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let ids: BTreeSet<String> = case::load_dir(&root.join("cases"))
        .unwrap_or_else(|e| panic!("the cases do not load:\n{e}"))
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(root.join("snapshots")).expect("snapshots/") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some(stem) = name.strip_suffix(".snap") else {
            continue;
        };
        let snapshot = match Snapshot::read(&path) {
            Ok(Some(s)) => s,
            Ok(None) => continue,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let (id, target) = match stem.split_once('@') {
            Some((id, target)) => (id, Some(target)),
            None => (stem, None),
        };
        if !ids.contains(id) {
            problems.push(format!(
                "{name}: no case has the id `{id}` (renamed or removed?)"
            ));
        }
        if let Some(target) = target {
            if !root.join("snapshots").join(format!("{id}.snap")).exists() {
                problems.push(format!(
                    "{name}: a divergence of {target} without a golden {id}.snap"
                ));
            }
            if snapshot.reason().is_none() {
                problems.push(format!(
                    "{name}: an accepted divergence needs a one-line `reason` in its info"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
