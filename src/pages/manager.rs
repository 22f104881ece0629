//! The manager pages: the list of managers and each manager's history, "why this score"
//! breakdown, charts, trainings and incentives; and [`ManagerInputs`], the cache key of a
//! manager page's inputs that lets a rebuild skip an unchanged page.

use super::*;

pub(super) fn managers(idx: &Index) -> PageCtx {
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
pub(super) struct HistoryRow<'a> {
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
pub(super) struct WhyItem<'a> {
    group: Option<&'a str>,
    name: &'a str,
    raw: String,
    rule: String,
    points: String,
}

/// A bonus or deduction with its reason.
#[derive(Serialize)]
pub(super) struct Adjust<'a> {
    points: String,
    reason: std::borrow::Cow<'a, str>,
}

/// A manager page's month in the "why this score" breakdown.
#[derive(Serialize)]
pub(super) struct WhyMonth<'a> {
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

pub(super) fn manager(idx: &Index, m: usize) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let man = &site.managers[m];
    // Keyed by its inputs (`ManagerInputs`) in `render_pages`.
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
    // Each indicator's rule in words, once; the breakdowns show only each month's numbers.
    let pass = site.config.pass_mark;
    let rules: Vec<J> = inds
        .iter()
        .map(|ind| json!({"name": ind.name, "rule": rule_words(t, ind, pass)}))
        .collect();
    ctx.insert("rules", &rules);
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

pub(super) fn suggestion_view(idx: &Index, s: &Suggestion) -> J {
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

pub(super) fn status_of<'a>(idx: &Index<'a>, a: &'a Attendance) -> Status<'a> {
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

/// Keys of a manager page's *inputs*, so that a rebuild can reuse an unchanged manager page
/// without even building its context (building and hashing 5,000 contexts is most of a
/// province rebuild). Conservative: everything that `manager` reads goes into the key, as
/// typed values serialized whole ([`KeyBuilder::value`]), so a field added to any of them is
/// covered without a change here: the site-wide inputs (configuration, months with their
/// sizes, corrections, the page salt; in [`ManagerInputs::new`]), the manager, their team
/// (with its averages of every month), each of their ranked rows and results entries, their
/// awards, sessions, competitions, innovations and suggestions.
pub(super) struct ManagerInputs {
    /// Site-wide inputs, with the page salt (theme, global `site` value, version).
    global: Key,
    /// Per team: the team and its averages.
    teams: Vec<Key>,
    /// Per training session: the whole session (attendees included).
    sessions: Vec<Key>,
    /// Per competition: the whole competition (placings included).
    competitions: Vec<Key>,
}

/// The key of one typed value.
fn key_of<T: Serialize + ?Sized>(v: &T) -> Key {
    KeyBuilder::new().value(v).finish_key()
}

impl ManagerInputs {
    pub(super) fn new(idx: &Index, salt: Key) -> ManagerInputs {
        let site = idx.site;
        let months: Vec<_> = idx
            .c
            .scores
            .months
            .iter()
            .enumerate()
            .map(|(mi, ms)| {
                (
                    ms.month,
                    ms.index,
                    ms.previous,
                    ms.rows.len(),
                    &idx.months.keys[mi],
                    &idx.months.labels[mi],
                )
            })
            .collect();
        let global = KeyBuilder::new()
            .str("manager page")
            .key(salt)
            .value(&site.config)
            .value(&idx.c.corrections)
            .value(&months)
            .finish_key();
        ManagerInputs {
            global,
            teams: site
                .teams
                .iter()
                .zip(&idx.team_hist)
                .map(|t| key_of(&t))
                .collect(),
            sessions: site.trainings.iter().map(key_of).collect(),
            competitions: site.competitions.iter().map(key_of).collect(),
        }
    }

    pub(super) fn fingerprint(&self, idx: &Index, m: usize) -> Key {
        let site = idx.site;
        let man = &site.managers[m];
        let months = &idx.c.scores.months;
        let mut k = KeyBuilder::new();
        k.key(self.global)
            .value(&(m, man))
            .key(self.teams[man.team]);
        k.u64(idx.rows_of[m].len() as u64);
        for &(mi, ri) in &idx.rows_of[m] {
            let ms = &months[mi];
            let row = &ms.rows[ri];
            let entry = &site.months[ms.index].entries[row.entry];
            k.value(&(mi, ri, idx.watch_sets[mi].contains(&m), row, entry));
        }
        k.value(&idx.awards_of[m]);
        k.u64(idx.trainings_of[m].len() as u64);
        for &(si, ai) in &idx.trainings_of[m] {
            k.value(&(si, ai)).key(self.sessions[si]);
        }
        k.u64(idx.competitions_of[m].len() as u64);
        for &(ci, pi) in &idx.competitions_of[m] {
            k.value(&(ci, pi)).key(self.competitions[ci]);
        }
        k.u64(idx.innovations_of[m].len() as u64);
        for &ii in &idx.innovations_of[m] {
            k.value(&(ii, &site.innovations[ii]));
        }
        k.u64(idx.suggestions_of[m].len() as u64);
        for &si in &idx.suggestions_of[m] {
            // The suggestion shows its manager's name and team.
            let s = &site.suggestions[si];
            let author = &site.managers[s.manager];
            k.value(&(si, s, author)).key(self.teams[author.team]);
        }
        k.finish_key()
    }
}
