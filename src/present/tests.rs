//! Unit tests of the presentation layer on a small site written to a temporary folder: the
//! month view's labels, averages, change wording, explanations and chart specifications.

use std::path::Path;

use super::charts as specs;
use super::explain::explain;
use super::*;
use crate::charts::Chart;
use crate::compute::{self, Computed};
use crate::site;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Three managers in two teams, one indicator (`percent`, weight 100: the points are the
/// value), two months.
pub(crate) fn small(lang: &str) -> (tempfile::TempDir, Site, Computed, Theme) {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        &format!(
            "title: 测试\nlanguage: {lang}\nindicators:\n  - {{id: visit, name: 拜访到位率, method: percent, weight: 100}}\nwatch:\n  bottom: 1\n"
        ),
    );
    write(
        r,
        "content/managers.yaml",
        "teams:\n  - {id: x, name: 甲片区}\n  - {id: y, name: 乙片区}\nmanagers:\n  - {id: a, name: 张伟, team: x}\n  - {id: b, name: 李娜, team: x}\n  - {id: c, name: 王强, team: y}\n",
    );
    write(
        r,
        "content/results/2026-01.yaml",
        "month: 2026-01\nresults:\n  a: {visit: 90}\n  b: {visit: 80}\n  c: {visit: 70}\n",
    );
    write(
        r,
        "content/results/2026-02.yaml",
        "month: 2026-02\nresults:\n  a: {visit: 85}\n  b: {visit: 95}\n  c: {visit: 70}\n",
    );
    let mut t = site::Timings::default();
    let s = site::load_site(r, &mut t).expect("the small site is valid");
    let c = compute::compute(&s, Default::default());
    let theme = Theme::load(r, "default", s.config.language).unwrap();
    (dir, s, c, theme)
}

#[test]
fn month_view_labels_and_averages() {
    let (_d, _s, c, t) = small("zh-CN");
    let m = Months::new(&t, &c.scores);
    assert_eq!(m.keys, ["2026-01", "2026-02"]);
    assert_eq!(m.labels, ["2026年1月", "2026年2月"]);
    // (90 + 80 + 70) / 3 = 80; (85 + 95 + 70) / 3 = 83.333… → 83.33, exact to the cent.
    assert_eq!(m.averages, [Some(8000), Some(8333)]);
    assert_eq!(m.average_points(), [Some(80.0), Some(83.33)]);
    assert_eq!(format::c2(m.averages[1].unwrap()), "83.33");
}

#[test]
fn english_labels_come_from_the_theme() {
    let (_d, _s, c, t) = small("en");
    let m = Months::new(&t, &c.scores);
    assert_eq!(m.labels, ["2026-01", "2026-02"]);
    assert_eq!(year_label(&t, 2026), "2026");
}

#[test]
fn change_wording() {
    let (_d, s, c, t) = small("zh-CN");
    let feb = &c.scores.months[1];
    let by_id = |id: &str| {
        let m = s.managers.iter().position(|m| m.id == id).unwrap();
        feb.row_of(m).unwrap()
    };
    // 李娜 rose from 2nd to 1st, 张伟 fell from 1st to 2nd, 王强 stayed 3rd.
    let up = change(&t, by_id("b").change, true);
    assert_eq!(
        (up.cls, up.text.as_str(), up.title.as_str()),
        ("up", "↑1", "较上月上升 1 名")
    );
    let down = change(&t, by_id("a").change, true);
    assert_eq!((down.cls, down.text.as_str()), ("down", "↓1"));
    let same = change(&t, by_id("c").change, true);
    assert_eq!((same.cls, same.text.as_str()), ("same", "—"));
    // Ranked for the first time after a previous month, and the first month of all.
    assert_eq!(change(&t, None, true).text, "新");
    assert_eq!(change(&t, None, false).cls, "none");
}

#[test]
fn chart_specs_and_their_tables() {
    let (_d, s, c, t) = small("zh-CN");
    let feb = &c.scores.months[1];
    let label = month_label(&t, feb.month);
    // Totals 95, 85, 70: bins of 5 from 70 to 100, the last one closed.
    let dist = specs::distribution(&t, &label, feb);
    let Chart::Histogram(h) = &dist else {
        panic!("a histogram")
    };
    assert_eq!(h.title, "2026年2月总分分布");
    assert_eq!(h.bins.first(), Some(&(70.0, 75.0)));
    assert_eq!(h.bins.last(), Some(&(95.0, 100.0)));
    let (head, rows) = specs::table(&dist, &t);
    assert_eq!(head, ["总分", "人数"]);
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        counts,
        [
            ("70–<75", "1"),
            ("75–<80", "0"),
            ("80–<85", "0"),
            ("85–<90", "1"),
            ("90–<95", "0"),
            ("95–100", "1")
        ]
    );
    assert_eq!(
        specs::alt(&dist, &t),
        "2026年2月总分分布：70–<75 1，75–<80 0，80–<85 0，85–<90 1，90–<95 0，95–100 1"
    );
    // Team averages: 甲 (85 + 95) / 2 = 90, 乙 70, in the month's team order.
    let teams = specs::team_averages(&t, &label, &s, feb);
    let (_, rows) = specs::table(&teams, &t);
    assert_eq!(rows, [["甲片区", "90.00"], ["乙片区", "70.00"]]);
    // No rating levels in this site: no level chart, no counts.
    assert!(level_counts(&s, feb).is_empty());
    assert!(specs::level_distribution(&t, &label, &s, &[]).is_none());
}

#[test]
fn explanations_in_the_sites_words() {
    let (_d, s, c, t) = small("zh-CN");
    let feb = &c.scores.months[1];
    let row = &feb.rows[0];
    let entry = &s.months[feb.index].entries[row.entry];
    let ind = &s.config.indicators[0];
    let (raw, rule) = explain(&t, ind, entry.values[0], row.mark, row.scores[0]);
    assert_eq!(raw, "95");
    assert_eq!(rule, "100 × 95 ÷ 100");
}
