//! Files the harness writes (snapshots, reports): whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same folder, renamed over `path`
/// once complete: a failed write (a full disk, a size limit) leaves the old file as it was.
pub fn write_whole(path: &Path, text: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let named = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(named)?;
    // The file itself: its errors do not name the temporary path, which would only confuse.
    file.as_file_mut()
        .write_all(text.as_bytes())
        .map_err(named)?;
    file.as_file().sync_all().map_err(named)?;
    file.persist(path).map_err(|e| named(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_files_and_replaces_old_ones_whole() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("deeper/report.txt");
        write_whole(&path, "first").expect("written");
        write_whole(&path, "second").expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "second");
        let left: Vec<_> = std::fs::read_dir(path.parent().expect("a folder"))
            .expect("listed")
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("a temp dir");
        // A folder where the file should be: the rename fails after the text was written.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).expect("a folder");
        std::fs::write(path.join("inside"), "kept").expect("written");
        let error = write_whole(&path, "new").expect_err("a folder cannot be replaced");
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert_eq!(
            std::fs::read_to_string(path.join("inside")).expect("read"),
            "kept"
        );
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 1);
    }
}
