//! The checker shared by every kind of data file: the lazily built YAML path of the node being
//! checked ([`P`]), the collector of one file's problems ([`V`]) and its helpers for mappings
//! with known keys, text, ids, numbers (with their [`Range`]), whole numbers, booleans, months,
//! dates, lists and manager ids, plus the "did you mean" suggestion and the text rules
//! (no control or bidi characters, nothing only invisible).
use std::collections::HashMap;

use super::field::Field;
use super::is_id;
use crate::diag::{t, At, Lang, Problems};
use crate::model::{Date, Month};
use crate::yaml::{type_name, Seg, Value};

pub(super) use super::rules::{not_finite, Range};

/// A path to the node being checked, built lazily so the happy path allocates nothing.
#[derive(Clone, Copy)]
pub(super) struct P<'a> {
    parent: Option<&'a P<'a>>,
    seg: S<'a>,
}

#[derive(Clone, Copy)]
enum S<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> P<'a> {
    pub(super) const ROOT: P<'static> = P {
        parent: None,
        seg: S::Root,
    };

    pub(super) fn k(&'a self, key: &'a str) -> P<'a> {
        P {
            parent: Some(self),
            seg: S::Key(key),
        }
    }

    pub(super) fn i(&'a self, i: usize) -> P<'a> {
        P {
            parent: Some(self),
            seg: S::Index(i),
        }
    }

    pub(super) fn to_vec(self) -> Vec<Seg> {
        let mut v = Vec::new();
        let mut cur = Some(&self);
        while let Some(p) = cur {
            match p.seg {
                S::Root => {}
                S::Key(k) => v.push(Seg::Key(k.to_string())),
                S::Index(i) => v.push(Seg::Index(i)),
            }
            cur = p.parent;
        }
        v.reverse();
        v
    }
}

/// Text keys that may hold several lines (Markdown); every other text is a single line (names,
/// titles: they go into headings, table cells and email headers).
const MULTILINE_KEYS: &[&str] = &["note"];

/// Characters that show nothing: zero-width spaces and joiners, direction marks, the BOM,
/// fillers. A name made only of these (and spaces) looks empty.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{2800}' | '\u{3164}'
        | '\u{FEFF}' | '\u{FFA0}')
}

/// The problem with a text value, if any: a control character (C0 except tab, and except
/// line breaks in [`MULTILINE_KEYS`]; DEL; C1), a line or paragraph separator in single-line
/// text, a bidi override or isolate (U+202A–202E, U+2066–2069: they reorder what is shown),
/// or a value made only of invisible characters and spaces.
pub(crate) fn text_problem(lang: Lang, key: &str, s: &str) -> Option<String> {
    let multiline = MULTILINE_KEYS.contains(&key);
    let bad = s.char_indices().enumerate().find(|(_, (_, c))| match c {
        '\t' => false,
        '\n' | '\r' => !multiline,
        '\u{2028}' | '\u{2029}' => !multiline,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    });
    if let Some((n, (_, c))) = bad {
        let what = match c {
            '\n' => t!(lang, "换行符", "line feed"),
            '\r' => t!(lang, "回车符", "carriage return"),
            '\0' => t!(lang, "空字符 NUL", "NUL"),
            '\u{1B}' => t!(lang, "转义符 ESC", "escape"),
            '\u{2028}' | '\u{2029}' => t!(lang, "分行符", "line separator"),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                t!(lang, "文字方向控制符", "bidi control")
            }
            _ => t!(lang, "控制字符", "control character"),
        };
        let code = c as u32;
        return Some(t!(
            lang,
            "\"{}\" 的第 {} 个字符是不可见的{}（U+{:04X}），此处不允许；请删除它（常见于从网页或聊天软件复制的文字）",
            "\"{}\": character {} is an invisible {} (U+{:04X}), not allowed here; delete it (it often comes with text copied from web pages or chat apps)",
            key,
            n + 1,
            what,
            code
        ));
    }
    if s.chars().any(is_invisible) && s.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Some(t!(
            lang,
            "\"{}\" 只含不可见字符，看起来是空的；请填写可见的文字",
            "\"{}\" holds only invisible characters and looks empty; write visible text",
            key
        ));
    }
    None
}

/// Shows a scalar as the user wrote it, for messages.
pub(super) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.chars().take(60).collect::<String>()),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => String::new(),
    }
}

/// The checker of one file.
pub(super) struct V<'p> {
    pub(super) lang: Lang,
    pub(super) file: usize,
    pub(super) probs: &'p mut Problems,
}

impl<'p> V<'p> {
    /// A checker of the file with source index `file`, recording into `probs`.
    pub(super) fn new(lang: Lang, file: usize, probs: &'p mut Problems) -> V<'p> {
        V { lang, file, probs }
    }

    pub(super) fn err(&mut self, p: P, msg: String) {
        self.probs.at(self.file, &p.to_vec(), At::Value, msg);
    }

    pub(super) fn err_key(&mut self, p: P, msg: String) {
        self.probs.at(self.file, &p.to_vec(), At::Key, msg);
    }

    pub(super) fn describe(&self, v: &Value) -> String {
        let s = shown(v);
        let ty = type_name(v, self.lang == Lang::Zh);
        if s.is_empty() {
            ty.into_owned()
        } else {
            t!(self.lang, "{}（{}）", "{} ({})", s, ty)
        }
    }

    /// Checks that `v` is a mapping whose keys are all in `allowed`; reports unknown keys.
    pub(super) fn map<'v>(
        &mut self,
        p: P,
        v: &'v Value,
        allowed: &[&str],
        what: &str,
    ) -> Option<&'v yaml_serde::Mapping> {
        let Value::Mapping(m) = v else {
            let d = self.describe(v);
            self.err(
                p,
                t!(
                    self.lang,
                    "{}应为键值映射（key: value），实际是 {}",
                    "{} must be a mapping (key: value), found {}",
                    what,
                    d
                ),
            );
            return None;
        };
        for (k, _) in m {
            let key = k.as_str().map(str::to_string).unwrap_or_else(|| shown(k));
            if !allowed.contains(&key.as_str()) {
                let hint = suggest(&key, allowed.iter().copied());
                let list = allowed.join(", ");
                let msg = match hint {
                    Some(h) => t!(
                        self.lang,
                        "未知的键 \"{}\"（是否应为 \"{}\"？）；此处允许的键：{}",
                        "unknown key \"{}\" (did you mean \"{}\"?); allowed here: {}",
                        key,
                        h,
                        list
                    ),
                    None => t!(
                        self.lang,
                        "未知的键 \"{}\"；此处允许的键：{}",
                        "unknown key \"{}\"; allowed here: {}",
                        key,
                        list
                    ),
                };
                self.err_key(p.k(&key), msg);
            }
        }
        Some(m)
    }

    /// Reports `v` unless it is a mapping (or empty); keys are checked by the caller.
    pub(super) fn is_map(&mut self, p: P, v: &Value, what: &str) {
        if !matches!(v, Value::Mapping(_) | Value::Null) {
            let d = self.describe(v);
            self.err(
                p,
                t!(
                    self.lang,
                    "\"{}\" 应为键值映射（编号: 内容），实际是 {}",
                    "\"{}\" must be a mapping (id: …), found {}",
                    what,
                    d
                ),
            );
        }
    }

    pub(super) fn missing(&mut self, p: P, key: &str, expected: &str) {
        self.err(
            p.k(key),
            t!(
                self.lang,
                "缺少必填项 \"{}\"（应为{}）",
                "missing required key \"{}\" (expected {})",
                key,
                expected
            ),
        );
    }

    /// A required or optional scalar rendered as text (numbers accepted for free text).
    pub(super) fn text(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
    ) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                let e = t!(self.lang, "文本", "text");
                self.missing(p, key, &e);
                None
            }
            Some(Value::String(s)) => {
                if let Some(msg) = text_problem(self.lang, key, s) {
                    self.err(p.k(key), msg);
                } else if required && s.trim().is_empty() {
                    self.err(
                        p.k(key),
                        t!(
                            self.lang,
                            "\"{}\" 不能为空",
                            "\"{}\" must not be empty",
                            key
                        ),
                    );
                }
                Some(s.clone())
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(v) => {
                let e = t!(self.lang, "文本", "text");
                self.wrong_kind(p.k(key), key, v, &e);
                None
            }
        }
    }

    pub(super) fn id_value(&mut self, p: P, v: &Value, what: &str) -> Option<String> {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                let d = self.describe(other);
                self.err(
                    p,
                    t!(
                        self.lang,
                        "{}应为编号（id），实际是 {}",
                        "{} must be an id, found {}",
                        what,
                        d
                    ),
                );
                return None;
            }
        };
        if !is_id(&s) {
            self.err(p, t!(self.lang,
                "{} \"{}\" 不是合法的编号：只能使用小写字母、数字、- 和 _，以字母或数字开头，最长 64 个字符（例如 zhang-wei）",
                "{} \"{}\" is not a valid id: use lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters (e.g. zhang-wei)",
                what, s.chars().take(80).collect::<String>()));
            return None;
        }
        Some(s)
    }

    pub(super) fn id(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        what: &str,
    ) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => {
                let e = t!(self.lang, "编号（id）", "an id");
                self.missing(p, key, &e);
                None
            }
            Some(v) => self.id_value(p.k(key), v, what),
        }
    }

    pub(super) fn number_value(&mut self, p: P, v: &Value, what: &str) -> Option<f64> {
        let n = match v {
            Value::Number(n) => n.as_f64(),
            // libyaml leaves `1e400` and similar as text; they are numbers out of range.
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|x| !x.is_finite()),
            _ => None,
        };
        match n {
            Some(x) if super::rules::usable(x) => Some(x),
            Some(_) => {
                let d = self.describe(v);
                let message = not_finite(self.lang, what, &d);
                self.err(p, message);
                None
            }
            None => {
                let d = self.describe(v);
                self.err(
                    p,
                    t!(
                        self.lang,
                        "{} 应为数字，实际是 {}",
                        "{} must be a number, found {}",
                        what,
                        d
                    ),
                );
                None
            }
        }
    }

    /// A number within `range` (see [`V::field`]).
    pub(super) fn num(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
        range: Range,
    ) -> Option<f64> {
        self.field(p, m, key, required, range)
    }

    /// An optional whole number from `min` (an empty value is reported, unlike other fields).
    pub(super) fn int(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        min: i64,
    ) -> Option<i64> {
        let v = m.get(key)?;
        <i64 as Field>::read(self, p.k(key), key, v, min)
    }

    /// `true` or `false` (see [`V::field`]).
    pub(super) fn boolean(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
    ) -> Option<bool> {
        self.field(p, m, key, required, ())
    }

    /// A required month `YYYY-MM` (see [`V::field`]).
    pub(super) fn month(&mut self, p: P, m: &yaml_serde::Mapping, key: &str) -> Option<Month> {
        self.field(p, m, key, true, ())
    }

    /// A date `YYYY-MM-DD` (see [`V::field`]).
    pub(super) fn date(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
    ) -> Option<Date> {
        self.field(p, m, key, required, ())
    }

    pub(super) fn seq<'v>(
        &mut self,
        p: P,
        m: &'v yaml_serde::Mapping,
        key: &str,
        required: bool,
    ) -> &'v [Value] {
        match m.get(key) {
            None | Some(Value::Null) => {
                if required {
                    let e = t!(self.lang, "列表", "a list");
                    self.missing(p, key, &e);
                }
                &[]
            }
            Some(Value::Sequence(s)) => s,
            Some(other) => {
                let e = t!(
                    self.lang,
                    "列表（每项以 - 开头）",
                    "a list (items start with -)"
                );
                self.wrong_kind(p.k(key), key, other, &e);
                &[]
            }
        }
    }

    /// Resolves a manager id to its index, reporting unknown ones.
    pub(super) fn manager(
        &mut self,
        p: P,
        v: &Value,
        idx: &HashMap<String, usize>,
    ) -> Option<usize> {
        let what = t!(self.lang, "客户经理编号", "manager id");
        let id = self.id_value(p, v, &what)?;
        match idx.get(&id) {
            Some(&i) => Some(i),
            None => {
                let hint = suggest(&id, idx.keys().map(String::as_str));
                let h = hint
                    .map(|h| {
                        t!(
                            self.lang,
                            "（是否应为 \"{}\"？）",
                            " (did you mean \"{}\"?)",
                            h
                        )
                    })
                    .unwrap_or_default();
                self.err(
                    p,
                    t!(
                        self.lang,
                        "未知的客户经理 \"{}\"{}：应为 managers.yaml 中的编号",
                        "unknown manager \"{}\"{}: expected an id from managers.yaml",
                        id,
                        h
                    ),
                );
                None
            }
        }
    }
}

/// The closest of `options` to `word`, if it is close enough to be a likely typo.
pub(super) fn suggest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > 64 {
        return None; // not a typo of an id; and keeps the comparison cheap
    }
    let lower = word.to_lowercase();
    options
        .map(|o| (strsim::levenshtein(&lower, o), o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 3))
        .min()
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests;
