//! Rendering: the exports and the pages of the site, written as they are produced.

use std::path::Path;

use rayon::prelude::*;

use crate::compute::Computed;
use crate::export;
use crate::model::Site;
use crate::output::Output;
use crate::theme::Theme;

/// Renders every export and page of the site into `out`.
pub fn render_site(
    root: &Path,
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    out: &Output,
) -> Result<Vec<(&'static str, std::time::Duration)>, String> {
    let (exports, pages) = rayon::join(
        || {
            let start = std::time::Instant::now();
            write_exports(site, computed, version, out).map(|()| start.elapsed())
        },
        || {
            let theme = Theme::load(root, &site.config.theme, site.config.language)?;
            crate::pages::render_pages(site, computed, version, theme, out)
        },
    );
    let mut detail = vec![("exports", exports?)];
    detail.extend(pages?);
    Ok(detail)
}

/// Writes `data/`: rankings (JSON, CSV), annual evaluations and training summaries.
pub fn write_exports(
    site: &Site,
    computed: &Computed,
    version: Option<&serde_json::Value>,
    out: &Output,
) -> Result<(), String> {
    let s = &computed.scores;
    s.months.par_iter().try_for_each(|m| {
        out.write(
            &format!("data/rankings/{}.json", m.month),
            &export::to_json(
                &export::ranking(site, m, version).with_corrections(
                    computed
                        .corrections
                        .get(&m.month.to_string())
                        .map(Vec::as_slice),
                ),
            ),
        )?;
        out.write(
            &format!("data/rankings/{}.csv", m.month),
            &export::ranking_csv(site, m),
        )
    })?;
    s.years.par_iter().try_for_each(|y| {
        out.write(
            &format!("data/annual/{}.json", y.year),
            &export::to_json(&export::annual(site, y)),
        )
    })?;
    s.quarters.par_iter().try_for_each(|q| {
        out.write(
            &format!("data/quarterly/{}.json", q.label()),
            &export::to_json(&export::quarter(site, q)),
        )
    })?;
    computed.training.par_iter().try_for_each(|t| {
        out.write(
            &format!("data/training/{}.json", t.period),
            &export::to_json(t),
        )
    })
}
