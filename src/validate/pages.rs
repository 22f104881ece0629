//! Free pages (`pages/SLUG.md`): the slug and the front matter (`title`, `order`).
use super::check::{P, V};
use super::is_id;
use crate::diag::t;
use crate::model::*;
use crate::yaml::Value;

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
        &["title", "order"],
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
