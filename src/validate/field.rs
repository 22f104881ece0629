//! Typed field readers: one generic reader ([`V::field`]) of a mapping's key for every type a
//! data file's field may be read as ([`Field`]: booleans, months, dates, whole numbers,
//! numbers within a [`Range`]), each type saying once what it expects; and the per-file loop
//! over a list of mappings with known keys ([`V::each_map`]).
//!
//! A missing (or empty) required field is "missing required key … (expected …)", a value of
//! the wrong kind "\"key\" must be …, found …": the wording is here, the type only names what
//! it expects.

use std::collections::HashMap;

use super::check::{P, V};
use super::rules::{self, Range};
use crate::diag::{t, Lang};
use crate::model::{Date, Month};
use crate::yaml::Value;

/// `s` as it follows Chinese text in a message: with a space before a leading Latin letter or
/// digit (`应为 true 或 false`), none before Chinese (`应为不小于 0 的整数`).
pub(crate) fn spaced(lang: Lang, s: &str) -> String {
    match (lang, s.chars().next()) {
        (Lang::Zh, Some(c)) if c.is_ascii_alphanumeric() => format!(" {s}"),
        _ => s.to_string(),
    }
}

/// A type a field of a data file is read as.
pub(super) trait Field: Sized {
    /// What shapes the reading besides the type (a number's range, a whole number's minimum).
    type Spec: Copy;

    /// What a missing required field would have held: `YYYY-MM`.
    fn expected(lang: Lang, spec: Self::Spec) -> String;

    /// What the field must be, for a value of the wrong kind: `a month YYYY-MM (e.g. 2026-10)`.
    fn must_be(lang: Lang, spec: Self::Spec) -> String;

    /// Reads the value `v` of `key` (at `p`), reporting what is wrong with it.
    fn read(c: &mut V, p: P, key: &str, v: &Value, spec: Self::Spec) -> Option<Self>;
}

impl V<'_> {
    /// The field `key` of `m` (at `p`) read as a `T`; an empty or absent field is `None`,
    /// reported when `required`.
    pub(super) fn field<T: Field>(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
        spec: T::Spec,
    ) -> Option<T> {
        match m.get(key) {
            None | Some(Value::Null) => {
                if required {
                    let e = T::expected(self.lang, spec);
                    self.missing(p, key, &e);
                }
                None
            }
            Some(v) => T::read(self, p.k(key), key, v, spec),
        }
    }

    /// Reports the value `v` of `key` (at `p`), of the wrong kind for a `T`.
    pub(super) fn wrong<T: Field>(&mut self, p: P, key: &str, v: &Value, spec: T::Spec) {
        let e = T::must_be(self.lang, spec);
        self.wrong_kind(p, key, v, &e);
    }

    /// Reports the value `v` of `key` (at `p`), which `must_be` something else (`text`).
    pub(super) fn wrong_kind(&mut self, p: P, key: &str, v: &Value, must_be: &str) {
        let d = self.describe(v);
        let e = spaced(self.lang, must_be);
        self.err(
            p,
            t!(
                self.lang,
                "\"{}\" 应为{}，实际是 {}",
                "\"{}\" must be {}, found {}",
                key,
                e,
                d
            ),
        );
    }

    /// The required manager id `key` of `m` (at `p`), as the manager's index in `idx`.
    pub(super) fn manager_field(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        idx: &HashMap<String, usize>,
    ) -> Option<usize> {
        match m.get(key) {
            None | Some(Value::Null) => {
                let e = t!(self.lang, "客户经理编号", "a manager id");
                self.missing(p, key, &e);
                None
            }
            Some(v) => self.manager(p.k(key), v, idx),
        }
    }

    /// Runs `each` on every item of the list `key` of `m` (at `p`; reported when absent and
    /// `required`) that is a mapping whose keys are all `allowed` (`what` names an item in
    /// messages), with the item's index and path: the loop every file with a list of records
    /// has.
    pub(super) fn each_map<'v>(
        &mut self,
        p: P,
        m: &'v yaml_serde::Mapping,
        (key, required): (&str, bool),
        (allowed, what): (&[&str], &str),
        mut each: impl FnMut(&mut Self, (usize, P), &'v yaml_serde::Mapping),
    ) {
        let lp = p.k(key);
        for (i, item) in self.seq(p, m, key, required).iter().enumerate() {
            let ip = lp.i(i);
            if let Some(im) = self.map(ip, item, allowed, what) {
                each(self, (i, ip), im);
            }
        }
    }
}

impl Field for bool {
    type Spec = ();
    fn expected(_: Lang, _: ()) -> String {
        "true / false".to_string()
    }
    fn must_be(lang: Lang, _: ()) -> String {
        t!(lang, "true 或 false", "true or false")
    }
    fn read(c: &mut V, p: P, key: &str, v: &Value, spec: ()) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                c.wrong::<bool>(p, key, other, spec);
                None
            }
        }
    }
}

impl Field for Month {
    type Spec = ();
    fn expected(_: Lang, _: ()) -> String {
        "YYYY-MM".to_string()
    }
    fn must_be(lang: Lang, _: ()) -> String {
        t!(
            lang,
            "YYYY-MM 格式的月份（例如 2026-10）",
            "a month YYYY-MM (e.g. 2026-10)"
        )
    }
    /// A month in `YYYY-MM` within [`Month::FIRST`]..=[`Month::LAST`].
    fn read(c: &mut V, p: P, key: &str, v: &Value, spec: ()) -> Option<Month> {
        let parsed = v.as_str().and_then(Month::parse);
        if parsed.is_none() {
            c.wrong::<Month>(p, key, v, spec);
        }
        if let Some(m) = parsed.filter(|m| !m.in_range()) {
            c.err(p, m.range_message(c.lang));
            return None;
        }
        parsed
    }
}

impl Field for Date {
    type Spec = ();
    fn expected(_: Lang, _: ()) -> String {
        "YYYY-MM-DD".to_string()
    }
    fn must_be(lang: Lang, _: ()) -> String {
        t!(
            lang,
            "YYYY-MM-DD 格式的有效日期（例如 2026-10-12）",
            "a valid date YYYY-MM-DD (e.g. 2026-10-12)"
        )
    }
    fn read(c: &mut V, p: P, key: &str, v: &Value, spec: ()) -> Option<Date> {
        let parsed = v.as_str().and_then(Date::parse);
        if parsed.is_none() {
            c.wrong::<Date>(p, key, v, spec);
        }
        parsed
    }
}

/// Largest whole number accepted (places, counts of months, ports…).
const MAX_INT: i64 = 1_000_000;

/// A whole number from the minimum (the spec) to [`MAX_INT`].
impl Field for i64 {
    type Spec = i64;
    fn expected(lang: Lang, min: i64) -> String {
        Self::must_be(lang, min)
    }
    fn must_be(lang: Lang, min: i64) -> String {
        t!(lang, "不小于 {} 的整数", "a whole number >= {}", min)
    }
    fn read(c: &mut V, p: P, key: &str, v: &Value, min: i64) -> Option<i64> {
        match v {
            Value::Number(n) if n.as_i64().is_some_and(|i| i >= min && i <= MAX_INT) => n.as_i64(),
            Value::Number(n) if n.as_u64().is_some_and(|i| i > MAX_INT as u64) => {
                c.err(
                    p,
                    t!(
                        c.lang,
                        "\"{}\" 应为不小于 {} 且不大于 {} 的整数，实际是 {}",
                        "\"{}\" must be a whole number from {} to {}, found {}",
                        key,
                        min,
                        MAX_INT,
                        n
                    ),
                );
                None
            }
            other => {
                c.wrong::<i64>(p, key, other, min);
                None
            }
        }
    }
}

/// A [`usable`](rules::usable) number within the range (the spec).
impl Field for f64 {
    type Spec = Range;
    fn expected(lang: Lang, range: Range) -> String {
        range.expect(lang)
    }
    fn must_be(lang: Lang, range: Range) -> String {
        range.expect(lang)
    }
    fn read(c: &mut V, p: P, key: &str, v: &Value, range: Range) -> Option<f64> {
        let x = c.number_value(p, v, key)?;
        if !range.ok(x) {
            c.err(p, rules::out_of_range(c.lang, key, x, range));
            return None;
        }
        Some(x)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, expect};
    use super::*;

    /// Reads every kind of field of `yaml` (and a missing required one) in `lang`.
    fn read_all(lang: Lang, yaml: &str) -> Vec<(String, String)> {
        check(lang, yaml, |c, v| {
            let Value::Mapping(m) = v else { unreachable!() };
            c.field::<bool>(P::ROOT, m, "b", true, ());
            c.field::<Month>(P::ROOT, m, "m", true, ());
            c.field::<Date>(P::ROOT, m, "d", true, ());
            c.field::<i64>(P::ROOT, m, "i", true, 1);
            c.field::<f64>(P::ROOT, m, "n", true, Range::Above(0.0));
            c.field::<bool>(P::ROOT, m, "z", true, ());
        })
        .1
    }

    #[test]
    fn each_type_says_what_it_expects_in_both_languages() {
        let yaml = "b: x\nm: x\nd: x\ni: x\nn: x\n";
        assert_eq!(
            read_all(Lang::En, yaml),
            expect(&[
                ("b", "\"b\" must be true or false, found \"x\" (text)"),
                (
                    "m",
                    "\"m\" must be a month YYYY-MM (e.g. 2026-10), found \"x\" (text)"
                ),
                (
                    "d",
                    "\"d\" must be a valid date YYYY-MM-DD (e.g. 2026-10-12), found \"x\" (text)"
                ),
                ("i", "\"i\" must be a whole number >= 1, found \"x\" (text)"),
                ("n", "n must be a number, found \"x\" (text)"),
                ("z", "missing required key \"z\" (expected true / false)"),
            ])
        );
        assert_eq!(
            read_all(Lang::Zh, yaml),
            expect(&[
                ("b", "\"b\" 应为 true 或 false，实际是 \"x\"（文本）"),
                (
                    "m",
                    "\"m\" 应为 YYYY-MM 格式的月份（例如 2026-10），实际是 \"x\"（文本）"
                ),
                (
                    "d",
                    "\"d\" 应为 YYYY-MM-DD 格式的有效日期（例如 2026-10-12），实际是 \"x\"（文本）"
                ),
                ("i", "\"i\" 应为不小于 1 的整数，实际是 \"x\"（文本）"),
                ("n", "n 应为数字，实际是 \"x\"（文本）"),
                ("z", "缺少必填项 \"z\"（应为true / false）"),
            ])
        );
        let good = "b: true\nm: 2026-10\nd: 2026-10-12\ni: 1000000\nn: 0.5\nz: false\n";
        assert_eq!(read_all(Lang::En, good), []);
        let (n, p) = check(Lang::En, "i: 1000001\nn: 0\n", |c, v| {
            let Value::Mapping(m) = v else { unreachable!() };
            (
                c.field::<i64>(P::ROOT, m, "i", false, 0),
                c.field::<f64>(P::ROOT, m, "n", false, Range::Above(0.0)),
            )
        });
        assert_eq!(n, (None, None));
        assert_eq!(
            p,
            expect(&[
                (
                    "i",
                    "\"i\" must be a whole number from 0 to 1000000, found 1000001"
                ),
                ("n", "\"n\" is 0, out of range: expected a number > 0"),
            ])
        );
    }

    #[test]
    fn each_map_visits_the_mappings_of_a_list_with_their_index() {
        let yaml = "items:\n  - {a: 1}\n  - 3\n  - {a: 2, ab: 1}\n";
        let (seen, p) = check(Lang::En, yaml, |c, v| {
            let Value::Mapping(m) = v else { unreachable!() };
            let mut seen = Vec::new();
            c.each_map(
                P::ROOT,
                m,
                ("items", true),
                (&["a"], "an item"),
                |_, (i, _), im| {
                    seen.push((i, im.len()));
                },
            );
            c.each_map(
                P::ROOT,
                m,
                ("others", true),
                (&["a"], "an item"),
                |_, _, _| {},
            );
            seen
        });
        assert_eq!(seen, [(0, 1), (2, 2)]);
        assert_eq!(
            p,
            expect(&[
                (
                    "items[1]",
                    "an item must be a mapping (key: value), found 3 (a number)"
                ),
                (
                    "items[2].ab (key)",
                    "unknown key \"ab\" (did you mean \"a\"?); allowed here: a"
                ),
                (
                    "others",
                    "missing required key \"others\" (expected a list)"
                ),
            ])
        );
    }
}
