//! Checking one source file from its text alone, without a content folder:
//! the fuzz targets (`fuzz/`) and the resource-limit tests use it. The
//! other files of the site are small valid companions, so the text is
//! parsed, resolved and (when valid) derived as in a build, through the
//! same functions, with nothing read from or written to the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;
use crate::load::{self, yaml, RawSite, RawYear, YamlFile};

/// Which source file a text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Site,
    Organizations,
    Branches,
    Metrics,
    /// A Markdown page with front matter and shortcodes.
    Page,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Site,
        Source::Organizations,
        Source::Branches,
        Source::Metrics,
        Source::Page,
    ];

    /// The file the text is checked as, relative to the content folder.
    pub fn path(self) -> &'static str {
        match self {
            Source::Site => "site.yaml",
            Source::Organizations => "data/2016/organizations.yaml",
            Source::Branches => "data/2016/branches.yaml",
            Source::Metrics => "data/2016/metrics.yaml",
            Source::Page => "pages/page.md",
        }
    }

    /// A small valid file of this kind.
    pub fn sample(self) -> &'static str {
        match self {
            Source::Site => SITE,
            Source::Organizations => ORGANIZATIONS,
            Source::Branches => BRANCHES,
            Source::Metrics => METRICS,
            Source::Page => PAGE,
        }
    }
}

const SITE: &str = "title: 示例报告\nyear: 2016\nlanguage: zh-CN\nlabels:\n  nav_home: 首页\n";
const ORGANIZATIONS: &str = "\
organizations:
  - id: ent-1
    name: 示例企业 1
    kind: enterprise
    township: 蟠龙镇
    industry: 电子
    party_members: 3
    branch: br-1
  - id: ent-2
    name: 示例企业 2
    kind: enterprise
    branch: jb-1
    private:
      contact: 某某
  - id: ent-3
    name: 示例企业 3
    kind: enterprise
    in_park: true
    branch: jb-1
  - id: soc-1
    name: 示例社会组织 1
    kind: social_org
    instructor: true
    status: active
";
const BRANCHES: &str = "\
branches:
  - id: gw
    name: 工委
    level: work_committee
  - id: gb
    name: 总支部
    level: general_branch
    parent: gw
    formed: 2016-05-20
  - id: br-1
    name: 支部
    level: branch
    parent: gb
    form: single
  - id: jb-1
    name: 联合支部
    level: branch
    parent: gb
    form: joint
    members: 4
";
const METRICS: &str = "\
as_of: 2016-11-30
metrics:
  - key: enterprise.coverage_rate
    value: 1.0
  - key: enterprise.party_orgs
    value: 2
  - key: instructors.part_time
    label: 党建指导员
    value: 2
    unit: 名
";
const PAGE: &str = "\
---
title: 工作概况
weight: 1
summary: 概况。
---

## 一、覆盖

企业{{ figure(key=\"enterprise.base\") }}家，覆盖率{{ figure(key=\"enterprise.coverage_rate\", source=\"declared\") }}。

{{ chart(id=\"coverage-by-kind\") }}
";

/// Checks `text` as the file `source` of a site whose other files are the
/// samples: every diagnostic a `check` would print for it, rendered once
/// (so the printer runs too).
pub fn check(source: Source, text: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let raw = raw_site(source, text, &mut diags);
    if let Some(site) = crate::resolve::resolve(&raw, None, &mut diags) {
        crate::derive::derive(site.current(), &mut diags);
    }
    // A build expands the shortcodes while rendering; here they are checked
    // whether or not the registers resolved.
    crate::present::check_pages(&raw, &mut diags);
    let _ = diags.render();
    diags
}

/// The SVG of every chart of the site that `check` checks, when its
/// registers resolve without errors (none otherwise): declared and derived
/// figures on the charts' axes.
pub fn charts(source: Source, text: &str) -> Vec<String> {
    let mut diags = Diagnostics::default();
    let raw = raw_site(source, text, &mut diags);
    let Some(site) = crate::resolve::resolve(&raw, None, &mut diags) else {
        return Vec::new();
    };
    let report = crate::derive::derive(site.current(), &mut diags);
    if diags.has_errors() {
        return Vec::new();
    }
    let f = crate::present::format::Formatter::new(site.config.language, BTreeMap::new());
    crate::present::charts::all(&report, &f)
        .into_iter()
        .map(|c| c.svg)
        .collect()
}

/// Renders the site with `text` as the file `source`, as a build would
/// (pages, charts as SVG and PNG, the Word briefing), in memory: `None`
/// when the text has errors. The fuzz targets of charts and of the
/// briefing run through here.
pub fn render(source: Source, text: &str) -> Option<crate::Rendered> {
    use crate::build::{self, Options, Output};
    let mut diags = Diagnostics::default();
    let raw = raw_site(source, text, &mut diags);
    let built = build::run(
        build::Source::Loaded(&raw, &diags),
        &Options::presented(Output::Site),
    );
    let _ = built.diagnostics.render();
    let files = built.files.filter(|_| !built.diagnostics.has_errors())?;
    Some(crate::Rendered {
        files,
        pages: built.pages,
        charts: built.charts,
    })
}

/// The loaded site with `text` as the file `source`, the samples else.
fn raw_site(source: Source, text: &str, diags: &mut Diagnostics) -> RawSite {
    // A folder that holds no theme: the built-in one is used.
    let content = Path::new("/nonexistent/nianbao-standalone/content");
    let text_of = |s: Source| if s == source { text } else { s.sample() };
    let yaml = |s: Source, diags: &mut Diagnostics| -> Option<YamlFile> {
        let path = content.join(s.path());
        let t = text_of(s);
        diags.add_source(&path, t);
        match yaml::parse(&path, t, 0) {
            Ok(root) => Some(YamlFile::new(path, root)),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let year = RawYear {
        dir: content.join("data/2016"),
        organizations: yaml(Source::Organizations, diags),
        branches: yaml(Source::Branches, diags),
        metrics: yaml(Source::Metrics, diags),
    };
    let page_path: PathBuf = content.join(Source::Page.path());
    diags.add_source(&page_path, text_of(Source::Page));
    let page = load::page_from_text(&page_path, text_of(Source::Page), diags);
    RawSite {
        rollup: false,
        content_dir: content.to_path_buf(),
        site: yaml(Source::Site, diags),
        years: BTreeMap::from([(2016, year)]),
        pages: vec![page],
        static_files: Vec::new(),
        preview: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_are_valid() {
        for s in Source::ALL {
            let d = check(s, s.sample());
            assert!(!d.has_errors(), "{s:?}: {}", d.render());
        }
    }

    #[test]
    fn the_samples_draw_every_chart() {
        let svgs = charts(Source::Metrics, Source::Metrics.sample());
        assert_eq!(svgs.len(), crate::present::charts::ChartId::ALL.len());
        assert!(charts(Source::Metrics, "metrics: ~").is_empty());
    }

    #[test]
    fn the_samples_render_with_a_briefing_and_charts() {
        let r = render(Source::Page, PAGE).expect("the samples render");
        assert!(r
            .files
            .keys()
            .any(|p| p.to_string_lossy().ends_with(".docx")));
        assert!(r
            .files
            .keys()
            .any(|p| p.to_string_lossy().ends_with(".svg")));
        assert!(render(Source::Page, "no front matter").is_none());
    }

    #[test]
    fn a_broken_file_is_reported_at_its_path() {
        let d = check(Source::Branches, "branches:\n  - id: Bad Id\n");
        assert!(d.has_errors());
        assert!(
            d.render().contains("/content/data/2016/branches.yaml:2:"),
            "{}",
            d.render()
        );
    }
}
