//! One row of the sheet: its manager, its indicator values and its bonus or deduction items,
//! each cell checked with a message naming it; and the check of a 0–100 column typed as
//! fractions.

use super::*;
use crate::validate::rules::{self, value_rules, Part, Range};

/// The manager of row `r`, by id (checked against the name when both are given) or by name.
pub(super) fn row_manager(
    site: &Site,
    table: &Table,
    r: usize,
    id_col: Option<usize>,
    name_col: Option<usize>,
    errs: &mut Vec<String>,
) -> Option<usize> {
    let lang = site.config.language;
    let at = |r: usize, c: usize| table.cell_ref(r, c);
    let id = id_col.map(|c| table.get(r, c).text()).unwrap_or_default();
    let name = name_col.map(|c| table.get(r, c).text()).unwrap_or_default();
    if let (Some(c), false) = (id_col, id.is_empty()) {
        match site.managers.iter().position(|m| m.id == id) {
            Some(k) => {
                let m = &site.managers[k];
                if let (Some(nc), false) = (name_col, name.is_empty()) {
                    if name != m.name {
                        errs.push(format!(
                            "{}: {}",
                            at(r, nc),
                            t!(
                                lang,
                                "姓名“{}”与编号 {} 不符：名册（managers.yaml）中 {} 是“{}”",
                                "name \"{}\" does not match id {}: in the roster (managers.yaml) {} is \"{}\"",
                                name,
                                id,
                                id,
                                m.name
                            )
                        ));
                    }
                }
                Some(k)
            }
            None => {
                let hint = site
                    .managers
                    .iter()
                    .max_by_key(|m| (strsim::normalized_levenshtein(&m.id, &id) * 1000.0) as i64)
                    .map(|m| m.id.clone())
                    .unwrap_or_default();
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "名册（managers.yaml）中没有编号为“{}”的客户经理（是否应为“{}”？）",
                        "no manager with id \"{}\" in the roster (managers.yaml) (did you mean \"{}\"?)",
                        id,
                        hint
                    )
                ));
                None
            }
        }
    } else if let (Some(c), false) = (name_col, name.is_empty()) {
        let hits: Vec<usize> = site
            .managers
            .iter()
            .enumerate()
            .filter(|(_, m)| m.name == name)
            .map(|(k, _)| k)
            .collect();
        match hits.len() {
            1 => Some(hits[0]),
            0 => {
                let hint = site
                    .managers
                    .iter()
                    .map(|m| (strsim::normalized_levenshtein(&m.name, &name), &m.name))
                    .filter(|(score, _)| *score >= 0.5)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, n)| t!(lang, "（是否应为“{}”？）", " (did you mean \"{}\"?)", n))
                    .unwrap_or_default();
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "名册（managers.yaml）中没有名叫“{}”的客户经理{}；请核对姓名，或先在名册中添加此人",
                        "no manager named \"{}\" in the roster (managers.yaml){}; check the name or add them to the roster first",
                        name,
                        hint
                    )
                ));
                None
            }
            n => {
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "名册中有 {} 位客户经理名叫“{}”；请增加“编号”列以区分",
                        "{} managers in the roster are named \"{}\"; add an \"id\" column to tell them apart",
                        n,
                        name
                    )
                ));
                None
            }
        }
    } else {
        let c = id_col.or(name_col).unwrap_or(0);
        errs.push(format!(
            "{}: {}",
            at(r, c),
            t!(
                lang,
                "此行有成绩但没有客户经理的编号或姓名",
                "this row has results but no manager id or name"
            )
        ));
        None
    }
}

/// The indicator values of row `r`, in `site.yaml` order (`Value::None` where a cell has a
/// problem, which is recorded).
pub(super) fn row_values(
    site: &Site,
    table: &Table,
    r: usize,
    seen: &HashMap<Col, usize>,
    errs: &mut Vec<String>,
) -> Vec<Value> {
    let lang = site.config.language;
    let inds = &site.config.indicators;
    let col_of = |c: Col| seen.get(&c).copied();
    let mut values = Vec::with_capacity(inds.len());
    for (i, ind) in inds.iter().enumerate() {
        let rules = value_rules(&ind.method);
        // Each number of the value from its column, checked by its rule.
        let mut got = [None; 2];
        for (slot, rule) in got.iter_mut().zip(rules) {
            *slot = col_of(Col::of(i, rule.part)).and_then(|c| {
                let what = rule.part.named(lang, &ind.name);
                let exp = rule.sheet_expected(lang);
                let range = (rule.range, rule.sheet_range(lang));
                checked(table, lang, (r, c), &what, &exp, (range.0, &range.1), errs)
            });
        }
        let v = match (rules.len(), got) {
            (0, _) => Some(Value::None),
            (1, [x, _]) => x.map(Value::Number),
            (_, [Some(actual), Some(target)]) => Some(Value::Ratio { actual, target }),
            _ => None,
        };
        values.push(v.unwrap_or(Value::None));
    }
    values
}

/// The bonus or deduction items of row `r` from its points and reason columns.
pub(super) fn row_items(
    site: &Site,
    table: &Table,
    r: usize,
    seen: &HashMap<Col, usize>,
    (pc, rc): (Col, Col),
    what: &str,
    errs: &mut Vec<String>,
) -> Vec<(f64, String)> {
    let lang = site.config.language;
    let at = |r: usize, c: usize| table.cell_ref(r, c);
    let col_of = |c: Col| seen.get(&c).copied();
    let reason_col = col_of(rc);
    let reason = reason_col
        .map(|c| table.get(r, c).text())
        .unwrap_or_default();
    // Several items in one cell, as `export` writes them: `1；0.5` and `原因一；原因二`.
    if let Some(c) = col_of(pc) {
        let text = match table.get(r, c) {
            Cell::Text(t) if t.contains(['；', ';']) => Some(t.trim().to_string()),
            _ => None,
        };
        if let Some(text) = text {
            let split = |s: &str| -> Vec<String> {
                s.split(['；', ';']).map(|p| p.trim().to_string()).collect()
            };
            let (points, reasons) = (split(&text), split(&reason));
            let parsed: Vec<Option<f64>> = points
                .iter()
                .map(|p| parse_number(p).filter(|x| *x > 0.0 && rules::usable(*x)))
                .collect();
            if points.len() == reasons.len()
                && parsed.iter().all(Option::is_some)
                && reasons.iter().all(|r| !r.is_empty())
            {
                return parsed.into_iter().flatten().zip(reasons).collect();
            }
            errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "{}“{}”有 {} 项，原因“{}”有 {} 项：一格中写多项{}时，分值（大于 0）和原因都用“；”分隔，项数相同",
                        "{} \"{}\" has {} item(s) but its reason \"{}\" has {}: for several {} items in one cell, separate the points (more than 0) and the reasons with \";\", as many of each",
                        what,
                        text,
                        points.len(),
                        reason,
                        reasons.len(),
                        what
                    )
                ));
            return Vec::new();
        }
    }
    let points = match col_of(pc) {
        Some(c) if !table.get(r, c).is_empty() => {
            let range = t!(
                lang,
                "不小于 0（扣分请填在“扣分”列）",
                "0 or more (put deductions in the deductions column)"
            );
            let Some(x) = checked(
                table,
                lang,
                (r, c),
                what,
                &t!(lang, "分值，不小于 0", "points, 0 or more"),
                (rules::ITEM_POINTS, &range),
                errs,
            ) else {
                return Vec::new();
            };
            Some((x, c))
        }
        _ => None,
    };
    match points {
        Some((x, c)) if x > 0.0 => {
            if reason.is_empty() {
                errs.push(format!(
                    "{}: {}",
                    at(r, reason_col.unwrap_or(c)),
                    t!(
                        lang,
                        "{} {} 分没有填写原因：请在“{}原因”列说明",
                        "{} of {} points has no reason: fill in the {} reason column",
                        what,
                        num(x),
                        what
                    )
                ));
                return Vec::new();
            }
            vec![(x, reason)]
        }
        _ => {
            if let (Some(c), false) = (reason_col, reason.is_empty()) {
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "填写了{}原因“{}”，但没有{}分值",
                        "a {} reason \"{}\" is given but no {} points",
                        what,
                        reason,
                        what
                    )
                ));
            }
            Vec::new()
        }
    }
}

/// The number in cell (`r`, `c`), or a problem: empty, or not a number. `what` and
/// `expected` name the value in the message.
fn number(
    table: &Table,
    lang: Lang,
    (r, c): (usize, usize),
    what: &str,
    expected: &str,
    errs: &mut Vec<String>,
) -> Option<f64> {
    let at = |r: usize, c: usize| table.cell_ref(r, c);
    let cell = table.get(r, c);
    let v = match cell {
        Cell::Number(x) | Cell::Percent(x) => Some(*x),
        _ if cell.is_empty() => {
            errs.push(format!(
                "{}: {}",
                at(r, c),
                t!(
                    lang,
                    "单元格为空：应填写“{}”（{}）",
                    "empty cell: expected \"{}\" ({})",
                    what,
                    expected
                )
            ));
            return None;
        }
        Cell::Text(s) => parse_number(s),
        Cell::Empty => None,
    };
    if v.is_none() {
        errs.push(format!(
            "{}: {}",
            at(r, c),
            t!(
                lang,
                "“{}”不是数字：应填写“{}”（{}）",
                "\"{}\" is not a number: expected \"{}\" ({})",
                cell.text(),
                what,
                expected
            )
        ));
    }
    v
}

/// The number in cell (`r`, `c`) (see [`number`]) when it is within `range` and
/// [`usable`](rules::usable) (at most 10¹² in magnitude, as every data file's number); else a
/// problem: out of range, expected `range_text` (or a number of that magnitude).
fn checked(
    table: &Table,
    lang: Lang,
    (r, c): (usize, usize),
    what: &str,
    expected: &str,
    (range, range_text): (Range, &str),
    errs: &mut Vec<String>,
) -> Option<f64> {
    let x = number(table, lang, (r, c), what, expected, errs)?;
    if range.accepts(x) {
        return Some(x);
    }
    let too_large = rules::magnitude(lang);
    let range_text = if rules::usable(x) {
        range_text
    } else {
        &too_large
    };
    errs.push(format!(
        "{}: {}",
        table.cell_ref(r, c),
        t!(
            lang,
            "“{}”的值 {} 超出范围：应为{}",
            "\"{}\" value {} is out of range: expected {}",
            what,
            num(x),
            spaced(lang, range_text)
        )
    ));
    None
}

/// True when the values of part `part` of indicator `i` are on a 0–100 scale: always for
/// `percent`; for `linear`, when its `target` is from 10 to 100; for both `linear` and
/// `ratio`, when the site's other months hold values of it and all of them are above 1.5 and
/// at most 100.
pub(super) fn on_100_scale(site: &Site, month: Month, i: usize, part: Part) -> bool {
    let history: Vec<f64> = site
        .months
        .iter()
        .filter(|m| m.month != month)
        .flat_map(|m| &m.entries)
        .filter_map(|e| match (e.values[i], part) {
            (Value::Number(x), Part::Value) => Some(x),
            (Value::Ratio { actual, .. }, Part::Actual) => Some(actual),
            (Value::Ratio { target, .. }, Part::Target) => Some(target),
            _ => None,
        })
        .collect();
    let history_100 = !history.is_empty() && history.iter().all(|x| *x > 1.5 && *x <= 100.0);
    match site.config.indicators[i].method {
        Method::Percent => true,
        Method::Linear { target, .. } => (10.0..=100.0).contains(&target) || history_100,
        Method::Ratio { .. } => history_100,
        _ => false,
    }
}

/// One message per column of an indicator on a 0–100 scale ([`on_100_scale`]) whose numbers
/// are all from 0 to 1.5, some above 0, none written as a percentage (`96.5%`, or a
/// percent-formatted cell): 0.965 typed for 96.5%. Refused rather than guessed.
pub(super) fn fraction_columns(
    site: &Site,
    month: Month,
    table: &Table,
    hr: usize,
    seen: &HashMap<Col, usize>,
) -> Vec<String> {
    let lang = site.config.language;
    let mut out = Vec::new();
    for (i, ind) in site.config.indicators.iter().enumerate() {
        for rule in value_rules(&ind.method) {
            let part = rule.part;
            let Some(&c) = seen.get(&Col::of(i, part)) else {
                continue;
            };
            if !on_100_scale(site, month, i, part) {
                continue;
            }
            let mut first = None;
            let mut fractions = true;
            let mut above_zero = false;
            for r in hr + 1..table.len() {
                // Empty and non-numeric cells have their own messages; percentages are clear.
                let x = match table.get(r, c) {
                    Cell::Number(x) => *x,
                    Cell::Text(s) if !s.contains(['%', '％']) => match parse_number(s) {
                        Some(x) => x,
                        None => continue,
                    },
                    Cell::Empty => continue,
                    Cell::Text(_) | Cell::Percent(_) => {
                        fractions = false;
                        break;
                    }
                };
                if !(0.0..=1.5).contains(&x) {
                    fractions = false;
                    break;
                }
                above_zero |= x > 0.0;
                first.get_or_insert((r, x));
            }
            let Some((r, x)) = first.filter(|_| fractions && above_zero) else {
                continue;
            };
            let what = part.named(lang, &ind.name);
            let pct = num(crate::workflow::sheet::formats::percent_of(x));
            out.push(format!(
                "{}: {}",
                table.cell_ref(r, c),
                t!(
                    lang,
                    "“{}”一列的数值都不大于 1.5（如 {}），像是把百分数写成了小数；此指标应填 0 到 100 的数，如 {} 或 {}%。请改正后重新导入（见 rankpress help import）",
                    "\"{}\": every value of the column is 1.5 or less (e.g. {}), which looks like percentages written as fractions; this indicator takes 0 to 100, e.g. {} or {}%. Correct the sheet and import again (see rankpress help import)",
                    what,
                    num(x),
                    pct,
                    pct
                )
            ));
        }
    }
    out
}
