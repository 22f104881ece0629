//! What a bulletin says: the template contexts of the team and the personal bulletins, built
//! from the shared presentation layer ([`crate::present`]) so that every number and word is the
//! site's, and the charts they carry. Wording comes from the theme's labels (`t` in the
//! templates, the `bulletin_*` keys for what only bulletins say).

use lettre::message::Mailbox;
use serde::Serialize;

use super::{Bulletin, Error, Image, Render, CHART_HEIGHT, CHART_WIDTH};
use crate::charts::{self, Chart, FontData, LineChart, Series};
use crate::markdown;
use crate::model::{BulletinConfig, Month, Site};
use crate::present::charts as specs;
use crate::present::explain::{bonus_reason, explain, rule_words};
use crate::present::format::{c2, f2};
use crate::present::{self, Months};
use crate::score::{MonthScore, Row, Scores};
use crate::text::text_table;
use crate::theme::Theme;

/// The team bulletin's subject, e.g. `城关县局客户经理绩效通报 2026年10月`.
pub fn team_subject(site: &Site, t: &Theme, m: Month) -> String {
    format!("{} {}", site.config.title, present::month_label(t, m))
}

/// The names (Content-IDs) of a personal bulletin's charts, also their preview files.
pub(super) const PERSONAL_CHARTS: [&str; 2] = ["rank", "score"];

/// Everything one month's bulletins are made from.
pub(super) struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) scores: &'a Scores,
    pub(super) ms: &'a MonthScore,
    pub(super) from: Mailbox,
    pub(super) render: &'a Render<'a>,
    pub(super) theme: &'a Theme,
    pub(super) font: &'a FontData,
    /// Every results month's key, label and average (the same as the site's).
    pub(super) months: Months,
    /// Each manager's pay this month, only with `bulletin.personal_pay: true`.
    pub(super) pay: Vec<(usize, i128)>,
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
    /// The rating level's name (v2), when the site has levels.
    level: Option<String>,
    url: Option<String>,
}

/// One entry of the team ranking's legend: a mark used in the table and what it means.
#[derive(Serialize)]
struct LegendCtx {
    mark: String,
    meaning: String,
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
    /// When the reader is on the month's watch list: that they are, whether they are
    /// escalated (连续后进), and what both mean (the site's rules, as on the rules page).
    watch: Option<String>,
    team_line: String,
    lines: Vec<LineCtx>,
    lines_text: String,
}

impl<'a> Ctx<'a> {
    fn label(&self) -> &str {
        &self.months.labels[self.ms.index]
    }

    fn sep(&self) -> &str {
        self.theme.label("list_sep")
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

    fn teams(&self, mine: Option<usize>) -> Vec<TeamCtx> {
        self.ms
            .teams
            .iter()
            .map(|x| TeamCtx {
                rank: x.rank,
                name: self.site.teams[x.team].name.clone(),
                managers: x.managers.len(),
                average: c2(x.average_cents),
                mine: Some(x.team) == mine,
            })
            .collect()
    }

    /// Context shared by the team and the personal bulletins.
    fn base_context(&self, heading: &str, subject: &str) -> tera::Context {
        let site = self.site;
        let ms = self.ms;
        let t = self.theme;
        let mut c = tera::Context::new();
        c.insert("title", &site.config.title);
        c.insert("organization", &site.config.organization);
        c.insert("month", &self.months.keys[ms.index]);
        c.insert("month_label", self.label());
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
                    .join(self.sep()),
            })
            .collect();
        c.insert("stars", &stars);
        let teams = self.teams(None);
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
        c.insert("teams", &teams);
        c.insert(
            "teams_text",
            &text_table(
                &[
                    t.label("rank"),
                    t.label("team"),
                    t.label("people"),
                    t.label("average"),
                ],
                &rows,
                &[true, false, true, true],
            ),
        );
        let watch = ms
            .watch
            .iter()
            .map(|&m| self.name(m).to_string())
            .collect::<Vec<_>>()
            .join(self.sep());
        c.insert("watch", &watch);
        let levels = site
            .config
            .policy
            .ratings
            .iter()
            .zip(present::level_counts(site, ms))
            .map(|(l, n)| format!("{} {n}", l.name))
            .collect::<Vec<_>>()
            .join(self.sep());
        c.insert("levels", &levels);
        let escalated = present::escalated(t, ms)
            .into_iter()
            .map(|(m, _, text)| {
                t.fill(
                    "bulletin_name_note",
                    &[("name", self.name(m)), ("note", &text)],
                )
            })
            .collect::<Vec<_>>()
            .join(self.sep());
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
            &t.fill("bulletin_footer", &[("org", org), ("month", self.label())]),
        );
        c
    }

    pub(super) fn team(&self, cfg: &BulletinConfig) -> Result<Bulletin, Error> {
        let site = self.site;
        let ms = self.ms;
        let t = self.theme;
        let subject = team_subject(site, t, ms.month);
        let heading = t.fill("bulletin_heading", &[("month", self.label())]);
        let mut c = self.base_context(&heading, &subject);
        let has_prev = ms.previous.is_some();
        let rows: Vec<RowCtx> = ms
            .rows
            .iter()
            .map(|r| {
                let change = present::change(t, r.change, has_prev);
                RowCtx {
                    rank: r.rank,
                    id: site.managers[r.manager].id.clone(),
                    name: self.name(r.manager).to_string(),
                    team: self.team_name(r.manager).to_string(),
                    total: f2(r.total),
                    change: change.text,
                    trend: change.cls,
                    veto: r.veto.is_some(),
                    level: self.level_name(r),
                    url: self.manager_url(r.manager),
                }
            })
            .collect();
        let has_levels = !site.config.policy.ratings.is_empty();
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let name = if r.veto {
                    t.fill(
                        "bulletin_name_note",
                        &[("name", &r.name), ("note", t.label("veto_mark"))],
                    )
                } else {
                    r.name.clone()
                };
                let mut row = vec![r.rank.to_string(), name, r.team.clone(), r.total.clone()];
                if has_levels {
                    row.push(r.level.clone().unwrap_or_else(|| "—".into()));
                }
                row.push(r.change.clone());
                row
            })
            .collect();
        let mut head = vec![
            t.label("rank"),
            t.label("name"),
            t.label("team"),
            t.label("total"),
        ];
        let mut right = vec![true, false, false, true];
        if has_levels {
            head.push(t.label("rating"));
            right.push(false);
        }
        head.push(t.label("change"));
        right.push(false);
        let legend = self.legend(&rows, has_prev);
        c.insert("ranking_text", &text_table(&head, &table, &right));
        c.insert("rows", &rows);
        c.insert("has_levels", &has_levels);
        c.insert("legend", &legend);
        let avg = self.months.averages[ms.index]
            .map(c2)
            .unwrap_or_else(|| "—".into());
        let best = ms
            .rows
            .first()
            .map(|r| f2(r.total))
            .unwrap_or_else(|| "—".into());
        c.insert(
            "summary",
            &serde_json::json!({"ranked": ms.rows.len(), "average": avg, "best": best}),
        );
        if let Some(note) = &site.months[ms.index].note {
            c.insert("note_html", &markdown::to_html(note));
            c.insert("note_text", note.trim());
        }
        let link = self.base_url().map(|b| format!("{b}/index.html"));
        c.insert("link", &link);
        c.insert("link_label", t.label("bulletin_link_team"));
        let images = self.team_charts()?;
        let to = super::team_recipients(site, cfg)?;
        self.finish("team", subject, to, c, images)
    }

    pub(super) fn personal(&self, row: &Row) -> Result<Bulletin, Error> {
        let site = self.site;
        let ms = self.ms;
        let t = self.theme;
        let mgr = &site.managers[row.manager];
        let to = super::personal_recipient(site, mgr)?;
        let label = self.label();
        let subject = t.fill(
            "bulletin_personal_subject",
            &[
                ("title", &site.config.title),
                ("month", label),
                ("name", &mgr.name),
            ],
        );
        let heading = t.fill(
            "bulletin_personal_heading",
            &[("month", label), ("name", &mgr.name)],
        );
        let mut c = self.base_context(&heading, &subject);
        let n = ms.rows.len();
        let change = present::change(t, row.change, ms.previous.is_some()).text;
        let team_row = ms.teams.iter().find(|t| t.managers.contains(&row.manager));
        let team_line = match team_row {
            Some(x) => t.fill(
                "bulletin_team_line",
                &[
                    ("team", &site.teams[x.team].name),
                    ("average", &c2(x.average_cents)),
                    ("teams", &ms.teams.len().to_string()),
                    ("rank", &x.rank.to_string()),
                    (
                        "pos",
                        &(x.managers
                            .iter()
                            .position(|&m| m == row.manager)
                            .unwrap_or(0)
                            + 1)
                        .to_string(),
                    ),
                    ("size", &x.managers.len().to_string()),
                ],
            ),
            None => String::new(),
        };
        // Mark the manager's team in the team table.
        if let Some(x) = team_row {
            c.insert("teams", &self.teams(Some(x.team)));
        }
        let lines = self.breakdown(row);
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
            &[
                t.label("indicator"),
                t.label("points"),
                t.label("bulletin_value"),
            ],
            &text_rows,
            &[false, true, false],
        );
        lines_text.push('\n');
        lines_text.push_str(t.label("total"));
        lines_text.push_str(t.label("colon"));
        lines_text.push_str(&f2(row.total));
        let veto = row.veto.as_ref().map(|v| {
            t.fill(
                "bulletin_veto",
                &[("reason", v), ("raw", &f2(row.raw_total))],
            )
        });
        let greeting = t.fill(
            "bulletin_greeting",
            &[("name", &mgr.name), ("month", label)],
        );
        let level = self.level_name(row);
        let watch = self.watch_notice(row.manager);
        let pay = self.pay.iter().find(|p| p.0 == row.manager).map(|p| {
            t.fill(
                "bulletin_pay_amount",
                &[("yuan", &crate::decimal::yuan(p.1))],
            )
        });
        let personal = PersonalCtx {
            greeting,
            level,
            pay,
            rank: format!("{} / {n}", row.rank),
            total: f2(row.total),
            change,
            veto,
            watch,
            team_line,
            lines,
            lines_text,
        };
        c.insert("personal", &personal);
        let link = self.manager_url(row.manager);
        c.insert("link", &link);
        c.insert("link_label", t.label("bulletin_link_personal"));
        let images = self.personal_charts(row)?;
        self.finish(&mgr.id, subject, vec![to], c, images)
    }

    /// The name of the row's rating level, if the site has levels.
    fn level_name(&self, row: &Row) -> Option<String> {
        row.rating
            .and_then(|l| self.site.config.policy.ratings.get(l))
            .map(|l| l.name.clone())
    }

    /// The marks the team ranking uses this month and what they mean: the change column's
    /// arrows, `—` (same rank, or no previous month to compare with) and the theme's "new",
    /// and the veto mark.
    fn legend(&self, rows: &[RowCtx], has_prev: bool) -> Vec<LegendCtx> {
        let t = self.theme;
        let mut out = Vec::new();
        let mut add = |used: bool, mark: &str, key: &str| {
            if used {
                out.push(LegendCtx {
                    mark: mark.to_string(),
                    meaning: t.label(key).to_string(),
                });
            }
        };
        let any = |cls: &str| rows.iter().any(|r| r.trend == cls);
        add(any("up"), "↑", "legend_up");
        add(any("down"), "↓", "legend_down");
        add(any("same"), "—", "legend_same");
        add(any("none") && !has_prev, "—", "change_none");
        add(any("new"), t.label("change_new"), "legend_new");
        add(
            rows.iter().any(|r| r.veto),
            t.label("veto_mark"),
            "legend_veto",
        );
        out
    }

    /// What a personal bulletin tells a reader on the month's watch list: that they are on it
    /// (and escalated, if so), with the site's rules for both.
    fn watch_notice(&self, manager: usize) -> Option<String> {
        let t = self.theme;
        let cfg = &self.site.config;
        if !self.ms.watch.contains(&manager) {
            return None;
        }
        let after = cfg.policy.escalate_after;
        let mut sentences = vec![
            t.label("bulletin_on_watch").to_string(),
            t.fill("rule_watch", &[("n", &cfg.watch_bottom.to_string())]),
        ];
        if let Some(&(_, n)) = self.ms.escalated.iter().find(|e| e.0 == manager) {
            sentences.push(t.fill("bulletin_escalated_you", &[("n", &n.to_string())]));
        }
        if after > 0 {
            sentences.push(t.fill("rule_escalate", &[("n", &after.to_string())]));
        }
        Some(sentences.join(t.label("bulletin_sentence_sep")))
    }

    /// "Why this score": each indicator's raw value (as on the manager page), its rule in words
    /// and points, then the bonus and deduction items.
    fn breakdown(&self, row: &Row) -> Vec<LineCtx> {
        let site = self.site;
        let t = self.theme;
        let entry = &site.months[self.ms.index].entries[row.entry];
        let mut out: Vec<LineCtx> = site
            .config
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| LineCtx {
                group: ind.group.clone(),
                name: ind.name.clone(),
                raw: explain(t, ind, entry.values[i], row.mark, row.scores[i]).0,
                rule: rule_words(t, ind, site.config.pass_mark),
                points: f2(row.scores[i]),
            })
            .collect();
        for b in &row.bonuses {
            out.push(LineCtx {
                group: None,
                name: t.label("bonus").into(),
                raw: bonus_reason(t, b, site.config.bonus_per_adopted).into_owned(),
                rule: String::new(),
                points: format!("+{}", f2(b.points)),
            });
        }
        for d in &entry.deductions {
            out.push(LineCtx {
                group: None,
                name: t.label("deduction").into(),
                raw: d.reason.clone(),
                rule: String::new(),
                points: format!("-{}", f2(d.points)),
            });
        }
        out
    }

    /// The month indices of the last up to 12 results months ending with this one.
    fn window(&self) -> std::ops::Range<usize> {
        let months = &self.scores.months;
        let end = months
            .iter()
            .position(|m| m.month == self.ms.month)
            .map_or(months.len(), |i| i + 1);
        end.saturating_sub(12)..end
    }

    fn team_charts(&self) -> Result<Vec<Image>, Error> {
        let t = self.theme;
        let (site, ms, label) = (self.site, self.ms, self.label());
        let win = self.window();
        let trend = Chart::Line(LineChart {
            title: t.label("bulletin_chart_trend").into(),
            x_labels: self.months.keys[win.clone()].to_vec(),
            series: vec![Series {
                name: t.label("average").into(),
                values: self.months.average_points()[win].to_vec(),
                dashed: false,
            }],
            y_label: t.label("average").into(),
            invert_y: false,
        });
        self.draw(vec![
            ("teams", specs::team_averages(t, label, site, ms)),
            ("distribution", specs::distribution(t, label, ms)),
            ("trend", trend),
        ])
    }

    fn personal_charts(&self, row: &Row) -> Result<Vec<Image>, Error> {
        let t = self.theme;
        let name = self.name(row.manager).to_string();
        let win = self.window();
        let months = &self.scores.months[win.clone()];
        let x = self.months.keys[win.clone()].to_vec();
        let ranks: Vec<Option<f64>> = months
            .iter()
            .map(|m| m.row_of(row.manager).map(|r| r.rank as f64))
            .collect();
        let totals: Vec<Option<f64>> = months
            .iter()
            .map(|m| m.row_of(row.manager).map(|r| r.total))
            .collect();
        let rank = specs::manager_rank(t, &name, x.clone(), ranks);
        let score = Chart::Line(LineChart {
            title: t.fill("bulletin_chart_score", &[("name", &name)]),
            x_labels: x,
            series: vec![
                Series {
                    name: name.clone(),
                    values: totals,
                    dashed: false,
                },
                Series {
                    name: t.label("bulletin_county_average").into(),
                    values: self.months.average_points()[win].to_vec(),
                    dashed: true,
                },
            ],
            y_label: t.label("total").into(),
            invert_y: false,
        });
        self.draw(vec![
            (PERSONAL_CHARTS[0], rank),
            (PERSONAL_CHARTS[1], score),
        ])
    }

    /// Draws each chart as a PNG at 2×, with the chart's numbers as its `alt` text.
    fn draw(&self, charts: Vec<(&str, Chart)>) -> Result<Vec<Image>, Error> {
        charts
            .into_iter()
            .map(|(cid, chart)| {
                let png = charts::render_png(&chart, CHART_WIDTH, CHART_HEIGHT, 2, self.font)
                    .map_err(|e| Error::Io(e.to_string()))?;
                Ok(Image {
                    cid: cid.to_string(),
                    alt: specs::alt(&chart, self.theme),
                    width: CHART_WIDTH,
                    height: CHART_HEIGHT,
                    png,
                })
            })
            .collect()
    }
}
