//! `docs/security.md` stays true: every test its threat model names (`FILE::test` for a test of
//! `tests/FILE.rs`, `module::tests::name` for a unit test under `src/`) exists, and every test
//! file written for a trust boundary is named there at least once.

mod common;

use std::path::Path;

use common::*;

/// The backquoted `a::b` references of the threat model.
fn references(doc: &str) -> Vec<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter(|r| {
            r.contains("::")
                && r.split("::").all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                })
        })
        .map(str::to_string)
        .collect()
}

fn sources(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

#[test]
fn every_test_the_threat_model_names_exists() {
    let doc = std::fs::read_to_string(repo().join("docs/security.md")).unwrap();
    let refs = references(&doc);
    assert!(
        refs.len() > 50,
        "the threat model names its tests: {refs:?}"
    );
    let src = sources(&repo().join("src"));
    let mut missing = Vec::new();
    for r in &refs {
        let parts: Vec<&str> = r.split("::").collect();
        let name = parts[parts.len() - 1];
        let needle = format!("fn {name}(");
        let file = repo().join("tests").join(format!("{}.rs", parts[0]));
        let found = if parts.len() == 2 && file.is_file() {
            std::fs::read_to_string(&file).unwrap().contains(&needle)
        } else {
            src.iter().any(|s| s.contains(&needle))
        };
        if !found {
            missing.push(r.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "docs/security.md names tests that do not exist (renamed or removed?): {missing:?}"
    );
}

#[test]
fn every_trust_test_file_is_in_the_threat_model() {
    let doc = std::fs::read_to_string(repo().join("docs/security.md")).unwrap();
    for file in [
        "confidential",
        "send_safety",
        "trust_files",
        "trust_dos",
        "safety_import",
        "safety_output",
        "hostile",
        "crash",
    ] {
        assert!(
            doc.contains(&format!("`{file}::")),
            "docs/security.md names no test of tests/{file}.rs"
        );
    }
}
