//! The standing adversarial suite: fresh variants of the issue-18 findings ("Pay stays
//! confidential and nothing is lost"), each tried as a careless user or an insider would. Each
//! test's doc comment names the item it covers.

mod common;

use std::path::Path;

use common::*;

/// Every published file's name, below `dir`.
fn names(dir: &Path) -> Vec<String> {
    tree(dir).into_iter().map(|(n, _)| n).collect()
}

/// Item 1: `-o` into a theme folder. `payroll -o static/pay` was accepted and the next `build`
/// copied the month's payroll (json, csv, xlsx) into `output/static/pay/`; `bulletin -o
/// templates/b` was accepted too (and broke every build). The same through a theme's own
/// `static/`, `i18n/`, and a path with `..` segments.
#[test]
fn confidential_folders_refuse_the_theme_folders() {
    let site = pay_site(true);
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    for dir in [
        "static/pay",
        "static",
        "templates/b",
        "i18n/b",
        "themes/x/static/p",
        "themes",
        "content/../static/./pay",
    ] {
        let runs = [
            rankpress(root, &["payroll", "--month", "2026-04", "-o", dir]),
            rankpress(root, &["bulletin", "--month", "2026-04", "-o", dir]),
        ];
        for run in runs {
            refused(&run, &["主题文件夹", "-o"]);
        }
    }
    for d in ["static/pay", "templates", "i18n", "themes/x"] {
        assert!(!root.join(d).exists(), "{d} was created");
    }
    ok(&rankpress(root, &["build"]));
    let published = names(&root.join("output"));
    assert!(
        published
            .iter()
            .all(|n| !n.starts_with("static/pay") && !n.ends_with(".eml")),
        "{published:?}"
    );
}

/// Item 1: a careless `mv payroll static/` (or `cp -r bulletins themes/t/static/`): the next
/// build copied every file of it into the published site. Now the build refuses, naming the
/// folder and where it belongs; the English site says it in English.
#[test]
fn a_build_refuses_a_confidential_folder_moved_into_static() {
    let site = pay_site(true);
    let root = site.path();
    ok(&rankpress(root, &["payroll", "--month", "2026-04"]));
    ok(&rankpress(root, &["bulletin", "--month", "2026-04"]));
    copy_dir(&root.join("payroll"), &root.join("static/old/payroll"));
    let run = rankpress(root, &["build"]);
    refused(
        &run,
        &["static/old/payroll", ".rankpress-payroll", "payroll"],
    );
    assert!(!root.join("output").exists());
    std::fs::remove_dir_all(root.join("static")).unwrap();
    // A theme's static/ and templates/, on an English site.
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let text = text.replace("language: zh-CN\n", "language: en\n");
    write(&yaml, &format!("{text}theme: t\n"));
    std::fs::create_dir_all(root.join("themes/t/templates")).unwrap();
    copy_dir(&root.join("bulletins"), &root.join("themes/t/static/b"));
    let run = rankpress(root, &["build"]);
    refused(
        &run,
        &["themes/t/static/b", "never published", "Move it to"],
    );
    std::fs::remove_dir_all(root.join("themes/t/static")).unwrap();
    copy_dir(&root.join("bulletins"), &root.join("themes/t/templates/b"));
    let run = rankpress(root, &["build"]);
    refused(&run, &["themes/t/templates/b", ".rankpress-bulletins"]);
}

/// Item 1 ("nothing is lost"): a marked bulletins folder put deeper than the top level of a
/// built output (`public/old/bulletins`) was silently deleted by the next `build -o public`,
/// `sent.log` and all. Now the build refuses and leaves it in place.
#[test]
fn a_build_never_deletes_a_confidential_folder_deep_in_its_output() {
    let site = pay_site(true);
    let root = site.path();
    ok(&rankpress(root, &["bulletin", "--month", "2026-04"]));
    write(&root.join("bulletins/2026-04/sent.log"), "sent\n");
    ok(&rankpress(root, &["build", "-o", "public"]));
    std::fs::rename(root.join("bulletins"), root.join("public/old")).unwrap();
    let before = tree(&root.join("public/old"));
    for target in ["public", "./content/../public"] {
        let run = rankpress(root, &["build", "-o", target]);
        refused(&run, &["public/old", ".rankpress-bulletins"]);
    }
    assert_eq!(tree(&root.join("public/old")), before);
}

/// Item 1 ("never into git"): the default `bulletins/` was not in the site's `.gitignore`, so
/// `git add -A` committed every personal bulletin with its pay; any `-o` folder inside the
/// work tree (and the bulletins an earlier version's output held, moved to `bulletins/` by
/// `build`) likewise. A confidential folder now keeps itself out of git.
#[test]
fn confidential_folders_stay_out_of_git() {
    let site = pay_site(true);
    let root = site.path();
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    git(&["init", "-q"]);
    // An earlier version's bulletins in the output, moved out by build.
    ok(&rankpress(root, &["build", "-o", "public"]));
    write(&root.join("public/bulletins/2026-03.eml"), "old");
    ok(&rankpress(root, &["build", "-o", "public"]));
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    assert!(!status.contains("bulletins/"), "{status}");
    // A folder marked by the previous version (no .gitignore yet) gets one when next used.
    std::fs::remove_file(root.join("bulletins/.gitignore")).unwrap();
    ok(&rankpress(root, &["bulletin", "--month", "2026-04"]));
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", "hr/pay"],
    ));
    let status = git(&["status", "--porcelain", "--untracked-files=all"]);
    for leak in ["bulletins/", "hr/pay", ".eml", "2026-04.xlsx"] {
        assert!(
            !status
                .lines()
                .any(|l| l.contains(leak) && !l.contains("public/")),
            "{leak} visible to git:\n{status}"
        );
    }
    // A new site's .gitignore names both default folders.
    let new = tempdir();
    ok(&rankpress(new.path(), &["init", "s"]));
    let ignore = std::fs::read_to_string(new.path().join("s/.gitignore")).unwrap();
    assert!(ignore.contains("/bulletins/") && ignore.contains("/payroll/"));
}

/// Item 17: the linear pre-scan missed brackets that the YAML parser reads as collections —
/// after a document marker (`--- [[[…`), and on a line begun by a lone CR, NEL, LS or PS (a
/// comment or block scalar ends there for libyaml) — so the parser took its slow path (seconds
/// for 80 000 brackets, minutes for a megabyte). Each is refused at once now.
#[test]
fn nesting_after_a_document_marker_or_an_odd_line_break_is_refused_fast() {
    let site = site_from(&conformance_v2_dir().join("ratings/content"));
    let root = site.path();
    let open = "[".repeat(400_000);
    for (head, line) in [
        ("--- ", 1),
        ("%YAML 1.2\n--- ", 2),
        ("# 注释\r", 2),
        ("# 注释\u{85}", 2),
        ("# 注释\u{2028}", 2),
        ("a: |\n  x\u{2029}b: ", 3),
    ] {
        write(
            &root.join("content/innovations.yaml"),
            &format!("{head}{open}"),
        );
        let start = std::time::Instant::now();
        let run = rankpress(root, &["check"]);
        let took = start.elapsed();
        let err = format!("{}{}", stderr(&run), String::from_utf8_lossy(&run.stdout));
        assert_eq!(run.status.code(), Some(1), "{head:?}: {err}");
        assert!(
            err.contains(&format!("content/innovations.yaml:{line}:")) && err.contains("128"),
            "{head:?}: {err}"
        );
        assert!(took.as_secs() < 10, "{head:?}: took {took:?}");
    }
}

/// Item 1: `payroll -o link/../pay`, `link` a symlink into the site output. The check resolved
/// `..` by the path's text (`ROOT/pay`, allowed) but the files were written through the path
/// as typed, where the kernel follows `link` first: the month's payroll landed in
/// `output/pay/`, published with the site. Both commands now write where they checked.
#[test]
fn dot_dot_after_a_symlink_never_reaches_the_output() {
    let site = pay_site(true);
    let root = site.path();
    ok(&rankpress(root, &["build"]));
    std::fs::create_dir(root.join("output/sub")).unwrap();
    std::os::unix::fs::symlink(root.join("output/sub"), root.join("link")).unwrap();
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", "link/../pay"],
    ));
    ok(&rankpress(
        root,
        &["bulletin", "--month", "2026-04", "-o", "link/../news"],
    ));
    assert!(!root.join("output/pay").exists(), "payroll in the output");
    assert!(
        !root.join("output/news").exists(),
        "bulletins in the output"
    );
    assert!(root.join("pay/2026-04.xlsx").is_file());
    assert!(root.join("news/.rankpress-bulletins").is_file());
}

/// Item 19: a folder holding a *folder* named like the marker (`x/.rankpress-bulletins/`) was
/// accepted by the check, then writing the marker failed with an English I/O error on a
/// Chinese site. The message is in the site's language and says what to do; a marker that is a
/// symlink is replaced, never written through.
#[test]
fn a_marker_that_is_a_folder_or_a_link_is_reported_in_the_sites_language() {
    let site = pay_site(true);
    let root = site.path();
    std::fs::create_dir_all(root.join("x/.rankpress-bulletins")).unwrap();
    let run = rankpress(root, &["bulletin", "--month", "2026-04", "-o", "x"]);
    let err = stderr(&run);
    assert_ne!(run.status.code(), Some(0), "{err}");
    assert!(
        err.contains("无法写入")
            && err.contains("x/.rankpress-bulletins")
            && !err.contains("cannot"),
        "{err}"
    );
    let outside = root.join("outside.txt");
    write(&outside, "keep");
    std::fs::create_dir(root.join("y")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("y/.rankpress-payroll")).unwrap();
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", "y"],
    ));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
    assert!(root.join("y/.rankpress-payroll").is_file());
}
