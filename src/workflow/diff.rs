//! `rankpress diff REV [REV2]`: compares the computed rankings of two revisions of the data
//! (or a revision and the working tree), month by month: whose rank or total changed, and by
//! how much. This is how a correction is reviewed before it is published.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::compute::{self, Computed};
use crate::diag::{t, Lang, Localize};
use crate::error::{Error, Outcome, Problems};
use crate::history::{self, Source};
use crate::model::Site;
use crate::site;

/// One manager's place in a month: name, rank, total.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    name: String,
    rank: u32,
    total: f64,
}

/// Month → manager id → place.
type Table = BTreeMap<String, BTreeMap<String, Place>>;

fn table(site: &Site, c: &Computed) -> Table {
    c.scores
        .months
        .iter()
        .map(|m| {
            let rows = m
                .rows
                .iter()
                .map(|r| {
                    let mg = &site.managers[r.manager];
                    (
                        mg.id.clone(),
                        Place {
                            name: mg.name.clone(),
                            rank: r.rank,
                            total: r.total,
                        },
                    )
                })
                .collect();
            (m.month.to_string(), rows)
        })
        .collect()
}

/// A signed difference with two decimals: `+1.60`, `-0.25`.
fn signed(x: f64) -> String {
    let x = (x * 100.0).round() / 100.0;
    if x > 0.0 {
        format!("+{x:.2}")
    } else if x < 0.0 {
        format!("{x:.2}")
    } else {
        "0.00".into()
    }
}

/// Left-aligned text columns, right-aligned numbers, two spaces between columns, each line
/// indented by two spaces.
fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let cells: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let mut out = String::new();
    for line in crate::text::aligned_lines(&cells, right) {
        out.push_str("  ");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The report comparing `a` (older) with `b` (newer): one block per month that changed.
fn report(lang: Lang, a: &Table, b: &Table, la: &str, lb: &str) -> (String, usize) {
    let months: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = String::new();
    let mut changed = 0;
    let none = BTreeMap::new();
    for m in months {
        let (ma, mb) = (a.get(m), b.get(m));
        match (ma, mb) {
            (Some(_), None) => {
                changed += 1;
                out.push_str(&t!(
                    lang,
                    "{}：只在 {} 中有成绩（{} 中没有这个月）\n\n",
                    "{}: results only in {} (no such month in {})\n\n",
                    m,
                    la,
                    lb
                ));
                continue;
            }
            (None, Some(rows)) => {
                changed += 1;
                out.push_str(&t!(
                    lang,
                    "{}：新增的月份（{} 中没有），{} 人参加排名\n\n",
                    "{}: new month (not in {}), {} managers ranked\n\n",
                    m,
                    la,
                    rows.len()
                ));
                continue;
            }
            _ => {}
        }
        let (ra, rb) = (ma.unwrap_or(&none), mb.unwrap_or(&none));
        let ids: BTreeSet<&String> = ra.keys().chain(rb.keys()).collect();
        let mut lines: Vec<(u32, String, Vec<String>)> = Vec::new();
        for id in ids {
            let (pa, pb) = (ra.get(id), rb.get(id));
            if pa == pb {
                continue;
            }
            let name = pb.or(pa).map(|p| p.name.clone()).unwrap_or_default();
            let show_rank = |p: Option<&Place>| p.map_or("—".to_string(), |p| p.rank.to_string());
            let show_total =
                |p: Option<&Place>| p.map_or("—".to_string(), |p| format!("{:.2}", p.total));
            let rank_delta = match (pa, pb) {
                (Some(x), Some(y)) if x.rank != y.rank => {
                    let d = x.rank as i64 - y.rank as i64;
                    if d > 0 {
                        t!(lang, "升 {}", "up {}", d)
                    } else {
                        t!(lang, "降 {}", "down {}", -d)
                    }
                }
                (Some(_), Some(_)) => String::new(),
                (None, Some(_)) => t!(lang, "新列入", "added"),
                (Some(_), None) => t!(lang, "已移除", "removed"),
                (None, None) => String::new(),
            };
            let total_delta = match (pa, pb) {
                (Some(x), Some(y)) if x.total != y.total => signed(y.total - x.total),
                _ => String::new(),
            };
            lines.push((
                pb.or(pa).map_or(u32::MAX, |p| p.rank),
                id.clone(),
                vec![
                    name,
                    id.clone(),
                    // Padded below, so that the arrows line up.
                    show_rank(pa),
                    show_rank(pb),
                    rank_delta,
                    format!("{} → {}", show_total(pa), show_total(pb)),
                    total_delta,
                ],
            ));
        }
        if lines.is_empty() {
            continue;
        }
        changed += 1;
        lines.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
        out.push_str(&t!(
            lang,
            "{}（{} 人有变化）\n",
            "{} ({} managers changed)\n",
            m,
            lines.len()
        ));
        let mut rows = vec![match lang {
            Lang::Zh => ["姓名", "编号", "名次", "名次变化", "总分", "总分变化"],
            Lang::En => ["name", "id", "rank", "rank change", "total", "total change"],
        }
        .map(String::from)
        .to_vec()];
        // The rank cells `from → to`, each side as wide as its widest in the month, so that the
        // arrows line up (ranks 2 and 11 in one month).
        let widest = |i: usize| {
            lines
                .iter()
                .map(|l| crate::text::width(&l.2[i]))
                .max()
                .unwrap_or(0)
        };
        let (from_w, to_w) = (widest(2), widest(3));
        rows.extend(lines.into_iter().map(|l| {
            let mut cells = l.2;
            let to = cells.remove(3);
            let from = &cells[2];
            cells[2] = format!(
                "{}{from} → {to}{}",
                " ".repeat(from_w - crate::text::width(from)),
                " ".repeat(to_w - crate::text::width(&to))
            );
            cells
        }));
        out.push_str(&aligned(&rows, &[false, false, true, false, true, true]));
        out.push('\n');
    }
    (out, changed)
}

fn load(dir: &Path, what: &str, lang: Lang) -> Result<(Site, Computed), Error> {
    let mut t = site::Timings::default();
    match site::load_site(dir, &mut t) {
        Ok(s) => {
            let c = compute::compute(&s, Default::default());
            Ok((s, c))
        }
        Err(problems) => Err(Error::Data(Problems {
            head: Some(t!(
                lang,
                "{} 的数据有问题：",
                "the data of {} has problems:",
                what
            )),
            lines: problems.iter().map(ToString::to_string).collect(),
            closing: None,
        })),
    }
}

/// `rankpress diff REV [REV2]`: prints the changes and exits 0 (1 when a side's data does
/// not load, 2 when a revision cannot be read).
pub fn run(root: &Path, rev: &str, rev2: Option<&str>) -> Result<Outcome, Error> {
    let lang = site::detect_language(root);
    let extract = |r: &str| {
        history::extract(root, Source::Rev(r)).map_err(|e| {
            Error::Usage(t!(
                lang,
                "无法读取修订 {}：{}",
                "cannot read revision {}: {}",
                r,
                e.localize(lang)
            ))
        })
    };
    let a = extract(rev)?;
    let b = rev2.map(extract).transpose()?;
    let lb = rev2
        .map(str::to_string)
        .unwrap_or_else(|| t!(lang, "工作区", "the working tree"));
    let b_root = b.as_ref().map_or(root, |x| x.root.as_path());
    let (sa, ca) = load(&a.root, rev, lang)?;
    let (sb, cb) = load(b_root, &lb, lang)?;
    let (text, changed) = report(lang, &table(&sa, &ca), &table(&sb, &cb), rev, &lb);
    println!(
        "{}",
        t!(
            lang,
            "比较 {} 与 {} 的排名：",
            "rankings of {} compared with {}:",
            rev,
            lb
        )
    );
    println!();
    print!("{text}");
    if changed == 0 {
        println!(
            "{}",
            t!(
                lang,
                "排名和总分没有任何变化。",
                "no rank or total changed."
            )
        );
    } else {
        println!(
            "{}",
            t!(lang, "共 {} 个月有变化。", "{} month(s) changed.", changed)
        );
    }
    Ok(Outcome::Done)
}
