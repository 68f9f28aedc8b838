//! The variables of the home and data-quality pages.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::charts::CHART_IDS;
use super::pages::Renderer;
use super::views;
use crate::model::{FigureKey, Kind, Measure, Scope};

#[derive(Serialize)]
struct KindCard {
    kind: &'static str,
    label: String,
    figures: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
pub struct Count {
    label: String,
    count: String,
}

#[derive(Serialize)]
struct ReconciledRow {
    key: String,
    label: String,
    declared: String,
    derived: String,
    matches: bool,
}

#[derive(Serialize)]
struct IndicatorRow {
    key: String,
    label: String,
    value: String,
}

impl Renderer<'_> {
    fn kind_figures(&self, scope: Scope) -> BTreeMap<&'static str, String> {
        Measure::ALL
            .iter()
            .map(|&m| {
                let key = FigureKey { scope, measure: m };
                (m.as_str(), self.f.figure(key, self.report.figures[&key]))
            })
            .collect()
    }

    fn mismatches(&self) -> usize {
        self.report
            .reconciliation
            .iter()
            .filter(|r| !r.matches)
            .count()
    }

    pub fn home_context(&mut self) -> Context {
        let mut ctx = Context::new();
        let mut kinds = Vec::new();
        for (kind, scope) in [
            (Kind::Enterprise, Scope::Enterprise),
            (Kind::SocialOrg, Scope::SocialOrg),
            (Kind::Individual, Scope::Individual),
        ] {
            let base = self.report.figures[&FigureKey {
                scope,
                measure: Measure::Base,
            }]
                .unwrap_or(0.0);
            if base > 0.0 {
                kinds.push(KindCard {
                    kind: kind.as_str(),
                    label: self.f.t(&format!("kind_{}", kind.as_str())),
                    figures: self.kind_figures(scope),
                });
            }
        }
        ctx.insert("kinds", &kinds);
        ctx.insert("totals", &self.kind_figures(Scope::All));
        let park = views::rows(&self.f, &self.report.by_park, |n| {
            self.f.t(&format!("park_{}", n.as_deref().unwrap_or("")))
        });
        ctx.insert("park", &park);
        let mut charts = BTreeMap::new();
        for id in CHART_IDS {
            if let Some(h) = self.chart_html(id, "") {
                charts.insert(id.replace('-', "_"), h);
            }
        }
        ctx.insert("charts", &charts);
        ctx.insert("excluded", &self.excluded());
        ctx.insert("mismatches", &self.mismatches());
        ctx
    }

    pub fn excluded(&self) -> Vec<Count> {
        self.report
            .excluded()
            .into_iter()
            .map(|(s, n)| Count {
                label: self.f.t(&format!("status_{}", s.as_str())),
                count: self.f.count(n as f64),
            })
            .collect()
    }

    pub fn data_quality_context(&mut self) -> Context {
        let rows: Vec<ReconciledRow> = self
            .report
            .reconciliation
            .iter()
            .map(|r| ReconciledRow {
                key: r.key.to_string(),
                label: self.f.key_label(r.key),
                declared: self.f.figure(r.key, Some(r.declared)),
                derived: self.f.figure(r.key, r.derived),
                matches: r.matches,
            })
            .collect();
        let indicators: Vec<IndicatorRow> = self
            .report
            .data
            .metrics
            .iter()
            .filter(|m| m.derivable.is_none())
            .map(|m| IndicatorRow {
                key: m.key.clone(),
                label: m.label.clone().unwrap_or_else(|| m.key.clone()),
                value: self.f.declared(m),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("reconciliation", &rows);
        ctx.insert("indicators", &indicators);
        ctx.insert("excluded", &self.excluded());
        ctx.insert("mismatches", &self.mismatches());
        ctx.insert(
            "chart",
            &self
                .chart_html("declared-vs-derived", "")
                .unwrap_or_default(),
        );
        ctx
    }
}
