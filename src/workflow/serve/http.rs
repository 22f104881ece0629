//! Answering a request from the build being served, over `tiny_http`: pages and files of the
//! last good build, the build version for the live-reload poll, the data's problems instead
//! of every page after a failed build. Served HTML pages carry a tiny script that polls
//! [`VERSION_PATH`] and reloads the page after a rebuild — injected while serving only, never
//! in `build` output. Paths are percent-decoded (`percent-encoding`) and refused when a
//! segment could leave the output (`..`, `.`, `\`, `:`, NUL); content types come from
//! [`CONTENT_TYPES`].

use std::path::Path;
use std::sync::atomic::Ordering;

use super::State;
use crate::diag::{t, Lang};
use crate::text::html_escape;

/// The path pages poll for the build version.
pub const VERSION_PATH: &str = "/__rankpress/version";

/// The content type of each kind of file a site holds, by extension (lower case); any other
/// file is `application/octet-stream`.
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("htm", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("json", "application/json"),
    ("csv", "text/csv; charset=utf-8"),
    ("txt", "text/plain; charset=utf-8"),
    ("md", "text/plain; charset=utf-8"),
    ("xml", "application/xml"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("ico", "image/x-icon"),
    ("woff2", "font/woff2"),
    ("woff", "font/woff"),
    ("eml", "message/rfc822"),
];

/// The content type of the file at `path`, from [`CONTENT_TYPES`].
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    CONTENT_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map_or("application/octet-stream", |(_, t)| t)
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

/// A failed build, shown instead of every page.
#[derive(Clone)]
pub enum ErrorPage {
    /// The data's problems.
    Data(Vec<crate::diag::Problem>),
    /// Any other failure (a theme, a template), told in the site's language.
    Io(String),
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

/// Answers one request (GET and HEAD; any other method gets 405). tiny_http leaves the body
/// out of an answer to HEAD, its `Content-Length` kept.
pub fn respond(rq: tiny_http::Request, state: &State, lang: Lang) {
    let answer = match rq.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => handle(rq.url(), state, lang),
        _ => {
            let mut a = Answer::plain(405, "GET or HEAD only\n");
            a.headers.push(("Allow", "GET, HEAD".to_string()));
            a
        }
    };
    let mut response = tiny_http::Response::from_data(answer.body)
        .with_status_code(answer.status)
        // One Content-Length, never chunks: the answer is in memory.
        .with_chunked_threshold(usize::MAX);
    for (name, value) in &answer.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = rq.respond(response);
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
    let decoded = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", 7);
        assert!(html.contains("var v=\"7\""));
        assert!(html.ends_with("</script></body></html>"));
    }

    #[test]
    fn content_types_come_from_one_table() {
        assert_eq!(
            content_type(Path::new("a/B.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("data/x.json")), "application/json");
        assert_eq!(
            content_type(Path::new("x.xlsx")),
            "application/octet-stream"
        );
        assert_eq!(
            content_type(Path::new("Makefile")),
            "application/octet-stream"
        );
    }
}
