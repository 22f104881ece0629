//! The parse cache (`.NAME.cache` beside the output): a build with a cache gives exactly the
//! output of a build without one, never hides a problem, and ignores a damaged cache file.
//! The switch `RANKPRESS_CACHE=off` turns every cache and reuse mechanism off (parse cache,
//! page manifest, hard-linking from the previous output) with the same output.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// Builds `root` into `root/NAME`; returns (exit code, stderr).
fn build_into(root: &Path, name: &str) -> (Option<i32>, String) {
    let r = rankpress(root, &["build", "--root", ".", "--output", name]);
    (
        r.status.code(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
    )
}

fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(out).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn cache_of(root: &Path, name: &str) -> PathBuf {
    root.join(format!(".{name}.cache"))
}

/// Asserts that `root/out` (built with the cache) has exactly the files and bytes of a clean
/// build with the cache switched off into a new folder (which writes no cache).
fn assert_same_as_uncached(root: &Path, what: &str) {
    let fresh = format!("fresh-{}", what.replace(' ', "-"));
    let _ = std::fs::remove_dir_all(root.join(&fresh));
    let (code, err) = build_uncached(root, &fresh);
    assert_eq!(code, Some(0), "{what}: {err}");
    assert!(!cache_of(root, &fresh).exists(), "{what}: cache written");
    assert!(!root.join(format!(".{fresh}.pages")).exists(), "{what}");
    let (a, b) = (snapshot(&root.join("out")), snapshot(&root.join(&fresh)));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}"
    );
    for (k, v) in &a {
        assert!(b.get(k) == Some(v), "{what}: {k} differs without the cache");
    }
}

/// Builds `root` into `root/NAME` with the cache switched off (`RANKPRESS_CACHE=off`).
fn build_uncached(root: &Path, name: &str) -> (Option<i32>, String) {
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_rankpress"))
        .current_dir(root)
        .env("RANKPRESS_CACHE", "off")
        .args(["build", "--root", ".", "--output", name])
        .output()
        .expect("run rankpress");
    (
        r.status.code(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
    )
}

/// Adds `by` to the first `actual:` value of the newest results file.
fn bump_newest_value(root: &Path, by: u64) {
    let newest = std::fs::read_dir(root.join("content/results"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .max()
        .unwrap();
    let text = std::fs::read_to_string(&newest).unwrap();
    let at = text.find("actual: ").unwrap() + "actual: ".len();
    let digits = text[at..].chars().take_while(char::is_ascii_digit).count();
    let n: u64 = text[at..at + digits].parse().unwrap();
    std::fs::write(
        &newest,
        format!("{}{}{}", &text[..at], n + by, &text[at + digits..]),
    )
    .unwrap();
}

#[test]
fn a_build_writes_the_cache_and_a_rebuild_from_it_is_identical() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    assert_eq!(build_into(root, "out").0, Some(0));
    let cache = cache_of(root, "out");
    assert!(cache.is_file(), "no parse cache beside the output");
    // Nothing changed: every results file comes from the cache.
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert_same_as_uncached(root, "unchanged");
    // One results value changed: that month is parsed again, the others come from the cache.
    bump_newest_value(root, 11);
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert_same_as_uncached(root, "one value");
    // An indicator's weight changed (site.yaml): every cached month is checked again.
    let site_yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    let at = text.find("weight: ").unwrap() + "weight: ".len();
    let digits = text[at..].chars().take_while(char::is_ascii_digit).count();
    let w: u64 = text[at..at + digits].parse().unwrap();
    std::fs::write(
        &site_yaml,
        format!("{}{}{}", &text[..at], w + 1, &text[at + digits..]),
    )
    .unwrap();
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert_same_as_uncached(root, "weight");
}

#[test]
fn a_damaged_cache_is_ignored() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    assert_eq!(build_into(root, "out").0, Some(0));
    let cache = cache_of(root, "out");
    let good = std::fs::read(&cache).unwrap();
    assert!(good.len() > 100);
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x5a;
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("a flipped byte", flipped),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("empty", Vec::new()),
        (
            "garbage",
            b"rankpress parse cache\n\x01\x00\x00\x00garbage".to_vec(),
        ),
        ("another file", b"month: 2026-04\n".to_vec()),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&cache, &bytes).unwrap();
        let (code, err) = build_into(root, "out");
        assert_eq!(code, Some(0), "{what}: {err}");
        assert_same_as_uncached(root, what);
        // The build replaced the damaged cache with a good one.
        assert_eq!(std::fs::read(&cache).unwrap(), good, "{what}");
    }
}

#[test]
fn a_cached_month_is_checked_again_when_the_roster_changes() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let root = site.path();
    let c = root.join("content");
    assert_eq!(build_into(root, "out").0, Some(0));
    assert!(cache_of(root, "out").is_file());
    let before = snapshot(&root.join("out"));
    // liu-yang is in the cached April results; now they left in February.
    let managers = std::fs::read_to_string(c.join("managers.yaml")).unwrap();
    let changed = managers.replacen(
        "{id: liu-yang, name: 刘洋, team: nongcun}",
        "{id: liu-yang, name: 刘洋, team: nongcun, left: 2026-02-20}",
        1,
    );
    assert_ne!(changed, managers);
    std::fs::write(c.join("managers.yaml"), changed).unwrap();
    let april = std::fs::read_to_string(c.join("results/2026-04.yaml")).unwrap();
    let line = april
        .lines()
        .position(|l| l == "  liu-yang:")
        .expect("liu-yang in April")
        + 1;
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(1), "{err}");
    let loc = format!("content/results/2026-04.yaml:{line}:3: ");
    assert!(
        err.lines()
            .any(|l| l.starts_with(&loc) && l.contains("刘洋") && l.contains("离岗")),
        "no problem at {loc}:\n{err}"
    );
    // The same problems as `check`, which uses no cache; the output is untouched.
    let check = rankpress(root, &["check"]);
    assert_eq!(String::from_utf8_lossy(&check.stderr), err);
    assert_eq!(snapshot(&root.join("out")), before);
}

#[test]
fn a_cached_month_with_a_new_error_is_reported() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let root = site.path();
    let c = root.join("content");
    assert_eq!(build_into(root, "out").0, Some(0));
    let feb = std::fs::read_to_string(c.join("results/2026-02.yaml")).unwrap();
    let bad = feb.replacen("forecast: 99", "forecast: x", 1);
    assert_ne!(bad, feb);
    std::fs::write(c.join("results/2026-02.yaml"), bad).unwrap();
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("content/results/2026-02.yaml:")),
        "{err}"
    );
    let check = rankpress(root, &["check"]);
    assert_eq!(String::from_utf8_lossy(&check.stderr), err);
    // Put back: the cache still serves the other months and the build succeeds again.
    std::fs::write(c.join("results/2026-02.yaml"), feb).unwrap();
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert_same_as_uncached(root, "restored");
}

/// The files of `out` that are hard-linked elsewhere (reused from a previous output).
fn linked(out: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.metadata().unwrap().nlink() > 1)
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn the_switch_turns_every_cache_off_with_the_same_output() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    let (cache, pages) = (cache_of(root, "out"), root.join(".out.pages"));
    // Cache on: the parse cache and the page manifest are written, and a rebuild links the
    // unchanged files from the previous output.
    assert_eq!(build_into(root, "out").0, Some(0));
    assert!(cache.is_file() && pages.is_file());
    assert_eq!(build_into(root, "out").0, Some(0));
    assert!(!linked(&root.join("out")).is_empty(), "nothing reused");
    assert_same_as_uncached(root, "on");
    // Cache off: nothing read or written, nothing linked, every file written again.
    std::fs::remove_file(&cache).unwrap();
    let (code, err) = build_uncached(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert!(!cache.exists(), "the parse cache was written");
    assert!(!pages.exists(), "the page manifest was written");
    assert_eq!(linked(&root.join("out")), Vec::<String>::new());
    assert_same_as_uncached(root, "off");
    // On again, after an edit of one results value: the same as a clean build.
    assert_eq!(build_into(root, "out").0, Some(0));
    bump_newest_value(root, 7);
    let (code, err) = build_into(root, "out");
    assert_eq!(code, Some(0), "{err}");
    assert!(cache.is_file() && pages.is_file());
    assert!(!linked(&root.join("out")).is_empty(), "nothing reused");
    assert_same_as_uncached(root, "edited");
}
