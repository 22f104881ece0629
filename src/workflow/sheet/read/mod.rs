//! Reading a results sheet with bounded memory. `.xlsx`/`.xlsm` cells are read with calamine,
//! cell by cell (never a dense range), after the size and safety checks of [`xlsx`]: each
//! part's declared and actual uncompressed size counted against one budget; `.csv` is read
//! with the `csv` crate (not calamine's), with its own decoding rules ([`decode_csv`]). Every
//! limit ([`MAX_ROWS`], [`MAX_COLS`], [`MAX_CELL_CHARS`], [`MAX_BYTES`], [`MAX_CELLS`]) is far
//! above any real sheet (a province is about 5,000 rows) and stops the read with one message
//! in the site's language. Cell number formats come from `xl/styles.xml`: a percent-formatted
//! number is read as the percentage it shows (0.965 formatted `0.0%` is 96.5).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::Event;

use super::formats::{is_percent_format, percent_of, shows_nothing};
use crate::diag::{t, Lang};
use crate::error::Error;
use crate::text::{col_name, num};

mod xlsx;

pub use xlsx::read_xlsx;

/// Most rows read from a sheet (header and title rows included).
pub const MAX_ROWS: usize = 100_000;
/// Most columns read from a sheet.
pub const MAX_COLS: usize = 1_000;
/// Most characters in one cell (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most bytes read: a CSV file, or the uncompressed parts of an `.xlsx` together; also the
/// most text held from all cells.
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Most non-empty cells (and shared strings) read from one sheet.
pub const MAX_CELLS: usize = 2_000_000;
/// Largest `.xlsx` file accepted (compressed; its central directory is read whole).
pub const MAX_XLSX_FILE: u64 = 50 * 1024 * 1024;
/// Most cell formats read from `xl/styles.xml` (Excel allows 64,000).
const MAX_STYLES: usize = 100_000;

/// A cell as read from a sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// A number cell (xlsx).
    Number(f64),
    /// A number cell with a percent format (xlsx), as the percentage shown: 0.965 is 96.5.
    Percent(f64),
    /// Text, as typed (CSV cells are always text).
    Text(String),
}

impl Cell {
    /// True for an empty cell or one holding only spaces.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) | Cell::Percent(_) => false,
        }
    }

    /// The cell as text, trimmed; numbers as people write them.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(x) => num(*x),
            Cell::Percent(x) => format!("{}%", num(*x)),
            Cell::Text(s) => s.trim().to_string(),
        }
    }
}

/// A formula cell of an `.xlsx` (0-based row and column). Its value in the [`Table`] is the
/// result the workbook saved, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// Row, 0-based.
    pub row: usize,
    /// Column, 0-based.
    pub col: usize,
    /// The formula as written, with `=` (at most [`MAX_FORMULA_SHOWN`] characters, then `…`).
    pub formula: String,
    /// For a cell sharing the formula of another cell (Excel writes a filled-down formula
    /// once): that cell, whose formula [`Formula::formula`] is.
    pub shared_from: Option<(usize, usize)>,
    /// Whether the workbook holds the result of the formula. Without one, what Excel shows
    /// is unknown.
    pub saved: bool,
}

/// Most characters of a formula kept for messages.
pub const MAX_FORMULA_SHOWN: usize = 200;

/// A non-empty cell that Excel does not show (xlsx): in a hidden row or column, or formatted
/// to show blank (`;;;`). It is not in the [`Table`]'s cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenCell {
    /// Row, 0-based.
    pub row: usize,
    /// Column, 0-based.
    pub col: usize,
    /// True when its column is hidden (else its row is, unless `blank_format`).
    pub in_hidden_col: bool,
    /// True when its row and column show, but its number format shows it blank (`;;;`).
    pub blank_format: bool,
}

/// A sheet read from a file, held sparsely: only non-empty cells are stored.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name shown in messages (without folders).
    pub file: String,
    /// The worksheet's name (xlsx only).
    pub sheet: Option<String>,
    /// Rows from row 1; each holds its non-empty cells as (0-based column, cell), by column.
    rows: Vec<Vec<(usize, Cell)>>,
    /// The formula cells shown (xlsx), in reading order.
    pub formulas: Vec<Formula>,
    /// Cells holding data in hidden rows or columns (xlsx), in reading order.
    pub hidden: Vec<HiddenCell>,
}

impl Table {
    /// An empty table of `file` (and worksheet `sheet`).
    pub fn new(file: String, sheet: Option<String>) -> Table {
        Table {
            file,
            sheet,
            rows: Vec::new(),
            formulas: Vec::new(),
            hidden: Vec::new(),
        }
    }

    /// Names the sheet: `results.xlsx:Sheet1`, or `results.csv`.
    pub fn sheet_ref(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}:{}", self.file, s),
            None => self.file.clone(),
        }
    }

    /// A table from dense rows (tests and small tables).
    pub fn from_rows(file: String, sheet: Option<String>, rows: Vec<Vec<Cell>>) -> Table {
        let mut t = Table::new(file, sheet);
        for (r, row) in rows.into_iter().enumerate() {
            for (c, cell) in row.into_iter().enumerate() {
                t.put(r, c, cell);
            }
        }
        t.finish();
        t
    }

    /// Stores a cell; empty ones are not stored. Call [`Table::finish`] when done.
    fn put(&mut self, row: usize, col: usize, cell: Cell) {
        if cell.is_empty() {
            return;
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        self.rows[row].push((col, cell));
    }

    /// Orders each row's cells by column; a cell given twice keeps its last value.
    fn finish(&mut self) {
        for row in &mut self.rows {
            row.reverse();
            row.sort_by_key(|(c, _)| *c);
            row.dedup_by_key(|(c, _)| *c);
        }
    }

    /// Number of rows, up to the last one holding a cell.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the sheet holds no cell at all.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Number of columns, up to the last one holding a cell.
    pub fn width(&self) -> usize {
        self.rows
            .iter()
            .filter_map(|r| r.last().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0)
    }

    /// True when row `row` (0-based) has no cell.
    pub fn row_is_empty(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(Vec::is_empty)
    }

    /// The non-empty cells of row `row`, by column.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &(usize, Cell)> {
        self.rows.get(row).into_iter().flatten()
    }

    /// The cell at 0-based `row` and `col` (empty when none).
    pub fn get(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| {
                r.binary_search_by_key(&col, |(c, _)| *c)
                    .ok()
                    .map(|i| &r[i].1)
            })
            .unwrap_or(&EMPTY)
    }

    /// Names a cell by 0-based row and column: `results.xlsx:Sheet1!C7` or `results.csv:C7`.
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        match &self.sheet {
            Some(s) => format!("{}:{}!{}{}", self.file, s, col_name(col), row + 1),
            None => format!("{}:{}{}", self.file, col_name(col), row + 1),
        }
    }
}

/// A sheet that breaks a limit or is malformed (exit 1).
fn data(message: String) -> Error {
    Error::Refused(message)
}

/// A file that cannot be read at all (exit 2).
fn io(message: String) -> Error {
    Error::Io(message)
}

/// The message for a sheet larger than a limit.
fn too_big(lang: Lang, at: &str, what: &str) -> Error {
    data(t!(
        lang,
        "{}: 表格超出导入上限：{}（上限：{} 行、{} 列、每格 {} 个字符、共 {} MB；见 rankpress help import）",
        "{}: the sheet exceeds the import limits: {} (limits: {} rows, {} columns, {} characters a cell, {} MB in all; see rankpress help import)",
        at,
        what,
        MAX_ROWS,
        MAX_COLS,
        MAX_CELL_CHARS,
        MAX_BYTES / (1024 * 1024)
    ))
}

/// The message for a file larger than `limit` bytes.
fn larger_than(lang: Lang, file: &str, limit: u64) -> Error {
    let what = t!(
        lang,
        "文件大于 {} MB",
        "the file is larger than {} MB",
        limit / (1024 * 1024)
    );
    too_big(lang, file, &what)
}

/// Why CSV bytes could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecodable {
    /// NUL bytes mostly on every other byte and no byte order mark: UTF-16 whose byte order
    /// is a guess (Excel always writes the mark).
    Utf16WithoutBom,
    /// A UTF-16 byte order mark followed by bytes that are not UTF-16.
    BadUtf16,
    /// Neither UTF-8 nor GBK/GB18030.
    Unknown,
}

/// Decodes a CSV file's bytes: UTF-8 (BOM optional), UTF-16 with BOM (either byte order),
/// else GBK/GB18030 as Excel writes on Chinese Windows. NUL bytes are never text: a file
/// holding them is UTF-16 without its mark (or something else), never guessed as GBK.
pub fn decode_csv(bytes: &[u8]) -> Result<String, Undecodable> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| Undecodable::Unknown);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        // `decode` follows the mark: little- or big-endian.
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return if bad {
            Err(Undecodable::BadUtf16)
        } else {
            Ok(text.into_owned())
        };
    }
    if bytes.contains(&0) {
        let at_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let at_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
        // ASCII in UTF-16 puts its NUL on one side; a few CJK characters (U+9500) the other.
        return Err(if at_odd.max(at_even) >= 3 * at_odd.min(at_even) {
            Undecodable::Utf16WithoutBom
        } else {
            Undecodable::Unknown
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if bad {
        Err(Undecodable::Unknown)
    } else {
        Ok(text.into_owned())
    }
}

/// The characters after which `export` puts a `'` in a CSV text cell, so that a spreadsheet
/// does not run it as a formula.
const RISKY: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `export` prefixes `s` with `'` in a CSV: it starts, after any `'`, with a
/// formula character. Text already starting with `'` then gets one more, so that `import`
/// can always take exactly one off.
pub fn needs_prefix(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(RISKY)
}

/// Takes off the `'` that `export` put before `s` (see [`needs_prefix`]); other text is kept.
pub fn strip_prefix(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => s,
    }
}

/// Reads a results sheet from a `.csv` or `.xlsx` (`.xlsm`) file within the limits.
pub fn read_table(path: &Path, sheet: Option<&str>, lang: Lang) -> Result<Table, Error> {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let cannot_read = |e: &dyn std::fmt::Display| {
        io(t!(
            lang,
            "{}: 无法读取文件：{}",
            "{}: cannot read the file: {}",
            path.display(),
            e
        ))
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(&e))?;
    if !meta.is_file() {
        return Err(io(t!(
            lang,
            "{}: 不是普通文件",
            "{}: not a regular file",
            path.display()
        )));
    }
    // The file's bytes, at most `limit` of them (whatever its size said a moment ago).
    let read_at_most = |limit: u64| {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
            .map_err(|e| cannot_read(&e))?;
        if bytes.len() as u64 > limit {
            return Err(larger_than(lang, &file, limit));
        }
        Ok(bytes)
    };
    match ext.as_str() {
        "csv" | "txt" => read_csv(&read_at_most(MAX_BYTES)?, file, lang),
        "xlsx" | "xlsm" => {
            if meta.len() > MAX_XLSX_FILE {
                return Err(larger_than(lang, &file, MAX_XLSX_FILE));
            }
            read_xlsx(&read_at_most(MAX_XLSX_FILE)?, file, sheet, lang)
        }
        "xls" | "ods" => Err(io(t!(
            lang,
            "{}: 不支持 .{} 文件；请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后导入",
            "{}: .{} files are not supported; save the sheet as .xlsx (Excel workbook) and import that",
            file,
            ext
        ))),
        _ => Err(io(t!(
            lang,
            "{}: 不支持的文件类型；请使用 .xlsx 或 .csv",
            "{}: unsupported file type; use .xlsx or .csv",
            file
        ))),
    }
}

/// Reads CSV bytes (see [`decode_csv`]); the delimiter is a tab when the first line has tabs
/// and no commas, else a comma. Rows are numbered as a spreadsheet shows them (blank lines
/// count). The `'` that `export` put before formula-like text is taken off.
pub fn read_csv(bytes: &[u8], file: String, lang: Lang) -> Result<Table, Error> {
    let text = decode_csv(bytes).map_err(|why| {
        io(match why {
            Undecodable::Utf16WithoutBom => t!(
                lang,
                "{}: 文件是没有 BOM 标记的 UTF-16 编码，无法可靠读取；请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后导入",
                "{}: the file is UTF-16 without a byte order mark and cannot be read reliably; save it from Excel as \"CSV UTF-8 (comma delimited)\" and import that",
                file
            ),
            Undecodable::BadUtf16 => t!(
                lang,
                "{}: 文件标明是 UTF-16 编码，但其中有不是 UTF-16 的内容；请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后导入",
                "{}: the file is marked as UTF-16 but holds bytes that are not UTF-16; save it from Excel as \"CSV UTF-8 (comma delimited)\" and import that",
                file
            ),
            Undecodable::Unknown => t!(
                lang,
                "{}: 无法识别文件编码；请在 Excel 中“另存为”CSV（逗号分隔）或 CSV UTF-8",
                "{}: unknown text encoding; save it from Excel as CSV (comma delimited) or CSV UTF-8",
                file
            ),
        })
    })?;
    let first = text.lines().next().unwrap_or("");
    let delim = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut table = Table::new(file, None);
    let mut record = csv::StringRecord::new();
    let mut next_row = 0usize;
    let mut cells = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(data(t!(
                    lang,
                    "{}: 第 {} 行附近无法按 CSV 读取：{}",
                    "{}: cannot be read as CSV near line {}: {}",
                    table.file,
                    line,
                    e
                )));
            }
        }
        // Row numbers as a spreadsheet shows them: the blank lines the csv crate skipped
        // (they start the record's span, after the rest of the previous line end) count.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let mut span = text.get(start..).unwrap_or("");
        if start > 0 && span.starts_with('\n') && text.as_bytes()[start - 1] == b'\r' {
            span = &span[1..];
        }
        let ends = &span[..span.len() - span.trim_start_matches(['\r', '\n']).len()];
        let row = next_row + ends.replace("\r\n", "\n").len();
        next_row = row + 1;
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let at = table.cell_ref(row, col);
            check_place(lang, &at, row, col, &mut cells)?;
            if field.chars().count() > MAX_CELL_CHARS {
                return Err(cell_too_long(lang, &at));
            }
            table.put(row, col, Cell::Text(strip_prefix(field).to_string()));
        }
    }
    table.finish();
    Ok(table)
}

/// Refuses a non-empty cell beyond the row or column limit, or one cell too many.
fn check_place(
    lang: Lang,
    at: &str,
    row: usize,
    col: usize,
    cells: &mut usize,
) -> Result<(), Error> {
    if row >= MAX_ROWS {
        return Err(too_big(
            lang,
            at,
            &t!(
                lang,
                "第 {} 行有内容，超过 {} 行",
                "row {} holds data, beyond {} rows",
                row + 1,
                MAX_ROWS
            ),
        ));
    }
    if col >= MAX_COLS {
        return Err(too_big(
            lang,
            at,
            &t!(
                lang,
                "第 {} 列有内容，超过 {} 列",
                "column {} holds data, beyond {} columns",
                col + 1,
                MAX_COLS
            ),
        ));
    }
    *cells += 1;
    if *cells > MAX_CELLS {
        return Err(too_big(
            lang,
            at,
            &t!(
                lang,
                "超过 {} 个非空单元格",
                "more than {} non-empty cells",
                MAX_CELLS
            ),
        ));
    }
    Ok(())
}

fn cell_too_long(lang: Lang, at: &str) -> Error {
    too_big(
        lang,
        at,
        &t!(
            lang,
            "单元格超过 {} 个字符",
            "a cell holds more than {} characters",
            MAX_CELL_CHARS
        ),
    )
}

#[cfg(test)]
mod tests;
