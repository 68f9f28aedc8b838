//! One build for every command: load → resolve → derive → present → the
//! output asked for, with the archived snapshots verified on the way.
//! `build`, `check`, `serve`, `archive`, `chart`, `brief` and `export` are
//! adapters over [`run`]: what differs between them is an [`Options`]
//! value, never a second wiring of the stages, so they cannot disagree on
//! what is an error. Nothing here writes to disk; pages handed to a
//! [`Stream`] are the caller's to keep or drop.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::derive::{self, Figures};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, Span};
use crate::layout::{Listed, Stream};
use crate::load::{self, RawSite};
use crate::model::Site;
use crate::present::{self, Charts, Presented, Style};
use crate::{archive, brief, export, render, resolve, scan};

/// A file of `content/static/`: its path under it and its bytes.
type StaticFile = (PathBuf, Vec<u8>);

/// Files by their path in the output.
pub use crate::layout::Files;

/// Which years get an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Years {
    /// The presented year at the root and every other year under
    /// `years/<Y>/`.
    All,
    /// The presented year alone (its history still reads every year).
    Presented,
    /// The presented year alone, as it could be published then: registers
    /// of later years are not even read (a snapshot stays the same whatever
    /// came after).
    AsOfPresented,
}

/// What the build makes of the presented figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The HTML site, with each year's briefing and charts among its files.
    Site,
    /// A briefing document of the presented year (`brief-<year>.docx`,
    /// its two-page summary, or the slide deck).
    Brief(brief::Document),
    /// The registers of the presented year as a workbook.
    Export,
    /// One chart of the presented year: `charts/<id>.<ext>`.
    Chart(present::charts::ChartId, present::charts::Format),
}

/// Whether snapshots under `content/archive/` take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archives {
    /// Ignored: a snapshot's own site stands alone.
    Ignored,
    /// Listed on the archive page, verified, and carried into the site
    /// byte for byte; one that does not verify fails the build.
    Carried,
}

/// Work kept from one build to the next by a long-running process
/// (`serve`): PNGs already drawn and files already found clean of personal
/// numbers, both by content, and the verified snapshots (the owner empties
/// `snapshots` when a file under `content/archive/` changes).
#[derive(Default)]
pub struct Caches {
    pub png: present::PngCache,
    pub clean: scan::Clean,
    pub snapshots: std::sync::Mutex<Option<Result<Files, Invalid>>>,
    /// Register pages by the fingerprint of their inputs.
    pub pages: render::memo::Memo,
    /// Each year's registers as resolved from the same parses.
    pub resolved: resolve::Kept,
    /// Each year's charts, as drawn from the same registers and strings.
    pub charts: present::ChartCache,
}

pub struct Options<'a> {
    /// Presents this year instead of site.yaml's.
    pub year: Option<i32>,
    pub years: Years,
    pub output: Output,
    pub archives: Archives,
    /// Where register pages go as they are rendered (`Output::Site`); with
    /// none they are kept in `Built::files`.
    pub sink: Option<&'a dyn Stream>,
    pub caches: Option<&'a Caches>,
    /// A roll-up site links its members where `url:` says instead of
    /// carrying their sites under `members/<id>/` (`build --no-carry`).
    pub no_carry: bool,
    /// `export --include-private`: the organizations' private fields go
    /// into the workbook (and nowhere else).
    pub include_private: bool,
}

impl Options<'_> {
    /// The options of `build`: every year, snapshots carried.
    pub fn site() -> Options<'static> {
        Options {
            year: None,
            years: Years::All,
            output: Output::Site,
            archives: Archives::Carried,
            sink: None,
            caches: None,
            no_carry: false,
            include_private: false,
        }
    }

    /// The presented year alone, for one `output`, snapshots ignored.
    pub fn presented(output: Output) -> Options<'static> {
        Options {
            years: Years::Presented,
            output,
            archives: Archives::Ignored,
            ..Options::site()
        }
    }
}

/// Where the content comes from.
pub enum Source<'a> {
    /// Read from this folder; the YAML trees are dropped once resolved.
    Dir(&'a Path),
    /// Already loaded (`serve` reads again only the files that changed).
    Loaded(&'a RawSite, &'a Diagnostics),
}

/// A snapshot that does not verify.
pub use archive::Invalid;

/// What a build gives back: the model and figures when the content
/// resolved, every diagnostic, and the output when there was no error.
pub struct Built {
    pub diagnostics: Diagnostics,
    /// The first snapshot that does not verify, with its problems.
    pub snapshot: Option<Invalid>,
    pub model: Option<Site>,
    /// Every derived figure of each year that has an output.
    pub figures: BTreeMap<i32, Figures>,
    /// The output's files; `None` when there was an error.
    pub files: Option<Files>,
    /// Pages and charts the site has (counting streamed pages).
    pub pages: usize,
    pub charts: usize,
    /// Snapshots carried into the site.
    pub archived: usize,
    /// Register pages rendered and taken from `Caches::pages`.
    pub memo: Option<render::memo::Counts>,
}

impl Built {
    pub fn ok(&self) -> bool {
        self.files.is_some() && self.snapshot.is_none() && !self.diagnostics.has_errors()
    }

    /// Everything wrong and every warning, as the terminal shows it.
    pub fn report(&self) -> String {
        let mut out = self.diagnostics.render();
        if let Some(bad) = &self.snapshot {
            for line in &bad.lines {
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(&crate::msg!("diag.error"));
            out.push_str(": ");
            out.push_str(&crate::msg!(
                "build.snapshot_does_not_verify",
                dir = bad.dir.display()
            ));
            out.push('\n');
        }
        out
    }

    /// How many errors, a snapshot that does not verify counting as one.
    pub fn errors(&self) -> usize {
        self.diagnostics.count(Severity::Error) + usize::from(self.snapshot.is_some())
    }
}

/// Runs the build: every stage, then the output `o.output`.
pub fn run(source: Source, o: &Options) -> Built {
    let content = match &source {
        Source::Dir(p) => p.to_path_buf(),
        Source::Loaded(raw, _) => raw.content_dir.clone(),
    };
    let mut diags = match &source {
        Source::Dir(_) => Diagnostics::default(),
        Source::Loaded(_, loaded) => (*loaded).clone(),
    };
    let mut built = Built {
        diagnostics: Diagnostics::default(),
        snapshot: None,
        model: None,
        figures: BTreeMap::new(),
        files: None,
        pages: 0,
        charts: 0,
        archived: 0,
        memo: None,
    };
    let (listed, carried) = snapshots(&content, o, &mut diags);
    let mut owned = None;
    // Owned when read here: the YAML trees can go once resolved.
    let (raw, static_files): (&RawSite, Cow<[StaticFile]>) = match source {
        Source::Dir(dir) => {
            let mut raw = load::load(dir, &mut diags);
            if o.years == Years::AsOfPresented {
                if let Some(y) = o.year {
                    raw.years.retain(|&k, _| k <= y);
                }
            }
            let statics = std::mem::take(&mut raw.static_files);
            (&*owned.insert(raw), Cow::Owned(statics))
        }
        Source::Loaded(raw, _) => (raw, Cow::Borrowed(&raw.static_files[..])),
    };
    let resolved = resolve::resolve_kept(raw, o.year, &mut diags, o.caches.map(|c| &c.resolved));
    let registers = registers_print(raw);
    if resolved.is_none() {
        present::check_pages(raw, &mut diags);
    }
    if let Some(site) = &resolved {
        crate::scaffold::check::year_warnings(raw, site, &mut diags);
    }
    // The one output that holds private fields takes them from the loaded
    // trees: the model has no place for them.
    let private = match &resolved {
        Some(site) if o.include_private && o.output == Output::Export => {
            Some(export::Private::collect(raw, site.config.year))
        }
        _ => None,
    };
    // Memory does not grow with the YAML trees and the model at once; they
    // are freed beside the later stages, not before them.
    rayon::spawn(move || drop(owned));
    let Some(site) = resolved else {
        built.diagnostics = diags;
        return built;
    };
    if site.config.rollup.is_empty() {
        let input = Input {
            content: &content,
            static_files: &static_files,
            listed: &listed,
            private: private.as_ref(),
            registers,
        };
        if let Some(m) = outputs(&site, input, o, &mut diags) {
            built.figures = m.figures;
            built.pages = m.pages;
            built.charts = m.charts;
            built.memo = m.memo;
            built.files = Some(m.files);
        }
    } else {
        rollup_output(&site, &content, &static_files, o, &mut built, &mut diags);
    }
    match carried {
        Ok(snaps) => {
            built.archived = listed.len();
            if let Some(files) = &mut built.files {
                files.extend(snaps);
            }
        }
        Err(bad) => built.snapshot = Some(bad),
    }
    if diags.has_errors() || built.snapshot.is_some() {
        built.files = None;
    }
    built.model = Some(site);
    built.diagnostics = diags;
    built
}

/// A roll-up site: the same load and resolve, its members' summaries in
/// place of registers. Only the site output is made of it.
fn rollup_output(
    site: &Site,
    content: &Path,
    statics: &[StaticFile],
    o: &Options,
    built: &mut Built,
    diags: &mut Diagnostics,
) {
    if o.output != Output::Site {
        diags.push(
            Diagnostic::error(
                Span::file(content.join("site.yaml")),
                crate::msg!("build.rollup_no_registers"),
            )
            .help(crate::msg!("build.rollup_no_registers.help")),
        );
        return;
    }
    let members = crate::rollup::read_members(site, content, !o.no_carry, o.sink, diags);
    if diags.has_errors() {
        return;
    }
    let Some(files) = crate::rollup::files(site, &members, content, !o.no_carry, statics, diags)
    else {
        return;
    };
    built.pages = files
        .keys()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "html") && !p.starts_with("members/")
                || p.parent() == Some(Path::new("members"))
        })
        .count();
    built.charts = files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "svg") && p.starts_with("charts"))
        .count();
    if !diags.has_errors() {
        built.files = Some(files);
    }
}

/// The snapshots listed and carried: none when they are ignored.
fn snapshots(
    content: &Path,
    o: &Options,
    diags: &mut Diagnostics,
) -> (Vec<Listed>, Result<Files, Invalid>) {
    if o.archives == Archives::Ignored {
        return (Vec::new(), Ok(Files::new()));
    }
    for other in archive::snapshots(content).1 {
        diags.push(
            Diagnostic::warning(Span::file(&other), crate::msg!("build.not_a_snapshot"))
                .help(crate::msg!("build.not_a_snapshot.help")),
        );
    }
    // Verified, then carried byte for byte: a tampered one stops the
    // build like a content error.
    let carried = match o.caches.map(|c| c.snapshots.lock()) {
        Some(Ok(mut cached)) => cached
            .get_or_insert_with(|| archive::carry(content))
            .clone(),
        _ => archive::carry(content),
    };
    (archive::list(content), carried)
}

/// What the outputs read besides the model.
struct Input<'a> {
    content: &'a Path,
    static_files: &'a [(PathBuf, Vec<u8>)],
    listed: &'a [Listed],
    private: Option<&'a export::Private>,
    /// `registers_print` of what the model was resolved from.
    registers: u64,
}

/// Which parses of every year's registers the model comes from. Two builds
/// of one process (`serve`) with the same print have the same registers,
/// figures and coverage, whatever else changed: their register pages then
/// differ only where the rest of their context does.
fn registers_print(raw: &RawSite) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    raw.rollup.hash(&mut h);
    for (year, ry) in &raw.years {
        year.hash(&mut h);
        for f in [&ry.organizations, &ry.branches, &ry.metrics] {
            f.as_ref().map(|f| f.serial).hash(&mut h);
        }
    }
    h.finish()
}

struct Made {
    figures: BTreeMap<i32, Figures>,
    files: Files,
    /// What the scan found in the pages that went to the stream.
    streamed: Vec<(PathBuf, scan::Found)>,
    /// Text a single-file output was made from, scanned with it.
    scanned: Vec<Vec<u8>>,
    pages: usize,
    charts: usize,
    /// Pages rendered and reused by this build (with a memo).
    memo: Option<render::memo::Counts>,
}

/// Derives the figures and makes the output; `None` on an error (in
/// `diags`).
fn outputs(site: &Site, input: Input, o: &Options, diags: &mut Diagnostics) -> Option<Made> {
    let mut reports = derive::derive_all(&site.years, diags);
    if o.years != Years::All {
        reports.retain(|&y, _| y == site.config.year);
    }
    let figures = reports
        .iter()
        .map(|(&y, r)| (y, r.figures.clone()))
        .collect();
    let mut made = Made {
        figures,
        files: Files::new(),
        streamed: Vec::new(),
        scanned: Vec::new(),
        pages: 0,
        charts: 0,
        memo: None,
    };
    let mut out = Vec::new();
    let theme = render::theme::load(input.content, &site.config, &mut out);
    render::check_home_chart(site, &mut out);
    let chart_print = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            input.registers,
            site.config.language.as_str(),
            &theme.strings,
        )
            .hash(&mut h);
        h.finish()
    };
    let style = Style {
        language: site.config.language,
        strings: &theme.strings,
        fonts: &theme.fonts,
        png_cache: o.caches.map(|c| &c.png),
        chart_cache: o.caches.map(|c| (&c.charts, chart_print)),
    };
    let statics = Statics {
        theme: &theme,
        content: input.static_files,
    };
    let presented_year = reports.get(&site.config.year);
    match o.output {
        Output::Site => {
            let ok = site_files(
                site, &reports, &input, &style, &statics, o, &mut made, &mut out,
            );
            flush(diags, out);
            if !ok {
                return None;
            }
            let allow = site.config.allow_personal_numbers;
            let mut files = std::mem::take(&mut made.files);
            // Pages a published build already searched are not searched again.
            let memo = o.caches.map(|c| &c.pages);
            let searched = memo.map(|m| m.set_aside_clean(&mut files));
            let streamed = std::mem::take(&mut made.streamed);
            let clean = o.caches.map(|c| &c.clean);
            made.files = scan::guard(files, allow, streamed, clean, diags)?;
            made.files.append(&mut searched.unwrap_or_default());
            if !allow {
                memo.inspect(|m| m.mark_clean());
            }
        }
        Output::Brief(document) => {
            let write_up = site.write_up(site.config.year);
            let mut p = present::present(presented_year?, &write_up, &style, Charts::All, &mut out);
            out.append(&mut p.page_problems);
            let name = PathBuf::from(document.file_name(site.config.year));
            match brief_file(site, &p, &statics, &write_up, document) {
                Ok(bytes) => made.files.insert(name, bytes.into()),
                Err(d) => {
                    out.push(d);
                    None
                }
            };
            flush(diags, out);
        }
        Output::Chart(id, format) => {
            let p = present::present(
                presented_year?,
                &[],
                &style,
                Charts::One(id, format),
                &mut out,
            );
            // A PNG is drawn from the SVG: its text is what is scanned.
            made.scanned = p
                .charts
                .iter()
                .map(|c| c.svg.clone().into_bytes())
                .collect();
            made.files = p.chart_files;
            flush(diags, out);
        }
        Output::Export => {
            flush(diags, out);
            let name = PathBuf::from(export::file_name(site.config.year));
            match export::xlsx(&site.config.title, presented_year?, input.private) {
                Ok(bytes) => made.files.insert(name, bytes.into()),
                Err(e) => {
                    diags.push(Diagnostic::error(Span::file(&name), e));
                    return None;
                }
            };
        }
    }
    if o.output != Output::Site && !site.config.allow_personal_numbers {
        guard_file(&made, o.output, presented_year?, diags);
    }
    (!diags.has_errors()).then_some(made)
}

/// Every year's site: the presented year at the root, the others under
/// `years/<Y>/`, each with its briefing. `false` when a template fails.
#[allow(clippy::too_many_arguments)]
fn site_files(
    site: &Site,
    reports: &BTreeMap<i32, derive::Report>,
    input: &Input,
    style: &Style,
    statics: &Statics,
    o: &Options,
    made: &mut Made,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let allow = site.config.allow_personal_numbers;
    let scanning = o.sink.map(|s| scan::Scanning::new(s, allow));
    let all_years: Vec<i32> = reports.keys().copied().collect();
    let memo = o.caches.map(|c| &c.pages);
    memo.inspect(|m| m.start());
    for (&year, report) in reports {
        let write_up = site.write_up(year);
        let p = present::present(report, &write_up, style, Charts::All, out);
        let current = year == site.config.year;
        let prefix = if current {
            String::new()
        } else {
            format!("years/{year}/")
        };
        let y = render::Year {
            site,
            presented: &p,
            theme: statics.theme,
            extra_static: statics.content,
            archives: if current { input.listed } else { &[] },
            all_years: &all_years,
            write_up: &write_up,
            stream: scanning
                .as_ref()
                .map(|s| (s as &dyn Stream, prefix.as_str())),
            memo: o
                .caches
                .map(|c| (&c.pages, prefix.as_str(), input.registers)),
        };
        // The register pages keep both cores busy; the PNGs and the
        // briefing documents (each mostly one core's work) are made beside
        // them instead of before or after.
        let ((rendered, mut rendering), (mut extra, mut charts, mut briefs)) = rayon::join(
            || {
                let mut out = Vec::new();
                (render::year(y, &mut out), out)
            },
            || year_extras(site, report, &p, statics, &write_up, style),
        );
        // The charts' problems first, as when they were drawn first.
        out.append(&mut charts);
        out.append(&mut rendering);
        out.append(&mut briefs);
        let Some(mut r) = rendered else {
            return false;
        };
        r.files.append(&mut extra);
        made.pages += r.pages;
        made.charts += r.charts;
        // Collected in order and appended: a merge, not a lookup per path.
        let mut year: Files = if prefix.is_empty() {
            r.files
        } else {
            r.files
                .into_iter()
                .map(|(path, b)| (PathBuf::from(format!("{prefix}{}", path.display())), b))
                .collect()
        };
        made.files.append(&mut year);
    }
    made.streamed = scanning.map(scan::Scanning::found).unwrap_or_default();
    made.memo = memo.map(render::memo::Memo::finish);
    true
}

/// What a year's site holds besides its pages: the charts' PNGs, the
/// figures for machines (and for the roll-ups this site may be a member
/// of), and the briefing documents for the briefing page's download links
/// (`nianbao brief` writes the same files); with the problems of the
/// charts and those of the documents.
fn year_extras(
    site: &Site,
    report: &derive::Report,
    p: &Presented,
    statics: &Statics,
    write_up: &[crate::model::Page],
    style: &Style,
) -> (Files, Vec<Diagnostic>, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let mut charts = Vec::new();
    let mut files = present::png_files(&p.charts, style, &mut charts);
    let summary = crate::summary::Summary::of(&site.config.title, report);
    files.insert(
        PathBuf::from(crate::summary::FILE),
        summary.to_bytes().into(),
    );
    let year = report.data.year;
    let briefs: Vec<_> = brief::Document::ALL
        .par_iter()
        .map(|&document| brief_file(site, p, statics, write_up, document).map(|b| (document, b)))
        .collect();
    let mut problems = Vec::new();
    for made in briefs {
        match made {
            Ok((document, bytes)) => {
                files.insert(PathBuf::from(document.file_name(year)), bytes.into());
            }
            Err(d) => problems.push(d),
        }
    }
    (files, charts, problems)
}

/// The static files of the site: the theme's, overridden by the content's.
struct Statics<'a> {
    theme: &'a render::theme::Theme,
    content: &'a [StaticFile],
}

impl Statics<'_> {
    /// A file by its path in the site (`static/…`).
    fn get(&self, path: &Path) -> Option<Vec<u8>> {
        let rel = path.strip_prefix("static").ok()?;
        self.content
            .iter()
            .find(|(p, _)| p == rel)
            .map(|(_, b)| b)
            .or_else(|| self.theme.static_files.get(rel).map(|b| &**b))
            .cloned()
    }
}

fn brief_file(
    site: &Site,
    p: &Presented,
    statics: &Statics,
    write_up: &[crate::model::Page],
    document: brief::Document,
) -> Result<Vec<u8>, Diagnostic> {
    let name = document.file_name(p.report.data.year);
    let input = brief::Input {
        site,
        presented: p,
        file: &|path| statics.get(path),
        write_up,
        fonts: &statics.theme.fonts,
    };
    document
        .make(&input)
        .map_err(|e| Diagnostic::error(Span::file(name), e))
}

/// Refuses a single-file output that holds a personal number, as the
/// site would refuse to publish it.
fn guard_file(made: &Made, output: Output, report: &derive::Report, diags: &mut Diagnostics) {
    let files = &made.files;
    let mut texts: Vec<(PathBuf, Vec<u8>)> = match output {
        Output::Export => vec![(
            PathBuf::from(export::file_name(report.data.year)),
            export::all_text(report).into_bytes(),
        )],
        Output::Brief(_) => files
            .iter()
            .map(|(p, b)| (p.clone(), docx_text(b)))
            .collect(),
        _ => files.iter().map(|(p, b)| (p.clone(), b.to_vec())).collect(),
    };
    if let Some((name, _)) = files.iter().next() {
        texts.extend(made.scanned.iter().map(|t| (name.clone(), t.clone())));
    }
    let found = scan::scan_files_traced(texts.iter().map(|(p, b)| (p, b)), Path::new(""), diags);
    found.into_iter().for_each(|d| diags.push(d));
}

/// The XML parts of a .docx, one after the other: its text, for the scan.
fn docx_text(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut text = Vec::new();
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return text;
    };
    for i in 0..zip.len() {
        if let Ok(mut part) = zip.by_index(i) {
            if part.name().is_ok_and(|n| n.ends_with(".xml")) {
                let _ = part.read_to_end(&mut text);
                text.push(b'\n');
            }
        }
    }
    text
}

fn flush(diags: &mut Diagnostics, out: Vec<Diagnostic>) {
    for d in out {
        let d = present::glyph_at_source(d, diags);
        diags.push(d);
    }
}
