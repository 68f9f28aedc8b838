//! `summary.json`: one year's figures in a machine-readable form, written
//! into every site and snapshot. It is a contract (README, "summary.json"):
//! roll-up sites read their members through it, never their registers, so
//! its fields only grow within a schema version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::derive::{BreakdownRow, Coverage, Report};

/// The version of the layout below; a reader refuses any other.
pub const SCHEMA: u32 = 1;
/// Its name at the root of each year's site.
pub const FILE: &str = "summary.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub schema: u32,
    pub title: String,
    pub year: i32,
    /// The data's cut-off date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Every derived figure by key (`enterprise.coverage_rate`); counts are
    /// whole numbers, rates fractions, `null` a rate of an empty base.
    pub figures: BTreeMap<String, Option<Number>>,
    /// The figures and indicators `metrics.yaml` declares, in its order.
    pub indicators: Vec<Indicator>,
    pub breakdowns: Breakdowns,
    pub reconciliation: Reconciliation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub key: String,
    pub label: Option<String>,
    pub value: Number,
    pub unit: Option<String>,
    /// Whether the registers give this key too (it is then reconciled).
    pub derivable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdowns {
    pub township: Vec<Row>,
    pub industry: Vec<Row>,
}

/// Base organizations of one township or industry and how they are covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// `null` for records that leave the township or industry out.
    pub name: Option<String>,
    pub base: u64,
    pub covered: u64,
    pub work_covered: u64,
    pub coverage_rate: Option<Number>,
    /// Counts by how they are covered: single, joint, direct, work_only,
    /// uncovered.
    pub by_coverage: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// Every declared figure the registers give agrees with them.
    pub agrees: bool,
    pub rows: Vec<Reconciled>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciled {
    pub key: String,
    pub declared: Number,
    pub derived: Option<Number>,
    pub matches: bool,
}

/// The declared figures of a year, as written in its metrics.yaml.
pub fn indicators(data: &crate::model::YearData) -> Vec<Indicator> {
    data.metrics
        .iter()
        .map(|m| Indicator {
            key: m.key.clone(),
            label: m.label.clone(),
            value: number(m.value),
            unit: m.unit.clone(),
            derivable: m.derivable.is_some(),
        })
        .collect()
}

/// A figure as JSON: a whole number when it is one (counts), else the
/// shortest decimal that reads back to the same `f64`.
pub fn number(v: f64) -> Number {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Number::from(v as i64)
    } else {
        Number::from_f64(v).unwrap_or_else(|| Number::from(0))
    }
}

impl Summary {
    pub fn of(title: &str, report: &Report) -> Summary {
        let data = report.data;
        let rows: Vec<Reconciled> = report
            .reconciliation
            .iter()
            .map(|r| Reconciled {
                key: r.key.to_string(),
                declared: number(r.declared),
                derived: r.derived.map(number),
                matches: r.matches,
            })
            .collect();
        Summary {
            schema: SCHEMA,
            title: title.to_string(),
            year: data.year,
            as_of: data.as_of.to_string(),
            figures: report
                .figures
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(number)))
                .collect(),
            indicators: indicators(data),
            breakdowns: Breakdowns {
                township: report.by_township.iter().map(row).collect(),
                industry: report.by_industry.iter().map(row).collect(),
            },
            reconciliation: Reconciliation {
                agrees: rows.iter().all(|r| r.matches),
                rows,
            },
        }
    }

    /// The file's bytes: keys in a fixed order, two-space indents, a final
    /// newline; the same figures always give the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// A figure by key as `f64` (`None`: absent or `null`).
    pub fn figure(&self, key: &str) -> Option<f64> {
        self.figures.get(key)?.as_ref()?.as_f64()
    }
}

fn row(r: &BreakdownRow) -> Row {
    Row {
        name: r.name.clone(),
        base: r.base as u64,
        covered: r.covered() as u64,
        work_covered: r.work_covered() as u64,
        coverage_rate: r.rate(r.covered()).map(number),
        by_coverage: Coverage::ALL
            .iter()
            .zip(r.by_coverage)
            .map(|(c, n)| (c.key().to_string(), n as u64))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_and_rates_fractions() {
        assert_eq!(number(755.0).to_string(), "755");
        assert_eq!(number(0.998).to_string(), "0.998");
        assert_eq!(number(2.0 / 3.0).as_f64(), Some(2.0 / 3.0));
    }
}
