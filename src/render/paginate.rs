//! Long register lists split into pages of `PAGE_SIZE` rows: a province's
//! 100,000 organizations on one page would be a 17 MB file that no browser
//! opens comfortably and that the minifier holds whole in memory, and a
//! page of a few hundred rows is what a reader scrolls through on a phone.
//! Each page links the first and last pages and a few around itself, so
//! that its size does not grow with the number of pages.

use serde::Serialize;

/// Rows per list page.
pub const PAGE_SIZE: usize = 250;

// A page a phone scrolls through: under 300 rows.
const _: () = assert!(PAGE_SIZE < 300);

/// Pages linked on each side of the current one.
const AROUND: usize = 2;

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
    /// Stands for the pages left out between two links (printed "…").
    pub gap: bool,
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
                links: window(&links, n),
            };
            (start..end, pagination)
        })
        .collect()
}

/// The links of page `n`: the first, the last, `AROUND` on each side of
/// `n`, and a gap wherever pages are left out.
fn window(links: &[String], n: usize) -> Vec<PageNumber> {
    let count = links.len();
    let mut out: Vec<PageNumber> = Vec::new();
    for number in 1..=count {
        let near = number.abs_diff(n) <= AROUND;
        if number == 1 || number == count || near {
            out.push(PageNumber {
                number,
                path: links[number - 1].clone(),
                current: number == n,
                gap: false,
            });
        } else if out.last().is_some_and(|p| !p.gap) {
            out.push(PageNumber {
                number,
                path: String::new(),
                current: false,
                gap: true,
            });
        }
    }
    out
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
        assert_eq!(
            (p[2].1.first, p[2].1.last),
            (2 * PAGE_SIZE + 1, 2 * PAGE_SIZE + 1)
        );
        assert!(p[1].1.links[1].current);
    }

    #[test]
    fn a_page_links_its_neighbours_and_both_ends_only() {
        let p = pages("organizations", 40 * PAGE_SIZE);
        let shown = |n: usize| -> Vec<Option<usize>> {
            p[n - 1]
                .1
                .links
                .iter()
                .map(|l| (!l.gap).then_some(l.number))
                .collect()
        };
        let some = |v: &[usize]| v.iter().map(|&n| Some(n)).collect::<Vec<_>>();
        let mut middle = some(&[1]);
        middle.push(None);
        middle.extend(some(&[18, 19, 20, 21, 22]));
        middle.push(None);
        middle.push(Some(40));
        assert_eq!(shown(20), middle);
        let mut first = some(&[1, 2, 3]);
        first.extend([None, Some(40)]);
        assert_eq!(shown(1), first);
        // Every page links the same number of pages at most, however many.
        assert!(p.iter().all(|(_, pg)| pg.links.len() <= 2 * AROUND + 5));
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
