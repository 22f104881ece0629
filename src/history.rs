//! The data's git history: the version of `content/` shown in footers and exports, read with
//! the `git` program (no network). Without git, or outside a repository, there is no version.

use std::path::Path;
use std::process::Command;

/// Runs git in `root` and returns its standard output, or `None` if git is missing or fails.
pub fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The data version: short commit id and commit date of the last commit that touched
/// `content/`, and whether the working tree differs. `None` outside a git repository.
pub fn data_version(root: &Path) -> Option<serde_json::Value> {
    let log = git(
        root,
        &["log", "-1", "--format=%h%x00%cs%x00%H", "--", "content"],
    )?;
    let mut parts = log.trim_end().split('\0');
    let (short, date, full) = (parts.next()?, parts.next()?, parts.next()?);
    if short.is_empty() {
        return None;
    }
    let dirty = git(root, &["status", "--porcelain", "--", "content"])
        .is_some_and(|s| !s.trim().is_empty());
    Some(
        serde_json::json!({"commit": short, "commit_full": full, "date": date, "uncommitted": dirty}),
    )
}
