//! The sheet's header row: which column holds what (manager id or name, an indicator's value,
//! a ratio's actual or target, bonus, deduction, veto), matched by id, name or a unique part
//! of a name; and the headers `export` writes, each accepted by the importer.

use std::collections::HashMap;

use crate::diag::Lang;
use crate::model::{Method, Site};
use crate::validate::rules::Part;

/// What a header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Col {
    Id,
    Name,
    /// Shown for the keepers' convenience (片区, 备注); ignored.
    Ignored,
    Bonus,
    BonusReason,
    Deduction,
    DeductionReason,
    Veto,
    /// A percent, linear or deduct indicator.
    Value(usize),
    Actual(usize),
    Target(usize),
    /// A ratio indicator named without 实际/目标: an error.
    RatioWhole(usize),
    /// A training indicator: scored from training records, an error here.
    Training(usize),
}

impl Col {
    /// The column of number `part` of indicator `i`.
    pub(super) fn of(i: usize, part: Part) -> Col {
        match part {
            Part::Value => Col::Value(i),
            Part::Actual => Col::Actual(i),
            Part::Target => Col::Target(i),
        }
    }
}

/// Normalises a header: no whitespace, ASCII lower case, full-width forms as ASCII.
pub(super) fn norm(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c as u32 {
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect()
}

pub(super) const ACTUAL: [&str; 5] = [".actual", "_actual", "actual", "实际", "实际值"];
pub(super) const TARGET: [&str; 6] = [".target", "_target", "target", "目标", "任务", "目标值"];

/// Bases an indicator can be named by: id, name, and the name without 完成率/率.
pub(super) fn bases(id: &str, name: &str) -> Vec<String> {
    let mut out = vec![norm(id), norm(name)];
    for suffix in ["完成率", "率"] {
        if let Some(b) = name.strip_suffix(suffix) {
            if b.chars().count() >= 2 {
                out.push(norm(b));
            }
        }
    }
    out.dedup();
    out
}

/// Every accepted header (normalised) of a site's sheet; ambiguous ones are left out.
pub(super) fn header_map(site: &Site) -> HashMap<String, Col> {
    let mut m: HashMap<String, Option<Col>> = HashMap::new();
    let mut add = |k: String, c: Col| {
        m.entry(k)
            .and_modify(|e| {
                if *e != Some(c) {
                    *e = None
                }
            })
            .or_insert(Some(c));
    };
    for (k, c) in [
        ("id", Col::Id),
        ("编号", Col::Id),
        ("name", Col::Name),
        ("姓名", Col::Name),
        ("team", Col::Ignored),
        ("片区", Col::Ignored),
        ("备注", Col::Ignored),
        ("remark", Col::Ignored),
        ("bonus", Col::Bonus),
        ("加分", Col::Bonus),
        ("bonus_reason", Col::BonusReason),
        ("加分原因", Col::BonusReason),
        ("deductions", Col::Deduction),
        ("deduction", Col::Deduction),
        ("扣分", Col::Deduction),
        ("deduction_reason", Col::DeductionReason),
        ("扣分原因", Col::DeductionReason),
        ("veto", Col::Veto),
        ("一票否决", Col::Veto),
    ] {
        add(k.to_string(), c);
    }
    for (i, ind) in site.config.indicators.iter().enumerate() {
        for b in bases(&ind.id, &ind.name) {
            match ind.method {
                Method::Training => add(b, Col::Training(i)),
                Method::Ratio { .. } => {
                    for s in ACTUAL {
                        add(format!("{b}{s}"), Col::Actual(i));
                    }
                    for s in TARGET {
                        add(format!("{b}{s}"), Col::Target(i));
                    }
                    add(b, Col::RatioWhole(i));
                }
                _ => add(b, Col::Value(i)),
            }
        }
    }
    m.into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// Maps a header: exactly, else by a unique indicator whose name contains it (`销量实际` →
/// 卷烟销量完成率, `满意度` → 客户满意度; at least two characters).
pub(super) fn map_header(site: &Site, map: &HashMap<String, Col>, header: &str) -> Option<Col> {
    let h = norm(header);
    if let Some(c) = map.get(&h) {
        return Some(*c);
    }
    let inds = &site.config.indicators;
    let unique = |stem: &str, want_ratio: bool| -> Option<usize> {
        if stem.chars().count() < 2 {
            return None;
        }
        let hits: Vec<usize> = inds
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.method, Method::Ratio { .. }) == want_ratio)
            .filter(|(_, i)| norm(&i.name).contains(stem))
            .map(|(k, _)| k)
            .collect();
        (hits.len() == 1).then(|| hits[0])
    };
    for s in ["实际", "实际值"] {
        if let Some(stem) = h.strip_suffix(s) {
            if let Some(i) = unique(stem, true) {
                return Some(Col::Actual(i));
            }
        }
    }
    for s in ["目标", "任务", "目标值"] {
        if let Some(stem) = h.strip_suffix(s) {
            if let Some(i) = unique(stem, true) {
                return Some(Col::Target(i));
            }
        }
    }
    unique(&h, false).map(|i| match inds[i].method {
        Method::Training => Col::Training(i),
        _ => Col::Value(i),
    })
}

/// The first three headers `export` writes (manager id, name, team), which also tell a sheet
/// it wrote.
pub fn leading_headers(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Zh => ["编号", "姓名", "片区"],
        Lang::En => ["id", "name", "team"],
    }
}

/// The headers `export` writes, one per column, each accepted by the importer.
pub fn template_headers(site: &Site) -> Vec<String> {
    let lang = site.config.language;
    let map = header_map(site);
    let pick = |cands: Vec<String>, want: Col| -> String {
        cands
            .iter()
            .find(|c| map.get(&norm(c)) == Some(&want))
            .cloned()
            .unwrap_or_else(|| cands.last().cloned().unwrap_or_default())
    };
    let mut out: Vec<String> = leading_headers(lang).map(String::from).to_vec();
    for (i, ind) in site.config.indicators.iter().enumerate() {
        let base = ind
            .name
            .strip_suffix("完成率")
            .filter(|b| b.chars().count() >= 2)
            .unwrap_or(&ind.name);
        match (&ind.method, lang) {
            (Method::Training, _) => {}
            (Method::Ratio { .. }, Lang::Zh) => {
                out.push(pick(
                    vec![format!("{base}实际"), format!("{}.actual", ind.id)],
                    Col::Actual(i),
                ));
                out.push(pick(
                    vec![format!("{base}目标"), format!("{}.target", ind.id)],
                    Col::Target(i),
                ));
            }
            (Method::Ratio { .. }, Lang::En) => {
                out.push(format!("{}.actual", ind.id));
                out.push(format!("{}.target", ind.id));
            }
            (_, Lang::Zh) => out.push(pick(vec![ind.name.clone(), ind.id.clone()], Col::Value(i))),
            (_, Lang::En) => out.push(ind.id.clone()),
        }
    }
    out.extend(
        match lang {
            Lang::Zh => ["加分", "加分原因", "扣分", "扣分原因", "一票否决"],
            Lang::En => [
                "bonus",
                "bonus_reason",
                "deductions",
                "deduction_reason",
                "veto",
            ],
        }
        .map(String::from),
    );
    out
}
