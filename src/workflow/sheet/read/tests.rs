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
