//! Where confidential files may go: the one policy that `build`, `bulletin` and `payroll`
//! follow.
//!
//! - `build` publishes its output folder (marked by [`crate::output::MARKER`]), so it never
//!   holds pay, bulletins or send logs.
//! - `bulletin` writes into `ROOT/bulletins/` (or `-o DIR`), marked by
//!   `.rankpress-bulletins`; `payroll` writes into `ROOT/payroll/` (or `-o DIR`), marked by
//!   `.rankpress-payroll` ([`Kind`]).
//! - A folder that receives pay or bulletins is never one that `build` publishes, and the
//!   reverse: [`check_publish`] refuses a build target that carries a confidential marker, lies
//!   inside a marked folder or holds one (at its top level, or anywhere in an output it would
//!   replace), and [`check_theme_folder`] one inside `static/` or `templates/`; [`check`]
//!   refuses a confidential folder that is, is inside or contains a site output, `content/`,
//!   a theme folder (`static/`, `templates/`, `i18n/`, `themes/`), a `.git` folder, the site
//!   folder or a folder above it, or the other kind's folder, and one that holds files
//!   rankpress did not write.
//! - Every confidential folder carries its own `.gitignore` (`*`): it stays out of git
//!   wherever it is.
//!
//! Paths are compared after resolving symlinks and `..`; the folder itself may not be a
//! symlink (nothing is written through a link).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{os_reason, t, Lang, Localize};
use crate::output::{canonical_lenient, has_marker, has_marker_named, resolve};

/// A kind of confidential folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The email bulletins written by `bulletin` (personal ones may hold the person's pay).
    Bulletins,
    /// The payroll files written by `payroll`.
    Payroll,
}

impl Kind {
    /// Both kinds.
    pub const ALL: [Kind; 2] = [Kind::Bulletins, Kind::Payroll];

    /// The marker file that every folder of this kind carries.
    pub fn marker(self) -> &'static str {
        match self {
            Kind::Bulletins => ".rankpress-bulletins",
            Kind::Payroll => ".rankpress-payroll",
        }
    }

    /// The folder of this kind: `chosen` (the command's `-o`), else `ROOT/bulletins` or
    /// `ROOT/payroll`.
    pub fn dir(self, root: &Path, chosen: Option<&Path>) -> PathBuf {
        chosen.map_or_else(|| root.join(self.default_name()), Path::to_path_buf)
    }

    fn default_name(self) -> &'static str {
        match self {
            Kind::Bulletins => "bulletins",
            Kind::Payroll => "payroll",
        }
    }

    fn other(self) -> Kind {
        match self {
            Kind::Bulletins => Kind::Payroll,
            Kind::Payroll => Kind::Bulletins,
        }
    }

    /// The folder's name in messages ("the bulletins folder").
    fn folder(self, lang: Lang) -> String {
        match self {
            Kind::Bulletins => t!(lang, "通报文件夹", "the bulletins folder"),
            Kind::Payroll => t!(lang, "工资表文件夹", "the payroll folder"),
        }
    }

    fn marker_text(self) -> String {
        format!(
            "rankpress\nThis folder holds confidential files written by `rankpress {}`: never publish it.\n",
            match self {
                Kind::Bulletins => "bulletin",
                Kind::Payroll => "payroll",
            }
        )
    }

    /// True when `dir` carries this kind's marker.
    pub fn marks(self, dir: &Path) -> bool {
        has_marker_named(dir, self.marker())
    }

    /// True for a file this kind's command writes (or its temporary file): what a folder of an
    /// earlier version, written before the markers, may hold and still be adopted.
    fn legacy_file(self, name: &str) -> bool {
        let month = |s: &str| {
            let b = s.as_bytes();
            b.len() == 7
                && b[4] == b'-'
                && s.bytes()
                    .enumerate()
                    .all(|(i, c)| i == 4 || c.is_ascii_digit())
        };
        let temporary = name.starts_with(".rankpress-") && name.ends_with(".tmp");
        temporary
            || match self {
                Kind::Payroll => name
                    .rsplit_once('.')
                    .is_some_and(|(m, ext)| month(m) && matches!(ext, "json" | "csv" | "xlsx")),
                Kind::Bulletins => false,
            }
    }
}

/// Why a confidential folder may not be used: the facts; [`Localize`] tells them in the site's
/// language.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// [`check`]: `dir` may not receive the files of `kind`.
    #[error("{kind:?} folder cannot be {}: {reason:?}", dir.display())]
    Refused {
        /// The kind of folder asked for.
        kind: Kind,
        /// The folder as the user gave it.
        dir: PathBuf,
        /// The kind's default folder, suggested instead.
        default: PathBuf,
        /// Why.
        reason: Refusal,
    },
    /// The folder's path could not be resolved ([`resolve`]).
    #[error("{0}")]
    Resolve(Box<crate::output::Error>),
    /// [`check_publish`]: the output folder is, lies inside or holds a confidential folder.
    #[error("the output folder {} cannot be published: {relation:?} {kind:?} folder {}", target.display(), found.display())]
    Publish {
        /// The output folder as resolved.
        target: PathBuf,
        /// The kind of the confidential folder.
        kind: Kind,
        /// The confidential folder.
        found: PathBuf,
        /// Where it is relative to the output folder.
        relation: Relation,
    },
    /// The marker or `.gitignore` could not be written into the folder.
    #[error("cannot write {}: {source}", path.display())]
    Mark {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// [`check_theme_folder`]: a theme folder holds a confidential folder.
    #[error("{} is a {kind:?} folder inside {}", found.display(), folder.display())]
    InTheme {
        /// Its kind.
        kind: Kind,
        /// The confidential folder, relative to the site.
        found: PathBuf,
        /// The theme folder, relative to the site.
        folder: PathBuf,
        /// Where the confidential folder belongs.
        default: PathBuf,
    },
}

/// Where a confidential folder found by [`check_publish`] is, relative to the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// It is the output folder.
    Is,
    /// The output folder lies inside it.
    Contains,
    /// The output folder holds it.
    Within,
}

/// Why [`check`] refuses a folder.
#[derive(Debug)]
pub enum Refusal {
    /// It is a symbolic link (to this).
    Symlink(PathBuf),
    /// It is a file.
    File,
    /// It is the site folder (this) or a folder above it.
    Site(PathBuf),
    /// It is, is inside or contains the data folder.
    Content(PathBuf),
    /// It is, is inside or contains a theme folder.
    Theme(PathBuf),
    /// It is inside a `.git` folder.
    InGit(PathBuf),
    /// It is, is inside or contains a site output.
    Output(PathBuf),
    /// It is or is inside the other kind's folder.
    InOther(Kind, PathBuf),
    /// It contains a `.git` folder.
    HoldsGit(PathBuf),
    /// It contains a site output.
    HoldsOutput(PathBuf),
    /// It contains the other kind's folder.
    HoldsOther(Kind, PathBuf),
    /// It holds files rankpress did not write and has no marker: how many, the first names.
    Foreign {
        /// How many entries.
        total: usize,
        /// The first five names, joined.
        names: String,
    },
}

impl Refusal {
    /// The reason, in Chinese and in English; `kind` is the kind of folder asked for.
    fn words(&self, kind: Kind, lang: Lang) -> (String, String) {
        match self {
            Refusal::Symlink(to) => (
                format!(
                    "它是一个符号链接（指向 {}），rankpress 不会通过链接写入",
                    to.display()
                ),
                format!(
                    "it is a symbolic link (to {}); rankpress never writes through a link",
                    to.display()
                ),
            ),
            Refusal::File => (
                "它是一个文件，不是文件夹".into(),
                "it is a file, not a folder".into(),
            ),
            Refusal::Site(site) => (
                format!("它是网站文件夹 {} 或其上级文件夹", site.display()),
                format!(
                    "it is the site folder {} or a folder above it",
                    site.display()
                ),
            ),
            Refusal::Content(content) => (
                format!("它是、位于或包含数据文件夹 {}", content.display()),
                format!(
                    "it is, is inside or contains the data folder {}",
                    content.display()
                ),
            ),
            Refusal::Theme(folder) => (
                format!(
                    "它是、位于或包含网站的主题文件夹 {}（生成网站时会读取，static/ 会被复制进网站并发布）",
                    folder.display()
                ),
                format!(
                    "it is, is inside or contains the site's theme folder {} (read by every build; static/ is copied into the published site)",
                    folder.display()
                ),
            ),
            Refusal::InGit(git) => (
                format!("它位于 git 仓库的内部文件夹 {} 之内", git.display()),
                format!("it is inside the git folder {}", git.display()),
            ),
            Refusal::Output(out) => (
                format!(
                    "它是、位于或包含网站输出文件夹 {}（会被发布）",
                    out.display()
                ),
                format!(
                    "it is, is inside or contains the site output {} (which gets published)",
                    out.display()
                ),
            ),
            Refusal::InOther(other, o) => (
                format!(
                    "它是或位于{} {}（标记 {}）之内",
                    other.folder(lang),
                    o.display(),
                    other.marker()
                ),
                format!(
                    "it is or is inside {} {} (marker {})",
                    other.folder(lang),
                    o.display(),
                    other.marker()
                ),
            ),
            Refusal::HoldsGit(git) => (
                format!("它包含 git 文件夹 {}", git.display()),
                format!("it contains the git folder {}", git.display()),
            ),
            Refusal::HoldsOutput(at) => (
                format!("它包含网站输出文件夹 {}（会被发布）", at.display()),
                format!(
                    "it contains the site output {} (which gets published)",
                    at.display()
                ),
            ),
            Refusal::HoldsOther(other, at) => (
                format!("它包含{} {}", other.folder(lang), at.display()),
                format!("it contains {} {}", other.folder(lang), at.display()),
            ),
            Refusal::Foreign { total, names } => (
                format!(
                    "它里面已有不是 rankpress 生成的内容（共 {total} 项：{names}），且没有标记 {}",
                    kind.marker()
                ),
                format!(
                    "it holds files rankpress did not write ({total} entries: {names}) and has no marker {}",
                    kind.marker()
                ),
            ),
        }
    }
}

impl Localize for Error {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Error::Refused {
                kind,
                dir,
                default,
                reason,
            } => {
                let (what, shown) = (kind.folder(lang), dir.display());
                let (zh, en) = reason.words(*kind, lang);
                match lang {
                    Lang::Zh => format!("不能把{what}设为 {shown}：{zh}。通报和工资表保密，只能写入单独的文件夹（默认 {}），绝不进入网站、数据或 git；请用 -o 另选一个文件夹", default.display()),
                    Lang::En => format!("{what} cannot be {shown}: {en}. Bulletins and payrolls are confidential and go into a folder of their own (default {}), never into the site, the data or git; choose another folder with -o", default.display()),
                }
            }
            Error::Resolve(e) => e.localize(lang),
            Error::Publish {
                target,
                kind,
                found,
                relation,
            } => {
                let folder = kind.folder(lang);
                let how = match relation {
                    Relation::Is => t!(lang, "它就是{folder}", "it is {folder}"),
                    Relation::Contains => t!(
                        lang,
                        "它位于{folder} {} 之内",
                        "it is inside {folder} {}",
                        found.display()
                    ),
                    Relation::Within => t!(
                        lang,
                        "它含有{folder} {}",
                        "it holds {folder} {}",
                        found.display()
                    ),
                };
                t!(
                    lang,
                    "输出文件夹 {} 不能用来生成网站：{}（标记 {}）；保密文件绝不发布。请用 -o 另选一个文件夹（例如 -o output）",
                    "the output folder {} cannot be published: {} (marker {}), and confidential files are never published. Choose another folder with -o (e.g. -o output)",
                    target.display(),
                    how,
                    kind.marker()
                )
            }
            Error::Mark { path, source } => t!(
                lang,
                "无法写入 {}：{}；请删除或移走它后重试",
                "cannot write {}: {}; delete or move it away and try again",
                path.display(),
                os_reason(lang, source)
            ),
            Error::InTheme {
                kind,
                found,
                folder,
                default,
            } => t!(
                lang,
                "{} 是{}（标记 {}），保密文件绝不发布，不能放在网站的 {} 中（生成网站会读取并复制它）。请把它移到 {} 后再生成网站",
                "{} is {} (marker {}): confidential files are never published, and it cannot stay in the site's {} (every build reads and copies it). Move it to {}, then build again",
                found.display(),
                kind.folder(lang),
                kind.marker(),
                folder.display(),
                default.display()
            ),
        }
    }
}

/// Checks that `dir` may receive the confidential files of `kind` for the site at `root`; the
/// error names the folder refused and why. Returns `dir` resolved.
pub fn check(root: &Path, dir: &Path, kind: Kind) -> Result<PathBuf, Error> {
    let target = resolve(dir).map_err(|e| Error::Resolve(Box::new(e)))?;
    let refuse = |reason: Refusal| -> Result<PathBuf, Error> {
        Err(Error::Refused {
            kind,
            dir: dir.to_path_buf(),
            default: kind.dir(root, None),
            reason,
        })
    };
    if let Ok(m) = fs::symlink_metadata(&target) {
        if m.file_type().is_symlink() {
            let to = canonical_lenient(&target);
            return refuse(Refusal::Symlink(to));
        }
        if !m.is_dir() {
            return refuse(Refusal::File);
        }
    }
    let real = canonical_lenient(&target);
    let site = canonical_lenient(root);
    let content = canonical_lenient(&root.join("content"));
    let output = canonical_lenient(&root.join("output"));
    if site.starts_with(&real) {
        return refuse(Refusal::Site(site));
    }
    if real.starts_with(&content) || content.starts_with(&real) {
        return refuse(Refusal::Content(content));
    }
    // The theme's folders: `build` copies `static/` (the site's and each theme's) into the
    // site, and reads the others as the site's own files.
    for name in crate::load::THEME_FOLDERS {
        let folder = canonical_lenient(&root.join(name));
        if real.starts_with(&folder) || folder.starts_with(&real) {
            return refuse(Refusal::Theme(folder));
        }
    }
    if let Some(git) = real
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == ".git"))
    {
        return refuse(Refusal::InGit(git.to_path_buf()));
    }
    let site_output = real
        .ancestors()
        .find(|a| has_marker(a))
        .map(Path::to_path_buf)
        .or_else(|| real.starts_with(&output).then(|| output.clone()))
        .or_else(|| output.starts_with(&real).then(|| output.clone()));
    if let Some(out) = site_output {
        return refuse(Refusal::Output(out));
    }
    let other = kind.other();
    if let Some(o) = real.ancestors().find(|a| other.marks(a)) {
        return refuse(Refusal::InOther(other, o.to_path_buf()));
    }
    if !real.is_dir() {
        return Ok(target);
    }
    // What the folder holds: another kind's folder, a site output or a git folder anywhere in
    // it (an own folder is small: a month's bulletins, or payroll files).
    let mine = kind.marks(&real);
    let depth = if mine { usize::MAX } else { 2 };
    let mut foreign = Vec::new();
    for e in walkdir::WalkDir::new(&real)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name()
    {
        let Ok(e) = e else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        let at = e.path().parent().unwrap_or(&real);
        if name == ".git" {
            return refuse(Refusal::HoldsGit(e.path().to_path_buf()));
        }
        if name == crate::output::MARKER && has_marker(at) {
            return refuse(Refusal::HoldsOutput(at.to_path_buf()));
        }
        if name == other.marker() && other.marks(at) {
            return refuse(Refusal::HoldsOther(other, at.to_path_buf()));
        }
        if e.depth() == 1 && !mine && name != kind.marker() && !kind.legacy_file(&name) {
            foreign.push(name);
        }
    }
    if !foreign.is_empty() {
        let total = foreign.len();
        let mut names = foreign.into_iter().take(5).collect::<Vec<_>>().join(", ");
        if total > 5 {
            names.push_str(", …");
        }
        return refuse(Refusal::Foreign { total, names });
    }
    Ok(target)
}

/// [`check`], then creates the folder if needed and marks it with the kind's marker; returns
/// the folder, resolved.
pub fn claim(root: &Path, dir: &Path, kind: Kind) -> Result<PathBuf, Error> {
    let target = check(root, dir, kind)?;
    mark(&target, kind)?;
    Ok(target)
}

/// What a confidential folder's own `.gitignore` holds: everything in the folder, itself
/// included, stays out of git wherever the folder is (the site's `.gitignore` may not name it).
const GITIGNORE: &str =
    "# rankpress: confidential files (bulletins, payroll), never committed\n*\n";

/// Creates `dir` if needed and writes the kind's marker and a `.gitignore` that keeps the
/// folder out of git into it, unless they are there.
fn mark(dir: &Path, kind: Kind) -> Result<(), Error> {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        crate::fsutil::write_atomic(&path, text.as_bytes())
            .map_err(|source| Error::Mark { path, source })
    };
    if !kind.marks(dir) {
        write(kind.marker(), &kind.marker_text())?;
    }
    if fs::symlink_metadata(dir.join(".gitignore")).is_err() {
        write(".gitignore", GITIGNORE)?;
    }
    Ok(())
}

/// The first confidential folder (its kind and path) at or below `dir`, looking `depth`
/// levels down; an unreadable entry is skipped.
pub fn find_within(dir: &Path, depth: usize) -> Option<(Kind, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .find_map(|e| {
            Kind::ALL
                .into_iter()
                .find(|k| k.marks(e.path()))
                .map(|k| (k, e.path().to_path_buf()))
        })
}

/// Checks that the theme folder `dir` of the site at `root` (its `static/`, copied into the
/// published site, or its `templates/`) holds no confidential folder: a build refuses one,
/// naming it and where it belongs.
pub fn check_theme_folder(root: &Path, dir: &Path) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    let Some((kind, found)) = find_within(dir, usize::MAX) else {
        return Ok(());
    };
    Err(Error::InTheme {
        kind,
        found: found.strip_prefix(root).unwrap_or(&found).to_path_buf(),
        folder: dir.strip_prefix(root).unwrap_or(dir).to_path_buf(),
        default: kind.dir(root, None),
    })
}

/// Checks that a build may publish `target` (already resolved): refuses a folder that carries
/// a bulletins or payroll marker, lies inside such a folder, or holds one: at its top level,
/// or anywhere in it when it is an output of rankpress's (which a build replaces).
pub fn check_publish(target: &Path) -> Result<(), Error> {
    let real = canonical_lenient(target);
    let depth = if has_marker(&real) { usize::MAX } else { 1 };
    let inside = find_within(&real, depth);
    for kind in Kind::ALL {
        let found = real
            .ancestors()
            .find(|a| kind.marks(a))
            .map(Path::to_path_buf)
            .or_else(|| inside.clone().filter(|(k, _)| *k == kind).map(|(_, p)| p));
        if let Some(found) = found {
            let relation = if found == real {
                Relation::Is
            } else if real.starts_with(&found) {
                Relation::Contains
            } else {
                Relation::Within
            };
            return Err(Error::Publish {
                target: target.to_path_buf(),
                kind,
                found,
                relation,
            });
        }
    }
    Ok(())
}

/// The folder of an output where earlier versions wrote the bulletins; a build moves it out
/// ([`move_legacy_bulletins`]) rather than counting it as a file of someone else's.
pub const LEGACY_BULLETINS: &str = "bulletins";

/// An output of an earlier rankpress version may hold `bulletins/` (bulletins were written into
/// the site output then, and carried over by every build). A build moves it out of what it
/// publishes, into the site's bulletins folder `ROOT/bulletins` (marked), so that nothing is
/// lost, not even a `sent.log`; when that folder exists already, the build is refused with
/// what to do. Returns the folder it moved the bulletins to, if any.
pub fn move_legacy_bulletins(
    root: &Path,
    target: &Path,
    lang: Lang,
) -> Result<Option<PathBuf>, String> {
    let old = target.join(LEGACY_BULLETINS);
    if !fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir()) || !has_marker(target) {
        return Ok(None);
    }
    let kind = Kind::Bulletins;
    let dest = kind.dir(root, None);
    let refused = |why: String| {
        t!(
            lang,
            "输出文件夹中的 {} 是旧版 rankpress 写入的通报（可能含工资，绝不发布）。{}请把其中的文件移到 {} 后再生成网站",
            "{} holds bulletins written by an earlier rankpress (they may hold pay and are never published). {}Move its files into {}, then build again",
            old.display(),
            why,
            dest.display()
        )
    };
    if fs::symlink_metadata(&dest).is_ok() {
        return Err(refused(t!(
            lang,
            "{} 已经存在，rankpress 不会合并两个文件夹。",
            "{} exists already, and rankpress does not merge two folders. ",
            dest.display()
        )));
    }
    check(root, &dest, kind).map_err(|e| refused(format!("{} ", e.localize(lang))))?;
    fs::rename(&old, &dest).map_err(|e| refused(format!("{e}. ")))?;
    mark(&dest, kind).map_err(|e| e.localize(lang))?;
    Ok(Some(dest))
}
