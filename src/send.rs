//! Sending a month's bulletins over SMTP (`rankpress send`).
//!
//! Reads `output/bulletins/YYYY-MM/manifest.json` (written by `rankpress bulletin`) and sends
//! each `.eml` exactly as written. Every message the server accepts (250 after its data) is
//! appended to `output/bulletins/YYYY-MM/sent.log` and fsynced before the next one is sent, so a
//! re-run after a failure sends only what is not yet logged (`--force` sends everything again).
//! A failure `send` sees is recorded in `attempts.log` and retried by the next run; a message
//! whose outcome is unknown (`send` killed while it was in flight) is never sent again on its
//! own: it is listed, the run exits 3, and `--resend ID` sends it once after the user checked.
//!
//! Credentials come only from the environment variables named in `site.yaml`
//! (`smtp.username_env`, `smtp.password_env`). TLS is rustls with the system's root
//! certificates; `RANKPRESS_SMTP_CA=path.pem` adds trusted roots (a private CA, or the
//! self-signed CA of a test server).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, SmtpTransport, Transport};

use crate::bulletin::{self, Manifest, ManifestEntry};
use crate::diag::{t, Lang};
use crate::error::Error;
use crate::model::{Security, SmtpConfig};
use crate::site;

/// Environment variable naming a PEM file of extra trusted root certificates.
pub const CA_ENV: &str = "RANKPRESS_SMTP_CA";

/// Name of the log of accepted messages in `bulletins/YYYY-MM/`.
pub const SENT_LOG: &str = "sent.log";

/// Written (and fsynced) just before each message is handed to the server, and followed by a
/// `-failed` record when the send fails. A key whose last record is an attempt, and that is not
/// in [`SENT_LOG`], means `send` was killed while that message was in flight: the server may or
/// may not have accepted it, so it is sent again only with `--resend` (or `--force`).
pub const ATTEMPT_LOG: &str = "attempts.log";

/// Options of the `send` command.
#[derive(Clone, Debug)]
pub struct Options {
    /// Site folder.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// `YYYY-MM`, default the latest results month.
    pub month: Option<String>,
    /// Print what would be sent; send nothing.
    pub dry_run: bool,
    /// Send messages already in `sent.log` again.
    pub force: bool,
    /// Send exactly these messages (keys of the manifest) once, whatever the attempt log says:
    /// for a message whose outcome is unknown, after the user checked it did not arrive.
    pub resend: Vec<String>,
}

/// The outcome of a `send`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Messages accepted by the server in this run.
    pub sent: usize,
    /// Messages skipped because `sent.log` already has them.
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
}

impl Summary {
    /// Whether every message of the month is known to have been accepted by the server.
    pub fn all_sent(&self) -> bool {
        self.failed + self.not_attempted + self.uncertain + self.pending == 0
    }
}

/// Keys already recorded in a `sent.log`.
pub fn sent_keys(log: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
        .collect()
}

/// Marks a message whose send definitely failed (the server answered with an error, or the
/// file could not be read), so that a re-run tries it again.
const FAILED: &str = "-failed";

/// Keys whose last record in the attempt log is an attempt (not a definite failure).
fn in_flight_keys(log: &Path) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for line in std::fs::read_to_string(log).unwrap_or_default().lines() {
        let mut f = line.split('\t').skip(1);
        if let Some(key) = f.next() {
            if f.next() == Some(FAILED) {
                keys.remove(key);
            } else {
                keys.insert(key.to_string());
            }
        }
    }
    keys
}

/// Appends one line (time, then tab-separated fields) to a log and fsyncs it before returning.
fn append_log(log: &Path, fields: &[&str]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    writeln!(f, "{now}	{}", fields.join("	"))?;
    f.sync_all()
}

/// Records that a message is about to be handed to the server, durably.
fn log_attempt(log: &Path, e: &ManifestEntry) -> std::io::Result<()> {
    append_log(log, &[&e.key, &e.message_id])
}

/// Records a definite failure of a message after its attempt.
fn log_failed(log: &Path, e: &ManifestEntry) -> std::io::Result<()> {
    append_log(log, &[&e.key, FAILED])
}

/// Appends one accepted message to `sent.log` and fsyncs it.
fn log_sent(log: &Path, e: &ManifestEntry) -> std::io::Result<()> {
    append_log(log, &[&e.key, &e.message_id, &e.to.join(",")])
}

/// Runs `send`: prints a line per message and a summary to stdout.
pub fn run(opts: &Options) -> Result<Summary, Error> {
    let mut t = site::Timings::default();
    let s = site::load_site(&opts.root, &mut t)
        .map_err(|p| Error::data(site::detect_language(&opts.root), &p))?;
    let lang = s.config.language;
    let month = bulletin::pick_month(&s, opts.month.as_deref())?;
    let cfg = bulletin::config(&s)?;
    let dir = opts.output.join("bulletins");
    let mdir = dir.join(month.to_string());
    let manifest_path = mdir.join("manifest.json");
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
    let log = mdir.join(SENT_LOG);
    let attempts = mdir.join(ATTEMPT_LOG);
    let done = if opts.force {
        BTreeSet::new()
    } else {
        sent_keys(&log)
    };
    // Interrupted in flight (attempted, never recorded as accepted): never risk a duplicate.
    let uncertain: BTreeSet<String> = if opts.force {
        BTreeSet::new()
    } else {
        in_flight_keys(&attempts)
            .difference(&done)
            .cloned()
            .collect()
    };
    let keys: BTreeSet<&str> = manifest.messages.iter().map(|e| e.key.as_str()).collect();
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
    let resend: BTreeSet<&str> = opts.resend.iter().map(String::as_str).collect();
    let mut todo: Vec<&ManifestEntry> = Vec::new();
    let mut unsure: Vec<&ManifestEntry> = Vec::new();
    let mut summary = Summary::default();
    let total = manifest.messages.len();
    for e in &manifest.messages {
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
        if done.contains(&e.key) {
            summary.skipped += 1;
            if resend.contains(e.key.as_str()) {
                println!(
                    "{}",
                    t!(lang, "不重发 {}：sent.log 记录服务器已接收它（要全部重新发送请用 --force）。", "not resending {}: sent.log records that the server accepted it (use --force to send everything again).", e.key)
                );
            }
        } else if !resend.is_empty() && !resend.contains(e.key.as_str()) {
            // `--resend` sends exactly the named messages.
            if uncertain.contains(&e.key) {
                summary.uncertain += 1;
                unsure.push(e);
            } else {
                summary.pending += 1;
            }
        } else if uncertain.contains(&e.key) && resend.is_empty() {
            summary.uncertain += 1;
            unsure.push(e);
        } else {
            todo.push(e);
        }
    }
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
                    e.file,
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
                log.display()
            )
        );
        report_uncertain(&unsure, &month.to_string(), lang);
        // A dry run fails only on what needs the user's attention.
        summary.pending = 0;
        return Ok(summary);
    }
    if todo.is_empty() {
        if summary.all_sent() {
            println!(
                "{}",
                t!(lang, "{month} 的 {total} 封通报都已发送过（见 {}）；要重新发送请加 --force。", "all {total} bulletins of {month} were already sent (see {}); use --force to send them again.", log.display())
            );
        }
        report_uncertain(&unsure, &month.to_string(), lang);
        return Ok(summary);
    }
    // Whatever stops the run before sending, the messages of unknown outcome are listed.
    let stop = |e: Error| {
        report_uncertain(&unsure, &month.to_string(), lang);
        e
    };
    let smtp = cfg.smtp.as_ref().ok_or_else(|| {
        stop(Error::Missing(t!(
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
    let progress = |i: usize, e: &ManifestEntry, status: &str| {
        println!("[{}/{n}] {} → {}  {status}", i + 1, e.key, e.to.join(", "));
    };
    for (i, e) in todo.iter().enumerate() {
        if let Err(err) = log_attempt(&attempts, e) {
            return Err(Error::Send(t!(
                lang,
                "无法写入 {}：{err}；为避免重复发送，未发送。",
                "cannot write {}: {err}; nothing sent, so nothing is sent twice.",
                attempts.display()
            )));
        }
        let res = send_one(&transport, &dir, e);
        match res {
            Ok(()) => {
                if let Err(err) = log_sent(&log, e) {
                    // The message went out but cannot be recorded: stop, or a re-run would
                    // send it twice.
                    progress(i, e, "OK");
                    return Err(Error::Send(t!(
                        lang,
                        "已发送 {}，但无法写入 {}：{err}；为避免重复发送，已停止。",
                        "sent {} but cannot write {}: {err}; stopped so nothing is sent twice.",
                        e.key,
                        log.display()
                    )));
                }
                summary.sent += 1;
                progress(i, e, &t!(lang, "已发送", "sent"));
            }
            Err(SendError::File(msg)) => {
                let _ = log_failed(&attempts, e);
                summary.failed += 1;
                progress(i, e, &t!(lang, "失败：{msg}", "FAILED: {msg}"));
            }
            Err(SendError::Smtp(err)) => {
                // Delivered means a 250 after the data. Whatever `send` saw instead (a refusal,
                // a reset or closed connection, a timeout, a TLS failure) means the server did
                // not accept it: record that, so the next run sends it again. Only a `send`
                // killed before this line leaves the attempt open (outcome unknown).
                if let Err(le) = log_failed(&attempts, e) {
                    eprintln!(
                        "{}",
                        t!(
                            lang,
                            "无法写入 {}：{le}",
                            "cannot write {}: {le}",
                            attempts.display()
                        )
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
    report_uncertain(&unsure, &month.to_string(), lang);
    Ok(summary)
}

/// Lists the messages whose outcome is unknown (an earlier `send` was killed after handing
/// them to the server and before recording its answer), how to check, and the `--resend`
/// command that sends them once.
fn report_uncertain(unsure: &[&ManifestEntry], month: &str, lang: Lang) {
    if unsure.is_empty() {
        return;
    }
    println!(
        "{}",
        t!(lang, "无法确定以下 {} 封邮件是否已送达：上次运行在把它们交给邮件服务器之后、记下服务器的答复之前被中断，服务器可能已经接收，因此不重发：", "{} message(s) may or may not have been delivered: the last run was interrupted after handing them to the mail server and before recording its answer, so they were not sent again:", unsure.len())
    );
    for e in unsure {
        println!(
            "  {} → {}  ({}, Message-ID {})",
            e.key,
            e.to.join(", "),
            e.subject,
            e.message_id
        );
    }
    let keys: Vec<&str> = unsure.iter().map(|e| e.key.as_str()).collect();
    println!(
        "{}",
        t!(lang, "请向收件人确认是否收到，或请邮件服务器管理员按 Message-ID 查找服务器日志。确认没有送达后，用以下命令把它们各重发一次：\n  rankpress send --month {month} --resend {}", "Ask the recipients whether it arrived, or ask the mail server's administrator to look for the Message-ID in the server log. Once you know it did not arrive, send each once more with:\n  rankpress send --month {month} --resend {}", keys.join(" "))
    );
}

enum SendError {
    File(String),
    Smtp(lettre::transport::smtp::Error),
}

fn send_one(t: &SmtpTransport, dir: &Path, e: &ManifestEntry) -> Result<(), SendError> {
    let path = dir.join(&e.file);
    let raw = std::fs::read(&path)
        .map_err(|err| SendError::File(format!("{}: {err}", path.display())))?;
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
                    "无法读取 {CA_ENV} 指定的证书 {}：{e}",
                    "cannot read the certificate named by {CA_ENV}, {}: {e}",
                    Path::new(&ca).display()
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
