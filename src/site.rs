//! The build pipeline, as a list of named phases: load → validate → compute → render → write.
//!
//! A build writes into a fresh temporary folder beside the output folder and only replaces the
//! output once everything succeeded, so bad data or a crash never leaves a half-written site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{self, Lang, Problem};
use crate::load;
use crate::model::Site;
use crate::output::Output;
use crate::validate;

/// Why a build or check failed.
#[derive(Debug)]
pub enum Error {
    /// The data has problems; nothing was written.
    Data(Vec<Problem>),
    /// Reading templates, writing files or another I/O step failed.
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Data(ps) => crate::diag::write_problems(f, ps),
            Error::Io(s) => write!(f, "{s}"),
        }
    }
}

impl std::error::Error for Error {}

/// Wall time of each phase, printed by `build --timings`.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// (phase name, duration), in order.
    pub phases: Vec<(&'static str, Duration)>,
    /// Inside `render`: time spent per kind of output (exports, each page kind), summed over
    /// the threads that rendered them (so they can add up to more than `render`'s wall time).
    pub render_detail: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `f` as the phase `name`, recording its wall time.
    pub(crate) fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.phases.push((name, start.elapsed()));
        out
    }
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: Duration = self.phases.iter().map(|p| p.1).sum();
        for (name, d) in &self.phases {
            writeln!(f, "{name:>10}  {:>8.1} ms", d.as_secs_f64() * 1000.0)?;
        }
        write!(
            f,
            "{:>10}  {:>8.1} ms",
            "total",
            total.as_secs_f64() * 1000.0
        )?;
        if !self.render_detail.is_empty() {
            write!(f, "\nrender, CPU time per kind of output (all threads):")?;
            for (name, d) in &self.render_detail {
                write!(f, "\n{name:>22}  {:>8.1} ms", d.as_secs_f64() * 1000.0)?;
            }
        }
        Ok(())
    }
}

/// The language for messages: from `site.yaml` if it can be read, else Chinese.
pub fn detect_language(root: &Path) -> Lang {
    detect_settings(root).0
}

/// The language and theme name from `site.yaml`, read before full validation (defaults:
/// Chinese, `default`).
pub fn detect_settings(root: &Path) -> (Lang, String) {
    let p = root.join("content").join("site.yaml");
    let v = load::read_text(root, &p, Lang::Zh)
        .ok()
        .and_then(|t| crate::yaml::parse(&t).ok());
    let lang = v.as_ref().map(validate::language_of).unwrap_or_default();
    let theme = v
        .as_ref()
        .and_then(|v| v.get("theme"))
        .and_then(|t| t.as_str())
        .filter(|t| validate::is_id(t))
        .unwrap_or("default")
        .to_string();
    (lang, theme)
}

/// Loads and validates the site at `root`: every problem, or the site.
pub fn load_site(root: &Path, timings: &mut Timings) -> Result<Site, Vec<Problem>> {
    crate::cache::parse::load_site_cached(root, timings, None).map(|(site, _)| site)
}

/// Validates the `loaded` files (phase `validate`), taking clean results files from `cache`
/// when given, and the training sessions from `prior` (see [`validate::validate`]): every
/// problem, or the site. `loaded` keeps its documents and learns the cache keys of the results
/// files (for [`crate::cache::parse::save`]).
pub fn validate_loaded(
    loaded: &mut load::Loaded,
    cache: Option<&crate::cache::ParseCache>,
    prior: Option<&[crate::model::Training]>,
    timings: &mut Timings,
) -> Result<Site, Vec<Problem>> {
    let lang = loaded.lang;
    // The results files are read (or taken from the cache) as validation checks them.
    let checked = timings.time("validate", || {
        let results = loaded.results(cache);
        validate::validate(&loaded.docs, &loaded.sources, results, lang, prior)
    });
    for (src, text) in checked.texts {
        loaded.sources[src].text = Some(text);
    }
    loaded.result_keys = checked.result_keys;
    loaded.cache_misses = checked.cache_misses;
    let mut all = loaded.problems.clone();
    all.extend(diag::resolve(checked.problems, &loaded.sources));
    all.sort();
    match checked.site {
        Some(s) if all.is_empty() => Ok(s),
        _ => Err(all),
    }
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Report {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Phase timings.
    pub timings: Timings,
}

/// Options of a build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site folder (holds `content/`).
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
}

/// Builds the site: loads, validates, computes, renders into a temporary folder and swaps it
/// into place. On any error the previous output is left exactly as it was.
pub fn build(opts: &Options) -> Result<Report, Error> {
    let mut timings = Timings::default();
    // A wrong output folder is refused before anything is read, moved or deleted (checked
    // again under the lock by `Output::begin`).
    let lang = detect_language(&opts.root);
    let output = crate::output::resolve(&opts.output, lang).map_err(Error::Io)?;
    crate::output::check_target(&opts.root, &output, lang).map_err(Error::Io)?;
    let cache_path = crate::cache::path_for(&output).filter(|_| crate::cache::enabled());
    // Previous outputs set aside by earlier builds are deleted while this one loads; the
    // render waits for it (deleting and hard-linking at the same time slow each other down).
    let trash = std::thread::spawn({
        let output = output.clone();
        move || crate::output::empty_trash(&output)
    });
    let loaded =
        crate::cache::parse::load_site_cached(&opts.root, &mut timings, cache_path.as_deref());
    let (site, loaded) = match loaded {
        Ok(x) => x,
        Err(e) => {
            let _ = trash.join();
            return Err(Error::Data(e));
        }
    };
    // The parse cache depends only on the data, not on this build's success: it is saved in
    // the background while the site is computed and rendered.
    std::thread::scope(|scope| {
        if let Some(p) = &cache_path {
            let (site, loaded) = (&site, &loaded);
            scope.spawn(move || crate::cache::parse::save_in_background(p, site, loaded));
        }
        render_and_swap(opts, &site, timings, trash)
    })
}

fn render_and_swap(
    opts: &Options,
    site: &Site,
    mut timings: Timings,
    trash: std::thread::JoinHandle<()>,
) -> Result<Report, Error> {
    let mut computed = timings.time("compute", || crate::compute::compute(site));
    let version = crate::history::data_version(&opts.root);
    computed.corrections = crate::history::corrections(&opts.root);
    timings.time("trash", || {
        let _ = trash.join();
    });
    let out = Output::begin(&opts.root, &opts.output, site.config.language).map_err(Error::Io)?;
    let rendered = timings.time("render", || {
        crate::render::render_site(&opts.root, site, &computed, version.as_ref(), &out)
    });
    match rendered {
        Ok(detail) => timings.render_detail = detail,
        Err(e) => {
            out.abandon();
            return Err(Error::Io(e));
        }
    }
    let (files, bytes) = out.stats();
    timings.time("write", || out.commit()).map_err(Error::Io)?;
    Ok(Report {
        files,
        bytes,
        timings,
    })
}
