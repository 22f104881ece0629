//! What the pages show of contract §10: rating levels (month, manager and year pages), the level
//! distribution chart, escalated managers, the quarter pages, promotion and demotion candidates,
//! and the rules of levels and pay. Never a pay amount: only the method and the coefficients
//! appear, on the rules page (the pool or base with each total and level would give away every
//! pay).

use serde_json::{json, Value as J};

use super::{c2, chart_view, num, ChartView, Index, PageCtx};
use crate::model::{PayMethod, Rating};
use crate::present::{self, charts as specs};
use crate::score::rating::Candidate;
use crate::score::{AnnualRow, MonthScore, QuarterScore};

impl Index<'_> {
    fn levels(&self) -> &[Rating] {
        &self.site.config.policy.ratings
    }

    /// A level as templates show it: `{index, id, name}` (index orders the badges' colours).
    pub(super) fn level(&self, l: Option<usize>) -> Option<J> {
        let r = self.levels().get(l?)?;
        Some(json!({"index": l, "id": r.id, "name": r.name}))
    }

    /// Counts per level, e.g. `优秀×2、良好×1`, for annual and quarterly rows.
    fn level_counts(&self, counts: &[usize]) -> String {
        self.levels()
            .iter()
            .zip(counts)
            .filter(|(_, &n)| n > 0)
            .map(|(r, n)| format!("{}×{}", r.name, n))
            .collect::<Vec<_>>()
            .join(self.t.label("list_sep"))
    }

    /// The month's level distribution: `[{index, id, name, count}]` (empty without levels).
    fn level_dist(&self, counts: &[usize]) -> Vec<J> {
        self.levels()
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(i, (r, n))| json!({"index": i, "id": r.id, "name": r.name, "count": n}))
            .collect()
    }

    /// The level distribution as a small bar chart, when there are levels.
    pub(super) fn level_chart(&self, ms: &MonthScore) -> Option<ChartView> {
        let counts = present::level_counts(self.site, ms);
        let label = &self.months.labels[ms.index];
        specs::level_distribution(self.t, label, self.site, &counts).map(|c| chart_view(&c, self.t))
    }

    /// The month's escalated managers with their streak, ordered like the watch list.
    fn escalated_rows(&self, ms: &MonthScore) -> Vec<J> {
        present::escalated(self.t, ms)
            .into_iter()
            .map(|(m, streak, text)| {
                let mut v = self.mgr(m);
                v["streak"] = json!(streak);
                v["text"] = json!(text);
                v
            })
            .collect()
    }

    /// Adds the month page's levels, distribution and escalated managers to `ctx`.
    pub(super) fn month_levels(&self, ctx: &mut PageCtx, ms: &MonthScore) {
        ctx.insert("has_ratings", &!self.levels().is_empty());
        ctx.insert(
            "rating_dist",
            &self.level_dist(&present::level_counts(self.site, ms)),
        );
        ctx.insert("escalated", &self.escalated_rows(ms));
        ctx.insert(
            "escalated_rule",
            &self.t.fill(
                "escalated_rule",
                &[("n", &self.site.config.policy.escalate_after.to_string())],
            ),
        );
    }

    /// One row of a year's or quarter's ranking, as templates show it.
    pub(super) fn period_row(&self, r: &AnnualRow, award_name: &dyn Fn(&str) -> String) -> J {
        let t = self.t;
        let mut v = self.mgr(r.manager);
        v["rank"] = json!(r.rank);
        v["months"] = json!(r.months);
        v["average"] = json!(c2(r.average_cents));
        v["best_rank"] = json!(r.best_rank);
        v["top3"] = json!(r.top3);
        v["watch"] = json!(r.watch);
        v["vetoes"] = json!(r.vetoes);
        v["awards_total"] = json!(r.awards.values().sum::<usize>());
        v["awards"] = json!(r
            .awards
            .iter()
            .map(|(k, n)| format!("{}×{}", award_name(k), n))
            .collect::<Vec<_>>()
            .join(t.label("list_sep")));
        v["ratings"] = json!(self.level_counts(&r.ratings));
        v["first_level"] = json!(r.ratings.first().copied().unwrap_or(0));
        v
    }

    fn candidate_rows(&self, cs: &[Candidate]) -> Vec<J> {
        cs.iter()
            .map(|c| {
                let mut v = self.mgr(c.manager);
                v["from"] = json!(c.from);
                v["to"] = json!(c.to);
                v
            })
            .collect()
    }

    /// Adds the year page's levels, candidates and quarters to `ctx`.
    pub(super) fn year_levels(&self, ctx: &mut PageCtx, yi: usize) {
        let y = &self.c.scores.years[yi];
        let pol = &self.site.config.policy;
        ctx.insert("has_ratings", &!pol.ratings.is_empty());
        ctx.insert(
            "rating_totals",
            &self
                .levels()
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    json!({"index": i, "name": r.name,
                           "count": y.rows.iter().map(|x| x.ratings[i]).sum::<usize>()})
                })
                .collect::<Vec<_>>(),
        );
        ctx.insert("promotion", &self.candidate_rows(&y.promotion));
        ctx.insert("demotion", &self.candidate_rows(&y.demotion));
        let (promotion, demotion) = self.grade_rules();
        ctx.insert("promotion_rule", &promotion);
        ctx.insert("demotion_rule", &demotion);
        ctx.insert(
            "quarters",
            &self
                .c
                .scores
                .quarters
                .iter()
                .filter(|q| q.year == y.year)
                .map(|q| json!({"key": q.label(), "label": self.quarter_label(q)}))
                .collect::<Vec<_>>(),
        );
    }

    /// The rules of promotion and demotion candidates, when on.
    fn grade_rules(&self) -> (Option<String>, Option<String>) {
        let pol = &self.site.config.policy;
        let (Some(first), Some(last)) = (pol.ratings.first(), pol.ratings.last()) else {
            return (None, None);
        };
        let rule = |key: &str, n: usize, level: &str| {
            (n > 0).then(|| self.t.fill(key, &[("n", &n.to_string()), ("level", level)]))
        };
        (
            rule("rule_promotion", pol.promotion_months, &first.name),
            rule("rule_demotion", pol.demotion_months, &last.name),
        )
    }

    fn quarter_label(&self, q: &QuarterScore) -> String {
        self.t.fill(
            "quarter_fmt",
            &[("y", &q.year.to_string()), ("q", &q.quarter.to_string())],
        )
    }
}

/// `quarters/index.html`: every quarter with results, latest first.
pub(super) fn quarters(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_quarters"), "quarters");
    ctx.insert(
        "quarters",
        &idx.c
            .scores
            .quarters
            .iter()
            .rev()
            .map(|q| {
                json!({"key": q.label(), "label": idx.quarter_label(q), "year": q.year,
                       "months": q.months.iter().map(|m| json!({"key": m.to_string(), "label": idx.month_label(*m)})).collect::<Vec<_>>(),
                       "ranked": q.rows.len(),
                       "first": q.rows.first().map(|r| idx.mgr(r.manager))})
            })
            .collect::<Vec<_>>(),
    );
    ctx
}

/// `quarters/YYYY-Qn/index.html`: the quarter's summary, ranked like the year's.
pub(super) fn quarter(idx: &Index, qi: usize) -> PageCtx {
    let t = idx.t;
    let q = &idx.c.scores.quarters[qi];
    let label = idx.quarter_label(q);
    let mut ctx = idx.ctx(
        2,
        &t.fill("quarter_title", &[("quarter", &label)]),
        "quarters",
    );
    ctx.insert("quarter", &q.label());
    ctx.insert("year", &q.year);
    ctx.insert("year_label", &idx.year_label(q.year));
    ctx.insert(
        "months",
        &q.months
            .iter()
            .map(|m| json!({"key": m.to_string(), "label": idx.month_label(*m)}))
            .collect::<Vec<_>>(),
    );
    ctx.insert("has_ratings", &!idx.levels().is_empty());
    let award_name = |id: &str| {
        idx.site
            .config
            .awards
            .iter()
            .find(|a| a.id == id)
            .map_or(id.to_string(), |a| a.name.clone())
    };
    ctx.insert(
        "rows",
        &q.rows
            .iter()
            .map(|r| idx.period_row(r, &award_name))
            .collect::<Vec<_>>(),
    );
    ctx.insert("has_vetoed", &q.rows.iter().any(|r| r.vetoes > 0));
    let quarters = &idx.c.scores.quarters;
    let nav = |q: &QuarterScore| json!({"key": q.label(), "label": idx.quarter_label(q)});
    ctx.insert(
        "prev_quarter",
        &qi.checked_sub(1).map(|i| nav(&quarters[i])),
    );
    ctx.insert("next_quarter", &quarters.get(qi + 1).map(nav));
    ctx
}

/// Adds the rules of levels, pay, escalation and promotion to the rules page's `ctx`. Of pay,
/// only the method: no amount (pool, base, anyone's pay) is shown.
pub(super) fn rules_levels(idx: &Index, ctx: &mut PageCtx) {
    let t = idx.t;
    let pol = &idx.site.config.policy;
    let last = pol.ratings.len().saturating_sub(1);
    ctx.insert(
        "levels",
        &pol.ratings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut rule = Vec::new();
                if let Some(q) = r.quota {
                    rule.push(t.fill("rule_quota", &[("q", &q.to_string())]));
                }
                if let Some(m) = r.min {
                    rule.push(t.fill("rule_level_min", &[("min", &num(m))]));
                }
                if i == last {
                    rule.push(t.label("rule_level_rest").to_string());
                }
                json!({"index": i, "id": r.id, "name": r.name, "rule": rule.join(t.label("list_sep")),
                       "coefficient": r.coefficient.to_string()})
            })
            .collect::<Vec<_>>(),
    );
    // The method only: an amount (pool, base) with each total and level would give away
    // every pay.
    ctx.insert(
        "pay_rule",
        &pol.pay.as_ref().map(|p| match p.method {
            PayMethod::Rating => t.label("rule_pay_rating").to_string(),
            PayMethod::Pool => t.label("rule_pay_pool").to_string(),
        }),
    );
    ctx.insert(
        "escalate_rule",
        &(pol.escalate_after > 0)
            .then(|| t.fill("rule_escalate", &[("n", &pol.escalate_after.to_string())])),
    );
    let (promotion, demotion) = idx.grade_rules();
    let mut grade_rules: Vec<String> = promotion.into_iter().chain(demotion).collect();
    if !pol.grades.is_empty() && !grade_rules.is_empty() {
        grade_rules.push(t.fill("rule_grades", &[("grades", &pol.grades.join(" → "))]));
    }
    ctx.insert("grade_rules", &grade_rules);
}
