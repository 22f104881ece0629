//! The parse cache: the typed, validated results of each monthly results file, kept from one
//! build to the next in `.NAME.cache` beside the output folder `NAME`.
//!
//! A results file is the bulk of a site's data (a province: 24 files, 30 MB of YAML); parsing
//! and checking them is most of `load` + `validate`. A results file's check depends only on its
//! own bytes, its name, `site.yaml` (indicators, language) and `managers.yaml` (ids, who left
//! when), so the cache key of an entry is a [`Key`] of exactly those (and this program's
//! version): when any of them changes, the file is parsed and checked again, and its problems
//! are reported with their `file:line:column` as always. Only files that were clean are
//! stored, so a cache hit never hides a problem.
//!
//! The file is written with [`postcard`]: a compact binary serde format with a documented,
//! stable wire format (1.0 specification), maintained, safe Rust only and no build script;
//! floats are stored as their exact bits, so a cached month is bit-for-bit the parsed one.
//! The file carries a magic line, a format number and a checksum of its body: a truncated,
//! corrupt or foreign file is ignored (everything is parsed), never trusted.
//!
//! `build` reads it and saves it ([`crate::project::Project::load_cached`], [`save_in_background`]); `serve` keeps
//! one in memory ([`ParseCache::refresh`]). With the cache off ([`super::enabled`]) nothing is
//! read, written, kept or taken from it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Key, KeyBuilder};
use crate::load;
use crate::model::{MonthResults, Site};

const MAGIC: &[u8] = b"rankpress parse cache\n";
/// Bumped whenever the stored types or the key change (2: SipHash-1-3 with fixed keys instead
/// of `DefaultHasher`; 3: months outside 2000-01..2099-12 are refused, so no entry of a
/// version that took them is reused; 4: keys made by [`KeyBuilder`]).
const FORMAT: u32 = 4;

/// The part of every results file's key that comes from the rest of the site: this program's
/// version, the cache format and the bytes of `site.yaml` and `managers.yaml`.
pub fn base_key(site_yaml: &str, managers_yaml: &str) -> Key {
    KeyBuilder::new()
        .str("parse")
        .str(env!("CARGO_PKG_VERSION"))
        .u64(FORMAT.into())
        .str(site_yaml)
        .str(managers_yaml)
        .finish_key()
}

/// The key of one results file: the base key, its stem and displayed path, its bytes.
pub fn key(base: Key, stem: &str, display: &str, bytes: &[u8]) -> Key {
    KeyBuilder::new()
        .key(base)
        .str(stem)
        .str(display)
        .bytes(bytes)
        .finish_key()
}

/// The cache read from disk: per displayed path, the key and the encoded month (decoded only
/// when used, in parallel, by whoever looks it up).
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: HashMap<String, (Key, Vec<u8>)>,
}

/// The cache file beside the output folder `out`: `.NAME.cache`.
pub fn path_for(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!(".{name}.cache")))
}

fn checksum(body: &[u8]) -> Key {
    KeyBuilder::new().bytes(body).finish_key()
}

impl ParseCache {
    /// Reads the cache at `path`; an empty cache if it is missing, unreadable or invalid, or
    /// if the cache is off ([`super::enabled`]).
    pub fn read(path: &Path) -> ParseCache {
        if !super::enabled() {
            return ParseCache::default();
        }
        std::fs::read(path)
            .ok()
            .and_then(|b| Self::decode(&b))
            .unwrap_or_default()
    }

    fn decode(b: &[u8]) -> Option<ParseCache> {
        let rest = b.strip_prefix(MAGIC)?;
        if rest.len() < 20 || rest[..4] != FORMAT.to_le_bytes() {
            return None;
        }
        let sum = (
            u64::from_le_bytes(rest[4..12].try_into().ok()?),
            u64::from_le_bytes(rest[12..20].try_into().ok()?),
        );
        let body = &rest[20..];
        if checksum(body) != sum {
            return None;
        }
        let list: Vec<(String, Key, Vec<u8>)> = postcard::from_bytes(body).ok()?;
        Some(ParseCache {
            entries: list.into_iter().map(|(p, k, v)| (p, (k, v))).collect(),
        })
    }

    /// The cached month of the file shown as `display`, if its key is `key`.
    pub fn get(&self, display: &str, key: Key) -> Option<MonthResults> {
        if !super::enabled() {
            return None;
        }
        let (k, blob) = self.entries.get(display)?;
        if *k != key {
            return None;
        }
        let m: MonthResults = postcard::from_bytes(blob).ok()?;
        (m.file == display).then_some(m)
    }

    /// Writes the cache of `months` (each with its key, by displayed path in `keys`) to `path`,
    /// atomically (a temporary file renamed over it). Errors are ignored: the cache is only an
    /// optimisation. Nothing is written with the cache off.
    pub fn write(path: &Path, keys: &[(String, Key)], months: &[MonthResults]) {
        if !super::enabled() {
            return;
        }
        let list = Self::encode(keys, months);
        let Ok(body) = postcard::to_allocvec(&list) else {
            return;
        };
        let sum = checksum(&body);
        let mut out = Vec::with_capacity(MAGIC.len() + 20 + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&sum.0.to_le_bytes());
        out.extend_from_slice(&sum.1.to_le_bytes());
        out.extend_from_slice(&body);
        let tmp = path.with_extension(format!("cache-new-{}", std::process::id()));
        if std::fs::write(&tmp, &out).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Each of `months` that has a key in `keys` (by displayed path), encoded.
    fn encode<'a>(
        keys: &[(String, Key)],
        months: &'a [MonthResults],
    ) -> Vec<(&'a str, Key, Vec<u8>)> {
        let keys: HashMap<&str, Key> = keys.iter().map(|(p, k)| (p.as_str(), *k)).collect();
        months
            .iter()
            .filter_map(|m| {
                let k = *keys.get(m.file.as_str())?;
                Some((m.file.as_str(), k, postcard::to_allocvec(m).ok()?))
            })
            .collect()
    }

    /// Brings a cache kept in memory (`serve` keeps one between rebuilds) up to `months`, each
    /// with its key by displayed path in `keys`: an entry whose key is unchanged stays as it is
    /// (same key, same bytes, same month), the others are encoded again, and files no longer
    /// there are dropped — an edit re-encodes only the month it touched. With the cache off
    /// the cache is emptied and stays empty.
    pub fn refresh(&mut self, keys: &[(String, Key)], months: &[MonthResults]) {
        if !super::enabled() {
            self.entries.clear();
            return;
        }
        let keys: HashMap<&str, Key> = keys.iter().map(|(p, k)| (p.as_str(), *k)).collect();
        self.entries
            .retain(|path, (key, _)| keys.get(path.as_str()) == Some(key));
        for m in months {
            let Some(&key) = keys.get(m.file.as_str()) else {
                continue;
            };
            if self.entries.contains_key(&m.file) {
                continue;
            }
            if let Ok(blob) = postcard::to_allocvec(m) {
                self.entries.insert(m.file.clone(), (key, blob));
            }
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Saves the parse cache of a clean site at `path`, unless every results file came from it.
pub fn save(path: &Path, site: &Site, loaded: &load::Loaded) {
    if loaded.cache_misses > 0 || loaded.result_keys.len() != site.months.len() {
        ParseCache::write(path, &loaded.result_keys, &site.months);
    }
}

/// Saves the parse cache as [`save`] does, with the calling thread's priority lowered first
/// ([`background_priority`]): a build saves it in a thread of its own while it computes and
/// renders the site.
pub fn save_in_background(path: &Path, site: &Site, loaded: &load::Loaded) {
    background_priority();
    save(path, site, loaded);
}

/// Lowers the calling thread's priority (Linux: the nice value is per thread), for work done
/// in the background of a build (saving the parse cache) so that it uses the cores only when
/// the build's own threads leave them idle. Errors are ignored.
fn background_priority() {
    #[cfg(target_os = "linux")]
    {
        // `None`: the calling thread (on Linux, `setpriority(PRIO_PROCESS, 0, …)` changes only
        // the calling thread's nice value).
        let _ = rustix::process::setpriority_process(None, 10);
    }
}
