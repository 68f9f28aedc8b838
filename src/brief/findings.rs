//! The findings of the summary brief and the slide titles of the deck,
//! written from the derived figures by fixed rules (README, "Briefings"):
//! each rule computes on the year's figures and says something else, more
//! general, when it has nothing to say.

use crate::derive::Report;
use crate::model::{FigureKey, Measure, Scope};
use crate::present::charts::ChartId;
use crate::present::format::Formatter;

/// Townships with fewer organizations than this are left out of the
/// lowest-coverage rule: one uncovered shop would put them last.
pub const MIN_TOWNSHIP_BASE: usize = 3;

/// The counts the change rule compares with the year before.
const CHANGE_MEASURES: [Measure; 5] = [
    Measure::Base,
    Measure::Covered,
    Measure::PartyOrgs,
    Measure::JointBranches,
    Measure::Members,
];

fn all(measure: Measure) -> FigureKey {
    FigureKey {
        scope: Scope::All,
        measure,
    }
}

fn fill(template: String, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template, |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

/// The three findings: where coverage is lowest, what changed most since
/// the year before, and how the declared figures agree with the registers.
pub fn findings(report: &Report, f: &Formatter) -> [String; 3] {
    [lowest(report, f), change(report, f), declared(report, f)]
}

/// A place (township, else kind of organization) and its coverage below
/// the whole: the one with the lowest rate.
pub struct Lowest {
    pub name: String,
    pub rate: f64,
    /// Below the whole district, as a fraction (0.05 for 5 points).
    pub gap: f64,
    pub uncovered: usize,
}

/// Rule 1: the township with the lowest coverage rate among those with
/// at least `MIN_TOWNSHIP_BASE` organizations; ties go to the one with
/// more uncovered organizations, then to the name. With fewer than two
/// such townships, the kind of organization with the lowest rate.
pub fn lowest_township(report: &Report) -> Option<Lowest> {
    let whole = report.figures.get(&all(Measure::CoverageRate)).copied()??;
    let mut rows: Vec<Lowest> = report
        .by_township
        .iter()
        .filter(|r| r.base >= MIN_TOWNSHIP_BASE)
        .filter_map(|r| {
            let rate = r.covered() as f64 / r.base as f64;
            Some(Lowest {
                name: r.name.clone()?,
                rate,
                gap: whole - rate,
                uncovered: r.base - r.covered(),
            })
        })
        .collect();
    if rows.len() < 2 {
        return None;
    }
    rows.sort_by(|a, b| {
        a.rate
            .total_cmp(&b.rate)
            .then(b.uncovered.cmp(&a.uncovered))
            .then(a.name.cmp(&b.name))
    });
    rows.into_iter().next()
}

fn lowest_kind(report: &Report, f: &Formatter) -> Option<Lowest> {
    let whole = report.figures.get(&all(Measure::CoverageRate)).copied()??;
    let value = |scope, measure| {
        report
            .figures
            .get(&FigureKey { scope, measure })
            .copied()
            .flatten()
    };
    Scope::ALL
        .iter()
        .filter(|&&s| s != Scope::All)
        .filter_map(|&s| {
            let base = value(s, Measure::Base)?;
            let covered = value(s, Measure::Covered)?;
            let rate = value(s, Measure::CoverageRate)?;
            (base > 0.0).then(|| Lowest {
                name: f.t(&format!("scope_{}", s.as_str())),
                rate,
                gap: whole - rate,
                uncovered: (base - covered).max(0.0) as usize,
            })
        })
        .min_by(|a, b| a.rate.total_cmp(&b.rate).then(a.name.cmp(&b.name)))
}

fn lowest(report: &Report, f: &Formatter) -> String {
    let whole = report
        .figures
        .get(&all(Measure::CoverageRate))
        .copied()
        .flatten();
    let found = lowest_township(report).or_else(|| lowest_kind(report, f));
    match (found, whole) {
        (Some(l), _) if l.gap > 0.0 => fill(
            f.t("finding_lowest"),
            &[
                ("name", l.name),
                ("rate", f.rate(Some(l.rate))),
                ("gap", f.points(l.gap)),
                ("open", f.count(l.uncovered as f64)),
            ],
        ),
        (_, Some(rate)) => fill(f.t("finding_even"), &[("rate", f.rate(Some(rate)))]),
        (_, None) => f.t("finding_no_base"),
    }
}

/// The presented year's place in the history, if a year comes before it.
fn previous(report: &Report) -> Option<(usize, i32)> {
    let years = &report.history.years;
    let i = years.iter().position(|&y| y == report.data.year)?;
    (i > 0).then(|| (i, years[i - 1]))
}

/// A count's change from the year before: key, before, after.
pub struct Change {
    pub key: FigureKey,
    pub before: f64,
    pub after: f64,
}

/// Rule 2: of the district's counts (`CHANGE_MEASURES`), the one whose
/// relative change from the year before is the largest either way; ties
/// go to the first in that list.
pub fn largest_change(report: &Report) -> Option<Change> {
    let (i, _) = previous(report)?;
    let mut best: Option<(f64, Change)> = None;
    for m in CHANGE_MEASURES {
        let key = all(m);
        let Some(trend) = report.history.trends.iter().find(|t| t.key == key) else {
            continue;
        };
        let (Some(before), Some(after)) = (trend.values[i - 1], trend.values[i]) else {
            continue;
        };
        if before <= 0.0 || before == after {
            continue;
        }
        let size = ((after - before) / before).abs();
        if best.as_ref().is_none_or(|(b, _)| size > *b) {
            best = Some((size, Change { key, before, after }));
        }
    }
    best.map(|(_, c)| c)
}

/// The district's coverage rate the year before and this year.
pub fn rate_change(report: &Report) -> Option<(i32, f64, f64)> {
    let (i, year) = previous(report)?;
    let trend = report
        .history
        .trends
        .iter()
        .find(|t| t.key == all(Measure::CoverageRate))?;
    Some((year, trend.values[i - 1]?, trend.values[i]?))
}

fn change(report: &Report, f: &Formatter) -> String {
    let Some((year, before, after)) = rate_change(report) else {
        let base = report.figures.get(&all(Measure::Base)).copied().flatten();
        return fill(
            f.t("finding_first_year"),
            &[
                ("year", report.data.year.to_string()),
                ("base", f.count(base.unwrap_or(0.0))),
            ],
        );
    };
    let mut text = if (after - before).abs() < 0.0005 {
        fill(
            f.t("finding_rate_same"),
            &[("prev", year.to_string()), ("b", f.rate(Some(after)))],
        )
    } else {
        fill(
            f.t("finding_rate"),
            &[
                ("prev", year.to_string()),
                ("a", f.rate(Some(before))),
                ("b", f.rate(Some(after))),
                (
                    "verb",
                    f.t(if after > before {
                        "change_up_to"
                    } else {
                        "change_down_to"
                    }),
                ),
                ("points", f.points((after - before).abs())),
            ],
        )
    };
    if let Some(c) = largest_change(report) {
        text.push_str(&fill(
            f.t("finding_change"),
            &[
                ("label", f.t(&format!("measure_{}", c.key.measure.as_str()))),
                ("a", f.figure(c.key, Some(c.before))),
                ("b", f.figure(c.key, Some(c.after))),
                (
                    "verb",
                    f.t(if c.after > c.before {
                        "change_up_to"
                    } else {
                        "change_down_to"
                    }),
                ),
                ("pct", f.rate(Some(((c.after - c.before) / c.before).abs()))),
                (
                    "dir",
                    f.t(if c.after > c.before {
                        "change_up"
                    } else {
                        "change_down"
                    }),
                ),
            ],
        ));
    }
    text
}

/// Rule 3: the declared figures that disagree with the registers, and the
/// one that disagrees most (relative to the declared value; a derived
/// figure that cannot be computed counts as the largest).
fn declared(report: &Report, f: &Formatter) -> String {
    let rec = &report.reconciliation;
    if rec.is_empty() {
        return f.t("finding_none_declared");
    }
    let worst = rec
        .iter()
        .filter(|r| !r.matches)
        .map(|r| {
            let size = match r.derived {
                Some(d) if r.declared != 0.0 => ((d - r.declared) / r.declared).abs(),
                Some(d) => d.abs(),
                None => f64::INFINITY,
            };
            (size, r)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.key.cmp(&a.1.key)));
    let mismatches = rec.iter().filter(|r| !r.matches).count();
    match worst {
        None => fill(
            f.t("finding_all_match"),
            &[("n", f.count(rec.len() as f64))],
        ),
        Some((_, r)) => fill(
            f.t("finding_mismatch"),
            &[
                ("n", f.count(mismatches as f64)),
                ("label", f.key_label(r.key)),
                ("declared", f.figure(r.key, Some(r.declared))),
                ("derived", f.figure(r.key, r.derived)),
            ],
        ),
    }
}

/// A chart's one-line message, for its slide's title, or `None` for a
/// chart that has no rule (the slide then takes the chart's title).
pub fn takeaway(id: ChartId, report: &Report, f: &Formatter) -> Option<String> {
    match id {
        ChartId::CoverageByKind => {
            let rate = |s: Scope| {
                report
                    .figures
                    .get(&FigureKey {
                        scope: s,
                        measure: Measure::CoverageRate,
                    })
                    .copied()
                    .flatten()
            };
            let base = |s: Scope| {
                report
                    .figures
                    .get(&FigureKey {
                        scope: s,
                        measure: Measure::Base,
                    })
                    .copied()
                    .flatten()
                    .unwrap_or(0.0)
            };
            let mut kinds: Vec<(f64, Scope)> = Scope::ALL
                .iter()
                .filter(|&&s| s != Scope::All && base(s) > 0.0)
                .filter_map(|&s| Some((rate(s)?, s)))
                .collect();
            kinds.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let (high, low) = (kinds.first()?, kinds.last()?);
            if kinds.len() < 2 || high.0 == low.0 {
                return None;
            }
            let name = |s: Scope| f.t(&format!("scope_{}", s.as_str()));
            Some(fill(
                f.t("takeaway_kind"),
                &[
                    ("high", name(high.1)),
                    ("a", f.rate(Some(high.0))),
                    ("low", name(low.1)),
                    ("b", f.rate(Some(low.0))),
                ],
            ))
        }
        ChartId::CoverageByTownship => {
            let l = lowest_township(report).filter(|l| l.gap > 0.0)?;
            Some(fill(
                f.t("takeaway_township"),
                &[
                    ("name", l.name),
                    ("rate", f.rate(Some(l.rate))),
                    ("gap", f.points(l.gap)),
                ],
            ))
        }
        ChartId::TrendCoverage => {
            let (year, before, after) = rate_change(report)?;
            let verb = if (after - before).abs() < 0.0005 {
                "change_same"
            } else if after > before {
                "change_up_to"
            } else {
                "change_down_to"
            };
            Some(fill(
                f.t("takeaway_trend"),
                &[
                    ("prev", year.to_string()),
                    ("year", report.data.year.to_string()),
                    ("a", f.rate(Some(before))),
                    ("b", f.rate(Some(after))),
                    ("verb", f.t(verb)),
                ],
            ))
        }
        ChartId::DeclaredVsDerived => {
            let n = report.reconciliation.iter().filter(|r| !r.matches).count();
            if report.reconciliation.is_empty() {
                None
            } else if n == 0 {
                Some(f.t("takeaway_match"))
            } else {
                Some(fill(f.t("takeaway_mismatch"), &[("n", f.count(n as f64))]))
            }
        }
        _ => None,
    }
}
