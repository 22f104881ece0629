//! Differential test of contract §10 (version 2): random small sites (tools/v2ref/v2gen.py) are
//! built and paid by rankpress and recomputed by an independent, exact reference written from
//! the contract's text (tools/v2ref/v2ref.py, Python standard library only). Every §10 key of
//! the exports — rankings `rating`/`escalated` and the CSV `rating` column, annual rows with
//! `ratings`, `promotion`/`demotion`, `quarterly/*.json` — and every payroll JSON (to the cent,
//! row order) must agree.

mod common;

use std::process::Command;

use common::*;

/// Runs `python3 tools/v2ref/SCRIPT args`; fails with the install hint when python3 is missing.
fn python(script: &str, args: &[&str]) -> std::process::Output {
    let path = repo().join("tools/v2ref").join(script);
    match Command::new("python3").arg(&path).args(args).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "python3 is needed for the §10 reference (apt-get install python3; standard library only): {e}"
        ),
    }
}

fn report(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The reference itself agrees with the contract's worked example (conformance-v2/ratings),
/// exports and payroll files, so that a difference below points at rankpress.
#[test]
fn reference_agrees_with_the_worked_example() {
    let fx = conformance_v2_dir().join("ratings");
    let out = tempdir();
    copy_dir(&fx.join("expected"), &out.path().join("data"));
    let res = python(
        "v2ref.py",
        &[
            "compare",
            fx.to_str().unwrap(),
            out.path().to_str().unwrap(),
            fx.join("payroll").to_str().unwrap(),
        ],
    );
    assert!(
        res.status.success(),
        "the reference disagrees with the worked example:\n{}",
        report(&res)
    );
}

/// 40 seeded random sites through rankpress and the reference; any difference fails with the
/// JSON path, both values and the site's folder (kept for reproduction).
#[test]
fn random_sites_agree_with_the_reference() {
    let work = tempdir();
    let bin = env!("CARGO_BIN_EXE_rankpress");
    let res = python(
        "v2check.py",
        &[bin, work.path().to_str().unwrap(), "0", "40", "2"],
    );
    if !res.status.success() {
        let kept = work.keep();
        panic!(
            "rankpress differs from the §10 reference (sites kept in {}):\n{}",
            kept.display(),
            report(&res)
        );
    }
    assert!(
        report(&res).contains("0 of 40 sites differ"),
        "{}",
        report(&res)
    );
}
