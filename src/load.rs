//! Loading: find a site's data files, read them (UTF-8 checks, size limits) and parse the YAML,
//! in parallel. What comes out is a list of [`Source`]s and their parsed documents, and the
//! monthly results files, read (or taken from the parse cache) one at a time as validation
//! takes them ([`Loaded::results`]); turning those into a [`crate::model::Site`] is
//! [`crate::validate`]'s job, which reads no files. The bulk of the data — results files and
//! training sessions — is handed over as text: validation deserialises a clean file straight
//! into its typed value and parses the others with [`parse_data`].

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{display_path, t, Lang, Problem, Source};
use crate::yaml::{self, Value};

/// Largest data file accepted. Real files are well under a megabyte; this stops a mistaken or
/// hostile file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The role of a data file in `content/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// `site.yaml`.
    Site,
    /// `managers.yaml`.
    Managers,
    /// `results/YYYY-MM.yaml`, with the file stem.
    Results(String),
    /// `trainings/**/*.yaml`.
    Training,
    /// `training-plan.yaml`.
    Plan,
    /// `competitions/*.yaml`.
    Competition,
    /// `innovations.yaml`.
    Innovations,
    /// `suggestions.yaml`.
    Suggestions,
    /// `pages/SLUG.md`, with the slug.
    Page(String),
}

/// A data file that was read and parsed.
#[derive(Debug)]
pub struct Doc {
    /// Index into the sources.
    pub source: usize,
    /// What the file is.
    pub role: Role,
    /// The parsed YAML (for pages, the front matter), `None` if it could not be parsed; always
    /// `None` for a training session, which validation parses from its source's text.
    pub value: Option<Value>,
    /// For pages, the Markdown body.
    pub body: String,
}

/// The files of a site, read and parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every file read, for locating problems.
    pub sources: Vec<Source>,
    /// The parsed documents, sorted by role then path.
    pub docs: Vec<Doc>,
    /// Problems found while reading and parsing.
    pub problems: Vec<Problem>,
    /// Results files, read later one at a time by [`Loaded::results`]: (source index, path,
    /// role).
    pub deferred: Vec<(usize, PathBuf, Role)>,
    /// The site folder.
    pub root: PathBuf,
    /// Language of messages.
    pub lang: Lang,
    /// Filled after validation: the cache key of every clean results file (display path, key).
    pub result_keys: Vec<(String, crate::cache::Key)>,
    /// Filled after validation: results files that were parsed because the cache did not have
    /// them.
    pub cache_misses: usize,
}

/// A monthly results file as validation receives it from [`Loaded::results`].
#[derive(Debug)]
pub struct ResultsFile {
    /// Index into the sources.
    pub source: usize,
    /// The file stem (`YYYY-MM` when well named).
    pub stem: String,
    /// The path shown to the user.
    pub display: String,
    /// The parse-cache key of its bytes, name, `site.yaml` and `managers.yaml`; `None` when the
    /// file could not be read.
    pub key: Option<crate::cache::Key>,
    /// What was found in it.
    pub content: ResultsContent,
}

/// The content of a [`ResultsFile`].
#[derive(Debug)]
pub enum ResultsContent {
    /// Clean in an earlier build and unchanged since: its month, decoded from the parse cache.
    Cached(crate::model::MonthResults),
    /// Read now, not parsed yet (validation deserialises a clean file straight into its
    /// month, and parses the others with [`parse_results`]): its text, BOM removed, or the
    /// problem that stopped reading it.
    Text(Result<String, Problem>),
    /// Read and parsed now: its text (`None` when it could not be read as UTF-8) and its YAML
    /// tree, or the problem that stopped reading or parsing it.
    Read {
        /// The text, BOM removed.
        text: Option<String>,
        /// The YAML tree, or the read or syntax problem.
        parsed: Result<Option<Value>, Problem>,
    },
}

/// Lists the data files of `content/` with their roles, in a stable order. A symlink inside
/// `content/` (to a file or a folder), a FIFO, socket or device is reported, not followed
/// and not skipped silently; `content/` itself may be a link.
pub fn discover(root: &Path, lang: Lang) -> (Vec<(PathBuf, Role)>, Vec<Problem>) {
    let content = root.join("content");
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (name, role) in [("site.yaml", Role::Site), ("managers.yaml", Role::Managers)] {
        let p = content.join(name);
        if let Some(problem) = not_plain(root, &p, lang) {
            problems.push(problem);
        } else if p.is_file() {
            files.push((p, role));
        } else {
            problems.push(Problem {
                file: display_path(root, &p),
                line: 0,
                column: 0,
                message: t!(
                    lang,
                    "缺少必需的文件：content/{}",
                    "required file is missing: content/{}",
                    name
                ),
                frame: None,
            });
        }
    }
    for (name, role) in [
        ("training-plan.yaml", Role::Plan),
        ("innovations.yaml", Role::Innovations),
        ("suggestions.yaml", Role::Suggestions),
    ] {
        let p = content.join(name);
        if let Some(problem) = not_plain(root, &p, lang) {
            problems.push(problem);
        } else if p.is_file() {
            files.push((p, role));
        }
    }
    let mut listed = |dir: &str, depth: usize, ext: &str, f: &dyn Fn(&str) -> Role| {
        let d = content.join(dir);
        if let Some(problem) = not_plain(root, &d, lang) {
            problems.push(problem);
            return;
        }
        if !d.is_dir() {
            return;
        }
        let data = |p: &Path| {
            p.extension()
                .is_some_and(|x| x == ext || (ext == "yaml" && x == "yml"))
        };
        let mut found: Vec<PathBuf> = Vec::new();
        for e in walkdir::WalkDir::new(&d)
            .max_depth(depth)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let t = e.file_type();
            if t.is_file() {
                if data(e.path()) {
                    found.push(e.into_path());
                }
            } else if t.is_dir() {
                continue;
            } else if data(e.path()) || (t.is_symlink() && e.path().is_dir()) {
                // A symlinked data file or folder, a FIFO, socket or device named like data:
                // reported, never skipped silently (a month would disappear).
                problems.extend(not_plain(root, e.path(), lang));
            }
        }
        found.sort();
        for p in found {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let role = f(&stem);
            files.push((p, role));
        }
    };
    listed("results", 1, "yaml", &|s| Role::Results(s.to_string()));
    listed("trainings", 16, "yaml", &|_| Role::Training);
    listed("competitions", 1, "yaml", &|_| Role::Competition);
    listed("pages", 1, "md", &|s| Role::Page(s.to_string()));
    // The site's theme folders follow the same rule: a link there is reported, not followed
    // (the i18n labels) nor skipped (a template or a static file) silently.
    for dir in THEME_FOLDERS {
        let d = root.join(dir);
        if let Some(problem) = not_plain(root, &d, lang) {
            problems.push(problem);
            continue;
        }
        let entries = walkdir::WalkDir::new(&d)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| e.ok());
        for e in entries {
            if !e.file_type().is_file() && !e.file_type().is_dir() {
                problems.extend(not_plain(root, e.path(), lang));
            }
        }
    }
    (files, problems)
}

/// The site's folders beside `content/` that hold its theme: templates, static files, i18n
/// labels and themes (dot-files in them are ignored, as the theme does).
pub const THEME_FOLDERS: [&str; 4] = ["i18n", "static", "templates", "themes"];

/// The problem with a data path that exists but is not a plain file or folder: a symlink
/// (rankpress does not follow links inside `content/`: one can point anywhere on the disk, and
/// the data must be in the site), or a FIFO, socket or device. Reported at line 1, column 1.
fn not_plain(root: &Path, path: &Path, lang: Lang) -> Option<Problem> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    let file = display_path(root, path);
    let message = if t.is_symlink() {
        let to = std::fs::read_link(path)
            .map(|l| l.display().to_string())
            .unwrap_or_default();
        symlink_message(lang, &to, &file)
    } else {
        not_regular_message(lang)
    };
    Some(Problem {
        file,
        line: 1,
        column: 1,
        message,
        frame: None,
    })
}

/// The problem with the symbolic link shown as `file` (in the site's folder its path starts
/// with), pointing to `to`.
fn symlink_message(lang: Lang, to: &str, file: &str) -> String {
    let folder = file.split(['/', '\\']).next().unwrap_or("content");
    t!(
        lang,
        "这是一个符号链接（指向 {}），rankpress 不读取 {}/ 中的链接（链接可能指向网站以外的文件）；请把文件本身复制到这里",
        "this is a symbolic link (to {}); rankpress does not read links inside {}/ (a link can point outside the site); copy the file itself here",
        to,
        folder
    )
}

fn not_regular_message(lang: Lang) -> String {
    match lang {
        Lang::Zh => "这不是普通文件（而是管道、套接字或设备），无法作为数据读取；请换成普通的 YAML 文件".to_string(),
        Lang::En => "this is not a regular file (a FIFO, socket or device) and cannot be read as data; use a plain YAML file".to_string(),
    }
}

/// Opens a data file for reading without following a symlink at its end and without blocking
/// on a FIFO (the type is checked on the open handle before anything is read).
fn open_data(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    o.open(path)
}

/// Reads a file's bytes: only a regular file (checked on the open handle, so a FIFO or a
/// device is refused before reading), at most [`MAX_FILE_BYTES`] (also when its size as
/// reported is smaller than what it holds).
pub fn read_bytes(root: &Path, path: &Path, lang: Lang) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let display = display_path(root, path);
    let fail = |line, column, message: String| Problem {
        file: display.clone(),
        line,
        column,
        message,
        frame: None,
    };
    let file = open_data(path).map_err(|e| {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            let to = std::fs::read_link(path)
                .map(|l| l.display().to_string())
                .unwrap_or_default();
            fail(1, 1, symlink_message(lang, &to, &display))
        } else {
            fail(0, 0, io_message(lang, &e))
        }
    })?;
    let meta = file
        .metadata()
        .map_err(|e| fail(0, 0, io_message(lang, &e)))?;
    if !meta.is_file() {
        return Err(fail(1, 1, not_regular_message(lang)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            0,
            0,
            match lang {
                Lang::Zh => format!(
                    "文件过大（{} MB），超过上限 {} MB；请检查是否选错了文件",
                    meta.len() / 1_048_576,
                    MAX_FILE_BYTES / 1_048_576
                ),
                Lang::En => format!(
                    "file is too large ({} MB, the limit is {} MB); is it the right file?",
                    meta.len() / 1_048_576,
                    MAX_FILE_BYTES / 1_048_576
                ),
            },
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(0, 0, io_message(lang, &e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(
            0,
            0,
            match lang {
                Lang::Zh => format!(
                    "文件过大，超过上限 {} MB；请检查是否选错了文件",
                    MAX_FILE_BYTES / 1_048_576
                ),
                Lang::En => format!(
                    "file is too large (over the limit of {} MB); is it the right file?",
                    MAX_FILE_BYTES / 1_048_576
                ),
            },
        ));
    }
    Ok(bytes)
}

/// Decodes a file's bytes as UTF-8 text (BOM removed), explaining encoding problems.
pub fn decode_text(root: &Path, path: &Path, bytes: &[u8], lang: Lang) -> Result<String, Problem> {
    let display = display_path(root, path);
    let fail = |line, column, message: String| Problem {
        file: display.clone(),
        line,
        column,
        message,
        frame: None,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let good = &body[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let (_, _, gbk_bad) = encoding_rs::GB18030.decode(body);
            let guess = !gbk_bad;
            Err(fail(line, column, encoding_message(lang, guess)))
        }
    }
}

fn encoding_message(lang: Lang, looks_gbk: bool) -> String {
    match (lang, looks_gbk) {
        (Lang::Zh, true) => "文件不是 UTF-8 编码（看起来是 GBK/GB18030，Excel 和记事本在中文 Windows 上默认如此保存）。\
请用记事本打开后“另存为”，编码选择“UTF-8”；或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件"
            .to_string(),
        (Lang::Zh, false) => "文件不是 UTF-8 编码。请用记事本打开后“另存为”，编码选择“UTF-8”".to_string(),
        (Lang::En, true) => "the file is not UTF-8 (it looks like GBK/GB18030, which Excel and Notepad \
write on Chinese Windows). Open it in Notepad and \"Save as\" with encoding UTF-8, or run \
iconv -f GB18030 -t UTF-8 old > new"
            .to_string(),
        (Lang::En, false) => "the file is not UTF-8. Open it in an editor and save it as UTF-8".to_string(),
    }
}

fn io_message(lang: Lang, e: &std::io::Error) -> String {
    match lang {
        Lang::Zh => format!("无法读取文件：{e}"),
        Lang::En => format!("cannot read the file: {e}"),
    }
}

fn syntax_message(lang: Lang, raw: &str) -> String {
    if let Some(rest) = raw
        .find("duplicate entry with key ")
        .map(|i| &raw[i + 25..])
    {
        return match lang {
            Lang::Zh => format!("重复的键 {rest}：同一层中每个键只能出现一次（同一人在一个月里只能列一次）"),
            Lang::En => format!("duplicate key {rest}: each key may appear only once at a level (a manager only once a month)"),
        };
    }
    // An integer beyond 128 bits: yaml_serde says "invalid type: integer `…` as u128".
    if let Some((path, rest)) = raw.split_once(": invalid type: integer `") {
        if let Some((digits, _)) = rest.split_once('`') {
            let key = path.rsplit(['.', '[']).next().unwrap_or(path);
            let key = key.trim_end_matches(']');
            return crate::validate::not_finite(lang, key, digits);
        }
    }
    if raw.contains("recursion limit") {
        return t!(
            lang,
            "YAML 嵌套过深：列表和映射最多只能相互嵌套 {} 层，已拒绝读取（请检查是否多了 [ 或 {{，或缩进是否错乱）",
            "YAML nests too deeply: lists and mappings may be nested at most {} levels; rejected (look for stray [ or {{ and for broken indentation)",
            yaml::MAX_DEPTH
        );
    }
    if raw.contains("repetition limit") {
        return match lang {
            Lang::Zh => "YAML 锚点/别名展开过多，已拒绝读取（请不要使用 & 和 * 引用）".to_string(),
            Lang::En => {
                "YAML anchors/aliases expand too much; rejected (do not use & and * references)"
                    .to_string()
            }
        };
    }
    match lang {
        Lang::Zh => format!("YAML 语法错误：{raw}（请检查缩进、冒号后的空格和引号是否配对）"),
        Lang::En => format!("YAML syntax error: {raw} (check indentation, the space after colons and matching quotes)"),
    }
}

/// Splits a Markdown page into its YAML front matter and body.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// A parsed file: its YAML value (for pages, the front matter) and Markdown body, or the
/// problem that stopped it.
pub type Parsed = Result<(Option<Value>, String), Problem>;

/// Reads and parses one file: its [`Source`] and either its document (YAML value and, for
/// pages, the Markdown body) or the problem that stopped it.
pub fn load_file(
    root: &Path,
    path: &Path,
    role: &Role,
    lang: Lang,
) -> (Source, Result<(Option<Value>, String), Problem>) {
    load_bytes(root, path, role, lang, read_bytes(root, path, lang))
}

/// As [`load_file`], from the file's bytes already read with [`read_bytes`].
pub fn load_bytes(
    root: &Path,
    path: &Path,
    role: &Role,
    lang: Lang,
    bytes: Result<Vec<u8>, Problem>,
) -> (Source, Result<(Option<Value>, String), Problem>) {
    let display = display_path(root, path);
    let text = match bytes.and_then(|b| decode_text(root, path, &b, lang)) {
        Ok(t) => t,
        Err(p) => {
            return (
                Source {
                    display,
                    path: path.to_path_buf(),
                    text: None,
                },
                Err(p),
            )
        }
    };
    // Training sessions are parsed by validation, in parallel, once the plans are known.
    let parsed = if *role == Role::Training {
        Ok((None, String::new()))
    } else {
        parse_doc(&display, &text, role, lang)
    };
    (
        Source {
            display,
            path: path.to_path_buf(),
            text: Some(text),
        },
        parsed,
    )
}

/// `content/site.yaml` as read once when a site is opened ([`crate::project::Project::open`]):
/// the language and theme come from it, and [`load_opened`] hands it to validation without
/// reading it again.
#[derive(Debug)]
pub struct SiteFile {
    /// The file as a source (its text, when it could be read as UTF-8).
    pub source: Source,
    /// Its YAML tree, or the problem that stopped reading or parsing it (told in Chinese, the
    /// language of a site whose `site.yaml` cannot be read).
    pub parsed: Parsed,
}

impl SiteFile {
    /// Reads and parses `content/site.yaml` of the site at `root`. Until it is read the
    /// language is unknown: a read or syntax problem is told in Chinese, the default language.
    pub fn read(root: &Path) -> SiteFile {
        let path = root.join("content").join("site.yaml");
        let (source, parsed) = load_file(root, &path, &Role::Site, Lang::Zh);
        SiteFile { source, parsed }
    }

    /// The parsed YAML tree, if the file could be read and parsed.
    pub fn value(&self) -> Option<&Value> {
        self.parsed.as_ref().ok().and_then(|(v, _)| v.as_ref())
    }

    /// A copy for [`load_with`] (a build takes it once).
    fn copy(&self) -> (Source, Parsed) {
        let source = Source {
            display: self.source.display.clone(),
            path: self.source.path.clone(),
            text: self.source.text.clone(),
        };
        (source, self.parsed.clone())
    }
}

/// Reads and parses the data files of the site at `root` in parallel, with `site.yaml` as it
/// was read when the site was opened ([`SiteFile`]) — except the monthly results, the bulk of
/// the data, which are only listed in [`Loaded::deferred`] ([`Loaded::results`] reads each of
/// them as validation takes it), and the training sessions, which are read but left for
/// validation to parse: so memory stays proportional to the typed data rather than to YAML
/// trees.
pub fn load_opened(root: &Path, lang: Lang, site: &SiteFile) -> Loaded {
    load_with(root, lang, |path, role| match role {
        Role::Site => site.copy(),
        _ => load_file(root, path, role, lang),
    })
}

/// As [`load_opened`], each file other than the monthly results read and parsed by `read` (as
/// [`load_file`] does; `serve` keeps the documents of unchanged files instead of parsing them
/// again).
pub fn load_with(
    root: &Path,
    lang: Lang,
    read: impl Fn(&Path, &Role) -> (Source, Parsed) + Sync,
) -> Loaded {
    let (files, mut problems) = discover(root, lang);
    let eager: Vec<usize> = (0..files.len())
        .filter(|&i| !matches!(files[i].1, Role::Results(_)))
        .collect();
    let results: Vec<(Source, Parsed)> = eager
        .par_iter()
        .map(|&i| read(&files[i].0, &files[i].1))
        .collect();
    let mut loaded = Loaded::default();
    let mut parsed_iter = results.into_iter();
    for (i, (path, role)) in files.into_iter().enumerate() {
        if let Role::Results(_) = role {
            loaded.sources.push(Source {
                display: display_path(root, &path),
                path: path.clone(),
                text: None,
            });
            loaded.deferred.push((i, path, role));
            continue;
        }
        let (src, parsed) = parsed_iter.next().expect("one result per eager file");
        loaded.sources.push(src);
        match parsed {
            Ok((value, body)) => loaded.docs.push(Doc {
                source: i,
                role,
                value,
                body,
            }),
            Err(p) => {
                problems.push(p);
                loaded.docs.push(Doc {
                    source: i,
                    role,
                    value: None,
                    body: String::new(),
                });
            }
        }
    }
    loaded.problems = problems;
    loaded.root = root.to_path_buf();
    loaded.lang = lang;
    loaded
}

impl Loaded {
    /// The results files, each read and looked up in the parse `cache` (when given), lazily
    /// and in parallel as the consumer (validation) takes them; validation parses each text
    /// (straight into its month when the file is clean), so that no YAML tree outlives its
    /// check.
    pub fn results<'a>(
        &'a self,
        cache: Option<&'a crate::cache::ParseCache>,
    ) -> impl IndexedParallelIterator<Item = ResultsFile> + 'a {
        let text_of = |role: Role| {
            self.docs
                .iter()
                .find(|d| d.role == role)
                .and_then(|d| self.sources[d.source].text.as_deref())
                .unwrap_or("")
        };
        let base = crate::cache::base_key(text_of(Role::Site), text_of(Role::Managers));
        let cache = cache.filter(|c| !c.is_empty());
        self.deferred
            .par_iter()
            .map(move |(src, path, role)| self.read_results(*src, path, role, base, cache))
    }

    fn read_results(
        &self,
        source: usize,
        path: &Path,
        role: &Role,
        base: crate::cache::Key,
        cache: Option<&crate::cache::ParseCache>,
    ) -> ResultsFile {
        let Role::Results(stem) = role else {
            unreachable!("only results are deferred")
        };
        let bytes = read_bytes(&self.root, path, self.lang);
        let display = self.sources[source].display.clone();
        let key = bytes
            .as_ref()
            .ok()
            .map(|b| crate::cache::key(base, stem, &display, b));
        let cached = match (cache, key) {
            (Some(c), Some(k)) => c.get(&display, k),
            _ => None,
        };
        let content = match cached {
            Some(m) => ResultsContent::Cached(m),
            None => ResultsContent::Text(
                bytes.and_then(|b| decode_text(&self.root, path, &b, self.lang)),
            ),
        };
        ResultsFile {
            source,
            stem: stem.clone(),
            display,
            key,
            content,
        }
    }
}

/// Parses the text of the data file shown as `display` (a results file or a training session,
/// whose parsing validation does) into a YAML tree, or the syntax problem that stops it.
pub fn parse_data(display: &str, text: &str, lang: Lang) -> Result<Option<Value>, Problem> {
    parse_doc(display, text, &Role::Results(String::new()), lang).map(|(v, _)| v)
}

fn parse_doc(
    display: &str,
    text: &str,
    role: &Role,
    lang: Lang,
) -> Result<(Option<Value>, String), Problem> {
    let (yaml_text, body, line_offset) = if let Role::Page(_) = role {
        match split_front_matter(text) {
            Some((fm, body)) => (fm, body.to_string(), 1),
            None => {
                return Err(Problem {
                    file: display.to_string(),
                    line: 1,
                    column: 1,
                    message: match lang {
                        Lang::Zh => "页面必须以 YAML 头信息开始：第一行 ---，然后 title: 标题，再一行 ---".to_string(),
                        Lang::En => "a page must start with YAML front matter: a line ---, then title: ..., then a line ---".to_string(),
                    },
                    frame: None,
                })
            }
        }
    } else {
        (text, String::new(), 0)
    };
    match yaml::parse(yaml_text) {
        Ok(v) => Ok((Some(v), body)),
        Err(e) => Err(Problem {
            file: display.to_string(),
            line: if e.line == 0 { 0 } else { e.line + line_offset },
            column: e.column,
            message: syntax_message(lang, &e.message),
            frame: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_fifos_are_refused_by_type_before_reading() {
        let d = tempfile::tempdir().unwrap();
        let p = read_bytes(d.path(), Path::new("/dev/zero"), Lang::En).unwrap_err();
        assert!(p.message.contains("not a regular file"), "{}", p.message);
        assert_eq!((p.line, p.column), (1, 1));
        let fifo = d.path().join("f.yaml");
        use rustix::fs::{mknodat, FileType, Mode, CWD};
        mknodat(CWD, &fifo, FileType::Fifo, Mode::from_raw_mode(0o644), 0).unwrap();
        let p = read_bytes(d.path(), &fifo, Lang::Zh).unwrap_err();
        assert!(p.message.contains("不是普通文件"), "{}", p.message);
        let link = d.path().join("l.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let p = read_bytes(d.path(), &link, Lang::En).unwrap_err();
        assert!(
            p.message.contains("symbolic link (to /dev/zero)"),
            "{}",
            p.message
        );
        let ok = d.path().join("ok.yaml");
        std::fs::write(&ok, "a: 1\n").unwrap();
        assert_eq!(read_bytes(d.path(), &ok, Lang::En).unwrap(), b"a: 1\n");
    }
}
