//! The organization list and the lists an office works from: one per
//! township and per coverage state, pre-built so that they need no
//! JavaScript, and the organizations with no party organization (all of
//! them, and those only work-covered) as pages and CSV files.

use std::collections::BTreeMap;

use serde::Serialize;

use super::pages::{Register, Renderer};
use super::views;
use crate::derive::Coverage;

/// What a list page says about the list it belongs to.
#[derive(Serialize, Clone, Hash)]
struct ListInfo {
    /// The filter, for the heading; none on the full list.
    label: Option<String>,
    intro: String,
    /// The list as a CSV file, from the site root.
    csv: Option<String>,
}

#[derive(Serialize, Clone, Hash)]
struct FilterLink {
    label: String,
    path: String,
    count: String,
    current: bool,
}

#[derive(Serialize, Clone, Hash)]
struct FilterGroup {
    title: String,
    links: Vec<FilterLink>,
    /// Shown on the first page of a list only: a group this long on every
    /// page would make the lists grow with the square of the register.
    first_page_only: bool,
}

/// The most townships whose lists are linked from every page of every
/// list (and offered by the in-page filter). Beyond it, the township links
/// stand on the first page of the full list and of the coverage lists
/// only, and a township's own list links back there: the pages stay
/// linear in the register's size when townships grow with it.
const MAX_LINKED_TOWNSHIPS: usize = 40;

/// A `<select>` of the in-page filter: the column it filters on (by its
/// position among the row's cells) and the values found in the register.
#[derive(Serialize, Clone, Hash)]
struct Select {
    label: String,
    column: usize,
    options: Vec<String>,
}

/// One list: where it goes, what it is, the organizations it holds (by
/// index, in register order).
struct List {
    folder: String,
    info: ListInfo,
    rows: Vec<usize>,
}

/// The folders of the lists by township, numbered from 1.
const TOWNSHIP_LISTS: &str = "organizations/township-";

/// The folder of the list of organizations with no party organization.
pub const NO_PARTY_ORG: &str = "organizations/no-party-org";

impl Renderer<'_> {
    /// Every organization list, each in pages; the full list also renders
    /// each organization's own page.
    pub(super) fn organization_lists(&mut self, files: &mut crate::layout::Files) {
        let lists = self.lists();
        let groups = self.filter_groups(&lists);
        let selects = self.selects();
        let report = self.report;
        // With a memo, each organization's view is made and fingerprinted
        // once for all the lists that show it, when the first list the memo
        // does not hold asks for it; without one (`build`), each list makes
        // its own a page at a time, so that a province's views are never
        // all in memory.
        let shared = std::sync::OnceLock::new();
        let f = self.f;
        let all_views = || -> Vec<super::pages::Printed<views::OrgView>> {
            use rayon::prelude::*;
            (0..report.data.organizations.len())
                .into_par_iter()
                .map(|i| super::pages::Printed::new(views::org(report, f, i)))
                .collect()
        };
        let memo = self.memo_on();
        for (n, list) in lists.iter().enumerate() {
            let mut extra = super::memo::Keyed::default();
            extra.insert_later("list", list.info.clone());
            let mut groups = groups.clone();
            for g in &mut groups {
                if g.first_page_only && list.folder.starts_with(TOWNSHIP_LISTS) {
                    g.links = vec![self.all_townships(&lists)];
                }
                for l in &mut g.links {
                    l.current = l.path == super::paginate::path(&list.folder, 1);
                }
            }
            extra.insert_later("filters", groups);
            extra.insert_later("selects", selects.clone());
            let reg = Register {
                key: "organizations",
                folder: &list.folder,
                list: ("organizations.html", "organizations"),
                item: (n == 0).then_some(("organization.html", "org")),
            };
            let rows = &list.rows;
            if memo {
                self.register(files, reg, rows.len(), extra, |_, i| {
                    &shared.get_or_init(all_views)[rows[i]]
                });
            } else {
                self.register(files, reg, rows.len(), extra, |f, i| {
                    views::org(report, f, rows[i])
                });
            }
            if let Some(csv) = &list.info.csv {
                let bytes = self.org_csv(rows);
                let kept = self.emit(csv, Ok(bytes.into()));
                self.collect(files, kept.into_iter().collect());
            }
        }
    }

    /// The full list first, then one per township, per coverage state, and
    /// the organizations with no party organization.
    fn lists(&self) -> Vec<List> {
        let report = self.report;
        let orgs = &report.data.organizations;
        let f = &self.f;
        let mut lists = vec![List {
            folder: "organizations".into(),
            info: ListInfo {
                label: None,
                intro: f.t("organizations_intro"),
                csv: None,
            },
            rows: (0..orgs.len()).collect(),
        }];
        let mut townships: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, o) in orgs.iter().enumerate() {
            townships.entry(o.township.as_deref()).or_default().push(i);
        }
        for (n, (name, rows)) in townships.into_iter().enumerate() {
            let label = name.map_or_else(|| f.t("unspecified"), str::to_string);
            lists.push(List {
                folder: format!("{TOWNSHIP_LISTS}{}", n + 1),
                info: ListInfo {
                    intro: f.t("org_list_township_intro").replace("{name}", &label),
                    label: Some(label),
                    csv: None,
                },
                rows,
            });
        }
        let with = |keep: &dyn Fn(Option<Coverage>) -> bool| -> Vec<usize> {
            (0..orgs.len())
                .filter(|&i| keep(report.coverage[i]))
                .collect()
        };
        for c in Coverage::ALL {
            let key = c.key();
            lists.push(List {
                folder: format!("organizations/coverage-{}", key.replace('_', "-")),
                info: ListInfo {
                    label: Some(f.t(&format!("coverage_{key}"))),
                    intro: f.t(&format!("org_list_coverage_{key}_intro")),
                    csv: (c == Coverage::WorkOnly)
                        .then(|| "organizations/work-covered-only.csv".to_string()),
                },
                rows: with(&|x| x == Some(c)),
            });
        }
        lists.push(List {
            folder: "organizations/excluded".into(),
            info: ListInfo {
                label: Some(f.t("org_list_excluded")),
                intro: f.t("org_list_excluded_intro"),
                csv: None,
            },
            rows: with(&|x| x.is_none()),
        });
        lists.push(List {
            folder: NO_PARTY_ORG.into(),
            info: ListInfo {
                label: Some(f.t("org_list_no_party_org")),
                intro: f.t("org_list_no_party_org_intro"),
                csv: Some(format!("{NO_PARTY_ORG}.csv")),
            },
            rows: with(&|x| x.is_some_and(|c| !c.organizational())),
        });
        lists
    }

    /// The link from a township's list to the full list, whose first page
    /// links every township when they are too many to link from each list.
    fn all_townships(&self, lists: &[List]) -> FilterLink {
        let count = lists
            .iter()
            .filter(|l| l.folder.starts_with(TOWNSHIP_LISTS))
            .count();
        FilterLink {
            label: self.f.t("org_filter_all_townships"),
            path: super::paginate::path("organizations", 1),
            count: self.f.count(count as f64),
            current: false,
        }
    }

    /// The links to the pre-built lists, by township and by coverage.
    fn filter_groups(&self, lists: &[List]) -> Vec<FilterGroup> {
        let link = |l: &List| FilterLink {
            label: l.info.label.clone().unwrap_or_default(),
            path: super::paginate::path(&l.folder, 1),
            count: self.f.count(l.rows.len() as f64),
            current: false,
        };
        let in_group = |prefix: &str| -> Vec<FilterLink> {
            lists
                .iter()
                .filter(|l| l.folder.starts_with(prefix))
                .map(link)
                .collect()
        };
        let mut coverage = in_group("organizations/coverage-");
        coverage.extend(in_group("organizations/excluded"));
        let townships = in_group(TOWNSHIP_LISTS);
        vec![
            FilterGroup {
                title: self.f.t("col_township"),
                first_page_only: townships.len() > MAX_LINKED_TOWNSHIPS,
                links: townships,
            },
            FilterGroup {
                title: self.f.t("col_coverage"),
                links: coverage,
                first_page_only: false,
            },
            FilterGroup {
                title: self.f.t("org_list_work_lists"),
                links: in_group(NO_PARTY_ORG),
                first_page_only: false,
            },
        ]
    }

    /// The in-page filter's choices: every value of kind, township,
    /// industry and coverage that occurs, in sorted order. Townships past
    /// [`MAX_LINKED_TOWNSHIPS`] get no choice (every page would carry them
    /// all); their pre-built lists serve instead.
    fn selects(&self) -> Vec<Select> {
        use std::collections::BTreeSet;
        let report = self.report;
        let f = &self.f;
        // The distinct values first, then their text, in the text's order:
        // a register has thousands of rows and a few dozen values.
        fn values<T: Ord>(all: impl Iterator<Item = T>, text: impl Fn(T) -> String) -> Vec<String> {
            let distinct: BTreeSet<T> = all.collect();
            let texts: BTreeSet<String> = distinct.into_iter().map(text).collect();
            texts.into_iter().collect()
        }
        let orgs = &report.data.organizations;
        let none = f.t("word_none");
        let or_none = |v: Option<&str>| v.map_or_else(|| none.clone(), str::to_string);
        // Cells: name, [id in preview], kind, township, industry, status, coverage.
        let shift = usize::from(self.site.config.preview);
        let mut selects = vec![
            Select {
                label: f.t("col_kind"),
                column: 1 + shift,
                options: values(orgs.iter().map(|o| o.kind.as_str()), |k| {
                    f.t(&format!("kind_{k}"))
                }),
            },
            Select {
                label: f.t("col_township"),
                column: 2 + shift,
                options: values(orgs.iter().map(|o| o.township.as_deref()), or_none),
            },
            Select {
                label: f.t("col_industry"),
                column: 3 + shift,
                options: values(orgs.iter().map(|o| o.industry.as_deref()), or_none),
            },
            Select {
                label: f.t("col_coverage"),
                column: 5 + shift,
                options: values(report.coverage.iter().copied(), |c| {
                    views::coverage_label(f, c)
                }),
            },
        ];
        selects.retain(|s| s.column != 2 + shift || s.options.len() <= MAX_LINKED_TOWNSHIPS);
        selects
    }

    /// Organizations as a CSV file an office opens in Excel: UTF-8 with a
    /// byte-order mark, a header row of the register's column names.
    fn org_csv(&self, rows: &[usize]) -> Vec<u8> {
        let f = &self.f;
        let header = [
            "col_id",
            "col_name",
            "col_kind",
            "col_township",
            "col_in_park",
            "col_industry",
            "col_employees",
            "col_party_members",
            "col_status",
            "col_instructor",
            "col_coverage",
        ];
        let mut out = String::from("\u{feff}");
        let line = |out: &mut String, cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| super::charts::csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        };
        let names: Vec<String> = header.iter().map(|h| f.t(h)).collect();
        line(&mut out, &names);
        for &i in rows {
            let v = views::org(self.report, f, i);
            line(
                &mut out,
                &[
                    v.id,
                    v.name,
                    v.kind,
                    v.township,
                    v.in_park,
                    v.industry,
                    v.employees,
                    v.party_members,
                    v.status,
                    v.instructor,
                    v.coverage,
                ],
            );
        }
        out.into_bytes()
    }
}
