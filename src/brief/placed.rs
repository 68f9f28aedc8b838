//! Charts placed in documents and slides: drawn for the size they are
//! placed at (`PRINT`, `SLIDE`), rendered to PNG once per process, sized
//! to a box, and with the size their smallest text prints at.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::present::charts::png::PngRenderer;
use crate::present::charts::Chart;

/// EMU (English metric units) to a point.
pub const EMU_PER_PT: u64 = 12_700;

/// Where a chart is placed: its drawing differs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Word,
    Slide,
}

pub struct Placed {
    pub png: Vec<u8>,
    /// The PNG's pixels.
    pub px: (u32, u32),
    /// Its size on the page, in EMU.
    pub emu: (u64, u64),
    /// The smallest text of the chart at that size, in points.
    pub min_text_pt: f64,
}

pub fn svg(chart: &Chart, medium: Medium) -> &str {
    match medium {
        Medium::Word => &chart.svg_print,
        Medium::Slide => &chart.svg_slide,
    }
}

/// The chart drawn for `medium`, as large as fits `max_emu` (width,
/// height) with its proportions kept.
pub fn place(
    chart: &Chart,
    medium: Medium,
    fonts: &[Vec<u8>],
    max_emu: (u64, u64),
) -> Result<Placed, String> {
    let svg = svg(chart, medium);
    let png = png(svg, fonts)?;
    let px = png_size(&png).ok_or("the chart's PNG has no size")?;
    let (w, h) = (px.0 as u64, px.1 as u64);
    let mut emu = (max_emu.0, max_emu.0 * h / w);
    if emu.1 > max_emu.1 {
        emu = (max_emu.1 * w / h, max_emu.1);
    }
    let width = svg_width(svg).ok_or("the chart's SVG has no width")?;
    let min_text_pt = min_font_px(svg) * (emu.0 as f64 / EMU_PER_PT as f64) / width;
    Ok(Placed {
        png,
        px,
        emu,
        min_text_pt,
    })
}

/// The size of the smallest text of `chart` placed for `medium` in
/// `max_emu`, in points, from its SVG alone (before any PNG is drawn).
pub fn text_pt(chart: &Chart, medium: Medium, max_emu: (u64, u64)) -> Option<f64> {
    let svg = svg(chart, medium);
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let (w, h) = (attrs(root, "width").next()?, attrs(root, "height").next()?);
    let scale = (max_emu.0 as f64 / w).min(max_emu.1 as f64 / h);
    Some(min_font_px(svg) * scale / EMU_PER_PT as f64)
}

/// The smallest `font-size` of the SVG's text, in its pixels.
pub fn min_font_px(svg: &str) -> f64 {
    attrs(svg, "font-size").fold(f64::INFINITY, f64::min)
}

fn svg_width(svg: &str) -> Option<f64> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    attrs(root, "width").next()
}

fn attrs(text: &str, name: &str) -> impl Iterator<Item = f64> {
    let pattern = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&pattern) {
        rest = &rest[i + pattern.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        if let Ok(v) = rest[..end].trim_end_matches("px").parse() {
            out.push(v);
        }
    }
    out.into_iter()
}

pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    let w = u32::from_be_bytes(png[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(png[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

type Cache = Mutex<BTreeMap<u64, Vec<u8>>>;

/// PNGs drawn in this process, by SVG and fonts: every year's site places
/// the same few charts in three documents.
static PNGS: Cache = Mutex::new(BTreeMap::new());
static RENDERER: Mutex<Option<(u64, Arc<PngRenderer>)>> = Mutex::new(None);

fn png(svg: &str, fonts: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let font_key = {
        let mut h = DefaultHasher::new();
        fonts.hash(&mut h);
        h.finish()
    };
    let key = {
        let mut h = DefaultHasher::new();
        (font_key, svg).hash(&mut h);
        h.finish()
    };
    if let Some(png) = PNGS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(png);
    }
    let renderer = {
        let mut slot = RENDERER.lock().map_err(|e| e.to_string())?;
        match slot.as_ref() {
            Some((k, r)) if *k == font_key => r.clone(),
            _ => {
                let r = Arc::new(PngRenderer::new(fonts));
                *slot = Some((font_key, r.clone()));
                r
            }
        }
    };
    let missing = renderer.missing_glyphs(svg);
    if !missing.is_empty() {
        let list: String = missing.iter().collect();
        return Err(crate::msg!("brief.no_glyph", text = list));
    }
    let png = renderer.render(svg)?;
    if let Ok(mut m) = PNGS.lock() {
        if m.len() >= 256 {
            m.clear();
        }
        m.insert(key, png.clone());
    }
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_font_sizes_and_width() {
        let svg = r#"<svg width="520" height="300" viewBox="0 0 520 300"><text font-size="11.3">a</text><text font-size="10.48">b</text></svg>"#;
        assert_eq!(min_font_px(svg), 10.48);
        assert_eq!(svg_width(svg), Some(520.0));
    }
}
