//! Unit tests of page building: the contexts of a small site's pages, built in memory from the
//! same site as the presentation layer's tests.

use super::*;
use crate::present::tests::small;

/// The values of a page context, as the templates see them.
fn json(page: PageCtx, keys: &[&str]) -> J {
    let mut j = serde_json::Map::new();
    for k in keys {
        let v = page.ctx.get(k).unwrap_or_else(|| panic!("no {k}"));
        j.insert(k.to_string(), serde_json::to_value(v).unwrap());
    }
    J::Object(j)
}

#[test]
fn month_page_rows_averages_and_changes() {
    let (_d, s, c, t) = small("zh-CN");
    let idx = Index::new(&s, &c, &t);
    let ms = &c.scores.months[1];
    let j = json(
        month(&idx, ms),
        &["month_label", "headline", "rows", "teams", "charts"],
    );
    assert_eq!(j["month_label"], "2026年2月");
    assert_eq!(j["headline"]["average"], "83.33");
    assert_eq!(j["headline"]["max"], "95.00");
    assert_eq!(j["headline"]["min"], "70.00");
    let rows = j["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["李娜", "张伟", "王强"]);
    let changes: Vec<&str> = rows
        .iter()
        .map(|r| r["change"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["↑1", "↓1", "—"]);
    assert_eq!(rows[0]["total"], "95.00");
    assert_eq!(rows[0]["cells"][0], "95.00");
    assert_eq!(rows[2]["watch"], true);
    // The team table and the charts' numbers, as the bulletin shows them.
    assert_eq!(j["teams"][0]["name"], "甲片区");
    assert_eq!(j["teams"][0]["average"], "90.00");
    let charts = j["charts"].as_array().unwrap();
    assert_eq!(charts[0]["title"], "2026年2月总分分布");
    assert_eq!(charts[0]["rows"][0][0], "70–<75");
    assert_eq!(charts[1]["rows"][1], serde_json::json!(["乙片区", "70.00"]));
}

#[test]
fn page_and_bulletin_views_share_their_numbers() {
    let (_d, s, c, t) = small("zh-CN");
    let idx = Index::new(&s, &c, &t);
    let months = present::Months::new(&t, &c.scores);
    assert_eq!(idx.months.averages, months.averages);
    assert_eq!(idx.months.labels, months.labels);
    let ms = &c.scores.months[1];
    let dist = present::charts::distribution(&t, &months.labels[1], ms);
    let page = &idx.month_charts(ms)[0];
    assert_eq!(page.rows, present::charts::table(&dist, &t).1);
}

#[test]
fn manager_page_explains_each_score() {
    let (_d, s, c, t) = small("zh-CN");
    let idx = Index::new(&s, &c, &t);
    let b = s.managers.iter().position(|m| m.id == "b").unwrap();
    let j = json(manager(&idx, b), &["details", "history"]);
    let newest = &j["details"][0];
    assert_eq!(newest["key"], "2026-02");
    assert_eq!(newest["items"][0]["raw"], "95");
    assert_eq!(newest["items"][0]["rule"], "100 × 95 ÷ 100");
    assert_eq!(j["history"][0]["change"]["text"], "↑1");
    assert_eq!(j["history"][1]["change"]["cls"], "none");
}
