//! Builds every fixture of the project's copies of the conformance fixtures
//! (`tests/fixtures/conformance/` for contract version 1, `tests/fixtures/conformance-v2/` for
//! version 2) and compares every export with `expected/` (numbers to within 0.006; strings,
//! nulls and list order exactly), and every payroll with `payroll/` (to the cent).

mod common;

use common::*;

#[test]
fn every_conformance_fixture_matches() {
    let mut fixtures: Vec<_> = [conformance_dir(), conformance_v2_dir()]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(dir)
                .expect("tests/fixtures/conformance{,-v2} are part of the repository")
                .flatten()
                .filter(|e| e.path().join("expected").is_dir())
                .map(|e| e.path())
        })
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() >= 3,
        "expected the basic, full and ratings fixtures, found {fixtures:?}"
    );
    let mut failures = Vec::new();
    for fx in &fixtures {
        let site = site_from(&fx.join("content"));
        let out = site.path().join("out");
        let run = rankpress(
            site.path(),
            &["build", "--root", ".", "--output", out.to_str().unwrap()],
        );
        assert!(
            run.status.success(),
            "{}: build failed:\n{}",
            fx.display(),
            String::from_utf8_lossy(&run.stderr)
        );
        let expected = fx.join("expected");
        let mut compared = 0;
        for e in walkdir::WalkDir::new(&expected).sort_by_file_name() {
            let e = e.unwrap();
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(&expected).unwrap();
            let got_path = out.join("data").join(rel);
            let Ok(got) = std::fs::read(&got_path) else {
                failures.push(format!(
                    "{}: {} was not written",
                    fx.display(),
                    rel.display()
                ));
                continue;
            };
            let exp: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            let got: serde_json::Value = serde_json::from_slice(&got).unwrap();
            let mut diffs = Vec::new();
            json_diff(&exp, &got, 0.006, "", &mut diffs);
            for d in diffs {
                failures.push(format!(
                    "{} {}: {d}",
                    fx.file_name().unwrap().to_string_lossy(),
                    rel.display()
                ));
            }
            compared += 1;
        }
        assert!(compared > 0, "{}: no expected files", fx.display());
        failures.extend(payrolls_match(fx, site.path()));
        // No export beyond what the contract defines is missing either: every results month has a CSV.
        for m in std::fs::read_dir(fx.join("content/results"))
            .unwrap()
            .flatten()
        {
            let stem = m.path().file_stem().unwrap().to_string_lossy().into_owned();
            let csv = std::fs::read(out.join(format!("data/rankings/{stem}.csv"))).unwrap();
            assert!(
                csv.starts_with(b"\xEF\xBB\xBFrank,id,name,team,"),
                "{stem}.csv header"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs `rankpress payroll --month M` for every `payroll/M.json` of a fixture and compares the
/// JSON: every amount to the cent (exactly, in cents), everything else as the exports.
fn payrolls_match(fx: &std::path::Path, site: &std::path::Path) -> Vec<String> {
    let dir = fx.join("payroll");
    if !dir.is_dir() {
        return Vec::new();
    }
    let out = site.join("pay-out");
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no payrolls", dir.display());
    for f in files {
        let month = f.file_stem().unwrap().to_str().unwrap().to_string();
        let run = rankpress(
            site,
            &["payroll", "--month", &month, "-o", out.to_str().unwrap()],
        );
        assert!(
            run.status.success(),
            "payroll {month}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let exp: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        let got: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{month}.json"))).unwrap())
                .unwrap();
        let mut diffs = Vec::new();
        json_diff(&exp, &got, 0.006, "", &mut diffs);
        let cents = |v: &serde_json::Value| v.as_f64().map(|x| (x * 100.0).round() as i64);
        for key in ["base", "pool", "paid"] {
            if cents(&exp[key]) != cents(&got[key]) {
                diffs.push(format!(".{key}: expected {}, got {}", exp[key], got[key]));
            }
        }
        for (i, (e, g)) in exp["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(got["rows"].as_array().unwrap())
            .enumerate()
        {
            if cents(&e["pay"]) != cents(&g["pay"]) {
                diffs.push(format!(
                    ".rows[{i}].pay: expected {}, got {}",
                    e["pay"], g["pay"]
                ));
            }
        }
        for d in diffs {
            failures.push(format!("{} payroll/{month}.json: {d}", fx.display()));
        }
    }
    failures
}
