//! Sending a month's bulletins over SMTP (`rankpress send`).
//!
//! Reads the month's `manifest.json` (written by `rankpress bulletin`) and checks it against the
//! data as it is now: every message must be one the data gives (the team bulletin, a personal
//! one per ranked manager with an email), from the file `bulletin` writes for it
//! ([`bulletin::eml_path`]), to the addresses of `site.yaml` and the roster; any entry that
//! disagrees is named and nothing is sent. Each `.eml` is sent as written, its `Date:` stamped
//! with the time of sending.
//!
//! What was handed to the server and what it accepted is logged in `ROOT/sent/YYYY-MM.log`
//! (see [`log`]), locked for the run and fsynced before the next message: a re-run sends only
//! what is not yet accepted; a message whose content changed since it was sent (a correction)
//! is reported and sent again only with `--resend-changed` or `--resend ID`; a message whose
//! outcome is unknown (`send` killed while it was in flight) is listed with the Message-ID
//! handed to the server, the run exits 3, and `--resend ID` sends it once after the user
//! checked. `--force` sends everything again.
//!
//! Credentials come only from the environment variables named in `site.yaml`
//! (`smtp.username_env`, `smtp.password_env`). TLS is rustls with the system's root
//! certificates; `RANKPRESS_SMTP_CA=path.pem` adds trusted roots (a private CA, or the
//! self-signed CA of a test server).

pub mod log;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, SmtpTransport, Transport};

use crate::bulletin::{self, Manifest};
use crate::diag::{os_reason, t, Lang};
use crate::error::Error;
use crate::model::{Month, Security, SmtpConfig};
use crate::project::Project;
use log::{Event, Log, Record};

/// Environment variable naming a PEM file of extra trusted root certificates.
pub const CA_ENV: &str = "RANKPRESS_SMTP_CA";

/// Options of the `send` command.
#[derive(Clone, Debug)]
pub struct Options {
    /// The bulletins folder (`ROOT/bulletins` by default, see [`crate::confidential`]).
    pub output: PathBuf,
    /// The month asked for (parsed by [`crate::month::parse`]); default the latest results
    /// month.
    pub month: Option<Month>,
    /// Print what would be sent; send nothing.
    pub dry_run: bool,
    /// Send messages already accepted again.
    pub force: bool,
    /// Send exactly these messages (`team` or manager ids) once: a message whose outcome is
    /// unknown, after the user checked it did not arrive, or one changed since it was sent.
    pub resend: Vec<String>,
    /// Send again every message whose content changed since the server accepted it.
    pub resend_changed: bool,
}

/// The outcome of a `send`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Messages accepted by the server in this run.
    pub sent: usize,
    /// Messages skipped because the log says the server already accepted them as they are.
    pub skipped: usize,
    /// Messages the server refused, or that failed in transit.
    pub failed: usize,
    /// Messages not attempted after the connection was lost.
    pub not_attempted: usize,
    /// Messages left out because an earlier run was interrupted while sending them: the
    /// server may or may not have accepted them (see `--resend`).
    pub uncertain: usize,
    /// Messages neither sent before nor in this run, because `--resend` named others.
    pub pending: usize,
    /// Messages whose content changed since the server accepted them, not sent again (see
    /// `--resend-changed`).
    pub changed: usize,
}

impl Summary {
    /// Whether every message of the month, as it is now, is known to have been accepted.
    pub fn all_sent(&self) -> bool {
        self.failed + self.not_attempted + self.uncertain + self.pending + self.changed == 0
    }
}

/// The folder `bulletin` wrote the bulletins into, which `send` reads: the one place `send`
/// names it (`ROOT/bulletins` unless `-o` says otherwise, see [`crate::confidential`]).
fn bulletins_folder(opts: &Options) -> PathBuf {
    opts.output.clone()
}

/// One message to send, checked against the data.
struct Msg {
    /// `team` or a manager id.
    key: String,
    /// Envelope sender.
    from: String,
    /// Envelope recipients.
    to: Vec<String>,
    /// Subject, for the listings.
    subject: String,
    /// The Message-ID in the `.eml`.
    message_id: String,
    /// [`bulletin::content_hash`] of the `.eml`.
    hash: String,
    /// The `.eml` as `bulletin` wrote it.
    eml: Vec<u8>,
}

/// Reads the manifest and the messages of `month` and checks them against the data as it is
/// now ([`bulletin::envelopes`]): every disagreement is named, and then nothing is sent.
fn messages(
    s: &crate::model::Site,
    month: Month,
    dir: &Path,
    lang: Lang,
) -> Result<Vec<Msg>, Error> {
    let manifest_path = dir.join(month.to_string()).join("manifest.json");
    let manifest: Manifest = match std::fs::read(&manifest_path) {
        Ok(b) => serde_json::from_slice(&b).map_err(|e| {
            Error::Send(t!(
                lang,
                "{} 无法读取：{e}",
                "cannot read {}: {e}",
                manifest_path.display()
            ))
        })?,
        Err(_) => {
            return Err(Error::Missing(t!(
            lang,
            "还没有 {month} 的通报，请先运行 rankpress bulletin --month {month}",
            "there are no bulletins for {month} yet; run rankpress bulletin --month {month} first"
        )))
        }
    };
    let computed = crate::compute::compute(s, Default::default());
    let expected = bulletin::envelopes(s, &computed, month)?;
    let mut problems = Vec::new();
    if manifest.month != month.to_string() {
        problems.push(t!(
            lang,
            "month 为 \"{}\"，应为 {month}",
            "month is \"{}\", expected {month}",
            manifest.month
        ));
    }
    let mut seen = BTreeSet::new();
    for e in &manifest.messages {
        if !seen.insert(e.key.as_str()) {
            problems.push(t!(lang, "{} 出现了两次", "{} is listed twice", e.key));
            continue;
        }
        let Some(x) = expected.iter().find(|x| x.key == e.key) else {
            problems.push(t!(
                lang,
                "{}：数据中没有人收这封通报（收件人 {}）",
                "{}: nobody in the data gets this message (to {})",
                e.key,
                e.to.join(", ")
            ));
            continue;
        };
        if e.file != x.file {
            problems.push(t!(
                lang,
                "{}：文件为 \"{}\"，bulletin 写的是 \"{}\"",
                "{}: the file is \"{}\", but bulletin writes \"{}\"",
                e.key,
                e.file,
                x.file
            ));
        }
        if e.to != x.to || e.from != x.from {
            problems.push(t!(
                lang,
                "{}：由 {} 发给 {}，按现在的 site.yaml 和 managers.yaml 应由 {} 发给 {}",
                "{}: from {} to {}, but site.yaml and managers.yaml as they are now say from {} to {}",
                e.key,
                e.from,
                e.to.join(", "),
                x.from,
                x.to.join(", ")
            ));
        }
    }
    for x in &expected {
        if !seen.contains(x.key.as_str()) {
            problems.push(t!(
                lang,
                "{}：数据中应有这封通报（发给 {}），清单中没有",
                "{}: the data gives this message (to {}), the manifest does not have it",
                x.key,
                x.to.join(", ")
            ));
        }
    }
    let mut out = Vec::new();
    if problems.is_empty() {
        for x in expected {
            let e = manifest
                .messages
                .iter()
                .find(|e| e.key == x.key)
                .expect("checked above");
            let path = dir.join(&x.file);
            // Only a regular file of the bulletins folder, never a link to elsewhere.
            let eml = match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => std::fs::read(&path).map_err(|err| err.to_string()),
                Ok(_) => Err(t!(lang, "不是普通文件", "not a regular file")),
                Err(err) => Err(err.to_string()),
            };
            let eml = match eml {
                Ok(eml) => eml,
                Err(err) => {
                    problems.push(format!("{}: {}: {err}", x.key, path.display()));
                    continue;
                }
            };
            let message_id = bulletin::header(&eml, "Message-ID").unwrap_or_default();
            if message_id != e.message_id {
                problems.push(t!(
                    lang,
                    "{}：{} 的 Message-ID 为 \"{message_id}\"，清单中为 \"{}\"",
                    "{}: {} has Message-ID \"{message_id}\", the manifest \"{}\"",
                    x.key,
                    x.file,
                    e.message_id
                ));
            }
            out.push(Msg {
                hash: bulletin::content_hash(&eml),
                key: x.key,
                from: x.from,
                to: x.to,
                subject: e.subject.clone(),
                message_id,
                eml,
            });
        }
    }
    if problems.is_empty() {
        return Ok(out);
    }
    Err(Error::Send(t!(
        lang,
        "拒绝发送：{} 与现在的数据不一致，未发送任何邮件：\n  {}\n请重新运行 rankpress bulletin --month {month}，预览后再发送。",
        "refusing to send: {} disagrees with the data as it is now; nothing was sent:\n  {}\nRun rankpress bulletin --month {month} again, preview, then send.",
        manifest_path.display(),
        problems.join("\n  ")
    )))
}

/// Runs `send`: prints a line per message and a summary to stdout.
pub fn run(project: &Project, opts: &Options) -> Result<Summary, Error> {
    let root = project.root();
    let s = project
        .load_site()
        .map_err(|p| Error::data(project.lang(), &p))?;
    let lang = s.config.language;
    let month = crate::month::pick(&s, opts.month)?;
    let cfg = bulletin::config(&s)?;
    let dir = bulletins_folder(opts);
    let mdir = dir.join(month.to_string());
    let msgs = messages(&s, month, &dir, lang)?;
    let keys: BTreeSet<&str> = msgs.iter().map(|e| e.key.as_str()).collect();
    let unknown: Vec<&str> = opts
        .resend
        .iter()
        .map(String::as_str)
        .filter(|k| !keys.contains(k))
        .collect();
    if !unknown.is_empty() {
        let known = keys.iter().copied().collect::<Vec<_>>().join(", ");
        return Err(Error::Usage(t!(
            lang,
            "--resend：{month} 的通报中没有 {}；应为 {known} 之一",
            "--resend: {month} has no bulletin {}; expected one of {known}",
            unknown.join(", ")
        )));
    }
    // The lock is taken before the log is read, and held until the run ends.
    let log_path = log::path(root, month);
    let shown = log_path
        .strip_prefix(root)
        .unwrap_or(&log_path)
        .display()
        .to_string();
    let mut log = if opts.dry_run {
        None
    } else {
        Some(Log::open(&log_path, month, lang)?)
    };
    let text = match &mut log {
        Some(l) => l.text().map_err(|e| {
            Error::Io(t!(
                lang,
                "无法读取 {shown}：{}",
                "cannot read {shown}: {}",
                os_reason(lang, &e)
            ))
        })?,
        None => log::peek(&log_path),
    };
    let legacy = root
        .join("output")
        .join("bulletins")
        .join(month.to_string());
    let history = log::history(&text, &[mdir.clone(), legacy]);
    let resend: BTreeSet<&str> = opts.resend.iter().map(String::as_str).collect();
    let mut todo: Vec<&Msg> = Vec::new();
    let mut unsure: Vec<(&Msg, &Record)> = Vec::new();
    let mut changed: Vec<&Msg> = Vec::new();
    let mut summary = Summary::default();
    let total = msgs.len();
    let none = log::State::default();
    for e in &msgs {
        if e.key == "team" && cfg.to.is_empty() {
            println!(
                "{}",
                t!(
                    lang,
                    "跳过 团队通报：bulletin.to 没有收件人",
                    "skip team bulletin: bulletin.to has no recipients"
                )
            );
            continue;
        }
        let st = history.get(&e.key).unwrap_or(&none);
        let named = resend.contains(e.key.as_str());
        let same = |r: &Record| match &r.hash {
            Some(h) => *h == e.hash,
            None => r.message_id == e.message_id,
        };
        if opts.force {
            todo.push(e);
        } else if let Some(r) = &st.in_flight {
            // Interrupted in flight: never risk a duplicate unless asked.
            if named {
                todo.push(e);
            } else {
                summary.uncertain += 1;
                unsure.push((e, r));
            }
        } else if let Some(r) = &st.sent {
            if same(r) {
                summary.skipped += 1;
                if named {
                    println!(
                        "{}",
                        t!(lang, "不重发 {}：{shown} 记录服务器已接收它，内容未变（要全部重新发送请用 --force）。", "not resending {}: {shown} records that the server accepted it as it is (use --force to send everything again).", e.key)
                    );
                }
            } else if named || opts.resend_changed {
                todo.push(e);
            } else {
                summary.changed += 1;
                changed.push(e);
            }
        } else if !resend.is_empty() && !named {
            // `--resend` sends exactly the named messages.
            summary.pending += 1;
        } else {
            todo.push(e);
        }
    }
    let month_s = month.to_string();
    let report = || {
        report_changed(&changed, &month_s, lang);
        report_uncertain(&unsure, &month_s, lang);
    };
    if opts.dry_run {
        for (i, e) in todo.iter().enumerate() {
            println!(
                "{}",
                t!(
                    lang,
                    "[{}/{}] 将发送 {} → {}：{}",
                    "[{}/{}] would send {} → {}: {}",
                    i + 1,
                    todo.len(),
                    e.key,
                    e.to.join(", "),
                    e.subject
                )
            );
        }
        println!(
            "{}",
            t!(
                lang,
                "试运行：将发送 {} 封，已发送过 {} 封（见 {}），未发送任何邮件。",
                "dry run: would send {}, {} already sent (see {}); nothing was sent.",
                todo.len(),
                summary.skipped,
                shown
            )
        );
        report();
        // A dry run fails only on what needs the user's attention.
        summary.pending = 0;
        return Ok(summary);
    }
    let mut log = log.expect("not a dry run");
    if todo.is_empty() {
        if summary.all_sent() {
            println!(
                "{}",
                t!(lang, "{month} 的 {total} 封通报都已发送过（见 {shown}）；要重新发送请加 --force。", "all {total} bulletins of {month} were already sent (see {shown}); use --force to send them again.")
            );
        }
        report();
        return Ok(summary);
    }
    // Whatever stops the run before sending, what needs the user's attention is listed.
    let stop = |e: Error| {
        report();
        e
    };
    let smtp = cfg.smtp.as_ref().ok_or_else(|| {
        stop(Error::Refused(t!(
            lang,
            "site.yaml 的 bulletin 中没有 smtp 设置（服务器地址、端口等）",
            "site.yaml has no bulletin.smtp settings (server, port…)"
        )))
    })?;
    let transport = transport(smtp, lang).map_err(stop)?;
    // One clear message for a wrong password or an unreachable server, before sending anything.
    if let Err(e) = transport.test_connection() {
        return Err(stop(Error::Send(explain(&e, smtp, lang))));
    }
    let n = todo.len();
    let progress = |i: usize, e: &Msg, status: &str| {
        println!("[{}/{n}] {} → {}  {status}", i + 1, e.key, e.to.join(", "));
    };
    for (i, e) in todo.iter().enumerate() {
        if let Err(err) = log.append(Event::Attempt, &e.key, &e.hash, &e.message_id, &e.to) {
            return Err(Error::Send(t!(
                lang,
                "无法写入 {shown}：{err}；为避免重复发送，未发送。",
                "cannot write {shown}: {err}; nothing sent, so nothing is sent twice."
            )));
        }
        match send_one(&transport, e) {
            Ok(()) => {
                if let Err(err) = log.append(Event::Sent, &e.key, &e.hash, &e.message_id, &e.to) {
                    // The message went out but cannot be recorded: stop, or a re-run would
                    // send it twice.
                    progress(i, e, "OK");
                    return Err(Error::Send(t!(
                        lang,
                        "已发送 {}，但无法写入 {shown}：{err}；为避免重复发送，已停止。",
                        "sent {} but cannot write {shown}: {err}; stopped so nothing is sent twice.",
                        e.key
                    )));
                }
                summary.sent += 1;
                progress(i, e, &t!(lang, "已发送", "sent"));
            }
            Err(SendError::File(msg)) => {
                let _ = log.append(Event::Failed, &e.key, &e.hash, &e.message_id, &e.to);
                summary.failed += 1;
                progress(i, e, &t!(lang, "失败：{msg}", "FAILED: {msg}"));
            }
            Err(SendError::Smtp(err)) => {
                // Delivered means a 250 after the data. Whatever `send` saw instead (a refusal,
                // a reset or closed connection, a timeout, a TLS failure) means the server did
                // not accept it: record that, so the next run sends it again. Only a `send`
                // killed before this line leaves the attempt open (outcome unknown).
                if let Err(le) = log.append(Event::Failed, &e.key, &e.hash, &e.message_id, &e.to) {
                    eprintln!(
                        "{}",
                        t!(lang, "无法写入 {shown}：{le}", "cannot write {shown}: {le}")
                    );
                }
                summary.failed += 1;
                let msg = explain(&err, smtp, lang);
                progress(i, e, &t!(lang, "失败：{msg}", "FAILED: {msg}"));
                if !err.is_permanent() && !err.is_transient() {
                    // Connection-level failure: the server is gone; stop here.
                    summary.not_attempted = n - i - 1;
                    break;
                }
                // 421: the server is closing the channel (shutting down, overloaded).
                let closing = err.status().is_some_and(|c| c.to_string() == "421");
                if closing || (err.is_transient() && transport.test_connection().is_err()) {
                    summary.not_attempted = n - i - 1;
                    break;
                }
            }
        }
    }
    println!(
        "{}",
        t!(
            lang,
            "共 {total} 封：本次发送 {}，失败 {}，未尝试 {}，此前已发送 {}。",
            "{total} messages: sent {}, failed {}, not attempted {}, already sent before {}.",
            summary.sent,
            summary.failed,
            summary.not_attempted,
            summary.skipped
        )
    );
    if summary.failed + summary.not_attempted > 0 {
        println!(
            "{}",
            t!(lang, "修复问题后再次运行 rankpress send，只会发送尚未成功的邮件。", "Fix the problem and run rankpress send again: only the messages not yet accepted are sent.")
        );
    }
    if summary.pending > 0 {
        println!(
            "{}",
            t!(lang, "另有 {} 封尚未发送（--resend 只发送指定的邮件）；运行 rankpress send 发送它们。", "{} more not sent yet (--resend sends only the messages named); run rankpress send to send them.", summary.pending)
        );
    }
    println!(
        "{}",
        t!(lang, "{shown} 记录了发送情况：请把它提交到 git（git add {shown} && git commit），这样换一台电脑或删除文件夹后也不会重复发送。", "{shown} records what was sent: commit it to git (git add {shown} && git commit), so that another checkout or a deleted folder never sends twice.")
    );
    report();
    Ok(summary)
}

/// Lists the messages whose content changed since the server accepted them (a correction
/// after they were sent) and the commands that send them again.
fn report_changed(changed: &[&Msg], month: &str, lang: Lang) {
    if changed.is_empty() {
        return;
    }
    println!(
        "{}",
        t!(lang, "以下 {} 封通报在发送之后内容有变化（例如更正了数据后重新运行了 bulletin），收件人手中的是旧版本，未重新发送：", "{} bulletin(s) changed since they were sent (e.g. bulletin was run again after a correction): the recipients have the old version; not sent again:", changed.len())
    );
    for e in changed {
        println!("  {} → {}  ({})", e.key, e.to.join(", "), e.subject);
    }
    let keys: Vec<&str> = changed.iter().map(|e| e.key.as_str()).collect();
    println!(
        "{}",
        t!(lang, "核对无误后，用以下命令把新版本全部发送一次：\n  rankpress send --month {month} --resend-changed\n或只发送其中几封：\n  rankpress send --month {month} --resend {}", "Once checked, send the new versions, each once, with:\n  rankpress send --month {month} --resend-changed\nor only some of them with:\n  rankpress send --month {month} --resend {}", keys.join(" "))
    );
}

/// Lists the messages whose outcome is unknown (an earlier `send` was killed after handing
/// them to the server and before recording its answer) with the Message-ID that was handed to
/// the server, how to check, and the `--resend` command that sends them once.
fn report_uncertain(unsure: &[(&Msg, &Record)], month: &str, lang: Lang) {
    if unsure.is_empty() {
        return;
    }
    println!(
        "{}",
        t!(lang, "无法确定以下 {} 封邮件是否已送达：上次运行在把它们交给邮件服务器之后、记下服务器的答复之前被中断，服务器可能已经接收，因此不重发：", "{} message(s) may or may not have been delivered: the last run was interrupted after handing them to the mail server and before recording its answer, so they were not sent again:", unsure.len())
    );
    for (e, r) in unsure {
        println!(
            "  {} → {}  ({}, Message-ID {})",
            e.key,
            e.to.join(", "),
            e.subject,
            r.message_id
        );
    }
    let keys: Vec<&str> = unsure.iter().map(|(e, _)| e.key.as_str()).collect();
    println!(
        "{}",
        t!(lang, "请向收件人确认是否收到，或请邮件服务器管理员按 Message-ID 查找服务器日志。确认没有送达后，用以下命令把它们各重发一次：\n  rankpress send --month {month} --resend {}", "Ask the recipients whether it arrived, or ask the mail server's administrator to look for the Message-ID in the server log. Once you know it did not arrive, send each once more with:\n  rankpress send --month {month} --resend {}", keys.join(" "))
    );
}

enum SendError {
    File(String),
    Smtp(lettre::transport::smtp::Error),
}

/// Sends one message as written, its `Date:` stamped now.
fn send_one(t: &SmtpTransport, e: &Msg) -> Result<(), SendError> {
    let from: Address = e
        .from
        .parse()
        .map_err(|err| SendError::File(format!("{}: {err}", e.from)))?;
    let to: Vec<Address> =
        e.to.iter()
            .map(|a| a.parse())
            .collect::<Result<_, _>>()
            .map_err(|err| SendError::File(format!("{err}")))?;
    let env = Envelope::new(Some(from), to).map_err(|err| SendError::File(err.to_string()))?;
    let raw = bulletin::with_date(&e.eml, chrono::Local::now().fixed_offset());
    t.send_raw(&env, &raw).map(|_| ()).map_err(SendError::Smtp)
}
fn transport(smtp: &SmtpConfig, lang: Lang) -> Result<SmtpTransport, Error> {
    let mut b = SmtpTransport::builder_dangerous(smtp.host.as_str())
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(30)));
    if smtp.security != Security::None {
        let mut tb = TlsParameters::builder(smtp.host.clone());
        if let Some(ca) = std::env::var_os(CA_ENV).filter(|v| !v.is_empty()) {
            let pem = std::fs::read(&ca).map_err(|e| {
                Error::Send(t!(
                    lang,
                    "无法读取 {CA_ENV} 指定的证书 {}：{}",
                    "cannot read the certificate named by {CA_ENV}, {}: {}",
                    Path::new(&ca).display(),
                    os_reason(lang, &e)
                ))
            })?;
            let cert = Certificate::from_pem(&pem).map_err(|e| {
                Error::Send(t!(
                    lang,
                    "{CA_ENV} 指定的文件不是 PEM 证书：{e}",
                    "the file named by {CA_ENV} is not a PEM certificate: {e}"
                ))
            })?;
            tb = tb.add_root_certificate(cert);
        }
        let params = tb
            .build_rustls()
            .map_err(|e| Error::Send(t!(lang, "TLS 设置错误：{e}", "TLS setup failed: {e}")))?;
        b = b.tls(match smtp.security {
            Security::Tls => Tls::Wrapper(params),
            _ => Tls::Required(params),
        });
    } else {
        b = b.tls(Tls::None);
    }
    let var = |name: &Option<String>| -> Result<Option<String>, Error> {
        match name {
            None => Ok(None),
            Some(n) => match std::env::var(n) {
                Ok(v) if !v.is_empty() => Ok(Some(v)),
                _ => Err(Error::Missing(t!(lang, "环境变量 {n} 未设置（site.yaml 的 smtp 设置要求从它读取账号或密码）", "environment variable {n} is not set (site.yaml's smtp settings read the user name or password from it)"))),
            },
        }
    };
    if smtp.security == Security::None
        && (smtp.username_env.is_some() || smtp.password_env.is_some())
        && !is_loopback(&smtp.host)
    {
        return Err(Error::Usage(t!(lang, "拒绝发送：site.yaml 的 smtp 设置为 security: none，账号和密码会以明文经网络发送到 {}。请改用 security: starttls 或 tls（只有本机地址 127.0.0.1、::1、localhost 可以不加密）。", "refusing to send: site.yaml's smtp settings say security: none, so the user name and password would cross the network in clear to {}. Use security: starttls or tls (only a loopback host, 127.0.0.1, ::1 or localhost, may go without).", smtp.host)));
    }
    let user = var(&smtp.username_env)?;
    let pass = var(&smtp.password_env)?;
    if let (Some(u), Some(p)) = (user, pass) {
        b = b
            .credentials(Credentials::new(u, p))
            .authentication(vec![Mechanism::Plain, Mechanism::Login]);
    }
    Ok(b.build())
}

/// Whether `host` is this machine: `localhost`, or an address in 127.0.0.0/8 or `::1`.
fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>().is_ok_and(|a| a.is_loopback())
}

/// One sentence for an SMTP failure, in the site's language.
fn explain(e: &lettre::transport::smtp::Error, smtp: &SmtpConfig, lang: Lang) -> String {
    let server = format!("{}:{}", smtp.host, smtp.port);
    let code = e.status().map(|c| c.to_string());
    let first_line = |e: &dyn std::error::Error| -> String {
        let mut s = e.to_string();
        let mut src = e.source();
        while let Some(x) = src {
            s = x.to_string();
            src = x.source();
        }
        s.lines().next().unwrap_or_default().to_string()
    };
    let detail = first_line(e);
    match code.as_deref() {
        Some("535") | Some("534") | Some("530") => t!(lang, "邮件服务器 {server} 拒绝登录（{}）：请检查 {} 和 {} 中的账号和密码。", "the mail server {server} refused the login ({}): check the user name and password in {} and {}.", code.as_deref().unwrap_or(""), smtp.username_env.as_deref().unwrap_or("username_env"), smtp.password_env.as_deref().unwrap_or("password_env")),
        Some(c) => t!(lang, "邮件服务器 {server} 拒绝（{c}）：{detail}", "the mail server {server} refused ({c}): {detail}"),
        None if e.is_tls() => t!(lang, "无法与邮件服务器 {server} 建立加密连接：{detail}（检查 security 设置；私有 CA 可用 {CA_ENV} 指定）", "cannot establish TLS with the mail server {server}: {detail} (check `security`; a private CA can be given with {CA_ENV})"),
        None if e.is_client() => t!(lang, "与邮件服务器 {server} 的会话失败：{detail}（检查 security 与端口，以及服务器是否支持 AUTH PLAIN/LOGIN）", "the session with the mail server {server} failed: {detail} (check `security`, the port, and that the server offers AUTH PLAIN/LOGIN)"),
        None if e.is_timeout() => t!(lang, "连接邮件服务器 {server} 超时。", "connecting to the mail server {server} timed out."),
        None => t!(lang, "无法连接邮件服务器 {server}：{detail}", "cannot reach the mail server {server}: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_loopback() {
        for h in [
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "[::1]",
            "localhost",
            "LocalHost",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in [
            "smtp.example.com",
            "10.0.0.1",
            "128.0.0.1",
            "::2",
            "localhost.evil.com",
        ] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
