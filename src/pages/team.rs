//! The team pages: the list of teams and each team's monthly averages and ranks.

use super::*;

pub(super) fn teams(idx: &Index) -> PageCtx {
    let t = idx.t;
    let mut ctx = idx.ctx(1, t.label("nav_teams"), "teams");
    let last = idx.c.scores.months.len().checked_sub(1);
    let mut rows: Vec<(u32, J)> = idx
        .site
        .teams
        .iter()
        .enumerate()
        .map(|(ti, team)| {
            let cur = last.and_then(|l| idx.team_hist[ti][l]);
            let members = idx.site.managers.iter().filter(|m| m.team == ti).count();
            (
                cur.map(|c| c.1).unwrap_or(u32::MAX),
                json!({"id": team.id, "name": team.name, "members": members,
                       "rank": cur.map(|c| c.1), "average": cur.map(|c| c2(c.0)), "ranked": cur.map(|c| c.2)}),
            )
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    ctx.insert("teams", &rows.into_iter().map(|r| r.1).collect::<Vec<_>>());
    ctx.insert(
        "month_label",
        &idx.c.scores.months.last().map(|m| idx.month_label(m.month)),
    );
    ctx
}

pub(super) fn team(idx: &Index, ti: usize) -> PageCtx {
    let t = idx.t;
    let site = idx.site;
    let team = &site.teams[ti];
    let mut ctx = idx.ctx(2, &team.name, "teams");
    ctx.insert("team", &json!({"id": team.id, "name": team.name}));
    let months = &idx.c.scores.months;
    let last = months.len().checked_sub(1);
    let mut members: Vec<(u32, &str, J)> = site
        .managers
        .iter()
        .enumerate()
        .filter(|(_, m)| m.team == ti)
        .map(|(mi, man)| {
            let cur = idx.rows_of[mi]
                .last()
                .filter(|(k, _)| Some(*k) == last)
                .map(|&(k, ri)| &months[k].rows[ri]);
            let mut v = idx.mgr(mi);
            v["grade"] = json!(man.grade);
            v["left"] = json!(man.left.map(|d| d.to_string()));
            v["rank"] = json!(cur.map(|r| r.rank));
            v["total"] = json!(cur.map(|r| f2(r.total)));
            v["veto"] = json!(cur.and_then(|r| r.veto.clone()));
            (cur.map(|r| r.rank).unwrap_or(u32::MAX), man.id.as_str(), v)
        })
        .collect();
    members.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    ctx.insert(
        "members",
        &members.into_iter().map(|m| m.2).collect::<Vec<_>>(),
    );
    let hist: Vec<J> = months
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(mi, ms)| {
            idx.team_hist[ti][mi].map(|(avg, rank, n)| {
                json!({"key": ms.month.to_string(), "label": idx.month_label(ms.month), "average": c2(avg),
                       "rank": rank, "of": ms.teams.len(), "managers": n, "overall": idx.months.averages[mi].map(c2)})
            })
        })
        .collect();
    ctx.insert("history", &hist);
    let charts = if months.is_empty() {
        vec![]
    } else {
        vec![chart_view(
            &Chart::Line(LineChart {
                title: t.fill("chart_team_history", &[("team", &team.name)]),
                x_labels: months.iter().map(|m| m.month.to_string()).collect(),
                series: vec![
                    Series {
                        name: team.name.clone(),
                        values: (0..months.len())
                            .map(|mi| idx.team_hist[ti][mi].map(|x| x.0 as f64 / 100.0))
                            .collect(),
                        dashed: false,
                    },
                    average_series(idx, t.label("overall_average")),
                ],
                y_label: t.label("average").into(),
                invert_y: false,
            }),
            t,
        )]
    };
    ctx.insert("charts", &charts);
    ctx
}
