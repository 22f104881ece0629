//! Contract version 2 in `site.yaml` (奖优罚劣): the rating levels (`ratings`, with quotas in
//! (0, 100] and coefficients as exact decimals), `pay` (method, base, pool in cents),
//! `watch.escalate_after`, `annual.promotion_months` / `demotion_months` and the `grades` ladder.
use std::collections::HashSet;

use super::check::{Range, P, V};
use crate::decimal::Decimal;
use crate::diag::t;
use crate::model::*;
use crate::yaml::Value;

/// An exact decimal: the number at `p` as written in the file (`text`), e.g. `60000.50`.
pub(super) fn decimal(
    c: &mut V,
    p: P,
    v: &Value,
    key: &str,
    text: Option<&str>,
) -> Option<Decimal> {
    let x = c.number_value(p, v, key)?;
    let written = text.and_then(|t| crate::yaml::scalar_text(t, &p.to_vec()));
    let d = match &written {
        Some(w) => Decimal::parse(w),
        None => Decimal::from_f64(x),
    };
    if d.is_none() {
        let w = written.unwrap_or_default();
        c.err(
            p,
            t!(
                c.lang,
                "\"{}\" 的值 {} 应写成普通的十进制数（例如 60000 或 1234.56，最多 {} 位小数）",
                "\"{}\" is {}: write it as a plain decimal number (e.g. 60000 or 1234.56, at most {} decimals)",
                key,
                w,
                crate::decimal::MAX_SCALE
            ),
        );
    }
    d
}

/// `ratings`, `pay`, `watch.escalate_after`, `annual.promotion_months` /
/// `demotion_months` and `grades` (contract §10).
pub(super) fn policy(
    c: &mut V,
    m: &yaml_serde::Mapping,
    watch: Option<&yaml_serde::Mapping>,
    annual: Option<&yaml_serde::Mapping>,
    text: Option<&str>,
) -> Policy {
    let lang = c.lang;
    let root = P::ROOT;
    let has_ratings = m.get("ratings").is_some_and(|v| !v.is_null());
    let rp = root.k("ratings");
    let levels = c.seq(root, m, "ratings", false);
    if has_ratings && matches!(m.get("ratings"), Some(Value::Sequence(_))) && levels.len() < 2 {
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
        let p = rp.i(i);
        let last = i + 1 == levels.len() && levels.len() >= 2;
        let Some(lm) = c.map(
            p,
            item,
            &["id", "name", "quota", "min", "coefficient"],
            &t!(lang, "考核等次", "a rating level"),
        ) else {
            continue;
        };
        let id = c.id(p, lm, "id", &t!(lang, "考核等次编号", "rating level id"));
        let name = c.text(p, lm, "name", true);
        let quota = match lm.get("quota") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let q = decimal(c, p.k("quota"), v, "quota", text);
                if let Some(q) = q {
                    let hundred = Decimal::int(100).at_scale(q.scale);
                    if q.units <= 0 || hundred.is_some_and(|h| q.units > h) {
                        c.err(
                            p.k("quota"),
                            t!(
                                lang,
                                "\"quota\" 的值 {} 超出范围，应为大于 0 且不大于 100 的百分数",
                                "\"quota\" is {}, out of range: expected a percent above 0 and at most 100",
                                q
                            ),
                        );
                    }
                }
                q
            }
        };
        let min = c.num(p, lm, "min", false, Range::Any);
        let coefficient = match lm.get("coefficient") {
            None | Some(Value::Null) => Some(Decimal::int(1)),
            Some(v) => {
                let k = decimal(c, p.k("coefficient"), v, "coefficient", text);
                if k.is_some_and(|k| k.units < 0) {
                    c.err(
                        p.k("coefficient"),
                        t!(
                            lang,
                            "\"coefficient\" 的值 {} 超出范围，应为不小于 0 的数字",
                            "\"coefficient\" is {}, out of range: expected a number >= 0",
                            k.unwrap()
                        ),
                    );
                }
                k
            }
        };
        if last {
            for key in ["quota", "min"] {
                if lm.get(key).is_some_and(|v| !v.is_null()) {
                    c.err_key(
                        p.k(key),
                        t!(
                            lang,
                            "最后一个考核等次不能设 \"{}\"：它接收其余所有人，使每个参与排名的客户经理恰好得到一个等次",
                            "the last rating level cannot have \"{}\": it takes everyone left, so that every ranked manager gets exactly one level",
                            key
                        ),
                    );
                }
            }
        }
        if let Some(id) = &id {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
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
    }

    let pay = m.get("pay").filter(|v| !v.is_null()).and_then(|v| {
        let pp = root.k("pay");
        let pm = c.map(pp, v, &["method", "base", "pool"], "pay")?;
        let method = match pm.get("method") {
            None | Some(Value::Null) => {
                c.missing(pp, "method", "rating / pool");
                None
            }
            Some(Value::String(s)) if s == "rating" => Some(PayMethod::Rating),
            Some(Value::String(s)) if s == "pool" => Some(PayMethod::Pool),
            Some(other) => {
                let d = c.describe(other);
                c.err(
                    pp.k("method"),
                    t!(
                        lang,
                        "\"method\" 应为 rating（基数 × 等次系数）或 pool（按奖金池分配），实际是 {}",
                        "\"method\" must be rating (base × the level's coefficient) or pool (a shared pool), found {}",
                        d
                    ),
                );
                None
            }
        };
        if method == Some(PayMethod::Rating) && !has_ratings {
            c.err(
                pp.k("method"),
                t!(
                    lang,
                    "method: rating 需要在 site.yaml 中设置 ratings（考核等次及其系数）",
                    "method rating needs ratings (the rating levels and their coefficients) in site.yaml"
                ),
            );
        }
        let amount = |c: &mut V, key: &str, for_method: PayMethod| -> Option<i128> {
            let v = pm.get(key).filter(|v| !v.is_null());
            match (v, method) {
                (None, Some(mt)) if mt == for_method => {
                    c.missing(
                        pp,
                        key,
                        &t!(
                            lang,
                            "不小于 0、最多两位小数的金额（元），例如 60000 或 1234.56",
                            "an amount >= 0 with at most two decimals (元), e.g. 60000 or 1234.56"
                        ),
                    );
                    None
                }
                (None, _) => None,
                (Some(_), Some(mt)) if mt != for_method => {
                    c.err_key(
                        pp.k(key),
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
                    let d = decimal(c, pp.k(key), v, key, text)?;
                    match d.cents() {
                        Some(cents) if cents >= 0 => Some(cents),
                        _ => {
                            c.err(
                                pp.k(key),
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
        };
        let base_cents = amount(c, "base", PayMethod::Rating);
        let pool_cents = amount(c, "pool", PayMethod::Pool);
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
    });

    let escalate_after = watch
        .and_then(|w| c.int(root.k("watch"), w, "escalate_after", 0))
        .unwrap_or(0) as usize;
    let ap = root.k("annual");
    let months = |c: &mut V, key: &str| -> usize {
        let n = annual.and_then(|a| c.int(ap, a, key, 0)).unwrap_or(0) as usize;
        if n > 0 && !has_ratings {
            c.err(
                ap.k(key),
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
    };
    let promotion_months = months(c, "promotion_months");
    let demotion_months = months(c, "demotion_months");

    let mut grades: Vec<String> = Vec::new();
    let gp = root.k("grades");
    if matches!(m.get("grades"), Some(Value::Sequence(g)) if g.is_empty()) {
        c.err(
            gp,
            t!(
                lang,
                "grades 职级序列为空：应列出至少一个职级（由低到高），或删去 grades",
                "grades is an empty ladder: list at least one grade (lowest first), or leave grades out"
            ),
        );
    }
    for (i, g) in c.seq(root, m, "grades", false).iter().enumerate() {
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
    Policy {
        ratings,
        pay,
        escalate_after,
        promotion_months,
        demotion_months,
        grades,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect};
    use super::*;
    use crate::diag::Lang;

    /// Checks the v2 keys of a `site.yaml` made of `yaml` (the file's text is given, as in a
    /// build, so that decimals are read as written).
    fn run(lang: Lang, yaml: &str) -> (Policy, Vec<(String, String)>) {
        check(lang, yaml, |c, v| {
            let m = v.as_mapping().unwrap();
            let get = |k: &str| m.get(k).and_then(Value::as_mapping).cloned();
            policy(
                c,
                m,
                get("watch").as_ref(),
                get("annual").as_ref(),
                Some(yaml),
            )
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
