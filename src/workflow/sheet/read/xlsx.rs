//! The `.xlsx` reader. calamine reads the cell values and the shared strings, after rankpress
//! has checked, within one budget of uncompressed bytes (counted while inflating), every part
//! calamine reads whole on opening: the workbook, its relationships, the styles and the
//! shared strings (also their count, declared and actual, which calamine reserves memory for).
//!
//! A small quick-xml pass stays for what calamine does not expose or does not read exactly:
//! - `xl/workbook.xml`: the sheets' `state` and the active tab (`activeTab`), to pick the sheet
//!   Excel opens on and never a hidden one; `fullCalcOnLoad` (saved formula results not shown);
//! - `xl/styles.xml`: each cell format's number format code (calamine keeps only "date or
//!   not"), for percent formats read as the percentage shown and `;;;` formats showing blank;
//! - the worksheet ([`Layout`]): hidden rows and columns, each cell's format index and type,
//!   its formula as written (calamine rewrites a shared formula for each cell), whether a
//!   result was saved, and the raw `<v>` where calamine is loose: a shared-string index
//!   (calamine reads a malformed one as string 0), booleans (calamine: anything but `0` is
//!   TRUE), error codes (calamine refuses those newer than Excel 2007, such as `#SPILL!`);
//! - inline strings and the shared strings holding an `_x` escape or CDATA, read exactly
//!   (calamine decodes only `_x00HH_` escapes, and not across entity references).
//!
//! [`Layout`] reads each cell before calamine does, so calamine never reads past what the
//! budget allowed; the two walk the same cells in step, and a cell they place differently
//! stops the read. Numbers come from calamine (the same correctly rounded parse as Rust's;
//! a date keeps its serial number).

use std::collections::HashMap;
use std::io::{Cursor, Seek};

use calamine::{DataRef, XlsxError};

use super::*;

/// What reading one part of an `.xlsx` can run into.
pub(super) enum PartError {
    /// The parts together are larger than [`MAX_BYTES`].
    TooBig,
    /// A message for the user, already worded.
    Refused(Error),
    /// Malformed zip or XML.
    Bad(String),
}

impl From<quick_xml::Error> for PartError {
    fn from(e: quick_xml::Error) -> Self {
        match &e {
            quick_xml::Error::Io(io) if is_over(io) => PartError::TooBig,
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
        if is_over(&e) {
            PartError::TooBig
        } else {
            PartError::Bad(e.to_string())
        }
    }
}

/// The error [`Capped`] reads with once the budget is spent.
#[derive(Debug, thiserror::Error)]
#[error("uncompressed size limit")]
struct OverBudget;

/// True for the error of a [`Capped`] reader past its budget.
fn is_over(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<OverBudget>())
}

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
            return Err(std::io::Error::other(OverBudget));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// An `.xlsx` being read: the zip and what is left of the byte budget.
struct Xlsx<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    left: u64,
}

impl<R: Read + Seek> Xlsx<R> {
    /// Runs `f` on the part `name` (`None` when absent), counting its bytes against the budget.
    fn part<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn BufRead) -> Result<T, PartError>,
    ) -> Result<Option<T>, PartError> {
        // Part names are matched as calamine matches them: ignoring case, `\\` read as `/`
        // (names that differ only so are refused when the zip is opened).
        let wanted = name.to_ascii_lowercase();
        let Some(name) = self
            .zip
            .file_names()
            .find(|n| normalized(n) == wanted)
            .map(str::to_string)
        else {
            return Ok(None);
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

/// The attributes `a` and `b` of every element named `element`, in order (the relationships
/// of `xl/_rels/workbook.xml.rels`).
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

/// A worksheet listed in `xl/workbook.xml`.
struct SheetEntry {
    /// Its name (the tab's label).
    name: String,
    /// Its relationship id, naming its part in `xl/_rels/workbook.xml.rels`.
    rid: String,
    /// `hidden` or `veryHidden` when Excel does not show its tab; empty when shown.
    hidden: String,
}

/// What `xl/workbook.xml` says: the worksheets in tab order, the active tab (the one Excel
/// opens on), and whether Excel recalculates every formula on opening (`fullCalcOnLoad`:
/// the results saved in the file are then not what Excel shows).
struct Workbook {
    sheets: Vec<SheetEntry>,
    active: usize,
    recalc: bool,
}

/// Most worksheets listed in a workbook (Excel has no fixed limit; real ones have a few).
const MAX_SHEETS: usize = 10_000;

/// True for an OOXML boolean attribute set to true.
fn is_true(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

/// Reads `xl/workbook.xml`.
fn read_workbook(r: &mut dyn BufRead) -> Result<Workbook, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut wb = Workbook {
        sheets: Vec::new(),
        active: 0,
        recalc: false,
    };
    loop {
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"sheet" => {
                    if let (Some(name), Some(rid)) = (attr(&e, b"name")?, attr(&e, b"id")?) {
                        let state = attr(&e, b"state")?.unwrap_or_default();
                        let hidden = if state == "visible" {
                            String::new()
                        } else {
                            state
                        };
                        wb.sheets.push(SheetEntry { name, rid, hidden });
                    }
                }
                b"workbookView" => {
                    wb.active = attr(&e, b"activeTab")?
                        .and_then(|a| a.parse().ok())
                        .unwrap_or(0);
                }
                b"calcPr" => wb.recalc = is_true(attr(&e, b"fullCalcOnLoad")?),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if wb.sheets.len() > MAX_SHEETS {
            return Err(PartError::Bad(format!("more than {MAX_SHEETS} worksheets")));
        }
        buf.clear();
    }
    Ok(wb)
}

/// Appends the text of `<t>` elements up to the end of `end` (an `<si>` or `<is>`), leaving out
/// phonetic runs (`<rPh>`). Stops keeping text past the cell limit; `None` then. The flag is
/// true when the text holds what calamine reads differently: an `_x` escape (calamine decodes
/// only `_x00HH_`, and not across entity references) or a CDATA section (not decoded by it).
fn read_rich(
    xml: &mut quick_xml::Reader<&mut dyn BufRead>,
    end: &[u8],
    buf: &mut Vec<u8>,
) -> Result<(Option<String>, bool), PartError> {
    let mut out = String::new();
    let (mut in_t, mut in_ph, mut long, mut cdata) = (false, false, false, false);
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
            Event::CData(t) if in_t && !in_ph && !long => {
                cdata = true;
                out.push_str(&t.xml10_content()?)
            }
            Event::GeneralRef(r) if in_t && !in_ph && !long => push_ref(&mut out, &r)?,
            Event::Eof => return Err(PartError::Bad("unexpected end of XML".into())),
            _ => {}
        }
        if out.len() > MAX_CELL_CHARS * 4 {
            long = true;
            out = String::new();
        }
    }
    let differs = cdata || out.contains("_x");
    let out = unescape_x(&out);
    Ok((
        (!long && out.chars().count() <= MAX_CELL_CHARS).then_some(out),
        differs,
    ))
}

/// What the check of `xl/sharedStrings.xml` keeps: the exact text of the shared strings that
/// calamine would read differently (see [`read_rich`]; rare: Excel escapes only control
/// characters this way), by index; `None` for one longer than a cell may be.
#[derive(Default)]
struct Escaped(HashMap<usize, Option<String>>);

/// Checks `xl/sharedStrings.xml` before calamine reads it whole on opening the workbook: at
/// most [`MAX_CELLS`] strings, counted and as declared (`uniqueCount`, which calamine reserves
/// room for), within the byte budget; keeps the strings calamine would misread.
fn check_strings(r: &mut dyn BufRead) -> Result<Escaped, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut out = Escaped::default();
    let mut count = 0usize;
    let too_many = || PartError::Bad(format!("more than {MAX_CELLS} shared strings"));
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sst" => {
                let declared =
                    attr(&e, b"uniqueCount")?.and_then(|n| n.trim().parse::<u128>().ok());
                if declared.is_some_and(|n| n > MAX_CELLS as u128) {
                    return Err(too_many());
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                let (text, differs) = read_rich(&mut xml, b"si", &mut inner)?;
                if differs {
                    out.0.insert(count, text);
                }
                count += 1;
            }
            Event::Empty(e) if e.local_name().as_ref() == b"si" => count += 1,
            Event::Eof => break,
            _ => {}
        }
        if count > MAX_CELLS {
            return Err(too_many());
        }
    }
    Ok(out)
}

/// How a cell format shows its value: as a percentage, or not at all (blank).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Look {
    /// A percentage: built-in formats 9 (`0%`) and 10 (`0.00%`), and custom ones with `%`
    /// (see [`is_percent_format`]).
    percent: bool,
    /// Numbers show blank (a custom format such as `;;;`, see [`shows_nothing`]).
    blank_numbers: bool,
    /// Text shows blank (`;;;`).
    blank_text: bool,
}

/// For each cell format (`s` of a cell) of `xl/styles.xml`: how it shows its value.
fn read_styles(r: &mut dyn BufRead) -> Result<Vec<Look>, PartError> {
    let mut xml = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut custom: Vec<(String, Look)> = Vec::new();
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
                        let (blank_numbers, blank_text) = shows_nothing(&code);
                        let look = Look {
                            percent: is_percent_format(&code),
                            blank_numbers,
                            blank_text,
                        };
                        custom.push((id, look));
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
        .map(|id| {
            let look = custom.iter().find(|(cid, _)| cid == id).map(|c| c.1);
            Look {
                percent: id == "9" || id == "10" || look.is_some_and(|l| l.percent),
                ..look.unwrap_or_default()
            }
        })
        .collect())
}

/// Parses a cell reference such as `C7` to 0-based (row, column); `None` when malformed.
pub(super) fn parse_ref(r: &str) -> Option<(usize, usize)> {
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

/// The worksheet to read: the one named `sheet`, else the active tab if it is shown, else the
/// first tab shown. A hidden sheet is never read: Excel does not show it.
fn pick_sheet<'b>(
    book: &'b Workbook,
    sheet: Option<&str>,
    file: &str,
    lang: Lang,
) -> Result<&'b SheetEntry, Error> {
    let shown: Vec<&str> = book
        .sheets
        .iter()
        .filter(|s| s.hidden.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    let Some(wanted) = sheet else {
        return book
            .sheets
            .get(book.active)
            .filter(|s| s.hidden.is_empty())
            .or_else(|| book.sheets.iter().find(|s| s.hidden.is_empty()))
            .ok_or_else(|| {
                io(t!(
                    lang,
                    "{}: 工作簿中没有可见的工作表",
                    "{}: the workbook has no visible worksheet",
                    file
                ))
            });
    };
    let found = book
        .sheets
        .iter()
        .find(|s| s.name == wanted)
        .ok_or_else(|| {
            io(t!(
                lang,
                "{}: 没有名为“{}”的工作表；现有工作表：{}",
                "{}: no worksheet named \"{}\"; the workbook has: {}",
                file,
                wanted,
                shown.join(", ")
            ))
        })?;
    if !found.hidden.is_empty() {
        let how = if found.hidden == "veryHidden" {
            t!(
                lang,
                "（它被设为“深度隐藏”，只能在 VBA 编辑器的属性中改为可见）",
                " (it is \"very hidden\": only the VBA editor's properties can show it)"
            )
        } else {
            t!(
                lang,
                "（右键单击工作表标签，选“取消隐藏”）",
                " (right-click a sheet tab, Unhide)"
            )
        };
        return Err(data(t!(
            lang,
            "{}: 工作表“{}”是隐藏的：Excel 中看不到它，不导入。请在 Excel 中取消隐藏{}、核对后再导入，或导入可见的工作表：{}",
            "{}: worksheet \"{}\" is hidden: Excel does not show it, so it is not imported. Unhide it in Excel{}, check it and import again, or import a visible worksheet: {}",
            file,
            wanted,
            how,
            shown.join(", ")
        )));
    }
    Ok(found)
}

/// A zip entry name as calamine looks it up: `/` for `\`, lower case.
fn normalized(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// The part a relationship target names, as calamine resolves a worksheet's: under `xl/`
/// unless it starts with `xl/` or `/xl/`.
fn calamine_part(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) if abs.starts_with("xl/") => abs.to_string(),
        _ if target.starts_with("xl/") => target.to_string(),
        _ => format!("xl/{target}"),
    }
}

/// Reads worksheet `sheet` (default: the active one shown, see [`pick_sheet`]) of an `.xlsx`
/// (its bytes, at most [`MAX_XLSX_FILE`]) within the limits. Every part calamine reads whole
/// on opening the workbook is checked first (sizes, counts); then calamine reads the cell
/// values in step with [`read_sheet`].
pub fn read_xlsx(
    bytes: &[u8],
    file: String,
    sheet: Option<&str>,
    lang: Lang,
) -> Result<Table, Error> {
    let bad = |e: String| {
        data(t!(
            lang,
            "{}: 无法读取工作簿（不是有效的 .xlsx 文件，或已加密）：{}",
            "{}: cannot read the workbook (not a valid .xlsx file, or encrypted): {}",
            file,
            e
        ))
    };
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    // Two entries calamine cannot tell apart: which one it reads would be unknown.
    let mut names = std::collections::HashSet::new();
    if let Some(twice) = zip.file_names().find(|n| !names.insert(normalized(n))) {
        return Err(bad(format!("two parts named {twice}")));
    }
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
    let book = x
        .part("xl/workbook.xml", read_workbook)
        .map_err(fail)?
        .ok_or_else(|| bad("xl/workbook.xml".into()))?;
    // Relationships as (id, target).
    let rels: Vec<(String, String)> = x
        .part("xl/_rels/workbook.xml.rels", |r| {
            read_pairs(r, b"Relationship", (b"Id", b"Target"))
        })
        .map_err(fail)?
        .unwrap_or_default();
    let chosen = pick_sheet(&book, sheet, &file, lang)?;
    let (name, rid) = (&chosen.name, &chosen.rid);
    if book.sheets.iter().filter(|s| &s.name == name).count() > 1 {
        return Err(bad(format!("two worksheets named {name}")));
    }
    let target = rels
        .iter()
        .find(|(id, _)| id == rid)
        .map(|(_, p)| p.clone())
        .ok_or_else(|| bad(format!("no part for worksheet {name}")))?;
    let part = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    if normalized(&part) != normalized(&calamine_part(&target)) {
        return Err(bad(format!("worksheet {name}: unclear part {target}")));
    }
    let escaped = x
        .part("xl/sharedStrings.xml", check_strings)
        .map_err(fail)?
        .unwrap_or_default();
    let looks = x
        .part("xl/styles.xml", read_styles)
        .map_err(fail)?
        .unwrap_or_default();
    // Every part calamine reads on opening (shared strings, styles, relationships, workbook)
    // has been read above within the budget.
    let mut values: calamine::Xlsx<Cursor<&[u8]>> =
        calamine::Reader::new(Cursor::new(bytes)).map_err(|e: XlsxError| bad(e.to_string()))?;
    let mut table = Table::new(file.clone(), Some(name.clone()));
    let book_part = Book {
        values: &mut values,
        name,
        escaped: &escaped,
        looks: &looks,
        recalc: book.recalc,
    };
    let read = x.part(&part, |r| read_sheet(r, book_part, &mut table, lang));
    match read {
        Ok(Some(())) => {}
        Ok(None) => return Err(bad(format!("no part {part}"))),
        Err(e) => return Err(fail(e)),
    }
    table.finish();
    Ok(table)
}

/// What Excel hides in a worksheet: its hidden columns (up to [`MAX_COLS`]; cells beyond are
/// refused anyway), whether rows are hidden unless marked otherwise (`zeroHeight`), and
/// whether the row being read is hidden.
#[derive(Default)]
struct Hidden {
    cols: Vec<bool>,
    rows_by_default: bool,
    row: bool,
}

impl Hidden {
    /// Records a `<col min max hidden width>` element: hidden, or zero wide.
    fn col(&mut self, e: &quick_xml::events::BytesStart) -> Result<(), PartError> {
        let width = attr(e, b"width")?.and_then(|w| w.trim().parse::<f64>().ok());
        if !(is_true(attr(e, b"hidden")?) || width == Some(0.0)) {
            return Ok(());
        }
        let num = |v: Option<String>| v.and_then(|v| v.trim().parse::<usize>().ok());
        let (Some(min), Some(max)) = (num(attr(e, b"min")?), num(attr(e, b"max")?)) else {
            return Ok(());
        };
        if self.cols.is_empty() {
            self.cols = vec![false; MAX_COLS];
        }
        for c in min.max(1)..=max.min(MAX_COLS) {
            self.cols[c - 1] = true;
        }
        Ok(())
    }

    /// Records a `<row hidden ht>` element: hidden, zero high, or not given a height in a
    /// sheet whose rows are hidden by default.
    fn row(&mut self, e: &quick_xml::events::BytesStart) -> Result<(), PartError> {
        let hidden = attr(e, b"hidden")?;
        let ht = attr(e, b"ht")?.and_then(|h| h.trim().parse::<f64>().ok());
        let explicit_visible = matches!(hidden.as_deref(), Some("0" | "false"));
        self.row = is_true(hidden)
            || ht == Some(0.0)
            || (self.rows_by_default && !explicit_visible && ht.is_none_or(|h| h == 0.0));
        Ok(())
    }

    /// Whether column `col` (0-based) is hidden.
    fn col_hidden(&self, col: usize) -> bool {
        self.cols.get(col).copied().unwrap_or(false)
    }
}

/// The formula of the cell being read: its text (with `=`), whether it was cut short, and its
/// shared-formula index (`si`), if any.
#[derive(Default)]
struct FormulaText {
    text: String,
    long: bool,
    shared: Option<String>,
}

/// What [`read_sheet`] needs of the workbook: calamine's reader of the cell values, the
/// worksheet's name, and what the checks of the other parts kept.
pub(super) struct Book<'b, RS: Read + Seek> {
    /// calamine's workbook, for the cell values.
    values: &'b mut calamine::Xlsx<RS>,
    /// The worksheet read.
    name: &'b str,
    /// The shared strings calamine would misread, read exactly.
    escaped: &'b Escaped,
    /// How each cell format shows its value.
    looks: &'b [Look],
    /// Whether Excel recalculates every formula on opening (`fullCalcOnLoad`).
    recalc: bool,
}

/// One `<c>` of a worksheet as [`Layout`] reads it: what calamine does not tell.
#[derive(Default)]
struct Place {
    /// Row, 0-based.
    row: usize,
    /// Column, 0-based.
    col: usize,
    /// Whether its row is hidden.
    row_hidden: bool,
    /// Its type (`t`): empty for a number, else `s`, `str`, `inlineStr`, `b`, `e` or `d`.
    t: String,
    /// Its cell format (`s`), an index into the looks of `xl/styles.xml`.
    s: usize,
    /// Its formula, if any.
    formula: Option<FormulaText>,
    /// Whether it has a `<v>`.
    has_v: bool,
    /// The text of its `<v>`, as written (a shared string's index, an error code).
    v: String,
    /// Its inline string (`<is>`), read exactly; `None` inside when longer than a cell may be.
    inline: Option<Option<String>>,
    /// Its `<v>` is longer than a cell may be.
    long: bool,
}

/// The bounded quick-xml pass over a worksheet for what calamine does not expose: hidden rows
/// and columns, each cell's type, format index and formula as written (a shared formula's
/// first cell), whether it has a saved result, and the raw `<v>` of the cells calamine
/// refuses or reads loosely (error codes, booleans, shared-string indexes). It reads each
/// cell before calamine does, so calamine never reads past what the byte budget allowed.
struct Layout<'r> {
    xml: quick_xml::Reader<&'r mut dyn BufRead>,
    buf: Vec<u8>,
    inner: Vec<u8>,
    row: usize,
    col: usize,
    first_row: bool,
    hidden: Hidden,
}

impl<'r> Layout<'r> {
    /// A pass over the worksheet XML `r`.
    fn new(r: &'r mut dyn BufRead) -> Self {
        Layout {
            xml: quick_xml::Reader::from_reader(r),
            buf: Vec::new(),
            inner: Vec::new(),
            row: 0,
            col: 0,
            first_row: true,
            hidden: Hidden::default(),
        }
    }

    /// Reads up to `<sheetData>` (the hidden columns on the way); false when there is none.
    fn start(&mut self) -> Result<bool, PartError> {
        loop {
            self.buf.clear();
            let ev = self.xml.read_event_into(&mut self.buf)?;
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref() {
                    b"sheetFormatPr" => {
                        self.hidden.rows_by_default = is_true(attr(e, b"zeroHeight")?);
                    }
                    b"col" => self.hidden.col(e)?,
                    b"sheetData" => return Ok(matches!(ev, Event::Start(_))),
                    _ => {}
                },
                Event::Eof => return Ok(false),
                _ => {}
            }
        }
    }

    /// The next cell, read to its end; `None` after the last one.
    fn next(&mut self) -> Result<Option<Place>, PartError> {
        let mut cur: Option<Place> = None;
        let (mut in_v, mut in_f) = (false, false);
        loop {
            self.buf.clear();
            let ev = self.xml.read_event_into(&mut self.buf)?;
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    match (e.local_name().as_ref(), cur.as_mut()) {
                        (b"row", None) => {
                            self.row = match attr(e, b"r")?.and_then(|r| r.parse::<usize>().ok()) {
                                Some(r) if r >= 1 => r - 1,
                                _ if self.first_row => 0,
                                _ => self.row + 1,
                            };
                            self.first_row = false;
                            self.col = 0;
                            self.hidden.row(e)?;
                        }
                        (b"c", None) => {
                            if let Some(r) = attr(e, b"r")? {
                                let (row, col) = parse_ref(&r)
                                    .filter(|&(row, col)| row < EXCEL_ROWS && col < EXCEL_COLS)
                                    .ok_or_else(|| {
                                        PartError::Bad(format!("bad cell reference {r}"))
                                    })?;
                                self.row = row;
                                self.col = col;
                            }
                            let place = Place {
                                row: self.row,
                                col: self.col,
                                row_hidden: self.hidden.row,
                                t: attr(e, b"t")?.unwrap_or_default(),
                                s: attr(e, b"s")?.and_then(|s| s.parse().ok()).unwrap_or(0),
                                ..Place::default()
                            };
                            self.col += 1;
                            if empty {
                                return Ok(Some(place));
                            }
                            cur = Some(place);
                        }
                        (b"v", Some(p)) => {
                            p.has_v = true;
                            in_v = !empty;
                        }
                        (b"f", Some(p)) => {
                            p.formula = Some(FormulaText {
                                text: "=".into(),
                                long: false,
                                shared: (attr(e, b"t")?.as_deref() == Some("shared"))
                                    .then(|| attr(e, b"si"))
                                    .transpose()?
                                    .flatten(),
                            });
                            in_f = !empty;
                        }
                        (b"is", Some(p)) if !empty => {
                            p.inline = Some(read_rich(&mut self.xml, b"is", &mut self.inner)?.0);
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if in_v => {
                    if let Some(p) = cur.as_mut() {
                        p.v.push_str(&t.xml10_content()?);
                    }
                }
                Event::GeneralRef(r) if in_v => {
                    if let Some(p) = cur.as_mut() {
                        push_ref(&mut p.v, &r)?;
                    }
                }
                Event::Text(t) if in_f => {
                    if let Some(f) = cur.as_mut().and_then(|p| p.formula.as_mut()) {
                        push_capped(f, &t.xml10_content()?);
                    }
                }
                Event::GeneralRef(r) if in_f => {
                    if let Some(f) = cur.as_mut().and_then(|p| p.formula.as_mut()) {
                        let mut s = String::new();
                        push_ref(&mut s, &r)?;
                        push_capped(f, &s);
                    }
                }
                Event::End(ref e) => match e.local_name().as_ref() {
                    b"v" => in_v = false,
                    b"f" => in_f = false,
                    b"c" if cur.is_some() => return Ok(cur),
                    b"sheetData" => return Ok(None),
                    _ => {}
                },
                Event::Eof => return Ok(None),
                _ => {}
            }
            if let Some(p) = cur
                .as_mut()
                .filter(|p| in_v && p.v.len() > MAX_CELL_CHARS * 4)
            {
                p.long = true;
                p.v.clear();
            }
        }
    }
}

/// Rows of an Excel worksheet: a cell reference beyond is malformed.
const EXCEL_ROWS: usize = 1 << 20;
/// Columns of an Excel worksheet (`XFD`).
const EXCEL_COLS: usize = 16_384;

/// A cell value calamine refuses that rankpress reads from the raw `<v>` instead, as it
/// always did: an error code calamine does not know (`#SPILL!`), a number cell holding text,
/// an unknown cell type. calamine stops inside that cell; its next read goes on from there.
fn read_raw_instead(e: &XlsxError) -> bool {
    matches!(
        e,
        XlsxError::CellError(_) | XlsxError::ParseFloat(_) | XlsxError::CellTAttribute(_)
    )
}

/// Reads the cells of a worksheet part into `table`, one at a time: where each cell is and
/// how it shows from [`Layout`], its value from calamine. Cells in hidden rows or columns go
/// to [`Table::hidden`], formula cells also to [`Table::formulas`]. In a workbook that Excel
/// recalculates on opening, an empty saved result is no result.
pub(super) fn read_sheet<RS: Read + Seek>(
    r: &mut dyn BufRead,
    book: Book<'_, RS>,
    table: &mut Table,
    lang: Lang,
) -> Result<(), PartError> {
    let mut layout = Layout::new(r);
    if !layout.start()? {
        return Ok(());
    }
    let mut cells = book
        .values
        .worksheet_cells_reader(book.name)
        .map_err(|e| PartError::Bad(e.to_string()))?;
    let mut count = 0usize;
    let mut text_bytes = 0u64;
    // The first cell of each shared formula (by `si`): where it is and its formula.
    let mut shared: HashMap<String, (usize, usize, String)> = HashMap::new();
    let refused = |r: Error| PartError::Refused(r);
    while let Some(p) = layout.next()? {
        let (row, col) = (p.row, p.col);
        let at = table.cell_ref(row.min(1 << 24), col.min(16_383));
        let value = match cells.next_cell() {
            Ok(Some(c)) if c.get_position() == (row as u32, col as u32) => c.get_value().clone(),
            Ok(_) => return Err(PartError::Bad(format!("{at}: unclear cell position"))),
            Err(e) if read_raw_instead(&e) => DataRef::Empty,
            Err(_) if p.t == "s" => return Err(PartError::Bad(format!("{at}: bad shared string"))),
            Err(e) => return Err(PartError::Bad(format!("{at}: {e}"))),
        };
        if p.long {
            return Err(refused(cell_too_long(lang, &at)));
        }
        let look = book.looks.get(p.s).copied().unwrap_or_default();
        let cell = match p.t.as_str() {
            "s" => {
                // calamine takes a malformed index for string 0: only a plain index is read.
                let index = Some(p.v.trim())
                    .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|v| v.parse::<usize>().ok());
                match (index.and_then(|i| book.escaped.0.get(&i)), value) {
                    (Some(Some(exact)), _) => Cell::Text(exact.clone()),
                    (Some(None), _) => return Err(refused(cell_too_long(lang, &at))),
                    (None, DataRef::SharedString(s)) if index.is_some() => Cell::Text(s.into()),
                    _ => return Err(PartError::Bad(format!("{at}: bad shared string"))),
                }
            }
            // Booleans and error codes from the raw `<v>`: calamine reads any value but 0 as
            // TRUE and refuses error codes newer than Excel 2007's.
            "b" => Cell::Text(if p.v.trim() == "1" { "TRUE" } else { "FALSE" }.into()),
            "e" => Cell::Text(unescape_x(&p.v)),
            "inlineStr" => match &p.inline {
                Some(Some(s)) => Cell::Text(s.clone()),
                Some(None) => return Err(refused(cell_too_long(lang, &at))),
                None => Cell::Text(p.v.clone()),
            },
            "str" | "d" => match value {
                DataRef::String(s) | DataRef::DateTimeIso(s) => Cell::Text(unescape_x(&s)),
                _ => Cell::Text(unescape_x(&p.v)),
            },
            _ => {
                let x = match value {
                    DataRef::Float(x) => Some(x),
                    DataRef::Int(i) => Some(i as f64),
                    // A date or time keeps its serial number, exactly.
                    DataRef::DateTime(d) => Some(d.as_f64()),
                    // Text calamine did not take for a number (spaces around it).
                    _ => p.v.trim().parse::<f64>().ok(),
                };
                match x {
                    Some(x) if x.is_finite() && look.percent => Cell::Percent(percent_of(x)),
                    Some(x) if x.is_finite() => Cell::Number(x),
                    _ => Cell::Text(p.v.clone()),
                }
            }
        };
        if matches!(&cell, Cell::Text(s) if s.chars().count() > MAX_CELL_CHARS) {
            return Err(refused(cell_too_long(lang, &at)));
        }
        let value_empty = p.v.is_empty() && !matches!(&p.inline, Some(Some(s)) if !s.is_empty());
        let formula = p.formula.map(|f| {
            let shown = shared_formula(&mut shared, f, (row, col));
            // An empty result is a result only of a text formula in a workbook that Excel
            // calculated and saved.
            let saved = p.has_v && (!value_empty || (p.t == "str" && !book.recalc));
            (shown, saved)
        });
        if cell.is_empty() && formula.is_none() {
            continue;
        }
        check_place(lang, &at, row, col, &mut count).map_err(refused)?;
        if let Cell::Text(s) = &cell {
            text_bytes += s.len() as u64;
        }
        if let Some(((f, _), _)) = &formula {
            text_bytes += f.len() as u64;
        }
        if text_bytes > MAX_BYTES {
            return Err(PartError::TooBig);
        }
        let col_hidden = layout.hidden.col_hidden(col);
        let blank = match cell {
            Cell::Text(_) => look.blank_text,
            Cell::Empty => false,
            _ => look.blank_numbers,
        };
        if p.row_hidden || col_hidden || blank {
            if !cell.is_empty() {
                table.hidden.push(HiddenCell {
                    row,
                    col,
                    in_hidden_col: col_hidden,
                    blank_format: blank && !p.row_hidden && !col_hidden,
                });
            }
        } else {
            if let Some(((formula, shared_from), saved)) = formula {
                table.formulas.push(Formula {
                    row,
                    col,
                    formula,
                    shared_from,
                    saved,
                });
            }
            table.put(row, col, cell);
        }
    }
    Ok(())
}

/// Appends formula text, keeping at most [`MAX_FORMULA_SHOWN`] characters.
fn push_capped(f: &mut FormulaText, s: &str) {
    if f.long {
        return;
    }
    f.text.push_str(s);
    if f.text.chars().count() > MAX_FORMULA_SHOWN {
        f.text = f.text.chars().take(MAX_FORMULA_SHOWN).collect();
        f.text.push('…');
        f.long = true;
    }
}

/// The formula of a cell and the cell it shares it with: a shared formula's first cell holds
/// its text, the others only its index.
fn shared_formula(
    shared: &mut HashMap<String, (usize, usize, String)>,
    f: FormulaText,
    at: (usize, usize),
) -> (String, Option<(usize, usize)>) {
    let Some(si) = f.shared else {
        return (f.text, None);
    };
    match shared.get(&si) {
        Some((r, c, text)) if f.text == "=" => (text.clone(), Some((*r, *c))),
        _ => {
            shared.insert(si, (at.0, at.1, f.text.clone()));
            (f.text, None)
        }
    }
}
