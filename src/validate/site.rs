//! `site.yaml`: the title, language, theme and base URL, the indicators (each method's keys and
//! ranges), the awards, `watch`, `training`, `suggestions`, `annual` and `bulletin` (sender,
//! recipients, SMTP). The contract-v2 policy (`ratings`, `pay`, grades) is in [`super::policy`].
use std::collections::HashSet;

use super::check::{shown, suggest, Range, P, V};
use super::policy::policy;
use super::results::ENTRY_KEYS;
use crate::diag::{t, Lang};
use crate::model::*;
use crate::yaml::Value;

pub(super) fn site_config(c: &mut V, v: &Value, text: Option<&str>) -> Option<Config> {
    let root = P::ROOT;
    let root_v = v;
    let lang = c.lang;
    let what = t!(lang, "site.yaml 的内容", "site.yaml");
    let m = c.map(
        root,
        v,
        &[
            "title",
            "organization",
            "language",
            "theme",
            "base_url",
            "indicators",
            "awards",
            "watch",
            "training",
            "suggestions",
            "annual",
            "bulletin",
            "ratings",
            "pay",
            "grades",
        ],
        &what,
    )?;
    let title = c.text(root, m, "title", true);
    let organization = c.text(root, m, "organization", false);
    let language = match m.get("language") {
        None | Some(Value::Null) => Lang::Zh,
        Some(Value::String(s)) if s == "zh-CN" => Lang::Zh,
        Some(Value::String(s)) if s == "en" => Lang::En,
        Some(other) => {
            let d = c.describe(other);
            c.err(
                root.k("language"),
                t!(
                    lang,
                    "\"language\" 应为 zh-CN 或 en，实际是 {}",
                    "\"language\" must be zh-CN or en, found {}",
                    d
                ),
            );
            Lang::Zh
        }
    };
    let theme = match m.get("theme") {
        None | Some(Value::Null) => Some("default".to_string()),
        Some(v) => c.id_value(root.k("theme"), v, "theme"),
    };
    let base_url = c.text(root, m, "base_url", false);
    if let Some(u) = &base_url {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            c.err(
                root.k("base_url"),
                t!(
                    lang,
                    "\"base_url\" 应为网站的完整地址，以 http:// 或 https:// 开头，实际是 \"{}\"",
                    "\"base_url\" must be the site's absolute URL starting with http:// or https://, found \"{}\"",
                    u
                ),
            );
        }
    }

    let mut indicators = Vec::new();
    let seq = c.seq(root, m, "indicators", true);
    let ip = root.k("indicators");
    if seq.is_empty() && m.contains_key("indicators") {
        c.err(
            ip,
            t!(
                lang,
                "至少需要一个考核指标",
                "at least one indicator is required"
            ),
        );
    }
    let mut seen = HashSet::new();
    for (i, item) in seq.iter().enumerate() {
        let p = ip.i(i);
        if let Some(ind) = indicator(c, p, item) {
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
    }

    let mut awards = Vec::new();
    let ap = root.k("awards");
    let mut seen = HashSet::new();
    for (i, item) in c.seq(root, m, "awards", false).iter().enumerate() {
        let p = ap.i(i);
        let Some(am) = c.map(
            p,
            item,
            &["id", "name", "indicator", "top", "min"],
            &t!(lang, "奖项", "an award"),
        ) else {
            continue;
        };
        let what = t!(lang, "奖项编号", "award id");
        let id = c.id(p, am, "id", &what);
        let name = c.text(p, am, "name", true);
        let basis = match am.get("indicator") {
            None | Some(Value::Null) => {
                c.missing(
                    p,
                    "indicator",
                    &t!(lang, "指标编号或 total", "an indicator id or total"),
                );
                None
            }
            Some(Value::String(s)) if s == "total" => Some(AwardBasis::Total),
            Some(v) => {
                let s = shown(v);
                match v
                    .as_str()
                    .and_then(|s| indicators.iter().position(|x| x.id == s))
                {
                    Some(ix) if matches!(indicators[ix].method, Method::Deduct { .. }) => {
                        c.err(p.k("indicator"), t!(lang, "奖项不能按扣分指标 {} 评选：应为加分类指标编号或 total", "an award cannot rank by the deduct indicator {}: expected a scoring indicator id or total", s));
                        None
                    }
                    Some(ix) => Some(AwardBasis::Indicator(ix)),
                    None if v
                        .as_str()
                        .is_some_and(|s| broken_indicators(root_v, &indicators).contains(&s)) =>
                    {
                        None
                    }
                    None => {
                        let ids: Vec<&str> = indicators.iter().map(|x| x.id.as_str()).collect();
                        c.err(
                            p.k("indicator"),
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
        };
        let top = c.int(p, am, "top", 1).unwrap_or(1) as usize;
        let min = c.num(p, am, "min", false, Range::Any);
        if let (Some(id), Some(name), Some(basis)) = (id, name, basis) {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
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
    }

    let sub = |c: &mut V, key: &str, allowed: &[&str]| -> Option<yaml_serde::Mapping> {
        let v = m.get(key)?;
        if v.is_null() {
            return None;
        }
        c.map(root.k(key), v, allowed, key).cloned()
    };
    let watch = sub(c, "watch", &["bottom", "escalate_after"]);
    let training = sub(c, "training", &["pass_mark"]);
    let sugg = sub(c, "suggestions", &["bonus_per_adopted"]);
    let annual = sub(
        c,
        "annual",
        &[
            "excellence_top",
            "min_months",
            "promotion_months",
            "demotion_months",
        ],
    );
    let bulletin_m = sub(
        c,
        "bulletin",
        &["from", "to", "personal", "personal_pay", "smtp", "font"],
    );
    let policy = policy(c, m, watch.as_ref(), annual.as_ref(), text);
    let watch_bottom = watch
        .as_ref()
        .and_then(|w| c.int(root.k("watch"), w, "bottom", 0))
        .unwrap_or(3) as usize;
    let pass_mark = training
        .as_ref()
        .and_then(|w| {
            c.num(
                root.k("training"),
                w,
                "pass_mark",
                false,
                Range::Between(0.0, 100.0),
            )
        })
        .unwrap_or(60.0);
    let bonus_per_adopted = sugg
        .as_ref()
        .and_then(|w| {
            c.num(
                root.k("suggestions"),
                w,
                "bonus_per_adopted",
                false,
                Range::AtLeast(0.0),
            )
        })
        .unwrap_or(0.0);
    let excellence_top = annual
        .as_ref()
        .and_then(|w| c.int(root.k("annual"), w, "excellence_top", 0))
        .unwrap_or(3) as usize;
    let min_months = annual
        .as_ref()
        .and_then(|w| c.int(root.k("annual"), w, "min_months", 1))
        .unwrap_or(1) as usize;
    let (bulletin, font) = match bulletin_m {
        Some(b) => bulletin(c, root.k("bulletin"), &b),
        None => (None, None),
    };
    Some(Config {
        title: title?,
        organization,
        language,
        theme: theme?,
        base_url,
        indicators,
        awards,
        watch_bottom,
        pass_mark,
        bonus_per_adopted,
        excellence_top,
        min_months,
        bulletin,
        font,
        policy,
    })
}

pub(super) fn bulletin(
    c: &mut V,
    p: P,
    m: &yaml_serde::Mapping,
) -> (Option<BulletinConfig>, Option<String>) {
    let lang = c.lang;
    let from = c.text(p, m, "from", true);
    if let Some(f) = from.as_deref().filter(|f| !f.trim().is_empty()) {
        if let Err(e) = f.parse::<lettre::message::Mailbox>() {
            c.err(
                p.k("from"),
                t!(
                    lang,
                    "发件人应为邮箱地址，如 \"绩效通报 <kpi@example.com>\"，实际是 \"{}\"（{}）",
                    "the sender must be an email address such as \"KPI <kpi@example.com>\", found \"{}\" ({})",
                    f,
                    e
                ),
            );
        }
    }
    let mut to = Vec::new();
    let tp = p.k("to");
    for (i, v) in c.seq(p, m, "to", false).iter().enumerate() {
        match v.as_str() {
            Some(s) if s.parse::<lettre::message::Mailbox>().is_ok() => to.push(s.to_string()),
            _ => {
                let d = c.describe(v);
                c.err(
                    tp.i(i),
                    t!(
                        lang,
                        "收件人应为邮箱地址，实际是 {}",
                        "a recipient must be an email address, found {}",
                        d
                    ),
                );
            }
        }
    }
    let personal = c.boolean(p, m, "personal", false).unwrap_or(false);
    let personal_pay = c.boolean(p, m, "personal_pay", false).unwrap_or(false);
    let font = c.text(p, m, "font", false);
    let smtp = m.get("smtp").filter(|v| !v.is_null()).and_then(|v| {
        let sp = p.k("smtp");
        let sm = c.map(
            sp,
            v,
            &["host", "port", "security", "username_env", "password_env"],
            "smtp",
        )?;
        let host = c.text(sp, sm, "host", true);
        let port = c.int(sp, sm, "port", 1).map(|x| x.min(65535) as u16);
        let security = match sm.get("security").and_then(Value::as_str) {
            None => Security::StartTls,
            Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::None,
            Some(other) => {
                c.err(
                    sp.k("security"),
                    t!(
                        lang,
                        "\"security\" 应为 starttls、tls 或 none，实际是 \"{}\"",
                        "\"security\" must be starttls, tls or none, found \"{}\"",
                        other
                    ),
                );
                Security::StartTls
            }
        };
        let username_env = c.text(sp, sm, "username_env", false);
        let password_env = c.text(sp, sm, "password_env", false);
        let port = port.unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::None => 25,
        });
        Some(SmtpConfig {
            host: host?,
            port,
            security,
            username_env,
            password_env,
        })
    });
    (
        from.map(|from| BulletinConfig {
            from,
            to,
            personal,
            personal_pay,
            smtp,
        }),
        font,
    )
}

/// The keys of an indicator that belong to one method or another (beside id, name, group and
/// method).
const METHOD_KEYS: &[&str] = &[
    "weight",
    "cap",
    "floor",
    "target",
    "per_unit_below",
    "per_unit_above",
    "min",
    "max",
    "per_unit",
    "limit",
];

/// The ids of the indicators `site.yaml` (`v`) defines with a problem, already reported: those
/// written in its `indicators` list but missing from the checked `indicators`. Results and
/// awards that name one are not reported again (one wrong `weight` is one problem, not one
/// for every manager and month).
pub(super) fn broken_indicators<'v>(v: &'v Value, indicators: &[Indicator]) -> Vec<&'v str> {
    let Some(Value::Sequence(seq)) = v.get("indicators") else {
        return Vec::new();
    };
    seq.iter()
        .filter_map(|item| item.get("id")?.as_str())
        .filter(|id| !indicators.iter().any(|x| x.id == *id))
        .collect()
}

pub(super) fn indicator(c: &mut V, p: P, item: &Value) -> Option<Indicator> {
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
    let method = m.get("method").and_then(Value::as_str);
    let common = ["id", "name", "group", "method"];
    let extra: &[&str] = match method {
        Some("ratio") => &["weight", "cap", "floor"],
        Some("percent") | Some("training") => &["weight"],
        Some("linear") => &[
            "weight",
            "target",
            "per_unit_below",
            "per_unit_above",
            "min",
            "max",
        ],
        Some("deduct") => &["per_unit", "limit"],
        _ => METHOD_KEYS,
    };
    let allowed: Vec<&str> = common.iter().chain(extra).copied().collect();
    for (k, _) in m {
        let key = k.as_str().unwrap_or("");
        if !allowed.contains(&key) {
            let msg = if method.is_some() && METHOD_KEYS.contains(&key) {
                t!(
                    lang,
                    "键 \"{}\" 不适用于计分方法 {}；该方法允许的键：{}",
                    "key \"{}\" does not belong to method {}; allowed: {}",
                    key,
                    method.unwrap_or(""),
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
    }
    let what = t!(lang, "指标编号", "indicator id");
    let id = c.id(p, m, "id", &what);
    let name = c.text(p, m, "name", true);
    let group = c.text(p, m, "group", false);
    let pos = Range::Above(0.0);
    let nonneg = Range::AtLeast(0.0);
    let method = match method {
        Some("ratio") => {
            let weight = c.num(p, m, "weight", true, pos);
            let cap = c.num(p, m, "cap", false, pos).unwrap_or(1.0);
            let floor = c.num(p, m, "floor", false, nonneg).unwrap_or(0.0);
            weight.map(|w| (w, Method::Ratio { cap, floor }))
        }
        Some("percent") => c
            .num(p, m, "weight", true, pos)
            .map(|w| (w, Method::Percent)),
        Some("training") => c
            .num(p, m, "weight", true, pos)
            .map(|w| (w, Method::Training)),
        Some("linear") => {
            let weight = c.num(p, m, "weight", true, pos);
            let target = c.num(p, m, "target", true, Range::Any);
            let below = c.num(p, m, "per_unit_below", false, nonneg).unwrap_or(0.0);
            let above = c.num(p, m, "per_unit_above", false, nonneg).unwrap_or(0.0);
            let min = c.num(p, m, "min", false, Range::Any).unwrap_or(0.0);
            let max = c.num(p, m, "max", false, Range::Any);
            match (weight, target) {
                (Some(w), Some(target)) => {
                    let max = max.unwrap_or(w);
                    if min > max {
                        c.err(
                            p.k("min"),
                            t!(
                                lang,
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
                            per_unit_below: below,
                            per_unit_above: above,
                            min,
                            max,
                        },
                    ))
                }
                _ => None,
            }
        }
        Some("deduct") => {
            let per_unit = c.num(p, m, "per_unit", true, pos);
            let limit = c.num(p, m, "limit", false, pos);
            per_unit.map(|per_unit| (0.0, Method::Deduct { per_unit, limit }))
        }
        other => {
            let found = m
                .get("method")
                .map(|v| c.describe(v))
                .unwrap_or_else(|| t!(lang, "（未填写）", "(missing)"));
            let _ = other;
            c.err(
                p.k("method"),
                t!(
                    lang,
                    "计分方法应为 ratio、percent、linear、deduct 或 training 之一，实际是 {}",
                    "\"method\" must be one of ratio, percent, linear, deduct, training; found {}",
                    found
                ),
            );
            None
        }
    };
    let (weight, method) = method?;
    Some(Indicator {
        id: id?,
        name: name?,
        group,
        weight,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect, SITE};
    use super::*;

    #[test]
    fn a_small_site_is_clean() {
        let (c, p) = check(Lang::En, SITE, |c, v| site_config(c, v, None));
        assert_eq!(p, []);
        let c = c.unwrap();
        assert_eq!(c.indicators.len(), 4);
        assert_eq!(
            (c.watch_bottom, c.pass_mark, c.language),
            (3, 60.0, Lang::En)
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

    #[test]
    fn bulletin_addresses_and_smtp() {
        let yaml = "title: T\nindicators: [{id: s, name: S, method: percent, weight: 1}]\nbulletin:\n  from: not an address\n  to: [a@example.com, nobody]\n  smtp: {host: mail.example.com, security: ssl}\n";
        let (c, p) = check(Lang::En, yaml, |c, v| site_config(c, v, None));
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0].0, "bulletin.from");
        assert!(p[0].1.starts_with("the sender must be an email address such as \"KPI <kpi@example.com>\", found \"not an address\""), "{}", p[0].1);
        assert_eq!(
            p[1],
            (
                "bulletin.to[1]".to_string(),
                "a recipient must be an email address, found \"nobody\" (text)".to_string()
            )
        );
        assert_eq!(
            p[2],
            (
                "bulletin.smtp.security".to_string(),
                "\"security\" must be starttls, tls or none, found \"ssl\"".to_string()
            )
        );
        let b = c.unwrap().bulletin.unwrap();
        assert_eq!(b.to, ["a@example.com"]);
        assert_eq!(b.smtp.unwrap().port, 587);
    }
}
