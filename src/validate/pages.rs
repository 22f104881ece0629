//! Free pages (`pages/SLUG.md`): the slug and the front matter (`title`, `order`).
use super::check::{P, V};
use super::is_id;
use super::rules::keys;
use crate::diag::{t, Lang, Problems};
use crate::load::{Doc, Role};
use crate::model::*;
use crate::yaml::Value;

/// The free pages, sorted by `order` then slug.
pub(super) fn pages<'a>(
    lang: Lang,
    docs: impl Iterator<Item = &'a Doc>,
    probs: &mut Problems,
) -> Vec<Page> {
    let mut pages = Vec::new();
    for d in docs {
        let Role::Page(slug) = &d.role else {
            unreachable!()
        };
        let Some(v) = d.value.as_ref() else { continue };
        if let Some(p) = page(&mut V::new(lang, d.source, probs), v, slug, &d.body) {
            pages.push(p);
        }
    }
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    pages
}

pub(super) fn page(c: &mut V, v: &Value, slug: &str, body: &str) -> Option<Page> {
    let lang = c.lang;
    let root = P::ROOT;
    if !is_id(slug) {
        c.err(
            root,
            t!(
                lang,
                "页面文件名 \"{}.md\" 不合法：只能使用小写字母、数字、- 和 _",
                "page file name \"{}.md\" is not valid: use lowercase letters, digits, - and _",
                slug
            ),
        );
        return None;
    }
    let m = c.map(
        root,
        v,
        &keys::PAGE,
        &t!(lang, "页面头信息", "front matter"),
    )?;
    let title = c.text(root, m, "title", true)?;
    let order = match m.get("order") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        Some(other) => {
            let d = c.describe(other);
            c.err(
                root.k("order"),
                t!(
                    lang,
                    "\"order\" 应为整数，实际是 {}",
                    "\"order\" must be a whole number, found {}",
                    d
                ),
            );
            0
        }
    };
    Some(Page {
        slug: slug.to_string(),
        title,
        order,
        body: body.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect};
    use super::*;

    #[test]
    fn slug_and_front_matter() {
        let (p, probs) = check(Lang::En, "title: About\norder: 2\n", |c, v| {
            page(c, v, "about", "# Hi\n")
        });
        assert_eq!(probs, []);
        let p = p.unwrap();
        assert_eq!(
            (p.slug.as_str(), p.title.as_str(), p.order, p.body.as_str()),
            ("about", "About", 2, "# Hi\n")
        );
        let (p, probs) = check(Lang::En, "title: About\n", |c, v| {
            page(c, v, "About Us", "")
        });
        assert!(p.is_none());
        assert_eq!(probs, expect(&[("", "page file name \"About Us.md\" is not valid: use lowercase letters, digits, - and _")]));
        let (_, probs) = check(Lang::En, "titel: About\norder: first\n", |c, v| {
            page(c, v, "a", "")
        });
        assert_eq!(
            probs,
            expect(&[
                (
                    "titel (key)",
                    "unknown key \"titel\" (did you mean \"title\"?); allowed here: title, order"
                ),
                ("title", "missing required key \"title\" (expected text)"),
            ])
        );
    }
}
