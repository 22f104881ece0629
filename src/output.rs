//! Writing the output folder safely: files go into a fresh temporary folder beside the target,
//! which replaces the target only when the whole build succeeded. A lock file stops two builds
//! from racing into the same folder.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A build's output in progress.
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
    /// The previous output, if any: files whose bytes did not change are hard-linked from it
    /// instead of written again (see [`Output::write`]).
    previous: Option<PathBuf>,
    /// Page fingerprints of the previous build (see [`PageCache`]), read at [`Output::begin`].
    previous_pages: Option<HashMap<String, u64>>,
    /// `.NAME.pages` beside the output: the fingerprints of the pages in the output.
    manifest: PathBuf,
    /// This build's page fingerprints, written to `manifest` by [`Output::commit`].
    pages: Mutex<Option<PageCache>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    linked: AtomicUsize,
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", path.display())
}

impl Output {
    /// Starts a build into `target`: takes the lock and creates the staging folder.
    pub fn begin(target: &Path) -> Result<Output, String> {
        let target = if target.is_absolute() {
            target.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| e.to_string())?
                .join(target)
        };
        let parent = target
            .parent()
            .ok_or("output folder has no parent")?
            .to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_err("cannot create", &parent, e))?;
        let name = target
            .file_name()
            .ok_or("output folder has no name")?
            .to_string_lossy()
            .into_owned();
        let lock = parent.join(format!(".{name}.lock"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(mut f) => {
                let _ = writeln!(f, "{}", std::process::id());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let pid = fs::read_to_string(&lock).unwrap_or_default();
                let pid = pid.trim();
                if !pid.is_empty() && is_alive(pid) {
                    return Err(format!(
                        "另一个 rankpress 进程（{pid}）正在写入 {}；请等待它完成 / another rankpress (pid {pid}) is building into this folder; wait for it to finish",
                        target.display()
                    ));
                }
                // A stale lock from a build that was killed: take it over.
                fs::write(&lock, format!("{}\n", std::process::id()))
                    .map_err(|e| io_err("cannot write", &lock, e))?;
            }
            Err(e) => return Err(io_err("cannot create", &lock, e)),
        }
        // Leftovers of killed builds. A build killed between its two renames (platforms
        // without an atomic exchange) left the previous output aside: put it back. One killed
        // after carrying `bulletins/` (and its sent.log) into its staging folder: carry it back.
        if let Ok(rd) = fs::read_dir(&parent) {
            let mut leftovers: Vec<PathBuf> = rd
                .flatten()
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with(&format!(".{name}.staging-"))
                        || n.starts_with(&format!(".{name}.old-"))
                })
                .map(|e| e.path())
                .collect();
            leftovers.sort();
            for path in leftovers {
                let is_old = path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(".old-"));
                if is_old && !target.exists() && fs::rename(&path, &target).is_ok() {
                    continue;
                }
                if target.is_dir() {
                    for keep in KEEP {
                        if path.join(keep).is_dir() && !target.join(keep).exists() {
                            let _ = fs::rename(path.join(keep), target.join(keep));
                        }
                    }
                }
                let _ = fs::remove_dir_all(&path);
            }
        }
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        fs::create_dir_all(&staging).map_err(|e| io_err("cannot create", &staging, e))?;
        let previous = target.is_dir().then(|| target.clone());
        // The manifest describes the current output; it is removed now and written again only
        // once the new output is in place, so it never describes another build's files.
        let manifest = parent.join(format!(".{name}.pages"));
        let previous_pages = previous
            .as_ref()
            .and_then(|_| fs::read_to_string(&manifest).ok())
            .map(|text| PageCache::parse(&text));
        let _ = fs::remove_file(&manifest);
        Ok(Output {
            target,
            staging,
            lock,
            previous,
            previous_pages,
            manifest,
            pages: Mutex::new(None),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            linked: AtomicUsize::new(0),
        })
    }

    /// Writes one file at a relative path (forward slashes) inside the output.
    pub fn write(&self, rel: &str, data: &[u8]) -> Result<(), String> {
        debug_assert!(
            !rel.split('/').any(|s| s == ".." || s.is_empty()),
            "unsafe path {rel}"
        );
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_err("cannot create", dir, e))?;
        }
        if !self.link_unchanged(rel, data, &path) {
            fs::write(&path, data).map_err(|e| io_err("cannot write", &path, e))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// When the previous output has the same bytes at `rel`, hard-links that file to `path`
    /// (staging and target are in the same folder, so on the same filesystem) and returns true.
    /// A rebuild then writes only what changed, and the swap stays atomic: the staging folder
    /// is still a complete output. Any failure falls back to writing (returns false).
    fn link_unchanged(&self, rel: &str, data: &[u8], path: &Path) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let same = match fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() && m.len() == data.len() as u64 => {
                fs::read(&old).is_ok_and(|b| b == data)
            }
            _ => false,
        };
        if same && fs::hard_link(&old, path).is_ok() {
            self.linked.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// The page fingerprints of the previous build, if its output and manifest exist.
    pub fn previous_pages(&self) -> Option<&HashMap<String, u64>> {
        self.previous_pages.as_ref()
    }

    /// Hard-links the previous output's file at `rel` into the new output (a page whose
    /// fingerprint did not change); false if that is not possible, and then the caller
    /// renders and writes the page.
    pub fn link_previous(&self, rel: &str) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let Ok(meta) = fs::symlink_metadata(&old) else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            if fs::create_dir_all(dir).is_err() {
                return false;
            }
        }
        if fs::hard_link(&old, &path).is_err() {
            return false;
        }
        self.linked.fetch_add(1, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(meta.len(), Ordering::Relaxed);
        true
    }

    /// The fingerprints of this build's pages, saved beside the output on commit.
    pub fn set_pages(&self, pages: PageCache) {
        if let Ok(mut p) = self.pages.lock() {
            *p = Some(pages);
        }
    }

    /// Files that were unchanged since the previous output (hard-linked, not written).
    pub fn unchanged(&self) -> usize {
        self.linked.load(Ordering::Relaxed)
    }

    /// Files and bytes written so far.
    pub fn stats(&self) -> (usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// The staging folder (for steps that write with their own code).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Replaces the target with the staged output. Folders of the target written by other
    /// commands ([`KEEP`], e.g. `bulletins/`) move into the new output first, so a build
    /// never destroys them.
    pub fn commit(self) -> Result<(), String> {
        let carried = carry_over(&self.target, &self.staging);
        let result = swap(&self.staging, &self.target);
        if result.is_ok() {
            let pages = self.pages.lock().ok().and_then(|mut p| p.take());
            if let Some(pages) = pages {
                let tmp = self.manifest.with_extension("pages-new");
                if fs::write(&tmp, pages.to_text()).is_ok() {
                    let _ = fs::rename(&tmp, &self.manifest);
                }
            }
        }
        if result.is_err() {
            for name in carried {
                let _ = fs::rename(self.staging.join(name), self.target.join(name));
            }
            let _ = fs::remove_dir_all(&self.staging);
        }
        let _ = fs::remove_file(&self.lock);
        result
    }

    /// Drops the staged output, leaving the target untouched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
        let _ = fs::remove_file(&self.lock);
    }
}

/// The fingerprint of every page rendered by a build (path → hash of its template, theme and
/// context). Saved as `.NAME.pages` beside the output folder `NAME`; the next build reuses
/// (hard-links) a page whose fingerprint is unchanged instead of rendering it again. Editing
/// files inside the output by hand is not detected: delete the output folder (or the
/// `.NAME.pages` file) to render everything again.
#[derive(Default)]
pub struct PageCache {
    entries: Mutex<Vec<(String, u64)>>,
}

impl PageCache {
    /// An empty cache.
    pub fn new() -> PageCache {
        PageCache::default()
    }

    /// Records a page's fingerprint.
    pub fn record(&self, path: String, fingerprint: u64) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((path, fingerprint));
        }
    }

    fn to_text(&self) -> String {
        let mut e = self.entries.lock().map(|e| e.clone()).unwrap_or_default();
        e.sort();
        let mut s = String::with_capacity(e.len() * 48);
        for (path, fp) in e {
            s.push_str(&format!("{fp:016x} {path}\n"));
        }
        s
    }

    fn parse(text: &str) -> HashMap<String, u64> {
        text.lines()
            .filter_map(|l| {
                let (fp, path) = l.split_once(' ')?;
                Some((path.to_string(), u64::from_str_radix(fp, 16).ok()?))
            })
            .collect()
    }
}

/// Folders of the output that a build does not produce but keeps: `bulletins/` is written by
/// `rankpress bulletin` and holds `send`'s `sent.log`.
pub const KEEP: &[&str] = &["bulletins"];

/// Moves the [`KEEP`] folders of `target` into `staging` (unless the build wrote one itself);
/// returns the names moved.
fn carry_over(target: &Path, staging: &Path) -> Vec<&'static str> {
    KEEP.iter()
        .copied()
        .filter(|name| {
            let (from, to) = (target.join(name), staging.join(name));
            from.is_dir() && !to.exists() && fs::rename(&from, &to).is_ok()
        })
        .collect()
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings; renameat2 does not retain them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this platform"))
}

/// Puts `staging` in place of `target`: atomically where the OS can exchange two folders,
/// otherwise with two renames (the old output moves aside first).
fn swap(staging: &Path, target: &Path) -> Result<(), String> {
    if !target.exists() {
        return fs::rename(staging, target)
            .map_err(|e| io_err("cannot move into place", target, e));
    }
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous output: set aside for the next build to delete.
        discard(staging);
        return Ok(());
    }
    let old = staging.with_file_name(
        staging
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .replace(".staging-", ".old-"),
    );
    fs::rename(target, &old).map_err(|e| io_err("cannot move aside", target, e))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(io_err("cannot move into place", target, e));
    }
    discard(&old);
    Ok(())
}

/// Sets a previous output aside as `.NAME.trash-PID` instead of deleting it: deleting a
/// province's 5,000 folders takes ~0.5 s, which the next build does in the background while
/// it loads the data ([`empty_trash`]). Most of its files are hard links shared with the new
/// output, so it takes little room. Deleted at once if it cannot be renamed.
fn discard(old: &Path) {
    let name = old.file_name().unwrap_or_default().to_string_lossy();
    let trash = old.with_file_name(
        name.replace(".staging-", ".trash-")
            .replace(".old-", ".trash-"),
    );
    if trash == old || fs::rename(old, &trash).is_err() {
        let _ = fs::remove_dir_all(old);
    }
}

/// Deletes the previous outputs that builds into `target` set aside (`.NAME.trash-*` beside
/// it); a build calls it in the background while it loads. Any error is ignored (the next
/// build tries again).
pub fn empty_trash(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.trash-", name.to_string_lossy());
    if let Ok(rd) = fs::read_dir(parent) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(unix)]
fn is_alive(pid: &str) -> bool {
    match pid.parse::<i32>() {
        // SAFETY: kill with signal 0 only checks that the process exists.
        Ok(p) if p > 0 => unsafe { libc::kill(p, 0) == 0 },
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_alive(_pid: &str) -> bool {
    true
}
