//! What templates receive: plain serializable views of the report, with
//! every number already formatted for the site's language and every link
//! relative to the site root. README.md documents these variables.

use serde::Serialize;

use super::format::Formatter;
use crate::derive::{BreakdownRow, Coverage, Report};
use crate::model::{Branch, Organization};

#[derive(Serialize, Hash, Clone)]
pub struct Link {
    pub name: String,
    pub path: String,
}

#[derive(Serialize, Hash)]
pub struct OrgView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub township: String,
    pub industry: String,
    pub in_park: String,
    pub employees: String,
    pub party_members: String,
    pub status: String,
    pub instructor: String,
    pub coverage: String,
    pub in_base: bool,
    pub branch: Option<Link>,
    pub path: String,
}

#[derive(Serialize, Hash)]
pub struct BranchView {
    pub id: String,
    pub name: String,
    pub level: String,
    pub form: String,
    pub formed: String,
    pub members: String,
    pub subtree_count: String,
    pub depth: usize,
    pub path: String,
    pub ancestors: Vec<Link>,
    pub children: Vec<BranchLink>,
    pub covers: Vec<OrgLink>,
}

#[derive(Serialize, Hash)]
pub struct BranchLink {
    pub name: String,
    pub path: String,
    pub level: String,
    pub form: String,
}

#[derive(Serialize, Hash)]
pub struct OrgLink {
    pub name: String,
    pub path: String,
    pub kind: String,
    pub status: String,
}

#[derive(Serialize, Hash)]
pub struct RowView {
    pub name: String,
    pub base: String,
    pub by_coverage: Vec<String>,
    pub rate: String,
    pub work_rate: String,
}

pub fn org_path(o: &Organization) -> String {
    format!("organizations/{}.html", o.id)
}

pub fn branch_path(b: &Branch) -> String {
    format!("branches/{}.html", b.id)
}

fn or_none(f: &Formatter, v: Option<String>) -> String {
    v.unwrap_or_else(|| f.t("word_none"))
}

fn yes_no(f: &Formatter, b: bool) -> String {
    f.t(if b { "word_yes" } else { "word_no" })
}

pub fn coverage_label(f: &Formatter, c: Option<Coverage>) -> String {
    match c {
        Some(c) => f.t(&format!("coverage_{}", c.key())),
        None => f.t("word_none"),
    }
}

pub fn org(report: &Report, f: &Formatter, i: usize) -> OrgView {
    let o = &report.data.organizations[i];
    let branch = o.branch.map(|b| {
        let b = &report.data.branches[b];
        Link {
            name: b.name.clone(),
            path: branch_path(b),
        }
    });
    OrgView {
        id: o.id.clone(),
        name: o.name.clone(),
        kind: f.t(o.kind.label_key()),
        township: or_none(f, o.township.clone()),
        industry: or_none(f, o.industry.clone()),
        in_park: yes_no(f, o.in_park),
        employees: or_none(f, o.employees.map(|n| f.count(n as f64))),
        party_members: or_none(f, o.party_members.map(|n| f.count(n as f64))),
        status: f.t(o.status.label_key()),
        instructor: yes_no(f, o.instructor),
        coverage: coverage_label(f, report.coverage[i]),
        in_base: report.coverage[i].is_some(),
        branch,
        path: org_path(o),
    }
}

fn branch_link(f: &Formatter, b: &Branch) -> BranchLink {
    BranchLink {
        name: b.name.clone(),
        path: branch_path(b),
        level: f.t(b.level.label_key()),
        form: b.form.map(|x| f.t(x.label_key())).unwrap_or_default(),
    }
}

pub fn branch(report: &Report, f: &Formatter, i: usize) -> BranchView {
    let bs = &report.data.branches;
    let b = &bs[i];
    let mut ancestors = Vec::new();
    let mut cur = b.parent;
    while let Some(p) = cur {
        ancestors.push(Link {
            name: bs[p].name.clone(),
            path: branch_path(&bs[p]),
        });
        cur = bs[p].parent;
        if ancestors.len() > bs.len() {
            break;
        }
    }
    ancestors.reverse();
    let link = branch_link(f, b);
    BranchView {
        id: b.id.clone(),
        name: b.name.clone(),
        level: link.level,
        form: if link.form.is_empty() {
            f.t("word_none")
        } else {
            link.form
        },
        formed: or_none(f, b.formed.map(|d| f.date(d))),
        members: or_none(f, b.members.map(|n| f.count(n as f64))),
        subtree_count: f.count(report.subtree[i].len() as f64),
        depth: ancestors.len(),
        path: branch_path(b),
        ancestors,
        children: b.children.iter().map(|&c| branch_link(f, &bs[c])).collect(),
        covers: b
            .covers
            .iter()
            .map(|&o| {
                let o = &report.data.organizations[o];
                OrgLink {
                    name: o.name.clone(),
                    path: org_path(o),
                    kind: f.t(o.kind.label_key()),
                    status: f.t(o.status.label_key()),
                }
            })
            .collect(),
    }
}

/// The branch tree in depth-first order, children in file order.
pub fn tree_order(report: &Report) -> Vec<usize> {
    let bs = &report.data.branches;
    let mut order = Vec::with_capacity(bs.len());
    let mut stack: Vec<usize> = (0..bs.len())
        .filter(|&i| bs[i].parent.is_none())
        .rev()
        .collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(bs[i].children.iter().rev());
    }
    order
}

pub fn rows(
    f: &Formatter,
    rows: &[BreakdownRow],
    name: impl Fn(&Option<String>) -> String,
) -> Vec<RowView> {
    rows.iter()
        .map(|r| RowView {
            name: name(&r.name),
            base: f.count(r.base as f64),
            by_coverage: r.by_coverage.iter().map(|&n| f.count(n as f64)).collect(),
            rate: f.rate(r.rate(r.covered())),
            work_rate: f.rate(r.rate(r.work_covered())),
        })
        .collect()
}

/// The 合计 row of a breakdown: every row added up, rates of the sums.
pub fn total(f: &Formatter, rows: &[BreakdownRow]) -> RowView {
    let mut sum = BreakdownRow::default();
    for r in rows {
        sum.base += r.base;
        for (s, n) in sum.by_coverage.iter_mut().zip(r.by_coverage) {
            *s += n;
        }
    }
    let mut view = self::rows(f, std::slice::from_ref(&sum), |_| f.t("scope_all"));
    view.remove(0)
}

pub fn levels(
    report: &Report,
    f: &Formatter,
) -> Vec<std::collections::BTreeMap<&'static str, String>> {
    report
        .by_level
        .iter()
        .map(|l| {
            std::collections::BTreeMap::from([
                ("label", f.t(l.level.label_key())),
                ("total", f.count(l.total as f64)),
                ("single", f.count(l.single as f64)),
                ("joint", f.count(l.joint as f64)),
            ])
        })
        .collect()
}
