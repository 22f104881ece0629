//! Diagnostics: problems found in a site's data, each with a file, line and column.
//!
//! Validation records a [`Pending`] problem with the logical YAML path of the offending node;
//! [`resolve`] turns those into located [`Problem`]s by re-reading only the files that have
//! problems with the span-aware locator in [`crate::yaml`]. [`attach_frames`] then gives each
//! located problem its code frame: the offending line of the validated text with a caret under
//! the column, which the command line prints under the problem's `file:line:column: message`
//! ([`Problem::framed`]).

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
    /// The code frame shown under the problem on the command line (see [`attach_frames`]):
    /// the offending source line with a caret under the column, not indented; `None` when the
    /// problem has no source line (a missing or unreadable file, a whole-file problem).
    pub frame: Option<String>,
}

impl Problem {
    /// The problem as the command line prints it: the `file:line:column: message` line (its
    /// [`Display`](fmt::Display), which tools and the pre-commit hook read), then its code
    /// frame, if any, indented by two spaces.
    pub fn framed(&self) -> String {
        let mut out = self.to_string();
        for line in self.frame.iter().flat_map(|f| f.lines()) {
            out.push_str("\n  ");
            out.push_str(line);
        }
        out
    }
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
                frame: None,
            });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Widest source line a frame shows, in columns: a longer line is cut around the column.
const FRAME_WIDTH: usize = 120;

/// Gives every problem with a line and column in one of `sources` its code frame, from the text
/// that was validated (nothing is read again).
pub fn attach_frames(problems: &mut [Problem], sources: &[Source]) {
    let texts: std::collections::HashMap<&str, &str> = sources
        .iter()
        .filter_map(|s| Some((s.display.as_str(), s.text.as_deref()?)))
        .collect();
    for p in problems.iter_mut().filter(|p| p.frame.is_none()) {
        if let Some(text) = texts.get(p.file.as_str()) {
            p.frame = frame(text, p.line, p.column);
        }
    }
}

/// The code frame of `text` at 1-based `line` and `column` (in characters): the line, numbered,
/// with a caret under the column; tabs shown as spaces, wide (CJK) characters counted by their
/// display width, a long line cut around the column. `None` without such a line.
pub fn frame(text: &str, line: usize, column: usize) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    if line == 0 || column == 0 {
        return None;
    }
    let src = text.split('\n').nth(line - 1)?;
    let src = src.strip_suffix('\r').unwrap_or(src);
    if src.trim().is_empty() {
        return None;
    }
    // Only a window around the column is handed on, so a huge one-line file costs little; the
    // renderer cuts it further to the frame's width and marks the cuts with `...`.
    let skip = column.saturating_sub(1 + 4 * FRAME_WIDTH);
    let mut chars = src.char_indices().skip(skip);
    let start = chars.next().map_or(src.len(), |(i, _)| i);
    let end = src[start..]
        .char_indices()
        .nth(8 * FRAME_WIDTH)
        .map_or(src.len(), |(i, _)| start + i);
    let window = &src[start..end];
    let at = window
        .char_indices()
        .nth(column - 1 - skip)
        .map_or(window.len(), |(i, _)| i);
    let to = window[at..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8());
    let group = Group::with_level(Level::ERROR).element(
        Snippet::source(window)
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(at..to)),
    );
    let rendered = Renderer::plain().term_width(FRAME_WIDTH).render(&[group]);
    Some(rendered.trim_end().to_string())
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

#[cfg(test)]
mod frame_tests {
    use super::*;

    #[test]
    fn the_caret_is_under_the_column() {
        let f = frame("a: 1\n  level: abc\n", 2, 10).unwrap();
        assert_eq!(f, "  |\n2 |   level: abc\n  |          ^");
    }

    #[test]
    fn wide_characters_and_tabs_keep_the_caret_aligned() {
        // Column 10 is the `x` after two CJK names and a tab: 2 + 4 + 2 + 4 + 4 = 16 columns.
        let f = frame("  名字: 张三\tx: y", 1, 10).unwrap();
        let lines: Vec<&str> = f.lines().collect();
        assert_eq!(lines[1], "1 |   名字: 张三    x: y");
        assert_eq!(lines[2].find('^'), Some("1 | ".len() + 16));
        assert!(!f.contains('\t'));
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("k: {}X{}", "a".repeat(5000), "b".repeat(5000));
        let text = format!("{}{line}\n", "a: 1\n".repeat(6));
        let f = frame(&text, 7, 5004).unwrap();
        let lines: Vec<&str> = f.lines().collect();
        assert!(
            lines[1].starts_with("7 | ...") && lines[1].ends_with("..."),
            "{f}"
        );
        assert!(lines[1].chars().count() <= FRAME_WIDTH, "{f}");
        let x = lines[1].find('X').unwrap();
        assert_eq!(lines[2].find('^'), Some(x), "{f}");
    }

    #[test]
    fn no_frame_without_a_source_line() {
        assert_eq!(frame("a: 1\n", 0, 0), None);
        assert_eq!(frame("a: 1\n", 3, 1), None);
        assert_eq!(frame("a: 1\n\n", 2, 1), None);
        let mut ps = vec![Problem {
            file: "content/missing.yaml".into(),
            line: 0,
            column: 0,
            message: "missing".into(),
            frame: None,
        }];
        attach_frames(&mut ps, &[]);
        assert_eq!(ps[0].framed(), "content/missing.yaml: missing");
    }

    #[test]
    fn the_frame_follows_the_first_line_indented() {
        let src = Source {
            display: "content/site.yaml".into(),
            path: PathBuf::from("content/site.yaml"),
            text: Some("title: x\r\nlang: fr\r\n".into()),
        };
        let mut ps = vec![Problem {
            file: "content/site.yaml".into(),
            line: 2,
            column: 7,
            message: "bad".into(),
            frame: None,
        }];
        attach_frames(&mut ps, &[src]);
        assert_eq!(
            ps[0].framed(),
            "content/site.yaml:2:7: bad\n    |\n  2 | lang: fr\n    |       ^"
        );
        assert_eq!(ps[0].to_string(), "content/site.yaml:2:7: bad");
    }
}
