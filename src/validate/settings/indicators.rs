//! `indicators` and `awards` of `site.yaml`. The keys of an indicator depend on its scoring
//! method: [`METHODS`] has one row per method (its number keys, each with its range and
//! default, and how they make the [`Method`]); the allowed keys and the messages follow from it.
use std::collections::HashSet;

use super::Block;
use crate::diag::t;
use crate::model::{Award, AwardBasis, Indicator, Method};
use crate::validate::check::{shown, suggest, Range, P, V};
use crate::validate::results::ENTRY_KEYS;
use crate::yaml::Value;

/// A number key of a scoring method: its range, and whether it is required or its default.
#[derive(Clone, Copy)]
enum Num {
    /// Required.
    Required(Range),
    /// Optional, with this default (also taken when the value is wrong, after reporting it).
    Or(Range, f64),
    /// Optional, without a default.
    Optional(Range),
}

/// How the keys of a method make it: from the values of its keys (in the order of its keys;
/// `None`: missing or wrong, already reported), the weight and the method, or `None` when a
/// required one is missing. May report a rule between keys at the indicator `P`.
type Make = fn(&mut V, P, &[Option<f64>]) -> Option<(f64, Method)>;

/// One scoring method as written in `site.yaml`.
struct MethodKeys {
    /// The `method:` word.
    name: &'static str,
    /// Its keys beside id, name, group and method, in the order messages list them.
    keys: &'static [(&'static str, Num)],
    /// The weight and the method from the keys' values.
    make: Make,
}

const POSITIVE: Range = Range::Above(0.0);
const NON_NEGATIVE: Range = Range::AtLeast(0.0);

/// The scoring methods, in the order messages list them.
const METHODS: &[MethodKeys] = &[
    MethodKeys {
        name: "ratio",
        keys: &[
            ("weight", Num::Required(POSITIVE)),
            ("cap", Num::Or(POSITIVE, 1.0)),
            ("floor", Num::Or(NON_NEGATIVE, 0.0)),
        ],
        make: |_, _, x| {
            let (cap, floor) = (x[1]?, x[2]?);
            Some((x[0]?, Method::Ratio { cap, floor }))
        },
    },
    MethodKeys {
        name: "percent",
        keys: &[("weight", Num::Required(POSITIVE))],
        make: |_, _, x| Some((x[0]?, Method::Percent)),
    },
    MethodKeys {
        name: "linear",
        keys: &[
            ("weight", Num::Required(POSITIVE)),
            ("target", Num::Required(Range::Any)),
            ("per_unit_below", Num::Or(NON_NEGATIVE, 0.0)),
            ("per_unit_above", Num::Or(NON_NEGATIVE, 0.0)),
            ("min", Num::Or(Range::Any, 0.0)),
            ("max", Num::Optional(Range::Any)),
        ],
        make: linear,
    },
    MethodKeys {
        name: "deduct",
        keys: &[
            ("per_unit", Num::Required(POSITIVE)),
            ("limit", Num::Optional(POSITIVE)),
        ],
        make: |_, _, x| {
            let limit = x[1];
            Some((
                0.0,
                Method::Deduct {
                    per_unit: x[0]?,
                    limit,
                },
            ))
        },
    },
    MethodKeys {
        name: "training",
        keys: &[("weight", Num::Required(POSITIVE))],
        make: |_, _, x| Some((x[0]?, Method::Training)),
    },
];

/// `linear`: `max` defaults to the weight, and `min` must not exceed it.
fn linear(c: &mut V, p: P, x: &[Option<f64>]) -> Option<(f64, Method)> {
    let (w, target) = (x[0]?, x[1]?);
    let (per_unit_below, per_unit_above, min) = (x[2]?, x[3]?, x[4]?);
    let max = x[5].unwrap_or(w);
    if min > max {
        c.err(
            p.k("min"),
            t!(
                c.lang,
                "min ({}) 不能大于 max ({})",
                "min ({}) must not exceed max ({})",
                min,
                max
            ),
        );
    }
    Some((
        w,
        Method::Linear {
            target,
            per_unit_below,
            per_unit_above,
            min,
            max,
        },
    ))
}

/// The keys every indicator has, whatever its method.
const COMMON_KEYS: [&str; 4] = ["id", "name", "group", "method"];

/// The keys of every method, each once, in the order of [`METHODS`].
fn method_keys() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for k in METHODS.iter().flat_map(|m| m.keys.iter().map(|(k, _)| *k)) {
        if !all.contains(&k) {
            all.push(k);
        }
    }
    all
}

/// `indicators` of the root `site`: at least one, ids valid, unique and not an entry key.
pub(super) fn indicators(c: &mut V, site: &Block) -> Vec<Indicator> {
    let lang = c.lang;
    let seq = site.required_list(c, "indicators");
    let ip = site.at("indicators");
    if seq.is_empty() && site.map().is_some_and(|m| m.contains_key("indicators")) {
        c.err(
            ip,
            t!(
                lang,
                "至少需要一个考核指标",
                "at least one indicator is required"
            ),
        );
    }
    let mut indicators = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in seq.iter().enumerate() {
        let p = ip.i(i);
        let Some(ind) = indicator(c, p, item) else {
            continue;
        };
        if ENTRY_KEYS.contains(&ind.id.as_str()) {
            c.err(p.k("id"), t!(lang, "指标编号不能使用保留字 \"{}\"（bonus、deductions、veto 已用于加减分和一票否决）", "indicator id \"{}\" is reserved (bonus, deductions and veto are entry keys)", ind.id));
        } else if !seen.insert(ind.id.clone()) {
            c.err(
                p.k("id"),
                t!(
                    lang,
                    "指标编号 \"{}\" 重复",
                    "duplicate indicator id \"{}\"",
                    ind.id
                ),
            );
        } else {
            indicators.push(ind);
        }
    }
    indicators
}

/// One indicator at `p`: its keys checked against those of its method.
fn indicator(c: &mut V, p: P, item: &Value) -> Option<Indicator> {
    let lang = c.lang;
    let Value::Mapping(m) = item else {
        let d = c.describe(item);
        c.err(
            p,
            t!(
                lang,
                "指标应为键值映射，实际是 {}",
                "an indicator must be a mapping, found {}",
                d
            ),
        );
        return None;
    };
    let word = m.get("method").and_then(Value::as_str);
    let method = word.and_then(|w| METHODS.iter().find(|x| x.name == w));
    let method_keys = method_keys();
    let extra: Vec<&str> = match method {
        Some(x) => x.keys.iter().map(|(k, _)| *k).collect(),
        None => method_keys.clone(),
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().copied().chain(extra).collect();
    for (k, _) in m {
        let key = k.as_str().unwrap_or("");
        if allowed.contains(&key) {
            continue;
        }
        let msg = if word.is_some() && method_keys.contains(&key) {
            t!(
                lang,
                "键 \"{}\" 不适用于计分方法 {}；该方法允许的键：{}",
                "key \"{}\" does not belong to method {}; allowed: {}",
                key,
                word.unwrap_or(""),
                allowed.join(", ")
            )
        } else {
            let hint = suggest(key, allowed.iter().copied())
                .map(|h| t!(lang, "（是否应为 \"{}\"？）", " (did you mean \"{}\"?)", h))
                .unwrap_or_default();
            t!(
                lang,
                "未知的键 \"{}\"{}；此处允许的键：{}",
                "unknown key \"{}\"{}; allowed here: {}",
                key,
                hint,
                allowed.join(", ")
            )
        };
        c.err_key(p.k(key), msg);
    }
    let what = t!(lang, "指标编号", "indicator id");
    let id = c.id(p, m, "id", &what);
    let name = c.text(p, m, "name", true);
    let group = c.text(p, m, "group", false);
    let Some(method) = method else {
        let found = m
            .get("method")
            .map(|v| c.describe(v))
            .unwrap_or_else(|| t!(lang, "（未填写）", "(missing)"));
        let names: Vec<&str> = METHODS.iter().map(|x| x.name).collect();
        let (last, rest) = names.split_last().expect("there are scoring methods");
        c.err(
            p.k("method"),
            t!(
                lang,
                "计分方法应为 {} 或 {} 之一，实际是 {}",
                "\"method\" must be one of {}, {}; found {}",
                rest.join(&t!(lang, "、", ", ")),
                last,
                found
            ),
        );
        return None;
    };
    let values: Vec<Option<f64>> = method
        .keys
        .iter()
        .map(|&(key, num)| match num {
            Num::Required(range) => c.num(p, m, key, true, range),
            Num::Or(range, default) => Some(c.num(p, m, key, false, range).unwrap_or(default)),
            Num::Optional(range) => c.num(p, m, key, false, range),
        })
        .collect();
    let (weight, method) = (method.make)(c, p, &values)?;
    Some(Indicator {
        id: id?,
        name: name?,
        group,
        weight,
        method,
    })
}

/// The ids of the indicators `site.yaml` (`v`) defines with a problem, already reported: those
/// written in its `indicators` list but missing from the checked `indicators`. Results and
/// awards that name one are not reported again (one wrong `weight` is one problem, not one
/// for every manager and month).
pub(in crate::validate) fn broken_indicators<'v>(
    v: &'v Value,
    indicators: &[Indicator],
) -> Vec<&'v str> {
    let Some(Value::Sequence(seq)) = v.get("indicators") else {
        return Vec::new();
    };
    seq.iter()
        .filter_map(|item| item.get("id")?.as_str())
        .filter(|id| !indicators.iter().any(|x| x.id == *id))
        .collect()
}

/// `awards` of the root `site`, ranked by one of the `indicators` (not a deduct one) or the
/// total.
pub(super) fn awards(c: &mut V, site: &Block, indicators: &[Indicator]) -> Vec<Award> {
    let lang = c.lang;
    let mut awards = Vec::new();
    let ap = site.at("awards");
    let mut seen = HashSet::new();
    for (i, item) in site.list(c, "awards").iter().enumerate() {
        let a = Block::item(ap.i(i), item, site.text, &t!(lang, "奖项", "an award"));
        if a.map().is_none() {
            a.finish(c);
            continue;
        }
        let id = a.id(c, "id", &t!(lang, "奖项编号", "award id"));
        let name = a.required_text(c, "name");
        let basis = basis(c, &a, site, indicators);
        let top = a.int(c, "top", 1).unwrap_or(1) as usize;
        let min = a.num(c, "min", Range::Any);
        if let (Some(id), Some(name), Some(basis)) = (id, name, basis) {
            if !seen.insert(id.clone()) {
                c.err(
                    a.at("id"),
                    t!(
                        lang,
                        "奖项编号 \"{}\" 重复",
                        "duplicate award id \"{}\"",
                        id
                    ),
                );
            }
            awards.push(Award {
                id,
                name,
                basis,
                top,
                min,
            });
        }
        a.finish(c);
    }
    awards
}

/// What the award `a` ranks by: `total` or a scoring indicator's id.
fn basis(c: &mut V, a: &Block, site: &Block, indicators: &[Indicator]) -> Option<AwardBasis> {
    let lang = c.lang;
    let Some(v) = a.value("indicator") else {
        let expected = t!(lang, "指标编号或 total", "an indicator id or total");
        c.missing(a.path(), "indicator", &expected);
        return None;
    };
    if v.as_str() == Some("total") {
        return Some(AwardBasis::Total);
    }
    let s = shown(v);
    let found = v
        .as_str()
        .and_then(|s| indicators.iter().position(|x| x.id == s));
    match found {
        Some(ix) if matches!(indicators[ix].method, Method::Deduct { .. }) => {
            c.err(a.at("indicator"), t!(lang, "奖项不能按扣分指标 {} 评选：应为加分类指标编号或 total", "an award cannot rank by the deduct indicator {}: expected a scoring indicator id or total", s));
            None
        }
        Some(ix) => Some(AwardBasis::Indicator(ix)),
        None if v.as_str().is_some_and(|s| {
            site.v
                .is_some_and(|root| broken_indicators(root, indicators).contains(&s))
        }) =>
        {
            None
        }
        None => {
            let ids: Vec<&str> = indicators.iter().map(|x| x.id.as_str()).collect();
            c.err(
                a.at("indicator"),
                t!(
                    lang,
                    "未知的评选指标 {}：应为 {} 或 total",
                    "unknown award indicator {}: expected one of {} or total",
                    s,
                    ids.join(", ")
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{check, expect};
    use super::super::site_config;
    use crate::diag::Lang;

    /// The keys of every method, as messages list them: the union of [`super::METHODS`].
    #[test]
    fn method_keys_in_contract_order() {
        assert_eq!(
            super::method_keys(),
            [
                "weight",
                "cap",
                "floor",
                "target",
                "per_unit_below",
                "per_unit_above",
                "min",
                "max",
                "per_unit",
                "limit"
            ]
        );
    }

    /// Each method's defaults, and a linear indicator's `max` taken from its weight.
    #[test]
    fn each_method_and_its_defaults() {
        let yaml = "title: T\nindicators:\n  - {id: r, name: R, method: ratio, weight: 10}\n  - {id: p, name: P, method: percent, weight: 20}\n  - {id: l, name: L, method: linear, weight: 30, target: 5}\n  - {id: d, name: D, method: deduct, per_unit: 2}\n  - {id: t, name: T, method: training, weight: 40, group: G}\n";
        let (c, p) = check(Lang::En, yaml, |c, v| site_config(c, v, None));
        assert_eq!(p, []);
        let got: Vec<String> = c
            .unwrap()
            .indicators
            .iter()
            .map(|i| format!("{} {} {:?} {:?}", i.id, i.weight, i.group, i.method))
            .collect();
        assert_eq!(
            got,
            [
                "r 10 None Ratio { cap: 1.0, floor: 0.0 }",
                "p 20 None Percent",
                "l 30 None Linear { target: 5.0, per_unit_below: 0.0, per_unit_above: 0.0, min: 0.0, max: 30.0 }",
                "d 0 None Deduct { per_unit: 2.0, limit: None }",
                "t 40 Some(\"G\") Training",
            ]
        );
    }

    #[test]
    fn indicators_awards_and_settings() {
        let yaml = "title: T\nlanguage: fr\nbase_url: intranet/kpi\nindicators:\n  - {id: sales, name: S, method: ratio, weight: 60, per_unit: 2}\n  - {id: sales, name: S2, method: percent, weight: 10}\n  - {id: bonus, name: B, method: percent, weight: 10}\n  - {id: c, name: C, method: deduct, per_unit: 2, wieght: 1}\n  - {id: x, name: X, method: average, weight: 1}\nawards:\n  - {id: a, name: A, indicator: c}\n  - {id: b, name: B, indicator: salse}\ntraining: {pass_mark: 120}\n";
        let (_, p) = check(Lang::En, yaml, |c, v| site_config(c, v, None));
        assert_eq!(
            p,
            expect(&[
                ("language", "\"language\" must be zh-CN or en, found \"fr\" (text)"),
                ("base_url", "\"base_url\" must be the site's absolute URL starting with http:// or https://, found \"intranet/kpi\""),
                ("indicators[0].per_unit (key)", "key \"per_unit\" does not belong to method ratio; allowed: id, name, group, method, weight, cap, floor"),
                ("indicators[1].id", "duplicate indicator id \"sales\""),
                ("indicators[2].id", "indicator id \"bonus\" is reserved (bonus, deductions and veto are entry keys)"),
                ("indicators[3].wieght (key)", "unknown key \"wieght\"; allowed here: id, name, group, method, per_unit, limit"),
                ("indicators[4].method", "\"method\" must be one of ratio, percent, linear, deduct, training; found \"average\" (text)"),
                ("awards[0].indicator", "an award cannot rank by the deduct indicator \"c\": expected a scoring indicator id or total"),
                ("awards[1].indicator", "unknown award indicator \"salse\": expected one of sales, c or total"),
                ("training.pass_mark", "\"pass_mark\" is 120, out of range: expected a number from 0 to 100"),
            ])
        );
    }
}
