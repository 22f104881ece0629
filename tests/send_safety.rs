//! Issue 18 (items 3, 4, 6, 11, 15, 16) and issue 19 (bulletins): `send` cannot be tricked or
//! repeated. Duplicate emails and absurd months are refused by `check`; `send` sends only the
//! files `bulletin` wrote, to the addresses of the data as it is now; two runs at once never
//! send twice; a changed bulletin is reported and resent only on request; the log of what was
//! sent lives in `ROOT/sent/` (committed with the data); the `Date:` is the time of sending;
//! personal bulletins have an HTML preview.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use common::smtp::*;
use common::*;
use mail_parser::MessageParser;

/// The bulletins folder of a site (where `bulletin` writes and `send` reads).
fn bulletins(site: &Path) -> std::path::PathBuf {
    site.join("bulletins")
}

/// The small site sending to `server`, with its bulletins written.
fn site_with_bulletins(server: &Server) -> tempfile::TempDir {
    let site = small_site(server.port, "");
    let o = rankpress(site.path(), &["bulletin"]);
    assert!(o.status.success(), "{}", text(&o));
    site
}

/// Asserts a run neither panicked nor crashed.
fn no_panic(o: &Output) {
    assert!(
        !text(o).contains("panicked") && o.status.code().is_some_and(|c| c != 101),
        "{}",
        text(o)
    );
}

/// Changes the sales of `id` in 2026-04 (a correction of the data).
fn correct(site: &Path) {
    let f = site.join("content/results/2026-04.yaml");
    let y = std::fs::read_to_string(&f).unwrap();
    let y = y.replacen(
        "sales: {actual: 1180, target: 1000}",
        "sales: {actual: 1090, target: 1000}",
        1,
    );
    std::fs::write(&f, y).unwrap();
}

#[test]
fn duplicate_emails_are_refused_by_check_naming_both_managers() {
    let site = small_site(2525, "");
    let d = site.path();
    let f = d.join("content/managers.yaml");
    let y = std::fs::read_to_string(&f)
        .unwrap()
        .replace("email: li-na@example.com", "email: Zhang-Wei@EXAMPLE.com");
    std::fs::write(&f, y).unwrap();
    let lines = check_fails(d);
    // Each of the two is reported at its own email, naming the other.
    for line in [5, 6] {
        let at = lines
            .iter()
            .find(|l| l.starts_with(&format!("content/managers.yaml:{line}:")))
            .unwrap_or_else(|| panic!("line {line}: {lines:?}"));
        assert!(at.contains("zhang-wei") && at.contains("li-na"), "{at}");
    }
}

#[test]
fn months_outside_2000_to_2099_are_refused_and_nothing_panics() {
    let site = small_site(2525, "");
    let d = site.path();
    let src = std::fs::read_to_string(d.join("content/results/2026-04.yaml")).unwrap();
    for m in ["9999-12", "0000-01", "1999-12", "2100-01"] {
        let f = d.join(format!("content/results/{m}.yaml"));
        std::fs::write(&f, src.replace("month: 2026-04", &format!("month: {m}"))).unwrap();
        let lines = check_fails(d);
        assert_problem(
            &lines,
            &format!("content/results/{m}.yaml:1:8"),
            &[m, "2000-01", "2099-12"],
        );
        std::fs::remove_file(&f).unwrap();
    }
    for m in [
        "9999-12", "0000-01", "2026-13", "2026-1é", "é", "", "-1", "+2026-04",
    ] {
        for cmd in ["bulletin", "send", "payroll"] {
            let o = rankpress(
                d,
                &[cmd, "--month", m, "--dry-run"][..if cmd == "send" { 4 } else { 3 }],
            );
            no_panic(&o);
            assert!(!o.status.success(), "{cmd} --month {m}: {}", text(&o));
        }
    }
    let o = rankpress(d, &["bulletin", "--month", "9999-12"]);
    assert!(
        text(&o).contains("2000-01") && text(&o).contains("2099-12"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_manifest_naming_another_file_or_address_is_refused_and_nothing_is_sent() {
    if !need_smtp() {
        return;
    }
    let server = Server::start(None, PASSWORD);
    let site = site_with_bulletins(&server);
    let d = site.path();
    let secret = d.join("secret.txt");
    std::fs::write(&secret, "From: a@b.c\r\n\r\nthe secret\r\n").unwrap();
    let path = bulletins(d).join("2026-04/manifest.json");
    let original = std::fs::read(&path).unwrap();
    let tamper = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut m: serde_json::Value = serde_json::from_slice(&original).unwrap();
        edit(&mut m);
        std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    };
    // Another file, outside the month's folder.
    tamper(&|m| m["messages"][1]["file"] = "../../../../secret.txt".into());
    let who = keys(d)[1].clone();
    let o = send(d, &server, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&who) && text(&o).contains("secret.txt"),
        "{}",
        text(&o)
    );
    // Another recipient.
    tamper(&|m| m["messages"][2]["to"] = serde_json::json!(["attacker@evil.example"]));
    let who = keys(d)[2].clone();
    let o = send(d, &server, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&who) && text(&o).contains("attacker@evil.example"),
        "{}",
        text(&o)
    );
    // An extra entry nobody in the data would get.
    tamper(&|m| {
        let mut extra = m["messages"][1].clone();
        extra["key"] = "evil".into();
        extra["to"] = serde_json::json!(["attacker@evil.example"]);
        m["messages"].as_array_mut().unwrap().push(extra);
    });
    let o = send(d, &server, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("evil"), "{}", text(&o));
    // A roster changed since `bulletin`: the manifest's address is no longer the manager's.
    std::fs::write(&path, &original).unwrap();
    let f = d.join("content/managers.yaml");
    let y = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, y.replace("li-na@example.com", "li.na@example.com")).unwrap();
    let o = send(d, &server, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("li-na") && text(&o).contains("li.na@example.com"),
        "{}",
        text(&o)
    );
    assert!(
        server.received().is_empty(),
        "nothing is sent: {:?}",
        server.received()
    );
    std::fs::write(&f, y).unwrap();
    // The untouched manifest sends, to the roster's addresses only.
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let to: BTreeSet<String> = server.received().into_iter().flat_map(|r| r.0).collect();
    assert!(!to.iter().any(|a| a.contains("evil")), "{to:?}");
    assert!(to.contains("li-na@example.com"), "{to:?}");
}

#[test]
fn two_sends_at_once_never_send_a_message_twice() {
    if !need_smtp() {
        return;
    }
    // The server accepts the first message and never answers the second: the first `send` is
    // still running (holding the log) when the second starts.
    let s1 = Server::start_args(None, PASSWORD, false, &["--hang-after", "1"]);
    let site = site_with_bulletins(&s1);
    let d = site.path();
    let n = keys(d).len();
    let mut first = spawn_send(d, &s1);
    s1.wait_received(2); // the first run is waiting for the answer to the second message
    let o = send(d, &s1, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(
        out.contains("另一个") && out.contains("send"),
        "a clear refusal: {out}"
    );
    assert_eq!(s1.received().len(), 2, "the second run sent nothing: {out}");
    first.kill().unwrap();
    first.wait().unwrap();
    // Once the first run is gone, a run goes ahead (the in-flight message stays unknown).
    let s2 = Server::start(None, PASSWORD);
    use_port(d, s2.port);
    let o = send(d, &s2, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let mut all = s1.received();
    all.extend(s2.received());
    assert_eq!(each_once(&all), n, "{}", text(&o));
}

#[test]
fn a_changed_bulletin_is_reported_and_sent_again_only_when_asked() {
    if !need_smtp() {
        return;
    }
    let server = Server::start(None, PASSWORD);
    let site = site_with_bulletins(&server);
    let d = site.path();
    let n = keys(d).len();
    assert_eq!(send(d, &server, &[]).status.code(), Some(0));
    assert_eq!(server.received().len(), n);
    // A correction changes the numbers of (at least) the team and zhang-wei.
    correct(d);
    assert!(rankpress(d, &["bulletin"]).status.success());
    let o = send(d, &server, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "not 'all sent': {out}");
    assert!(!out.contains("都已发送过"), "{out}");
    assert!(
        out.contains("zhang-wei") && out.contains("--resend-changed"),
        "{out}"
    );
    assert_eq!(server.received().len(), n, "nothing sent unasked: {out}");
    // One of them on request, then the rest.
    let o = send(d, &server, &["--resend", "zhang-wei"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "others still changed: {}",
        text(&o)
    );
    assert_eq!(server.received().len(), n + 1);
    let last = server.received().last().unwrap().clone();
    assert_eq!(last.0, ["zhang-wei@example.com"]);
    let o = send(d, &server, &["--resend-changed"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let got = server.received();
    assert!(got.len() > n + 1, "{got:?}");
    assert_eq!(each_once(&got), got.len());
    let zhang = got
        .iter()
        .filter(|r| r.0 == ["zhang-wei@example.com"])
        .count();
    assert_eq!(zhang, 2, "the old one, and the corrected one once: {got:?}");
    // Now everything is as sent.
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.received().len(), got.len());
}

#[test]
fn the_unknown_delivery_notice_names_the_message_id_the_server_got() {
    if !need_smtp() {
        return;
    }
    let s1 = Server::start_args(None, PASSWORD, false, &["--hang-after", "1"]);
    let site = site_with_bulletins(&s1);
    let d = site.path();
    let in_flight = keys(d)[1].clone();
    kill_send_in_flight(d, &s1, 2);
    let handed = s1.received()[1].1.clone();
    drop(s1);
    // A correction and a new bulletin: the message now has another Message-ID.
    correct(d);
    assert!(rankpress(d, &["bulletin"]).status.success());
    let now = manifest(d)["messages"][1]["message_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(now.trim_matches(['<', '>']), handed);
    let s2 = Server::start(None, PASSWORD);
    use_port(d, s2.port);
    let o = send(d, &s2, &["--dry-run"]);
    let out = text(&o);
    assert!(out.contains(&format!("  {in_flight} → ")), "{out}");
    assert!(
        out.contains(&handed),
        "the Message-ID the server got: {out}"
    );
    let o = send(d, &s2, &[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(
        out.contains(&handed),
        "the Message-ID the server got: {out}"
    );
}

#[test]
fn the_send_log_is_kept_with_the_data_and_an_old_one_is_still_read() {
    if !need_smtp() {
        return;
    }
    let server = Server::start(None, PASSWORD);
    let site = site_with_bulletins(&server);
    let d = site.path();
    let n = keys(d).len();
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("sent/2026-04.log"),
        "reminds to commit it: {}",
        text(&o)
    );
    let log = std::fs::read_to_string(d.join("sent/2026-04.log")).unwrap();
    for k in keys(d) {
        assert!(log.contains(&format!("\t{k}\t")), "{k} logged: {log}");
    }
    // Deleting the bulletins folder (or sending from another checkout) sends nothing twice.
    std::fs::remove_dir_all(bulletins(d)).unwrap();
    assert!(rankpress(d, &["bulletin"]).status.success());
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.received().len(), n, "{}", text(&o));

    // After upgrading: the old log in the bulletins folder still counts.
    std::fs::remove_file(d.join("sent/2026-04.log")).unwrap();
    let mut old = String::new();
    for e in manifest(d)["messages"].as_array().unwrap() {
        old.push_str(&format!(
            "2026-05-01T01:00:00Z\t{}\t{}\t{}\n",
            e["key"].as_str().unwrap(),
            e["message_id"].as_str().unwrap(),
            e["to"][0].as_str().unwrap()
        ));
    }
    std::fs::write(bulletins(d).join("2026-04/sent.log"), &old).unwrap();
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.received().len(), n, "{}", text(&o));

    // And where versions before the bulletins folder kept it: `output/bulletins/` of a site
    // not yet built with this version.
    std::fs::remove_file(d.join("sent/2026-04.log")).unwrap();
    std::fs::remove_file(bulletins(d).join("2026-04/sent.log")).unwrap();
    write(&d.join("output/bulletins/2026-04/sent.log"), &old);
    let o = send(d, &server, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.received().len(), n, "{}", text(&o));
}

#[test]
fn send_stamps_the_time_of_sending_and_the_written_message_stays_the_same() {
    if !need_smtp() {
        return;
    }
    let server = Server::start(None, PASSWORD);
    let site = site_with_bulletins(&server);
    let d = site.path();
    let before = std::fs::read(bulletins(d).join("2026-04.eml")).unwrap();
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert_eq!(send(d, &server, &[]).status.code(), Some(0));
    let end = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for raw in server.received_raw() {
        let msg = MessageParser::default().parse(&raw).unwrap();
        let date = msg.date().unwrap().to_timestamp();
        assert!(
            start - 1 <= date && date <= end + 1,
            "{date} not in {start}..{end}"
        );
        let heads =
            String::from_utf8_lossy(&raw[..raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap()])
                .matches("\nDate:")
                .count();
        assert_eq!(heads, 1, "one Date header");
    }
    // The written file is unchanged (and deterministic: the 1st of the next month).
    assert_eq!(
        std::fs::read(bulletins(d).join("2026-04.eml")).unwrap(),
        before
    );
    let msg = MessageParser::default().parse(&before).unwrap();
    assert_eq!(msg.date().unwrap().to_rfc3339(), "2026-05-01T01:00:00Z");
}

#[test]
fn each_personal_bulletin_has_an_html_preview() {
    let site = small_site(2525, "");
    let d = site.path();
    let o = rankpress(d, &["bulletin"]);
    assert!(o.status.success(), "{}", text(&o));
    let m = bulletins(d).join("2026-04");
    for id in ["zhang-wei", "li-na", "wang-qiang", "zhao-min", "liu-yang"] {
        let html = std::fs::read_to_string(m.join(format!("{id}.html")))
            .unwrap_or_else(|e| panic!("{id}.html: {e}"));
        assert!(!html.contains("cid:"), "{id}: {html}");
        let srcs: Vec<&str> = html
            .split("src=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(!srcs.is_empty(), "{id} has charts");
        for s in srcs {
            let png = m.join(s);
            assert!(png.is_file(), "{id}: {s}");
            assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");
        }
    }
    // Only the team bulletin's preview is beside the month's folder; no preview for a manager
    // without an email.
    assert!(!m.join("ouyang-xue.html").exists());
}
