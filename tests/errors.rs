//! Every class of data error gives `path:line:column: message` with what was expected, all
//! problems are reported at once, the exit code is 1, and a failed build leaves the previous
//! output exactly as it was.

mod common;

use std::path::Path;

use common::*;

/// A copy of the `basic` fixture with one file replaced.
fn site_with(file: &str, text: &str) -> tempfile::TempDir {
    let site = site_from(&conformance_dir().join("basic/content"));
    write(&site.path().join("content").join(file), text);
    site
}

fn basic(file: &str) -> String {
    std::fs::read_to_string(conformance_dir().join("basic/content").join(file)).unwrap()
}

/// Runs `check`, asserts exit code 1, returns stderr lines.
fn check_fails(site: &Path) -> Vec<String> {
    let out = rankpress(site, &["check"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail with 1:\n{err}"
    );
    err.lines().map(str::to_string).collect()
}

/// Asserts that one reported line starts with `loc` and contains every word of `words`.
fn assert_problem(lines: &[String], loc: &str, words: &[&str]) {
    let hit = lines.iter().find(|l| l.starts_with(&format!("{loc}: ")));
    let Some(line) = hit else {
        panic!("no problem at {loc}; got:\n{}", lines.join("\n"))
    };
    for w in words {
        assert!(line.contains(w), "problem at {loc} lacks {w:?}: {line}");
    }
}

#[test]
fn yaml_syntax_error_has_position() {
    let site = site_with("results/2026-02.yaml", "month: 2026-02\nresults:\n  zhang-wei:\n    sales: {actual: 1000, target: 1000\n    forecast: 99\n");
    let lines = check_fails(site.path());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/results/2026-02.yaml:") && l.contains("YAML 语法错误")),
        "{lines:?}"
    );
}

#[test]
fn misspelt_indicator_is_unknown_key_with_suggestion() {
    let text = basic("results/2026-02.yaml").replacen("    forecast: 99", "    forcast: 99", 1);
    let site = site_with("results/2026-02.yaml", &text);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:5:5",
        &["未知的指标", "\"forcast\"", "\"forecast\""],
    );
    // The same entry now misses forecast: both problems are reported at once.
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:3:3",
        &["缺少指标 \"forecast\"", "需求预测准确率"],
    );
}

#[test]
fn missing_value_wrong_type_and_ranges_all_reported() {
    let text = basic("results/2026-02.yaml")
        .replacen("    satisfaction: 97\n", "", 1) // zhang-wei: missing satisfaction
        .replacen("    forecast: 96\n", "    forecast: 九十六\n", 1) // li-na: wrong type
        .replacen(
            "sales: {actual: 1050, target: 1000}",
            "sales: {actual: -5, target: 1000}",
            1,
        ) // wang-qiang
        .replacen(
            "sales: {actual: 950, target: 1000}",
            "sales: {actual: 950, target: 0}",
            1,
        ) // zhao-min
        .replacen("    satisfaction: 92\n", "    satisfaction: 102\n", 1); // liu-yang
    let site = site_with("results/2026-02.yaml", &text);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:3:3",
        &["缺少指标 \"satisfaction\"", "应为数字"],
    );
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:10:15",
        &["应为数字", "九十六"],
    );
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:15:21",
        &["\"actual\"", "-5", "不小于 0"],
    );
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:22:34",
        &["\"target\"", "大于 0"],
    );
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:31:19",
        &["百分数", "0 到 100", "102"],
    );
    assert!(lines.last().unwrap().contains("发现 5 个问题"), "{lines:?}");
}

#[test]
fn unknown_manager_team_award_indicator_and_plan() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let c = site.path().join("content");
    let results = basic("results/2026-04.yaml").replacen("  liu-yang:", "  liu-yangg:", 1);
    write(&c.join("results/2026-04.yaml"), &results);
    write(
        &c.join("managers.yaml"),
        &basic("managers.yaml").replacen("team: nongcun}", "team: nongcun2}", 1),
    );
    write(
        &c.join("site.yaml"),
        &basic("site.yaml").replacen("indicator: brand,", "indicator: brandd,", 1),
    );
    write(
        &c.join("training-plan.yaml"),
        "plans:\n  - {id: p-1, month: 2026-01, title: 培训}\n",
    );
    write(
        &c.join("trainings/t1.yaml"),
        "id: t1\ntitle: 培训\ndate: 2026-01-10\nkind: routine\nhours: 2\nplan: p-2\nattendees:\n  zhang-wei: {present: true, score: 101}\n",
    );
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:29:3",
        &["未知的客户经理 \"liu-yangg\"", "\"liu-yang\""],
    );
    assert_problem(
        &lines,
        "content/managers.yaml:8:36",
        &["未知的片区 \"nongcun2\"", "chengqu, nongcun"],
    );
    assert_problem(
        &lines,
        "content/site.yaml:14:47",
        &["未知的评选指标", "brandd", "total"],
    );
    assert_problem(
        &lines,
        "content/trainings/t1.yaml:6:7",
        &["未知的培训计划 \"p-2\"", "\"p-1\""],
    );
    assert_problem(
        &lines,
        "content/trainings/t1.yaml:8:37",
        &["\"score\"", "101", "0 到 100"],
    );
}

#[test]
fn duplicate_manager_id_and_manager_twice_in_a_month() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let c = site.path().join("content");
    let m = basic("managers.yaml") + "  - {id: li-na, name: 李娜二, team: chengqu}\n";
    write(&c.join("managers.yaml"), &m);
    let r = basic("results/2026-04.yaml") + "  zhang-wei:\n    sales: {actual: 1, target: 1}\n";
    write(&c.join("results/2026-04.yaml"), &r);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/managers.yaml:11:10",
        &["客户经理编号 \"li-na\" 重复"],
    );
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:36:3",
        &["重复的键", "zhang-wei"],
    );
}

#[test]
fn month_must_match_file_name_and_left_managers_have_no_results() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let c = site.path().join("content");
    write(
        &c.join("results/2026-02.yaml"),
        &basic("results/2026-02.yaml").replacen("month: 2026-02", "month: 2026-03", 1),
    );
    // chen-jing left on 2026-02-15: she may appear in February but not in April.
    let r = basic("results/2026-04.yaml")
        + "  chen-jing:\n    sales: {actual: 1, target: 1}\n    forecast: 90\n    brand: {actual: 1, target: 1}\n    satisfaction: 90\n    complaints: 0\n";
    write(&c.join("results/2026-04.yaml"), &r);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-02.yaml:1:8",
        &["2026-03", "2026-02.yaml", "应为 2026-02"],
    );
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:36:3",
        &["陈静", "2026-02-15", "离岗"],
    );
}

#[test]
fn ids_that_are_not_plain_are_rejected() {
    let m = basic("managers.yaml").replacen("{id: wang-qiang,", "{id: ../x,", 1);
    let site = site_with("managers.yaml", &m);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/managers.yaml:7:10",
        &["\"../x\"", "不是合法的编号", "小写字母"],
    );
}

#[test]
fn gbk_file_is_explained() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let text = basic("results/2026-04.yaml");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(site.path().join("content/results/2026-04.yaml"), &gbk).unwrap();
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:2:7",
        &["不是 UTF-8", "GBK", "另存为", "UTF-8"],
    );
}

#[test]
fn english_site_gets_english_messages() {
    let s = basic("site.yaml").replacen("language: zh-CN", "language: en", 1);
    let site = site_with("site.yaml", &s);
    write(
        &site.path().join("content/results/2026-04.yaml"),
        &basic("results/2026-04.yaml").replacen("forecast: 96", "forecast: high", 1),
    );
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:6:15",
        &["must be a number", "\"high\""],
    );
    assert!(
        lines.last().unwrap().contains("1 problem(s) found"),
        "{lines:?}"
    );
}

#[test]
fn hostile_numbers_and_alias_bombs_are_clear_errors() {
    let text = basic("results/2026-04.yaml")
        .replacen("forecast: 96", "forecast: .nan", 1)
        .replacen("satisfaction: 95", "satisfaction: 1e400", 1);
    let site = site_with("results/2026-04.yaml", &text);
    let lines = check_fails(site.path());
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:6:15",
        &["不是有效的有限数字"],
    );
    assert_problem(
        &lines,
        "content/results/2026-04.yaml:8:19",
        &["不是有效的有限数字"],
    );

    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9 {
        let prev = (b'a' + i) as char;
        let next = (b'a' + i + 1) as char;
        bomb.push_str(&format!("{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let site = site_with("innovations.yaml", &bomb);
    let lines = check_fails(site.path());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/innovations.yaml") && l.contains("锚点")),
        "{lines:?}"
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let ok = rankpress(site.path(), &["build"]);
    assert!(ok.status.success());
    let out = site.path().join("output");
    let before = tree(&out);
    assert!(before.len() > 5);
    write(
        &site.path().join("content/results/2026-04.yaml"),
        &basic("results/2026-04.yaml").replacen("forecast: 96", "forecast: x", 1),
    );
    let bad = rankpress(site.path(), &["build"]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(tree(&out), before, "output changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().contains("staging")
                && !n.to_string_lossy().ends_with(".lock")),
        "{leftovers:?}"
    );
}

#[test]
fn usage_errors_exit_2_and_clean_check_exits_0() {
    let site = site_from(&conformance_dir().join("basic/content"));
    assert_eq!(
        rankpress(site.path(), &["build", "--bogus"]).status.code(),
        Some(2)
    );
    let ok = rankpress(site.path(), &["check"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        !site.path().join("output").exists(),
        "check must write nothing"
    );
    let empty = tempdir();
    let missing = rankpress(empty.path(), &["check"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("content/site.yaml"));
}

#[test]
fn each_problem_is_followed_by_its_source_line_with_a_caret() {
    let text = basic("managers.yaml").replacen("team: nongcun, left", "team: nongcn, left", 1);
    let site = site_with("managers.yaml", &text);
    let out = rankpress(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        !err.contains('\x1b'),
        "no colour codes off a terminal: {err:?}"
    );
    let lines: Vec<&str> = err.lines().collect();
    // The first line as tools and the hook read it, then the frame, indented.
    let at = lines
        .iter()
        .position(|l| l.starts_with("content/managers.yaml:10:37: 未知的片区 \"nongcn\""))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        lines[at + 1..at + 4],
        [
            "     |",
            "  10 |   - {id: chen-jing, name: 陈静, team: nongcn, left: 2026-02-15}",
            "     |                                       ^",
        ],
        "{err}"
    );
}

#[test]
fn a_missing_file_has_no_frame() {
    let site = site_from(&conformance_dir().join("basic/content"));
    std::fs::remove_file(site.path().join("content/managers.yaml")).unwrap();
    let lines = check_fails(site.path());
    let at = lines
        .iter()
        .position(|l| l.starts_with("content/managers.yaml: "))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(
        !lines[at + 1].starts_with(' '),
        "no frame without a source line: {lines:?}"
    );
}
