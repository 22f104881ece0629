//! The parse cache: the typed, validated results of each monthly results file, kept from one
//! build to the next in `.NAME.cache` beside the output folder `NAME`.
//!
//! A results file is the bulk of a site's data (a province: 24 files, 30 MB of YAML); parsing
//! and checking them is most of `load` + `validate`. A results file's check depends only on its
//! own bytes, its name, `site.yaml` (indicators, language) and `managers.yaml` (ids, who left
//! when), so the cache key of an entry is a 128-bit hash of exactly those (and this program's
//! version): when any of them changes, the file is parsed and checked again, and its problems
//! are reported with their `file:line:column` as always. Only files that were clean are
//! stored, so a cache hit never hides a problem.
//!
//! The file is written with [`postcard`]: a compact binary serde format with a documented,
//! stable wire format (1.0 specification), maintained, no unsafe code and no build script;
//! floats are stored as their exact bits, so a cached month is bit-for-bit the parsed one.
//! The file carries a magic line, a format number and a checksum of its body: a truncated,
//! corrupt or foreign file is ignored (everything is parsed), never trusted.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use crate::model::MonthResults;

/// The cache switch: false when the environment variable `RANKPRESS_CACHE` is `off`; every
/// cache and reuse mechanism is then bypassed and everything recomputed and rendered again
/// (the output must be identical), so that a bug can be bisected to "cache on/off".
pub fn enabled() -> bool {
    std::env::var_os("RANKPRESS_CACHE").is_none_or(|v| v != "off")
}

/// A cache key (a 128-bit hash, as two 64-bit halves).
pub type Key = (u64, u64);

const MAGIC: &[u8] = b"rankpress parse cache\n";
/// Bumped whenever the stored types or the key change (2: SipHash-1-3 with fixed keys instead
/// of `DefaultHasher`; 3: months outside 2000-01..2099-12 are refused, so no entry of a
/// version that took them is reused).
const FORMAT: u32 = 3;

/// A 128-bit SipHash-1-3 with fixed keys: a specified algorithm, so a key computed by one
/// build of rankpress means the same in the next (`std`'s `DefaultHasher` may change between
/// Rust releases). Every input is prefixed with its length (64-bit little-endian).
struct Hash2(siphasher::sip128::SipHasher13);

impl Hash2 {
    fn new() -> Hash2 {
        Hash2(siphasher::sip128::SipHasher13::new_with_keys(
            0x7261_6e6b_7072_6573,
            0x7363_6163_6865_0002,
        ))
    }
    fn bytes(&mut self, x: &[u8]) {
        self.0.write(&(x.len() as u64).to_le_bytes());
        self.0.write(x);
    }
    fn finish(&self) -> Key {
        use siphasher::sip128::Hasher128;
        self.0.finish128().as_u64()
    }
}

/// The part of every results file's key that comes from the rest of the site: this program's
/// version, the cache format and the bytes of `site.yaml` and `managers.yaml`.
pub fn base_key(site_yaml: &str, managers_yaml: &str) -> Key {
    let mut h = Hash2::new();
    h.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    h.bytes(&FORMAT.to_le_bytes());
    h.bytes(site_yaml.as_bytes());
    h.bytes(managers_yaml.as_bytes());
    h.finish()
}

/// The key of one results file: the base key, its stem and displayed path, its bytes.
pub fn key(base: Key, stem: &str, display: &str, bytes: &[u8]) -> Key {
    let mut h = Hash2::new();
    h.bytes(&base.0.to_le_bytes());
    h.bytes(&base.1.to_le_bytes());
    h.bytes(stem.as_bytes());
    h.bytes(display.as_bytes());
    h.bytes(bytes);
    h.finish()
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
    let mut h = Hash2::new();
    h.bytes(body);
    h.finish()
}

impl ParseCache {
    /// Reads the cache at `path`; an empty cache if it is missing, unreadable or invalid.
    pub fn read(path: &Path) -> ParseCache {
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
        let (k, blob) = self.entries.get(display)?;
        if *k != key {
            return None;
        }
        let m: MonthResults = postcard::from_bytes(blob).ok()?;
        (m.file == display).then_some(m)
    }

    /// Writes the cache of `months` (each with its key, by displayed path in `keys`) to `path`,
    /// atomically (a temporary file renamed over it). Errors are ignored: the cache is only an
    /// optimisation.
    pub fn write(path: &Path, keys: &[(String, Key)], months: &[MonthResults]) {
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
    /// there are dropped — an edit re-encodes only the month it touched.
    pub fn refresh(&mut self, keys: &[(String, Key)], months: &[MonthResults]) {
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
