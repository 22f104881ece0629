//! Training: the plan (`training-plan.yaml`) and the sessions (`trainings/**/*.yaml`) with their
//! kind, hours, plan and attendance (present, excused, score).
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::check::{shown, suggest, P, V};
use super::results::manager_key;
use super::rules::{self, keys};
use crate::diag::{t, Lang, Problems, Source};
use crate::load::Doc;
use crate::model::*;
use crate::yaml::Value;

/// The training sessions, each id used once across the files, sorted by date and id. A
/// session's document is usually not parsed yet (`value` is `None`): it is then read from its
/// source's text.
pub(super) fn trainings<'a>(
    lang: Lang,
    docs: impl Iterator<Item = &'a Doc>,
    sources: &[Source],
    probs: &mut Problems,
    mgr_idx: &HashMap<String, usize>,
    plans: &[Plan],
) -> Vec<Training> {
    let plan_idx: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let fast = super::fast::TrainingContext {
        mgr_idx,
        plan_idx: &plan_idx,
    };
    // Each session is checked on its own, in parallel (a clean one straight from its text);
    // then, in file order, an id used by an earlier file is reported.
    let docs: Vec<&Doc> = docs.collect();
    let checked: Vec<(Option<Training>, Problems)> = docs
        .par_iter()
        .map(|d| {
            let mut p = Problems::default();
            let file = &sources[d.source].display;
            let full = |v: &Value, p: &mut Problems| {
                let mut c = V::new(lang, d.source, p);
                training(&mut c, v, file.clone(), mgr_idx, &plan_idx, plans)
            };
            let t = match (&d.value, sources[d.source].text.as_deref()) {
                (Some(v), _) => full(v, &mut p),
                (None, Some(text)) => super::fast::training(&fast, text, file).or_else(|| {
                    match crate::load::parse_data(file, text, lang) {
                        Ok(v) => full(&v?, &mut p),
                        Err(e) => {
                            p.located.push(e);
                            None
                        }
                    }
                }),
                (None, None) => None,
            };
            (t, p)
        })
        .collect();
    let mut trainings = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (d, (t, p)) in docs.iter().zip(checked) {
        probs.extend(p);
        let Some(t) = t else { continue };
        let file = sources[d.source].display.as_str();
        if let Some(other) = seen.insert(t.id.clone(), file) {
            let msg = t!(
                lang,
                "培训编号 \"{}\" 重复：{} 中已使用",
                "duplicate training id \"{}\": already used in {}",
                t.id,
                other
            );
            V::new(lang, d.source, probs).err(P::ROOT.k("id"), msg);
        } else {
            trainings.push(t);
        }
    }
    trainings.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    trainings
}

pub(super) fn plans(c: &mut V, v: &Value) -> Vec<Plan> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &keys::PLAN_FILE, "training-plan.yaml") else {
        return Vec::new();
    };
    let mut out: Vec<Plan> = Vec::new();
    let mut seen = HashSet::new();
    let what = t!(lang, "培训计划项", "a plan entry");
    c.each_map(
        root,
        m,
        ("plans", true),
        (&keys::PLAN, &what),
        |c, (_, p), pm| {
            let id = c.id(p, pm, "id", &t!(lang, "计划编号", "plan id"));
            let month = c.month(p, pm, "month");
            let title = c.text(p, pm, "title", true);
            let kind = kind(c, p, pm, false);
            if let (Some(id), Some(month), Some(title)) = (id, month, title) {
                if !seen.insert(id.clone()) {
                    c.err(
                        p.k("id"),
                        t!(lang, "计划编号 \"{}\" 重复", "duplicate plan id \"{}\"", id),
                    );
                    return;
                }
                out.push(Plan {
                    id,
                    month,
                    title,
                    kind: kind.flatten(),
                });
            }
        },
    );
    out
}

pub(super) fn kind(
    c: &mut V,
    p: P,
    m: &yaml_serde::Mapping,
    required: bool,
) -> Option<Option<TrainingKind>> {
    let lang = c.lang;
    match m.get("kind") {
        None | Some(Value::Null) => {
            if required {
                c.missing(p, "kind", "pre_job, routine, promotion, vocational");
                None
            } else {
                Some(None)
            }
        }
        Some(v) => match v.as_str().and_then(TrainingKind::parse) {
            Some(k) => Some(Some(k)),
            None => {
                let d = c.describe(v);
                c.err(p.k("kind"), t!(lang, "培训类型应为 pre_job（岗前）、routine（日常）、promotion（晋升）或 vocational（职业技能鉴定），实际是 {}", "\"kind\" must be pre_job, routine, promotion or vocational, found {}", d));
                None
            }
        },
    }
}

pub(super) fn training(
    c: &mut V,
    v: &Value,
    file: String,
    mgr_idx: &HashMap<String, usize>,
    plan_idx: &HashMap<&str, usize>,
    plans: &[Plan],
) -> Option<Training> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(
        root,
        v,
        &keys::SESSION,
        &t!(lang, "培训记录", "a training session"),
    )?;
    let id = c.id(root, m, "id", &t!(lang, "培训编号", "training id"));
    let title = c.text(root, m, "title", true);
    let date = c.date(root, m, "date", true);
    let kind = kind(c, root, m, true).flatten();
    let topic = c.text(root, m, "topic", false);
    let hours = c.num(root, m, "hours", true, rules::HOURS);
    let instructor = c.text(root, m, "instructor", false);
    let plan = match m.get("plan") {
        None | Some(Value::Null) => Some(None),
        Some(pv) => {
            let s = pv.as_str().map(str::to_string).unwrap_or_else(|| shown(pv));
            match plan_idx.get(s.as_str()) {
                Some(&i) => Some(Some(i)),
                None => {
                    let hint = suggest(&s, plans.iter().map(|p| p.id.as_str()))
                        .map(|h| t!(lang, "（是否应为 \"{}\"？）", " (did you mean \"{}\"?)", h))
                        .unwrap_or_default();
                    c.err(
                        root.k("plan"),
                        t!(
                            lang,
                            "未知的培训计划 \"{}\"{}：应为 training-plan.yaml 中的计划编号",
                            "unknown plan \"{}\"{}: expected a plan id from training-plan.yaml",
                            s,
                            hint
                        ),
                    );
                    None
                }
            }
        }
    };
    let ap = root.k("attendees");
    let mut attendees = Vec::new();
    match m.get("attendees") {
        None | Some(Value::Null) => c.missing(
            root,
            "attendees",
            &t!(
                lang,
                "客户经理编号到出勤情况的映射",
                "a mapping of manager id to attendance"
            ),
        ),
        Some(av) => {
            c.is_map(ap, av, "attendees");
            if let Value::Mapping(am) = av {
                for (k, ev) in am {
                    let key = k.as_str().map(str::to_string).unwrap_or_else(|| shown(k));
                    let Some(mi) = manager_key(c, ap, &key, mgr_idx) else {
                        continue;
                    };
                    let p = ap.k(&key);
                    let Some(em) = c.map(
                        p,
                        ev,
                        &keys::ATTENDANCE,
                        &t!(lang, "出勤情况", "attendance"),
                    ) else {
                        continue;
                    };
                    let present = c.boolean(p, em, "present", true);
                    let excused = c.boolean(p, em, "excused", false).unwrap_or(false);
                    let score = c.num(p, em, "score", false, rules::SCORE);
                    let reason = c.text(p, em, "reason", false);
                    if present == Some(false) && score.is_some() {
                        c.err(p.k("score"), t!(lang, "缺勤人员不能有成绩：只有 present: true 时才填写 score", "an absent attendee cannot have a score: give score only with present: true"));
                    }
                    if present == Some(true) && excused {
                        c.err(
                            p.k("excused"),
                            t!(
                                lang,
                                "出勤人员不需要 excused：只有 present: false 时才填写请假",
                                "excused applies only to absent attendees (present: false)"
                            ),
                        );
                    }
                    if let Some(present) = present {
                        attendees.push(Attendance {
                            manager: mi,
                            present,
                            excused,
                            score,
                            reason,
                        });
                    }
                }
            }
        }
    }
    Some(Training {
        id: id?,
        title: title?,
        date: date?,
        kind: kind?,
        topic,
        hours: hours?,
        instructor,
        plan: plan?,
        attendees,
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect, manager_index, problems, site};
    use super::*;

    fn doc(source: usize, yaml: &str) -> Doc {
        Doc {
            source,
            role: crate::load::Role::Training,
            value: Some(crate::yaml::parse(yaml).unwrap()),
            body: String::new(),
        }
    }

    #[test]
    fn plans_and_sessions() {
        let (plans, p) = check(Lang::En, "plans:\n  - {id: p1, month: 2026-01, title: A}\n  - {id: p1, month: 2026-02, title: B, kind: lecture}\n", plans);
        assert_eq!(
            p,
            expect(&[
                ("plans[1].kind", "\"kind\" must be pre_job, routine, promotion or vocational, found \"lecture\" (text)"),
                ("plans[1].id", "duplicate plan id \"p1\""),
            ])
        );
        let (_, managers) = site();
        let idx: HashMap<String, usize> = manager_index(&managers);
        let sources: Vec<Source> = ["t/a.yaml", "t/b.yaml", "t/c.yaml"]
            .iter()
            .map(|d| Source {
                display: d.to_string(),
                path: d.into(),
                text: None,
            })
            .collect();
        let a = "id: t1\ntitle: T\ndate: 2026-01-10\nkind: routine\nhours: 2\nplan: p1\nattendees:\n  li-na: {present: false, score: 80}\n  zhang-wei: {present: true, excused: true}\n";
        let b = "id: t1\ntitle: T\ndate: 2026-01-11\nkind: routine\nhours: 2\nplan: p1\nattendees: {li-na: {present: true, score: 90}}\n";
        let c = "id: t2\ntitle: T\ndate: 2026-01-12\nkind: routine\nhours: 2\nplan: p2\nattendees: {}\n";
        let mut probs = Problems::default();
        let t = trainings(
            Lang::En,
            [doc(0, a), doc(1, b), doc(2, c)].iter(),
            &sources,
            &mut probs,
            &idx,
            &plans,
        );
        assert_eq!(
            problems(&probs),
            expect(&[
                ("attendees.li-na.score", "an absent attendee cannot have a score: give score only with present: true"),
                ("attendees.zhang-wei.excused", "excused applies only to absent attendees (present: false)"),
                ("id", "duplicate training id \"t1\": already used in t/a.yaml"),
                ("plan", "unknown plan \"p2\" (did you mean \"p1\"?): expected a plan id from training-plan.yaml"),
            ])
        );
        assert_eq!(probs.pending[2].file, 1, "reported in the second file");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].file, "t/a.yaml");
    }
}
