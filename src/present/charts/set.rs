//! The chart set: what each chart draws, from the report.

use std::collections::BTreeMap;

use super::draw::{self, colors, Highlight, Series};
use super::{Cell, Chart};
use crate::derive::{BreakdownRow, Coverage, Report};
use crate::model::{FigureKey, Form, Kind, Measure, Scope, Status};
use crate::present::format::Formatter;

/// Every chart, in gallery order: its id (as pages, files and the command
/// line spell it) and how it is drawn. A new chart is one line here, its
/// drawing function below, and its title and description in the theme's
/// i18n files (`chart_<id>`, `chart_<id>_desc`).
macro_rules! charts {
    ($($variant:ident = $id:literal => $draw:expr,)*) => {
        /// A chart of the set: the one spelling of its id is [`ChartId::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChartId {
            $($variant,)*
        }

        impl ChartId {
            /// Every chart, in gallery order.
            pub const ALL: &'static [ChartId] = &[$(ChartId::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChartId::$variant => $id,)*
                }
            }

            /// Draws this chart alone.
            pub fn draw(self, report: &Report, f: &Formatter) -> Chart {
                let draw: fn(&Report, &Formatter) -> Chart = match self {
                    $(ChartId::$variant => $draw,)*
                };
                draw(report, f)
            }
        }
    };
}

charts! {
    CoverageByKind = "coverage-by-kind" => coverage_by_kind,
    CoverageByTownship = "coverage-by-township" => |r, f| {
        breakdown(ChartId::CoverageByTownship, &r.by_township, f, |n| {
            n.clone().unwrap_or_else(|| f.t("unspecified"))
        })
    },
    CoverageByIndustry = "coverage-by-industry" => |r, f| {
        breakdown(ChartId::CoverageByIndustry, &r.by_industry, f, |n| {
            n.clone().unwrap_or_else(|| f.t("unspecified"))
        })
    },
    CoverageByPark = "coverage-by-park" => |r, f| {
        breakdown(ChartId::CoverageByPark, &r.by_park, f, |n| {
            f.t(&format!("park_{}", n.as_deref().unwrap_or("")))
        })
    },
    PartyOrgsByLevel = "party-orgs-by-level" => party_orgs_by_level,
    JointBranchSizes = "joint-branch-sizes" => joint_branch_sizes,
    CoverageBuildUp = "coverage-build-up" => coverage_build_up,
    BaseFunnel = "base-funnel" => base_funnel,
    DeclaredVsDerived = "declared-vs-derived" => declared_vs_derived,
    TrendCoverage = "trend-coverage" => |r, f| {
        trend(r, f, ChartId::TrendCoverage, Measure::CoverageRate)
    },
    TrendPartyOrgs = "trend-party-orgs" => |r, f| {
        trend(r, f, ChartId::TrendPartyOrgs, Measure::PartyOrgs)
    },
}

impl ChartId {
    /// The chart of this id, if there is one.
    pub fn parse(id: &str) -> Option<ChartId> {
        ChartId::ALL.iter().copied().find(|c| c.as_str() == id)
    }

    /// The i18n key of the title; `<key>_desc` is the description's.
    pub fn title_key(self) -> String {
        format!("chart_{}", self.as_str().replace('-', "_"))
    }

    /// Every id, as a list for messages.
    pub fn list() -> String {
        ChartId::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for ChartId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ChartId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

pub fn all(report: &Report, f: &Formatter) -> Vec<Chart> {
    ChartId::ALL.iter().map(|id| id.draw(report, f)).collect()
}

fn kind_key(kind: Kind, measure: Measure) -> FigureKey {
    let scope = match kind {
        Kind::Enterprise => Scope::Enterprise,
        Kind::SocialOrg => Scope::SocialOrg,
        Kind::Individual => Scope::Individual,
    };
    FigureKey { scope, measure }
}

fn percent(v: f64) -> String {
    let s = format!("{v:.1}");
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

fn coverage_by_kind(report: &Report, f: &Formatter) -> Chart {
    let value = |k: Kind, m: Measure| report.figures[&kind_key(k, m)];
    let mut kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|&k| value(k, Measure::Base).unwrap_or(0.0) > 0.0)
        .collect();
    // Categories, not an order: the highest rate first, then the largest.
    let sort_key = |k: &Kind| {
        let v = |m| value(*k, m).unwrap_or(0.0);
        (v(Measure::CoverageRate), v(Measure::Base))
    };
    kinds.sort_by(|a, b| {
        let (a, b) = (sort_key(a), sort_key(b));
        b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1))
    });
    let cats: Vec<String> = kinds.iter().map(|k| f.t(k.label_key())).collect();
    let series = [
        (Measure::CoverageRate, colors::BLUE),
        (Measure::WorkCoverageRate, colors::ORANGE),
    ]
    .map(|(m, color)| Series {
        name: f.t(m.label_key()),
        color,
        values: kinds
            .iter()
            .map(|&k| value(k, m).unwrap_or(0.0) * 100.0)
            .collect(),
    });
    let title = f.t("chart_coverage_by_kind");
    let svg = |size| draw::grouped_bars(size, &title, &cats, &series, 100.0, &percent, None);
    let measures = [
        Measure::Base,
        Measure::Covered,
        Measure::CoverageRate,
        Measure::WorkCovered,
        Measure::WorkCoverageRate,
    ];
    let mut columns = vec![f.t("col_kind")];
    columns.extend(measures.iter().map(|m| f.t(m.label_key())));
    let rows = kinds
        .iter()
        .zip(&cats)
        .map(|(&k, label)| {
            let mut row = vec![Cell::Text(label.clone())];
            row.extend(measures.iter().map(|&m| {
                if m.is_rate() {
                    Cell::Rate(value(k, m))
                } else {
                    Cell::Count(value(k, m).unwrap_or(0.0))
                }
            }));
            row
        })
        .collect();
    Chart::new(ChartId::CoverageByKind, f, columns, rows, svg)
}

fn breakdown(
    id: ChartId,
    input: &[BreakdownRow],
    f: &Formatter,
    name: impl Fn(&Option<String>) -> String,
) -> Chart {
    let cats: Vec<String> = input.iter().map(|r| name(&r.name)).collect();
    let (drawn, drawn_cats) = drawn_rows(input, &cats, f);
    let used: Vec<usize> = (0..Coverage::ALL.len())
        .filter(|&c| drawn.iter().any(|r| r.by_coverage[c] > 0))
        .collect();
    let series: Vec<Series> = used
        .iter()
        .map(|&c| Series {
            name: f.t(&format!("coverage_{}", Coverage::ALL[c].key())),
            color: colors::COVERAGE[c],
            values: drawn.iter().map(|r| r.by_coverage[c] as f64).collect(),
        })
        .collect();
    let title = f.t(&id.title_key());
    let count = |v: f64| f.count(v.round());
    let axis = f.t("chart_axis_organizations");
    let svg = |size| draw::rows(size, &title, &drawn_cats, &series, &axis, &count, true);
    let mut columns = vec![f.t("col_name"), f.t("measure_base")];
    columns.extend(
        Coverage::ALL
            .iter()
            .map(|c| f.t(&format!("coverage_{}", c.key()))),
    );
    columns.push(f.t("measure_coverage_rate"));
    let rows = input
        .iter()
        .zip(&cats)
        .map(|(r, label)| {
            let mut row = vec![Cell::Text(label.clone()), Cell::Count(r.base as f64)];
            row.extend(r.by_coverage.iter().map(|&n| Cell::Count(n as f64)));
            row.push(Cell::Rate(r.rate(r.covered())));
            row
        })
        .collect();
    Chart::new(id, f, columns, rows, svg)
}

/// Bars a breakdown chart draws at most: a province has hundreds of
/// townships, and a chart of 600 bars is neither readable nor printable
/// (its PNG alone would take hundreds of MB). The table and the CSV keep
/// every row.
pub const MAX_BARS: usize = 30;

/// The rows a breakdown chart draws, largest base first: all of them, or
/// the `MAX_BARS - 1` largest and one bar for the rest.
fn drawn_rows(
    input: &[BreakdownRow],
    cats: &[String],
    f: &Formatter,
) -> (Vec<BreakdownRow>, Vec<String>) {
    // Categories, not an order: the largest first (a stable sort keeps
    // equal ones in their order).
    let mut by_size: Vec<usize> = (0..input.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(input[i].base));
    if input.len() <= MAX_BARS {
        let rows = by_size.iter().map(|&i| input[i].clone()).collect();
        let names = by_size.iter().map(|&i| cats[i].clone()).collect();
        return (rows, names);
    }
    let kept = by_size[..MAX_BARS - 1].to_vec();
    let mut rest = BreakdownRow {
        name: None,
        base: 0,
        by_coverage: [0; 5],
    };
    for &i in &by_size[MAX_BARS - 1..] {
        rest.base += input[i].base;
        for (sum, n) in rest.by_coverage.iter_mut().zip(input[i].by_coverage) {
            *sum += n;
        }
    }
    let others = f
        .t("chart_others")
        .replace("{n}", &f.count((input.len() - kept.len()) as f64));
    let mut rows: Vec<BreakdownRow> = kept.iter().map(|&i| input[i].clone()).collect();
    let mut names: Vec<String> = kept.iter().map(|&i| cats[i].clone()).collect();
    rows.push(rest);
    names.push(others);
    (rows, names)
}

fn party_orgs_by_level(report: &Report, f: &Formatter) -> Chart {
    let levels: Vec<_> = report.by_level.iter().filter(|l| l.total > 0).collect();
    let cats: Vec<String> = levels.iter().map(|l| f.t(l.level.label_key())).collect();
    let series = vec![
        Series {
            name: f.t("form_single"),
            color: colors::COVERAGE[0],
            values: levels.iter().map(|l| l.single as f64).collect(),
        },
        Series {
            name: f.t("form_joint"),
            color: colors::COVERAGE[2],
            values: levels.iter().map(|l| l.joint as f64).collect(),
        },
        Series {
            name: f.t("form_none"),
            color: colors::GREY,
            values: levels
                .iter()
                .map(|l| (l.total - l.single - l.joint) as f64)
                .collect(),
        },
    ];
    let count = |v: f64| f.count(v.round());
    let (title, axis) = (
        f.t("chart_party_orgs_by_level"),
        f.t("chart_axis_party_orgs"),
    );
    let svg = |size| draw::rows(size, &title, &cats, &series, &axis, &count, true);
    let columns = [
        "col_level",
        "col_count",
        "form_single",
        "form_joint",
        "form_none",
    ]
    .iter()
    .map(|c| f.t(c))
    .collect();
    let rows = levels
        .iter()
        .zip(&cats)
        .map(|(l, label)| {
            vec![
                Cell::Text(label.clone()),
                Cell::Count(l.total as f64),
                Cell::Count(l.single as f64),
                Cell::Count(l.joint as f64),
                Cell::Count((l.total - l.single - l.joint) as f64),
            ]
        })
        .collect();
    Chart::new(ChartId::PartyOrgsByLevel, f, columns, rows, svg)
}

/// The "一管五" guideline: a joint branch for about five organizations.
const GUIDELINE_SIZE: usize = 5;

fn joint_branch_sizes(report: &Report, f: &Formatter) -> Chart {
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for b in report
        .data
        .branches
        .iter()
        .filter(|b| b.form == Some(Form::Joint))
    {
        *sizes.entry(b.covers.len()).or_insert(0) += 1;
    }
    let (lo, hi) = match (sizes.keys().next(), sizes.keys().last()) {
        (Some(&lo), Some(&hi)) => (lo.min(GUIDELINE_SIZE), hi.max(GUIDELINE_SIZE)),
        _ => (2, GUIDELINE_SIZE),
    };
    let all: Vec<usize> = (lo..=hi).collect();
    let cats: Vec<String> = all.iter().map(|n| n.to_string()).collect();
    let series = [Series {
        name: f.t("measure_joint_branches"),
        color: colors::BLUE,
        values: all
            .iter()
            .map(|n| *sizes.get(n).unwrap_or(&0) as f64)
            .collect(),
    }];
    let max = series[0].values.iter().copied().fold(1.0, f64::max);
    let guide = Highlight {
        index: GUIDELINE_SIZE - lo,
        label: f.t("chart_guideline_five"),
    };
    let count = |v: f64| f.count(v.round());
    let title = f.t("chart_joint_branch_sizes");
    let svg = |size| draw::grouped_bars(size, &title, &cats, &series, max, &count, Some(&guide));
    let columns = vec![f.t("col_joint_size"), f.t("measure_joint_branches")];
    let rows = all
        .iter()
        .map(|n| {
            vec![
                Cell::Count(*n as f64),
                Cell::Count(*sizes.get(n).unwrap_or(&0) as f64),
            ]
        })
        .collect();
    Chart::new(ChartId::JointBranchSizes, f, columns, rows, svg)
}

/// Organizations covered at the end of each month of the year, counting
/// each covered organization from its branch's `formed` date (from the
/// start of the year when the branch is older or its date unknown).
fn coverage_build_up(report: &Report, f: &Formatter) -> Chart {
    let data = report.data;
    let last = if data.as_of.year == data.year {
        data.as_of.month
    } else {
        12
    };
    let months: Vec<u32> = (1..=last).collect();
    let mut counts = vec![0.0; months.len()];
    for (i, o) in data.organizations.iter().enumerate() {
        if !report.coverage[i].is_some_and(Coverage::organizational) {
            continue;
        }
        let formed = o.branch.and_then(|b| data.branches[b].formed);
        let from = match formed {
            Some(d) if d.year == data.year => d.month,
            Some(d) if d.year > data.year => continue,
            _ => 1,
        };
        for (m, c) in months.iter().zip(counts.iter_mut()) {
            if *m >= from {
                *c += 1.0;
            }
        }
    }
    let xs: Vec<String> = months.iter().map(|m| f.t(&format!("month_{m}"))).collect();
    let series = [Series {
        name: f.t("measure_covered"),
        color: colors::BLUE,
        values: counts.clone(),
    }];
    let count = |v: f64| f.count(v.round());
    let (title, axis) = (
        f.t("chart_coverage_build_up"),
        f.t("chart_axis_organizations"),
    );
    let svg = |size| draw::lines(size, &title, &xs, &series, &axis, &count);
    let columns = vec![f.t("col_month"), f.t("measure_covered")];
    let rows = xs
        .iter()
        .zip(&counts)
        .map(|(m, c)| vec![Cell::Text(m.clone()), Cell::Count(*c)])
        .collect();
    Chart::new(ChartId::CoverageBuildUp, f, columns, rows, svg)
}

fn base_funnel(report: &Report, f: &Formatter) -> Chart {
    let excluded = report.excluded();
    let mut remaining = report.data.organizations.len() as f64;
    let mut cats = vec![f.t("funnel_registered")];
    let mut values = vec![remaining];
    for s in [Status::Shell, Status::Zombie, Status::Duplicate] {
        remaining -= *excluded.get(&s).unwrap_or(&0) as f64;
        cats.push(f.t(&format!("funnel_minus_{}", s.as_str())));
        values.push(remaining);
    }
    let series = [Series {
        name: f.t("col_count"),
        color: colors::COVERAGE[1],
        values: values.clone(),
    }];
    let count = |v: f64| f.count(v.round());
    let (title, axis) = (f.t("chart_base_funnel"), f.t("chart_axis_organizations"));
    let svg = |size| draw::rows(size, &title, &cats, &series, &axis, &count, true);
    let columns = vec![f.t("col_step"), f.t("col_count")];
    let rows = cats
        .iter()
        .zip(&values)
        .map(|(c, v)| vec![Cell::Text(c.clone()), Cell::Count(*v)])
        .collect();
    Chart::new(ChartId::BaseFunnel, f, columns, rows, svg)
}

/// Counts only: rates are on another scale and stay in the table of the
/// data-quality page.
fn declared_vs_derived(report: &Report, f: &Formatter) -> Chart {
    let mut rec: Vec<_> = report
        .reconciliation
        .iter()
        .filter(|r| !r.key.measure.is_rate())
        .collect();
    // Categories, not an order: the largest figure first.
    let largest = |r: &&crate::derive::Reconciled| r.declared.max(r.derived.unwrap_or(0.0));
    rec.sort_by(|a, b| largest(b).total_cmp(&largest(a)));
    let cats: Vec<String> = rec.iter().map(|r| f.key_label(r.key)).collect();
    let series = vec![
        Series {
            name: f.t("col_declared"),
            color: colors::ORANGE,
            values: rec.iter().map(|r| r.declared).collect(),
        },
        Series {
            name: f.t("col_derived"),
            color: colors::BLUE,
            values: rec.iter().map(|r| r.derived.unwrap_or(0.0)).collect(),
        },
    ];
    let count = |v: f64| f.count(v.round());
    let (title, axis) = (f.t("chart_declared_vs_derived"), f.t("col_value"));
    let svg = |size| draw::rows(size, &title, &cats, &series, &axis, &count, false);
    let columns = ["col_key", "col_declared", "col_derived", "col_result"]
        .iter()
        .map(|c| f.t(c))
        .collect();
    let rows = rec
        .iter()
        .zip(&cats)
        .map(|(r, label)| {
            vec![
                Cell::Text(label.clone()),
                Cell::Count(r.declared),
                Cell::Count(r.derived.unwrap_or(0.0)),
                Cell::Text(f.t(if r.matches { "dq_match" } else { "dq_mismatch" })),
            ]
        })
        .collect();
    Chart::new(ChartId::DeclaredVsDerived, f, columns, rows, svg)
}

/// One line per kind across every year of the registers.
fn trend(report: &Report, f: &Formatter, id: ChartId, measure: Measure) -> Chart {
    let h = &report.history;
    let years: Vec<String> = h.years.iter().map(|y| y.to_string()).collect();
    let palette = [colors::BLUE, colors::ORANGE, colors::GREY];
    let trends: Vec<_> = h
        .trends
        .iter()
        .filter(|t| t.key.measure == measure && t.key.scope != Scope::All)
        .collect();
    let scale = if measure.is_rate() { 100.0 } else { 1.0 };
    let series: Vec<Series> = trends
        .iter()
        .zip(palette)
        .map(|(t, color)| Series {
            name: f.t(t.key.scope.label_key()),
            color,
            values: t.values.iter().map(|v| v.unwrap_or(0.0) * scale).collect(),
        })
        .collect();
    let title = f.t(&id.title_key());
    let axis = f.t(measure.label_key());
    let count = |v: f64| f.count(v.round());
    let fmt: draw::Fmt = if measure.is_rate() { &percent } else { &count };
    let svg = |size| draw::lines(size, &title, &years, &series, &axis, fmt);
    let mut columns = vec![f.t("col_year")];
    columns.extend(series.iter().map(|s| s.name.clone()));
    let rows = h
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let mut row = vec![Cell::Text(y.to_string())];
            row.extend(trends.iter().map(|t| {
                if measure.is_rate() {
                    Cell::Rate(t.values[i])
                } else {
                    Cell::Count(t.values[i].unwrap_or(0.0))
                }
            }));
            row
        })
        .collect();
    Chart::new(id, f, columns, rows, svg)
}
