//! Charts as SVG.
//!
//! TEMPORARY stand-in with the agreed API (`Series`, `LineChart`, `BarChart`, `Histogram`,
//! `Chart`, `render_svg`) so the pages can be built before the plotters-based module lands on
//! main; it is replaced by that module when main is merged. Output is deterministic: numbers are
//! written with fixed decimals and nothing depends on time or hashing.

use std::fmt::Write;

/// One line of a line chart.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per x label; `None` leaves a gap.
    pub values: Vec<Option<f64>>,
    /// Drawn dashed (e.g. an average to compare with).
    pub dashed: bool,
}

/// Lines over categories (months).
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Title.
    pub title: String,
    /// Category labels.
    pub x_labels: Vec<String>,
    /// Lines.
    pub series: Vec<Series>,
    /// Y axis label.
    pub y_label: String,
    /// Smaller values at the top (ranks).
    pub invert_y: bool,
}

/// Bars, one per label.
#[derive(Clone, Debug)]
pub struct BarChart {
    /// Title.
    pub title: String,
    /// Labels.
    pub labels: Vec<String>,
    /// Values.
    pub values: Vec<f64>,
    /// Y axis label.
    pub y_label: String,
    /// Bar drawn in the accent colour.
    pub highlight: Option<usize>,
}

/// Counts of values in bins.
#[derive(Clone, Debug)]
pub struct Histogram {
    /// Title.
    pub title: String,
    /// The values counted.
    pub values: Vec<f64>,
    /// Bins `[lo, hi)` (the last one closed).
    pub bins: Vec<(f64, f64)>,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
}

/// Any chart.
#[derive(Clone, Debug)]
pub enum Chart {
    /// Line chart.
    Line(LineChart),
    /// Bar chart.
    Bar(BarChart),
    /// Histogram.
    Histogram(Histogram),
}

const COLORS: [&str; 6] = [
    "#1f5fa8", "#c0392b", "#2e8b57", "#b8860b", "#6a4c93", "#555555",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn nice_step(range: f64) -> f64 {
    let raw = (range / 5.0).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let s = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    s * mag
}

fn fmt_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

struct Frame {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    lo: f64,
    hi: f64,
    invert: bool,
}

impl Frame {
    fn y(&self, v: f64) -> f64 {
        let t = (v - self.lo) / (self.hi - self.lo);
        let t = if self.invert { t } else { 1.0 - t };
        self.top + t * (self.h - self.top - self.bottom)
    }
    fn plot_w(&self) -> f64 {
        self.w - self.left - self.right
    }
}

fn axis(out: &mut String, f: &Frame, y_label: &str) {
    let step = nice_step(f.hi - f.lo);
    let mut v = (f.lo / step).ceil() * step;
    while v <= f.hi + 1e-9 {
        let y = f.y(v);
        let _ = write!(
            out,
            r##"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e6ea"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#555">{}</text>"##,
            f.left,
            f.w - f.right,
            f.left - 6.0,
            y + 4.0,
            fmt_tick(v)
        );
        v += step;
    }
    let _ = write!(
        out,
        r##"<line x1="{l:.1}" y1="{t:.1}" x2="{l:.1}" y2="{b:.1}" stroke="#888"/><line x1="{l:.1}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}" stroke="#888"/>"##,
        l = f.left,
        t = f.top,
        b = f.h - f.bottom,
        r = f.w - f.right
    );
    if !y_label.is_empty() {
        let _ = write!(
            out,
            r##"<text x="12" y="{:.1}" font-size="11" fill="#555" transform="rotate(-90 12 {:.1})" text-anchor="middle">{}</text>"##,
            f.top + (f.h - f.top - f.bottom) / 2.0,
            f.top + (f.h - f.top - f.bottom) / 2.0,
            esc(y_label)
        );
    }
}

fn range(values: impl Iterator<Item = f64>, zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo < 1e-9 {
        hi += 1.0;
        if !zero {
            lo -= 1.0;
        }
    }
    let step = nice_step(hi - lo);
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

fn x_labels(out: &mut String, f: &Frame, labels: &[String], centers: &[f64]) {
    let every = (labels.len() as f64 / (f.plot_w() / 56.0)).ceil().max(1.0) as usize;
    for (i, (l, x)) in labels.iter().zip(centers).enumerate() {
        if i % every == 0 || i + 1 == labels.len() && labels.len() <= every {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#555">{}</text>"##,
                f.h - f.bottom + 16.0,
                esc(l)
            );
        }
    }
}

/// Renders a chart as a standalone `<svg>` element of the given size.
pub fn render_svg(chart: &Chart, width: u32, height: u32) -> String {
    let (w, h) = (width as f64, height as f64);
    let title = match chart {
        Chart::Line(c) => &c.title,
        Chart::Bar(c) => &c.title,
        Chart::Histogram(c) => &c.title,
    };
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif"><rect width="{width}" height="{height}" fill="#fff"/><text x="{:.1}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">{}</text>"##,
        w / 2.0,
        esc(title)
    );
    match chart {
        Chart::Line(c) => {
            let legend = !c.series.is_empty();
            let (lo, hi) = range(
                c.series
                    .iter()
                    .flat_map(|s| s.values.iter().flatten().copied()),
                false,
            );
            let f = Frame {
                w,
                h,
                left: 52.0,
                right: 16.0,
                top: if legend { 46.0 } else { 32.0 },
                bottom: 28.0,
                lo,
                hi,
                invert: c.invert_y,
            };
            axis(&mut out, &f, &c.y_label);
            let n = c.x_labels.len().max(1);
            let xs: Vec<f64> = (0..n)
                .map(|i| {
                    if n == 1 {
                        f.left + f.plot_w() / 2.0
                    } else {
                        f.left + 10.0 + (f.plot_w() - 20.0) * i as f64 / (n - 1) as f64
                    }
                })
                .collect();
            x_labels(&mut out, &f, &c.x_labels, &xs);
            let mut lx = f.left;
            for (si, s) in c.series.iter().enumerate() {
                let color = COLORS[si % COLORS.len()];
                let dash = if s.dashed {
                    r#" stroke-dasharray="6 4""#
                } else {
                    ""
                };
                let mut path = String::new();
                let mut pen = false;
                for (i, v) in s.values.iter().enumerate().take(n) {
                    match v {
                        Some(v) => {
                            let _ = write!(
                                path,
                                "{}{:.1},{:.1} ",
                                if pen { "L" } else { "M" },
                                xs[i],
                                f.y(*v)
                            );
                            pen = true;
                        }
                        None => pen = false,
                    }
                }
                let _ = write!(
                    out,
                    r##"<path d="{}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"##,
                    path.trim_end()
                );
                if !s.dashed {
                    for (i, v) in s.values.iter().enumerate().take(n) {
                        if let Some(v) = v {
                            let _ = write!(
                                out,
                                r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"##,
                                xs[i],
                                f.y(*v)
                            );
                        }
                    }
                }
                let _ = write!(
                    out,
                    r##"<line x1="{lx:.1}" y1="34" x2="{:.1}" y2="34" stroke="{color}" stroke-width="2"{dash}/><text x="{:.1}" y="38" font-size="11" fill="#333">{}</text>"##,
                    lx + 18.0,
                    lx + 22.0,
                    esc(&s.name)
                );
                lx += 34.0 + 12.0 * s.name.chars().count() as f64;
            }
        }
        Chart::Bar(c) => {
            let (lo, hi) = range(c.values.iter().copied(), true);
            let f = Frame {
                w,
                h,
                left: 52.0,
                right: 16.0,
                top: 32.0,
                bottom: 28.0,
                lo,
                hi,
                invert: false,
            };
            axis(&mut out, &f, &c.y_label);
            let n = c.labels.len().max(1);
            let slot = f.plot_w() / n as f64;
            let xs: Vec<f64> = (0..n).map(|i| f.left + slot * (i as f64 + 0.5)).collect();
            for (i, v) in c.values.iter().enumerate().take(n) {
                let color = if c.highlight == Some(i) {
                    "#c0392b"
                } else {
                    COLORS[0]
                };
                let (y0, y1) = (f.y(0.0), f.y(*v));
                let _ = write!(
                    out,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="#333">{}</text>"##,
                    xs[i] - slot * 0.35,
                    y0.min(y1),
                    slot * 0.7,
                    (y0 - y1).abs(),
                    xs[i],
                    y1.min(y0) - 3.0,
                    fmt_tick((v * 100.0).round() / 100.0)
                );
            }
            x_labels(&mut out, &f, &c.labels, &xs);
        }
        Chart::Histogram(c) => {
            let counts: Vec<usize> = c
                .bins
                .iter()
                .enumerate()
                .map(|(i, (lo, hi))| {
                    let last = i + 1 == c.bins.len();
                    c.values
                        .iter()
                        .filter(|v| **v >= *lo && (**v < *hi || last && **v <= *hi))
                        .count()
                })
                .collect();
            let (lo, hi) = range(counts.iter().map(|c| *c as f64), true);
            let f = Frame {
                w,
                h,
                left: 52.0,
                right: 16.0,
                top: 32.0,
                bottom: 40.0,
                lo,
                hi,
                invert: false,
            };
            axis(&mut out, &f, &c.y_label);
            let n = c.bins.len().max(1);
            let slot = f.plot_w() / n as f64;
            let labels: Vec<String> = c
                .bins
                .iter()
                .map(|(a, b)| format!("{}–{}", fmt_tick(*a), fmt_tick(*b)))
                .collect();
            let xs: Vec<f64> = (0..n).map(|i| f.left + slot * (i as f64 + 0.5)).collect();
            for (i, k) in counts.iter().enumerate() {
                let (y0, y1) = (f.y(0.0), f.y(*k as f64));
                let _ = write!(
                    out,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"##,
                    f.left + slot * i as f64 + 1.0,
                    y1,
                    slot - 2.0,
                    y0 - y1,
                    COLORS[0]
                );
            }
            x_labels(&mut out, &f, &labels, &xs);
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#555">{}</text>"##,
                f.left + f.plot_w() / 2.0,
                h - 6.0,
                esc(&c.x_label)
            );
        }
    }
    out.push_str("</svg>");
    out
}
