//! Issue 18, part 5: no denial of service, and messages that name the real cause. Deeply
//! nested YAML is refused in linear time with a message about nesting; `serve` answers while
//! idle connections hang on; huge integers, a negative weight, I/O failures and symlinks in
//! the site's own folders are each reported once, in the site's language, naming the file.

mod common;

use std::path::Path;

use common::*;

/// A results file of `n` nested flow lists in a new site; `check`'s problem lines.
fn check_nested(site: &Path, text: &str) -> Vec<String> {
    write(&site.join("content/results/2026-10.yaml"), text);
    check_fails(site)
}

#[test]
fn deep_nesting_is_refused_where_the_limit_is_crossed() {
    let site = init_site();
    let d = site.path();
    // 100k and 1M levels (2 MB): refused at the 129th `[`, about nesting, in Chinese.
    for n in [100_000, 1_000_000] {
        let lines = check_nested(d, &format!("{}{}\n", "[".repeat(n), "]".repeat(n)));
        assert_eq!(
            lines[0],
            "content/results/2026-10.yaml:1:129: YAML 嵌套过深：列表和映射最多只能相互嵌套 128 层，\
             已拒绝读取（请检查是否多了 [ 或 {，或缩进是否错乱）"
        );
        assert!(!lines.iter().any(|l| l.contains("锚点")), "{lines:?}");
    }
    // Flow mappings inside a real results file, on its third line.
    let text = format!(
        "month: 2026-10\nresults:\n  zhang-wei: {}1{}\n",
        "{a: ".repeat(500_000),
        "}".repeat(500_000)
    );
    let lines = check_nested(d, &text);
    assert_problem(&lines, "content/results/2026-10.yaml:3:526", &["嵌套过深"]);
    // Block nesting (`- - - …`): the same message, not one about anchors.
    let lines = check_nested(d, &format!("{}x\n", "- ".repeat(100_000)));
    assert_problem(
        &lines,
        "content/results/2026-10.yaml:1:257",
        &["嵌套过深", "128"],
    );
    // A training session takes the same path.
    std::fs::remove_file(d.join("content/results/2026-10.yaml")).unwrap();
    write(
        &d.join("content/trainings/deep.yaml"),
        &format!("{}{}\n", "{a: ".repeat(300_000), "}".repeat(300_000)),
    );
    let lines = check_fails(d);
    assert_problem(&lines, "content/trainings/deep.yaml:1:513", &["嵌套过深"]);
}

#[test]
fn idle_connections_do_not_block_serve() {
    use std::io::Write;
    let site = init_site();
    let srv = common::serve::Serve::start(site.path());
    assert!(srv.get("/").starts_with("HTTP/1.1 200"));
    let version = srv.version();
    // 200 connections that send a request line and then nothing.
    let idle: Vec<std::net::TcpStream> = (0..200)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    // Pages, files and the live-reload poll are still answered, again and again.
    for _ in 0..3 {
        let page = srv.get("/");
        assert!(page.starts_with("HTTP/1.1 200"), "{page:.200}");
        assert!(page.contains("live reload"), "{page:.200}");
        assert_eq!(srv.version(), version);
        let css = srv.get("/static/style.css");
        assert!(css.starts_with("HTTP/1.1 200"), "{css:.200}");
    }
    drop(idle);
}

/// Replaces the first `from` by `to` in a file of the site.
fn edit(site: &Path, file: &str, from: &str, to: &str) {
    let p = site.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn one_wrong_weight_is_one_problem() {
    let site = site_from(&repo().join("content"));
    let d = site.path();
    edit(d, "content/site.yaml", "weight: 20", "weight: -30");
    let out = rankpress(d, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "content/site.yaml:22:68: \"weight\" 的值 -30 超出范围，应为大于 0 的数字\n     |\n  22 |   \
         - {id: sales, name: 卷烟销量完成率, group: 营销业绩, method: ratio, weight: -30, cap: 1.2, \
         floor: 0.8}\n     |                                                                               \
         ^\n发现 1 个问题，未生成网站。\n"
    );
    // A method that does not exist: also one problem, though an award ranks by it.
    edit(d, "content/site.yaml", "weight: -30", "weight: 20");
    edit(d, "content/site.yaml", "method: ratio", "method: ratios");
    let lines = check_fails(d);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_problem(&lines, "content/site.yaml:22:53", &["ratio、percent"]);
}

#[test]
fn a_huge_integer_says_what_is_expected() {
    let site = site_from(&repo().join("content"));
    let d = site.path();
    let huge = "12345678901234567890123456789";
    edit(
        d,
        "content/results/2025-11.yaml",
        "actual: 477",
        &format!("actual: {huge}"),
    );
    let lines = check_fails(d);
    assert_eq!(
        lines[0],
        format!(
            "content/results/2025-11.yaml:9:21: actual 的值 {huge} 不是有效的有限数字：\
             应为绝对值不超过 10¹² 的数字（不接受 .nan、.inf）"
        )
    );
    edit(d, "content/site.yaml", "language: zh-CN", "language: en");
    let lines = check_fails(d);
    assert!(!lines[0].contains("u128"), "{lines:?}");
    assert!(lines[0].ends_with(&format!(
        "actual: {huge} is not a usable finite number: expected a number of at most 10^12 in \
         magnitude (.nan and .inf are not accepted)"
    )));
}

#[test]
fn links_in_the_sites_own_folders_are_reported() {
    let site = init_site();
    let d = site.path();
    let outside = tempdir();
    let target = outside.path().join("secret.txt");
    write(&target, "hello: outside\n");
    write(&d.join("static/.hidden/ok.css"), "a{}\n");
    for link in [
        "i18n/zh-CN.yaml",
        "static/logo.css",
        "templates/month.html",
        "themes/mine/static/x.css",
    ] {
        std::fs::create_dir_all(d.join(link).parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&target, d.join(link)).unwrap();
    }
    let lines = check_fails(d);
    for link in [
        "i18n/zh-CN.yaml",
        "static/logo.css",
        "templates/month.html",
        "themes/mine/static/x.css",
    ] {
        let folder = link.split('/').next().unwrap();
        assert_problem(
            &lines,
            &format!("{link}:1:1"),
            &[
                &format!("这是一个符号链接（指向 {}）", target.display()),
                &format!("rankpress 不读取 {folder}/ 中的链接"),
            ],
        );
    }
    assert_eq!(lines.len(), 5, "{lines:?}");
    // A linked folder too, and `build` writes nothing.
    for link in ["i18n/zh-CN.yaml", "static/logo.css", "templates/month.html"] {
        std::fs::remove_file(d.join(link)).unwrap();
    }
    std::fs::remove_dir_all(d.join("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), d.join("themes")).unwrap();
    let out = rankpress(d, &["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("themes:1:1: 这是一个符号链接"), "{err}");
    assert!(!d.join("output").exists());
}

#[test]
fn theme_file_problems_are_in_the_sites_language_and_name_the_file() {
    let site = init_site();
    let d = site.path();
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::write(d.join("templates/month.html"), b"\xff\xfe{{ x }}").unwrap();
    let out = rankpress(d, &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "rankpress: templates/month.html 不是 UTF-8 编码的文本；请用编辑器另存为 UTF-8\n"
    );
    std::fs::remove_file(d.join("templates/month.html")).unwrap();
    write(&d.join("i18n/zh-CN.yaml"), "a: [1, 2]\n");
    let err = String::from_utf8(rankpress(d, &["build"]).stderr).unwrap();
    assert!(
        err.starts_with("rankpress: i18n/zh-CN.yaml：界面文字应为“键: 文本”的映射（"),
        "{err}"
    );
    std::fs::remove_file(d.join("i18n/zh-CN.yaml")).unwrap();
    edit(d, "content/site.yaml", "title:", "theme: mine\ntitle:");
    let err = String::from_utf8(rankpress(d, &["build"]).stderr).unwrap();
    assert_eq!(
        err,
        "rankpress: 找不到主题 \"mine\"：应有文件夹 themes/mine\n"
    );
}
