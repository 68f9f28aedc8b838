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
    let content_dir = raw.content_dir.as_path();
    let Some(site) = resolve::resolve(raw, year, diags) else {
        render::check_pages(raw, diags);
        return None;
    };
    let mut reports = derive::derive_all(&site.years, diags);
    if !all_years {
        reports.retain(|&y, _| y == site.config.year);
    }
    let rendered = render::render(
        &site,
        &reports,
        content_dir,
        &raw.static_files,
        archives,
        diags,
    )?;
    scan::guard(rendered, site.config.allow_personal_numbers, diags)
}
