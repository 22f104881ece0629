//! The pages of the site: one small context per page, rendered with the theme's templates in
//! parallel and written as soon as each is rendered.
//!
//! Everything a page shows is prepared here as text (numbers formatted to two decimals exactly as
//! the exports round them, labels in the site's language), so templates only lay things out.
//! Indexes that several pages need (each manager's rows across months, team averages per month,
//! each manager's trainings and incentives) are built once in [`Index::new`], so a page costs
//! time in proportion to what it shows.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value as J};
use tera::Context;

use crate::output::PageCache;

mod levels;

use crate::charts::{self, BarChart, Chart, LineChart, Series};
use crate::markdown;
use crate::model::*;
use crate::output::Output;
use crate::present::charts as specs;
use crate::present::explain::{bonus_reason, explain, rule_words};
use crate::present::format::{c2, f2, num, opt_f2, opt_pct, pct};
use crate::present::{self, Change};
use crate::score::{cents, MonthScore, Row};
use crate::site::Computed;
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
    let svg = charts::render_svg(chart, 640, 300);
    let title = match chart {
        Chart::Line(c) => c.title.clone(),
        Chart::Bar(c) => c.title.clone(),
        Chart::Histogram(c) => c.title.clone(),
    };
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

/// A page's Tera context, with a fingerprint of everything inserted into it: two pages with
/// the same template, theme, global context and fingerprint render to the same bytes, so a
/// rebuild can reuse the previous output's file without rendering it (see [`PageCache`]).
struct PageCtx {
    ctx: Context,
    /// Every inserted key and value as JSON, hashed once in [`PageCtx::fingerprint`].
    json: Vec<u8>,
    /// False for pages fingerprinted by their inputs instead (manager pages): no JSON kept.
    hashed: bool,
}

impl PageCtx {
    fn new() -> PageCtx {
        PageCtx {
            ctx: Context::new(),
            json: Vec::with_capacity(4096),
            hashed: true,
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

    /// The fingerprint of the context rendered with `template` under `salt`.
    fn fingerprint(&self, template: &str, salt: u64) -> u64 {
        use std::hash::Hasher;
        let mut h = crate::output::stable_hasher();
        h.write(&self.json);
        h.write(template.as_bytes());
        h.write_u64(salt);
        h.finish()
    }
}

/// Everything several pages need, computed once.
struct Index<'a> {
    site: &'a Site,
    c: &'a Computed,
    t: &'a Theme,
    /// Per manager: (month index, row index) of every month ranked, in month order.
    rows_of: Vec<Vec<(usize, usize)>>,
    /// Per team, per month: (average cents, rank, members ranked).
    team_hist: Vec<Vec<Option<(i64, u32, usize)>>>,
    /// Per month index: `YYYY-MM`, the month's label and its average, computed once.
    months: present::Months,
    /// Per manager: (session, attendee index).
    trainings_of: Vec<Vec<(usize, usize)>>,
    /// Per manager: (competition, placing index).
    competitions_of: Vec<Vec<(usize, usize)>>,
    /// Per manager: innovation indices.
    innovations_of: Vec<Vec<usize>>,
    /// Per manager: suggestion indices.
    suggestions_of: Vec<Vec<usize>>,
    /// Per manager: (month index, award index) won.
    awards_of: Vec<Vec<(usize, usize)>>,
    /// Per month index: set of watch-listed managers.
    watch_sets: Vec<std::collections::HashSet<usize>>,
    /// Training summaries by period.
    summaries: BTreeMap<Period, &'a Summary>,
    /// Columns of the ranking tables and the group header cells (label, span).
    cols: Vec<Col>,
    groups: Vec<(String, usize)>,
}

impl<'a> Index<'a> {
    fn new(site: &'a Site, c: &'a Computed, t: &'a Theme) -> Index<'a> {
        let nm = site.managers.len();
        let mut rows_of = vec![Vec::new(); nm];
        let mut team_hist = vec![vec![None; c.scores.months.len()]; site.teams.len()];
        let mut awards_of = vec![Vec::new(); nm];
        let mut watch_sets = Vec::new();
        for (mi, ms) in c.scores.months.iter().enumerate() {
            for (ri, r) in ms.rows.iter().enumerate() {
                rows_of[r.manager].push((mi, ri));
            }
            for tr in &ms.teams {
                team_hist[tr.team][mi] = Some((tr.average_cents, tr.rank, tr.managers.len()));
            }
            for aw in &ms.awards {
                for &m in &aw.managers {
                    awards_of[m].push((mi, aw.award));
                }
            }
            watch_sets.push(ms.watch.iter().copied().collect());
        }
        let mut trainings_of = vec![Vec::new(); nm];
        for (si, s) in site.trainings.iter().enumerate() {
            for (ai, a) in s.attendees.iter().enumerate() {
                trainings_of[a.manager].push((si, ai));
            }
        }
        let mut competitions_of = vec![Vec::new(); nm];
        for (ci, comp) in site.competitions.iter().enumerate() {
            for (pi, p) in comp.results.iter().enumerate() {
                competitions_of[p.manager].push((ci, pi));
            }
        }
        let mut innovations_of = vec![Vec::new(); nm];
        for (ii, inn) in site.innovations.iter().enumerate() {
            for &m in &inn.managers {
                innovations_of[m].push(ii);
            }
        }
        let mut suggestions_of = vec![Vec::new(); nm];
        for (si, s) in site.suggestions.iter().enumerate() {
            suggestions_of[s.manager].push(si);
        }
        let summaries = c
            .training
            .iter()
            .filter_map(|s| s.key.map(|k| (k, s)))
            .collect();
        // Columns: indicators in order; after the last indicator of a group with two or more
        // indicators, that group's subtotal.
        let inds = &site.config.indicators;
        let mut cols = Vec::new();
        let mut groups: Vec<(String, usize)> = Vec::new();
        let mut i = 0;
        while i < inds.len() {
            let g = inds[i].group.clone();
            let mut j = i + 1;
            while g.is_some() && j < inds.len() && inds[j].group == g {
                j += 1;
            }
            let members: Vec<usize> = (i..j).collect();
            for &k in &members {
                cols.push(Col::Indicator(k));
            }
            let mut span = members.len();
            if members.len() > 1 {
                cols.push(Col::Subtotal(members));
                span += 1;
            }
            groups.push((g.unwrap_or_default(), span));
            i = j;
        }
        Index {
            site,
            c,
            t,
            months: present::Months::new(t, &c.scores),
            rows_of,
            team_hist,
            trainings_of,
            competitions_of,
            innovations_of,
            suggestions_of,
            awards_of,
            watch_sets,
            summaries,
            cols,
            groups,
        }
    }

    fn month_label(&self, m: Month) -> String {
        present::month_label(self.t, m)
    }

    fn year_label(&self, y: i32) -> String {
        present::year_label(self.t, y)
    }

    fn period_label(&self, p: Period) -> String {
        match p {
            Period::Month(m) => self.month_label(m),
            Period::Year(y) => self.year_label(y),
        }
    }

    fn kind_label(&self, k: TrainingKind) -> &str {
        self.t.label(match k {
            TrainingKind::PreJob => "kind_pre_job",
            TrainingKind::Routine => "kind_routine",
            TrainingKind::Promotion => "kind_promotion",
            TrainingKind::Vocational => "kind_vocational",
        })
    }

    fn change(&self, c: Option<i64>, has_prev: bool) -> Change {
        present::change(self.t, c, has_prev)
    }

    /// The common part of every page's context. `depth` is how many folders below the output
    /// root the page is (its links start with `../` that many times).
    fn ctx(&self, depth: usize, title: &str, section: &str) -> PageCtx {
        // `site` is in the theme's global context (see `render_pages`).
        let mut ctx = PageCtx::new();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("title", title);
        ctx.insert("section", section);
        ctx
    }

    fn mgr(&self, m: usize) -> J {
        let man = &self.site.managers[m];
        json!({"id": man.id, "name": man.name, "team": self.site.teams[man.team].name, "team_id": self.site.teams[man.team].id})
    }

    fn row_cells(&self, r: &Row) -> Vec<String> {
        self.cols
            .iter()
            .map(|c| match c {
                Col::Indicator(i) => f2(r.scores[*i]),
                Col::Subtotal(ms) => {
                    let mut s = 0.0;
                    for &i in ms {
                        s += r.scores[i];
                    }
                    f2(s)
                }
            })
            .collect()
    }

    fn col_heads(&self) -> Vec<J> {
        let inds = &self.site.config.indicators;
        self.cols
            .iter()
            .map(|c| match c {
                Col::Indicator(i) => json!({"label": inds[*i].name, "subtotal": false}),
                Col::Subtotal(_) => json!({"label": self.t.label("subtotal"), "subtotal": true}),
            })
            .collect()
    }

    fn ranking_row<'s>(&'s self, ms: &MonthScore, r: &'s Row) -> RankRow<'s> {
        let man = &self.site.managers[r.manager];
        let team = &self.site.teams[man.team];
        RankRow {
            rank: r.rank,
            change: self.change(r.change, ms.previous.is_some()),
            id: &man.id,
            name: &man.name,
            team: &team.name,
            team_id: &team.id,
            cells: self.row_cells(r),
            bonus: f2(r.bonus),
            deduction: f2(r.deduction),
            veto: r.veto.as_deref(),
            total: f2(r.total),
            watch: self.watch_sets[ms_index(self, ms)].contains(&r.manager),
            top: r.rank <= 3 && r.veto.is_none(),
            level: self.level(r.rating),
        }
    }

    /// A manager as listed in tables: id, name and team.
    fn mref(&self, m: usize) -> ManagerRef<'a> {
        let man = &self.site.managers[m];
        let team = &self.site.teams[man.team];
        ManagerRef {
            id: &man.id,
            name: &man.name,
            team: &team.name,
            team_id: &team.id,
        }
    }

    fn month_charts(&self, ms: &MonthScore) -> Vec<ChartView> {
        let t = self.t;
        let ml = &self.months.labels[ms.index];
        let site = self.site;
        vec![
            chart_view(&specs::distribution(t, ml, ms), t),
            chart_view(&specs::team_averages(t, ml, site, ms), t),
            chart_view(&specs::indicator_averages(t, ml, site, ms), t),
        ]
    }

    fn team_rows(&self, ms: &MonthScore) -> Vec<J> {
        ms.teams
            .iter()
            .map(|tr| {
                json!({"rank": tr.rank, "id": self.site.teams[tr.team].id, "name": self.site.teams[tr.team].name,
                       "managers": tr.managers.len(), "average": c2(tr.average_cents)})
            })
            .collect()
    }

    fn award_rows(&self, ms: &MonthScore) -> Vec<J> {
        ms.awards
            .iter()
            .map(|a| {
                json!({"name": self.site.config.awards[a.award].name,
                       "managers": a.managers.iter().map(|&m| self.mgr(m)).collect::<Vec<_>>()})
            })
            .collect()
    }

    fn watch_rows(&self, ms: &MonthScore) -> Vec<J> {
        ms.watch
            .iter()
            .filter_map(|&m| ms.rows.iter().find(|r| r.manager == m))
            .map(|r| {
                let mut v = self.mgr(r.manager);
                v["rank"] = json!(r.rank);
                v["total"] = json!(f2(r.total));
                v["veto"] = json!(r.veto);
                v
            })
            .collect()
    }

    fn training_brief(&self, p: Period) -> J {
        match self.summaries.get(&p) {
            Some(s) => json!({
                "key": s.period,
                "sessions": s.sessions,
                "hours": num(s.hours),
                "person_hours": num(s.person_hours),
                "attendance_rate": opt_pct(s.attendance_rate),
                "pass_rate": opt_pct(s.pass_rate),
                "average_score": opt_f2(s.average_score),
                "plan_due": s.plan.due,
                "plan_held": s.plan.held,
                "plan_rate": opt_pct(s.plan.completion_rate),
                "missing": s.plan.missing.len(),
            }),
            None => J::Null,
        }
    }

    fn headline(&self, ms: &MonthScore) -> J {
        let max = ms.rows.first().map(|r| f2(r.total));
        let min = ms.rows.iter().map(|r| cents(r.total)).min().map(c2);
        json!({
            "ranked": ms.rows.len(),
            "average": self.months.averages[ms_index(self, ms)].map(c2),
            "max": max,
            "min": min,
            "vetoes": ms.rows.iter().filter(|r| r.veto.is_some()).count(),
        })
    }
}

fn ms_index(idx: &Index, ms: &MonthScore) -> usize {
    // MonthScore::index is the index into Site::months, which is also the index of the
    // MonthScore (one per results file, in month order).
    let _ = idx;
    ms.index
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
) -> Result<Vec<(&'static str, std::time::Duration)>, String> {
    for (rel, bytes) in theme.static_files() {
        out.write(&format!("static/{rel}"), bytes)?;
    }
    // The navigation and footer are the same on every page: serialise them once, into the
    // theme's global context.
    let site_ctx = site_context(site, computed, &theme, version);
    theme.insert_global("site", &site_ctx);
    let theme = &theme;
    let idx = Index::new(site, computed, theme);
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
    // Pages whose fingerprint matches the previous build's are linked from the previous
    // output instead of rendered. The salt covers what is not in a page's own context: the
    // theme (templates, labels), the global `site` value and this program's version.
    let salt = {
        use std::hash::{Hash, Hasher};
        let mut h = crate::output::stable_hasher();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        theme.fingerprint().hash(&mut h);
        serde_json::to_string(&site_ctx)
            .unwrap_or_default()
            .hash(&mut h);
        h.finish()
    };
    let cache = PageCache::new();
    let previous = out.previous_pages();
    let progress = crate::progress::Progress::new(jobs.len() as u64);
    // Nanoseconds per page kind: building the context, rendering, writing.
    let spent: Vec<[AtomicU64; 3]> = (0..KINDS.len()).map(|_| Default::default()).collect();
    // Manager pages are fingerprinted by their inputs (see `ManagerInputs`): an unchanged one
    // is reused without building its context.
    let inputs = ManagerInputs::new(&idx, salt);
    jobs.par_iter().try_for_each_init(
        || Vec::with_capacity(64 * 1024),
        |buf, job| {
            let t0 = Instant::now();
            let pre = match *job {
                Job::Manager(m) => Some((
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
                    *fp
                }
                None => {
                    debug_assert!(ctx.hashed);
                    ctx.fingerprint(template, salt)
                }
            };
            let t1 = Instant::now();
            let reused = pre.is_none()
                && previous.as_ref().is_some_and(|p| p.get(&path) == Some(&fp))
                && out.link_previous(&path);
            let mut t2 = t1;
            if !reused {
                buf.clear();
                theme.render_to(template, &ctx.ctx, buf)?;
                drop(ctx);
                t2 = Instant::now();
                out.write(&path, buf)?;
            }
            cache.record(path, fp);
            let t3 = Instant::now();
            let k = &spent[job.kind()];
            for (i, d) in [t1 - t0, t2 - t1, t3 - t2].iter().enumerate() {
                k[i].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
            }
            progress.inc();
            Ok::<(), String>(())
        },
    )?;
    progress.finish();
    out.set_pages(cache);
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
    match job {
        Job::Home => ("index.html".into(), "index.html", home(idx)),
        Job::Months => ("months/index.html".into(), "months.html", months(idx)),
        Job::Month(i) => {
            let ms = &idx.c.scores.months[i];
            (
                format!("months/{}/index.html", ms.month),
                "month.html",
                month(idx, ms),
            )
        }
        Job::Managers => ("managers/index.html".into(), "managers.html", managers(idx)),
        Job::Manager(m) => (
            format!("managers/{}/index.html", idx.site.managers[m].id),
            "manager.html",
            manager(idx, m),
        ),
        Job::Teams => ("teams/index.html".into(), "teams.html", teams(idx)),
        Job::Team(t) => (
            format!("teams/{}/index.html", idx.site.teams[t].id),
            "team.html",
            team(idx, t),
        ),
        Job::Years => ("years/index.html".into(), "years.html", years(idx)),
        Job::Year(y) => (
            format!("years/{}/index.html", idx.c.scores.years[y].year),
            "year.html",
            year(idx, y),
        ),
        Job::Quarters => (
            "quarters/index.html".into(),
            "quarters.html",
            levels::quarters(idx),
        ),
        Job::Quarter(q) => (
            format!("quarters/{}/index.html", idx.c.scores.quarters[q].label()),
            "quarter.html",
            levels::quarter(idx, q),
        ),
        Job::Training => (
            "training/index.html".into(),
            "training.html",
            training_index(idx),
        ),
        Job::TrainingPeriod(i) => {
            let s = &idx.c.training[i];
            (
                format!("training/{}/index.html", s.period),
                "training_period.html",
                training_period(idx, s),
            )
        }
        Job::Session(i) => (
            format!("training/sessions/{}/index.html", idx.site.trainings[i].id),
            "training_session.html",
            session(idx, i),
        ),
        Job::Awards => ("awards/index.html".into(), "awards.html", awards(idx)),
        Job::Incentives => (
            "incentives/index.html".into(),
            "incentives.html",
            incentives(idx),
        ),
        Job::Rules => ("rules/index.html".into(), "rules.html", rules(idx)),
        Job::Page(i) => {
            let p = &idx.site.pages[i];
            (
                format!("pages/{}/index.html", p.slug),
                "page.html",
                free_page(idx, p),
            )
        }
    }
}

fn home(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(0, t.label("nav_home"), "home");
    let latest = idx.c.scores.months.last();
    ctx.insert("has_month", &latest.is_some());
    if let Some(ms) = latest {
        ctx.insert("month", &ms.month.to_string());
        ctx.insert("month_label", &idx.month_label(ms.month));
        ctx.insert("headline", &idx.headline(ms));
        ctx.insert(
            "top",
            &ms.rows
                .iter()
                .take(5)
                .map(|r| idx.ranking_row(ms, r))
                .collect::<Vec<_>>(),
        );
        ctx.insert("watch", &idx.watch_rows(ms));
        ctx.insert("awards", &idx.award_rows(ms));
        ctx.insert("teams", &idx.team_rows(ms));
        let mut charts = idx.month_charts(ms);
        charts.truncate(2);
        ctx.insert("charts", &charts);
        let note = idx.site.months[ms.index]
            .note
            .as_deref()
            .map(markdown::to_html);
        ctx.insert("note", &note);
        ctx.insert("training", &idx.training_brief(Period::Month(ms.month)));
    }
    ctx.insert(
        "months",
        &idx.c
            .scores
            .months
            .iter()
            .rev()
            .take(12)
            .map(|m| json!({"key": m.month.to_string(), "label": idx.month_label(m.month)}))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "years",
        &idx.c
            .scores
            .years
            .iter()
            .rev()
            .map(|y| json!({"key": y.year, "label": idx.year_label(y.year)}))
            .collect::<Vec<_>>(),
    );
    ctx
}

fn months(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_months"), "months");
    let rows: Vec<J> = idx
        .c
        .scores
        .months
        .iter()
        .rev()
        .map(|ms| {
            let first = ms.rows.first();
            json!({
                "key": ms.month.to_string(),
                "label": idx.month_label(ms.month),
                "ranked": ms.rows.len(),
                "average": idx.months.averages[ms.index].map(c2),
                "first": first.map(|r| idx.mgr(r.manager)),
                "first_total": first.map(|r| f2(r.total)),
                "watch": ms.watch.len(),
            })
        })
        .collect();
    ctx.insert("months", &rows);
    let ms = &idx.c.scores.months;
    let chart = Chart::Line(LineChart {
        title: t.label("chart_month_avg").into(),
        x_labels: ms.iter().map(|m| m.month.to_string()).collect(),
        series: vec![
            Series {
                name: t.label("highest").into(),
                values: ms.iter().map(|m| m.rows.first().map(|r| r.total)).collect(),
                dashed: false,
            },
            average_series(idx, t.label("average")),
        ],
        y_label: t.label("total").into(),
        invert_y: false,
    });
    let charts: Vec<ChartView> = if ms.is_empty() {
        vec![]
    } else {
        vec![chart_view(&chart, t)]
    };
    ctx.insert("charts", &charts);
    ctx
}

fn month(idx: &Index, ms: &MonthScore) -> PageCtx {
    let t = idx.t;
    let label = idx.month_label(ms.month);
    let mut ctx = idx.ctx(2, &t.fill("month_title", &[("month", &label)]), "months");
    ctx.insert("month", &ms.month.to_string());
    ctx.insert("month_label", &label);
    ctx.insert("previous", &ms.previous.map(|m| m.to_string()));
    let pos = ms.index;
    let months = &idx.c.scores.months;
    ctx.insert(
        "prev_month",
        &(pos > 0).then(|| json!({"key": months[pos - 1].month.to_string(), "label": idx.month_label(months[pos - 1].month)})),
    );
    ctx.insert(
        "next_month",
        &months
            .get(pos + 1)
            .map(|m| json!({"key": m.month.to_string(), "label": idx.month_label(m.month)})),
    );
    ctx.insert("headline", &idx.headline(ms));
    ctx.insert(
        "corrections",
        idx.c
            .corrections
            .get(&ms.month.to_string())
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    );
    ctx.insert(
        "groups",
        &idx.groups
            .iter()
            .map(|g| json!({"label": g.0, "span": g.1}))
            .collect::<Vec<_>>(),
    );
    ctx.insert("has_groups", &idx.groups.iter().any(|g| !g.0.is_empty()));
    ctx.insert("cols", &idx.col_heads());
    ctx.insert(
        "rows",
        &ms.rows
            .iter()
            .map(|r| idx.ranking_row(ms, r))
            .collect::<Vec<_>>(),
    );
    ctx.insert("awards", &idx.award_rows(ms));
    ctx.insert("watch", &idx.watch_rows(ms));
    ctx.insert("teams", &idx.team_rows(ms));
    let note = idx.site.months[ms.index]
        .note
        .as_deref()
        .map(markdown::to_html);
    ctx.insert("note", &note);
    ctx.insert("training", &idx.training_brief(Period::Month(ms.month)));
    ctx.insert("charts", &idx.month_charts(ms));
    ctx.insert("level_chart", &idx.level_chart(ms));
    idx.month_levels(&mut ctx, ms);
    ctx
}

fn managers(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_managers"), "managers");
    let latest = idx.c.scores.months.last();
    let mut rows: Vec<(u32, &str, J)> = idx
        .site
        .managers
        .iter()
        .enumerate()
        .map(|(m, man)| {
            let last = idx.rows_of[m]
                .last()
                .map(|&(mi, ri)| (mi, &idx.c.scores.months[mi].rows[ri]));
            let current = last.filter(|(mi, _)| Some(*mi) == latest.map(|l| l.index));
            let mut v = idx.mgr(m);
            v["grade"] = json!(man.grade);
            v["left"] = json!(man.left.map(|d| d.to_string()));
            v["rank"] = json!(current.map(|(_, r)| r.rank));
            v["total"] = json!(current.map(|(_, r)| f2(r.total)));
            v["change"] = json!(current
                .map(|(mi, r)| idx.change(r.change, idx.c.scores.months[mi].previous.is_some())));
            v["months"] = json!(idx.rows_of[m].len());
            (
                current.map(|(_, r)| r.rank).unwrap_or(u32::MAX),
                man.id.as_str(),
                v,
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    ctx.insert(
        "managers",
        &rows.into_iter().map(|r| r.2).collect::<Vec<_>>(),
    );
    ctx.insert("month_label", &latest.map(|l| idx.month_label(l.month)));
    ctx
}

/// A manager page's month in the history table.
#[derive(Serialize)]
struct HistoryRow<'a> {
    key: &'a str,
    label: &'a str,
    rank: u32,
    of: usize,
    change: Change,
    total: String,
    team_avg: Option<String>,
    veto: Option<&'a str>,
    watch: bool,
    level: Option<J>,
}

/// One indicator of a month's "why this score" breakdown.
#[derive(Serialize)]
struct WhyItem<'a> {
    group: Option<&'a str>,
    name: &'a str,
    raw: String,
    rule: String,
    points: String,
}

/// A bonus or deduction with its reason.
#[derive(Serialize)]
struct Adjust<'a> {
    points: String,
    reason: std::borrow::Cow<'a, str>,
}

/// A manager page's month in the "why this score" breakdown.
#[derive(Serialize)]
struct WhyMonth<'a> {
    key: &'a str,
    label: &'a str,
    rank: u32,
    total: String,
    raw_total: String,
    indicator_sum: String,
    items: Vec<WhyItem<'a>>,
    bonus: String,
    bonuses: Vec<Adjust<'a>>,
    deduction: String,
    deductions: Vec<Adjust<'a>>,
    veto: Option<&'a str>,
    /// Later corrections of the month's results (from git), oldest first.
    corrections: &'a [crate::history::Correction],
}

fn manager(idx: &Index, m: usize) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let man = &site.managers[m];
    // Fingerprinted by its inputs (`ManagerInputs`) in `render_pages`.
    let mut ctx = idx.ctx(2, &man.name, "managers").unhashed();
    let mut info = idx.mgr(m);
    info["grade"] = json!(man.grade);
    info["joined"] = json!(man.joined.map(|d| d.to_string()));
    info["left"] = json!(man.left.map(|d| d.to_string()));
    ctx.insert("manager", &info);
    let months = &idx.c.scores.months;
    let inds = &site.config.indicators;
    let hist = &idx.rows_of[m];
    // History table and breakdown, newest first.
    let mut history = Vec::with_capacity(hist.len());
    let mut details = Vec::with_capacity(hist.len());
    let mut corrected = Vec::new();
    for &(mi, ri) in hist.iter().rev() {
        let ms = &months[mi];
        let r = &ms.rows[ri];
        let entry = &site.months[ms.index].entries[r.entry];
        let key = idx.months.keys[mi].as_str();
        let label = idx.months.labels[mi].as_str();
        let total = f2(r.total);
        history.push(HistoryRow {
            key,
            label,
            rank: r.rank,
            of: ms.rows.len(),
            change: idx.change(r.change, ms.previous.is_some()),
            total: total.clone(),
            team_avg: idx.team_hist[man.team][mi].map(|x| c2(x.0)),
            veto: r.veto.as_deref(),
            watch: idx.watch_sets[mi].contains(&m),
            level: idx.level(r.rating),
        });
        let items: Vec<WhyItem> = inds
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let (raw, rule) = explain(t, ind, entry.values[i], r.mark, r.scores[i]);
                WhyItem {
                    group: ind.group.as_deref(),
                    name: &ind.name,
                    raw,
                    rule,
                    points: f2(r.scores[i]),
                }
            })
            .collect();
        let bonuses: Vec<Adjust> = r
            .bonuses
            .iter()
            .map(|b| Adjust {
                points: f2(b.points),
                reason: bonus_reason(t, b, site.config.bonus_per_adopted),
            })
            .collect();
        let deductions: Vec<Adjust> = entry
            .deductions
            .iter()
            .map(|d| Adjust {
                points: f2(d.points),
                reason: d.reason.as_str().into(),
            })
            .collect();
        let mut sum = 0.0;
        for s in &r.scores {
            sum += s;
        }
        let corrections = idx.c.corrections.get(key).map(Vec::as_slice).unwrap_or(&[]);
        if !corrections.is_empty() {
            corrected.push(json!({"key": key, "label": label}));
        }
        details.push(WhyMonth {
            key,
            label,
            rank: r.rank,
            total,
            raw_total: f2(r.raw_total),
            indicator_sum: f2(sum),
            items,
            bonus: f2(r.bonus),
            bonuses,
            deduction: f2(r.deduction),
            deductions,
            veto: r.veto.as_deref(),
            corrections,
        });
    }
    ctx.insert("history", &history);
    ctx.insert("details", &details);
    // Months ranked whose results were corrected later (newest first); each month's notes are
    // in its breakdown (`details[].corrections`).
    ctx.insert("corrected", &corrected);
    // Charts over the months from the first to the last ranked.
    let mut charts = Vec::new();
    if let (Some(&(first, _)), Some(&(last, _))) = (hist.first(), hist.last()) {
        let span = first..=last;
        let mut total = vec![None; last - first + 1];
        let mut rank = vec![None; last - first + 1];
        for &(mi, ri) in hist {
            total[mi - first] = Some(months[mi].rows[ri].total);
            rank[mi - first] = Some(months[mi].rows[ri].rank as f64);
        }
        let labels: Vec<String> = span.clone().map(|i| months[i].month.to_string()).collect();
        let team_avg: Vec<Option<f64>> = span
            .clone()
            .map(|i| idx.team_hist[man.team][i].map(|x| x.0 as f64 / 100.0))
            .collect();
        charts.push(chart_view(
            &Chart::Line(LineChart {
                title: t.fill("chart_manager_total", &[("name", &man.name)]),
                x_labels: labels.clone(),
                series: vec![
                    Series {
                        name: t.label("total").into(),
                        values: total,
                        dashed: false,
                    },
                    Series {
                        name: t.fill("team_average_of", &[("team", &site.teams[man.team].name)]),
                        values: team_avg,
                        dashed: true,
                    },
                ],
                y_label: t.label("total").into(),
                invert_y: false,
            }),
            t,
        ));
        charts.push(chart_view(
            &specs::manager_rank(t, &man.name, labels, rank),
            t,
        ));
    }
    // The charts' numbers are all in the history table: no second copy under each chart.
    for c in &mut charts {
        c.rows.clear();
    }
    ctx.insert("charts", &charts);
    ctx.insert(
        "awards",
        &idx.awards_of[m]
            .iter()
            .rev()
            .map(|&(mi, a)| json!({"key": months[mi].month.to_string(), "label": idx.month_label(months[mi].month), "name": site.config.awards[a].name}))
            .collect::<Vec<_>>(),
    );
    let pass = site.config.pass_mark;
    ctx.insert(
        "trainings",
        &idx.trainings_of[m]
            .iter()
            .rev()
            .map(|&(si, ai)| {
                let s = &site.trainings[si];
                let a = &s.attendees[ai];
                ManagerTraining {
                    id: &s.id,
                    title: &s.title,
                    date: s.date.to_string(),
                    kind: idx.kind_label(s.kind),
                    hours: num(s.hours),
                    status: status_of(idx, a),
                    present: a.present,
                    score: a.score.map(num),
                    passed: a.score.map(|x| x >= pass),
                }
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "competitions",
        &idx.competitions_of[m]
            .iter()
            .map(|&(ci, pi)| {
                let c = &site.competitions[ci];
                let p = &c.results[pi];
                json!({"name": c.name, "date": c.date.to_string(), "place": p.place, "prize": p.prize, "bonus": f2(p.bonus)})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "innovations",
        &idx.innovations_of[m]
            .iter()
            .map(|&ii| {
                let i = &site.innovations[ii];
                json!({"title": i.title, "month": idx.month_label(i.month), "grade": i.grade, "bonus": f2(i.bonus)})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "suggestions",
        &idx.suggestions_of[m]
            .iter()
            .map(|&si| suggestion_view(idx, &site.suggestions[si]))
            .collect::<Vec<_>>(),
    );
    ctx
}

fn suggestion_view(idx: &Index, s: &Suggestion) -> J {
    let t = idx.t;
    let mut v = idx.mgr(s.manager);
    v["month"] = json!(idx.month_label(s.month));
    v["kind"] = json!(t.label(match s.kind {
        SuggestionKind::Supply => "suggestion_supply",
        SuggestionKind::Allocation => "suggestion_allocation",
    }));
    v["text"] = json!(s.text);
    v["adopted"] = json!(s.adopted);
    v
}

fn status_of<'a>(idx: &Index<'a>, a: &'a Attendance) -> Status<'a> {
    let t = idx.t;
    let (cls, label) = if a.present {
        ("present", t.label("present"))
    } else if a.excused {
        ("excused", t.label("excused"))
    } else {
        ("absent", t.label("absent"))
    };
    Status {
        cls,
        label,
        reason: a.reason.as_deref(),
    }
}

fn teams(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_teams"), "teams");
    let last = idx.c.scores.months.len().checked_sub(1);
    let mut rows: Vec<(u32, J)> = idx
        .site
        .teams
        .iter()
        .enumerate()
        .map(|(ti, team)| {
            let cur = last.and_then(|l| idx.team_hist[ti][l]);
            let members = idx.site.managers.iter().filter(|m| m.team == ti).count();
            (
                cur.map(|c| c.1).unwrap_or(u32::MAX),
                json!({"id": team.id, "name": team.name, "members": members,
                       "rank": cur.map(|c| c.1), "average": cur.map(|c| c2(c.0)), "ranked": cur.map(|c| c.2)}),
            )
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    ctx.insert("teams", &rows.into_iter().map(|r| r.1).collect::<Vec<_>>());
    ctx.insert(
        "month_label",
        &idx.c.scores.months.last().map(|m| idx.month_label(m.month)),
    );
    ctx
}

fn team(idx: &Index, ti: usize) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let team = &site.teams[ti];
    let mut ctx = idx.ctx(2, &team.name, "teams");
    ctx.insert("team", &json!({"id": team.id, "name": team.name}));
    let months = &idx.c.scores.months;
    let last = months.len().checked_sub(1);
    let mut members: Vec<(u32, &str, J)> = site
        .managers
        .iter()
        .enumerate()
        .filter(|(_, m)| m.team == ti)
        .map(|(mi, man)| {
            let cur = idx.rows_of[mi]
                .last()
                .filter(|(k, _)| Some(*k) == last)
                .map(|&(k, ri)| &months[k].rows[ri]);
            let mut v = idx.mgr(mi);
            v["grade"] = json!(man.grade);
            v["left"] = json!(man.left.map(|d| d.to_string()));
            v["rank"] = json!(cur.map(|r| r.rank));
            v["total"] = json!(cur.map(|r| f2(r.total)));
            v["veto"] = json!(cur.and_then(|r| r.veto.clone()));
            (cur.map(|r| r.rank).unwrap_or(u32::MAX), man.id.as_str(), v)
        })
        .collect();
    members.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    ctx.insert(
        "members",
        &members.into_iter().map(|m| m.2).collect::<Vec<_>>(),
    );
    let hist: Vec<J> = months
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(mi, ms)| {
            idx.team_hist[ti][mi].map(|(avg, rank, n)| {
                json!({"key": ms.month.to_string(), "label": idx.month_label(ms.month), "average": c2(avg),
                       "rank": rank, "of": ms.teams.len(), "managers": n, "overall": idx.months.averages[mi].map(c2)})
            })
        })
        .collect();
    ctx.insert("history", &hist);
    let charts = if months.is_empty() {
        vec![]
    } else {
        vec![chart_view(
            &Chart::Line(LineChart {
                title: t.fill("chart_team_history", &[("team", &team.name)]),
                x_labels: months.iter().map(|m| m.month.to_string()).collect(),
                series: vec![
                    Series {
                        name: team.name.clone(),
                        values: (0..months.len())
                            .map(|mi| idx.team_hist[ti][mi].map(|x| x.0 as f64 / 100.0))
                            .collect(),
                        dashed: false,
                    },
                    average_series(idx, t.label("overall_average")),
                ],
                y_label: t.label("average").into(),
                invert_y: false,
            }),
            t,
        )]
    };
    ctx.insert("charts", &charts);
    ctx
}

fn years(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_years"), "years");
    ctx.insert(
        "years",
        &idx.c
            .scores
            .years
            .iter()
            .rev()
            .map(|y| {
                json!({"key": y.year, "label": idx.year_label(y.year), "months": y.months.len(),
                       "ranked": y.rows.len(),
                       "excellence": y.excellence.iter().map(|&m| idx.mgr(m)).collect::<Vec<_>>()})
            })
            .collect::<Vec<_>>(),
    );
    ctx
}

fn year(idx: &Index, yi: usize) -> PageCtx {
    let t = idx.t;
    let y = &idx.c.scores.years[yi];
    let label = idx.year_label(y.year);
    let mut ctx = idx.ctx(2, &t.fill("year_title", &[("year", &label)]), "years");
    ctx.insert("year", &y.year);
    ctx.insert("year_label", &label);
    ctx.insert(
        "months",
        &y.months
            .iter()
            .map(|m| json!({"key": m.to_string(), "label": idx.month_label(*m)}))
            .collect::<Vec<_>>(),
    );
    let excellent: std::collections::HashSet<usize> = y.excellence.iter().copied().collect();
    let award_name = |k: &str| {
        idx.site
            .config
            .awards
            .iter()
            .find(|a| a.id == k)
            .map_or(k.to_string(), |a| a.name.clone())
    };
    ctx.insert(
        "rows",
        &y.rows
            .iter()
            .map(|r| {
                let mut v = idx.period_row(r, &award_name);
                v["excellence"] = json!(excellent.contains(&r.manager));
                v
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "excellence",
        &y.excellence
            .iter()
            .filter_map(|&m| y.rows.iter().find(|r| r.manager == m))
            .map(|r| {
                let mut v = idx.mgr(r.manager);
                v["average"] = json!(c2(r.average_cents));
                v["rank"] = json!(r.rank);
                v
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "rule",
        &t.fill(
            "rule_annual",
            &[
                ("top", &idx.site.config.excellence_top.to_string()),
                ("min", &idx.site.config.min_months.to_string()),
            ],
        ),
    );
    ctx.insert("training", &idx.training_brief(Period::Year(y.year)));
    idx.year_levels(&mut ctx, yi);
    ctx
}

fn summary_row(idx: &Index, s: &Summary) -> J {
    let mut v = idx.training_brief(s.key.unwrap());
    v["label"] = json!(s.key.map(|k| idx.period_label(k)));
    v["is_year"] = json!(matches!(s.key, Some(Period::Year(_))));
    v["expected"] = json!(s.expected);
    v["present"] = json!(s.present);
    v["excused"] = json!(s.excused);
    v["absent"] = json!(s.absent);
    v["assessed"] = json!(s.assessed);
    v["passed"] = json!(s.passed);
    v
}

fn session_row(idx: &Index, si: usize) -> J {
    let s = &idx.site.trainings[si];
    let present = s.attendees.iter().filter(|a| a.present).count();
    json!({"id": s.id, "title": s.title, "date": s.date.to_string(), "kind": idx.kind_label(s.kind),
           "topic": s.topic, "hours": num(s.hours), "instructor": s.instructor,
           "expected": s.attendees.len(), "present": present})
}

fn hours_by_kind(idx: &Index, sessions: &[usize]) -> Vec<(TrainingKind, usize, f64)> {
    TrainingKind::ALL
        .iter()
        .map(|&k| {
            let mut n = 0;
            let mut h = 0.0;
            for &si in sessions {
                let s = &idx.site.trainings[si];
                if s.kind == k {
                    n += 1;
                    h += s.hours;
                }
            }
            (k, n, h)
        })
        .collect()
}

fn training_index(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_training"), "training");
    let all: Vec<&Summary> = idx.c.training.iter().collect();
    ctx.insert(
        "months",
        &all.iter()
            .filter(|s| matches!(s.key, Some(Period::Month(_))))
            .rev()
            .map(|s| summary_row(idx, s))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "years",
        &all.iter()
            .filter(|s| matches!(s.key, Some(Period::Year(_))))
            .rev()
            .map(|s| summary_row(idx, s))
            .collect::<Vec<_>>(),
    );
    let sessions: Vec<usize> = (0..idx.site.trainings.len()).rev().collect();
    ctx.insert(
        "sessions",
        &sessions
            .iter()
            .map(|&si| session_row(idx, si))
            .collect::<Vec<_>>(),
    );
    let monthly: Vec<&&Summary> = all
        .iter()
        .filter(|s| matches!(s.key, Some(Period::Month(_))))
        .collect();
    let mut charts = Vec::new();
    if !monthly.is_empty() {
        charts.push(chart_view(
            &Chart::Line(LineChart {
                title: t.label("chart_training_rates").into(),
                x_labels: monthly.iter().map(|s| s.period.clone()).collect(),
                series: vec![
                    Series {
                        name: t.label("attendance_rate").into(),
                        values: monthly
                            .iter()
                            .map(|s| s.attendance_rate.map(|r| r * 100.0))
                            .collect(),
                        dashed: false,
                    },
                    Series {
                        name: t.label("pass_rate").into(),
                        values: monthly
                            .iter()
                            .map(|s| s.pass_rate.map(|r| r * 100.0))
                            .collect(),
                        dashed: false,
                    },
                ],
                y_label: "%".into(),
                invert_y: false,
            }),
            t,
        ));
    }
    if !idx.site.trainings.is_empty() {
        let by = hours_by_kind(idx, &sessions);
        charts.push(chart_view(
            &Chart::Bar(BarChart {
                title: t.label("chart_hours_by_kind").into(),
                labels: by.iter().map(|b| idx.kind_label(b.0).to_string()).collect(),
                values: by.iter().map(|b| b.2).collect(),
                y_label: t.label("hours").into(),
                highlight: None,
            }),
            t,
        ));
    }
    ctx.insert("charts", &charts);
    ctx
}

fn training_period(idx: &Index, s: &Summary) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let p = s.key.expect("summaries carry their period");
    let label = idx.period_label(p);
    let depth = 2;
    let mut ctx = idx.ctx(
        depth,
        &t.fill("training_title", &[("period", &label)]),
        "training",
    );
    ctx.insert("period", &s.period);
    ctx.insert("period_label", &label);
    ctx.insert("is_year", &matches!(p, Period::Year(_)));
    ctx.insert("summary", &summary_row(idx, s));
    ctx.insert(
        "sessions",
        &s.session_ids
            .iter()
            .map(|&si| session_row(idx, si))
            .collect::<Vec<_>>(),
    );
    let by = hours_by_kind(idx, &s.session_ids);
    ctx.insert(
        "by_kind",
        &by.iter()
            .filter(|b| b.1 > 0)
            .map(|b| json!({"kind": idx.kind_label(b.0), "sessions": b.1, "hours": num(b.2)}))
            .collect::<Vec<_>>(),
    );
    let mut topics: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for &si in &s.session_ids {
        let ses = &site.trainings[si];
        let e = topics
            .entry(ses.topic.as_deref().unwrap_or(""))
            .or_default();
        e.0 += 1;
        e.1 += ses.hours;
    }
    ctx.insert(
        "by_topic",
        &topics
            .iter()
            .map(|(k, (n, h))| json!({"topic": if k.is_empty() { t.label("no_topic") } else { k }, "sessions": n, "hours": num(*h)}))
            .collect::<Vec<_>>(),
    );
    // Plan entries due in the period, with what carried each out.
    let end = p.last_month();
    let plan: Vec<J> = site
        .plans
        .iter()
        .enumerate()
        .filter(|(_, pl)| p.contains(pl.month))
        .map(|(pi, pl)| {
            let held: Vec<J> = site
                .trainings
                .iter()
                .filter(|ses| ses.plan == Some(pi) && Month::of(ses.date) <= end)
                .map(|ses| json!({"id": ses.id, "title": ses.title, "date": ses.date.to_string()}))
                .collect();
            json!({"id": pl.id, "title": pl.title, "month": idx.month_label(pl.month),
                   "kind": pl.kind.map(|k| idx.kind_label(k)), "held": held, "missing": held.is_empty()})
        })
        .collect();
    ctx.insert("plan", &plan);
    ctx.insert(
        "managers",
        &s.managers
            .iter()
            .map(|mt| PeriodManager {
                manager: idx.mref(mt.manager),
                sessions: mt.sessions,
                present: mt.present,
                absent: mt.absent,
                hours: num(mt.hours),
                average_score: opt_f2(mt.average_score),
            })
            .collect::<Vec<_>>(),
    );
    let charts = if by.iter().any(|b| b.1 > 0) {
        vec![chart_view(
            &Chart::Bar(BarChart {
                title: t.fill("chart_hours_by_kind_of", &[("period", &label)]),
                labels: by.iter().map(|b| idx.kind_label(b.0).to_string()).collect(),
                values: by.iter().map(|b| b.2).collect(),
                y_label: t.label("hours").into(),
                highlight: None,
            }),
            t,
        )]
    } else {
        vec![]
    };
    ctx.insert("charts", &charts);
    ctx
}

fn session(idx: &Index, si: usize) -> PageCtx {
    let site = idx.site;
    let s = &site.trainings[si];
    let mut ctx = idx.ctx(3, &s.title, "training");
    let mut info = session_row(idx, si);
    info["month"] = json!(Month::of(s.date).to_string());
    info["month_label"] = json!(idx.month_label(Month::of(s.date)));
    info["plan"] = json!(s
        .plan
        .map(|p| json!({"id": site.plans[p].id, "title": site.plans[p].title})));
    let scores: Vec<f64> = s.attendees.iter().filter_map(|a| a.score).collect();
    let passed = scores
        .iter()
        .filter(|x| **x >= site.config.pass_mark)
        .count();
    info["assessed"] = json!(scores.len());
    info["passed"] = json!(passed);
    info["pass_mark"] = json!(num(site.config.pass_mark));
    ctx.insert("session", &info);
    ctx.insert(
        "attendees",
        &s.attendees
            .iter()
            .map(|a| Attendee {
                manager: idx.mref(a.manager),
                status: status_of(idx, a),
                score: a.score.map(num),
                passed: a.score.map(|x| x >= site.config.pass_mark),
            })
            .collect::<Vec<_>>(),
    );
    ctx
}

fn awards(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_awards"), "awards");
    ctx.insert(
        "months",
        &idx.c
            .scores
            .months
            .iter()
            .rev()
            .map(|ms| json!({"key": ms.month.to_string(), "label": idx.month_label(ms.month), "awards": idx.award_rows(ms)}))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "award_names",
        &idx.site
            .config
            .awards
            .iter()
            .map(|a| &a.name)
            .collect::<Vec<_>>(),
    );
    ctx
}

fn incentives(idx: &Index) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let mut ctx = idx.ctx(1, t.label("nav_incentives"), "incentives");
    ctx.insert(
        "competitions",
        &site
            .competitions
            .iter()
            .rev()
            .map(|c| {
                json!({"id": c.id, "name": c.name, "date": c.date.to_string(),
                       "results": c.results.iter().map(|p| {
                           let mut v = idx.mgr(p.manager);
                           v["place"] = json!(p.place);
                           v["prize"] = json!(p.prize);
                           v["bonus"] = json!(f2(p.bonus));
                           v
                       }).collect::<Vec<_>>()})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "innovations",
        &site
            .innovations
            .iter()
            .map(|i| {
                json!({"title": i.title, "month": idx.month_label(i.month), "grade": i.grade, "bonus": f2(i.bonus),
                       "managers": i.managers.iter().map(|&m| idx.mgr(m)).collect::<Vec<_>>()})
            })
            .collect::<Vec<_>>(),
    );
    let sugg: Vec<J> = site
        .suggestions
        .iter()
        .map(|s| suggestion_view(idx, s))
        .collect();
    let adopted = site.suggestions.iter().filter(|s| s.adopted).count();
    ctx.insert("suggestions", &sugg);
    ctx.insert(
        "suggestion_stats",
        &json!({"total": site.suggestions.len(), "adopted": adopted,
                "rate": opt_pct((!site.suggestions.is_empty()).then(|| crate::score::round4(adopted as f64 / site.suggestions.len() as f64)))}),
    );
    ctx
}

fn rules(idx: &Index) -> PageCtx {
    let t = idx.t;
    let cfg = &idx.site.config;
    let mut ctx = idx.ctx(1, t.label("nav_rules"), "rules");
    let mut full = 0.0;
    for i in &cfg.indicators {
        full += i.weight;
    }
    ctx.insert(
        "indicators",
        &cfg.indicators
            .iter()
            .map(|i| {
                json!({"id": i.id, "name": i.name, "group": i.group,
                       "weight": if matches!(i.method, Method::Deduct{..}) { "—".to_string() } else { num(i.weight) },
                       "method": t.label(&format!("method_{}", i.method.name())),
                       "rule": rule_words(idx.t, i, idx.site.config.pass_mark)})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("full_points", &num(full));
    ctx.insert(
        "awards",
        &cfg.awards
            .iter()
            .map(|a| {
                let basis = match a.basis {
                    AwardBasis::Total => t.label("total").to_string(),
                    AwardBasis::Indicator(i) => cfg.indicators[i].name.clone(),
                };
                let mut rule = t.fill(
                    "rule_award",
                    &[("basis", &basis), ("top", &a.top.to_string())],
                );
                if let Some(m) = a.min {
                    let min = match a.basis {
                        AwardBasis::Indicator(i)
                            if matches!(cfg.indicators[i].method, Method::Ratio { .. }) =>
                        {
                            pct(m)
                        }
                        _ => num(m),
                    };
                    rule.push_str(&t.fill("rule_award_min", &[("min", &min)]));
                }
                json!({"name": a.name, "rule": rule})
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "watch",
        &(cfg.watch_bottom > 0)
            .then(|| t.fill("rule_watch", &[("n", &cfg.watch_bottom.to_string())])),
    );
    let mut bonus = vec![
        t.label("rule_bonus_entry").to_string(),
        t.label("rule_bonus_competition").to_string(),
        t.label("rule_bonus_innovation").to_string(),
    ];
    if cfg.bonus_per_adopted > 0.0 {
        bonus.push(t.fill(
            "rule_bonus_suggestion",
            &[("each", &num(cfg.bonus_per_adopted))],
        ));
    }
    ctx.insert("bonus", &bonus);
    ctx.insert(
        "annual",
        &t.fill(
            "rule_annual",
            &[
                ("top", &cfg.excellence_top.to_string()),
                ("min", &cfg.min_months.to_string()),
            ],
        ),
    );
    ctx.insert(
        "pass_mark",
        &t.fill("rule_pass_mark", &[("pass", &num(cfg.pass_mark))]),
    );
    levels::rules_levels(idx, &mut ctx);
    ctx
}

fn free_page(idx: &Index, p: &Page) -> PageCtx {
    let mut ctx = idx.ctx(2, &p.title, &format!("page-{}", p.slug));
    ctx.insert("slug", &p.slug);
    let body = markdown::to_html(&p.body);
    ctx.insert("has_h1", &body.trim_start().starts_with("<h1"));
    ctx.insert("body", &body);
    ctx
}

/// Fingerprints of a manager page's *inputs*, so that a rebuild can reuse an unchanged
/// manager page without even building its context (building and hashing 5,000 contexts is
/// most of a province rebuild). Conservative: everything that `manager` reads is hashed —
/// the manager, their team (name, averages of every month), each of their ranked rows and
/// results entries in full, the site-wide inputs (configuration, months with their sizes,
/// corrections; in [`ManagerInputs::new`]), their sessions, competitions, innovations and
/// suggestions. The structs are destructured field by field, so adding a field to one of them
/// fails to compile here until it is hashed (or explicitly left out).
struct ManagerInputs {
    /// Site-wide inputs, with the page salt (theme, global `site` value, version).
    global: u64,
    /// Per team: id, name and averages.
    teams: Vec<u64>,
}

use std::hash::{Hash, Hasher};

fn hf(h: &mut impl Hasher, x: f64) {
    h.write_u64(x.to_bits());
}

fn hof(h: &mut impl Hasher, x: Option<f64>) {
    match x {
        Some(v) => {
            h.write_u8(1);
            hf(h, v);
        }
        None => h.write_u8(0),
    }
}

fn hitem(h: &mut impl Hasher, i: &Item) {
    let Item { points, reason } = i;
    hf(h, *points);
    reason.hash(h);
}

impl ManagerInputs {
    fn new(idx: &Index, salt: u64) -> ManagerInputs {
        let mut h = crate::output::stable_hasher();
        "manager-inputs-1".hash(&mut h);
        salt.hash(&mut h);
        format!("{:?}", idx.site.config).hash(&mut h);
        serde_json::to_string(&idx.c.corrections)
            .unwrap_or_default()
            .hash(&mut h);
        for (mi, ms) in idx.c.scores.months.iter().enumerate() {
            ms.month.hash(&mut h);
            ms.index.hash(&mut h);
            ms.previous.hash(&mut h);
            ms.rows.len().hash(&mut h);
            idx.months.keys[mi].hash(&mut h);
            idx.months.labels[mi].hash(&mut h);
        }
        let teams = idx
            .site
            .teams
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let mut h = crate::output::stable_hasher();
                format!("{t:?}").hash(&mut h);
                idx.team_hist[ti].hash(&mut h);
                h.finish()
            })
            .collect();
        ManagerInputs {
            global: h.finish(),
            teams,
        }
    }

    fn fingerprint(&self, idx: &Index, m: usize) -> u64 {
        let site = idx.site;
        let man = &site.managers[m];
        let mut h = crate::output::stable_hasher();
        self.global.hash(&mut h);
        m.hash(&mut h);
        format!("{man:?}").hash(&mut h);
        self.teams[man.team].hash(&mut h);
        let months = &idx.c.scores.months;
        idx.rows_of[m].len().hash(&mut h);
        for &(mi, ri) in &idx.rows_of[m] {
            let ms = &months[mi];
            mi.hash(&mut h);
            ri.hash(&mut h);
            idx.watch_sets[mi].contains(&m).hash(&mut h);
            let Row {
                manager,
                entry,
                scores,
                perf,
                mark,
                bonus,
                bonuses,
                deduction,
                veto,
                raw_total,
                total,
                rank,
                change,
                rating,
            } = &ms.rows[ri];
            manager.hash(&mut h);
            entry.hash(&mut h);
            scores.len().hash(&mut h);
            for s in scores {
                hf(&mut h, *s);
            }
            perf.len().hash(&mut h);
            for p in perf {
                hof(&mut h, *p);
            }
            hof(&mut h, *mark);
            hf(&mut h, *bonus);
            bonuses.len().hash(&mut h);
            for b in bonuses {
                let crate::score::Bonus {
                    points,
                    reason,
                    source,
                } = b;
                hf(&mut h, *points);
                reason.hash(&mut h);
                format!("{source:?}").hash(&mut h);
            }
            hf(&mut h, *deduction);
            veto.hash(&mut h);
            hf(&mut h, *raw_total);
            hf(&mut h, *total);
            rank.hash(&mut h);
            change.hash(&mut h);
            rating.hash(&mut h);
            let Entry {
                manager,
                values,
                bonus,
                deductions,
                veto,
            } = &site.months[ms.index].entries[*entry];
            manager.hash(&mut h);
            values.len().hash(&mut h);
            for v in values {
                match v {
                    Value::Ratio { actual, target } => {
                        h.write_u8(1);
                        hf(&mut h, *actual);
                        hf(&mut h, *target);
                    }
                    Value::Number(x) => {
                        h.write_u8(2);
                        hf(&mut h, *x);
                    }
                    Value::None => h.write_u8(3),
                }
            }
            bonus.len().hash(&mut h);
            for i in bonus {
                hitem(&mut h, i);
            }
            deductions.len().hash(&mut h);
            for i in deductions {
                hitem(&mut h, i);
            }
            veto.hash(&mut h);
        }
        idx.awards_of[m].hash(&mut h);
        idx.trainings_of[m].len().hash(&mut h);
        for &(si, ai) in &idx.trainings_of[m] {
            let Training {
                id,
                title,
                date,
                kind,
                topic,
                hours,
                instructor,
                plan,
                attendees,
                file,
            } = &site.trainings[si];
            (si, ai, id, title, date, kind, topic, instructor, plan, file).hash(&mut h);
            hf(&mut h, *hours);
            let Attendance {
                manager,
                present,
                excused,
                score,
                reason,
            } = &attendees[ai];
            (manager, present, excused, reason).hash(&mut h);
            hof(&mut h, *score);
        }
        idx.competitions_of[m].len().hash(&mut h);
        for &(ci, pi) in &idx.competitions_of[m] {
            let Competition {
                id,
                name,
                date,
                results,
            } = &site.competitions[ci];
            (ci, pi, id, name, date).hash(&mut h);
            let Placing {
                manager,
                place,
                prize,
                bonus,
            } = &results[pi];
            (manager, place, prize).hash(&mut h);
            hf(&mut h, *bonus);
        }
        idx.innovations_of[m].len().hash(&mut h);
        for &ii in &idx.innovations_of[m] {
            let Innovation {
                id,
                title,
                month,
                managers,
                grade,
                bonus,
            } = &site.innovations[ii];
            (ii, id, title, month, managers, grade).hash(&mut h);
            hf(&mut h, *bonus);
        }
        idx.suggestions_of[m].len().hash(&mut h);
        for &si in &idx.suggestions_of[m] {
            let Suggestion {
                manager,
                month,
                kind,
                text,
                adopted,
            } = &site.suggestions[si];
            (si, manager, month, text, adopted).hash(&mut h);
            format!("{kind:?}").hash(&mut h);
            // The suggestion shows its manager's name and team.
            format!("{:?}", site.managers[*manager]).hash(&mut h);
            self.teams[site.managers[*manager].team].hash(&mut h);
        }
        h.finish()
    }
}
