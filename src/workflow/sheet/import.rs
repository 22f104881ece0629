//! `import`: a sheet read by [`super::read`] becomes `content/results/YYYY-MM.yaml`. Every
//! problem is reported with its cell, at most [`MAX_ERRORS_SHOWN`] printed; nothing is written
//! unless the whole sheet is clean, and the file written passes the loader's full check.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::headers::{header_map, map_header, norm, template_headers, Col};
use super::read::{read_table, Cell, Table};
use crate::diag::{t, Lang};
use crate::model::{Method, Month, Site, Value};
use crate::site;
use crate::workflow::text::{col_name, num, yaml_str};

/// `s` as it follows Chinese text in a message: with a space before a leading Latin letter or
/// digit (`应为 0 到 100`), none before Chinese (`应为不小于 0`).
pub(super) fn spaced(lang: Lang, s: &str) -> String {
    match (lang, s.chars().next()) {
        (Lang::Zh, Some(c)) if c.is_ascii_alphanumeric() => format!(" {s}"),
        _ => s.to_string(),
    }
}

/// Parses a number as typed: `96.5`, `96.5%`, `1,250`, full-width digits.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let t: String = norm(s)
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let t = t.strip_suffix('%').unwrap_or(&t);
    let x: f64 = t.parse().ok()?;
    x.is_finite().then_some(x)
}

/// One imported row.
#[derive(Debug, Clone)]
pub(super) struct Row {
    manager: usize,
    values: Vec<Value>,
    bonus: Vec<(f64, String)>,
    deduction: Vec<(f64, String)>,
    veto: Option<String>,
}

/// The result of reading a sheet: the YAML to write, how many managers, rows left out.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The text of `content/results/YYYY-MM.yaml`.
    pub yaml: String,
    /// Managers written.
    pub managers: usize,
    /// Notices about rows left out on purpose (every value empty).
    pub skipped: Vec<String>,
}

/// Turns a sheet into a results file of `month`, or every problem as `cell: message`.
/// `note` is kept from the file being replaced.
pub fn import_table(
    site: &Site,
    month: Month,
    table: &Table,
    note: Option<&str>,
) -> Result<Imported, Vec<String>> {
    let lang = site.config.language;
    let map = header_map(site);
    let mut errs: Vec<String> = Vec::new();
    let at = |r: usize, c: usize| table.cell_ref(r, c);

    // The header row: the first of the first 20 rows with a manager column.
    let header_row = (0..table.len().min(20)).find(|&r| {
        table.row(r).any(|(_, c)| {
            matches!(
                map_header(site, &map, &c.text()),
                Some(Col::Id) | Some(Col::Name)
            )
        })
    });
    let Some(hr) = header_row else {
        errs.push(format!(
            "{}: {}",
            at(0, 0),
            t!(
                lang,
                "找不到表头行：表头应有“编号”或“姓名”列，以及各指标的列（见 rankpress help import，或用 rankpress export 生成模板）",
                "no header row found: it needs an \"id\" or \"name\" column and one column per indicator (see rankpress help import, or make a template with rankpress export)"
            )
        ));
        return Err(errs);
    };

    let seen = read_columns(site, &map, table, hr, &mut errs);
    let col_of = |c: Col| seen.get(&c).copied();
    let (id_col, name_col) = (col_of(Col::Id), col_of(Col::Name));

    let first_day = month.first_day();
    let mut rows: Vec<Row> = Vec::new();
    let mut row_of_manager: HashMap<usize, usize> = HashMap::new();
    let mut skipped = Vec::new();
    for r in hr + 1..table.len() {
        if table.row_is_empty(r) {
            continue;
        }
        for (c, cell) in table.row(r) {
            let c = *c;
            if table.get(hr, c).is_empty() && !cell.is_empty() {
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "此列没有表头（第 {} 行为空），无法识别“{}”；请填写列名或删除此列",
                        "this column has no header (row {} is empty there), so \"{}\" cannot be read; name the column or delete it",
                        hr + 1,
                        table.get(r, c).text()
                    )
                ));
            }
        }
        let manager = row_manager(site, table, r, id_col, name_col, &mut errs);
        if let Some(k) = manager {
            let m = &site.managers[k];
            let c = id_col.or(name_col).unwrap_or(0);
            if let Some(left) = m.left.filter(|l| *l < first_day) {
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "{}（{}）已于 {} 离岗，不能列入 {} 的成绩",
                        "{} ({}) left on {} and cannot be ranked in {}",
                        m.name,
                        m.id,
                        left,
                        month
                    )
                ));
            }
            if let Some(prev) = row_of_manager.insert(k, r) {
                errs.push(format!(
                    "{}: {}",
                    at(r, c),
                    t!(
                        lang,
                        "{}（{}）与第 {} 行重复：每人每月只能有一行",
                        "{} ({}) repeats row {}: one row per manager",
                        m.name,
                        m.id,
                        prev + 1
                    )
                ));
            }
        }
        // Rows with no value at all: the manager is not ranked this month.
        let value_cols: Vec<usize> = seen
            .iter()
            .filter(|(c, _)| !matches!(c, Col::Id | Col::Name | Col::Ignored))
            .map(|(_, &i)| i)
            .collect();
        if value_cols.iter().all(|&c| table.get(r, c).is_empty()) {
            if let Some(k) = manager {
                let m = &site.managers[k];
                skipped.push(t!(
                    lang,
                    "{}（{}，第 {} 行）各项均为空，本月不参加排名",
                    "{} ({}, row {}) has no values and is not ranked this month",
                    m.name,
                    m.id,
                    r + 1
                ));
            }
            continue;
        }
        let values = row_values(site, table, r, &seen, &mut errs);
        let bonus = row_items(
            site,
            table,
            r,
            &seen,
            (Col::Bonus, Col::BonusReason),
            &t!(lang, "加分", "bonus"),
            &mut errs,
        );
        let deduction = row_items(
            site,
            table,
            r,
            &seen,
            (Col::Deduction, Col::DeductionReason),
            &t!(lang, "扣分", "deduction"),
            &mut errs,
        );
        let veto = col_of(Col::Veto)
            .map(|c| table.get(r, c).text())
            .filter(|s| !s.is_empty());
        if let Some(k) = manager {
            rows.push(Row {
                manager: k,
                values,
                bonus,
                deduction,
                veto,
            });
        }
    }
    errs.extend(fraction_columns(site, month, table, hr, &seen));
    if rows.is_empty() && errs.is_empty() {
        errs.push(format!(
            "{}: {}",
            at(hr, 0),
            t!(
                lang,
                "表中没有任何客户经理的成绩",
                "the sheet has no manager's results"
            )
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // Roster order, so that re-sorting the sheet in Excel changes nothing in git.
    rows.sort_by_key(|r| r.manager);
    let source = match &table.sheet {
        Some(s) => t!(lang, "{}（工作表 {}）", "{} (sheet {})", table.file, s),
        None => table.file.clone(),
    };
    Ok(Imported {
        yaml: results_yaml(site, month, &rows, note, &source),
        managers: rows.len(),
        skipped,
    })
}

/// Maps the header row `hr` to columns: the column of each item found. Unknown, repeated, training and whole-ratio columns, and indicators without a
/// column, are problems.
fn read_columns(
    site: &Site,
    map: &HashMap<String, Col>,
    table: &Table,
    hr: usize,
    errs: &mut Vec<String>,
) -> HashMap<Col, usize> {
    let lang = site.config.language;
    let inds = &site.config.indicators;
    let at = |r: usize, c: usize| table.cell_ref(r, c);
    let width = table.width();
    let mut seen: HashMap<Col, usize> = HashMap::new();
    for c in 0..width {
        let cell = table.get(hr, c);
        if cell.is_empty() {
            continue;
        }
        let h = cell.text();
        match map_header(site, map, &h) {
            Some(Col::Training(i)) => errs.push(format!(
                "{}: {}",
                at(hr, c),
                t!(
                    lang,
                    "“{}”（{}）按培训记录自动计分，不在成绩表中填写；请删除此列",
                    "\"{}\" ({}) is scored from the training records, not from this sheet; delete this column",
                    h,
                    inds[i].name
                )
            )),
            Some(Col::RatioWhole(i)) => errs.push(format!(
                "{}: {}",
                at(hr, c),
                t!(
                    lang,
                    "“{}”是完成率指标，需要两列：实际数和目标数，例如“{}实际”和“{}目标”（或 {}.actual 和 {}.target）",
                    "\"{}\" is a ratio indicator and needs two columns, actual and target, e.g. \"{}.actual\" and \"{}.target\" (or \"{} actual\"/\"{} target\")",
                    h,
                    inds[i].name.strip_suffix("完成率").unwrap_or(&inds[i].name),
                    inds[i].name.strip_suffix("完成率").unwrap_or(&inds[i].name),
                    inds[i].id,
                    inds[i].id
                )
            )),
            Some(col) => {
                if let Some(&first) = seen.get(&col) {
                    errs.push(format!(
                        "{}: {}",
                        at(hr, c),
                        t!(
                            lang,
                            "列“{}”与 {} 列重复：每项只能有一列",
                            "column \"{}\" repeats column {}: one column per item",
                            h,
                            col_name(first)
                        )
                    ));
                } else {
                    seen.insert(col, c);
                }
            }
            None => {
                let mut known: Vec<String> = template_headers(site);
                known.sort_by_key(|k| {
                    std::cmp::Reverse((strsim::normalized_levenshtein(&norm(k), &norm(&h)) * 1000.0) as i64)
                });
                let hint = known
                    .first()
                    .filter(|k| strsim::normalized_levenshtein(&norm(k), &norm(&h)) >= 0.5)
                    .map(|k| t!(lang, "（是否应为“{}”？）", " (did you mean \"{}\"?)", k))
                    .unwrap_or_default();
                errs.push(format!(
                    "{}: {}",
                    at(hr, c),
                    t!(
                        lang,
                        "未知的列“{}”{}；列名应为指标编号或名称，完成率指标用“名称实际”/“名称目标”，见 rankpress help import",
                        "unknown column \"{}\"{}; name columns by indicator id or name, ratio indicators as \"<id>.actual\"/\"<id>.target\"; see rankpress help import",
                        h,
                        hint
                    )
                ));
            }
        }
    }
    let col_of = |c: Col| seen.get(&c).copied();
    for (i, ind) in inds.iter().enumerate() {
        let needed: Vec<Col> = match ind.method {
            Method::Training => vec![],
            Method::Ratio { .. } => vec![Col::Actual(i), Col::Target(i)],
            _ => vec![Col::Value(i)],
        };
        for need in needed {
            if col_of(need).is_none() {
                let what = match need {
                    Col::Actual(_) => t!(lang, "{}（实际）", "{} (actual)", ind.name),
                    Col::Target(_) => t!(lang, "{}（目标）", "{} (target)", ind.name),
                    _ => ind.name.clone(),
                };
                errs.push(format!(
                    "{}: {}",
                    at(hr, 0),
                    t!(
                        lang,
                        "表头缺少“{}”的列（每个指标都要有一列，培训考核除外；可用 rankpress export 生成模板）",
                        "the header has no column for \"{}\" (every indicator needs one, except training; rankpress export writes a template)",
                        what
                    )
                ));
            }
        }
    }
    seen
}

/// The manager of row `r`, by id (checked against the name when both are given) or by name.
fn row_manager(
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
fn row_values(
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
        let v = match ind.method {
            Method::Training => Some(Value::None),
            Method::Ratio { .. } => {
                let a = col_of(Col::Actual(i)).and_then(|c| {
                    let what = t!(lang, "{}（实际）", "{} (actual)", ind.name);
                    checked(
                        table,
                        lang,
                        (r, c),
                        &what,
                        &t!(lang, "实际完成数，不小于 0", "the actual figure, 0 or more"),
                        (|x| x >= 0.0, &t!(lang, "不小于 0", "0 or more")),
                        errs,
                    )
                });
                let t = col_of(Col::Target(i)).and_then(|c| {
                    let what = t!(lang, "{}（目标）", "{} (target)", ind.name);
                    checked(
                        table,
                        lang,
                        (r, c),
                        &what,
                        &t!(lang, "目标（任务）数，大于 0", "the target, more than 0"),
                        (|x| x > 0.0, &t!(lang, "大于 0", "more than 0")),
                        errs,
                    )
                });
                match (a, t) {
                    (Some(actual), Some(target)) => Some(Value::Ratio { actual, target }),
                    _ => None,
                }
            }
            Method::Percent => col_of(Col::Value(i)).and_then(|c| {
                let exp = t!(lang, "0 到 100 的百分数", "a percentage from 0 to 100");
                let x = checked(
                    table,
                    lang,
                    (r, c),
                    &ind.name,
                    &exp,
                    (|x| (0.0..=100.0).contains(&x), &exp),
                    errs,
                )?;
                Some(Value::Number(x))
            }),
            Method::Linear { .. } => col_of(Col::Value(i)).and_then(|c| {
                let x = number(
                    table,
                    lang,
                    (r, c),
                    &ind.name,
                    &t!(lang, "数字", "a number"),
                    errs,
                )?;
                Some(Value::Number(x))
            }),
            Method::Deduct { .. } => col_of(Col::Value(i)).and_then(|c| {
                let exp = t!(lang, "次数，不小于 0", "a count, 0 or more");
                let x = checked(
                    table,
                    lang,
                    (r, c),
                    &ind.name,
                    &exp,
                    (|x| x >= 0.0, &exp),
                    errs,
                )?;
                Some(Value::Number(x))
            }),
        };
        values.push(v.unwrap_or(Value::None));
    }
    values
}

/// The bonus or deduction items of row `r` from its points and reason columns.
fn row_items(
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
                .map(|p| parse_number(p).filter(|x| *x > 0.0))
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
                (|x| x >= 0.0, &range),
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

/// The number in cell (`r`, `c`) (see [`number`]) when `ok` accepts it; else a problem: out
/// of range, expected `range`.
fn checked(
    table: &Table,
    lang: Lang,
    (r, c): (usize, usize),
    what: &str,
    expected: &str,
    (ok, range): (fn(f64) -> bool, &str),
    errs: &mut Vec<String>,
) -> Option<f64> {
    let x = number(table, lang, (r, c), what, expected, errs)?;
    if ok(x) {
        return Some(x);
    }
    errs.push(format!(
        "{}: {}",
        table.cell_ref(r, c),
        t!(
            lang,
            "“{}”的值 {} 超出范围：应为{}",
            "\"{}\" value {} is out of range: expected {}",
            what,
            num(x),
            spaced(lang, range)
        )
    ));
    None
}

/// True when the values of part `part` (0: the value, 1: a ratio's actual, 2: its target) of
/// indicator `i` are on a 0–100 scale: always for `percent`; for `linear`, when its `target`
/// is from 10 to 100; for both `linear` and `ratio`, when the site's other months hold values
/// of it and all of them are above 1.5 and at most 100.
pub(super) fn on_100_scale(site: &Site, month: Month, i: usize, part: u8) -> bool {
    let history: Vec<f64> = site
        .months
        .iter()
        .filter(|m| m.month != month)
        .flat_map(|m| &m.entries)
        .filter_map(|e| match (e.values[i], part) {
            (Value::Number(x), 0) => Some(x),
            (Value::Ratio { actual, .. }, 1) => Some(actual),
            (Value::Ratio { target, .. }, 2) => Some(target),
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
        let parts = match ind.method {
            Method::Percent | Method::Linear { .. } => vec![(Col::Value(i), 0)],
            Method::Ratio { .. } => vec![(Col::Actual(i), 1), (Col::Target(i), 2)],
            _ => vec![],
        };
        for (col, part) in parts {
            let Some(&c) = seen.get(&col) else { continue };
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
            let what = match part {
                1 => t!(lang, "{}（实际）", "{} (actual)", ind.name),
                2 => t!(lang, "{}（目标）", "{} (target)", ind.name),
                _ => ind.name.clone(),
            };
            let pct = num(super::formats::percent_of(x));
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

/// Writes a results file in the style of `content/results/*.yaml`: flow maps for ratio values,
/// one line per value, indicators in `site.yaml` order.
pub(super) fn results_yaml(
    site: &Site,
    month: Month,
    rows: &[Row],
    note: Option<&str>,
    source: &str,
) -> String {
    let lang = site.config.language;
    let mut y = t!(
        lang,
        "# 由 rankpress import 从 {} 导入。\n",
        "# Imported by rankpress import from {}.\n",
        source
    )
    .replace("） 导入", "）导入");
    y.push_str(&format!("month: {month}\n"));
    if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
        let block_ok = !n.starts_with([' ', '\n']) && !n.ends_with("\n\n") && !n.contains('\r');
        if block_ok {
            y.push_str(if n.ends_with('\n') {
                "note: |\n"
            } else {
                "note: |-\n"
            });
            for line in n.trim_end_matches('\n').split('\n') {
                if line.is_empty() {
                    y.push('\n');
                } else {
                    y.push_str("  ");
                    y.push_str(line);
                    y.push('\n');
                }
            }
        } else {
            y.push_str(&format!("note: {}\n", yaml_str(n)));
        }
    }
    y.push_str("results:\n");
    for r in rows {
        y.push_str(&format!("  {}:\n", site.managers[r.manager].id));
        for (ind, v) in site.config.indicators.iter().zip(&r.values) {
            match v {
                Value::Ratio { actual, target } => y.push_str(&format!(
                    "    {}: {{actual: {}, target: {}}}\n",
                    ind.id,
                    num(*actual),
                    num(*target)
                )),
                Value::Number(x) => y.push_str(&format!("    {}: {}\n", ind.id, num(*x))),
                Value::None => {}
            }
        }
        for (key, items) in [("bonus", &r.bonus), ("deductions", &r.deduction)] {
            if !items.is_empty() {
                let list: Vec<String> = items
                    .iter()
                    .map(|(p, reason)| {
                        format!("{{points: {}, reason: {}}}", num(*p), yaml_str(reason))
                    })
                    .collect();
                y.push_str(&format!("    {key}: [{}]\n", list.join(", ")));
            }
        }
        if let Some(v) = &r.veto {
            y.push_str(&format!("    veto: {}\n", yaml_str(v)));
        }
    }
    y
}

/// Most problems `import` prints; the rest are counted.
pub const MAX_ERRORS_SHOWN: usize = 100;

/// `rankpress import FILE --month YYYY-MM [--force] [--sheet NAME]`.
pub fn run_import(
    root: &Path,
    file: &Path,
    month: &str,
    force: bool,
    sheet: Option<&str>,
) -> ExitCode {
    let lang = site::detect_language(root);
    let month = match crate::workflow::parse_month(lang, month) {
        Ok(m) => m,
        Err(c) => return c,
    };
    let results_dir = root.join("content").join("results");
    let existing: Option<PathBuf> = ["yaml", "yml"]
        .iter()
        .map(|x| results_dir.join(format!("{month}.{x}")))
        .find(|p| p.exists());
    let target = existing
        .clone()
        .unwrap_or_else(|| results_dir.join(format!("{month}.yaml")));
    let shown = crate::diag::display_path(root, &target);
    if existing.is_some() && !force {
        eprintln!(
            "{}",
            t!(
                lang,
                "{} 已存在，未覆盖。如确需用表格替换这个月的成绩，请加 --force（之后可用 rankpress diff HEAD 核对变化）。",
                "{} exists and was not overwritten. To replace this month's results with the sheet, add --force (then review with rankpress diff HEAD).",
                shown
            )
        );
        return ExitCode::from(crate::exit::DATA);
    }
    let site = match super::load(root, lang) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let table = match read_table(file, sheet, lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}", e.message);
            return ExitCode::from(e.code);
        }
    };
    let note = site
        .months
        .iter()
        .find(|m| m.month == month)
        .and_then(|m| m.note.clone());
    let imported = match import_table(&site, month, &table, note.as_deref()) {
        Ok(i) => i,
        Err(errs) => {
            for e in errs.iter().take(MAX_ERRORS_SHOWN) {
                eprintln!("{e}");
            }
            if errs.len() > MAX_ERRORS_SHOWN {
                eprintln!(
                    "{}",
                    t!(
                        lang,
                        "……另有 {} 个问题未列出。",
                        "… and {} more problem(s) not listed.",
                        errs.len() - MAX_ERRORS_SHOWN
                    )
                );
            }
            eprintln!(
                "{}",
                t!(
                    lang,
                    "发现 {} 个问题，未写入任何文件。请在表格中修正后重新导入。",
                    "{} problem(s) found; nothing was written. Fix the sheet and import again.",
                    errs.len()
                )
            );
            return ExitCode::from(crate::exit::DATA);
        }
    };
    // The file being replaced: a symlink is replaced by a file, never written through.
    let link = std::fs::read_link(&target).ok();
    let old = existing
        .as_ref()
        .filter(|_| link.is_none())
        .and_then(|p| std::fs::read(p).ok());
    if let Err(e) = crate::fsutil::write_atomic(&target, imported.yaml.as_bytes()) {
        eprintln!("{}: {e}", target.display());
        return ExitCode::from(crate::exit::USAGE);
    }
    // The written file goes through the normal loader, like every other file.
    let mut t = site::Timings::default();
    if let Err(problems) = site::load_site(root, &mut t) {
        match (old, link) {
            (Some(bytes), _) => {
                let _ = crate::fsutil::write_atomic(&target, &bytes);
            }
            (None, Some(to)) => {
                let _ = std::fs::remove_file(&target);
                #[cfg(unix)]
                let _ = std::os::unix::fs::symlink(to, &target);
            }
            (None, None) => {
                let _ = std::fs::remove_file(&target);
            }
        }
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!(
            "{}",
            t!(
                lang,
                "导入结果未通过检查，已撤销写入（{} 个问题）。",
                "the imported results do not pass the check; the file was not written ({} problem(s)).",
                problems.len()
            )
        );
        return ExitCode::from(crate::exit::DATA);
    }
    for s in &imported.skipped {
        eprintln!("{s}");
    }
    println!(
        "{}",
        t!(
            lang,
            "已导入 {} 位客户经理 {} 的成绩到 {}。下一步：rankpress serve 预览，确认后 git commit。",
            "imported {} managers' results of {} into {}. Next: preview with rankpress serve, then git commit.",
            imported.managers,
            month,
            shown
        )
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number("96.5%"), Some(96.5));
        assert_eq!(parse_number(" 1,250 "), Some(1250.0));
        assert_eq!(parse_number("９６．５"), Some(96.5));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("NaN"), None);
    }
}
