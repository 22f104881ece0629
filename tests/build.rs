//! Whole builds of the demo site: determinism, the exports present, and the library pipeline
//! driven without a process.

mod common;

use common::*;

#[test]
fn demo_builds_byte_identically_twice() {
    let site = site_from(&repo().join("content"));
    let a = site.path().join("a");
    let b = site.path().join("b");
    for out in [&a, &b] {
        let r = rankpress(site.path(), &["build", "--output", out.to_str().unwrap()]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 30, "demo wrote only {} files", ta.len());
    assert_eq!(ta.len(), tb.len());
    for (x, y) in ta.iter().zip(&tb) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between two builds", x.0);
    }
}

#[test]
fn demo_exports_cover_every_month_year_and_training_period() {
    let mut t = rankpress::site::Timings::default();
    let site = rankpress::site::load_site(&repo(), &mut t).expect("demo data is clean");
    assert_eq!(site.managers.len(), 18);
    assert_eq!(site.months.len(), 12);
    let computed = rankpress::compute::compute(&site, Default::default());
    // A veto month exists and the vetoed manager has total 0 and the last rank.
    let vetoed: Vec<_> = computed
        .scores
        .months
        .iter()
        .flat_map(|m| m.rows.iter().filter(|r| r.veto.is_some()))
        .collect();
    assert_eq!(vetoed.len(), 1);
    assert_eq!(vetoed[0].total, 0.0);
    // Someone shares a rank somewhere (ties).
    assert!(computed
        .scores
        .months
        .iter()
        .any(|m| m.rows.windows(2).any(|w| w[0].rank == w[1].rank)));
    // The watch list and stars change over the year.
    let watches: std::collections::BTreeSet<_> = computed
        .scores
        .months
        .iter()
        .map(|m| m.watch.clone())
        .collect();
    assert!(watches.len() > 6);
    let out = tempdir();
    let opts = rankpress::site::Options {
        root: repo(),
        output: out.path().join("site"),
    };
    let report = rankpress::site::build(&opts).expect("demo builds");
    assert!(report.files > 30);
    for m in &site.months {
        assert!(out
            .path()
            .join(format!("site/data/rankings/{}.json", m.month))
            .is_file());
        assert!(out
            .path()
            .join(format!("site/data/rankings/{}.csv", m.month))
            .is_file());
    }
    assert!(out.path().join("site/data/annual/2026.json").is_file());
    assert!(out.path().join("site/data/training/2026.json").is_file());
}
