//! Charts for rankpress: line (rank/score over months), bar and histogram charts, drawn once
//! as SVG. Pages inline the SVG; email bulletins get the same SVG rasterised to PNG.
//!
//! This module owns the chart specs (the API pages and bulletins use) and the two entry points:
//!
//! * [`render_svg`]: standalone SVG, deterministic and compact, text as `<text>` with a
//!   CJK-capable `font-family` list, so browsers draw Chinese with the reader's fonts and no font
//!   is needed at build time. It carries `width`/`height` plus `viewBox` and
//!   `style="max-width:100%;height:auto"`, so it scales down responsively but is never stretched.
//!
//! Legible on a phone: pages lay charts out [`PAGE_WIDTH`] wide and show them at that size (never
//! stretched), so every chart of one kind shows its text at one size; the smallest text is
//! [`MIN_TEXT_PX`] px, so it stays at 11 px or more when a phone scales the chart down to
//! [`PAGE_WIDTH`] × 11 / [`MIN_TEXT_PX`] px (338 px; a 390 px phone gives it 348). Text is never
//! cut short or turned on its side: titles, legends and bar labels wrap, and a chart grows
//! taller rather than squeeze them (bar charts take the height their rows need).
//! * [`render_png`]: the same SVG rasterised by `resvg` with one fixed font ([`FontData`]),
//!   for email clients that show no inline SVG. Characters the font lacks are left out, never
//!   drawn as empty boxes.
//!
//! | file | owns |
//! |---|---|
//! | `mod.rs` | the chart specs, errors and entry points |
//! | `scene.rs` | drawing primitives, the style (palette, markers, sizes), text widths, numbers |
//! | `layout.rs` | axes, scales and the line, bar and histogram layouts |
//! | `svg.rs` | the SVG writer |
//! | `png.rs` | rasterising that SVG for email |
//! | `font.rs` | choosing and checking the CJK font for the PNG |
//!
//! Text widths for layout are estimated per character (CJK = 1 em), never measured, so layout
//! never depends on the font that happens to be installed. All output is byte-identical for
//! identical input. The module keeps no global state.

use std::fmt;
use std::path::PathBuf;

mod font;
mod layout;
mod png;
mod scene;
mod svg;
#[cfg(test)]
mod tests;

pub use font::{find_cjk_font, font_candidates, latin_candidates, FontData, FONT_ENV};
pub use layout::bin_counts;
pub use scene::MIN_TEXT_PX;

/// The width pages lay charts out at, in CSS px (see the module's notes on phones).
pub const PAGE_WIDTH: u32 = 400;
/// The height pages ask of line charts and histograms (bar charts take what their rows need).
pub const PAGE_HEIGHT: u32 = 250;

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

/// Horizontal bars, one row per label: the label on the left (wrapped, never cut), the value
/// (2 decimals, trailing zeros trimmed) at the end of the bar, the value axis below.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Chart title (also the SVG's accessible name).
    pub title: String,
    /// One label per row.
    pub labels: Vec<String>,
    /// The values; non-finite values draw nothing.
    pub values: Vec<f64>,
    /// Caption of the value axis, shown above the rows.
    pub y_label: String,
    /// Index of a row to emphasise (e.g. the current manager); the others are dimmed.
    pub highlight: Option<usize>,
    /// Bars from 0 (counts, points); `false` for averages: a dot per value on an axis fitted to
    /// the values, so that 95.22 and 102.03 look as different as they are.
    pub from_zero: bool,
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

/// Renders `chart` as a standalone SVG document `width` logical pixels wide and at least
/// `height` high: taller when its text needs it (wrapped titles and legends, bar rows).
///
/// Needs no font. Sizes below 1 are treated as 1.
pub fn render_svg(chart: &Chart, width: u32, height: u32) -> String {
    let scene = layout::layout(chart, width.max(1) as f64, height.max(1) as f64);
    svg::write_svg(&scene, false)
}

/// Renders `chart` as an RGB PNG of `width*scale` × `height*scale` pixels (scale 2 for email):
/// the SVG of [`render_svg`] rasterised, its text drawn with `font`; a chart that needs to be
/// taller than `height` is scaled down to fit, centred.
///
/// Fails with [`ChartError::Render`] if a dimension or `scale` is 0, or the image would exceed
/// 16 Mpx.
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
    let scene = layout::layout(chart, width as f64, height as f64);
    png::rasterise(scene, (width, height), scale, font)
}
