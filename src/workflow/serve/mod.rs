//! `rankpress serve`: a live preview. The site is checked and computed in memory and served
//! over HTTP (loopback only unless `--bind` says otherwise); `content/` and the site's theme
//! folders (`templates/`, `static/`, `i18n/`, `themes/`) are watched and every change updates
//! the site. When the data has problems, every page shows them (`file:line:column: message`,
//! escaped) until the next good save brings the site back.
//!
//! Built on kept crates, each part in its own module:
//!
//! - [`gate`]: the public address, with the limits `tiny_http` has no setting for (request heads
//!   of at most 8 KB, 128 connections of which 32 per client, the oldest of the busiest closed
//!   to make room, idle connections closed), relaying each connection to the `tiny_http`
//!   server on a private socket;
//! - [`http`]: the answers (`tiny_http`), percent-decoded paths (`percent-encoding`), the
//!   content-type table, the live-reload script and the error page;
//! - [`watch`]: the folders watched with `notify` (the OS's notifications, or its
//!   `PollWatcher` on shared folders), a burst of events collapsed into one rebuild;
//! - [`live`]: the build being served, its files rendered on request;
//! - SIGINT and SIGTERM (`signal-hook`) end the watch loop: `serve` exits 0.
//!
//! Nothing is written to disk. A rebuild ([`Preview::rebuild`]) parses again only the files
//! that changed and validates and computes the site; pages and exports are then rendered when
//! they are asked for, by the same code as `build` (so each has the bytes `build` writes), and
//! kept until the next change. An edit thus costs its validation and computation and the pages
//! open in the browser, not the site's thousands of pages. A template that fails while
//! rendering a page shows the error on that page (a template that does not compile, on every
//! page).

mod gate;
mod http;
mod live;
mod watch;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use super::preview::Preview;
use crate::diag::{t, Lang, Localize};
use crate::error::{Error, Outcome};
use crate::site;
use http::ErrorPage;
use live::Live;
use watch::Event;

pub use gate::MAX_HEAD;
pub use http::{inject, reload_script, VERSION_PATH};
pub use watch::{POLL, SETTLE};

/// What the server shows: the build version, the last good build and, after a failed build,
/// its problems.
pub struct State {
    version: AtomicU64,
    error: Mutex<Option<ErrorPage>>,
    live: Mutex<Option<Arc<Live>>>,
}

/// Why `serve` could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be listened on (the port in use, an address of another machine).
    #[error("cannot listen on {bind}:{port}: {source}")]
    Listen {
        /// The address asked for.
        bind: String,
        /// The port asked for.
        port: u16,
        /// The OS's error.
        source: std::io::Error,
    },
    /// The HTTP server behind the gate could not start.
    #[error("cannot start the HTTP server: {0}")]
    Server(std::io::Error),
}

impl Localize for ServeError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ServeError::Listen { bind, port, source } => t!(
                lang,
                "无法在 {}:{} 上监听：{}（端口可能已被占用，可用 --port 指定其他端口）",
                "cannot listen on {}:{}: {} (the port may be in use; choose another with --port)",
                bind,
                port,
                crate::diag::os_reason(lang, source)
            ),
            ServeError::Server(e) => t!(
                lang,
                "无法启动预览服务器：{}",
                "cannot start the preview server: {}",
                crate::diag::os_reason(lang, e)
            ),
        }
    }
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

/// Sends [`Event::Stop`] on SIGINT or SIGTERM.
#[cfg(unix)]
fn on_signals(tx: mpsc::Sender<Event>) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Event::Stop);
            }
        });
    }
}

#[cfg(not(unix))]
fn on_signals(_: mpsc::Sender<Event>) {}

/// `rankpress serve [--port N] [--bind ADDR] [--timings]`: runs until interrupted.
pub fn run(root: &Path, bind: &str, port: u16, timings: bool) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let state = Arc::new(State {
        version: AtomicU64::new(0),
        error: Mutex::new(None),
        live: Mutex::new(None),
    });
    let public = std::net::TcpListener::bind((bind, port)).map_err(|source| {
        let e = ServeError::Listen {
            bind: bind.to_string(),
            port,
            source,
        };
        Error::Usage(e.localize(lang))
    })?;
    let server = gate::Server::start()
        .map(Arc::new)
        .map_err(|e| Error::Usage(ServeError::Server(e).localize(lang)))?;
    let (tx, events) = mpsc::channel();
    on_signals(tx.clone());
    let mut watch = watch::Watch::start(root, tx);
    let mut preview = Preview::new(root);
    rebuild(&mut preview, &state, lang, true, timings);
    let local = public.local_addr().ok();
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
    server.gate(public);
    // A thread per request: one waiting for a page to render holds up no other.
    {
        let (server, state) = (server.clone(), state.clone());
        std::thread::spawn(move || {
            loop {
                // An error is tiny_http's failed accept: the next request is waited for.
                if let Ok(rq) = server.http.recv() {
                    let state = state.clone();
                    std::thread::spawn(move || http::respond(rq, &state, lang));
                }
            }
        });
    }
    while let Ok(first) = events.recv() {
        let Some(made) = watch::settle(&events, first) else {
            break;
        };
        for dir in made {
            watch.add(&dir);
        }
        rebuild(&mut preview, &state, lang, false, timings);
    }
    server.close();
    Ok(Outcome::Done)
}
