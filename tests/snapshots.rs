//! Snapshot tests (insta): the whole error output of representative bad sites and the HTML of
//! representative pages, compared with the files under `tests/snapshots/`. A changed output
//! fails the test (under `CI=true` nothing is written; locally insta leaves a `.snap.new` to
//! review). To accept an intended change: `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test snapshots` and review `git diff tests/snapshots`
//! (see the README, design notes, "Snapshot tests").

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// A copy of the `basic` fixture with some of its files edited: `(file, from, to)` replaces
/// the first `from` in `content/FILE` by `to`.
fn basic_with(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let site = site_from(&conformance_dir().join("basic/content"));
    for (file, from, to) in edits {
        let path = site.path().join("content").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        write(&path, &text.replacen(from, to, 1));
    }
    site
}

/// Exit code and standard error of `rankpress ARGS` in `root`, as one text to snapshot.
fn failure(root: &Path, args: &[&str]) -> String {
    let o = rankpress(root, args);
    assert!(!o.status.success(), "{args:?} should fail");
    format!("exit {:?}\n{}", o.status.code(), stderr(&o))
}

#[test]
fn many_problems_at_once_in_chinese() {
    let site = basic_with(&[
        ("managers.yaml", "joined: 2015-04-01", "joined: 2015-13-01"),
        ("managers.yaml", "team: nongcun, left", "team: nongcn, left"),
        (
            "results/2026-02.yaml",
            "    forecast: 99",
            "    forcast: 99",
        ),
        (
            "results/2026-01.yaml",
            "satisfaction: 96",
            "satisfaction: 196",
        ),
        (
            "site.yaml",
            "indicator: brand, top: 1",
            "indicator: brnad, top: 1",
        ),
    ]);
    insta::assert_snapshot!(failure(site.path(), &["check"]));
}

#[test]
fn one_problem_in_english() {
    let site = basic_with(&[
        ("site.yaml", "language: zh-CN", "language: en"),
        ("results/2026-02.yaml", "complaints: 1", "complaints: -1"),
    ]);
    insta::assert_snapshot!(failure(site.path(), &["build"]));
}

#[test]
fn a_yaml_syntax_error() {
    let site = basic_with(&[(
        "results/2026-02.yaml",
        "sales: {actual: 1000, target: 1000}",
        "sales: {actual: 1000, target: 1000",
    )]);
    insta::assert_snapshot!(failure(site.path(), &["check"]));
}

#[test]
fn a_sheet_import_with_problems() {
    let site = init_site();
    let root = site.path();
    write(
        &root.join("bad.csv"),
        "id,sales.actual,sales.target,forecast,brand.actual,brand.target,visits,satisfaction,training\n\
         li-na,417,390,95.7,117,97,95.3,abc,\n\
         nobody,417,0,95.7,117,97,120,90,\n",
    );
    insta::assert_snapshot!(failure(root, &["import", "bad.csv", "--month", "2030-03"]));
    assert!(!root.join("content/results/2030-03.yaml").exists());
}

/// The `basic` fixture in a git repository of one commit (so its pages show a data version),
/// built into `output/`.
fn built_basic() -> tempfile::TempDir {
    let site = site_from(&conformance_dir().join("basic/content"));
    let root = site.path();
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-qm",
            "data",
        ],
    ] {
        let st = Command::new("git")
            .args(args)
            .current_dir(root)
            .status()
            .unwrap();
        assert!(st.success(), "git {args:?}");
    }
    ok(&rankpress(root, &["build"]));
    site
}

/// A page of the built site with its volatile part (the data version: commit and date)
/// redacted.
fn page(root: &Path, rel: &str) -> String {
    let html = std::fs::read_to_string(root.join("output").join(rel)).unwrap();
    let at = html
        .find("数据版本：")
        .expect("the page shows the data version");
    let end = at + html[at..].find("</p>").unwrap();
    format!("{}数据版本：[version]{}", &html[..at], &html[end..])
}

#[test]
fn representative_pages() {
    let site = built_basic();
    let root = site.path();
    insta::assert_snapshot!("home", page(root, "index.html"));
    insta::assert_snapshot!("month", page(root, "months/2026-04/index.html"));
    insta::assert_snapshot!("manager", page(root, "managers/zhang-wei/index.html"));
}
