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
