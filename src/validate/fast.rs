//! The fast path for monthly results files: the YAML text deserialised straight into a
//! [`MonthResults`] (serde over `yaml_serde`'s deserializer), without building a
//! [`Value`](crate::yaml::Value) tree, for files that are clean.
//!
//! It gives up (returns `None`) at the first thing that is not plainly right — anything the
//! full check in `results` would report, and anything unusual it does not need to understand
//! (a duplicate key, a tag, text where a number goes, a number where text goes, huge
//! integers) — and the caller then parses the file into a tree and runs that check, which
//! finds every problem with its position. So its answer is either exactly the month the full
//! check builds, or nothing. Every node is read with `deserialize_any`, as the tree is: each
//! scalar resolves to the same type and value (null, bool, integer, float, text) on both paths.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::check::{text_problem, Range, MAX_ABS};
use super::results::Context;
use super::results::ENTRY_KEYS as ENTRIES;
use crate::model::{Entry, Item, Method, Month, MonthResults, Value};

/// Deserialises `text` (the results file `file`, named `stem`) into its month when the file is
/// clean; `None` when the full check has to look at it.
pub(super) fn results(cx: &Context, text: &str, stem: &str, file: &str) -> Option<MonthResults> {
    let file_month = Month::parse(stem)?;
    let de = yaml_serde::Deserializer::from_str(text);
    let (month, note, entries) = Doc { cx }.deserialize(de).ok()?;
    if month != file_month {
        return None;
    }
    // Managers who had left before the month cannot have results in it.
    let first = month.first_day();
    if entries
        .iter()
        .any(|e| cx.managers[e.manager].left.is_some_and(|l| l < first))
    {
        return None;
    }
    Some(MonthResults {
        month,
        note,
        entries,
        file: file.to_string(),
    })
}

/// The error of every "give up" (its text is never shown).
fn give_up<E: de::Error>() -> E {
    E::custom("not on the fast path")
}

/// Implements `expecting` for a visitor (any text: a refusal is never shown).
macro_rules! expecting {
    () => {
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a clean results file")
        }
    };
}

/// The root: `month`, `note` and `results`, each once.
struct Doc<'a, 'c> {
    cx: &'a Context<'c>,
}

impl<'de> DeserializeSeed<'de> for Doc<'_, '_> {
    type Value = (Month, Option<String>, Vec<Entry>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Doc<'_, '_> {
    type Value = (Month, Option<String>, Vec<Entry>);
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let (mut month, mut note, mut entries) = (None, None, None);
        while let Some(key) = m.next_key_seed(Key(&["month", "note", "results"]))? {
            match key {
                0 if month.is_none() => month = Some(m.next_value_seed(MonthSeed)?),
                1 if note.is_none() => note = Some(m.next_value_seed(Text { key: "note" })?),
                2 if entries.is_none() => entries = Some(m.next_value_seed(Results(self.cx))?),
                _ => return Err(give_up()),
            }
        }
        match (month, entries) {
            (Some(month), Some(entries)) => Ok((month, note.flatten(), entries)),
            _ => Err(give_up()),
        }
    }
}

/// A text key among `.0`, as its index.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = usize;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
        self.0.iter().position(|k| *k == s).ok_or_else(give_up)
    }
}

/// `month: YYYY-MM`.
struct MonthSeed;

impl<'de> DeserializeSeed<'de> for MonthSeed {
    type Value = Month;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Month, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MonthSeed {
    type Value = Month;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Month, E> {
        Month::parse(s).ok_or_else(give_up)
    }
}

/// Optional text (an empty value is `None`), without a text problem; `required` text must be
/// there and not blank.
struct Text {
    key: &'static str,
}

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Option<String>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<String>, E> {
        // The language only words the message, which is not shown here.
        match text_problem(crate::diag::Lang::En, self.key, s) {
            None => Ok(Some(s.to_string())),
            Some(_) => Err(give_up()),
        }
    }
}

/// `results:` — manager id → entry, each manager once.
struct Results<'a, 'c>(&'a Context<'c>);

impl<'de> DeserializeSeed<'de> for Results<'_, '_> {
    type Value = Vec<Entry>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Entry>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_> {
    type Value = Vec<Entry>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Vec<Entry>, E> {
        Ok(Vec::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vec<Entry>, A::Error> {
        let cx = self.0;
        let mut seen = vec![false; cx.managers.len()];
        let mut entries = Vec::with_capacity(m.size_hint().unwrap_or(0));
        while let Some(manager) = m.next_key_seed(ManagerKey(cx))? {
            if std::mem::replace(&mut seen[manager], true) {
                return Err(give_up());
            }
            entries.push(m.next_value_seed(EntrySeed { cx, manager })?);
        }
        Ok(entries)
    }
}

/// A known manager id, as the manager's index.
struct ManagerKey<'a, 'c>(&'a Context<'c>);

impl<'de> DeserializeSeed<'de> for ManagerKey<'_, '_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ManagerKey<'_, '_> {
    type Value = usize;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
        match self.0.mgr_idx.get(s) {
            Some(&i) if super::is_id(s) => Ok(i),
            _ => Err(give_up()),
        }
    }
}

/// One manager's entry: a value for every indicator that takes one, optional bonus and
/// deduction items and veto.
struct EntrySeed<'a, 'c> {
    cx: &'a Context<'c>,
    manager: usize,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_, '_> {
    type Value = Entry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
        d.deserialize_any(self)
    }
}

/// What a key of an entry is.
enum EntryKey {
    Indicator(usize),
    /// `bonus`, `deductions` or `veto`, by index in [`ENTRIES`].
    Other(usize),
}

/// A key of an entry.
struct EntryKeySeed<'a, 'c>(&'a Context<'c>);

impl<'de> DeserializeSeed<'de> for EntryKeySeed<'_, '_> {
    type Value = EntryKey;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<EntryKey, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntryKeySeed<'_, '_> {
    type Value = EntryKey;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<EntryKey, E> {
        // In the order of the full check: `bonus`, `deductions` and `veto` first.
        if let Some(k) = ENTRIES.iter().position(|k| *k == s) {
            return Ok(EntryKey::Other(k));
        }
        match self.0.ind_idx.get(s) {
            Some(&i) => Ok(EntryKey::Indicator(i)),
            None => Err(give_up()),
        }
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_, '_> {
    type Value = Entry;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entry, A::Error> {
        let indicators = &self.cx.config.indicators;
        let mut values: Vec<Option<Value>> = vec![None; indicators.len()];
        let mut other_seen = [false; ENTRIES.len()];
        let (mut bonus, mut deductions, mut veto) = (Vec::new(), Vec::new(), None);
        while let Some(key) = m.next_key_seed(EntryKeySeed(self.cx))? {
            match key {
                EntryKey::Indicator(i) => {
                    if values[i].is_some() {
                        return Err(give_up());
                    }
                    let value = match indicators[i].method {
                        Method::Training => return Err(give_up()),
                        Method::Ratio { .. } => m.next_value_seed(Ratio)?,
                        Method::Percent => {
                            Value::Number(m.next_value_seed(Num(Range::Between(0.0, 100.0)))?)
                        }
                        Method::Linear { .. } => Value::Number(m.next_value_seed(Num(Range::Any))?),
                        Method::Deduct { .. } => {
                            Value::Number(m.next_value_seed(Num(Range::AtLeast(0.0)))?)
                        }
                    };
                    values[i] = Some(value);
                }
                EntryKey::Other(k) => {
                    if std::mem::replace(&mut other_seen[k], true) {
                        return Err(give_up());
                    }
                    match ENTRIES[k] {
                        "bonus" => bonus = m.next_value_seed(Items)?,
                        "deductions" => deductions = m.next_value_seed(Items)?,
                        _ => veto = m.next_value_seed(Veto)?,
                    }
                }
            }
        }
        let values = values
            .into_iter()
            .zip(indicators)
            .map(|(v, ind)| match (v, &ind.method) {
                (Some(v), _) => Some(v),
                (None, Method::Training) => Some(Value::None),
                (None, _) => None,
            })
            .collect::<Option<Vec<Value>>>()
            .ok_or_else(give_up)?;
        Ok(Entry {
            manager: self.manager,
            values,
            bonus,
            deductions,
            veto,
        })
    }
}

/// A finite number within [`MAX_ABS`] and the range.
struct Num(Range);

impl<'de> DeserializeSeed<'de> for Num {
    type Value = f64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }
}

impl Num {
    fn ok<E: de::Error>(&self, x: f64) -> Result<f64, E> {
        if x.is_finite() && x.abs() <= MAX_ABS && self.0.ok(x) {
            Ok(x)
        } else {
            Err(give_up())
        }
    }
}

impl<'de> Visitor<'de> for Num {
    type Value = f64;
    expecting!();
    // As `yaml_serde::Number::as_f64`.
    fn visit_u64<E: de::Error>(self, x: u64) -> Result<f64, E> {
        self.ok(x as f64)
    }
    fn visit_i64<E: de::Error>(self, x: i64) -> Result<f64, E> {
        self.ok(x as f64)
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<f64, E> {
        self.ok(x)
    }
}

/// `{actual: …, target: …}`: actual >= 0, target > 0, each once.
struct Ratio;

impl<'de> DeserializeSeed<'de> for Ratio {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Ratio {
    type Value = Value;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let (mut actual, mut target) = (None, None);
        while let Some(key) = m.next_key_seed(Key(&["actual", "target"]))? {
            match key {
                0 if actual.is_none() => {
                    actual = Some(m.next_value_seed(Num(Range::AtLeast(0.0)))?)
                }
                1 if target.is_none() => target = Some(m.next_value_seed(Num(Range::Above(0.0)))?),
                _ => return Err(give_up()),
            }
        }
        match (actual, target) {
            (Some(actual), Some(target)) => Ok(Value::Ratio { actual, target }),
            _ => Err(give_up()),
        }
    }
}

/// `bonus:` or `deductions:`, a list of `{points: …, reason: …}` (or empty).
struct Items;

impl<'de> DeserializeSeed<'de> for Items {
    type Value = Vec<Item>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Item>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Items {
    type Value = Vec<Item>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Vec<Item>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Vec<Item>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = s.next_element_seed(ItemSeed)? {
            out.push(item);
        }
        Ok(out)
    }
}

/// One bonus or deduction item: points >= 0 and a reason that is not blank, each once.
struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Item;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Item, A::Error> {
        let (mut points, mut reason) = (None, None);
        while let Some(key) = m.next_key_seed(Key(&["points", "reason"]))? {
            match key {
                0 if points.is_none() => {
                    points = Some(m.next_value_seed(Num(Range::AtLeast(0.0)))?)
                }
                1 if reason.is_none() => reason = Some(m.next_value_seed(Text { key: "reason" })?),
                _ => return Err(give_up()),
            }
        }
        match (points, reason.flatten()) {
            (Some(points), Some(reason)) if !reason.trim().is_empty() => {
                Ok(Item { points, reason })
            }
            _ => Err(give_up()),
        }
    }
}

/// `veto:` the reason (text that is not blank), or empty.
struct Veto;

impl<'de> DeserializeSeed<'de> for Veto {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Veto {
    type Value = Option<String>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<String>, E> {
        if s.trim().is_empty() {
            Err(give_up())
        } else {
            Ok(Some(s.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{manager_index, site};
    use super::*;
    use crate::diag::Lang;
    use crate::load::{ResultsContent, ResultsFile};

    const CLEAN: &str = "month: 2026-03\nnote: |\n  Hello **x**\nresults:\n  zhang-wei: {sales: {actual: 90, target: 100}, sat: 95, complaints: 0, bonus: [{points: 1, reason: R}]}\n  li-na:\n    sales: {target: 3.5, actual: 0}\n    sat: 100\n    complaints: 2\n    deductions: [{points: 0.5, reason: late}]\n    veto: 违纪\n";

    /// The fast path's month and the full check's (month, number of problems) for `yaml`.
    fn both(stem: &str, yaml: &str) -> (Option<String>, Option<String>, usize) {
        let (config, managers) = site();
        let idx = manager_index(&managers);
        let cx = Context::new(Lang::En, &config, &managers, &idx);
        let fast = results(&cx, yaml, stem, "r.yaml").map(|m| format!("{m:?}"));
        let parsed = crate::load::parse_results("r.yaml", yaml, Lang::En);
        let slow = cx.check(ResultsFile {
            source: 0,
            stem: stem.to_string(),
            display: "r.yaml".to_string(),
            key: None,
            content: ResultsContent::Read {
                text: Some(yaml.to_string()),
                parsed,
            },
        });
        let n = slow.problems.pending.len() + slow.problems.located.len();
        (fast, slow.month.map(|m| format!("{m:?}")), n)
    }

    /// Whenever the fast path gives a month, the full check finds no problem and builds the
    /// same month.
    fn agrees(stem: &str, yaml: &str) -> bool {
        let (fast, slow, problems) = both(stem, yaml);
        if let Some(f) = &fast {
            assert_eq!(
                problems, 0,
                "fast path accepted a file with problems:\n{yaml}"
            );
            assert_eq!(Some(f), slow.as_ref(), "different months for:\n{yaml}");
        }
        fast.is_some()
    }

    #[test]
    fn clean_files_take_the_fast_path_with_the_same_month() {
        assert!(agrees("2026-03", CLEAN));
        for (from, to) in [
            ("sat: 95", "sat: 95.0"),
            ("sat: 95", "sat: 0x10"),
            ("sat: 95", "sat: 1e1"),
            ("sat: 95", "sat: +5"),
            ("sat: 95", "sat: -0.0"),
            ("sat: 95", "sat: .5"),
            ("note: |\n  Hello **x**\n", ""),
            ("note: |\n  Hello **x**\n", "note: \"\"\n"),
            ("note: |\n  Hello **x**\n", "note:\n"),
            ("veto: 违纪", "veto:"),
            ("bonus: [{points: 1, reason: R}]", "bonus: []"),
            ("bonus: [{points: 1, reason: R}]", "bonus: ~"),
            ("zhang-wei: {", "zhang-wei: &a {"),
            ("month: 2026-03\n", "---\nmonth: 2026-03\n"),
            ("zhang-wei", "chen-jing"),
        ] {
            let yaml = CLEAN.replace(from, to);
            let stem = if from == "zhang-wei" {
                "2026-02"
            } else {
                "2026-03"
            };
            let yaml = yaml.replace("2026-03", stem);
            assert!(agrees(stem, &yaml), "not on the fast path:\n{yaml}");
        }
        assert!(agrees("2026-03", "month: 2026-03\nresults:\n"));
    }

    #[test]
    fn anything_unusual_leaves_the_fast_path() {
        let cases = [
            ("  li-na:\n", "  zhang-wei:\n"),
            ("    sat: 100\n", "    sat: 100\n    sat: 100\n"),
            ("month: 2026-03\n", "month: 2026-03\nmonth: 2026-03\n"),
            ("sat: 95", "sat: !!str 95"),
            ("sat: 95", "sat: !custom 95"),
            ("sat: 95", "sat: \"95\""),
            ("sat: 95", "sat: 101"),
            ("sat: 95", "sat: .nan"),
            ("sat: 95", "sat: 1e400"),
            ("sat: 95", "sat: 1_000"),
            ("sat: 95", "sat: 012"),
            ("sat: 95", "sat: 99999999999999999999"),
            ("sat: 95", "sat: true"),
            ("sat: 95", "sat: ~"),
            ("sat: 95", "sat: [95]"),
            ("complaints: 0", "complaints: -1"),
            ("complaints: 0", "complaints: 1e13"),
            ("actual: 90", "actual: -1"),
            ("target: 100", "target: 0"),
            ("target: 100", "target: 100, extra: 1"),
            ("{actual: 90, target: 100}", "{actual: 90}"),
            (
                "{actual: 90, target: 100}",
                "{actual: 90, target: 100, actual: 90}",
            ),
            ("{actual: 90, target: 100}", "90"),
            ("sat: 95", "sat: 95, training: 80"),
            ("sat: 95", "sat: 95, satt: 1"),
            ("sat: 95, ", ""),
            ("reason: R", "reason: \"\""),
            ("reason: R", "reason: \" \""),
            ("reason: R", "reason: 123"),
            ("reason: R", "reason: \"a\\u202Eb\""),
            ("reason: R", "reason: R, note: x"),
            ("{points: 1, reason: R}", "{reason: R}"),
            ("{points: 1, reason: R}", "{points: ~, reason: R}"),
            ("bonus: [{points: 1, reason: R}]", "bonus: {}"),
            ("bonus: [{points: 1, reason: R}]", "bonus: [], bonus: []"),
            ("veto: 违纪", "veto: \"\""),
            ("veto: 违纪", "veto: 3"),
            ("note: |\n  Hello **x**\n", "note: 123\n"),
            ("note: |\n  Hello **x**\n", "note: \"a\\x07\"\n"),
            ("note: |\n  Hello **x**\n", "title: x\n"),
            ("month: 2026-03\n", "month: 2026-04\n"),
            ("month: 2026-03\n", "month: 202603\n"),
            ("month: 2026-03\n", ""),
            ("zhang-wei:", "zhang-wie:"),
            ("zhang-wei:", "chen-jing:"),
            ("zhang-wei:", "Zhang-Wei:"),
            ("zhang-wei:", "1:"),
            ("  li-na:\n", "  li-na: *a\n  x:\n"),
            (
                "sales: {target: 3.5, actual: 0}",
                "<<: {sales: {target: 3.5, actual: 0}}",
            ),
            ("results:\n", "results: []\nx:\n"),
        ];
        for (from, to) in cases {
            assert!(CLEAN.contains(from), "{from}");
            let yaml = CLEAN.replacen(from, to, 1);
            assert!(!agrees("2026-03", &yaml), "took the fast path:\n{yaml}");
        }
        for yaml in ["", "~\n", "[]\n", "month: [\n", "a: 1\n---\nb: 2\n"] {
            assert!(!agrees("2026-03", yaml), "took the fast path:\n{yaml}");
        }
        assert!(!agrees("march", CLEAN));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Random edits of a clean file (a character removed, replaced or inserted; a line
        /// repeated): whenever the fast path still gives a month, it is the full check's.
        #[test]
        fn random_edits_never_change_the_answer(
            at in 0usize..400,
            op in 0u8..4,
            c in proptest::sample::select(vec![' ', ':', '-', '"', '{', '}', '[', ']', ',', '&', '*', '!', '#', '~', '.', '0', '9', 'e', 'x', '\n', '\t', 'é']),
        ) {
            let mut chars: Vec<char> = CLEAN.chars().collect();
            let at = at % chars.len();
            match op {
                0 => { chars.remove(at); }
                1 => chars[at] = c,
                2 => chars.insert(at, c),
                _ => {
                    let lines: Vec<&str> = CLEAN.lines().collect();
                    let i = at % lines.len();
                    let mut l = lines.clone();
                    l.insert(i, lines[i]);
                    chars = (l.join("\n") + "\n").chars().collect();
                }
            }
            let yaml: String = chars.into_iter().collect();
            agrees("2026-03", &yaml);
        }
    }
}
