//! The training pages: the overview, each period's summary (month, year) and each session.

use super::*;

pub(super) fn summary_row(idx: &Index, s: &Summary) -> J {
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

pub(super) fn session_row(idx: &Index, si: usize) -> J {
    let s = &idx.site.trainings[si];
    let present = s.attendees.iter().filter(|a| a.present).count();
    json!({"id": s.id, "title": s.title, "date": s.date.to_string(), "kind": idx.kind_label(s.kind),
           "topic": s.topic, "hours": num(s.hours), "instructor": s.instructor,
           "expected": s.attendees.len(), "present": present})
}

pub(super) fn hours_by_kind(idx: &Index, sessions: &[usize]) -> Vec<(TrainingKind, usize, f64)> {
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

pub(super) fn training_index(idx: &Index) -> PageCtx {
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
                from_zero: true,
            }),
            t,
        ));
    }
    ctx.insert("charts", &charts);
    ctx
}

pub(super) fn training_period(idx: &Index, s: &Summary) -> PageCtx {
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
                from_zero: true,
            }),
            t,
        )]
    } else {
        vec![]
    };
    ctx.insert("charts", &charts);
    ctx
}

pub(super) fn session(idx: &Index, si: usize) -> PageCtx {
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
