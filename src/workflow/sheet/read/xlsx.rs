//! The `.xlsx` reader: the workbook's parts read with `zip` and `quick-xml` within one budget
//! of uncompressed bytes, shared strings, styles (percent formats) and a worksheet, cell by cell.

use std::collections::HashMap;

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

/// Reads worksheet `sheet` (default: the active one shown, see [`pick_sheet`]) of an `.xlsx`
/// within the limits.
pub fn read_xlsx<R: Read + std::io::Seek>(
    reader: R,
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
    let book = x
        .part("xl/workbook.xml", read_workbook)
        .map_err(fail)?
        .ok_or_else(|| bad("xl/workbook.xml".into()))?;
    // Relationships as (id, part name in the zip).
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
    let chosen = pick_sheet(&book, sheet, &file, lang)?;
    let (name, rid) = (&chosen.name, &chosen.rid);
    let part = rels
        .iter()
        .find(|(id, _)| id == rid)
        .map(|(_, p)| p.clone())
        .ok_or_else(|| bad(format!("no part for worksheet {name}")))?;
    let strings = x
        .part("xl/sharedStrings.xml", read_strings)
        .map_err(fail)?
        .unwrap_or_default();
    let looks = x
        .part("xl/styles.xml", read_styles)
        .map_err(fail)?
        .unwrap_or_default();
    let mut table = Table::new(file.clone(), Some(name.clone()));
    let read = x.part(&part, |r| {
        read_sheet(r, &strings, &looks, book.recalc, &mut table, lang)
    });
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

/// Reads the cells of a worksheet part into `table`, one at a time. Cells in hidden rows or
/// columns go to [`Table::hidden`], formula cells also to [`Table::formulas`]. `recalc`:
/// Excel recalculates on opening, so an empty saved result is no result.
pub(super) fn read_sheet(
    r: &mut dyn BufRead,
    strings: &[Option<String>],
    looks: &[Look],
    recalc: bool,
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
    let mut hidden = Hidden::default();
    // The first cell of each shared formula (by `si`): where it is and its formula.
    let mut shared: HashMap<String, (usize, usize, String)> = HashMap::new();
    // The cell being read: its type and style, its value text, whether it was too long,
    // whether it has a `<v>`, and its formula.
    let mut cur: Option<(String, usize)> = None;
    let mut value = String::new();
    let mut long = false;
    let mut has_v = false;
    let mut formula: Option<FormulaText> = None;
    let (mut in_v, mut in_f) = (false, false);
    let refused = |r: Error| PartError::Refused(r);
    loop {
        buf.clear();
        let ev = xml.read_event_into(&mut buf)?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"sheetFormatPr" => {
                        hidden.rows_by_default = is_true(attr(e, b"zeroHeight")?);
                    }
                    b"col" => hidden.col(e)?,
                    b"row" => {
                        row = match attr(e, b"r")?.and_then(|r| r.parse::<usize>().ok()) {
                            Some(r) if r >= 1 => r - 1,
                            _ if first_row => 0,
                            _ => row + 1,
                        };
                        first_row = false;
                        col = 0;
                        hidden.row(e)?;
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
                        has_v = false;
                        formula = None;
                        if empty {
                            col += 1;
                        } else {
                            cur = Some((t, s));
                        }
                    }
                    b"v" if cur.is_some() => {
                        has_v = true;
                        in_v = !empty;
                    }
                    b"f" if cur.is_some() => {
                        formula = Some(FormulaText {
                            text: "=".into(),
                            long: false,
                            shared: (attr(e, b"t")?.as_deref() == Some("shared"))
                                .then(|| attr(e, b"si"))
                                .transpose()?
                                .flatten(),
                        });
                        in_f = !empty;
                    }
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
            Event::Text(t) if in_f => {
                if let Some(f) = formula.as_mut() {
                    push_capped(f, &t.xml10_content()?);
                }
            }
            Event::GeneralRef(r) if in_f => {
                if let Some(f) = formula.as_mut() {
                    let mut s = String::new();
                    push_ref(&mut s, &r)?;
                    push_capped(f, &s);
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"v" => in_v = false,
                b"f" => in_f = false,
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
                                Ok(x)
                                    if x.is_finite() && looks.get(s).is_some_and(|l| l.percent) =>
                                {
                                    Cell::Percent(percent_of(x))
                                }
                                Ok(x) if x.is_finite() => Cell::Number(x),
                                _ => Cell::Text(value.clone()),
                            },
                        }
                    };
                    let formula = formula.take().map(|f| {
                        let shown = shared_formula(&mut shared, f, (row, col));
                        // An empty result is a result only of a text formula in a workbook
                        // that Excel calculated and saved.
                        let saved = has_v && (!value.is_empty() || (t == "str" && !recalc));
                        (shown, saved)
                    });
                    if !cell.is_empty() || formula.is_some() {
                        check_place(lang, &at, row, col, &mut cells).map_err(refused)?;
                        if let Cell::Text(s) = &cell {
                            text_bytes += s.len() as u64;
                        }
                        if let Some(((f, _), _)) = &formula {
                            text_bytes += f.len() as u64;
                        }
                        if text_bytes > MAX_BYTES {
                            return Err(PartError::TooBig);
                        }
                        let col_hidden = hidden.col_hidden(col);
                        let look = looks.get(s).copied().unwrap_or_default();
                        let blank = match cell {
                            Cell::Text(_) => look.blank_text,
                            Cell::Empty => false,
                            _ => look.blank_numbers,
                        };
                        if hidden.row || col_hidden || blank {
                            if !cell.is_empty() {
                                table.hidden.push(HiddenCell {
                                    row,
                                    col,
                                    in_hidden_col: col_hidden,
                                    blank_format: blank && !hidden.row && !col_hidden,
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
