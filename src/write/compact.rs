//! Compact HTML in one pass over its bytes: whitespace between tags dropped
//! or collapsed to one space, comments removed, the contents of `<pre>`,
//! `<textarea>`, `<script>` and `<style>` kept byte for byte.
//!
//! It stands where a full minifier stood: that one parsed every page into a
//! tree and took half of a large build's CPU, while the pages come from
//! templates and Markdown whose only slack is indentation and line breaks.
//! This pass never builds a tree, so it cannot overflow on deep nesting, and
//! its rules change nothing a browser shows:
//!
//! - a run of whitespace beside the start or end of the page, or beside a
//!   block-level tag (`</li>`, `<p>`, `<tr>`…), is dropped: the browser drops
//!   it there too;
//! - any other run becomes one space, which is how a browser reads it;
//! - inside a tag, runs of whitespace outside quotes become one space;
//! - `</body>` and `</html>` at the very end are left out, as HTML allows
//!   (a script added before the end of the body then ends the page).

/// The name of a tag in lowercase, when it is short enough to be one the
/// rules know (the longest is `lineargradient`).
fn lower(name: &[u8]) -> Option<([u8; 16], usize)> {
    let mut buf = [0u8; 16];
    if name.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Some((buf, name.len()))
}

/// Elements whose contents are written as they are.
fn is_raw(name: &[u8]) -> bool {
    lower(name).is_some_and(|(b, n)| matches!(&b[..n], b"pre" | b"textarea" | b"script" | b"style"))
}

/// Elements next to which whitespace shows nothing: block-level HTML, the
/// document's head, table and list parts, and the shapes of an inline SVG.
fn is_block(name: &[u8]) -> bool {
    lower(name).is_some_and(|(b, n)| {
        matches!(
            &b[..n],
            b"!doctype"
                | b"address"
                | b"article"
                | b"aside"
                | b"base"
                | b"blockquote"
                | b"body"
                | b"br"
                | b"caption"
                | b"circle"
                | b"clippath"
                | b"col"
                | b"colgroup"
                | b"dd"
                | b"defs"
                | b"desc"
                | b"details"
                | b"dialog"
                | b"div"
                | b"dl"
                | b"dt"
                | b"ellipse"
                | b"fieldset"
                | b"figcaption"
                | b"figure"
                | b"footer"
                | b"form"
                | b"g"
                | b"h1"
                | b"h2"
                | b"h3"
                | b"h4"
                | b"h5"
                | b"h6"
                | b"head"
                | b"header"
                | b"hr"
                | b"html"
                | b"legend"
                | b"li"
                | b"line"
                | b"lineargradient"
                | b"link"
                | b"main"
                | b"menu"
                | b"meta"
                | b"nav"
                | b"noscript"
                | b"ol"
                | b"optgroup"
                | b"option"
                | b"p"
                | b"path"
                | b"polygon"
                | b"polyline"
                | b"pre"
                | b"rect"
                | b"script"
                | b"section"
                | b"style"
                | b"summary"
                | b"table"
                | b"tbody"
                | b"td"
                | b"template"
                | b"text"
                | b"tfoot"
                | b"th"
                | b"thead"
                | b"title"
                | b"tr"
                | b"ul"
        )
    })
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// What the last written piece was, for the whitespace that follows it.
#[derive(Clone, Copy, PartialEq)]
enum Left {
    /// Start of the page or a block-level tag: whitespace after it is dropped.
    Edge,
    /// Text or an inline tag: whitespace after it is one space.
    Inline,
}

/// `html` with the slack removed (see the module's rules). Deterministic and
/// linear in the length of the page.
pub fn compact(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut left = Left::Edge;
    let mut space = false;
    let mut i = 0;
    while i < html.len() {
        let b = html[i];
        if is_ws(b) {
            space = true;
            i += 1;
            continue;
        }
        if b == b'<' {
            if html[i..].starts_with(b"<!--") {
                // A comment is removed; the whitespace on both its sides joins.
                i = find(html, i + 4, b"-->").map_or(html.len(), |e| e + 3);
                continue;
            }
            if let Some(tag) = Tag::at(html, i) {
                let block = tag.is_block();
                if space && left == Left::Inline && !block {
                    out.push(b' ');
                }
                space = false;
                copy_tag(&html[i..tag.end], &mut out);
                left = if block { Left::Edge } else { Left::Inline };
                i = tag.end;
                if !tag.closing && tag.is_raw() && !html[..i].ends_with(b"/>") {
                    i = copy_raw(html, i, tag.name, &mut out);
                }
                continue;
            }
        }
        if space && left == Left::Inline {
            out.push(b' ');
        }
        space = false;
        // Text up to the next whitespace or tag, copied at once.
        let run = html[i + 1..]
            .iter()
            .position(|&c| c == b'<' || is_ws(c))
            .map_or(html.len(), |p| i + 1 + p);
        out.extend_from_slice(&html[i..run]);
        left = Left::Inline;
        i = run;
    }
    for end in [&b"</html>"[..], b"</body>"] {
        let n = out.len().saturating_sub(end.len());
        if out[n..].eq_ignore_ascii_case(end) {
            out.truncate(n);
        }
    }
    out
}

/// A tag that starts at a `<`: its lowercase-comparable name, where it ends.
struct Tag<'a> {
    name: &'a [u8],
    closing: bool,
    /// Index just past its `>`.
    end: usize,
}

impl<'a> Tag<'a> {
    /// The tag at `html[at] == b'<'`, or None when the `<` is text (`a < b`)
    /// or the tag never ends (it is then written as text, unchanged).
    fn at(html: &'a [u8], at: usize) -> Option<Tag<'a>> {
        let rest = &html[at + 1..];
        let (closing, start) = match rest.first()? {
            b'/' => (true, at + 2),
            _ => (false, at + 1),
        };
        let first = *html.get(start)?;
        if !(first.is_ascii_alphabetic() || (first == b'!' && !closing)) {
            return None;
        }
        let name_end = html[start + 1..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))
            .map_or(html.len(), |p| start + 1 + p);
        let end = tag_end(html, name_end)?;
        Some(Tag {
            name: &html[start..name_end],
            closing,
            end,
        })
    }

    fn is_block(&self) -> bool {
        is_block(self.name)
    }

    fn is_raw(&self) -> bool {
        is_raw(self.name)
    }
}

/// Index just past the `>` that ends a tag whose name ends at `from`,
/// skipping `>` inside quoted attribute values.
fn tag_end(html: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &c) in html[from..].iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(from + k + 1),
            None => {}
        }
    }
    None
}

/// Writes a tag with runs of whitespace outside quotes made one space, and
/// none before its closing `>`.
fn copy_tag(tag: &[u8], out: &mut Vec<u8>) {
    // Most tags have nothing to remove: one space between attributes.
    let tidy = !tag.windows(2).any(|w| {
        matches!(w[1], b'\t' | b'\n' | b'\r' | b'\x0c')
            || (w[0] == b' ' && matches!(w[1], b' ' | b'>'))
    });
    if tidy {
        out.extend_from_slice(tag);
        return;
    }
    let mut quote = None;
    let mut space = false;
    for &c in tag {
        if quote.is_none() && is_ws(c) {
            space = true;
            continue;
        }
        if space && c != b'>' {
            out.push(b' ');
        }
        space = false;
        match quote {
            Some(q) if c == q => quote = None,
            None if c == b'"' || c == b'\'' => quote = Some(c),
            _ => {}
        }
        out.push(c);
    }
}

/// Copies the contents of a raw element up to its closing tag (matched
/// without regard to case), which the main loop then writes; to the end of
/// the page when it is never closed. Returns where the copy stopped.
fn copy_raw(html: &[u8], from: usize, name: &[u8], out: &mut Vec<u8>) -> usize {
    let mut k = from;
    let stop = loop {
        match find(html, k, b"</") {
            None => break html.len(),
            Some(p) => {
                let after = &html[p + 2..];
                let boundary = after
                    .get(name.len())
                    .is_none_or(|c| !c.is_ascii_alphanumeric());
                if after.len() >= name.len()
                    && after[..name.len()].eq_ignore_ascii_case(name)
                    && boundary
                {
                    break p;
                }
                k = p + 2;
            }
        }
    };
    out.extend_from_slice(&html[from..stop]);
    stop
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::compact;

    fn c(html: &str) -> String {
        String::from_utf8(compact(html.as_bytes())).unwrap()
    }

    #[test]
    fn whitespace_beside_block_tags_goes_and_between_inline_is_one_space() {
        assert_eq!(
            c("<!DOCTYPE html>\n<ul>\n  <li><a href=\"a.html\">甲</a>\n   <span>乙</span></li>\n  <li>丙  丁</li>\n</ul>\n"),
            "<!DOCTYPE html><ul><li><a href=\"a.html\">甲</a> <span>乙</span></li><li>丙 丁</li></ul>"
        );
        assert_eq!(c("<p>\n  text\n</p>"), "<p>text</p>");
        assert_eq!(
            c("<html><body><p>x</p>\n</body>\n</html>\n"),
            "<html><body><p>x</p>"
        );
        assert_eq!(c("a<!-- note -->\n<em>b</em>"), "a <em>b</em>");
    }

    #[test]
    fn raw_elements_and_quoted_values_are_kept_byte_for_byte() {
        let pre = "<pre><code>  x\n\n    y  </code></pre>";
        assert_eq!(c(pre), pre);
        assert_eq!(c("<PRE>a\n </Pre>\n<p>b</p>"), "<PRE>a\n </Pre><p>b</p>");
        assert_eq!(
            c("<script>\nif (a < b) { x = \"</p>  \"; }\n</script>"),
            "<script>\nif (a < b) { x = \"</p>  \"; }\n</script>"
        );
        assert_eq!(
            c("<a   title=\"a  >  b\"\n  href='x'  >t</a>"),
            "<a title=\"a  >  b\" href='x'>t</a>"
        );
        assert_eq!(
            c("<textarea>  a\n</textarea>"),
            "<textarea>  a\n</textarea>"
        );
    }

    #[test]
    fn stray_angle_brackets_and_unclosed_parts_stay_text() {
        assert_eq!(c("<p>1 < 2 and 3 </ 4</p>"), "<p>1 < 2 and 3 </ 4</p>");
        assert_eq!(c("<p>a <b"), "<p>a <b");
        assert_eq!(c("<p>a<!-- never closed"), "<p>a");
        assert_eq!(c("<script>never closed  \n"), "<script>never closed  \n");
    }

    #[test]
    fn deep_nesting_is_compacted_without_recursion() {
        let deep = format!(
            "{}x{}",
            "<blockquote>\n".repeat(100_000),
            "\n</blockquote>".repeat(100_000)
        );
        let want = format!(
            "{}x{}",
            "<blockquote>".repeat(100_000),
            "</blockquote>".repeat(100_000)
        );
        assert_eq!(c(&deep), want);
    }
}
