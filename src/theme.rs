//! Themes: the Tera templates, static files and i18n labels a site is rendered with.
//!
//! Every file is looked up in three places, the first found wins:
//!
//! 1. the site's own `templates/NAME.html` (or `static/PATH`, `i18n/LANG.yaml`),
//! 2. the theme folder in the site, `themes/<theme>/templates/NAME.html` (`static/`, `i18n/`),
//! 3. the default theme embedded in the binary.
//!
//! Labels merge key by key in the same order, so an override file only needs the keys it
//! changes. A site or theme may also add templates and static files of its own.
//!
//! # Why the default theme is embedded with a build-time list of `include_bytes!`
//!
//! The default theme is small (a dozen templates, a stylesheet, a script and two label files),
//! so a hand-kept list in [`EMBEDDED`] costs nothing at run time, needs no extra crate
//! (`include_dir`/`rust-embed` would add proc-macro dependencies and compile time on a 2-core
//! machine) and keeps the binary's contents explicit. The unit test
//! `every_theme_file_is_embedded` fails when a file is added to `themes/default/` without being
//! added to the list, so the two cannot drift apart.
//!
//! One [`Theme`] holds one Tera instance, shared (read-only) by every page rendered in
//! parallel; the labels of the site's language are in Tera's global context as `t`, so pages do
//! not re-serialise them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diag::{display_path, os_reason, t, Lang, Localize};

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, embedded: (path relative to `themes/default/`, bytes).
pub const EMBEDDED: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/chart.html",
    "templates/index.html",
    "templates/months.html",
    "templates/month.html",
    "templates/managers.html",
    "templates/manager.html",
    "templates/teams.html",
    "templates/team.html",
    "templates/years.html",
    "templates/year.html",
    "templates/quarters.html",
    "templates/quarter.html",
    "templates/training.html",
    "templates/training_summary_table.html",
    "templates/training_period.html",
    "templates/training_session.html",
    "templates/awards.html",
    "templates/incentives.html",
    "templates/rules.html",
    "templates/page.html",
    "templates/bulletin.html",
    "templates/bulletin.txt",
    "static/style.css",
    "static/site.js",
    "i18n/zh-CN.yaml",
    "i18n/en.yaml",
];

/// A loaded theme: templates, static files and labels for one language.
pub struct Theme {
    tera: Tera,
    statics: BTreeMap<String, Vec<u8>>,
    labels: BTreeMap<String, String>,
    lang: Lang,
    /// A hash of the templates, labels and language: pages rendered with another theme
    /// fingerprint are never reused from a previous build.
    fingerprint: u64,
}

fn read_dir_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            if let Ok(rel) = e.path().strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if !rel.split('/').any(|s| s.starts_with('.')) {
                    out.push((rel, e.path().to_path_buf()));
                }
            }
        }
    }
    out
}

/// Why a theme could not be loaded: the facts; [`Localize`] tells them in the site's language.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    /// A theme other than `default` without its folder.
    #[error("theme \"{name}\" not found: expected the folder {dir}")]
    NotFound {
        /// The theme's name.
        name: String,
        /// The folder expected, as shown to the user.
        dir: String,
    },
    /// A file of the theme could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file, as shown to the user.
        file: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A text file of the theme is not UTF-8.
    #[error("{file} is not UTF-8 text")]
    NotUtf8 {
        /// The file, as shown to the user.
        file: String,
    },
    /// A labels file (`i18n/LANG.yaml`) is not a map of text.
    #[error("{origin}: labels must be a map of text ({detail})")]
    Labels {
        /// The file, as shown to the user.
        origin: String,
        /// What is wrong, from the YAML reader.
        detail: String,
    },
    /// A theme folder that holds a confidential folder
    /// ([`crate::confidential::check_theme_folder`]).
    #[error("{0}")]
    Folder(#[from] crate::confidential::Error),
    /// The templates do not compile.
    #[error("template error: {message}")]
    Templates {
        /// Tera's message with its causes ([`tera_error`]).
        message: String,
        /// The site's own template files involved (not the built-in ones).
        origins: Vec<String>,
    },
}

impl Localize for ThemeError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ThemeError::NotFound { name, dir } => t!(
                lang,
                "找不到主题 \"{}\"：应有文件夹 {}",
                "theme \"{}\" not found: expected the folder {}",
                name,
                dir
            ),
            ThemeError::Read { file, source } => t!(
                lang,
                "无法读取 {}：{}",
                "cannot read {}: {}",
                file,
                os_reason(lang, source)
            ),
            ThemeError::NotUtf8 { file } => t!(
                lang,
                "{} 不是 UTF-8 编码的文本；请用编辑器另存为 UTF-8",
                "{} is not UTF-8 text; save it as UTF-8 in an editor",
                file
            ),
            ThemeError::Labels { origin, detail } => t!(
                lang,
                "{}：界面文字应为“键: 文本”的映射（{}）",
                "{}: labels must be a map of text ({})",
                origin,
                detail
            ),
            ThemeError::Folder(e) => e.localize(lang),
            ThemeError::Templates { message, origins } if origins.is_empty() => {
                t!(lang, "模板错误：{}", "template error: {}", message)
            }
            ThemeError::Templates { message, origins } => t!(
                lang,
                "模板错误：{}（网站的模板：{}）",
                "template error: {} (site templates: {})",
                message,
                origins.join(", ")
            ),
        }
    }
}

/// Reads a file of the site's theme (shown as `file`), as bytes.
fn read(path: &Path, file: &str) -> Result<Vec<u8>, ThemeError> {
    std::fs::read(path).map_err(|source| ThemeError::Read {
        file: file.to_string(),
        source,
    })
}

/// Reads a text file of the site's theme (shown as `file`): UTF-8, BOM removed.
fn read_text(path: &Path, file: &str) -> Result<String, ThemeError> {
    let text = String::from_utf8(read(path, file)?).map_err(|_| ThemeError::NotUtf8 {
        file: file.to_string(),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

fn parse_labels(text: &str, origin: &str) -> Result<BTreeMap<String, String>, ThemeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bad = |detail: String| ThemeError::Labels {
        origin: origin.to_string(),
        detail,
    };
    if let Some((line, column)) = crate::yaml::too_deep(text) {
        return Err(bad(format!("{line}:{column}: {}", crate::yaml::TOO_DEEP)));
    }
    yaml_serde::from_str::<BTreeMap<String, String>>(text).map_err(|e| bad(e.to_string()))
}

/// Tera's error with its causes, on one string.
pub fn tera_error(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

impl Theme {
    /// Loads theme `name` for the site at `root` in language `lang`, with the site's overrides.
    /// A theme other than `default` must exist as `root/themes/<name>/`; anything it lacks comes
    /// from the embedded default theme.
    pub fn load(root: &Path, name: &str, lang: Lang) -> Result<Theme, ThemeError> {
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(ThemeError::NotFound {
                name: name.to_string(),
                dir: display_path(root, &theme_dir),
            });
        }
        // Lowest priority first; later layers replace earlier entries.
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let lang_file = format!("i18n/{}.yaml", lang.code());
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        for (path, bytes) in EMBEDDED {
            let origin = format!("(built-in theme)/{path}");
            if let Some(t) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(t.to_string(), (text, origin));
            } else if let Some(s) = path.strip_prefix("static/") {
                statics.insert(s.to_string(), bytes.to_vec());
            } else if *path == lang_file {
                labels.extend(parse_labels(&String::from_utf8_lossy(bytes), &origin)?);
            }
        }
        for dir in [theme_dir.clone(), root.to_path_buf()] {
            for sub in ["templates", "static"] {
                crate::confidential::check_theme_folder(root, &dir.join(sub))?;
            }
            for (rel, path) in read_dir_files(&dir.join("templates")) {
                let file = display_path(root, &path);
                let text = read_text(&path, &file)?;
                templates.insert(rel, (text, file));
            }
            for (rel, path) in read_dir_files(&dir.join("static")) {
                statics.insert(rel, read(&path, &display_path(root, &path))?);
            }
            let lf = dir.join(&lang_file);
            if lf.is_file() {
                let file = display_path(root, &lf);
                let text = read_text(&lf, &file)?;
                labels.extend(parse_labels(&text, &file)?);
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(templates.iter().map(|(n, (t, _))| (n.as_str(), t.as_str())))
            .map_err(|e| ThemeError::Templates {
                message: tera_error(&e),
                // Say which files were involved: Tera reports the template name only.
                origins: templates
                    .values()
                    .map(|(_, o)| o.clone())
                    .filter(|o| !o.starts_with("(built-in"))
                    .collect(),
            })?;
        tera.global_context().insert("t", &labels);
        tera.global_context().insert("lang", lang.code());
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::cache::KeyBuilder::new();
            for (name, (text, _)) in &templates {
                name.hash(&mut h);
                text.hash(&mut h);
            }
            labels.hash(&mut h);
            lang.code().hash(&mut h);
            h.finish()
        };
        Ok(Theme {
            tera,
            statics,
            labels,
            lang,
            fingerprint,
        })
    }

    /// Renders a template by name (e.g. `month.html`). `.html`/`.xml` templates autoescape every
    /// value; other templates (e.g. `bulletin.txt`) do not.
    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        self.tera
            .render(template, ctx)
            .map_err(|source| RenderError::new(template, source))
    }

    /// A hash of the templates, labels and language.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Static files, by path relative to `static/`.
    pub fn static_files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.statics
    }

    /// A label in the theme's language; the key itself if missing.
    pub fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).map(String::as_str).unwrap_or(key)
    }

    /// A label with `{name}` placeholders replaced by values.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = String::new();
        self.fill_into(&mut s, key, args);
        s
    }

    /// [`Theme::fill`], appended to `out` in one pass (no intermediate strings): each
    /// `{name}` with a value in `args` is replaced, anything else is copied as is.
    pub fn fill_into(&self, out: &mut String, key: &str, args: &[(&str, &str)]) {
        let mut rest = self.label(key);
        out.reserve(rest.len() + 16);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let arg = after.find('}').and_then(|close| {
                let name = &after[..close];
                args.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v, close))
            });
            match arg {
                Some((v, close)) => {
                    out.push_str(v);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }

    /// Adds a value to the global context of every template (e.g. the site's navigation,
    /// serialised once instead of once per page).
    pub fn insert_global<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders a template by name into `out` (appended).
    pub fn render_to(
        &self,
        template: &str,
        ctx: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), RenderError> {
        self.tera
            .render_to(template, ctx, out)
            .map_err(|source| RenderError::new(template, source))
    }

    /// All labels.
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }
}

/// A template of the theme failed to render.
#[derive(Debug, thiserror::Error)]
#[error("rendering {template}: {}", tera_error(source))]
pub struct RenderError {
    /// The template's name (e.g. `month.html`).
    pub template: String,
    /// Tera's error.
    pub source: tera::Error,
}

impl RenderError {
    /// The error of rendering `template`.
    fn new(template: &str, source: tera::Error) -> RenderError {
        RenderError {
            template: template.to_string(),
            source,
        }
    }
}

impl Localize for RenderError {
    fn localize(&self, lang: Lang) -> String {
        t!(
            lang,
            "生成 {} 时出错：{}",
            "rendering {}: {}",
            self.template,
            tera_error(&self.source)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = read_dir_files(&dir).into_iter().map(|f| f.0).collect();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|e| e.0.to_string()).collect();
        embedded.sort();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(on_disk, embedded, "update theme::EMBEDDED");
    }

    /// A theme file that cannot be read is told in the site's language, the OS's reason too
    /// (it was the English `io::Error` text inside the Chinese sentence).
    #[test]
    fn a_theme_read_error_is_told_in_the_site_language() {
        let source = std::fs::read("/nonexistent/page.html").unwrap_err();
        let e = ThemeError::Read {
            file: "templates/page.html".into(),
            source,
        };
        assert_eq!(
            e.localize(Lang::Zh),
            "无法读取 templates/page.html：文件或文件夹不存在 (os error 2)"
        );
        assert_eq!(
            e.localize(Lang::En),
            "cannot read templates/page.html: no such file or folder (os error 2)"
        );
        let Err(e) = Theme::load(Path::new("/nonexistent"), "dark", Lang::En) else {
            panic!("a theme without its folder is refused");
        };
        assert!(matches!(&e, ThemeError::NotFound { name, .. } if name == "dark"));
        assert_eq!(
            e.localize(Lang::Zh),
            "找不到主题 \"dark\"：应有文件夹 themes/dark"
        );
    }

    #[test]
    fn both_languages_have_the_same_labels() {
        let zh = Theme::load(Path::new("/nonexistent"), "default", Lang::Zh).unwrap();
        let en = Theme::load(Path::new("/nonexistent"), "default", Lang::En).unwrap();
        let zk: Vec<&String> = zh.labels().keys().collect();
        let ek: Vec<&String> = en.labels().keys().collect();
        assert_eq!(zk, ek);
        for (k, v) in en.labels() {
            assert!(
                !v.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "en label {k} has Chinese: {v}"
            );
        }
    }

    #[test]
    fn a_render_error_names_its_template_in_the_site_language() {
        let theme = Theme::load(Path::new("/nonexistent"), "default", Lang::Zh).unwrap();
        let e = theme.render("month.html", &Context::new()).unwrap_err();
        assert_eq!(e.template, "month.html");
        let zh = e.localize(Lang::Zh);
        assert!(zh.starts_with("生成 month.html 时出错："), "{zh}");
        assert!(zh.ends_with(&tera_error(&e.source)), "{zh}");
        let mut buf = Vec::new();
        let e = theme
            .render_to("month.html", &Context::new(), &mut buf)
            .unwrap_err();
        assert!(
            e.localize(Lang::En).starts_with("rendering month.html: "),
            "{e}"
        );
    }
}
