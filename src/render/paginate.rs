//! Long register lists split into pages of `PAGE_SIZE` rows: a province's
//! 100,000 organizations on one page would be a 17 MB file that no browser
//! opens comfortably and that the minifier holds whole in memory.

use serde::Serialize;

/// Rows per list page.
pub const PAGE_SIZE: usize = 1000;

/// Where a list page stands among the pages of its list. Paths are from
/// the site root, like every path the templates receive.
#[derive(Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub page: usize,
    pub pages: usize,
    /// Rows in the whole list.
    pub total: usize,
    /// 1-based number of this page's first and last row.
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageNumber>,
}

#[derive(Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

/// Page `n` (from 1) of the list in `folder`: `index.html` first, then
/// `index_2.html`, … (`_` cannot occur in an id, so no record's page can
/// take the name).
pub fn path(folder: &str, n: usize) -> String {
    if n <= 1 {
        format!("{folder}/index.html")
    } else {
        format!("{folder}/index_{n}.html")
    }
}

/// The pages of a list of `total` rows in `folder`, each with the range of
/// rows it shows. An empty list still has its first page.
pub fn pages(folder: &str, total: usize) -> Vec<(std::ops::Range<usize>, Pagination)> {
    let count = total.div_ceil(PAGE_SIZE).max(1);
    let links: Vec<String> = (1..=count).map(|n| path(folder, n)).collect();
    (1..=count)
        .map(|n| {
            let start = (n - 1) * PAGE_SIZE;
            let end = (start + PAGE_SIZE).min(total);
            let pagination = Pagination {
                page: n,
                pages: count,
                total,
                first: if total == 0 { 0 } else { start + 1 },
                last: end,
                prev: (n > 1).then(|| links[n - 2].clone()),
                next: (n < count).then(|| links[n].clone()),
                links: links
                    .iter()
                    .enumerate()
                    .map(|(i, p)| PageNumber {
                        number: i + 1,
                        path: p.clone(),
                        current: i + 1 == n,
                    })
                    .collect(),
            };
            (start..end, pagination)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_pages_of_page_size() {
        let p = pages("organizations", 2 * PAGE_SIZE + 1);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].0, 0..PAGE_SIZE);
        assert_eq!(p[2].0, 2 * PAGE_SIZE..2 * PAGE_SIZE + 1);
        assert_eq!(p[0].1.prev, None);
        assert_eq!(p[0].1.next.as_deref(), Some("organizations/index_2.html"));
        assert_eq!(p[2].1.prev.as_deref(), Some("organizations/index_2.html"));
        assert_eq!((p[2].1.first, p[2].1.last), (2001, 2001));
        assert!(p[1].1.links[1].current);
    }

    #[test]
    fn a_short_or_empty_list_has_one_page() {
        assert_eq!(pages("branches", PAGE_SIZE).len(), 1);
        let empty = pages("branches", 0);
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].0, 0..0);
        assert_eq!(empty[0].1.first, 0);
    }
}
