//! The SVG writer: a [`Scene`] as one compact, deterministic, standalone `<svg>` (accessible
//! `role="img"`, `aria-label` and `<title>`; no XML prolog, ids or `<style>`, so it can be
//! inlined many times in a page; coordinates rounded to 0.1 px). Pages inline it; the PNG for
//! email is this same SVG rasterised ([`super::png`]).

use std::fmt::Write as _;

use super::scene::*;

pub(super) fn marker_polygon(shape: Marker, x: f64, y: f64) -> Vec<(f64, f64)> {
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

/// The scene as SVG; `synthetic_bold` strokes bold text in its own colour (for a rasteriser
/// whose font has no bold face; browsers embolden by themselves).
pub(super) fn write_svg(s: &Scene, synthetic_bold: bool) -> String {
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
                    if *shape == Marker::Square {
                        // Relative moves: half the bytes of four absolute corners.
                        let a = MARKER_R * 0.9;
                        let side = num(2.0 * a);
                        let _ = write!(
                            o,
                            r#"<path d="M{} {}h{side}v{side}h-{side}Z"/>"#,
                            num(x - a),
                            num(y - a)
                        );
                    } else if *shape == Marker::Circle {
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
            Prim::Texts { style: st, items } => write_texts(&mut o, st, items, synthetic_bold),
        }
    }
    o.push_str("</svg>");
    o
}

fn write_texts(o: &mut String, st: &TextStyle, items: &[(f64, f64, String)], synthetic_bold: bool) {
    let mut attrs = format!(r#" font-size="{}" fill="{}""#, num(st.size), st.color.hex());
    match st.anchor {
        Anchor::Start => {}
        Anchor::Middle => attrs.push_str(r#" text-anchor="middle""#),
        Anchor::End => attrs.push_str(r#" text-anchor="end""#),
    }
    if st.bold {
        attrs.push_str(r#" font-weight="bold""#);
        if synthetic_bold {
            let _ = write!(attrs, r#" stroke="{}" stroke-width="0.5""#, st.color.hex());
        }
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

/// SVG coordinate: rounded to 0.1, trailing ".0" dropped.
pub(super) fn num(v: f64) -> String {
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

/// XML-escapes `s` after [`clean`]ing it.
pub(super) fn esc(s: &str) -> String {
    crate::text::html_escape(&clean(s))
}
