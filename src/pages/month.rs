//! The month pages: the home page (latest month), the archive of months and each month's
//! ranking with its charts, awards, watch list, teams, levels and notes.

use super::*;

pub(super) fn home(idx: &Index) -> PageCtx {
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

pub(super) fn months(idx: &Index) -> PageCtx {
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

pub(super) fn month(idx: &Index, ms: &MonthScore) -> PageCtx {
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
