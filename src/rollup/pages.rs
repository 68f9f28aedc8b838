//! The pages and charts of a roll-up site: the summed key figures, the
//! members compared, one page per member, the declared figures reconciled.

use std::path::PathBuf;

use super::Read;
use crate::build::Files;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::model::Site;
use crate::present::charts::{plain_bars, png::PngRenderer, Plain};
use crate::present::escape;
use crate::present::format::Formatter;
use crate::render::theme::Theme;
use crate::summary::Summary;

/// The figures of the key-figures and comparison tables.
const KEYS: [&str; 5] = [
    "all.base",
    "all.covered",
    "all.coverage_rate",
    "all.work_coverage_rate",
    "all.party_orgs",
];

pub fn all(
    site: &Site,
    total: &Summary,
    members: &[Read],
    theme: &Theme,
    carry: bool,
    diags: &mut Diagnostics,
) -> Option<Files> {
    let f = Formatter::new(site.config.language, theme.strings.clone());
    let mut files = Files::new();
    let ranked = ranked(members);
    let charts = charts(&f, &ranked);
    let renderer = PngRenderer::new(&theme.fonts);
    for c in &charts {
        let base = format!("charts/{}", c.id);
        let svg = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", c.svg);
        files.insert(
            PathBuf::from(format!("{base}.svg")),
            svg.into_bytes().into(),
        );
        files.insert(PathBuf::from(format!("{base}.csv")), c.csv.clone().into());
        match renderer.render(&c.svg) {
            Ok(png) => {
                files.insert(PathBuf::from(format!("{base}.png")), png.into());
            }
            Err(e) => diags.push(Diagnostic::error(Span::file(format!("{base}.png")), e)),
        }
    }
    let shell = Shell { site, f: &f };
    let pages = site.write_up(site.config.year);
    let data = site.years.get(&site.config.year)?;
    let mut problems = Vec::new();
    for p in &pages {
        let body = super::write_up::render(p, &f, total, data, &mut problems);
        files.insert(
            PathBuf::from(format!("pages/{}.html", p.slug)),
            shell.page("../", &p.title, &body).into(),
        );
    }
    problems.into_iter().for_each(|d| diags.push(d));
    let mut index = home(&f, total, members);
    if !pages.is_empty() {
        index.push_str(&format!("<h2>{}</h2><ul>", escape(&f.t("rollup_pages"))));
        for p in &pages {
            index.push_str(&format!(
                "<li><a href=\"pages/{}.html\">{}</a></li>",
                p.slug,
                escape(&p.title)
            ));
        }
        index.push_str("</ul>");
    }
    files.insert(
        "index.html".into(),
        shell.page("", &f.t("nav_home"), &index).into(),
    );
    files.insert(
        "compare.html".into(),
        shell
            .page("", &f.t("rollup_compare"), &compare(&f, &ranked, &charts))
            .into(),
    );
    for r in members {
        let body = member(&f, r, carry);
        files.insert(
            PathBuf::from(format!("members/{}.html", r.member.id)),
            shell.page("../", &r.member.name, &body).into(),
        );
    }
    Some(files)
}

/// Members by coverage, highest first (ties by id).
fn ranked<'a, 'b>(members: &'b [Read<'a>]) -> Vec<&'b Read<'a>> {
    let mut v: Vec<&Read> = members.iter().collect();
    let rate = |r: &Read| r.summary.figure("all.coverage_rate").unwrap_or(-1.0);
    v.sort_by(|a, b| {
        rate(b)
            .total_cmp(&rate(a))
            .then_with(|| a.member.id.cmp(&b.member.id))
    });
    v
}

fn charts(f: &Formatter, ranked: &[&Read]) -> Vec<Plain> {
    let names: Vec<String> = ranked.iter().map(|r| r.member.name.clone()).collect();
    let values = |key: &str| -> Vec<f64> {
        ranked
            .iter()
            .map(|r| r.summary.figure(key).unwrap_or(0.0))
            .collect()
    };
    vec![
        plain_bars(
            "coverage-by-member",
            f,
            &names,
            &values("all.coverage_rate"),
            true,
        ),
        plain_bars(
            "party-orgs-by-member",
            f,
            &names,
            &values("all.party_orgs"),
            false,
        ),
    ]
}

fn value(f: &Formatter, s: &Summary, key: &str) -> String {
    match s.figure(key) {
        v if key.ends_with("rate") => f.rate(v),
        Some(v) => f.count(v),
        None => "—".into(),
    }
}

fn head_row(f: &Formatter, first: &[String]) -> String {
    let mut h: Vec<String> = first.to_vec();
    h.extend(
        KEYS.iter()
            .map(|k| f.t(&format!("rollup_key_{}", k.replace('.', "_")))),
    );
    format!(
        "<tr>{}</tr>",
        h.iter()
            .map(|c| format!("<th scope=\"col\">{}</th>", escape(c)))
            .collect::<String>()
    )
}

fn cells(f: &Formatter, s: &Summary) -> String {
    KEYS.iter()
        .map(|k| format!("<td>{}</td>", escape(&value(f, s, k))))
        .collect()
}

fn home(f: &Formatter, total: &Summary, members: &[Read]) -> String {
    let mut b = format!(
        "<p>{}</p><h2>{}</h2><div class=\"table-wrap\"><table>{}<tr><th scope=\"row\">{}</th>{}</tr></table></div><p>{}</p>",
        escape(&f.t("rollup_lead").replace("{n}", &members.len().to_string()).replace("{as_of}", &total.as_of)),
        escape(&f.t("rollup_key_figures")),
        head_row(f, &[String::new()]),
        escape(&f.t("rollup_total")),
        cells(f, total),
        escape(&f.t("rollup_note")),
    );
    b.push_str(&format!(
        "<p><a href=\"compare.html\">{}</a></p><h2>{}</h2><ul>",
        escape(&f.t("rollup_compare")),
        escape(&f.t("rollup_members"))
    ));
    for r in members {
        b.push_str(&format!(
            "<li><a href=\"members/{}.html\">{}</a></li>",
            r.member.id,
            escape(&r.member.name)
        ));
    }
    b.push_str("</ul>");
    if !total.reconciliation.rows.is_empty() {
        b.push_str(&format!(
            "<h2>{}</h2><div class=\"table-wrap\"><table><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\"></th></tr>",
            escape(&f.t("rollup_reconciliation")),
            escape(&f.t("col_name")),
            escape(&f.t("rollup_declared")),
            escape(&f.t("rollup_summed"))
        ));
        for r in &total.reconciliation.rows {
            let show = |v: Option<f64>| match v {
                v if r.key.ends_with("rate") => f.rate(v),
                Some(v) => f.count(v),
                None => "—".into(),
            };
            b.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&r.key),
                escape(&show(r.declared.as_f64())),
                escape(&show(r.derived.as_ref().and_then(|n| n.as_f64()))),
                escape(&f.t(if r.matches {
                    "rollup_match"
                } else {
                    "rollup_mismatch"
                }))
            ));
        }
        b.push_str("</table></div>");
    }
    b
}

fn compare(f: &Formatter, ranked: &[&Read], charts: &[Plain]) -> String {
    let mut b = format!(
        "<div class=\"table-wrap\"><table>{}",
        head_row(f, &[f.t("rollup_rank"), f.t("col_name")]).replace(
            "</tr>",
            &format!("<th scope=\"col\">{}</th></tr>", escape(&f.t("rollup_gap")))
        )
    );
    for (i, r) in ranked.iter().enumerate() {
        let gap = r
            .summary
            .figure("all.coverage_rate")
            .map_or("—".to_string(), |v| f.points(1.0 - v));
        b.push_str(&format!(
            "<tr><td>{}</td><th scope=\"row\"><a href=\"members/{}.html\">{}</a></th>{}<td>{}</td></tr>",
            i + 1,
            r.member.id,
            escape(&r.member.name),
            cells(f, &r.summary),
            escape(&gap)
        ));
    }
    b.push_str("</table></div>");
    for c in charts {
        b.push_str(&format!(
            "<figure id=\"chart-{id}\"><img src=\"charts/{id}.svg\" alt=\"{t}\"><figcaption>{t} <a download href=\"charts/{id}.svg\">{svg}</a> <a download href=\"charts/{id}.png\">{png}</a> <a download href=\"charts/{id}.csv\">{csv}</a></figcaption></figure>",
            id = c.id,
            t = escape(&c.title),
            svg = escape(&f.t("chart_download_svg")),
            png = escape(&f.t("chart_download_png")),
            csv = escape(&f.t("chart_download_csv")),
        ));
    }
    b
}

fn member(f: &Formatter, r: &Read, carry: bool) -> String {
    let link = if carry {
        Some(format!("{}/index.html", r.member.id))
    } else {
        r.member.url.clone()
    };
    let mut b = format!(
        "<div class=\"table-wrap\"><table>{}<tr><th scope=\"row\">{}</th>{}</tr></table></div><p>{}</p>",
        head_row(f, &[String::new()]),
        escape(&r.member.name),
        cells(f, &r.summary),
        escape(&f.t("rollup_as_of").replace("{as_of}", &r.summary.as_of)),
    );
    if let Some(l) = link {
        b.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(&l),
            escape(&f.t("rollup_own_site"))
        ));
    }
    b
}

/// The frame of every page: the theme's style sheet, the site's title,
/// the way home and to the comparison.
struct Shell<'a> {
    site: &'a Site,
    f: &'a Formatter,
}

impl Shell<'_> {
    fn page(&self, root: &str, title: &str, body: &str) -> Vec<u8> {
        let site_title = escape(&self.site.config.title);
        format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t} · {site_title}</title><link rel=\"stylesheet\" href=\"{root}static/style.css\"><link rel=\"stylesheet\" href=\"{root}static/print.css\" media=\"print\"></head><body><header class=\"site-header\"><a class=\"site-title\" href=\"{root}index.html\">{site_title}</a><nav><a href=\"{root}index.html\">{home}</a> <a href=\"{root}compare.html\">{cmp}</a></nav></header><main><h1>{t}</h1>{body}</main><footer class=\"site-footer\"><p>{year}</p></footer></body></html>\n",
            lang = self.site.config.language.as_str(),
            t = escape(title),
            home = escape(&self.f.t("nav_home")),
            cmp = escape(&self.f.t("rollup_compare")),
            year = escape(&self.f.t("rollup_year").replace("{year}", &self.site.config.year.to_string())),
        )
        .into_bytes()
    }
}
