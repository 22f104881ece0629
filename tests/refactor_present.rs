//! The shared presentation layer end to end: the month page and the team bulletin of the same
//! month show the same numbers and the same words (average, distribution bins and counts, team
//! averages, rank change), because both are built from `rankpress::present`.

mod common;

use common::smtp::small_site;
use common::*;

fn ok(o: &std::process::Output) {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The `alt` text of the bulletin image whose alt starts with `title`.
fn alt<'a>(html: &'a str, title: &str) -> &'a str {
    let start = html
        .find(&format!("alt=\"{title}"))
        .unwrap_or_else(|| panic!("no image titled {title}"))
        + 5;
    let end = start + html[start..].find('"').unwrap();
    &html[start..end]
}

#[test]
fn month_page_and_team_bulletin_show_the_same_numbers() {
    let site = small_site(2525, "");
    let d = site.path();
    ok(&rankpress(d, &["build"]));
    ok(&rankpress(d, &["bulletin"]));
    let out = d.join("output");
    let page = std::fs::read_to_string(out.join("months/2026-04/index.html")).unwrap();
    let mail = std::fs::read_to_string(d.join("bulletins/2026-04.html")).unwrap();

    // The month's average: the page's headline and the bulletin's summary.
    let dd = page.find("平均分</dt><dd>").expect("headline average") + "平均分</dt><dd>".len();
    let average = &page[dd..dd + page[dd..].find('<').unwrap()];
    assert!(average.contains('.'), "{average}");
    assert!(
        mail.contains(&format!(">{average}</div>")),
        "bulletin average {average}"
    );

    // The distribution: same title, same bins, same counts as the page's chart table.
    let dist = alt(&mail, "2026年4月总分分布");
    let (_, cells) = dist.split_once('：').unwrap();
    let mut bins = 0;
    for cell in cells.split('，') {
        let (range, n) = cell.rsplit_once(' ').unwrap();
        let row = format!(
            "<th scope=\"row\">{}</th><td class=\"num\">{n}</td>",
            range.replace('<', "&lt;")
        );
        assert!(page.contains(&row), "page lacks {row}");
        bins += 1;
    }
    assert!(bins >= 2, "{dist}");
    assert!(page.contains("2026年4月总分分布"));

    // Team averages: the bulletin's chart and the page's chart table.
    let teams = alt(&mail, "2026年4月各片区平均分");
    for cell in teams.split_once('：').unwrap().1.split('，') {
        let (team, avg) = cell.rsplit_once(' ').unwrap();
        let row = format!("<th scope=\"row\">{team}</th><td class=\"num\">{avg}</td>");
        assert!(page.contains(&row), "page lacks {row}");
    }

    // Rank change: the bulletin's words are the site's (↑n / ↓n / — / 新), never its own.
    let raw = std::fs::read(d.join("bulletins/2026-04.eml")).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let text = msg.body_text(0).unwrap().into_owned();
    assert!(text.contains("升降"), "{text}");
    for old in ["持平", "新上榜", "参评人数", "本月说明"] {
        assert!(
            !mail.contains(old) && !text.contains(old),
            "old wording {old}"
        );
    }
    assert!(mail.contains("升降") && page.contains("升降"));
}
