//! The roll-up's own summary: the members' counts summed, rates computed
//! again from the summed counts (an average of rates would weigh a small
//! district like a large one), and its declared figures reconciled.

use std::collections::BTreeMap;

use super::Read;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{FigureKey, Measure, Scope, YearData};
use crate::summary::{self, number, Breakdowns, Reconciled, Reconciliation, Row, Summary};

/// The rate a roll-up gives for a rate key: the summed numerator over the
/// summed base.
fn numerator(m: Measure) -> Option<Measure> {
    match m {
        Measure::CoverageRate => Some(Measure::Covered),
        Measure::WorkCoverageRate => Some(Measure::WorkCovered),
        _ => None,
    }
}

pub fn sum(title: &str, data: &YearData, members: &[Read], diags: &mut Diagnostics) -> Summary {
    let mut figures: BTreeMap<FigureKey, f64> = BTreeMap::new();
    for r in members {
        for (key, v) in &r.summary.figures {
            let Ok(Some(k)) = crate::resolve::parse_key(key) else {
                continue;
            };
            if !k.measure.is_rate() {
                *figures.entry(k).or_insert(0.0) +=
                    v.as_ref().and_then(|n| n.as_f64()).unwrap_or(0.0);
            }
        }
    }
    let mut all: BTreeMap<FigureKey, Option<f64>> =
        figures.iter().map(|(k, v)| (*k, Some(*v))).collect();
    for &scope in Scope::ALL {
        let base = figures
            .get(&FigureKey {
                scope,
                measure: Measure::Base,
            })
            .copied();
        for &measure in Measure::ALL {
            if let Some(num) = numerator(measure) {
                let n = figures
                    .get(&FigureKey {
                        scope,
                        measure: num,
                    })
                    .copied();
                let rate = match (n, base) {
                    (Some(n), Some(b)) if b > 0.0 => Some(n / b),
                    _ => None,
                };
                all.insert(FigureKey { scope, measure }, rate);
            }
        }
    }
    let rows = reconcile(data, &all, diags);
    Summary {
        schema: summary::SCHEMA,
        title: title.to_string(),
        year: data.year,
        as_of: data.as_of.to_string(),
        figures: all
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(number)))
            .collect(),
        indicators: summary::indicators(data),
        breakdowns: Breakdowns {
            township: merge(members.iter().map(|r| &r.summary.breakdowns.township)),
            industry: merge(members.iter().map(|r| &r.summary.breakdowns.industry)),
        },
        reconciliation: Reconciliation {
            agrees: rows.iter().all(|r| r.matches),
            rows,
        },
    }
}

/// The roll-up's declared figures against the sums: a mismatch is a
/// warning, as on any site, and a row of the summary.
fn reconcile(
    data: &YearData,
    all: &BTreeMap<FigureKey, Option<f64>>,
    diags: &mut Diagnostics,
) -> Vec<Reconciled> {
    let mut rows = Vec::new();
    for m in &data.metrics {
        let Some(key) = m.derivable else { continue };
        let summed = all.get(&key).copied().flatten();
        let matches = match summed {
            Some(d) if key.measure.is_rate() => (m.value - d).abs() < 0.0005,
            Some(d) => (m.value - d).abs() < 1e-9,
            None => false,
        };
        if !matches {
            let text = summed.map_or(crate::msg!("rollup.no_value"), |d| format!("{d}"));
            diags.push(
                Diagnostic::warning(
                    m.span.clone(),
                    crate::msg!(
                        "rollup.sum_differs",
                        key = key,
                        declared = m.value,
                        summed = text
                    ),
                )
                .help(crate::msg!("rollup.sum_differs.help")),
            );
        }
        rows.push(Reconciled {
            key: key.to_string(),
            declared: number(m.value),
            derived: summed.map(number),
            matches,
        });
    }
    rows
}

/// Rows of the same name added up, in name order, unnamed last.
fn merge<'a>(lists: impl Iterator<Item = &'a Vec<Row>>) -> Vec<Row> {
    let mut by: BTreeMap<(bool, Option<String>), Row> = BTreeMap::new();
    for row in lists.flatten() {
        let e = by
            .entry((row.name.is_none(), row.name.clone()))
            .or_insert_with(|| Row {
                name: row.name.clone(),
                base: 0,
                covered: 0,
                work_covered: 0,
                coverage_rate: None,
                by_coverage: BTreeMap::new(),
            });
        e.base += row.base;
        e.covered += row.covered;
        e.work_covered += row.work_covered;
        for (k, n) in &row.by_coverage {
            *e.by_coverage.entry(k.clone()).or_insert(0) += n;
        }
    }
    by.into_values()
        .map(|mut r| {
            r.coverage_rate = (r.base > 0).then(|| number(r.covered as f64 / r.base as f64));
            r
        })
        .collect()
}
