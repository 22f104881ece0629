//! The build pipeline, as a list of named phases: load → validate → compute → render → write
//! (the steps are methods of the opened site, [`crate::project::Project`]; [`build`] composes
//! them for the library's users and tests).
//!
//! A build writes into a fresh temporary folder beside the output folder and only replaces the
//! output once everything succeeded, so bad data or a crash never leaves a half-written site.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{self, Lang, Problem};
use crate::load;
use crate::model::Site;
use crate::project::Project;
use crate::validate;

/// Why a build failed (defined with the opened site, [`crate::project`]).
pub use crate::project::Error;

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
    /// Runs `f` as the phase `name`, timed.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
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

/// The language for messages: from `site.yaml` if it can be read, else Chinese (for the
/// commands that do not open the site otherwise; see [`Project::open`]).
pub fn detect_language(root: &Path) -> Lang {
    Project::open(root).lang()
}

/// Loads and validates the site at `root`: every problem, or the site.
pub fn load_site(root: &Path, timings: &mut Timings) -> Result<Site, Vec<Problem>> {
    Project::open(root)
        .load_cached(timings, None)
        .map(|(site, _)| site)
}

/// As [`load_site`], taking clean results files from the parse cache at `cache` (see
/// [`crate::cache`]) when given; returns the loaded files too, for [`crate::cache::parse::save`].
pub fn load_site_cached(
    root: &Path,
    timings: &mut Timings,
    cache: Option<&Path>,
) -> Result<(Site, load::Loaded), Vec<Problem>> {
    Project::open(root).load_cached(timings, cache)
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
    diag::attach_frames(&mut all, &loaded.sources);
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

/// Builds the site: opens it ([`Project::open`]), checks the output folder and runs the
/// build's steps ([`Project::build`]). On any error the previous output is left exactly as it
/// was.
pub fn build(opts: &Options) -> Result<Report, Error> {
    let project = Project::open(&opts.root);
    // A wrong output folder is refused before anything is read, moved or deleted.
    let output = project.output(Some(&opts.output))?;
    project.build(&output)
}
