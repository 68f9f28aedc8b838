//! The arithmetic of `derive` on a register small enough to count by hand:
//! every measure for every scope, the base, single and joint coverage, and
//! what is new this year.

use super::*;
use crate::model::{Date, Kind, Metric};

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn branch(
    id: &str,
    level: Level,
    parent: Option<usize>,
    form: Option<Form>,
    formed: Option<&str>,
) -> Branch {
    Branch {
        id: id.into(),
        name: id.into(),
        level,
        parent,
        form,
        formed: formed.map(date),
        members: None,
        children: Vec::new(),
        covers: Vec::new(),
    }
}

fn org(kind: Kind, status: Status, branch: Option<usize>, members: Option<u64>) -> Organization {
    Organization {
        id: String::new(),
        name: String::new(),
        kind,
        township: None,
        in_park: false,
        industry: None,
        employees: None,
        party_members: members,
        status,
        branch,
        instructor: false,
    }
}

/// 0 work committee; 1 general branch (formed this year, before the
/// cut-off); 2 single branch (formed last year); 3 joint branch (formed
/// after the cut-off); 4 single branch covering only a shell.
/// Organizations: 0 single, 1-2 joint, 3 directly by the general branch,
/// 4 instructor only, 5 uncovered, 6 shell, 7 zombie, 8 duplicate.
fn register() -> YearData {
    use Kind::*;
    let branches = vec![
        branch("gw", Level::WorkCommittee, None, None, None),
        branch(
            "gb",
            Level::GeneralBranch,
            Some(0),
            None,
            Some("2016-03-01"),
        ),
        branch(
            "s",
            Level::Branch,
            Some(1),
            Some(Form::Single),
            Some("2015-05-01"),
        ),
        branch(
            "j",
            Level::Branch,
            Some(1),
            Some(Form::Joint),
            Some("2016-12-20"),
        ),
        branch(
            "x",
            Level::Branch,
            Some(1),
            Some(Form::Single),
            Some("2016-06-15"),
        ),
    ];
    let mut orgs = vec![
        org(Enterprise, Status::Active, Some(2), Some(3)),
        org(Enterprise, Status::Active, Some(3), Some(2)),
        org(SocialOrg, Status::Active, Some(3), Some(1)),
        org(Enterprise, Status::Active, Some(1), Some(4)),
        org(Enterprise, Status::Active, None, None),
        org(Individual, Status::Active, None, None),
        org(Enterprise, Status::Shell, Some(4), Some(9)),
        org(Enterprise, Status::Zombie, None, None),
        org(Enterprise, Status::Duplicate, None, None),
    ];
    orgs[0].in_park = true;
    orgs[4].instructor = true;
    YearData {
        year: 2016,
        as_of: date("2016-11-30"),
        organizations: orgs,
        branches,
        metrics: Vec::new(),
    }
}

fn get(r: &Report, scope: Scope, measure: Measure) -> Option<f64> {
    r.figures[&FigureKey { scope, measure }]
}

#[test]
fn each_organization_is_covered_as_its_branch_says() {
    let data = register();
    let r = derive(&data, &mut Diagnostics::default());
    use Coverage::*;
    let expected = [
        Some(Single),
        Some(Joint),
        Some(Joint),
        Some(Direct),
        Some(WorkOnly),
        Some(Uncovered),
        None,
        None,
        None,
    ];
    assert_eq!(r.coverage, expected);
}

#[test]
fn a_form_on_a_general_branch_decides_single_or_joint() {
    let mut data = register();
    data.branches[1].form = Some(Form::Joint);
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(r.coverage[3], Some(Coverage::Joint));
    data.branches[1].form = Some(Form::Single);
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(r.coverage[3], Some(Coverage::Single));
}

#[test]
fn every_measure_of_every_scope() {
    let data = register();
    let r = derive(&data, &mut Diagnostics::default());
    use Measure::*;
    // (scope, base, covered, work covered, party orgs, joint, single, general, new, members)
    let rows = [
        (Scope::All, 6.0, 4.0, 5.0, 3.0, 1.0, 1.0, 1.0, 1.0, 10.0),
        (
            Scope::Enterprise,
            4.0,
            3.0,
            4.0,
            3.0,
            1.0,
            1.0,
            1.0,
            1.0,
            9.0,
        ),
        (
            Scope::SocialOrg,
            1.0,
            1.0,
            1.0,
            2.0,
            1.0,
            0.0,
            1.0,
            1.0,
            1.0,
        ),
        (
            Scope::Individual,
            1.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
        ),
    ];
    for (scope, base, cov, work, orgs, joint, single, general, new, members) in rows {
        let g = |m| get(&r, scope, m);
        assert_eq!(g(Base), Some(base), "{scope:?}");
        assert_eq!(g(Covered), Some(cov), "{scope:?}");
        assert_eq!(g(CoverageRate), Some(cov / base), "{scope:?}");
        assert_eq!(g(WorkCovered), Some(work), "{scope:?}");
        assert_eq!(g(WorkCoverageRate), Some(work / base), "{scope:?}");
        assert_eq!(g(PartyOrgs), Some(orgs), "{scope:?}");
        assert_eq!(g(JointBranches), Some(joint), "{scope:?}");
        assert_eq!(g(SingleBranches), Some(single), "{scope:?}");
        assert_eq!(g(GeneralBranches), Some(general), "{scope:?}");
        assert_eq!(g(NewPartyOrgs), Some(new), "{scope:?}");
        assert_eq!(g(Members), Some(members), "{scope:?}");
    }
    assert_eq!(r.figures.len(), Scope::ALL.len() * Measure::ALL.len());
}

#[test]
fn a_scope_without_organizations_has_no_rate() {
    let mut data = register();
    data.organizations.retain(|o| o.kind != Kind::Individual);
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(get(&r, Scope::Individual, Measure::Base), Some(0.0));
    assert_eq!(get(&r, Scope::Individual, Measure::CoverageRate), None);
}

#[test]
fn the_base_leaves_out_shell_zombie_and_duplicate_registrations() {
    let data = register();
    let r = derive(&data, &mut Diagnostics::default());
    let excluded = r.excluded();
    assert_eq!(
        excluded.into_iter().collect::<Vec<_>>(),
        [
            (Status::Shell, 1),
            (Status::Zombie, 1),
            (Status::Duplicate, 1)
        ]
    );
    let registered = data.organizations.len() as f64;
    assert_eq!(get(&r, Scope::All, Measure::Base), Some(registered - 3.0));
    // The branch that covers only a shell is no party organization.
    assert!(r.subtree[4].is_empty());
    assert_eq!(r.subtree[1], [0, 1, 2, 3]);
}

#[test]
fn new_this_year_is_formed_in_the_year_up_to_the_cut_off() {
    let mut data = register();
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(get(&r, Scope::All, Measure::NewPartyOrgs), Some(1.0));
    // Formed on the cut-off day counts; the day after does not.
    data.branches[3].formed = Some(date("2016-11-30"));
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(get(&r, Scope::All, Measure::NewPartyOrgs), Some(2.0));
    data.branches[3].formed = Some(date("2016-12-01"));
    let r = derive(&data, &mut Diagnostics::default());
    assert_eq!(get(&r, Scope::All, Measure::NewPartyOrgs), Some(1.0));
}

#[test]
fn figures_inside_the_park_count_only_its_organizations() {
    let data = register();
    let r = derive(&data, &mut Diagnostics::default());
    let park = r.figures_where(|o| o.in_park);
    let k = |m| {
        park[&FigureKey {
            scope: Scope::All,
            measure: m,
        }]
    };
    assert_eq!(k(Measure::Base), Some(1.0));
    assert_eq!(k(Measure::Covered), Some(1.0));
    assert_eq!(
        k(Measure::PartyOrgs),
        Some(2.0),
        "the single branch and its general branch"
    );
}

#[test]
fn declared_figures_are_reconciled_with_a_warning_on_mismatch() {
    let mut data = register();
    let metric = |key: &str, value: f64| Metric {
        key: key.into(),
        label: None,
        value,
        unit: None,
        derivable: crate::resolve::parse_key(key).unwrap(),
        span: crate::diagnostics::Span::file("metrics.yaml"),
    };
    data.metrics = vec![metric("all.base", 6.0), metric("all.covered", 5.0)];
    let mut diags = Diagnostics::default();
    let r = derive(&data, &mut diags);
    let matches: Vec<bool> = r.reconciliation.iter().map(|m| m.matches).collect();
    assert_eq!(matches, [true, false]);
    assert_eq!(diags.count(crate::diagnostics::Severity::Warning), 1);
    assert!(!diags.has_errors());
}
