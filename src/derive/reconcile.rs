//! Declared against derived: every derivable key that `metrics.yaml` also
//! declares is compared with what the registers give. A mismatch is a
//! warning and a row of the data-quality page, never a silent choice.

use super::Report;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::FigureKey;

#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    pub key: FigureKey,
    pub declared: f64,
    pub derived: Option<f64>,
    pub matches: bool,
    pub span: Span,
}

/// Rates are declared rounded (0.998 for 99.8%); counts must match exactly.
fn agree(key: FigureKey, declared: f64, derived: Option<f64>) -> bool {
    match derived {
        Some(d) if key.measure.is_rate() => (declared - d).abs() < 0.0005,
        Some(d) => (declared - d).abs() < 1e-9,
        None => false,
    }
}

pub fn reconcile(report: &Report, diags: &mut Diagnostics) -> Vec<Reconciled> {
    let mut rows = Vec::new();
    for m in &report.data.metrics {
        let Some(key) = m.derivable else { continue };
        let derived = report.figures.get(&key).copied().flatten();
        let matches = agree(key, m.value, derived);
        if !matches {
            let derived_text = derived.map_or_else(
                || crate::msg!("reconcile.no_value"),
                |d| {
                    if key.measure.is_rate() {
                        format!("{d:.4}")
                    } else {
                        format!("{d}")
                    }
                },
            );
            diags.push(
                Diagnostic::warning(
                    m.span.clone(),
                    crate::msg!(
                        "reconcile.differs",
                        key = key,
                        declared = m.value,
                        derived = derived_text
                    ),
                )
                .help(crate::msg!("reconcile.differs.help")),
            );
        }
        rows.push(Reconciled {
            key,
            declared: m.value,
            derived,
            matches,
            span: m.span.clone(),
        });
    }
    rows
}
