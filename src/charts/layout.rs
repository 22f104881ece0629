//! Axes, scales and the three chart layouts (line, bar, histogram): a [`Chart`] becomes a
//! [`Scene`] whose text widths are estimated, so layout never depends on an installed font.

use super::scene::*;
use super::{BarChart, Chart, Histogram, LineChart};

/// Value axis: domain, tick values, label decimals, pixel mapping.
#[derive(Debug, Clone)]
pub(super) struct YAxis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
    pub(super) decimals: usize,
    pub(super) invert: bool,
    pub(super) top: f64,
    pub(super) bottom: f64,
}

impl YAxis {
    pub(super) fn y(&self, v: f64) -> f64 {
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

    pub(super) fn labels(&self) -> Vec<String> {
        self.ticks
            .iter()
            .map(|&t| fmt_fixed(t, self.decimals))
            .collect()
    }

    pub(super) fn label_w(&self) -> f64 {
        self.labels()
            .iter()
            .map(|l| text_w(l, SMALL, false))
            .fold(0.0, f64::max)
    }
}

pub(super) fn nice_step(raw: f64, integer: bool) -> f64 {
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

pub(super) fn decimals_for(step: f64) -> usize {
    let mut d = 0;
    let mut x = step;
    while d < 6 && (x - x.round()).abs() > 1e-7 * x.abs().max(1.0) {
        x *= 10.0;
        d += 1;
    }
    d
}

pub(super) fn tick_target(px: f64) -> f64 {
    (px / 48.0).floor().clamp(2.0, 8.0)
}

/// Nice linear axis covering `[lo, hi]` (snapped outward to whole steps), ticks about every 48 px.
pub(super) fn linear_axis(lo: f64, hi: f64, px: f64, integer: bool) -> YAxis {
    linear_axis_n(lo, hi, tick_target(px), integer)
}

/// Nice linear axis covering `[lo, hi]` (snapped outward to whole steps) in about `ticks` steps.
pub(super) fn linear_axis_n(lo: f64, hi: f64, ticks: f64, integer: bool) -> YAxis {
    let (mut lo, mut hi) = (lo, hi);
    if hi - lo < 1e-9 {
        let pad = if lo.abs() < 1e-9 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step((hi - lo) / ticks, integer);
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
pub(super) fn rank_axis(lo: f64, hi: f64, px: f64) -> YAxis {
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
pub(super) fn draw_y_axis(s: &mut Scene, ax: &YAxis, left: f64, right: f64) {
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

/// Draws `lines` of one style from baseline `y`, a line apart; returns the y below them.
fn lines_at(s: &mut Scene, st: TextStyle, x: f64, y: f64, lines: Vec<String>) -> f64 {
    let step = st.size * LINE_GAP;
    let n = lines.len() as f64;
    for (i, l) in lines.into_iter().enumerate() {
        s.text(st, x, y + step * i as f64, l);
    }
    y + step * (n - 1.0).max(0.0)
}

/// The title, wrapped to the chart's width; returns the y where the next block starts.
pub(super) fn header(s: &mut Scene, title: &str) -> f64 {
    let mut top = PAD;
    let lines = wrap(title, s.w - 2.0 * PAD, TITLE_SIZE, true);
    if !lines.is_empty() {
        let st = TextStyle {
            bold: true,
            ..style(TITLE_SIZE, INK, Anchor::Start)
        };
        let last = lines_at(s, st, PAD, top + TITLE_SIZE * 0.88, lines);
        top = last + TITLE_SIZE * 0.37 + 8.0;
    }
    top
}

/// The value axis' caption above the plot, wrapped; returns the y where the plot may start.
pub(super) fn y_caption(s: &mut Scene, label: &str, top: f64) -> f64 {
    let lines = wrap(label, s.w - 2.0 * PAD, SMALL, false);
    if lines.is_empty() {
        return top;
    }
    let st = style(SMALL, MUTED, Anchor::Start);
    let last = lines_at(s, st, PAD, top + SMALL * 0.85, lines);
    last + SMALL * 0.15 + 8.0
}

/// The least height of a line chart's or histogram's plot: a chart whose title, legend and
/// captions leave less grows taller.
const MIN_PLOT: f64 = 140.0;

pub(super) fn no_data(s: &mut Scene, top: f64) {
    let y = (top + s.h) / 2.0 + LEGEND_SIZE * 0.35;
    s.text(
        style(LEGEND_SIZE, MUTED, Anchor::Middle),
        s.w / 2.0,
        y,
        "—".into(),
    );
}

pub(super) fn layout(chart: &Chart, w: f64, h: f64) -> Scene {
    match chart {
        Chart::Line(c) => layout_line(c, w, h),
        Chart::Bar(c) => layout_bar(c, w, h),
        Chart::Histogram(c) => layout_hist(c, w, h),
    }
}

pub(super) fn layout_line(c: &LineChart, w: f64, h: f64) -> Scene {
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
        // Legend: flowing rows of [line sample + marker] name; a long name wraps.
        let (mut x, mut y, mut row_h) = (PAD, top, 18.0);
        let st = style(LEGEND_SIZE, INK, Anchor::Start);
        for (i, ser) in c.series.iter().enumerate() {
            let lines = wrap(&ser.name, w - 2.0 * PAD - 30.0, LEGEND_SIZE, false);
            let tw = lines
                .iter()
                .map(|l| text_w(l, LEGEND_SIZE, false))
                .fold(0.0, f64::max);
            let iw = 30.0 + tw;
            if x + iw > w - PAD && x > PAD {
                y += row_h;
                row_h = 18.0;
                x = PAD;
            }
            let cy = y + 8.0;
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
            let last = lines_at(&mut s, st, x + 30.0, cy + LEGEND_SIZE * 0.35, lines);
            row_h = f64::max(row_h, last - cy + 10.0);
            x += iw + 16.0;
        }
        top = y + row_h + 4.0;
    }
    top = y_caption(&mut s, &c.y_label, top);
    if all.is_empty() || n == 0 {
        no_data(&mut s, top);
        return s;
    }

    let inner = 6.0; // keeps extreme markers off the plot edges
    s.grow_to(top + MIN_PLOT + 2.0 * inner + PAD + 18.0);
    let h = s.h;
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
            let t = clean(l);
            s.text(st, inside(cx(i), &t, w), bottom + 16.0, t);
        }
    }
    s
}

/// Horizontal bars (or, when not from zero, dots): a row per label, the label wrapped on the
/// left, the value after the bar's end, the value axis below. The rows take the height their
/// labels need (at least 26 px), growing up to 40 px to fill a taller `h`.
pub(super) fn layout_bar(c: &BarChart, w: f64, h: f64) -> Scene {
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
    let start = if c.from_zero { 0.0 } else { f64::MAX };
    let (lo, hi) = vals
        .iter()
        .flatten()
        .fold((start, -start), |(a, b), &v| (a.min(v), b.max(v)));
    let vtexts: Vec<String> = vals
        .iter()
        .map(|v| v.map_or(String::new(), fmt_value))
        .collect();
    let label_max = ((w - 2.0 * PAD) * 0.42).max(SMALL * 2.0);
    let labels: Vec<Vec<String>> = (0..n)
        .map(|i| wrap(c.labels.get(i).map_or("", |l| l), label_max, SMALL, true))
        .collect();
    let label_w = labels
        .iter()
        .flatten()
        .map(|l| text_w(l, SMALL, true))
        .fold(0.0, f64::max);
    // Room for the value after (or, below zero, before) each bar's end.
    let vw = |neg: bool| {
        vals.iter()
            .zip(&vtexts)
            .filter(|(v, _)| v.is_some_and(|v| (v < 0.0) == neg && c.from_zero))
            .map(|(_, t)| text_w(t, SMALL, true) + 8.0)
            .fold(0.0, f64::max)
    };
    let (room_neg, room_pos) = if c.from_zero {
        (vw(true), vw(false))
    } else {
        let widest = vtexts
            .iter()
            .map(|t| text_w(t, SMALL, true))
            .fold(0.0, f64::max);
        (0.0, widest + MARKER_R + 8.0)
    };
    let left = (PAD + label_w + 10.0).min(w / 2.0);
    let plot_l = left + room_neg;
    let right = (w - PAD - room_pos).max(plot_l + 1.0);
    let ax = linear_axis_n(
        lo,
        hi,
        ((right - plot_l) / 72.0).floor().clamp(2.0, 6.0),
        false,
    );
    let x = |v: f64| {
        let t = if ax.hi > ax.lo {
            (v - ax.lo) / (ax.hi - ax.lo)
        } else {
            0.5
        };
        plot_l + t * (right - plot_l)
    };

    // Rows: as tall as their lines need, grown (to 40 px at most) to fill `h`.
    let line = SMALL * LINE_GAP;
    let need: Vec<f64> = labels
        .iter()
        .map(|l| (l.len().max(1) as f64 * line + 8.0).max(26.0))
        .collect();
    let foot = 8.0 + SMALL + PAD;
    let natural: f64 = need.iter().sum();
    let grow = ((h - top - foot) / natural).clamp(1.0, 40.0 / 26.0);
    let rows: Vec<f64> = need.iter().map(|r| r * grow).collect();
    let plot_b = top + rows.iter().sum::<f64>();
    s.grow_to(plot_b + foot);

    let mut grid: Vec<[f64; 4]> = ax
        .ticks
        .iter()
        .map(|&t| [crisp(x(t)), top, crisp(x(t)), plot_b])
        .collect();
    if !c.from_zero {
        // A light guide along each row, for the eye to go from the label to the dot.
        let mut y = top;
        for r in &rows {
            grid.push([plot_l, crisp(y + r / 2.0), right, crisp(y + r / 2.0)]);
            y += r;
        }
    }
    s.prims.push(Prim::Segments {
        segs: grid,
        color: GRID,
        width: 1.0,
    });
    let mut y = top;
    let mut dots = Vec::new();
    for (i, (v, r)) in vals.iter().zip(&rows).enumerate() {
        let mid = y + r / 2.0;
        y += r;
        let Some(v) = *v else { continue };
        if c.from_zero {
            let (a, b) = (x(0.0).min(x(v)), x(0.0).max(x(v)));
            let fill = match c.highlight {
                Some(hl) if hl == i => BAR_HI,
                Some(_) => BAR_DIM,
                None => BAR,
            };
            let bh = (r - 10.0).min(18.0);
            s.prims.push(Prim::Rect {
                x: a,
                y: mid - bh / 2.0,
                w: (b - a).max(if v == 0.0 { 0.0 } else { 1.0 }),
                h: bh,
                fill,
            });
        } else {
            dots.push((x(v), mid));
        }
    }
    if !dots.is_empty() {
        s.prims.push(Prim::Markers {
            pts: dots,
            shape: Marker::Circle,
            color: BAR,
        });
    }
    let axis_y = crisp(plot_b);
    let mut segs = vec![[plot_l, axis_y, right, axis_y]];
    if c.from_zero {
        segs.push([crisp(x(0.0)), top, crisp(x(0.0)), axis_y]);
    }
    s.prims.push(Prim::Segments {
        segs,
        color: AXIS,
        width: 1.0,
    });

    // Tick labels, then per row its label and value; the highlighted row's bold.
    let st = style(SMALL, MUTED, Anchor::Middle);
    for (t, l) in ax.ticks.iter().zip(ax.labels()) {
        s.text(st, inside(x(*t), &l, w), plot_b + 6.0 + SMALL * 0.85, l);
    }
    for pass in [false, true] {
        let mut y = top;
        for (i, r) in rows.iter().enumerate() {
            let mid = y + r / 2.0;
            y += r;
            let hl = c.highlight == Some(i);
            if pass != hl {
                continue;
            }
            let (color, bold) = if hl { (INK, true) } else { (MUTED, false) };
            let lines = &labels[i];
            let first = mid - line * (lines.len() as f64 - 1.0) / 2.0 + SMALL * 0.35;
            let st = TextStyle {
                bold,
                ..style(SMALL, INK, Anchor::End)
            };
            lines_at(&mut s, st, left - 10.0, first, lines.clone());
            let Some(v) = vals[i] else { continue };
            let (anchor, vx) = match (c.from_zero, v < 0.0) {
                (true, true) => (Anchor::End, x(v) - 5.0),
                (true, false) => (Anchor::Start, x(v) + 5.0),
                (false, _) => (Anchor::Start, x(v) + MARKER_R + 5.0),
            };
            let st = TextStyle {
                bold,
                ..style(SMALL, color, anchor)
            };
            s.text(st, vx, mid + SMALL * 0.35, vtexts[i].clone());
        }
    }
    s
}

pub(super) fn layout_hist(c: &Histogram, w: f64, h: f64) -> Scene {
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
    // Edge labels sit a little lower than the count axis' "0", which they may meet at its left.
    let foot = PAD + 22.0 + if has_xl { 18.0 } else { 0.0 };
    let head = SMALL + 6.0;
    s.grow_to(top + head + MIN_PLOT + foot);
    let bottom = s.h - foot;
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
        s.text(st, x, bottom + 20.0, t);
    }
    if has_xl {
        let t = clean(&c.x_label);
        s.text(st, inside((left + right) / 2.0, &t, w), bottom + 38.0, t);
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
