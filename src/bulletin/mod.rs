//! Monthly email bulletins (月度通报): the team bulletin and one personal bulletin per ranked
//! manager with an email address.
//!
//! A bulletin is rendered from the theme's `bulletin.txt` and `bulletin.html` templates (through
//! a caller-supplied [`Render`] function, so theme lookup stays in one place), its HTML is passed
//! through a CSS inliner so every rule ends up in a `style` attribute, its charts are PNGs at 2×
//! drawn with a CJK font ([`crate::charts`]), and it is assembled into a MIME message:
//!
//! ```text
//! multipart/alternative
//! ├── text/plain                 the ranking as aligned text
//! └── multipart/related
//!     ├── text/html              images referenced as cid:NAME
//!     └── image/png …            Content-ID: <NAME>
//! ```
//!
//! Everything is deterministic: the Date header is 09:00 Beijing time on the first day of the
//! month after the bulletin's month, and the Message-ID and MIME boundaries are derived from a
//! hash of the content. [`write`] puts the files under `output/bulletins/` one by one through a
//! temporary file and a rename, so a site build or a crash never leaves half a file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use crate::charts::{self, BarChart, Chart, FontData, Histogram, LineChart, Series};
use crate::diag::{Lang, Problem};
use crate::model::{BulletinConfig, Indicator, Method, Month, Site, Value};
use crate::score::{round2, MonthScore, Row, Scores};
use crate::site::{self, Computed};
use crate::theme::Theme;

/// Renders a named template (`bulletin.html`, `bulletin.txt`) with a context; errors are
/// readable messages. The site build supplies its theme lookup (site `templates/` → theme →
/// built-in default), see [`crate::theme::Theme`].
pub type Render<'a> = dyn Fn(&str, &tera::Context) -> Result<String, String> + Sync + 'a;

/// Gmail clips messages whose HTML is larger than about 102 KB; we warn above this.
pub const HTML_WARN_BYTES: usize = 100 * 1024;

/// Logical width of a chart image in the 600 px layout (drawn at 2× in the PNG).
pub const CHART_WIDTH: u32 = 552;
/// Logical height of a chart image.
pub const CHART_HEIGHT: u32 = 250;

/// One chart of a bulletin as an inline PNG.
#[derive(Clone, Debug)]
pub struct Image {
    /// Content-ID (without angle brackets) and the base of the preview file name.
    pub cid: String,
    /// Alternative text describing the chart and its numbers.
    pub alt: String,
    /// Display width in CSS pixels (the PNG is twice as wide).
    pub width: u32,
    /// Display height in CSS pixels.
    pub height: u32,
    /// PNG bytes.
    pub png: Vec<u8>,
}

/// One finished bulletin message.
#[derive(Clone, Debug)]
pub struct Bulletin {
    /// `team`, or the manager id of a personal bulletin.
    pub key: String,
    /// Decoded subject.
    pub subject: String,
    /// Envelope sender (bare address).
    pub from: String,
    /// Envelope recipients (bare addresses).
    pub to: Vec<String>,
    /// `<…@…>` Message-ID.
    pub message_id: String,
    /// The text/plain part.
    pub text: String,
    /// The HTML part (CSS inlined, images as `cid:`).
    pub html: String,
    /// Charts referenced by the HTML.
    pub images: Vec<Image>,
    /// The complete RFC 5322 message.
    pub eml: Vec<u8>,
}

impl Bulletin {
    /// The HTML for a browser preview: `cid:NAME` replaced by `DIR/NAME.png`.
    pub fn preview_html(&self, image_dir: &str) -> String {
        let mut html = self.html.clone();
        for img in &self.images {
            html = html.replace(
                &format!("src=\"cid:{}\"", img.cid),
                &format!("src=\"{image_dir}/{}.png\"", img.cid),
            );
        }
        html
    }
}

/// A month's bulletins.
#[derive(Clone, Debug)]
pub struct MonthBulletins {
    /// The month.
    pub month: Month,
    /// The team bulletin.
    pub team: Bulletin,
    /// Personal bulletins, by manager id.
    pub personal: Vec<Bulletin>,
    /// The font the charts were drawn with.
    pub font: PathBuf,
    /// Warnings (e.g. HTML larger than Gmail shows unclipped).
    pub warnings: Vec<String>,
}

/// Why making bulletins failed.
#[derive(Debug)]
pub enum Error {
    /// The data has problems.
    Data(Vec<Problem>),
    /// Configuration or usage problem, explained in the site's language.
    Usage(String),
    /// Writing or rendering failed.
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Data(ps) => {
                for p in ps {
                    writeln!(f, "{p}")?;
                }
                Ok(())
            }
            Error::Usage(s) | Error::Io(s) => write!(f, "{s}"),
        }
    }
}

/// The month a command works on: `--month` if given (it must have results), else the latest.
pub fn pick_month(site: &Site, month: Option<&str>) -> Result<Month, Error> {
    let lang = site.config.language;
    match month {
        Some(s) => {
            let m = Month::parse(s).ok_or_else(|| {
                Error::Usage(
                    lang.pick(
                        &format!("月份 \"{s}\" 格式不对，应为 YYYY-MM，例如 2026-10"),
                        &format!("month \"{s}\" is not YYYY-MM, e.g. 2026-10"),
                    )
                    .to_string(),
                )
            })?;
            if site.months.iter().any(|r| r.month == m) {
                Ok(m)
            } else {
                Err(Error::Usage(
                    lang.pick(
                        &format!("{m} 没有成绩文件（content/results/{m}.yaml）"),
                        &format!("{m} has no results file (content/results/{m}.yaml)"),
                    )
                    .to_string(),
                ))
            }
        }
        None => site.months.last().map(|r| r.month).ok_or_else(|| {
            Error::Usage(
                lang.pick("还没有任何月份的成绩", "there are no monthly results yet")
                    .to_string(),
            )
        }),
    }
}

/// The `bulletin:` settings, or a clear message that they are missing.
pub fn config(site: &Site) -> Result<&BulletinConfig, Error> {
    site.config.bulletin.as_ref().ok_or_else(|| {
        Error::Usage(
            site.config
                .language
                .pick(
                    "site.yaml 中没有 bulletin 设置（发件人、收件人等），请先添加，见 docs/bulletin.md",
                    "site.yaml has no bulletin settings (sender, recipients…); add them, see docs/bulletin.md",
                )
                .to_string(),
        )
    })
}

/// Finds the chart font: `bulletin.font` of site.yaml (relative to the site root), else the
/// search order of [`charts::find_cjk_font`]. The error explains what to install.
pub fn font(site: &Site, root: &Path) -> Result<FontData, Error> {
    let configured = site.config.font.as_ref().map(|f| root.join(f));
    charts::find_cjk_font(configured.as_deref()).map_err(|e| {
        Error::Usage(format!(
            "{}{e}",
            site.config
                .language
                .pick("无法绘制通报图表：", "cannot draw the bulletin charts: ")
        ))
    })
}

/// Builds the team bulletin and, with `personal: true`, the personal bulletins of `month`.
pub fn make(
    site: &Site,
    computed: &Computed,
    month: Month,
    theme: &Theme,
    font: &FontData,
) -> Result<MonthBulletins, Error> {
    let render_fn = |name: &str, ctx: &tera::Context| theme.render(name, ctx);
    let render: &Render = &render_fn;
    let cfg = config(site)?;
    let lang = site.config.language;
    let ms = computed
        .scores
        .months
        .iter()
        .find(|m| m.month == month)
        .ok_or_else(|| Error::Usage(format!("{month}: no results")))?;
    let from = parse_mailbox(&cfg.from, lang)?;
    let ctx = Ctx {
        site,
        scores: &computed.scores,
        ms,
        lang,
        from,
        render,
        theme,
        font,
    };
    let mut warnings = Vec::new();
    let team = ctx.team(cfg)?;
    let personal: Vec<Bulletin> = if cfg.personal {
        ms.rows
            .par_iter()
            .filter(|r| site.managers[r.manager].email.is_some())
            .map(|r| ctx.personal(r))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    for b in std::iter::once(&team).chain(&personal) {
        if b.html.len() > HTML_WARN_BYTES {
            warnings.push(
                lang.pick(
                    &format!(
                        "警告：{} 的 HTML 有 {} KB，超过约 100 KB 时 Gmail 会截断邮件",
                        b.key,
                        b.html.len() / 1024
                    ),
                    &format!(
                        "warning: the HTML of {} is {} KB; Gmail clips messages above about 100 KB",
                        b.key,
                        b.html.len() / 1024
                    ),
                )
                .to_string(),
            );
        }
    }
    Ok(MonthBulletins {
        month,
        team,
        personal,
        font: font.path.clone(),
        warnings,
    })
}

fn parse_mailbox(s: &str, lang: Lang) -> Result<Mailbox, Error> {
    s.parse::<Mailbox>().map_err(|e| {
        Error::Usage(
            lang.pick(
                &format!("邮箱地址 \"{s}\" 无效：{e}"),
                &format!("invalid email address \"{s}\": {e}"),
            )
            .to_string(),
        )
    })
}

/// Labels used by the templates, in the site's language.
fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("rank", "名次", "Rank"),
        ("rank_of", "本月名次", "Rank this month"),
        ("name", "姓名", "Name"),
        ("team", "片区", "Team"),
        ("total", "总分", "Total"),
        ("change", "变化", "Change"),
        ("change_vs_prev", "较上次排名", "Change in rank"),
        ("ranking", "月度排名", "Monthly ranking"),
        ("teams", "片区排名", "Teams"),
        ("members", "参评人数", "Ranked"),
        ("average", "平均分", "Average"),
        ("best", "最高分", "Highest"),
        ("ranked", "参评人数", "Ranked"),
        ("note", "本月说明", "This month"),
        ("stars", "本月之星", "Stars of the month"),
        ("watch", "后进名单", "Watch list"),
        ("levels", "考核等次分布", "Rating levels"),
        ("escalated", "连续后进", "Repeatedly on the watch list"),
        ("level", "考核等次", "Rating"),
        ("pay", "本月绩效工资", "Performance pay this month"),
        ("why", "得分明细", "Why this score"),
        ("indicator", "指标", "Indicator"),
        ("value", "完成情况 / 计分规则", "Result / rule"),
        ("points", "得分", "Points"),
        ("vetoed", "一票否决", "veto"),
        (
            "rounding",
            "各项得分四舍五入到 0.01，总分按未取整的分项合计后取整。",
            "Points are rounded to 0.01; the total is rounded from the unrounded parts.",
        ),
        ("colon", "：", ": "),
    ];
    pairs
        .iter()
        .map(|(k, zh, en)| (*k, lang.pick(zh, en)))
        .collect()
}

/// `2026年10月` or `October 2026`.
pub fn month_label(m: Month, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{}年{}月", m.year, m.month),
        Lang::En => format!("{} {}", EN[(m.month - 1) as usize], m.year),
    }
}

/// The team bulletin's subject, e.g. `城关县局客户经理绩效通报 2026年10月`.
pub fn team_subject(site: &Site, m: Month) -> String {
    format!(
        "{} {}",
        site.config.title,
        month_label(m, site.config.language)
    )
}

/// A number with at most `dp` decimals, trailing zeros trimmed (`20`, `0.5`, `104.17`).
fn trim(x: f64, dp: usize) -> String {
    let s = format!("{:.*}", dp, x);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Points with two decimals (`98.25`, `-2.00`).
fn pts(x: f64) -> String {
    let r = round2(x);
    format!("{:.2}", if r == 0.0 { 0.0 } else { r })
}

fn cents_str(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

/// `↑2`, `↓1`, `—` (same), or empty when there is no previous rank.
fn change_str(c: Option<i64>, lang: Lang) -> (String, &'static str) {
    match c {
        Some(c) if c > 0 => (format!("↑{c}"), "up"),
        Some(c) if c < 0 => (format!("↓{}", -c), "down"),
        Some(_) => (lang.pick("持平", "same").to_string(), ""),
        None => (lang.pick("新上榜", "new").to_string(), ""),
    }
}

/// Pads `s` to `w` terminal columns (CJK characters are two columns), left or right aligned.
pub fn pad(s: &str, w: usize, right: bool) -> String {
    let n = UnicodeWidthStr::width(s);
    let fill = " ".repeat(w.saturating_sub(n));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// Lays out rows of cells as aligned text; `right[i]` aligns column i to the right.
pub fn text_table(head: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = head.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let last = cells.len() - 1;
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            if i == last && !right[i] {
                s.push_str(c);
            } else {
                s.push_str(&pad(c, widths[i], right[i]));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(head.to_vec());
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// FNV-1a, 64 bits: a small stable hash for Message-IDs and boundaries.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.iter().chain(&[0xffu8]) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// 09:00 Beijing time (01:00 UTC) on the first day of the month after `m`.
pub fn message_date(m: Month) -> SystemTime {
    let next = if m.month == 12 {
        (m.year + 1, 1)
    } else {
        (m.year, m.month + 1)
    };
    let d = chrono::NaiveDate::from_ymd_opt(next.0, next.1, 1).expect("valid date");
    let secs = d
        .and_hms_opt(1, 0, 0)
        .expect("valid time")
        .and_utc()
        .timestamp();
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64)
}

/// Markdown note → sanitised HTML.
fn markdown_html(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&html)
        .to_string()
}

/// Everything one month's bulletins are made from.
struct Ctx<'a> {
    site: &'a Site,
    scores: &'a Scores,
    ms: &'a MonthScore,
    lang: Lang,
    from: Mailbox,
    render: &'a Render<'a>,
    theme: &'a Theme,
    font: &'a FontData,
}

#[derive(Serialize)]
struct RowCtx {
    rank: u32,
    id: String,
    name: String,
    team: String,
    total: String,
    change: String,
    trend: &'static str,
    veto: bool,
    url: Option<String>,
}

#[derive(Serialize)]
struct TeamCtx {
    rank: u32,
    name: String,
    managers: usize,
    average: String,
    mine: bool,
}

#[derive(Serialize)]
struct StarCtx {
    name: String,
    winners: String,
}

#[derive(Serialize)]
struct ImgCtx {
    src: String,
    alt: String,
    width: u32,
    height: u32,
}

#[derive(Serialize)]
struct LineCtx {
    group: Option<String>,
    name: String,
    raw: String,
    rule: String,
    points: String,
}

#[derive(Serialize)]
struct PersonalCtx {
    greeting: String,
    /// The person's rating level (v2), if the site has levels.
    level: Option<String>,
    /// The person's own pay, only with `bulletin.personal_pay: true` (never in the team one).
    pay: Option<String>,
    rank: String,
    total: String,
    change: String,
    veto: Option<String>,
    team_line: String,
    lines: Vec<LineCtx>,
    lines_text: String,
}

impl<'a> Ctx<'a> {
    fn t(&self, zh: &str, en: &str) -> String {
        self.lang.pick(zh, en).to_string()
    }

    fn base_url(&self) -> Option<&str> {
        self.site
            .config
            .base_url
            .as_deref()
            .map(|u| u.trim_end_matches('/'))
    }

    fn manager_url(&self, manager: usize) -> Option<String> {
        self.base_url()
            .map(|b| format!("{b}/managers/{}/index.html", self.site.managers[manager].id))
    }

    fn name(&self, manager: usize) -> &str {
        &self.site.managers[manager].name
    }

    fn team_name(&self, manager: usize) -> &str {
        &self.site.teams[self.site.managers[manager].team].name
    }

    /// Context shared by the team and the personal bulletins.
    fn base_context(&self, heading: &str, subject: &str) -> tera::Context {
        let site = self.site;
        let ms = self.ms;
        let mut c = tera::Context::new();
        c.insert("lang", self.lang.code());
        c.insert("t", &labels(self.lang));
        c.insert("title", &site.config.title);
        c.insert("organization", &site.config.organization);
        c.insert("month", &ms.month.to_string());
        c.insert("month_label", &month_label(ms.month, self.lang));
        c.insert("heading", heading);
        c.insert("subject", subject);
        let stars: Vec<StarCtx> = ms
            .awards
            .iter()
            .filter(|a| !a.managers.is_empty())
            .map(|a| StarCtx {
                name: site.config.awards[a.award].name.clone(),
                winners: a
                    .managers
                    .iter()
                    .map(|&m| self.name(m).to_string())
                    .collect::<Vec<_>>()
                    .join(self.lang.pick("、", ", ")),
            })
            .collect();
        c.insert("stars", &stars);
        let teams: Vec<TeamCtx> = ms
            .teams
            .iter()
            .map(|t| TeamCtx {
                rank: t.rank,
                name: site.teams[t.team].name.clone(),
                managers: t.managers.len(),
                average: cents_str(t.average_cents),
                mine: false,
            })
            .collect();
        c.insert("teams", &teams);
        let rows: Vec<Vec<String>> = teams
            .iter()
            .map(|t| {
                vec![
                    t.rank.to_string(),
                    t.name.clone(),
                    t.managers.to_string(),
                    t.average.clone(),
                ]
            })
            .collect();
        let l = labels(self.lang);
        c.insert(
            "teams_text",
            &text_table(
                &[l["rank"], l["team"], l["members"], l["average"]],
                &rows,
                &[true, false, true, true],
            ),
        );
        let watch = ms
            .watch
            .iter()
            .map(|&m| self.name(m).to_string())
            .collect::<Vec<_>>()
            .join(self.lang.pick("、", ", "));
        c.insert("watch", &watch);
        let sep = self.lang.pick("、", ", ");
        let levels = &site.config.policy.ratings;
        let dist = levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let n = ms.rows.iter().filter(|r| r.rating == Some(i)).count();
                format!("{} {n}", l.name)
            })
            .collect::<Vec<_>>()
            .join(sep);
        c.insert("levels", &dist);
        let escalated = ms
            .escalated
            .iter()
            .map(|&(m, n)| {
                self.lang
                    .pick(
                        &format!("{}（连续 {n} 个月后进）", self.name(m)),
                        &format!("{} ({n} months running)", self.name(m)),
                    )
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(sep);
        c.insert("escalated", &escalated);
        c.insert("personal", &Option::<()>::None);
        c.insert("note_html", &Option::<String>::None);
        c.insert("note_text", &Option::<String>::None);
        let org = site
            .config
            .organization
            .as_deref()
            .unwrap_or(&site.config.title);
        c.insert(
            "footer",
            &self.lang.pick(
                &format!(
                    "本邮件由 rankpress 根据 {org} {} 的考核数据自动生成。",
                    month_label(ms.month, self.lang)
                ),
                &format!(
                    "Generated by rankpress from the {} results of {org}.",
                    month_label(ms.month, self.lang)
                ),
            ),
        );
        c
    }

    fn team(&self, cfg: &BulletinConfig) -> Result<Bulletin, Error> {
        let site = self.site;
        let ms = self.ms;
        let lang = self.lang;
        let subject = team_subject(site, ms.month);
        let heading = self
            .lang
            .pick(
                &format!("{} 月度通报", month_label(ms.month, lang)),
                &format!("Monthly bulletin, {}", month_label(ms.month, lang)),
            )
            .to_string();
        let mut c = self.base_context(&heading, &subject);
        let rows: Vec<RowCtx> = ms
            .rows
            .iter()
            .map(|r| {
                let (change, trend) = change_str(r.change, lang);
                RowCtx {
                    rank: r.rank,
                    id: site.managers[r.manager].id.clone(),
                    name: self.name(r.manager).to_string(),
                    team: self.team_name(r.manager).to_string(),
                    total: pts(r.total),
                    change,
                    trend,
                    veto: r.veto.is_some(),
                    url: self.manager_url(r.manager),
                }
            })
            .collect();
        let l = labels(lang);
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let name = if r.veto {
                    format!("{}（{}）", r.name, l["vetoed"])
                } else {
                    r.name.clone()
                };
                vec![
                    r.rank.to_string(),
                    name,
                    r.team.clone(),
                    r.total.clone(),
                    r.change.clone(),
                ]
            })
            .collect();
        c.insert(
            "ranking_text",
            &text_table(
                &[l["rank"], l["name"], l["team"], l["total"], l["change"]],
                &table,
                &[true, false, false, true, false],
            ),
        );
        c.insert("rows", &rows);
        let n = ms.rows.len();
        let sum: i64 = ms.rows.iter().map(|r| crate::score::cents(r.total)).sum();
        let avg = if n > 0 {
            cents_str(crate::score::mean_cents(sum, n))
        } else {
            "—".into()
        };
        let best = ms
            .rows
            .first()
            .map(|r| pts(r.total))
            .unwrap_or_else(|| "—".into());
        c.insert(
            "summary",
            &serde_json::json!({"ranked": n, "average": avg, "best": best}),
        );
        if let Some(note) = &site.months[ms.index].note {
            c.insert("note_html", &markdown_html(note));
            c.insert("note_text", note.trim());
        }
        let link = self.base_url().map(|b| format!("{b}/index.html"));
        c.insert("link", &link);
        c.insert(
            "link_label",
            &self.t("查看网站上的完整排名", "See the full ranking on the site"),
        );
        let images = self.team_charts()?;
        let mut to: Vec<Mailbox> = Vec::new();
        for s in &cfg.to {
            to.push(parse_mailbox(s, lang)?);
        }
        self.finish("team", subject, to, c, images)
    }

    fn personal(&self, row: &Row) -> Result<Bulletin, Error> {
        let site = self.site;
        let ms = self.ms;
        let lang = self.lang;
        let mgr = &site.managers[row.manager];
        let email = mgr.email.as_deref().unwrap_or_default();
        let to = match email.parse::<lettre::Address>() {
            Ok(a) => Mailbox::new(Some(header_text(&mgr.name)), a),
            Err(e) => {
                return Err(Error::Usage(
                    self.lang
                        .pick(
                            &format!("客户经理 {} 的邮箱 \"{email}\" 无效：{e}", mgr.id),
                            &format!("manager {}: invalid email \"{email}\": {e}", mgr.id),
                        )
                        .to_string(),
                ))
            }
        };
        let label = month_label(ms.month, lang);
        let subject = lang
            .pick(
                &format!("{} {} · {}的个人通报", site.config.title, label, mgr.name),
                &format!(
                    "{} {} · personal bulletin for {}",
                    site.config.title, label, mgr.name
                ),
            )
            .to_string();
        let heading = lang
            .pick(
                &format!("{label} 个人通报 · {}", mgr.name),
                &format!("Personal bulletin, {label} · {}", mgr.name),
            )
            .to_string();
        let mut c = self.base_context(&heading, &subject);
        let n = ms.rows.len();
        let (change, _) = change_str(row.change, lang);
        let team_row = ms.teams.iter().find(|t| t.managers.contains(&row.manager));
        let team_line = match team_row {
            Some(t) => lang.pick(
                &format!(
                    "你所在的{}本月平均分 {}，在 {} 个片区中排第 {} 名；你在片区内排第 {} 名（共 {} 人）。",
                    site.teams[t.team].name,
                    cents_str(t.average_cents),
                    ms.teams.len(),
                    t.rank,
                    t.managers.iter().position(|&m| m == row.manager).unwrap_or(0) + 1,
                    t.managers.len()
                ),
                &format!(
                    "Your team, {}, averaged {} this month: #{} of {} teams. Within the team you are #{} of {}.",
                    site.teams[t.team].name,
                    cents_str(t.average_cents),
                    t.rank,
                    ms.teams.len(),
                    t.managers.iter().position(|&m| m == row.manager).unwrap_or(0) + 1,
                    t.managers.len()
                ),
            ).to_string(),
            None => String::new(),
        };
        // Mark the manager's team in the team table.
        if let Some(t) = team_row {
            let teams: Vec<TeamCtx> = ms
                .teams
                .iter()
                .map(|x| TeamCtx {
                    rank: x.rank,
                    name: site.teams[x.team].name.clone(),
                    managers: x.managers.len(),
                    average: cents_str(x.average_cents),
                    mine: x.team == t.team,
                })
                .collect();
            c.insert("teams", &teams);
        }
        let lines = self.breakdown(row);
        let l = labels(lang);
        let text_rows: Vec<Vec<String>> = lines
            .iter()
            .map(|x| {
                vec![
                    x.name.clone(),
                    x.points.clone(),
                    format!("{} — {}", x.raw, x.rule),
                ]
            })
            .collect();
        let mut lines_text = text_table(
            &[l["indicator"], l["points"], l["value"]],
            &text_rows,
            &[false, true, false],
        );
        let _ = write!(
            lines_text,
            "\n{}{}{}",
            l["total"],
            l["colon"],
            pts(row.total)
        );
        let veto = row.veto.as_ref().map(|v| {
            lang.pick(
                &format!(
                    "本月被一票否决（{v}），总分计为 0；否决前合计 {}。",
                    pts(row.raw_total)
                ),
                &format!(
                    "Vetoed this month ({v}): the total counts as 0; before the veto it was {}.",
                    pts(row.raw_total)
                ),
            )
            .to_string()
        });
        let greeting = lang
            .pick(
                &format!("{}，你好！以下是你 {label} 的考核结果。", mgr.name),
                &format!("Dear {}, here are your results for {label}.", mgr.name),
            )
            .to_string();
        let level = row
            .rating
            .and_then(|l| site.config.policy.ratings.get(l))
            .map(|l| l.name.clone());
        let personal_pay = site
            .config
            .bulletin
            .as_ref()
            .is_some_and(|b| b.personal_pay);
        let pay = if personal_pay {
            crate::pay::month_pay(site, ms)
                .and_then(Result::ok)
                .and_then(|p| p.into_iter().find(|p| p.manager == row.manager))
                .map(|p| {
                    lang.pick(
                        &format!("{} 元", crate::decimal::yuan(p.cents)),
                        &format!("{} yuan", crate::decimal::yuan(p.cents)),
                    )
                    .to_string()
                })
        } else {
            None
        };
        let personal = PersonalCtx {
            greeting,
            level,
            pay,
            rank: lang
                .pick(
                    &format!("{} / {n}", row.rank),
                    &format!("{} / {n}", row.rank),
                )
                .to_string(),
            total: pts(row.total),
            change,
            veto,
            team_line,
            lines,
            lines_text,
        };
        c.insert("personal", &personal);
        let link = self.manager_url(row.manager);
        c.insert("link", &link);
        c.insert(
            "link_label",
            &self.t("查看我的历史成绩", "See my history on the site"),
        );
        let images = self.personal_charts(row)?;
        self.finish(&mgr.id, subject, vec![to], c, images)
    }

    /// "Why this score": each indicator's raw value, rule in words and points, then the bonus
    /// and deduction items.
    fn breakdown(&self, row: &Row) -> Vec<LineCtx> {
        let site = self.site;
        let lang = self.lang;
        let entry = &site.months[self.ms.index].entries[row.entry];
        let mut out: Vec<LineCtx> = site
            .config
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| LineCtx {
                group: ind.group.clone(),
                name: ind.name.clone(),
                raw: raw_value(ind, entry.values[i], row.mark, lang),
                rule: crate::present::explain::rule_words(self.theme, ind, site.config.pass_mark),
                points: pts(row.scores[i]),
            })
            .collect();
        for b in &row.bonuses {
            out.push(LineCtx {
                group: None,
                name: self.t("加分", "Bonus"),
                raw: crate::present::explain::bonus_reason(
                    self.theme,
                    b,
                    site.config.bonus_per_adopted,
                )
                .into_owned(),
                rule: String::new(),
                points: format!("+{}", pts(b.points)),
            });
        }
        for d in &entry.deductions {
            out.push(LineCtx {
                group: None,
                name: self.t("扣分", "Deduction"),
                raw: d.reason.clone(),
                rule: String::new(),
                points: format!("-{}", pts(d.points)),
            });
        }
        out
    }

    /// The last up to 12 results months ending with this one.
    fn window(&self) -> &'a [MonthScore] {
        let months = &self.scores.months;
        let end = months
            .iter()
            .position(|m| m.month == self.ms.month)
            .map_or(months.len(), |i| i + 1);
        &months[end.saturating_sub(12)..end]
    }

    fn team_charts(&self) -> Result<Vec<Image>, Error> {
        let site = self.site;
        let ms = self.ms;
        let lang = self.lang;
        let label = month_label(ms.month, lang);
        let mut charts = Vec::new();
        // 1. Team averages.
        let names: Vec<String> = ms
            .teams
            .iter()
            .map(|t| site.teams[t.team].name.clone())
            .collect();
        let avgs: Vec<f64> = ms
            .teams
            .iter()
            .map(|t| t.average_cents as f64 / 100.0)
            .collect();
        let title = self.t(
            &format!("{label} 各片区平均分"),
            &format!("Team averages, {label}"),
        );
        let alt = format!(
            "{}{}{}",
            title,
            lang.pick("：", ": "),
            names
                .iter()
                .zip(&ms.teams)
                .map(|(n, t)| format!("{n} {}", cents_str(t.average_cents)))
                .collect::<Vec<_>>()
                .join(lang.pick("，", ", "))
        );
        charts.push((
            "teams",
            alt,
            Chart::Bar(BarChart {
                title,
                labels: names,
                values: avgs,
                y_label: self.t("平均分", "average"),
                highlight: None,
            }),
        ));
        // 2. Distribution of totals.
        let totals: Vec<f64> = ms.rows.iter().map(|r| r.total).collect();
        let hi = totals.iter().copied().fold(100.0, f64::max);
        let top = ((hi / 10.0).floor() + 1.0) * 10.0;
        let mut bins = vec![(0.0, 60.0)];
        let mut lo = 60.0;
        while lo < top {
            bins.push((lo, lo + 10.0));
            lo += 10.0;
        }
        let counts: Vec<String> = bins
            .iter()
            .map(|&(a, b)| {
                let n = totals.iter().filter(|&&v| v >= a && v < b).count();
                format!("{}–{} {n}", trim(a, 0), trim(b, 0))
            })
            .collect();
        let title = self.t(
            &format!("{label} 总分分布"),
            &format!("Distribution of totals, {label}"),
        );
        let alt = format!(
            "{}{}{}",
            title,
            lang.pick("（分数段 人数）：", " (band count): "),
            counts.join(lang.pick("，", ", "))
        );
        charts.push((
            "distribution",
            alt,
            Chart::Histogram(Histogram {
                title,
                values: totals,
                bins,
                x_label: self.t("总分", "total"),
                y_label: self.t("人数", "managers"),
            }),
        ));
        // 3. County average over the last months.
        let win = self.window();
        let x: Vec<String> = win.iter().map(|m| m.month.to_string()).collect();
        let avg: Vec<Option<f64>> = win.iter().map(month_average).collect();
        let title = self.t("全县月平均分走势", "Average total by month");
        let alt = format!(
            "{}{}{}",
            title,
            lang.pick("：", ": "),
            x.iter()
                .zip(&avg)
                .map(|(m, a)| format!("{m} {}", a.map(|a| format!("{a:.2}")).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(lang.pick("，", ", "))
        );
        charts.push((
            "trend",
            alt,
            Chart::Line(LineChart {
                title,
                x_labels: x,
                series: vec![Series {
                    name: self.t("平均分", "average"),
                    values: avg,
                    dashed: false,
                }],
                y_label: self.t("平均分", "average"),
                invert_y: false,
            }),
        ));
        self.draw(charts)
    }

    fn personal_charts(&self, row: &Row) -> Result<Vec<Image>, Error> {
        let lang = self.lang;
        let name = self.name(row.manager).to_string();
        let win = self.window();
        let x: Vec<String> = win.iter().map(|m| m.month.to_string()).collect();
        let ranks: Vec<Option<f64>> = win
            .iter()
            .map(|m| m.row_of(row.manager).map(|r| r.rank as f64))
            .collect();
        let totals: Vec<Option<f64>> = win
            .iter()
            .map(|m| m.row_of(row.manager).map(|r| r.total))
            .collect();
        let avgs: Vec<Option<f64>> = win.iter().map(month_average).collect();
        let fmt_series = |v: &[Option<f64>], dp: usize| -> String {
            x.iter()
                .zip(v)
                .map(|(m, a)| match a {
                    Some(a) => format!(
                        "{m} {}",
                        if dp == 0 {
                            trim(*a, 0)
                        } else {
                            format!("{a:.2}")
                        }
                    ),
                    None => format!("{m} —"),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("，", ", "))
        };
        let t1 = self.t(
            &format!("{name} 月度名次"),
            &format!("{name}: rank by month"),
        );
        let alt1 = format!("{t1}{}{}", lang.pick("：", ": "), fmt_series(&ranks, 0));
        let t2 = self.t(
            &format!("{name} 总分与全县平均分"),
            &format!("{name}: total and average"),
        );
        let alt2 = format!(
            "{t2}{}{}",
            lang.pick("（本人）：", " (own): "),
            fmt_series(&totals, 2)
        );
        let charts = vec![
            (
                "rank",
                alt1,
                Chart::Line(LineChart {
                    title: t1,
                    x_labels: x.clone(),
                    series: vec![Series {
                        name: name.clone(),
                        values: ranks,
                        dashed: false,
                    }],
                    y_label: self.t("名次", "rank"),
                    invert_y: true,
                }),
            ),
            (
                "score",
                alt2,
                Chart::Line(LineChart {
                    title: t2,
                    x_labels: x.clone(),
                    series: vec![
                        Series {
                            name: name.clone(),
                            values: totals,
                            dashed: false,
                        },
                        Series {
                            name: self.t("全县平均", "average"),
                            values: avgs,
                            dashed: true,
                        },
                    ],
                    y_label: self.t("总分", "total"),
                    invert_y: false,
                }),
            ),
        ];
        self.draw(charts)
    }

    fn draw(&self, charts: Vec<(&str, String, Chart)>) -> Result<Vec<Image>, Error> {
        charts
            .into_iter()
            .map(|(cid, alt, chart)| {
                let png = charts::render_png(&chart, CHART_WIDTH, CHART_HEIGHT, 2, self.font)
                    .map_err(|e| Error::Io(e.to_string()))?;
                Ok(Image {
                    cid: cid.to_string(),
                    alt,
                    width: CHART_WIDTH,
                    height: CHART_HEIGHT,
                    png,
                })
            })
            .collect()
    }

    /// Renders both templates, inlines the CSS and assembles the MIME message.
    fn finish(
        &self,
        key: &str,
        subject: String,
        to: Vec<Mailbox>,
        mut c: tera::Context,
        images: Vec<Image>,
    ) -> Result<Bulletin, Error> {
        let subject = header_text(&subject);
        let imgs: Vec<ImgCtx> = images
            .iter()
            .map(|i| ImgCtx {
                src: format!("cid:{}", i.cid),
                alt: i.alt.clone(),
                width: i.width,
                height: i.height,
            })
            .collect();
        c.insert("images", &imgs);
        let text = (self.render)("bulletin.txt", &c).map_err(Error::Io)?;
        let text = normalize_text(&text);
        let raw_html = (self.render)("bulletin.html", &c).map_err(Error::Io)?;
        let html = inline_css(&raw_html).map_err(Error::Io)?;
        let month = self.ms.month;
        let mut parts: Vec<&[u8]> = vec![subject.as_bytes(), text.as_bytes(), html.as_bytes()];
        for i in &images {
            parts.push(&i.png);
        }
        let hash = fnv(&parts);
        let domain = self.from.email.domain().to_string();
        let message_id = format!("<rankpress.{month}.{key}.{hash:016x}@{domain}>");
        // Without recipients (no `to:` configured) the team message is addressed to the sender.
        let to = if to.is_empty() {
            vec![self.from.clone()]
        } else {
            to
        };
        let mut related = MultiPart::related()
            .boundary(format!("=_rp_rel_{hash:016x}"))
            .singlepart(SinglePart::html(html.clone()));
        for i in &images {
            related = related.singlepart(
                Attachment::new_inline_with_name(i.cid.clone(), format!("{}.png", i.cid)).body(
                    i.png.clone(),
                    ContentType::parse("image/png").expect("mime"),
                ),
            );
        }
        let body = MultiPart::alternative()
            .boundary(format!("=_rp_alt_{hash:016x}"))
            .singlepart(SinglePart::plain(text.clone()))
            .multipart(related);
        let mut b = lettre::Message::builder()
            .from(self.from.clone())
            .subject(subject.clone())
            .date(message_date(month))
            .message_id(Some(message_id.clone()))
            .user_agent(format!("rankpress {}", env!("CARGO_PKG_VERSION")));
        for m in &to {
            b = b.to(m.clone());
        }
        let msg = b
            .multipart(body)
            .map_err(|e| Error::Io(format!("{key}: {e}")))?;
        Ok(Bulletin {
            key: key.to_string(),
            subject,
            from: self.from.email.to_string(),
            to: to.iter().map(|m| m.email.to_string()).collect(),
            message_id,
            text,
            html,
            images,
            eml: msg.formatted(),
        })
    }
}

/// A data string made safe for a one-line mail header (a display name, the subject): every
/// control character (CR, LF, NUL, ESC…) becomes a space, runs of white space one space. Such
/// text can neither inject a header nor make lettre fail to write one.
pub fn header_text(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Mean total of a month, exact to the cent (contract §5 means).
fn month_average(m: &MonthScore) -> Option<f64> {
    if m.rows.is_empty() {
        return None;
    }
    let sum: i64 = m.rows.iter().map(|r| crate::score::cents(r.total)).sum();
    Some(crate::score::mean_cents(sum, m.rows.len()) as f64 / 100.0)
}

/// Trims trailing spaces on each line and collapses runs of blank lines left by the template.
fn normalize_text(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    // Keep the signature separator "-- " intact.
    out.replace("\n--\n", "\n-- \n")
}

/// Moves every rule of the `<style>` blocks into `style` attributes and drops the blocks.
pub fn inline_css(html: &str) -> Result<String, String> {
    css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(false)
        .build()
        .inline(html)
        .map_err(|e| format!("CSS inlining failed: {e}"))
}

/// The raw value of an indicator in words.
fn raw_value(ind: &Indicator, v: Value, mark: Option<f64>, lang: Lang) -> String {
    match (&ind.method, v) {
        (Method::Ratio { .. }, Value::Ratio { actual, target }) => lang
            .pick(
                &format!(
                    "实际 {} / 任务 {} = {}%",
                    trim(actual, 2),
                    trim(target, 2),
                    trim(actual / target * 100.0, 2)
                ),
                &format!(
                    "actual {} / target {} = {}%",
                    trim(actual, 2),
                    trim(target, 2),
                    trim(actual / target * 100.0, 2)
                ),
            )
            .to_string(),
        (Method::Percent, Value::Number(x)) => format!("{}%", trim(x, 2)),
        (Method::Linear { .. }, Value::Number(x)) => trim(x, 2),
        (Method::Deduct { .. }, Value::Number(x)) => lang
            .pick(
                &format!("{} 件", trim(x, 2)),
                &format!("{} case(s)", trim(x, 2)),
            )
            .to_string(),
        (Method::Training, _) => match mark {
            Some(m) => lang
                .pick(
                    &format!("培训成绩 {}", trim(m, 2)),
                    &format!("training mark {}", trim(m, 2)),
                )
                .to_string(),
            None => lang
                .pick("本月无培训成绩", "no training mark this month")
                .to_string(),
        },
        _ => String::new(),
    }
}

/// One message of a month as recorded in `bulletins/YYYY-MM/manifest.json`, which `send` reads.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestEntry {
    /// `team` or a manager id; the key of `sent.log`.
    pub key: String,
    /// The `.eml` file, relative to `bulletins/`.
    pub file: String,
    /// Envelope sender.
    pub from: String,
    /// Envelope recipients.
    pub to: Vec<String>,
    /// Subject (decoded).
    pub subject: String,
    /// Message-ID.
    pub message_id: String,
}

/// `bulletins/YYYY-MM/manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The month.
    pub month: String,
    /// Messages in sending order: the team bulletin first, then personal ones by rank.
    pub messages: Vec<ManifestEntry>,
}

/// Writes `data` to `path` atomically (see [`crate::fsutil::write_atomic`]), with a message
/// naming the file on failure.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    crate::fsutil::write_atomic(path, data)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What [`write`] wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Files written, relative to the output folder.
    pub files: Vec<String>,
    /// Size of the team bulletin's HTML part.
    pub team_html_bytes: usize,
    /// Size of the team bulletin's `.eml`.
    pub team_eml_bytes: usize,
}

/// Writes a month's bulletins under `output/bulletins/`: `YYYY-MM.eml`, `YYYY-MM.html` (browser
/// preview, images in `YYYY-MM/NAME.png`), `YYYY-MM/ID.eml` and `YYYY-MM/manifest.json`.
/// Personal `.eml` files of an earlier run that are no longer produced are removed;
/// `sent.log` is left alone.
pub fn write(output: &Path, b: &MonthBulletins) -> Result<Written, String> {
    let m = b.month.to_string();
    let dir = output.join("bulletins");
    let mdir = dir.join(&m);
    let mut w = Written {
        team_html_bytes: b.team.html.len(),
        team_eml_bytes: b.team.eml.len(),
        ..Written::default()
    };
    let mut put = |rel: String, data: &[u8]| -> Result<(), String> {
        write_atomic(&dir.join(&rel), data)?;
        w.files.push(format!("bulletins/{rel}"));
        Ok(())
    };
    for i in &b.team.images {
        put(format!("{m}/{}.png", i.cid), &i.png)?;
    }
    put(format!("{m}.html"), b.team.preview_html(&m).as_bytes())?;
    put(format!("{m}.eml"), &b.team.eml)?;
    let mut messages = vec![entry(&b.team, format!("{m}.eml"))];
    for p in &b.personal {
        let rel = format!("{m}/{}.eml", p.key);
        put(rel.clone(), &p.eml)?;
        messages.push(entry(p, rel));
    }
    let manifest = Manifest {
        month: m.clone(),
        messages,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    put(format!("{m}/manifest.json"), &json)?;
    // Stale personal bulletins (a manager who lost an email, or `personal` switched off).
    if let Ok(rd) = std::fs::read_dir(&mdir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.ends_with(".eml") && !b.personal.iter().any(|p| format!("{}.eml", p.key) == n) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(w)
}

fn entry(b: &Bulletin, file: String) -> ManifestEntry {
    ManifestEntry {
        key: b.key.clone(),
        file,
        from: b.from.clone(),
        to: b.to.clone(),
        subject: b.subject.clone(),
        message_id: b.message_id.clone(),
    }
}

/// Options of the `bulletin` command.
#[derive(Clone, Debug)]
pub struct Options {
    /// Site folder.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// `YYYY-MM`, default the latest results month.
    pub month: Option<String>,
}

/// Loads the site, makes the month's bulletins with the built-in templates and writes them.
pub fn run(opts: &Options, theme: &Theme) -> Result<(MonthBulletins, Written), Error> {
    let mut t = site::Timings::default();
    let s = site::load_site(&opts.root, &mut t).map_err(Error::Data)?;
    let cfg = config(&s)?;
    if cfg.personal && cfg.personal_pay && crate::payroll::inside_output(&opts.root, &opts.output) {
        return Err(Error::Usage(
            s.config
                .language
                .pick(
                    "bulletin.personal_pay: true 时个人通报含本人绩效工资，不能写入网站输出目录 output/（绩效工资保密，不得进入网站）：请用 -o 指定其他目录，例如 rankpress bulletin -o private，发送时用 rankpress send -o private",
                    "with bulletin.personal_pay: true the personal bulletins hold the person's pay, which may not be written into the site's output folder (pay is confidential): choose another folder, e.g. rankpress bulletin -o private, then rankpress send -o private",
                )
                .to_string(),
        ));
    }
    let month = pick_month(&s, opts.month.as_deref())?;
    let font = font(&s, &opts.root)?;
    let computed = site::compute(&s);
    let b = make(&s, &computed, month, theme, &font)?;
    let w = write(&opts.output, &b).map_err(Error::Io)?;
    Ok((b, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_a_header() {
        assert_eq!(header_text("张伟\r\nBcc: x@y.z"), "张伟 Bcc: x@y.z");
        assert_eq!(header_text(" a\0b\x1b[31m\u{85}c "), "a b [31m c");
        // The whole path, on names that validation may reject: no panic, no injected header.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut t = site::Timings::default();
        let mut s = site::load_site(root, &mut t).expect("demo site");
        s.managers[0].name = "张伟\r\nBcc: evil@example.com".into();
        for m in &mut s.managers[1..] {
            m.email = None; // one personal bulletin is enough (charts are slow to draw)
        }
        s.config.title = "通报\nX-Injected: 1".into();
        let Ok(font) = font(&s, root) else {
            panic!("a CJK font is needed: apt-get install fonts-wqy-microhei");
        };
        let theme = Theme::load(root, "default", s.config.language).unwrap();
        let computed = site::compute(&s);
        let month = pick_month(&s, None).unwrap();
        let b = make(&s, &computed, month, &theme, &font).expect("no panic, no error");
        let id = &s.managers[0].id;
        let mine = b.personal.iter().find(|p| &p.key == id).expect("personal");
        let eml = String::from_utf8_lossy(&mine.eml);
        let head = &eml[..eml.find("\r\n\r\n").unwrap()];
        assert!(
            !head.contains("\r\nBcc:") && !head.contains("\r\nX-Injected"),
            "{head}"
        );
        assert!(!mine.subject.contains(['\r', '\n']), "{}", mine.subject);
        let parsed = mail_parser::MessageParser::default()
            .parse(&mine.eml)
            .unwrap();
        let to = parsed.to().unwrap().first().unwrap();
        assert_eq!(to.name(), Some("张伟 Bcc: evil@example.com"));
    }

    #[test]
    fn adopted_suggestions_bonus_has_the_sites_label() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut t = site::Timings::default();
        let mut s = site::load_site(root, &mut t).expect("demo site");
        for m in &mut s.managers {
            if m.id != "zheng-hua" {
                m.email = None; // one personal bulletin is enough (charts are slow to draw)
            }
        }
        let font = font(&s, root).expect("a CJK font (apt-get install fonts-wqy-microhei)");
        let theme = Theme::load(root, "default", s.config.language).unwrap();
        let computed = site::compute(&s);
        // The demo's zheng-hua had a suggestion adopted in 2026-07.
        let month = pick_month(&s, Some("2026-07")).unwrap();
        let b = make(&s, &computed, month, &theme, &font).unwrap();
        let p = b.personal.iter().find(|p| p.key == "zheng-hua").unwrap();
        let label = theme.fill(
            "bonus_suggestions",
            &[
                ("n", "1"),
                (
                    "each",
                    &crate::present::format::num(s.config.bonus_per_adopted),
                ),
            ],
        );
        assert!(label.contains("建议被采纳"), "{label}");
        assert!(p.text.contains(&label), "{}", p.text);
        assert!(p.html.contains(&label));
    }

    #[test]
    fn pads_cjk_as_double_width() {
        assert_eq!(pad("张伟", 6, false), "张伟  ");
        assert_eq!(pad("ab", 6, true), "    ab");
        let t = text_table(
            &["名次", "姓名"],
            &[
                vec!["1".into(), "欧阳娜娜".into()],
                vec!["10".into(), "Li".into()],
            ],
            &[true, false],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "名次  姓名");
        assert_eq!(lines[1], "   1  欧阳娜娜");
        assert_eq!(lines[2], "  10  Li");
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(trim(20.0, 4), "20");
        assert_eq!(trim(1.2 * 100.0, 2), "120");
        assert_eq!(trim(0.5, 4), "0.5");
        assert_eq!(pts(-0.0), "0.00");
        assert_eq!(cents_str(8812), "88.12");
        assert_eq!(cents_str(-5), "-0.05");
        let d = message_date(Month {
            year: 2026,
            month: 12,
        });
        let secs = d.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs, 1_798_765_200); // 2027-01-01T01:00:00Z
        assert_eq!(
            month_label(
                Month {
                    year: 2026,
                    month: 10
                },
                Lang::Zh
            ),
            "2026年10月"
        );
    }

    #[test]
    fn inliner_removes_style_blocks() {
        let html = "<html><head><style>.a{color:red}</style></head><body><p class=\"a\">x</p></body></html>";
        let out = inline_css(html).unwrap();
        assert!(!out.contains("<style"));
        assert!(out.contains("style=\"color: red"), "{out}");
    }
}
