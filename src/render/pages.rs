//! The pages of the site, each rendered by one template of the theme with
//! the global context (site, strings, navigation) and its own variables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::charts::{Chart, ChartId};
use super::format::Formatter;
use super::memo::{Fingerprint, Keyed, Memo};
use super::search::{self, SearchDoc};
use super::{paginate, views, write_up};
use crate::derive::{Coverage, Report};
use crate::diagnostics::{Diagnostic, Span};
use crate::layout::Listed;
use crate::model::Site;
use crate::present::{Presented, Tables};

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    language: &'a str,
    year: i32,
    as_of: String,
    description: Option<&'a str>,
    notice: Option<&'a str>,
}

/// What a year's site links to beyond itself.
pub struct Links<'a> {
    /// Snapshots for the archive page (none inside a snapshot).
    pub archives: &'a [Listed],
    /// Every year's site, seen from this one's root.
    pub years: Vec<YearLink>,
    /// This year's own write-up (`Site::write_up`): each year's site tells
    /// its own year's story, its figures that year's.
    pub write_up: &'a [crate::model::Page],
}

/// A year of the registers and where its site is, for the year switcher.
#[derive(Serialize)]
pub struct YearLink {
    pub year: i32,
    pub path: String,
    pub current: bool,
}

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    title: String,
    path: &'static str,
}

#[derive(Serialize)]
pub struct PageLink {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub path: String,
}

#[derive(Serialize)]
struct ChartView<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    columns: &'a [String],
    rows: Vec<Vec<String>>,
    svg: &'a str,
    svg_narrow: &'a str,
    embed: String,
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
    ("charts", "nav_charts", "charts.html"),
    ("years", "nav_years", "years.html"),
    ("briefing", "nav_briefing", "briefing.html"),
    ("data-quality", "nav_data_quality", "data-quality.html"),
];

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub report: &'a Report<'a>,
    pub f: &'a Formatter,
    tera: Tera,
    pub charts: &'a [Chart],
    pub tables: &'a Tables,
    origins: BTreeMap<String, PathBuf>,
    pub out: Vec<Diagnostic>,
    /// Snapshots listed on the archive page; none: no page, no link.
    archives: &'a [Listed],
    /// Every year's site, seen from this one's root.
    years: Vec<YearLink>,
    /// What the search index holds, gathered as pages are made.
    docs: Vec<SearchDoc>,
    write_up: &'a [crate::model::Page],
    /// Where register pages go as they are made, instead of into `files`.
    stream: Option<Streaming<'a>>,
    /// Pages handed to the stream.
    streamed: AtomicUsize,
    /// Pages rendered by earlier builds, and this year's folder in the output.
    memo: Option<(&'a Memo, String)>,
    /// What every page's bytes depend on besides its own variables: the
    /// templates and the global context.
    global: Fingerprint,
    /// What register views are made of: the parses of the registers the
    /// records, their coverage and the branches' subtrees come from (with
    /// a memo only).
    data: u64,
}

/// A stream and the folder of this year's site within the output.
struct Streaming<'a> {
    sink: &'a dyn super::Stream,
    prefix: String,
}

use crate::layout::{Bytes, Files};

/// A register's pages: the `current` key (also the title's key), the
/// folder of its list pages, and the template and context key of its list
/// and (for the full list, not a filtered one) of a row's page.
pub(super) struct Register<'f> {
    pub key: &'static str,
    pub folder: &'f str,
    pub list: (&'static str, &'static str),
    pub item: Option<(&'static str, &'static str)>,
}

/// A row of a register list that has a page of its own.
pub(super) trait RowView: Serialize + std::hash::Hash + Send + Sync {
    fn path(&self) -> &str;
    fn name(&self) -> &str;
}

impl<T: RowView> RowView for &T {
    fn path(&self) -> &str {
        (**self).path()
    }
    fn name(&self) -> &str {
        (**self).name()
    }
}

/// A row's view with the fingerprint of its values, made once a build and
/// shared by every list that shows the row (`serve`: an organization is in
/// the full list and in the lists of its township, its coverage, …).
#[derive(Serialize)]
#[serde(transparent)]
pub(super) struct Printed<V> {
    #[serde(skip)]
    print: u64,
    view: V,
}

impl<V: std::hash::Hash> Printed<V> {
    pub fn new(view: V) -> Self {
        use std::hash::Hasher;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        view.hash(&mut h);
        Printed {
            print: h.finish(),
            view,
        }
    }
}

impl<V> std::hash::Hash for Printed<V> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

impl<V: RowView> RowView for Printed<V> {
    fn path(&self) -> &str {
        self.view.path()
    }
    fn name(&self) -> &str {
        self.view.name()
    }
}

impl RowView for views::OrgView {
    fn path(&self) -> &str {
        &self.path
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl RowView for views::BranchView {
    fn path(&self) -> &str {
        &self.path
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        presented: &'a Presented<'a>,
        tera: Tera,
        origins: BTreeMap<String, PathBuf>,
        links: Links<'a>,
    ) -> Self {
        let Links {
            archives,
            years,
            write_up,
        } = links;
        let mut r = Renderer {
            site,
            report: presented.report,
            f: &presented.f,
            tera,
            charts: &presented.charts,
            tables: &presented.tables,
            origins,
            out: Vec::new(),
            archives,
            years,
            docs: Vec::new(),
            write_up,
            stream: None,
            streamed: AtomicUsize::new(0),
            memo: None,
            global: Fingerprint::default(),
            data: 0,
        };
        r.fill_global_context();
        r
    }

    /// Sends the register pages to `sink` as they are rendered, at
    /// `prefix` (this year's folder in the output) + their path.
    pub fn stream_to(&mut self, sink: &'a dyn super::Stream, prefix: &str) {
        self.stream = Some(Streaming {
            sink,
            prefix: prefix.to_string(),
        });
    }

    /// Whether register pages are kept between builds (`memo_to`).
    pub(super) fn memo_on(&self) -> bool {
        self.memo.is_some()
    }

    /// Takes register pages from `memo` when their inputs are those of an
    /// earlier build; `prefix` is this year's folder in the output,
    /// `templates` the fingerprint of the theme's templates and `registers`
    /// that of the parses the registers were resolved from.
    pub fn memo_to(&mut self, memo: &'a Memo, prefix: &str, templates: u64, registers: u64) {
        self.global.add("templates", &templates);
        self.memo = Some((memo, prefix.to_string()));
        self.data = registers;
    }

    /// Variables every template receives (README.md lists them).
    fn fill_global_context(&mut self) {
        let c = &self.site.config;
        let mut g = Keyed::default();
        g.insert(
            "site",
            &SiteView {
                title: &c.title,
                language: c.language.as_str(),
                year: self.report.data.year,
                as_of: self.f.date(self.report.data.as_of),
                description: c.description.as_deref(),
                notice: c.notice.as_deref(),
            },
        );
        g.insert("t", self.f.strings());
        // Keys, ids and shortcodes are for the author: `serve` shows them,
        // a published site keeps them out of its text.
        g.insert("preview", &c.preview);
        let mut nav: Vec<NavItem> = NAV
            .iter()
            .map(|(key, label, path)| NavItem {
                key,
                title: self.f.t(label),
                path,
            })
            .collect();
        if !self.archives.is_empty() {
            nav.push(NavItem {
                key: "archives",
                title: self.f.t("nav_archives"),
                path: "archives.html",
            });
        }
        g.insert("nav", &nav);
        g.insert("years", &self.years);
        let pages: Vec<PageLink> = self
            .write_up
            .iter()
            .map(|p| page_link(&p.slug, &p.title, &p.summary))
            .collect();
        g.insert("pages", &pages);
        let names: Vec<String> = Coverage::ALL
            .iter()
            .map(|c| self.f.t(&format!("coverage_{}", c.key())))
            .collect();
        g.insert("coverage_names", &names);
        self.global = g.print;
        self.tera.global_context().extend(g.ctx);
    }

    /// Renders `template` into `files` at `path`; `root` leads from the
    /// page back to the site root, so every link stays relative.
    fn page(
        &mut self,
        files: &mut Files,
        path: String,
        template: &str,
        current: &str,
        title: &str,
        ctx: Context,
    ) {
        match self.render_one(&path, template, current, title, ctx) {
            Ok(html) => {
                files.insert(PathBuf::from(path), html.into());
            }
            Err(d) => self.out.push(d),
        }
    }

    /// Renders `template` for the page at `path`; `root` leads from the
    /// page back to the site root, so every link stays relative. Takes
    /// `&self` so that pages render in parallel.
    fn render_one(
        &self,
        path: &str,
        template: &str,
        current: &str,
        title: &str,
        mut ctx: Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let root = "../".repeat(path.matches('/').count());
        ctx.insert("root", &root);
        ctx.insert("current", current);
        ctx.insert("title", title);
        self.tera
            .render(template, &ctx)
            .map(String::into_bytes)
            .map_err(|e| {
                let origin = self
                    .origins
                    .get(template)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(template));
                Diagnostic::error(
                    Span::file(origin),
                    crate::msg!(
                        "theme.template_failed",
                        template = template,
                        detail = super::template_detail(&e)
                    ),
                )
                .help(crate::msg!("theme.template_failed.help"))
            })
    }

    /// `render_one`, or the page as an earlier build rendered it from the
    /// same inputs: `print` is the fingerprint of what `ctx` gives.
    fn render_memo(
        &self,
        path: &str,
        template: &str,
        current: &str,
        title: &str,
        print: &Fingerprint,
        ctx: impl FnOnce() -> Context,
    ) -> Result<Bytes, Diagnostic> {
        let Some((memo, prefix)) = &self.memo else {
            return self
                .render_one(path, template, current, title, ctx())
                .map(Bytes::new);
        };
        let mut key = self.global.clone();
        for part in [path, template, current, title] {
            key.text(part);
        }
        key.add("page", &print.finish());
        memo.page(&format!("{prefix}{path}"), key.finish(), || {
            self.render_one(path, template, current, title, ctx())
        })
    }

    /// Keeps the pages that rendered and the diagnostics of those that did not.
    pub(super) fn collect(
        &mut self,
        files: &mut Files,
        results: Vec<(String, Result<Bytes, Diagnostic>)>,
    ) {
        for (path, r) in results {
            match r {
                Ok(html) => {
                    files.insert(PathBuf::from(path), html);
                }
                Err(d) => self.out.push(d),
            }
        }
    }

    /// A chart as `chart.html` renders it, for a page `root` away from the root.
    pub fn chart_html(&mut self, id: ChartId, root: &str) -> Option<String> {
        let chart = self.charts.iter().find(|c| c.id == id)?;
        let mut ctx = Context::new();
        ctx.insert("root", root);
        ctx.insert("chart", &chart_view(chart, self.f));
        match self.tera.render("chart.html", &ctx) {
            Ok(s) => Some(s),
            Err(e) => {
                let origin = self.origins.get("chart.html").cloned().unwrap_or_default();
                self.out.push(Diagnostic::error(
                    Span::file(origin),
                    crate::msg!(
                        "theme.template_failed",
                        template = "chart.html",
                        detail = super::template_detail(&e)
                    ),
                ));
                None
            }
        }
    }

    pub fn render_pages(&mut self, files: &mut Files) -> usize {
        let home = self.home_context();
        let title = self.site.config.title.clone();
        self.page(
            files,
            "index.html".into(),
            "index.html",
            "home",
            &title,
            home,
        );
        self.write_up(files);
        self.registers(files);
        self.breakdowns(files);
        let briefing = self.home_context();
        let t = self.f.t("briefing_title");
        self.page(
            files,
            "briefing.html".into(),
            "briefing.html",
            "briefing",
            &t,
            briefing,
        );
        let ctx = self.years_context();
        let t = self.f.t("years_title");
        self.page(files, "years.html".into(), "years.html", "years", &t, ctx);
        let ctx = self.gallery_context();
        let t = self.f.t("charts_title");
        self.page(
            files,
            "charts.html".into(),
            "charts.html",
            "charts",
            &t,
            ctx,
        );
        let ctx = self.data_quality_context();
        let t = self.f.t("dq_title");
        self.page(
            files,
            "data-quality.html".into(),
            "data_quality.html",
            "data-quality",
            &t,
            ctx,
        );
        if !self.archives.is_empty() {
            let ctx = super::archives::context(self.archives, self.f);
            let t = self.f.t("archives_title");
            self.page(
                files,
                "archives.html".into(),
                "archives.html",
                "archives",
                &t,
                ctx,
            );
        }
        let t = self.f.t("search_title");
        self.page(
            files,
            "search.html".into(),
            "search.html",
            "search",
            &t,
            Context::new(),
        );
        let pages = search::json(&std::mem::take(&mut self.docs));
        let registers = self.register_docs();
        self.index_breakdowns_and_charts();
        let rest = search::json(&std::mem::take(&mut self.docs));
        files.insert(
            PathBuf::from("search-index.js"),
            Bytes::new(
                search::index_js_of(&[pages.as_str(), registers.as_str(), rest.as_str()])
                    .into_bytes(),
            ),
        );
        files
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count()
            + self.streamed.load(Ordering::Relaxed)
    }

    /// The register pages' documents of the search index as a JSON array;
    /// a long-running process (`serve`) takes them from its memo while the
    /// registers and the site's strings are those of an earlier build.
    fn register_docs(&mut self) -> std::sync::Arc<String> {
        let Some((memo, prefix)) = &self.memo else {
            self.index_register_pages();
            return std::sync::Arc::new(search::json(&std::mem::take(&mut self.docs)));
        };
        let mut key = self.global.clone();
        key.add("data", &self.data);
        let (memo, prefix, key) = (*memo, prefix.clone(), key.finish());
        memo.search_part(&prefix, key, || {
            self.index_register_pages();
            search::json(&std::mem::take(&mut self.docs))
        })
    }

    /// The pages made from the registers, for the search index: found by
    /// name, id, township, industry and covering organization.
    fn index_register_pages(&mut self) {
        let report = self.report;
        for (i, o) in report.data.organizations.iter().enumerate() {
            let branch = o
                .branch
                .map(|b| report.data.branches[b].name.as_str())
                .unwrap_or("");
            let text = [
                &self.f.t(o.kind.label_key()),
                o.township.as_deref().unwrap_or(""),
                o.industry.as_deref().unwrap_or(""),
                branch,
                &views::coverage_label(self.f, report.coverage[i]),
            ]
            .join(" ");
            self.docs
                .push(SearchDoc::new(&o.name, &views::org_path(o), &text).with_id(&o.id));
        }
        for b in &report.data.branches {
            let parent = b
                .parent
                .map(|p| report.data.branches[p].name.as_str())
                .unwrap_or("");
            let text = format!("{} {}", self.f.t(b.level.label_key()), parent);
            self.docs
                .push(SearchDoc::new(&b.name, &views::branch_path(b), &text).with_id(&b.id));
        }
    }

    /// The breakdown pages and the charts, for the search index.
    fn index_breakdowns_and_charts(&mut self) {
        let report = self.report;
        for (key, rows) in [
            ("townships", &report.by_township),
            ("industries", &report.by_industry),
        ] {
            let names: Vec<&str> = rows.iter().filter_map(|r| r.name.as_deref()).collect();
            self.docs.push(SearchDoc::new(
                &self.f.t(&format!("{key}_title")),
                &format!("{key}.html"),
                &names.join(" "),
            ));
        }
        for c in self.charts {
            self.docs.push(SearchDoc::new(
                &c.title,
                &format!("charts.html#chart-{}", c.id),
                &c.description,
            ));
        }
    }

    fn write_up(&mut self, files: &mut Files) {
        for page in self.write_up {
            let mut out = Vec::new();
            let content = write_up::render_page(self, page, &mut out);
            self.out.extend(out);
            let url = format!("pages/{}.html", page.slug);
            let text = format!(
                "{} {}",
                page.summary.as_deref().unwrap_or(""),
                search::plain_text(&content)
            );
            self.docs.push(SearchDoc::new(&page.title, &url, &text));
            let mut view = BTreeMap::new();
            view.insert("title", page.title.clone());
            view.insert("summary", page.summary.clone().unwrap_or_default());
            view.insert("content", content);
            let mut ctx = Context::new();
            ctx.insert("page", &view);
            let current = format!("page-{}", page.slug);
            self.page(
                files,
                format!("pages/{}.html", page.slug),
                "page.html",
                &current,
                &page.title,
                ctx,
            );
        }
    }

    /// One page per organization and per branch: the bulk of a large site,
    /// rendered in parallel (and handed to the stream, when there is one,
    /// as soon as each is made). The lists of both registers come in pages
    /// of `paginate::PAGE_SIZE` rows.
    fn registers(&mut self, files: &mut Files) {
        let report = self.report;
        self.organization_lists(files);
        let order = views::tree_order(report);
        let mut extra = Keyed::default();
        extra.insert("levels", &views::levels(report, self.f));
        let branches = Register {
            key: "branches",
            folder: "branches",
            list: ("branches.html", "tree"),
            item: Some(("branch.html", "branch")),
        };
        self.register(files, branches, order.len(), extra, |f, i| {
            views::branch(report, f, order[i])
        });
    }

    /// A register's list in pages of `paginate::PAGE_SIZE` rows, each page
    /// followed by its rows' own pages (rendered in parallel with it). Only
    /// one page's worth of views is alive at a time.
    pub(super) fn register<V: RowView>(
        &mut self,
        files: &mut Files,
        reg: Register,
        count: usize,
        extra: Keyed,
        view: impl Fn(&Formatter, usize) -> V + Sync,
    ) {
        let (list_template, list_key) = reg.list;
        let title = self.f.t(&format!("{}_title", reg.key));
        let group = self.memo.as_ref().map(|(memo, prefix)| {
            let mut print = self.global.clone();
            print.add("data", &self.data);
            print.add(
                "register",
                &(reg.key, reg.folder, reg.list, reg.item, count),
            );
            print.add("extra", &extra.print.finish());
            (*memo, format!("{prefix}{}", reg.folder), print.finish())
        });
        if let Some((memo, name, print)) = &group {
            if let Some(pages) = memo.group(name, *print) {
                let prefix = self.memo.as_ref().map_or(0, |(_, p)| p.len());
                // Comparing paths is slow: a large register comes in order
                // (`Memo::put_group`) and is merged in (linear), a small one
                // inserted.
                let mut kept: Files = match &self.stream {
                    None => pages
                        .into_iter()
                        .map(|(path, bytes)| (PathBuf::from(&path[prefix..]), bytes))
                        .collect(),
                    Some(_) => pages
                        .into_iter()
                        .filter_map(
                            |(path, bytes)| match self.emit(&path[prefix..], Ok(bytes)) {
                                Some((path, Ok(bytes))) => Some((PathBuf::from(path), bytes)),
                                _ => None,
                            },
                        )
                        .collect(),
                };
                if kept.len() > files.len() {
                    files.append(&mut kept);
                } else {
                    files.extend(kept);
                }
                return;
            }
        }
        let mut made = Vec::new();
        for (rows, pagination) in paginate::pages(reg.folder, count) {
            let views: Vec<V> = rows.into_par_iter().map(|i| view(self.f, i)).collect();
            let path = paginate::path(reg.folder, pagination.page);
            let this = &*self;
            // Fingerprints are taken only with a memo, and a context is
            // made only for a page that is rendered.
            let memo = self.memo.is_some();
            let list = || {
                let mut print = Fingerprint::default();
                if memo {
                    print = extra.print.clone();
                    print.hash(list_key, &views);
                    print.add("pagination", &pagination);
                }
                let ctx = || {
                    let mut ctx = extra.context();
                    ctx.insert(list_key, &views);
                    ctx.insert("pagination", &pagination);
                    ctx
                };
                let page = this.render_memo(&path, list_template, reg.key, &title, &print, ctx);
                this.emit(&path, page)
            };
            let pages = || -> Vec<_> {
                let Some((item_template, item_key)) = reg.item else {
                    return Vec::new();
                };
                views
                    .par_iter()
                    .filter_map(|v| {
                        let mut print = Fingerprint::default();
                        if memo {
                            print.hash(item_key, v);
                        }
                        let ctx = || {
                            let mut ctx = Context::new();
                            ctx.insert(item_key, v);
                            ctx
                        };
                        let page = this.render_memo(
                            v.path(),
                            item_template,
                            reg.key,
                            v.name(),
                            &print,
                            ctx,
                        );
                        this.emit(v.path(), page)
                    })
                    .collect()
            };
            if let Some((_, prefix)) = &self.memo {
                made.push(format!("{prefix}{path}"));
                if reg.item.is_some() {
                    made.extend(views.iter().map(|v| format!("{prefix}{}", v.path())));
                }
            }
            let (list, mut results) = rayon::join(list, pages);
            results.extend(list);
            self.collect(files, results);
        }
        if let Some((memo, name, print)) = group {
            memo.put_group(&name, print, made);
        }
    }

    /// Hands a rendered page to the stream, or gives it back to be kept.
    pub(super) fn emit(
        &self,
        path: &str,
        page: Result<Bytes, Diagnostic>,
    ) -> Option<(String, Result<Bytes, Diagnostic>)> {
        match (&self.stream, page) {
            (Some(stream), Ok(html)) => {
                // Pages are streamed by `build`, which keeps no memo: the
                // bytes are this page's alone and are not copied.
                stream.sink.put(
                    Path::new(&format!("{}{path}", stream.prefix)),
                    std::sync::Arc::unwrap_or_clone(html),
                );
                self.streamed.fetch_add(1, Ordering::Relaxed);
                None
            }
            (_, page) => Some((path.to_string(), page)),
        }
    }

    fn breakdowns(&mut self, files: &mut Files) {
        let report = self.report;
        for (key, rows, chart) in [
            (
                "townships",
                &report.by_township,
                ChartId::CoverageByTownship,
            ),
            (
                "industries",
                &report.by_industry,
                ChartId::CoverageByIndustry,
            ),
        ] {
            let unspecified = self.f.t("unspecified");
            let rows_in = rows;
            let rows = views::rows(self.f, rows, |n| {
                n.clone().unwrap_or_else(|| unspecified.clone())
            });
            let mut ctx = Context::new();
            ctx.insert("rows", &rows);
            ctx.insert("total", &views::total(self.f, rows_in));
            ctx.insert("intro", &self.f.t(&format!("{key}_intro")));
            ctx.insert("chart", &self.chart_html(chart, "").unwrap_or_default());
            let t = self.f.t(&format!("{key}_title"));
            self.page(files, format!("{key}.html"), "breakdown.html", key, &t, ctx);
        }
    }

    fn gallery_context(&mut self) -> Context {
        let mut items = Vec::new();
        for &id in ChartId::ALL {
            if let Some(html) = self.chart_html(id, "") {
                let title = self
                    .charts
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                items.push(BTreeMap::from([
                    ("id", id.to_string()),
                    ("title", title),
                    ("html", html),
                    ("embed", embed(id)),
                ]));
            }
        }
        let mut ctx = Context::new();
        ctx.insert("charts", &items);
        ctx
    }
}

pub fn page_link(slug: &str, title: &str, summary: &Option<String>) -> PageLink {
    PageLink {
        slug: slug.to_string(),
        title: title.to_string(),
        summary: summary.clone(),
        path: format!("pages/{slug}.html"),
    }
}

fn embed(id: ChartId) -> String {
    format!("{{{{ chart(id=\"{id}\") }}}}")
}

fn chart_view<'c>(chart: &'c Chart, f: &Formatter) -> ChartView<'c> {
    ChartView {
        id: chart.id.as_str(),
        title: &chart.title,
        description: &chart.description,
        columns: &chart.columns,
        rows: chart.table(f),
        svg: &chart.svg,
        svg_narrow: &chart.svg_narrow,
        embed: embed(chart.id),
    }
}
