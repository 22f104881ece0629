//! The message itself: the MIME tree (text, HTML with its CSS inlined, inline PNG charts),
//! headers made safe from data strings, and everything that keeps a message deterministic (the
//! Date of the month, a Message-ID and boundaries from a hash of the content).

use std::time::{Duration, SystemTime};

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use serde::Serialize;

use super::compose::Ctx;
use super::{Bulletin, Error, Image};
use crate::diag::Localize;
use crate::model::Month;

#[derive(Serialize)]
struct ImgCtx {
    src: String,
    alt: String,
    width: u32,
    height: u32,
}

/// 09:00 Beijing time (01:00 UTC) on the first day of the month after `m`: the fixed `Date:` of
/// the written `.eml` (deterministic; `send` stamps the time of sending, see [`with_date`]).
/// Never panics: a month no calendar has gives the epoch.
pub fn message_date(m: Month) -> SystemTime {
    let next = if m.month >= 12 {
        (m.year.saturating_add(1), 1)
    } else {
        (m.year, m.month + 1)
    };
    let secs = chrono::NaiveDate::from_ymd_opt(next.0, next.1, 1)
        .and_then(|d| d.and_hms_opt(1, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp());
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64)
}

/// The header fields of a message (up to the first empty line), each unfolded, with the byte
/// range of the whole field (continuation lines and line end included) in `eml`.
fn header_fields(eml: &[u8]) -> Vec<(String, String, std::ops::Range<usize>)> {
    let mut out: Vec<(String, String, std::ops::Range<usize>)> = Vec::new();
    let mut at = 0;
    while at < eml.len() {
        let end = eml[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(eml.len(), |i| at + i + 1);
        let line = String::from_utf8_lossy(&eml[at..end]);
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare.is_empty() {
            break;
        }
        match (bare.starts_with([' ', '\t']), out.last_mut()) {
            (true, Some(last)) => {
                last.1.push_str(bare);
                last.2.end = end;
            }
            _ => {
                let (name, value) = bare.split_once(':').unwrap_or((bare, ""));
                out.push((name.trim().to_string(), value.trim().to_string(), at..end));
            }
        }
        at = end;
    }
    out
}

/// The (unfolded) value of the first header field `name` of a message, if any.
pub fn header(eml: &[u8], name: &str) -> Option<String> {
    header_fields(eml)
        .into_iter()
        .find(|f| f.0.eq_ignore_ascii_case(name))
        .map(|f| f.1)
}

/// Header fields that do not make a message's content: the date and the program's version.
const NOT_CONTENT: [&str; 2] = ["Date", "User-Agent"];

/// A hash of a message's content: every byte but the [`NOT_CONTENT`] fields (a 128-bit SipHash
/// with fixed keys, hex; see [`crate::cache::stored`]). Two messages with the same hash say the same thing to the same
/// people, whenever they were sent; `send` logs it to notice a bulletin changed since.
pub fn content_hash(eml: &[u8]) -> String {
    let mut h = crate::cache::stored::content_hasher();
    let mut at = 0;
    for (name, _, r) in header_fields(eml) {
        if NOT_CONTENT.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            std::hash::Hasher::write(&mut h, &eml[at..r.start]);
            at = r.end;
        }
    }
    std::hash::Hasher::write(&mut h, &eml[at..]);
    format!("{:032x}", h.finish_u128())
}

/// The message with its `Date:` set to `now` (RFC 5322), the rest byte for byte: `send`
/// dates a message when it sends it, so mail clients sort it where it belongs.
pub fn with_date(eml: &[u8], now: chrono::DateTime<chrono::FixedOffset>) -> Vec<u8> {
    let field = format!("Date: {}\r\n", now.to_rfc2822());
    let fields = header_fields(eml);
    let mut out = Vec::with_capacity(eml.len() + 8);
    match fields.iter().find(|f| f.0.eq_ignore_ascii_case("Date")) {
        Some((_, _, r)) => {
            out.extend_from_slice(&eml[..r.start]);
            out.extend_from_slice(field.as_bytes());
            out.extend_from_slice(&eml[r.end..]);
        }
        None => {
            out.extend_from_slice(field.as_bytes());
            out.extend_from_slice(eml);
        }
    }
    out
}

/// A data string made safe for a one-line mail header (a display name, the subject): every
/// control character (CR, LF, NUL, ESC…) becomes a space, runs of white space one space. Such
/// text can neither inject a header nor make lettre fail to write one.
pub fn header_text(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Trims trailing spaces on each line and collapses runs of blank lines left by the template.
fn normalize_text(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    // Keep the signature separator "-- " intact.
    out.replace("\n--\n", "\n-- \n")
}

/// The CSS of a bulletin's HTML could not be inlined.
#[derive(Debug, thiserror::Error)]
#[error("CSS inlining failed: {0}")]
pub struct CssError(#[from] css_inline::InlineError);

/// Moves every rule of the `<style>` blocks into `style` attributes and drops the blocks.
pub fn inline_css(html: &str) -> Result<String, CssError> {
    css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .keep_link_tags(false)
        .keep_at_rules(false)
        .build()
        .inline(html)
        .map_err(CssError)
}

impl Ctx<'_> {
    /// Renders both templates, inlines the CSS and assembles the MIME message.
    pub(super) fn finish(
        &self,
        key: &str,
        subject: String,
        to: Vec<Mailbox>,
        mut c: tera::Context,
        images: Vec<Image>,
    ) -> Result<Bulletin, Error> {
        let subject = header_text(&subject);
        let imgs: Vec<ImgCtx> = images
            .iter()
            .map(|i| ImgCtx {
                src: format!("cid:{}", i.cid),
                alt: i.alt.clone(),
                width: i.width,
                height: i.height,
            })
            .collect();
        c.insert("images", &imgs);
        let lang = self.theme.lang();
        let failed = |e: &dyn Localize| Error::Io(e.localize(lang));
        let text = (self.render)("bulletin.txt", &c).map_err(|e| failed(&e))?;
        let text = normalize_text(&text);
        let raw_html = (self.render)("bulletin.html", &c).map_err(|e| failed(&e))?;
        let html = inline_css(&raw_html).map_err(|e| Error::Io(e.to_string()))?;
        let month = self.ms.month;
        let mut parts: Vec<&[u8]> = vec![subject.as_bytes(), text.as_bytes(), html.as_bytes()];
        for i in &images {
            parts.push(&i.png);
        }
        let hash = crate::cache::stored::message_hash(&parts);
        let domain = self.from.email.domain().to_string();
        let message_id = format!("<rankpress.{month}.{key}.{hash:016x}@{domain}>");
        // Without recipients (no `to:` configured) the team message is addressed to the sender.
        let to = if to.is_empty() {
            vec![self.from.clone()]
        } else {
            to
        };
        let mut related = MultiPart::related()
            .boundary(format!("=_rp_rel_{hash:016x}"))
            .singlepart(SinglePart::html(html.clone()));
        for i in &images {
            related = related.singlepart(
                Attachment::new_inline_with_name(i.cid.clone(), format!("{}.png", i.cid)).body(
                    i.png.clone(),
                    ContentType::parse("image/png").expect("mime"),
                ),
            );
        }
        let body = MultiPart::alternative()
            .boundary(format!("=_rp_alt_{hash:016x}"))
            .singlepart(SinglePart::plain(text.clone()))
            .multipart(related);
        let mut b = lettre::Message::builder()
            .from(self.from.clone())
            .subject(subject.clone())
            .date(message_date(month))
            .message_id(Some(message_id.clone()))
            .user_agent(format!("rankpress {}", env!("CARGO_PKG_VERSION")));
        for m in &to {
            b = b.to(m.clone());
        }
        let msg = b
            .multipart(body)
            .map_err(|e| Error::Io(format!("{key}: {e}")))?;
        Ok(Bulletin {
            key: key.to_string(),
            subject,
            from: self.from.email.to_string(),
            to: to.iter().map(|m| m.email.to_string()).collect(),
            message_id,
            text,
            html,
            images,
            eml: msg.formatted(),
        })
    }
}
