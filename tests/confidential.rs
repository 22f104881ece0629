//! Where confidential files may go (issue 18, part 1): bulletins and payrolls live in folders of
//! their own (`ROOT/bulletins`, `ROOT/payroll`, marked), never in what `build` publishes, the
//! data or git, and the reverse; no pay amount (pool, base) reaches the site; a month's three
//! payroll files change together or not at all, even on a full disk; `bulletin` refuses pay
//! too large to work out exactly, like `payroll`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn real(p: &Path) -> String {
    std::fs::canonicalize(p).unwrap().display().to_string()
}

/// Every file below `dir`, with its bytes, to compare before and after a refusal.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
}

// Item 2: the rules page showed the pool (54000.00) or the base; with each total and level in
// the exports, every pay could be worked out to the cent.
#[test]
fn no_pool_or_base_anywhere_in_a_built_site() {
    let demo = site_from(&repo().join("content"));
    let site_yaml = std::fs::read_to_string(demo.path().join("content/site.yaml")).unwrap();
    assert!(site_yaml.contains("method: pool\n  pool: 54000\n"));
    // The demo (a pool of 54000), and the same with pay by rating with an odd base.
    let rating = site_from(&repo().join("content"));
    write(
        &rating.path().join("content/site.yaml"),
        &site_yaml.replace(
            "method: pool\n  pool: 54000\n",
            "method: rating\n  base: 3187.45\n",
        ),
    );
    for (site, amount) in [(&demo, 5_400_000i64), (&rating, 318_745)] {
        ok(&rankpress(site.path(), &["build"]));
        let needles = amount_spellings(amount, true);
        let files = tree(&site.path().join("output"));
        assert!(files.len() > 100, "{} files", files.len());
        let leaks = holding(&files, &needles);
        assert!(
            leaks.is_empty(),
            "pay amounts in output/:\n{}",
            leaks.join("\n")
        );
        // The rules page still explains the method and the coefficients.
        let rules = std::fs::read_to_string(site.path().join("output/rules/index.html")).unwrap();
        assert!(rules.contains("绩效系数"), "{rules}");
        assert!(
            rules.contains(if amount == 318_745 {
                "绩效工资 = 基数 × 考核等次的绩效系数"
            } else {
                "每月绩效工资总额按“总分 × 绩效系数”的比例分配到分"
            }),
            "{rules}"
        );
    }
}

// Item 1: `bulletin -o NEWDIR` with personal_pay, then `build -o NEWDIR`, published every
// person's pay.
#[test]
fn a_bulletins_folder_is_never_published() {
    let site = pay_site(true);
    let root = site.path();
    let new = root.join("newdir");
    ok(&rankpress(
        root,
        &["bulletin", "--month", "2026-04", "-o", "newdir"],
    ));
    assert!(new.join(".rankpress-bulletins").is_file());
    assert!(new.join("2026-04/m00012.eml").is_file());
    let before = snapshot(&new);
    // The same folder, through a relative path with `..`, and through a symlink.
    std::os::unix::fs::symlink(&new, root.join("link")).unwrap();
    for target in ["newdir", "./content/../newdir"] {
        let run = rankpress(root, &["build", "-o", target]);
        refused(&run, &[".rankpress-bulletins"]);
    }
    refused(&rankpress(root, &["build", "-o", "link"]), &["符号链接"]);
    // A folder holding it at its top level, marked as an output (a marker copied in).
    let parent = root.join("public");
    std::fs::create_dir(&parent).unwrap();
    std::fs::write(parent.join(".rankpress-output"), "rankpress\n").unwrap();
    std::fs::rename(&new, parent.join("newdir")).unwrap();
    let run = rankpress(root, &["build", "-o", "public"]);
    refused(&run, &[".rankpress-bulletins", "public/newdir"]);
    assert_eq!(snapshot(&parent.join("newdir")), before);
    // A folder inside it.
    let run = rankpress(root, &["build", "-o", "public/newdir/site"]);
    refused(&run, &[".rankpress-bulletins"]);
    // A bulletins folder with an output marker copied in is still never published.
    std::fs::write(parent.join("newdir/.rankpress-output"), "rankpress\n").unwrap();
    let run = rankpress(root, &["build", "-o", "public/newdir"]);
    refused(&run, &[".rankpress-bulletins"]);
    // The default folders.
    ok(&rankpress(root, &["bulletin", "--month", "2026-04"]));
    ok(&rankpress(root, &["payroll"]));
    assert!(root.join("bulletins/.rankpress-bulletins").is_file());
    assert!(root.join("payroll/.rankpress-payroll").is_file());
    for target in ["bulletins", "payroll", "payroll/site"] {
        let run = rankpress(root, &["build", "-o", target]);
        refused(
            &run,
            &[if target.starts_with("payroll") {
                ".rankpress-payroll"
            } else {
                ".rankpress-bulletins"
            }],
        );
    }
    // And the site itself holds neither.
    ok(&rankpress(root, &["build"]));
    let files = tree(&root.join("output"));
    assert!(files
        .iter()
        .all(|(n, _)| !n.contains("bulletins") && !n.ends_with(".eml")));
}

/// `bulletin` and `payroll` with `-o`, run in `cwd`.
fn both(cwd: &Path, root: &Path, dir: &str) -> [Output; 2] {
    let r = root.to_str().unwrap();
    [
        rankpress(cwd, &["bulletin", "--month", "2026-04", "-r", r, "-o", dir]),
        rankpress(cwd, &["payroll", "--month", "2026-04", "-r", r, "-o", dir]),
    ]
}

// Item 19 (part): `payroll -o` a marked folder named the wrong folder; `-o content` and
// `-o .git` were accepted. The same rule holds for `bulletin`.
#[test]
fn confidential_folders_refuse_published_data_and_git_folders() {
    let site = pay_site(true);
    let root = site.path();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .unwrap();
    assert!(git.success());
    ok(&rankpress(root, &["build"]));
    ok(&rankpress(root, &["build", "-o", "public"]));
    std::os::unix::fs::symlink(root.join("output"), root.join("to-output")).unwrap();
    std::os::unix::fs::symlink(root.join("output"), root.join("elsewhere")).unwrap();
    // A folder with an output marker copied in.
    write(&root.join("marked/.rankpress-output"), "rankpress\n");
    // A folder holding a site output at its top level.
    std::fs::create_dir(root.join("holder")).unwrap();
    ok(&rankpress(root, &["build", "-o", "holder/site"]));
    let output = real(&root.join("output"));
    let public = real(&root.join("public"));
    let content = real(&root.join("content"));
    let before: Vec<_> = ["output", "public", "content", ".git", "holder", "marked"]
        .iter()
        .map(|d| snapshot(&root.join(d)))
        .collect();
    let parent = root.parent().unwrap();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("output", vec![output.clone()]),
        ("output/x", vec![output.clone()]),
        ("output/data/new", vec![output.clone()]),
        ("payroll/../output", vec![output.clone()]),
        ("to-output", vec!["符号链接".into()]),
        ("elsewhere/pay", vec![output.clone()]),
        // A built output elsewhere is named, not ROOT/output.
        ("public", vec![public.clone()]),
        ("public/pay", vec![public.clone()]),
        ("marked", vec![real(&root.join("marked"))]),
        ("holder", vec![real(&root.join("holder/site"))]),
        ("content", vec![content.clone()]),
        ("content/pay", vec![content.clone()]),
        (".git", vec![".git".into()]),
        (".git/pay", vec![".git".into()]),
        (".", vec!["网站文件夹".into()]),
        ("..", vec!["网站文件夹".into()]),
    ];
    for (dir, words) in &cases {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        for run in both(root, Path::new("."), dir) {
            refused(&run, &words);
        }
    }
    // Relative paths from another folder: `-r` and `-o` both relative to it.
    let rel = root.file_name().unwrap().to_str().unwrap();
    for run in both(parent, Path::new(rel), &format!("{rel}/output/pay")) {
        refused(&run, &[&output]);
    }
    for run in both(parent, Path::new(rel), rel) {
        refused(&run, &["网站文件夹"]);
    }
    let after: Vec<_> = ["output", "public", "content", ".git", "holder", "marked"]
        .iter()
        .map(|d| snapshot(&root.join(d)))
        .collect();
    assert!(before == after, "a refused command changed a folder");
    for d in [
        "bulletins",
        "payroll",
        "output/x",
        "content/pay",
        ".git/pay",
    ] {
        assert!(!root.join(d).exists(), "{d} was created");
    }
    // Each kind refuses the other's folder, in either direction.
    ok(&rankpress(root, &["payroll", "--month", "2026-04"]));
    let run = rankpress(root, &["bulletin", "--month", "2026-04", "-o", "payroll"]);
    refused(&run, &[".rankpress-payroll"]);
    let run = rankpress(root, &["bulletin", "--month", "2026-04", "-o", "payroll/b"]);
    refused(&run, &[".rankpress-payroll"]);
    ok(&rankpress(root, &["bulletin", "--month", "2026-04"]));
    let run = rankpress(root, &["payroll", "-o", "bulletins"]);
    refused(&run, &[".rankpress-bulletins"]);
    // A folder holding files rankpress did not write is not taken over.
    write(&root.join("mine/notes.txt"), "mine");
    for run in both(root, Path::new("."), "mine") {
        refused(&run, &["notes.txt"]);
    }
    assert_eq!(
        std::fs::read_to_string(root.join("mine/notes.txt")).unwrap(),
        "mine"
    );
    // A payroll folder of an earlier version (no marker yet) is adopted.
    let old = root.join("old-payroll");
    write(&old.join("2026-03.json"), "{}");
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", "old-payroll"],
    ));
    assert!(old.join(".rankpress-payroll").is_file() && old.join("2026-04.xlsx").is_file());
}

// Bulletins that an earlier version wrote into the output (and that every build carried over)
// move out of what is published, sent.log included; nothing is lost.
#[test]
fn bulletins_of_an_earlier_version_move_out_of_the_output() {
    let site = pay_site(false);
    let root = site.path();
    ok(&rankpress(root, &["build"]));
    let log = "2026-05-01T01:00:00Z\tteam\t<id@x>\tleader@example.com\n";
    write(&root.join("output/bulletins/2026-04/sent.log"), log);
    write(&root.join("output/bulletins/2026-04.eml"), "old message");
    // A second site's bulletins folder in the way: refused, nothing moved.
    write(&root.join("bulletins/2026-03.eml"), "other");
    let run = rankpress(root, &["build"]);
    refused(&run, &["output/bulletins", "bulletins"]);
    assert!(root.join("output/bulletins/2026-04/sent.log").is_file());
    std::fs::remove_dir_all(root.join("bulletins")).unwrap();
    ok(&rankpress(root, &["build"]));
    assert!(!root.join("output/bulletins").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("bulletins/2026-04/sent.log")).unwrap(),
        log
    );
    assert!(root.join("bulletins/.rankpress-bulletins").is_file());
    // A build never brings them back.
    ok(&rankpress(root, &["build"]));
    assert!(!root.join("output/bulletins").exists());
}

// Item 12: `bulletin` with personal_pay silently dropped the pay line when the pay was too
// large to work out, and exited 0.
#[test]
fn bulletin_refuses_pay_too_large_like_payroll() {
    let site = pay_site(true);
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // A coefficient with 18 decimals and a huge pool: pool × weight overflows 128 bits.
    let text = text
        .replace(
            "coefficient: 1.2}",
            "coefficient: 999999.000000000000000001}",
        )
        .replace("pool: 54321.07", "pool: 999999999999");
    write(&path, &text);
    ok(&rankpress(site.path(), &["check"]));
    let payroll = rankpress(site.path(), &["payroll", "--month", "2026-04"]);
    let bulletin = rankpress(site.path(), &["bulletin", "--month", "2026-04"]);
    refused(&payroll, &["2026-04 的金额过大，无法精确计算绩效工资"]);
    refused(&bulletin, &["2026-04 的金额过大，无法精确计算绩效工资"]);
    assert_eq!(stderr(&payroll), stderr(&bulletin));
    assert!(!site.path().join("bulletins").exists());
    assert!(!site.path().join("payroll").exists());
}

/// A tmpfs of `kib` KiB mounted on a fresh folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u64) -> Tmpfs {
        let dir = tempdir();
        let st = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount");
        assert!(st.success(), "mount -t tmpfs needs root");
        Tmpfs { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Free bytes.
    fn free(&self) -> u64 {
        let c = std::ffi::CString::new(self.dir.path().to_str().unwrap()).unwrap();
        let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::statvfs(c.as_ptr(), &mut s) }, 0);
        s.f_bavail as u64 * s.f_frsize as u64
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

// Item 10: on a full disk, `payroll` left the JSON and CSV with the new pool and the XLSX with
// the old one, and its error named only the XLSX.
#[test]
fn payroll_files_change_together_on_a_full_disk() {
    let site = pay_site(false);
    let root = site.path();
    let fs = Tmpfs::mount(1024);
    let dir = fs.path().join("pay");
    let d = dir.to_str().unwrap();
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", d],
    ));
    let old = snapshot(&dir);
    let sizes: Vec<u64> = ["json", "csv", "xlsx"]
        .iter()
        .map(|e| {
            std::fs::metadata(dir.join(format!("2026-04.{e}")))
                .unwrap()
                .len()
        })
        .collect();
    let page = 4096;
    let pages = |n: u64| n.div_ceil(page) * page;
    // A new pool: every file changes.
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    write(&yaml, &text.replace("pool: 54321.07", "pool: 60000.01"));
    // Fill the disk, then free exactly what the first k new files need, for every k short of
    // all three: the run fails at file k, and no file changes.
    let filler = fs.path().join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![7u8; 64 * 1024];
    use std::io::Write;
    while f.write_all(&block).is_ok() {}
    let _ = f.write_all(&block[..page as usize]);
    drop(f);
    let full = std::fs::metadata(&filler).unwrap().len();
    for k in 0..3usize {
        let need: u64 = sizes[..k].iter().map(|&s| pages(s)).sum();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap();
        f.set_len(full - need).unwrap();
        drop(f);
        assert!(
            fs.free() >= need && fs.free() < need + pages(sizes[k]),
            "free {}",
            fs.free()
        );
        let run = rankpress(root, &["payroll", "--month", "2026-04", "-o", d]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{err}");
        let ext = ["json", "csv", "xlsx"][k];
        assert!(
            err.contains(&format!("2026-04.{ext}")) && err.contains("都没有改动"),
            "k={k}: {err}"
        );
        assert!(snapshot(&dir) == old, "k={k}: a payroll file changed");
        // No temporary file is left behind: the marker, the folder's .gitignore and the
        // three files.
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 5, "{names:?}");
    }
    // With room again, all three change.
    std::fs::remove_file(&filler).unwrap();
    ok(&rankpress(
        root,
        &["payroll", "--month", "2026-04", "-o", d],
    ));
    let json = std::fs::read_to_string(dir.join("2026-04.json")).unwrap();
    assert!(json.contains("60000.01"), "{json}");
    assert!(std::fs::read_to_string(dir.join("2026-04.csv"))
        .unwrap()
        .contains("60000.01"));
}
