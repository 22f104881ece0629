//! Validation: turns parsed YAML documents into a [`Site`], checking every rule of the data
//! contract and collecting every problem (with its YAML path) instead of stopping at the first.
//!
//! Validation reads no files: [`crate::load`] hands it the parsed documents, and the monthly
//! results files one at a time (read, or taken from the parse cache). One file per subsystem:
//! [`check`] (the shared checker), `site` and `policy` (`site.yaml`), `roster`
//! (`managers.yaml`), `results`, `training`, `incentives` (competitions, innovations,
//! suggestions) and `pages`.

mod check;
mod incentives;
mod pages;
mod policy;
mod results;
mod roster;
mod site;
mod training;

use std::collections::{BTreeMap, HashMap};

use crate::diag::{t, Lang, Problems};
use crate::load::{Doc, Loaded, Role};
use crate::model::*;
use crate::yaml::Value;

use check::{P, V};

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
        site::site_config(
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
        roster::roster(
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
            roster::check_grades(
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
                        results::results(
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
            Some(training::plans(
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
        if let Some(t) = training::training(&mut c, v, file.clone(), &mgr_idx, &plan_idx, &plans) {
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
        if let Some(x) = incentives::competition(&mut c, v, &mgr_idx) {
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
            Some(incentives::innovations(
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
            Some(incentives::suggestions(
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
        if let Some(p) = pages::page(&mut c, v, slug, &d.body) {
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

/// Groups values by key preserving a deterministic order (used by callers building indexes).
pub fn group_by<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, Vec<V>> {
    let mut m: BTreeMap<K, Vec<V>> = BTreeMap::new();
    for (k, v) in items {
        m.entry(k).or_default().push(v);
    }
    m
}
