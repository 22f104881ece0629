//! Writing users' files safely: every file rankpress writes outside its own output folder
//! (results imported from a sheet, sheets, bulletins, payrolls, a new site, a git hook) goes
//! through [`write_atomic`] (or [`write_atomic_group`] for files that change together), so a
//! reader never sees half a file and a symlink at the target is replaced, never written through.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `data` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed over `path`. When `path` is a symlink the link itself is replaced by the new file;
/// its target is never touched. Creates the parent folder when missing.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    stage(path, data)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `data` to a temporary file in `path`'s folder (created when missing), flushed to
/// disk; the file is deleted when dropped unless persisted.
fn stage(path: &Path, data: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
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
    Ok(tmp)
}

/// Writes several files that belong together (a month's payroll as JSON, CSV and XLSX):
/// either every one changes or none does. Each is first written in full to a temporary file
/// beside it (a full disk fails here, before anything changed); then the previous versions are
/// kept as hard links and the new files renamed into place; if a rename fails, the files
/// already replaced get their previous version back. The error names the file that failed.
pub fn write_atomic_group(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, data) in files {
        staged.push(stage(path, data).map_err(|e| (path.clone(), e))?);
    }
    // Hard links to the previous versions (a link takes no data blocks).
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    let drop_backups = |backups: &[Option<PathBuf>]| {
        for b in backups.iter().flatten() {
            let _ = std::fs::remove_file(b);
        }
    };
    for (path, _) in files {
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            backups.push(None);
            continue;
        }
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let backup = path.with_file_name(format!(".rankpress-{name}.{}.old", std::process::id()));
        let _ = std::fs::remove_file(&backup);
        if let Err(e) = std::fs::hard_link(path, &backup) {
            drop_backups(&backups);
            return Err((path.clone(), e));
        }
        backups.push(Some(backup));
    }
    for (i, tmp) in staged.into_iter().enumerate() {
        let path = &files[i].0;
        if let Err(e) = tmp.persist(path) {
            // Put back what was replaced (or remove what is new), newest first.
            for j in (0..i).rev() {
                match &backups[j] {
                    Some(b) => {
                        let _ = std::fs::rename(b, &files[j].0);
                    }
                    None => {
                        let _ = std::fs::remove_file(&files[j].0);
                    }
                }
            }
            drop_backups(&backups[i..]);
            return Err((path.clone(), e.error));
        }
    }
    drop_backups(&backups);
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
