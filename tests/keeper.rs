//! A keeper's first month end to end: the site `rankpress init` writes builds, checks clean with
//! no warning, never has a star on the watch list, and its bulletins go to a local test relay
//! exactly as its `bulletin:` block is set up (tests/smtp_server.py `--plain`, on the port
//! changed); `check` warns when a star is on the watch list; personal bulletins tell a reader
//! on the watch list (and escalated) what it means; the team bulletin has the level column and
//! a legend; `rankpress help bulletin|send|payroll` give the routine's guides.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::smtp::{need_smtp, run_env, Server, PASSWORD};
use common::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every month's stars and watch list from the built exports: (month, stars, watch).
fn stars_and_watch(root: &Path) -> Vec<(String, BTreeSet<String>, BTreeSet<String>)> {
    let dir = root.join("output/data/rankings");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "json") {
            let j = json(&e.path());
            let ids = |v: &serde_json::Value| -> BTreeSet<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect()
            };
            let stars = j["awards"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|a| ids(&a["managers"]))
                .collect();
            out.push((
                j["month"].as_str().unwrap().to_string(),
                stars,
                ids(&j["watch"]),
            ));
        }
    }
    out
}

/// The plain-text part of a message file.
fn text_of(eml: &Path) -> String {
    let bytes = std::fs::read(eml).unwrap_or_else(|e| panic!("{}: {e}", eml.display()));
    let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    msg.body_text(0).unwrap().into_owned()
}

fn html_of(eml: &Path) -> String {
    let bytes = std::fs::read(eml).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    msg.body_html(0).unwrap().into_owned()
}

/// The month of the init site's example results.
fn month_of(root: &Path) -> String {
    results_file(root)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The folder `bulletin` writes a month's personal bulletins to, wherever the layout puts it.
fn bulletins_of(root: &Path, month: &str) -> PathBuf {
    ["bulletins", "output/bulletins"]
        .iter()
        .map(|d| root.join(d).join(month))
        .find(|p| p.join("manifest.json").exists())
        .expect("bulletin wrote a manifest")
}

#[test]
fn init_site_checks_clean_builds_and_never_has_a_star_on_the_watch_list() {
    let dir = init_site();
    let root = dir.path();
    let o = rankpress(root, &["check"]);
    ok(&o);
    assert_eq!(stderr(&o), "", "no warning on init's example");
    assert!(stdout(&o).contains("12 位客户经理"), "{}", stdout(&o));
    ok(&rankpress(root, &["build"]));
    let months = stars_and_watch(root);
    assert!(!months.is_empty());
    for (month, stars, watch) in &months {
        assert!(!stars.is_empty() && !watch.is_empty(), "{month}");
        let both: Vec<_> = stars.intersection(watch).collect();
        assert!(
            both.is_empty(),
            "{month}: {both:?} are stars and on the watch list"
        );
    }
    // The example is complete: emails, pay, levels, the bulletin block; payroll works.
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    for key in [
        "\nbulletin:",
        "\npay:",
        "\nratings:",
        "\ngrades:",
        "  escalate_after:",
    ] {
        assert!(site.contains(key), "{key:?} not set in init's site.yaml");
    }
    ok(&rankpress(root, &["payroll"]));
    // The .gitignore keeps bulletins and pay out of git, but not the send log.
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    let lines: Vec<&str> = ignore.lines().collect();
    for dir in ["/output/", "/bulletins/", "/payroll/"] {
        assert!(lines.contains(&dir), "{dir} not ignored:\n{ignore}");
    }
    assert!(!lines.iter().any(|l| l.starts_with("/sent")), "{ignore}");
}

#[test]
fn init_site_bulletins_reach_a_local_relay_as_configured() {
    if !need_smtp() {
        return;
    }
    let dir = init_site();
    let root = dir.path();
    ok(&rankpress(root, &["bulletin"]));
    // The site sends to a local relay without TLS or login (`python3 -m aiosmtpd -n`); only the
    // port differs here.
    let server = Server::start_args(None, PASSWORD, false, &["--plain"]);
    let site_yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    assert!(
        text.contains("    port: 1025\n    security: none\n"),
        "{text}"
    );
    write(
        &site_yaml,
        &text.replace("    port: 1025\n", &format!("    port: {}\n", server.port)),
    );
    let o = run_env(root, &["send"], &[]);
    ok(&o);
    let log = std::fs::read_to_string(server.dir.path().join("mail/received.jsonl")).unwrap();
    let mut rcpts: BTreeSet<String> = BTreeSet::new();
    for l in log.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["mail_from"], "kpi@example.com");
        for r in v["rcpt_tos"].as_array().unwrap() {
            rcpts.insert(r.as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        log.lines().count(),
        13,
        "the team bulletin and 12 personal ones"
    );
    assert!(rcpts.contains("all-managers@example.com"), "{rcpts:?}");
    assert!(rcpts.contains("xu-hao@example.com"), "{rcpts:?}");
    // A second run sends nothing more.
    ok(&run_env(root, &["send"], &[]));
    let log2 = std::fs::read_to_string(server.dir.path().join("mail/received.jsonl")).unwrap();
    assert_eq!(log2.lines().count(), 13);
}

/// init's example cut to its first five managers, as init wrote it before: 5 ranked, 3 stars
/// by total, 3 on the watch list.
fn five_manager_site(lang: &str) -> tempfile::TempDir {
    let dir = init_site();
    let f = results_file(dir.path());
    let text = std::fs::read_to_string(&f).unwrap();
    let cut = text
        .find("  chen-jing:")
        .expect("chen-jing follows the first five");
    write(&f, &text[..cut]);
    if lang == "en" {
        let s = dir.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&s).unwrap();
        write(&s, &text.replace("language: zh-CN", "language: en"));
    }
    dir
}

#[test]
fn check_warns_when_a_star_is_on_the_watch_list() {
    let dir = five_manager_site("zh-CN");
    let root = dir.path();
    ok(&rankpress(root, &["build"]));
    let (month, stars, watch) = stars_and_watch(root).remove(0);
    let both: Vec<&String> = stars.intersection(&watch).collect();
    assert_eq!(both.len(), 1, "the old example's overlap: {both:?}");
    let o = rankpress(root, &["check"]);
    ok(&o); // valid data: a warning, not a failure
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    // The places: watch.bottom 3 + 综合之星 top 3 > 5, at the award's `top`.
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    let line = site
        .lines()
        .position(|l| l.contains("id: overall"))
        .unwrap()
        + 1;
    let text = site.lines().nth(line - 1).unwrap();
    let col = text[..text.find("top:").unwrap()].chars().count() + 1;
    assert!(
        lines[0].starts_with(&format!("content/site.yaml:{line}:{col}: 警告：")),
        "{err}"
    );
    assert!(
        lines[0].contains("综合之星") && lines[0].contains("5 人") && lines[0].contains(&month),
        "{err}"
    );
    // The person, at their entry in the month's results.
    let id = both[0];
    let results = std::fs::read_to_string(results_file(root)).unwrap();
    let at = results
        .lines()
        .position(|l| l == format!("  {id}:"))
        .unwrap()
        + 1;
    assert!(
        lines[1].starts_with(&format!("content/results/{month}.yaml:{at}:3: 警告：")),
        "{err}"
    );
    assert!(
        lines[1].contains(id.as_str()) && lines[1].contains("后进名单"),
        "{err}"
    );
    assert!(stdout(&o).contains("2 个警告"), "{}", stdout(&o));

    // In English too.
    let dir = five_manager_site("en");
    let o = rankpress(dir.path(), &["check"]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("warning: ") && err.contains("is both") && err.contains("on the watch list"),
        "{err}"
    );
}

#[test]
fn personal_bulletins_tell_the_reader_on_the_watch_list_and_escalated() {
    let dir = init_site();
    let root = dir.path();
    // Three months with the same results: the bottom three are escalated in the third.
    let f = results_file(root);
    let month = month_of(root);
    let text = std::fs::read_to_string(&f).unwrap();
    let (y, m): (i32, u32) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
    let earlier = |back: u32| {
        let n = y * 12 + m as i32 - 1 - back as i32;
        format!("{}-{:02}", n / 12, n % 12 + 1)
    };
    for back in [1, 2] {
        let e = earlier(back);
        write(
            &root.join(format!("content/results/{e}.yaml")),
            &text.replace(&format!("month: {month}"), &format!("month: {e}")),
        );
    }
    // The first month: on the watch list, not yet escalated.
    ok(&rankpress(root, &["bulletin", "--month", &earlier(2)]));
    let b = bulletins_of(root, &earlier(2));
    let xu = text_of(&b.join("xu-hao.eml"));
    assert!(
        xu.contains("本月你列入了后进名单。每月总分最低的 3 人列入后进名单"),
        "{xu}"
    );
    assert!(
        xu.contains("连续 3 个月列入后进名单者列为“连续后进”"),
        "{xu}"
    );
    assert!(!xu.contains("你已连续"), "{xu}");
    assert!(html_of(&b.join("xu-hao.eml")).contains("本月你列入了后进名单"));
    let zhang = text_of(&b.join("zhang-wei.eml"));
    assert!(!zhang.contains("后进名单"), "{zhang}");
    // The third month: escalated.
    ok(&rankpress(root, &["bulletin", "--month", &month]));
    let b = bulletins_of(root, &month);
    let xu = text_of(&b.join("xu-hao.eml"));
    assert!(
        xu.contains("你已连续 3 个月列入后进名单，列为“连续后进”。"),
        "{xu}"
    );
    assert!(html_of(&b.join("xu-hao.eml")).contains("你已连续 3 个月列入后进名单"));
}

#[test]
fn team_bulletin_has_the_level_column_and_a_legend() {
    let dir = init_site();
    let root = dir.path();
    ok(&rankpress(root, &["bulletin"]));
    let month = month_of(root);
    let b = bulletins_of(root, &month);
    let team = b.parent().unwrap().join(format!("{month}.eml"));
    let text = text_of(&team);
    let head = text
        .lines()
        .find(|l| l.starts_with("名次") && l.contains("姓名"))
        .unwrap();
    assert!(head.contains("考核等次"), "{head}");
    let zhang = text
        .lines()
        .find(|l| l.contains("张伟") && l.contains("城区片区"))
        .unwrap();
    assert!(zhang.contains("优秀"), "{zhang}");
    // The first month has nothing to compare with: "—" says so.
    assert!(text.contains("图例：— 无上月数据"), "{text}");
    let html = html_of(&team);
    assert!(html.contains(">考核等次</th>"), "level column header");
    assert!(html.contains("— 无上月数据"), "legend in the HTML");
}

/// The README `init` writes is the month's routine from `export` to publishing, with the mail
/// set-up, and publishes `output/` only (never bulletins, pay or the send log).
#[test]
fn init_readme_walks_the_whole_month_and_publishes_output_only() {
    let dir = init_site();
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    let steps = [
        "rankpress export",
        "rankpress import",
        "rankpress check",
        "rankpress serve",
        "git commit",
        "rankpress build",
        "rankpress bulletin",
        "rankpress send --dry-run",
        "git add sent",
        "rankpress payroll",
        "robocopy output",
    ];
    let mut at = 0;
    for step in steps {
        let i = readme[at..]
            .find(step)
            .unwrap_or_else(|| panic!("README: {step:?} missing or out of order"));
        at += i;
    }
    for words in [
        "python3 -m aiosmtpd -n -l 127.0.0.1:1025",
        "username_env: RANKPRESS_SMTP_USER",
        "security: starttls",
        "只把 **`output/` 文件夹**",
        "也不要复制 `bulletins/`、`payroll/`、`sent/`",
        "本月你列入了后进名单",
        "rankpress help bulletin",
        "rankpress help send",
        "rankpress help payroll",
    ] {
        assert!(readme.contains(words), "README lacks {words:?}");
    }
    assert!(
        !readme.contains("全部内容复制"),
        "no longer copies all of output/"
    );
    assert!(!readme.contains("docs/"), "a keeper's site has no docs/");
}

/// `rankpress help bulletin|send|payroll` give a short guide, as `help import` does.
#[test]
fn help_guides_for_bulletin_send_and_payroll() {
    let dir = tempdir();
    for (cmd, words) in [
        (
            "bulletin",
            &["bulletins/", "rankpress bulletin", "personal", "watch list"][..],
        ),
        (
            "send",
            &[
                "rankpress send --dry-run",
                "sent/",
                "smtp:",
                "RANKPRESS_SMTP_PASSWORD",
                "aiosmtpd",
            ][..],
        ),
        (
            "payroll",
            &["payroll/", "confidential", "never published"][..],
        ),
    ] {
        let o = rankpress(dir.path(), &["help", cmd]);
        ok(&o);
        let out = stdout(&o);
        for w in words {
            assert!(out.contains(w), "help {cmd}: {w:?} missing in\n{out}");
        }
        assert!(!out.contains("<!--"), "{out}");
        // The flags are still listed after the guide.
        assert!(out.contains("--month"), "{out}");
    }
}
