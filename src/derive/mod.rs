//! Stage 3, derive: the model → the report's figures. Every figure the
//! registers can give is computed here (never typed), then declared figures
//! are reconciled against them.

mod breakdown;
mod reconcile;
pub mod years;

use std::collections::BTreeMap;

pub use breakdown::{BreakdownRow, LevelRow};
pub use reconcile::Reconciled;

use crate::diagnostics::Diagnostics;
use crate::model::{
    Branch, FigureKey, Form, Level, Measure, Organization, Scope, Status, YearData,
};

/// How one organization of the base is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    /// By a single branch of its own.
    Single,
    /// By a joint branch shared with other organizations.
    Joint,
    /// Directly by a general branch or committee (or a branch of no form).
    Direct,
    /// Not covered by a branch, but an instructor is assigned.
    WorkOnly,
    Uncovered,
}

impl Coverage {
    pub const ALL: [Coverage; 5] = [
        Coverage::Single,
        Coverage::Joint,
        Coverage::Direct,
        Coverage::WorkOnly,
        Coverage::Uncovered,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Coverage::Single => "single",
            Coverage::Joint => "joint",
            Coverage::Direct => "direct",
            Coverage::WorkOnly => "work_only",
            Coverage::Uncovered => "uncovered",
        }
    }

    pub fn organizational(self) -> bool {
        matches!(self, Coverage::Single | Coverage::Joint | Coverage::Direct)
    }
}

pub type Figures = BTreeMap<FigureKey, Option<f64>>;

pub struct Report<'a> {
    pub data: &'a YearData,
    /// Per organization: its coverage if it is in the base (active).
    pub coverage: Vec<Option<Coverage>>,
    /// Per branch: the base organizations covered by it or its descendants.
    pub subtree: Vec<Vec<usize>>,
    pub figures: Figures,
    pub by_township: Vec<BreakdownRow>,
    pub by_industry: Vec<BreakdownRow>,
    pub by_park: Vec<BreakdownRow>,
    pub by_level: Vec<LevelRow>,
    pub reconciliation: Vec<Reconciled>,
    /// Every year of the registers, filled in by `with_history`.
    pub history: years::History,
}

pub fn derive<'a>(data: &'a YearData, diags: &mut Diagnostics) -> Report<'a> {
    let coverage = data
        .organizations
        .iter()
        .map(|o| coverage_of(o, &data.branches))
        .collect();
    let subtree = subtrees(data);
    let mut report = Report {
        data,
        coverage,
        subtree,
        figures: Figures::new(),
        by_township: Vec::new(),
        by_industry: Vec::new(),
        by_park: Vec::new(),
        by_level: Vec::new(),
        reconciliation: Vec::new(),
        history: years::History::default(),
    };
    report.figures = report.figures_where(|_| true);
    report.by_township = breakdown::rows(&report, |o| o.township.clone());
    report.by_industry = breakdown::rows(&report, |o| o.industry.clone());
    report.by_park = breakdown::park_rows(&report);
    report.by_level = breakdown::level_rows(&report);
    report.reconciliation = reconcile::reconcile(&report, diags);
    report
}

fn coverage_of(o: &Organization, branches: &[Branch]) -> Option<Coverage> {
    if o.status != Status::Active {
        return None;
    }
    Some(
        match o.branch.map(|b| (branches[b].level, branches[b].form)) {
            Some((Level::Branch, Some(Form::Single))) => Coverage::Single,
            Some((_, Some(Form::Joint))) => Coverage::Joint,
            Some((_, Some(Form::Single))) => Coverage::Single,
            Some(_) => Coverage::Direct,
            None if o.instructor => Coverage::WorkOnly,
            None => Coverage::Uncovered,
        },
    )
}

/// Base organizations under each branch, children before parents. Resolve
/// has rejected cycles, so walking up from each organization terminates.
fn subtrees(data: &YearData) -> Vec<Vec<usize>> {
    let mut sub = vec![Vec::new(); data.branches.len()];
    for (i, o) in data.organizations.iter().enumerate() {
        if o.status != Status::Active {
            continue;
        }
        let mut cur = o.branch;
        let mut steps = 0;
        while let Some(b) = cur {
            sub[b].push(i);
            cur = data.branches[b].parent;
            steps += 1;
            if steps > data.branches.len() {
                break;
            }
        }
    }
    sub
}

/// A party organization, for these figures, is a general branch or branch
/// that covers organizations; committees and the work committee supervise.
pub fn is_party_org(b: &Branch) -> bool {
    matches!(b.level, Level::GeneralBranch | Level::Branch)
}

impl Report<'_> {
    /// Every derivable figure, restricted to organizations that pass `keep`.
    pub fn figures_where(&self, keep: impl Fn(&Organization) -> bool) -> Figures {
        let data = self.data;
        let mut out = Figures::new();
        for &scope in Scope::ALL {
            let in_scope = |i: usize| {
                let o = &data.organizations[i];
                self.coverage[i].is_some() && scope.includes(o.kind) && keep(o)
            };
            let base: Vec<usize> = (0..data.organizations.len())
                .filter(|&i| in_scope(i))
                .collect();
            let covered = base
                .iter()
                .filter(|&&i| self.coverage[i].is_some_and(Coverage::organizational))
                .count();
            let work = base
                .iter()
                .filter(|&&i| self.coverage[i].is_some_and(|c| c != Coverage::Uncovered))
                .count();
            let members: u64 = base
                .iter()
                .filter_map(|&i| data.organizations[i].party_members)
                .sum();
            let orgs: Vec<&Branch> = data
                .branches
                .iter()
                .enumerate()
                .filter(|(b, br)| is_party_org(br) && self.subtree[*b].iter().any(|&i| in_scope(i)))
                .map(|(_, br)| br)
                .collect();
            let count =
                |f: &dyn Fn(&Branch) -> bool| Some(orgs.iter().filter(|b| f(b)).count() as f64);
            let rate = |n: usize| (!base.is_empty()).then(|| n as f64 / base.len() as f64);
            let new = |b: &Branch| {
                b.formed
                    .is_some_and(|d| d.year == data.year && d <= data.as_of)
            };
            for &measure in Measure::ALL {
                let v = match measure {
                    Measure::Base => Some(base.len() as f64),
                    Measure::Covered => Some(covered as f64),
                    Measure::CoverageRate => rate(covered),
                    Measure::WorkCovered => Some(work as f64),
                    Measure::WorkCoverageRate => rate(work),
                    Measure::PartyOrgs => count(&|_| true),
                    Measure::JointBranches => count(&|b| b.form == Some(Form::Joint)),
                    Measure::SingleBranches => count(&|b| b.form == Some(Form::Single)),
                    Measure::GeneralBranches => count(&|b| b.level == Level::GeneralBranch),
                    Measure::NewPartyOrgs => count(&new),
                    Measure::Members => Some(members as f64),
                };
                out.insert(FigureKey { scope, measure }, v);
            }
        }
        out
    }

    /// Organizations of the register outside the base, by status.
    pub fn excluded(&self) -> BTreeMap<Status, usize> {
        let mut m = BTreeMap::new();
        for o in &self.data.organizations {
            if o.status != Status::Active {
                *m.entry(o.status).or_insert(0) += 1;
            }
        }
        m
    }
}

/// Derives every year and gives each report the history of all of them.
pub fn derive_all<'a>(
    years: &'a std::collections::BTreeMap<i32, std::sync::Arc<YearData>>,
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<i32, Report<'a>> {
    let mut reports: std::collections::BTreeMap<i32, Report> =
        years.iter().map(|(&y, d)| (y, derive(d, diags))).collect();
    let figures: std::collections::BTreeMap<i32, Figures> = reports
        .iter()
        .map(|(&y, r)| (y, r.figures.clone()))
        .collect();
    for (&y, r) in reports.iter_mut() {
        r.history = years::history(&figures, years, y);
    }
    reports
}

#[cfg(test)]
mod tests;
