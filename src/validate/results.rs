//! Monthly results files (`results/YYYY-MM.yaml`): the file name and `month`, the note, and
//! each manager's entry: a value for every indicator as its method requires, bonus and
//! deduction items, a veto; managers who had left by the month are refused.
use std::collections::HashMap;

use super::check::{shown, suggest, P, V};
use super::is_id;
use super::rules;
/// The keys of an entry besides indicator ids (kept under this name for `site.rs`).
pub(super) use super::rules::keys::ENTRY as ENTRY_KEYS;
use crate::diag::{t, Lang, Problems};
use crate::load::{ResultsContent, ResultsFile};
use crate::model::*;
use crate::yaml::Value;

/// What checking a results file needs from the rest of the site.
pub(super) struct Context<'a> {
    lang: Lang,
    pub(super) config: &'a Config,
    pub(super) managers: &'a [Manager],
    pub(super) mgr_idx: &'a HashMap<String, usize>,
    /// Indicator ids to their index; `None` for an indicator whose definition has a problem
    /// (reported in `site.yaml`, so not again where results name it).
    pub(super) ind_idx: HashMap<&'a str, Option<usize>>,
}

/// One results file after checking.
pub(super) struct Checked {
    /// Index into the sources.
    pub source: usize,
    /// The month, if the file is clean.
    pub month: Option<MonthResults>,
    /// Its problems, with the read or syntax problem that stopped it.
    pub problems: Problems,
    /// Its text, when it has problems (to locate them and show their lines in code frames).
    pub text: Option<String>,
    /// Its parse-cache key, when it is clean.
    pub key: Option<crate::cache::Key>,
    /// Whether it came from the parse cache.
    pub cached: bool,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        lang: Lang,
        config: &'a Config,
        managers: &'a [Manager],
        mgr_idx: &'a HashMap<String, usize>,
    ) -> Context<'a> {
        let ind_idx = config
            .indicators
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), Some(i)))
            .collect();
        Context {
            lang,
            config,
            managers,
            mgr_idx,
            ind_idx,
        }
    }

    /// Knows the indicators that `site.yaml` (its tree `site`) defines with a problem, so that
    /// results naming them are not reported again.
    pub(super) fn with_broken(mut self, site: &'a Value) -> Context<'a> {
        for id in super::settings::broken_indicators(site, &self.config.indicators) {
            self.ind_idx.insert(id, None);
        }
        self
    }

    /// Checks one results file (a month from the parse cache is taken as it is: only clean
    /// files are stored). Its YAML tree is dropped on return.
    pub(super) fn check(&self, f: ResultsFile) -> Checked {
        let mut problems = Problems::default();
        // A month taken whole, from the cache or the fast path: no problem, no text kept.
        let clean = |month, cached| Checked {
            source: f.source,
            month: Some(month),
            problems: Problems::default(),
            text: None,
            key: f.key,
            cached,
        };
        let (text, parsed) = match f.content {
            ResultsContent::Cached(m) => return clean(m, true),
            ResultsContent::Read { text, parsed } => (text, parsed),
            ResultsContent::Text(Err(p)) => (None, Err(p)),
            ResultsContent::Text(Ok(text)) => {
                if let Some(m) = super::fast::results(self, &text, &f.stem, &f.display) {
                    return clean(m, false);
                }
                let parsed = crate::load::parse_data(&f.display, &text, self.lang);
                (Some(text), parsed)
            }
        };
        let month = match parsed {
            Ok(Some(v)) => results(
                &mut V::new(self.lang, f.source, &mut problems),
                &v,
                &f.stem,
                f.display,
                self.config,
                self.managers,
                self.mgr_idx,
                &self.ind_idx,
            ),
            Ok(None) => None,
            Err(e) => {
                problems.located.push(e);
                None
            }
        };
        let clean = problems.is_empty() && month.is_some();
        Checked {
            source: f.source,
            month,
            text: if problems.is_empty() { None } else { text },
            problems,
            key: f.key.filter(|_| clean),
            cached: false,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn results(
    c: &mut V,
    v: &Value,
    stem: &str,
    file: String,
    config: &Config,
    managers: &[Manager],
    mgr_idx: &HashMap<String, usize>,
    ind_idx: &HashMap<&str, Option<usize>>,
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
        &rules::keys::RESULTS_FILE,
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

pub(super) fn manager_key(
    c: &mut V,
    rp: P,
    key: &str,
    mgr_idx: &HashMap<String, usize>,
) -> Option<usize> {
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

pub(super) fn entry(
    c: &mut V,
    ep: P,
    ev: &Value,
    manager: usize,
    config: &Config,
    ind_idx: &HashMap<&str, Option<usize>>,
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
                Some(None) => ok = false,
                Some(&Some(ix)) => {
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
                        .chain(rules::keys::ENTRY);
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
            Value_::Missing if rules::value_rules(&ind.method).is_empty() => {
                out.push(crate::model::Value::None)
            }
            Value_::Missing => {
                let expected = rules::written_as(lang, rules::value_rules(&ind.method));
                c.err(
                    ep.k(&ind.id),
                    t!(
                        lang,
                        "缺少指标 \"{}\"（{}）的数值，应为{}",
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

/// The value `v` of indicator `ind` at `p`, checked by its method's [`rules::value_rules`].
pub(super) fn indicator_value(
    c: &mut V,
    p: P,
    v: &Value,
    ind: &Indicator,
) -> Option<crate::model::Value> {
    let lang = c.lang;
    match rules::value_rules(&ind.method) {
        [] => {
            c.err(p, rules::computed(lang, &ind.id));
            None
        }
        [one] => {
            let x = c.number_value(p, v, &ind.id)?;
            if !one.range.ok(x) {
                c.err(p, one.refused(lang, &ind.id, x));
                return None;
            }
            Some(crate::model::Value::Number(x))
        }
        parts => {
            let Value::Mapping(m) = v else {
                let d = c.describe(v);
                c.err(p, rules::not_a_mapping(lang, &ind.id, &d));
                return None;
            };
            let what = t!(lang, "完成率指标", "a ratio value");
            c.map(p, v, &rules::part_keys(parts), &what)?;
            let mut got = [None; 2];
            for (slot, rule) in got.iter_mut().zip(parts) {
                let key = rule.part.key().unwrap_or_default();
                *slot = c.num(p, m, key, true, rule.range);
            }
            Some(crate::model::Value::Ratio {
                actual: got[0]?,
                target: got[1]?,
            })
        }
    }
}

pub(super) fn items(c: &mut V, ep: P, em: &yaml_serde::Mapping, key: &str) -> Vec<Item> {
    let lang = c.lang;
    let mut out = Vec::new();
    let what = t!(lang, "加减分项", "a bonus or deduction item");
    c.each_map(
        ep,
        em,
        (key, false),
        (&rules::keys::ITEM, &what),
        |c, (_, p), m| {
            let points = c.num(p, m, "points", true, rules::ITEM_POINTS);
            let reason = c.text(p, m, "reason", true);
            if let (Some(points), Some(reason)) = (points, reason) {
                out.push(Item { points, reason });
            }
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{expect, manager_index, problems, site};
    use super::*;

    fn file(stem: &str, yaml: &str) -> ResultsFile {
        ResultsFile {
            source: 0,
            stem: stem.to_string(),
            display: format!("content/results/{stem}.yaml"),
            key: Some((1, 2)),
            content: ResultsContent::Read {
                text: Some(yaml.to_string()),
                parsed: crate::yaml::parse(yaml)
                    .map(Some)
                    .map_err(|e| crate::diag::Problem {
                        file: String::new(),
                        line: e.line,
                        column: e.column,
                        message: e.message,
                        frame: None,
                    }),
            },
        }
    }

    #[test]
    fn a_clean_month_keeps_its_key_and_drops_its_text() {
        let (config, managers) = site();
        let idx = manager_index(&managers);
        let cx = Context::new(Lang::En, &config, &managers, &idx);
        let yaml = "month: 2026-03\nresults:\n  zhang-wei: {sales: {actual: 90, target: 100}, sat: 95, complaints: 0, bonus: [{points: 1, reason: R}]}\n";
        let c = cx.check(file("2026-03", yaml));
        assert_eq!(problems(&c.problems), []);
        let m = c.month.unwrap();
        assert_eq!(
            (m.file.as_str(), m.entries.len()),
            ("content/results/2026-03.yaml", 1)
        );
        assert_eq!(m.entries[0].bonus[0].reason, "R");
        assert_eq!((c.key, c.text, c.cached), (Some((1, 2)), None, false));
        // A month from the parse cache is taken as it is.
        let c = cx.check(ResultsFile {
            content: ResultsContent::Cached(m.clone()),
            ..file("2026-03", "")
        });
        assert_eq!((c.key, c.cached), (Some((1, 2)), true));
        assert_eq!(c.month.unwrap().file, m.file);
    }

    #[test]
    fn entries() {
        let (config, managers) = site();
        let idx = manager_index(&managers);
        let cx = Context::new(Lang::En, &config, &managers, &idx);
        let yaml = "month: 2026-04\nresults:\n  zhang-wie: {}\n  chen-jing: {sales: {actual: 1, target: 1}, sat: 1, complaints: 0}\n  li-na: {sales: 90, sat: 101, complaints: -1, traning: 3, training: 80}\n";
        let c = cx.check(file("2026-03", yaml));
        assert_eq!(
            problems(&c.problems),
            expect(&[
                ("month", "month 2026-04 does not match the file name 2026-03.yaml: expected 2026-03"),
                ("results.zhang-wie (key)", "unknown manager \"zhang-wie\" (did you mean \"zhang-wei\"?): expected an id from managers.yaml"),
                ("results.chen-jing (key)", "Chen Jing (chen-jing) left on 2026-02-15 and cannot have results for 2026-04"),
                ("results.li-na.sales", "indicator \"sales\" is a ratio: write {actual: …, target: …}, found 90 (a number)"),
                ("results.li-na.sat", "indicator \"sat\" is a percentage: expected 0 to 100, found 101"),
                ("results.li-na.complaints", "deduct indicator \"complaints\" is a count and must be >= 0, found -1"),
                ("results.li-na.traning (key)", "unknown indicator \"traning\" (did you mean \"training\"?); expected one of sales, sat, complaints, training, bonus, deductions, veto"),
                ("results.li-na.training", "training indicator \"training\" takes no value here: it is computed from the month's training sessions; remove this line"),
            ])
        );
        assert!(c.month.is_some(), "the month is kept, its bad entry is not");
        assert_eq!(c.month.unwrap().entries.len(), 1);
        assert_eq!(
            (c.key, c.text.is_some()),
            (None, true),
            "no key, text kept to locate"
        );
        let c = cx.check(file(
            "march",
            "month: 2026-03\nresults:\n  li-na: {veto: 3}\n",
        ));
        assert_eq!(
            problems(&c.problems),
            expect(&[
                ("", "a results file must be named YYYY-MM.yaml (e.g. 2026-10.yaml), found march.yaml"),
                ("results.li-na.veto", "\"veto\" must be the reason (text), found 3 (a number)"),
                ("results.li-na.sales", "missing value for indicator \"sales\" (Sales): expected {actual: …, target: …}"),
                ("results.li-na.sat", "missing value for indicator \"sat\" (Satisfaction): expected a number"),
                ("results.li-na.complaints", "missing value for indicator \"complaints\" (Complaints): expected a number"),
            ])
        );
    }

    #[test]
    fn a_syntax_problem_is_passed_on() {
        let (config, managers) = site();
        let idx = manager_index(&managers);
        let cx = Context::new(Lang::En, &config, &managers, &idx);
        let c = cx.check(file("2026-03", "month: [\n"));
        assert_eq!(c.problems.located.len(), 1);
        assert!(c.month.is_none() && c.key.is_none());
        // Its text is kept, for the code frame under the problem.
        assert_eq!(c.text.as_deref(), Some("month: [\n"));
    }
}
