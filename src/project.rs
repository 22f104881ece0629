//! An opened site: the one value every command starts from, made once from the site's folder
//! by [`Project::open`] (like Zola's `Site::new` or mdBook's `MDBook::load`).
//!
//! Opening reads and parses `content/site.yaml` once; the language, the theme's name and the
//! paths (output, bulletins, payroll) come from it and from the folder. The build is a list of
//! named steps on it — [`Project::load`] → [`Project::validate`] → [`Project::history`] →
//! [`compute`] → render and write ([`Project::build`]) — and the git history is read before
//! the compute step and passed in, so that [`compute`] is a pure function of its inputs.

use std::path::{Path, PathBuf};

use crate::compute::Computed;
use crate::confidential::Kind;
use crate::diag::{Lang, Localize, Problem};
use crate::history::History;
use crate::load::{self, SiteFile};
use crate::model::Site;
use crate::output::Output;
use crate::site::{Report, Timings};
use crate::theme::{Theme, ThemeError};
use crate::validate;

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data has problems; nothing was written.
    #[error("{}", listed(.0))]
    Data(Vec<Problem>),
    /// The output folder may not be used, or reading templates, rendering or writing files
    /// failed (the message is in the site's language).
    #[error("{0}")]
    Io(String),
}

/// The problems one a line, as [`Error::Data`] shows them.
fn listed(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{p}\n")).collect()
}

/// A site opened from its folder.
#[derive(Debug)]
pub struct Project {
    root: PathBuf,
    site_file: SiteFile,
    lang: Lang,
    theme_name: String,
}

impl Project {
    /// Opens the site at `root`: reads and parses `content/site.yaml` once for the language
    /// and the theme. Opening never fails: a missing or broken `site.yaml` is one of the
    /// problems [`Project::validate`] lists (until then the language is Chinese and the theme
    /// `default`).
    pub fn open(root: &Path) -> Project {
        let site_file = SiteFile::read(root);
        let value = site_file.value();
        let lang = value.map(validate::language_of).unwrap_or_default();
        let theme_name = value
            .and_then(|v| v.get("theme"))
            .and_then(|t| t.as_str())
            .filter(|t| validate::is_id(t))
            .unwrap_or("default")
            .to_string();
        Project {
            root: root.to_path_buf(),
            site_file,
            lang,
            theme_name,
        }
    }

    /// The site's folder (holds `content/`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The language of the site's messages (`language:` in `site.yaml`; Chinese by default).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The name of the site's theme (`theme:` in `site.yaml`; `default` by default).
    pub fn theme_name(&self) -> &str {
        &self.theme_name
    }

    /// Loads the site's theme: site `templates/` → `themes/NAME/` → the built-in default.
    pub fn theme(&self) -> Result<Theme, ThemeError> {
        Theme::load(&self.root, &self.theme_name, self.lang)
    }

    /// The output folder of a build: `chosen` (`-o`), else `ROOT/output`, resolved (`..` and
    /// symlinks of its parents) and checked once, before anything is read, moved or deleted
    /// ([`crate::output::check_target`]; checked again under the build's lock).
    pub fn output(&self, chosen: Option<&Path>) -> Result<PathBuf, Error> {
        let target = chosen
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.join("output"));
        let lang = self.lang;
        let output = crate::output::resolve(&target).map_err(|e| Error::Io(e.localize(lang)))?;
        crate::output::check_target(&self.root, &output)
            .map_err(|e| Error::Io(e.localize(lang)))?;
        Ok(output)
    }

    /// The confidential folder of `kind` (bulletins, payroll): `chosen` (`-o`), else its
    /// default under the root ([`Kind::dir`]).
    pub fn confidential_dir(&self, kind: Kind, chosen: Option<&Path>) -> PathBuf {
        kind.dir(&self.root, chosen)
    }

    /// Step `load`: reads and parses the data files (`site.yaml` as read when opened; the
    /// results files are read as validation takes them).
    pub fn load(&self) -> load::Loaded {
        load::load_opened(&self.root, self.lang, &self.site_file)
    }

    /// Steps `load` and `validate`, timed, taking clean results files from the parse cache at
    /// `cache` when given: every problem, or the site and the loaded files (for
    /// [`crate::cache::parse::save`]).
    pub fn load_cached(
        &self,
        timings: &mut Timings,
        cache: Option<&Path>,
    ) -> Result<(Site, load::Loaded), Vec<Problem>> {
        let (mut loaded, cache) = timings.time("load", || {
            rayon::join(|| self.load(), || cache.map(crate::cache::ParseCache::read))
        });
        let site = self.validate(&mut loaded, cache.as_ref(), timings);
        drop(cache);
        Ok((site?, loaded))
    }

    /// Step `validate` of the `loaded` files: every problem, or the site (see
    /// [`crate::site::validate_loaded`]).
    pub fn validate(
        &self,
        loaded: &mut load::Loaded,
        cache: Option<&crate::cache::ParseCache>,
        timings: &mut Timings,
    ) -> Result<Site, Vec<Problem>> {
        crate::site::validate_loaded(loaded, cache, None, timings)
    }

    /// Loads and validates the site, without the parse cache: every problem, or the site.
    pub fn load_site(&self) -> Result<Site, Vec<Problem>> {
        self.load_cached(&mut Timings::default(), None)
            .map(|(site, _)| site)
    }

    /// Reads the data's git history (version, corrections), the input of [`compute`] that is
    /// not in `content/`.
    pub fn history(&self) -> History {
        History::read(&self.root)
    }

    /// Builds the site into `output` (as returned by [`Project::output`]): loads, validates,
    /// computes, renders into a temporary folder and swaps it into place. On any error the
    /// previous output is left exactly as it was.
    pub fn build(&self, output: &Path) -> Result<Report, Error> {
        let mut timings = Timings::default();
        let cache_path = crate::cache::path_for(output).filter(|_| crate::cache::enabled());
        // Previous outputs set aside by earlier builds are deleted while this one loads; the
        // render waits for it (deleting and hard-linking at the same time slow each other down).
        let trash = std::thread::spawn({
            let output = output.to_path_buf();
            move || crate::output::empty_trash(&output)
        });
        // The git history is read (by git, in other processes) while the data loads.
        let history = std::thread::spawn({
            let root = self.root.clone();
            move || History::read(&root)
        });
        let (site, loaded) = match self.load_cached(&mut timings, cache_path.as_deref()) {
            Ok(x) => x,
            Err(e) => {
                let _ = trash.join();
                let _ = history.join();
                return Err(Error::Data(e));
            }
        };
        let history = history.join().unwrap_or_default();
        // The parse cache depends only on the data, not on this build's success: it is saved
        // in the background while the site is computed and rendered.
        std::thread::scope(|scope| {
            if let Some(p) = &cache_path {
                let (site, loaded) = (&site, &loaded);
                scope.spawn(move || crate::cache::parse::save_in_background(p, site, loaded));
            }
            let computed = timings.time("compute", || compute(&site, &history));
            timings.time("trash", || {
                let _ = trash.join();
            });
            self.render_and_write(output, &site, &computed, &history, timings)
        })
    }

    /// Steps `render` and `write`: renders into a staging folder beside `output` and swaps it
    /// into place once everything is rendered (the previous output is kept on failure).
    fn render_and_write(
        &self,
        output: &Path,
        site: &Site,
        computed: &Computed,
        history: &History,
        mut timings: Timings,
    ) -> Result<Report, Error> {
        let lang = site.config.language;
        let out =
            Output::begin(&self.root, output, lang).map_err(|e| Error::Io(e.localize(lang)))?;
        crate::pause::point("begun");
        let rendered = timings.time("render", || {
            crate::render::render_site(&self.root, site, computed, history.version.as_ref(), &out)
        });
        match rendered {
            Ok(detail) => timings.render_detail = detail,
            Err(e) => {
                out.abandon();
                return Err(Error::Io(e.localize(lang)));
            }
        }
        let (files, bytes) = out.stats();
        timings
            .time("write", || out.commit())
            .map_err(|e| Error::Io(e.localize(lang)))?;
        Ok(Report {
            files,
            bytes,
            timings,
        })
    }
}

/// Step `compute`: everything derived from a validated site and its history (see
/// [`crate::compute::compute`]), a pure function of both.
pub fn compute(site: &Site, history: &History) -> Computed {
    crate::compute::compute(site, history.corrections.clone())
}
