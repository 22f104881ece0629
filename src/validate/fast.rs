//! The fast path for monthly results files and training sessions, the bulk of a site's data:
//! the YAML text deserialised straight into a [`MonthResults`] or a [`Training`] (serde over
//! `yaml_serde`'s deserializer), without building a [`Value`](crate::yaml::Value) tree, for
//! files that are clean.
//!
//! It gives up (returns `None`) at the first thing that is not plainly right — anything the
//! full check in `results` would report, and anything unusual it does not need to understand
//! (a duplicate key, a tag, text where a number goes, a number where text goes, huge
//! integers) — and the caller then parses the file into a tree and runs that check, which
//! finds every problem with its position. So its answer is either exactly the month the full
//! check builds, or nothing. Every node is read with `deserialize_any`, as the tree is: each
//! scalar resolves to the same type and value (null, bool, integer, float, text) on both paths.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::check::text_problem;
use super::results::Context;
use super::rules::{self, keys, Range, Rule};
use crate::model::{
    Attendance, Date, Entry, Item, Month, MonthResults, Training, TrainingKind, Value,
};

/// The keys of an entry besides indicator ids.
const ENTRIES: [&str; 3] = keys::ENTRY;

/// Deserialises `text` (the results file `file`, named `stem`) into its month when the file is
/// clean; `None` when the full check has to look at it.
pub(super) fn results(cx: &Context, text: &str, stem: &str, file: &str) -> Option<MonthResults> {
    let file_month = Month::parse(stem)?;
    if crate::yaml::too_deep(text).is_some() {
        return None;
    }
    let de = yaml_serde::Deserializer::from_str(text);
    let (month, note, entries) = Doc { cx }.deserialize(de).ok()?;
    if month != file_month || !month.in_range() {
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
        while let Some(key) = m.next_key_seed(Key(&keys::RESULTS_FILE))? {
            match key {
                0 if month.is_none() => month = Some(m.next_value_seed(Str(Month::parse))?),
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

/// Text that `.0` turns into a value (a month, a date, an id…).
struct Str<F>(F);

impl<'de, T, F: FnOnce(&str) -> Option<T>> DeserializeSeed<'de> for Str<F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, F: FnOnce(&str) -> Option<T>> Visitor<'de> for Str<F> {
    type Value = T;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        (self.0)(s).ok_or_else(give_up)
    }
}

/// `true` or `false`.
struct Bool;

impl<'de> DeserializeSeed<'de> for Bool {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bool {
    type Value = bool;
    expecting!();
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<bool, E> {
        Ok(b)
    }
}

/// Optional text (an empty value is `None`) without a text problem; where text is required,
/// the caller also refuses `None` and blank text.
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
            Some(&Some(i)) => Ok(EntryKey::Indicator(i)),
            Some(None) | None => Err(give_up()),
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
                    let value = match rules::value_rules(&indicators[i].method) {
                        [] => return Err(give_up()),
                        [one] => Value::Number(m.next_value_seed(Num(one.range))?),
                        parts => m.next_value_seed(Parts(parts))?,
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
            .map(|(v, ind)| match v {
                Some(v) => Some(v),
                None if rules::value_rules(&ind.method).is_empty() => Some(Value::None),
                None => None,
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
        if self.0.accepts(x) {
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

/// A value of several numbers (`ratio`: `{actual: …, target: …}`), each once and within its
/// rule.
struct Parts(&'static [Rule]);

impl<'de> DeserializeSeed<'de> for Parts {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Parts {
    type Value = Value;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let mut got = [None; 2];
        while let Some(key) = m.next_key_seed(PartKey(self.0))? {
            if got[key].is_some() {
                return Err(give_up());
            }
            got[key] = Some(m.next_value_seed(Num(self.0[key].range))?);
        }
        match got {
            [Some(actual), Some(target)] => Ok(Value::Ratio { actual, target }),
            _ => Err(give_up()),
        }
    }
}

/// The key of one of the numbers of a [`Parts`] value, as its index in the rules.
struct PartKey(&'static [Rule]);

impl<'de> DeserializeSeed<'de> for PartKey {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PartKey {
    type Value = usize;
    expecting!();
    fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|r| r.part.key() == Some(s))
            .ok_or_else(give_up)
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
        while let Some(key) = m.next_key_seed(Key(&keys::ITEM))? {
            match key {
                0 if points.is_none() => points = Some(m.next_value_seed(Num(rules::ITEM_POINTS))?),
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

/// What checking a training session needs from the rest of the site.
pub(super) struct TrainingContext<'a> {
    /// Manager ids to their index.
    pub(super) mgr_idx: &'a HashMap<String, usize>,
    /// Plan ids to their index.
    pub(super) plan_idx: &'a HashMap<&'a str, usize>,
}

/// Deserialises `text` (the training session `file`) when the file is clean; `None` when the
/// full check has to look at it. Whether its id is used by another file is the caller's check.
pub(super) fn training(cx: &TrainingContext, text: &str, file: &str) -> Option<Training> {
    if crate::yaml::too_deep(text).is_some() {
        return None;
    }
    let de = yaml_serde::Deserializer::from_str(text);
    let mut t = Session(cx).deserialize(de).ok()?;
    t.file = file.to_string();
    Some(t)
}

/// A training session's root.
struct Session<'a, 'c>(&'a TrainingContext<'c>);

impl<'de> DeserializeSeed<'de> for Session<'_, '_> {
    type Value = Training;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Training, D::Error> {
        d.deserialize_any(self)
    }
}

/// Required text: there, and not blank.
fn required(text: Option<Option<String>>) -> Option<String> {
    text.flatten().filter(|s| !s.trim().is_empty())
}

impl<'de> Visitor<'de> for Session<'_, '_> {
    type Value = Training;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Training, A::Error> {
        let cx = self.0;
        let mut seen = [false; keys::SESSION.len()];
        let (mut id, mut title, mut date, mut kind, mut topic) = (None, None, None, None, None);
        let (mut hours, mut instructor, mut plan, mut attendees) = (None, None, None, None);
        while let Some(key) = m.next_key_seed(Key(&keys::SESSION))? {
            if std::mem::replace(&mut seen[key], true) {
                return Err(give_up());
            }
            match key {
                0 => {
                    id =
                        Some(m.next_value_seed(Str(|s: &str| {
                            super::is_id(s).then(|| s.to_string())
                        }))?)
                }
                1 => title = Some(m.next_value_seed(Text { key: "title" })?),
                2 => date = Some(m.next_value_seed(Str(Date::parse))?),
                3 => kind = Some(m.next_value_seed(Str(TrainingKind::parse))?),
                4 => topic = m.next_value_seed(Text { key: "topic" })?,
                5 => hours = Some(m.next_value_seed(Num(rules::HOURS))?),
                6 => instructor = m.next_value_seed(Text { key: "instructor" })?,
                7 => plan = m.next_value_seed(Plan(cx.plan_idx))?,
                _ => attendees = Some(m.next_value_seed(Attendees(cx.mgr_idx))?),
            }
        }
        match (id, required(title), date, kind, hours, attendees) {
            (Some(id), Some(title), Some(date), Some(kind), Some(hours), Some(attendees)) => {
                Ok(Training {
                    id,
                    title,
                    date,
                    kind,
                    topic,
                    hours,
                    instructor,
                    plan,
                    attendees,
                    file: String::new(),
                })
            }
            _ => Err(give_up()),
        }
    }
}

/// `plan:` a plan id from `training-plan.yaml`, or empty.
struct Plan<'a>(&'a HashMap<&'a str, usize>);

impl<'de> DeserializeSeed<'de> for Plan<'_> {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Plan<'_> {
    type Value = Option<usize>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Option<usize>, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<usize>, E> {
        self.0.get(s).map(|&i| Some(i)).ok_or_else(give_up)
    }
}

/// `attendees:` manager id → attendance, each manager once.
struct Attendees<'a>(&'a HashMap<String, usize>);

impl<'de> DeserializeSeed<'de> for Attendees<'_> {
    type Value = Vec<Attendance>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Attendance>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Attendees<'_> {
    type Value = Vec<Attendance>;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vec<Attendance>, A::Error> {
        let idx = self.0;
        let mut out = Vec::with_capacity(m.size_hint().unwrap_or(0));
        let mut seen = std::collections::HashSet::new();
        let id = |s: &str| idx.get(s).copied().filter(|_| super::is_id(s));
        while let Some(manager) = m.next_key_seed(Str(id))? {
            if !seen.insert(manager) {
                return Err(give_up());
            }
            out.push(m.next_value_seed(AttendanceSeed(manager))?);
        }
        Ok(out)
    }
}

/// One attendee: `present`, and `excused` only when absent, `score` only when present.
struct AttendanceSeed(usize);

impl<'de> DeserializeSeed<'de> for AttendanceSeed {
    type Value = Attendance;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Attendance, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AttendanceSeed {
    type Value = Attendance;
    expecting!();
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Attendance, A::Error> {
        let mut seen = [false; keys::ATTENDANCE.len()];
        let (mut present, mut excused, mut score, mut reason) = (None, None, None, None);
        while let Some(key) = m.next_key_seed(Key(&keys::ATTENDANCE))? {
            if std::mem::replace(&mut seen[key], true) {
                return Err(give_up());
            }
            match key {
                0 => present = Some(m.next_value_seed(Bool)?),
                1 => score = m.next_value_seed(OptNum(rules::SCORE))?,
                2 => excused = m.next_value_seed(OptBool)?,
                _ => reason = m.next_value_seed(Text { key: "reason" })?,
            }
        }
        let excused = excused.unwrap_or(false);
        match present {
            Some(present) if !(present && excused) && (present || score.is_none()) => {
                Ok(Attendance {
                    manager: self.0,
                    present,
                    excused,
                    score,
                    reason,
                })
            }
            _ => Err(give_up()),
        }
    }
}

/// An optional number (empty is `None`) as [`Num`].
struct OptNum(Range);

impl<'de> DeserializeSeed<'de> for OptNum {
    type Value = Option<f64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<f64>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OptNum {
    type Value = Option<f64>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Option<f64>, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, x: u64) -> Result<Option<f64>, E> {
        Num(self.0).visit_u64(x).map(Some)
    }
    fn visit_i64<E: de::Error>(self, x: i64) -> Result<Option<f64>, E> {
        Num(self.0).visit_i64(x).map(Some)
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Option<f64>, E> {
        Num(self.0).visit_f64(x).map(Some)
    }
}

/// An optional boolean (empty is `None`).
struct OptBool;

impl<'de> DeserializeSeed<'de> for OptBool {
    type Value = Option<bool>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OptBool {
    type Value = Option<bool>;
    expecting!();
    fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<bool>, E> {
        Ok(Some(b))
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
        let parsed = crate::load::parse_data("r.yaml", yaml, Lang::En);
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

    const SESSION: &str = "id: t1\ntitle: 营销培训\ndate: 2026-01-10\nkind: routine\ntopic: T\nhours: 2.5\ninstructor: 王\nplan: p1\nattendees:\n  li-na: {present: false, excused: true, reason: 病假}\n  zhang-wei: {present: true, score: 80}\n  chen-jing: {present: true}\n";

    /// As [`agrees`], for a training session.
    fn session_agrees(yaml: &str) -> bool {
        let (_, managers) = site();
        let idx = manager_index(&managers);
        let (plans, _) = super::super::testing::check(
            Lang::En,
            "plans:\n  - {id: p1, month: 2026-01, title: A}\n  - {id: '5', month: 2026-01, title: B}\n",
            super::super::training::plans,
        );
        let plan_idx: HashMap<&str, usize> = plans
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let cx = TrainingContext {
            mgr_idx: &idx,
            plan_idx: &plan_idx,
        };
        let fast = training(&cx, yaml, "t.yaml").map(|t| format!("{t:?}"));
        let mut probs = crate::diag::Problems::default();
        let slow = match crate::load::parse_data("t.yaml", yaml, Lang::En) {
            Ok(v) => v.and_then(|v| {
                let mut c = super::super::check::V::new(Lang::En, 0, &mut probs);
                super::super::training::training(
                    &mut c,
                    &v,
                    "t.yaml".into(),
                    &idx,
                    &plan_idx,
                    &plans,
                )
            }),
            Err(_) => None,
        };
        if let Some(f) = &fast {
            assert!(
                probs.is_empty(),
                "fast path accepted a session with problems:\n{yaml}"
            );
            assert_eq!(Some(f), slow.map(|t| format!("{t:?}")).as_ref(), "{yaml}");
        }
        fast.is_some()
    }

    #[test]
    fn training_sessions_take_the_fast_path_only_when_clean() {
        assert!(session_agrees(SESSION));
        for (from, to) in [
            ("topic: T\n", ""),
            ("instructor: 王\n", "instructor:\n"),
            ("plan: p1\n", ""),
            ("plan: p1\n", "plan: ~\n"),
            (
                "{present: true}",
                "{present: true, excused: false, score: ~, reason: ~}",
            ),
        ] {
            let yaml = SESSION.replacen(from, to, 1);
            assert!(session_agrees(&yaml), "not on the fast path:\n{yaml}");
        }
        for (from, to) in [
            ("id: t1", "id: T1"),
            ("id: t1", "id: 12"),
            ("title: 营销培训", "title: \" \""),
            ("title: 营销培训", "title: 12"),
            ("date: 2026-01-10", "date: 2026-02-30"),
            ("kind: routine", "kind: lecture"),
            ("kind: routine\n", ""),
            ("hours: 2.5", "hours: 0"),
            ("hours: 2.5", "hours: \"2\""),
            ("plan: p1", "plan: p2"),
            ("plan: p1", "plan: 5"),
            ("topic: T", "topic: \"a\\x07\""),
            ("topic: T\n", "topic: T\ntopic: T\n"),
            ("topic: T\n", "room: 1\n"),
            ("attendees:\n", "attendees: []\nx:\n"),
            (
                "{present: false, excused: true, reason: 病假}",
                "{present: false, score: 60}",
            ),
            ("{present: true, score: 80}", "{present: true, score: 101}"),
            (
                "{present: true, score: 80}",
                "{present: true, excused: true}",
            ),
            ("{present: true, score: 80}", "{present: yes}"),
            ("{present: true, score: 80}", "{score: 80}"),
            ("{present: true, score: 80}", "{present: true, note: x}"),
            ("  chen-jing:", "  li-na:"),
            ("  chen-jing:", "  wang-fang:"),
        ] {
            assert!(SESSION.contains(from), "{from}");
            let yaml = SESSION.replacen(from, to, 1);
            assert!(!session_agrees(&yaml), "took the fast path:\n{yaml}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// As [`random_edits_never_change_the_answer`], for a training session.
        #[test]
        fn random_edits_of_a_session_never_change_the_answer(
            at in 0usize..400,
            op in 0u8..3,
            c in proptest::sample::select(vec![' ', ':', '-', '"', '{', '}', ',', '0', '9', 'e', '~', '\n', 'x']),
        ) {
            let mut chars: Vec<char> = SESSION.chars().collect();
            let at = at % chars.len();
            match op {
                0 => { chars.remove(at); }
                1 => chars[at] = c,
                _ => chars.insert(at, c),
            }
            session_agrees(&chars.into_iter().collect::<String>());
        }
    }
}
