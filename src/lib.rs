//! nianbao compiles an office's YAML registers and Markdown write-up into a
//! static annual report site.
//!
//! The pipeline runs one way: `load` (disk → YAML trees) → `resolve` (trees
//! → validated model) → `derive` (model → figures) → `render` (figures →
//! in-memory files) → `write` (files → output folder). Each stage collects
//! its problems into `Diagnostics`; the build stops before writing if any
//! of them is an error.

pub mod archive;
pub mod brief;
pub mod deck;
pub mod derive;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
pub mod render;
pub mod resolve;
pub mod scan;
pub mod serve;
pub mod standalone;
pub mod write;

use std::path::Path;

use diagnostics::Diagnostics;
pub use render::Rendered;

/// Runs every stage but `write`: the site as files in memory, or `None`
/// when the content has errors (they are in `diags`). `year` presents
/// another year than site.yaml's.
pub fn compile(content_dir: &Path, year: Option<i32>, diags: &mut Diagnostics) -> Option<Rendered> {
    compile_with(content_dir, year, &archive::list(content_dir), true, diags)
}

/// `compile` with `archives` as the snapshots the site lists on its archive
/// page (with none, the site has no archive page), and with the sites of
/// the other years under `years/<Y>/` when `all_years`. A snapshot has
/// neither: it stands alone.
pub fn compile_with(
    content_dir: &Path,
    year: Option<i32>,
    archives: &[archive::Listed],
    all_years: bool,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let raw = load::load(content_dir, diags);
    compile_loaded(&raw, year, archives, all_years, diags)
}

/// `compile_with` from content already loaded: `serve` keeps the loaded
/// files and reads again only those that changed.
pub fn compile_loaded(
    raw: &load::RawSite,
    year: Option<i32>,
    archives: &[archive::Listed],
    all_years: bool,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let Some(site) = resolve::resolve(raw, year, diags) else {
        render::check_pages(raw, diags);
        return None;
    };
    let loaded = Loaded {
        content_dir: &raw.content_dir,
        static_files: &raw.static_files,
    };
    finish(site, loaded, archives, all_years, None, diags)
}

/// `compile_loaded` for one build: the YAML trees are dropped as soon as
/// the registers are resolved, and the register pages go to `stream` as
/// they are rendered (scanned for personal numbers first) instead of being
/// kept in the result. `build` writes them straight into the new site's
/// folder, so memory does not grow with the pages.
pub fn compile_into(
    raw: load::RawSite,
    year: Option<i32>,
    archives: &[archive::Listed],
    all_years: bool,
    stream: &dyn render::Stream,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let Some(site) = resolve::resolve(&raw, year, diags) else {
        render::check_pages(&raw, diags);
        return None;
    };
    let load::RawSite {
        content_dir,
        static_files,
        ..
    } = raw;
    let loaded = Loaded {
        content_dir: &content_dir,
        static_files: &static_files,
    };
    finish(site, loaded, archives, all_years, Some(stream), diags)
}

/// What rendering still needs of the loaded content.
struct Loaded<'a> {
    content_dir: &'a Path,
    static_files: &'a [(std::path::PathBuf, Vec<u8>)],
}

/// The stages after resolving: derive, render, the last scan.
fn finish(
    site: model::Site,
    loaded: Loaded,
    archives: &[archive::Listed],
    all_years: bool,
    stream: Option<&dyn render::Stream>,
    diags: &mut Diagnostics,
) -> Option<Rendered> {
    let mut reports = derive::derive_all(&site.years, diags);
    if !all_years {
        reports.retain(|&y, _| y == site.config.year);
    }
    let allow = site.config.allow_personal_numbers;
    let scanning = stream.map(|s| scan::Scanning::new(s, allow));
    let rendered = render::render(
        &site,
        &reports,
        loaded.content_dir,
        loaded.static_files,
        archives,
        scanning.as_ref().map(|s| s as &dyn render::Stream),
        diags,
    )?;
    let streamed = scanning.map(scan::Scanning::found).unwrap_or_default();
    scan::guard(rendered, allow, streamed, diags)
}
