//! Rasterising for email: the chart's SVG (the same writer pages use) drawn by `resvg` at the
//! requested scale, with every text in the one chosen font, and saved as an RGB PNG.

use std::collections::HashMap;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{fontdb, FontResolver, Options, Tree};

use super::scene::{Prim, Scene};
use super::{svg, ChartError, FontData};

/// Draws `scene` into a `size` (logical pixels) image at `scale` device pixels per logical
/// pixel; a scene taller than `size` is scaled down to fit, centred.
pub(super) fn rasterise(
    mut scene: Scene,
    size: (u32, u32),
    scale: u32,
    font: &FontData,
) -> Result<Vec<u8>, ChartError> {
    drop_missing_chars(&mut scene, font);
    let svg = svg::write_svg(&scene, !font.has_bold());

    let family = font.family.clone();
    let opt = Options {
        fontdb: font.db.clone(),
        font_family: font.family.clone(),
        // Always the chosen family (never the SVG's font-family list, which names fonts that may
        // or may not be in the database); its bold face when bold is asked for and loaded.
        font_resolver: FontResolver {
            select_font: Box::new(move |f, db| {
                db.query(&fontdb::Query {
                    families: &[fontdb::Family::Name(&family)],
                    weight: fontdb::Weight(f.weight()),
                    ..Default::default()
                })
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let tree = Tree::from_str(&svg, &opt).map_err(render_err)?;
    let (w, h) = (size.0 * scale, size.1 * scale);
    let mut pixmap = Pixmap::new(w, h).ok_or_else(|| render_err("empty image"))?;
    pixmap.fill(Color::WHITE);
    let fit = (size.1 as f64 / scene.h)
        .min(size.0 as f64 / scene.w)
        .min(1.0);
    let k = (scale as f64 * fit) as f32;
    let dx = ((w as f64 - scene.w * scale as f64 * fit) / 2.0) as f32;
    resvg::render(
        &tree,
        Transform::from_row(k, 0.0, 0.0, k, dx, 0.0),
        &mut pixmap.as_mut(),
    );

    // Opaque throughout (the scene starts with a white rectangle): drop the alpha channel.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode_png(&rgb, w, h)
}

/// Replaces the characters no loaded face has with spaces, so they are left out rather than
/// drawn as the font's empty box.
fn drop_missing_chars(scene: &mut Scene, font: &FontData) {
    let mut known: HashMap<char, bool> = HashMap::new();
    for p in &mut scene.prims {
        if let Prim::Texts { items, .. } = p {
            for (_, _, text) in items {
                let kept: String = text
                    .chars()
                    .map(
                        |c| match *known.entry(c).or_insert_with(|| font.has_char(c)) {
                            true => c,
                            false => ' ',
                        },
                    )
                    .collect();
                *text = kept;
            }
        }
    }
}

fn render_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Render(e.to_string())
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut enc = ::png::Encoder::new(&mut out, w, h);
    enc.set_color(::png::ColorType::Rgb);
    enc.set_depth(::png::BitDepth::Eight);
    enc.set_compression(::png::Compression::High);
    let mut wr = enc.write_header().map_err(render_err)?;
    wr.write_image_data(rgb).map_err(render_err)?;
    wr.finish().map_err(render_err)?;
    Ok(out)
}
