//! Hostile version 2 settings (contract §10): each problem is reported once, at its
//! `file:line:column`, all at once, exit 1, never a panic.

mod common;

use common::*;

const INDICATORS: &str = "\
title: t
indicators:
  - {id: v, name: 分值, method: linear, weight: 100, target: 100, per_unit_below: 1, per_unit_above: 1}
";

const ROSTER: &str = "\
teams:
  - {id: t1, name: 一片}
managers:
  - {id: a, name: 甲, team: t1, grade: g1}
  - {id: b, name: 乙, team: t1, grade: [g1]}
  - {id: c, name: 丙, team: t1}
";

fn site(site_tail: &str, roster: &str) -> tempfile::TempDir {
    let dir = tempdir();
    write(
        &dir.path().join("content/site.yaml"),
        &format!("{INDICATORS}{site_tail}"),
    );
    write(&dir.path().join("content/managers.yaml"), roster);
    dir
}

#[test]
fn hostile_levels_pay_and_counts_are_all_reported_at_their_place() {
    let dir = site(
        "\
watch:
  escalate_after: 1.5
annual:
  promotion_months: -1
  demotion_months: \"2\"
ratings:
  - {id: a, name: A, quota: 0}
  - {id: b, name: B, quota: 100.0001}
  - {id: c, name: C, quota: \"20%\"}
  - {id: d, name: D, quota: twenty, coefficient: -0.5}
  - {id: a, name: E, quota: 1e2}
  - {id: last, name: L, min: 3}
pay:
  method: pool
  pool: 0.001
grades: [g1, g2, g1]
",
        "teams:\n  - {id: t1, name: 一片}\nmanagers:\n  - {id: a, name: 甲, team: t1, grade: g2}\n",
    );
    let lines = check_fails(dir.path());
    let f = "content/site.yaml";
    assert_problem(&lines, &format!("{f}:5:19"), &["escalate_after", "1.5"]);
    assert_problem(&lines, &format!("{f}:7:21"), &["promotion_months", "-1"]);
    assert_problem(&lines, &format!("{f}:8:20"), &["demotion_months", "\"2\""]);
    assert_problem(&lines, &format!("{f}:10:29"), &["quota", "0"]);
    assert_problem(&lines, &format!("{f}:11:29"), &["quota", "100.0001"]);
    assert_problem(&lines, &format!("{f}:12:29"), &["quota", "\"20%\""]);
    assert_problem(&lines, &format!("{f}:13:29"), &["quota", "\"twenty\""]);
    assert_problem(&lines, &format!("{f}:13:50"), &["coefficient", "-0.5"]);
    assert_problem(&lines, &format!("{f}:14:10"), &["\"a\"", "重复"]);
    assert_problem(&lines, &format!("{f}:15:25"), &["\"min\""]);
    assert_problem(&lines, &format!("{f}:18:9"), &["pool", "0.001"]);
    assert_problem(&lines, &format!("{f}:19:18"), &["\"g1\"", "重复"]);
    // quota: 1e2 is the number 100, inside (0, 100].
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with(&format!("{f}:14:")) && l.contains("quota")),
        "{}",
        lines.join("\n")
    );
    assert!(lines.last().unwrap().contains("12"), "{}", lines.join("\n"));
}

#[test]
fn levels_as_a_mapping_are_reported() {
    let dir = site(
        "ratings:\n  a: {id: a, name: A}\n  b: {id: b, name: B}\n",
        "teams:\n  - {id: t1, name: 一片}\nmanagers:\n  - {id: a, name: 甲, team: t1}\n",
    );
    let lines = check_fails(dir.path());
    assert_problem(&lines, "content/site.yaml:5:3", &["ratings", "列表"]);
}

/// `grades: []` is a ladder with no grade: reported, rather than silently taken as no ladder.
#[test]
fn an_empty_grade_ladder_is_reported() {
    let dir = site(
        "ratings: [{id: a, name: A}, {id: b, name: B}]\ngrades: []\n",
        "teams:\n  - {id: t1, name: 一片}\nmanagers:\n  - {id: a, name: 甲, team: t1, grade: g1}\n",
    );
    let lines = check_fails(dir.path());
    assert_problem(&lines, "content/site.yaml:5:9", &["grades"]);
}

/// A grade that is not text is reported once, as not text — not a second time as an empty grade
/// off the ladder.
#[test]
fn a_grade_that_is_a_list_is_reported_once() {
    let dir = site(
        "ratings: [{id: a, name: A}, {id: b, name: B}]\ngrades: [g1, g2]\n",
        ROSTER,
    );
    let lines = check_fails(dir.path());
    assert_problem(&lines, "content/managers.yaml:5:39", &["grade"]);
    assert!(
        !lines.iter().any(|l| l.contains("\"\"")),
        "{}",
        lines.join("\n")
    );
}

/// A count beyond the largest accepted says so, rather than "a whole number >= 0".
#[test]
fn a_huge_count_says_what_is_accepted() {
    let dir = site(
        "ratings: [{id: a, name: A}, {id: b, name: B}]\nannual: {promotion_months: 99999999999}\n",
        "teams:\n  - {id: t1, name: 一片}\nmanagers:\n  - {id: a, name: 甲, team: t1}\n",
    );
    let lines = check_fails(dir.path());
    assert_problem(
        &lines,
        "content/site.yaml:5:28",
        &["promotion_months", "1000000", "99999999999"],
    );
}
