//! Bonus sources outside the results files: skill competitions (`competitions/*.yaml`),
//! innovations (`innovations.yaml`) and suggestions (`suggestions.yaml`).
use std::collections::{HashMap, HashSet};

use super::check::{P, V};
use super::rules::{self, keys};
use crate::diag::{t, Lang, Problems, Source};
use crate::load::Doc;
use crate::model::*;
use crate::yaml::Value;

/// The competitions, each id used once across the files, sorted by date and id.
pub(super) fn competitions<'a>(
    lang: Lang,
    docs: impl Iterator<Item = &'a Doc>,
    sources: &[Source],
    probs: &mut Problems,
    mgr_idx: &HashMap<String, usize>,
) -> Vec<Competition> {
    let mut competitions = super::one_per_id(
        lang,
        docs,
        sources,
        probs,
        |c, v, _| competition(c, v, mgr_idx),
        |x| &x.id,
        |id, other| {
            t!(
                lang,
                "竞赛编号 \"{}\" 重复：{} 中已使用",
                "duplicate competition id \"{}\": already used in {}",
                id,
                other
            )
        },
    );
    competitions.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    competitions
}

pub(super) fn competition(
    c: &mut V,
    v: &Value,
    mgr_idx: &HashMap<String, usize>,
) -> Option<Competition> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(
        root,
        v,
        &keys::COMPETITION,
        &t!(lang, "技能竞赛", "a competition"),
    )?;
    let id = c.id(root, m, "id", &t!(lang, "竞赛编号", "competition id"));
    let name = c.text(root, m, "name", true);
    let date = c.date(root, m, "date", true);
    let mut results = Vec::new();
    let what = t!(lang, "竞赛成绩", "a competition result");
    c.each_map(
        root,
        m,
        ("results", true),
        (&keys::PLACING, &what),
        |c, (_, p), pm| {
            let manager = c.manager_field(p, pm, "manager", mgr_idx);
            let place = c.int(p, pm, "place", 1).map(|x| x as u32);
            let prize = c.text(p, pm, "prize", false);
            let bonus = c.num(p, pm, "bonus", false, rules::BONUS).unwrap_or(0.0);
            if let Some(manager) = manager {
                results.push(Placing {
                    manager,
                    place,
                    prize,
                    bonus,
                });
            }
        },
    );
    Some(Competition {
        id: id?,
        name: name?,
        date: date?,
        results,
    })
}

pub(super) fn innovations(
    c: &mut V,
    v: &Value,
    mgr_idx: &HashMap<String, usize>,
) -> Vec<Innovation> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &keys::INNOVATIONS_FILE, "innovations.yaml") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let what = t!(lang, "创新成果", "an innovation");
    c.each_map(
        root,
        m,
        ("innovations", true),
        (&keys::INNOVATION, &what),
        |c, (_, p), im| {
            let id = c.id(p, im, "id", &t!(lang, "创新成果编号", "innovation id"));
            let title = c.text(p, im, "title", true);
            let month = c.month(p, im, "month");
            let mp = p.k("managers");
            let mut managers = Vec::new();
            for (j, mv) in c.seq(p, im, "managers", true).iter().enumerate() {
                if let Some(x) = c.manager(mp.i(j), mv, mgr_idx) {
                    managers.push(x);
                }
            }
            let grade = c.text(p, im, "grade", false);
            let bonus = c.num(p, im, "bonus", false, rules::BONUS).unwrap_or(0.0);
            if let (Some(id), Some(title), Some(month)) = (id, title, month) {
                if !seen.insert(id.clone()) {
                    c.err(
                        p.k("id"),
                        t!(
                            lang,
                            "创新成果编号 \"{}\" 重复",
                            "duplicate innovation id \"{}\"",
                            id
                        ),
                    );
                    return;
                }
                out.push(Innovation {
                    id,
                    title,
                    month,
                    managers,
                    grade,
                    bonus,
                });
            }
        },
    );
    out
}

pub(super) fn suggestions(
    c: &mut V,
    v: &Value,
    mgr_idx: &HashMap<String, usize>,
) -> Vec<Suggestion> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &keys::SUGGESTIONS_FILE, "suggestions.yaml") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let what = t!(lang, "建议", "a suggestion");
    c.each_map(
        root,
        m,
        ("suggestions", true),
        (&keys::SUGGESTION, &what),
        |c, (_, p), sm| {
            let manager = c.manager_field(p, sm, "manager", mgr_idx);
            let month = c.month(p, sm, "month");
            let kind = match sm.get("kind").and_then(Value::as_str) {
                Some("supply") => Some(SuggestionKind::Supply),
                Some("allocation") => Some(SuggestionKind::Allocation),
                _ => {
                    let found = sm
                        .get("kind")
                        .map(|v| c.describe(v))
                        .unwrap_or_else(|| t!(lang, "（未填写）", "(missing)"));
                    c.err(
                        p.k("kind"),
                        t!(
                            lang,
                            "建议类型应为 supply（货源需求）或 allocation（区域投放），实际是 {}",
                            "\"kind\" must be supply or allocation, found {}",
                            found
                        ),
                    );
                    None
                }
            };
            let text = c.text(p, sm, "text", true);
            let adopted = c.boolean(p, sm, "adopted", false).unwrap_or(false);
            if let (Some(manager), Some(month), Some(kind), Some(text)) =
                (manager, month, kind, text)
            {
                out.push(Suggestion {
                    manager,
                    month,
                    kind,
                    text,
                    adopted,
                });
            }
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect, manager_index, problems, site};
    use super::*;

    fn idx() -> HashMap<String, usize> {
        manager_index(&site().1)
    }

    #[test]
    fn competitions_with_one_id_across_files() {
        let idx = idx();
        let sources: Vec<Source> = ["c/a.yaml", "c/b.yaml"]
            .iter()
            .map(|d| Source {
                display: d.to_string(),
                path: d.into(),
                text: None,
            })
            .collect();
        let doc = |source, yaml: &str| Doc {
            source,
            role: crate::load::Role::Competition,
            value: Some(crate::yaml::parse(yaml).unwrap()),
            body: String::new(),
        };
        let a = "id: c1\nname: C\ndate: 2026-03-01\nresults:\n  - {manager: li-na, place: 0, bonus: -1}\n  - {place: 2}\n";
        let b = "id: c1\nname: C\ndate: 2026-02-01\nresults: []\n";
        let mut probs = Problems::default();
        let out = competitions(
            Lang::En,
            [doc(0, a), doc(1, b)].iter(),
            &sources,
            &mut probs,
            &idx,
        );
        assert_eq!(
            problems(&probs),
            expect(&[
                (
                    "results[0].place",
                    "\"place\" must be a whole number >= 1, found 0 (a number)"
                ),
                (
                    "results[0].bonus",
                    "\"bonus\" is -1, out of range: expected a number >= 0"
                ),
                (
                    "results[1].manager",
                    "missing required key \"manager\" (expected a manager id)"
                ),
                (
                    "id",
                    "duplicate competition id \"c1\": already used in c/a.yaml"
                ),
            ])
        );
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn innovations_and_suggestions() {
        let idx = idx();
        let (out, p) = check(Lang::En, "innovations:\n  - {id: i1, title: A, month: 2026-01, managers: [li-na, nobody]}\n  - {id: i1, title: B, month: 2026-02, managers: [li-na]}\n", |c, v| innovations(c, v, &idx));
        assert_eq!(
            p,
            expect(&[
                (
                    "innovations[0].managers[1]",
                    "unknown manager \"nobody\": expected an id from managers.yaml"
                ),
                ("innovations[1].id", "duplicate innovation id \"i1\""),
            ])
        );
        assert_eq!(out.len(), 1);
        let (out, p) = check(Lang::Zh, "suggestions:\n  - {manager: li-na, month: 2026-01, kind: price, text: T}\n  - {manager: li-na, month: 2026-01, kind: supply, text: T, adopted: true}\n", |c, v| suggestions(c, v, &idx));
        assert_eq!(p, expect(&[("suggestions[0].kind", "建议类型应为 supply（货源需求）或 allocation（区域投放），实际是 \"price\"（文本）")]));
        assert_eq!(out.len(), 1);
        assert!(out[0].adopted);
    }
}
