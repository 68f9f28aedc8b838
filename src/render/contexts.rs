//! The variables of the home and data-quality pages.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::pages::Renderer;
use super::views;
use crate::model::{FigureKey, Kind, Measure, Scope};
use crate::present::charts::ChartId;

#[derive(Serialize)]
struct KindCard {
    kind: &'static str,
    label: String,
    figures: BTreeMap<&'static str, String>,
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
                    label: self.f.t(kind.label_key()),
                    figures: self.kind_figures(scope),
                });
            }
        }
        ctx.insert("kinds", &kinds);
        ctx.insert("totals", &self.kind_figures(Scope::All));
        let park = views::rows(self.f, &self.report.by_park, |n| {
            self.f.t(&format!("park_{}", n.as_deref().unwrap_or("")))
        });
        ctx.insert("park", &park);
        ctx.insert("park_total", &views::total(self.f, &self.report.by_park));
        let mut charts = BTreeMap::new();
        for &id in ChartId::ALL {
            if let Some(h) = self.chart_html(id, "") {
                charts.insert(id.as_str().replace('-', "_"), h);
            }
        }
        ctx.insert("charts", &charts);
        let home = super::home_chart(self.site);
        ctx.insert("home_chart", &self.chart_html(home, "").unwrap_or_default());
        ctx.insert("excluded", &self.tables.excluded);
        ctx.insert("mismatches", &self.tables.mismatches);
        ctx
    }

    pub fn data_quality_context(&mut self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("reconciliation", &self.tables.reconciliation);
        ctx.insert("indicators", &self.tables.indicators);
        ctx.insert("excluded", &self.tables.excluded);
        ctx.insert("mismatches", &self.tables.mismatches);
        ctx.insert(
            "chart",
            &self
                .chart_html(ChartId::DeclaredVsDerived, "")
                .unwrap_or_default(),
        );
        ctx
    }
}

#[derive(Serialize)]
struct TrendRow {
    key: String,
    label: String,
    values: Vec<String>,
    change: String,
    change_pct: String,
}

#[derive(Serialize)]
struct ChangeItem {
    id: String,
    name: String,
    path: Option<String>,
    detail: Option<String>,
}

#[derive(Serialize)]
struct ChangeGroup {
    title: String,
    items: Vec<ChangeItem>,
}

#[derive(Serialize)]
struct ChangesView {
    from: i32,
    to: i32,
    groups: Vec<ChangeGroup>,
}

#[derive(Serialize)]
struct HistoryView {
    years: Vec<i32>,
    rows: Vec<TrendRow>,
    changes: Option<ChangesView>,
}

impl Renderer<'_> {
    /// The year-over-year page: every figure for every year, the change into
    /// the presented year, and what appeared, disappeared or moved.
    pub fn years_context(&mut self) -> Context {
        let h = &self.report.history;
        let at = h
            .years
            .iter()
            .position(|&y| y == self.report.data.year)
            .unwrap_or(0);
        let rows: Vec<TrendRow> = h
            .trends
            .iter()
            .map(|t| {
                let (change, pct) = t.change(at);
                let signed = |v: f64, s: String| if v > 0.0 { format!("+{s}") } else { s };
                TrendRow {
                    key: t.key.to_string(),
                    label: self.f.key_label(t.key),
                    values: t.values.iter().map(|v| self.f.figure(t.key, *v)).collect(),
                    change: change.map_or_else(
                        || self.f.t("word_none"),
                        |c| {
                            let text = if t.key.measure.is_rate() {
                                self.f.points(c)
                            } else {
                                self.f.count(c)
                            };
                            signed(c, text)
                        },
                    ),
                    // A rate's change is in percentage points alone: a
                    // relative change of a rate ("+196.6%") misleads.
                    change_pct: pct.filter(|_| !t.key.measure.is_rate()).map_or_else(
                        || self.f.t("word_none"),
                        |p| signed(p, self.f.rate(Some(p))),
                    ),
                }
            })
            .collect();
        let org_path = |id: &str| {
            self.report
                .data
                .organizations
                .iter()
                .any(|o| o.id == id)
                .then(|| format!("organizations/{id}.html"))
        };
        let branch_path = |id: &str| {
            self.report
                .data
                .branches
                .iter()
                .any(|b| b.id == id)
                .then(|| format!("branches/{id}.html"))
        };
        let none = self.f.t("word_none");
        let changes = h.changes.as_ref().map(|c| {
            let simple = |items: &[(String, String)],
                          path: &dyn Fn(&str) -> Option<String>|
             -> Vec<ChangeItem> {
                items
                    .iter()
                    .map(|(id, name)| ChangeItem {
                        id: id.clone(),
                        name: name.clone(),
                        path: path(id),
                        detail: None,
                    })
                    .collect()
            };
            let no_path = |_: &str| None;
            // Branches by name: this year's, or the earlier year's for a
            // branch that is gone.
            let branch_name = |id: &Option<String>| -> String {
                let Some(id) = id else {
                    return none.clone();
                };
                self.report
                    .data
                    .branches
                    .iter()
                    .find(|b| &b.id == id)
                    .map(|b| b.name.clone())
                    .or_else(|| {
                        c.branches_disappeared
                            .iter()
                            .find(|(i, _)| i == id)
                            .map(|(_, n)| n.clone())
                    })
                    .unwrap_or_else(|| id.clone())
            };
            let moved = c
                .moved
                .iter()
                .map(|(id, name, from, to)| ChangeItem {
                    id: id.clone(),
                    name: name.clone(),
                    path: org_path(id),
                    detail: Some(format!("{} → {}", branch_name(from), branch_name(to))),
                })
                .collect();
            let group = |key: &str, items| ChangeGroup {
                title: self.f.t(key),
                items,
            };
            ChangesView {
                from: c.from,
                to: c.to,
                groups: vec![
                    group("changes_appeared", simple(&c.appeared, &org_path)),
                    group("changes_disappeared", simple(&c.disappeared, &no_path)),
                    group("changes_moved", moved),
                    group(
                        "changes_branches_appeared",
                        simple(&c.branches_appeared, &branch_path),
                    ),
                    group(
                        "changes_branches_disappeared",
                        simple(&c.branches_disappeared, &no_path),
                    ),
                ],
            }
        });
        let history = HistoryView {
            years: h.years.clone(),
            rows,
            changes,
        };
        let mut ctx = Context::new();
        ctx.insert("history", &history);
        let mut charts = BTreeMap::new();
        for id in [ChartId::TrendCoverage, ChartId::TrendPartyOrgs] {
            if let Some(html) = self.chart_html(id, "") {
                charts.insert(id.as_str().replace('-', "_"), html);
            }
        }
        ctx.insert("charts", &charts);
        ctx
    }
}
