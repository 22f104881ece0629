//! The git pre-commit hook: `rankpress hook install` writes a small shell script into the
//! repository's hooks folder; the script runs `rankpress hook run`, which checks the content
//! that is about to be committed (the index, not the working tree) and rejects the commit when
//! the data has problems. `git commit --no-verify` skips it.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::diag::{t, Lang, Localize};
use crate::error::{Error, Outcome};
use crate::fsutil::Mode;
use crate::history;
use crate::site;

/// First comment line of the hook (a hook is judged ours by all its bytes, see [`is_ours`]).
pub const MARKER: &str = "# rankpress pre-commit hook";

/// The name a foreign pre-commit hook is kept under when `--force` replaces it (then `.1`, `.2`, …).
const BACKUP: &str = "pre-commit.rankpress-backup";

/// `rankpress hook …` actions.
#[derive(Subcommand, Debug)]
pub enum Action {
    /// Install the git pre-commit hook that checks the data before each commit.
    Install {
        /// Replace a pre-commit hook that rankpress did not write (it is kept as
        /// pre-commit.rankpress-backup, or .1, .2, … when that name is taken).
        #[arg(long)]
        force: bool,
        /// Site folder (holds content/), inside a git repository.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
    /// Check the staged data (what the hook runs; exit 0 only when it is clean).
    Run {
        /// Site folder, relative to the repository's top folder.
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs a hook action.
pub fn run(action: Action) -> Result<Outcome, Error> {
    match action {
        Action::Install { force, root } => install(&root, force),
        Action::Run { root } => check_staged(&root),
    }
}

/// The first free backup name for a replaced hook in `hooks`: `pre-commit.rankpress-backup`,
/// then `….1`, `….2`, …; a backup never replaces another.
fn free_backup_name(hooks: &Path) -> PathBuf {
    (0u32..)
        .map(|n| match n {
            0 => hooks.join(BACKUP),
            n => hooks.join(format!("{BACKUP}.{n}")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .expect("a free name")
}

/// True when `bytes` are a hook as [`script`] writes it (in either language, for any
/// executable and site folder); a hook edited by hand is not ours any more.
fn is_ours(bytes: &[u8]) -> bool {
    const EXE: &str = "\u{1}EXE\u{1}";
    const DIR: &str = "\u{1}DIR\u{1}";
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    [Lang::Zh, Lang::En].into_iter().any(|lang| {
        let template = script(lang, EXE, DIR);
        let (want, got): (Vec<&str>, Vec<&str>) =
            (template.lines().collect(), text.lines().collect());
        want.len() == got.len()
            && text.ends_with('\n')
            && want.iter().zip(&got).all(|(w, g)| {
                // The one quoted value of a line: its text before and after must match.
                match [EXE, DIR].iter().find_map(|p| w.split_once(&sh_quote(p))) {
                    Some((before, after)) => g
                        .strip_prefix(before)
                        .and_then(|g| g.strip_suffix(after))
                        .is_some_and(is_sh_quoted),
                    None => w == g,
                }
            })
    })
}

/// True when `s` is one string quoted by [`sh_quote`].
fn is_sh_quoted(s: &str) -> bool {
    s.len() >= 2
        && s.starts_with('\'')
        && s.ends_with('\'')
        && !s[1..s.len() - 1].replace("'\\''", "").contains('\'')
}

/// Quotes a string for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The hook script, its comments in the site's language: the current executable if it still
/// exists, else `rankpress` from PATH.
pub fn script(lang: Lang, exe: &str, site_dir: &str) -> String {
    let about = t!(
        lang,
        "# 每次 git commit 前检查将要提交的数据（content/），有问题时拒绝提交。\n\
         # 确需跳过：git commit --no-verify",
        "# Checks the data about to be committed; a commit with bad data is refused.\n\
         # To skip: git commit --no-verify"
    );
    format!(
        "#!/bin/sh\n\
         {MARKER} (installed by `rankpress hook install`).\n\
         {about}\n\
         RANKPRESS={}\n\
         if [ ! -x \"$RANKPRESS\" ]; then RANKPRESS=rankpress; fi\n\
         exec \"$RANKPRESS\" hook run --root {}\n",
        sh_quote(exe),
        sh_quote(site_dir)
    )
}

fn install(root: &Path, force: bool) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let fail = |msg: String| Err(Error::Refused(msg));
    let (Some(hooks), Some(prefix)) = (
        history::git(root, &["rev-parse", "--git-path", "hooks"]),
        history::git(root, &["rev-parse", "--show-prefix"]),
    ) else {
        return fail(t!(
            lang,
            "{} 不在 git 仓库中：请先运行 git init（或在仓库里的网站文件夹中运行此命令）",
            "{} is not inside a git repository: run git init first",
            root.display()
        ));
    };
    let hooks = PathBuf::from(hooks.trim_end_matches(['\n', '\r']));
    let hooks = if hooks.is_absolute() {
        hooks
    } else {
        root.join(hooks)
    };
    let site_dir = prefix.trim_end_matches(['\n', '\r']).trim_end_matches('/');
    let site_dir = if site_dir.is_empty() { "." } else { site_dir };
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| "rankpress".into());
    let path = hooks.join("pre-commit");
    // Judged on the bytes: a hook that is not valid UTF-8 is someone else's too.
    let mut backup = None;
    if std::fs::symlink_metadata(&path).is_ok() && !std::fs::read(&path).is_ok_and(|b| is_ours(&b))
    {
        let free = free_backup_name(&hooks);
        if !force {
            return fail(t!(
                lang,
                "{} 已有一个不是 rankpress 写的 pre-commit 钩子，未覆盖。如确需替换，请加 --force（原钩子会另存为 {}）。",
                "{} already has a pre-commit hook that rankpress did not write; it was left alone. Add --force to replace it (it will be kept as {}).",
                hooks.display(),
                free.display()
            ));
        }
        if let Err(e) = std::fs::rename(&path, &free) {
            return fail(format!("{}: {e}", path.display()));
        }
        backup = Some(free);
    }
    let script = script(lang, &exe, site_dir);
    let written = crate::fsutil::write_atomic_as(&path, script.as_bytes(), Mode::Executable);
    if let Err(e) = written {
        return fail(format!("{}: {e}", path.display()));
    }
    if let Some(b) = backup {
        println!(
            "{}",
            t!(
                lang,
                "原有的 pre-commit 钩子已另存为 {}。",
                "the previous pre-commit hook was kept as {}.",
                b.display()
            )
        );
    }
    println!(
        "{}",
        t!(
            lang,
            "已安装 git 提交前检查：{}。以后每次 git commit 都会先检查数据，有问题时拒绝提交。",
            "installed the git pre-commit check: {}. Every git commit now checks the data first and is refused when it has problems.",
            path.display()
        )
    );
    Ok(Outcome::Done)
}

/// Git passes some paths to hooks relative to the repository's top folder; make them absolute
/// so that git commands run elsewhere (`git -C ROOT`) still find the repository and index.
fn absolutize_git_env() {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
    ] {
        if let Some(v) = std::env::var_os(var) {
            let p = PathBuf::from(&v);
            if !p.is_absolute() {
                if let Ok(cwd) = std::env::current_dir() {
                    std::env::set_var(var, cwd.join(p));
                }
            }
        }
    }
}

fn check_staged(root: &Path) -> Result<Outcome, Error> {
    absolutize_git_env();
    let lang = site::detect_language(root);
    let extracted = match history::extract(root, history::Source::Index) {
        Ok(x) => x,
        Err(e) => {
            eprintln!(
                "{}",
                t!(
                    lang,
                    "无法读取将要提交的内容（{}），改为检查工作区。",
                    "cannot read the staged content ({}); checking the working tree instead.",
                    e.localize(lang)
                )
            );
            return check_dir(root, lang);
        }
    };
    check_dir(&extracted.root, lang)
}

fn check_dir(dir: &Path, lang: Lang) -> Result<Outcome, Error> {
    let mut t = site::Timings::default();
    match site::load_site(dir, &mut t) {
        Ok(s) => {
            println!(
                "{}",
                t!(
                    lang,
                    "rankpress：将要提交的数据检查通过（{} 位客户经理，{} 个月成绩）。",
                    "rankpress: the data to be committed is OK ({} managers, {} months).",
                    s.managers.len(),
                    s.months.len()
                )
            );
            Ok(Outcome::Done)
        }
        Err(problems) => Err(Error::listed(
            &problems,
            t!(
                lang,
                "rankpress：发现 {} 个问题，提交已取消。请修正后重新 git add 并 git commit。",
                "rankpress: {} problem(s) found; the commit was refused. Fix them, git add and commit again.",
                problems.len()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_are_ours_only_as_written() {
        for lang in [Lang::Zh, Lang::En] {
            let ours = script(lang, "/opt/rank'press/bin", "sites/县局 a");
            assert!(is_ours(ours.as_bytes()));
            assert!(!is_ours(format!("{ours}npm test\n").as_bytes()));
            assert!(!is_ours(ours.replace("exec", "exec  ").as_bytes()));
            let injected = ours.replace("'sites/县局 a'", "'x'; rm -rf ~; 'y'");
            assert!(!is_ours(injected.as_bytes()));
            assert!(!is_ours(ours.trim_end().as_bytes()));
        }
        assert!(!is_ours(b"#!/bin/sh\n# \xbc\xec\nexit 0\n"));
    }
}
