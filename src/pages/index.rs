//! [`Index`]: everything several pages need, computed once per build (each manager's rows
//! across months, team averages per month, the months' labels and averages from
//! [`crate::present`], trainings and incentives per manager, the ranking table's columns), and
//! the small views built from it that many pages share (ranking rows, team and award rows,
//! headlines, month charts).

use super::*;

/// Everything several pages need, computed once.
pub(super) struct Index<'a> {
    pub(super) site: &'a Site,
    pub(super) c: &'a Computed,
    pub(super) t: &'a Theme,
    /// Per manager: (month index, row index) of every month ranked, in month order.
    pub(super) rows_of: Vec<Vec<(usize, usize)>>,
    /// Per team, per month: (average cents, rank, members ranked).
    pub(super) team_hist: Vec<Vec<Option<(i64, u32, usize)>>>,
    /// Per month index: `YYYY-MM`, the month's label and its average, computed once.
    pub(super) months: present::Months,
    /// Per manager: (session, attendee index).
    pub(super) trainings_of: Vec<Vec<(usize, usize)>>,
    /// Per manager: (competition, placing index).
    pub(super) competitions_of: Vec<Vec<(usize, usize)>>,
    /// Per manager: innovation indices.
    pub(super) innovations_of: Vec<Vec<usize>>,
    /// Per manager: suggestion indices.
    pub(super) suggestions_of: Vec<Vec<usize>>,
    /// Per manager: (month index, award index) won.
    pub(super) awards_of: Vec<Vec<(usize, usize)>>,
    /// Per month index: set of watch-listed managers.
    pub(super) watch_sets: Vec<std::collections::HashSet<usize>>,
    /// Training summaries by period.
    pub(super) summaries: BTreeMap<Period, &'a Summary>,
    /// Columns of the ranking tables and the group header cells (label, span).
    pub(super) cols: Vec<Col>,
    pub(super) groups: Vec<(String, usize)>,
}

impl<'a> Index<'a> {
    pub(super) fn new(site: &'a Site, c: &'a Computed, t: &'a Theme) -> Index<'a> {
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

    pub(super) fn month_label(&self, m: Month) -> String {
        present::month_label(self.t, m)
    }

    pub(super) fn year_label(&self, y: i32) -> String {
        present::year_label(self.t, y)
    }

    pub(super) fn period_label(&self, p: Period) -> String {
        match p {
            Period::Month(m) => self.month_label(m),
            Period::Year(y) => self.year_label(y),
        }
    }

    pub(super) fn kind_label(&self, k: TrainingKind) -> &str {
        self.t.label(match k {
            TrainingKind::PreJob => "kind_pre_job",
            TrainingKind::Routine => "kind_routine",
            TrainingKind::Promotion => "kind_promotion",
            TrainingKind::Vocational => "kind_vocational",
        })
    }

    pub(super) fn change(&self, c: Option<i64>, has_prev: bool) -> Change {
        present::change(self.t, c, has_prev)
    }

    /// The common part of every page's context. `depth` is how many folders below the output
    /// root the page is (its links start with `../` that many times).
    pub(super) fn ctx(&self, depth: usize, title: &str, section: &str) -> PageCtx {
        // `site` is in the theme's global context (see `render_pages`).
        let mut ctx = PageCtx::new();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("title", title);
        ctx.insert("section", section);
        ctx
    }

    pub(super) fn mgr(&self, m: usize) -> J {
        let man = &self.site.managers[m];
        json!({"id": man.id, "name": man.name, "team": self.site.teams[man.team].name, "team_id": self.site.teams[man.team].id})
    }

    pub(super) fn row_cells(&self, r: &Row) -> Vec<String> {
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

    pub(super) fn col_heads(&self) -> Vec<J> {
        let inds = &self.site.config.indicators;
        self.cols
            .iter()
            .map(|c| match c {
                Col::Indicator(i) => json!({"label": inds[*i].name, "subtotal": false}),
                Col::Subtotal(_) => json!({"label": self.t.label("subtotal"), "subtotal": true}),
            })
            .collect()
    }

    pub(super) fn ranking_row<'s>(&'s self, ms: &MonthScore, r: &'s Row) -> RankRow<'s> {
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
    pub(super) fn mref(&self, m: usize) -> ManagerRef<'a> {
        let man = &self.site.managers[m];
        let team = &self.site.teams[man.team];
        ManagerRef {
            id: &man.id,
            name: &man.name,
            team: &team.name,
            team_id: &team.id,
        }
    }

    pub(super) fn month_charts(&self, ms: &MonthScore) -> Vec<ChartView> {
        let t = self.t;
        let ml = &self.months.labels[ms.index];
        let site = self.site;
        vec![
            chart_view(&specs::distribution(t, ml, ms), t),
            chart_view(&specs::team_averages(t, ml, site, ms), t),
            chart_view(&specs::indicator_averages(t, ml, site, ms), t),
        ]
    }

    pub(super) fn team_rows(&self, ms: &MonthScore) -> Vec<J> {
        ms.teams
            .iter()
            .map(|tr| {
                json!({"rank": tr.rank, "id": self.site.teams[tr.team].id, "name": self.site.teams[tr.team].name,
                       "managers": tr.managers.len(), "average": c2(tr.average_cents)})
            })
            .collect()
    }

    pub(super) fn award_rows(&self, ms: &MonthScore) -> Vec<J> {
        ms.awards
            .iter()
            .map(|a| {
                json!({"name": self.site.config.awards[a.award].name,
                       "managers": a.managers.iter().map(|&m| self.mgr(m)).collect::<Vec<_>>()})
            })
            .collect()
    }

    pub(super) fn watch_rows(&self, ms: &MonthScore) -> Vec<J> {
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

    pub(super) fn training_brief(&self, p: Period) -> J {
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

    pub(super) fn headline(&self, ms: &MonthScore) -> J {
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

pub(super) fn ms_index(idx: &Index, ms: &MonthScore) -> usize {
    // MonthScore::index is the index into Site::months, which is also the index of the
    // MonthScore (one per results file, in month order).
    let _ = idx;
    ms.index
}
