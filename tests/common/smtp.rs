//! A real SMTP server for the tests (tests/smtp_server.py: Python aiosmtpd with STARTTLS and
//! AUTH), a small site whose bulletins go to it, and running `send` against it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use mail_parser::MessageParser;

use super::prereq::require_prerequisite;
use super::{repo, tempdir, write};

/// The user name the test server accepts.
pub const USER: &str = "tester";
/// The password the test server accepts (unless told otherwise).
pub const PASSWORD: &str = "s3cret";

/// Whether aiosmtpd can run (see [`require_prerequisite`]): a test that talks to the SMTP
/// server starts with `if !need_smtp() { return; }`.
pub fn need_smtp() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *OK.get_or_init(|| {
        Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    require_prerequisite(
        "aiosmtpd (Python)",
        ok,
        "python3 -m pip install aiosmtpd (.ci/run installs every test prerequisite)",
        "RANKPRESS_SKIP_SMTP",
    )
}

/// A small site written here (two teams, five managers with emails, three results months with
/// a bonus, a deduction, a veto and a note) with a `bulletin:` block sending to
/// 127.0.0.1:`port`; `extra` is appended to the `bulletin:` block.
pub fn small_site(port: u16, extra: &str) -> tempfile::TempDir {
    let dir = tempdir();
    let c = dir.path().join("content");
    write(
        &c.join("site.yaml"),
        &format!(
            r#"title: 示例县局客户经理绩效通报
organization: 示例县烟草专卖局营销部
language: zh-CN
base_url: https://kpi.example.com/
indicators:
  - {{id: sales, name: 卷烟销量完成率, group: 营销业绩, method: ratio, weight: 30, cap: 1.2, floor: 0.8}}
  - {{id: forecast, name: 需求预测准确率, group: 需求预测, method: linear, weight: 15, target: 95, per_unit_below: 0.5, per_unit_above: 1, max: 20}}
  - {{id: satisfaction, name: 客户满意度, group: 服务客户, method: percent, weight: 20}}
  - {{id: complaints, name: 有效投诉, group: 服务客户, method: deduct, per_unit: 2, limit: 6}}
  - {{id: training, name: 培训考核, group: 学习培训, method: training, weight: 10}}
awards:
  - {{id: sales-star, name: 营销业绩之星, indicator: sales, top: 1, min: 1.0}}
  - {{id: overall, name: 综合之星, indicator: total, top: 2}}
watch:
  bottom: 2
bulletin:
  from: "绩效通报 <kpi@example.com>"
  to: ["all@example.com", "王主任 <boss@example.com>"]
  personal: true
  smtp:
    host: 127.0.0.1
    port: {port}
    security: starttls
    username_env: RP_TEST_USER
    password_env: RP_TEST_PASSWORD
{extra}"#
        ),
    );
    write(
        &c.join("managers.yaml"),
        r#"teams:
  - {id: chengqu, name: 城区片区}
  - {id: nongcun, name: 农村片区}
managers:
  - {id: zhang-wei, name: 张伟, team: chengqu, email: zhang-wei@example.com}
  - {id: li-na, name: 李娜, team: chengqu, email: li-na@example.com}
  - {id: wang-qiang, name: 王强, team: chengqu, email: wang-qiang@example.com}
  - {id: zhao-min, name: 赵敏, team: nongcun, email: zhao-min@example.com}
  - {id: liu-yang, name: 刘洋, team: nongcun, email: liu-yang@example.com}
  - {id: ouyang-xue, name: 欧阳雪, team: nongcun}
"#,
    );
    let months = [
        (
            "2026-01",
            [
                (1000, 99.0, 97.0, 0),
                (1190, 96.0, 95.0, 0),
                (1050, 94.0, 93.0, 1),
                (950, 96.5, 90.0, 0),
                (900, 93.0, 92.0, 2),
            ],
        ),
        (
            "2026-02",
            [
                (1100, 97.0, 96.0, 0),
                (1000, 95.0, 94.0, 0),
                (1200, 98.0, 95.0, 0),
                (820, 91.0, 90.0, 3),
                (990, 95.0, 93.0, 0),
            ],
        ),
        (
            "2026-04",
            [
                (1180, 96.0, 95.0, 0),
                (1180, 96.0, 95.0, 0),
                (1250, 100.0, 96.0, 0),
                (790, 90.0, 90.0, 5),
                (980, 94.0, 93.0, 0),
            ],
        ),
    ];
    let ids = ["zhang-wei", "li-na", "wang-qiang", "zhao-min", "liu-yang"];
    for (m, rows) in months {
        let mut y = format!(
            "month: {m}\nnote: |\n  本月**销量**完成良好。\n  - 请按时上报预测\nresults:\n"
        );
        for (id, (a, f, s, c)) in ids.iter().zip(rows) {
            y.push_str(&format!(
                "  {id}:\n    sales: {{actual: {a}, target: 1000}}\n    forecast: {f}\n    satisfaction: {s}\n    complaints: {c}\n"
            ));
            if m == "2026-04" && *id == "wang-qiang" {
                y.push_str("    bonus: [{points: 2, reason: 市级营销技能竞赛个人二等奖}]\n");
            }
            if m == "2026-04" && *id == "liu-yang" {
                y.push_str("    deductions: [{points: 1, reason: 零售户档案信息维护不及时}]\n");
            }
            if m == "2026-02" && *id == "wang-qiang" {
                y.push_str("    veto: 违规调整零售户档位\n");
            }
        }
        write(&c.join(format!("results/{m}.yaml")), &y);
    }
    dir
}

pub fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rankpress"));
    c.current_dir(cwd).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run rankpress")
}

/// A running tests/smtp_server.py.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
    pub ca: PathBuf,
}

impl Server {
    pub fn start(accept: Option<usize>, password: &str) -> Server {
        Server::start_with(accept, password, false)
    }

    pub fn start_with(accept: Option<usize>, password: &str, implicit_tls: bool) -> Server {
        Server::start_args(accept, password, implicit_tls, &[])
    }

    pub fn start_args(
        accept: Option<usize>,
        password: &str,
        implicit_tls: bool,
        extra: &[&str],
    ) -> Server {
        let dir = tempdir();
        let ca = dir.path().join("ca.pem");
        let mut cmd = Command::new("python3");
        cmd.arg(repo().join("tests/smtp_server.py"))
            .arg("--dir")
            .arg(dir.path().join("mail"))
            .arg("--ca-out")
            .arg(&ca)
            .args(["--user", USER, "--password", password]);
        if let Some(n) = accept {
            cmd.args(["--accept", &n.to_string()]);
        }
        if implicit_tls {
            cmd.arg("--implicit-tls");
        }
        cmd.args(extra);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 (with `pip install aiosmtpd trustme`) runs tests/smtp_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .unwrap_or_else(|| {
                panic!("smtp_server.py did not start (pip install aiosmtpd trustme): {line:?}")
            })
            .parse()
            .unwrap();
        Server {
            child,
            port,
            dir,
            ca,
        }
    }

    /// Messages received so far: (envelope recipients, parsed Message-ID, subject).
    pub fn received(&self) -> Vec<(Vec<String>, String, String)> {
        let log = self.dir.path().join("mail/received.jsonl");
        let Ok(text) = std::fs::read_to_string(&log) else {
            return Vec::new();
        };
        text.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                assert_eq!(v["tls"], true, "sent over STARTTLS");
                assert_eq!(v["auth"], true, "sent after AUTH");
                let raw = std::fs::read(
                    self.dir
                        .path()
                        .join("mail")
                        .join(v["file"].as_str().unwrap()),
                )
                .unwrap();
                let msg = MessageParser::default().parse(&raw).unwrap();
                let rcpt = v["rcpt_tos"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect();
                (
                    rcpt,
                    msg.message_id().unwrap().to_string(),
                    msg.subject().unwrap().to_string(),
                )
            })
            .collect()
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("RANKPRESS_SMTP_CA", self.ca.display().to_string()),
            ("RP_TEST_USER", USER.to_string()),
            ("RP_TEST_PASSWORD", PASSWORD.to_string()),
        ]
    }

    pub fn wait_gone(&mut self) {
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("server did not stop");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn send(site: &Path, server: &Server, args: &[&str]) -> Output {
    let env = server.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut all = vec!["send"];
    all.extend_from_slice(args);
    run_env(site, &all, &env)
}

/// Points the site at the server's port.
pub fn use_port(site: &Path, port: u16) {
    let s = site.join("content/site.yaml");
    let text = std::fs::read_to_string(&s).unwrap();
    let i = text.find("    port: ").unwrap();
    let j = i + text[i..].find('\n').unwrap();
    let text = format!("{}    port: {port}{}", &text[..i], &text[j..]);
    std::fs::write(&s, text).unwrap();
}

/// Starts `send` in `site` against `server` in the background (its output discarded).
pub fn spawn_send(site: &Path, server: &Server) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rankpress"));
    c.current_dir(site)
        .arg("send")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in server.env() {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

/// Runs `send` in `site` against `server` (started with `--hang-after N-1`, so that it records
/// message `n` and never answers it) and SIGKILLs `send` while it waits for that answer. The
/// server records the message once its whole data has arrived, so from then on `send` can only
/// be waiting for the answer that never comes: it is killed at once, at that event.
pub fn kill_send_in_flight(site: &Path, server: &Server, n: usize) {
    let mut child = spawn_send(site, server);
    server.wait_received(n);
    child.kill().unwrap();
    child.wait().unwrap();
}

impl Server {
    /// The raw bytes of every message received so far, in order.
    pub fn received_raw(&self) -> Vec<Vec<u8>> {
        let mail = self.dir.path().join("mail");
        std::fs::read_to_string(mail.join("received.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                std::fs::read(mail.join(v["file"].as_str().unwrap())).unwrap()
            })
            .collect()
    }

    /// Waits (up to a minute) until the server has received `n` messages.
    pub fn wait_received(&self, n: usize) {
        let start = std::time::Instant::now();
        while self.received().len() < n {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(60),
                "message {n} never arrived"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// stdout and stderr of a run, together.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The 2026-04 manifest in `site`'s bulletins folder, as JSON.
pub fn manifest(site: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(site.join("bulletins/2026-04/manifest.json")).unwrap())
        .unwrap()
}

/// The keys of the 2026-04 manifest in `site`'s bulletins folder, in sending order.
pub fn keys(site: &Path) -> Vec<String> {
    manifest(site)["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap().to_string())
        .collect()
}

/// Asserts that no Message-ID arrived twice; returns how many arrived.
pub fn each_once(got: &[(Vec<String>, String, String)]) -> usize {
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(ids.len(), got.len(), "a message arrived twice: {got:?}");
    ids.len()
}
