//! Score explanations in words, from the theme's labels: an indicator's raw value and the rule
//! applied to it (`why_*`), an indicator's rule in general (`rule_*`), a bonus item's reason.
//! The manager pages, the rules page and the personal bulletins all use these.

use super::format::{f2, num, pct, setting_pct};
use crate::model::{Indicator, Method, Value};
use crate::score::BonusSource;
use crate::theme::Theme;

/// An indicator's raw value and the calculation that turned it into points (the theme's
/// `why_*` labels: by default only the numbers, as the indicator's rule in words is shown once
/// beside them, see [`rule_words`]).
pub fn explain(
    t: &Theme,
    ind: &Indicator,
    v: Value,
    mark: Option<f64>,
    score: f64,
) -> (String, String) {
    let w = num(ind.weight);
    let s = f2(score);
    match (&ind.method, v) {
        (Method::Ratio { cap, floor }, Value::Ratio { actual, target }) => {
            let r = actual / target;
            let p = pct(r);
            let rule = if r < *floor {
                t.fill("why_ratio_floor", &[("r", &p), ("floor", &pct(*floor))])
            } else if r > *cap {
                t.fill(
                    "why_ratio_cap",
                    &[("r", &p), ("cap", &pct(*cap)), ("w", &w), ("s", &s)],
                )
            } else {
                t.fill("why_ratio", &[("r", &p), ("w", &w), ("s", &s)])
            };
            let raw = format!("{} / {} = {p}", num(actual), num(target));
            (raw, rule)
        }
        (Method::Percent, Value::Number(x)) => {
            let v = num(x);
            let rule = t.fill("why_percent", &[("v", &v), ("w", &w), ("s", &s)]);
            (v, rule)
        }
        (
            Method::Linear {
                target,
                per_unit_below,
                per_unit_above,
                min,
                max,
            },
            Value::Number(x),
        ) => {
            let d = ((x - target).abs() * 10000.0).round() / 10000.0;
            let unclamped = ind.weight - per_unit_below * (target - x).max(0.0)
                + per_unit_above * (x - target).max(0.0);
            let mut rule = if x == *target {
                t.fill("why_linear_equal", &[("target", &num(*target)), ("w", &w)])
            } else {
                let (key, pu) = if x < *target {
                    ("why_linear_below", per_unit_below)
                } else {
                    ("why_linear_above", per_unit_above)
                };
                t.fill(
                    key,
                    &[
                        ("target", &num(*target)),
                        ("d", &num(d)),
                        ("pu", &num(*pu)),
                        ("w", &w),
                        ("x", &f2(unclamped)),
                    ],
                )
            };
            if unclamped > *max || unclamped < *min {
                t.fill_into(
                    &mut rule,
                    "why_linear_clamp",
                    &[
                        ("min", &num(*min)),
                        ("max", &num(*max)),
                        ("s", &s),
                        ("x", &f2(unclamped)),
                    ],
                );
            }
            (num(x), rule)
        }
        (Method::Deduct { per_unit, limit }, Value::Number(x)) => {
            let mut rule = t.fill(
                "why_deduct",
                &[
                    ("v", &num(x)),
                    ("pu", &num(*per_unit)),
                    ("d", &f2(per_unit * x)),
                ],
            );
            if let Some(l) = limit {
                if per_unit * x > *l {
                    t.fill_into(
                        &mut rule,
                        "why_deduct_limit",
                        &[("limit", &num(*l)), ("d", &f2(per_unit * x))],
                    );
                }
            }
            (num(x), rule)
        }
        (Method::Training, _) => match mark {
            Some(m) => {
                let m = f2(m);
                let rule = t.fill("why_training", &[("m", &m), ("w", &w), ("s", &s)]);
                (m, rule)
            }
            None => (
                t.label("no_training_mark").into(),
                t.fill("why_training_none", &[("w", &w)]),
            ),
        },
        _ => (String::new(), String::new()),
    }
}

/// A bonus item's reason as readers see it: its own, or for the bonus of adopted suggestions
/// (which has none) the theme's `bonus_suggestions` label; shared by the manager pages and the
/// bulletins.
pub fn bonus_reason<'a>(
    t: &Theme,
    b: &'a crate::score::Bonus,
    each: f64,
) -> std::borrow::Cow<'a, str> {
    match b.source {
        BonusSource::Suggestions(n) => t
            .fill(
                "bonus_suggestions",
                &[("n", &n.to_string()), ("each", &num(each))],
            )
            .into(),
        _ => b.reason.as_str().into(),
    }
}

/// An indicator's rule in plain words, from the theme's labels (`rule_*`); shared by the
/// rules page, the manager pages and the bulletins.
pub fn rule_words(t: &Theme, ind: &Indicator, pass_mark: f64) -> String {
    let w = num(ind.weight);
    match &ind.method {
        Method::Ratio { cap, floor } => {
            let mut s = t.fill("rule_ratio", &[("w", &w), ("cap", &setting_pct(*cap))]);
            if *floor > 0.0 {
                s.push_str(&t.fill("rule_ratio_floor", &[("floor", &setting_pct(*floor))]));
            }
            s
        }
        Method::Percent => t.fill("rule_percent", &[("w", &w)]),
        Method::Linear {
            target,
            per_unit_below,
            per_unit_above,
            min,
            max,
        } => t.fill(
            "rule_linear",
            &[
                ("w", &w),
                ("target", &num(*target)),
                ("below", &num(*per_unit_below)),
                ("above", &num(*per_unit_above)),
                ("min", &num(*min)),
                ("max", &num(*max)),
            ],
        ),
        Method::Deduct { per_unit, limit } => {
            let mut s = t.fill("rule_deduct", &[("pu", &num(*per_unit))]);
            if let Some(l) = limit {
                s.push_str(&t.fill("rule_deduct_limit", &[("limit", &num(*l))]));
            }
            s
        }
        Method::Training => t.fill("rule_training", &[("w", &w), ("pass", &num(pass_mark))]),
    }
}
