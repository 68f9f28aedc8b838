//! The offline search index: every page's title, address and text, as a
//! script file (`search-index.js`) that pages load with `<script src>`, so
//! search works from `file://` where fetching files is not allowed. Matching
//! is done in the browser by plain substring, which suits Chinese (no
//! segmentation to get wrong) as well as ids like `ent-0001`.

use serde::Serialize;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SearchDoc {
    /// Title, address relative to the site root, and text.
    #[serde(rename = "t")]
    pub title: String,
    #[serde(rename = "u")]
    pub url: String,
    #[serde(rename = "x")]
    pub text: String,
    /// The record's id: found by search, never shown in the results (a
    /// published page names records, it does not print their keys).
    #[serde(rename = "k", skip_serializing_if = "String::is_empty")]
    pub id: String,
}

/// Body text beyond this many characters is not indexed: the start of a
/// page says what it is about, and the index stays small.
const TEXT_LIMIT: usize = 4000;

impl SearchDoc {
    pub fn new(title: &str, url: &str, text: &str) -> SearchDoc {
        SearchDoc {
            title: title.to_string(),
            url: url.to_string(),
            text: text.chars().take(TEXT_LIMIT).collect(),
            id: String::new(),
        }
    }

    /// The same document, also found by `id`.
    pub fn with_id(mut self, id: &str) -> SearchDoc {
        self.id = id.to_string();
        self
    }
}

/// The index as a script: `window.NIANBAO_SEARCH = [...]`. JSON is valid
/// JavaScript, and `<` is escaped so the text can never close a tag.
pub fn index_js(docs: &[SearchDoc]) -> String {
    // Written in place: for a province's register the index is tens of
    // MB, and every copy of it counts in the build's peak memory.
    let mut js = b"window.NIANBAO_SEARCH=".to_vec();
    if serde_json::to_writer(&mut js, docs).is_err() {
        js.truncate("window.NIANBAO_SEARCH=".len());
        js.extend_from_slice(b"[]");
    }
    js.extend_from_slice(b";\n");
    let js = String::from_utf8(js).unwrap_or_default();
    if js.contains('<') {
        js.replace('<', "\\u003c")
    } else {
        js
    }
}

/// The text of an HTML fragment: tags dropped, entities of the escaper
/// decoded, white space folded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    let mut skip_depth = 0usize;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
            if lower.starts_with("<svg") || lower.starts_with("<details") {
                skip_depth += 1;
            } else if (lower.starts_with("</svg") || lower.starts_with("</detail"))
                && skip_depth > 0
            {
                skip_depth -= 1;
            }
            in_tag = true;
        } else if c == '>' && in_tag {
            in_tag = false;
            out.push(' ');
        } else if !in_tag && skip_depth == 0 {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_charts_and_tables_of_charts() {
        let html = "<h2 id=a>一、背景</h2><p>企业 <span class=figure>755</span> 家 &amp; 更多</p><figure><svg><text>图</text></svg><details><table><td>9</td></table></details></figure>";
        assert_eq!(plain_text(html), "一、背景 企业 755 家 & 更多");
    }

    #[test]
    fn index_cannot_close_a_script_tag() {
        let js = index_js(&[SearchDoc::new("</script><b>", "a.html", "x")]);
        assert!(!js.contains("</script"), "{js}");
        assert!(js.starts_with("window.NIANBAO_SEARCH=["));
    }
}
