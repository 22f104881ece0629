//! The font for PNG charts: which file (`bulletin.font`, `RANKPRESS_FONT`, or a fixed list of
//! well-known CJK font paths), which face of a collection, and a check that it draws Chinese.
//!
//! Fonts are parsed by `fontdb` (faces, family names, weights) and `skrifa` (character
//! coverage), both already used by `usvg` for text. Only the chosen file (and, for a CJK font
//! without ASCII glyphs, one Latin companion) is loaded, never the system's whole font list, so
//! the PNG never depends on what else is installed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use resvg::usvg::fontdb::{Database, Source, ID};
use skrifa::MetadataProvider as _;

use super::ChartError;

/// Environment variable naming a font file; consulted by [`find_cjk_font`] after the configured path.
pub const FONT_ENV: &str = "RANKPRESS_FONT";

/// A loaded, verified CJK-capable font for PNG text (see [`find_cjk_font`], [`FontData::load`]).
#[derive(Clone)]
pub struct FontData {
    /// Where the font was loaded from (for messages).
    pub path: PathBuf,
    /// Family name of the chosen face, e.g. `Noto Sans CJK SC`; every PNG text uses it.
    pub family: String,
    /// The faces text may use: the chosen file (with its bold sibling, when there is one) and a
    /// Latin companion when the chosen face has no ASCII glyphs (Droid Sans Fallback has none).
    pub(super) db: Arc<Database>,
}

impl fmt::Debug for FontData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontData")
            .field("path", &self.path)
            .field("family", &self.family)
            .field("faces", &self.db.len())
            .finish()
    }
}

/// Finds a CJK-capable font for PNG text.
///
/// Order: `configured` (e.g. from site.yaml) if given, else the file named by `RANKPRESS_FONT`
/// if set and non-empty — either one must be usable, there is no silent fallback — else the
/// first usable entry of [`font_candidates`]: WenQuanYi Micro Hei, WenQuanYi Zen Hei,
/// Noto Sans CJK (SC face), Droid Sans Fallback (Debian, Fedora and Arch paths), then on macOS
/// PingFang / STHeiti / Hiragino Sans GB / Arial Unicode, on Windows Microsoft YaHei
/// (`msyh.ttc`, `msyh.ttf`), SimHei, SimSun.
///
/// A font is usable only if it has glyphs for Chinese sample characters (中文月排名) and, itself
/// or through a Latin companion from [`latin_candidates`], for ASCII letters and digits.
pub fn find_cjk_font(configured: Option<&Path>) -> Result<FontData, ChartError> {
    let env = std::env::var_os(FONT_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    find_font_in(configured, env.as_deref(), &font_candidates())
}

/// The built-in font paths [`find_cjk_font`] tries, in order, for this platform.
pub fn font_candidates() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
        "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if cfg!(target_os = "macos") {
        for p in [
            "/System/Library/Fonts/PingFang.ttc",
            "/System/Library/Fonts/STHeiti Medium.ttc",
            "/System/Library/Fonts/Hiragino Sans GB.ttc",
            "/Library/Fonts/Arial Unicode.ttf",
        ] {
            v.push(PathBuf::from(p));
        }
    }
    if cfg!(windows) {
        let fonts = windows_fonts();
        for f in ["msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc"] {
            v.push(fonts.join(f));
        }
    }
    v
}

/// Latin fonts paired with a CJK face that lacks ASCII glyphs (tried in order, first usable wins).
pub fn latin_candidates() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if cfg!(target_os = "macos") {
        v.push(PathBuf::from("/Library/Fonts/Arial.ttf"));
    }
    if cfg!(windows) {
        v.push(windows_fonts().join("arial.ttf"));
    }
    v
}

fn windows_fonts() -> PathBuf {
    std::env::var_os("WINDIR")
        .map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from)
        .join("Fonts")
}

impl FontData {
    /// Loads a font file, picks the best face of a collection (Chinese and ASCII coverage first,
    /// then a Simplified Chinese, non-monospace face) and verifies it covers Chinese; a face
    /// without ASCII gets a Latin companion from [`latin_candidates`]. A bold file beside it
    /// (`…-Regular.ttc` → `…-Bold.ttc`) is loaded too, for bold text.
    pub fn load(path: &Path) -> Result<FontData, ChartError> {
        let bytes = std::fs::read(path)
            .map_err(|e| ChartError::FontUnreadable(path.to_path_buf(), e.to_string()))?;
        FontData::from_bytes(path.to_path_buf(), bytes)
    }

    /// Like [`FontData::load`] for font bytes already in memory; `path` is only a label.
    pub fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Result<FontData, ChartError> {
        let mut db = Database::new();
        db.load_font_data(bytes);
        if db.is_empty() {
            return Err(ChartError::FontUnreadable(
                path,
                "not a TrueType/OpenType font".into(),
            ));
        }
        // Faces in file order; the first of the best score wins.
        let mut best: Option<(i32, String, bool)> = None;
        for face in db.faces() {
            if !covers(&db, face.id, CJK_PROBE) {
                continue;
            }
            let family = english_family(&db, face.id);
            let ascii = covers(&db, face.id, ASCII_PROBE);
            let score = face_score(&family) + if ascii { 10 } else { 0 };
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, family, ascii));
            }
        }
        let Some((_, family, ascii)) = best else {
            return Err(ChartError::FontNoCjk(path));
        };
        if !ascii {
            let latin = latin_candidates()
                .into_iter()
                .filter(|p| p.is_file())
                .find_map(|p| load_latin(&p));
            match latin {
                Some(source) => {
                    db.load_font_source(source);
                }
                None => return Err(ChartError::FontNoCjk(path)),
            }
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains("Regular") {
            let bold = path.with_file_name(name.replace("Regular", "Bold"));
            if let Ok(bytes) = std::fs::read(bold) {
                db.load_font_data(bytes);
            }
        }
        Ok(FontData {
            path,
            family,
            db: Arc::new(db),
        })
    }

    /// Whether the face text would use (or a companion) has a glyph for `c`.
    pub(super) fn has_char(&self, c: char) -> bool {
        let c = c.encode_utf8(&mut [0; 4]).to_owned();
        self.db.faces().any(|f| covers(&self.db, f.id, &c))
    }

    /// Whether a bold face of [`FontData::family`] is loaded (else bold is drawn by stroking).
    pub(super) fn has_bold(&self) -> bool {
        self.db
            .faces()
            .any(|f| f.weight.0 >= 600 && f.families.iter().any(|(n, _)| *n == self.family))
    }
}

fn find_font_in(
    configured: Option<&Path>,
    env: Option<&Path>,
    candidates: &[PathBuf],
) -> Result<FontData, ChartError> {
    if let Some(p) = configured.or(env) {
        return FontData::load(p);
    }
    for p in candidates {
        if p.is_file() {
            if let Ok(f) = FontData::load(p) {
                return Ok(f);
            }
        }
    }
    Err(ChartError::FontNotFound {
        searched: candidates.to_vec(),
    })
}

const CJK_PROBE: &str = "中文月排名";
const ASCII_PROBE: &str = "0123456789AZaz.,%-";

/// Whether face `id` has a glyph for every character of `probe`.
fn covers(db: &Database, id: ID, probe: &str) -> bool {
    db.with_face_data(id, |data, index| {
        let Ok(font) = skrifa::FontRef::from_index(data, index) else {
            return false;
        };
        let map = font.charmap();
        probe
            .chars()
            .all(|c| map.map(c).is_some_and(|g| g.to_u32() != 0))
    })
    .unwrap_or(false)
}

/// The face's English family name (its first one when none is marked English).
fn english_family(db: &Database, id: ID) -> String {
    let Some(face) = db.face(id) else {
        return String::new();
    };
    let english = resvg::usvg::fontdb::Language::English_UnitedStates;
    face.families
        .iter()
        .find(|f| f.1 == english)
        .or(face.families.first())
        .map_or(String::new(), |f| f.0.clone())
}

/// A Latin companion font: its first face must cover ASCII.
fn load_latin(path: &Path) -> Option<Source> {
    let source = Source::Binary(Arc::new(std::fs::read(path).ok()?));
    let mut db = Database::new();
    let first = *db.load_font_source(source.clone()).first()?;
    covers(&db, first, ASCII_PROBE).then_some(source)
}

/// Higher is better: Simplified Chinese faces first, monospace/bitmap variants last.
fn face_score(family: &str) -> i32 {
    let f = family.to_ascii_lowercase();
    let mut s = 0;
    if f.ends_with(" sc") || f.contains(" sc ") || f.contains(" gb") {
        s += 2;
    }
    if f.contains("mono") || f.contains("sharp") {
        s -= 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_lookup_errors_are_clear() {
        let missing = Path::new("/nonexistent/font.ttf");
        match find_font_in(Some(missing), None, &[]) {
            Err(ChartError::FontUnreadable(p, _)) => assert_eq!(p, missing),
            other => panic!("{other:?}"),
        }
        // Configured path wins over the environment variable; no silent fallback.
        assert!(matches!(
            find_font_in(Some(missing), Some(Path::new("/x")), &[]),
            Err(ChartError::FontUnreadable(..))
        ));
        let not_font = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert!(matches!(
            FontData::load(&not_font),
            Err(ChartError::FontUnreadable(..))
        ));

        let cands = vec![PathBuf::from("/nonexistent/a.ttc"), not_font.clone()];
        let err = find_font_in(None, None, &cands).unwrap_err();
        assert_eq!(err, ChartError::FontNotFound { searched: cands });
        let msg = err.to_string();
        assert!(
            msg.contains("/nonexistent/a.ttc")
                && msg.contains("RANKPRESS_FONT")
                && msg.contains("中文字体"),
            "{msg}"
        );

        // A Latin-only font is rejected rather than drawing empty boxes.
        let latin = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        if latin.is_file() {
            assert_eq!(
                FontData::load(latin).unwrap_err(),
                ChartError::FontNoCjk(latin.to_path_buf())
            );
        }
        assert!(!font_candidates().is_empty());
    }

    #[test]
    fn collections_prefer_the_simplified_chinese_face() {
        assert!(face_score("Noto Sans CJK SC") > face_score("Noto Sans CJK JP"));
        assert!(face_score("Noto Sans CJK SC") > face_score("Noto Sans Mono CJK SC"));
        assert!(face_score("WenQuanYi Micro Hei") > face_score("WenQuanYi Micro Hei Mono"));
        let noto = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
        if noto.is_file() {
            let f = FontData::load(noto).unwrap();
            assert_eq!(f.family, "Noto Sans CJK SC");
            assert!(f.has_bold(), "NotoSansCJK-Bold.ttc beside it is loaded");
        }
        let wqy = Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
        if wqy.is_file() {
            let f = FontData::load(wqy).unwrap();
            assert_eq!(f.family, "WenQuanYi Micro Hei");
            assert!(!f.has_bold());
        }
    }
}
