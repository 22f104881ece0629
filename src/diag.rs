//! Diagnostics: problems found in a site's data, each with a file, line and column.
//!
//! Validation records a [`Pending`] problem with the logical YAML path of the offending node;
//! [`resolve`] turns those into located [`Problem`]s by re-reading only the files that have
//! problems with the span-aware locator in [`crate::yaml`].

use std::fmt;
use std::path::{Path, PathBuf};

use crate::yaml::{self, Seg};

/// Formats a message in the given language: `t!(lang, "中文 {}", "English {}", args…)`. The one
/// way to give a sentence in both languages; each language is its own literal.
macro_rules! t {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::diag::Lang::Zh => format!($zh $(, $arg)*),
            $crate::diag::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use t;

/// Language of messages shown to the people who keep the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The `lang` attribute value (`zh-CN` or `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A located problem: `file:line:column: message`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file as the user should see it (relative to the site root where possible).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong and what is expected, in the site's language.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Which part of a mapping entry a problem points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// The key of the entry (unknown or misspelt keys).
    Key,
    /// The value node.
    Value,
}

/// A problem whose position is still a logical path in a file.
#[derive(Clone, Debug)]
pub struct Pending {
    /// Index into the list of source files.
    pub file: usize,
    /// Path from the document root to the node.
    pub path: Vec<Seg>,
    /// Whether to point at the key or the value.
    pub at: At,
    /// The message, already in the site's language.
    pub message: String,
}

/// A source file that was read, kept so problems can be located later.
#[derive(Debug)]
pub struct Source {
    /// Path shown to the user.
    pub display: String,
    /// Absolute or root-relative path on disk.
    pub path: PathBuf,
    /// The text (BOM removed), if it could be read as UTF-8.
    pub text: Option<String>,
}

/// Collects problems from every step of loading and validation.
#[derive(Debug, Default)]
pub struct Problems {
    /// Problems already located (syntax errors, I/O errors).
    pub located: Vec<Problem>,
    /// Problems that still need their path located.
    pub pending: Vec<Pending>,
}

impl Problems {
    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.located.is_empty() && self.pending.is_empty()
    }

    /// Records a problem at a path of a file.
    pub fn at(&mut self, file: usize, path: &[Seg], at: At, message: String) {
        self.pending.push(Pending {
            file,
            path: path.to_vec(),
            at,
            message,
        });
    }

    /// Merges another collection into this one.
    pub fn extend(&mut self, other: Problems) {
        self.located.extend(other.located);
        self.pending.extend(other.pending);
    }
}

/// Locates every pending problem and returns all problems sorted by file, line and column.
pub fn resolve(problems: Problems, sources: &[Source]) -> Vec<Problem> {
    let mut out = problems.located;
    let mut by_file: Vec<Vec<Pending>> = (0..sources.len()).map(|_| Vec::new()).collect();
    for p in problems.pending {
        by_file[p.file].push(p);
    }
    for (idx, pend) in by_file.into_iter().enumerate() {
        if pend.is_empty() {
            continue;
        }
        let src = &sources[idx];
        let text = src.text.as_deref().unwrap_or("");
        let queries: Vec<(&[Seg], bool)> = pend
            .iter()
            .map(|p| (p.path.as_slice(), p.at == At::Key))
            .collect();
        let marks = yaml::locate_all(text, &queries);
        for (p, mark) in pend.into_iter().zip(marks) {
            let (line, column) = mark.unwrap_or((1, 1));
            out.push(Problem {
                file: src.display.clone(),
                line,
                column,
                message: p.message,
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Shows `path` relative to `root` with forward slashes, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Writes every problem on a line of its own (the `Display` of the errors that carry them).
pub fn write_problems(f: &mut std::fmt::Formatter<'_>, problems: &[Problem]) -> std::fmt::Result {
    for p in problems {
        writeln!(f, "{p}")?;
    }
    Ok(())
}

/// A fault told to the user in the site's language. Every layer's typed error (a `thiserror`
/// enum carrying the facts: paths, values, the `std::io::Error`) implements it; its `Display`
/// is for logs and tests, [`Localize::localize`] is what the command line prints.
pub trait Localize {
    /// The message in `lang`: what went wrong, where, and what to do.
    fn localize(&self, lang: Lang) -> String;
}

/// The operating system's reason for a failed file operation, in `lang` (the OS's own text is
/// English on a Chinese site otherwise); the OS error code is kept for support.
pub fn os_reason(lang: Lang, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let (zh, en) = match e.kind() {
        K::NotFound => ("文件或文件夹不存在", "no such file or folder"),
        K::PermissionDenied => ("没有权限", "permission denied"),
        K::AlreadyExists => ("已存在", "already exists"),
        K::StorageFull => ("磁盘已满", "the disk is full"),
        K::ReadOnlyFilesystem => ("磁盘是只读的", "the disk is read-only"),
        K::IsADirectory => ("这是一个文件夹，不是文件", "is a folder, not a file"),
        K::NotADirectory => (
            "路径中有一段不是文件夹",
            "a part of the path is not a folder",
        ),
        K::DirectoryNotEmpty => ("文件夹不是空的", "the folder is not empty"),
        K::InvalidFilename => ("文件名无效或过长", "the file name is invalid or too long"),
        K::CrossesDevices => ("不能跨磁盘移动", "cannot be moved across disks"),
        K::Interrupted | K::TimedOut => ("操作被中断", "the operation was interrupted"),
        K::InvalidData => ("内容无效", "the content is not valid"),
        K::UnexpectedEof => ("文件意外结束", "the file ends too early"),
        K::AddrInUse => ("端口已被占用", "the port is already in use"),
        K::AddrNotAvailable => ("地址不可用", "the address is not available"),
        K::ConnectionRefused => ("连接被拒绝", "the connection was refused"),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
            ("连接被断开", "the connection was closed")
        }
        _ => return e.to_string(),
    };
    let reason = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    match e.raw_os_error() {
        Some(code) => format!("{reason} (os error {code})"),
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod os_reason_tests {
    use super::*;

    #[test]
    fn the_os_reason_is_in_the_site_language() {
        let e = std::fs::read("/nonexistent/rankpress").unwrap_err();
        assert_eq!(os_reason(Lang::Zh, &e), "文件或文件夹不存在 (os error 2)");
        assert_eq!(
            os_reason(Lang::En, &e),
            "no such file or folder (os error 2)"
        );
        let other = std::io::Error::other("strange");
        assert_eq!(os_reason(Lang::Zh, &other), "strange");
    }
}
