//! Coverage broken down by township, industry and park, and the branch tree
//! counted by level and form.

use std::collections::BTreeMap;

use super::{is_party_org, Coverage, Report};
use crate::model::{Form, Level, Organization};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BreakdownRow {
    /// The township or industry as written; `None` for records that leave it out.
    pub name: Option<String>,
    pub base: usize,
    /// Counts by `Coverage`, in `Coverage::ALL` order.
    pub by_coverage: [usize; 5],
}

impl BreakdownRow {
    pub fn covered(&self) -> usize {
        self.by_coverage[..3].iter().sum()
    }

    pub fn work_covered(&self) -> usize {
        self.by_coverage[..4].iter().sum()
    }

    pub fn rate(&self, n: usize) -> Option<f64> {
        (self.base > 0).then(|| n as f64 / self.base as f64)
    }
}

fn add(row: &mut BreakdownRow, c: Coverage) {
    row.base += 1;
    let i = Coverage::ALL.iter().position(|&x| x == c).unwrap_or(4);
    row.by_coverage[i] += 1;
}

/// One row per distinct value of `group` among base organizations, in the
/// order of the values (stable across runs), missing values last.
pub fn rows(report: &Report, group: impl Fn(&Organization) -> Option<String>) -> Vec<BreakdownRow> {
    let mut map: BTreeMap<(bool, Option<String>), BreakdownRow> = BTreeMap::new();
    for (i, o) in report.data.organizations.iter().enumerate() {
        let Some(c) = report.coverage[i] else {
            continue;
        };
        let name = group(o);
        let row = map
            .entry((name.is_none(), name.clone()))
            .or_insert_with(|| BreakdownRow {
                name,
                ..Default::default()
            });
        add(row, c);
    }
    map.into_values().collect()
}

pub fn park_rows(report: &Report) -> Vec<BreakdownRow> {
    let mut rows = [true, false].map(|p| BreakdownRow {
        name: Some(if p { "in_park" } else { "outside_park" }.to_string()),
        ..Default::default()
    });
    for (i, o) in report.data.organizations.iter().enumerate() {
        if let Some(c) = report.coverage[i] {
            add(&mut rows[usize::from(!o.in_park)], c);
        }
    }
    rows.to_vec()
}

#[derive(Debug, Clone, PartialEq)]
pub struct LevelRow {
    pub level: Level,
    pub total: usize,
    pub single: usize,
    pub joint: usize,
    pub party_orgs: usize,
}

pub fn level_rows(report: &Report) -> Vec<LevelRow> {
    Level::ALL
        .iter()
        .map(|&level| {
            let nodes: Vec<_> = report
                .data
                .branches
                .iter()
                .filter(|b| b.level == level)
                .collect();
            LevelRow {
                level,
                total: nodes.len(),
                single: nodes
                    .iter()
                    .filter(|b| b.form == Some(Form::Single))
                    .count(),
                joint: nodes.iter().filter(|b| b.form == Some(Form::Joint)).count(),
                party_orgs: nodes.iter().filter(|b| is_party_org(b)).count(),
            }
        })
        .collect()
}
