//! Writing users' files safely: every file rankpress writes outside its own output folder
//! (results imported from a sheet, sheets, bulletins, payrolls, a new site, a git hook) goes
//! through [`write_atomic`], so a reader never sees half a file and a symlink at the target is
//! replaced, never written through.

use std::io::Write;
use std::path::Path;

/// Writes `data` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed over `path`. When `path` is a symlink the link itself is replaced by the new file;
/// its target is never touched. Creates the parent folder when missing.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".rankpress-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_symlink_without_touching_its_target() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("target.txt");
        std::fs::write(&target, "keep me").unwrap();
        let link = d.path().join("sub").join("link.txt");
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
        assert!(!std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(link.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
