//! Validation: turns parsed YAML documents into a [`Site`], checking every rule of the data
//! contract and collecting every problem (with its YAML path) instead of stopping at the first.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::decimal::Decimal;
use crate::diag::{At, Lang, Problems};
use crate::load::{Doc, Loaded, Role};
use crate::model::*;
use crate::yaml::{type_name, Seg, Value};

/// Formats a message in the site's language: `t!(lang, "中文 {}", "English {}", args…)`.
macro_rules! t {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh $(, $arg)*),
            Lang::En => format!($en $(, $arg)*),
        }
    };
}

/// True when `s` is a valid id: `^[a-z0-9][a-z0-9_-]{0,63}$`.
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
}

/// Largest magnitude accepted for any number; beyond it a value is certainly a typo.
const MAX_ABS: f64 = 1e12;

/// A path to the node being checked, built lazily so the happy path allocates nothing.
#[derive(Clone, Copy)]
struct P<'a> {
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
    const ROOT: P<'static> = P {
        parent: None,
        seg: S::Root,
    };

    fn k(&'a self, key: &'a str) -> P<'a> {
        P {
            parent: Some(self),
            seg: S::Key(key),
        }
    }

    fn i(&'a self, i: usize) -> P<'a> {
        P {
            parent: Some(self),
            seg: S::Index(i),
        }
    }

    fn to_vec(self) -> Vec<Seg> {
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

/// Shows a scalar as the user wrote it, for messages.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.chars().take(60).collect::<String>()),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => String::new(),
    }
}

/// The checker of one file.
struct V<'p> {
    lang: Lang,
    file: usize,
    probs: &'p mut Problems,
}

impl V<'_> {
    fn err(&mut self, p: P, msg: String) {
        self.probs.at(self.file, &p.to_vec(), At::Value, msg);
    }

    fn err_key(&mut self, p: P, msg: String) {
        self.probs.at(self.file, &p.to_vec(), At::Key, msg);
    }

    fn describe(&self, v: &Value) -> String {
        let s = shown(v);
        let ty = type_name(v, self.lang == Lang::Zh);
        if s.is_empty() {
            ty.into_owned()
        } else {
            t!(self.lang, "{}（{}）", "{} ({})", s, ty)
        }
    }

    /// Checks that `v` is a mapping whose keys are all in `allowed`; reports unknown keys.
    fn map<'v>(
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
    fn is_map(&mut self, p: P, v: &Value, what: &str) {
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

    fn missing(&mut self, p: P, key: &str, expected: &str) {
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
    fn text(&mut self, p: P, m: &yaml_serde::Mapping, key: &str, required: bool) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                let e = t!(self.lang, "文本", "text");
                self.missing(p, key, &e);
                None
            }
            Some(Value::String(s)) => {
                if required && s.trim().is_empty() {
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
                let d = self.describe(v);
                self.err(
                    p.k(key),
                    t!(
                        self.lang,
                        "\"{}\" 应为文本，实际是 {}",
                        "\"{}\" must be text, found {}",
                        key,
                        d
                    ),
                );
                None
            }
        }
    }

    fn id_value(&mut self, p: P, v: &Value, what: &str) -> Option<String> {
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

    fn id(&mut self, p: P, m: &yaml_serde::Mapping, key: &str, what: &str) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => {
                let e = t!(self.lang, "编号（id）", "an id");
                self.missing(p, key, &e);
                None
            }
            Some(v) => self.id_value(p.k(key), v, what),
        }
    }

    fn number_value(&mut self, p: P, v: &Value, what: &str) -> Option<f64> {
        let n = match v {
            Value::Number(n) => n.as_f64(),
            // libyaml leaves `1e400` and similar as text; they are numbers out of range.
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|x| !x.is_finite()),
            _ => None,
        };
        match n {
            Some(x) if x.is_finite() && x.abs() <= MAX_ABS => Some(x),
            Some(_) => {
                let d = self.describe(v);
                self.err(p, t!(self.lang, "{} 的值 {} 不是有效的有限数字（不接受 .nan、.inf 或过大的数）", "{}: {} is not a usable finite number (.nan, .inf and huge numbers are not accepted)", what, d));
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

    /// An optional number with a range check: `lo` inclusive, `gt` strict lower bound.
    fn num(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
        range: Range,
    ) -> Option<f64> {
        match m.get(key) {
            None | Some(Value::Null) => {
                if required {
                    let e = range.expect(self.lang);
                    self.missing(p, key, &e);
                }
                None
            }
            Some(v) => {
                let x = self.number_value(p.k(key), v, key)?;
                if !range.ok(x) {
                    let e = range.expect(self.lang);
                    self.err(
                        p.k(key),
                        t!(
                            self.lang,
                            "\"{}\" 的值 {} 超出范围，应为{}",
                            "\"{}\" is {}, out of range: expected {}",
                            key,
                            x,
                            e
                        ),
                    );
                    return None;
                }
                Some(x)
            }
        }
    }

    fn int(&mut self, p: P, m: &yaml_serde::Mapping, key: &str, min: i64) -> Option<i64> {
        let v = m.get(key)?;
        match v {
            Value::Number(n) if n.as_i64().is_some_and(|i| i >= min && i <= 1_000_000) => {
                n.as_i64()
            }
            Value::Number(n) if n.as_u64().is_some_and(|i| i > 1_000_000) => {
                self.err(
                    p.k(key),
                    t!(
                        self.lang,
                        "\"{}\" 应为不小于 {} 且不大于 1000000 的整数，实际是 {}",
                        "\"{}\" must be a whole number from {} to 1000000, found {}",
                        key,
                        min,
                        n
                    ),
                );
                None
            }
            other => {
                let d = self.describe(other);
                self.err(
                    p.k(key),
                    t!(
                        self.lang,
                        "\"{}\" 应为不小于 {} 的整数，实际是 {}",
                        "\"{}\" must be a whole number >= {}, found {}",
                        key,
                        min,
                        d
                    ),
                );
                None
            }
        }
    }

    fn boolean(
        &mut self,
        p: P,
        m: &yaml_serde::Mapping,
        key: &str,
        required: bool,
    ) -> Option<bool> {
        match m.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(p, key, "true / false");
                }
                None
            }
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                let d = self.describe(other);
                self.err(
                    p.k(key),
                    t!(
                        self.lang,
                        "\"{}\" 应为 true 或 false，实际是 {}",
                        "\"{}\" must be true or false, found {}",
                        key,
                        d
                    ),
                );
                None
            }
        }
    }

    fn month(&mut self, p: P, m: &yaml_serde::Mapping, key: &str) -> Option<Month> {
        match m.get(key) {
            None | Some(Value::Null) => {
                self.missing(p, key, "YYYY-MM");
                None
            }
            Some(v) => {
                let parsed = v.as_str().and_then(Month::parse);
                if parsed.is_none() {
                    let d = self.describe(v);
                    self.err(
                        p.k(key),
                        t!(
                            self.lang,
                            "\"{}\" 应为 YYYY-MM 格式的月份（例如 2026-10），实际是 {}",
                            "\"{}\" must be a month YYYY-MM (e.g. 2026-10), found {}",
                            key,
                            d
                        ),
                    );
                }
                parsed
            }
        }
    }

    fn date(&mut self, p: P, m: &yaml_serde::Mapping, key: &str, required: bool) -> Option<Date> {
        match m.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.missing(p, key, "YYYY-MM-DD");
                }
                None
            }
            Some(v) => {
                let parsed = v.as_str().and_then(Date::parse);
                if parsed.is_none() {
                    let d = self.describe(v);
                    self.err(
                        p.k(key),
                        t!(
                            self.lang,
                            "\"{}\" 应为 YYYY-MM-DD 格式的有效日期（例如 2026-10-12），实际是 {}",
                            "\"{}\" must be a valid date YYYY-MM-DD (e.g. 2026-10-12), found {}",
                            key,
                            d
                        ),
                    );
                }
                parsed
            }
        }
    }

    fn seq<'v>(
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
                let d = self.describe(other);
                self.err(
                    p.k(key),
                    t!(
                        self.lang,
                        "\"{}\" 应为列表（每项以 - 开头），实际是 {}",
                        "\"{}\" must be a list (items start with -), found {}",
                        key,
                        d
                    ),
                );
                &[]
            }
        }
    }

    /// Resolves a manager id to its index, reporting unknown ones.
    fn manager(&mut self, p: P, v: &Value, idx: &HashMap<String, usize>) -> Option<usize> {
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

/// A numeric range for messages and checks.
#[derive(Clone, Copy)]
enum Range {
    Any,
    AtLeast(f64),
    Above(f64),
    Between(f64, f64),
}

impl Range {
    fn ok(self, x: f64) -> bool {
        match self {
            Range::Any => true,
            Range::AtLeast(lo) => x >= lo,
            Range::Above(lo) => x > lo,
            Range::Between(lo, hi) => x >= lo && x <= hi,
        }
    }

    fn expect(self, lang: Lang) -> String {
        match self {
            Range::Any => t!(lang, "数字", "a number"),
            Range::AtLeast(lo) => t!(lang, "不小于 {} 的数字", "a number >= {}", lo),
            Range::Above(lo) => t!(lang, "大于 {} 的数字", "a number > {}", lo),
            Range::Between(lo, hi) => t!(
                lang,
                "{} 到 {} 之间的数字",
                "a number from {} to {}",
                lo,
                hi
            ),
        }
    }
}

/// The closest of `options` to `word`, if it is close enough to be a likely typo.
fn suggest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
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

/// Reads the language from `site.yaml` before anything else, so that every message can be given
/// in it. Falls back to Chinese.
pub fn language_of(site_yaml: &Value) -> Lang {
    match site_yaml.get("language").and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// One results file after checking: (source index, the month if clean, its problems, a read or
/// syntax problem, its text when it has problems).
type CheckedMonth = (
    usize,
    Option<MonthResults>,
    Problems,
    Option<crate::diag::Problem>,
    Option<String>,
    // The cache key, when the file was clean; whether it came from the cache.
    Option<crate::cache::Key>,
    bool,
);

/// Keys of an entry in a results file besides indicator ids.
const ENTRY_KEYS: [&str; 3] = ["bonus", "deductions", "veto"];

/// Validates every loaded document and assembles the site, or returns all problems.
pub fn validate(loaded: &mut Loaded, lang: Lang) -> (Option<Site>, Problems) {
    let mut probs = Problems::default();
    fn docs<'a>(
        loaded: &'a Loaded,
        f: impl Fn(&Role) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Doc> + 'a {
        loaded.docs.iter().filter(move |d| f(&d.role))
    }
    let docs_of = |f: fn(&Role) -> bool| docs(loaded, f);
    let site_doc = docs_of(|r| *r == Role::Site).next();
    let config = site_doc.and_then(|d| {
        let v = d.value.as_ref()?;
        site_config(
            &mut V {
                lang,
                file: d.source,
                probs: &mut probs,
            },
            v,
            loaded.sources[d.source].text.as_deref(),
        )
    });
    let roster = docs_of(|r| *r == Role::Managers).next().and_then(|d| {
        let v = d.value.as_ref()?;
        roster(
            &mut V {
                lang,
                file: d.source,
                probs: &mut probs,
            },
            v,
        )
    });
    if let (Some(cfg), Some(d)) = (&config, docs_of(|r| *r == Role::Managers).next()) {
        if let Some(v) = d.value.as_ref() {
            check_grades(
                &mut V {
                    lang,
                    file: d.source,
                    probs: &mut probs,
                },
                v,
                &cfg.policy.grades,
            );
        }
    }
    let (Some(config), Some((teams, managers))) = (config, roster) else {
        return (None, probs);
    };
    let mgr_idx: HashMap<String, usize> = managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();
    let ind_idx: HashMap<&str, usize> = config
        .indicators
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();

    // Results files are independent of each other: read, parse and check each in parallel,
    // dropping its YAML tree as soon as it is converted.
    //
    // A file whose bytes, name, site.yaml and managers.yaml are those of a clean file of the
    // previous build is taken from the parse cache instead (see `crate::cache`).
    use rayon::prelude::*;
    let text_of = |role: Role| {
        docs(loaded, move |r| *r == role)
            .next()
            .and_then(|d| loaded.sources[d.source].text.as_deref())
            .unwrap_or("")
    };
    let base = crate::cache::base_key(text_of(Role::Site), text_of(Role::Managers));
    let cache = loaded.cache.as_ref().filter(|c| !c.is_empty());
    let checked: Vec<CheckedMonth> = loaded
        .deferred
        .par_iter()
        .map(|(src, path, role)| {
            let mut p = Problems::default();
            let Role::Results(stem) = role else {
                unreachable!("only results are deferred")
            };
            let bytes = crate::load::read_bytes(&loaded.root, path, lang);
            let display = &loaded.sources[*src].display;
            let key = bytes
                .as_ref()
                .ok()
                .map(|b| crate::cache::key(base, stem, display, b));
            if let (Some(c), Some(k)) = (cache, key) {
                if let Some(m) = c.get(display, k) {
                    return (*src, Some(m), p, None, None, key, true);
                }
            }
            let (source, parsed) = crate::load::load_bytes(&loaded.root, path, role, lang, bytes);
            let (r, read_problem) = match parsed {
                Ok((Some(v), _)) => {
                    let mut c = V {
                        lang,
                        file: *src,
                        probs: &mut p,
                    };
                    (
                        results(
                            &mut c,
                            &v,
                            stem,
                            source.display.clone(),
                            &config,
                            &managers,
                            &mgr_idx,
                            &ind_idx,
                        ),
                        None,
                    )
                }
                Ok((None, _)) => (None, None),
                Err(e) => (None, Some(e)),
            };
            let clean = p.is_empty() && read_problem.is_none() && r.is_some();
            let keep_text = if p.is_empty() { None } else { source.text };
            (
                *src,
                r,
                p,
                read_problem,
                keep_text,
                key.filter(|_| clean),
                false,
            )
        })
        .collect();
    let mut months = Vec::with_capacity(checked.len());
    let mut texts = Vec::new();
    let mut result_keys = Vec::new();
    let mut cache_misses = 0;
    for (src, r, p, read_problem, text, key, hit) in checked {
        if let (Some(k), Some(m)) = (key, &r) {
            result_keys.push((m.file.clone(), k));
        }
        cache_misses += usize::from(!hit);
        probs.extend(p);
        probs.located.extend(read_problem);
        if let Some(t) = text {
            texts.push((src, t));
        }
        months.extend(r);
    }
    months.sort_by_key(|m: &MonthResults| m.month);

    let plans = docs_of(|r| *r == Role::Plan)
        .next()
        .and_then(|d| {
            Some(plans(
                &mut V {
                    lang,
                    file: d.source,
                    probs: &mut probs,
                },
                d.value.as_ref()?,
            ))
        })
        .unwrap_or_default();
    let plan_idx: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();

    let mut trainings = Vec::new();
    let mut seen_training: HashMap<String, String> = HashMap::new();
    for d in docs_of(|r| *r == Role::Training) {
        let Some(v) = d.value.as_ref() else { continue };
        let file = loaded.sources[d.source].display.clone();
        let mut c = V {
            lang,
            file: d.source,
            probs: &mut probs,
        };
        if let Some(t) = training(&mut c, v, file.clone(), &mgr_idx, &plan_idx, &plans) {
            if let Some(other) = seen_training.insert(t.id.clone(), file) {
                c.err(
                    P::ROOT.k("id"),
                    t!(
                        lang,
                        "培训编号 \"{}\" 重复：{} 中已使用",
                        "duplicate training id \"{}\": already used in {}",
                        t.id,
                        other
                    ),
                );
            } else {
                trainings.push(t);
            }
        }
    }
    trainings.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));

    let mut competitions = Vec::new();
    let mut seen_comp: HashMap<String, String> = HashMap::new();
    for d in docs_of(|r| *r == Role::Competition) {
        let Some(v) = d.value.as_ref() else { continue };
        let file = loaded.sources[d.source].display.clone();
        let mut c = V {
            lang,
            file: d.source,
            probs: &mut probs,
        };
        if let Some(x) = competition(&mut c, v, &mgr_idx) {
            if let Some(other) = seen_comp.insert(x.id.clone(), file) {
                c.err(
                    P::ROOT.k("id"),
                    t!(
                        lang,
                        "竞赛编号 \"{}\" 重复：{} 中已使用",
                        "duplicate competition id \"{}\": already used in {}",
                        x.id,
                        other
                    ),
                );
            } else {
                competitions.push(x);
            }
        }
    }
    competitions.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));

    let innovations = docs_of(|r| *r == Role::Innovations)
        .next()
        .and_then(|d| {
            Some(innovations(
                &mut V {
                    lang,
                    file: d.source,
                    probs: &mut probs,
                },
                d.value.as_ref()?,
                &mgr_idx,
            ))
        })
        .unwrap_or_default();
    let suggestions = docs_of(|r| *r == Role::Suggestions)
        .next()
        .and_then(|d| {
            Some(suggestions(
                &mut V {
                    lang,
                    file: d.source,
                    probs: &mut probs,
                },
                d.value.as_ref()?,
                &mgr_idx,
            ))
        })
        .unwrap_or_default();

    let mut pages = Vec::new();
    for d in docs_of(|r| matches!(r, Role::Page(_))) {
        let Role::Page(slug) = &d.role else {
            unreachable!()
        };
        let Some(v) = d.value.as_ref() else { continue };
        let mut c = V {
            lang,
            file: d.source,
            probs: &mut probs,
        };
        if let Some(p) = page(&mut c, v, slug, &d.body) {
            pages.push(p);
        }
    }
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));

    // Keep the text of results files with problems, so that they can be located.
    for (src, t) in texts {
        loaded.sources[src].text = Some(t);
    }
    loaded.result_keys = result_keys;
    loaded.cache_misses = cache_misses;
    if !probs.is_empty() || !loaded.problems.is_empty() {
        return (None, probs);
    }
    let site = Site {
        config,
        teams,
        managers,
        months,
        trainings,
        plans,
        competitions,
        innovations,
        suggestions,
        pages,
    };
    (Some(site), probs)
}

fn site_config(c: &mut V, v: &Value, text: Option<&str>) -> Option<Config> {
    let root = P::ROOT;
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

fn bulletin(c: &mut V, p: P, m: &yaml_serde::Mapping) -> (Option<BulletinConfig>, Option<String>) {
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

/// An exact decimal: the number at `p` as written in the file (`text`), e.g. `60000.50`.
fn decimal(c: &mut V, p: P, v: &Value, key: &str, text: Option<&str>) -> Option<Decimal> {
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
fn policy(
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
                        lang.pick("第一个", "first")
                    } else {
                        lang.pick("最后一个", "last")
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

/// With a grade ladder, every manager's `grade`, when given, must be one of its entries.
fn check_grades(c: &mut V, v: &Value, grades: &[String]) {
    if grades.is_empty() {
        return;
    }
    let Some(Value::Sequence(items)) = v.get("managers") else {
        return;
    };
    let mp = P::ROOT.k("managers");
    for (i, item) in items.iter().enumerate() {
        // A grade that is not a scalar is already reported as not text.
        let Some(g) = item
            .get("grade")
            .filter(|g| !g.is_null() && !matches!(g, Value::Sequence(_) | Value::Mapping(_)))
        else {
            continue;
        };
        let s = g.as_str().map(str::to_string).unwrap_or_else(|| shown(g));
        if grades.contains(&s) {
            continue;
        }
        let p = mp.i(i);
        let hint = suggest(&s, grades.iter().map(String::as_str))
            .map(|h| {
                t!(
                    c.lang,
                    "（是否应为 \"{}\"？）",
                    " (did you mean \"{}\"?)",
                    h
                )
            })
            .unwrap_or_default();
        c.err(
            p.k("grade"),
            t!(
                c.lang,
                "职级 \"{}\" 不在 site.yaml 的 grades 职级序列中：应为 {} 之一{}",
                "grade \"{}\" is not on the grade ladder (grades in site.yaml): expected one of {}{}",
                s,
                grades.join(", "),
                hint
            ),
        );
    }
}

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
        _ => &[
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
        ],
    };
    let allowed: Vec<&str> = common.iter().chain(extra).copied().collect();
    for (k, _) in m {
        let key = k.as_str().unwrap_or("");
        if !allowed.contains(&key) {
            let msg = if method.is_some()
                && [
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
                ]
                .contains(&key)
            {
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

fn roster(c: &mut V, v: &Value) -> Option<(Vec<Team>, Vec<Manager>)> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(root, v, &["teams", "managers"], "managers.yaml")?;
    let mut teams = Vec::new();
    let tp = root.k("teams");
    let mut team_idx: HashMap<String, usize> = HashMap::new();
    for (i, item) in c.seq(root, m, "teams", true).iter().enumerate() {
        let p = tp.i(i);
        let Some(tm) = c.map(p, item, &["id", "name"], &t!(lang, "片区", "a team")) else {
            continue;
        };
        let id = c.id(p, tm, "id", &t!(lang, "片区编号", "team id"));
        let name = c.text(p, tm, "name", true);
        if let (Some(id), Some(name)) = (id, name) {
            if team_idx.contains_key(&id) {
                c.err(
                    p.k("id"),
                    t!(lang, "片区编号 \"{}\" 重复", "duplicate team id \"{}\"", id),
                );
                continue;
            }
            team_idx.insert(id.clone(), teams.len());
            teams.push(Team { id, name });
        }
    }
    let mut managers: Vec<Manager> = Vec::new();
    let mp = root.k("managers");
    let mut seen = HashSet::new();
    for (i, item) in c.seq(root, m, "managers", true).iter().enumerate() {
        let p = mp.i(i);
        let Some(mm) = c.map(
            p,
            item,
            &["id", "name", "team", "grade", "joined", "left", "email"],
            &t!(lang, "客户经理", "a manager"),
        ) else {
            continue;
        };
        let id = c.id(p, mm, "id", &t!(lang, "客户经理编号", "manager id"));
        let name = c.text(p, mm, "name", true);
        let team = match mm.get("team") {
            None | Some(Value::Null) => {
                c.missing(p, "team", &t!(lang, "片区编号", "a team id"));
                None
            }
            Some(tv) => {
                let s = tv.as_str().map(str::to_string).unwrap_or_else(|| shown(tv));
                match team_idx.get(&s) {
                    Some(&t) => Some(t),
                    None => {
                        let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
                        c.err(
                            p.k("team"),
                            t!(
                                lang,
                                "未知的片区 \"{}\"：应为 teams 中的编号之一（{}）",
                                "unknown team \"{}\": expected one of the team ids ({})",
                                s,
                                ids.join(", ")
                            ),
                        );
                        None
                    }
                }
            }
        };
        let grade = c.text(p, mm, "grade", false);
        let joined = c.date(p, mm, "joined", false);
        let left = c.date(p, mm, "left", false);
        let email = c.text(p, mm, "email", false);
        if let Some(e) = &email {
            if !e.contains('@') || e.contains(char::is_whitespace) {
                c.err(
                    p.k("email"),
                    t!(
                        lang,
                        "邮箱地址 \"{}\" 格式不正确（例如 zhangwei@example.com）",
                        "\"{}\" is not an email address (e.g. zhangwei@example.com)",
                        e
                    ),
                );
            }
        }
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                c.err(
                    p.k("left"),
                    t!(
                        lang,
                        "离岗日期 {} 早于入职日期 {}",
                        "left date {} is before the joined date {}",
                        l,
                        j
                    ),
                );
            }
        }
        // A manager whose team is wrong is still registered (with no team) so that the
        // results naming them do not cascade into further errors; the site is not built.
        if let (Some(id), Some(name), Some(team)) = (id, name, team.or(Some(usize::MAX))) {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
                    t!(
                        lang,
                        "客户经理编号 \"{}\" 重复",
                        "duplicate manager id \"{}\"",
                        id
                    ),
                );
                continue;
            }
            managers.push(Manager {
                id,
                name,
                team,
                grade,
                joined,
                left,
                email,
            });
        }
    }
    Some((teams, managers))
}

#[allow(clippy::too_many_arguments)]
fn results(
    c: &mut V,
    v: &Value,
    stem: &str,
    file: String,
    config: &Config,
    managers: &[Manager],
    mgr_idx: &HashMap<String, usize>,
    ind_idx: &HashMap<&str, usize>,
) -> Option<MonthResults> {
    let lang = c.lang;
    let root = P::ROOT;
    let file_month = Month::parse(stem);
    if file_month.is_none() {
        c.err(
            root,
            t!(
                lang,
                "成绩文件名应为 YYYY-MM.yaml（例如 2026-10.yaml），实际是 {}.yaml",
                "a results file must be named YYYY-MM.yaml (e.g. 2026-10.yaml), found {}.yaml",
                stem
            ),
        );
    }
    let m = c.map(
        root,
        v,
        &["month", "note", "results"],
        &t!(lang, "成绩文件", "a results file"),
    )?;
    let month = c.month(root, m, "month");
    if let (Some(mo), Some(fm)) = (month, file_month) {
        if mo != fm {
            c.err(
                root.k("month"),
                t!(
                    lang,
                    "月份 {} 与文件名 {}.yaml 不一致：应为 {}",
                    "month {} does not match the file name {}.yaml: expected {}",
                    mo,
                    stem,
                    fm
                ),
            );
        }
    }
    let note = c.text(root, m, "note", false);
    let rp = root.k("results");
    match m.get("results") {
        None => c.missing(
            root,
            "results",
            &t!(
                lang,
                "客户经理编号到成绩的映射",
                "a mapping of manager id to results"
            ),
        ),
        Some(rv) => c.is_map(rp, rv, "results"),
    }
    let mut entries = Vec::new();
    if let Some(Value::Mapping(em)) = m.get("results") {
        entries.reserve(em.len());
        for (k, ev) in em {
            let key = k.as_str().map(str::to_string).unwrap_or_else(|| shown(k));
            let ep = rp.k(&key);
            let Some(mi) = manager_key(c, rp, &key, mgr_idx) else {
                continue;
            };
            if let (Some(left), Some(mo)) = (managers[mi].left, month) {
                if left < mo.first_day() {
                    c.err_key(
                        ep,
                        t!(
                            lang,
                            "{}（{}）已于 {} 离岗，不能出现在 {} 的成绩中",
                            "{} ({}) left on {} and cannot have results for {}",
                            managers[mi].name,
                            key,
                            left,
                            mo
                        ),
                    );
                }
            }
            if let Some(e) = entry(c, ep, ev, mi, config, ind_idx) {
                entries.push(e);
            }
        }
    }
    Some(MonthResults {
        month: month.or(file_month)?,
        note,
        entries,
        file,
    })
}

fn manager_key(c: &mut V, rp: P, key: &str, mgr_idx: &HashMap<String, usize>) -> Option<usize> {
    let lang = c.lang;
    let ep = rp.k(key);
    if !is_id(key) {
        c.err_key(
            ep,
            t!(
                lang,
                "\"{}\" 不是合法的客户经理编号",
                "\"{}\" is not a valid manager id",
                key
            ),
        );
        return None;
    }
    match mgr_idx.get(key) {
        Some(&i) => Some(i),
        None => {
            let hint = suggest(key, mgr_idx.keys().map(String::as_str))
                .map(|h| t!(lang, "（是否应为 \"{}\"？）", " (did you mean \"{}\"?)", h))
                .unwrap_or_default();
            c.err_key(
                ep,
                t!(
                    lang,
                    "未知的客户经理 \"{}\"{}：应为 managers.yaml 中的编号",
                    "unknown manager \"{}\"{}: expected an id from managers.yaml",
                    key,
                    hint
                ),
            );
            None
        }
    }
}

fn entry(
    c: &mut V,
    ep: P,
    ev: &Value,
    manager: usize,
    config: &Config,
    ind_idx: &HashMap<&str, usize>,
) -> Option<Entry> {
    let lang = c.lang;
    let Value::Mapping(em) = ev else {
        let d = c.describe(ev);
        c.err(
            ep,
            t!(
                lang,
                "每位客户经理的成绩应为键值映射（指标: 数值），实际是 {}",
                "a manager's results must be a mapping (indicator: value), found {}",
                d
            ),
        );
        return None;
    };
    let mut values = vec![Value_::Missing; config.indicators.len()];
    let mut bonus = Vec::new();
    let mut deductions = Vec::new();
    let mut veto = None;
    let mut ok = true;
    for (k, val) in em {
        let key = k.as_str().unwrap_or("");
        let kp = ep.k(key);
        match key {
            "bonus" | "deductions" => {
                let items = items(c, ep, em, key);
                if key == "bonus" {
                    bonus = items
                } else {
                    deductions = items
                }
            }
            "veto" => match val {
                Value::String(s) if !s.trim().is_empty() => veto = Some(s.clone()),
                Value::Null => {}
                other => {
                    let d = c.describe(other);
                    c.err(
                        kp,
                        t!(
                            lang,
                            "\"veto\" 应为一票否决的原因（文本），实际是 {}",
                            "\"veto\" must be the reason (text), found {}",
                            d
                        ),
                    );
                }
            },
            _ => match ind_idx.get(key) {
                Some(&ix) => {
                    let ind = &config.indicators[ix];
                    match indicator_value(c, kp, val, ind) {
                        Some(x) => values[ix] = Value_::Got(x),
                        None => {
                            values[ix] = Value_::Bad;
                            ok = false;
                        }
                    }
                }
                None => {
                    let ids = config
                        .indicators
                        .iter()
                        .map(|x| x.id.as_str())
                        .chain(ENTRY_KEYS);
                    let hint = suggest(key, ids.clone())
                        .map(|h| t!(lang, "（是否应为 \"{}\"？）", " (did you mean \"{}\"?)", h))
                        .unwrap_or_default();
                    let list: Vec<&str> = ids.collect();
                    c.err_key(
                        kp,
                        t!(
                            lang,
                            "未知的指标 \"{}\"{}；应为 {} 之一",
                            "unknown indicator \"{}\"{}; expected one of {}",
                            key,
                            hint,
                            list.join(", ")
                        ),
                    );
                    ok = false;
                }
            },
        }
    }
    let mut out = Vec::with_capacity(values.len());
    for (ix, v) in values.into_iter().enumerate() {
        let ind = &config.indicators[ix];
        match v {
            Value_::Got(x) => out.push(x),
            Value_::Bad => {}
            Value_::Missing if ind.method == Method::Training => {
                out.push(crate::model::Value::None)
            }
            Value_::Missing => {
                let expected = match ind.method {
                    Method::Ratio { .. } => "{actual: …, target: …}".to_string(),
                    _ => t!(lang, "数字", "a number"),
                };
                c.err(
                    ep.k(&ind.id),
                    t!(
                        lang,
                        "缺少指标 \"{}\"（{}）的数值，应为 {}",
                        "missing value for indicator \"{}\" ({}): expected {}",
                        ind.id,
                        ind.name,
                        expected
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then_some(Entry {
        manager,
        values: out,
        bonus,
        deductions,
        veto,
    })
}

#[derive(Clone, Copy)]
enum Value_ {
    Missing,
    Bad,
    Got(crate::model::Value),
}

fn indicator_value(c: &mut V, p: P, v: &Value, ind: &Indicator) -> Option<crate::model::Value> {
    let lang = c.lang;
    match &ind.method {
        Method::Training => {
            c.err(p, t!(lang, "培训指标 \"{}\" 不在成绩文件中填写：它由当月培训记录自动计算，请删除此行", "training indicator \"{}\" takes no value here: it is computed from the month's training sessions; remove this line", ind.id));
            None
        }
        Method::Ratio { .. } => {
            let Value::Mapping(m) = v else {
                let d = c.describe(v);
                c.err(p, t!(lang, "指标 \"{}\" 是完成率指标，应写成 {{actual: 实际值, target: 目标值}}，实际是 {}", "indicator \"{}\" is a ratio: write {{actual: …, target: …}}, found {}", ind.id, d));
                return None;
            };
            let what = t!(lang, "完成率指标", "a ratio value");
            c.map(p, v, &["actual", "target"], &what)?;
            let actual = c.num(p, m, "actual", true, Range::AtLeast(0.0));
            let target = c.num(p, m, "target", true, Range::Above(0.0));
            Some(crate::model::Value::Ratio {
                actual: actual?,
                target: target?,
            })
        }
        Method::Percent => {
            let x = c.number_value(p, v, &ind.id)?;
            if !(0.0..=100.0).contains(&x) {
                c.err(
                    p,
                    t!(
                        lang,
                        "指标 \"{}\" 是百分数，应在 0 到 100 之间，实际是 {}",
                        "indicator \"{}\" is a percentage: expected 0 to 100, found {}",
                        ind.id,
                        x
                    ),
                );
                return None;
            }
            Some(crate::model::Value::Number(x))
        }
        Method::Linear { .. } => c
            .number_value(p, v, &ind.id)
            .map(crate::model::Value::Number),
        Method::Deduct { .. } => {
            let x = c.number_value(p, v, &ind.id)?;
            if x < 0.0 {
                c.err(
                    p,
                    t!(
                        lang,
                        "扣分指标 \"{}\" 是次数，不能为负数，实际是 {}",
                        "deduct indicator \"{}\" is a count and must be >= 0, found {}",
                        ind.id,
                        x
                    ),
                );
                return None;
            }
            Some(crate::model::Value::Number(x))
        }
    }
}

fn items(c: &mut V, ep: P, em: &yaml_serde::Mapping, key: &str) -> Vec<Item> {
    let lang = c.lang;
    let mut out = Vec::new();
    let kp = ep.k(key);
    for (i, it) in c.seq(ep, em, key, false).iter().enumerate() {
        let p = kp.i(i);
        let what = t!(lang, "加减分项", "a bonus or deduction item");
        let Some(m) = c.map(p, it, &["points", "reason"], &what) else {
            continue;
        };
        let points = c.num(p, m, "points", true, Range::AtLeast(0.0));
        let reason = c.text(p, m, "reason", true);
        if let (Some(points), Some(reason)) = (points, reason) {
            out.push(Item { points, reason });
        }
    }
    out
}

fn plans(c: &mut V, v: &Value) -> Vec<Plan> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &["plans"], "training-plan.yaml") else {
        return Vec::new();
    };
    let pp = root.k("plans");
    let mut out: Vec<Plan> = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in c.seq(root, m, "plans", true).iter().enumerate() {
        let p = pp.i(i);
        let Some(pm) = c.map(
            p,
            item,
            &["id", "month", "title", "kind"],
            &t!(lang, "培训计划项", "a plan entry"),
        ) else {
            continue;
        };
        let id = c.id(p, pm, "id", &t!(lang, "计划编号", "plan id"));
        let month = c.month(p, pm, "month");
        let title = c.text(p, pm, "title", true);
        let kind = kind(c, p, pm, false);
        if let (Some(id), Some(month), Some(title)) = (id, month, title) {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
                    t!(lang, "计划编号 \"{}\" 重复", "duplicate plan id \"{}\"", id),
                );
                continue;
            }
            out.push(Plan {
                id,
                month,
                title,
                kind: kind.flatten(),
            });
        }
    }
    out
}

fn kind(c: &mut V, p: P, m: &yaml_serde::Mapping, required: bool) -> Option<Option<TrainingKind>> {
    let lang = c.lang;
    match m.get("kind") {
        None | Some(Value::Null) => {
            if required {
                c.missing(p, "kind", "pre_job, routine, promotion, vocational");
                None
            } else {
                Some(None)
            }
        }
        Some(v) => match v.as_str().and_then(TrainingKind::parse) {
            Some(k) => Some(Some(k)),
            None => {
                let d = c.describe(v);
                c.err(p.k("kind"), t!(lang, "培训类型应为 pre_job（岗前）、routine（日常）、promotion（晋升）或 vocational（职业技能鉴定），实际是 {}", "\"kind\" must be pre_job, routine, promotion or vocational, found {}", d));
                None
            }
        },
    }
}

fn training(
    c: &mut V,
    v: &Value,
    file: String,
    mgr_idx: &HashMap<String, usize>,
    plan_idx: &HashMap<&str, usize>,
    plans: &[Plan],
) -> Option<Training> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(
        root,
        v,
        &[
            "id",
            "title",
            "date",
            "kind",
            "topic",
            "hours",
            "instructor",
            "plan",
            "attendees",
        ],
        &t!(lang, "培训记录", "a training session"),
    )?;
    let id = c.id(root, m, "id", &t!(lang, "培训编号", "training id"));
    let title = c.text(root, m, "title", true);
    let date = c.date(root, m, "date", true);
    let kind = kind(c, root, m, true).flatten();
    let topic = c.text(root, m, "topic", false);
    let hours = c.num(root, m, "hours", true, Range::Above(0.0));
    let instructor = c.text(root, m, "instructor", false);
    let plan = match m.get("plan") {
        None | Some(Value::Null) => Some(None),
        Some(pv) => {
            let s = pv.as_str().map(str::to_string).unwrap_or_else(|| shown(pv));
            match plan_idx.get(s.as_str()) {
                Some(&i) => Some(Some(i)),
                None => {
                    let hint = suggest(&s, plans.iter().map(|p| p.id.as_str()))
                        .map(|h| t!(lang, "（是否应为 \"{}\"？）", " (did you mean \"{}\"?)", h))
                        .unwrap_or_default();
                    c.err(
                        root.k("plan"),
                        t!(
                            lang,
                            "未知的培训计划 \"{}\"{}：应为 training-plan.yaml 中的计划编号",
                            "unknown plan \"{}\"{}: expected a plan id from training-plan.yaml",
                            s,
                            hint
                        ),
                    );
                    None
                }
            }
        }
    };
    let ap = root.k("attendees");
    let mut attendees = Vec::new();
    match m.get("attendees") {
        None | Some(Value::Null) => c.missing(
            root,
            "attendees",
            &t!(
                lang,
                "客户经理编号到出勤情况的映射",
                "a mapping of manager id to attendance"
            ),
        ),
        Some(av) => {
            c.is_map(ap, av, "attendees");
            if let Value::Mapping(am) = av {
                for (k, ev) in am {
                    let key = k.as_str().map(str::to_string).unwrap_or_else(|| shown(k));
                    let Some(mi) = manager_key(c, ap, &key, mgr_idx) else {
                        continue;
                    };
                    let p = ap.k(&key);
                    let Some(em) = c.map(
                        p,
                        ev,
                        &["present", "score", "excused", "reason"],
                        &t!(lang, "出勤情况", "attendance"),
                    ) else {
                        continue;
                    };
                    let present = c.boolean(p, em, "present", true);
                    let excused = c.boolean(p, em, "excused", false).unwrap_or(false);
                    let score = c.num(p, em, "score", false, Range::Between(0.0, 100.0));
                    let reason = c.text(p, em, "reason", false);
                    if present == Some(false) && score.is_some() {
                        c.err(p.k("score"), t!(lang, "缺勤人员不能有成绩：只有 present: true 时才填写 score", "an absent attendee cannot have a score: give score only with present: true"));
                    }
                    if present == Some(true) && excused {
                        c.err(
                            p.k("excused"),
                            t!(
                                lang,
                                "出勤人员不需要 excused：只有 present: false 时才填写请假",
                                "excused applies only to absent attendees (present: false)"
                            ),
                        );
                    }
                    if let Some(present) = present {
                        attendees.push(Attendance {
                            manager: mi,
                            present,
                            excused,
                            score,
                            reason,
                        });
                    }
                }
            }
        }
    }
    Some(Training {
        id: id?,
        title: title?,
        date: date?,
        kind: kind?,
        topic,
        hours: hours?,
        instructor,
        plan: plan?,
        attendees,
        file,
    })
}

fn competition(c: &mut V, v: &Value, mgr_idx: &HashMap<String, usize>) -> Option<Competition> {
    let lang = c.lang;
    let root = P::ROOT;
    let m = c.map(
        root,
        v,
        &["id", "name", "date", "results"],
        &t!(lang, "技能竞赛", "a competition"),
    )?;
    let id = c.id(root, m, "id", &t!(lang, "竞赛编号", "competition id"));
    let name = c.text(root, m, "name", true);
    let date = c.date(root, m, "date", true);
    let rp = root.k("results");
    let mut results = Vec::new();
    for (i, item) in c.seq(root, m, "results", true).iter().enumerate() {
        let p = rp.i(i);
        let Some(pm) = c.map(
            p,
            item,
            &["manager", "place", "prize", "bonus"],
            &t!(lang, "竞赛成绩", "a competition result"),
        ) else {
            continue;
        };
        let manager = match pm.get("manager") {
            None | Some(Value::Null) => {
                c.missing(p, "manager", &t!(lang, "客户经理编号", "a manager id"));
                None
            }
            Some(mv) => c.manager(p.k("manager"), mv, mgr_idx),
        };
        let place = c.int(p, pm, "place", 1).map(|x| x as u32);
        let prize = c.text(p, pm, "prize", false);
        let bonus = c
            .num(p, pm, "bonus", false, Range::AtLeast(0.0))
            .unwrap_or(0.0);
        if let Some(manager) = manager {
            results.push(Placing {
                manager,
                place,
                prize,
                bonus,
            });
        }
    }
    Some(Competition {
        id: id?,
        name: name?,
        date: date?,
        results,
    })
}

fn innovations(c: &mut V, v: &Value, mgr_idx: &HashMap<String, usize>) -> Vec<Innovation> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &["innovations"], "innovations.yaml") else {
        return Vec::new();
    };
    let ip = root.k("innovations");
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in c.seq(root, m, "innovations", true).iter().enumerate() {
        let p = ip.i(i);
        let Some(im) = c.map(
            p,
            item,
            &["id", "title", "month", "managers", "grade", "bonus"],
            &t!(lang, "创新成果", "an innovation"),
        ) else {
            continue;
        };
        let id = c.id(p, im, "id", &t!(lang, "创新成果编号", "innovation id"));
        let title = c.text(p, im, "title", true);
        let month = c.month(p, im, "month");
        let mp = p.k("managers");
        let mut managers = Vec::new();
        for (j, mv) in c.seq(p, im, "managers", true).iter().enumerate() {
            if let Some(x) = c.manager(mp.i(j), mv, mgr_idx) {
                managers.push(x);
            }
        }
        let grade = c.text(p, im, "grade", false);
        let bonus = c
            .num(p, im, "bonus", false, Range::AtLeast(0.0))
            .unwrap_or(0.0);
        if let (Some(id), Some(title), Some(month)) = (id, title, month) {
            if !seen.insert(id.clone()) {
                c.err(
                    p.k("id"),
                    t!(
                        lang,
                        "创新成果编号 \"{}\" 重复",
                        "duplicate innovation id \"{}\"",
                        id
                    ),
                );
                continue;
            }
            out.push(Innovation {
                id,
                title,
                month,
                managers,
                grade,
                bonus,
            });
        }
    }
    out
}

fn suggestions(c: &mut V, v: &Value, mgr_idx: &HashMap<String, usize>) -> Vec<Suggestion> {
    let lang = c.lang;
    let root = P::ROOT;
    let Some(m) = c.map(root, v, &["suggestions"], "suggestions.yaml") else {
        return Vec::new();
    };
    let sp = root.k("suggestions");
    let mut out = Vec::new();
    for (i, item) in c.seq(root, m, "suggestions", true).iter().enumerate() {
        let p = sp.i(i);
        let Some(sm) = c.map(
            p,
            item,
            &["manager", "month", "kind", "text", "adopted"],
            &t!(lang, "建议", "a suggestion"),
        ) else {
            continue;
        };
        let manager = match sm.get("manager") {
            None | Some(Value::Null) => {
                c.missing(p, "manager", &t!(lang, "客户经理编号", "a manager id"));
                None
            }
            Some(mv) => c.manager(p.k("manager"), mv, mgr_idx),
        };
        let month = c.month(p, sm, "month");
        let kind = match sm.get("kind").and_then(Value::as_str) {
            Some("supply") => Some(SuggestionKind::Supply),
            Some("allocation") => Some(SuggestionKind::Allocation),
            _ => {
                let found = sm
                    .get("kind")
                    .map(|v| c.describe(v))
                    .unwrap_or_else(|| t!(lang, "（未填写）", "(missing)"));
                c.err(
                    p.k("kind"),
                    t!(
                        lang,
                        "建议类型应为 supply（货源需求）或 allocation（区域投放），实际是 {}",
                        "\"kind\" must be supply or allocation, found {}",
                        found
                    ),
                );
                None
            }
        };
        let text = c.text(p, sm, "text", true);
        let adopted = c.boolean(p, sm, "adopted", false).unwrap_or(false);
        if let (Some(manager), Some(month), Some(kind), Some(text)) = (manager, month, kind, text) {
            out.push(Suggestion {
                manager,
                month,
                kind,
                text,
                adopted,
            });
        }
    }
    out
}

fn page(c: &mut V, v: &Value, slug: &str, body: &str) -> Option<Page> {
    let lang = c.lang;
    let root = P::ROOT;
    if !is_id(slug) {
        c.err(
            root,
            t!(
                lang,
                "页面文件名 \"{}.md\" 不合法：只能使用小写字母、数字、- 和 _",
                "page file name \"{}.md\" is not valid: use lowercase letters, digits, - and _",
                slug
            ),
        );
        return None;
    }
    let m = c.map(
        root,
        v,
        &["title", "order"],
        &t!(lang, "页面头信息", "front matter"),
    )?;
    let title = c.text(root, m, "title", true)?;
    let order = match m.get("order") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
        Some(other) => {
            let d = c.describe(other);
            c.err(
                root.k("order"),
                t!(
                    lang,
                    "\"order\" 应为整数，实际是 {}",
                    "\"order\" must be a whole number, found {}",
                    d
                ),
            );
            0
        }
    };
    Some(Page {
        slug: slug.to_string(),
        title,
        order,
        body: body.to_string(),
    })
}

/// Groups values by key preserving a deterministic order (used by callers building indexes).
pub fn group_by<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, Vec<V>> {
    let mut m: BTreeMap<K, Vec<V>> = BTreeMap::new();
    for (k, v) in items {
        m.entry(k).or_default().push(v);
    }
    m
}
