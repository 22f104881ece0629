//! Spreadsheets in and out: `import` reads a month's results sheet (`.xlsx`, or `.csv` in
//! UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16) and writes `content/results/YYYY-MM.yaml`;
//! `export` writes the sheet to fill in. [`read`] reads sheets within limits, [`headers`] maps
//! the header row, [`import`] and [`export`] are the two commands.
//!
//! The header convention is documented in `docs/import.md`: one row per manager, identified by
//! an `编号`/`id` or `姓名`/`name` column; one column per indicator, named by its id or name;
//! ratio indicators as two columns, `<名称>实际`/`<名称>目标` or `<id>.actual`/`<id>.target`.
//! Every problem is reported with its cell (`results.xlsx:Sheet1!C7`, `results.csv:C7`) and
//! nothing is written unless the whole sheet is clean. Only what Excel shows is imported: the
//! sheet it opens on, never a hidden one; data in hidden rows or columns and formulas without a
//! saved result are refused, the formulas read are listed (`import/shown.rs`).

use std::path::Path;

use crate::diag::{t, Lang};
use crate::error::Error;
use crate::model::Site;
use crate::site;

pub mod export;
pub mod formats;
pub mod headers;
pub mod import;
pub mod read;

pub use export::{csv_bytes, roster_of, run_export, template_rows, workbook, xlsx_bytes};
pub use headers::template_headers;
pub use import::{import_table, run_import, Imported, MAX_ERRORS_SHOWN};
pub use read::{read_table, Cell, Table};

/// Loads the site for import or export; its problems if it does not load.
pub(super) fn load(root: &Path, lang: Lang) -> Result<Site, Error> {
    let mut t = site::Timings::default();
    site::load_site(root, &mut t).map_err(|problems| {
        Error::listed(
            &problems,
            t!(
                lang,
                "现有数据有 {} 个问题，请先修正（rankpress check）。",
                "the site's data has {} problem(s); fix them first (rankpress check).",
                problems.len()
            ),
        )
    })
}
