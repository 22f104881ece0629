//! Reading a results sheet with bounded memory. `.xlsx`/`.xlsm` parts are read with `zip` and
//! `quick-xml`, cell by cell (never a dense range), with each part's declared and actual
//! uncompressed size counted against one budget; `.csv` is read with the `csv` crate. Every
//! limit ([`MAX_ROWS`], [`MAX_COLS`], [`MAX_CELL_CHARS`], [`MAX_BYTES`], [`MAX_CELLS`]) is far
//! above any real sheet (a province is about 5,000 rows) and stops the read with one message
//! in the site's language. Cell number formats come from `xl/styles.xml`: a percent-formatted
//! number is read as the percentage it shows (0.965 formatted `0.0%` is 96.5).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::Event;

use super::formats::{is_percent_format, percent_of};
use crate::diag::{t, Lang};
use crate::workflow::text::{col_name, num};

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

/// A sheet read from a file, held sparsely: only non-empty cells are stored.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file name shown in messages (without folders).
    pub file: String,
    /// The worksheet's name (xlsx only).
    pub sheet: Option<String>,
    /// Rows from row 1; each holds its non-empty cells as (0-based column, cell), by column.
    rows: Vec<Vec<(usize, Cell)>>,
}

impl Table {
    /// An empty table of `file` (and worksheet `sheet`).
    pub fn new(file: String, sheet: Option<String>) -> Table {
        Table {
            file,
            sheet,
            rows: Vec::new(),
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

/// Why a sheet could not be read: the message, and the exit code (1 for a sheet that breaks
/// a limit or is malformed, 2 when the file cannot be read at all).
#[derive(Debug, Clone)]
pub struct Refused {
    /// The message, in the site's language.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

fn data(message: String) -> Refused {
    Refused {
        message,
        code: crate::exit::DATA,
    }
}

fn io(message: String) -> Refused {
    Refused {
        message,
        code: crate::exit::USAGE,
    }
}

/// The message for a sheet larger than a limit.
fn too_big(lang: Lang, at: &str, what: &str) -> Refused {
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
fn larger_than(lang: Lang, file: &str, limit: u64) -> Refused {
    let what = t!(
        lang,
        "文件大于 {} MB",
        "the file is larger than {} MB",
        limit / (1024 * 1024)
    );
    too_big(lang, file, &what)
}

/// Decodes a CSV file's bytes: UTF-8 (BOM optional), UTF-16 with BOM, else GBK/GB18030 as
/// Excel writes on Chinese Windows. `None` when none of them fits.
pub fn decode_csv(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).ok().map(str::to_string);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return (!bad).then(|| text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!bad).then(|| text.into_owned())
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
pub fn read_table(path: &Path, sheet: Option<&str>, lang: Lang) -> Result<Table, Refused> {
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
    match ext.as_str() {
        "csv" | "txt" => {
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| cannot_read(&e))?;
            if bytes.len() as u64 > MAX_BYTES {
                return Err(larger_than(lang, &file, MAX_BYTES));
            }
            read_csv(&bytes, file, lang)
        }
        "xlsx" | "xlsm" => {
            if meta.len() > MAX_XLSX_FILE {
                return Err(larger_than(lang, &file, MAX_XLSX_FILE));
            }
            let f = std::fs::File::open(path).map_err(|e| cannot_read(&e))?;
            read_xlsx(f, file, sheet, lang)
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
pub fn read_csv(bytes: &[u8], file: String, lang: Lang) -> Result<Table, Refused> {
    let text = decode_csv(bytes).ok_or_else(|| {
        io(t!(
            lang,
            "{}: 无法识别文件编码；请在 Excel 中“另存为”CSV（逗号分隔）或 CSV UTF-8",
            "{}: unknown text encoding; save it from Excel as CSV (comma delimited) or CSV UTF-8",
            file
        ))
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
) -> Result<(), Refused> {
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

fn cell_too_long(lang: Lang, at: &str) -> Refused {
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

/// What reading one part of an `.xlsx` can run into.
enum PartError {
    /// The parts together are larger than [`MAX_BYTES`].
    TooBig,
    /// A message for the user, already worded.
    Refused(Refused),
    /// Malformed zip or XML.
    Bad(String),
}

impl From<quick_xml::Error> for PartError {
    fn from(e: quick_xml::Error) -> Self {
        match &e {
            quick_xml::Error::Io(io) if io.to_string() == OVER => PartError::TooBig,
            _ => PartError::Bad(e.to_string()),
        }
    }
}

impl From<quick_xml::encoding::EncodingError> for PartError {
    fn from(e: quick_xml::encoding::EncodingError) -> Self {
        PartError::Bad(e.to_string())
    }
}

impl From<std::io::Error> for PartError {
    fn from(e: std::io::Error) -> Self {
        if e.to_string() == OVER {
            PartError::TooBig
        } else {
            PartError::Bad(e.to_string())
        }
    }
}

const OVER: &str = "rankpress: uncompressed size limit";

/// A reader that fails once more than `left` bytes came through: the actual uncompressed
/// size, whatever the zip header declares.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.left = 0;
            return Err(std::io::Error::other(OVER));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// An `.xlsx` being read: the zip and what is left of the byte budget.
struct Xlsx<R: Read + std::io::Seek> {
    zip: zip::ZipArchive<R>,
    left: u64,
}

impl<R: Read + std::io::Seek> Xlsx<R> {
    /// Runs `f` on the part `name` (`None` when absent), counting its bytes against the budget.
    fn part<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn BufRead) -> Result<T, PartError>,
    ) -> Result<Option<T>, PartError> {
        // Part names are matched exactly, else ignoring case (some writers differ in case).
        let name = match self.zip.index_for_name(name) {
            Some(_) => name.to_string(),
            None => match self.zip.file_names().find(|n| n.eq_ignore_ascii_case(name)) {
                Some(n) => n.to_string(),
                None => return Ok(None),
            },
        };
        let entry = match self.zip.by_name(&name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(PartError::Bad(e.to_string())),
        };
        if entry.size() > self.left {
            return Err(PartError::TooBig);
        }
        let mut capped = BufReader::new(Capped {
            inner: entry,
            left: self.left,
        });
        let out = f(&mut capped);
        self.left = capped.get_ref().left;
        out.map(Some)
    }
}

/// Appends the text of an entity or character reference (`&amp;`, `&#20013;`).
fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef) -> Result<(), PartError> {
    if let Some(c) = r.resolve_char_ref()? {
        out.push(c);
        return Ok(());
    }
    let name = r.decode()?;
    out.push_str(match name.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return Err(PartError::Bad(format!("unknown entity &{other};"))),
    });
    Ok(())
}

/// Decodes Excel's `_xHHHH_` escapes of control characters (`_x000D_` is CR).
fn unescape_x(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of attribute `key` (local name) of an element.
fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Result<Option<String>, PartError> {
    for a in e.attributes() {
        let a = a.map_err(|e| PartError::Bad(e.to_string()))?;
        if a.key.local_name().as_ref() == key {
            return Ok(Some(a.decode_and_unescape_value(e.decoder())?.into_owned()));
        }
    }
    Ok(None)
}

/// The attributes `a` and `b` of every element named `element`, in order (the worksheets of
/// `xl/workbook.xml`, the relationships of its `.rels`).
fn read_pairs(
    r: &mut dyn BufRead,
    element: &[u8],
    (a, b): (&[u8], &[u8]),
) -> Result<Vec<(String, String)>, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                if let (Some(x), Some(y)) = (attr(&e, a)?, attr(&e, b)?) {
                    out.push((x, y));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Appends the text of `<t>` elements up to the end of `end` (an `<si>` or `<is>`), leaving out
/// phonetic runs (`<rPh>`). Stops keeping text past the cell limit; `None` then.
fn read_rich(
    xml: &mut quick_xml::Reader<&mut dyn BufRead>,
    end: &[u8],
    buf: &mut Vec<u8>,
) -> Result<Option<String>, PartError> {
    let mut out = String::new();
    let (mut in_t, mut in_ph, mut long) = (false, false, false);
    loop {
        buf.clear();
        match xml.read_event_into(buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_t = true,
                b"rPh" => in_ph = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"rPh" => in_ph = false,
                n if n == end => break,
                _ => {}
            },
            Event::Text(t) if in_t && !in_ph && !long => out.push_str(&t.xml10_content()?),
            Event::CData(t) if in_t && !in_ph && !long => out.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if in_t && !in_ph && !long => push_ref(&mut out, &r)?,
            Event::Eof => return Err(PartError::Bad("unexpected end of XML".into())),
            _ => {}
        }
        if out.len() > MAX_CELL_CHARS * 4 {
            long = true;
            out = String::new();
        }
    }
    let out = unescape_x(&out);
    Ok((!long && out.chars().count() <= MAX_CELL_CHARS).then_some(out))
}

/// The shared strings of `xl/sharedStrings.xml`; `None` for one longer than a cell may be.
fn read_strings(r: &mut dyn BufRead) -> Result<Vec<Option<String>>, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                let mut inner = Vec::new();
                out.push(read_rich(&mut xml, b"si", &mut inner)?);
            }
            Event::Empty(e) if e.local_name().as_ref() == b"si" => out.push(Some(String::new())),
            Event::Eof => break,
            _ => {}
        }
        if out.len() > MAX_CELLS {
            return Err(PartError::Bad(format!(
                "more than {MAX_CELLS} shared strings"
            )));
        }
    }
    Ok(out)
}

/// For each cell format (`s` of a cell) of `xl/styles.xml`: whether it shows a percentage.
/// Built-in formats 9 (`0%`) and 10 (`0.00%`), and custom ones with `%` (see
/// [`is_percent_format`]).
fn read_styles(r: &mut dyn BufRead) -> Result<Vec<bool>, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut custom: Vec<(String, bool)> = Vec::new();
    let mut xfs: Vec<String> = Vec::new();
    let mut in_xfs = false;
    loop {
        buf.clear();
        let ev = xml.read_event_into(&mut buf)?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(e, b"numFmtId")?, attr(e, b"formatCode")?)
                    {
                        custom.push((id, is_percent_format(&code)));
                    }
                }
                b"cellXfs" => in_xfs = matches!(ev, Event::Start(_)),
                b"xf" if in_xfs => xfs.push(attr(e, b"numFmtId")?.unwrap_or_default()),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Event::Eof => break,
            _ => {}
        }
        if xfs.len() + custom.len() > MAX_STYLES {
            return Err(PartError::Bad(format!(
                "more than {MAX_STYLES} cell formats"
            )));
        }
    }
    Ok(xfs
        .iter()
        .map(|id| id == "9" || id == "10" || custom.iter().any(|(cid, pct)| cid == id && *pct))
        .collect())
}

/// Parses a cell reference such as `C7` to 0-based (row, column); `None` when malformed.
fn parse_ref(r: &str) -> Option<(usize, usize)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0usize;
    for b in r[..letters].bytes() {
        col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    let row: usize = r[letters..].parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// Reads worksheet `sheet` (default: the first) of an `.xlsx` within the limits.
pub fn read_xlsx<R: Read + std::io::Seek>(
    reader: R,
    file: String,
    sheet: Option<&str>,
    lang: Lang,
) -> Result<Table, Refused> {
    let bad = |e: String| {
        data(t!(
            lang,
            "{}: 无法读取工作簿（不是有效的 .xlsx 文件，或已加密）：{}",
            "{}: cannot read the workbook (not a valid .xlsx file, or encrypted): {}",
            file,
            e
        ))
    };
    let zip = zip::ZipArchive::new(reader).map_err(|e| bad(e.to_string()))?;
    let mut x = Xlsx {
        zip,
        left: MAX_BYTES,
    };
    let over = |file: &str| {
        too_big(
            lang,
            file,
            &t!(
                lang,
                "解压后大于 {} MB",
                "larger than {} MB uncompressed",
                MAX_BYTES / (1024 * 1024)
            ),
        )
    };
    let fail = |e: PartError| match e {
        PartError::TooBig => over(&file),
        PartError::Refused(r) => r,
        PartError::Bad(m) => bad(m),
    };
    // Worksheets as (name, relationship id); relationships as (id, part name in the zip).
    let sheets = x
        .part("xl/workbook.xml", |r| {
            read_pairs(r, b"sheet", (b"name", b"id"))
        })
        .map_err(fail)?
        .ok_or_else(|| bad("xl/workbook.xml".into()))?;
    let rels: Vec<(String, String)> = x
        .part("xl/_rels/workbook.xml.rels", |r| {
            read_pairs(r, b"Relationship", (b"Id", b"Target"))
        })
        .map_err(fail)?
        .unwrap_or_default()
        .into_iter()
        .map(|(id, target)| match target.strip_prefix('/') {
            Some(abs) => (id, abs.to_string()),
            None => (id, format!("xl/{target}")),
        })
        .collect();
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    let (name, rid) = match sheet {
        Some(s) => sheets.iter().find(|(n, _)| n == s).ok_or_else(|| {
            io(t!(
                lang,
                "{}: 没有名为“{}”的工作表；现有工作表：{}",
                "{}: no worksheet named \"{}\"; the workbook has: {}",
                file,
                s,
                names.join(", ")
            ))
        })?,
        None => sheets.first().ok_or_else(|| {
            io(t!(
                lang,
                "{}: 工作簿中没有工作表",
                "{}: the workbook has no worksheet",
                file
            ))
        })?,
    };
    let part = rels
        .iter()
        .find(|(id, _)| id == rid)
        .map(|(_, p)| p.clone())
        .ok_or_else(|| bad(format!("no part for worksheet {name}")))?;
    let strings = x
        .part("xl/sharedStrings.xml", read_strings)
        .map_err(fail)?
        .unwrap_or_default();
    let percent = x
        .part("xl/styles.xml", read_styles)
        .map_err(fail)?
        .unwrap_or_default();
    let mut table = Table::new(file.clone(), Some(name.clone()));
    let read = x.part(&part, |r| {
        read_sheet(r, &strings, &percent, &mut table, lang).map_err(|e| match e {
            PartError::Refused(r) => PartError::Refused(r),
            other => other,
        })
    });
    match read {
        Ok(Some(())) => {}
        Ok(None) => return Err(bad(format!("no part {part}"))),
        Err(e) => return Err(fail(e)),
    }
    table.finish();
    Ok(table)
}

/// Reads the cells of a worksheet part into `table`, one at a time.
fn read_sheet(
    r: &mut dyn BufRead,
    strings: &[Option<String>],
    percent: &[bool],
    table: &mut Table,
    lang: Lang,
) -> Result<(), PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let (mut row, mut col) = (0usize, 0usize);
    let mut first_row = true;
    let mut cells = 0usize;
    let mut text_bytes = 0u64;
    // The cell being read: its type and style, its value text, and whether it was too long.
    let mut cur: Option<(String, usize)> = None;
    let mut value = String::new();
    let mut long = false;
    let mut in_v = false;
    let refused = |r: Refused| PartError::Refused(r);
    loop {
        buf.clear();
        let ev = xml.read_event_into(&mut buf)?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"row" => {
                        row = match attr(e, b"r")?.and_then(|r| r.parse::<usize>().ok()) {
                            Some(r) if r >= 1 => r - 1,
                            _ if first_row => 0,
                            _ => row + 1,
                        };
                        first_row = false;
                        col = 0;
                    }
                    b"c" => {
                        if let Some(r) = attr(e, b"r")? {
                            let (rr, cc) = parse_ref(&r)
                                .ok_or_else(|| PartError::Bad(format!("bad cell reference {r}")))?;
                            row = rr;
                            col = cc;
                        }
                        let t = attr(e, b"t")?.unwrap_or_default();
                        let s = attr(e, b"s")?
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0usize);
                        value.clear();
                        long = false;
                        if empty {
                            col += 1;
                        } else {
                            cur = Some((t, s));
                        }
                    }
                    b"v" if cur.is_some() && !empty => in_v = true,
                    b"is" if cur.is_some() && !empty => {
                        match read_rich(&mut xml, b"is", &mut inner)? {
                            Some(s) => value = s,
                            None => long = true,
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_v => value.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if in_v => push_ref(&mut value, &r)?,
            Event::End(ref e) => match e.local_name().as_ref() {
                b"v" => in_v = false,
                b"c" => {
                    let Some((t, s)) = cur.take() else { continue };
                    let at = table.cell_ref(row.min(1 << 24), col.min(16_383));
                    let cell = if long || value.chars().count() > MAX_CELL_CHARS {
                        return Err(refused(cell_too_long(lang, &at)));
                    } else {
                        match t.as_str() {
                            "s" => match value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| strings.get(i))
                            {
                                Some(Some(s)) => Cell::Text(s.clone()),
                                Some(None) => return Err(refused(cell_too_long(lang, &at))),
                                None => {
                                    return Err(PartError::Bad(format!("{at}: bad shared string")))
                                }
                            },
                            "b" => Cell::Text(
                                if value.trim() == "1" { "TRUE" } else { "FALSE" }.into(),
                            ),
                            "inlineStr" => Cell::Text(value.clone()),
                            "str" | "e" | "d" => Cell::Text(unescape_x(&value)),
                            _ => match value.trim().parse::<f64>() {
                                Ok(x) if x.is_finite() && percent.get(s) == Some(&true) => {
                                    Cell::Percent(percent_of(x))
                                }
                                Ok(x) if x.is_finite() => Cell::Number(x),
                                _ => Cell::Text(value.clone()),
                            },
                        }
                    };
                    if !cell.is_empty() {
                        check_place(lang, &at, row, col, &mut cells).map_err(refused)?;
                        if let Cell::Text(s) = &cell {
                            text_bytes += s.len() as u64;
                            if text_bytes > MAX_BYTES {
                                return Err(PartError::TooBig);
                            }
                        }
                        table.put(row, col, cell);
                    }
                    col += 1;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if in_v && value.len() > MAX_CELL_CHARS * 4 {
            long = true;
            value.clear();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_split_and_decoded() {
        let t = read_csv(
            b"a,\"b,c\",\"d\"\"e\"\r\n1,2\n\n'=x,''=y,'a\n",
            "t.csv".into(),
            Lang::En,
        )
        .unwrap();
        assert_eq!(t.get(0, 1), &Cell::Text("b,c".into()));
        assert_eq!(t.get(0, 2), &Cell::Text("d\"e".into()));
        assert_eq!(t.get(1, 1), &Cell::Text("2".into()));
        assert_eq!(
            t.get(3, 0),
            &Cell::Text("=x".into()),
            "blank lines count as rows: {t:?}"
        );
        assert_eq!(t.get(3, 1), &Cell::Text("'=y".into()));
        assert_eq!(t.get(3, 2), &Cell::Text("'a".into()));
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,销量\r\n");
        assert_eq!(decode_csv(&gbk).unwrap(), "姓名,销量\r\n");
        assert_eq!(decode_csv(b"\xEF\xBB\xBFid").unwrap(), "id");
    }

    #[test]
    fn prefixes_round_trip() {
        for s in [
            "=1+2 协助检查",
            "-5 分",
            "@x",
            "+1",
            "'quoted'",
            "'=a",
            "''-b",
            "plain",
        ] {
            let exported = if needs_prefix(s) {
                format!("'{s}")
            } else {
                s.to_string()
            };
            assert_eq!(strip_prefix(&exported), s);
        }
    }

    #[test]
    fn cell_references() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("ABCD1"), None);
    }
}
