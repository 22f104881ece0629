//! `rankpress serve`: a live preview. The site is built into a temporary folder and served over
//! HTTP (tiny_http, loopback only unless `--bind` says otherwise); `content/`, `templates/` and
//! `themes/` are watched and every change rebuilds the site. Served HTML pages carry a tiny
//! script that polls `/__rankpress/version` and reloads the page after a rebuild — it is
//! injected while serving only and never appears in `build` output. When the data has
//! problems, every page shows them (`file:line:column: message`, escaped) until the next good
//! save brings the site back.
//!
//! Watching is done by polling the files' sizes and modification times every 300 ms rather
//! than with OS change notifications (the `notify` crate): a site is a few hundred small files,
//! so a poll costs well under a millisecond; it behaves the same on Windows, Linux, network
//! drives and shared folders (where notifications are often lost); it sees the editors that
//! save by writing a new file and renaming it; and it needs no extra dependency.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diag::{Lang, Problem};
use crate::site;
use crate::workflow::text::html_escape;

/// How often the watched folders are polled.
pub const POLL: Duration = Duration::from_millis(300);

/// The path pages poll for the build version.
pub const VERSION_PATH: &str = "/__rankpress/version";

/// Set by SIGINT/SIGTERM so the temporary folder is removed on the way out.
static STOP: AtomicBool = AtomicBool::new(false);

/// What the server shows: the build version and, after a failed build, its problems.
struct State {
    version: AtomicU64,
    error: Mutex<Option<ErrorPage>>,
}

/// A failed build, shown instead of every page.
#[derive(Clone)]
enum ErrorPage {
    Data(Vec<Problem>),
    Io(String),
}

/// A fingerprint of every file under the watched folders: paths, sizes, modification times.
pub fn fingerprint(root: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    for dir in ["content", "templates", "themes"] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            e.path().hash(&mut h);
            if let Ok(m) = e.metadata() {
                m.len().hash(&mut h);
                m.modified().ok().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The live-reload script, for a page built at `version`.
pub fn reload_script(version: u64) -> String {
    format!(
        "<script>/* rankpress serve: live reload */(function(){{var v=\"{version}\";\
         function poll(){{fetch(\"{VERSION_PATH}\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}})\
         .then(function(t){{if(t!==v){{location.reload()}}else{{setTimeout(poll,400)}}}},function(){{setTimeout(poll,1000)}})}}\
         setTimeout(poll,400)}})();</script>"
    )
}

/// Inserts the reload script before the last `</body>` (or at the end).
pub fn inject(html: &str, version: u64) -> String {
    let script = reload_script(version);
    match html.rfind("</body>") {
        Some(i) => format!("{}{}{}", &html[..i], script, &html[i..]),
        None => format!("{html}{script}"),
    }
}

/// The page shown while the data has problems.
fn error_page(lang: Lang, err: &ErrorPage, version: u64) -> String {
    let (title, items) = match err {
        ErrorPage::Data(ps) => (
            t!(
                lang,
                "数据有 {} 个问题",
                "The data has {} problem(s)",
                ps.len()
            ),
            ps.iter()
                .map(|p| {
                    let at = if p.line == 0 {
                        p.file.clone()
                    } else {
                        format!("{}:{}:{}", p.file, p.line, p.column)
                    };
                    format!(
                        "<li><code>{}</code>: {}</li>",
                        html_escape(&at),
                        html_escape(&p.message)
                    )
                })
                .collect::<String>(),
        ),
        ErrorPage::Io(e) => (
            t!(lang, "生成网站失败", "The build failed"),
            format!("<li>{}</li>", html_escape(e)),
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — rankpress</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}h1{{color:#b00020}}\
         li{{margin:.5em 0;line-height:1.5}}code{{background:#f4f4f4;padding:.1em .3em}}</style></head>\
         <body><h1>{}</h1><p>{}</p><ul>{}</ul></body></html>\n",
        lang.code(),
        html_escape(&title),
        html_escape(&title),
        html_escape(&t!(
            lang,
            "网站没有更新。修正以下问题并保存后，本页会自动刷新。",
            "The site was not rebuilt. Fix these and save; this page reloads by itself."
        )),
        items
    )
    .replace("</body>", &format!("{}</body>", reload_script(version)))
}

/// Builds the site into `out` and records the outcome; returns the time it took.
fn rebuild(root: &Path, out: &Path, state: &State, lang: Lang) -> Duration {
    let start = Instant::now();
    let result = site::build(&site::Options {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
    });
    let took = start.elapsed();
    let ms = took.as_secs_f64() * 1000.0;
    let now = chrono::Local::now().format("%H:%M:%S");
    let err = match result {
        Ok(r) => {
            eprintln!(
                "{}",
                t!(
                    lang,
                    "[{}] 已重新生成：{} 个文件，用时 {:.0} ms",
                    "[{}] rebuilt: {} files in {:.0} ms",
                    now,
                    r.files,
                    ms
                )
            );
            None
        }
        Err(site::Error::Data(ps)) => {
            for p in &ps {
                eprintln!("{p}");
            }
            eprintln!(
                "{}",
                t!(
                    lang,
                    "[{}] 数据有 {} 个问题（用时 {:.0} ms），浏览器中显示错误页；修正并保存后自动恢复。",
                    "[{}] {} problem(s) in the data ({:.0} ms); the browser shows them until the next good save.",
                    now,
                    ps.len(),
                    ms
                )
            );
            Some(ErrorPage::Data(ps))
        }
        Err(site::Error::Io(e)) => {
            eprintln!("[{now}] {e}");
            Some(ErrorPage::Io(e))
        }
    };
    *state.error.lock().expect("state") = err;
    state.version.fetch_add(1, Ordering::SeqCst);
    took
}

/// Decodes `%XX` escapes of a URL path (UTF-8).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("eml") => "message/rfc822",
        _ => "application/octet-stream",
    }
}

fn header(k: &str, v: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
}

/// Answers one request from the built folder `out`.
fn handle(rq: tiny_http::Request, out: &Path, state: &State, lang: Lang) {
    use tiny_http::Response;
    let url = rq.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let version = state.version.load(Ordering::SeqCst);
    let no_store = header("Cache-Control", "no-store");
    if path == VERSION_PATH {
        let _ = rq.respond(
            Response::from_string(version.to_string())
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(no_store),
        );
        return;
    }
    let decoded = percent_decode(&path);
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let is_page = decoded.ends_with('/') || decoded.ends_with(".html") || !decoded.contains('.');
    let error = state.error.lock().expect("state").clone();
    if let (Some(err), true) = (&error, is_page) {
        let _ = rq.respond(
            Response::from_string(error_page(lang, err, version))
                .with_status_code(500)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(no_store),
        );
        return;
    }
    let safe = segments
        .iter()
        .all(|s| *s != ".." && *s != "." && !s.contains(['\\', ':', '\0']));
    let mut file: PathBuf = out.to_path_buf();
    for s in &segments {
        file.push(s);
    }
    if safe && file.is_dir() {
        if !path.ends_with('/') {
            let _ = rq
                .respond(Response::empty(301).with_header(header("Location", &format!("{path}/"))));
            return;
        }
        file.push("index.html");
    }
    let body = if safe {
        std::fs::read(&file).ok()
    } else {
        None
    };
    let Some(body) = body else {
        let page = inject(
            &format!(
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1><p>{}</p></body></html>\n",
                html_escape(&t!(lang, "没有这个页面：{}", "no such page: {}", decoded))
            ),
            version,
        );
        let _ = rq.respond(
            Response::from_string(page)
                .with_status_code(404)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(no_store),
        );
        return;
    };
    let ct = content_type(&file);
    let body = if ct.starts_with("text/html") {
        inject(&String::from_utf8_lossy(&body), version).into_bytes()
    } else {
        body
    };
    let _ = rq.respond(
        Response::from_data(body)
            .with_header(header("Content-Type", ct))
            .with_header(no_store),
    );
}

#[cfg(unix)]
fn on_signals() {
    extern "C" fn stop(_: libc::c_int) {
        STOP.store(true, Ordering::SeqCst);
    }
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            stop as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
        libc::signal(
            libc::SIGTERM,
            stop as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

#[cfg(not(unix))]
fn on_signals() {}

/// `rankpress serve [--port N] [--bind ADDR]`: runs until interrupted.
pub fn run(root: &Path, bind: &str, port: u16) -> ExitCode {
    let lang = site::detect_language(root);
    let tmp = match tempfile::Builder::new()
        .prefix("rankpress-serve-")
        .tempdir()
    {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rankpress: {e}");
            return ExitCode::from(crate::cli::EXIT_IO);
        }
    };
    let out = tmp.path().join("site");
    let state = Arc::new(State {
        version: AtomicU64::new(0),
        error: Mutex::new(None),
    });
    let server = match tiny_http::Server::http((bind, port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!(
                "{}",
                t!(
                    lang,
                    "无法在 {}:{} 上监听：{}（端口可能已被占用，可用 --port 指定其他端口）",
                    "cannot listen on {}:{}: {} (the port may be in use; choose another with --port)",
                    bind,
                    port,
                    e
                )
            );
            return ExitCode::from(crate::cli::EXIT_IO);
        }
    };
    on_signals();
    let mut seen = fingerprint(root);
    rebuild(root, &out, &state, lang);
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_else(|| format!("{bind}:{port}"));
    eprintln!(
        "{}",
        t!(
            lang,
            "预览地址：http://{}/ （修改数据后自动重新生成并刷新网页；按 Ctrl+C 结束）",
            "serving at http://{}/ (rebuilds and reloads on every change; Ctrl+C to stop)",
            addr
        )
    );
    if !server
        .server_addr()
        .to_ip()
        .is_some_and(|a| a.ip().is_loopback())
    {
        eprintln!(
            "{}",
            t!(
                lang,
                "注意：--bind {} 使局域网中的其他电脑也能访问本预览。",
                "note: --bind {} makes this preview reachable from other machines.",
                bind
            )
        );
    }
    for _ in 0..4 {
        let (server, state, out) = (server.clone(), state.clone(), out.clone());
        std::thread::spawn(move || {
            while let Ok(rq) = server.recv() {
                handle(rq, &out, &state, lang);
            }
        });
    }
    while !STOP.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = fingerprint(root);
        if now != seen {
            seen = now;
            rebuild(root, &out, &state, lang);
        }
    }
    server.unblock();
    drop(tmp);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", 7);
        assert!(html.contains("var v=\"7\""));
        assert!(html.ends_with("</script></body></html>"));
        assert_eq!(percent_decode("/a%20b/%E4%B8%AD"), "/a b/中");
        assert_eq!(percent_decode("/100%"), "/100%");
    }
}
