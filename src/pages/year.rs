//! The annual pages: the list of years and each year's evaluation (quarters and levels are in
//! [`super::levels`]).

use super::*;

pub(super) fn years(idx: &Index) -> PageCtx {
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

pub(super) fn year(idx: &Index, yi: usize) -> PageCtx {
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
    ctx.insert("has_vetoed", &y.rows.iter().any(|r| r.vetoes > 0));
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
