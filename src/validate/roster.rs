//! `managers.yaml`: the teams and the roster (ids, names, team, grade, joined / left dates,
//! email), and each manager's grade against the `grades` ladder of `site.yaml`.
use std::collections::{HashMap, HashSet};

use super::check::{shown, suggest, P, V};
use super::rules::keys;
use crate::diag::t;
use crate::model::*;
use crate::yaml::Value;

/// With a grade ladder, every manager's `grade`, when given, must be one of its entries.
pub(super) fn check_grades(c: &mut V, v: &Value, grades: &[String]) {
    if grades.is_empty() {
        return;
    }
    let Some(Value::Sequence(items)) = v.get("managers") else {
        return;
    };
    let mp = P::ROOT.k("managers");
    for (i, item) in items.iter().enumerate() {
        // A grade that is not a scalar is already reported as not text.
        let Some(g) = item
            .get("grade")
            .filter(|g| !g.is_null() && !matches!(g, Value::Sequence(_) | Value::Mapping(_)))
        else {
            continue;
        };
        let s = g.as_str().map(str::to_string).unwrap_or_else(|| shown(g));
        if grades.contains(&s) {
            continue;
        }
        let p = mp.i(i);
        let hint = suggest(&s, grades.iter().map(String::as_str))
            .map(|h| {
                t!(
                    c.lang,
                    "（是否应为 \"{}\"？）",
                    " (did you mean \"{}\"?)",
                    h
                )
            })
            .unwrap_or_default();
        c.err(
            p.k("grade"),
            t!(
                c.lang,
                "职级 \"{}\" 不在 site.yaml 的 grades 职级序列中：应为 {} 之一{}",
                "grade \"{}\" is not on the grade ladder (grades in site.yaml): expected one of {}{}",
                s,
                grades.join(", "),
                hint
            ),
        );
    }
}

pub(super) fn roster(c: &mut V, v: &Value) -> Option<(Vec<Team>, Vec<Manager>)> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(root, v, &keys::MANAGERS_FILE, "managers.yaml")?;
    let mut teams = Vec::new();
    let mut team_idx: HashMap<String, usize> = HashMap::new();
    let what = t!(lang, "片区", "a team");
    c.each_map(
        root,
        m,
        ("teams", true),
        (&keys::TEAM, &what),
        |c, (_, p), tm| {
            let id = c.id(p, tm, "id", &t!(lang, "片区编号", "team id"));
            let name = c.text(p, tm, "name", true);
            if let (Some(id), Some(name)) = (id, name) {
                if team_idx.contains_key(&id) {
                    c.err(
                        p.k("id"),
                        t!(lang, "片区编号 \"{}\" 重复", "duplicate team id \"{}\"", id),
                    );
                    return;
                }
                team_idx.insert(id.clone(), teams.len());
                teams.push(Team { id, name });
            }
        },
    );
    let mut managers: Vec<Manager> = Vec::new();
    let mp = root.k("managers");
    let mut seen = HashSet::new();
    // Each email (trimmed, ignoring case) and the first manager who has it, by index.
    let mut emails: HashMap<String, (String, usize)> = HashMap::new();
    let what = t!(lang, "客户经理", "a manager");
    c.each_map(root, m, ("managers", true), (&keys::MANAGER, &what), |c, (i, p), mm| {
        let id = c.id(p, mm, "id", &t!(lang, "客户经理编号", "manager id"));
        let name = c.text(p, mm, "name", true);
        let team = match mm.get("team") {
            None | Some(Value::Null) => {
                c.missing(p, "team", &t!(lang, "片区编号", "a team id"));
                None
            }
            Some(tv) => {
                let s = tv.as_str().map(str::to_string).unwrap_or_else(|| shown(tv));
                match team_idx.get(&s) {
                    Some(&t) => Some(t),
                    None => {
                        let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
                        c.err(
                            p.k("team"),
                            t!(
                                lang,
                                "未知的片区 \"{}\"：应为 teams 中的编号之一（{}）",
                                "unknown team \"{}\": expected one of the team ids ({})",
                                s,
                                ids.join(", ")
                            ),
                        );
                        None
                    }
                }
            }
        };
        let grade = c.text(p, mm, "grade", false);
        let joined = c.date(p, mm, "joined", false);
        let left = c.date(p, mm, "left", false);
        let email = c.text(p, mm, "email", false);
        if let Some(e) = &email {
            if !e.contains('@') || e.contains(char::is_whitespace) {
                c.err(
                    p.k("email"),
                    t!(
                        lang,
                        "邮箱地址 \"{}\" 格式不正确（例如 zhangwei@example.com）",
                        "\"{}\" is not an email address (e.g. zhangwei@example.com)",
                        e
                    ),
                );
            }
        }
        if let (Some(e), Some(me)) = (&email, &id) {
            match emails.get(&e.trim().to_lowercase()) {
                // Both are reported, each at its own email, naming the other: with
                // `personal_pay` one would receive the other's pay.
                Some((other, j)) => {
                    for (at, a, b) in [(*j, other, me), (i, me, other)] {
                        c.err(
                            mp.i(at).k("email"),
                            t!(
                                lang,
                                "客户经理 {} 与 {} 的邮箱相同（\"{}\"，不区分大小写和首尾空格）：每人应有自己的邮箱，否则个人通报（可能含绩效工资）会发给别人",
                                "managers {} and {} have the same email (\"{}\", ignoring case and surrounding spaces): each needs their own, or one would receive the other's personal bulletin (which may hold pay)",
                                a,
                                b,
                                e.trim()
                            ),
                        );
                    }
                }
                None => {
                    emails.insert(e.trim().to_lowercase(), (me.clone(), i));
                }
            }
        }
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                c.err(
                    p.k("left"),
                    t!(
                        lang,
                        "离岗日期 {} 早于入职日期 {}",
                        "left date {} is before the joined date {}",
                        l,
                        j
                    ),
                );
            }
        }
        // A manager whose team is wrong is still registered (with no team) so that the
        // results naming them do not cascade into further errors; the site is not built.
        if let (Some(id), Some(name), Some(team)) = (id, name, team.or(Some(usize::MAX))) {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
                    t!(
                        lang,
                        "客户经理编号 \"{}\" 重复",
                        "duplicate manager id \"{}\"",
                        id
                    ),
                );
                return;
            }
            managers.push(Manager {
                id,
                name,
                team,
                grade,
                joined,
                left,
                email,
            });
        }
    });
    Some((teams, managers))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect, MANAGERS};
    use super::*;
    use crate::diag::Lang;

    #[test]
    fn teams_and_managers() {
        let (r, p) = check(Lang::En, MANAGERS, roster);
        assert_eq!(p, []);
        let (teams, managers) = r.unwrap();
        assert_eq!((teams.len(), managers.len()), (2, 3));
        assert_eq!(managers[1].team, 1);
        let yaml = "teams:\n  - {id: north, name: North}\n  - {id: north, name: N2}\nmanagers:\n  - {id: a, name: A, team: nort, joined: 2020-05-01, left: 2020-01-31}\n  - {id: a, name: A2, team: north, email: a.example.com}\n  - {id: B, name: B, team: north}\n";
        let (r, p) = check(Lang::En, yaml, roster);
        assert_eq!(
            p,
            expect(&[
                ("teams[1].id", "duplicate team id \"north\""),
                ("managers[0].team", "unknown team \"nort\": expected one of the team ids (north)"),
                ("managers[0].left", "left date 2020-01-31 is before the joined date 2020-05-01"),
                ("managers[1].email", "\"a.example.com\" is not an email address (e.g. zhangwei@example.com)"),
                ("managers[1].id", "duplicate manager id \"a\""),
                ("managers[2].id", "manager id \"B\" is not a valid id: use lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters (e.g. zhang-wei)"),
            ])
        );
        // The manager with an unknown team is still registered, so that results naming them
        // do not cascade into further errors.
        assert_eq!(r.unwrap().1.len(), 1);
    }

    #[test]
    fn grades_on_the_ladder() {
        let yaml = "managers:\n  - {id: a, grade: Grade 3}\n  - {id: b, grade: Grade 9}\n  - {id: c, grade: Grade3}\n  - {id: d}\n";
        let ladder = ["Grade 3".to_string(), "Grade 2".to_string()];
        let (_, p) = check(Lang::En, yaml, |c, v| check_grades(c, v, &ladder));
        assert_eq!(
            p,
            expect(&[
                ("managers[1].grade", "grade \"Grade 9\" is not on the grade ladder (grades in site.yaml): expected one of Grade 3, Grade 2 (did you mean \"Grade 2\"?)"),
                ("managers[2].grade", "grade \"Grade3\" is not on the grade ladder (grades in site.yaml): expected one of Grade 3, Grade 2 (did you mean \"Grade 3\"?)"),
            ])
        );
        let (_, p) = check(Lang::En, yaml, |c, v| check_grades(c, v, &[]));
        assert_eq!(p, [], "no ladder, no check");
    }
}
