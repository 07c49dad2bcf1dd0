//! Files the harness writes (snapshots, reports): whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file in the same folder, renamed over `path`
/// once complete: a failed write (a full disk, a size limit) leaves the old file as it was.
/// The file keeps the permissions it had; a new one gets those `std::fs::write` would give. A
/// symbolic link is written through, as `std::fs::write` writes it, not replaced by a file.
pub fn write_whole(path: &Path, text: &str) -> Result<(), String> {
    let shown = path;
    let path = &through_links(path).map_err(|e| format!("{}: {e}", shown.display()))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let named = |e: std::io::Error| format!("{}: {e}", shown.display());
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

/// The file `path` names once its symbolic links are followed (the link's own target when it
/// dangles, so the write creates it there).
fn through_links(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut path = path.to_path_buf();
    // As many links as the kernel follows before it calls it a loop.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
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

    /// A report path that is a link (to a shared folder, say) is written through, as
    /// `std::fs::write` does; the link stays a link, a dangling one gets its target made.
    #[cfg(unix)]
    #[test]
    fn writes_through_symbolic_links() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let real = dir.path().join("real.ndjson");
        std::fs::write(&real, "old").expect("written");
        let link = dir.path().join("link.ndjson");
        std::os::unix::fs::symlink("real.ndjson", &link).expect("a link");
        let chain = dir.path().join("chain.ndjson");
        std::os::unix::fs::symlink(&link, &chain).expect("a link to the link");
        write_whole(&chain, "new").expect("written");
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
        for path in [&link, &chain] {
            let meta = std::fs::symlink_metadata(path).expect("metadata");
            assert!(meta.file_type().is_symlink(), "{}", path.display());
        }
        let dangling = dir.path().join("dangling.ndjson");
        std::os::unix::fs::symlink("made.ndjson", &dangling).expect("a link");
        write_whole(&dangling, "made").expect("written");
        let made = dir.path().join("made.ndjson");
        assert_eq!(std::fs::read_to_string(made).expect("read"), "made");
        let looped = dir.path().join("loop");
        std::os::unix::fs::symlink("loop", &looped).expect("a loop");
        let error = write_whole(&looped, "x").expect_err("a loop");
        assert!(
            error.contains("too many levels of symbolic links"),
            "{error}"
        );
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
