//! Tests of the charts: layout, SVG and PNG output, colours.

use std::path::Path;

use super::layout::*;
use super::scene::*;
use super::svg::*;
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
        from_zero: true,
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
            from_zero: true,
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
    assert_eq!(bold, ["李强", "3"]);
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
    let decoder = ::png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("valid PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    assert_eq!(info.color_type, ::png::ColorType::Rgb);
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
    let missing = ['\u{10FFFD}', '\u{E0001}', '\u{1F9FF}']
        .into_iter()
        .find(|&c| !font.has_char(c));
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
    assert_eq!(f.db.len(), 2, "Latin companion attached");
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

/// Every text item of a scene with its estimated box, for the legibility tests below.
fn text_boxes(s: &Scene) -> Vec<(TextStyle, f64, f64, String)> {
    s.prims
        .iter()
        .filter_map(|p| match p {
            Prim::Texts { style, items } => Some(
                items
                    .iter()
                    .map(|(x, y, t)| (*style, *x, *y, t.clone()))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Charts as the site draws them, with long Chinese and English labels.
fn page_charts() -> Vec<Chart> {
    let long = BarChart {
        title: "2026年3月各指标平均得分（含卷烟销量完成率、重点品牌培育完成率与客户满意度）".into(),
        labels: vec![
            "卷烟销量完成率".into(),
            "重点品牌培育完成率".into(),
            "Downtown District Number One of the Northern Metropolitan Sales Region".into(),
            "Wolfeschlegelsteinhausenberger".repeat(3),
        ],
        values: vec![20.53, 16.29, 9.71, 4.49],
        y_label: "得分".into(),
        highlight: None,
        from_zero: true,
    };
    let mut charts = all_charts();
    charts.push(Chart::Histogram(Histogram {
        values: vec![86.0, 91.0, 97.0, 97.5, 99.0, 104.0],
        bins: (0..5)
            .map(|i| (85.0 + 5.0 * i as f64, 90.0 + 5.0 * i as f64))
            .collect(),
        ..histogram()
    }));
    charts.push(Chart::Bar(long));
    charts.push(Chart::Line(LineChart {
        title: "Maximilian Alexander Throckmorton-Worthington the Third: rank by month".into(),
        series: vec![
            series(
                &"Wolfeschlegelsteinhausenberger".repeat(4),
                &[Some(3.0), Some(1.0)],
                false,
            ),
            series(
                "Average of the Northern Metropolitan Sales Region",
                &[Some(2.0), Some(2.5)],
                true,
            ),
        ],
        ..rank_chart(&[None; 2])
    }));
    charts
}

#[test]
fn chart_text_is_never_small_cut_or_outside() {
    for chart in page_charts() {
        for (w, h) in [(PAGE_WIDTH, 240), (552, 250)] {
            let s = layout(&chart, w as f64, h as f64);
            assert!(s.h >= h as f64, "a chart never gets shorter than asked");
            for (st, x, y, t) in text_boxes(&s) {
                assert!(
                    st.size >= MIN_TEXT_PX,
                    "{t:?} at {} px in {}",
                    st.size,
                    chart.title()
                );
                assert!(!t.ends_with('…'), "{t:?} cut short in {}", chart.title());
                let tw = text_w(&t, st.size, st.bold);
                let (x0, x1) = match st.anchor {
                    Anchor::Start => (x, x + tw),
                    Anchor::Middle => (x - tw / 2.0, x + tw / 2.0),
                    Anchor::End => (x - tw, x),
                };
                assert!(
                    !st.vertical,
                    "{t:?} is turned on its side in {}",
                    chart.title()
                );
                assert!(
                    x0 >= 0.0 && x1 <= s.w && y - st.size >= 0.0 && y <= s.h,
                    "{t:?} ({x0:.0}–{x1:.0} × {y:.0}) leaves the {}×{} chart {}",
                    s.w,
                    s.h,
                    chart.title()
                );
            }
        }
    }
}

#[test]
fn long_bar_labels_are_wrapped_whole_on_the_left() {
    let charts = page_charts();
    let Some(Chart::Bar(c)) = charts.iter().rev().nth(1).cloned() else {
        panic!("the long bar chart")
    };
    let s = layout_bar(&c, PAGE_WIDTH as f64, 0.0);
    // Right-aligned left of the plot, in order, the lines give back every label whole.
    let lines: Vec<(f64, String)> = text_boxes(&s)
        .into_iter()
        .filter(|b| b.0.anchor == Anchor::End)
        .map(|b| (b.1, b.3))
        .collect();
    let drawn: String = lines.iter().map(|l| l.1.replace(' ', "")).collect();
    let given: String = c.labels.iter().map(|l| l.replace(' ', "")).collect();
    assert_eq!(drawn, given);
    assert!(
        lines.len() > c.labels.len() + 2,
        "long labels wrap: {lines:?}"
    );
    assert!(lines.iter().all(|l| l.0 < s.w / 2.0), "{lines:?}");
}

#[test]
fn averages_sit_on_an_axis_that_shows_their_differences() {
    let teams = BarChart {
        title: "各片区平均分".into(),
        labels: vec!["城区片区".into(), "农村片区".into(), "城郊片区".into()],
        values: vec![102.03, 98.33, 95.22],
        y_label: "平均分".into(),
        highlight: None,
        from_zero: false,
    };
    let s = layout_bar(&teams, PAGE_WIDTH as f64, 0.0);
    let ticks: Vec<f64> = text_boxes(&s)
        .iter()
        .filter_map(|b| b.3.parse::<f64>().ok())
        .filter(|v| ![102.03, 98.33, 95.22].contains(v))
        .collect();
    assert!(ticks.iter().all(|&t| t > 50.0), "axis from 0: {ticks:?}");
    let dots = scene_markers(&s, BAR);
    let xs: Vec<f64> = dots.iter().map(|p| p.0).collect();
    assert_eq!(xs.len(), 3, "{dots:?}");
    assert!(xs[0] - xs[2] > (s.w - 2.0 * PAD) * 0.4, "{xs:?}");
    // Counts keep their bars from 0.
    let counts = BarChart {
        from_zero: true,
        ..teams
    };
    let s = layout_bar(&counts, PAGE_WIDTH as f64, 0.0);
    assert!(text_boxes(&s).iter().any(|b| b.3 == "0"));
}

#[test]
fn a_tall_chart_is_fitted_into_the_email_image() {
    let Some(font) = test_font() else { return };
    let many = BarChart {
        labels: (0..30).map(|i| format!("片区{i}")).collect(),
        values: (0..30).map(f64::from).collect(),
        highlight: None,
        ..bar_chart()
    };
    let chart = Chart::Bar(many);
    assert!(layout(&chart, 552.0, 250.0).h > 250.0);
    let (w, h, _) = decode(&render_png(&chart, 552, 250, 2, &font).unwrap());
    assert_eq!((w, h), (1104, 500));
}

#[test]
fn chart_texts_do_not_overlap() {
    for chart in page_charts() {
        let s = layout(&chart, PAGE_WIDTH as f64, PAGE_HEIGHT as f64);
        let boxes: Vec<(f64, f64, f64, f64, String)> = text_boxes(&s)
            .into_iter()
            .map(|(st, x, y, t)| {
                let tw = text_w(&t, st.size, st.bold);
                let x0 = match st.anchor {
                    Anchor::Start => x,
                    Anchor::Middle => x - tw / 2.0,
                    Anchor::End => x - tw,
                };
                (x0, x0 + tw, y - st.size * 0.88, y + st.size * 0.12, t)
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let w = a.1.min(b.1) - a.0.max(b.0);
                let h = a.3.min(b.3) - a.2.max(b.2);
                assert!(
                    w <= 1.0 || h <= 1.0,
                    "{:?} overlaps {:?} in {}",
                    a.4,
                    b.4,
                    chart.title()
                );
            }
        }
    }
}
