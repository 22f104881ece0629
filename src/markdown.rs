//! Markdown (month notes, free pages) to safe HTML: pulldown-cmark renders, ammonia sanitises.
//!
//! Raw HTML in the Markdown is allowed through only as far as ammonia's allow-list permits:
//! scripts, event handlers, `style` and `javascript:` links are removed. Images may only come
//! from inside the site (relative paths), so a page never loads anything from another host.

use std::borrow::Cow;

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to sanitised HTML.
pub fn to_html(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(md, opts));
    clean(&raw)
}

/// Sanitises an HTML fragment.
pub fn clean(fragment: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && is_remote(value) {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        })
        .clean(fragment)
        .to_string()
}

fn is_remote(url: &str) -> bool {
    let u = url.trim_start().to_ascii_lowercase();
    u.starts_with("//") || u.contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_sanitises() {
        let h = to_html("**粗体** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>");
        assert!(h.contains("<strong>粗体</strong>"));
        assert!(!h.contains("<script"));
        assert!(!h.contains("javascript:"));
        assert!(!h.contains("onerror"));
        let img = to_html("![a](https://evil.example/x.png) ![b](pic.png)");
        assert!(!img.contains("evil.example"));
        assert!(img.contains("pic.png"));
    }
}
