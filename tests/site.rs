//! The published site: every page exists with the numbers of the exports, every link resolves
//! inside the output, nothing comes from another host, data is escaped, English leaves no
//! Chinese label, builds are reproducible, site templates override the theme, and a real
//! browser loads the pages without console errors.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// Builds the site at `root` into `root/out` and returns the output folder.
fn build(root: &Path) -> PathBuf {
    let out = root.join("out");
    let run = rankpress(
        root,
        &["build", "--root", ".", "--output", out.to_str().unwrap()],
    );
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file of the output, by relative path.
fn files(out: &Path) -> BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

fn html_pages(out: &Path) -> Vec<(String, String)> {
    files(out)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, p)| (k, read(&p)))
        .collect()
}

/// The values of `attr="..."` in a page.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        if let Some(j) = rest.find('"') {
            out.push(&rest[..j]);
            rest = &rest[j..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
}

/// Every href/src of every page resolves to a file in the output; no link leaves the output or
/// names a folder without `index.html`; no reference to another host.
fn check_links(out: &Path) {
    let mut problems = Vec::new();
    for (rel, html) in html_pages(out) {
        let dir = Path::new(&rel).parent().unwrap().to_path_buf();
        for attr in ["href", "src"] {
            for v in attr_values(&html, attr) {
                let v = unescape(v);
                let lower = v.to_ascii_lowercase();
                if lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || v.starts_with("//")
                {
                    problems.push(format!("{rel}: external {attr}={v}"));
                    continue;
                }
                if v.starts_with('#') || lower.starts_with("mailto:") {
                    continue;
                }
                let path = v.split(['#', '?']).next().unwrap();
                let mut target = dir.clone();
                for seg in path.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            if !target.pop() {
                                problems.push(format!("{rel}: {attr}={v} leaves the output"));
                            }
                        }
                        s => target.push(s),
                    }
                }
                let full = out.join(&target);
                if !full.is_file() {
                    problems.push(format!("{rel}: {attr}={v} does not resolve to a file"));
                }
            }
        }
        for bad in ["url(http", "url(//", "@import"] {
            if html.contains(bad) {
                problems.push(format!("{rel}: contains {bad}"));
            }
        }
    }
    for (rel, p) in files(out) {
        if rel.ends_with(".css") || rel.ends_with(".js") {
            let text = read(&p);
            if text.contains("http://") || text.contains("https://") || text.contains("url(") {
                problems.push(format!("{rel}: references a URL"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The text content of the first `<tbody>` row of the table with id `ranking`.
fn first_ranking_row(html: &str) -> String {
    let t = html.find("id=\"ranking\"").expect("ranking table");
    let body = &html[t..];
    let b = body.find("<tbody>").unwrap();
    let row = &body[b..];
    let end = row.find("</tr>").unwrap();
    strip_tags(&row[..end])
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every month page shows the export's ranking: the first row's rank, name and total, and
/// every manager's total.
fn check_months_match_exports(out: &Path) {
    for (rel, p) in files(out) {
        let Some(month) = rel
            .strip_prefix("data/rankings/")
            .and_then(|r| r.strip_suffix(".json"))
        else {
            continue;
        };
        let json: serde_json::Value = serde_json::from_str(&read(&p)).unwrap();
        let page = read(&out.join(format!("months/{month}/index.html")));
        let rows = json["rows"].as_array().unwrap();
        if let Some(first) = rows.first() {
            let row = first_ranking_row(&page);
            let rank = first["rank"].as_u64().unwrap().to_string();
            let name = first["name"].as_str().unwrap();
            let total = format!("{:.2}", first["total"].as_f64().unwrap());
            assert!(
                row.starts_with(&rank),
                "{month}: first row {row:?} rank {rank}"
            );
            assert!(
                row.contains(&tera_escape(name)),
                "{month}: first row {row:?} lacks {name}"
            );
            // The total follows the name (and its badges): where the eye lands (issue 14).
            let after = &row[row.find(&tera_escape(name)).unwrap() + tera_escape(name).len()..];
            assert!(
                after.split_whitespace().take(2).any(|w| w == total),
                "{month}: first row {row:?} total {total}"
            );
        }
        for r in rows {
            let total = format!("{:.2}", r["total"].as_f64().unwrap());
            let id = r["id"].as_str().unwrap();
            assert!(
                page.contains(&format!("managers/{id}/index.html")),
                "{month}: no link to {id}"
            );
            assert!(page.contains(&total), "{month}: no total {total}");
            let mpage = read(&out.join(format!("managers/{id}/index.html")));
            assert!(mpage.contains(&total), "{id}: no total {total} for {month}");
            assert!(
                mpage.contains(&format!("months/{month}/index.html")),
                "{id}: no link to {month}"
            );
        }
    }
}

fn tera_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const SECTION_PAGES: &[&str] = &[
    "index.html",
    "months/index.html",
    "managers/index.html",
    "teams/index.html",
    "years/index.html",
    "training/index.html",
    "awards/index.html",
    "incentives/index.html",
    "rules/index.html",
    "static/style.css",
    "static/site.js",
];

#[test]
fn demo_site_has_every_page_with_the_exported_numbers() {
    let site = site_from(&repo().join("content"));
    let out = build(site.path());
    for p in SECTION_PAGES {
        assert!(out.join(p).is_file(), "{p} missing");
    }
    for p in [
        "months/2026-10/index.html",
        "managers/zhang-wei/index.html",
        "teams/chengqu/index.html",
        "years/2026/index.html",
        "years/2025/index.html",
        "training/2026-10/index.html",
        "training/2026/index.html",
        "pages/about/index.html",
    ] {
        assert!(out.join(p).is_file(), "{p} missing");
    }
    let files = files(&out);
    let sessions = files
        .keys()
        .filter(|k| k.starts_with("training/sessions/"))
        .count();
    assert!(sessions > 20, "{sessions} session pages");
    check_months_match_exports(&out);
    check_links(&out);

    let month = read(&out.join("months/2026-10/index.html"));
    assert!(month.contains("<html lang=\"zh-CN\">"));
    assert!(month.contains("<title>2026年10月客户经理绩效排名 · 城关县局客户经理绩效通报</title>"));
    for s in [
        "小计",
        "营销业绩",
        "后进名单",
        "品牌培育之星",
        "通报说明",
        "<strong>102.4%</strong>",
        "<svg",
        "data/rankings/2026-10.csv",
    ] {
        assert!(month.contains(s), "month page lacks {s}");
    }
    assert!(month.contains("class=\"chg up\"") && month.contains("class=\"chg down\""));
    // Footer: organisation and data month on every page.
    for (rel, html) in html_pages(&out) {
        assert!(html.starts_with("<!DOCTYPE html>"), "{rel}");
        assert!(html.contains("数据月份：2026年10月"), "{rel}: footer");
        assert!(
            html.contains("城关县烟草专卖局营销部"),
            "{rel}: organisation"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{rel}: one h1");
    }
    let zhang = read(&out.join("managers/zhang-wei/index.html"));
    for s in [
        "得分明细",
        "484 / 460 = 105.22%",
        "原始数据",
        "计分规则",
        "零售户微信订货提醒",
        "参加培训",
    ] {
        assert!(zhang.contains(s), "manager page lacks {s}");
    }
    let annual: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/annual/2026.json"))).unwrap();
    let year = read(&out.join("years/2026/index.html"));
    for r in annual["rows"].as_array().unwrap() {
        assert!(year.contains(&format!("{:.2}", r["average"].as_f64().unwrap())));
    }
    for id in annual["excellence"].as_array().unwrap() {
        assert!(year.contains(&format!("managers/{}/index.html", id.as_str().unwrap())));
    }
    let training: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/training/2026.json"))).unwrap();
    let tpage = read(&out.join("training/2026/index.html"));
    for m in training["plan"]["missing"].as_array().unwrap() {
        let _ = m;
        assert!(tpage.contains("有头无尾"));
    }
    let rules = read(&out.join("rules/index.html"));
    for s in [
        "卷烟销量完成率",
        "需求预测准确率",
        "品牌培育之星",
        "后进名单",
        "0.5",
    ] {
        assert!(rules.contains(s), "rules lack {s}");
    }
}

#[test]
fn conformance_fixtures_build_every_page() {
    for fx in ["basic", "full"] {
        let site = site_from(&conformance_dir().join(fx).join("content"));
        let out = build(site.path());
        for p in SECTION_PAGES {
            assert!(out.join(p).is_file(), "{fx}: {p} missing");
        }
        check_months_match_exports(&out);
        check_links(&out);
    }
}

/// A copy of the basic fixture with hostile strings in names, notes and pages.
fn hostile_site() -> tempfile::TempDir {
    let site = site_from(&conformance_dir().join("basic").join("content"));
    let managers = site.path().join("content/managers.yaml");
    let text = read(&managers);
    // Rename the first manager (flow style: `{id: x, name: NAME, ...}`).
    assert!(
        text.contains("name: 张伟,"),
        "fixture changed; adjust the test"
    );
    write(
        &managers,
        &text.replacen("name: 张伟,", "name: \"<script>alert(1)</script>\",", 1),
    );
    let results = site.path().join("content/results");
    let mut months: Vec<_> = std::fs::read_dir(&results)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    months.sort();
    let last = months.last().unwrap();
    let text = read(last);
    // Drop the month's own note, if any (the `note:` line and its indented block).
    let mut kept = Vec::new();
    let mut in_note = false;
    for line in text.lines() {
        if line.starts_with("note:") {
            in_note = true;
            continue;
        }
        if in_note && (line.starts_with(' ') || line.is_empty()) {
            continue;
        }
        in_note = false;
        kept.push(line);
    }
    let text = kept.join("\n") + "\n";
    let (first, rest) = text.split_once('\n').unwrap();
    write(
        last,
        &format!(
            "{first}\nnote: |\n  <script>alert(2)</script>\n\n  <img src=x onerror=alert(3)>\n\n  [click](javascript:alert(4)) <a href=\"javascript:alert(5)\">x</a> **ok**\n{rest}"
        ),
    );
    write(
        &site.path().join("content/pages/evil.md"),
        "---\ntitle: \"<b>evil</b>\"\norder: 1\n---\n\n<script>alert(6)</script><iframe src=\"https://evil.example\"></iframe>\n\n[x](javascript:alert(7))\n",
    );
    site
}

#[test]
fn hostile_strings_are_escaped_or_sanitised_everywhere() {
    let site = hostile_site();
    let out = build(site.path());
    let mut seen_escaped = 0;
    for (rel, html) in html_pages(&out) {
        assert!(!html.contains("<script>alert"), "{rel}: raw script");
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"),
            "{rel}: javascript: link"
        );
        assert!(!html.contains("onerror"), "{rel}: event handler");
        assert!(!html.contains("<iframe"), "{rel}: iframe");
        assert!(!html.contains("<b>evil</b>"), "{rel}: raw title");
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{rel}: only the site script"
        );
        if html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") {
            seen_escaped += 1;
        }
    }
    assert!(
        seen_escaped >= 3,
        "the escaped name shows on {seen_escaped} pages"
    );
    let months = files(&out)
        .into_keys()
        .rfind(|k| k.starts_with("months/20"))
        .unwrap();
    let page = read(&out.join(months));
    assert!(
        page.contains("<strong>ok</strong>"),
        "the note's Markdown is rendered"
    );
}

/// A small English site whose data is ASCII.
fn english_site() -> tempfile::TempDir {
    let dir = tempdir();
    let c = dir.path().join("content");
    write(
        &c.join("site.yaml"),
        "title: County Performance Bulletin\norganization: Marketing Department\nlanguage: en\nindicators:\n  - {id: sales, name: Sales, group: Marketing, method: ratio, weight: 40, cap: 1.2, floor: 0.8}\n  - {id: price, name: Price, group: Marketing, method: ratio, weight: 20, cap: 1.1}\n  - {id: forecast, name: Forecast, method: linear, weight: 20, target: 95, per_unit_below: 0.5, per_unit_above: 1, min: 0, max: 24}\n  - {id: visits, name: Visits, group: Service, method: percent, weight: 10}\n  - {id: complaints, name: Complaints, group: Service, method: deduct, per_unit: 2, limit: 6}\n  - {id: training, name: Training, method: training, weight: 10}\nawards:\n  - {id: star, name: Sales star, indicator: sales, top: 1, min: 1.0}\n  - {id: overall, name: Overall star, indicator: total, top: 2}\nwatch: {bottom: 1}\nsuggestions: {bonus_per_adopted: 0.5}\n",
    );
    write(
        &c.join("managers.yaml"),
        "teams:\n  - {id: north, name: North}\n  - {id: south, name: South}\nmanagers:\n  - {id: ann, name: Ann Lee, team: north, grade: Senior}\n  - {id: bob, name: Bob Wu, team: north}\n  - {id: cy, name: Cy Ho, team: south}\n  - {id: di, name: Di Ma, team: south, joined: 2026-01-01}\n",
    );
    for (m, shift) in [("2026-01", 0.0), ("2026-02", 7.0)] {
        let mut s = format!("month: {m}\nnote: |\n  A **calm** month.\nresults:\n");
        for (i, id) in ["ann", "bob", "cy", "di"].iter().enumerate() {
            let a = 100.0 + shift * (i as f64 - 1.5) + 3.0 * i as f64;
            s.push_str(&format!(
                "  {id}:\n    sales: {{actual: {a}, target: 100}}\n    price: {{actual: 98, target: 100}}\n    forecast: {}\n    visits: 96\n    complaints: {}\n",
                90 + i,
                i % 2
            ));
            if *id == "bob" && m == "2026-02" {
                s.push_str("    bonus: [{points: 1, reason: Market check}]\n    deductions: [{points: 0.5, reason: Late report}]\n");
            }
            if *id == "cy" && m == "2026-02" {
                s.push_str("    veto: Serious violation\n");
            }
        }
        write(&c.join(format!("results/{m}.yaml")), &s);
    }
    write(
        &c.join("trainings/t1.yaml"),
        "id: t1\ntitle: Product training\ndate: 2026-02-10\nkind: routine\ntopic: Products\nhours: 3\ninstructor: Wang\nplan: p1\nattendees:\n  ann: {present: true, score: 90}\n  bob: {present: true, score: 55}\n  cy: {present: false, excused: true, reason: Sick}\n  di: {present: false}\n",
    );
    write(
        &c.join("training-plan.yaml"),
        "plans:\n  - {id: p1, month: 2026-02, title: Product training, kind: routine}\n  - {id: p2, month: 2026-02, title: Law training}\n",
    );
    write(
        &c.join("suggestions.yaml"),
        "suggestions:\n  - {manager: ann, month: 2026-02, kind: supply, text: More slim cigarettes, adopted: true}\n",
    );
    write(
        &c.join("innovations.yaml"),
        "innovations:\n  - {id: app, title: Order reminder, month: 2026-02, managers: [bob], grade: Second, bonus: 1}\n",
    );
    write(
        &c.join("competitions/c1.yaml"),
        "id: c1\nname: Skills contest\ndate: 2026-01-20\nresults:\n  - {manager: di, place: 1, prize: First, bonus: 2}\n",
    );
    write(
        &c.join("pages/about.md"),
        "---\ntitle: About\norder: 1\n---\n\n# About\n\nThis site publishes rankings.\n",
    );
    dir
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

#[test]
fn english_site_has_no_chinese_label() {
    let site = english_site();
    let out = build(site.path());
    for p in SECTION_PAGES {
        assert!(out.join(p).is_file(), "{p} missing");
    }
    for (rel, html) in html_pages(&out) {
        assert!(html.contains("<html lang=\"en\">"), "{rel}");
        if let Some(c) = html.chars().find(|c| is_cjk(*c)) {
            let i = html.find(c).unwrap();
            let from = html[..i]
                .char_indices()
                .rev()
                .nth(60)
                .map(|x| x.0)
                .unwrap_or(0);
            panic!(
                "{rel}: Chinese character {c:?} near {:?}",
                &html[from..(i + 40).min(html.len())]
            );
        }
    }
    let month = read(&out.join("months/2026-02/index.html"));
    for s in [
        "Veto",
        "Serious violation",
        "Watch list",
        "Subtotal",
        "Marketing",
        "Sales star",
    ] {
        assert!(month.contains(s), "English month page lacks {s}");
    }
    let bob = read(&out.join("managers/bob/index.html"));
    for s in [
        "Why this score",
        "Market check",
        "Late report",
        "Order reminder",
        "Product training",
    ] {
        assert!(bob.contains(s), "English manager page lacks {s}");
    }
    let t = read(&out.join("training/2026-02/index.html"));
    assert!(t.contains("Not held"), "the plan entry not held is flagged");
    check_months_match_exports(&out);
    check_links(&out);
}

/// A quarter's or year's ranking shows managers vetoed in one of its months on a red row: the
/// page says so under the table (issue 19), and only when there is such a row.
#[test]
fn vetoed_rows_of_quarters_and_years_are_explained() {
    let site = site_from(&repo().join("content"));
    let out = build(site.path());
    let mut explained = 0;
    for (rel, html) in html_pages(&out) {
        if !(rel.starts_with("quarters/2") || rel.starts_with("years/2")) {
            continue;
        }
        let vetoed = html.split("<tr class=\"").skip(1).any(|rest| {
            rest.split('"')
                .next()
                .is_some_and(|c| c.split(' ').any(|c| c == "vetoed"))
        });
        let legend = "<p class=\"legend\"><span class=\"swatch vetoed\" aria-hidden=\"true\"></span> 红底的行：期间有月份被一票否决";
        assert_eq!(html.contains(legend), vetoed, "{rel}: vetoed rows {vetoed}");
        explained += usize::from(vetoed);
    }
    assert!(explained >= 2, "the demo has a vetoed quarter and year");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = site_from(&repo().join("content"));
    let a = build(site.path());
    let first: BTreeMap<String, Vec<u8>> = files(&a)
        .into_iter()
        .map(|(k, p)| (k, std::fs::read(p).unwrap()))
        .collect();
    let b = build(site.path());
    let second: BTreeMap<String, Vec<u8>> = files(&b)
        .into_iter()
        .map(|(k, p)| (k, std::fs::read(p).unwrap()))
        .collect();
    assert_eq!(first.len(), second.len());
    for (k, v) in &first {
        assert!(second.get(k) == Some(v), "{k} differs between builds");
    }
}

#[test]
fn site_templates_static_files_and_labels_override_the_theme() {
    let site = site_from(&conformance_dir().join("basic").join("content"));
    write(
        &site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<div class=\"mine\">{{ body | safe }}</div>{% endblock content %}",
    );
    write(
        &site.path().join("templates/rules.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>OWN RULES</h1>{% for i in indicators %}<p>{{ i.name }}: {{ i.rule }}</p>{% endfor %}{% endblock content %}",
    );
    write(&site.path().join("static/style.css"), "body{color:red}");
    write(&site.path().join("static/logo.txt"), "extra");
    write(&site.path().join("i18n/zh-CN.yaml"), "nav_home: 主页\n");
    write(
        &site.path().join("content/pages/x.md"),
        "---\ntitle: X\norder: 1\n---\nhello\n",
    );
    let out = build(site.path());
    assert!(read(&out.join("pages/x/index.html")).contains("<div class=\"mine\"><p>hello</p>"));
    assert!(read(&out.join("rules/index.html")).contains("OWN RULES"));
    assert_eq!(read(&out.join("static/style.css")), "body{color:red}");
    assert_eq!(read(&out.join("static/logo.txt")), "extra");
    assert!(
        out.join("static/site.js").is_file(),
        "theme files not overridden remain"
    );
    assert!(read(&out.join("index.html")).contains(">主页</a>"));

    // A broken site template fails the build with the template's name and leaves no output.
    write(&site.path().join("templates/page.html"), "{% if %}");
    let run = rankpress(site.path(), &["build", "--root", ".", "--output", "out2"]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("page.html"));
    assert!(!site.path().join("out2").exists());
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|n| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
    })
}

/// Loads a page in headless chromium; returns (stderr console lines, dumped DOM).
fn load_in_browser(exe: &Path, url: &str) -> (Vec<String>, String) {
    let profile = tempdir();
    let out = std::process::Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Not allowed to load local resource"))
        .map(String::from)
        .collect();
    (console, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn chromium_loads_pages_without_console_errors() {
    let exe = chromium();
    if !common::prereq::require_prerequisite(
        "chromium",
        exe.is_some(),
        "apt-get install chromium fonts-noto-cjk (tools/test installs every test prerequisite)",
        "RANKPRESS_SKIP_BROWSER",
    ) {
        return;
    }
    let exe = exe.expect("checked");
    let site = site_from(&repo().join("content"));
    let out = build(site.path());
    for (page, sentinel) in [
        ("index.html", None),
        ("months/2026-10/index.html", Some("sortable-col")),
        ("managers/zhang-wei/index.html", Some("sortable-col")),
        ("managers/index.html", Some("<p class=\"filter\">")),
        ("training/index.html", Some("sortable-col")),
    ] {
        let url = format!("file://{}", out.join(page).display());
        let (console, dom) = load_in_browser(&exe, &url);
        assert!(
            console.is_empty(),
            "{page}: console messages:\n{}",
            console.join("\n")
        );
        assert!(dom.contains("</html>"), "{page}: no DOM dumped");
        if let Some(s) = sentinel {
            assert!(
                dom.contains(s),
                "{page}: the script did not run to completion (no {s})"
            );
        }
    }
}

/// The output's files and their bytes.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    files(out)
        .into_iter()
        .map(|(k, p)| (k, std::fs::read(p).unwrap()))
        .collect()
}

/// A rebuild into the previous output reuses the pages whose inputs did not change (page
/// fingerprints beside the output, unchanged files hard-linked): it must give exactly the
/// bytes of a build into an empty folder, after a data change and after a template change.
#[test]
fn a_rebuild_after_a_change_equals_a_fresh_build() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    let check = |what: &str| {
        let out = build(root);
        let fresh = root.join(format!("fresh-{what}"));
        let run = rankpress(
            root,
            &["build", "--root", ".", "--output", fresh.to_str().unwrap()],
        );
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let (a, b) = (snapshot(&out), snapshot(&fresh));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{what}"
        );
        for (k, v) in &a {
            assert!(
                b.get(k) == Some(v),
                "{what}: {k} differs from a fresh build"
            );
        }
    };
    check("first");
    // One number in the newest results file.
    let mut results: Vec<PathBuf> = std::fs::read_dir(root.join("content/results"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    results.sort();
    let newest = results.last().unwrap();
    let text = read(newest);
    let at = text.find("actual: ").expect("an actual value") + "actual: ".len();
    let digits = text[at..].chars().take_while(char::is_ascii_digit).count();
    let n: u64 = text[at..at + digits].parse().unwrap();
    let changed = format!("{}{}{}", &text[..at], n + 37, &text[at + digits..]);
    std::fs::write(newest, changed).unwrap();
    check("data");
    // A site template overriding the theme changes every page that uses it.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let base = String::from_utf8_lossy(
        rankpress::theme::EMBEDDED
            .iter()
            .find(|(p, _)| *p == "templates/base.html")
            .unwrap()
            .1,
    )
    .replace(
        "<main id=\"main\"",
        "<main data-test=\"override\" id=\"main\"",
    );
    std::fs::write(root.join("templates/base.html"), base).unwrap();
    check("template");
    assert!(read(&root.join("out/index.html")).contains("data-test=\"override\""));
    // Manager pages are reused by a fingerprint of their inputs, not of their context: every
    // kind of input they show must change them.
    let edit = |file: &str, from: &str, to: &str| {
        let p = root.join(file);
        let text = read(&p);
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/managers.yaml",
        "name: 城郊片区}",
        "name: 城郊二片区}",
    );
    check("team name");
    edit(
        "content/site.yaml",
        "weight: 20, cap: 1.2",
        "weight: 21, cap: 1.2",
    );
    check("indicator weight");
    edit(
        "content/results/2026-01.yaml",
        "reason: 协助处置零售户纠纷",
        "reason: 协助处置零售户纠纷（补记）",
    );
    check("bonus reason");
    edit(
        "content/trainings/2026/t-2026-08-13-wangji-xinpin.yaml",
        "zhang-wei: {present: true, score: 81}",
        "zhang-wei: {present: true, score: 83}",
    );
    check("training score");
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(
        root.join("i18n/zh-CN.yaml"),
        "why_ratio: 完成率 {r}，得分 {s}（权重 {w}）\nchange_new: 新上榜\n",
    )
    .unwrap();
    check("label override");
    assert!(read(&root.join("out/index.html")).contains("data-test=\"override\""));
    // A correction (a later commit changing a month's results) shows on the month's pages.
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", root.join(".no-global-config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?}: {o:?}");
    };
    std::fs::write(root.join(".gitignore"), "/out/\n/fresh-*/\n/.*\n").unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "data"]);
    check("git");
    edit(
        "content/results/2026-01.yaml",
        "reason: 协助处置零售户纠纷（补记）",
        "reason: 协助处置零售户纠纷",
    );
    git(&["commit", "-q", "-am", "correction"]);
    check("correction");
    assert!(
        walkdir::WalkDir::new(root.join("out/managers"))
            .into_iter()
            .flatten()
            .any(|e| e.file_type().is_file() && read(e.path()).contains("correction")),
        "the correction shows on a manager page"
    );
}
