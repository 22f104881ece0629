//! Issue 13, `serve` at province scale: the preview keeps the site in memory and updates only
//! what an edit touches. Whatever it does inside, every file it serves must be, byte for byte
//! (the injected reload script removed), what a fresh `build` of the same data writes — after
//! editing a results file, renaming, removing and adding files, editing `managers.yaml`,
//! `site.yaml` and a template override, and after introducing then fixing errors; with the poll
//! watcher and with the cache off too. A file saved twice quickly is rebuilt once; SIGTERM and
//! SIGINT end serve with status 0. Real files, real HTTP over loopback, a real git repository
//! (the footer shows the data version), real signals.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{rankpress, repo, site_from, tree};

/// The start of the script `serve` injects into HTML pages (see `workflow::serve::inject`).
const SCRIPT: &str = "<script>/* rankpress serve: live reload */";

/// One GET over loopback: (status, headers, body bytes).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete answer");
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let status = head[9..12].parse().unwrap();
    (status, head, buf[end + 4..].to_vec())
}

/// `body` without the reload script (exactly one, before `</body>`), checked to be there.
fn without_script(path: &str, body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let start = text
        .find(SCRIPT)
        .unwrap_or_else(|| panic!("{path}: no reload script"));
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    assert!(
        !text[end..].contains(SCRIPT),
        "{path}: the script is injected once"
    );
    assert!(text[end..].starts_with("</body>"), "{path}: before </body>");
    let mut out = text[..start].to_string();
    out.push_str(&text[end..]);
    out.into_bytes()
}

/// Runs git in `dir` with a fixed identity and dates.
fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-02T10:00:00+08:00")
        .env("GIT_COMMITTER_DATE", "2026-11-02T10:00:00+08:00")
        .output()
        .expect("git is installed (apt-get install git)");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Writes a file as editors do: a new file renamed over the old one (never half-written).
/// The new file is written in the site's root, which serve does not watch, so that serve sees
/// one change whatever the timing (serve also waits for a save to settle, see
/// `workflow::serve::SETTLE`, but a loaded machine can pause a test longer than that).
fn save(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let root = path
        .ancestors()
        .skip(1)
        .find(|a| a.join("content").is_dir())
        .expect("a file of a site");
    let tmp = root.join("rankpress-test-tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Replaces `from` (which must be there) by `to` in the file at `path`.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    save(path, &text.replacen(from, to, 1));
}

/// A preview of the site at `root` and the folder fresh builds go to.
struct Preview {
    srv: Serve,
    version: String,
    builds: tempfile::TempDir,
    n: usize,
}

impl Preview {
    fn start(root: &Path) -> Preview {
        let srv = Serve::start(root);
        let version = srv.version();
        Preview {
            srv,
            version,
            builds: common::tempdir(),
            n: 0,
        }
    }

    /// Waits for the rebuild after an edit; returns its version.
    fn rebuilt(&mut self) -> String {
        self.version = self.srv.wait_change(&self.version);
        self.version.clone()
    }

    /// Builds the site at `root` afresh and checks that serve gives every file of it, byte
    /// for byte (HTML without the reload script), that each of `gone` is a 404, and that the
    /// version did not move meanwhile. Returns the number of files compared.
    fn same_as_build(&mut self, root: &Path, gone: &[&str]) -> usize {
        self.n += 1;
        let out = self.builds.path().join(format!("out{}", self.n));
        let o = rankpress(root, &["build", "-o", out.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "build: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let files = tree(&out);
        let mut compared = 0;
        for (rel, want) in &files {
            if rel == ".rankpress-output" {
                continue;
            }
            let url = format!("/{rel}");
            let (status, head, body) = get(self.srv.port, &url);
            assert_eq!(status, 200, "{url}: {head}");
            let got = if rel.ends_with(".html") {
                without_script(rel, &body)
            } else {
                assert!(!body.windows(SCRIPT.len()).any(|w| w == SCRIPT.as_bytes()));
                body
            };
            if &got != want {
                let (g, w) = (String::from_utf8_lossy(&got), String::from_utf8_lossy(want));
                let at = g
                    .chars()
                    .zip(w.chars())
                    .position(|(a, b)| a != b)
                    .unwrap_or(g.len().min(w.len()));
                let show = |s: &str| {
                    s.chars()
                        .skip(at.saturating_sub(80))
                        .take(200)
                        .collect::<String>()
                };
                panic!(
                    "{url} differs from the build at char {at}:\nserved: …{}…\nbuilt:  …{}…",
                    show(&g),
                    show(&w)
                );
            }
            // A folder's page is also served at the folder's address.
            if let Some(dir) = rel.strip_suffix("index.html") {
                let (status, _, body) = get(self.srv.port, &format!("/{dir}"));
                assert_eq!(status, 200, "/{dir}");
                assert_eq!(&without_script(rel, &body), want, "/{dir}");
            }
            compared += 1;
        }
        for url in gone {
            let (status, _, _) = get(self.srv.port, url);
            assert_eq!(status, 404, "{url} is gone");
        }
        assert_eq!(
            self.srv.version(),
            self.version,
            "no rebuild while comparing"
        );
        compared
    }

    /// After an edit: waits for the rebuild and compares with a fresh build.
    fn then_same_as_build(&mut self, root: &Path) {
        self.rebuilt();
        self.same_as_build(root, &[]);
    }

    /// Every page shows the data's problems, each `file:line:column`, escaped.
    fn shows_problems(&self, wanted: &[&str]) {
        for url in ["/", "/managers/", "/months/2026-10/index.html"] {
            let (status, _, body) = get(self.srv.port, url);
            assert_eq!(status, 500, "{url}");
            let page = String::from_utf8(body).unwrap();
            for w in wanted {
                assert!(page.contains(w), "{url}: no {w:?} in\n{page}");
            }
            assert!(page.contains(SCRIPT), "{url}: the error page reloads too");
        }
    }
}

/// The demo site in a git repository, committed (the footer shows the data version).
fn demo_repo() -> tempfile::TempDir {
    let site = site_from(&repo().join("content"));
    let root = site.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "content"]);
    git(root, &["commit", "-q", "-m", "data"]);
    site
}

#[test]
fn every_served_file_equals_a_fresh_build_through_edits() {
    let site = demo_repo();
    let root = site.path();
    let content = root.join("content");
    let mut p = Preview::start(root);
    let n = p.same_as_build(root, &["/no/such/page.html"]);
    assert!(n > 100, "{n} files compared");

    // One number in the newest results file (the footer turns "uncommitted" too).
    edit(
        &content.join("results/2026-10.yaml"),
        "forecast: 98.4",
        "forecast: 88.4",
    );
    p.then_same_as_build(root);
    let (_, _, page) = get(p.srv.port, "/managers/zhang-wei/");
    assert!(String::from_utf8(page).unwrap().contains("88.4"));

    // A free page renamed: its address moves.
    std::fs::rename(
        content.join("pages/about.md"),
        content.join("pages/guanyu.md"),
    )
    .unwrap();
    p.rebuilt();
    p.same_as_build(root, &["/pages/about/", "/pages/about/index.html"]);

    // The oldest month removed, then put back; a training session removed.
    let oldest = content.join("results/2025-11.yaml");
    let kept = std::fs::read_to_string(&oldest).unwrap();
    std::fs::remove_file(&oldest).unwrap();
    p.rebuilt();
    p.same_as_build(root, &["/months/2025-11/", "/data/rankings/2025-11.json"]);
    save(&oldest, &kept);
    p.then_same_as_build(root);
    std::fs::remove_file(content.join("trainings/2025/t-2025-11-20-chenlie.yaml")).unwrap();
    p.then_same_as_build(root);

    // A training score (the training mark counts in the month's total), an adopted
    // suggestion (its bonus counts in its month), the roster (a manager's name), site.yaml
    // (the title, an indicator's cap): one edit at a time.
    let suggestion = "month: 2026-05, kind: allocation, text: 城郊片区新开便利店较多，建议预留部分新品投放名额, adopted:";
    for (file, from, to) in [
        (
            "trainings/2026/t-2026-10-15-huaxiang.yaml",
            "zhang-wei: {present: true, score: 82}".to_string(),
            "zhang-wei: {present: true, score: 52}".to_string(),
        ),
        (
            "suggestions.yaml",
            format!("{suggestion} true"),
            format!("{suggestion} false"),
        ),
        ("managers.yaml", "name: 张伟".into(), "name: 张卫".into()),
        (
            "site.yaml",
            "title: 城关县局客户经理绩效通报".into(),
            "title: 城关县局客户经理绩效通报（预览）".into(),
        ),
        (
            "site.yaml",
            "weight: 20, cap: 1.2, floor: 0.8".into(),
            "weight: 20, cap: 1.05, floor: 0.8".into(),
        ),
    ] {
        edit(&content.join(file), &from, &to);
        p.then_same_as_build(root);
    }

    // A template override of the site, then an edit of it, then its removal.
    let page_tpl =
        std::fs::read_to_string(repo().join("themes/default/templates/page.html")).unwrap();
    let tpl = root.join("templates/page.html");
    save(
        &tpl,
        &page_tpl.replacen("<article", "<!-- override --><article", 1),
    );
    p.then_same_as_build(root);
    let (_, _, page) = get(p.srv.port, "/pages/guanyu/");
    assert!(String::from_utf8(page)
        .unwrap()
        .contains("<!-- override -->"));
    save(
        &tpl,
        &page_tpl.replacen("<article", "<!-- override 2 --><article", 1),
    );
    p.then_same_as_build(root);
    std::fs::remove_file(&tpl).unwrap();
    p.then_same_as_build(root);

    // Committed: the footer is clean again.
    git(root, &["add", "-A", "content"]);
    git(root, &["commit", "-q", "-m", "更正 2026-10"]);
    edit(
        &content.join("results/2026-10.yaml"),
        "forecast: 88.4",
        "forecast: 89.4",
    );
    p.then_same_as_build(root);
}

#[test]
fn errors_are_shown_then_the_site_comes_back_as_built() {
    let site = demo_repo();
    let root = site.path();
    let content = root.join("content");
    let mut p = Preview::start(root);
    p.same_as_build(root, &[]);

    // Two problems in two files, at once.
    let results = content.join("results/2026-10.yaml");
    let good = std::fs::read_to_string(&results).unwrap();
    edit(&results, "forecast: 98.4", "forecast: <b>98</b>");
    edit(
        &content.join("managers.yaml"),
        "team: chengqu",
        "team: no-such-team",
    );
    p.rebuilt();
    // Both edits may land in one rebuild or in two: wait until both are shown.
    let start = Instant::now();
    loop {
        let (_, _, body) = get(p.srv.port, "/");
        let page = String::from_utf8(body).unwrap();
        if page.contains("content/managers.yaml:") && page.contains("content/results/2026-10.yaml:")
        {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{page}");
        std::thread::sleep(Duration::from_millis(100));
    }
    p.version = p.srv.version();
    let (_, _, body) = get(p.srv.port, "/");
    let page = String::from_utf8(body).unwrap();
    assert!(
        page.contains("&lt;b&gt;98&lt;/b&gt;") && !page.contains("<b>98"),
        "{page}"
    );
    p.shows_problems(&[
        "<code>content/managers.yaml:",
        "<code>content/results/2026-10.yaml:11:15</code>",
    ]);

    // One fixed: the other is still shown.
    edit(
        &content.join("managers.yaml"),
        "team: no-such-team",
        "team: chengqu",
    );
    p.rebuilt();
    p.shows_problems(&["<code>content/results/2026-10.yaml:11:15</code>"]);
    let (_, _, body) = get(p.srv.port, "/");
    assert!(!String::from_utf8(body).unwrap().contains("managers.yaml:"));

    // A YAML syntax error, then the fix: the site is back, as a fresh build gives it.
    save(
        &results,
        &good.replacen("forecast: 98.4", "forecast: [98.4", 1),
    );
    p.rebuilt();
    p.shows_problems(&["<code>content/results/2026-10.yaml:"]);
    save(&results, &good);
    p.then_same_as_build(root);

    // A template override that does not compile: an error page, then the site again.
    let tpl = root.join("templates/page.html");
    save(&tpl, "{% if %}\n");
    p.rebuilt();
    for url in ["/", "/pages/about/"] {
        let (status, _, body) = get(p.srv.port, url);
        assert_eq!(status, 500, "{url}");
        assert!(String::from_utf8(body).unwrap().contains("page.html"));
    }
    std::fs::remove_file(&tpl).unwrap();
    p.then_same_as_build(root);
}

/// `serve --timings` prints the phases of the first build and of every rebuild (in the
/// site's language for the summary line; phase names as `build --timings`).
#[test]
fn timings_are_printed_for_every_rebuild() {
    let site = demo_repo();
    let root = site.path();
    let mut srv = Serve::start_with(root, &["--timings"]);
    let first = srv.log.join("\n");
    for phase in ["load", "validate", "compute", "total"] {
        assert!(
            first.contains(phase),
            "no {phase} in the first build's log:\n{first}"
        );
    }
    let v = srv.version();
    let seen = srv.log.len();
    edit(
        &root.join("content/results/2026-10.yaml"),
        "forecast: 98.4",
        "forecast: 88.4",
    );
    srv.wait_change(&v);
    let after = srv.log_until(seen, "已重新生成").join("\n");
    let validate = after
        .lines()
        .find(|l| l.trim_start().starts_with("validate"));
    let ms: f64 = validate
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no validate time after the edit:\n{after}"));
    assert!((0.0..60_000.0).contains(&ms), "{after}");
}

/// With notify's poll watcher (as on shared folders) and the cache off (nothing kept from one
/// rebuild to the next), every file served is still what a fresh build writes, through an
/// edit of the data and a template override in a theme folder made while serving.
#[test]
fn the_poll_watcher_and_the_cache_off_give_the_same_site() {
    let site = demo_repo();
    let root = site.path();
    let content = root.join("content");
    let srv = Serve::start_env(
        root,
        &[],
        &[("RANKPRESS_WATCH", "poll"), ("RANKPRESS_CACHE", "off")],
    );
    let version = srv.version();
    let mut p = Preview {
        srv,
        version,
        builds: common::tempdir(),
        n: 0,
    };
    p.same_as_build(root, &[]);
    edit(
        &content.join("results/2026-10.yaml"),
        "forecast: 98.4",
        "forecast: 88.4",
    );
    p.then_same_as_build(root);
    let page_tpl =
        std::fs::read_to_string(repo().join("themes/default/templates/page.html")).unwrap();
    save(
        &root.join("templates/page.html"),
        &page_tpl.replacen("<article", "<!-- polled --><article", 1),
    );
    p.then_same_as_build(root);
    let (_, _, page) = get(p.srv.port, "/pages/about/");
    assert!(String::from_utf8(page).unwrap().contains("<!-- polled -->"));
}

/// A file saved twice in quick succession is rebuilt once. The saves are made while serve is
/// stopped (SIGSTOP), so both are waiting when it runs again, whatever the machine's speed.
#[test]
fn a_file_saved_twice_quickly_is_rebuilt_once() {
    use rustix::process::Signal;
    let site = demo_repo();
    let root = site.path();
    let results = root.join("content/results/2026-10.yaml");
    for env in [&[][..], &[("RANKPRESS_WATCH", "poll")][..]] {
        let srv = Serve::start_env(root, &[], env);
        let v0: u64 = srv.version().parse().unwrap();
        srv.signal(Signal::STOP);
        edit(&results, "forecast: 98.4", "forecast: 88.4");
        edit(&results, "forecast: 88.4", "forecast: 78.4");
        srv.signal(Signal::CONT);
        let v1: u64 = srv.wait_change(&v0.to_string()).parse().unwrap();
        assert_eq!(v1, v0 + 1, "{env:?}: one rebuild for the two saves");
        let (_, _, page) = get(srv.port, "/managers/zhang-wei/");
        assert!(String::from_utf8(page).unwrap().contains("78.4"));
        // The next save is the next rebuild: none was left over from the two.
        edit(&results, "forecast: 78.4", "forecast: 98.4");
        let v2: u64 = srv.wait_change(&v1.to_string()).parse().unwrap();
        assert_eq!(v2, v1 + 1, "{env:?}");
        let (_, _, page) = get(srv.port, "/managers/zhang-wei/");
        assert!(String::from_utf8(page).unwrap().contains("98.4"));
    }
}

/// SIGTERM and SIGINT (Ctrl+C) end serve cleanly: exit status 0, nothing on stderr after
/// its address but the rebuilds.
#[test]
fn sigterm_and_sigint_end_serve_with_status_0() {
    use rustix::process::Signal;
    let site = site_from(&repo().join("content"));
    for signal in [Signal::TERM, Signal::INT] {
        let mut srv = Serve::start(site.path());
        assert!(get(srv.port, "/").0 == 200);
        let status = srv.stop_with(signal);
        assert_eq!(status.code(), Some(0), "{signal:?}: {status}");
        let rest: Vec<String> = srv.lines.try_iter().collect();
        assert!(rest.iter().all(|l| !l.contains("panick")), "{rest:?}");
    }
}

/// The private folder of serve's inner socket goes with serve: a stopped serve leaves nothing
/// in the temporary folder (every preview used to leave a `rankpress-serveXXXXXX` behind).
#[test]
fn a_stopped_serve_leaves_nothing_in_the_temporary_folder() {
    use rustix::process::Signal;
    let site = site_from(&repo().join("content"));
    let tmp = common::tempdir();
    let tmp_path = tmp.path().to_str().unwrap().to_string();
    for signal in [Signal::TERM, Signal::INT] {
        let mut srv = Serve::start_env(site.path(), &[], &[("TMPDIR", &tmp_path)]);
        assert!(get(srv.port, "/").0 == 200);
        let status = srv.stop_with(signal);
        assert_eq!(status.code(), Some(0), "{signal:?}: {status}");
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(left.is_empty(), "{signal:?}: serve left {left:?}");
    }
}
