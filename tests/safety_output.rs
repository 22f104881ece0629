//! Safety of what rankpress writes and reads (issue 10): a wrong `--output` never moves or
//! deletes the user's files; the build lock is an OS lock; the trash is only ever rankpress's;
//! symlinked, FIFO and device data files are refused; control characters in single-line text
//! are reported with their position; exports never write `-0.0`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn basic_site() -> tempfile::TempDir {
    site_from(&conformance_dir().join("basic/content"))
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn wrong_outputs_are_refused_and_nothing_is_moved() {
    let site = basic_site();
    let root = site.path();
    write(&root.join("docs/notes.txt"), "my own notes");
    write(&root.join("docs/sub/plan.md"), "# plan");
    write(&root.join("notes.txt"), "a regular file");
    std::os::unix::fs::symlink(root.join("docs"), root.join("link")).unwrap();
    std::os::unix::fs::symlink(root.join("content"), root.join("content-link")).unwrap();
    let before = snapshot(root);
    let cases: &[(&str, &str)] = &[
        ("content", "数据文件夹 content/"),
        (".", "就是网站文件夹本身"),
        ("./", "就是网站文件夹本身"),
        ("..", "包含网站文件夹"),
        ("docs", "不是 rankpress 生成的内容"),
        ("notes.txt", "是一个文件，不是文件夹"),
        ("link", "是一个符号链接"),
        ("content/out", "位于数据文件夹 content/ 之内"),
        ("content/results", "位于数据文件夹 content/ 之内"),
        ("content-link/out", "位于数据文件夹 content/ 之内"),
        ("docs/../content", "数据文件夹 content/"),
        ("content/..", "就是网站文件夹本身"),
    ];
    for (out, expect) in cases {
        for attempt in 1..=2 {
            let r = rankpress(root, &["build", "-o", out]);
            let err = stderr(&r);
            assert_eq!(r.status.code(), Some(2), "-o {out} #{attempt}: {err}");
            assert!(err.contains(expect), "-o {out}: {err}");
            assert!(err.contains("请用 -o 另选一个文件夹"), "-o {out}: {err}");
            assert_eq!(
                snapshot(root),
                before,
                "-o {out} #{attempt} changed the site"
            );
        }
    }
    // `bulletin` refuses a folder holding files rankpress did not write too.
    let r = rankpress(root, &["bulletin", "-o", "docs"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("不是 rankpress 生成的内容"));
    assert_eq!(snapshot(root), before);
}

#[test]
fn refusal_is_in_the_sites_language() {
    let site = basic_site();
    let root = site.path();
    let yaml = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    write(
        &root.join("content/site.yaml"),
        &yaml.replace("language: zh-CN", "language: en"),
    );
    write(&root.join("docs/notes.txt"), "mine");
    let r = rankpress(root, &["build", "-o", "docs"]);
    assert_eq!(r.status.code(), Some(2));
    let err = stderr(&r);
    assert!(
        err.contains("holds files rankpress did not write (1 entries: notes.txt)")
            && err.contains("choose another folder with -o"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("docs/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn previous_output_and_empty_folder_are_replaced() {
    let site = basic_site();
    let root = site.path();
    std::fs::create_dir(root.join("public")).unwrap();
    for _ in 0..3 {
        let r = rankpress(root, &["build", "-o", "public"]);
        assert!(r.status.success(), "{}", stderr(&r));
        assert!(root.join("public/index.html").is_file());
        let marker = std::fs::read_to_string(root.join("public/.rankpress-output")).unwrap();
        assert!(marker.starts_with("rankpress\n"), "{marker}");
    }
    // Default output, twice; a file added by hand inside it is refused (tests/trust_files.rs).
    assert!(rankpress(root, &["build"]).status.success());
    write(&root.join("output/stray.txt"), "x");
    let r = rankpress(root, &["build"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    std::fs::remove_file(root.join("output/stray.txt")).unwrap();
    assert!(rankpress(root, &["build"]).status.success());
    // Two outputs of the same data are identical, marker included.
    assert_eq!(
        snapshot(&root.join("output")),
        snapshot(&root.join("public"))
    );
}

#[test]
fn output_of_an_earlier_version_is_adopted() {
    // Before the marker, an output was recognised by the page manifest its build left beside it.
    let site = basic_site();
    let root = site.path();
    assert!(rankpress(root, &["build"]).status.success());
    std::fs::remove_file(root.join("output/.rankpress-output")).unwrap();
    assert!(root.join(".output.pages").is_file());
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(root.join("output/.rankpress-output").is_file());
    // Without the manifest, the same folder is someone else's.
    std::fs::remove_file(root.join("output/.rankpress-output")).unwrap();
    std::fs::remove_file(root.join(".output.pages")).unwrap();
    let r = rankpress(root, &["build"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
}

#[test]
fn stale_lock_naming_a_live_unrelated_process_does_not_block() {
    let site = basic_site();
    let root = site.path();
    // pid 1 is alive (init) and is not a rankpress build.
    write(&root.join(".output.lock"), "1\n");
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(root.join("output/index.html").is_file());
    assert!(!root.join(".output.lock").exists());
}

#[test]
fn a_held_lock_refuses_a_second_build() {
    let site = basic_site();
    let root = site.path();
    assert!(rankpress(root, &["build"]).status.success());
    let before = snapshot(&root.join("output"));
    // Hold the lock as another build would: flock(2) on the open lock file.
    let holder = std::fs::File::create(root.join(".output.lock")).unwrap();
    // SAFETY: flock on a valid open descriptor.
    let rc = unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&holder), libc::LOCK_EX) };
    assert_eq!(rc, 0);
    let r = rankpress(root, &["build"]);
    drop(holder);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("另一个 rankpress 进程"),
        "{}",
        stderr(&r)
    );
    assert_eq!(snapshot(&root.join("output")), before);
    // Once released, builds go on.
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", stderr(&r));
}

/// Runs rankpress as the unprivileged user `nobody` (root ignores permissions, so a read-only
/// folder only resists a normal user), in `cwd`, which must belong to nobody.
fn rankpress_as_nobody(cwd: &Path, args: &[&str]) -> std::process::Output {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let mut cmd = if euid == 0 {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_rankpress"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_rankpress"))
    };
    cmd.current_dir(cwd)
        .args(args)
        .output()
        .expect("setpriv from util-linux: apt-get install util-linux")
}

fn chown_tree(dir: &Path, uid: u32) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        std::os::unix::fs::lchown(e.path(), Some(uid), Some(uid)).unwrap();
    }
}

#[test]
fn read_only_trash_does_not_pile_up() {
    use std::os::unix::fs::PermissionsExt;
    let site = basic_site();
    let root = site.path();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        chown_tree(root, 65534);
    }
    let r = rankpress_as_nobody(root, &["build"]);
    assert!(r.status.success(), "{}", stderr(&r));
    // A folder of the output made read-only (as a copy from a read-only medium would be).
    let managers = root.join("output/managers");
    assert!(managers.is_dir());
    std::fs::set_permissions(&managers, std::fs::Permissions::from_mode(0o555)).unwrap();
    for _ in 0..3 {
        let r = rankpress_as_nobody(root, &["build"]);
        assert!(r.status.success(), "{}", stderr(&r));
    }
    let trash: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.trash-"))
        .collect();
    // At most the previous output of the last build, deleted by the next one.
    assert!(trash.len() <= 1, "{trash:?}");
    for t in &trash {
        let m = std::fs::metadata(root.join(t).join("managers")).unwrap();
        assert_eq!(m.permissions().mode() & 0o200, 0o200, "{t} still read-only");
    }
}

#[test]
fn trash_without_the_marker_is_never_deleted() {
    // What the old bug left: the user's content/ set aside as trash. No build deletes it.
    let site = basic_site();
    let root = site.path();
    write(&root.join(".output.trash-4242/precious.yaml"), "keep: me");
    write(
        &root.join(".output.staging-4243/precious.yaml"),
        "keep: me too",
    );
    for _ in 0..2 {
        let r = rankpress(root, &["build"]);
        assert!(r.status.success(), "{}", stderr(&r));
    }
    assert_eq!(
        std::fs::read_to_string(root.join(".output.trash-4242/precious.yaml")).unwrap(),
        "keep: me"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".output.staging-4243/precious.yaml")).unwrap(),
        "keep: me too"
    );
}

/// Runs `rankpress ARGS` in `cwd`, failing the test if it takes longer than 30 s (a read that
/// blocks on a FIFO would hang forever).
fn rankpress_timed(cwd: &Path, args: &[&str]) -> std::process::Output {
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankpress"))
        .current_dir(cwd)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rankpress {args:?} hung (killed after 30 s)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn symlinked_results_file_is_reported_not_skipped() {
    let site = basic_site();
    let root = site.path();
    let month = root.join("content/results/2026-04.yaml");
    let elsewhere = root.join("kept-elsewhere.yaml");
    std::fs::rename(&month, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &month).unwrap();
    for cmd in ["check", "build"] {
        let r = rankpress_timed(root, &[cmd]);
        assert_eq!(r.status.code(), Some(1), "{cmd}: {}", stderr(&r));
        let err = stderr(&r);
        assert!(
            err.contains("content/results/2026-04.yaml:1:1: 这是一个符号链接（指向 ")
                && err.contains("rankpress 不读取 content/ 中的链接"),
            "{err}"
        );
    }
    assert!(!root.join("output").exists());
    // A symlinked folder of data is reported the same way.
    std::fs::remove_file(&month).unwrap();
    std::fs::rename(&elsewhere, &month).unwrap();
    std::fs::create_dir(root.join("more")).unwrap();
    std::fs::create_dir_all(root.join("content/trainings")).unwrap();
    std::os::unix::fs::symlink(root.join("more"), root.join("content/trainings/linked")).unwrap();
    let r = rankpress_timed(root, &["check"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("content/trainings/linked:1:1: 这是一个符号链接"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn fifo_and_device_data_files_are_refused_without_hanging() {
    let site = basic_site();
    let root = site.path();
    // A results month that is a FIFO nobody writes to: reading it would block forever.
    let month = root.join("content/results/2026-04.yaml");
    std::fs::remove_file(&month).unwrap();
    mkfifo(&month);
    let r = rankpress_timed(root, &["check"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r)
            .contains("content/results/2026-04.yaml:1:1: 这不是普通文件（而是管道、套接字或设备）"),
        "{}",
        stderr(&r)
    );
    std::fs::remove_file(&month).unwrap();
    // site.yaml as a FIFO, then as a link to /dev/zero (endless data).
    let site_yaml = root.join("content/site.yaml");
    std::fs::remove_file(&site_yaml).unwrap();
    mkfifo(&site_yaml);
    let r = rankpress_timed(root, &["build"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("content/site.yaml:1:1: 这不是普通文件"),
        "{}",
        stderr(&r)
    );
    std::fs::remove_file(&site_yaml).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &site_yaml).unwrap();
    let r = rankpress_timed(root, &["check"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("content/site.yaml:1:1: 这是一个符号链接（指向 /dev/zero）"),
        "{}",
        stderr(&r)
    );
}

/// `file:line:column` of the first occurrence of `needle` in `text` (column in characters).
fn position(file: &str, text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[start..at].chars().count() + 1;
    format!("{file}:{line}:{column}")
}

#[test]
fn control_and_invisible_characters_are_reported_with_their_position() {
    let site = basic_site();
    let root = site.path();
    let mpath = root.join("content/managers.yaml");
    let managers = std::fs::read_to_string(&mpath)
        .unwrap()
        .replace("name: 张伟,", r#"name: "张\r\n伟","#)
        .replace("name: 李娜,", r#"name: "李\0娜","#)
        .replace("name: 王强,", r#"name: "\u200B\u200B ","#)
        .replace("name: 城区片区}", r#"name: "城区\u202E片区"}"#)
        .replace("name: 农村片区}", r#"name: "农村\u2066片区"}"#);
    write(&mpath, &managers);
    let spath = root.join("content/site.yaml");
    let site_yaml = std::fs::read_to_string(&spath)
        .unwrap()
        .replace("title: 示例", r#"title: "\e[31m示例"#)
        .replace("绩效通报\n", "绩效通报\"\n");
    write(&spath, &site_yaml);
    let r = rankpress_timed(root, &["check"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let err = stderr(&r);
    let m = "content/managers.yaml";
    for (at, what) in [
        (
            position(m, &managers, r#""张\r"#),
            r#""name" 的第 2 个字符是不可见的回车符（U+000D）"#,
        ),
        (
            position(m, &managers, r#""李\0"#),
            r#""name" 的第 2 个字符是不可见的空字符 NUL（U+0000）"#,
        ),
        (
            position(m, &managers, r#""\u200B"#),
            r#""name" 只含不可见字符"#,
        ),
        (
            position(m, &managers, r#""城区\u202E"#),
            r#""name" 的第 3 个字符是不可见的文字方向控制符（U+202E）"#,
        ),
        (
            position(m, &managers, r#""农村\u2066"#),
            r#""name" 的第 3 个字符是不可见的文字方向控制符（U+2066）"#,
        ),
        (
            position("content/site.yaml", &site_yaml, r#""\e[31m"#),
            r#""title" 的第 1 个字符是不可见的转义符 ESC（U+001B）"#,
        ),
    ] {
        assert!(
            err.contains(&format!("{at}: {what}")),
            "{at}: {what}\n{err}"
        );
    }
    // A multi-line note keeps its line breaks (2026-01 has one).
    assert!(!err.contains("2026-01.yaml"), "{err}");
}

#[test]
fn control_characters_are_explained_in_english() {
    let site = basic_site();
    let root = site.path();
    let spath = root.join("content/site.yaml");
    let yaml = std::fs::read_to_string(&spath)
        .unwrap()
        .replace("language: zh-CN", "language: en");
    write(&spath, &yaml);
    let mpath = root.join("content/managers.yaml");
    let managers = std::fs::read_to_string(&mpath)
        .unwrap()
        .replace("name: 张伟,", r#"name: "Zhang\nWei","#);
    write(&mpath, &managers);
    let r = rankpress_timed(root, &["check"]);
    assert_eq!(r.status.code(), Some(1));
    let at = position("content/managers.yaml", &managers, r#""Zhang"#);
    assert!(
        stderr(&r).contains(&format!(
            "{at}: \"name\": character 6 is an invisible line feed (U+000A), not allowed here"
        )),
        "{}",
        stderr(&r)
    );
}

#[test]
fn exports_never_write_negative_zero() {
    let site = basic_site();
    let root = site.path();
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", stderr(&r));
    let mut zeros = 0;
    for e in walkdir::WalkDir::new(root.join("output"))
        .into_iter()
        .flatten()
    {
        let name = e.path().display().to_string();
        if !(name.ends_with(".json") || name.ends_with(".csv")) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        assert!(
            !["-0.0,", "-0.0\n", "-0.0}", "-0.0]"]
                .iter()
                .any(|z| text.contains(z)),
            "{name}"
        );
        assert!(!text.contains(",-0,") && !text.contains(",-0\r"), "{name}");
        // Compact JSON (`"complaints":0.0`); whitespace is not part of the contract.
        zeros += text
            .replace("\": ", "\":")
            .matches("\"complaints\":0.0")
            .count();
    }
    // No complaints: a deduction of zero points, written as 0.0.
    assert!(zeros > 0);
}
