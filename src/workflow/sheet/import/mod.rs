//! `import`: a sheet read by [`super::read`] becomes `content/results/YYYY-MM.yaml`. Every
//! problem is reported with its cell, at most [`MAX_ERRORS_SHOWN`] printed; nothing is written
//! unless the whole sheet is clean, and the file written passes the loader's full check.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::headers::{header_map, map_header, norm, template_headers, Col};
use super::read::{read_table, Cell, Table};
use crate::diag::{t, Lang};
use crate::error::{Error, Outcome, Problems};
use crate::model::{Method, Month, Site, Value};
use crate::site;
use crate::text::{col_name, num, yaml_str};

mod rows;
mod shown;

use rows::{fraction_columns, row_items, row_manager, row_values};

pub(super) use crate::validate::spaced;

/// A message with no space after a full-width closing parenthesis: `从 results.xlsx（工作表
/// 十一月）导入`, where the template had a space after the file name.
fn tight(s: String) -> String {
    s.replace("） ", "）")
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
    /// The sheet read, as named in messages: `results.xlsx（工作表 2026-12）`.
    pub source: String,
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
    // Only what Excel shows is read: hidden data and formulas without a result are refused.
    let unseen = shown::unseen(table, lang);
    if !unseen.is_empty() {
        return Err(unseen);
    }

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

    if let Some(wrong) = shown::other_month(table, hr, month, lang) {
        return Err(vec![wrong]);
    }
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
        // Text written to the results file: no control characters or line separators.
        for c in [Col::BonusReason, Col::DeductionReason, Col::Veto]
            .into_iter()
            .filter_map(col_of)
        {
            let header = table.get(hr, c).text();
            if let Some(p) = crate::validate::text_problem(lang, &header, &table.get(r, c).text()) {
                errs.push(format!("{}: {}", at(r, c), p));
            }
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
        source,
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
        for rule in crate::validate::rules::value_rules(&ind.method) {
            if col_of(Col::of(i, rule.part)).is_none() {
                let what = rule.part.named(lang, &ind.name);
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
    let y = t!(
        lang,
        "# 由 rankpress import 从 {} 导入。\n",
        "# Imported by rankpress import from {}.\n",
        source
    );
    let mut y = tight(y);
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
) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let month = crate::month::parse(lang, month)?;
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
        return Err(Error::Refused(t!(
            lang,
            "{} 已存在，未覆盖。如确需用表格替换这个月的成绩，请加 --force（之后可用 rankpress diff HEAD 核对变化）。",
            "{} exists and was not overwritten. To replace this month's results with the sheet, add --force (then review with rankpress diff HEAD).",
            shown
        )));
    }
    let site = super::load(root, lang)?;
    let table = read_table(file, sheet, lang)?;
    let note = site
        .months
        .iter()
        .find(|m| m.month == month)
        .and_then(|m| m.note.clone());
    let imported = import_table(&site, month, &table, note.as_deref()).map_err(|errs| {
        let mut closing = String::new();
        if errs.len() > MAX_ERRORS_SHOWN {
            closing = t!(
                lang,
                "……另有 {} 个问题未列出。\n",
                "… and {} more problem(s) not listed.\n",
                errs.len() - MAX_ERRORS_SHOWN
            );
        }
        closing += &t!(
            lang,
            "发现 {} 个问题，未写入任何文件。请在表格中修正后重新导入。",
            "{} problem(s) found; nothing was written. Fix the sheet and import again.",
            errs.len()
        );
        let mut lines = errs;
        lines.truncate(MAX_ERRORS_SHOWN);
        Error::Data(Problems {
            head: None,
            lines,
            closing: Some(closing),
        })
    })?;
    // The file being replaced: a symlink is replaced by a file, never written through.
    let link = std::fs::read_link(&target).ok();
    let old = existing
        .as_ref()
        .filter(|_| link.is_none())
        .and_then(|p| std::fs::read(p).ok());
    crate::fsutil::write_atomic(&target, imported.yaml.as_bytes())
        .map_err(|e| Error::Io(format!("{}: {e}", target.display())))?;
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
        return Err(Error::listed(
            &problems,
            t!(
                lang,
                "导入结果未通过检查，已撤销写入（{} 个问题）。",
                "the imported results do not pass the check; the file was not written ({} problem(s)).",
                problems.len()
            ),
        ));
    }
    let notices = imported.skipped.iter().cloned().chain(
        shown::formula_notice(&table, lang)
            .into_iter()
            .chain(shown::far_future(&site, month, lang)),
    );
    for s in notices {
        eprintln!("{s}");
    }
    println!(
        "{}",
        tight(t!(
            lang,
            "已从 {} 导入 {} 位客户经理 {} 的成绩到 {}。下一步：rankpress serve 预览，确认后 git commit。",
            "imported {1} managers' results of {2} from {0} into {3}. Next: preview with rankpress serve, then git commit.",
            imported.source,
            imported.managers,
            month,
            shown
        ))
    );
    Ok(Outcome::Done)
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
