//! Stage 4, render: the report → in-memory files (HTML pages, chart SVGs,
//! theme assets). Nothing here touches the output folder, so `check`,
//! `build` and tests share it.

pub mod charts;
pub mod format;
mod markdown;
mod shortcodes;
pub mod theme;
mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::derive::{Coverage, Report};
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::{FigureKey, Kind, Measure, Scope, Site};
use format::Formatter;

pub struct Rendered {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub pages: usize,
    pub charts: usize,
}

/// Escapes text for HTML and XML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    language: &'a str,
    year: i32,
    as_of: String,
    description: Option<&'a str>,
    notice: Option<&'a str>,
}

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    title: String,
    path: &'static str,
}

#[derive(Serialize)]
struct PageLink {
    slug: String,
    title: String,
    summary: Option<String>,
    path: String,
}

#[derive(Serialize)]
struct KindCard {
    kind: &'static str,
    label: String,
    figures: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Count {
    label: String,
    count: String,
}

struct Renderer<'a> {
    site: &'a Site,
    report: &'a Report<'a>,
    f: Formatter,
    tera: Tera,
    charts: Vec<charts::Chart>,
    origins: BTreeMap<String, PathBuf>,
    out: Vec<Diagnostic>,
}

/// Reports shortcode problems of every page when the registers could not be
/// resolved, so that one run still lists every problem.
pub fn check_pages(raw: &crate::load::RawSite, diags: &mut Diagnostics) {
    let mut out = Vec::new();
    for page in &raw.pages {
        shortcodes::check_page(page, &mut out);
    }
    diags_extend(diags, out);
}

pub fn render(
    site: &Site,
    report: &Report,
    content_dir: &Path,
    extra_static: &[(PathBuf, Vec<u8>)],
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let mut out = Vec::new();
    let theme = theme::load(content_dir, &site.config, &mut out);
    let f = Formatter::new(site.config.language, theme.strings.clone());
    let mut tera = Tera::new();
    if let Err(e) = tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    ) {
        out.push(
            Diagnostic::error(
                Span::file(themes_origin(&theme, &e.to_string())),
                format!("template error: {e}"),
            )
            .help("fix the template syntax of the theme"),
        );
        diags_extend(diags, out);
        return None;
    }
    let charts = charts::all(report, &f);
    let mut r = Renderer {
        site,
        report,
        f,
        tera,
        charts,
        origins: theme.origins.clone(),
        out,
    };
    r.fill_global_context();
    let mut files = BTreeMap::new();
    let pages = r.render_pages(&mut files);
    for c in &r.charts {
        files.insert(
            PathBuf::from(format!("charts/{}.svg", c.id)),
            standalone_svg(&c.svg).into_bytes(),
        );
    }
    for (p, b) in theme.static_files.iter() {
        files.insert(Path::new("static").join(p), b.clone());
    }
    for (p, b) in extra_static {
        files.insert(Path::new("static").join(p), b.clone());
    }
    let charts = r.charts.len();
    let failed = r
        .out
        .iter()
        .any(|d| d.severity == crate::diagnostics::Severity::Error);
    diags_extend(diags, std::mem::take(&mut r.out));
    (!failed).then_some(Rendered {
        files,
        pages,
        charts,
    })
}

fn diags_extend(diags: &mut Diagnostics, out: Vec<Diagnostic>) {
    for d in out {
        diags.push(d);
    }
}

fn themes_origin(theme: &theme::Theme, message: &str) -> PathBuf {
    theme
        .origins
        .iter()
        .find(|(name, _)| message.contains(name.as_str()))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| PathBuf::from("themes"))
}

/// A standalone SVG file keeps its XML declaration and its case-sensitive
/// attributes (`viewBox`): it is never passed through the HTML minifier.
fn standalone_svg(svg: &str) -> String {
    if svg.starts_with("<?xml") {
        svg.to_string()
    } else {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}")
    }
}

const NAV: &[(&str, &str, &str)] = &[
    ("home", "nav_home", "index.html"),
    (
        "organizations",
        "nav_organizations",
        "organizations/index.html",
    ),
    ("branches", "nav_branches", "branches/index.html"),
    ("townships", "nav_townships", "townships.html"),
    ("industries", "nav_industries", "industries.html"),
    ("data-quality", "nav_data_quality", "data-quality.html"),
];

impl Renderer<'_> {
    fn fill_global_context(&mut self) {
        let c = &self.site.config;
        let data = self.report.data;
        let g = self.tera.global_context();
        g.insert(
            "site",
            &SiteView {
                title: &c.title,
                language: c.language.as_str(),
                year: c.year,
                as_of: data.as_of.to_string(),
                description: c.description.as_deref(),
                notice: c.notice.as_deref(),
            },
        );
        g.insert("t", self.f.strings());
        let nav: Vec<NavItem> = NAV
            .iter()
            .map(|(key, label, path)| NavItem {
                key,
                title: self.f.t(label),
                path,
            })
            .collect();
        g.insert("nav", &nav);
        let pages: Vec<PageLink> = self
            .site
            .pages
            .iter()
            .map(|p| PageLink {
                slug: p.slug.clone(),
                title: p.title.clone(),
                summary: p.summary.clone(),
                path: format!("pages/{}.html", p.slug),
            })
            .collect();
        g.insert("pages", &pages);
        let names: Vec<String> = Coverage::ALL
            .iter()
            .map(|c| self.f.t(&format!("coverage_{}", c.key())))
            .collect();
        g.insert("coverage_names", &names);
    }

    fn page(
        &mut self,
        template: &str,
        root: &str,
        current: &str,
        title: &str,
        extra: Context,
    ) -> Option<Vec<u8>> {
        let mut ctx = extra;
        ctx.insert("root", root);
        ctx.insert("current", current);
        ctx.insert("title", title);
        match self.tera.render(template, &ctx) {
            Ok(html) => Some(html.into_bytes()),
            Err(e) => {
                let origin = self
                    .origins
                    .get(template)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(template));
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg.push_str(&format!(": {s}"));
                    src = s.source();
                }
                self.out.push(
                    Diagnostic::error(
                        Span::file(origin),
                        format!("template `{template}` failed: {msg}"),
                    )
                    .help("check the variable names against the template variables in README.md"),
                );
                None
            }
        }
    }

    pub fn chart_html(&mut self, id: &str, root: &str) -> Option<String> {
        let chart = self.charts.iter().find(|c| c.id == id)?;
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("chart", &serde_json_like(chart));
        match self.tera.render("chart.html", &ctx) {
            Ok(s) => Some(s),
            Err(e) => {
                self.out.push(Diagnostic::error(
                    Span::file(self.origins.get("chart.html").cloned().unwrap_or_default()),
                    format!("template `chart.html` failed: {e}"),
                ));
                None
            }
        }
    }

    fn render_pages(&mut self, files: &mut BTreeMap<PathBuf, Vec<u8>>) -> usize {
        let put = |files: &mut BTreeMap<PathBuf, Vec<u8>>, path: String, bytes: Option<Vec<u8>>| {
            if let Some(b) = bytes {
                files.insert(PathBuf::from(path), b);
            }
        };
        let home = self.home_context();
        let title = self.site.config.title.clone();
        let b = self.page("index.html", "", "home", &title, home);
        put(files, "index.html".into(), b);

        for p in 0..self.site.pages.len() {
            let page = &self.site.pages[p];
            let mut out = Vec::new();
            let content = shortcodes::render_page(self, page, &mut out);
            self.out.extend(out);
            let mut ctx = Context::new();
            ctx.insert(
                "page",
                &PageLink {
                    slug: page.slug.clone(),
                    title: page.title.clone(),
                    summary: page.summary.clone(),
                    path: format!("pages/{}.html", page.slug),
                },
            );
            ctx.insert("content", &content);
            let mut view = BTreeMap::new();
            view.insert("title", page.title.clone());
            view.insert("summary", page.summary.clone().unwrap_or_default());
            view.insert("content", content);
            ctx.insert("page", &view);
            let (slug, title) = (page.slug.clone(), page.title.clone());
            let b = self.page("page.html", "../", &format!("page-{slug}"), &title, ctx);
            put(files, format!("pages/{slug}.html"), b);
        }

        let report = self.report;
        let orgs: Vec<views::OrgView> = (0..report.data.organizations.len())
            .map(|i| views::org(report, &self.f, i))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("organizations", &orgs);
        let t = self.f.t("organizations_title");
        let b = self.page("organizations.html", "../", "organizations", &t, ctx);
        put(files, "organizations/index.html".into(), b);
        for (i, o) in orgs.into_iter().enumerate() {
            let mut ctx = Context::new();
            let name = o.name.clone();
            ctx.insert("org", &o);
            let b = self.page("organization.html", "../", "organizations", &name, ctx);
            put(files, views::org_path(&report.data.organizations[i]), b);
        }

        let order = views::tree_order(report);
        let tree: Vec<views::BranchView> = order
            .iter()
            .map(|&i| views::branch(report, &self.f, i))
            .collect();
        let levels: Vec<BTreeMap<&str, String>> = report
            .by_level
            .iter()
            .map(|l| {
                BTreeMap::from([
                    ("label", self.f.t(&format!("level_{}", l.level.as_str()))),
                    ("total", self.f.count(l.total as f64)),
                    ("single", self.f.count(l.single as f64)),
                    ("joint", self.f.count(l.joint as f64)),
                ])
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("tree", &tree);
        ctx.insert("levels", &levels);
        let t = self.f.t("branches_title");
        let b = self.page("branches.html", "../", "branches", &t, ctx);
        put(files, "branches/index.html".into(), b);
        for (view, &i) in tree.iter().zip(&order) {
            let mut ctx = Context::new();
            ctx.insert("branch", view);
            let b = self.page("branch.html", "../", "branches", &view.name, ctx);
            put(files, views::branch_path(&report.data.branches[i]), b);
        }

        for (key, rows, chart) in [
            ("townships", &report.by_township, "coverage-by-township"),
            ("industries", &report.by_industry, "coverage-by-industry"),
        ] {
            let unspecified = self.f.t("unspecified");
            let rows = views::rows(&self.f, rows, |n| {
                n.clone().unwrap_or_else(|| unspecified.clone())
            });
            let mut ctx = Context::new();
            ctx.insert("rows", &rows);
            ctx.insert("intro", &self.f.t(&format!("{key}_intro")));
            ctx.insert("chart", &self.chart_html(chart, "").unwrap_or_default());
            let t = self.f.t(&format!("{key}_title"));
            let b = self.page("breakdown.html", "", key, &t, ctx);
            put(files, format!("{key}.html"), b);
        }

        let ctx = self.data_quality_context();
        let t = self.f.t("dq_title");
        let b = self.page("data_quality.html", "", "data-quality", &t, ctx);
        put(files, "data-quality.html".into(), b);
        files
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count()
    }

    fn kind_figures(&self, scope: Scope) -> BTreeMap<&'static str, String> {
        Measure::ALL
            .iter()
            .map(|&m| {
                let key = FigureKey { scope, measure: m };
                (m.as_str(), self.f.figure(key, self.report.figures[&key]))
            })
            .collect()
    }

    fn home_context(&mut self) -> Context {
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
        for id in charts::CHART_IDS {
            if let Some(h) = self.chart_html(id, "") {
                charts.insert(id.replace('-', "_"), h);
            }
        }
        ctx.insert("charts", &charts);
        ctx.insert("excluded", &self.excluded());
        ctx.insert(
            "mismatches",
            &self
                .report
                .reconciliation
                .iter()
                .filter(|r| !r.matches)
                .count(),
        );
        ctx
    }

    fn excluded(&self) -> Vec<Count> {
        self.report
            .excluded()
            .into_iter()
            .map(|(s, n)| Count {
                label: self.f.t(&format!("status_{}", s.as_str())),
                count: self.f.count(n as f64),
            })
            .collect()
    }

    fn data_quality_context(&self) -> Context {
        let rows: Vec<BTreeMap<&str, serde_json_value::V>> = self
            .report
            .reconciliation
            .iter()
            .map(|r| {
                BTreeMap::from([
                    ("key", serde_json_value::V::S(r.key.to_string())),
                    ("label", serde_json_value::V::S(self.f.key_label(r.key))),
                    (
                        "declared",
                        serde_json_value::V::S(self.f.figure(r.key, Some(r.declared))),
                    ),
                    (
                        "derived",
                        serde_json_value::V::S(self.f.figure(r.key, r.derived)),
                    ),
                    ("matches", serde_json_value::V::B(r.matches)),
                ])
            })
            .collect();
        let indicators: Vec<BTreeMap<&str, String>> = self
            .report
            .data
            .metrics
            .iter()
            .filter(|m| m.derivable.is_none())
            .map(|m| {
                BTreeMap::from([
                    ("key", m.key.clone()),
                    ("label", m.label.clone().unwrap_or_else(|| m.key.clone())),
                    ("value", self.f.declared(m)),
                ])
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("reconciliation", &rows);
        ctx.insert("indicators", &indicators);
        ctx.insert("excluded", &self.excluded());
        ctx.insert(
            "mismatches",
            &self
                .report
                .reconciliation
                .iter()
                .filter(|r| !r.matches)
                .count(),
        );
        ctx
    }
}

/// A string-or-bool cell for template rows.
mod serde_json_value {
    use serde::Serialize;

    #[derive(Serialize)]
    #[serde(untagged)]
    pub enum V {
        S(String),
        B(bool),
    }
}

#[derive(Serialize)]
struct ChartView<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    columns: &'a [String],
    rows: &'a [Vec<String>],
    svg: &'a str,
}

fn serde_json_like(c: &charts::Chart) -> ChartView<'_> {
    ChartView {
        id: c.id,
        title: &c.title,
        description: &c.description,
        columns: &c.columns,
        rows: &c.rows,
        svg: &c.svg,
    }
}
