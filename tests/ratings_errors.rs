//! Errors of the version 2 settings (contract §10: `ratings`, `pay`, `watch.escalate_after`,
//! `annual.promotion_months` / `demotion_months`, `grades`): each is reported as
//! `file:line:column: message` with what was expected, all at once, in the site's language.

mod common;

use common::*;

/// The v2 fixture's `site.yaml` up to its awards (lines 1–17), in `lang`, followed by `tail`
/// (which therefore starts on line 18).
fn site_yaml(lang: &str, tail: &str) -> String {
    let text = std::fs::read_to_string(conformance_v2_dir().join("ratings/content/site.yaml"))
        .unwrap()
        .replace("language: zh-CN", &format!("language: {lang}"));
    let head: Vec<&str> = text.lines().take(17).collect();
    assert!(head[16].contains("overall"), "fixture layout changed");
    format!("{}\n{tail}", head.join("\n"))
}

/// The v2 fixture with `site.yaml` replaced.
fn site_with(site: &str) -> tempfile::TempDir {
    let dir = site_from(&conformance_v2_dir().join("ratings/content"));
    write(&dir.path().join("content/site.yaml"), site);
    dir
}

#[test]
fn the_fixture_itself_is_clean() {
    let dir = site_from(&conformance_v2_dir().join("ratings/content"));
    let out = rankpress(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn level_rules_are_all_reported_at_once() {
    let tail = "\
ratings:
  - {id: excellent, name: 优秀, quota: 0, coefficient: 1.2}
  - {id: good, name: 良好, quota: 100.5, min: 90, coefficient: -1}
  - {id: good, name: 合格, min: 75, qouta: 3}
  - {id: fail, name: 不合格, coefficient: 0.6, quota: 10, min: 3}
pay:
  method: pool
  base: 3000
  pool: 60000.001
watch:
  bottom: 3
  escalate_after: -1
annual:
  promotion_months: 2
  promotoin: 1
grades: [四级客户经理, 三级客户经理, 二级客户经理, 一级客户经理, 四级客户经理]
";
    let dir = site_with(&site_yaml("zh-CN", tail));
    let lines = check_fails(dir.path());
    let f = "content/site.yaml";
    assert_problem(
        &lines,
        &format!("{f}:19:38"),
        &["\"quota\" 的值 0 超出范围", "大于 0 且不大于 100"],
    );
    assert_problem(
        &lines,
        &format!("{f}:20:33"),
        &["\"quota\" 的值 100.5 超出范围"],
    );
    assert_problem(
        &lines,
        &format!("{f}:20:62"),
        &["\"coefficient\" 的值 -1", "不小于 0"],
    );
    assert_problem(
        &lines,
        &format!("{f}:21:10"),
        &["考核等次编号 \"good\" 重复"],
    );
    assert_problem(
        &lines,
        &format!("{f}:21:35"),
        &["未知的键 \"qouta\"", "是否应为 \"quota\""],
    );
    assert_problem(
        &lines,
        &format!("{f}:22:45"),
        &["最后一个考核等次不能设 \"quota\"", "恰好得到一个等次"],
    );
    assert_problem(
        &lines,
        &format!("{f}:22:56"),
        &["最后一个考核等次不能设 \"min\""],
    );
    assert_problem(
        &lines,
        &format!("{f}:25:3"),
        &["\"base\" 只用于 method: rating", "method: pool 用 \"pool\""],
    );
    assert_problem(
        &lines,
        &format!("{f}:26:9"),
        &["\"pool\" 的值 60000.001", "最多两位小数"],
    );
    assert_problem(
        &lines,
        &format!("{f}:29:19"),
        &["\"escalate_after\" 应为不小于 0 的整数"],
    );
    assert_problem(
        &lines,
        &format!("{f}:32:3"),
        &["未知的键 \"promotoin\"", "promotion_months"],
    );
    assert_problem(
        &lines,
        &format!("{f}:33:42"),
        &["职级 \"四级客户经理\" 在 grades 中重复"],
    );
    assert_eq!(
        lines.len(),
        13,
        "12 problems and the summary:\n{}",
        lines.join("\n")
    );
    assert!(lines[12].contains("12"), "{}", lines[12]);
}

#[test]
fn settings_that_need_ratings_say_so_in_english() {
    let tail = "\
pay: {method: rating, base: 3000}
annual:
  promotion_months: 2
  demotion_months: 1
";
    let dir = site_with(&site_yaml("en", tail));
    let lines = check_fails(dir.path());
    let f = "content/site.yaml";
    assert_problem(
        &lines,
        &format!("{f}:18:15"),
        &["method rating needs ratings", "coefficients"],
    );
    assert_problem(
        &lines,
        &format!("{f}:20:21"),
        &["\"promotion_months\" needs ratings", "first level"],
    );
    assert_problem(
        &lines,
        &format!("{f}:21:20"),
        &["\"demotion_months\" needs ratings", "last level"],
    );
    assert_eq!(lines.len(), 4, "{}", lines.join("\n"));
}

#[test]
fn one_level_missing_amounts_and_bad_methods() {
    let one = "\
ratings:
  - {id: all, name: 全部}
pay:
  method: pool
";
    let dir = site_with(&site_yaml("zh-CN", one));
    let lines = check_fails(dir.path());
    assert_problem(
        &lines,
        "content/site.yaml:19:3",
        &["至少需要两个考核等次", "实际只有 1 个"],
    );
    assert_problem(
        &lines,
        "content/site.yaml:20:1",
        &["缺少必填项 \"pool\"", "最多两位小数的金额"],
    );

    let en = "\
ratings:
  - {id: a, name: A, quota: 20}
  - {id: b, name: B}
pay: {method: salary, bsae: 1}
";
    let dir = site_with(&site_yaml("en", en));
    let lines = check_fails(dir.path());
    assert_problem(
        &lines,
        "content/site.yaml:21:15",
        &["\"method\" must be rating", "or pool", "\"salary\""],
    );
    assert_problem(
        &lines,
        "content/site.yaml:21:23",
        &["unknown key \"bsae\"", "did you mean \"base\""],
    );

    let neg = "\
ratings:
  - {id: a, name: A, quota: 20}
  - {id: b, name: B}
pay: {method: rating, base: -3000}
";
    let dir = site_with(&site_yaml("en", neg));
    let lines = check_fails(dir.path());
    assert_problem(
        &lines,
        "content/site.yaml:21:29",
        &["\"base\" is -3000", ">= 0", "two decimals"],
    );
    assert_eq!(lines.len(), 2, "{}", lines.join("\n"));
}

#[test]
fn a_grade_off_the_ladder_is_located_in_managers_yaml() {
    let dir = site_from(&conformance_v2_dir().join("ratings/content"));
    let path = dir.path().join("content/managers.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The third manager (line 21) gets a misspelt grade, the fifth (line 33) a grade not on the ladder.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines[20], "    grade: 二级客户经理");
    lines[20] = "    grade: 二级客户经里".into();
    assert_eq!(lines[32], "    grade: 三级客户经理");
    lines[32] = "    grade: 主任".into();
    write(&path, &(lines.join("\n") + "\n"));
    let got = check_fails(dir.path());
    assert_problem(
        &got,
        "content/managers.yaml:21:12",
        &[
            "职级 \"二级客户经里\" 不在 site.yaml 的 grades 职级序列中",
            "四级客户经理, 三级客户经理",
            "是否应为 \"二级客户经理\"",
        ],
    );
    assert_problem(&got, "content/managers.yaml:33:12", &["职级 \"主任\" 不在"]);
    assert_eq!(got.len(), 3, "{}", got.join("\n"));
}
