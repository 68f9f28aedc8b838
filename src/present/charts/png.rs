//! PNG charts for slides: the same SVG rendered by resvg at twice its size.
//!
//! Text is drawn with pinned fonts embedded in the binary (DejaVu Sans for
//! Latin, Droid Sans Fallback for Chinese), never with what the machine has:
//! a fresh machine needs no font package and every machine writes the same
//! bytes. Before rendering, every character of the chart's text is looked
//! up in the fonts; one that no font has stops the build with an error, so
//! a PNG never shows boxes or blanks where text should be.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;

/// DejaVu Sans draws Latin text and digits (Droid Sans Fallback has none);
/// Droid Sans Fallback draws Chinese.
const PINNED: [&[u8]; 2] = [
    include_bytes!("../../../themes/default/fonts/DejaVuSans.ttf"),
    include_bytes!("../../../themes/default/fonts/DroidSansFallbackFull.ttf"),
];

pub struct PngRenderer {
    fonts: Vec<Arc<Vec<u8>>>,
    /// Made once with every font loaded (shared, not copied): the Chinese
    /// font alone is 4 MB, and charts are drawn on several threads.
    options: usvg::Options<'static>,
}

impl PngRenderer {
    /// `theme_fonts` (from `themes/<name>/fonts/`) come before the pinned font.
    pub fn new(theme_fonts: &[Vec<u8>]) -> PngRenderer {
        let mut fonts: Vec<Arc<Vec<u8>>> =
            theme_fonts.iter().map(|f| Arc::new(f.clone())).collect();
        fonts.extend(PINNED.iter().map(|f| Arc::new(f.to_vec())));
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(fonts[0].to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
            .unwrap_or_else(|| "DejaVu Sans".to_string());
        let mut options = usvg::Options::default();
        for f in &fonts {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = f.clone();
            options
                .fontdb_mut()
                .load_font_source(usvg::fontdb::Source::Binary(data));
        }
        options.fontdb_mut().set_sans_serif_family(family.clone());
        options.font_family = family;
        PngRenderer { fonts, options }
    }

    /// Characters of `svg`'s text that no font can draw.
    pub fn missing_glyphs(&self, svg: &str) -> Vec<char> {
        let faces: Vec<_> = self
            .fonts
            .iter()
            .filter_map(|f| skrifa::FontRef::from_index(f, 0).ok())
            .collect();
        let mut missing: Vec<char> = text_of(svg)
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|&c| !faces.iter().any(|f| f.charmap().map(c).is_some()))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    pub fn render(&self, svg: &str) -> Result<Vec<u8>, String> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| crate::msg!("chart.svg_unreadable", reason = e))?;
        let size = tree.size();
        let (w, h) = (
            (size.width() * 2.0).ceil() as u32,
            (size.height() * 2.0).ceil() as u32,
        );
        let mut pixmap =
            tiny_skia::Pixmap::new(w, h).ok_or_else(|| crate::msg!("chart.no_size"))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(2.0, 2.0),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map(crate::mark::mark_png)
            .map_err(|e| crate::msg!("chart.png_encode", reason = e))
    }
}

/// The character data of every `<text>`, `<title>` and `<desc>` element
/// (titles are not drawn, but they are text of the chart all the same).
fn text_of(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find('>') {
        rest = &rest[i + 1..];
        let end = rest.find('<').unwrap_or(rest.len());
        out.push_str(&unescape(&rest[..end]));
        out.push(' ');
        rest = &rest[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_font_covers_chinese_latin_and_digits() {
        let r = PngRenderer::new(&[]);
        assert!(r
            .missing_glyphs("<svg><text>各类组织覆盖率 Coverage 100%</text></svg>")
            .is_empty());
        assert_eq!(
            r.missing_glyphs("<svg><text>\u{10FFFD}</text></svg>"),
            vec!['\u{10FFFD}']
        );
    }
}
