//! Validation: turns parsed YAML documents into a [`Site`], checking every rule of the data
//! contract and collecting every problem (with its YAML path) instead of stopping at the first.
//!
//! Validation reads no files: [`crate::load`] hands it the parsed documents, and the monthly
//! results files one at a time (read, or taken from the parse cache). One file per subsystem:
//! `check` (the shared checker: paths, problems, text, ids, numbers, dates), `site` and
//! `policy` (`site.yaml`; `policy` has the contract-v2 ratings, pay and grades), `roster`
//! (`managers.yaml`), `results`, `training`, `incentives` (competitions, innovations,
//! suggestions) and `pages`; this file assembles the [`Site`]. `warnings` looks at the computed
//! months for valid data that is most likely not meant (a star on the watch list).

mod check;
mod fast;
mod field;
mod incentives;
mod pages;
mod results;
mod roster;
pub(crate) mod rules;
mod settings;
#[cfg(test)]
mod testing;
mod training;
pub mod warnings;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{Lang, Problems, Source};
use crate::load::{Doc, ResultsFile, Role};
use crate::model::*;
use crate::yaml::Value;

use check::V;
pub(crate) use rules::not_finite;

pub(crate) use check::text_problem;
pub(crate) use field::spaced;

/// True when `s` is a valid id: `^[a-z0-9][a-z0-9_-]{0,63}$`.
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
}

/// Reads the language from `site.yaml` before anything else, so that every message can be given
/// in it. Falls back to Chinese.
pub fn language_of(site_yaml: &Value) -> Lang {
    match site_yaml.get("language").and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// What validation found.
#[derive(Debug, Default)]
pub struct Validated {
    /// The site, when the documents have no problem.
    pub site: Option<Site>,
    /// Every problem found (with the read and syntax problems of the results files).
    pub problems: Problems,
    /// The text of each results file with problems, by source index, to locate them (the text
    /// of the other results files is dropped once they are checked).
    pub texts: Vec<(usize, String)>,
    /// The parse-cache key of every clean results file: (displayed path, key).
    pub result_keys: Vec<(String, crate::cache::Key)>,
    /// Results files that were parsed rather than taken from the parse cache.
    pub cache_misses: usize,
}

/// The documents of one role.
fn docs_of(docs: &[Doc], f: fn(&Role) -> bool) -> impl Iterator<Item = &Doc> {
    docs.iter().filter(move |d| f(&d.role))
}

/// Validates the parsed documents (`docs`, whose texts are in `sources`) and the monthly
/// `results` files, and assembles the site. Reads no files: `results` is usually
/// [`Loaded::results`](crate::load::Loaded::results), which reads each file as it is taken
/// (in parallel); each YAML tree is dropped as soon as it is checked. `results` is only
/// consumed when `site.yaml` and `managers.yaml` could be checked.
///
/// `prior` is the training sessions of a clean site validated from exactly these documents
/// (only the results files may differ; `serve` knows it from the files' keys): they are taken
/// instead of being checked again, which is most of a rebuild's validation at province scale.
pub fn validate<R>(
    docs: &[Doc],
    sources: &[Source],
    results: R,
    lang: Lang,
    prior: Option<&[Training]>,
) -> Validated
where
    R: ParallelIterator<Item = ResultsFile>,
{
    let mut probs = Problems::default();
    let config = docs_of(docs, |r| *r == Role::Site).next().and_then(|d| {
        let v = d.value.as_ref()?;
        settings::site_config(
            &mut V::new(lang, d.source, &mut probs),
            v,
            sources[d.source].text.as_deref(),
        )
    });
    let managers_doc = docs_of(docs, |r| *r == Role::Managers).next();
    let roster = managers_doc.and_then(|d| {
        let v = d.value.as_ref()?;
        let mut c = V::new(lang, d.source, &mut probs);
        let roster = roster::roster(&mut c, v);
        if let Some(cfg) = &config {
            roster::check_grades(&mut c, v, &cfg.policy.grades);
        }
        roster
    });
    let (Some(config), Some((teams, managers))) = (config, roster) else {
        // The sessions are not checked without a site and roster, but their YAML syntax is,
        // as that of every other file.
        let unparsed = docs_of(docs, |r| *r == Role::Training).filter(|d| d.value.is_none());
        for d in unparsed {
            if let Some(text) = sources[d.source].text.as_deref() {
                let file = &sources[d.source].display;
                if let Err(p) = crate::load::parse_data(file, text, lang) {
                    probs.located.push(p);
                }
            }
        }
        return Validated {
            problems: probs,
            ..Default::default()
        };
    };
    let mgr_idx: HashMap<String, usize> = managers
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.clone(), i))
        .collect();

    // Results files are independent of each other: checked in parallel as they are read.
    let null = crate::yaml::Value::Null;
    let site_tree = docs_of(docs, |r| *r == Role::Site)
        .next()
        .and_then(|d| d.value.as_ref())
        .unwrap_or(&null);
    let cx = results::Context::new(lang, &config, &managers, &mgr_idx).with_broken(site_tree);
    let checked: Vec<results::Checked> = results.map(|f| cx.check(f)).collect();
    let mut out = Validated::default();
    let mut months = Vec::with_capacity(checked.len());
    for c in checked {
        if let (Some(k), Some(m)) = (c.key, &c.month) {
            out.result_keys.push((m.file.clone(), k));
        }
        out.cache_misses += usize::from(!c.cached);
        probs.extend(c.problems);
        if let Some(t) = c.text {
            out.texts.push((c.source, t));
        }
        months.extend(c.month);
    }
    months.sort_by_key(|m: &MonthResults| m.month);

    let plans = docs_of(docs, |r| *r == Role::Plan)
        .next()
        .and_then(|d| {
            let v = d.value.as_ref()?;
            Some(training::plans(&mut V::new(lang, d.source, &mut probs), v))
        })
        .unwrap_or_default();
    let trainings = match prior {
        Some(sessions) => sessions.to_vec(),
        None => training::trainings(
            lang,
            docs_of(docs, |r| *r == Role::Training),
            sources,
            &mut probs,
            &mgr_idx,
            &plans,
        ),
    };
    let competitions = incentives::competitions(
        lang,
        docs_of(docs, |r| *r == Role::Competition),
        sources,
        &mut probs,
        &mgr_idx,
    );
    let innovations = docs_of(docs, |r| *r == Role::Innovations)
        .next()
        .and_then(|d| {
            let v = d.value.as_ref()?;
            let mut c = V::new(lang, d.source, &mut probs);
            Some(incentives::innovations(&mut c, v, &mgr_idx))
        })
        .unwrap_or_default();
    let suggestions = docs_of(docs, |r| *r == Role::Suggestions)
        .next()
        .and_then(|d| {
            let v = d.value.as_ref()?;
            let mut c = V::new(lang, d.source, &mut probs);
            Some(incentives::suggestions(&mut c, v, &mgr_idx))
        })
        .unwrap_or_default();
    let pages = pages::pages(
        lang,
        docs_of(docs, |r| matches!(r, Role::Page(_))),
        &mut probs,
    );

    if probs.is_empty() {
        out.site = Some(Site {
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
        });
    }
    out.problems = probs;
    out
}

/// Checks each of `docs` (one item a file) with `check`, keeping an item only when its id is
/// not used in an earlier file; a reused id is reported at `id` with `duplicate(id, that file)`.
fn one_per_id<'a, T>(
    lang: Lang,
    docs: impl Iterator<Item = &'a Doc>,
    sources: &[Source],
    probs: &mut Problems,
    mut check: impl FnMut(&mut V, &Value, &str) -> Option<T>,
    id: fn(&T) -> &str,
    duplicate: impl Fn(&str, &str) -> String,
) -> Vec<T> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for d in docs {
        let Some(v) = d.value.as_ref() else { continue };
        let file = &sources[d.source].display;
        let mut c = V::new(lang, d.source, probs);
        if let Some(x) = check(&mut c, v, file) {
            if let Some(other) = seen.insert(id(&x).to_string(), file.clone()) {
                c.err(check::P::ROOT.k("id"), duplicate(id(&x), &other));
            } else {
                out.push(x);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::testing::{expect, problems, MANAGERS, SITE};
    use super::*;
    use crate::load::ResultsContent;

    /// Parsed documents with their sources, as `load` hands them over.
    fn input(files: &[(&str, Role, &str)]) -> (Vec<Doc>, Vec<Source>) {
        let mut docs = Vec::new();
        let mut sources = Vec::new();
        for (i, (name, role, text)) in files.iter().enumerate() {
            sources.push(Source {
                display: name.to_string(),
                path: name.into(),
                text: Some(text.to_string()),
            });
            docs.push(Doc {
                source: i,
                role: role.clone(),
                value: crate::yaml::parse(text).ok(),
                body: String::new(),
            });
        }
        (docs, sources)
    }

    fn month(source: usize, stem: &str, yaml: &str) -> ResultsFile {
        ResultsFile {
            source,
            stem: stem.to_string(),
            display: format!("results/{stem}.yaml"),
            key: Some((source as u64, 0)),
            content: ResultsContent::Read {
                text: Some(yaml.to_string()),
                parsed: Ok(crate::yaml::parse(yaml).ok()),
            },
        }
    }

    const CLEAN: &str = "month: 2026-01\nresults:\n  li-na: {sales: {actual: 1, target: 2}, sat: 90, complaints: 0}\n";

    #[test]
    fn validates_parsed_documents_into_a_site() {
        let (docs, sources) = input(&[
            ("site.yaml", Role::Site, SITE),
            ("managers.yaml", Role::Managers, MANAGERS),
            (
                "suggestions.yaml",
                Role::Suggestions,
                "suggestions: [{manager: li-na, month: 2026-01, kind: supply, text: T}]\n",
            ),
        ]);
        let months = vec![
            month(3, "2026-01", CLEAN),
            month(4, "2025-12", &CLEAN.replace("2026-01", "2025-12")),
        ];
        let v = validate(&docs, &sources, months.into_par_iter(), Lang::En, None);
        assert_eq!(problems(&v.problems), []);
        let site = v.site.unwrap();
        let shown: Vec<String> = site.months.iter().map(|m| m.month.to_string()).collect();
        assert_eq!(shown, ["2025-12", "2026-01"], "sorted by month");
        assert_eq!(site.suggestions.len(), 1);
        let mut keys = v.result_keys;
        keys.sort();
        assert_eq!(
            keys,
            [
                ("results/2025-12.yaml".to_string(), (4, 0)),
                ("results/2026-01.yaml".to_string(), (3, 0))
            ]
        );
        assert_eq!((v.cache_misses, v.texts.len()), (2, 0));
    }

    #[test]
    fn every_problem_of_every_file_at_once() {
        let (docs, sources) = input(&[
            ("site.yaml", Role::Site, SITE),
            ("managers.yaml", Role::Managers, MANAGERS),
            ("pages/x.md", Role::Page("x".into()), "order: 1\n"),
        ]);
        let bad = "month: 2026-01\nresults:\n  li-na: {sales: {actual: -1, target: 2}, sat: 90, complaints: 0}\n";
        let v = validate(
            &docs,
            &sources,
            vec![month(3, "2026-01", bad)].into_par_iter(),
            Lang::En,
            None,
        );
        assert!(v.site.is_none());
        assert_eq!(
            problems(&v.problems),
            expect(&[
                (
                    "results.li-na.sales.actual",
                    "\"actual\" is -1, out of range: expected a number >= 0"
                ),
                ("title", "missing required key \"title\" (expected text)"),
            ])
        );
        assert_eq!(v.problems.pending[0].file, 3);
        assert_eq!(
            v.texts,
            [(3, bad.to_string())],
            "the text is kept to locate the problem"
        );
        assert_eq!(v.result_keys, []);
    }

    #[test]
    fn sessions_have_their_syntax_checked_without_a_site() {
        let (mut docs, sources) = input(&[
            ("site.yaml", Role::Site, "title: [\n"),
            ("managers.yaml", Role::Managers, MANAGERS),
            ("t/a.yaml", Role::Training, "id: [\n"),
            ("t/b.yaml", Role::Training, "id: t1\n"),
        ]);
        for d in &mut docs[2..] {
            d.value = None; // as `load` hands sessions over: parsed by validation
        }
        let v = validate(&docs, &sources, Vec::new().into_par_iter(), Lang::En, None);
        let files: Vec<&str> = v.problems.located.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["t/a.yaml"], "{:?}", v.problems.located);
        assert!(v.problems.located[0].message.contains("YAML syntax error"));
    }

    #[test]
    fn results_are_not_taken_without_a_site_and_roster() {
        let (docs, sources) = input(&[
            ("site.yaml", Role::Site, SITE),
            ("managers.yaml", Role::Managers, "- a\n"),
        ]);
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let months = vec![month(2, "2026-01", CLEAN)];
        let results = months.into_par_iter().inspect(|_| {
            taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let v = validate(&docs, &sources, results, Lang::En, None);
        assert!(v.site.is_none());
        assert_eq!(
            problems(&v.problems),
            expect(&[(
                "",
                "managers.yaml must be a mapping (key: value), found a list"
            )])
        );
        assert_eq!(taken.into_inner(), 0);
    }
}
