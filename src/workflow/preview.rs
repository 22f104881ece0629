//! The state `serve` keeps between rebuilds, so that an edit costs in proportion to what it
//! touches rather than to the site: a rebuild re-reads every data file (a province's 31 MB
//! read in a few milliseconds) but parses again only the files whose bytes changed, takes the
//! clean results files whose cache key did not change from an in-memory parse cache (the key
//! of [`crate::cache`]: the file's bytes and name, `site.yaml`, `managers.yaml`), validates and
//! computes, and hands the result over as a [`Snapshot`] whose pages are rendered on request
//! ([`crate::render::on_demand`]). Problems are exactly those `check` reports: a file is
//! reused only when its bytes are the same, and a results file only when it was clean.
//!
//! With the cache off ([`crate::cache::enabled`]), nothing is reused: every rebuild reads,
//! parses, validates and computes everything, as `build` does.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::cache::{Key, ParseCache};
use crate::compute::Computed;
use crate::diag::{t, Localize, Source};
use crate::load::{self, Parsed};
use crate::model::Site;
use crate::site::{self, Timings};
use crate::theme::Theme;

/// A good build, ready to be served: everything a page needs.
pub struct Snapshot {
    /// The site, its computation and its data version.
    pub built: Arc<Built>,
    /// The theme, its templates compiled.
    pub theme: Theme,
    /// Wall time of each phase of the rebuild.
    pub timings: Timings,
}

/// The data of a good build (kept by [`Preview`] too, for the next rebuild to take from).
pub struct Built {
    /// The validated site.
    pub site: Site,
    /// Scores, training summaries and corrections.
    pub computed: Computed,
    /// The data version from git, if any.
    pub version: Option<serde_json::Value>,
}

/// The last good build with the keys of its inputs, to tell what an edit touched.
struct Last {
    built: Arc<Built>,
    /// Key of every data file but the results files (paths and bytes).
    others: Key,
    /// Cache key of each results file, by month index.
    months: Vec<Option<Key>>,
}

/// A file other than a results file, as last read: its key, its source and its document.
type Kept = (Key, Source, Parsed);

/// What `serve` keeps from one rebuild to the next.
pub struct Preview {
    root: PathBuf,
    /// The parsed documents of the files other than results, by path (only those that parsed).
    docs: HashMap<PathBuf, Kept>,
    /// The clean results files of the last good build.
    results: ParseCache,
    /// The last good build.
    last: Option<Last>,
}

impl Preview {
    /// Nothing kept yet: the first rebuild reads and parses everything.
    pub fn new(root: &Path) -> Preview {
        Preview {
            root: root.to_path_buf(),
            docs: HashMap::new(),
            results: ParseCache::default(),
            last: None,
        }
    }

    /// Loads, validates and computes the site again, reusing what did not change; the site
    /// ready to serve, or every problem (as `build` reports them).
    pub fn rebuild(&mut self) -> Result<Snapshot, site::Error> {
        let root = self.root.clone();
        let lang = site::detect_language(&root);
        let mut timings = Timings::default();
        // The git history is read while the data is loaded and checked.
        let history = std::thread::spawn({
            let root = root.clone();
            move || {
                (
                    crate::history::data_version(&root),
                    crate::history::corrections(&root),
                )
            }
        });
        let reuse = crate::cache::enabled();
        let kept = Mutex::new(if reuse {
            std::mem::take(&mut self.docs)
        } else {
            HashMap::new()
        });
        let keys = Mutex::new(HashMap::new());
        let start = Instant::now();
        let mut loaded = load::load_with(&root, lang, |path, role| {
            let bytes = load::read_bytes(&root, path, lang);
            let key = bytes.as_ref().ok().map(|b| {
                let display = crate::diag::display_path(&root, path);
                crate::cache::key((0, 0), &format!("{role:?}"), &display, b)
            });
            if let Some(k) = key {
                keys.lock().expect("keys").insert(path.to_path_buf(), k);
                let old = kept.lock().expect("kept").remove(path);
                if let Some((old_key, source, parsed)) = old {
                    if old_key == k {
                        return (source, parsed);
                    }
                }
            }
            load::load_bytes(&root, path, role, lang, bytes)
        });
        timings.phases.push(("load", start.elapsed()));
        drop(kept);
        let keys = keys.into_inner().expect("keys");
        let others = others_key(&loaded, &keys);
        // With every file but the results as in the last good build, its sessions are valid.
        let last = self.last.as_ref().filter(|l| reuse && l.others == others);
        let prior = last.map(|l| l.built.site.trainings.as_slice());
        let results = reuse.then_some(&self.results);
        let checked = site::validate_loaded(&mut loaded, results, prior, &mut timings);
        self.keep(&mut loaded, keys);
        let site = checked.map_err(site::Error::Data)?;
        if loaded.cache_misses > 0 || loaded.result_keys.len() != self.results.len() {
            self.results.refresh(&loaded.result_keys, &site.months);
        }
        let by_file: HashMap<&str, Key> = loaded
            .result_keys
            .iter()
            .map(|(file, k)| (file.as_str(), *k))
            .collect();
        let months: Vec<Option<Key>> = site
            .months
            .iter()
            .map(|m| by_file.get(m.file.as_str()).copied())
            .collect();
        let (version, corrections) = history.join().map_err(|_| {
            site::Error::Io(t!(
                site.config.language,
                "读取 git 历史失败",
                "reading the git history failed"
            ))
        })?;
        let start = Instant::now();
        // Months whose inputs are those of the last good build are not scored again.
        let computed = match self.last.as_ref().filter(|l| reuse && l.others == others) {
            Some(last) => {
                let same: Vec<bool> = months
                    .iter()
                    .enumerate()
                    .map(|(i, k)| k.is_some() && last.months.get(i) == Some(k))
                    .collect();
                crate::compute::compute_reusing(
                    &site,
                    corrections,
                    &last.built.computed,
                    &same,
                    true,
                )
            }
            None => crate::compute::compute(&site, corrections),
        };
        timings.phases.push(("compute", start.elapsed()));
        let start = Instant::now();
        let theme = Theme::load(&root, &site.config.theme, site.config.language)
            .map_err(|e| site::Error::Io(e.localize(site.config.language)))?;
        timings.phases.push(("theme", start.elapsed()));
        let built = Arc::new(Built {
            site,
            computed,
            version,
        });
        self.last = Some(Last {
            built: built.clone(),
            others,
            months,
        });
        Ok(Snapshot {
            built,
            theme,
            timings,
        })
    }

    /// Keeps the documents of the files that parsed, with their keys, for the next rebuild.
    fn keep(&mut self, loaded: &mut load::Loaded, keys: HashMap<PathBuf, Key>) {
        let mut sources: Vec<Option<Source>> = std::mem::take(&mut loaded.sources)
            .into_iter()
            .map(Some)
            .collect();
        for doc in std::mem::take(&mut loaded.docs) {
            let Some(source) = sources.get_mut(doc.source).and_then(Option::take) else {
                continue;
            };
            let (Some(key), Some(value)) = (keys.get(&source.path), doc.value) else {
                continue;
            };
            self.docs.insert(
                source.path.clone(),
                (*key, source, Ok((Some(value), doc.body))),
            );
        }
    }
}

/// The key of every data file but the results files: their paths and the keys of their
/// bytes (a file that could not be read counts as its path alone).
fn others_key(loaded: &load::Loaded, keys: &HashMap<PathBuf, Key>) -> Key {
    let mut h = crate::cache::KeyBuilder::new();
    for doc in &loaded.docs {
        let path = &loaded.sources[doc.source].path;
        path.hash(&mut h);
        keys.get(path).hash(&mut h);
    }
    let low = h.finish();
    (low, loaded.docs.len() as u64)
}
