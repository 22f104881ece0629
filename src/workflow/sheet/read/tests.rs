//! Unit tests of the sheet reader.

use super::xlsx::{parse_ref, read_sheet};
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

/// Reads worksheet XML `cells` (the inside of `<worksheet>`) as a sheet of a workbook that
/// Excel saved (`recalc` false) or that asks Excel to recalculate on opening.
fn sheet(cells: &str, recalc: bool) -> Table {
    let xml = format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{cells}</worksheet>"#
    );
    let mut table = Table::new("t.xlsx".into(), Some("S".into()));
    let mut r: &[u8] = xml.as_bytes();
    assert!(read_sheet(&mut r, &[], &[], recalc, &mut table, Lang::En).is_ok());
    table.finish();
    table
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
