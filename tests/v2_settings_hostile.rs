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

/// The problems `check` reports in `content/site.yaml` (the lines that start with its
/// `file:line:column`), for a snapshot: every block's message and position pinned at once.
fn site_yaml_problems(site_yaml: &str) -> String {
    let dir = tempdir();
    write(&dir.path().join("content/site.yaml"), site_yaml);
    write(
        &dir.path().join("content/managers.yaml"),
        "teams:\n  - {id: t1, name: 一片}\nmanagers:\n  - {id: a, name: 甲, team: t1}\n",
    );
    let lines = check_fails(dir.path());
    let mine: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("content/site.yaml:"))
        .collect();
    mine.join("\n")
}

/// Every block of `site.yaml` with problems: unknown keys (with and without a suggestion),
/// wrong types, ranges, enumerations, ids, indicators per method, awards, watch, training,
/// suggestions, annual, bulletin and SMTP, ratings, pay and grades.
const EVERY_BLOCK: &str = "\
titel: x
title: \"\"
organization: [a]
language: fr
theme: Bad Theme
base_url: intranet/kpi
indicators:
  - {id: sales, name: S, method: ratio, weight: 0, cap: -1, floor: -1, per_unit: 2}
  - {id: sales, name: S2, method: percent, weight: 10}
  - {id: bonus, name: B, method: percent, weight: 10}
  - {id: c, name: C, method: deduct, per_unit: 0, limit: 0, wieght: 1}
  - {id: x, name: X, method: average, weight: 1, colour: red}
  - {id: l, name: L, method: linear, weight: 10, per_unit_below: -1, min: 20, max: 5}
  - {id: m, name: M, method: linear, target: abc}
  - {id: Bad, method: training, weight: .nan}
  - {id: t, name: \"a\\u202Eb\", group: [g], method: training, weight: 1}
  - 7
  - {name: no id, weight: 1}
awards:
  - {id: a, name: A, indicator: c}
  - {id: b, name: B, indicator: salse, top: 0, min: x}
  - {id: a, name: A2, indicator: total}
  - {id: d, name: D, indicator: Bad}
  - {id: e, name: E}
  - {id: f, nmae: F, indicator: l}
  - 3
watch: {bottom: -1, escalate_after: x, botom: 2}
training: {pass_mark: 120}
suggestions: {bonus_per_adopted: -1}
annual: {excellence_top: x, min_months: 0, promotion_months: 1, demotion_months: 2, extra: 1}
bulletin:
  from: not an address
  to: [a@example.com, nobody, 3]
  personal: yes please
  personal_pay: 1
  font: [f]
  smtp: {host: \"\", port: 0, security: ssl, username_env: 1, pasword_env: P}
  cc: x
pay: {method: rating, base: -1, pool: 3, extra: 1}
grades: [g1, \"\", g1, 3, [x]]
";

#[test]
fn every_block_s_messages_and_positions_zh() {
    insta::assert_snapshot!(site_yaml_problems(EVERY_BLOCK));
}

#[test]
fn every_block_s_messages_and_positions_en() {
    let en = EVERY_BLOCK.replace("language: fr", "language: en");
    insta::assert_snapshot!(site_yaml_problems(&en));
}

/// Blocks of the wrong shape: the root's lists and mappings given as scalars, and the v2
/// levels and pay in their other failure modes.
#[test]
fn blocks_of_the_wrong_shape() {
    let yaml = "\
title: T
language: en
indicators: []
awards: {a: 1}
watch: 3
training: [1]
suggestions: x
annual: 2
bulletin: {to: x, smtp: 5}
ratings: [{id: a, name: A, quota: 10, coefficient: 1.5, extra: 1}]
pay: {method: 3}
grades: x
";
    insta::assert_snapshot!(site_yaml_problems(yaml));
    let yaml = "\
title: T
language: en
theme: 3
indicators: {a: 1}
bulletin: {personal: true}
pay: {method: pool, base: 1}
annual: {promotion_months: 2, demotion_months: 1}
ratings: 5
";
    insta::assert_snapshot!(site_yaml_problems(yaml));
    let yaml = "\
- title
";
    insta::assert_snapshot!(site_yaml_problems(yaml));
    let yaml = "\
language: en
indicators:
  - {id: s, name: S, method: percent, weight: 1}
ratings:
  - {id: a, name: A, quota: 12.345678901234, coefficient: 1e400}
  - {id: b, name: B, quota: 1e-9}
  - {name: C, quota: 10, min: x, coefficient: \"1\"}
pay: {method: pool, pool: 99999999999999}
bulletin:
  from: KPI <kpi@example.com>
  smtp: {port: 70000, security: tls}
";
    insta::assert_snapshot!(site_yaml_problems(yaml));
}
