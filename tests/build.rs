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

/// Runs git in `dir` with a fixed identity and dates (no signing, no user configuration).
fn git(dir: &std::path::Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-11-02T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-02T09:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The library pipeline without a process, step by step through an opened site: open → output
/// → load and validate → history → compute → build; the git history read before compute
/// reaches the computed corrections and the month's export, and the page shows the computed
/// ranking.
#[test]
fn the_pipeline_runs_through_an_opened_site() {
    use rankpress::project::{self, Project};
    let site = site_from(&repo().join("content"));
    let root = site.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "data"]);
    let results = root.join("content/results/2026-10.yaml");
    let text = std::fs::read_to_string(&results).unwrap();
    write(&results, &format!("{text}\n# checked\n"));
    git(root, &["commit", "-qam", "fix the October results"]);

    let p = Project::open(root);
    assert_eq!(p.lang(), rankpress::diag::Lang::Zh);
    assert_eq!(p.theme_name(), "default");
    // The output folder is refused before anything is built: content/ may never be replaced.
    assert!(matches!(
        p.output(Some(&root.join("content"))),
        Err(project::Error::Io(_))
    ));
    let output = p.output(None).expect("ROOT/output may be used");
    let s = p.load_site().expect("demo data is clean");
    let history = p.history();
    let corrections = &history.corrections["2026-10"];
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].message, "fix the October results");
    let computed = project::compute(&s, &history);
    assert_eq!(computed.corrections, history.corrections);
    let top = &computed
        .scores
        .months
        .iter()
        .find(|m| m.month.to_string() == "2026-10")
        .expect("October is scored")
        .rows[0];

    let report = p.build(&output).expect("demo builds");
    assert!(report.files > 30);
    let export: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(output.join("data/rankings/2026-10.json")).unwrap(),
    )
    .unwrap();
    let first = &s.managers[top.manager];
    assert_eq!(export["rows"][0]["id"], first.id.as_str());
    assert_eq!(export["rows"][0]["rank"], 1);
    assert_eq!(
        export["corrections"][0]["message"], "fix the October results",
        "{export:#}"
    );
    let page = std::fs::read_to_string(output.join("months/2026-10/index.html")).unwrap();
    assert!(
        page.contains(first.name.as_str()),
        "the October page names {}",
        first.name
    );
    assert!(
        page.contains("fix the October results"),
        "the page tells the correction"
    );
}
