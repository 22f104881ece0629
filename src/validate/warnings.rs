//! Warnings: data that is valid but says something its keeper most likely did not mean, found
//! on the computed months (so after [`crate::score::compute`]). `rankpress check` prints them
//! as `file:line:column: 警告：…` and still exits 0.
//!
//! - A manager who is a star (an award's winner) and on the watch list in the same month.
//! - A watch list and an award's places that together exceed a month's ranked managers, so
//!   that the same people must be both (`watch.bottom` + `awards[].top` > ranked).

use crate::diag::{t, Problem};
use crate::model::Site;
use crate::score::Scores;
use crate::yaml::{self, Seg};

/// A warning still to be located: a file (as displayed, relative to the site root), the YAML
/// path of what it is about, and the message in the site's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file, e.g. `content/site.yaml`.
    pub file: String,
    /// Path to the node the warning points at (its key).
    pub path: Vec<Seg>,
    /// What looks wrong and what to do, in the site's language.
    pub message: String,
}

/// Every warning about `site` and its computed months, in file order of the months.
pub fn warnings(site: &Site, scores: &Scores) -> Vec<Warning> {
    let lang = site.config.language;
    let bottom = site.config.watch_bottom;
    let mut out = Vec::new();
    if bottom == 0 {
        return out;
    }
    // Places that cannot fit: per award, the month with the fewest ranked managers that
    // overflows.
    for (i, award) in site.config.awards.iter().enumerate() {
        let tight = scores
            .months
            .iter()
            .filter(|m| award.top + bottom > m.rows.len())
            .min_by_key(|m| (m.rows.len(), m.month));
        if let Some(m) = tight {
            let (name, top, month, n) = (&award.name, award.top, m.month, m.rows.len());
            out.push(Warning {
                file: "content/site.yaml".into(),
                path: vec!["awards".into(), Seg::Index(i), "top".into()],
                message: t!(
                    lang,
                    "警告：后进名单 {bottom} 人（watch.bottom）加“{name}”名额 {top} 人，超过 {month} 参加排名的 {n} 人，同一个人会既是“{name}”又在后进名单上；请减少 watch.bottom 或该奖项的 top",
                    "warning: the watch list's {bottom} (watch.bottom) plus the {top} places of “{name}” exceed the {n} managers ranked in {month}, so someone must be both “{name}” and on the watch list; lower watch.bottom or the award's top"
                ),
            });
        }
    }
    // The people who are both, month by month.
    for ms in &scores.months {
        let file = &site.months[ms.index].file;
        for &m in &ms.watch {
            for a in ms.awards.iter().filter(|a| a.managers.contains(&m)) {
                let mgr = &site.managers[m];
                let (name, id, month) = (&mgr.name, &mgr.id, ms.month);
                let award = &site.config.awards[a.award].name;
                out.push(Warning {
                    file: file.clone(),
                    path: vec!["results".into(), id.as_str().into()],
                    message: t!(
                        lang,
                        "警告：{name}（{id}）在 {month} 既是“{award}”，又在后进名单上；请调整 site.yaml 中的 watch.bottom 或评星规则（awards 的 top、min）",
                        "warning: {name} ({id}) is both “{award}” and on the watch list in {month}; adjust watch.bottom or the awards' rules (top, min) in site.yaml"
                    ),
                });
            }
        }
    }
    out
}

/// Locates the warnings in their files' text (`read` gives a file's text by its displayed
/// path); a warning whose file cannot be read or whose node is not found names the file only.
pub fn locate(warnings: Vec<Warning>, read: impl Fn(&str) -> Option<String>) -> Vec<Problem> {
    warnings
        .into_iter()
        .map(|w| {
            let at = read(&w.file)
                .and_then(|text| yaml::locate_all(&text, &[(&w.path, true)]).pop().flatten());
            let (line, column) = at.unwrap_or((0, 0));
            Problem {
                file: w.file,
                line,
                column,
                message: w.message,
                frame: None,
            }
        })
        .collect()
}
