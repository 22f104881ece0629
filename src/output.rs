//! Writing the output folder safely: files go into a fresh temporary folder beside the target,
//! which replaces the target only when the whole build succeeded. An OS lock on `.NAME.lock`
//! stops two builds from racing into the same folder.
//!
//! A build only ever replaces a folder that is absent, empty or a previous rankpress output
//! (marked by the file [`MARKER`]) holding nothing but what that build wrote: the marker lists
//! every file and folder of the output; see [`check_target`]. What a build sets aside (the
//! previous output as `.NAME.trash-TOKEN`, leftovers of killed builds as `.NAME.staging-TOKEN`
//! or `.NAME.old-TOKEN`) is deleted only when its name is exactly that and its marker holds the
//! same `TOKEN`, which the build that made it wrote: never by a name's prefix alone.

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::diag::{t, Lang, Localize};

/// The file that marks a folder as a rankpress output, written into every output.
pub const MARKER: &str = ".rankpress-output";
/// The marker's first lines (its first line is the tool's name). A build's marker goes on
/// with `token TOKEN` (see [`new_token`], [`list_token`]) and, once the output is complete,
/// `files` and one line per entry of the output (a folder with a trailing `/`).
const MARKER_TEXT: &str =
    "rankpress\nThis folder is written by `rankpress build` and replaced by every build.\n";

/// The line of a marker that names its token.
const TOKEN_LINE: &str = "token ";
/// The line of a marker after which the output's entries are listed.
const FILES_LINE: &str = "files";

/// A build's output in progress.
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
    /// The open lock file: the OS lock on it lasts as long as this handle (and dies with the
    /// process, so a killed build never leaves a lock that blocks the next one).
    lock_file: fs::File,
    /// What this build may reuse of the previous output (hard-linked instead of written) and
    /// the page manifest (see [`crate::cache::pages`]).
    reuse: crate::cache::Reuse,
    /// This build's random token: in its staging folder's name and marker until the output is
    /// complete (see [`new_token`], [`Output::seal`]).
    token: String,
    /// The previous output's token (its marker's), naming it when it is set aside.
    previous_token: Option<String>,
    files: AtomicUsize,
    bytes: AtomicU64,
}

/// Why the output folder could not be used or written. Facts only; [`Localize`] gives the
/// user's message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The output folder's path has no parent folder.
    #[error("output folder has no parent")]
    NoParent,
    /// The output folder's path has no name.
    #[error("output folder has no name")]
    NoName,
    /// A file operation failed.
    #[error("{} {}: {source}", op.words(), path.display())]
    Io {
        /// What was being done.
        op: Op,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// [`resolve`]: the output folder would be the root folder.
    #[error("the output folder cannot be {}", .0.display())]
    Root(PathBuf),
    /// [`check_target`]: the folder may not be replaced by a build.
    #[error("the output {} is refused: {reason:?}", target.display())]
    Refused {
        /// The output folder as resolved.
        target: PathBuf,
        /// Why.
        reason: Refusal,
    },
    /// [`check_target`]: the folder is or holds a confidential folder.
    #[error(transparent)]
    Confidential(#[from] crate::confidential::Error),
    /// Bulletins of an earlier version could not be moved out of the output (the message of
    /// [`crate::confidential::move_legacy_bulletins`], in the site's language).
    #[error("{0}")]
    LegacyBulletins(String),
    /// Another build holds the lock on the output folder.
    #[error("another rankpress (pid {pid:?}) is building into {}", target.display())]
    Busy {
        /// The process id written into the lock file, if any.
        pid: Option<String>,
        /// The output folder.
        target: PathBuf,
    },
}

/// The file operation of an [`Error::Io`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Creating a folder or file.
    Create,
    /// Writing a file.
    Write,
    /// Moving the staged output into place.
    MoveIntoPlace,
    /// Moving the previous output aside.
    MoveAside,
    /// Making a path absolute.
    Resolve,
    /// Locking the lock file.
    Lock,
}

impl Op {
    /// The words before the path in the message (English in every language, as before).
    fn words(self) -> &'static str {
        match self {
            Op::Create => "cannot create",
            Op::Write => "cannot write",
            Op::MoveIntoPlace => "cannot move into place",
            Op::MoveAside => "cannot move aside",
            Op::Resolve => "cannot resolve",
            Op::Lock => "cannot lock",
        }
    }
}

/// Why [`check_target`] refuses an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It is a symbolic link (to this path).
    Symlink(PathBuf),
    /// It is a regular file.
    File,
    /// It is the site folder.
    SiteFolder,
    /// It contains the site folder (this one).
    ContainsSite(PathBuf),
    /// It is `content/`.
    Content,
    /// It lies inside `content/`.
    InsideContent,
    /// It holds a `content/` folder.
    HoldsContent,
    /// A marked output holding entries its last build did not write.
    Foreign {
        /// A few of them, for the message.
        entries: String,
        /// How many.
        total: usize,
    },
    /// A folder holding files rankpress did not write.
    NotOurs {
        /// A few of them, for the message.
        entries: String,
        /// How many.
        total: usize,
    },
}

impl Localize for Error {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Error::NoParent | Error::NoName | Error::Io { .. } | Error::LegacyBulletins(_) => {
                self.to_string()
            }
            Error::Root(path) => t!(
                lang,
                "输出文件夹不能是根目录（{}）",
                "the output folder cannot be {}",
                path.display()
            ),
            Error::Refused { target, reason } => {
                let (zh, en) = reason.words(target);
                match lang {
                    Lang::Zh => format!("{zh}。rankpress 只会替换不存在的文件夹、空文件夹或它以前生成的输出文件夹；请用 -o 另选一个文件夹（例如 -o output）"),
                    Lang::En => format!("{en}. rankpress only replaces a folder that is absent, empty or an earlier rankpress output; choose another folder with -o (e.g. -o output)"),
                }
            }
            Error::Confidential(e) => e.localize(lang),
            Error::Busy { pid, target } => {
                let pid = match (pid, lang) {
                    (None, _) => String::new(),
                    (Some(pid), Lang::Zh) => format!("（{pid}）"),
                    (Some(pid), Lang::En) => format!(" (pid {pid})"),
                };
                t!(
                    lang,
                    "另一个 rankpress 进程{}正在写入 {}；请等待它完成",
                    "another rankpress{} is building into {}; wait for it to finish",
                    pid,
                    target.display()
                )
            }
        }
    }
}

impl Refusal {
    /// What is wrong with the output folder `target`, in Chinese and in English.
    fn words(&self, target: &Path) -> (String, String) {
        let shown = target.display();
        match self {
            Refusal::Symlink(real) => (
                format!("输出位置 {shown} 是一个符号链接（指向 {}），rankpress 不会替换链接或通过链接写入", real.display()),
                format!("the output {shown} is a symbolic link (to {}); rankpress never replaces a link or writes through one", real.display()),
            ),
            Refusal::File => (
                format!("输出位置 {shown} 是一个文件，不是文件夹"),
                format!("the output {shown} is a file, not a folder"),
            ),
            Refusal::SiteFolder => (
                format!("输出文件夹 {shown} 就是网站文件夹本身"),
                format!("the output folder {shown} is the site folder itself"),
            ),
            Refusal::ContainsSite(root) => (
                format!("输出文件夹 {shown} 包含网站文件夹 {}", root.display()),
                format!(
                    "the output folder {shown} contains the site folder {}",
                    root.display()
                ),
            ),
            Refusal::Content => (
                format!("输出文件夹 {shown} 就是数据文件夹 content/"),
                format!("the output folder {shown} is the data folder content/"),
            ),
            Refusal::InsideContent => (
                format!("输出文件夹 {shown} 位于数据文件夹 content/ 之内"),
                format!("the output folder {shown} is inside the data folder content/"),
            ),
            Refusal::HoldsContent => (
                format!("输出文件夹 {shown} 含有 content/ 文件夹（像是一个网站的文件夹）"),
                format!(
                    "the output folder {shown} holds a content/ folder (it looks like a site folder)"
                ),
            ),
            Refusal::Foreign { entries, total } => (
                format!("输出文件夹 {shown} 里有上次生成之后加入的、不是 rankpress 写的内容（共 {total} 项：{entries}），生成网站会替换整个文件夹，所以不会写入。请先把它们移到别处"),
                format!("the output folder {shown} holds files that its last build did not write ({total} entries: {entries}); a build replaces the whole folder, so nothing was written. Move them elsewhere first"),
            ),
            Refusal::NotOurs { entries, total } => (
                format!("输出文件夹 {shown} 里已有不是 rankpress 生成的内容（共 {total} 项：{entries}），生成网站会替换整个文件夹，所以不会写入。若这些文件不再需要，可先清空该文件夹"),
                format!("the output folder {shown} holds files rankpress did not write ({total} entries: {entries}); a build replaces the whole folder, so nothing was written. If those files are not needed, empty the folder first"),
            ),
        }
    }
}

/// An [`Error::Io`] of `op` on `path`.
fn io_err(op: Op, path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        op,
        path: path.to_path_buf(),
        source,
    }
}

impl Output {
    /// Starts a build of the site at `root` into `target`, already resolved ([`resolve`]) and
    /// checked ([`check_target`]) once by the caller before the build read anything (see
    /// [`crate::project::Project::output`]): takes the lock, checks the target again under it
    /// and creates the staging folder.
    pub fn begin(root: &Path, target: &Path, lang: Lang) -> Result<Output, Error> {
        let target = target.to_path_buf();
        let parent = target.parent().ok_or(Error::NoParent)?.to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_err(Op::Create, &parent, e))?;
        let name = target
            .file_name()
            .ok_or(Error::NoName)?
            .to_string_lossy()
            .into_owned();
        let lock = parent.join(format!(".{name}.lock"));
        let lock_file = take_lock(&lock, &target)?;
        // Checked again under the lock: another program may have changed the folder meanwhile.
        if let Err(e) = check_target(root, &target) {
            let _ = fs::remove_file(&lock);
            return Err(e);
        }
        // Leftovers of killed builds. A build killed between its two renames (platforms
        // without an atomic exchange) left the previous output aside: put it back. One of an
        // earlier version killed after carrying `bulletins/` (and its sent.log) into its
        // staging folder: carry it back, to be moved out of the output below.
        if let Ok(rd) = fs::read_dir(&parent) {
            let mut leftovers: Vec<(PathBuf, bool)> = rd
                .flatten()
                .filter_map(|e| {
                    let path = e.path();
                    if set_aside(&path, &name, "old") {
                        Some((path, true))
                    } else if set_aside(&path, &name, "staging") {
                        Some((path, false))
                    } else {
                        // A build killed before writing its staging folder's marker.
                        if set_aside_name(&path, &name, "staging").is_some() {
                            let _ = fs::remove_dir(&path);
                        }
                        None
                    }
                })
                .collect();
            leftovers.sort();
            for (path, is_old) in leftovers {
                if is_old && !target.exists() && fs::rename(&path, &target).is_ok() {
                    continue;
                }
                let legacy = path.join("bulletins");
                if target.is_dir() && legacy.is_dir() && !target.join("bulletins").exists() {
                    let _ = fs::rename(legacy, target.join("bulletins"));
                }
                remove_tree(&path);
            }
        }
        // Bulletins of an earlier version in the output move out of what gets published.
        if let Err(e) = crate::confidential::move_legacy_bulletins(root, &target, lang) {
            let _ = fs::remove_file(&lock);
            return Err(Error::LegacyBulletins(e));
        }
        // The previous output's token names it when it is set aside; an output of an earlier
        // version (no marker, or one without a token) gets one now, so that the trash it
        // becomes is recognised as rankpress's.
        let previous_token = target.is_dir().then(|| token_of(&target));
        let token = new_token();
        let staging = parent.join(format!(".{name}.staging-{token}"));
        fs::create_dir(&staging).map_err(|e| io_err(Op::Create, &staging, e))?;
        write_marker(&staging, &[&token], None)?;
        let previous = target.is_dir().then(|| target.clone());
        let reuse = crate::cache::Reuse::begin(&target, previous);
        Ok(Output {
            target,
            staging,
            lock,
            lock_file,
            reuse,
            token,
            previous_token,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// Writes one file at a relative path (forward slashes) inside the output.
    pub fn write(&self, rel: &str, data: &[u8]) -> Result<(), Error> {
        debug_assert!(
            !rel.split('/').any(|s| s == ".." || s.is_empty()),
            "a path outside the output: {rel}"
        );
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_err(Op::Create, dir, e))?;
        }
        if !self.reuse.link_unchanged(rel, data, &path) {
            fs::write(&path, data).map_err(|e| io_err(Op::Write, &path, e))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        crate::pause::point("written");
        Ok(())
    }

    /// What this build may reuse of the previous output (see [`crate::cache::pages`]).
    pub fn reuse(&self) -> &crate::cache::Reuse {
        &self.reuse
    }

    /// Hard-links the previous output's file at `rel` into the new output (a page whose key
    /// did not change, see [`crate::cache::Reuse::link_previous`]); false if that is not
    /// possible, and then the caller renders and writes the page.
    pub fn link_previous(&self, rel: &str) -> bool {
        let Some(len) = self.reuse.link_previous(rel, &self.staging.join(rel)) else {
            return false;
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        true
    }

    /// Files and bytes written so far.
    pub fn stats(&self) -> (usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// Replaces the target with the staged output. Nothing of the previous output is carried
    /// over: confidential files (bulletins, payrolls) live in folders of their own
    /// ([`crate::confidential`]).
    pub fn commit(self) -> Result<(), Error> {
        // The marker lists what this build wrote, so that the next build recognises anything
        // else as someone else's.
        let written = list_entries(&self.staging);
        let (staging, marked) = self.seal(&written);
        crate::pause::point("sealed");
        let result = marked.and_then(|()| swap(&staging, &self.target, &self.previous_token));
        if result.is_ok() {
            crate::pause::point("swapped");
            self.reuse.commit();
        }
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        self.release();
        result
    }

    /// Writes the complete staging folder's marker: the entries `written` and, so that two
    /// builds of the same data are byte-identical, the token of that list ([`list_token`])
    /// instead of this build's random one, renaming the folder to match. At every step the
    /// folder's name holds one of its marker's tokens, so a build killed meanwhile leaves a
    /// folder the next build recognises. Returns the folder's path (renamed or not).
    fn seal(&self, written: &[String]) -> (PathBuf, Result<(), Error>) {
        let token = list_token(written);
        let both = write_marker(&self.staging, &[&self.token, &token], Some(written));
        if let Err(e) = both {
            return (self.staging.clone(), Err(e));
        }
        let name = self
            .staging
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let base = name.strip_suffix(self.token.as_str()).unwrap_or(&name);
        let sealed = self.staging.with_file_name(format!("{base}{token}"));
        if fs::symlink_metadata(&sealed).is_ok() || fs::rename(&self.staging, &sealed).is_err() {
            // Kept under its name, with both tokens: still recognised, merely not identical.
            return (self.staging.clone(), Ok(()));
        }
        let result = write_marker(&sealed, &[&token], Some(written));
        (sealed, result)
    }

    /// Drops the staged output, leaving the target untouched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
        self.release();
    }

    /// Removes the lock file while still holding its lock, then releases it (a build waiting
    /// on the removed file notices and opens the path again, see [`take_lock`]).
    fn release(self) {
        let _ = fs::remove_file(&self.lock);
        drop(self.lock_file);
    }
}

/// Exchanges the folders `a` and `b` atomically (`renameat2` with `RENAME_EXCHANGE`); an
/// error where the filesystem or kernel cannot (then [`swap`] renames twice).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this platform"))
}

/// Puts `staging` in place of `target`: atomically where the OS can exchange two folders,
/// otherwise with two renames (the old output moves aside first, as `.NAME.old-TOKEN`).
/// `previous` is the token of the output at `target` (see [`Output::begin`]).
fn swap(staging: &Path, target: &Path, previous: &Option<String>) -> Result<(), Error> {
    // Without a previous output (or one that appeared since the build began: then the rename
    // fails unless it is an empty folder), the staged output simply moves into place.
    let (Some(name), Some(previous), true) = (target.file_name(), previous, target.exists()) else {
        return fs::rename(staging, target).map_err(|e| io_err(Op::MoveIntoPlace, target, e));
    };
    let name = name.to_string_lossy();
    let trash = target.with_file_name(format!(".{name}.trash-{previous}"));
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous output: set aside for the next build to delete.
        discard(staging, &trash);
        return Ok(());
    }
    let old = target.with_file_name(format!(".{name}.old-{previous}"));
    fs::rename(target, &old).map_err(|e| io_err(Op::MoveAside, target, e))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(io_err(Op::MoveIntoPlace, target, e));
    }
    discard(&old, &trash);
    Ok(())
}

/// Sets a previous output aside as `trash` (`.NAME.trash-TOKEN`, its marker's token) instead
/// of deleting it: deleting a province's 5,000 folders takes ~0.5 s, which the next build does
/// in the background while it loads the data ([`empty_trash`]). Most of its files are hard
/// links shared with the new output, so it takes little room. Deleted at once if it cannot be
/// renamed (a folder of that name already exists).
fn discard(old: &Path, trash: &Path) {
    if fs::symlink_metadata(trash).is_ok() || fs::rename(old, trash).is_err() {
        remove_tree(old);
    }
}

/// Deletes the previous outputs that builds into `target` set aside (`.NAME.trash-TOKEN`
/// beside it); a build calls it in the background while it loads. Any error is ignored (the
/// next build tries again). Only folders named exactly so whose marker holds the same token
/// are deleted ([`set_aside`]): a folder that rankpress did not set aside itself (a user's
/// copy of the output, whatever its name) is never touched.
pub fn empty_trash(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    if let Ok(rd) = fs::read_dir(parent) {
        for e in rd.flatten() {
            if set_aside(&e.path(), &name, "trash") {
                remove_tree(&e.path());
            }
        }
    }
}

/// A new token: 16 lowercase hexadecimal digits, different for every build (process id, time
/// and a counter, hashed). It names a build's staging folder and is written into its marker.
fn new_token() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let key = crate::cache::KeyBuilder::new()
        .str("token")
        .u64(std::process::id().into())
        .value(&nanos)
        .u64(COUNT.fetch_add(1, Ordering::Relaxed))
        .finish_key();
    format!("{:016x}", key.0)
}

/// The token of a complete output: a hash of its list of entries, so that the same output
/// always has the same marker.
fn list_token(files: &[String]) -> String {
    let key = crate::cache::KeyBuilder::new()
        .str("list token")
        .value(files)
        .finish_key();
    format!("{:016x}", key.0)
}

/// True for a token as [`new_token`] and [`list_token`] make them.
fn is_token(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The token in the name of `path` when it is named `.NAME.KIND-TOKEN` exactly, for the
/// output folder `name`.
fn set_aside_name<'a>(path: &'a Path, name: &str, kind: &str) -> Option<&'a str> {
    let token = path
        .file_name()?
        .to_str()?
        .strip_prefix(&format!(".{name}.{kind}-"))?;
    is_token(token).then_some(token)
}

/// True when `path` is a folder a build into `name` set aside as `kind` (`staging`, `old`,
/// `trash`): a real folder (not a symlink) named exactly `.NAME.KIND-TOKEN` whose marker holds
/// the same token.
fn set_aside(path: &Path, name: &str, kind: &str) -> bool {
    set_aside_name(path, name, kind).is_some_and(|token| {
        fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
            && read_marker(path).is_some_and(|m| m.tokens.iter().any(|t| t == token))
    })
}

/// What a [`MARKER`] holds.
struct Marker {
    /// The tokens of the folder (one, but two for a moment while a build completes its
    /// staging folder; markers of earlier versions have none).
    tokens: Vec<String>,
    /// Every entry of the output, relative, folders with a trailing `/` (none before the
    /// build completed, and in markers of earlier versions).
    files: Option<HashSet<String>>,
}

/// Reads the [`MARKER`] of `dir`, if it has one written by rankpress (see [`has_marker`]).
fn read_marker(dir: &Path) -> Option<Marker> {
    if !has_marker(dir) {
        return None;
    }
    let text = fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut lines = text.lines();
    let mut tokens = Vec::new();
    for line in lines.by_ref() {
        if line == FILES_LINE {
            let files = lines.map(str::to_string).collect();
            return Some(Marker {
                tokens,
                files: Some(files),
            });
        }
        if let Some(t) = line.strip_prefix(TOKEN_LINE).filter(|t| is_token(t)) {
            tokens.push(t.to_string());
        }
    }
    Some(Marker {
        tokens,
        files: None,
    })
}

/// Writes the [`MARKER`] of `dir`: its tokens and, once known, the output's entries.
fn write_marker(dir: &Path, tokens: &[&str], files: Option<&[String]>) -> Result<(), Error> {
    let mut text = MARKER_TEXT.to_string();
    for token in tokens {
        text.push_str(&format!("{TOKEN_LINE}{token}\n"));
    }
    if let Some(files) = files {
        text.push_str(FILES_LINE);
        text.push('\n');
        for f in files {
            text.push_str(f);
            text.push('\n');
        }
    }
    // Through a temporary file, so that a build killed meanwhile leaves a whole marker.
    let path = dir.join(MARKER);
    let tmp = dir.join(format!("{MARKER}.tmp"));
    fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, &path))
        .map_err(|e| io_err(Op::Write, &path, e))
}

/// The token of the output `target`, from its marker; an output without one (written by an
/// earlier version) gets a new one, written into its marker (keeping its list of entries).
fn token_of(target: &Path) -> String {
    let marker = read_marker(target);
    if let Some(token) = marker.as_ref().and_then(|m| m.tokens.first().cloned()) {
        return token;
    }
    let token = new_token();
    let files: Option<Vec<String>> = marker.and_then(|m| m.files).map(|f| {
        let mut f: Vec<String> = f.into_iter().collect();
        f.sort();
        f
    });
    let _ = write_marker(target, &[&token], files.as_deref());
    token
}

/// True for the relative path of the [`MARKER`] or of the temporary file it is written
/// through ([`write_marker`]), which a killed build may leave.
fn is_marker_file(rel: &str) -> bool {
    rel.strip_prefix(MARKER)
        .is_some_and(|rest| rest.is_empty() || rest == ".tmp")
}

/// The name of the entry `e` found under `dir` as a marker lists it: relative, with `/`
/// between folders, a folder with a trailing `/`.
fn entry_name(dir: &Path, e: &walkdir::DirEntry) -> Option<String> {
    let rel = e.path().strip_prefix(dir).ok()?;
    let mut name = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if e.file_type().is_dir() {
        name.push('/');
    }
    Some(name)
}

/// Every entry under `dir` but its [`MARKER`], as [`entry_name`] gives it, sorted.
fn list_entries(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter_map(|e| entry_name(dir, &e))
        .filter(|name| !is_marker_file(name))
        .collect();
    out.sort();
    out
}

/// The entries of the output `target` that its previous build did not write (per its
/// marker's list), as [`entry_name`] gives them (a folder is not looked into), sorted; not the
/// bulletins an earlier version wrote there, which the build moves out. Empty when the marker
/// has no list (an output of an earlier version, adopted as before).
fn foreign_entries(target: &Path) -> Vec<String> {
    let Some(files) = read_marker(target).and_then(|m| m.files) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut walk = walkdir::WalkDir::new(target).min_depth(1).into_iter();
    while let Some(e) = walk.next() {
        let Some(name) = e.ok().and_then(|e| entry_name(target, &e)) else {
            continue;
        };
        // Bulletins an earlier version wrote into the output are moved out by the build
        // (`confidential::move_legacy_bulletins`), never deleted.
        let legacy = name.strip_suffix('/') == Some(crate::confidential::LEGACY_BULLETINS);
        let foreign = !legacy && !is_marker_file(&name) && !files.contains(&name);
        if (legacy || foreign) && name.ends_with('/') {
            walk.skip_current_dir();
        }
        if foreign {
            out.push(name);
        }
    }
    out.sort();
    out
}

/// `path` made absolute, with `.` and `..` resolved and the folders above it canonicalised
/// (symlinks resolved); the last component is kept as it is, so a symlink given as the output
/// is still seen as a symlink.
pub fn resolve(path: &Path) -> Result<PathBuf, Error> {
    let abs = std::path::absolute(path).map_err(|e| io_err(Op::Resolve, path, e))?;
    let mut parts: Vec<Component> = Vec::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(parts.last(), Some(Component::Normal(_))) {
                    parts.pop();
                }
            }
            c => parts.push(c),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    let (Some(parent), Some(name)) = (normal.parent(), normal.file_name()) else {
        return Err(Error::Root(normal));
    };
    Ok(canonical_lenient(parent).join(name))
}

/// `path` made absolute and canonicalised as far as it exists: the longest existing ancestor
/// is canonicalised and the rest appended, with `.` and `..` applied (so that `a/../b` and
/// symlinks compare correctly with another folder).
pub fn canonical_lenient(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = fs::canonicalize(cur) {
            let mut out = c;
            for r in rest.iter().rev() {
                match r {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (cur.parent(), cur.components().next_back()) {
            (Some(p), Some(c)) => {
                rest.push(c);
                cur = p;
            }
            _ => return abs,
        }
    }
}

/// True when `dir` carries the [`MARKER`] written by rankpress (a regular file whose first line
/// is the tool's name).
pub fn has_marker(dir: &Path) -> bool {
    has_marker_named(dir, MARKER)
}

/// True when `dir` carries the marker file `name` written by rankpress (a regular file whose
/// first line is the tool's name): the output's [`MARKER`], or a confidential folder's
/// ([`crate::confidential::Kind::marker`]).
pub fn has_marker_named(dir: &Path, name: &str) -> bool {
    let m = dir.join(name);
    let mut head = Vec::new();
    fs::symlink_metadata(&m).is_ok_and(|md| md.is_file())
        && fs::File::open(&m).is_ok_and(|f| f.take(11).read_to_end(&mut head).is_ok())
        && head
            .split(|&b| b == b'\n')
            .next()
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            == Some(b"rankpress".as_slice())
}

/// Deletes a folder of rankpress's, first making every folder in it writable (a read-only
/// folder cannot be emptied otherwise, and would pile up).
fn remove_tree(dir: &Path) {
    if fs::remove_dir_all(dir).is_ok() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A folder is yielded before it is read, so it is made readable in time.
        for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if e.file_type().is_dir() {
                if let Ok(m) = e.metadata() {
                    let mode = m.permissions().mode();
                    if mode & 0o700 != 0o700 {
                        let _ =
                            fs::set_permissions(e.path(), fs::Permissions::from_mode(mode | 0o700));
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if let Ok(m) = e.metadata() {
            let mut p = m.permissions();
            if p.readonly() {
                #[allow(clippy::permissions_set_readonly_false)]
                p.set_readonly(false);
                let _ = fs::set_permissions(e.path(), p);
            }
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// The names of a few entries of `dir`, for messages (`a.txt, notes/, …`), and how many there
/// are in all.
fn some_entries(dir: &Path) -> (String, usize) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if e.file_type().is_ok_and(|t| t.is_dir()) {
                        format!("{n}/")
                    } else {
                        n
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    summary(names)
}

/// The first few of `names`, for messages (`a.txt, notes/, …`), and how many there are.
fn summary(names: Vec<String>) -> (String, usize) {
    let total = names.len();
    let mut shown = names.into_iter().take(5).collect::<Vec<_>>().join(", ");
    if total > 5 {
        shown.push_str(", …");
    }
    (shown, total)
}

/// Checks that a build of the site at `root` may write `target` (already [`resolve`]d):
/// the target must be absent, an empty folder or a previous rankpress output holding only
/// what that build wrote ([`foreign_entries`]), and must not be
/// the site folder, a folder above it, a folder holding a `content/` folder, or lie inside
/// `content/`. A regular file or a symlink is refused. The message (site's language) says what
/// is there and how to proceed.
pub fn check_target(root: &Path, target: &Path) -> Result<(), Error> {
    let refuse = |reason: Refusal| -> Result<(), Error> {
        Err(Error::Refused {
            target: target.to_path_buf(),
            reason,
        })
    };
    let root = fs::canonicalize(root).unwrap_or_else(|_| canonical_lenient(root));
    let content = fs::canonicalize(root.join("content")).unwrap_or_else(|_| root.join("content"));
    let real = fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
    if let Ok(m) = fs::symlink_metadata(target) {
        if m.file_type().is_symlink() {
            return refuse(Refusal::Symlink(real));
        }
        if !m.is_dir() {
            return refuse(Refusal::File);
        }
    }
    crate::confidential::check_publish(target)?;
    if real == root {
        return refuse(Refusal::SiteFolder);
    }
    if root.starts_with(&real) {
        return refuse(Refusal::ContainsSite(root));
    }
    if real == content {
        return refuse(Refusal::Content);
    }
    if real.starts_with(&content) || real.starts_with(root.join("content")) {
        return refuse(Refusal::InsideContent);
    }
    if content.starts_with(&real) || real.join("content").exists() {
        return refuse(Refusal::HoldsContent);
    }
    if !target.is_dir() {
        return Ok(());
    }
    if has_marker(target) {
        let (entries, total) = summary(foreign_entries(target));
        if total == 0 {
            return Ok(());
        }
        return refuse(Refusal::Foreign { entries, total });
    }
    let (entries, total) = some_entries(target);
    if total == 0 {
        return Ok(());
    }
    // An output of a version before the marker: the page manifest of its build is beside it.
    if legacy_output(target) {
        return Ok(());
    }
    refuse(Refusal::NotOurs { entries, total })
}

/// True for an output written by a rankpress version before the [`MARKER`]: its build left
/// the page manifest `.NAME.pages` beside it, and it has the site's `index.html`.
fn legacy_output(target: &Path) -> bool {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return false;
    };
    let manifest = parent.join(format!(".{}.pages", name.to_string_lossy()));
    fs::symlink_metadata(manifest).is_ok_and(|m| m.is_file())
        && fs::symlink_metadata(target.join("index.html")).is_ok_and(|m| m.is_file())
}

/// Takes the OS lock (`flock` on Unix, `LockFileEx` on Windows) on the file `path`, refusing
/// when another build holds it. The lock is tied to the open file, so it dies with its
/// process: a file left by a killed build, whatever pid it names, never blocks a build. The
/// pid written into the file is only for the message.
fn take_lock(path: &Path, target: &Path) -> Result<fs::File, Error> {
    for _ in 0..100 {
        let mut f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| io_err(Op::Create, path, e))?;
        match fs4::FileExt::try_lock(&f) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = f.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(Error::Busy {
                    pid: (!pid.is_empty()).then(|| pid.to_string()),
                    target: target.to_path_buf(),
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(io_err(Op::Lock, path, e)),
        }
        // The build that held the lock removes the file before releasing it: if that happened
        // after we opened it, our lock is on a file nobody else sees; open the path again.
        if !same_file(&f, path) {
            continue;
        }
        let _ = f.set_len(0);
        let _ = f.rewind();
        let _ = writeln!(f, "{}", std::process::id());
        return Ok(f);
    }
    Err(io_err(
        Op::Lock,
        path,
        std::io::Error::other("the lock file keeps changing"),
    ))
}

#[cfg(unix)]
fn same_file(f: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_f: &fs::File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("site");
        fs::create_dir_all(root.join("content/results")).unwrap();
        let ok = |p: &Path| check_target(&root, &resolve(p).unwrap());
        assert!(ok(&root.join("output")).is_ok());
        assert!(ok(&d.path().join("elsewhere/public")).is_ok());
        for bad in [
            root.clone(),
            root.join("."),
            root.join("content"),
            root.join("content/results"),
            root.join("content/new"),
            d.path().to_path_buf(),
            root.join("output/../content"),
        ] {
            assert!(
                matches!(ok(&bad), Err(Error::Refused { .. })),
                "{}",
                bad.display()
            );
        }
        fs::create_dir_all(root.join("mine")).unwrap();
        assert!(ok(&root.join("mine")).is_ok(), "empty folder");
        fs::write(root.join("mine/a.txt"), "x").unwrap();
        let e = ok(&root.join("mine")).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { reason: Refusal::NotOurs { entries, total: 1 }, .. } if entries == "a.txt"),
            "{e:?}"
        );
        let e = e.localize(Lang::En);
        assert!(e.contains("(1 entries: a.txt)"), "{e}");
        fs::write(root.join("mine").join(MARKER), MARKER_TEXT).unwrap();
        assert!(ok(&root.join("mine")).is_ok(), "marked output");
        // A marker that is not rankpress's is not trusted.
        fs::write(root.join("mine").join(MARKER), "something else\n").unwrap();
        assert!(ok(&root.join("mine")).is_err());
    }

    #[test]
    fn errors_carry_facts_and_keep_their_messages() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        let e = check_target(&root, &root).unwrap_err();
        assert!(
            matches!(&e, Error::Refused { reason: Refusal::SiteFolder, target } if *target == root)
        );
        assert_eq!(
            e.localize(Lang::Zh),
            format!("输出文件夹 {} 就是网站文件夹本身。rankpress 只会替换不存在的文件夹、空文件夹或它以前生成的输出文件夹；请用 -o 另选一个文件夹（例如 -o output）", root.display())
        );
        let e = resolve(Path::new("/")).unwrap_err();
        assert!(matches!(&e, Error::Root(p) if p == Path::new("/")));
        assert_eq!(e.localize(Lang::En), "the output folder cannot be /");
        // A file where the output's parent folder should be: the OS error is kept as a fact.
        fs::write(d.path().join("file"), "x").unwrap();
        let target = d.path().join("file/out");
        let e = Output::begin(&root, &target, Lang::En).err().unwrap();
        assert!(
            matches!(&e, Error::Io { op: Op::Create, path, .. } if path == &d.path().join("file")),
            "{e:?}"
        );
        assert!(e.localize(Lang::Zh).starts_with("cannot create "), "{e}");
    }

    #[test]
    fn read_only_folders_are_removed() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let token = new_token();
        let t = d.path().join(format!(".out.trash-{token}"));
        fs::create_dir_all(t.join("a/b")).unwrap();
        fs::write(t.join("a/b/f"), "x").unwrap();
        write_marker(&t, &[&token], None).unwrap();
        fs::set_permissions(t.join("a/b"), fs::Permissions::from_mode(0o500)).unwrap();
        fs::set_permissions(t.join("a"), fs::Permissions::from_mode(0o500)).unwrap();
        empty_trash(&d.path().join("out"));
        assert!(!t.exists());
    }

    #[test]
    fn only_exact_names_with_their_token_are_set_aside() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (new_token(), new_token());
        assert!(a != b && is_token(&a) && is_token(&b), "{a} {b}");
        let make = |name: &str, token: Option<&str>| {
            let p = d.path().join(name);
            fs::create_dir_all(&p).unwrap();
            match token {
                Some(t) => write_marker(&p, &[t], Some(&[])).unwrap(),
                None => fs::write(p.join(MARKER), MARKER_TEXT).unwrap(),
            }
            p
        };
        assert!(set_aside(
            &make(&format!(".out.trash-{a}"), Some(&a)),
            "out",
            "trash"
        ));
        assert!(set_aside(
            &make(&format!(".out.old-{a}"), Some(&a)),
            "out",
            "old"
        ));
        for (name, token) in [
            (format!(".out.trash-{a}"), Some(&b)),
            (format!(".out.trash-{a}x"), Some(&a)),
            (".out.trash-mine".to_string(), Some(&a)),
            (".out.trash-1234".to_string(), None),
            (format!(".other.trash-{a}"), Some(&a)),
        ] {
            let p = d.path().join("case").join(&name);
            let p = make(p.to_str().unwrap(), token.map(String::as_str));
            assert!(!set_aside(&p, "out", "trash"), "{name}");
            fs::remove_dir_all(d.path().join("case")).unwrap();
        }
    }
}
