//! `site.yaml` read through typed structures.
//!
//! Each block of the file (the root, `indicators`, `awards`, `watch`, `training`,
//! `suggestions`, `annual`, `bulletin` with `smtp`, `ratings`, `pay`, `grades`) is read by one
//! reader into its typed result ([`Config`](crate::model::Config) and the structures in it).
//! A reader reads a mapping through a [`Block`]: one call per key, which names the key, its
//! type (the method called), its rule (range, minimum, choices) and, with `unwrap_or`, its
//! default; e.g. `w.int(c, "bottom", 0).unwrap_or(3)`. The keys a block reads are its allowed
//! keys: [`Block::finish`] reports every other key (with a suggestion), so a new setting is
//! one field and one line. Every message comes from the checker ([`super::check`]), so
//! messages and positions are those of every other data file, and every problem is reported
//! at once.
//!
//! - [`site`]: the root and the plain blocks (`watch`, `training`, `suggestions`, `annual`);
//! - [`indicators`]: the indicators (one row per scoring method) and the awards;
//! - [`bulletin`]: `bulletin` and its `smtp`;
//! - [`policy`]: contract version 2 (`ratings`, `pay`, `grades`, the month counts).
mod bulletin;
mod indicators;
mod policy;
mod site;

use std::cell::{Cell, RefCell};

use super::check::{Range, P, V};
use crate::decimal::Decimal;
use crate::diag::t;
use crate::yaml::Value;

pub(super) use indicators::broken_indicators;
pub(super) use site::site_config;

/// One mapping of `site.yaml` being read: its path, its value (absent: every key takes its
/// default), and the keys read so far, which are its allowed keys in the order read.
pub(super) struct Block<'a, 'v> {
    /// The mapping's path in the file.
    p: P<'a>,
    /// The value written there, if any (not null).
    v: Option<&'v Value>,
    /// The text of `site.yaml`, to read exact decimals as written.
    text: Option<&'v str>,
    /// What the mapping is, for "… must be a mapping".
    what: String,
    /// The keys read, in order: the allowed keys.
    keys: RefCell<Vec<&'static str>>,
    /// Set by [`Block::finish`]; checked when dropped (debug builds), so that no block's
    /// unknown keys go unreported.
    finished: Cell<bool>,
}

/// The outcome of an enumerated key ([`Block::choice`]).
pub(super) enum Choice<T> {
    /// Missing or null.
    Absent,
    /// One of the words.
    Is(T),
    /// Something else: reported.
    Wrong,
}

impl<'a, 'v> Block<'a, 'v> {
    /// The mapping `v` at `p` (`what` names it in messages); null is taken as absent.
    pub(super) fn new(p: P<'a>, v: Option<&'v Value>, text: Option<&'v str>, what: &str) -> Self {
        Block {
            p,
            v: v.filter(|v| !v.is_null()),
            text,
            what: what.to_string(),
            keys: RefCell::new(Vec::new()),
            finished: Cell::new(false),
        }
    }

    /// An item of a list at `p`: unlike a block under a key, null is not taken as absent
    /// (an item must be a mapping).
    pub(super) fn item(p: P<'a>, v: &'v Value, text: Option<&'v str>, what: &str) -> Self {
        let mut b = Block::new(p, Some(v), text, what);
        b.v = Some(v);
        b
    }

    /// The mapping, if the value is one.
    fn map(&self) -> Option<&'v yaml_serde::Mapping> {
        self.v.and_then(Value::as_mapping)
    }

    /// Records `key` as allowed and returns the mapping to read it from.
    fn take(&self, key: &'static str) -> Option<&'v yaml_serde::Mapping> {
        let mut keys = self.keys.borrow_mut();
        if !keys.contains(&key) {
            keys.push(key);
        }
        self.map()
    }

    /// The path of `key` in this mapping, for a rule's own message.
    pub(super) fn at(&self, key: &'static str) -> P<'_> {
        self.p.k(key)
    }

    /// The path of this mapping.
    pub(super) fn path(&self) -> P<'a> {
        self.p
    }

    /// The value of `key`, if written and not null, without taking it as one of this block's
    /// keys: for a rule of another block that depends on it (e.g. `ratings` for `pay`).
    pub(super) fn peek(&self, key: &str) -> Option<&'v Value> {
        self.map()?.get(key).filter(|v| !v.is_null())
    }

    /// The value of `key` (allowed), if written and not null: for a rule of its own.
    pub(super) fn value(&self, key: &'static str) -> Option<&'v Value> {
        self.take(key)?.get(key).filter(|v| !v.is_null())
    }

    /// True when `key` (allowed) is written with a value (not null).
    pub(super) fn has(&self, key: &'static str) -> bool {
        self.value(key).is_some()
    }

    /// The sub-mapping `key` (allowed), read as a block of its own named by the key.
    pub(super) fn block(&self, key: &'static str) -> Block<'_, 'v> {
        let v = self.take(key).and_then(|m| m.get(key));
        Block::new(self.p.k(key), v, self.text, key)
    }

    /// Optional text (numbers accepted as text).
    pub(super) fn text(&self, c: &mut V, key: &'static str) -> Option<String> {
        c.text(self.p, self.take(key)?, key, false)
    }

    /// Required, non-empty text.
    pub(super) fn required_text(&self, c: &mut V, key: &'static str) -> Option<String> {
        c.text(self.p, self.take(key)?, key, true)
    }

    /// A required id; `what` names it in messages.
    pub(super) fn id(&self, c: &mut V, key: &'static str, what: &str) -> Option<String> {
        c.id(self.p, self.take(key)?, key, what)
    }

    /// An optional whole number from `min` to 1 000 000.
    pub(super) fn int(&self, c: &mut V, key: &'static str, min: i64) -> Option<i64> {
        c.int(self.p, self.take(key)?, key, min)
    }

    /// An optional number in `range`.
    pub(super) fn num(&self, c: &mut V, key: &'static str, range: Range) -> Option<f64> {
        c.num(self.p, self.take(key)?, key, false, range)
    }

    /// An optional boolean.
    pub(super) fn boolean(&self, c: &mut V, key: &'static str) -> Option<bool> {
        c.boolean(self.p, self.take(key)?, key, false)
    }

    /// An optional list (not a list: reported, and read as empty).
    pub(super) fn list(&self, c: &mut V, key: &'static str) -> &'v [Value] {
        match self.take(key) {
            Some(m) => c.seq(self.p, m, key, false),
            None => &[],
        }
    }

    /// A required list.
    pub(super) fn required_list(&self, c: &mut V, key: &'static str) -> &'v [Value] {
        match self.take(key) {
            Some(m) => c.seq(self.p, m, key, true),
            None => &[],
        }
    }

    /// An exact decimal as written in the file (e.g. `60000.50`), if written.
    pub(super) fn decimal(&self, c: &mut V, key: &'static str) -> Option<Option<Decimal>> {
        let v = self.value(key)?;
        Some(decimal(c, self.p.k(key), v, key, self.text))
    }

    /// An enumerated key: one of `words`, each with its value. Anything else is reported with
    /// `message(c, found)`, where `found` is the value written.
    pub(super) fn choice<T: Copy>(
        &self,
        c: &mut V,
        key: &'static str,
        words: &[(&str, T)],
        message: impl Fn(&V, &Value) -> String,
    ) -> Choice<T> {
        let Some(v) = self.value(key) else {
            return Choice::Absent;
        };
        if let Some(&(_, x)) = v.as_str().and_then(|s| words.iter().find(|(w, _)| *w == s)) {
            return Choice::Is(x);
        }
        let msg = message(c, v);
        c.err(self.p.k(key), msg);
        Choice::Wrong
    }

    /// Reports the value if it is not a mapping, and every key that was not read, with a
    /// suggestion (what [`V::map`] does with the keys read as the allowed ones).
    pub(super) fn finish(self, c: &mut V) {
        self.finished.set(true);
        if let Some(v) = self.v {
            let keys = self.keys.borrow();
            c.map(self.p, v, &keys, &self.what);
        }
    }
}

impl Drop for Block<'_, '_> {
    fn drop(&mut self) {
        debug_assert!(
            self.finished.get() || std::thread::panicking(),
            "a block of site.yaml was read without Block::finish: its unknown keys go unreported"
        );
    }
}

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
