//! `rankpress serve`: a live preview. The site is checked and computed in memory and served
//! over HTTP (loopback only unless `--bind` says otherwise); `content/` and the site's theme
//! folders (`templates/`, `static/`, `i18n/`, `themes/`) are watched and every change updates
//! the site. Each connection carries one request, whose head (request line and headers) may be at most
//! [`MAX_HEAD`] bytes, parsed with `httparse`: longer ones get 414 or 431, as web servers do.
//! Each connection has its own thread; when [`MAX_CONNECTIONS`] are open (or a client holds
//! [`MAX_PER_CLIENT`]), a new one closes the oldest, so idle or slow connections never shut
//! out a page or the live-reload poll. Served HTML pages carry a tiny
//! script that polls `/__rankpress/version` and reloads the page after a rebuild — it is
//! injected while serving only and never appears in `build` output. When the data has
//! problems, every page shows them (`file:line:column: message`, escaped) until the next good
//! save brings the site back.
//!
//! Nothing is written to disk. A rebuild ([`Preview::rebuild`]) parses again only the files
//! that changed and validates and computes the site; pages and exports are then rendered when
//! they are asked for, by the same code as `build` (so each has the bytes `build` writes), and
//! kept until the next change — as Hugo's "fast render mode" renders only the pages being
//! viewed. An edit thus costs its validation and computation and the pages open in the browser,
//! not the site's thousands of pages. A template that fails while rendering a page shows the
//! error on that page (a template that does not compile, on every page).
//!
//! Watching is done by polling the files' sizes and modification times every [`POLL`] rather
//! than with OS change notifications (the `notify` crate): a site is a few hundred small files,
//! so a poll costs well under a millisecond; it behaves the same on Windows, Linux, network
//! drives and shared folders (where notifications are often lost); it sees the editors that
//! save by writing a new file and renaming it; and it needs no extra dependency.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use super::preview::{Preview, Snapshot};
use crate::diag::{t, Lang, Problem};
use crate::error::{Error, Outcome};
use crate::site;
use crate::text::html_escape;

/// How often the watched folders are polled.
pub const POLL: Duration = Duration::from_millis(50);

/// After a change is seen, how long the watched folders must stay unchanged before the
/// rebuild starts: an editor's save is often several steps (a temporary file written, then
/// renamed over the old one), and a rebuild between two of them would be wasted and followed
/// at once by another.
pub const SETTLE: Duration = Duration::from_millis(30);

/// The longest wait for the folders to settle: a file written without pause for longer
/// (a large copy) is rebuilt anyway, and again once it is complete.
const SETTLE_MAX: Duration = Duration::from_secs(1);

/// The path pages poll for the build version.
pub const VERSION_PATH: &str = "/__rankpress/version";

/// Set by SIGINT/SIGTERM: the watch loop ends and `serve` exits cleanly (status 0).
static STOP: AtomicBool = AtomicBool::new(false);

/// What the server shows: the build version, the last good build and, after a failed build,
/// its problems.
struct State {
    version: AtomicU64,
    error: Mutex<Option<ErrorPage>>,
    live: Mutex<Option<Arc<Live>>>,
}

/// A rendered file (or the template's error), shared by the requests for it.
type Rendered = Result<Arc<Vec<u8>>, String>;

/// A request to the threads rendering a build: the file's path and where to send it (`None`:
/// no such file).
type Request = (String, mpsc::Sender<Option<Rendered>>);

/// A good build being served: the path of every file of its output, and the threads that
/// render them on request. They stop once the build is replaced and its last request answered
/// (when the last `Live` is dropped, so is the channel's sender).
struct Live {
    paths: BTreeSet<String>,
    requests: Mutex<mpsc::Sender<Request>>,
}

/// Threads rendering the files of one build.
const RENDERERS: usize = 2;

/// The most bytes of rendered files kept between requests: a crawl of a province preview
/// (~420 MB of pages) must not hold them all. Past it, the kept files are dropped and
/// rendered again when asked for (a manager page takes about a millisecond).
const KEPT_BYTES: usize = 64 << 20;

/// The rendered files of one build, kept for the next request of the same path.
#[derive(Default)]
struct Kept {
    files: HashMap<String, Arc<Vec<u8>>>,
    bytes: usize,
}

impl Kept {
    /// Keeps `bytes` for `path`, dropping everything kept so far if it would pass
    /// [`KEPT_BYTES`] (a file larger than that is not kept).
    fn keep(&mut self, path: String, bytes: Arc<Vec<u8>>) {
        if bytes.len() > KEPT_BYTES {
            return;
        }
        if self.bytes + bytes.len() > KEPT_BYTES {
            self.files.clear();
            self.bytes = 0;
        }
        self.bytes += bytes.len();
        if let Some(old) = self.files.insert(path, bytes) {
            self.bytes -= old.len();
        }
    }
}

impl Live {
    /// Starts the threads that render the files of `snap`; returns once they know every path.
    fn start(snap: Snapshot) -> Live {
        let (requests, rx) = mpsc::channel::<Request>();
        let (paths_tx, paths_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let Snapshot { built, theme, .. } = snap;
            let (site, computed, version) = (&built.site, &built.computed, &built.version);
            crate::render::on_demand(site, computed, version.as_ref(), theme, |files| {
                let _ = paths_tx.send(files.paths().into_iter().collect::<BTreeSet<_>>());
                let rx = Mutex::new(rx);
                // Files rendered since this build, kept until it is replaced (up to a cap).
                let done: Mutex<Kept> = Mutex::default();
                std::thread::scope(|s| {
                    for _ in 0..RENDERERS {
                        s.spawn(|| loop {
                            let Ok((path, reply)) = rx.lock().expect("requests").recv() else {
                                return;
                            };
                            let kept = done.lock().expect("done").files.get(&path).cloned();
                            let answer = match kept {
                                Some(bytes) => Some(Ok(bytes)),
                                None => files.render(&path).map(|r| {
                                    let bytes = Arc::new(r?);
                                    done.lock().expect("done").keep(path, bytes.clone());
                                    Ok(bytes)
                                }),
                            };
                            let _ = reply.send(answer);
                        });
                    }
                });
            });
        });
        Live {
            paths: paths_rx.recv().unwrap_or_default(),
            requests: Mutex::new(requests),
        }
    }

    /// The file at `rel` (relative, `/`-separated): `None` if the output has none.
    fn get(&self, rel: &str) -> Option<Rendered> {
        if !self.paths.contains(rel) {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        let sent = self
            .requests
            .lock()
            .expect("requests")
            .send((rel.to_string(), tx));
        if sent.is_err() {
            return Some(Err("the renderer stopped".into()));
        }
        rx.recv()
            .unwrap_or_else(|_| Some(Err("the renderer stopped".into())))
    }

    /// True when `rel` is a folder of the output (the root, or a prefix of a file's path).
    fn is_dir(&self, rel: &str) -> bool {
        if rel.is_empty() {
            return true;
        }
        let prefix = format!("{rel}/");
        self.paths
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix))
    }
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
    // The site's own theme folders too: the theme looks files up in them first.
    for dir in ["content", "templates", "static", "i18n", "themes"] {
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

/// Waits until the fingerprint stays at one value for [`SETTLE`] (at most [`SETTLE_MAX`]),
/// starting from `changed`, just seen; returns the value it settled on.
fn settled(root: &Path, mut changed: u64) -> u64 {
    let start = Instant::now();
    while start.elapsed() < SETTLE_MAX {
        std::thread::sleep(SETTLE);
        let again = fingerprint(root);
        if again == changed {
            break;
        }
        changed = again;
    }
    changed
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

/// Builds the site again (the `first` time, or after a change) and records the outcome;
/// returns the time it took.
fn rebuild(
    preview: &mut Preview,
    state: &State,
    lang: Lang,
    first: bool,
    timings: bool,
) -> Duration {
    let start = Instant::now();
    let result = preview.rebuild().map(|snapshot| {
        if timings {
            eprintln!("{}", snapshot.timings);
        }
        Live::start(snapshot)
    });
    let took = start.elapsed();
    let ms = took.as_secs_f64() * 1000.0;
    let now = chrono::Local::now().format("%H:%M:%S");
    let err = match result {
        Ok(live) => {
            let files = live.paths.len();
            *state.live.lock().expect("state") = Some(Arc::new(live));
            let done = if first {
                t!(
                    lang,
                    "[{}] 已生成：{} 个文件，用时 {:.0} ms",
                    "[{}] built: {} files in {:.0} ms",
                    now,
                    files,
                    ms
                )
            } else {
                t!(
                    lang,
                    "[{}] 已重新生成：{} 个文件，用时 {:.0} ms",
                    "[{}] rebuilt: {} files in {:.0} ms",
                    now,
                    files,
                    ms
                )
            };
            eprintln!("{done}");
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

/// The longest request head (request line and headers) read, as web servers cap it.
pub const MAX_HEAD: usize = 8 * 1024;

/// How long a connection may take to send its request head, in all.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections open at once. A new connection beyond it (or beyond [`MAX_PER_CLIENT`]) closes
/// the oldest one of the client holding the most, rather than being turned away: requests are
/// answered in milliseconds, so the oldest connections are the idle ones (a browser's
/// pre-connections, or someone holding connections open), and they cannot shut out the pages'
/// requests and the live-reload poll.
const MAX_CONNECTIONS: usize = 128;

/// Connections one client address may hold open at once.
const MAX_PER_CLIENT: usize = 32;

/// The open connections, oldest first, so that a new one can close the oldest.
#[derive(Default)]
struct Connections {
    next: u64,
    open: Vec<Open>,
}

/// An open connection: its number, client address and a handle to shut it down.
struct Open {
    id: u64,
    client: std::net::IpAddr,
    stream: std::net::TcpStream,
}

impl Connections {
    /// Makes room for a connection from `client` (closing the oldest connection of the client
    /// holding the most, when full), then registers it; its number, or `None` if it cannot be
    /// registered (its handle could not be cloned).
    fn admit(&mut self, client: std::net::IpAddr, stream: &std::net::TcpStream) -> Option<u64> {
        let own = self.open.iter().filter(|o| o.client == client).count();
        let victim = if own >= MAX_PER_CLIENT {
            Some(client)
        } else if self.open.len() >= MAX_CONNECTIONS {
            let mut counts: HashMap<std::net::IpAddr, usize> = HashMap::new();
            for o in &self.open {
                *counts.entry(o.client).or_default() += 1;
            }
            counts.into_iter().max_by_key(|c| c.1).map(|c| c.0)
        } else {
            None
        };
        if let Some(i) = victim.and_then(|v| self.open.iter().position(|o| o.client == v)) {
            let old = self.open.remove(i);
            let _ = old.stream.shutdown(std::net::Shutdown::Both);
        }
        let stream = stream.try_clone().ok()?;
        self.next += 1;
        self.open.push(Open {
            id: self.next,
            client,
            stream,
        });
        Some(self.next)
    }

    /// Forgets a connection that has ended.
    fn close(&mut self, id: u64) {
        self.open.retain(|o| o.id != id);
    }
}

/// An answer: status, extra headers, body.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body,
        }
    }

    fn html(status: u16, page: String) -> Answer {
        Answer::new(status, "text/html; charset=utf-8", page.into_bytes())
    }

    fn plain(status: u16, text: &str) -> Answer {
        Answer::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq)]
enum HeadError {
    /// The request line alone is longer than [`MAX_HEAD`]: 414.
    UriTooLong,
    /// The headers are longer than [`MAX_HEAD`] or too many: 431.
    HeadersTooLarge,
    /// Not HTTP: 400.
    Bad,
    /// The client went away (or was too slow): no answer.
    Gone,
}

/// Reads one request head, at most [`MAX_HEAD`] bytes; returns its method and target.
fn read_head(stream: &mut impl std::io::Read) -> Result<(String, String), HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let start = Instant::now();
    loop {
        if start.elapsed() > HEAD_TIMEOUT {
            return Err(HeadError::Gone);
        }
        let room = MAX_HEAD - buf.len();
        let n = match stream.read(&mut chunk[..room.min(1024)]) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut rq = httparse::Request::new(&mut headers);
        match rq.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok((
                    rq.method.unwrap_or_default().to_string(),
                    rq.path.unwrap_or_default().to_string(),
                ))
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) if !buf.contains(&b'\n') => {
                return Err(HeadError::UriTooLong)
            }
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Err(HeadError::HeadersTooLarge)
            }
            Err(_) => return Err(HeadError::Bad),
        }
    }
}

/// Writes an answer and closes (every answer carries `Connection: close`).
fn write_answer(stream: &mut impl std::io::Write, a: &Answer, head_only: bool) {
    let reason = match a.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", a.status);
    for (k, v) in &a.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        a.body.len()
    ));
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(&a.body);
    }
    let _ = stream.flush();
}

/// Serves one connection: one request, one answer.
fn serve_connection(mut stream: std::net::TcpStream, state: &State, lang: Lang) {
    let _ = stream.set_read_timeout(Some(HEAD_TIMEOUT));
    let _ = stream.set_write_timeout(Some(HEAD_TIMEOUT));
    let answer = match read_head(&mut stream) {
        Ok((method, target)) => match method.as_str() {
            "GET" | "HEAD" => {
                let a = handle(&target, state, lang);
                write_answer(&mut stream, &a, method == "HEAD");
                return;
            }
            _ => {
                let mut a = Answer::plain(405, "GET or HEAD only\n");
                a.headers.push(("Allow", "GET, HEAD".to_string()));
                a
            }
        },
        Err(HeadError::UriTooLong) => Answer::plain(414, "request line too long\n"),
        Err(HeadError::HeadersTooLarge) => Answer::plain(431, "request headers too large\n"),
        Err(HeadError::Bad) => Answer::plain(400, "bad request\n"),
        Err(HeadError::Gone) => return,
    };
    write_answer(&mut stream, &answer, false);
    // Let the client read the answer rather than see a reset from its unread bytes.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut sink = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(2);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    while Instant::now() < deadline {
        match std::io::Read::read(&mut stream, &mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// Answers a request for `target` (the request's path and query) from the last good build.
fn handle(target: &str, state: &State, lang: Lang) -> Answer {
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    let version = state.version.load(Ordering::SeqCst);
    if path == VERSION_PATH {
        return Answer::plain(200, &version.to_string());
    }
    if !path.starts_with('/') {
        return Answer::plain(400, "bad request\n");
    }
    let decoded = percent_decode(&path);
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let is_page = decoded.ends_with('/') || decoded.ends_with(".html") || !decoded.contains('.');
    let error = state.error.lock().expect("state").clone();
    if let (Some(err), true) = (&error, is_page) {
        return Answer::html(500, error_page(lang, err, version));
    }
    let safe = segments
        .iter()
        .all(|s| *s != ".." && *s != "." && !s.contains(['\\', ':', '\0']));
    let live = state.live.lock().expect("state").clone();
    let mut rel = segments.join("/");
    if live.as_ref().is_some_and(|l| safe && l.is_dir(&rel)) {
        if !path.ends_with('/') && !rel.is_empty() {
            // One leading slash, whatever the request had: `//host` would be a
            // protocol-relative URL, an open redirect to another site.
            let raw: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let mut a = Answer::plain(301, "");
            a.headers.push(("Location", format!("/{}/", raw.join("/"))));
            return a;
        }
        rel = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
    }
    let found = match (&live, safe) {
        (Some(live), true) => live.get(&rel),
        _ => None,
    };
    let body = match found {
        Some(Ok(body)) => body,
        Some(Err(e)) => return Answer::html(500, error_page(lang, &ErrorPage::Io(e), version)),
        None => {
            let page = inject(
                &format!(
                    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1><p>{}</p></body></html>\n",
                    html_escape(&t!(lang, "没有这个页面：{}", "no such page: {}", decoded))
                ),
                version,
            );
            return Answer::html(404, page);
        }
    };
    let ct = content_type(Path::new(&rel));
    let body = if ct.starts_with("text/html") {
        inject(&String::from_utf8_lossy(&body), version).into_bytes()
    } else {
        body.to_vec()
    };
    Answer::new(200, ct, body)
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

/// `rankpress serve [--port N] [--bind ADDR] [--timings]`: runs until interrupted.
pub fn run(root: &Path, bind: &str, port: u16, timings: bool) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let state = Arc::new(State {
        version: AtomicU64::new(0),
        error: Mutex::new(None),
        live: Mutex::new(None),
    });
    let server = match std::net::TcpListener::bind((bind, port)) {
        Ok(s) => s,
        Err(e) => {
            return Err(Error::Usage(t!(
                lang,
                "无法在 {}:{} 上监听：{}（端口可能已被占用，可用 --port 指定其他端口）",
                "cannot listen on {}:{}: {} (the port may be in use; choose another with --port)",
                bind,
                port,
                e
            )));
        }
    };
    on_signals();
    let mut seen = fingerprint(root);
    let mut preview = Preview::new(root);
    rebuild(&mut preview, &state, lang, true, timings);
    let local = server.local_addr().ok();
    let addr = local
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
    if !local.is_some_and(|a| a.ip().is_loopback()) {
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
    // A thread per connection (a browser's idle pre-connections must not hold up the others),
    // at most MAX_CONNECTIONS at once, the oldest closed to make room (`Connections`).
    {
        let state = state.clone();
        let open = Arc::new(Mutex::new(Connections::default()));
        std::thread::spawn(move || {
            for stream in server.incoming().flatten() {
                let Ok(peer) = stream.peer_addr() else {
                    continue;
                };
                let Some(id) = open.lock().expect("connections").admit(peer.ip(), &stream) else {
                    continue; // dropped: closed at once
                };
                let (state, open) = (state.clone(), open.clone());
                std::thread::spawn(move || {
                    serve_connection(stream, &state, lang);
                    open.lock().expect("connections").close(id);
                });
            }
        });
    }
    while !STOP.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = fingerprint(root);
        if now != seen {
            seen = settled(root, now);
            rebuild(&mut preview, &state, lang, false, timings);
        }
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_files_stay_under_the_cap() {
        let mut kept = Kept::default();
        let file = |n: usize| Arc::new(vec![b'x'; n]);
        kept.keep("a".into(), file(KEPT_BYTES / 2));
        kept.keep("a".into(), file(KEPT_BYTES / 4));
        assert_eq!(kept.bytes, KEPT_BYTES / 4, "a file kept again counts once");
        kept.keep("b".into(), file(KEPT_BYTES / 2));
        assert_eq!((kept.files.len(), kept.bytes), (2, KEPT_BYTES * 3 / 4));
        kept.keep("c".into(), file(KEPT_BYTES / 2));
        assert_eq!(
            kept.files.keys().collect::<Vec<_>>(),
            ["c"],
            "full: dropped, then kept"
        );
        assert_eq!(kept.bytes, KEPT_BYTES / 2);
        kept.keep("huge".into(), file(KEPT_BYTES + 1));
        assert!(!kept.files.contains_key("huge"));
        assert!(kept.bytes <= KEPT_BYTES);
    }

    #[test]
    fn a_full_server_closes_the_oldest_connection_of_the_busiest_client() {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let stream = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let a = [10, 0, 0, 1].into();
        let mut open = Connections::default();
        let count = |open: &Connections, ip| open.open.iter().filter(|o| o.client == ip).count();
        for _ in 0..MAX_PER_CLIENT + 5 {
            open.admit(a, &stream).unwrap();
        }
        assert_eq!(
            count(&open, a),
            MAX_PER_CLIENT,
            "a client's own oldest make room"
        );
        assert_eq!(open.open[0].id, 6);
        let others: Vec<std::net::IpAddr> = (2..=MAX_CONNECTIONS / MAX_PER_CLIENT)
            .map(|i| [10, 0, 0, i as u8].into())
            .collect();
        for &ip in &others {
            for _ in 0..MAX_PER_CLIENT {
                open.admit(ip, &stream).unwrap();
            }
        }
        assert_eq!(open.open.len(), MAX_CONNECTIONS);
        let c = [10, 0, 1, 1].into();
        let id = open.admit(c, &stream).unwrap();
        assert_eq!(
            open.open.len(),
            MAX_CONNECTIONS,
            "the busiest client gives way"
        );
        assert_eq!(count(&open, c), 1);
        open.close(id);
        assert_eq!(count(&open, c), 0);
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", 7);
        assert!(html.contains("var v=\"7\""));
        assert!(html.ends_with("</script></body></html>"));
        assert_eq!(percent_decode("/a%20b/%E4%B8%AD"), "/a b/中");
        assert_eq!(percent_decode("/100%"), "/100%");
    }

    #[test]
    fn request_heads_are_capped() {
        let head = |b: &[u8]| read_head(&mut std::io::Cursor::new(b.to_vec()));
        assert_eq!(
            head(b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(("GET".to_string(), "/a?b".to_string()))
        );
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(long.as_bytes()), Err(HeadError::UriTooLong));
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(big.as_bytes()), Err(HeadError::HeadersTooLarge));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(100));
        assert_eq!(head(many.as_bytes()), Err(HeadError::HeadersTooLarge));
        assert_eq!(head(b"\x16\x03\x01 tls\r\n\r\n"), Err(HeadError::Bad));
        assert_eq!(head(b"GET / HT"), Err(HeadError::Gone));
    }
}
