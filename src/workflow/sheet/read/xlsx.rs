//! The `.xlsx` reader: the workbook's parts read with `zip` and `quick-xml` within one budget
//! of uncompressed bytes, shared strings, styles (percent formats) and a worksheet, cell by cell.

use super::*;

/// What reading one part of an `.xlsx` can run into.
enum PartError {
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

/// Reads worksheet `sheet` (default: the first) of an `.xlsx` within the limits.
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
    let refused = |r: Error| PartError::Refused(r);
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
