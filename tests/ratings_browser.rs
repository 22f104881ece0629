//! The pages of rating levels (contract §10) at phone width in a real browser (Debian's headless
//! chromium, driven by playwright-core from `tests/browser/`): the month page's level badges,
//! chart, escalated managers and sorting by level; the quarter ranking; the year page's quarter
//! links and promotion / demotion candidates — and no page wider than the phone.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

#[test]
fn month_quarter_and_year_pages_with_levels_at_phone_width() {
    let exe = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("chromium is needed: apt-get install chromium");
    let modules = repo().join("tests/browser/node_modules/playwright-core");
    assert!(
        modules.is_dir() && Command::new("node").arg("--version").output().is_ok(),
        "node and playwright-core are needed: npm ci --prefix tests/browser"
    );
    // The demo: 2026-03 has an escalated manager; 2026 has promotion and demotion candidates.
    let site = site_from(&repo().join("content"));
    let run = rankpress(site.path(), &["build"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = site.path().join("output");
    let run = Command::new("node")
        .arg(repo().join("tests/browser/check_levels.mjs"))
        .args([out.to_str().unwrap(), "2026-03", "2026-Q1", "2026"])
        .arg(&exe)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON report");
    assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    let rows = r["rows"].as_u64().unwrap();
    assert!(rows >= 10, "{r}");
    assert_eq!(
        r["badges"].as_u64(),
        Some(rows),
        "one level badge per ranked manager: {r}"
    );
    assert_eq!(r["levelChart"].as_u64(), Some(1), "{r}");
    let escalated = r["escalated"].as_array().unwrap();
    assert!(
        escalated
            .iter()
            .any(|e| e.as_str().unwrap().contains("连续 3 个月后进")),
        "{r}"
    );
    assert!(r["levelColumn"].as_i64().unwrap() > 0, "{r}");
    let sorted: Vec<u64> = r["sorted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(sorted.len() as u64, rows);
    assert!(
        sorted.windows(2).all(|w| w[0] <= w[1]),
        "sorted by level: {sorted:?}"
    );
    assert!(sorted.first() < sorted.last(), "{sorted:?}");
    assert!(r["quarterRows"].as_u64().unwrap() >= 10, "{r}");
    assert_eq!(r["quarterRatings"], r["quarterRows"], "{r}");
    assert!(r["quarterLinks"].as_u64().unwrap() >= 3, "{r}");
    let candidates = r["candidates"].as_array().unwrap();
    assert!(
        candidates.iter().any(|c| c.as_str().unwrap().contains("→")),
        "promotion and demotion with from → to: {r}"
    );
}
