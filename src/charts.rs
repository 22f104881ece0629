//! Charts for rankpress: line (rank/score over months), bar and histogram charts.
//!
//! Both outputs share one font-independent layout (a list of primitives in logical pixels),
//! so an SVG and a PNG of the same chart look alike:
//!
//! * [`render_svg`] writes standalone SVG by hand: deterministic, compact (coordinates rounded
//!   to 0.1 px), no XML prolog, no ids or `<style>` (safe to inline many times in one HTML
//!   page), text as `<text>` with a CJK-capable `font-family` list, so no font is needed at
//!   build time. It carries `width`/`height` plus `viewBox` and `style="max-width:100%;height:auto"`,
//!   so it scales down responsively; CSS `width:100%` on the element makes it fill its box.
//! * [`render_png`] rasterises the same layout with plotters' bitmap backend (shapes drawn at 2×
//!   and box-filtered for anti-aliasing) and draws text with the given font via `ab_glyph`.
//!   Characters the font lacks are skipped, never drawn as empty boxes.
//!
//! Text widths for layout are estimated per character (CJK = 1 em), never measured, so layout
//! never depends on the font that happens to be installed.
//! All output is byte-identical for identical input. The module keeps no global state.

use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::backend::{BitMapBackend, DrawingBackend};
use plotters::style::{Color, RGBAColor, ShapeStyle};

// ---------------------------------------------------------------------------------------------
// Public data model
// ---------------------------------------------------------------------------------------------

/// One named series of values over the x labels (`None` = gap, e.g. a month the manager was not ranked).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per x label; `None` (or a non-finite value) breaks the line.
    pub values: Vec<Option<f64>>,
    /// Draw the line dashed (e.g. an average or target line).
    pub dashed: bool,
}

/// Lines with point markers over categorical x labels (typically months).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Chart title (also the SVG's accessible name).
    pub title: String,
    /// Category labels; thinned (keeping the last) when they would overlap.
    pub x_labels: Vec<String>,
    /// Series drawn in distinct colour, marker shape and (optionally) dash; legend shown when > 1.
    pub series: Vec<Series>,
    /// Caption shown above the y axis.
    pub y_label: String,
    /// Rank mode: integer ticks starting at 1, with rank 1 on top.
    pub invert_y: bool,
}

/// Vertical bars with value labels (2 decimals, trailing zeros trimmed) above them.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Chart title (also the SVG's accessible name).
    pub title: String,
    /// One label per bar; drawn vertically when they do not fit side by side.
    pub labels: Vec<String>,
    /// Bar heights; the value axis always includes 0; non-finite values draw no bar.
    pub values: Vec<f64>,
    /// Caption shown above the y axis.
    pub y_label: String,
    /// Index of a bar to emphasise (e.g. the current manager); the others are dimmed.
    pub highlight: Option<usize>,
}

/// Counts of `values` per bin, drawn as adjacent equal-width bars (one per bin, in the given order).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Chart title (also the SVG's accessible name).
    pub title: String,
    /// Raw values; non-finite values and values outside every bin are ignored.
    pub values: Vec<f64>,
    /// `[lo, hi)` ranges; a value equal to the largest `hi` counts in that last bin.
    pub bins: Vec<(f64, f64)>,
    /// Caption under the x axis.
    pub x_label: String,
    /// Caption shown above the y axis.
    pub y_label: String,
}

/// Any chart this module can render.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// See [`LineChart`].
    Line(LineChart),
    /// See [`BarChart`].
    Bar(BarChart),
    /// See [`Histogram`].
    Histogram(Histogram),
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Line(c) => &c.title,
            Chart::Bar(c) => &c.title,
            Chart::Histogram(c) => &c.title,
        }
    }
}

/// A loaded, verified CJK-capable font for PNG text (see [`find_cjk_font`], [`FontData::load`]).
#[derive(Clone)]
pub struct FontData {
    /// Where the font was loaded from (for messages).
    pub path: PathBuf,
    /// The whole font file (a `.ttc` collection stays whole; see `index`).
    pub bytes: Arc<Vec<u8>>,
    /// Face index inside a collection (0 for plain `.ttf`/`.otf`).
    pub index: u32,
    /// Family name of the chosen face, e.g. `Noto Sans CJK SC` (empty if the font has none).
    pub family: String,
    /// Font for characters this face lacks: a Latin font ([`latin_candidates`]) attached when
    /// the CJK face has no ASCII glyphs (Droid Sans Fallback has none); otherwise `None`.
    pub fallback: Option<Box<FontData>>,
}

impl fmt::Debug for FontData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontData")
            .field("path", &self.path)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("index", &self.index)
            .field("family", &self.family)
            .field("fallback", &self.fallback)
            .finish()
    }
}

/// Errors from font discovery and PNG rendering.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// No usable CJK font at any of the searched paths.
    FontNotFound {
        /// Every path tried, in order.
        searched: Vec<PathBuf>,
    },
    /// The font loads but has no glyphs for Chinese (or lacks ASCII and no Latin companion was found).
    FontNoCjk(PathBuf),
    /// The file is missing, unreadable or not a TrueType/OpenType font.
    FontUnreadable(PathBuf, String),
    /// Invalid size/scale or a drawing/encoding failure.
    Render(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::FontNotFound { searched } => {
                write!(f, "no CJK font found for PNG charts (searched: ")?;
                for (i, p) in searched.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{}", p.display())?;
                }
                write!(
                    f,
                    "); install fonts-wqy-microhei or fonts-noto-cjk, configure a font path in \
                     site.yaml, or set {FONT_ENV}. 未找到中文字体：请安装文泉驿微米黑或思源黑体，\
                     或在 site.yaml 中配置字体路径（或设置环境变量 {FONT_ENV}）。"
                )
            }
            ChartError::FontNoCjk(p) => write!(
                f,
                "font {} has no glyphs for Chinese text (e.g. 中, 月) or for ASCII letters and \
                 digits; use a CJK font such as WenQuanYi Micro Hei or Noto Sans CJK SC. \
                 该字体缺少中文字形，请改用中文字体。",
                p.display()
            ),
            ChartError::FontUnreadable(p, e) => {
                write!(
                    f,
                    "cannot read font {}: {e}. 无法读取字体文件。",
                    p.display()
                )
            }
            ChartError::Render(e) => write!(f, "chart rendering failed: {e}. 图表渲染失败。"),
        }
    }
}

impl std::error::Error for ChartError {}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/// Renders `chart` as a standalone SVG document of `width` × `height` logical pixels.
///
/// Needs no font. Sizes below 1 are treated as 1.
pub fn render_svg(chart: &Chart, width: u32, height: u32) -> String {
    write_svg(&layout(chart, width.max(1) as f64, height.max(1) as f64))
}

/// Renders `chart` as an RGB PNG of `width*scale` × `height*scale` pixels (scale 2 for email),
/// drawing text with `font`.
///
/// Fails with [`ChartError::Render`] if a dimension or `scale` is 0, or the image would exceed
/// 16 Mpx; with [`ChartError::FontUnreadable`] if `font` cannot be parsed.
pub fn render_png(
    chart: &Chart,
    width: u32,
    height: u32,
    scale: u32,
    font: &FontData,
) -> Result<Vec<u8>, ChartError> {
    if width == 0 || height == 0 || scale == 0 {
        return Err(ChartError::Render(format!(
            "invalid PNG size {width}x{height} at scale {scale}"
        )));
    }
    let (dw, dh) = (width as u64 * scale as u64, height as u64 * scale as u64);
    if dw * dh > 16 * 1024 * 1024 {
        return Err(ChartError::Render(format!(
            "PNG too large: {dw}x{dh} pixels"
        )));
    }
    let faces = font.faces()?;
    let scene = layout(chart, width as f64, height as f64);
    let (dw, dh) = (dw as u32, dh as u32);

    // Shapes at SS× then box-filtered: plotters' rasteriser does not anti-alias.
    let mut big = vec![255u8; (dw * SS * dh * SS * 3) as usize];
    {
        let mut be = BitMapBackend::with_buffer(&mut big, (dw * SS, dh * SS));
        paint_shapes(&scene, &mut be, (scale * SS) as f64).map_err(render_err)?;
        be.present().map_err(render_err)?;
    }
    let mut img = downsample(&big, dw, dh, SS);
    drop(big);
    // Text at final resolution (ab_glyph coverage is already anti-aliased).
    {
        let mut be = BitMapBackend::with_buffer(&mut img, (dw, dh));
        paint_texts(&scene, &mut be, &faces, scale as f64).map_err(render_err)?;
        be.present().map_err(render_err)?;
    }
    encode_png(&img, dw, dh)
}

/// Environment variable naming a font file; consulted by [`find_cjk_font`] after the configured path.
pub const FONT_ENV: &str = "RANKPRESS_FONT";

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
        let root =
            std::env::var_os("WINDIR").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
        for f in ["msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc"] {
            v.push(root.join("Fonts").join(f));
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
        let root =
            std::env::var_os("WINDIR").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
        v.push(root.join("Fonts").join("arial.ttf"));
    }
    v
}

impl FontData {
    /// Loads a font file, picks the best face of a collection (Chinese and ASCII coverage first,
    /// then a Simplified Chinese, non-monospace face) and verifies it covers Chinese; a face
    /// without ASCII gets a Latin companion from [`latin_candidates`].
    pub fn load(path: &Path) -> Result<FontData, ChartError> {
        let bytes = std::fs::read(path)
            .map_err(|e| ChartError::FontUnreadable(path.to_path_buf(), e.to_string()))?;
        FontData::from_bytes(path.to_path_buf(), bytes)
    }

    /// Like [`FontData::load`] for font bytes already in memory; `path` is only a label.
    pub fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Result<FontData, ChartError> {
        let mut parsed_any = false;
        let mut best: Option<(i32, u32, String, bool)> = None;
        for i in 0..face_count(&bytes) {
            let Ok(face) = FontRef::try_from_slice_and_index(&bytes, i) else {
                continue;
            };
            parsed_any = true;
            if !covers(&face, CJK_PROBE) {
                continue;
            }
            let family = family_name(&bytes, i).unwrap_or_default();
            let ascii = covers(&face, ASCII_PROBE);
            let score = face_score(&family) + if ascii { 10 } else { 0 };
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, i, family, ascii));
            }
        }
        let Some((_, index, family, ascii)) = best else {
            return Err(match parsed_any {
                true => ChartError::FontNoCjk(path),
                false => ChartError::FontUnreadable(path, "not a TrueType/OpenType font".into()),
            });
        };
        let mut font = FontData {
            path,
            bytes: Arc::new(bytes),
            index,
            family,
            fallback: None,
        };
        if !ascii {
            let latin = latin_candidates()
                .into_iter()
                .filter(|p| p.is_file())
                .find_map(|p| load_latin(&p));
            match latin {
                Some(l) => font.fallback = Some(Box::new(l)),
                None => return Err(ChartError::FontNoCjk(font.path)),
            }
        }
        Ok(font)
    }

    /// Parsed faces: this one first, then the fallback chain.
    fn faces(&self) -> Result<Vec<FontRef<'_>>, ChartError> {
        let mut v = vec![FontRef::try_from_slice_and_index(&self.bytes, self.index)
            .map_err(|e| ChartError::FontUnreadable(self.path.clone(), e.to_string()))?];
        if let Some(f) = &self.fallback {
            v.extend(f.faces()?);
        }
        Ok(v)
    }
}

// ---------------------------------------------------------------------------------------------
// Font discovery helpers
// ---------------------------------------------------------------------------------------------

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

fn covers(face: &FontRef<'_>, probe: &str) -> bool {
    probe.chars().all(|c| face.glyph_id(c).0 != 0)
}

/// A Latin companion font: face 0, must cover ASCII.
fn load_latin(path: &Path) -> Option<FontData> {
    let bytes = std::fs::read(path).ok()?;
    let face = FontRef::try_from_slice_and_index(&bytes, 0).ok()?;
    if !covers(&face, ASCII_PROBE) {
        return None;
    }
    let family = family_name(&bytes, 0).unwrap_or_default();
    Some(FontData {
        path: path.to_path_buf(),
        bytes: Arc::new(bytes),
        index: 0,
        family,
        fallback: None,
    })
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

fn be16(d: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn be32(d: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?) as usize)
}

fn face_count(d: &[u8]) -> u32 {
    if d.starts_with(b"ttcf") {
        be32(d, 8).map_or(0, |n| n.min(64) as u32)
    } else {
        1
    }
}

/// Family name (name ID 1) of face `index`, preferring the Windows English entry.
fn family_name(d: &[u8], index: u32) -> Option<String> {
    let off = if d.starts_with(b"ttcf") {
        be32(d, 12 + 4 * index as usize)?
    } else {
        0
    };
    let tables = be16(d, off + 4)?;
    let name = (0..tables)
        .map(|t| off + 12 + 16 * t)
        .find(|&r| d.get(r..r + 4) == Some(b"name"))?;
    let name = be32(d, name + 8)?;
    let (count, strings) = (be16(d, name + 2)?, name + be16(d, name + 4)?);
    let mut found: Option<(u8, String)> = None;
    for r in (0..count).map(|i| name + 6 + 12 * i) {
        let (platform, lang, id) = (be16(d, r)?, be16(d, r + 4)?, be16(d, r + 6)?);
        if id != 1 {
            continue;
        }
        let (len, at) = (be16(d, r + 8)?, strings + be16(d, r + 10)?);
        let raw = d.get(at..at + len)?;
        let (rank, text) = match platform {
            3 => {
                let units: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                (
                    if lang == 0x409 { 3 } else { 2 },
                    String::from_utf16_lossy(&units),
                )
            }
            1 => (1, raw.iter().map(|&b| b as char).collect()),
            _ => continue,
        };
        if found.as_ref().is_none_or(|(r0, _)| rank > *r0) {
            found = Some((rank, text));
        }
    }
    found.map(|(_, t)| t)
}

// ---------------------------------------------------------------------------------------------
// Scene: font-independent layout primitives in logical pixels
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct TextStyle {
    size: f64,
    color: Rgb,
    anchor: Anchor,
    bold: bool,
    /// Rotated −90° (reads bottom to top) about its anchor point.
    vertical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

#[derive(Debug, Clone, PartialEq)]
enum Prim {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Rgb,
    },
    /// Straight 1-colour segments `[x1, y1, x2, y2]` (grid, axes, ticks).
    Segments {
        segs: Vec<[f64; 4]>,
        color: Rgb,
        width: f64,
    },
    Polyline {
        pts: Vec<(f64, f64)>,
        color: Rgb,
        width: f64,
        dashed: bool,
    },
    Markers {
        pts: Vec<(f64, f64)>,
        shape: Marker,
        color: Rgb,
    },
    /// `(x, baseline y, text)` items sharing one style.
    Texts {
        style: TextStyle,
        items: Vec<(f64, f64, String)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Scene {
    w: f64,
    h: f64,
    title: String,
    prims: Vec<Prim>,
}

impl Scene {
    fn new(w: f64, h: f64, title: &str) -> Scene {
        let bg = Prim::Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
            fill: BG,
        };
        Scene {
            w,
            h,
            title: clean(title),
            prims: vec![bg],
        }
    }

    fn text(&mut self, style: TextStyle, x: f64, y: f64, text: String) {
        if text.is_empty() {
            return;
        }
        if let Some(Prim::Texts { style: s, items }) = self.prims.last_mut() {
            if *s == style {
                items.push((x, y, text));
                return;
            }
        }
        self.prims.push(Prim::Texts {
            style,
            items: vec![(x, y, text)],
        });
    }
}

const SS: u32 = 2;
const PAD: f64 = 12.0;
const TITLE_SIZE: f64 = 15.0;
const SMALL: f64 = 11.0;
const LEGEND_SIZE: f64 = 12.0;
const MARKER_R: f64 = 3.5;
const LINE_W: f64 = 2.0;
const DASH: (f64, f64) = (6.0, 4.0);
const FONT_STACK: &str =
    r#""Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif"#;

const BG: Rgb = Rgb(0xff, 0xff, 0xff);
const INK: Rgb = Rgb(0x1f, 0x29, 0x33);
const MUTED: Rgb = Rgb(0x52, 0x60, 0x6d);
const GRID: Rgb = Rgb(0xe4, 0xe7, 0xeb);
const AXIS: Rgb = Rgb(0x76, 0x81, 0x8d);
const BAR: Rgb = Rgb(0x4a, 0x7f, 0xb5);
const BAR_DIM: Rgb = Rgb(0x6f, 0x8f, 0xb3);
const BAR_HI: Rgb = Rgb(0x1f, 0x4e, 0x79);
/// Series colours: the Okabe–Ito colour-blind-safe palette, its light hues darkened so that every
/// mark meets 3:1 against the white background (WCAG 1.4.11; ratios in the comments). Series
/// also differ by marker shape (and optionally dash), so colour is never the only cue. Axis text
/// (`MUTED`, 6.5:1) and `INK` meet 4.5:1; `AXIS` lines 4.0:1, `BAR` 4.2:1, `BAR_DIM` 3.4:1.
const PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2), // blue, 5.2:1
    Rgb(0xd5, 0x5e, 0x00), // vermillion, 3.9:1
    Rgb(0x00, 0x7a, 0x5e), // bluish green (darkened), 5.3:1
    Rgb(0xa3, 0x4e, 0x86), // reddish purple (darkened), 5.3:1
    Rgb(0x9e, 0x6b, 0x00), // orange (darkened), 4.6:1
    Rgb(0x1f, 0x29, 0x33), // black, 14.8:1
    Rgb(0x8c, 0x7a, 0x00), // yellow (darkened to olive), 4.3:1
    Rgb(0x5f, 0x6b, 0x7a), // slate, 5.4:1
];
const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
];

fn style(size: f64, color: Rgb, anchor: Anchor) -> TextStyle {
    TextStyle {
        size,
        color,
        anchor,
        bold: false,
        vertical: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Text and number helpers
// ---------------------------------------------------------------------------------------------

/// Replaces XML-invalid control characters and line breaks with spaces; trims.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2026 | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Estimated advance of `c` in em (generous, so estimated text rarely overflows).
fn char_em(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '-' => 0.38,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.88,
        '0'..='9' => 0.57,
        'A'..='Z' => 0.68,
        'a'..='z' => 0.56,
        c if c.is_ascii() => 0.55,
        c if is_wide(c) => 1.0,
        _ => 0.62,
    }
}

fn text_w(s: &str, size: f64, bold: bool) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size * if bold { 1.05 } else { 1.0 }
}

/// Cleans `s` and shortens it with "…" to fit `max_w` (estimated).
fn fit(s: &str, max_w: f64, size: f64, bold: bool) -> String {
    let s = clean(s);
    if text_w(&s, size, bold) <= max_w {
        return s;
    }
    let mut out = String::new();
    let mut acc = text_w("…", size, bold);
    for c in s.chars() {
        acc += text_w(c.encode_utf8(&mut [0; 4]), size, bold);
        if acc > max_w {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// `v` with `decimals` fixed decimals, no "-0", thousands grouped with ',' (no locale).
fn fmt_fixed(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    let s = match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    };
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", s.as_str()),
    };
    let (int, frac) = match body.find('.') {
        Some(i) => body.split_at(i),
        None => (body, ""),
    };
    if int.len() <= 3 {
        return s;
    }
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

/// A data value: 2 decimals with trailing zeros trimmed ("12.5", "3").
fn fmt_value(v: f64) -> String {
    let s = fmt_fixed(v, 2);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// SVG coordinate: rounded to 0.1, trailing ".0" dropped.
fn num(v: f64) -> String {
    // Fast path with integer arithmetic; the same text as the `{:.1}` below.
    let t = (v * 10.0).round();
    if t.is_finite() && t.abs() < 1e15 {
        let a = (t as i64).unsigned_abs();
        let mut s = String::with_capacity(8);
        if t < 0.0 && a != 0 {
            s.push('-');
        }
        use std::fmt::Write as _;
        let _ = write!(s, "{}", a / 10);
        if a % 10 != 0 {
            s.push('.');
            s.push((b'0' + (a % 10) as u8) as char);
        }
        return s;
    }
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{:.1}", if r == 0.0 { 0.0 } else { r });
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn esc(s: &str) -> String {
    crate::text::html_escape(&clean(s))
}

/// Moves the centre `x` of a small label so the label stays inside a canvas `w` wide.
fn inside(x: f64, t: &str, w: f64) -> f64 {
    let half = text_w(t, SMALL, false) / 2.0;
    if 2.0 * half + 4.0 >= w {
        w / 2.0
    } else {
        x.clamp(half + 2.0, w - half - 2.0)
    }
}

/// Centre of a 1-px line nearest to `v`, for crisp horizontal/vertical lines.
fn crisp(v: f64) -> f64 {
    v.floor() + 0.5
}

// ---------------------------------------------------------------------------------------------
// Axes
// ---------------------------------------------------------------------------------------------

/// Value axis: domain, tick values, label decimals, pixel mapping.
#[derive(Debug, Clone)]
struct YAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    decimals: usize,
    invert: bool,
    top: f64,
    bottom: f64,
}

impl YAxis {
    fn y(&self, v: f64) -> f64 {
        let t = if self.hi > self.lo {
            (v - self.lo) / (self.hi - self.lo)
        } else {
            0.5
        };
        if self.invert {
            self.top + t * (self.bottom - self.top)
        } else {
            self.bottom - t * (self.bottom - self.top)
        }
    }

    fn labels(&self) -> Vec<String> {
        self.ticks
            .iter()
            .map(|&t| fmt_fixed(t, self.decimals))
            .collect()
    }

    fn label_w(&self) -> f64 {
        self.labels()
            .iter()
            .map(|l| text_w(l, SMALL, false))
            .fold(0.0, f64::max)
    }
}

fn nice_step(raw: f64, integer: bool) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = match f {
        f if f <= 1.0 => 1.0,
        f if f <= 2.0 => 2.0,
        f if f <= 2.5 => {
            if integer {
                2.0
            } else {
                2.5
            }
        }
        f if f <= 5.0 => 5.0,
        _ => 10.0,
    };
    let step = m * mag;
    if integer {
        step.round().max(1.0)
    } else {
        step
    }
}

fn decimals_for(step: f64) -> usize {
    let mut d = 0;
    let mut x = step;
    while d < 6 && (x - x.round()).abs() > 1e-7 * x.abs().max(1.0) {
        x *= 10.0;
        d += 1;
    }
    d
}

fn tick_target(px: f64) -> f64 {
    (px / 48.0).floor().clamp(2.0, 8.0)
}

/// Nice linear axis covering `[lo, hi]` (snapped outward to whole steps).
fn linear_axis(lo: f64, hi: f64, px: f64, integer: bool) -> YAxis {
    let (mut lo, mut hi) = (lo, hi);
    if hi - lo < 1e-9 {
        let pad = if lo.abs() < 1e-9 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step((hi - lo) / tick_target(px), integer);
    let (lo, hi) = (
        (lo / step + 1e-9).floor() * step,
        (hi / step - 1e-9).ceil() * step,
    );
    let n = ((hi - lo) / step).round() as usize;
    let ticks = (0..=n).map(|i| lo + step * i as f64).collect();
    YAxis {
        lo,
        hi,
        ticks,
        decimals: decimals_for(step),
        invert: false,
        top: 0.0,
        bottom: 1.0,
    }
}

/// Integer rank axis from `min(1, lo)` down to `hi`, rank 1 on top; ticks at 1 and round steps.
fn rank_axis(lo: f64, hi: f64, px: f64) -> YAxis {
    let lo = lo.floor().min(1.0);
    let hi = hi.ceil().max(lo + 1.0);
    let step = nice_step((hi - lo) / tick_target(px), true);
    let mut ticks = vec![lo];
    let dom_hi;
    if step <= 2.0 {
        dom_hi = lo + ((hi - lo) / step).ceil() * step;
        let mut t = lo + step;
        while t <= dom_hi + 1e-9 {
            ticks.push(t);
            t += step;
        }
    } else {
        dom_hi = (hi / step).ceil() * step;
        let mut t = ((lo + step * 0.5) / step).ceil() * step;
        while t <= dom_hi + 1e-9 {
            ticks.push(t);
            t += step;
        }
    }
    YAxis {
        lo,
        hi: dom_hi,
        ticks,
        decimals: 0,
        invert: true,
        top: 0.0,
        bottom: 1.0,
    }
}

/// Grid lines and right-aligned tick labels of `ax` across `[left, right]`.
fn draw_y_axis(s: &mut Scene, ax: &YAxis, left: f64, right: f64) {
    let segs = ax
        .ticks
        .iter()
        .map(|&t| crisp(ax.y(t)))
        .map(|y| [left, y, right, y])
        .collect();
    s.prims.push(Prim::Segments {
        segs,
        color: GRID,
        width: 1.0,
    });
    let st = style(SMALL, MUTED, Anchor::End);
    for (t, l) in ax.ticks.iter().zip(ax.labels()) {
        s.text(st, left - 6.0, ax.y(*t) + SMALL * 0.35, l);
    }
}

/// Title (and y caption when given); returns the y where the next block starts.
fn header(s: &mut Scene, title: &str) -> f64 {
    let mut top = PAD;
    if !clean(title).is_empty() {
        let st = TextStyle {
            bold: true,
            ..style(TITLE_SIZE, INK, Anchor::Start)
        };
        let t = fit(title, s.w - 2.0 * PAD, TITLE_SIZE, true);
        s.text(st, PAD, top + TITLE_SIZE * 0.88, t);
        top += TITLE_SIZE * 1.25 + 8.0;
    }
    top
}

fn y_caption(s: &mut Scene, label: &str, top: f64) -> f64 {
    if clean(label).is_empty() {
        return top;
    }
    let t = fit(label, s.w - 2.0 * PAD, SMALL, false);
    s.text(
        style(SMALL, MUTED, Anchor::Start),
        PAD,
        top + SMALL * 0.85,
        t,
    );
    top + SMALL + 8.0
}

fn no_data(s: &mut Scene, top: f64) {
    let y = (top + s.h) / 2.0 + LEGEND_SIZE * 0.35;
    s.text(
        style(LEGEND_SIZE, MUTED, Anchor::Middle),
        s.w / 2.0,
        y,
        "—".into(),
    );
}

// ---------------------------------------------------------------------------------------------
// Layouts
// ---------------------------------------------------------------------------------------------

fn layout(chart: &Chart, w: f64, h: f64) -> Scene {
    match chart {
        Chart::Line(c) => layout_line(c, w, h),
        Chart::Bar(c) => layout_bar(c, w, h),
        Chart::Histogram(c) => layout_hist(c, w, h),
    }
}

fn layout_line(c: &LineChart, w: f64, h: f64) -> Scene {
    let mut s = Scene::new(w, h, &c.title);
    let mut top = header(&mut s, &c.title);
    let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
    let n = c
        .series
        .iter()
        .map(|s| s.values.len())
        .chain([c.x_labels.len()])
        .max()
        .unwrap_or(0);
    let all: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().filter_map(finite))
        .collect();

    if c.series.len() > 1 {
        // Legend: flowing rows of [line sample + marker] name.
        let (mut x, mut row) = (PAD, 0.0);
        let st = style(LEGEND_SIZE, INK, Anchor::Start);
        for (i, ser) in c.series.iter().enumerate() {
            let name = fit(&ser.name, w - 2.0 * PAD - 30.0, LEGEND_SIZE, false);
            let iw = 30.0 + text_w(&name, LEGEND_SIZE, false);
            if x + iw > w - PAD && x > PAD {
                row += 1.0;
                x = PAD;
            }
            let cy = top + row * 18.0 + 8.0;
            let (color, shape) = (PALETTE[i % PALETTE.len()], MARKERS[i % MARKERS.len()]);
            let pts = vec![(x, cy), (x + 24.0, cy)];
            s.prims.push(Prim::Polyline {
                pts,
                color,
                width: LINE_W,
                dashed: ser.dashed,
            });
            s.prims.push(Prim::Markers {
                pts: vec![(x + 12.0, cy)],
                shape,
                color,
            });
            s.text(st, x + 30.0, cy + LEGEND_SIZE * 0.35, name);
            x += iw + 16.0;
        }
        top += (row + 1.0) * 18.0 + 4.0;
    }
    top = y_caption(&mut s, &c.y_label, top);
    if all.is_empty() || n == 0 {
        no_data(&mut s, top);
        return s;
    }

    let inner = 6.0; // keeps extreme markers off the plot edges
    let bottom = h - PAD - 18.0;
    let plot_h = (bottom - top - 2.0 * inner).max(1.0);
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let mut ax = if c.invert_y {
        rank_axis(lo, hi, plot_h)
    } else {
        linear_axis(lo, hi, plot_h, false)
    };
    ax.top = top + inner;
    ax.bottom = top + inner + plot_h;
    let left = (PAD + ax.label_w() + 8.0).min(w / 2.0);
    let right = (w - PAD).max(left + 1.0);
    draw_y_axis(&mut s, &ax, left, right);

    // x axis: categorical slots, labels thinned from the right so the latest is always shown.
    let slot = (right - left) / n as f64;
    let cx = |i: usize| left + slot * (i as f64 + 0.5);
    let max_lw = c
        .x_labels
        .iter()
        .map(|l| text_w(&clean(l), SMALL, false))
        .fold(0.0, f64::max);
    let step = ((max_lw + 8.0) / slot).ceil().max(1.0) as usize;
    let shown: Vec<usize> = (0..n).filter(|i| (n - 1 - i) % step == 0).collect();
    let axis_y = crisp(bottom);
    let mut segs = vec![[left, axis_y, right, axis_y]];
    segs.extend(
        shown
            .iter()
            .map(|&i| [crisp(cx(i)), axis_y, crisp(cx(i)), axis_y + 4.0]),
    );
    s.prims.push(Prim::Segments {
        segs,
        color: AXIS,
        width: 1.0,
    });

    for (i, ser) in c.series.iter().enumerate().rev() {
        let color = PALETTE[i % PALETTE.len()];
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (j, v) in ser.values.iter().chain([&None]).enumerate() {
            match finite(v) {
                Some(v) => run.push((cx(j), ax.y(v))),
                None => {
                    if run.len() > 1 {
                        let pts = std::mem::take(&mut run);
                        s.prims.push(Prim::Polyline {
                            pts,
                            color,
                            width: LINE_W,
                            dashed: ser.dashed,
                        });
                    }
                    run.clear();
                }
            }
        }
    }
    for (i, ser) in c.series.iter().enumerate().rev() {
        let pts: Vec<_> = ser
            .values
            .iter()
            .enumerate()
            .filter_map(|(j, v)| finite(v).map(|v| (cx(j), ax.y(v))))
            .collect();
        if !pts.is_empty() {
            let (color, shape) = (PALETTE[i % PALETTE.len()], MARKERS[i % MARKERS.len()]);
            s.prims.push(Prim::Markers { pts, shape, color });
        }
    }
    let st = style(SMALL, MUTED, Anchor::Middle);
    for &i in &shown {
        if let Some(l) = c.x_labels.get(i) {
            let t = fit(l, slot * step as f64, SMALL, false);
            s.text(st, inside(cx(i), &t, w), bottom + 16.0, t);
        }
    }
    s
}

fn layout_bar(c: &BarChart, w: f64, h: f64) -> Scene {
    let mut s = Scene::new(w, h, &c.title);
    let top = header(&mut s, &c.title);
    let top = y_caption(&mut s, &c.y_label, top);
    let n = c.labels.len().max(c.values.len());
    let vals: Vec<Option<f64>> = (0..n)
        .map(|i| c.values.get(i).copied().filter(|v| v.is_finite()))
        .collect();
    if vals.iter().all(Option::is_none) {
        no_data(&mut s, top);
        return s;
    }
    let (lo, hi) = vals
        .iter()
        .flatten()
        .fold((0f64, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let hi = if hi == lo { lo + 1.0 } else { hi };
    let labels: Vec<String> = (0..n)
        .map(|i| c.labels.get(i).map_or(String::new(), |l| clean(l)))
        .collect();
    let vtexts: Vec<String> = vals
        .iter()
        .map(|v| v.map_or(String::new(), fmt_value))
        .collect();

    // Pass 1 fixes the left margin; then orientation of labels decides the bottom margin.
    let rough = linear_axis(lo, hi, (h - PAD - 20.0 - top).max(1.0), false);
    let left = (PAD + rough.label_w() + 8.0).min(w / 2.0);
    let right = (w - PAD).max(left + 1.0);
    let slot = (right - left) / n as f64;
    let max_lw = labels
        .iter()
        .map(|l| text_w(l, SMALL, false))
        .fold(0.0, f64::max);
    let horizontal = max_lw <= slot - 4.0;
    let label_cap = (h * 0.3).min(max_lw);
    let bottom = h - PAD - if horizontal { 18.0 } else { label_cap + 8.0 };
    let max_vw = vtexts
        .iter()
        .map(|t| text_w(t, SMALL, false))
        .fold(0.0, f64::max);
    let vhoriz = max_vw <= slot - 2.0;
    let room = if vhoriz { SMALL + 6.0 } else { max_vw + 8.0 };
    let (head, foot) = (
        if hi > 0.0 { room } else { 0.0 },
        if lo < 0.0 { room } else { 0.0 },
    );
    let plot_h = (bottom - top - head - foot).max(1.0);
    let mut ax = linear_axis(lo, hi, plot_h, false);
    ax.top = top + head;
    ax.bottom = top + head + plot_h;
    draw_y_axis(&mut s, &ax, left, right);

    let cx = |i: usize| left + slot * (i as f64 + 0.5);
    let bw = (slot * 0.66).clamp(1.0, 56.0);
    let y0 = ax.y(0.0);
    for (i, v) in vals.iter().enumerate() {
        let Some(v) = *v else { continue };
        let fill = match c.highlight {
            Some(hl) if hl == i => BAR_HI,
            Some(_) => BAR_DIM,
            None => BAR,
        };
        let (y1, y2) = (ax.y(v).min(y0), ax.y(v).max(y0));
        s.prims.push(Prim::Rect {
            x: cx(i) - bw / 2.0,
            y: y1,
            w: bw,
            h: y2 - y1,
            fill,
        });
    }
    s.prims.push(Prim::Segments {
        segs: vec![[left, crisp(y0), right, crisp(y0)]],
        color: AXIS,
        width: 1.0,
    });

    // Value labels, then category labels; the highlighted ones bold.
    for pass in [false, true] {
        for (i, v) in vals.iter().enumerate() {
            let hl = c.highlight == Some(i);
            let Some(v) = *v else { continue };
            let (color, bold) = if hl { (INK, true) } else { (MUTED, false) };
            let yv = ax.y(v);
            let (anchor, x, y) = match (vhoriz, v >= 0.0) {
                (true, true) => (Anchor::Middle, cx(i), yv - 5.0),
                (true, false) => (Anchor::Middle, cx(i), yv + 5.0 + SMALL * 0.8),
                (false, up) => (
                    if up { Anchor::Start } else { Anchor::End },
                    cx(i) + SMALL * 0.35,
                    yv + if up { -4.0 } else { 4.0 },
                ),
            };
            if pass == hl {
                let st = TextStyle {
                    bold,
                    vertical: !vhoriz,
                    ..style(SMALL, color, anchor)
                };
                s.text(st, x, y, vtexts[i].clone());
            }
        }
    }
    for pass in [false, true] {
        for (i, l) in labels.iter().enumerate() {
            let hl = c.highlight == Some(i);
            if pass != hl {
                continue;
            }
            let color = if hl { INK } else { MUTED };
            if horizontal {
                let st = TextStyle {
                    bold: hl,
                    ..style(SMALL, color, Anchor::Middle)
                };
                s.text(st, cx(i), bottom + 16.0, l.clone());
            } else {
                let st = TextStyle {
                    bold: hl,
                    vertical: true,
                    ..style(SMALL, color, Anchor::End)
                };
                s.text(
                    st,
                    cx(i) + SMALL * 0.35,
                    bottom + 6.0,
                    fit(l, label_cap, SMALL, hl),
                );
            }
        }
    }
    s
}

fn layout_hist(c: &Histogram, w: f64, h: f64) -> Scene {
    let mut s = Scene::new(w, h, &c.title);
    let top = header(&mut s, &c.title);
    let top = y_caption(&mut s, &c.y_label, top);
    let bins: Vec<(f64, f64)> = c
        .bins
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        .collect();
    if bins.is_empty() {
        no_data(&mut s, top);
        return s;
    }
    let counts = bin_counts(&c.values, &bins);
    let cmax = counts.iter().copied().max().unwrap_or(0) as f64;

    let has_xl = !clean(&c.x_label).is_empty();
    let bottom = h - PAD - 18.0 - if has_xl { 18.0 } else { 0.0 };
    let head = SMALL + 6.0;
    let plot_h = (bottom - top - head).max(1.0);
    let mut ax = linear_axis(0.0, cmax.max(1.0), plot_h, true);
    ax.top = top + head;
    ax.bottom = bottom;
    let left = (PAD + ax.label_w() + 8.0).min(w / 2.0);
    let right = (w - PAD).max(left + 1.0);
    draw_y_axis(&mut s, &ax, left, right);

    // Equal-width slots (bands like 0–60, 60–70 stay readable); contiguous bins get edge
    // labels at the slot boundaries, others a "lo–hi" label under each bar.
    let slot = (right - left) / bins.len() as f64;
    let edge_x = |i: usize| left + slot * i as f64;
    for (i, n) in counts.iter().enumerate().filter(|(_, &n)| n > 0) {
        let y = ax.y(*n as f64);
        s.prims.push(Prim::Rect {
            x: edge_x(i) + 0.5,
            y,
            w: (slot - 1.0).max(1.0),
            h: bottom - y,
            fill: BAR,
        });
    }
    let contiguous = bins.windows(2).all(|w| (w[0].1 - w[1].0).abs() < 1e-9);
    let candidates: Vec<(f64, String)> = if contiguous {
        let mut v = vec![(edge_x(0), fmt_value(bins[0].0))];
        v.extend(
            bins.iter()
                .enumerate()
                .map(|(i, b)| (edge_x(i + 1), fmt_value(b.1))),
        );
        v
    } else {
        bins.iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    edge_x(i) + slot / 2.0,
                    format!("{}–{}", fmt_value(b.0), fmt_value(b.1)),
                )
            })
            .collect()
    };
    // Keep labels that do not collide with the previously kept one.
    let mut shown = Vec::new();
    let mut last_right = f64::MIN;
    for (x, t) in candidates {
        let half = text_w(&t, SMALL, false) / 2.0;
        if x - half >= last_right + 6.0 {
            last_right = x + half;
            shown.push((x, t));
        }
    }
    let axis_y = crisp(bottom);
    let mut segs = vec![[left, axis_y, right, axis_y]];
    if contiguous {
        segs.extend(
            shown
                .iter()
                .map(|(x, _)| [crisp(*x), axis_y, crisp(*x), axis_y + 4.0]),
        );
    }
    s.prims.push(Prim::Segments {
        segs,
        color: AXIS,
        width: 1.0,
    });

    let st = style(SMALL, MUTED, Anchor::Middle);
    for (i, n) in counts.iter().enumerate() {
        s.text(
            st,
            edge_x(i) + slot / 2.0,
            ax.y(*n as f64) - 5.0,
            n.to_string(),
        );
    }
    for (x, t) in shown {
        let x = inside(x, &t, w);
        s.text(st, x, bottom + 16.0, t);
    }
    if has_xl {
        let t = fit(&c.x_label, w - 2.0 * PAD, SMALL, false);
        s.text(st, (left + right) / 2.0, bottom + 34.0, t);
    }
    s
}

/// Counts per `[lo, hi)` bin; a value equal to the largest `hi` counts in the bin(s) ending there.
pub fn bin_counts(values: &[f64], bins: &[(f64, f64)]) -> Vec<usize> {
    let top = bins.iter().map(|b| b.1).fold(f64::MIN, f64::max);
    let mut counts = vec![0; bins.len()];
    for &v in values.iter().filter(|v| v.is_finite()) {
        let hit = bins.iter().position(|&(a, b)| v >= a && v < b).or_else(|| {
            bins.iter()
                .position(|&(a, b)| v == top && b == top && v >= a)
        });
        if let Some(i) = hit {
            counts[i] += 1;
        }
    }
    counts
}

// ---------------------------------------------------------------------------------------------
// SVG writer
// ---------------------------------------------------------------------------------------------

fn marker_polygon(shape: Marker, x: f64, y: f64) -> Vec<(f64, f64)> {
    let r = MARKER_R;
    match shape {
        Marker::Circle => Vec::new(),
        Marker::Square => {
            let a = r * 0.9;
            vec![
                (x - a, y - a),
                (x + a, y - a),
                (x + a, y + a),
                (x - a, y + a),
            ]
        }
        Marker::Triangle => vec![
            (x, y - r * 1.2),
            (x + r * 1.1, y + r * 0.8),
            (x - r * 1.1, y + r * 0.8),
        ],
        Marker::TriangleDown => vec![
            (x, y + r * 1.2),
            (x + r * 1.1, y - r * 0.8),
            (x - r * 1.1, y - r * 0.8),
        ],
        Marker::Diamond => vec![
            (x, y - r * 1.25),
            (x + r * 1.1, y),
            (x, y + r * 1.25),
            (x - r * 1.1, y),
        ],
    }
}

fn write_svg(s: &Scene) -> String {
    let mut o = String::with_capacity(4096);
    let (w, h, t) = (num(s.w), num(s.h), esc(&s.title));
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}" font-family='{FONT_STACK}' style="max-width:100%;height:auto"><title>{t}</title>"#
    );
    for p in &s.prims {
        match p {
            Prim::Rect { x, y, w, h, fill } => {
                let _ = write!(
                    o,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                    fill.hex()
                );
            }
            Prim::Segments { segs, color, width } => {
                let mut d = String::new();
                for [x1, y1, x2, y2] in segs {
                    let _ = write!(d, "M{} {}", num(*x1), num(*y1));
                    if y1 == y2 {
                        let _ = write!(d, "H{}", num(*x2));
                    } else if x1 == x2 {
                        let _ = write!(d, "V{}", num(*y2));
                    } else {
                        let _ = write!(d, "L{} {}", num(*x2), num(*y2));
                    }
                }
                let sw = if *width == 1.0 {
                    String::new()
                } else {
                    format!(r#" stroke-width="{}""#, num(*width))
                };
                let _ = write!(
                    o,
                    r#"<path d="{d}" stroke="{}"{sw} fill="none" shape-rendering="crispEdges"/>"#,
                    color.hex()
                );
            }
            Prim::Polyline {
                pts,
                color,
                width,
                dashed,
            } => {
                let points: Vec<String> = pts
                    .iter()
                    .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                    .collect();
                let dash = if *dashed {
                    format!(r#" stroke-dasharray="{} {}""#, DASH.0, DASH.1)
                } else {
                    String::new()
                };
                let _ = write!(
                    o,
                    r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{dash}/>"#,
                    points.join(" "),
                    color.hex(),
                    num(*width)
                );
            }
            Prim::Markers { pts, shape, color } => {
                let _ = write!(o, r##"<g fill="{}" stroke="#fff">"##, color.hex());
                for &(x, y) in pts {
                    if *shape == Marker::Circle {
                        let _ = write!(
                            o,
                            r#"<circle cx="{}" cy="{}" r="{}"/>"#,
                            num(x),
                            num(y),
                            num(MARKER_R)
                        );
                    } else {
                        let d: Vec<String> = marker_polygon(*shape, x, y)
                            .iter()
                            .map(|(a, b)| format!("{} {}", num(*a), num(*b)))
                            .collect();
                        let _ = write!(o, r#"<path d="M{}Z"/>"#, d.join("L"));
                    }
                }
                o.push_str("</g>");
            }
            Prim::Texts { style: st, items } => write_texts(&mut o, st, items),
        }
    }
    o.push_str("</svg>");
    o
}

fn write_texts(o: &mut String, st: &TextStyle, items: &[(f64, f64, String)]) {
    let mut attrs = format!(r#" font-size="{}" fill="{}""#, num(st.size), st.color.hex());
    match st.anchor {
        Anchor::Start => {}
        Anchor::Middle => attrs.push_str(r#" text-anchor="middle""#),
        Anchor::End => attrs.push_str(r#" text-anchor="end""#),
    }
    if st.bold {
        attrs.push_str(r#" font-weight="bold""#);
    }
    let grouped = items.len() > 1;
    if grouped {
        let _ = write!(o, "<g{attrs}>");
    }
    for (x, y, t) in items {
        let (x, y) = (num(*x), num(*y));
        let rot = if st.vertical {
            format!(r#" transform="rotate(-90 {x} {y})""#)
        } else {
            String::new()
        };
        let own = if grouped { "" } else { attrs.as_str() };
        let _ = write!(o, r#"<text x="{x}" y="{y}"{rot}{own}>{}</text>"#, esc(t));
    }
    if grouped {
        o.push_str("</g>");
    }
}

// ---------------------------------------------------------------------------------------------
// PNG painter
// ---------------------------------------------------------------------------------------------

fn render_err(e: impl fmt::Display) -> ChartError {
    ChartError::Render(e.to_string())
}

fn solid(c: Rgb, width: u32) -> ShapeStyle {
    ShapeStyle {
        color: RGBAColor(c.0, c.1, c.2, 1.0),
        filled: true,
        stroke_width: width.max(1),
    }
}

/// Painter result; backend errors are carried as text.
type DrawResult = Result<(), String>;

fn px(v: f64, k: f64) -> i32 {
    (v * k).round() as i32
}

fn fill_rect<DB: DrawingBackend>(
    be: &mut DB,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    c: Rgb,
    k: f64,
) -> DrawResult {
    let (a, b) = (
        (px(x1, k), px(y1, k)),
        (px(x2, k).max(px(x1, k) + 1), px(y2, k).max(px(y1, k) + 1)),
    );
    be.draw_rect(a, b, &solid(c, 1), true)
        .map_err(|e| e.to_string())
}

/// Thick polyline as segments with round joins and caps.
fn stroke<DB: DrawingBackend>(
    be: &mut DB,
    pts: &[(f64, f64)],
    c: Rgb,
    width: f64,
    k: f64,
) -> DrawResult {
    let w = (width * k).round().max(1.0);
    let style = solid(c, w as u32);
    let r = (w / 2.0).round() as u32;
    for pair in pts.windows(2) {
        let (a, b) = (
            (px(pair[0].0, k), px(pair[0].1, k)),
            (px(pair[1].0, k), px(pair[1].1, k)),
        );
        be.draw_line(a, b, &style).map_err(|e| e.to_string())?;
    }
    if r > 0 {
        for &(x, y) in pts {
            be.draw_circle((px(x, k), px(y, k)), r, &style, true)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Splits a polyline into dash pieces of `on` length separated by `off`.
fn dashes(pts: &[(f64, f64)], on: f64, off: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = pts.first().map(|&p| vec![p]).unwrap_or_default();
    let (mut drawing, mut left) = (true, on);
    for pair in pts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut pos = 0.0;
        while len - pos > left {
            pos += left;
            let p = (a.0 + (b.0 - a.0) * pos / len, a.1 + (b.1 - a.1) * pos / len);
            if drawing {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur = vec![p];
            }
            drawing = !drawing;
            left = if drawing { on } else { off };
        }
        left -= len - pos;
        if drawing {
            cur.push(b);
        }
    }
    if drawing && cur.len() > 1 {
        out.push(cur);
    }
    out
}

fn paint_shapes<DB: DrawingBackend>(s: &Scene, be: &mut DB, k: f64) -> DrawResult {
    for p in &s.prims {
        match p {
            Prim::Rect { x, y, w, h, fill } => fill_rect(be, *x, *y, x + w, y + h, *fill, k)?,
            Prim::Segments { segs, color, width } => {
                for &[x1, y1, x2, y2] in segs {
                    let hw = width / 2.0;
                    if y1 == y2 {
                        fill_rect(be, x1.min(x2), y1 - hw, x1.max(x2), y1 + hw, *color, k)?;
                    } else if x1 == x2 {
                        fill_rect(be, x1 - hw, y1.min(y2), x1 + hw, y1.max(y2), *color, k)?;
                    } else {
                        stroke(be, &[(x1, y1), (x2, y2)], *color, *width, k)?;
                    }
                }
            }
            Prim::Polyline {
                pts,
                color,
                width,
                dashed,
            } => {
                if *dashed {
                    for piece in dashes(pts, DASH.0, DASH.1) {
                        stroke(be, &piece, *color, *width, k)?;
                    }
                } else {
                    stroke(be, pts, *color, *width, k)?;
                }
            }
            Prim::Markers { pts, shape, color } => {
                for &(x, y) in pts {
                    paint_marker(be, *shape, x, y, *color, k)?;
                }
            }
            Prim::Texts { .. } => {}
        }
    }
    Ok(())
}

fn paint_marker<DB: DrawingBackend>(
    be: &mut DB,
    shape: Marker,
    x: f64,
    y: f64,
    c: Rgb,
    k: f64,
) -> DrawResult {
    if shape == Marker::Circle {
        let ctr = (px(x, k), px(y, k));
        be.draw_circle(
            ctr,
            ((MARKER_R + 0.5) * k).round() as u32,
            &solid(BG, 1),
            true,
        )
        .map_err(|e| e.to_string())?;
        be.draw_circle(
            ctr,
            ((MARKER_R - 0.5) * k).round() as u32,
            &solid(c, 1),
            true,
        )
        .map_err(|e| e.to_string())?;
        return Ok(());
    }
    // White halo: the outline stroked at 1 px, then the filled shape.
    let poly = marker_polygon(shape, x, y);
    let mut ring = poly.clone();
    ring.push(poly[0]);
    stroke(be, &ring, BG, 1.0, k)?;
    let verts: Vec<(i32, i32)> = poly.iter().map(|&(a, b)| (px(a, k), px(b, k))).collect();
    be.fill_polygon(verts, &solid(c, 1))
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn downsample(src: &[u8], w: u32, h: u32, ss: u32) -> Vec<u8> {
    let (w, h, ss) = (w as usize, h as usize, ss as usize);
    let sw = w * ss;
    let mut out = vec![0u8; w * h * 3];
    let n = (ss * ss) as u32;
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0u32; 3];
            for dy in 0..ss {
                let row = ((y * ss + dy) * sw + x * ss) * 3;
                for dx in 0..ss {
                    for (c, a) in acc.iter_mut().enumerate() {
                        *a += src[row + dx * 3 + c] as u32;
                    }
                }
            }
            for c in 0..3 {
                out[(y * w + x) * 3 + c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

fn paint_texts<DB: DrawingBackend>(
    s: &Scene,
    be: &mut DB,
    faces: &[FontRef<'_>],
    k: f64,
) -> DrawResult {
    for p in &s.prims {
        if let Prim::Texts { style, items } = p {
            for (x, y, t) in items {
                draw_text(be, faces, t, x * k, y * k, style, k)?;
            }
        }
    }
    Ok(())
}

/// Draws `text` with its baseline anchor at device `(x, y)`. Each character comes from the
/// first face that has it; characters no face has are skipped (never drawn as boxes).
fn draw_text<DB: DrawingBackend>(
    be: &mut DB,
    faces: &[FontRef<'_>],
    text: &str,
    x: f64,
    y: f64,
    st: &TextStyle,
    k: f64,
) -> DrawResult {
    // Per-face scale giving an em of `size` px, as in CSS `font-size`.
    let em = (st.size * k) as f32;
    let scales: Vec<PxScale> = faces
        .iter()
        .map(|f| PxScale::from(em * f.height_unscaled() / f.units_per_em().unwrap_or(1000.0)))
        .collect();
    let mut pen = 0f32;
    let mut prev: Option<(usize, ab_glyph::GlyphId)> = None;
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let Some(fi) = faces.iter().position(|f| f.glyph_id(c).0 != 0) else {
            pen += em * 0.5;
            prev = None;
            continue;
        };
        let sf = faces[fi].as_scaled(scales[fi]);
        let id = sf.glyph_id(c);
        if let Some((pf, pid)) = prev.filter(|p| p.0 == fi) {
            pen += faces[pf].as_scaled(scales[pf]).kern(pid, id);
        }
        glyphs.push((fi, id, pen));
        pen += sf.h_advance(id);
        prev = Some((fi, id));
    }
    let shift = match st.anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => -pen / 2.0,
        Anchor::End => -pen,
    };
    let (ox, oy) = (x.floor(), y.floor());
    let (fx, fy) = ((x - ox) as f32, (y - oy) as f32);
    let color = RGBAColor(st.color.0, st.color.1, st.color.2, 1.0).to_backend_color();
    let bold_dx = (em * 0.05).max(0.5);
    let passes: &[f32] = if st.bold { &[0.0, bold_dx] } else { &[0.0] };
    let mut err = None;
    for &(fi, id, gx) in &glyphs {
        let (font, scale) = (&faces[fi], scales[fi]);
        for &dx in passes {
            // Local frame: x along the baseline, origin at the anchor's integer pixel.
            let (lx, ly) = if st.vertical {
                (shift + gx + dx - fy, fx)
            } else {
                (fx + shift + gx + dx, fy)
            };
            let glyph = id.with_scale_and_position(scale, point(lx, ly));
            let Some(og) = font.outline_glyph(glyph) else {
                continue;
            };
            let b = og.px_bounds();
            og.draw(|gx, gy, cov| {
                if err.is_some() || cov <= 0.0 {
                    return;
                }
                let (lx, ly) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                let (sx, sy) = if st.vertical {
                    (ox as i32 + ly, oy as i32 - lx - 1)
                } else {
                    (ox as i32 + lx, oy as i32 + ly)
                };
                if let Err(e) = be.draw_pixel((sx, sy), color.mix(cov.min(1.0) as f64)) {
                    err = Some(e.to_string());
                }
            });
        }
    }
    err.map_or(Ok(()), Err)
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    let mut wr = enc.write_header().map_err(render_err)?;
    wr.write_image_data(rgb).map_err(render_err)?;
    wr.finish().map_err(render_err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}-{:02}", 2023 + i / 12, i % 12 + 1))
            .collect()
    }

    fn series(name: &str, values: &[Option<f64>], dashed: bool) -> Series {
        Series {
            name: name.into(),
            values: values.to_vec(),
            dashed,
        }
    }

    fn rank_chart(values: &[Option<f64>]) -> LineChart {
        LineChart {
            title: "张伟 月度排名".into(),
            x_labels: months(values.len()),
            series: vec![series("张伟", values, false)],
            y_label: "排名".into(),
            invert_y: true,
        }
    }

    fn bar_chart() -> BarChart {
        BarChart {
            title: "综合得分".into(),
            labels: vec!["王芳".into(), "李强".into(), "陈静".into()],
            values: vec![12.5, 3.0, 1234.567],
            y_label: "得分".into(),
            highlight: Some(1),
        }
    }

    fn histogram() -> Histogram {
        Histogram {
            title: "得分分布".into(),
            values: vec![0.0, 59.9, 60.0, 100.0, 100.5, f64::NAN, -1.0],
            bins: vec![(0.0, 60.0), (60.0, 100.0)],
            x_label: "得分".into(),
            y_label: "人数".into(),
        }
    }

    fn all_charts() -> Vec<Chart> {
        let two = LineChart {
            series: vec![
                series("张伟", &[Some(3.0), None, Some(1.0), Some(2.0)], false),
                series("平均", &[Some(2.0), Some(2.5), Some(2.0), Some(2.2)], true),
            ],
            ..rank_chart(&[None; 4])
        };
        let negative = BarChart {
            values: vec![-5.0, 2.25, 0.0],
            highlight: None,
            ..bar_chart()
        };
        let gapped = Histogram {
            bins: vec![(0.0, 10.0), (20.0, 30.0)],
            ..histogram()
        };
        vec![
            Chart::Line(rank_chart(&[Some(1.0), Some(4.0), None, Some(2.0)])),
            Chart::Line(two),
            Chart::Line(LineChart {
                invert_y: false,
                ..rank_chart(&[Some(70.5), Some(80.0)])
            }),
            Chart::Bar(bar_chart()),
            Chart::Bar(negative),
            Chart::Histogram(histogram()),
            Chart::Histogram(gapped),
        ]
    }

    /// Minimal XML well-formedness check for the subset `write_svg` emits.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        let check_text = |t: &str| {
            for (i, _) in t.match_indices('&') {
                let ent = &t[i..t[i..].find(';').map_or(t.len(), |j| i + j + 1)];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&ent),
                    "bad entity {ent}"
                );
            }
        };
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            check_text(&rest[..i]);
            let j = i + rest[i..].find('>').expect("unclosed tag");
            let tag = &rest[i + 1..j];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name));
            } else {
                assert!(!tag.contains('<'));
                assert_eq!(
                    tag.matches('"').count() % 2,
                    0,
                    "unbalanced quotes in <{tag}>"
                );
                check_text(tag);
                if !tag.ends_with('/') {
                    stack.push(tag.split_whitespace().next().unwrap().to_string());
                }
            }
            rest = &rest[j + 1..];
            if stack.is_empty() {
                assert!(rest.is_empty(), "content after root");
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
    }

    fn scene_markers(s: &Scene, color: Rgb) -> Vec<(f64, f64)> {
        s.prims
            .iter()
            .filter_map(|p| match p {
                Prim::Markers { pts, color: c, .. } if *c == color && pts.len() > 1 => {
                    Some(pts.clone())
                }
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn scene_texts(s: &Scene) -> Vec<String> {
        s.prims
            .iter()
            .filter_map(|p| match p {
                Prim::Texts { items, .. } => {
                    Some(items.iter().map(|i| i.2.clone()).collect::<Vec<_>>())
                }
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn types_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Chart>();
        assert_send_sync::<FontData>();
        assert_send_sync::<ChartError>();
    }

    #[test]
    fn svg_root_is_accessible_and_responsive() {
        let svg = render_svg(&Chart::Bar(bar_chart()), 560, 300);
        let root = &svg[..svg.find('>').unwrap()];
        for attr in [
            r#"xmlns="http://www.w3.org/2000/svg""#,
            r#"viewBox="0 0 560 300""#,
            r#"role="img""#,
            r#"aria-label="综合得分""#,
            r#"font-family='"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif'"#,
        ] {
            assert!(root.contains(attr), "missing {attr} in {root}");
        }
        assert!(svg[root.len()..].starts_with("><title>综合得分</title>"));
        assert!(!svg.contains("<?xml") && !svg.contains(" id="));
    }

    #[test]
    fn svg_is_deterministic_and_well_formed() {
        for chart in all_charts() {
            for (w, h) in [(640, 320), (320, 200), (1, 1), (0, 0)] {
                let a = render_svg(&chart, w, h);
                assert_eq!(a, render_svg(&chart.clone(), w, h));
                assert_well_formed(&a);
                assert!(!a.contains("NaN") && !a.contains("inf"), "{a}");
            }
        }
    }

    #[test]
    fn svg_escapes_every_data_string() {
        let evil = "<script>alert('x & \"y\"')</script>";
        let charts = [
            Chart::Line(LineChart {
                title: evil.into(),
                x_labels: vec![evil.into(), "b".into()],
                series: vec![
                    series(evil, &[Some(1.0), Some(2.0)], false),
                    series(evil, &[Some(2.0), None], true),
                ],
                y_label: evil.into(),
                invert_y: false,
            }),
            Chart::Bar(BarChart {
                title: evil.into(),
                labels: vec![evil.into()],
                values: vec![1.0],
                y_label: evil.into(),
                highlight: Some(0),
            }),
            Chart::Histogram(Histogram {
                title: evil.into(),
                x_label: evil.into(),
                y_label: evil.into(),
                ..histogram()
            }),
        ];
        for chart in &charts {
            let svg = render_svg(chart, 900, 400);
            assert!(
                !svg.contains("<script") && !svg.contains("</script"),
                "{svg}"
            );
            assert!(
                svg.contains("&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"),
                "{svg}"
            );
            assert_well_formed(&svg);
        }
        // Control characters are not valid XML: they become spaces.
        let svg = render_svg(
            &Chart::Bar(BarChart {
                title: "a\u{0}b\nc".into(),
                ..bar_chart()
            }),
            400,
            200,
        );
        assert!(svg.contains("<title>a b c</title>"));
    }

    #[test]
    fn gaps_break_the_line_but_keep_points() {
        let vals = [
            Some(1.0),
            Some(2.0),
            None,
            Some(4.0),
            Some(5.0),
            None,
            Some(7.0),
        ];
        let svg = render_svg(&Chart::Line(rank_chart(&vals)), 640, 300);
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 5);
        // Non-finite values are gaps too.
        let nan = [Some(1.0), Some(f64::NAN), Some(3.0)];
        assert_eq!(
            render_svg(&Chart::Line(rank_chart(&nan)), 640, 300)
                .matches("<polyline")
                .count(),
            0
        );
    }

    #[test]
    fn invert_y_puts_rank_one_on_top() {
        let vals = [Some(1.0), Some(5.0), Some(3.0)];
        let ranks = layout_line(&rank_chart(&vals), 640.0, 300.0);
        let pts = scene_markers(&ranks, PALETTE[0]);
        assert!(pts[0].1 < pts[2].1 && pts[2].1 < pts[1].1, "{pts:?}");
        let labels = scene_texts(&ranks);
        assert!(labels.contains(&"1".to_string()), "{labels:?}");

        let plain = layout_line(
            &LineChart {
                invert_y: false,
                ..rank_chart(&vals)
            },
            640.0,
            300.0,
        );
        let pts = scene_markers(&plain, PALETTE[0]);
        assert!(pts[0].1 > pts[2].1 && pts[2].1 > pts[1].1, "{pts:?}");
    }

    #[test]
    fn rank_axis_starts_at_one_with_integer_ticks() {
        let ax = rank_axis(3.0, 17.0, 250.0);
        assert_eq!(ax.ticks.first(), Some(&1.0));
        assert!(
            ax.hi >= 17.0 && ax.ticks.iter().all(|t| t.fract() == 0.0),
            "{:?}",
            ax.ticks
        );
        assert_eq!(ax.labels()[..2], ["1".to_string(), "5".to_string()]);
        let flat = rank_axis(1.0, 1.0, 250.0);
        assert_eq!(flat.ticks, vec![1.0, 2.0]);
    }

    #[test]
    fn many_x_labels_are_thinned_keeping_the_latest() {
        let vals: Vec<Option<f64>> = (0..24).map(|i| Some(i as f64 + 1.0)).collect();
        let s = layout_line(&rank_chart(&vals), 640.0, 300.0);
        let texts = scene_texts(&s);
        let shown: Vec<&String> = texts.iter().filter(|t| t.starts_with("202")).collect();
        assert!(shown.len() < 24 && shown.len() >= 4, "{shown:?}");
        assert_eq!(shown.last().unwrap().as_str(), "2024-12");
        // Few labels: all shown.
        let s = layout_line(&rank_chart(&vals[..6]), 640.0, 300.0);
        assert_eq!(
            scene_texts(&s)
                .iter()
                .filter(|t| t.starts_with("202"))
                .count(),
            6
        );
    }

    #[test]
    fn legend_only_with_several_series() {
        let one = render_svg(&Chart::Line(rank_chart(&[Some(1.0), Some(2.0)])), 640, 300);
        assert!(!one.contains(">张伟</text>"));
        let mut two = rank_chart(&[Some(1.0), Some(2.0)]);
        two.series
            .push(series("支行平均", &[Some(2.0), Some(3.0)], true));
        let svg = render_svg(&Chart::Line(two), 640, 300);
        assert!(svg.contains(">张伟</text>") && svg.contains(">支行平均</text>"));
        assert!(svg.contains(r#"stroke-dasharray="6 4""#));
        assert!(
            svg.contains("<circle") && svg.contains("<path d=\"M"),
            "distinct markers"
        );
    }

    #[test]
    fn bar_value_labels_are_trimmed_and_highlight_is_bold() {
        let s = layout_bar(&bar_chart(), 560.0, 300.0);
        let texts = scene_texts(&s);
        for v in ["12.5", "3", "1,234.57"] {
            assert!(texts.contains(&v.to_string()), "{v} not in {texts:?}");
        }
        let bold: Vec<&str> = s
            .prims
            .iter()
            .filter_map(|p| match p {
                Prim::Texts { style, items } if style.bold && style.size == SMALL => {
                    Some(items[0].2.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(bold, ["3", "李强"]);
        let fills: Vec<Rgb> = s
            .prims
            .iter()
            .filter_map(|p| match p {
                Prim::Rect { fill, .. } if *fill != BG => Some(*fill),
                _ => None,
            })
            .collect();
        assert_eq!(fills, [BAR_DIM, BAR_HI, BAR_DIM]);
    }

    #[test]
    fn histogram_counts_half_open_bins_with_closed_top() {
        assert_eq!(
            bin_counts(&histogram().values, &histogram().bins),
            vec![2, 2]
        );
        let texts = scene_texts(&layout_hist(&histogram(), 480.0, 280.0));
        for t in ["0", "60", "100", "得分", "人数"] {
            assert!(texts.contains(&t.to_string()), "{t} not in {texts:?}");
        }
        let gapped = Histogram {
            bins: vec![(0.0, 10.0), (20.0, 30.0)],
            ..histogram()
        };
        assert!(scene_texts(&layout_hist(&gapped, 480.0, 280.0)).contains(&"20–30".to_string()));
    }

    #[test]
    fn numbers_are_formatted_without_locale() {
        assert_eq!(fmt_value(12.5), "12.5");
        assert_eq!(fmt_value(3.0), "3");
        assert_eq!(fmt_value(-0.0001), "0");
        assert_eq!(fmt_value(2.005e6), "2,005,000");
        assert_eq!(fmt_fixed(-1234567.0, 0), "-1,234,567");
        assert_eq!(fmt_fixed(0.5, 1), "0.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(decimals_for(2.5), 1);
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(20.0), 0);
    }

    #[test]
    fn degenerate_input_does_not_panic() {
        let empty = [
            Chart::Line(LineChart {
                title: String::new(),
                x_labels: vec![],
                series: vec![],
                y_label: String::new(),
                invert_y: true,
            }),
            Chart::Line(rank_chart(&[None, None])),
            Chart::Bar(BarChart {
                labels: vec![],
                values: vec![],
                ..bar_chart()
            }),
            Chart::Bar(BarChart {
                values: vec![f64::NAN, f64::INFINITY],
                ..bar_chart()
            }),
            Chart::Histogram(Histogram {
                bins: vec![(1.0, 1.0), (f64::NAN, 2.0)],
                ..histogram()
            }),
        ];
        for c in &empty {
            let svg = render_svg(c, 400, 200);
            assert!(svg.contains(">—</text>"), "{svg}");
            assert_well_formed(&svg);
        }
        let odd = [
            Chart::Line(rank_chart(&[Some(7.0)])),
            Chart::Line(LineChart {
                invert_y: false,
                ..rank_chart(&[Some(1e12), Some(-1e12)])
            }),
            Chart::Bar(BarChart {
                labels: vec!["x".repeat(200)],
                values: vec![0.0, 1e-9, 5.0],
                ..bar_chart()
            }),
            Chart::Bar(BarChart {
                highlight: Some(99),
                ..bar_chart()
            }),
        ];
        for c in &odd {
            for (w, h) in [(640, 320), (60, 40), (1, 1)] {
                assert_well_formed(&render_svg(c, w, h));
            }
        }
    }

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
        }
    }

    /// The CJK font for PNG tests; on CI (`CI` set) a missing font fails the test.
    fn test_font() -> Option<FontData> {
        match find_cjk_font(None) {
            Ok(f) => Some(f),
            Err(e) if std::env::var_os("CI").is_some() => panic!("PNG tests need a CJK font: {e}"),
            Err(e) => {
                eprintln!("skipping PNG test: {e}");
                None
            }
        }
    }

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("valid PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    /// Dark pixels within rows `y0..y1` (device pixels).
    fn dark_pixels(rgb: &[u8], w: u32, y0: u32, y1: u32) -> usize {
        rgb[(y0 * w * 3) as usize..(y1 * w * 3) as usize]
            .chunks_exact(3)
            .filter(|p| (p[0] as u32 + p[1] as u32 + p[2] as u32) < 3 * 128)
            .count()
    }

    #[test]
    fn png_has_scaled_size_and_is_deterministic() {
        let Some(font) = test_font() else { return };
        for chart in all_charts() {
            let a = render_png(&chart, 320, 180, 2, &font).unwrap();
            assert_eq!(a, render_png(&chart, 320, 180, 2, &font).unwrap());
            let (w, h, _) = decode(&a);
            assert_eq!((w, h), (640, 360));
        }
        let (w, h, _) = decode(&render_png(&Chart::Bar(bar_chart()), 300, 100, 1, &font).unwrap());
        assert_eq!((w, h), (300, 100));
    }

    #[test]
    fn png_draws_chinese_title_glyphs() {
        let Some(font) = test_font() else { return };
        let title_rows = |chart: &Chart| {
            let (w, _, rgb) = decode(&render_png(chart, 400, 200, 2, &font).unwrap());
            dark_pixels(
                &rgb,
                w,
                (PAD * 2.0) as u32,
                ((PAD + TITLE_SIZE * 1.2) * 2.0) as u32,
            )
        };
        let with = title_rows(&Chart::Line(rank_chart(&[Some(1.0), Some(2.0)])));
        assert!(with > 200, "title glyphs missing: {with} dark pixels");

        // Same layout, but every title character is missing from the font: they are skipped,
        // not drawn as boxes, so the title band stays blank.
        let faces = font.faces().unwrap();
        let missing = ['\u{10FFFD}', '\u{E0001}', '\u{1F9FF}']
            .into_iter()
            .find(|&c| faces.iter().all(|f| f.glyph_id(c).0 == 0));
        let c = missing.expect("some test character is missing from the font");
        let t = c.to_string().repeat(5);
        let boxes = title_rows(&Chart::Line(LineChart {
            title: t,
            ..rank_chart(&[Some(1.0), Some(2.0)])
        }));
        assert_eq!(boxes, 0, "missing glyphs drawn as boxes");
    }

    #[test]
    fn cjk_font_without_ascii_gets_a_latin_companion() {
        let droid = Path::new("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");
        if !droid.is_file() || !latin_candidates().iter().any(|p| p.is_file()) {
            eprintln!("skipping: Droid Sans Fallback or a Latin font is not installed");
            return;
        }
        let f = FontData::load(droid).unwrap();
        let latin = f.fallback.as_ref().expect("Latin companion attached");
        assert!(latin_candidates().contains(&latin.path));
        // Digits-only text must still draw (from the companion).
        let chart = Chart::Bar(BarChart {
            title: "2024".into(),
            ..bar_chart()
        });
        let (w, _, rgb) = decode(&render_png(&chart, 400, 200, 2, &f).unwrap());
        assert!(
            dark_pixels(
                &rgb,
                w,
                (PAD * 2.0) as u32,
                ((PAD + TITLE_SIZE * 1.2) * 2.0) as u32
            ) > 100
        );
    }

    #[test]
    fn png_rejects_bad_sizes() {
        let Some(font) = test_font() else { return };
        let c = Chart::Bar(bar_chart());
        for (w, h, s) in [
            (0, 100, 2),
            (100, 0, 2),
            (100, 100, 0),
            (100_000, 100_000, 2),
        ] {
            assert!(matches!(
                render_png(&c, w, h, s, &font),
                Err(ChartError::Render(_))
            ));
        }
    }

    /// WCAG relative luminance of a colour.
    fn luminance(c: Rgb) -> f64 {
        let f = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
    }

    fn contrast(a: Rgb, b: Rgb) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn colours_meet_wcag_contrast_against_the_background() {
        for (i, &c) in PALETTE.iter().enumerate() {
            assert!(contrast(c, BG) >= 3.0, "series {i}: {:.2}", contrast(c, BG));
        }
        for (name, c) in [
            ("AXIS", AXIS),
            ("BAR", BAR),
            ("BAR_DIM", BAR_DIM),
            ("BAR_HI", BAR_HI),
        ] {
            assert!(contrast(c, BG) >= 3.0, "{name}: {:.2}", contrast(c, BG));
        }
        for (name, c) in [("INK", INK), ("MUTED", MUTED)] {
            assert!(contrast(c, BG) >= 4.5, "{name}: {:.2}", contrast(c, BG));
        }
        // Neighbouring series never share a marker shape.
        for i in 0..PALETTE.len() - 1 {
            assert_ne!(MARKERS[i % MARKERS.len()], MARKERS[(i + 1) % MARKERS.len()]);
        }
    }
}
