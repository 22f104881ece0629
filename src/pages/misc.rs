//! The remaining pages: awards, incentives (competitions, innovations, suggestions), the rules
//! of the assessment and the free Markdown pages.

use super::*;

pub(super) fn awards(idx: &Index) -> PageCtx {
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

pub(super) fn incentives(idx: &Index) -> PageCtx {
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

pub(super) fn rules(idx: &Index) -> PageCtx {
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

pub(super) fn free_page(idx: &Index, p: &Page) -> PageCtx {
    let mut ctx = idx.ctx(2, &p.title, &format!("page-{}", p.slug));
    ctx.insert("slug", &p.slug);
    let body = markdown::to_html(&p.body);
    ctx.insert("has_h1", &body.trim_start().starts_with("<h1"));
    ctx.insert("body", &body);
    ctx
}
