//! Monthly email bulletins (月度通报): the team bulletin and one personal bulletin per ranked
//! manager with an email address.
//!
//! A bulletin is rendered from the theme's `bulletin.txt` and `bulletin.html` templates (through
//! a caller-supplied [`Render`] function, so theme lookup stays in one place), its HTML is passed
//! through a CSS inliner so every rule ends up in a `style` attribute, its charts are PNGs at 2×
//! drawn with a CJK font ([`crate::charts`]), and it is assembled into a MIME message:
//!
//! ```text
//! multipart/alternative
//! ├── text/plain                 the ranking as aligned text
//! └── multipart/related
//!     ├── text/html              images referenced as cid:NAME
//!     └── image/png …            Content-ID: <NAME>
//! ```
//!
//! Everything is deterministic: the Date header is 09:00 Beijing time on the first day of the
//! month after the bulletin's month, and the Message-ID and MIME boundaries are derived from a
//! hash of the content. [`write`](fn@write) puts the files into the bulletins folder one by one through a
//! temporary file and a rename, so a site build or a crash never leaves half a file.

mod compose;
mod mime;
mod write;

use std::path::{Path, PathBuf};

use lettre::message::Mailbox;
use rayon::prelude::*;

pub use compose::team_subject;
pub use mime::{content_hash, header, header_text, inline_css, message_date, with_date, CssError};
pub use write::{eml_path, write, write_atomic, Manifest, ManifestEntry, WriteError, Written};

use crate::charts::{self, FontData};
use crate::compute::{self, Computed};
use crate::diag::{t, Lang, Localize};
use crate::error::Error;
use crate::model::{BulletinConfig, Manager, Month, Site};
use crate::present::Months;
use crate::project::Project;
use crate::score::{MonthScore, Row};
use crate::theme::Theme;
use compose::Ctx;

/// Renders a named template (`bulletin.html`, `bulletin.txt`) with a context. The site build supplies its theme lookup (site `templates/` → theme →
/// built-in default), see [`crate::theme::Theme`].
pub type Render<'a> =
    dyn Fn(&str, &tera::Context) -> Result<String, crate::theme::RenderError> + Sync + 'a;

/// Gmail clips messages whose HTML is larger than about 102 KB; we warn above this.
pub const HTML_WARN_BYTES: usize = 100 * 1024;

/// Logical width of a chart image in the 600 px layout (drawn at 2× in the PNG).
pub const CHART_WIDTH: u32 = 552;
/// Logical height of a chart image.
pub const CHART_HEIGHT: u32 = 250;

/// One chart of a bulletin as an inline PNG.
#[derive(Clone, Debug)]
pub struct Image {
    /// Content-ID (without angle brackets) and the base of the preview file name.
    pub cid: String,
    /// Alternative text describing the chart and its numbers.
    pub alt: String,
    /// Display width in CSS pixels (the PNG is twice as wide).
    pub width: u32,
    /// Display height in CSS pixels.
    pub height: u32,
    /// PNG bytes.
    pub png: Vec<u8>,
}

/// One finished bulletin message.
#[derive(Clone, Debug)]
pub struct Bulletin {
    /// `team`, or the manager id of a personal bulletin.
    pub key: String,
    /// Decoded subject.
    pub subject: String,
    /// Envelope sender (bare address).
    pub from: String,
    /// Envelope recipients (bare addresses).
    pub to: Vec<String>,
    /// `<…@…>` Message-ID.
    pub message_id: String,
    /// The text/plain part.
    pub text: String,
    /// The HTML part (CSS inlined, images as `cid:`).
    pub html: String,
    /// Charts referenced by the HTML.
    pub images: Vec<Image>,
    /// The complete RFC 5322 message.
    pub eml: Vec<u8>,
}

impl Bulletin {
    /// The HTML for a browser preview: `cid:NAME` replaced by `DIR/NAME.png`.
    pub fn preview_html(&self, image_dir: &str) -> String {
        let mut html = self.html.clone();
        for img in &self.images {
            html = html.replace(
                &format!("src=\"cid:{}\"", img.cid),
                &format!("src=\"{image_dir}/{}.png\"", img.cid),
            );
        }
        html
    }
}

/// A month's bulletins.
#[derive(Clone, Debug)]
pub struct MonthBulletins {
    /// The month.
    pub month: Month,
    /// The team bulletin.
    pub team: Bulletin,
    /// Personal bulletins, by manager id.
    pub personal: Vec<Bulletin>,
    /// The font the charts were drawn with.
    pub font: PathBuf,
    /// Warnings (e.g. HTML larger than Gmail shows unclipped).
    pub warnings: Vec<String>,
}

/// The `bulletin:` settings, or a clear message that they are missing.
pub fn config(site: &Site) -> Result<&BulletinConfig, Error> {
    site.config.bulletin.as_ref().ok_or_else(|| {
        Error::Refused(t!(
            site.config.language,
            "site.yaml 中没有 bulletin 设置（发件人、收件人、邮件服务器）：请先添加，写法见 rankpress help send",
            "site.yaml has no bulletin settings (sender, recipients, mail server): add them, see rankpress help send"
        ))
    })
}

/// Finds the chart font: `bulletin.font` of site.yaml (relative to the site root), else the
/// search order of [`charts::find_cjk_font`]. The error explains what to install.
pub fn font(site: &Site, root: &Path) -> Result<FontData, Error> {
    let configured = site.config.font.as_ref().map(|f| root.join(f));
    charts::find_cjk_font(configured.as_deref()).map_err(|e| {
        Error::Missing(t!(
            site.config.language,
            "无法绘制通报图表：{e}",
            "cannot draw the bulletin charts: {e}"
        ))
    })
}

/// Builds the team bulletin and, with `personal: true`, the personal bulletins of `month`.
pub fn make(
    site: &Site,
    computed: &Computed,
    month: Month,
    theme: &Theme,
    font: &FontData,
) -> Result<MonthBulletins, Error> {
    let render_fn = |name: &str, ctx: &tera::Context| theme.render(name, ctx);
    let render: &Render = &render_fn;
    let cfg = config(site)?;
    let lang = site.config.language;
    let ms = computed
        .scores
        .months
        .iter()
        .find(|m| m.month == month)
        .ok_or_else(|| Error::Missing(format!("{month}: no results")))?;
    let from = parse_mailbox(&cfg.from, lang)?;
    // The person's own pay, computed once for the month, only when the site asks for it;
    // amounts too large to work out are refused as by `payroll`, never silently left out.
    let pay = if cfg.personal && cfg.personal_pay {
        crate::pay::month_pay_or_refuse(site, ms)?
            .map(|p| p.into_iter().map(|p| (p.manager, p.cents)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let ctx = Ctx {
        site,
        scores: &computed.scores,
        ms,
        from,
        render,
        theme,
        font,
        months: Months::new(theme, &computed.scores),
        pay,
    };
    let mut warnings = Vec::new();
    let team = ctx.team(cfg)?;
    let personal: Vec<Bulletin> = personal_rows(site, cfg, ms)
        .par_iter()
        .map(|r| ctx.personal(r))
        .collect::<Result<_, _>>()?;
    for b in std::iter::once(&team).chain(&personal) {
        if b.html.len() > HTML_WARN_BYTES {
            warnings.push(t!(
                lang,
                "警告：{} 的 HTML 有 {} KB，超过约 100 KB 时 Gmail 会截断邮件",
                "warning: the HTML of {} is {} KB; Gmail clips messages above about 100 KB",
                b.key,
                b.html.len() / 1024
            ));
        }
    }
    Ok(MonthBulletins {
        month,
        team,
        personal,
        font: font.path.clone(),
        warnings,
    })
}

/// The rows of the managers who get a personal bulletin in a month: with `personal: true`,
/// each ranked manager who has an email, by rank.
fn personal_rows<'a>(site: &Site, cfg: &BulletinConfig, ms: &'a MonthScore) -> Vec<&'a Row> {
    if !cfg.personal {
        return Vec::new();
    }
    ms.rows
        .iter()
        .filter(|r| site.managers[r.manager].email.is_some())
        .collect()
}

/// The recipients of the team bulletin: `bulletin.to` of `site.yaml`.
fn team_recipients(site: &Site, cfg: &BulletinConfig) -> Result<Vec<Mailbox>, Error> {
    cfg.to
        .iter()
        .map(|s| parse_mailbox(s, site.config.language))
        .collect()
}

/// The recipient of a manager's personal bulletin: their name and `email` in `managers.yaml`.
fn personal_recipient(site: &Site, mgr: &Manager) -> Result<Mailbox, Error> {
    let email = mgr.email.as_deref().unwrap_or_default();
    match email.parse::<lettre::Address>() {
        Ok(a) => Ok(Mailbox::new(Some(header_text(&mgr.name)), a)),
        Err(e) => Err(Error::Refused(t!(
            site.config.language,
            "客户经理 {} 的邮箱 \"{email}\" 无效：{e}",
            "manager {}: invalid email \"{email}\": {e}",
            mgr.id
        ))),
    }
}

/// Who a message of a month goes to, from the data as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// `team` or a manager id.
    pub key: String,
    /// The `.eml` that `bulletin` writes for it, relative to the bulletins folder
    /// ([`eml_path`]).
    pub file: String,
    /// Envelope sender (bare address).
    pub from: String,
    /// Envelope recipients (bare addresses).
    pub to: Vec<String>,
}

/// The envelope of every message of `month` as the data says now (`site.yaml`'s `bulletin`
/// settings and the roster), in sending order: the team bulletin, then personal ones by rank.
/// The same rules [`make`] addresses the messages by; `send` checks the manifest against them.
pub fn envelopes(site: &Site, computed: &Computed, month: Month) -> Result<Vec<Envelope>, Error> {
    let cfg = config(site)?;
    let lang = site.config.language;
    let from = parse_mailbox(&cfg.from, lang)?.email.to_string();
    let bare = |m: Vec<Mailbox>| m.iter().map(|m| m.email.to_string()).collect::<Vec<_>>();
    let team = bare(team_recipients(site, cfg)?);
    let mut out = vec![Envelope {
        key: "team".into(),
        file: eml_path(month, "team"),
        from: from.clone(),
        // Without recipients the team message is addressed to the sender (and not sent).
        to: if team.is_empty() {
            vec![from.clone()]
        } else {
            team
        },
    }];
    if let Some(ms) = computed.scores.months.iter().find(|m| m.month == month) {
        for r in personal_rows(site, cfg, ms) {
            let mgr = &site.managers[r.manager];
            out.push(Envelope {
                key: mgr.id.clone(),
                file: eml_path(month, &mgr.id),
                from: from.clone(),
                to: bare(vec![personal_recipient(site, mgr)?]),
            });
        }
    }
    Ok(out)
}

/// Parses an address of `site.yaml` (`Name <a@b>`), with a message in the site's language.
fn parse_mailbox(s: &str, lang: Lang) -> Result<Mailbox, Error> {
    s.parse::<Mailbox>().map_err(|e| {
        Error::Refused(t!(
            lang,
            "邮箱地址 \"{s}\" 无效：{e}",
            "invalid email address \"{s}\": {e}"
        ))
    })
}

/// Options of the `bulletin` command.
#[derive(Clone, Debug)]
pub struct Options {
    /// The bulletins folder (`ROOT/bulletins` by default, see [`crate::confidential`]).
    pub dir: PathBuf,
    /// The month asked for (parsed by [`crate::month::parse`]); default the latest results
    /// month.
    pub month: Option<Month>,
}

/// Loads the opened site, makes the month's bulletins with its `theme` and writes them into
/// the bulletins folder, which must pass [`crate::confidential::check`] (it is created and
/// marked only once the bulletins are ready to be written).
pub fn run(
    project: &Project,
    opts: &Options,
    theme: &Theme,
) -> Result<(MonthBulletins, Written), Error> {
    use crate::confidential::{self, Kind};
    let root = project.root();
    let s = project
        .load_site()
        .map_err(|p| Error::data(project.lang(), &p))?;
    let lang = s.config.language;
    confidential::check(root, &opts.dir, Kind::Bulletins)
        .map_err(|e| Error::Usage(e.localize(lang)))?;
    config(&s)?;
    let month = crate::month::pick(&s, opts.month)?;
    let font = font(&s, root)?;
    let computed = compute::compute(&s, Default::default());
    let b = make(&s, &computed, month, theme, &font)?;
    let dir = confidential::claim(root, &opts.dir, Kind::Bulletins)
        .map_err(|e| Error::Usage(e.localize(lang)))?;
    let w = write(&dir, &b).map_err(|e| Error::Io(e.localize(lang)))?;
    Ok((b, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_a_header() {
        assert_eq!(header_text("张伟\r\nBcc: x@y.z"), "张伟 Bcc: x@y.z");
        assert_eq!(header_text(" a\0b\x1b[31m\u{85}c "), "a b [31m c");
        // The whole path, on names that validation may reject: no panic, no injected header.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut s = Project::open(root).load_site().expect("demo site");
        s.managers[0].name = "张伟\r\nBcc: evil@example.com".into();
        for m in &mut s.managers[1..] {
            m.email = None; // one personal bulletin is enough (charts are slow to draw)
        }
        s.config.title = "通报\nX-Injected: 1".into();
        let Ok(font) = font(&s, root) else {
            panic!("a CJK font is needed: apt-get install fonts-wqy-microhei");
        };
        let theme = Theme::load(root, "default", s.config.language).unwrap();
        let computed = compute::compute(&s, Default::default());
        let month = crate::month::pick(&s, None).unwrap();
        let b = make(&s, &computed, month, &theme, &font).expect("no panic, no error");
        let id = &s.managers[0].id;
        let mine = b.personal.iter().find(|p| &p.key == id).expect("personal");
        let eml = String::from_utf8_lossy(&mine.eml);
        let head = &eml[..eml.find("\r\n\r\n").unwrap()];
        assert!(
            !head.contains("\r\nBcc:") && !head.contains("\r\nX-Injected"),
            "{head}"
        );
        assert!(!mine.subject.contains(['\r', '\n']), "{}", mine.subject);
        let parsed = mail_parser::MessageParser::default()
            .parse(&mine.eml)
            .unwrap();
        let to = parsed.to().unwrap().first().unwrap();
        assert_eq!(to.name(), Some("张伟 Bcc: evil@example.com"));
    }

    #[test]
    fn adopted_suggestions_bonus_has_the_sites_label() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut s = Project::open(root).load_site().expect("demo site");
        for m in &mut s.managers {
            if m.id != "zheng-hua" {
                m.email = None; // one personal bulletin is enough (charts are slow to draw)
            }
        }
        let font = font(&s, root).expect("a CJK font (apt-get install fonts-wqy-microhei)");
        let theme = Theme::load(root, "default", s.config.language).unwrap();
        let computed = compute::compute(&s, Default::default());
        // The demo's zheng-hua had a suggestion adopted in 2026-07.
        let month = crate::month::pick(&s, Month::parse("2026-07")).unwrap();
        let b = make(&s, &computed, month, &theme, &font).unwrap();
        let p = b.personal.iter().find(|p| p.key == "zheng-hua").unwrap();
        let label = theme.fill(
            "bonus_suggestions",
            &[
                ("n", "1"),
                (
                    "each",
                    &crate::present::format::num(s.config.bonus_per_adopted),
                ),
            ],
        );
        assert!(label.contains("建议被采纳"), "{label}");
        assert!(p.text.contains(&label), "{}", p.text);
        assert!(p.html.contains(&label));
    }

    #[test]
    fn message_date_is_the_first_of_the_next_month() {
        let d = message_date(Month {
            year: 2026,
            month: 12,
        });
        let secs = d
            .duration_since(std::time::SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(secs, 1_798_765_200); // 2027-01-01T01:00:00Z
    }

    #[test]
    fn inliner_removes_style_blocks() {
        let html = "<html><head><style>.a{color:red}</style></head><body><p class=\"a\">x</p></body></html>";
        let out = inline_css(html).unwrap();
        assert!(!out.contains("<style"));
        assert!(out.contains("style=\"color: red"), "{out}");
    }
}
