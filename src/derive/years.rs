//! Year over year: every derived figure for every year of the registers,
//! the change between consecutive years, and the organizations and
//! branches that appear, disappear or change branch.

use std::collections::{BTreeMap, BTreeSet};

use super::Figures;
use crate::model::{FigureKey, Measure, Scope, YearData};

/// One derived figure across the years, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub key: FigureKey,
    pub values: Vec<Option<f64>>,
}

impl Trend {
    /// Change from the year before `i` to year `i`, absolute and relative.
    pub fn change(&self, i: usize) -> (Option<f64>, Option<f64>) {
        match (
            i.checked_sub(1).and_then(|p| self.values[p]),
            self.values[i],
        ) {
            (Some(a), Some(b)) => (Some(b - a), (a != 0.0).then(|| (b - a) / a)),
            _ => (None, None),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub from: i32,
    pub to: i32,
    /// Organization ids (and names) only in the later year.
    pub appeared: Vec<(String, String)>,
    /// Only in the earlier year.
    pub disappeared: Vec<(String, String)>,
    /// Id, name, branch id before, branch id after.
    pub moved: Vec<(String, String, Option<String>, Option<String>)>,
    pub branches_appeared: Vec<(String, String)>,
    pub branches_disappeared: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub years: Vec<i32>,
    pub trends: Vec<Trend>,
    /// Between the presented year and the year before it, if there is one.
    pub changes: Option<Changes>,
}

/// `figures` holds each year's figures, in year order.
pub fn history(
    figures: &BTreeMap<i32, Figures>,
    data: &BTreeMap<i32, std::sync::Arc<YearData>>,
    presented: i32,
) -> History {
    let years: Vec<i32> = figures.keys().copied().collect();
    let mut trends = Vec::new();
    for &scope in Scope::ALL {
        let any = figures.values().any(|f| {
            f[&FigureKey {
                scope,
                measure: Measure::Base,
            }]
                .unwrap_or(0.0)
                > 0.0
        });
        if !any {
            continue;
        }
        for &measure in Measure::ALL {
            let key = FigureKey { scope, measure };
            trends.push(Trend {
                key,
                values: figures.values().map(|f| f[&key]).collect(),
            });
        }
    }
    let previous = years.iter().copied().filter(|&y| y < presented).max();
    let changes = previous.and_then(|p| Some(changes(data.get(&p)?, data.get(&presented)?)));
    History {
        years,
        trends,
        changes,
    }
}

fn changes(before: &YearData, after: &YearData) -> Changes {
    let index = |d: &YearData| -> BTreeMap<String, (String, Option<String>)> {
        d.organizations
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    (o.name.clone(), o.branch.map(|b| d.branches[b].id.clone())),
                )
            })
            .collect()
    };
    let (a, b) = (index(before), index(after));
    let mut c = Changes {
        from: before.year,
        to: after.year,
        ..Changes::default()
    };
    for (id, (name, branch)) in &b {
        match a.get(id) {
            None => c.appeared.push((id.clone(), name.clone())),
            Some((_, old)) if old != branch => {
                c.moved
                    .push((id.clone(), name.clone(), old.clone(), branch.clone()))
            }
            Some(_) => {}
        }
    }
    c.disappeared = a
        .iter()
        .filter(|(id, _)| !b.contains_key(*id))
        .map(|(id, (name, _))| (id.clone(), name.clone()))
        .collect();
    let ids = |d: &YearData| -> BTreeSet<(String, String)> {
        d.branches
            .iter()
            .map(|x| (x.id.clone(), x.name.clone()))
            .collect()
    };
    let (ba, bb) = (ids(before), ids(after));
    let a_ids: BTreeSet<&String> = ba.iter().map(|(i, _)| i).collect();
    let b_ids: BTreeSet<&String> = bb.iter().map(|(i, _)| i).collect();
    c.branches_appeared = bb
        .iter()
        .filter(|(i, _)| !a_ids.contains(i))
        .cloned()
        .collect();
    c.branches_disappeared = ba
        .iter()
        .filter(|(i, _)| !b_ids.contains(i))
        .cloned()
        .collect();
    c
}
