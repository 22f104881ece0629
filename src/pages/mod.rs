//! The pages of the site: one small context per page, rendered with the theme's templates in
//! parallel and written as soon as each is rendered.
//!
//! Everything a page shows is prepared here as text (numbers formatted to two decimals exactly as
//! the exports round them, labels in the site's language), so templates only lay things out; what
//! the bulletins show too (labels, averages, change wording, explanations, chart specifications)
//! comes from [`crate::present`]. Indexes that several pages need are built once in
//! `index::Index`, so a page costs time in proportion to what it shows.
//!
//! - `mod.rs`: [`render_pages`], the page jobs, the page context and its fingerprint, charts as
//!   SVG with their table.
//! - `index.rs`: the shared indexes and the views many pages use.
//! - `month.rs`, `manager.rs`, `team.rs`, `year.rs`, `levels.rs` (levels, quarters, candidates),
//!   `training.rs`, `misc.rs` (awards, incentives, rules, free pages): one file per page kind.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value as J};
use tera::Context;

use crate::cache::{Key, KeyBuilder, PageCache};

mod index;
mod levels;
mod manager;
mod misc;
mod month;
mod team;
mod training;
mod year;

use index::*;
use manager::*;
use misc::*;
use month::*;
use team::*;
use training::*;
use year::*;

use crate::charts::{self, BarChart, Chart, LineChart, Series};
use crate::compute::Computed;
use crate::markdown;
use crate::model::*;
use crate::output::Output;
use crate::present::charts as specs;
use crate::present::explain::{bonus_reason, explain, rule_words};
use crate::present::format::{c2, f2, num, opt_f2, opt_pct, pct};
use crate::present::{self, Change};
use crate::score::{cents, MonthScore, Row};
use crate::theme::Theme;
use crate::training::{Period, Summary};

/// The dashed series of every month's average total (for the archive and team charts).
fn average_series(idx: &Index, name: &str) -> Series {
    Series {
        name: name.into(),
        values: idx.months.average_points(),
        dashed: true,
    }
}

/// A row of a month's ranking table (see docs/templates.md, "ranking row").
#[derive(Serialize)]
struct RankRow<'a> {
    rank: u32,
    change: Change,
    id: &'a str,
    name: &'a str,
    team: &'a str,
    team_id: &'a str,
    cells: Vec<String>,
    bonus: String,
    deduction: String,
    veto: Option<&'a str>,
    total: String,
    watch: bool,
    top: bool,
    /// Rating level `{index, id, name}`, without ratings `None`.
    level: Option<J>,
}

/// A manager in a list: id, name, team.
#[derive(Serialize)]
struct ManagerRef<'a> {
    id: &'a str,
    name: &'a str,
    team: &'a str,
    team_id: &'a str,
}

/// Attendance as shown: CSS class, label, reason.
#[derive(Serialize)]
struct Status<'a> {
    cls: &'static str,
    label: &'a str,
    reason: Option<&'a str>,
}

/// A session's attendee.
#[derive(Serialize)]
struct Attendee<'a> {
    #[serde(flatten)]
    manager: ManagerRef<'a>,
    status: Status<'a>,
    score: Option<String>,
    passed: Option<bool>,
}

/// A session on a manager's page.
#[derive(Serialize)]
struct ManagerTraining<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    kind: &'a str,
    hours: String,
    status: Status<'a>,
    present: bool,
    score: Option<String>,
    passed: Option<bool>,
}

/// A manager's line in a training period.
#[derive(Serialize)]
struct PeriodManager<'a> {
    #[serde(flatten)]
    manager: ManagerRef<'a>,
    sessions: usize,
    present: usize,
    absent: usize,
    hours: String,
    average_score: String,
}

/// A chart ready for `chart.html`: the SVG and the same numbers as a table.
#[derive(Serialize)]
struct ChartView {
    title: String,
    svg: String,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The adapter between pages and [`crate::charts`]: renders the SVG (made responsive with a
/// `viewBox` if the renderer did not add one, and labelled for screen readers) and builds the
/// text alternative from the same numbers.
fn chart_view(chart: &Chart, t: &Theme) -> ChartView {
    // The SVG carries its own viewBox, role="img", aria-label and <title>.
    // Bar charts take the height their rows need.
    let height = match chart {
        Chart::Bar(_) => 1,
        _ => charts::PAGE_HEIGHT,
    };
    let svg = charts::render_svg(chart, charts::PAGE_WIDTH, height);
    let title = chart.title().to_string();
    let (head, rows) = specs::table(chart, t);
    ChartView {
        title,
        svg,
        head,
        rows,
    }
}

/// One column of the ranking table: an indicator or a group subtotal.
#[derive(Clone)]
enum Col {
    Indicator(usize),
    Subtotal(Vec<usize>),
}

/// A page's Tera context, with a cache key of everything inserted into it: two pages with
/// the same template, theme, global context and key render to the same bytes, so a rebuild
/// can reuse the previous output's file without rendering it (see [`crate::cache::pages`]).
struct PageCtx {
    ctx: Context,
    /// Every inserted key and value as JSON, hashed once in [`PageCtx::fingerprint`].
    json: Vec<u8>,
    /// False for pages keyed by their inputs instead (manager pages), and with the cache off
    /// ([`crate::cache::enabled`]): no JSON kept.
    hashed: bool,
}

impl PageCtx {
    fn new() -> PageCtx {
        let hashed = crate::cache::enabled();
        PageCtx {
            ctx: Context::new(),
            json: Vec::with_capacity(if hashed { 4096 } else { 0 }),
            hashed,
        }
    }

    /// Stops keeping the JSON of inserted values: the page's fingerprint is computed from its
    /// inputs (see `ManagerInputs`), not from its context.
    fn unhashed(mut self) -> PageCtx {
        self.hashed = false;
        self.json = Vec::new();
        self
    }

    /// Inserts a value (as `tera::Context::insert`) and adds it to the fingerprint.
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if !self.hashed {
            self.ctx.insert(key, value);
            return;
        }
        self.json.extend_from_slice(key.as_bytes());
        self.json.push(0);
        let _ = serde_json::to_writer(&mut self.json, value);
        self.json.push(0);
        self.ctx.insert(key, value);
    }

    /// The key of the context rendered with `template` under `salt`.
    fn fingerprint(&self, template: &str, salt: Key) -> Key {
        KeyBuilder::new()
            .key(salt)
            .str(template)
            .bytes(&self.json)
            .finish_key()
    }
}

/// The navigation and footer part of every page's context (`site`).
fn site_context(site: &Site, c: &Computed, t: &Theme, version: Option<&J>) -> J {
    let latest = c.scores.months.last().map(|m| m.month);
    let version_view = version.map(|v| {
        json!({
        "commit": v.get("commit").and_then(J::as_str).unwrap_or(""),
        "date": v.get("date").and_then(J::as_str).unwrap_or(""),
        "uncommitted": v.get("uncommitted").and_then(J::as_bool).unwrap_or(false),
        })
    });
    json!({
        "title": site.config.title,
        "organization": site.config.organization,
        "data_month": latest.map(|m| present::month_label(t, m)),
        "latest_month": latest.map(|m| m.to_string()),
        "version": version_view,
        "pages": site.pages.iter().map(|p| json!({"slug": p.slug, "title": p.title})).collect::<Vec<_>>(),
        "has_training": !c.training.is_empty(),
        "has_quarters": !c.scores.quarters.is_empty(),
    })
}

/// One page to render.
#[derive(Clone, Copy)]
enum Job {
    Home,
    Months,
    Month(usize),
    Managers,
    Manager(usize),
    Teams,
    Team(usize),
    Years,
    Year(usize),
    Quarters,
    Quarter(usize),
    Training,
    TrainingPeriod(usize),
    Session(usize),
    Awards,
    Incentives,
    Rules,
    Page(usize),
}

/// Renders every page and the theme's static files into `out`.
pub fn render_pages(
    site: &Site,
    computed: &Computed,
    version: Option<&J>,
    mut theme: Theme,
    out: &Output,
) -> Result<Vec<(&'static str, std::time::Duration)>, crate::render::Error> {
    for (rel, bytes) in theme.static_files() {
        out.write(&format!("static/{rel}"), bytes)?;
    }
    // The navigation and footer are the same on every page: serialise them once, into the
    // theme's global context.
    let site_ctx = site_context(site, computed, &theme, version);
    theme.insert_global("site", &site_ctx);
    let theme = &theme;
    let idx = Index::new(site, computed, theme);
    let jobs = jobs(site, computed);
    // Pages whose key matches the previous build's are linked from the previous output
    // instead of rendered (see `crate::cache::pages`). The salt covers what is not in a page's
    // own context: the theme (templates, labels), the global `site` value and this program's
    // version. With the cache off no key is made.
    let keyed = out.reuse().records();
    let salt = KeyBuilder::new()
        .str("page")
        .str(env!("CARGO_PKG_VERSION"))
        .u64(theme.fingerprint())
        .str(&serde_json::to_string(&site_ctx).unwrap_or_default())
        .finish_key();
    let cache = PageCache::new();
    let previous = out.reuse().previous_pages();
    let progress = crate::progress::Progress::new(jobs.len() as u64);
    // Nanoseconds per page kind: building the context, rendering, writing.
    let spent: Vec<[AtomicU64; 3]> = (0..KINDS.len()).map(|_| Default::default()).collect();
    // Manager pages are fingerprinted by their inputs (see `ManagerInputs`): an unchanged one
    // is reused without building its context.
    let inputs = keyed.then(|| ManagerInputs::new(&idx, salt));
    jobs.par_iter().try_for_each_init(
        || Vec::with_capacity(64 * 1024),
        |buf, job| {
            let t0 = Instant::now();
            let pre = match (*job, &inputs) {
                (Job::Manager(m), Some(inputs)) => Some((
                    format!("managers/{}/index.html", idx.site.managers[m].id),
                    inputs.fingerprint(&idx, m),
                )),
                _ => None,
            };
            if let (Some((path, fp)), Some(prev)) = (&pre, previous) {
                if prev.get(path) == Some(fp) && out.link_previous(path) {
                    cache.record(path.clone(), *fp);
                    let k = &spent[job.kind()];
                    k[0].fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
                    progress.inc();
                    return Ok(());
                }
            }
            let (path, template, ctx) = build_page(&idx, *job);
            let fp = match &pre {
                Some((p, fp)) => {
                    debug_assert_eq!(*p, path);
                    Some(*fp)
                }
                None if keyed => {
                    debug_assert!(ctx.hashed);
                    Some(ctx.fingerprint(template, salt))
                }
                None => None,
            };
            let t1 = Instant::now();
            let reused = pre.is_none()
                && fp.is_some_and(|fp| previous.is_some_and(|p| p.get(&path) == Some(&fp)))
                && out.link_previous(&path);
            let mut t2 = t1;
            if !reused {
                buf.clear();
                theme.render_to(template, &ctx.ctx, buf)?;
                drop(ctx);
                t2 = Instant::now();
                out.write(&path, buf)?;
            }
            if let Some(fp) = fp {
                cache.record(path, fp);
            }
            let t3 = Instant::now();
            let k = &spent[job.kind()];
            for (i, d) in [t1 - t0, t2 - t1, t3 - t2].iter().enumerate() {
                k[i].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
            }
            progress.inc();
            Ok::<(), crate::render::Error>(())
        },
    )?;
    progress.finish();
    out.reuse().set_pages(cache);
    let mut detail = Vec::new();
    for (kind, names) in KINDS.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            let ns = spent[kind][i].load(Ordering::Relaxed);
            if ns > 0 {
                detail.push((*name, Duration::from_nanos(ns)));
            }
        }
    }
    Ok(detail)
}

/// Every page of the site.
fn jobs(site: &Site, computed: &Computed) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Months,
        Job::Managers,
        Job::Teams,
        Job::Years,
        Job::Quarters,
        Job::Training,
        Job::Awards,
        Job::Incentives,
        Job::Rules,
    ];
    jobs.extend((0..computed.scores.months.len()).map(Job::Month));
    jobs.extend((0..site.managers.len()).map(Job::Manager));
    jobs.extend((0..site.teams.len()).map(Job::Team));
    jobs.extend((0..computed.scores.years.len()).map(Job::Year));
    jobs.extend((0..computed.scores.quarters.len()).map(Job::Quarter));
    jobs.extend((0..computed.training.len()).map(Job::TrainingPeriod));
    jobs.extend((0..site.trainings.len()).map(Job::Session));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// Timing names per page kind: (context, render, write); index = [`Job::kind`].
const KINDS: [[&str; 3]; 6] = [
    ["manager: context", "manager: render", "manager: write"],
    ["month: context", "month: render", "month: write"],
    ["team: context", "team: render", "team: write"],
    ["training: context", "training: render", "training: write"],
    ["index: context", "index: render", "index: write"],
    ["other: context", "other: render", "other: write"],
];

impl Job {
    /// Index into [`KINDS`].
    fn kind(self) -> usize {
        match self {
            Job::Manager(_) => 0,
            Job::Month(_) => 1,
            Job::Team(_) => 2,
            Job::TrainingPeriod(_) | Job::Session(_) => 3,
            Job::Home | Job::Months | Job::Managers | Job::Teams | Job::Years | Job::Training => 4,
            _ => 5,
        }
    }
}

fn build_page(idx: &Index, job: Job) -> (String, &'static str, PageCtx) {
    let (path, template) = target(idx, job);
    let ctx = match job {
        Job::Home => home(idx),
        Job::Months => months(idx),
        Job::Month(i) => month(idx, &idx.c.scores.months[i]),
        Job::Managers => managers(idx),
        Job::Manager(m) => manager(idx, m),
        Job::Teams => teams(idx),
        Job::Team(t) => team(idx, t),
        Job::Years => years(idx),
        Job::Year(y) => year(idx, y),
        Job::Quarters => levels::quarters(idx),
        Job::Quarter(q) => levels::quarter(idx, q),
        Job::Training => training_index(idx),
        Job::TrainingPeriod(i) => training_period(idx, &idx.c.training[i]),
        Job::Session(i) => session(idx, i),
        Job::Awards => awards(idx),
        Job::Incentives => incentives(idx),
        Job::Rules => rules(idx),
        Job::Page(i) => free_page(idx, &idx.site.pages[i]),
    };
    (path, template, ctx)
}

/// A page's path in the output and its template.
fn target(idx: &Index, job: Job) -> (String, &'static str) {
    let s = &idx.c.scores;
    match job {
        Job::Home => ("index.html".into(), "index.html"),
        Job::Months => ("months/index.html".into(), "months.html"),
        Job::Month(i) => (
            format!("months/{}/index.html", s.months[i].month),
            "month.html",
        ),
        Job::Managers => ("managers/index.html".into(), "managers.html"),
        Job::Manager(m) => (
            format!("managers/{}/index.html", idx.site.managers[m].id),
            "manager.html",
        ),
        Job::Teams => ("teams/index.html".into(), "teams.html"),
        Job::Team(t) => (
            format!("teams/{}/index.html", idx.site.teams[t].id),
            "team.html",
        ),
        Job::Years => ("years/index.html".into(), "years.html"),
        Job::Year(y) => (format!("years/{}/index.html", s.years[y].year), "year.html"),
        Job::Quarters => ("quarters/index.html".into(), "quarters.html"),
        Job::Quarter(q) => (
            format!("quarters/{}/index.html", s.quarters[q].label()),
            "quarter.html",
        ),
        Job::Training => ("training/index.html".into(), "training.html"),
        Job::TrainingPeriod(i) => (
            format!("training/{}/index.html", idx.c.training[i].period),
            "training_period.html",
        ),
        Job::Session(i) => (
            format!("training/sessions/{}/index.html", idx.site.trainings[i].id),
            "training_session.html",
        ),
        Job::Awards => ("awards/index.html".into(), "awards.html"),
        Job::Incentives => ("incentives/index.html".into(), "incentives.html"),
        Job::Rules => ("rules/index.html".into(), "rules.html"),
        Job::Page(i) => (
            format!("pages/{}/index.html", idx.site.pages[i].slug),
            "page.html",
        ),
    }
}

/// The pages of a site rendered one at a time, on request, for `serve`: each path gives the
/// bytes [`render_pages`] writes there (the theme's static files included).
pub struct OnDemand<'a> {
    idx: Index<'a>,
    jobs: HashMap<String, Job>,
}

/// Prepares the pages of `site` for [`OnDemand::render`] (the global context, the shared
/// indexes, the path of every page) and runs `f` with them.
pub fn on_demand<R>(
    site: &Site,
    computed: &Computed,
    version: Option<&J>,
    mut theme: Theme,
    f: impl FnOnce(&OnDemand<'_>) -> R,
) -> R {
    let site_ctx = site_context(site, computed, &theme, version);
    theme.insert_global("site", &site_ctx);
    let idx = Index::new(site, computed, &theme);
    let jobs = jobs(site, computed)
        .into_iter()
        .map(|job| (target(&idx, job).0, job))
        .collect();
    f(&OnDemand { idx, jobs })
}

impl OnDemand<'_> {
    /// The path of every page and static file.
    pub fn paths(&self) -> impl Iterator<Item = String> + '_ {
        let statics = self
            .idx
            .t
            .static_files()
            .keys()
            .map(|rel| format!("static/{rel}"));
        self.jobs.keys().cloned().chain(statics)
    }

    /// The bytes of the page or static file at `path`, `None` if there is none, or the
    /// template's error.
    pub fn render(&self, path: &str) -> Option<Result<Vec<u8>, crate::theme::RenderError>> {
        if let Some(rel) = path.strip_prefix("static/") {
            if let Some(bytes) = self.idx.t.static_files().get(rel) {
                return Some(Ok(bytes.clone()));
            }
        }
        let job = *self.jobs.get(path)?;
        let (_, template, ctx) = build_page(&self.idx, job);
        let mut buf = Vec::with_capacity(64 * 1024);
        Some(
            self.idx
                .t
                .render_to(template, &ctx.ctx, &mut buf)
                .map(|()| buf),
        )
    }
}

#[cfg(test)]
mod tests;
