//! Unit tests of the shared checker.

use super::super::testing::{check, expect};
use super::*;

fn mapping(v: &Value) -> &yaml_serde::Mapping {
    v.as_mapping().expect("a mapping")
}

#[test]
fn unknown_key_with_did_you_mean() {
    let (_, p) = check(Lang::En, "titel: x\nzzz: 1\n", |c, v| {
        c.map(P::ROOT, v, &["title", "theme"], "site.yaml")
            .is_some()
    });
    assert_eq!(
        p,
        expect(&[
            (
                "titel (key)",
                "unknown key \"titel\" (did you mean \"title\"?); allowed here: title, theme"
            ),
            (
                "zzz (key)",
                "unknown key \"zzz\"; allowed here: title, theme"
            ),
        ])
    );
    let (_, p) = check(Lang::Zh, "titel: x\n", |c, v| {
        c.map(P::ROOT, v, &["title"], "site.yaml").is_some()
    });
    assert_eq!(
        p,
        expect(&[(
            "titel (key)",
            "未知的键 \"titel\"（是否应为 \"title\"？）；此处允许的键：title"
        )])
    );
    let (m, p) = check(Lang::En, "- a\n", |c, v| {
        c.map(P::ROOT, v, &["a"], "x").is_some()
    });
    assert!(!m);
    assert_eq!(
        p,
        expect(&[("", "x must be a mapping (key: value), found a list")])
    );
}

#[test]
fn ids() {
    let (id, p) = check(
        Lang::En,
        "a: {id: Zhang Wei}\nb: {id: zhang-wei}\n",
        |c, v| {
            let a = c.id(P::ROOT.k("a"), mapping(&v["a"]), "id", "manager id");
            let b = c.id(P::ROOT.k("b"), mapping(&v["b"]), "id", "manager id");
            (a, b)
        },
    );
    assert_eq!(id, (None, Some("zhang-wei".to_string())));
    assert_eq!(p, expect(&[("a.id", "manager id \"Zhang Wei\" is not a valid id: use lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters (e.g. zhang-wei)")]));
    let (_, p) = check(Lang::En, "{}\n", |c, v| {
        c.id(P::ROOT, mapping(v), "id", "x")
    });
    assert_eq!(
        p,
        expect(&[("id", "missing required key \"id\" (expected an id)")])
    );
    assert!(is_id("a") && is_id("0-a_b") && !is_id("-a") && !is_id("A") && !is_id(""));
    assert!(is_id(&"a".repeat(64)) && !is_id(&"a".repeat(65)));
}

#[test]
fn numbers_and_ranges() {
    let yaml = "score: 120\nhours: 0\nok: 99.5\nnan: .nan\nhuge: 1e13\nword: many\n";
    let (got, p) = check(Lang::En, yaml, |c, v| {
        let m = mapping(v);
        [
            c.num(P::ROOT, m, "score", true, Range::Between(0.0, 100.0)),
            c.num(P::ROOT, m, "hours", true, Range::Above(0.0)),
            c.num(P::ROOT, m, "ok", true, Range::Between(0.0, 100.0)),
            c.num(P::ROOT, m, "nan", true, Range::Any),
            c.num(P::ROOT, m, "huge", true, Range::Any),
            c.num(P::ROOT, m, "word", true, Range::Any),
            c.num(P::ROOT, m, "absent", true, Range::AtLeast(0.0)),
        ]
    });
    assert_eq!(got, [None, None, Some(99.5), None, None, None, None]);
    assert_eq!(
        p,
        expect(&[
            ("score", "\"score\" is 120, out of range: expected a number from 0 to 100"),
            ("hours", "\"hours\" is 0, out of range: expected a number > 0"),
            ("nan", "nan: .nan (a number) is not a usable finite number: expected a number of at most 10^12 in magnitude (.nan and .inf are not accepted)"),
            ("huge", "huge: 10000000000000.0 (a number) is not a usable finite number: expected a number of at most 10^12 in magnitude (.nan and .inf are not accepted)"),
            ("word", "word must be a number, found \"many\" (text)"),
            ("absent", "missing required key \"absent\" (expected a number >= 0)"),
        ])
    );
    let (_, p) = check(Lang::Zh, "score: -5\n", |c, v| {
        c.num(P::ROOT, mapping(v), "score", true, Range::AtLeast(0.0))
    });
    assert_eq!(
        p,
        expect(&[("score", "\"score\" 的值 -5 超出范围，应为不小于 0 的数字")])
    );
}

#[test]
fn dates_and_months_that_do_not_exist() {
    let yaml = "a: 2026-02-30\nb: 2026-02-28\nc: 2026-13\nd: 2026-12\n";
    let (got, p) = check(Lang::En, yaml, |c, v| {
        let m = mapping(v);
        (
            c.date(P::ROOT, m, "a", true),
            c.date(P::ROOT, m, "b", true).map(|d| d.to_string()),
            c.month(P::ROOT, m, "c"),
            c.month(P::ROOT, m, "d").map(|d| d.to_string()),
        )
    });
    assert_eq!(got.0, None);
    assert_eq!(got.1.as_deref(), Some("2026-02-28"));
    assert_eq!(got.2, None);
    assert_eq!(got.3.as_deref(), Some("2026-12"));
    assert_eq!(
        p,
        expect(&[
            ("a", "\"a\" must be a valid date YYYY-MM-DD (e.g. 2026-10-12), found \"2026-02-30\" (text)"),
            ("c", "\"c\" must be a month YYYY-MM (e.g. 2026-10), found \"2026-13\" (text)"),
        ])
    );
}

#[test]
fn text_booleans_and_lists() {
    let yaml = "name: \"\"\nflag: yes please\nlist: 3\nbidi: \"a\\u202Eb\"\n";
    let (_, p) = check(Lang::En, yaml, |c, v| {
        let m = mapping(v);
        c.text(P::ROOT, m, "name", true);
        c.boolean(P::ROOT, m, "flag", false);
        c.seq(P::ROOT, m, "list", false);
        c.text(P::ROOT, m, "bidi", false);
    });
    assert_eq!(
        p,
        expect(&[
            ("name", "\"name\" must not be empty"),
            ("flag", "\"flag\" must be true or false, found \"yes please\" (text)"),
            ("list", "\"list\" must be a list (items start with -), found 3 (a number)"),
            ("bidi", "\"bidi\": character 2 is an invisible bidi control (U+202E), not allowed here; delete it (it often comes with text copied from web pages or chat apps)"),
        ])
    );
}

#[test]
fn unknown_manager_with_did_you_mean() {
    let idx: HashMap<String, usize> = [("zhang-wei".to_string(), 0)].into();
    let (got, p) = check(Lang::En, "[zhang-wie, li-na]\n", |c, v| {
        let s = v.as_sequence().unwrap();
        (
            c.manager(P::ROOT.i(0), &s[0], &idx),
            c.manager(P::ROOT.i(1), &s[1], &idx),
        )
    });
    assert_eq!(got, (None, None));
    assert_eq!(
        p,
        expect(&[
            ("[0]", "unknown manager \"zhang-wie\" (did you mean \"zhang-wei\"?): expected an id from managers.yaml"),
            ("[1]", "unknown manager \"li-na\": expected an id from managers.yaml"),
        ])
    );
}

#[test]
fn single_line_text_refuses_controls_and_bidi_overrides() {
    let bad = |k: &str, s: &str| text_problem(Lang::En, k, s).is_some();
    assert!(!bad("name", "张伟"));
    assert!(!bad("name", "Zhang\tWei"), "tab is allowed");
    assert!(
        !bad("name", "\u{200F}עברית"),
        "a direction mark with visible text"
    );
    assert!(
        !bad("note", "line 1\nline 2\r\n"),
        "a note has several lines"
    );
    for s in [
        "a\nb",
        "a\rb",
        "a\0b",
        "\u{1b}[31m",
        "a\u{7f}",
        "a\u{85}b",
        "a\u{9b}b",
        "a\u{2028}b",
        "a\u{202a}b",
        "a\u{202e}b",
        "a\u{2066}b",
        "a\u{2069}b",
        "\u{200b}",
        "\u{feff} \u{3164}",
    ] {
        assert!(bad("name", s), "{s:?}");
    }
    assert!(bad("note", "a\u{1b}b") && bad("note", "a\u{202e}b"));
}
