//! The data's git history, read with the `git` program (no network): the version of
//! `content/` shown in footers and exports, the corrections of each month's results, and the
//! content of a revision (or of the index) extracted for `diff` and the pre-commit hook.
//! Without git, or outside a repository, there is no version and there are no corrections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::diag::{os_reason, Lang, Localize};

/// A `git` command run in `root`, with the settings that keep its output machine-readable:
/// no pager, no colour, no signature lines, file names unquoted, no optional locks (so a
/// preview never competes with the user's own git commands for the index).
pub fn git_command(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(root)
        .args([
            "--no-pager",
            "--no-optional-locks",
            "-c",
            "core.quotepath=off",
            "-c",
            "log.showSignature=false",
            "-c",
            "color.ui=false",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_PAGER");
    c
}

/// Runs git in `root` and returns its standard output, or `None` if git is missing or fails.
pub fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = git_command(root).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The data version: short commit id and commit date (committer's, `YYYY-MM-DD`) of the last
/// commit that touched `content/`, and whether `content/` differs from it in the working tree
/// (modified, staged, deleted or new files). `None` outside a git repository or when
/// `content/` was never committed.
pub fn data_version(root: &Path) -> Option<serde_json::Value> {
    let log = git(
        root,
        &[
            "log",
            "-1",
            "--format=%h%x00%cs%x00%H",
            "--end-of-options",
            "HEAD",
            "--",
            "content",
        ],
    )?;
    let mut parts = log.trim_end().split('\0');
    let (short, date, full) = (parts.next()?, parts.next()?, parts.next()?);
    if short.is_empty() || full.is_empty() {
        return None;
    }
    let dirty = git(
        root,
        &[
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            "content",
        ],
    )
    .is_some_and(|s| !s.trim().is_empty());
    Some(
        serde_json::json!({"commit": short, "commit_full": full, "date": date, "uncommitted": dirty}),
    )
}

/// A later commit that changed a month's results file after the commit that added it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// Short commit id.
    pub commit: String,
    /// Commit date (committer's), `YYYY-MM-DD`.
    pub date: String,
    /// The commit message's subject line.
    pub message: String,
}

/// The corrections of every results month, by month (`YYYY-MM`).
pub type Corrections = BTreeMap<String, Vec<Correction>>;

/// What the data's git history tells a build: read once, before the compute phase, and passed
/// in (see [`crate::project::Project::history`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The data version ([`data_version`]), shown in footers and exports.
    pub version: Option<serde_json::Value>,
    /// The corrections of each results month ([`corrections`]).
    pub corrections: Corrections,
}

impl History {
    /// Reads the history of the site at `root` (none without git or outside a repository).
    pub fn read(root: &Path) -> History {
        History {
            version: data_version(root),
            corrections: corrections(root),
        }
    }
}

/// The corrections of every results month: for each `content/results/YYYY-MM.yaml` (or
/// `.yml`), the commits after the one that first added it that changed it, oldest first.
/// Months without corrections are absent. One `git log` call covers all files.
pub fn corrections(root: &Path) -> Corrections {
    let mut out = Corrections::new();
    let Some(log) = git(
        root,
        &[
            "log",
            "--reverse",
            "--no-renames",
            "--relative",
            "--name-status",
            "--format=%x01%h%x00%cs%x00%s",
            "--end-of-options",
            "HEAD",
            "--",
            "content/results",
        ],
    ) else {
        return out;
    };
    let mut added: std::collections::HashSet<String> = std::collections::HashSet::new();
    for record in log.split('\x01').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let header = lines.next().unwrap_or("");
        let mut f = header.split('\0');
        let (Some(commit), Some(date), Some(message)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        for line in lines {
            let mut cols = line.splitn(2, '\t');
            let (Some(status), Some(path)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Some(month) = results_month(path) else {
                continue;
            };
            if status.starts_with('D') {
                continue;
            }
            if added.insert(month.clone()) {
                // The commit that first added it (or first changed it, if it was added
                // before history was kept here): not a correction.
                continue;
            }
            let list = out.entry(month).or_default();
            if list.last().is_none_or(|c: &Correction| c.commit != commit) {
                list.push(Correction {
                    commit: commit.to_string(),
                    date: date.to_string(),
                    message: message.to_string(),
                });
            }
        }
    }
    out
}

/// The month of a path `content/results/YYYY-MM.yaml` (relative to the site root).
fn results_month(path: &str) -> Option<String> {
    let rest = path.strip_prefix("content/results/")?;
    let stem = rest
        .strip_suffix(".yaml")
        .or_else(|| rest.strip_suffix(".yml"))?;
    crate::model::Month::parse(stem).map(|m| m.to_string())
}

/// Where to take `content/` from.
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// A revision (commit, tag, `HEAD~1` …).
    Rev(&'a str),
    /// The index: what the next commit will hold (the pre-commit hook).
    Index,
}

/// `content/` of a revision or of the index, extracted into a temporary site folder.
pub struct Extracted {
    _dir: tempfile::TempDir,
    /// The site root inside the temporary folder (holds `content/`).
    pub root: PathBuf,
}

/// Why [`extract`] failed: the facts; [`Localize`] tells them.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The temporary folder could not be made, or writing to git failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The site is not inside a git work tree.
    #[error("not inside a git work tree")]
    NotGit,
    /// The revision names no commit.
    #[error("unknown revision {0:?}")]
    UnknownRevision(String),
    /// The `git` program could not be run.
    #[error("git: {0}")]
    NoGit(std::io::Error),
    /// git failed; its own message.
    #[error("{0}")]
    Git(String),
}

impl Localize for ExtractError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ExtractError::Io(e) => os_reason(lang, e),
            ExtractError::NoGit(e) => format!("git: {}", os_reason(lang, e)),
            // git's own words, and the revision as the user typed it.
            other => other.to_string(),
        }
    }
}

/// Extracts `content/` of the site at `root` from a revision or the index into a temporary
/// folder, with `git read-tree` into a private index and `git checkout-index` (no network,
/// nothing of the user's working tree or index is touched).
pub fn extract(root: &Path, source: Source) -> Result<Extracted, ExtractError> {
    let dir = tempfile::Builder::new()
        .prefix("rankpress-rev-")
        .tempdir()?;
    let prefix = git(root, &["rev-parse", "--show-prefix"]).ok_or(ExtractError::NotGit)?;
    let prefix = prefix.trim_end_matches(['\n', '\r']).to_string();
    let tree = dir.path().join("tree");
    let run = |cmd: &mut Command| -> Result<Vec<u8>, ExtractError> {
        let out = cmd.output().map_err(ExtractError::NoGit)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(ExtractError::Git(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ))
        }
    };
    let index_env: Option<PathBuf> = match source {
        Source::Rev(rev) => {
            let index = dir.path().join("index");
            let commit = run(git_command(root).args([
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &format!("{rev}^{{commit}}"),
            ]))
            .map_err(|_| ExtractError::UnknownRevision(rev.to_string()))?;
            let commit = String::from_utf8_lossy(&commit).trim().to_string();
            run(git_command(root)
                .env("GIT_INDEX_FILE", &index)
                .args(["read-tree", &commit]))?;
            Some(index)
        }
        Source::Index => std::env::var_os("GIT_INDEX_FILE").map(|p| absolute(PathBuf::from(p))),
    };
    let with_index = |c: &mut Command| {
        if let Some(i) = &index_env {
            c.env("GIT_INDEX_FILE", i);
        }
    };
    let mut ls = git_command(root);
    with_index(&mut ls);
    let files = run(ls.args(["ls-files", "-z", "--", "content"]))?;
    let mut co = git_command(root);
    with_index(&mut co);
    let mut tree_prefix = tree.to_string_lossy().replace('\\', "/");
    tree_prefix.push('/');
    co.args([
        "checkout-index",
        "-z",
        "--stdin",
        &format!("--prefix={tree_prefix}"),
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = co.spawn().map_err(ExtractError::NoGit)?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(&files)?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(ExtractError::Git(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    let root = tree.join(&prefix);
    std::fs::create_dir_all(root.join("content"))?;
    Ok(Extracted { _dir: dir, root })
}

/// `p` made absolute against the current folder (git hooks may pass relative paths).
fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_paths() {
        assert_eq!(
            results_month("content/results/2026-10.yaml").as_deref(),
            Some("2026-10")
        );
        assert_eq!(results_month("content/results/notes.yaml"), None);
        assert_eq!(results_month("content/site.yaml"), None);
    }
}
