//! Hostile content: names, team names, reasons and notes with markup, formula prefixes,
//! right-to-left and zero-width characters, emoji and very long strings are escaped or
//! neutralised in pages, bulletins, CSV and JSON; ids that try to leave `output/` are rejected.

mod common;

use common::*;

const NAME: &str = "=HYPERLINK(\"http://evil.example\",\"点我\")";

/// The markup of a page with every quoted attribute value removed: what remains is where data
/// could become live markup (inside a quoted value, `<` is only text).
fn markup(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("=\"") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        match rest.find('"') {
            Some(j) => rest = &rest[j..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}
const VETO: &str = "@SUM(1+1) <b>违规</b>";

fn hostile() -> tempfile::TempDir {
    let site = site_from(&conformance_dir().join("basic/content"));
    let c = site.path().join("content");
    let long = "长".repeat(5000);
    let m = std::fs::read_to_string(c.join("managers.yaml"))
        .unwrap()
        .replacen(
            "name: 张伟,",
            &format!("name: '{}',", NAME.replace('\'', "''")),
            1,
        )
        .replacen(
            "name: 城区片区}",
            // A direction mark (U+200F) rather than an override: overrides are refused by
            // `check` (tests/safety_output.rs).
            "name: \"<img src=x onerror=alert(1)>城区\\u200f片区\\u200b🚬\"}",
            1,
        )
        .replacen("name: 王强,", &format!("name: {long},"), 1)
        .replacen(
            "team: chengqu, grade: 三级客户经理",
            "team: chengqu, email: zw@example.com, grade: 三级客户经理",
            1,
        );
    write(&c.join("managers.yaml"), &m);
    let r = std::fs::read_to_string(c.join("results/2026-04.yaml"))
        .unwrap()
        .replacen("    complaints: 0\n", &format!("    complaints: 0\n    veto: '{VETO}'\n    bonus: [{{points: 1, reason: \"-1+1 </td><script>x()</script>\"}}]\n"), 1);
    write(&c.join("results/2026-04.yaml"), &r);
    let s = std::fs::read_to_string(c.join("site.yaml")).unwrap()
        + "bulletin:\n  from: \"绩效通报 <kpi@example.com>\"\n  to: [all@example.com]\n  personal: true\n";
    write(&c.join("site.yaml"), &s);
    site
}

#[test]
fn csv_json_pages_and_bulletins_escape_hostile_strings() {
    let site = hostile();
    let b = rankpress(site.path(), &["build"]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let out = site.path().join("output");

    // CSV: text cells that a spreadsheet would evaluate are prefixed with '.
    let csv = std::fs::read_to_string(out.join("data/rankings/2026-04.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("\"'@SUM(1+1) <b>违规</b>\""), "{csv}");
    assert!(!csv.lines().any(|l| l
        .split(',')
        .any(|cell| cell.starts_with('=') || cell.starts_with('@'))));

    // JSON: strings round-trip exactly.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/rankings/2026-04.json")).unwrap())
            .unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["name"] == NAME));
    assert!(rows.iter().any(|r| r["veto"] == VETO));

    // Pages: no live markup from data anywhere.
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = markup(&std::fs::read_to_string(e.path()).unwrap());
        let rel = e.path().strip_prefix(&out).unwrap().display().to_string();
        assert!(!html.contains("<img src=x"), "{rel}: raw img");
        assert!(!html.contains("<b>违规</b>"), "{rel}: raw <b>");
        assert!(!html.contains("<script>x()"), "{rel}: raw script");
        assert!(
            !html.contains("href=\"http://evil"),
            "{rel}: live link from a name"
        );
    }
    let month = std::fs::read_to_string(out.join("months/2026-04/index.html")).unwrap();
    assert!(
        month.contains("&lt;b&gt;违规&lt;&#x2F;b&gt;") || month.contains("&lt;b&gt;违规&lt;/b&gt;"),
        "veto escaped on the month page"
    );

    // Bulletins: the same strings escaped in the HTML; the plain text keeps them as text.
    let bl = rankpress(site.path(), &["bulletin", "--month", "2026-04"]);
    assert!(
        bl.status.success(),
        "{}",
        String::from_utf8_lossy(&bl.stderr)
    );
    let preview =
        markup(&std::fs::read_to_string(site.path().join("bulletins/2026-04.html")).unwrap());
    assert!(!preview.contains("<img src=x"), "raw img in the bulletin");
    assert!(!preview.contains("<script"), "script in the bulletin");
    assert!(
        preview.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "team name escaped in the bulletin text"
    );
    let eml = std::fs::read_to_string(site.path().join("bulletins/2026-04/zhang-wei.eml")).unwrap();
    assert!(!eml.contains("<script>x()"));
}

#[test]
fn ids_that_would_leave_the_output_folder_are_rejected() {
    for (file, from, to) in [
        ("managers.yaml", "{id: chengqu,", "{id: ../../etc,"),
        ("managers.yaml", "{id: zhang-wei,", "{id: /abs,"),
        ("site.yaml", "{id: sales,", "{id: 'sales/../../x',"),
        ("site.yaml", "{id: overall,", "{id: 'C:\\\\x',"),
    ] {
        let site = site_from(&conformance_dir().join("basic/content"));
        let p = site.path().join("content").join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{from}");
        write(&p, &text.replacen(from, to, 1));
        let out = rankpress(site.path(), &["build"]);
        assert_eq!(out.status.code(), Some(1), "{to}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("不是合法的编号"), "{to}: {err}");
        assert!(!site.path().join("output").exists());
    }
    // A page whose file name is not an id.
    let site = site_from(&conformance_dir().join("basic/content"));
    write(
        &site.path().join("content/pages/Bad Name.md"),
        "---\ntitle: x\n---\nx\n",
    );
    let out = rankpress(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Bad Name.md"));
}
