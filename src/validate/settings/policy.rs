//! Contract version 2 in `site.yaml` (奖优罚劣): the rating levels (`ratings`, with quotas in
//! (0, 100] and coefficients as exact decimals), `pay` (method, base, pool in cents),
//! `watch.escalate_after`, `annual.promotion_months` / `demotion_months` and the `grades` ladder.
use std::collections::HashSet;

use super::{decimal, Block, Choice};
use crate::decimal::Decimal;
use crate::diag::t;
use crate::model::{Pay, PayMethod, Policy, Rating};
use crate::validate::check::{Range, V};
use crate::yaml::Value;

/// `ratings`, `pay` and `grades` of the root `site`, `escalate_after` of its block `watch` and
/// the month counts of its block `annual` (contract §10).
pub(super) fn policy(c: &mut V, site: &Block, watch: &Block, annual: &Block) -> Policy {
    let has_ratings = site.peek("ratings").is_some();
    // `ratings` is read before `pay` is opened: the keys are listed in the order read.
    let ratings = ratings(c, site);
    let pay = site.block("pay");
    let policy = Policy {
        ratings,
        pay: self::pay(c, &pay, has_ratings),
        escalate_after: watch.int(c, "escalate_after", 0).unwrap_or(0) as usize,
        promotion_months: months(c, annual, "promotion_months", has_ratings),
        demotion_months: months(c, annual, "demotion_months", has_ratings),
        grades: grades(c, site),
    };
    pay.finish(c);
    policy
}

/// `ratings`: at least two levels, ids unique, the last without a quota or minimum.
fn ratings(c: &mut V, site: &Block) -> Vec<Rating> {
    let lang = c.lang;
    let levels = site.list(c, "ratings");
    let rp = site.at("ratings");
    if matches!(site.peek("ratings"), Some(Value::Sequence(_))) && levels.len() < 2 {
        c.err(
            rp,
            t!(
                lang,
                "至少需要两个考核等次（最后一个等次接收其余所有人），实际只有 {} 个",
                "at least two rating levels are needed (the last one takes everyone left), found {}",
                levels.len()
            ),
        );
    }
    let mut ratings = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in levels.iter().enumerate() {
        let l = Block::item(
            rp.i(i),
            item,
            site.text,
            &t!(lang, "考核等次", "a rating level"),
        );
        if l.map().is_none() {
            l.finish(c);
            continue;
        }
        let last = i + 1 == levels.len() && levels.len() >= 2;
        let id = l.id(c, "id", &t!(lang, "考核等次编号", "rating level id"));
        let name = l.required_text(c, "name");
        let quota = l.decimal(c, "quota").flatten();
        if let Some(q) = quota {
            let hundred = Decimal::int(100).at_scale(q.scale);
            if q.units <= 0 || hundred.is_some_and(|h| q.units > h) {
                c.err(
                    l.at("quota"),
                    t!(
                        lang,
                        "\"quota\" 的值 {} 超出范围，应为大于 0 且不大于 100 的百分数",
                        "\"quota\" is {}, out of range: expected a percent above 0 and at most 100",
                        q
                    ),
                );
            }
        }
        let min = l.num(c, "min", Range::Any);
        let coefficient = l.decimal(c, "coefficient").unwrap_or(Some(Decimal::int(1)));
        if let Some(k) = coefficient.filter(|k| k.units < 0) {
            c.err(
                l.at("coefficient"),
                t!(
                    lang,
                    "\"coefficient\" 的值 {} 超出范围，应为不小于 0 的数字",
                    "\"coefficient\" is {}, out of range: expected a number >= 0",
                    k
                ),
            );
        }
        for key in ["quota", "min"] {
            if last && l.has(key) {
                c.err_key(
                    l.at(key),
                    t!(
                        lang,
                        "最后一个考核等次不能设 \"{}\"：它接收其余所有人，使每个参与排名的客户经理恰好得到一个等次",
                        "the last rating level cannot have \"{}\": it takes everyone left, so that every ranked manager gets exactly one level",
                        key
                    ),
                );
            }
        }
        if let Some(id) = &id {
            if !seen.insert(id.clone()) {
                c.err(
                    l.at("id"),
                    t!(
                        lang,
                        "考核等次编号 \"{}\" 重复",
                        "duplicate rating level id \"{}\"",
                        id
                    ),
                );
            }
        }
        if let (Some(id), Some(name), Some(coefficient)) = (id, name, coefficient) {
            ratings.push(Rating {
                id,
                name,
                quota,
                min,
                coefficient,
            });
        }
        l.finish(c);
    }
    ratings
}

/// `pay` (the block `b`): its method and the amount that method uses; `None` unless complete.
fn pay(c: &mut V, b: &Block, has_ratings: bool) -> Option<Pay> {
    let lang = c.lang;
    b.map()?;
    let words = [("rating", PayMethod::Rating), ("pool", PayMethod::Pool)];
    let method = match b.choice(c, "method", &words, |c, v| {
        t!(
            c.lang,
            "\"method\" 应为 rating（基数 × 等次系数）或 pool（按奖金池分配），实际是 {}",
            "\"method\" must be rating (base × the level's coefficient) or pool (a shared pool), found {}",
            c.describe(v)
        )
    }) {
        Choice::Is(method) => Some(method),
        Choice::Absent => {
            c.missing(b.path(), "method", "rating / pool");
            None
        }
        Choice::Wrong => None,
    };
    if method == Some(PayMethod::Rating) && !has_ratings {
        c.err(
            b.at("method"),
            t!(
                lang,
                "method: rating 需要在 site.yaml 中设置 ratings（考核等次及其系数）",
                "method rating needs ratings (the rating levels and their coefficients) in site.yaml"
            ),
        );
    }
    let base_cents = amount(c, b, "base", PayMethod::Rating, method);
    let pool_cents = amount(c, b, "pool", PayMethod::Pool, method);
    let method = method?;
    let complete = match method {
        PayMethod::Rating => base_cents.is_some(),
        PayMethod::Pool => pool_cents.is_some(),
    };
    complete.then_some(Pay {
        method,
        base_cents,
        pool_cents,
    })
}

/// The amount `key` of `pay` in cents, which only `for_method` uses (required with it).
fn amount(
    c: &mut V,
    b: &Block,
    key: &'static str,
    for_method: PayMethod,
    method: Option<PayMethod>,
) -> Option<i128> {
    let lang = c.lang;
    match (b.value(key), method) {
        (None, Some(mt)) if mt == for_method => {
            let expected = t!(
                lang,
                "不小于 0、最多两位小数的金额（元），例如 60000 或 1234.56",
                "an amount >= 0 with at most two decimals (元), e.g. 60000 or 1234.56"
            );
            c.missing(b.path(), key, &expected);
            None
        }
        (None, _) => None,
        (Some(_), Some(mt)) if mt != for_method => {
            c.err_key(
                b.at(key),
                t!(
                    lang,
                    "\"{}\" 只用于 method: {}；method: {} 用 \"{}\"",
                    "\"{}\" belongs to method {}; method {} uses \"{}\"",
                    key,
                    for_method.key(),
                    mt.key(),
                    if key == "base" { "pool" } else { "base" }
                ),
            );
            None
        }
        (Some(v), _) => {
            let d = decimal(c, b.at(key), v, key, b.text)?;
            match d.cents() {
                Some(cents) if cents >= 0 => Some(cents),
                _ => {
                    c.err(
                        b.at(key),
                        t!(
                            lang,
                            "\"{}\" 的值 {} 应为不小于 0、最多两位小数的金额（元），例如 60000 或 1234.56",
                            "\"{}\" is {}: expected an amount >= 0 with at most two decimals (元), e.g. 60000 or 1234.56",
                            key,
                            d
                        ),
                    );
                    None
                }
            }
        }
    }
}

/// A month count of `annual` (0: off), which needs `ratings`: candidates are counted by
/// months in the first (promotion) or last (demotion) level.
fn months(c: &mut V, annual: &Block, key: &'static str, has_ratings: bool) -> usize {
    let lang = c.lang;
    let n = annual.int(c, key, 0).unwrap_or(0) as usize;
    if n > 0 && !has_ratings {
        c.err(
            annual.at(key),
            t!(
                lang,
                "\"{}\" 需要在 site.yaml 中设置 ratings（考核等次）：候选人按{}等次的月数确定",
                "\"{}\" needs ratings (the rating levels) in site.yaml: candidates are counted by months in the {} level",
                key,
                if key == "promotion_months" {
                    t!(lang, "第一个", "first")
                } else {
                    t!(lang, "最后一个", "last")
                }
            ),
        );
    }
    n
}

/// `grades`: the ladder, lowest first, each grade non-empty text and listed once.
fn grades(c: &mut V, site: &Block) -> Vec<String> {
    let lang = c.lang;
    let mut grades: Vec<String> = Vec::new();
    let gp = site.at("grades");
    if matches!(site.peek("grades"), Some(Value::Sequence(g)) if g.is_empty()) {
        c.err(
            gp,
            t!(
                lang,
                "grades 职级序列为空：应列出至少一个职级（由低到高），或删去 grades",
                "grades is an empty ladder: list at least one grade (lowest first), or leave grades out"
            ),
        );
    }
    for (i, g) in site.list(c, "grades").iter().enumerate() {
        let s = match g {
            Value::String(s) if !s.trim().is_empty() => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                let d = c.describe(other);
                c.err(
                    gp.i(i),
                    t!(
                        lang,
                        "职级应为非空文本（例如 三级客户经理），实际是 {}",
                        "a grade must be non-empty text (e.g. Grade 3), found {}",
                        d
                    ),
                );
                continue;
            }
        };
        if grades.contains(&s) {
            c.err(
                gp.i(i),
                t!(
                    lang,
                    "职级 \"{}\" 在 grades 中重复",
                    "grade \"{}\" appears twice in grades",
                    s
                ),
            );
            continue;
        }
        grades.push(s);
    }
    grades
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{check, expect};
    use super::*;
    use crate::diag::Lang;
    use crate::validate::check::P;

    /// Checks the v2 keys of a `site.yaml` made of `yaml` (the file's text is given, as in a
    /// build, so that decimals are read as written).
    fn run(lang: Lang, yaml: &str) -> (Policy, Vec<(String, String)>) {
        check(lang, yaml, |c, v| {
            let site = Block::new(P::ROOT, Some(v), Some(yaml), "site.yaml");
            let (watch, annual) = (site.block("watch"), site.block("annual"));
            let policy = policy(c, &site, &watch, &annual);
            watch.finish(c);
            annual.finish(c);
            site.finish(c);
            policy
        })
    }

    #[test]
    fn quotas_must_be_in_0_to_100() {
        let yaml = "ratings:\n  - {id: a, name: A, quota: 0}\n  - {id: b, name: B, quota: 100.5}\n  - {id: c, name: C, quota: 12.5, coefficient: 1.25}\n  - {id: d, name: D, quota: 100}\n  - {id: e, name: E}\n";
        let (pol, p) = run(Lang::En, yaml);
        assert_eq!(
            p,
            expect(&[
                (
                    "ratings[0].quota",
                    "\"quota\" is 0, out of range: expected a percent above 0 and at most 100"
                ),
                (
                    "ratings[1].quota",
                    "\"quota\" is 100.5, out of range: expected a percent above 0 and at most 100"
                ),
            ])
        );
        assert_eq!(pol.ratings.len(), 5);
        assert_eq!(pol.ratings[2].quota.unwrap().to_string(), "12.5");
        assert_eq!(pol.ratings[2].coefficient.to_string(), "1.25");
        let (_, p) = run(
            Lang::Zh,
            "ratings:\n  - {id: a, name: A, quota: -3}\n  - {id: b, name: B}\n",
        );
        assert_eq!(
            p,
            expect(&[(
                "ratings[0].quota",
                "\"quota\" 的值 -3 超出范围，应为大于 0 且不大于 100 的百分数"
            )])
        );
    }

    #[test]
    fn levels_pay_and_grades() {
        let yaml = "ratings:\n  - {id: a, name: A, quota: 20, coefficient: -1}\n  - {id: a, name: B, min: 60}\npay: {method: pool, base: 100}\nannual: {promotion_months: 2}\ngrades: [G1, G2, G1]\n";
        let (pol, p) = run(Lang::En, yaml);
        assert_eq!(
            p,
            expect(&[
                ("ratings[0].coefficient", "\"coefficient\" is -1, out of range: expected a number >= 0"),
                ("ratings[1].min (key)", "the last rating level cannot have \"min\": it takes everyone left, so that every ranked manager gets exactly one level"),
                ("ratings[1].id", "duplicate rating level id \"a\""),
                ("pay.base (key)", "\"base\" belongs to method rating; method pool uses \"pool\""),
                ("pay.pool", "missing required key \"pool\" (expected an amount >= 0 with at most two decimals (元), e.g. 60000 or 1234.56)"),
                ("grades[2]", "grade \"G1\" appears twice in grades"),
            ])
        );
        assert_eq!(pol.promotion_months, 2);
        assert_eq!(pol.grades, ["G1", "G2"]);
        assert!(pol.pay.is_none());
        let (_, p) = run(
            Lang::En,
            "ratings: [{id: a, name: A}]\npay: {method: rating, base: 10.005}\n",
        );
        assert_eq!(
            p,
            expect(&[
                ("ratings", "at least two rating levels are needed (the last one takes everyone left), found 1"),
                ("pay.base", "\"base\" is 10.005: expected an amount >= 0 with at most two decimals (元), e.g. 60000 or 1234.56"),
            ])
        );
        let (_, p) = run(
            Lang::En,
            "pay: {method: rating, base: 1}\nannual: {demotion_months: 1}\n",
        );
        assert_eq!(
            p,
            expect(&[
                ("pay.method", "method rating needs ratings (the rating levels and their coefficients) in site.yaml"),
                ("annual.demotion_months", "\"demotion_months\" needs ratings (the rating levels) in site.yaml: candidates are counted by months in the last level"),
            ])
        );
    }
}
