//! Unit tests of the sheet reader.

use super::xlsx::parse_ref;
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
    assert_eq!(decode_csv(b"i\0d\0"), Err(Undecodable::Utf16WithoutBom));
    assert_eq!(decode_csv(b"\0i\0d"), Err(Undecodable::Utf16WithoutBom));
    assert_eq!(decode_csv(b"\xFF\xFEi\0d\0"), Ok("id".to_string()));
    assert_eq!(decode_csv(b"\xFE\xFF\0i\0d"), Ok("id".to_string()));
    assert_eq!(decode_csv(b"\xFF\xFE\x00\xD8"), Err(Undecodable::BadUtf16));
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

/// An `.xlsx` of the given parts (stored, not compressed).
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        w.start_file(*name, stored).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A workbook of one worksheet `S` whose inside is `cells`, with shared strings `strings`
/// (the inside of `<sst>`) and cell formats `styles` (the inside of `<styleSheet>`); Excel
/// saved it (`recalc` false) or recalculates it on opening.
fn workbook(cells: &str, strings: &str, styles: &str, recalc: bool) -> Vec<u8> {
    let calc = if recalc {
        r#"<calcPr fullCalcOnLoad="1"/>"#
    } else {
        ""
    };
    zip_of(&[
        (
            "xl/workbook.xml",
            &format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/sharedStrings.xml",
            &format!(r#"<sst xmlns="{MAIN}">{strings}</sst>"#),
        ),
        (
            "xl/styles.xml",
            &format!(r#"<styleSheet xmlns="{MAIN}">{styles}</styleSheet>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            &format!(r#"<worksheet xmlns="{MAIN}">{cells}</worksheet>"#),
        ),
    ])
}

/// Reads worksheet XML `cells` (the inside of `<worksheet>`) as the sheet of a workbook with
/// no shared strings or formats.
fn sheet(cells: &str, recalc: bool) -> Table {
    read_xlsx(
        &workbook(cells, "", "", recalc),
        "t.xlsx".into(),
        None,
        Lang::En,
    )
    .unwrap()
}

/// The message of a refused read.
fn refusal(bytes: &[u8]) -> String {
    match read_xlsx(bytes, "t.xlsx".into(), None, Lang::En) {
        Ok(t) => panic!("read: {t:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn hidden_rows_and_columns_by_flag_by_zero_size_and_by_default() {
    let t = sheet(
        r#"<cols><col min="2" max="3" width="0"/><col min="4" max="4" hidden="1"/></cols>
        <sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="D1"><v>4</v></c></row>
        <row r="2" ht="0" customHeight="1"><c r="A2"><v>5</v></c></row></sheetData>"#,
        false,
    );
    assert_eq!(t.get(0, 0), &Cell::Number(1.0));
    assert_eq!(t.get(0, 1), &Cell::Empty, "hidden cells are not read");
    let hidden: Vec<(usize, usize, bool)> = t
        .hidden
        .iter()
        .map(|h| (h.row, h.col, h.in_hidden_col))
        .collect();
    assert_eq!(hidden, [(0, 1, true), (0, 3, true), (1, 0, false)]);
    // Rows hidden by default (zeroHeight): only rows given a height show.
    let t = sheet(
        r#"<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/><sheetData>
        <row r="1" ht="15" customHeight="1"><c r="A1"><v>1</v></c></row>
        <row r="2"><c r="A2"><v>2</v></c></row></sheetData>"#,
        false,
    );
    assert_eq!(t.get(0, 0), &Cell::Number(1.0));
    assert_eq!(t.hidden.len(), 1);
    assert_eq!((t.hidden[0].row, t.hidden[0].col), (1, 0));
}

#[test]
fn formulas_shared_and_without_a_saved_result() {
    let cells = r#"<sheetData><row r="1">
        <c r="A1"><f t="shared" ref="A1:A2" si="0">B1*2</f><v>4</v></c>
        <c r="C1" t="str"><f>IF(B1&gt;0,"","x")</f><v></v></c>
        <c r="D1"><f>B1+1</f></c></row>
        <row r="2"><c r="A2"><f t="shared" si="0"/><v>6</v></c></row></sheetData>"#;
    let t = sheet(cells, false);
    let f = |row, col, formula: &str, shared_from, saved| Formula {
        row,
        col,
        formula: formula.into(),
        shared_from,
        saved,
    };
    assert_eq!(
        t.formulas,
        [
            f(0, 0, "=B1*2", None, true),
            f(0, 2, "=IF(B1>0,\"\",\"x\")", None, true),
            f(0, 3, "=B1+1", None, false),
            f(1, 0, "=B1*2", Some((0, 0)), true),
        ]
    );
    assert_eq!(t.get(1, 0), &Cell::Number(6.0));
    // In a workbook recalculated on opening, an empty result was never calculated.
    let t = sheet(cells, true);
    assert!(!t.formulas[1].saved);
}

#[test]
fn shared_strings_with_rich_text_runs_and_phonetic_runs_are_their_shown_text() {
    let strings = r#"<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve"> 三 </t></r><rPh sb="0" eb="1"><t>ちょう</t></rPh></si>
        <si><t>a&amp;b</t></si><si/><si><t>x_x000D_y</t></si><si><t>_x4E2D_</t></si><si><t>_x005F_x4E2D_</t></si>"#;
    let cells = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
        <c r="C1" t="s"><v>3</v></c><c r="D1" t="s"><v>4</v></c><c r="E1" t="s"><v>5</v></c></row></sheetData>"#;
    let bytes = workbook(cells, strings, "", false);
    let t = read_xlsx(&bytes, "t.xlsx".into(), None, Lang::En).unwrap();
    assert_eq!(t.get(0, 0), &Cell::Text("张 三 ".into()));
    assert_eq!(t.get(0, 1), &Cell::Text("a&b".into()));
    assert_eq!(t.get(0, 2), &Cell::Text("x\ry".into()));
    // calamine decodes only `_x00HH_`: a wider escape is read exactly by rankpress.
    assert_eq!(t.get(0, 3), &Cell::Text("中".into()));
    assert_eq!(t.get(0, 4), &Cell::Text("_x4E2D_".into()));
    // An index that is not a plain number is refused (calamine would read string 0).
    let cells = r#"<sheetData><row r="1"><c r="A1" t="s"><v>1.0</v></c></row></sheetData>"#;
    let err = refusal(&workbook(cells, strings, "", false));
    assert!(err.contains("t.xlsx:S!A1: bad shared string"), "{err}");
}

#[test]
fn error_cells_are_read_as_their_code_known_to_calamine_or_not() {
    let cells = r#"<sheetData><row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c>
        <c r="B1" t="e"><v>#SPILL!</v></c><c r="C1"><v>7</v></c></row></sheetData>"#;
    let t = sheet(cells, false);
    assert_eq!(t.get(0, 0), &Cell::Text("#DIV/0!".into()));
    assert_eq!(t.get(0, 1), &Cell::Text("#SPILL!".into()));
    assert_eq!(t.get(0, 2), &Cell::Number(7.0), "read on after #SPILL!");
    assert_eq!(t.formulas.len(), 1);
    assert_eq!(t.formulas[0].formula, "=1/0");
}

#[test]
fn a_date_is_its_1900_serial_and_a_percent_is_the_percentage_it_shows_exactly() {
    let styles = r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0000000000000%"/></numFmts>
        <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="10"/></cellXfs>"#;
    let cells = r#"<sheetData><row r="1"><c r="A1" s="1"><v>45292</v></c><c r="B1" s="1"><v>60.5</v></c>
        <c r="C1" s="2"><v>0.123456789012345</v></c><c r="D1" s="3"><v>0.965</v></c>
        <c r="E1" s="3"><v> 0.5 </v></c><c r="F1"><v>1e400</v></c></row></sheetData>"#;
    let bytes = workbook(cells, "", styles, false);
    let t = read_xlsx(&bytes, "t.xlsx".into(), None, Lang::En).unwrap();
    // 2024-01-01, and 1900-02-29 (the day Excel counts that never was), as serials.
    assert_eq!(t.get(0, 0), &Cell::Number(45292.0));
    assert_eq!(t.get(0, 1), &Cell::Number(60.5));
    assert_eq!(t.get(0, 2), &Cell::Percent(12.3456789012345));
    assert_eq!(t.get(0, 3), &Cell::Percent(96.5));
    assert_eq!(t.get(0, 4), &Cell::Percent(50.0), "spaces around a number");
    assert_eq!(
        t.get(0, 5),
        &Cell::Text("1e400".into()),
        "not a finite number"
    );
}

#[test]
fn shared_strings_declared_or_counted_past_the_limit_are_refused_before_calamine_reads_them() {
    let huge = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="99999999999999"><si><t>a</t></si></sst>"#;
    let mut parts = vec![];
    let normal = workbook("<sheetData/>", "", "", false);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&normal[..])).unwrap();
    let mut texts = vec![];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        let name = f.name().to_string();
        texts.push((
            name.clone(),
            if name == "xl/sharedStrings.xml" {
                huge.to_string()
            } else {
                s
            },
        ));
    }
    for (n, s) in &texts {
        parts.push((n.as_str(), s.as_str()));
    }
    let err = refusal(&zip_of(&parts));
    assert!(err.contains("more than 2000000 shared strings"), "{err}");
    // Two parts calamine cannot tell apart are refused: which one it reads is unknown.
    parts.push(("xl/SharedStrings.xml", "<sst/>"));
    let err = refusal(&zip_of(&parts));
    assert!(err.contains("two parts named"), "{err}");
}
