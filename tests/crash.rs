//! Crash safety: a build killed (SIGKILL) at any point leaves the output folder as either the
//! previous complete site or the new complete site (each point reached exactly, through the
//! build's test pause points, `src/pause.rs`, never at a guessed moment); racing builds never
//! corrupt it; a file far larger than any real one is refused without reading it (the
//! check's peak memory, not its time, shows it).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

/// Every file of a folder with a digest of its bytes.
fn digest(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                (bytes.len(), h.finish()),
            )
        })
        .collect()
}

/// Runs `rankpress build` in `root` until it pauses at `point` (see `src/pause.rs`), kills it
/// there (SIGKILL) and waits for it. Panics if the build ends without reaching the point.
fn kill_at(root: &Path, point: &str) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankpress"))
        .current_dir(root)
        .arg("build")
        .env("RANKPRESS_TEST_PAUSE_AT", point)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let name = point.split(':').next().unwrap();
    let wanted = format!("rankpress: paused at {name}");
    let mut said = String::new();
    // Reading blocks until the build prints the line (then it waits for the kill) or ends.
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line == wanted {
            child.kill().unwrap();
            child.wait().unwrap();
            return;
        }
        said.push_str(&line);
        said.push('\n');
    }
    let status = child.wait().unwrap();
    panic!("the build never reached {point} ({status}):\n{said}");
}

#[test]
fn killed_builds_leave_the_previous_or_the_new_site() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    let out = root.join("output");

    // Site A: the demo. Site B: its last month removed, so the two differ in files.
    let results = root.join("content/results");
    let mut months: Vec<_> = std::fs::read_dir(&results)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    months.sort();
    let last = months.last().unwrap().clone();
    let last_text = std::fs::read(&last).unwrap();
    let a_dir = root.join("expected-a");
    let b_dir = root.join("expected-b");
    assert!(rankpress(root, &["build", "-o", a_dir.to_str().unwrap()])
        .status
        .success());
    std::fs::remove_file(&last).unwrap();
    assert!(rankpress(root, &["build", "-o", b_dir.to_str().unwrap()])
        .status
        .success());
    let (a, b) = (digest(&a_dir), digest(&b_dir));
    assert_ne!(a, b);
    assert!(rankpress(root, &["build"]).status.success());
    assert_eq!(digest(&out), b);

    // Every point of a build where a kill leaves something different behind: the lock taken
    // and the staging folder made, files being written (the first, some, about half), the
    // staging folder sealed, and the new site swapped in before the build cleaned up. Until
    // the swap the previous site must be there intact, after it the new one.
    let half = a.len().min(b.len()) / 2;
    let points = [
        ("begun", false),
        ("written:1", false),
        ("written:7", false),
        (&*format!("written:{half}"), false),
        ("sealed", false),
        ("swapped", true),
    ];
    for (i, (point, swapped)) in points.iter().enumerate() {
        // Alternate the data between A and B so that each kill interrupts a real change.
        let want_a = i % 2 == 0;
        if want_a {
            std::fs::write(&last, &last_text).unwrap();
        } else {
            let _ = std::fs::remove_file(&last);
        }
        let (before, new) = (digest(&out), if want_a { &a } else { &b });
        assert_ne!(&before, new);
        kill_at(root, point);
        let now = digest(&out);
        let expected = if *swapped { new } else { &before };
        assert!(
            &now == expected,
            "killed at {point}: {} files, not the {} site",
            now.len(),
            if *swapped { "new" } else { "previous" }
        );
        // The next build cleans up after the killed one and builds the same data again.
        let r = rankpress(root, &["build"]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        assert_eq!(&digest(&out), new, "the build after a kill at {point}");
    }
    // After the kills, nothing of them is left (stale lock and staging are cleaned up).
    let stray: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-") || n.ends_with(".lock"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn racing_builds_never_corrupt_the_output() {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    let bin = env!("CARGO_BIN_EXE_rankpress");
    assert!(rankpress(root, &["build"]).status.success());
    let expected = digest(&root.join("output"));
    let racing: Vec<_> = (0..4)
        .map(|_| {
            Command::new(bin)
                .current_dir(root)
                .arg("build")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in racing {
        let o = c.wait_with_output().unwrap();
        if !o.status.success() {
            // The only acceptable failure is the lock's clear message.
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{err}");
            assert!(
                err.contains("另一个 rankpress 进程") && err.contains("正在写入"),
                "{err}"
            );
        }
    }
    assert_eq!(digest(&root.join("output")), expected);
}

#[test]
// The child is reaped by `wait4`, which gives its peak memory too.
#[allow(clippy::zombie_processes)]
fn huge_file_is_refused_without_reading_it() {
    let site = site_from(&conformance_dir().join("basic/content"));
    let f = std::fs::File::create(site.path().join("content/results/2026-05.yaml")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no disk or memory used
    let mut child = Command::new(env!("CARGO_BIN_EXE_rankpress"))
        .current_dir(site.path())
        .arg("check")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    // The check's own peak memory (not a guess at the time it may take): reading the file
    // would need 200 MB.
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child, reaping it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our unreaped child; both pointers are valid for the call.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1,
        "{err}"
    );
    assert!(
        err.contains("content/results/2026-05.yaml: 文件过大（200 MB）"),
        "{err}"
    );
    let peak_kib = usage.ru_maxrss;
    assert!(peak_kib < 100 * 1024, "check peaked at {peak_kib} KiB");
}

#[test]
fn a_build_killed_while_carrying_bulletins_loses_no_sent_log() {
    // State left by a build killed after it moved output/bulletins/ into its staging folder
    // and before the swap: the sent.log must come back, not be deleted with the leftovers.
    let site = site_from(&conformance_dir().join("basic/content"));
    let root = site.path();
    assert!(rankpress(root, &["build"]).status.success());
    // Its staging folder is named by a token that its marker holds too.
    let token = "0123456789abcdef";
    let staging = root.join(format!(".output.staging-{token}"));
    write(
        &staging.join("bulletins/2026-04/sent.log"),
        "2026-05-01T01:00:00Z\tteam\t<id@x>\tall@example.com\n",
    );
    write(&staging.join("index.html"), "half-built");
    write(
        &staging.join(".rankpress-output"),
        &format!("rankpress\ntoken {token}\n"),
    );
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // Bulletins of that earlier version then move out of the output, into ROOT/bulletins.
    let log = std::fs::read_to_string(root.join("bulletins/2026-04/sent.log")).unwrap();
    assert!(!root.join("output/bulletins").exists());
    assert!(log.contains("\tteam\t"), "{log}");
    assert!(!staging.exists());
    assert_ne!(
        std::fs::read_to_string(root.join("output/index.html")).unwrap(),
        "half-built"
    );

    // A build killed between the two renames of the fallback swap: the previous output is
    // aside as .output.old-TOKEN (its marker's token) and there is no output at all. The next
    // build restores it first (then replaces it as usual).
    let marker = std::fs::read_to_string(root.join("output/.rankpress-output")).unwrap();
    let token = marker
        .lines()
        .find_map(|l| l.strip_prefix("token "))
        .expect("the output's token");
    let old = root.join(format!(".output.old-{token}"));
    std::fs::rename(root.join("output"), &old).unwrap();
    let r = rankpress(root, &["build"]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(
        root.join("bulletins/2026-04/sent.log").is_file(),
        "bulletins kept through the restore"
    );
    assert!(!old.exists());
}
