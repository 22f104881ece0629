//! Reuse of the previous output: the page manifest `.NAME.pages` (the [`Key`] of every page a
//! build rendered) and the hard-linking of files from the previous output into the new one.
//!
//! A page's key covers everything it is rendered from (template, theme, context or inputs;
//! see `crate::pages`): a page whose key is unchanged since the previous build is hard-linked
//! from the previous output instead of rendered ([`Reuse::link_previous`]), and any other file
//! whose bytes are unchanged is hard-linked instead of written ([`Reuse::link_unchanged`]). A
//! rebuild then writes only what changed, and the swap of the output stays atomic: the staging
//! folder is still a complete output. Editing files inside the output by hand is not detected:
//! delete the output folder (or the `.NAME.pages` file) to render everything again.
//!
//! With the cache off ([`super::enabled`]) nothing is read, linked or recorded: every page is
//! rendered and every file written.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::key::{from_hex, to_hex, Key};

/// First line of `.NAME.pages`: a manifest without it (an older format, or other hashes) is
/// ignored and every page is rendered. (2: 64-bit SipHash-1-3; 3: 128-bit [`Key`]s.)
const PAGES_HEADER: &str = "rankpress pages 3";

/// The manifest beside the output folder `target`: `.NAME.pages`.
pub fn manifest_path(target: &Path) -> Option<PathBuf> {
    let name = target.file_name()?.to_string_lossy().into_owned();
    Some(target.with_file_name(format!(".{name}.pages")))
}

/// The key of every page rendered by a build (path → key), saved as `.NAME.pages` beside the
/// output folder `NAME` once the output is in place.
#[derive(Default)]
pub struct PageCache {
    entries: Mutex<Vec<(String, Key)>>,
}

impl PageCache {
    /// An empty cache.
    pub fn new() -> PageCache {
        PageCache::default()
    }

    /// Records a page's key.
    pub fn record(&self, path: String, key: Key) {
        if let Ok(mut e) = self.entries.lock() {
            e.push((path, key));
        }
    }

    fn to_text(&self) -> String {
        let mut e = self.entries.lock().map(|e| e.clone()).unwrap_or_default();
        e.sort();
        let mut s = String::with_capacity(e.len() * 64 + 32);
        s.push_str(PAGES_HEADER);
        s.push('\n');
        for (path, key) in e {
            s.push_str(&to_hex(key));
            s.push(' ');
            s.push_str(&path);
            s.push('\n');
        }
        s
    }

    fn parse(text: &str) -> HashMap<String, Key> {
        let mut lines = text.lines();
        if lines.next() != Some(PAGES_HEADER) {
            return HashMap::new();
        }
        lines
            .filter_map(|l| {
                let (key, path) = l.split_once(' ')?;
                Some((path.to_string(), from_hex(key)?))
            })
            .collect()
    }
}

/// What a build may reuse of the previous output, and what it reused: made by the output
/// writer (`crate::output::Output`) when a build begins.
pub struct Reuse {
    /// The previous output, if any (and the cache is on).
    previous: Option<PathBuf>,
    /// The page keys of the previous build, if its output and manifest exist.
    previous_pages: Option<HashMap<String, Key>>,
    /// `.NAME.pages` beside the output.
    manifest: Option<PathBuf>,
    /// This build's page keys, written to `manifest` by [`Reuse::commit`].
    pages: Mutex<Option<PageCache>>,
}

impl Reuse {
    /// Starts reusing `previous`, the output at `target` before this build (if any). The
    /// manifest describes the current output: it is removed now and written again only once
    /// the new output is in place ([`Reuse::commit`]), so it never describes another build's
    /// files.
    pub fn begin(target: &Path, previous: Option<PathBuf>) -> Reuse {
        let manifest = manifest_path(target);
        let on = super::enabled();
        let previous_pages = match (&previous, &manifest, on) {
            (Some(_), Some(m), true) => fs::read_to_string(m).ok().map(|t| PageCache::parse(&t)),
            _ => None,
        };
        if let Some(m) = &manifest {
            let _ = fs::remove_file(m);
        }
        Reuse {
            previous: previous.filter(|_| on),
            previous_pages,
            manifest,
            pages: Mutex::new(None),
        }
    }

    /// The page keys of the previous build, if its output and manifest exist (never with the
    /// cache off).
    pub fn previous_pages(&self) -> Option<&HashMap<String, Key>> {
        self.previous_pages.as_ref()
    }

    /// Whether the pages' keys are worth computing: the cache is on, so they are saved for the
    /// next build.
    pub fn records(&self) -> bool {
        super::enabled()
    }

    /// When the previous output has the same bytes at `rel`, hard-links that file to `path`
    /// (the new output's file; staging and target are in the same folder, so on the same
    /// filesystem) and returns true. Any failure falls back to writing (returns false).
    pub fn link_unchanged(&self, rel: &str, data: &[u8], path: &Path) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let same = match fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() && m.len() == data.len() as u64 => {
                fs::read(&old).is_ok_and(|b| b == data)
            }
            _ => false,
        };
        if same && fs::hard_link(&old, path).is_ok() {
            return true;
        }
        false
    }

    /// Hard-links the previous output's file at `rel` to `path` (a page whose key did not
    /// change): its length, or `None` if that is not possible, and then the caller renders
    /// and writes the page.
    pub fn link_previous(&self, rel: &str, path: &Path) -> Option<u64> {
        let old = self.previous.as_ref()?.join(rel);
        let meta = fs::symlink_metadata(&old).ok().filter(|m| m.is_file())?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).ok()?;
        }
        fs::hard_link(&old, path).ok()?;
        Some(meta.len())
    }

    /// The keys of this build's pages, saved beside the output by [`Reuse::commit`].
    pub fn set_pages(&self, pages: PageCache) {
        if let Ok(mut p) = self.pages.lock() {
            *p = Some(pages);
        }
    }

    /// Saves this build's page keys (once its output is in place), through a temporary file;
    /// errors are ignored (the next build then renders every page). Nothing with the cache
    /// off.
    pub fn commit(&self) {
        if !super::enabled() {
            return;
        }
        let pages = self.pages.lock().ok().and_then(|mut p| p.take());
        if let (Some(pages), Some(manifest)) = (pages, &self.manifest) {
            let tmp = manifest.with_extension("pages-new");
            if fs::write(&tmp, pages.to_text()).is_ok() {
                let _ = fs::rename(&tmp, manifest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_manifest_round_trips_and_old_formats_are_ignored() {
        let c = PageCache::new();
        c.record("b/index.html".into(), (7, 0));
        c.record("a.html".into(), (u64::MAX, 1));
        let text = c.to_text();
        assert!(text.starts_with("rankpress pages 3\n"), "{text}");
        let back = PageCache::parse(&text);
        assert_eq!(back.get("a.html"), Some(&(u64::MAX, 1)));
        assert_eq!(back.get("b/index.html"), Some(&(7, 0)));
        // A manifest of 64-bit hashes (format 2) or written with DefaultHasher (no header) is
        // not trusted.
        assert!(PageCache::parse("rankpress pages 2\n0000000000000007 b/index.html\n").is_empty());
        assert!(PageCache::parse("0000000000000007 b/index.html\n").is_empty());
    }
}
