//! Bonus sources outside the results files: skill competitions (`competitions/*.yaml`),
//! innovations (`innovations.yaml`) and suggestions (`suggestions.yaml`).
use std::collections::{HashMap, HashSet};

use super::check::{Range, P, V};
use crate::diag::t;
use crate::model::*;
use crate::yaml::Value;

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
        &["id", "name", "date", "results"],
        &t!(lang, "技能竞赛", "a competition"),
    )?;
    let id = c.id(root, m, "id", &t!(lang, "竞赛编号", "competition id"));
    let name = c.text(root, m, "name", true);
    let date = c.date(root, m, "date", true);
    let rp = root.k("results");
    let mut results = Vec::new();
    for (i, item) in c.seq(root, m, "results", true).iter().enumerate() {
        let p = rp.i(i);
        let Some(pm) = c.map(
            p,
            item,
            &["manager", "place", "prize", "bonus"],
            &t!(lang, "竞赛成绩", "a competition result"),
        ) else {
            continue;
        };
        let manager = match pm.get("manager") {
            None | Some(Value::Null) => {
                c.missing(p, "manager", &t!(lang, "客户经理编号", "a manager id"));
                None
            }
            Some(mv) => c.manager(p.k("manager"), mv, mgr_idx),
        };
        let place = c.int(p, pm, "place", 1).map(|x| x as u32);
        let prize = c.text(p, pm, "prize", false);
        let bonus = c
            .num(p, pm, "bonus", false, Range::AtLeast(0.0))
            .unwrap_or(0.0);
        if let Some(manager) = manager {
            results.push(Placing {
                manager,
                place,
                prize,
                bonus,
            });
        }
    }
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
    let Some(m) = c.map(root, v, &["innovations"], "innovations.yaml") else {
        return Vec::new();
    };
    let ip = root.k("innovations");
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in c.seq(root, m, "innovations", true).iter().enumerate() {
        let p = ip.i(i);
        let Some(im) = c.map(
            p,
            item,
            &["id", "title", "month", "managers", "grade", "bonus"],
            &t!(lang, "创新成果", "an innovation"),
        ) else {
            continue;
        };
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
        let bonus = c
            .num(p, im, "bonus", false, Range::AtLeast(0.0))
            .unwrap_or(0.0);
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
                continue;
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
    }
    out
}

pub(super) fn suggestions(
    c: &mut V,
    v: &Value,
    mgr_idx: &HashMap<String, usize>,
) -> Vec<Suggestion> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &["suggestions"], "suggestions.yaml") else {
        return Vec::new();
    };
    let sp = root.k("suggestions");
    let mut out = Vec::new();
    for (i, item) in c.seq(root, m, "suggestions", true).iter().enumerate() {
        let p = sp.i(i);
        let Some(sm) = c.map(
            p,
            item,
            &["manager", "month", "kind", "text", "adopted"],
            &t!(lang, "建议", "a suggestion"),
        ) else {
            continue;
        };
        let manager = match sm.get("manager") {
            None | Some(Value::Null) => {
                c.missing(p, "manager", &t!(lang, "客户经理编号", "a manager id"));
                None
            }
            Some(mv) => c.manager(p.k("manager"), mv, mgr_idx),
        };
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
        if let (Some(manager), Some(month), Some(kind), Some(text)) = (manager, month, kind, text) {
            out.push(Suggestion {
                manager,
                month,
                kind,
                text,
                adopted,
            });
        }
    }
    out
}
