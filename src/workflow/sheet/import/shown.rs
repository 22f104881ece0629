//! What Excel shows, checked before a sheet's values are read: cells in hidden rows or columns
//! and formulas without a saved result are refused (naming the cells), the formulas read are
//! listed, and a sheet made for another month (by its sheet name or a title row above the
//! header) is refused; a month far after the site's latest is warned of.

use std::collections::BTreeMap;

use super::*;
use crate::workflow::sheet::read::Formula;

/// Most cells named in one message about a hidden row or column.
const CELLS_NAMED: usize = 5;

/// Most formula cells listed after an import; the rest are counted.
const FORMULAS_LISTED: usize = 20;

/// The problems of cells Excel does not show as they were read: one per hidden column and
/// hidden row holding data, one for the cells formatted to show blank, one per formula with
/// no saved result.
pub(super) fn unseen(table: &Table, lang: Lang) -> Vec<String> {
    let mut by_col: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut by_row: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut blank = Vec::new();
    for h in &table.hidden {
        if h.blank_format {
            blank.push((h.row, h.col));
        } else if h.in_hidden_col {
            by_col.entry(h.col).or_default().push(h.row);
        } else {
            by_row.entry(h.row).or_default().push(h.col);
        }
    }
    let cells = |list: Vec<(usize, usize)>| -> String {
        let named: Vec<String> = list
            .iter()
            .take(CELLS_NAMED)
            .map(|&(r, c)| format!("{}{}", col_name(c), r + 1))
            .collect();
        if list.len() > CELLS_NAMED {
            t!(
                lang,
                "{} 等 {} 格",
                "{}, … ({} cells)",
                named.join(t!(lang, "、", ", ").as_str()),
                list.len()
            )
        } else {
            named.join(t!(lang, "、", ", ").as_str())
        }
    };
    let advice = t!(
        lang,
        "Excel 中看不到隐藏的行和列，导入不读取它们；请在 Excel 中取消隐藏并核对，或删除这些内容后重新导入",
        "Excel does not show hidden rows and columns, so import does not read them; unhide them in Excel and check them, or delete their contents, then import again"
    );
    let lines = by_col.into_iter().map(|(c, rows)| {
        let what = t!(lang, "{} 列", "column {}", col_name(c));
        (what, rows.into_iter().map(|r| (r, c)).collect::<Vec<_>>())
    });
    let lines = lines.chain(by_row.into_iter().map(|(r, cols)| {
        let what = t!(lang, "第 {} 行", "row {}", r + 1);
        (what, cols.into_iter().map(|c| (r, c)).collect())
    }));
    let mut errs = Vec::new();
    for (what, mut list) in lines {
        list.sort_unstable();
        let (r, c) = list[0];
        errs.push(format!(
            "{}: {}",
            table.cell_ref(r, c),
            t!(
                lang,
                "{}是隐藏的，其中有内容（{}）：{}",
                "{} is hidden and holds data ({}): {}",
                what,
                cells(list),
                advice
            )
        ));
    }
    if let Some(&(r, c)) = blank.first() {
        errs.push(format!(
            "{}: {}",
            table.cell_ref(r, c),
            t!(
                lang,
                "这些单元格有内容，但数字格式（如 ;;;）让 Excel 把它们显示为空白（{}）：导入不读取看不到的内容；请在 Excel 中把它们的格式改为“常规”并核对，或删除这些内容后重新导入",
                "these cells hold data that their number format (such as ;;;) shows blank in Excel ({}): import does not read what Excel does not show; set their format to General in Excel and check them, or delete their contents, then import again",
                cells(blank)
            )
        ));
    }
    for f in table.formulas.iter().filter(|f| !f.saved) {
        errs.push(format!(
            "{}: {}",
            table.cell_ref(f.row, f.col),
            t!(
                lang,
                "公式 {} 没有保存的计算结果（文件可能由程序生成，未在 Excel 中保存过），无法知道 Excel 显示的值；请在 Excel 中打开、保存后重新导入，或把公式换成数值",
                "formula {} has no saved result (the file was probably written by a program and never saved in Excel), so what Excel shows is unknown; open and save it in Excel and import again, or replace the formula by its value",
                formula_text(f, lang)
            )
        ));
    }
    errs
}

/// A formula as shown in messages: `=C2*0.5`, and for a cell sharing another cell's formula,
/// that cell.
fn formula_text(f: &Formula, lang: Lang) -> String {
    match f.shared_from {
        Some((r, c)) => t!(
            lang,
            "{}（{}{} 的公式，填充至此）",
            "{} (the formula of {}{}, filled here)",
            f.formula,
            col_name(c),
            r + 1
        ),
        None => f.formula.clone(),
    }
}

/// The notice listing the formula cells read, with the value each was read as; empty when
/// the sheet has none.
pub(super) fn formula_notice(table: &Table, lang: Lang) -> Option<String> {
    if table.formulas.is_empty() {
        return None;
    }
    let mut out = t!(
        lang,
        "以下 {} 个单元格是公式，按 Excel 保存的计算结果导入：",
        "{} cell(s) hold formulas, imported as the results Excel saved:",
        table.formulas.len()
    );
    for f in table.formulas.iter().take(FORMULAS_LISTED) {
        let value = table.get(f.row, f.col).text();
        out.push_str(&format!(
            "\n  {}: {} → {}",
            table.cell_ref(f.row, f.col),
            formula_text(f, lang),
            if value.is_empty() {
                t!(lang, "（空）", "(empty)")
            } else {
                value
            }
        ));
    }
    if table.formulas.len() > FORMULAS_LISTED {
        out.push_str(&t!(
            lang,
            "\n  ……另有 {} 个公式单元格",
            "\n  … and {} more formula cell(s)",
            table.formulas.len() - FORMULAS_LISTED
        ));
    }
    Some(out)
}

/// The months named in `s`: `2026-12`, `2026/12`, `2026.12`, `2026年12月`, `2026年12月份`; a
/// full date (`2026-12-05`, `2026年12月5日`, the day a sheet was made) names no month.
pub(super) fn months_in(s: &str) -> Vec<Month> {
    let chars: Vec<char> = s.chars().collect();
    let digits = |from: usize, most: usize| {
        chars[from..]
            .iter()
            .take(most)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 < chars.len() {
        let starts = digits(i, 5) == 4 && (i == 0 || !chars[i - 1].is_ascii_digit());
        let sep = chars[i + 4];
        if !starts || !['-', '/', '.', '年', '_'].contains(&sep) {
            i += 1;
            continue;
        }
        let m = digits(i + 5, 3);
        if m == 0 || m > 2 {
            i += 5;
            continue;
        }
        let after = i + 5 + m;
        let rest: String = chars[after..].iter().collect();
        let rest = if sep == '年' {
            rest.strip_prefix('月').unwrap_or(&rest).to_string()
        } else {
            rest
        };
        let is_date = match rest.chars().next() {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if c == sep => rest.chars().nth(1).is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        };
        let year: String = chars[i..i + 4].iter().collect();
        let month: String = chars[i + 5..after].iter().collect();
        if !is_date {
            if let Some(found) = Month::parse(&format!("{year}-{month:0>2}")) {
                out.push(found);
            }
        }
        i = after;
    }
    out
}

/// The problem when the sheet says it holds another month than `month`: its sheet name, or a
/// title row above the header row `hr`, names months and none is `month`.
pub(super) fn other_month(table: &Table, hr: usize, month: Month, lang: Lang) -> Option<String> {
    let wrong = |s: &str| {
        let found = months_in(s);
        (!found.is_empty() && !found.contains(&month)).then(|| found[0])
    };
    if let Some(name) = &table.sheet {
        if let Some(other) = wrong(name) {
            return Some(format!(
                "{}: {}",
                table.sheet_ref(),
                t!(
                    lang,
                    "这张表是 {} 的（工作表名“{}”），与 --month {} 不符；请核对 --month，或把工作表名改为 {} 后重新导入",
                    "this sheet is for {} (sheet name \"{}\"), not --month {}; check --month, or rename the sheet to {} and import again",
                    other,
                    name,
                    month,
                    month
                )
            ));
        }
    }
    (0..hr).flat_map(|r| table.row(r).map(move |(c, cell)| (r, *c, cell))).find_map(
        |(r, c, cell)| {
            let text = cell.text();
            let other = wrong(&text)?;
            Some(format!(
                "{}: {}",
                table.cell_ref(r, c),
                t!(
                    lang,
                    "这张表是 {} 的（标题“{}”），与 --month {} 不符；请核对 --month，或改正标题后重新导入",
                    "this sheet is for {} (title \"{}\"), not --month {}; check --month, or correct the title and import again",
                    other,
                    text,
                    month
                )
            ))
        },
    )
}

/// The warning for a month later than the month after the site's latest results: a typo in
/// `--month` (2027 for 2026) leaves months without results in between.
pub(super) fn far_future(site: &Site, month: Month, lang: Lang) -> Option<String> {
    let latest = site.months.iter().map(|m| m.month).max()?;
    (month.prev() > latest).then(|| {
        t!(
            lang,
            "注意：{} 比已有成绩的最新月份 {} 晚了不止一个月（中间的月份没有成绩）；请确认 --month 无误",
            "note: {} is more than a month after the latest results ({}), leaving months without results in between; make sure --month is right",
            month,
            latest
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn months_named_in_text() {
        assert_eq!(months_in("2026-12"), [m("2026-12")]);
        assert_eq!(months_in("2026年1月客户经理考核"), [m("2026-01")]);
        assert_eq!(months_in("results 2026/3"), [m("2026-03")]);
        assert_eq!(months_in("2026年12月份成绩"), [m("2026-12")]);
        assert_eq!(months_in("11月成绩（2026-12-05 制表）"), []);
        assert_eq!(months_in("2026年12月5日"), []);
        assert_eq!(months_in("十一月"), []);
        assert_eq!(months_in("120261-12"), []);
        assert_eq!(months_in("2026-13"), []);
        assert_eq!(
            months_in("2026-11 至 2026-12"),
            [m("2026-11"), m("2026-12")]
        );
    }
}
