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

/// Nice linear axis covering `[lo, hi]` (snapped outward to whole steps).
pub(super) fn linear_axis(lo: f64, hi: f64, px: f64, integer: bool) -> YAxis {
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

/// Title (and y caption when given); returns the y where the next block starts.
pub(super) fn header(s: &mut Scene, title: &str) -> f64 {
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

pub(super) fn y_caption(s: &mut Scene, label: &str, top: f64) -> f64 {
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
