//! The manager pages: the list of managers and each manager's history, "why this score"
//! breakdown, charts, trainings and incentives; and [`ManagerInputs`], the fingerprint of a
//! manager page's inputs that lets a rebuild skip an unchanged page.

use std::hash::{Hash, Hasher};

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

/// Fingerprints of a manager page's *inputs*, so that a rebuild can reuse an unchanged
/// manager page without even building its context (building and hashing 5,000 contexts is
/// most of a province rebuild). Conservative: everything that `manager` reads is hashed —
/// the manager, their team (name, averages of every month), each of their ranked rows and
/// results entries in full, the site-wide inputs (configuration, months with their sizes,
/// corrections; in [`ManagerInputs::new`]), their sessions, competitions, innovations and
/// suggestions. The structs are destructured field by field, so adding a field to one of them
/// fails to compile here until it is hashed (or explicitly left out).
pub(super) struct ManagerInputs {
    /// Site-wide inputs, with the page salt (theme, global `site` value, version).
    global: u64,
    /// Per team: id, name and averages.
    teams: Vec<u64>,
}

pub(super) fn hf(h: &mut impl Hasher, x: f64) {
    h.write_u64(x.to_bits());
}

pub(super) fn hof(h: &mut impl Hasher, x: Option<f64>) {
    match x {
        Some(v) => {
            h.write_u8(1);
            hf(h, v);
        }
        None => h.write_u8(0),
    }
}

pub(super) fn hitem(h: &mut impl Hasher, i: &Item) {
    let Item { points, reason } = i;
    hf(h, *points);
    reason.hash(h);
}

impl ManagerInputs {
    pub(super) fn new(idx: &Index, salt: u64) -> ManagerInputs {
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

    pub(super) fn fingerprint(&self, idx: &Index, m: usize) -> u64 {
        let site = idx.site;
        let man = &site.managers[m];
        let mut h = crate::output::stable_hasher();
        self.global.hash(&mut h);
        m.hash(&mut h);
        man.hash(&mut h);
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
                match source {
                    crate::score::BonusSource::Entry => h.write_u8(0),
                    crate::score::BonusSource::Competition(i) => (1u8, i).hash(&mut h),
                    crate::score::BonusSource::Innovation(i) => (2u8, i).hash(&mut h),
                    crate::score::BonusSource::Suggestions(n) => (3u8, n).hash(&mut h),
                }
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
            h.write_u8(match kind {
                SuggestionKind::Supply => 0,
                SuggestionKind::Allocation => 1,
            });
            // The suggestion shows its manager's name and team.
            site.managers[*manager].hash(&mut h);
            self.teams[site.managers[*manager].team].hash(&mut h);
        }
        h.finish()
    }
}
