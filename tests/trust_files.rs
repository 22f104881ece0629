//! rankpress never overwrites or deletes a file it did not write (issue 18): `export` refuses
//! an existing file (and, even with `--force`, data, git files and anything but its own
//! sheets); `hook install` keeps a foreign hook (judged on its bytes) and numbers its backups;
//! a build refuses an output folder holding files it did not write and deletes only its own
//! trash, by exact name and token; files it replaces keep their mode and new ones follow the
//! umask.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts that two snapshots are equal, naming the entries that differ.
#[track_caller]
fn assert_same(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, what: &str) {
    let differ: Vec<&String> = got
        .keys()
        .chain(want.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

/// Runs rankpress in `cwd` under the file mode creation mask `umask` (octal, e.g. "022").
fn rankpress_umask(cwd: &Path, umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(cwd)
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_rankpress"))
        .args(args)
        .output()
        .expect("run rankpress")
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn git_init(dir: &Path) {
    let o = Command::new("git")
        .current_dir(dir)
        .args(["init", "-q", "-b", "main"])
        .env("GIT_CONFIG_GLOBAL", dir.join(".no-global-config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git");
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The month of `init`'s example results.
fn example_month(root: &Path) -> String {
    std::fs::read_dir(root.join("content/results"))
        .unwrap()
        .flatten()
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .next()
        .unwrap()
}

// ---- export (finding 7) ----

#[test]
fn export_refuses_an_existing_sheet_unless_forced() {
    let site = init_site();
    let root = site.path();
    let month = example_month(root);
    for (format, file) in [("xlsx", "t.xlsx"), ("csv", "t.csv")] {
        let args = [
            "export", "--month", &month, "--format", format, "--out", file,
        ];
        let o = rankpress(root, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        // The keeper fills it in, as a spreadsheet saves it (a title row above the headers).
        let filled = root.join(file);
        let bytes = if format == "csv" {
            "\u{feff}2026年成绩\r\n编号,姓名,片区,卷烟销量实际\r\nzhang-wei,张伟,城区片区,1\r\n"
                .as_bytes()
                .to_vec()
        } else {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.write_string(0, 0, "2026年成绩").unwrap();
            for (c, h) in ["编号", "姓名", "片区", "卷烟销量实际"].iter().enumerate() {
                ws.write_string(1, c as u16, *h).unwrap();
            }
            ws.write_string(2, 0, "zhang-wei").unwrap();
            ws.write_number(2, 3, 1.0).unwrap();
            wb.save_to_buffer().unwrap()
        };
        std::fs::write(&filled, &bytes).unwrap();
        let o = rankpress(root, &args);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(file) && err.contains("已存在") && err.contains("--force"),
            "{err}"
        );
        assert!(
            err.contains("--out"),
            "says how to choose another name: {err}"
        );
        assert_eq!(std::fs::read(&filled).unwrap(), bytes, "{format}: kept");
        // --force replaces a sheet rankpress wrote, even filled in.
        let forced: Vec<&str> = args.iter().copied().chain(["--force"]).collect();
        let o = rankpress(root, &forced);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert_ne!(std::fs::read(&filled).unwrap(), bytes, "{format}: replaced");
    }
}

#[test]
fn export_never_overwrites_data_git_files_or_foreign_files() {
    let site = init_site();
    let root = site.path();
    git_init(root);
    let month = example_month(root);
    write(
        &root.join("notes.csv"),
        "date,what\n2026-01-02,my own notes\n",
    );
    write(&root.join("report.xlsx"), "not a spreadsheet at all");
    std::fs::write(root.join("binary.csv"), b"\xff\xfe\x00garbage").unwrap();
    let before = snapshot(root);
    let cases: &[(&str, &str)] = &[
        ("content/site.yaml", "content/"),
        ("content/results/new.csv", "content/"),
        (".git/config", ".git/"),
        (".git/hooks/sheet.csv", ".git/"),
        ("notes.csv", "不是 rankpress 导出的表格"),
        ("report.xlsx", "不是 rankpress 导出的表格"),
        ("binary.csv", "不是 rankpress 导出的表格"),
    ];
    for (out, expect) in cases {
        let format = if out.ends_with(".xlsx") {
            "xlsx"
        } else {
            "csv"
        };
        for force in [false, true] {
            let mut args = vec![
                "export", "--month", &month, "--format", format, "--out", out,
            ];
            if force {
                args.push("--force");
            }
            let o = rankpress(root, &args);
            let err = stderr(&o);
            assert_eq!(
                o.status.code(),
                Some(1),
                "--out {out} (force {force}): {err}"
            );
            assert!(err.contains(out), "names the file: {err}");
            if force || !expect.contains("表格") {
                assert!(err.contains(expect), "--out {out}: {err}");
            }
            assert!(err.contains("--out"), "says what to do: {err}");
            assert_same(&snapshot(root), &before, &format!("--out {out}"));
        }
    }
    // The same from another folder, naming the site's content by an absolute path.
    let elsewhere = tempdir();
    let target = root.join("content/managers.yaml");
    let o = rankpress(
        elsewhere.path(),
        &[
            "export",
            "--month",
            &month,
            "--format",
            "csv",
            "--root",
            root.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_same(&snapshot(root), &before, "absolute --out");
}

// ---- hook install (finding 8) ----

#[test]
fn hook_with_a_non_utf8_byte_is_kept_without_force() {
    let site = init_site();
    let root = site.path();
    git_init(root);
    let hook = root.join(".git/hooks/pre-commit");
    // A hook saved in GBK: not UTF-8, but a user's hook all the same.
    let mine = b"#!/bin/sh\n# \xbc\xec\xb2\xe9\nexit 0\n".to_vec();
    std::fs::write(&hook, &mine).unwrap();
    let o = rankpress(root, &["hook", "install"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&hook).unwrap(), mine);
    assert!(!root.join(".git/hooks/pre-commit.rankpress-backup").exists());
    // With --force it is kept as a backup, named in the message.
    let o = rankpress(root, &["hook", "install", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let backup = root.join(".git/hooks/pre-commit.rankpress-backup");
    assert_eq!(std::fs::read(&backup).unwrap(), mine);
    assert!(
        stdout(&o).contains("pre-commit.rankpress-backup"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn hook_backups_never_overwrite_each_other() {
    let site = init_site();
    let root = site.path();
    git_init(root);
    let hooks = root.join(".git/hooks");
    let hook = hooks.join("pre-commit");
    let o = rankpress(root, &["hook", "install"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ours = std::fs::read(&hook).unwrap();
    // Our own hook is updated without --force and without a backup.
    let o = rankpress(root, &["hook", "install"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!hooks.join("pre-commit.rankpress-backup").exists());
    // Our hook with a line the user added is no longer ours.
    let mut edited = ours.clone();
    edited.extend_from_slice(b"npm test\n");
    let foreign: [Vec<u8>; 3] = [
        b"#!/bin/sh\nexit 0\n".to_vec(),
        edited,
        b"#!/bin/sh\necho third\n".to_vec(),
    ];
    let names = [
        "pre-commit.rankpress-backup",
        "pre-commit.rankpress-backup.1",
        "pre-commit.rankpress-backup.2",
    ];
    for (i, bytes) in foreign.iter().enumerate() {
        std::fs::write(&hook, bytes).unwrap();
        let o = rankpress(root, &["hook", "install"]);
        assert_eq!(o.status.code(), Some(1), "#{i}: {}", stderr(&o));
        assert_eq!(&std::fs::read(&hook).unwrap(), bytes);
        let o = rankpress(root, &["hook", "install", "--force"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(names[i]), "{}", stdout(&o));
        assert_eq!(std::fs::read(&hook).unwrap(), ours);
        for (j, name) in names.iter().enumerate().take(i + 1) {
            assert_eq!(
                &std::fs::read(hooks.join(name)).unwrap(),
                &foreign[j],
                "{name}"
            );
        }
    }
}

// ---- the output folder (finding 9) ----

#[test]
fn build_refuses_an_output_holding_files_it_did_not_write() {
    let site = init_site();
    let root = site.path();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("output");
    write(&out.join("notes.txt"), "my notes");
    write(
        &out.join("otherdept/index.html"),
        "another department's page",
    );
    let managers = std::fs::read_dir(out.join("managers"))
        .unwrap()
        .flatten()
        .find(|e| e.file_type().unwrap().is_dir())
        .unwrap()
        .path();
    write(&managers.join("photo.jpg"), "a photo");
    let before = snapshot(root);
    for _ in 0..2 {
        let o = rankpress(root, &["build"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        for name in ["notes.txt", "otherdept/", "photo.jpg"] {
            assert!(err.contains(name), "names {name}: {err}");
        }
        assert_same(&snapshot(root), &before, "nothing moved or deleted");
    }
    // Once they are gone, it builds.
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    std::fs::remove_dir_all(out.join("otherdept")).unwrap();
    std::fs::remove_file(managers.join("photo.jpg")).unwrap();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A file the build wrote and the user deleted is no reason to refuse.
    std::fs::remove_file(out.join("index.html")).unwrap();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file());
}

#[test]
fn user_backups_beside_the_output_are_never_deleted_or_moved() {
    let site = init_site();
    let root = site.path();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The user's copies of the output, marker and all, under names like rankpress's own.
    let backups = [
        ".output.old-backup-oct",
        ".output.trash-mine",
        ".output.staging-copy",
        ".output.trash-1234",
    ];
    for b in backups {
        copy_dir(&root.join("output"), &root.join(b));
        write(&root.join(b).join("mine.txt"), b);
    }
    let kept: Vec<_> = backups.iter().map(|b| snapshot(&root.join(b))).collect();
    for _ in 0..3 {
        let o = rankpress(root, &["build"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // With the output gone, none of them is taken for an output set aside by a killed build.
    std::fs::remove_dir_all(root.join("output")).unwrap();
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!root.join("output/mine.txt").exists());
    let o = rankpress(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (b, snap) in backups.iter().zip(&kept) {
        assert_same(&snapshot(&root.join(b)), snap, b);
    }
    // rankpress's own trash does not pile up meanwhile.
    let trash: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.") && !backups.contains(&n.as_str()))
        .filter(|n| n.contains(".trash-") || n.contains(".staging-") || n.contains(".old-"))
        .collect();
    assert!(trash.len() <= 1, "{trash:?}");
}

// ---- file modes (finding 13) ----

#[test]
fn replaced_files_keep_their_mode_and_new_ones_follow_the_umask() {
    let dir = tempdir();
    let o = rankpress_umask(dir.path(), "022", &["init", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = dir.path().join("site");
    for f in ["content/site.yaml", "README.md", ".gitignore"] {
        assert_eq!(mode(&root.join(f)), 0o644, "init {f}");
    }
    let month = example_month(&root);
    let results = root.join(format!("content/results/{month}.yaml"));
    assert_eq!(mode(&results), 0o644);
    // export: a new file follows the umask.
    for (umask, file, want) in [("022", "a.csv", 0o644), ("077", "b.csv", 0o600)] {
        let args = [
            "export", "--month", &month, "--format", "csv", "--out", file,
        ];
        let o = rankpress_umask(&root, umask, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(mode(&root.join(file)), want, "export under umask {umask}");
    }
    // A replaced file keeps its mode (group-writable here), whatever the umask.
    chmod(&root.join("a.csv"), 0o664);
    let o = rankpress_umask(
        &root,
        "077",
        &[
            "export", "--month", &month, "--format", "csv", "--out", "a.csv", "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&root.join("a.csv")), 0o664, "export --force");
    chmod(&results, 0o664);
    let o = rankpress_umask(
        &root,
        "077",
        &["import", "a.csv", "--month", &month, "--force"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&results), 0o664, "import --force");
    // The hook is executable as the umask allows.
    git_init(&root);
    let o = rankpress_umask(&root, "027", &["hook", "install"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&root.join(".git/hooks/pre-commit")), 0o750, "hook");
}

#[test]
fn payrolls_are_private_whatever_the_umask() {
    // Pay is confidential: a new payroll is readable by its owner only; one replaced keeps
    // the permissions its owner gave it.
    let site = site_from(&conformance_v2_dir().join("ratings/content"));
    let root = site.path();
    let o = rankpress_umask(root, "022", &["payroll", "--month", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<_> = std::fs::read_dir(root.join("payroll"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "csv" || x == "xlsx" || x == "json")
        })
        .collect();
    assert!(!files.is_empty());
    for f in &files {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    chmod(&files[0], 0o640);
    let o = rankpress_umask(root, "022", &["payroll", "--month", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&files[0]), 0o640, "{}", files[0].display());
}
