//! Files the harness writes (snapshots, reports): whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same folder, renamed over `path`
/// once complete: a failed write (a full disk, a size limit) leaves the old file as it was.
/// The file keeps the permissions it had; a new one gets those `std::fs::write` would give.
pub fn write_whole(path: &Path, text: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let named = |e: std::io::Error| format!("{}: {e}", path.display());
    let existing = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    // A temporary file is 0600 by default. The mode given to open(2) is cut by the umask, as
    // `std::fs::write`'s 0666 is, so this needs no read of the umask (which only setting it
    // can do, racing other threads).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir).map_err(named)?;
    // The file itself: its errors do not name the temporary path, which would only confuse.
    file.as_file_mut()
        .write_all(text.as_bytes())
        .map_err(named)?;
    if let Some(permissions) = existing {
        // Set on the open file, which the umask does not cut: exactly the old file's mode
        // (last, so a read-only one cannot stand in the way of the write).
        file.as_file().set_permissions(permissions).map_err(named)?;
    }
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

    /// Not tempfile's 0600: a new file gets what `std::fs::write` gives it (0666 less the
    /// umask), and a replaced file keeps its mode, whatever the umask would say.
    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_a_plain_write_would() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| {
            std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o7777
        };
        let dir = tempfile::tempdir().expect("a temp dir");
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "plain").expect("written");
        let new = dir.path().join("new.txt");
        write_whole(&new, "new").expect("written");
        assert_eq!(mode(&new), mode(&plain), "a new file");
        for kept in [0o644, 0o640, 0o604, 0o444] {
            std::fs::set_permissions(&new, std::fs::Permissions::from_mode(kept)).expect("chmod");
            write_whole(&new, "again").expect("replaced");
            assert_eq!(mode(&new), kept, "a replaced {kept:o} file");
            assert_eq!(std::fs::read_to_string(&new).expect("read"), "again");
        }
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
