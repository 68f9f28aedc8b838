//! `resolve` on small sites written here: references become indices, the
//! tree is linked both ways, and broken references, cycles, levels and
//! metric keys are diagnosed at their line and column, all in one run.

use super::*;
use crate::diagnostics::Severity;
use crate::model::Form;

const SITE: &str = "title: 测试\nlanguage: zh-CN\nyear: 2016\n";
const METRICS: &str = "as_of: 2016-11-30\nmetrics:\n  - key: all.base\n    value: 2\n";
const BRANCHES: &str = "\
branches:
  - id: gw
    name: 工委
    level: work_committee
  - id: gb
    name: 党总支部
    level: general_branch
    parent: gw
  - id: br
    name: 联合党支部
    level: branch
    parent: gb
    form: joint
";
const ORGS: &str = "\
organizations:
  - id: a
    name: 甲
    kind: enterprise
    township: 甲街道
    status: active
    branch: br
  - id: b
    name: 乙
    kind: social_org
    township: 甲街道
    status: active
    branch: br
";

/// Loads a site of these files and resolves it.
fn resolve_files(orgs: &str, branches: &str, metrics: &str) -> (Option<Site>, Diagnostics) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let data = content.join("data/2016");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(content.join("site.yaml"), SITE).unwrap();
    std::fs::write(data.join("organizations.yaml"), orgs).unwrap();
    std::fs::write(data.join("branches.yaml"), branches).unwrap();
    std::fs::write(data.join("metrics.yaml"), metrics).unwrap();
    let mut diags = Diagnostics::default();
    let raw = crate::load::load(&content, &mut diags);
    let site = resolve(&raw, None, &mut diags);
    (site, diags)
}

fn messages(d: &Diagnostics) -> Vec<String> {
    d.items()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{}: {}", d.span.line, d.span.col, d.message))
        .collect()
}

#[test]
fn references_become_indices_and_the_tree_is_linked_both_ways() {
    let (site, diags) = resolve_files(ORGS, BRANCHES, METRICS);
    assert!(!diags.has_errors(), "{}", diags.render());
    let site = site.expect("resolves");
    let y = &site.years[&2016];
    assert_eq!(y.organizations[0].branch, Some(2));
    assert_eq!(y.branches[2].parent, Some(1));
    assert_eq!(y.branches[1].children, [2]);
    assert_eq!(y.branches[2].covers, [0, 1]);
    assert_eq!(y.branches[2].form, Some(Form::Joint));
    assert_eq!(y.metrics[0].derivable, parse_key("all.base").unwrap());
    assert_eq!(site.config.year, 2016);
}

#[test]
fn every_problem_of_the_tree_is_reported_in_one_run() {
    // One organization names a branch that does not exist, which leaves
    // the joint branch covering one; the general branch hangs under its
    // own branch: a parent of lower level and a cycle.
    let orgs = ORGS.replacen("branch: br", "branch: bx", 1);
    let branches = BRANCHES.replace("    parent: gw\n", "    parent: br\n");
    let (site, diags) = resolve_files(&orgs, &branches, METRICS);
    assert!(site.is_none());
    assert_eq!(
        messages(&diags),
        [
            "7:13: branch `bx` does not exist",
            "8:13: parent `br` is a branch, not higher than this general_branch",
            "8:13: branch tree has a cycle: gb → br → gb",
            "13:11: joint branch `br` covers 1 organization",
        ]
    );
}

#[test]
fn a_joint_branch_that_covers_one_organization_is_an_error() {
    let orgs = ORGS.replacen("branch: br", "branch: gb", 1);
    let (site, diags) = resolve_files(&orgs, BRANCHES, METRICS);
    assert!(site.is_none());
    assert_eq!(messages(&diags).len(), 1, "{}", diags.render());
}

#[test]
fn a_measure_key_with_a_typo_gets_a_suggestion() {
    assert_eq!(parse_key("instructors.part_time"), Ok(None));
    assert!(parse_key("all.base").unwrap().is_some());
    let help = parse_key("all.bsae").unwrap_err();
    assert!(help.contains("base"), "{help}");
    let metrics = METRICS.replace("all.base", "all.bsae");
    let (site, diags) = resolve_files(ORGS, BRANCHES, &metrics);
    assert!(site.is_none());
    assert_eq!(
        messages(&diags),
        ["3:10: unknown measure in derivable key `all.bsae`"]
    );
}

#[test]
fn presenting_another_year_needs_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("data/2016")).unwrap();
    std::fs::write(content.join("site.yaml"), SITE).unwrap();
    for (f, t) in [
        ("organizations.yaml", ORGS),
        ("branches.yaml", BRANCHES),
        ("metrics.yaml", METRICS),
    ] {
        std::fs::write(content.join("data/2016").join(f), t).unwrap();
    }
    let mut diags = Diagnostics::default();
    let raw = crate::load::load(&content, &mut diags);
    assert!(resolve(&raw, Some(2016), &mut diags).is_some());
    assert!(resolve(&raw, Some(2015), &mut diags).is_none());
    assert!(diags.has_errors());
}

#[test]
fn kept_years_are_resolved_again_only_when_a_file_is_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let data = content.join("data/2016");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(content.join("site.yaml"), SITE).unwrap();
    let orgs = ORGS;
    std::fs::write(data.join("organizations.yaml"), orgs).unwrap();
    std::fs::write(data.join("branches.yaml"), BRANCHES).unwrap();
    // A warning (a scope with a typo) that a kept year must still report.
    let metrics = format!("{METRICS}  - key: enterprse.base\n    value: 1\n");
    std::fs::write(data.join("metrics.yaml"), metrics).unwrap();
    let mut d0 = Diagnostics::default();
    let mut raw = crate::load::load(&content, &mut d0);
    let kept = Kept::default();
    // The organizations' names and every diagnostic, with `kept` or fresh.
    let resolve_with = |raw: &RawSite, kept: Option<&Kept>| {
        let mut diags = Diagnostics::default();
        let site = resolve_kept(raw, None, &mut diags, kept).expect("resolves");
        let names: Vec<String> = site
            .current()
            .organizations
            .iter()
            .map(|o| o.name.clone())
            .collect();
        (names, said(&diags))
    };
    let resolve_with_kept = |raw: &RawSite| resolve_with(raw, Some(&kept));
    let fresh = resolve_with(&raw, None);
    assert!(!fresh.1.is_empty(), "the fixture warns");
    assert_eq!(resolve_with_kept(&raw), fresh);
    // Kept: the same model and the same diagnostics.
    assert_eq!(resolve_with_kept(&raw), fresh);
    // A file read again (a save) is resolved again, even with the same name.
    let path = data.join("organizations.yaml");
    std::fs::write(&path, orgs.replace("name: 乙", "name: 丙")).unwrap();
    assert!(crate::load::reload(&mut raw, &path, &mut d0));
    let (names, said) = resolve_with_kept(&raw);
    assert_eq!(names, ["甲", "丙"]);
    assert_eq!(said, fresh.1);
}

/// Every diagnostic, warnings included.
fn said(d: &Diagnostics) -> Vec<String> {
    d.items()
        .iter()
        .map(|d| {
            format!(
                "{:?} {}:{}: {}",
                d.severity, d.span.line, d.span.col, d.message
            )
        })
        .collect()
}
