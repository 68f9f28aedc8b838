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
    index_js_of(&[&json(docs)])
}

/// `docs` as a JSON array.
pub fn json(docs: &[SearchDoc]) -> String {
    serde_json::to_string(docs).unwrap_or_else(|_| "[]".to_string())
}

/// The index of the documents of several JSON arrays (from `json`), in
/// order: the same bytes as `index_js` of all of them, so that a part
/// kept from an earlier build (`serve`) need not be written again.
pub fn index_js_of(parts: &[&str]) -> String {
    // Written in place: for a province's register the index is tens of
    // MB, and every copy of it counts in the build's peak memory.
    let mut js = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + 32);
    js.push_str("window.NIANBAO_SEARCH=[");
    let mut first = true;
    for part in parts {
        let inner = part
            .strip_prefix('[')
            .and_then(|p| p.strip_suffix(']'))
            .unwrap_or("");
        if inner.is_empty() {
            continue;
        }
        if !first {
            js.push(',');
        }
        first = false;
        js.push_str(inner);
    }
    js.push_str("];\n");
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
    fn an_index_of_parts_is_the_index_of_all() {
        let docs: Vec<SearchDoc> = (0..5)
            .map(|i| SearchDoc::new(&format!("<{i}>"), &format!("{i}.html"), "文").with_id("x"))
            .collect();
        let whole = index_js(&docs);
        for cut in [(0, 0), (0, 2), (1, 3), (5, 5), (2, 5)] {
            let parts = [&docs[..cut.0], &docs[cut.0..cut.1], &docs[cut.1..]].map(json);
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            assert_eq!(index_js_of(&parts), whole, "{cut:?}");
        }
        assert_eq!(index_js(&[]), "window.NIANBAO_SEARCH=[];\n");
    }

    #[test]
    fn index_cannot_close_a_script_tag() {
        let js = index_js(&[SearchDoc::new("</script><b>", "a.html", "x")]);
        assert!(!js.contains("</script"), "{js}");
        assert!(js.starts_with("window.NIANBAO_SEARCH=["));
    }
}
