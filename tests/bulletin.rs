//! Monthly email bulletins end to end: the written `.eml` files parsed with a real MIME parser,
//! the preview, the build leaving the bulletins folder alone, and sending to a real SMTP server (Python
//! `aiosmtpd`, tests/smtp_server.py) with STARTTLS and AUTH, including resume after the server
//! dies part-way.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::smtp::*;
use common::*;
use mail_parser::{MessageParser, MimeHeaders, PartType};

const DEMO_FROM: &str = "kpi@cgxyc.example.com";

/// The demo site (repository content/), copied.
fn demo_site() -> tempfile::TempDir {
    site_from(&repo().join("content"))
}

fn ok(o: &Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "failed: {:?}\n{out}\n{err}", o.status);
    format!("{out}{err}")
}

/// Describes the MIME tree: `multipart/alternative(text/plain,multipart/related(…))`.
fn tree(msg: &mail_parser::Message, id: u32) -> String {
    let part = &msg.parts[id as usize];
    let ct = part
        .content_type()
        .map(|c| format!("{}/{}", c.c_type, c.c_subtype.as_deref().unwrap_or("")))
        .unwrap_or_default();
    match &part.body {
        PartType::Multipart(kids) => format!(
            "{ct}({})",
            kids.iter()
                .map(|k| tree(msg, *k))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => ct,
    }
}

/// Every `attr="…"` value of `tag` elements in `html`.
fn attrs<'a>(html: &'a str, tag: &str, attr: &str) -> Vec<Option<&'a str>> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let el = &rest[i..];
        let end = el.find('>').unwrap();
        let el = &el[..end];
        let key = format!(" {attr}=\"");
        out.push(el.find(&key).map(|j| {
            let v = &el[j + key.len()..];
            &v[..v.find('"').unwrap()]
        }));
        rest = &rest[i + end..];
    }
    out
}

struct Checked {
    subject: String,
    text: String,
    html: String,
    to: Vec<String>,
    pngs: usize,
}

/// Parses one bulletin and checks everything a mail client depends on.
fn check_eml(path: &Path, from_addr: &str) -> Checked {
    let raw = std::fs::read(path).unwrap();
    let msg = MessageParser::default()
        .parse(&raw)
        .expect("parses as MIME");
    let t = tree(&msg, 0);
    assert!(
        t.starts_with("multipart/alternative(text/plain,multipart/related(text/html,image/png"),
        "{}: structure {t}",
        path.display()
    );
    let subject = msg.subject().unwrap().to_string();
    let from = msg.from().unwrap().first().unwrap();
    assert_eq!(from.name.as_deref(), Some("绩效通报"));
    assert_eq!(from.address.as_deref(), Some(from_addr));
    let raw_text = String::from_utf8_lossy(&raw);
    let subject_line = raw_text
        .lines()
        .find(|l| l.starts_with("Subject:"))
        .unwrap();
    assert!(
        subject_line.contains("=?utf-8?b?"),
        "RFC 2047: {subject_line}"
    );
    assert!(
        msg.message_id()
            .unwrap()
            .ends_with(&format!("@{}", from_addr.split('@').nth(1).unwrap())),
        "{:?}",
        msg.message_id()
    );
    assert!(raw_text.contains("\nDate: "), "has a Date");
    let to = msg
        .to()
        .unwrap()
        .iter()
        .map(|a| a.address.as_deref().unwrap().to_string())
        .collect();
    let text = msg.body_text(0).unwrap().to_string();
    let html = msg.body_html(0).unwrap().to_string();

    // The HTML: inlined CSS, nothing a mail client strips or blocks.
    assert!(html.len() < 100 * 1024, "HTML {} bytes", html.len());
    let lower = html.to_lowercase();
    for bad in [
        "<style",
        "<script",
        "<svg",
        "data:",
        "<link",
        "@media",
        "class=\"img\" src=\"http",
    ] {
        assert!(
            !lower.contains(bad),
            "{}: HTML contains {bad}",
            path.display()
        );
    }
    assert!(html.matches(" style=\"").count() > 50, "inline styles");
    assert!(html.contains("width=\"600\""), "600px table layout");
    assert!(lower.contains("<table"), "table layout");
    // Every element that had a class got its rules inlined.
    for (i, st) in attrs(&html, "td", "style").iter().enumerate().take(30) {
        assert!(st.is_some(), "td #{i} has no inline style");
    }

    // Every image: cid: source with a matching part, width, height, alt; PNG decodes at 2×.
    let mut cids: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for p in &msg.parts {
        if let (Some(ct), PartType::Binary(b) | PartType::InlineBinary(b)) =
            (p.content_type(), &p.body)
        {
            if ct.c_type == "image" {
                let id = p.content_id().expect("image has a Content-ID");
                cids.insert(id.trim_matches(['<', '>']).to_string(), b.to_vec());
            }
        }
    }
    let srcs = attrs(&html, "img", "src");
    assert!(!srcs.is_empty());
    let widths = attrs(&html, "img", "width");
    let heights = attrs(&html, "img", "height");
    let alts = attrs(&html, "img", "alt");
    for (i, src) in srcs.iter().enumerate() {
        let src = src.expect("img has src");
        let cid = src.strip_prefix("cid:").expect("src is cid:");
        let png_bytes = cids.get(cid).unwrap_or_else(|| panic!("no part for {src}"));
        let w: u32 = widths[i].unwrap().parse().unwrap();
        let h: u32 = heights[i].unwrap().parse().unwrap();
        assert!(alts[i].unwrap().chars().count() > 10, "alt text");
        let dec = png::Decoder::new(std::io::Cursor::new(png_bytes.clone()));
        let reader = dec.read_info().expect("PNG decodes");
        let info = reader.info();
        assert_eq!((info.width, info.height), (2 * w, 2 * h), "PNG at 2×");
    }
    assert_eq!(srcs.len(), cids.len(), "every image part is used");
    Checked {
        subject,
        text,
        html,
        to,
        pngs: cids.len(),
    }
}

#[test]
fn demo_bulletin_parses_and_reads_well() {
    let site = demo_site();
    let out = ok(&rankpress(site.path(), &["bulletin"]));
    assert!(
        out.contains("wqy") || out.contains("Noto") || out.contains("font"),
        "{out}"
    );
    let b = site.path().join("bulletins");
    let team = check_eml(&b.join("2026-10.eml"), DEMO_FROM);
    assert_eq!(team.subject, "城关县局客户经理绩效通报 2026年10月");
    assert_eq!(team.to, vec!["all-managers@cgxyc.example.com"]);
    assert_eq!(team.pngs, 3);
    // The ranking as aligned text: the total column ends at the same display column on every row.
    let lines: Vec<&str> = team
        .text
        .lines()
        .skip_while(|l| !l.starts_with("名次  姓名"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 18, "{}", team.text);
    let ends: BTreeSet<usize> = lines[1..]
        .iter()
        .map(|l| {
            let i = l.find('.').unwrap() + 3;
            unicode_width::UnicodeWidthStr::width(&l[..i])
        })
        .collect();
    assert_eq!(ends.len(), 1, "totals aligned: {lines:#?}");
    assert!(team.text.contains("后进名单"));
    assert!(team
        .html
        .contains("https://kpi.cgxyc.example.com/managers/zhang-wei/index.html"));

    // A personal bulletin for each ranked manager with an email (all 17 in the demo).
    let personal: Vec<PathBuf> = std::fs::read_dir(b.join("2026-10"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(personal.len(), 17);
    let zw = check_eml(&b.join("2026-10/zhang-wei.eml"), DEMO_FROM);
    assert_eq!(
        zw.subject,
        "城关县局客户经理绩效通报 2026年10月 · 张伟的个人通报"
    );
    assert_eq!(zw.to, vec!["zhangwei@cgxyc.example.com"]);
    assert_eq!(zw.pngs, 2);
    for needle in [
        "本月名次",
        "得分明细",
        "卷烟销量完成率",
        "完成率最高按 120% 计",
        "培训考核",
        "本月之星",
        "https://kpi.cgxyc.example.com/managers/zhang-wei/index.html",
    ] {
        assert!(zw.html.contains(needle), "personal HTML lacks {needle}");
        assert!(zw.text.contains(needle), "personal text lacks {needle}");
    }

    // The browser preview points at PNG files written beside it.
    let preview = std::fs::read_to_string(b.join("2026-10.html")).unwrap();
    assert!(!preview.contains("cid:"));
    for src in attrs(&preview, "img", "src") {
        let f = b.join(src.unwrap());
        assert!(f.is_file(), "{} missing", f.display());
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.join("2026-10/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["messages"].as_array().unwrap().len(), 18);
}

#[test]
fn bulletins_are_deterministic_and_survive_a_build() {
    let site = small_site(2525, "");
    let d = site.path();
    ok(&rankpress(d, &["build"]));
    ok(&rankpress(d, &["bulletin"]));
    let b = d.join("bulletins");
    let snapshot = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let first = snapshot(&b);
    assert!(first.contains_key("2026-04.eml"), "{:?}", first.keys());
    assert!(first.contains_key("2026-04/zhang-wei.eml"));
    // A build replaces the site and never touches the bulletins folder.
    std::fs::write(
        b.join("2026-04/sent.log"),
        "x\tteam\t<id>\tall@example.com\n",
    )
    .unwrap();
    ok(&rankpress(d, &["build"]));
    assert!(d.join("output/index.html").is_file());
    assert!(
        b.join("2026-04/sent.log").is_file(),
        "build removed bulletins/"
    );
    std::fs::remove_file(b.join("2026-04/sent.log")).unwrap();
    // Same data, same bytes.
    ok(&rankpress(d, &["bulletin"]));
    assert_eq!(first, snapshot(&b));
    // An earlier month on request; a month without results is refused clearly.
    ok(&rankpress(d, &["bulletin", "--month", "2026-01"]));
    assert!(b.join("2026-01.eml").is_file());
    let o = rankpress(d, &["bulletin", "--month", "2026-03"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("2026-03 没有成绩文件"));
}

#[test]
fn english_site_gets_english_bulletins() {
    let site = small_site(2525, "");
    let s = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&s)
        .unwrap()
        .replace("language: zh-CN", "language: en");
    std::fs::write(&s, text).unwrap();
    ok(&rankpress(site.path(), &["bulletin"]));
    let b = site.path().join("bulletins");
    let team = check_eml(&b.join("2026-04.eml"), "kpi@example.com");
    // The month is labelled as on the English site (the theme's `month_fmt`).
    assert_eq!(team.subject, "示例县局客户经理绩效通报 2026-04");
    assert!(team.text.contains("Monthly ranking"));
    let p = check_eml(&b.join("2026-04/zhang-wei.eml"), "kpi@example.com");
    assert!(p.html.contains("Why this score"));
    assert!(p
        .html
        .contains("https://kpi.example.com/managers/zhang-wei/index.html"));
}

#[test]
fn missing_or_non_cjk_font_fails_clearly() {
    let site = small_site(2525, "  font: fonts/none.ttf");
    let o = rankpress(site.path(), &["bulletin"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("无法绘制通报图表") && err.contains("none.ttf"),
        "{err}"
    );
    assert!(!site.path().join("bulletins").exists());
    let dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if Path::new(dejavu).is_file() {
        let site = small_site(2525, &format!("  font: {dejavu}"));
        let o = rankpress(site.path(), &["bulletin"]);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("中文"), "{err}");
    }
}

#[test]
fn bad_bulletin_settings_are_data_errors() {
    let site = small_site(2525, "");
    let s = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&s)
        .unwrap()
        .replace("绩效通报 <kpi@example.com>", "kpi at example")
        .replace("personal: true", "personal: true\n  bcc: [x@example.com]")
        .replace(
            "base_url: https://kpi.example.com/",
            "base_url: kpi.example.com",
        );
    std::fs::write(&s, text).unwrap();
    let o = rankpress(site.path(), &["check"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("发件人应为邮箱地址"), "{err}");
    assert!(err.contains("bcc"), "{err}");
    assert!(err.contains("base_url"), "{err}");
}

/// The keys the send log (`ROOT/sent/2026-04.log`) records as accepted.
fn logged(site: &Path) -> Vec<String> {
    std::fs::read_to_string(site.join("sent/2026-04.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split('\t').nth(1) == Some("sent"))
        .map(|l| l.split('\t').nth(2).unwrap().to_string())
        .collect()
}

fn manifest_ids(site: &Path) -> BTreeMap<String, String> {
    manifest(site)["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["message_id"]
                    .as_str()
                    .unwrap()
                    .trim_matches(['<', '>'])
                    .to_string(),
                e["key"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn send_over_starttls_with_auth_resumes_after_the_server_dies() {
    if !need_smtp() {
        return;
    }
    // First server: accepts 2 messages, refuses the third and shuts down.
    let mut s1 = Server::start(Some(2), PASSWORD);
    let site = small_site(s1.port, "");
    let d = site.path();
    ok(&rankpress(d, &["bulletin"]));
    let ids = manifest_ids(d);
    let n = ids.len();
    assert!(n >= 5, "team + personal bulletins: {ids:?}");

    // Dry run: says who would get what, sends nothing.
    let o = send(d, &s1, &["--dry-run"]);
    let out = ok(&o);
    assert!(out.contains("all@example.com, boss@example.com"), "{out}");
    assert!(out.contains("zhang-wei@example.com"), "{out}");
    assert!(out.contains("未发送任何邮件"), "{out}");
    assert!(s1.received().is_empty());
    assert!(logged(d).is_empty());

    let o = send(d, &s1, &[]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !o.status.success(),
        "a failed message makes send fail:\n{out}"
    );
    assert!(out.contains("[1/"), "progress lines: {out}");
    assert!(out.contains("本次发送 2"), "summary: {out}");
    let first = s1.received();
    assert_eq!(first.len(), 2, "{out}");
    assert_eq!(logged(d).len(), 2);
    // The team bulletin goes to both recipients in one message.
    assert_eq!(first[0].0, vec!["all@example.com", "boss@example.com"]);
    assert_eq!(first[0].2, "示例县局客户经理绩效通报 2026年4月");
    s1.wait_gone();

    // Second server: the re-run sends only the rest.
    let s2 = Server::start(None, PASSWORD);
    use_port(d, s2.port);
    let out = ok(&send(d, &s2, &[]));
    let second = s2.received();
    assert_eq!(second.len(), n - 2, "{out}");
    let mut seen: Vec<String> = first.iter().chain(&second).map(|r| r.1.clone()).collect();
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "a message was sent twice");
    assert_eq!(
        seen.iter()
            .map(|s| ids[s.as_str()].clone())
            .collect::<BTreeSet<_>>(),
        ids.values().cloned().collect::<BTreeSet<_>>(),
        "every bulletin arrived once"
    );
    // Personal ones go to the manager alone.
    let zw = second
        .iter()
        .chain(&first)
        .find(|r| r.2.contains("张伟"))
        .unwrap();
    assert_eq!(zw.0, vec!["zhang-wei@example.com"]);
    assert_eq!(logged(d).len(), n);

    // Third run: nothing left to send.
    let out = ok(&send(d, &s2, &[]));
    assert!(out.contains("都已发送过"), "{out}");
    assert_eq!(s2.received().len(), n - 2);
    // --force sends everything again.
    ok(&send(d, &s2, &["--force"]));
    assert_eq!(s2.received().len(), 2 * n - 2);
}

#[test]
fn wrong_password_and_unreachable_server_give_one_clear_message() {
    if !need_smtp() {
        return;
    }
    let server = Server::start(None, "another-password");
    let site = small_site(server.port, "");
    let d = site.path();
    ok(&rankpress(d, &["bulletin"]));
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    assert!(
        err.contains("拒绝登录") && err.contains("RP_TEST_PASSWORD"),
        "{err}"
    );
    assert!(server.received().is_empty());
    assert!(logged(d).is_empty());

    // Nothing listens on the port any more.
    let port = server.port;
    let ca = d.join("ca.pem");
    std::fs::copy(&server.ca, &ca).unwrap();
    let mut env = server.env();
    env[0].1 = ca.display().to_string();
    drop(server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let o = run_env(d, &["send"], &env);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    assert!(
        err.contains(&format!("无法连接邮件服务器 127.0.0.1:{port}")),
        "{err}"
    );

    // Credentials come from the environment only.
    let o = run_env(d, &["send"], &[]);
    assert_eq!(o.status.code(), Some(2), "missing input, as everywhere");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("环境变量 RP_TEST_USER 未设置"), "{err}");
}

/// Headless Chromium, if installed (the test fails without it; see `require_prerequisite`).
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn preview_fits_600px_and_phone_width_in_chromium() {
    let browser = chromium();
    if !common::prereq::require_prerequisite(
        "chromium",
        browser.is_some(),
        "apt-get install chromium (.ci/run installs every test prerequisite)",
        "RANKPRESS_SKIP_BROWSER",
    ) {
        return;
    }
    let browser = browser.expect("checked");
    let site = small_site(2525, "");
    ok(&rankpress(site.path(), &["bulletin"]));
    let b = site.path().join("bulletins");
    // The preview plus a probe that lays the page out in a WIDTH-px wide root (headless
    // Chromium will not make a window narrower than 500px) and reports every element that
    // sticks out, and the images' natural and shown widths.
    let html = std::fs::read_to_string(b.join("2026-04.html")).unwrap();
    for width in [600u32, 375] {
        let probe = format!(
            r#"<script>window.addEventListener('load', () => {{
  document.documentElement.style.width = '{width}px';
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {{
    const r = e.getBoundingClientRect();
    if (r.right > {width} + 0.5) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
  }}
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify({{wide: out, imgs: [...document.images].map(i => [i.naturalWidth, i.width])}});
  document.body.appendChild(p);
}});</script></body>"#
        );
        std::fs::write(b.join("probe.html"), html.replace("</body>", &probe)).unwrap();
        let profile = tempdir();
        let o = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--virtual-time-budget=3000",
                &format!("--user-data-dir={}", profile.path().display()),
                "--window-size=800,1200",
                "--dump-dom",
            ])
            .arg(format!("file://{}", b.join("probe.html").display()))
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&o.stdout);
        let json = dom
            .split("<pre id=\"probe\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or_else(|| panic!("no probe output at {width}px: {dom}"));
        let v: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
        assert_eq!(
            v["wide"],
            serde_json::json!([]),
            "{width}px: elements stick out"
        );
        let imgs = v["imgs"].as_array().unwrap();
        assert_eq!(imgs.len(), 3);
        for i in imgs {
            assert_eq!(i[0], 1104, "image loaded at 2×: {i}");
            assert!(i[1].as_u64().unwrap() <= width as u64, "image fits: {i}");
        }
    }
}

#[test]
fn send_over_implicit_tls() {
    if !need_smtp() {
        return;
    }
    let server = Server::start_with(None, PASSWORD, true);
    let site = small_site(server.port, "");
    let d = site.path();
    let s = d.join("content/site.yaml");
    let text = std::fs::read_to_string(&s)
        .unwrap()
        .replace("security: starttls", "security: tls")
        .replace("personal: true", "personal: false");
    std::fs::write(&s, text).unwrap();
    ok(&rankpress(d, &["bulletin"]));
    let out = ok(&send(d, &server, &[]));
    assert!(out.contains("本次发送 1"), "{out}");
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, "示例县局客户经理绩效通报 2026年4月");
}

#[test]
fn send_killed_in_flight_never_sends_twice() {
    if !need_smtp() {
        return;
    }
    // The server records the third message but never answers: `send` is killed while it waits.
    let s1 = Server::start_args(None, PASSWORD, false, &["--hang-after", "2"]);
    let site = small_site(s1.port, "");
    let d = site.path();
    ok(&rankpress(d, &["bulletin"]));
    let n = manifest_ids(d).len();
    kill_send_in_flight(d, &s1, 3); // SIGKILL: no chance to record anything
    let first = s1.received();
    assert_eq!(first.len(), 3);
    assert_eq!(
        logged(d).len(),
        2,
        "only the two answered messages are recorded as sent"
    );

    // The re-run sends everything else, but not the message that was in flight.
    let s2 = Server::start(None, PASSWORD);
    use_port(d, s2.port);
    // Its outcome is unknown, so the run does not succeed (exit 3, see tests/send_serve.rs).
    let o = send(d, &s2, &[]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(
        out.contains("不重发"),
        "the in-flight message is reported: {out}"
    );
    let second = s2.received();
    assert_eq!(second.len(), n - 3, "{out}");
    let mut ids: Vec<String> = first.iter().chain(&second).map(|r| r.1.clone()).collect();
    ids.sort();
    let all = ids.len();
    ids.dedup();
    assert_eq!(all, ids.len(), "a message was sent twice");
    // A third run sends nothing; --force sends everything again, deliberately.
    let o = send(d, &s2, &[]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(s2.received().len(), n - 3);
    ok(&send(d, &s2, &["--force"]));
    assert_eq!(s2.received().len(), n - 3 + n);
}
