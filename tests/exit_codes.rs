//! One exit code per kind of fault, whatever the command (`src/exit.rs`): bad data 1, bad usage
//! or missing input 2, delivery 3. Each command gets a table of (arguments, fault) → code, run
//! on real sites: the one `rankpress init` writes (bulletin settings, pay), the conformance
//! site `basic` (neither), and the init site with a bad value.

mod common;

use std::path::Path;

use common::*;

/// A fault and the exit code every command must give for it.
const DATA: i32 = 1;
const USAGE: i32 = 2;
const DELIVERY: i32 = 3;

/// The sites a case runs in.
#[derive(Clone, Copy, Debug)]
enum Site {
    /// `rankpress init`'s site: bulletin settings (a local relay on 127.0.0.1:1025), pay.
    Init,
    /// The conformance site `basic`: no bulletin settings, no pay.
    Basic,
    /// The init site with a value that is not a number.
    BadData,
    /// The init site without any results month.
    NoResults,
    /// The init site with a chart font that does not exist.
    NoFont,
}

fn make(site: Site) -> tempfile::TempDir {
    match site {
        Site::Init => init_site(),
        Site::Basic => site_from(&conformance_dir().join("basic/content")),
        Site::BadData => {
            let d = init_site();
            let f = results_file(d.path());
            let text = std::fs::read_to_string(&f).unwrap();
            write(&f, &text.replacen("forecast: 98.4", "forecast: x", 1));
            d
        }
        Site::NoResults => {
            let d = init_site();
            std::fs::remove_file(results_file(d.path())).unwrap();
            d
        }
        Site::NoFont => {
            let d = init_site();
            let f = d.path().join("content/site.yaml");
            let text = std::fs::read_to_string(&f).unwrap();
            write(
                &f,
                &text.replacen(
                    "  personal: true",
                    "  font: fonts/none.ttf\n  personal: true",
                    1,
                ),
            );
            d
        }
    }
}

/// Runs each case in a fresh site and lists every case whose exit code is not the expected
/// one, with its message.
fn table(cases: &[(Site, &[&str], &str, i32)]) {
    let mut wrong = Vec::new();
    for (site, args, fault, code) in cases {
        let dir = make(*site);
        let o = rankpress(dir.path(), args);
        if o.status.code() != Some(*code) {
            wrong.push(format!(
                "{site:?} rankpress {} ({fault}): exit {:?}, expected {code}\n  {}",
                args.join(" "),
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn build_exit_codes() {
    table(&[
        (Site::BadData, &["build"], "bad data", DATA),
        (Site::Init, &["build", "--bogus"], "unknown option", USAGE),
        (
            Site::Init,
            &["build", "-o", "content"],
            "an output folder that may not be used",
            USAGE,
        ),
    ]);
}

#[test]
fn check_exit_codes() {
    table(&[
        (Site::BadData, &["check"], "bad data", DATA),
        (Site::Init, &["check", "--bogus"], "unknown option", USAGE),
        // `check` writes nothing: it has no output folder to name.
        (Site::Init, &["check", "-o", "out"], "no -o", USAGE),
    ]);
}

/// A bad `--month` is bad usage (2) in every command that takes one, whatever else is wrong
/// with the site: it is refused before the data is loaded or the settings are looked at (it
/// was 1 in `bulletin` on a site without bulletin settings, 1 in `payroll` on bad data).
#[test]
fn a_bad_month_is_bad_usage_in_every_command() {
    let mut cases: Vec<(Site, &[&str], &str, i32)> = Vec::new();
    for site in [Site::Basic, Site::BadData, Site::NoResults] {
        for args in [
            &["bulletin", "--month", "2030-13"][..],
            &["bulletin", "--month", "x"],
            &["send", "--dry-run", "--month", "2030-13"],
            &["send", "--month", "x"],
            &["payroll", "--month", "2030-13"],
            &["payroll", "--month", "x"],
            &["export", "--month", "2030-13"],
            &["import", "missing.csv", "--month", "x"],
        ] {
            cases.push((site, args, "not a month", USAGE));
        }
    }
    table(&cases);
}

#[test]
fn bulletin_exit_codes() {
    table(&[
        (Site::BadData, &["bulletin"], "bad data", DATA),
        (Site::Basic, &["bulletin"], "no bulletin settings", DATA),
        (
            Site::Init,
            &["bulletin", "--month", "2030-01"],
            "no results for the month",
            USAGE,
        ),
        (Site::NoResults, &["bulletin"], "no results at all", USAGE),
        (Site::NoFont, &["bulletin"], "no chart font", USAGE),
        (
            Site::Init,
            &["bulletin", "--month", "2030-13"],
            "not a month",
            USAGE,
        ),
    ]);
}

#[test]
fn send_exit_codes() {
    table(&[
        (Site::BadData, &["send", "--dry-run"], "bad data", DATA),
        (
            Site::Basic,
            &["send", "--dry-run"],
            "no bulletin settings",
            DATA,
        ),
        (
            Site::Init,
            &["send", "--dry-run"],
            "no bulletins written yet",
            USAGE,
        ),
        (Site::Init, &["send"], "no bulletins written yet", USAGE),
        (
            Site::Init,
            &["send", "--month", "2030-01"],
            "no results for the month",
            USAGE,
        ),
        (Site::NoResults, &["send"], "no results at all", USAGE),
        (Site::Init, &["send", "--month", "x"], "not a month", USAGE),
    ]);
}

/// Delivery faults: bulletins written, the server unreachable (exit 3); and, on the same
/// bulletins, a credentials variable that is not set (missing input, 2).
#[test]
fn send_delivery_exit_codes() {
    let dir = init_site();
    let d = dir.path();
    let o = rankpress(d, &["bulletin"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site_yaml = d.join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    write(
        &site_yaml,
        &text.replace("    port: 1025\n", &format!("    port: {port}\n")),
    );
    let o = rankpress(d, &["send"]);
    assert_eq!(
        o.status.code(),
        Some(DELIVERY),
        "unreachable server: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    write(
        &site_yaml,
        &text.replace(
            "    security: none\n",
            "    security: none\n    username_env: RP_UNSET_USER\n    password_env: RP_UNSET_PASSWORD\n",
        ),
    );
    let o = rankpress(d, &["send"]);
    assert_eq!(
        o.status.code(),
        Some(USAGE),
        "unset credentials variable: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("RP_UNSET_USER"));
}

#[test]
fn payroll_exit_codes() {
    table(&[
        (Site::BadData, &["payroll"], "bad data", DATA),
        (Site::Basic, &["payroll"], "no pay settings", DATA),
        (
            Site::Init,
            &["payroll", "--month", "2030-01"],
            "no results for the month",
            USAGE,
        ),
        (Site::NoResults, &["payroll"], "no results at all", USAGE),
        (
            Site::Init,
            &["payroll", "--month", "2030-13"],
            "not a month",
            USAGE,
        ),
        (
            Site::Init,
            &["payroll", "-o", "output/pay"],
            "a folder that may not be used",
            USAGE,
        ),
    ]);
}

#[test]
fn init_exit_codes() {
    // The site folder itself is not empty.
    table(&[
        (
            Site::Init,
            &["init", "."],
            "a folder that is not empty",
            USAGE,
        ),
        (Site::Init, &["init"], "no folder given", USAGE),
    ]);
}

#[test]
fn import_and_export_exit_codes() {
    let bad_sheet = |d: &Path| {
        write(
            &d.join("bad.csv"),
            "编号,卷烟销量实际,卷烟销量目标\nzhang-wei,九十,460\n",
        )
    };
    let dir = init_site();
    bad_sheet(dir.path());
    let o = rankpress(dir.path(), &["import", "bad.csv", "--month", "2030-01"]);
    assert_eq!(o.status.code(), Some(DATA), "a sheet with problems");
    table(&[
        (
            Site::Init,
            &["import", "missing.xlsx", "--month", "2030-01"],
            "no such sheet",
            USAGE,
        ),
        (
            Site::Init,
            &["import", "bad.csv", "--month", "2030-13"],
            "not a month",
            USAGE,
        ),
        (
            Site::BadData,
            &["export", "--month", "2030-01"],
            "bad data",
            DATA,
        ),
        (
            Site::Init,
            &["export", "--month", "2030-13"],
            "not a month",
            USAGE,
        ),
    ]);
}

#[test]
fn diff_exit_codes() {
    table(&[
        (Site::BadData, &["diff", "HEAD"], "no git history", USAGE),
        (Site::Init, &["diff"], "no revision given", USAGE),
    ]);
}

/// The codes are documented where a keeper looks: `rankpress --help` and every command's.
#[test]
fn help_lists_the_exit_codes() {
    let dir = tempdir();
    for args in [
        &["--help"][..],
        &["bulletin", "--help"],
        &["send", "-h"],
        &["payroll", "--help"],
        &["help", "init"],
    ] {
        let o = rankpress(dir.path(), args);
        let out = String::from_utf8_lossy(&o.stdout);
        for words in ["1 bad data", "2 bad usage or missing input", "3 delivery"] {
            assert!(
                out.contains(words),
                "{args:?}: {words:?} missing in:\n{out}"
            );
        }
    }
}
