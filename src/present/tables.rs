//! The key tables the site's pages and the briefing both show, formatted
//! once: the reconciliation of declared against derived figures, the
//! declared indicators, the records outside the base, and how many
//! declared figures do not match.

use serde::Serialize;

use super::format::Formatter;
use crate::derive::Report;

#[derive(Serialize)]
pub struct Count {
    pub label: String,
    pub count: String,
}

#[derive(Serialize)]
pub struct ReconciledRow {
    pub key: String,
    pub label: String,
    pub declared: String,
    pub derived: String,
    pub matches: bool,
}

#[derive(Serialize)]
pub struct IndicatorRow {
    pub key: String,
    pub label: String,
    pub value: String,
}

pub struct Tables {
    pub reconciliation: Vec<ReconciledRow>,
    /// Declared figures the registers cannot give.
    pub indicators: Vec<IndicatorRow>,
    /// Organizations outside the base, by status.
    pub excluded: Vec<Count>,
    /// Declared figures that differ from the derived ones.
    pub mismatches: usize,
}

impl Tables {
    pub fn new(report: &Report, f: &Formatter) -> Tables {
        let reconciliation = report
            .reconciliation
            .iter()
            .map(|r| ReconciledRow {
                key: r.key.to_string(),
                label: f.key_label(r.key),
                declared: f.figure(r.key, Some(r.declared)),
                derived: f.figure(r.key, r.derived),
                matches: r.matches,
            })
            .collect();
        let indicators = report
            .data
            .metrics
            .iter()
            .filter(|m| m.derivable.is_none())
            .map(|m| IndicatorRow {
                key: m.key.clone(),
                label: m.label.clone().unwrap_or_else(|| m.key.clone()),
                value: f.declared(m),
            })
            .collect();
        let excluded = report
            .excluded()
            .into_iter()
            .map(|(s, n)| Count {
                label: f.t(s.label_key()),
                count: f.count(n as f64),
            })
            .collect();
        let mismatches = report.reconciliation.iter().filter(|r| !r.matches).count();
        Tables {
            reconciliation,
            indicators,
            excluded,
            mismatches,
        }
    }
}
