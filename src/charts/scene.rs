//! The scene every chart is drawn from: primitives (rectangles, lines, markers, text) in
//! logical pixels, the chart style (sizes, the Okabe–Ito palette, markers, contrast-checked
//! colours), and font-independent text measuring and number formatting.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rgb(pub(super) u8, pub(super) u8, pub(super) u8);

impl Rgb {
    pub(super) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TextStyle {
    pub(super) size: f64,
    pub(super) color: Rgb,
    pub(super) anchor: Anchor,
    pub(super) bold: bool,
    /// Rotated −90° (reads bottom to top) about its anchor point.
    pub(super) vertical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Prim {
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
pub(super) struct Scene {
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) title: String,
    pub(super) prims: Vec<Prim>,
}

impl Scene {
    pub(super) fn new(w: f64, h: f64, title: &str) -> Scene {
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

    /// Makes the scene `h` high when it is less (its background too).
    pub(super) fn grow_to(&mut self, h: f64) {
        if h > self.h {
            self.h = h;
            if let Some(Prim::Rect { h: bg, .. }) = self.prims.first_mut() {
                *bg = h;
            }
        }
    }

    pub(super) fn text(&mut self, style: TextStyle, x: f64, y: f64, text: String) {
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

pub(super) const PAD: f64 = 12.0;
/// The smallest text of any chart, in logical px: axis labels, values, captions.
pub const MIN_TEXT_PX: f64 = 13.0;
pub(super) const TITLE_SIZE: f64 = 15.0;
pub(super) const SMALL: f64 = MIN_TEXT_PX;
pub(super) const LEGEND_SIZE: f64 = MIN_TEXT_PX;
/// Distance between the baselines of wrapped lines, per px of font size.
pub(super) const LINE_GAP: f64 = 1.3;
pub(super) const MARKER_R: f64 = 3.5;
pub(super) const LINE_W: f64 = 2.0;
pub(super) const DASH: (f64, f64) = (6.0, 4.0);
pub(super) const FONT_STACK: &str =
    r#""Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif"#;

pub(super) const BG: Rgb = Rgb(0xff, 0xff, 0xff);
pub(super) const INK: Rgb = Rgb(0x1f, 0x29, 0x33);
pub(super) const MUTED: Rgb = Rgb(0x52, 0x60, 0x6d);
pub(super) const GRID: Rgb = Rgb(0xe4, 0xe7, 0xeb);
pub(super) const AXIS: Rgb = Rgb(0x76, 0x81, 0x8d);
pub(super) const BAR: Rgb = Rgb(0x4a, 0x7f, 0xb5);
pub(super) const BAR_DIM: Rgb = Rgb(0x6f, 0x8f, 0xb3);
pub(super) const BAR_HI: Rgb = Rgb(0x1f, 0x4e, 0x79);
/// Series colours: the Okabe–Ito colour-blind-safe palette, its light hues darkened so that every
/// mark meets 3:1 against the white background (WCAG 1.4.11; ratios in the comments). Series
/// also differ by marker shape (and optionally dash), so colour is never the only cue. Axis text
/// (`MUTED`, 6.5:1) and `INK` meet 4.5:1; `AXIS` lines 4.0:1, `BAR` 4.2:1, `BAR_DIM` 3.4:1.
pub(super) const PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2), // blue, 5.2:1
    Rgb(0xd5, 0x5e, 0x00), // vermillion, 3.9:1
    Rgb(0x00, 0x7a, 0x5e), // bluish green (darkened), 5.3:1
    Rgb(0xa3, 0x4e, 0x86), // reddish purple (darkened), 5.3:1
    Rgb(0x9e, 0x6b, 0x00), // orange (darkened), 4.6:1
    Rgb(0x1f, 0x29, 0x33), // black, 14.8:1
    Rgb(0x8c, 0x7a, 0x00), // yellow (darkened to olive), 4.3:1
    Rgb(0x5f, 0x6b, 0x7a), // slate, 5.4:1
];
pub(super) const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
];

pub(super) fn style(size: f64, color: Rgb, anchor: Anchor) -> TextStyle {
    TextStyle {
        size,
        color,
        anchor,
        bold: false,
        vertical: false,
    }
}

/// Replaces XML-invalid control characters and line breaks with spaces; trims.
pub(super) fn clean(s: &str) -> String {
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

pub(super) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2026 | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Estimated advance of `c` in em (generous, so estimated text rarely overflows).
pub(super) fn char_em(c: char) -> f64 {
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

pub(super) fn text_w(s: &str, size: f64, bold: bool) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size * if bold { 1.05 } else { 1.0 }
}

/// Breaks cleaned `s` into lines no wider than `max_w` (estimated), never dropping a
/// character: between words where a word fits, else between any two characters (Chinese has no
/// spaces; an over-long word is split).
pub(super) fn wrap(s: &str, max_w: f64, size: f64, bold: bool) -> Vec<String> {
    let w = |t: &str| text_w(t, size, bold);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Words: runs of narrow non-space characters; each wide character is a word of its own.
    let mut words: Vec<(bool, String)> = Vec::new();
    let mut space = false;
    for c in clean(s).chars() {
        if c == ' ' {
            space = true;
            continue;
        }
        match words.last_mut() {
            Some((_, word)) if !space && !is_wide(c) && !word.ends_with(is_wide) => word.push(c),
            _ => words.push((space, c.to_string())),
        }
        space = false;
    }
    for (spaced, word) in words {
        let joined = if spaced && !line.is_empty() {
            format!("{line} {word}")
        } else {
            format!("{line}{word}")
        };
        if w(&joined) <= max_w {
            line = joined;
            continue;
        }
        if !line.is_empty() && w(&word) <= max_w {
            lines.push(std::mem::replace(&mut line, word));
            continue;
        }
        // A word wider than a line: on lines of its own, split where each is full.
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if w(&line) > max_w && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `v` with `decimals` fixed decimals, no "-0", thousands grouped with ',' (no locale).
pub(super) fn fmt_fixed(v: f64, decimals: usize) -> String {
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
pub(super) fn fmt_value(v: f64) -> String {
    let s = fmt_fixed(v, 2);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Moves the centre `x` of a small label so the label stays inside a canvas `w` wide.
pub(super) fn inside(x: f64, t: &str, w: f64) -> f64 {
    let half = text_w(t, SMALL, false) / 2.0;
    if 2.0 * half + 4.0 >= w {
        w / 2.0
    } else {
        x.clamp(half + 2.0, w - half - 2.0)
    }
}

/// Centre of a 1-px line nearest to `v`, for crisp horizontal/vertical lines.
pub(super) fn crisp(v: f64) -> f64 {
    v.floor() + 0.5
}
