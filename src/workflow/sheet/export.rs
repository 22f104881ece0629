//! `export`: the month's sheet to fill in (a title naming the month, roster rows, indicator
//! columns, existing values), as `.xlsx` (text as string cells, never formulas; the worksheet
//! named by the month) or CSV (formula-like text behind a `'` that `import` takes off), written
//! with `write_atomic`: never under `content/` or `.git/`, and over an existing file only with
//! `--force` and only when it is a sheet `export` wrote.

use std::path::{Path, PathBuf};

use super::headers::{leading_headers, template_headers};
use super::read::{self, Cell};
use crate::diag::{t, Lang};
use crate::error::{Error, Outcome};
use crate::model::{Date, Method, Month, Site, Value};
use crate::site;
use crate::text::num;
use crate::workflow::SheetFormat;

/// The managers listed in the month's sheet: employed during the month (joined by its end, not
/// left before it began) or already in its results, in roster order.
pub fn roster_of(site: &Site, month: Month) -> Vec<usize> {
    let first = month.first_day();
    let last = Date {
        year: month.year,
        month: month.month,
        day: 31,
    };
    let existing = site.months.iter().find(|m| m.month == month);
    (0..site.managers.len())
        .filter(|&k| {
            let m = &site.managers[k];
            let employed = m.left.is_none_or(|l| l >= first) && m.joined.is_none_or(|j| j <= last);
            employed || existing.is_some_and(|e| e.entries.iter().any(|en| en.manager == k))
        })
        .collect()
}

/// The row of the template's header (0-based): below the title, which names the month so
/// that `import` refuses the sheet for another month.
pub const HEADER_ROW: usize = 1;

/// The template's cells: the title (`2026-12 月度成绩`), the header row, then one row per
/// manager, filled in from the month's results if they exist.
pub fn template_rows(site: &Site, month: Month) -> Vec<Vec<Cell>> {
    let headers = template_headers(site);
    let title = t!(site.config.language, "{} 月度成绩", "Results of {}", month);
    let mut out = vec![
        vec![Cell::Text(title)],
        headers.into_iter().map(Cell::Text).collect::<Vec<_>>(),
    ];
    let existing = site.months.iter().find(|m| m.month == month);
    let join = |items: &[crate::model::Item]| -> (Cell, Cell) {
        if items.is_empty() {
            return (Cell::Empty, Cell::Empty);
        }
        let r: Vec<&str> = items.iter().map(|i| i.reason.as_str()).collect();
        if let [one] = items {
            return (Cell::Number(one.points), Cell::Text(one.reason.clone()));
        }
        // Several items: `1；0.5` and `原因一；原因二`, read back as the same items.
        let p: Vec<String> = items.iter().map(|i| num(i.points)).collect();
        (Cell::Text(p.join("；")), Cell::Text(r.join("；")))
    };
    for k in roster_of(site, month) {
        let m = &site.managers[k];
        let mut row = vec![
            Cell::Text(m.id.clone()),
            Cell::Text(m.name.clone()),
            Cell::Text(site.teams[m.team].name.clone()),
        ];
        let entry = existing.and_then(|e| e.entries.iter().find(|en| en.manager == k));
        for (i, ind) in site.config.indicators.iter().enumerate() {
            let v = entry.map(|e| e.values[i]).unwrap_or(Value::None);
            match (&ind.method, v) {
                (Method::Training, _) => {}
                (Method::Ratio { .. }, Value::Ratio { actual, target }) => {
                    row.push(Cell::Number(actual));
                    row.push(Cell::Number(target));
                }
                (Method::Ratio { .. }, _) => {
                    row.push(Cell::Empty);
                    row.push(Cell::Empty);
                }
                (_, Value::Number(x)) => row.push(Cell::Number(x)),
                _ => row.push(Cell::Empty),
            }
        }
        let (bp, br) = entry
            .map(|e| join(&e.bonus))
            .unwrap_or((Cell::Empty, Cell::Empty));
        let (dp, dr) = entry
            .map(|e| join(&e.deductions))
            .unwrap_or((Cell::Empty, Cell::Empty));
        let veto = entry
            .and_then(|e| e.veto.clone())
            .map(Cell::Text)
            .unwrap_or(Cell::Empty);
        row.extend([bp, br, dp, dr, veto]);
        out.push(row);
    }
    out
}

/// A new workbook for `month`'s sheet, its creation date the month's first day (rather than the
/// clock), so that the same data gives the same bytes (the payroll workbook too).
pub fn workbook(month: Month) -> rust_xlsxwriter::Workbook {
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(month.year as u16, month.month as u8, 1)
        .expect("a month in 2000-01..2099-12 is a valid date");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date));
    wb
}

/// The template as `.xlsx` bytes (bold title and header, frozen header and name columns). Text is
/// written as string cells, never formulas, so it needs no `'` and comes back as written.
pub fn xlsx_bytes(rows: &[Vec<Cell>], month: Month) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::Format;
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = workbook(month);
    let ws = wb.add_worksheet();
    ws.set_name(month.to_string()).map_err(e)?;
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.00%");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::Empty => {}
                Cell::Number(x) => {
                    ws.write_number(r, c, *x).map_err(e)?;
                }
                Cell::Percent(x) => {
                    ws.write_number_with_format(r, c, *x / 100.0, &pct)
                        .map_err(e)?;
                }
                Cell::Text(s) if r as usize <= HEADER_ROW => {
                    ws.write_string_with_format(r, c, s, &bold).map_err(e)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(e)?;
                }
            }
        }
    }
    if let Some(h) = rows.get(HEADER_ROW) {
        for (c, cell) in h.iter().enumerate() {
            let w = crate::text::width(&cell.text()).max(8) as f64 + 2.0;
            ws.set_column_width(c as u16, w).map_err(e)?;
        }
    }
    ws.set_freeze_panes(HEADER_ROW as u32 + 1, 2).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

/// The template as CSV bytes, UTF-8 with BOM so that Excel opens the Chinese text. Text that a
/// spreadsheet would run as a formula gets a leading `'`, which `import` takes off again
/// ([`read::needs_prefix`]).
pub fn csv_bytes(rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        let cells = row.iter().map(|c| match c {
            Cell::Text(s) if read::needs_prefix(s) => format!("'{s}"),
            Cell::Text(s) => s.clone(),
            other => other.text(),
        });
        w.write_record(cells).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// True when the file at `path` is a sheet `export` wrote (possibly filled in since, a title
/// row added above): it reads as a sheet with a header row, among its first 20 rows as for
/// `import`, that begins with the [`leading_headers`] of either language.
fn is_exported_sheet(path: &Path) -> bool {
    let Ok(table) = read::read_table(path, None, Lang::En) else {
        return false;
    };
    (0..table.len().min(20)).any(|row| {
        [Lang::Zh, Lang::En].into_iter().any(|lang| {
            leading_headers(lang)
                .iter()
                .enumerate()
                .all(|(c, h)| table.get(row, c).text() == *h)
        })
    })
}

/// Checks that `export` may write its sheet to `path`: never under the site's `content/` or
/// a `.git` folder; an existing file only with `force` and only when it is a sheet `export`
/// wrote. The refusal names the file and says what to do.
fn check_out(
    root: &Path,
    path: &Path,
    force: bool,
    lang: Lang,
    example: &str,
) -> Result<(), Error> {
    let refuse = |msg: String| Err(Error::Refused(msg));
    let shown = path.display();
    let real = crate::output::canonical_lenient(path);
    let content = crate::output::canonical_lenient(&root.join("content"));
    let inside = if real.starts_with(&content) {
        Some("content/")
    } else if real.components().any(|c| c.as_os_str() == ".git") {
        Some(".git/")
    } else {
        None
    };
    if let Some(inside) = inside {
        return refuse(t!(
            lang,
            "{} 位于 {} 之内：export 不会在那里写文件（那里是网站数据或 git 自己的文件）。请用 --out 另选位置，例如 --out {}",
            "{} is inside {}: export never writes there (it holds the site's data or git's own files). Choose another place with --out, e.g. --out {}",
            shown,
            inside,
            example
        ));
    }
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let is_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    if !is_file || !is_exported_sheet(path) {
        let [id, name, team] = leading_headers(lang);
        return refuse(t!(
            lang,
            "{} 已存在，且不是 rankpress 导出的表格（第一行不是 {}、{}、{}），即使加 --force 也不会覆盖。请用 --out 另选文件名，例如 --out {}",
            "{} exists and is not a sheet rankpress exported (its first row is not {}, {}, {}); it is not replaced, even with --force. Choose another name with --out, e.g. --out {}",
            shown,
            id,
            name,
            team,
            example
        ));
    }
    if !force {
        return refuse(t!(
            lang,
            "{} 已存在，未覆盖（可能是已经填好的表格）。如确需用新导出的表格替换它，请加 --force；或用 --out 另选文件名，例如 --out {}",
            "{} already exists and was not replaced (it may be a sheet already filled in). To replace it with a new export, add --force; or choose another name with --out, e.g. --out {}",
            shown,
            example
        ));
    }
    Ok(())
}

/// `rankpress export --month YYYY-MM [--format xlsx|csv] [--out FILE] [--force]`.
pub fn run_export(
    root: &Path,
    month: &str,
    format: SheetFormat,
    out: Option<&Path>,
    force: bool,
) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let month = crate::month::parse(lang, month)?;
    let site = super::load(root, lang)?;
    let ext = match format {
        SheetFormat::Xlsx => "xlsx",
        SheetFormat::Csv => "csv",
    };
    let default = format!("results-{month}.{ext}");
    let path = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(&default));
    let example = if path == Path::new(&default) {
        format!("results-{month}-2.{ext}")
    } else {
        default
    };
    check_out(root, &path, force, lang, &example)?;
    let rows = template_rows(&site, month);
    let written = match format {
        SheetFormat::Xlsx => xlsx_bytes(&rows, month),
        SheetFormat::Csv => csv_bytes(&rows),
    }
    .and_then(|bytes| crate::fsutil::write_atomic(&path, &bytes).map_err(|e| e.to_string()));
    written.map_err(|e| Error::Io(format!("{}: {e}", path.display())))?;
    println!(
        "{}",
        t!(
            lang,
            "已写出 {}（{} 位客户经理）。填好后运行：rankpress import {} --month {}",
            "wrote {} ({} managers). When it is filled in, run: rankpress import {} --month {}",
            path.display(),
            rows.len() - HEADER_ROW - 1,
            path.display(),
            month
        )
    );
    Ok(Outcome::Done)
}
