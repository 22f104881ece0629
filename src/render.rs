//! Rendering: the exports and the pages of the site, written as they are produced.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::compute::Computed;
use crate::diag::{Lang, Localize};
use crate::exports as export;
use crate::model::Site;
use crate::output::Output;
use crate::theme::{RenderError, Theme, ThemeError};

/// Why rendering the site failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The theme could not be loaded.
    #[error(transparent)]
    Theme(#[from] ThemeError),
    /// A template failed to render.
    #[error(transparent)]
    Template(#[from] RenderError),
    /// A file of the output could not be written.
    #[error(transparent)]
    Output(#[from] crate::output::Error),
}

impl Localize for Error {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Error::Theme(e) => e.localize(lang),
            Error::Template(e) => e.localize(lang),
            Error::Output(e) => e.localize(lang),
        }
    }
}

/// Renders every export and page of the site into `out`.
pub fn render_site(
    root: &Path,
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    out: &Output,
) -> Result<Vec<(&'static str, std::time::Duration)>, Error> {
    let (exports, pages) = rayon::join(
        || {
            let start = std::time::Instant::now();
            write_exports(site, computed, version, out).map(|()| start.elapsed())
        },
        || {
            let lang = site.config.language;
            let theme = Theme::load(root, &site.config.theme, lang)?;
            crate::pages::render_pages(site, computed, version, theme, out)
        },
    );
    let mut detail = vec![("exports", exports?)];
    detail.extend(pages?);
    Ok(detail)
}

/// Every file of a site's output rendered on request, for `serve`: each path gives the bytes
/// [`render_site`] writes there. Built by [`on_demand`].
pub struct OnDemand<'a> {
    site: &'a Site,
    computed: &'a Computed,
    version: Option<&'a serde_json::Value>,
    pages: &'a crate::pages::OnDemand<'a>,
    exports: HashMap<String, Export>,
}

/// Prepares the output of `site` for [`OnDemand::render`] and runs `f` with it; `theme` is
/// the site's, loaded ([`Theme::load`]).
pub fn on_demand<R>(
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    theme: Theme,
    f: impl FnOnce(&OnDemand<'_>) -> R,
) -> R {
    crate::pages::on_demand(site, computed, version, theme, |pages| {
        f(&OnDemand {
            site,
            computed,
            version,
            pages,
            exports: exports(computed).into_iter().collect(),
        })
    })
}

impl OnDemand<'_> {
    /// The path of every file of the output.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.exports.keys().cloned().collect();
        paths.extend(self.pages.paths());
        paths
    }

    /// The bytes of the file at `path` (relative, `/`-separated), `None` if the output has no
    /// such file, or the template's error.
    pub fn render(&self, path: &str) -> Option<Result<Vec<u8>, RenderError>> {
        match self.exports.get(path) {
            Some(e) => Some(Ok(export_bytes(self.site, self.computed, self.version, *e))),
            None => self.pages.render(path),
        }
    }
}

/// Writes `data/`: rankings (JSON, CSV), annual evaluations and training summaries.
pub fn write_exports(
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    out: &Output,
) -> Result<(), crate::output::Error> {
    exports(computed)
        .par_iter()
        .try_for_each(|(path, e)| out.write(path, &export_bytes(site, computed, version, *e)))
}

/// One file of `data/` (see [`exports`]); the numbers index the computed lists.
#[derive(Clone, Copy, Debug)]
pub enum Export {
    /// A month's ranking as JSON (index into the months' scores).
    RankingJson(usize),
    /// A month's ranking as CSV.
    RankingCsv(usize),
    /// A year's evaluation.
    Annual(usize),
    /// A quarter's evaluation.
    Quarter(usize),
    /// A training summary.
    Training(usize),
}

/// Every file of `data/`: its path in the output and what it holds.
pub fn exports(computed: &Computed) -> Vec<(String, Export)> {
    let s = &computed.scores;
    let mut list = Vec::new();
    for (i, m) in s.months.iter().enumerate() {
        list.push((
            format!("data/rankings/{}.json", m.month),
            Export::RankingJson(i),
        ));
        list.push((
            format!("data/rankings/{}.csv", m.month),
            Export::RankingCsv(i),
        ));
    }
    for (i, y) in s.years.iter().enumerate() {
        list.push((format!("data/annual/{}.json", y.year), Export::Annual(i)));
    }
    for (i, q) in s.quarters.iter().enumerate() {
        list.push((
            format!("data/quarterly/{}.json", q.label()),
            Export::Quarter(i),
        ));
    }
    for (i, t) in computed.training.iter().enumerate() {
        list.push((
            format!("data/training/{}.json", t.period),
            Export::Training(i),
        ));
    }
    list
}

/// The bytes of one file of `data/`.
pub fn export_bytes(
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    e: Export,
) -> Vec<u8> {
    let s = &computed.scores;
    match e {
        Export::RankingJson(i) => {
            let m = &s.months[i];
            export::to_json(
                &export::ranking(site, m, version).with_corrections(
                    computed
                        .corrections
                        .get(&m.month.to_string())
                        .map(Vec::as_slice),
                ),
            )
        }
        Export::RankingCsv(i) => export::ranking_csv(site, &s.months[i]),
        Export::Annual(i) => export::to_json(&export::annual(site, &s.years[i])),
        Export::Quarter(i) => export::to_json(&export::quarter(site, &s.quarters[i])),
        Export::Training(i) => export::to_json(&computed.training[i]),
    }
}
