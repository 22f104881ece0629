//! Shared helpers of the integration tests: fixtures copied into temporary folders, the built
//! binary, JSON comparison with the contract's tolerance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (also the demo site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's copy of the contract's version 1 fixtures (`tests/fixtures/conformance`), kept
/// byte-identical to `../shared/conformance` (tests/fixtures_mirror.rs checks it) so that a clone
/// alone can run the tests.
pub fn conformance_dir() -> PathBuf {
    repo().join("tests/fixtures/conformance")
}

/// The project's copy of the contract's version 2 fixtures (`tests/fixtures/conformance-v2`).
pub fn conformance_v2_dir() -> PathBuf {
    repo().join("tests/fixtures/conformance-v2")
}

/// The project's copy of the contract's version 3 fixtures (`tests/fixtures/conformance-v3`).
pub fn conformance_v3_dir() -> PathBuf {
    repo().join("tests/fixtures/conformance-v3")
}

/// Runs `python3 tools/TOOL/SCRIPT args` (the contract's Python references, standard library
/// only); fails with the install hint when python3 is missing.
pub fn python_tool(tool: &str, script: &str, args: &[&str]) -> Output {
    let path = repo().join("tools").join(tool).join(script);
    match Command::new("python3").arg(&path).args(args).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "python3 is needed for tools/{tool} (apt-get install python3; standard library only): {e}"
        ),
    }
}

/// A finished process's stdout followed by its stderr, for assertion messages.
pub fn report(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `../shared`, beside the checkout (or beside the folder of worktrees, for a checkout in
/// `wt/NAME/`), when it exists.
pub fn shared_dir() -> Option<PathBuf> {
    [repo().join("../shared"), repo().join("../../shared")]
        .into_iter()
        .find(|p| p.is_dir())
}

/// A fresh temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("rankpress-test-")
        .tempdir()
        .expect("temp dir")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A site folder holding a copy of `content` (a fixture's or the demo's).
pub fn site_from(content: &Path) -> tempfile::TempDir {
    let dir = tempdir();
    copy_dir(content, &dir.path().join("content"));
    dir
}

/// Runs the rankpress binary with arguments in `cwd`.
pub fn rankpress(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rankpress"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run rankpress")
}

/// Writes a file, creating its folder.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Compares two JSON values: numbers within `tol`, everything else exactly; extra keys in
/// `got` objects are allowed. Returns the differences found, with their JSON paths.
pub fn json_diff(
    expected: &serde_json::Value,
    got: &serde_json::Value,
    tol: f64,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    match (expected, got) {
        (J::Number(a), J::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            if (a - b).abs() > tol {
                out.push(format!("{path}: expected {a}, got {b}"));
            }
        }
        (J::Object(a), J::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    Some(w) => json_diff(v, w, tol, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (J::Array(a), J::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                json_diff(v, w, tol, &format!("{path}[{i}]"), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: expected {a}, got {b}")),
    }
}

/// Every entry under `dir` (hidden ones too; symlinks not followed) with its bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else if e.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display()).into_bytes()
            } else {
                b"<dir>".to_vec()
            };
            (rel, bytes)
        })
        .collect()
}

/// Every file under `dir` (relative path, bytes), in a stable order.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// How an amount of `cents` may be written on a page or in an export: 4012.37, 4,012.37,
/// 401237 (cents, when not whole yuan) and 4012.4 (a trailing zero dropped); with `round`, a
/// whole amount also as 54000, 54,000, 54000.0, 5400000 (cents), 5.4万 and 5.40万.
pub fn amount_spellings(cents: i64, round: bool) -> Vec<String> {
    let (y, f) = (cents / 100, cents % 100);
    let grouped = y
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap())
        .collect::<Vec<_>>()
        .join(",");
    let mut out = vec![format!("{y}.{f:02}"), format!("{grouped}.{f:02}")];
    if f != 0 {
        out.push(format!("{cents}"));
        if f % 10 == 0 {
            out.push(format!("{y}.{}", f / 10));
            out.push(format!("{grouped}.{}", f / 10));
        }
    } else if round {
        let wan = y as f64 / 10_000.0;
        out.extend([
            format!("{y}"),
            grouped,
            format!("{y}.0"),
            format!("{cents}"),
            format!("{wan}万"),
            format!("{wan:.2}万"),
        ]);
    }
    out
}

/// Every `file: needle` where one of `files` (as from [`tree`]) holds one of `needles`.
pub fn holding(files: &[(String, Vec<u8>)], needles: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for n in needles {
            if text.contains(n.as_str()) {
                found.push(format!("{name}: {n}"));
            }
        }
    }
    found
}

pub mod prereq;
pub mod serve;
pub mod smtp;
/// Runs `check` in `site`, asserts exit code 1 and no panic, returns the stderr lines: each
/// problem's `file:line:column: message` and the closing line, without the code frames under
/// the problems ([`is_frame_line`]; `tests/snapshots.rs` and `tests/errors.rs` check those).
pub fn check_fails(site: &Path) -> Vec<String> {
    let out = rankpress(site, &["check"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "check should fail:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    err.lines()
        .filter(|l| !is_frame_line(l))
        .map(str::to_string)
        .collect()
}

/// Whether `line` of the command line's output belongs to a problem's code frame: indented,
/// then `|` or a line number and ` |`.
pub fn is_frame_line(line: &str) -> bool {
    let t = line.trim_start();
    line.starts_with("  ")
        && (t.starts_with('|')
            || t.split_once(" |")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
}

/// Asserts that exactly one reported line is at `loc` (`file:line:column`) and that it holds
/// every one of `words`.
pub fn assert_problem(lines: &[String], loc: &str, words: &[&str]) {
    let hits: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with(&format!("{loc}: ")))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one problem at {loc}; got:\n{}",
        lines.join("\n")
    );
    for w in words {
        assert!(hits[0].contains(w), "{loc}: {w:?} missing in {}", hits[0]);
    }
}

/// A new site made by `rankpress init` in a temporary folder (its files directly in the
/// folder; roster: zhang-wei, li-na, wang-qiang, zhao-min, sun-lei).
pub fn init_site() -> tempfile::TempDir {
    let dir = tempdir();
    let site = dir.path().join("site");
    let o = rankpress(dir.path(), &["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for e in std::fs::read_dir(&site).unwrap().flatten() {
        std::fs::rename(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    std::fs::remove_dir(&site).unwrap();
    dir
}

/// The one results file of a site made by [`init_site`] (`content/results/YYYY-MM.yaml`).
pub fn results_file(root: &Path) -> PathBuf {
    std::fs::read_dir(root.join("content/results"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .next()
        .expect("init writes one results month")
}

/// The v2 fixture with pay by pool and bulletins (personal ones with the person's pay).
pub fn pay_site(personal_pay: bool) -> tempfile::TempDir {
    let dir = site_from(&conformance_v2_dir().join("ratings/content"));
    let path = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "pay:\n  method: rating\n  base: 3000\n",
        &format!(
            "pay:\n  method: pool\n  pool: 54321.07\nbulletin:\n  from: 绩效通报 <kpi@example.com>\n  to: [leader@example.com]\n  personal: true\n  personal_pay: {personal_pay}\n"
        ),
    );
    assert!(text.contains("pool: 54321.07"));
    write(&path, &text);
    dir
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

/// Asserts a refusal with exit 2 whose message holds every one of `words`.
pub fn refused(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "{w:?} missing in: {err}");
    }
}
