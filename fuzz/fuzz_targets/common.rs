//! Shared by the fuzz targets: a baseline site in a per-process temporary folder.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The baseline site: the `basic` conformance fixture plus one file of every optional kind.
pub const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("../../tests/fixtures/conformance/basic/content/site.yaml")),
    ("managers.yaml", include_str!("../../tests/fixtures/conformance/basic/content/managers.yaml")),
    ("results/2026-01.yaml", include_str!("../../tests/fixtures/conformance/basic/content/results/2026-01.yaml")),
    ("results/2026-02.yaml", include_str!("../../tests/fixtures/conformance/basic/content/results/2026-02.yaml")),
    ("results/2026-04.yaml", include_str!("../../tests/fixtures/conformance/basic/content/results/2026-04.yaml")),
    ("trainings/t1.yaml", "id: t1\ntitle: 新品推介\ndate: 2026-01-12\nkind: routine\ntopic: 新品推介\nhours: 3\nplan: p-1\nattendees:\n  zhang-wei: {present: true, score: 92}\n  li-na: {present: false, excused: true, reason: 病假}\n  wang-qiang: {present: false}\n"),
    ("training-plan.yaml", "plans:\n  - {id: p-1, month: 2026-01, title: 新品推介, kind: routine}\n  - {id: p-2, month: 2026-02, title: 礼仪, kind: promotion}\n"),
    ("competitions/c1.yaml", "id: c1\nname: 技能竞赛\ndate: 2026-02-10\nresults:\n  - {manager: li-na, place: 1, prize: 一等奖, bonus: 3}\n"),
    ("innovations.yaml", "innovations:\n  - {id: i1, title: 微信提醒, month: 2026-04, managers: [zhang-wei, li-na], grade: 二等奖, bonus: 1}\n"),
    ("suggestions.yaml", "suggestions:\n  - {manager: li-na, month: 2026-04, kind: supply, text: 需求上升, adopted: true}\n"),
    ("pages/about.md", "---\ntitle: 关于\norder: 1\n---\n# 关于\n\n正文 <b>x</b>\n"),
];

/// A per-process site folder holding the baseline.
pub fn site() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rankpress-fuzz-{}", std::process::id()));
        reset(&dir);
        dir
    })
}

/// Writes the baseline files again.
pub fn reset(dir: &Path) {
    for (name, text) in FILES {
        let p = dir.join("content").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Loads, validates and computes the site; exports what it computed. Must never panic.
pub fn run(dir: &Path) {
    let mut t = rankpress::site::Timings::default();
    match rankpress::site::load_site(dir, &mut t) {
        Ok(site) => {
            let c = rankpress::compute::compute(&site);
            for m in &c.scores.months {
                let _ = rankpress::export::to_json(&rankpress::export::ranking(&site, m, None));
                let _ = rankpress::export::ranking_csv(&site, m);
            }
            for y in &c.scores.years {
                let _ = rankpress::export::to_json(&rankpress::export::annual(&site, y));
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in &problems {
                let _ = p.to_string();
            }
        }
    }
}
