//! Writing users' files safely: every file rankpress writes outside its own output folder
//! (results imported from a sheet, sheets, bulletins, payrolls, a new site, a git hook) goes
//! through [`write_atomic`] (or [`write_atomic_as`], or [`write_atomic_group`] for files that
//! change together), so a reader never sees half a file and a symlink at the target is replaced,
//! never written through. A file that is replaced keeps its permissions; a new one gets them as
//! any program's new file would, from the umask (or owner-only for confidential files).
use std::io::Write;
use std::path::{Path, PathBuf};

/// The permissions of a file that [`write_atomic_as`] creates (a file it replaces keeps its
/// own). On Unix the umask applies, as for any program's new file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Read and write as the umask allows (0666 less the umask): data, sheets, a new site.
    Shared,
    /// A script (0777 less the umask); a replaced one keeps its permissions and is made
    /// executable wherever it is readable.
    Executable,
    /// Readable and writable by its owner only (0600): confidential files such as payrolls.
    Private,
}

impl Mode {
    #[cfg(unix)]
    fn new_bits(self) -> u32 {
        match self {
            Mode::Shared => 0o666,
            Mode::Executable => 0o777,
            Mode::Private => 0o600,
        }
    }

    /// The permissions a replaced file with permissions `old` gets.
    #[cfg(unix)]
    fn kept_bits(self, old: u32) -> u32 {
        match self {
            Mode::Executable => old | ((old & 0o444) >> 2),
            Mode::Shared | Mode::Private => old,
        }
    }
}

/// [`write_atomic_as`] with [`Mode::Shared`].
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    write_atomic_as(path, data, Mode::Shared)
}

/// Writes `data` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed over `path`. When `path` is a symlink the link itself is replaced by the new file;
/// its target is never touched. Creates the parent folder when missing. A regular file at
/// `path` keeps its permissions; a new file gets those of `mode`.
pub fn write_atomic_as(path: &Path, data: &[u8], mode: Mode) -> std::io::Result<()> {
    stage(path, data, mode)?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Writes `data` to a temporary file in `path`'s folder (created when missing), flushed to
/// disk, with the permissions [`write_atomic_as`] gives; the file is deleted when dropped
/// unless persisted.
fn stage(path: &Path, data: &[u8], mode: Mode) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rankpress-").suffix(".tmp");
    #[cfg(unix)]
    let old = {
        use std::os::unix::fs::PermissionsExt;
        // Applied when the file is created, so the kernel takes the umask off.
        builder.permissions(std::fs::Permissions::from_mode(mode.new_bits()));
        std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| std::fs::Permissions::from_mode(mode.kept_bits(m.permissions().mode())))
    };
    #[cfg(not(unix))]
    let old = {
        let _ = mode;
        std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions())
    };
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(data)?;
    if let Some(perm) = old {
        tmp.as_file().set_permissions(perm)?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Writes several files that belong together (a month's payroll as JSON, CSV and XLSX):
/// either every one changes or none does. Each is first written in full to a temporary file
/// beside it (a full disk fails here, before anything changed); then the previous versions are
/// kept as hard links and the new files renamed into place; if a rename fails, the files
/// already replaced get their previous version back. The error names the file that failed.
/// Permissions as [`write_atomic_as`] gives them.
pub fn write_atomic_group(
    files: &[(PathBuf, Vec<u8>)],
    mode: Mode,
) -> Result<(), (PathBuf, std::io::Error)> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, data) in files {
        staged.push(stage(path, data, mode).map_err(|e| (path.clone(), e))?);
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
