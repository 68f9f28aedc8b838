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
use crate::{archive, export, render, resolve, scan};

/// A file of `content/static/`: its path under it and its bytes.
type StaticFile = (PathBuf, Vec<u8>);

/// Files by their path in the output.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

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
    /// The Word briefing of the presented year: `brief-<year>.docx`.
    Brief,
    /// The registers of the presented year as a workbook.
    Export,
    /// One chart of the presented year: `charts/<id>.<ext>`.
    Chart(render::charts::ChartId, render::charts::Format),
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
    pub png: render::PngCache,
    pub clean: scan::Clean,
    pub snapshots: std::sync::Mutex<Option<Result<Files, Invalid>>>,
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
            out.push_str(&format!(
                "error: snapshot {} does not verify: archives are never rewritten, so restore it from a copy (its manifest SHA-256 is on the archive page of the published site)\n",
                bad.dir.display()
            ));
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
    let resolved = resolve::resolve(raw, o.year, &mut diags);
    if resolved.is_none() {
        render::check_pages(raw, &mut diags);
    }
    // Memory does not grow with the YAML trees and the model at once.
    drop(owned);
    let Some(site) = resolved else {
        built.diagnostics = diags;
        return built;
    };
    let input = Input {
        content: &content,
        static_files: &static_files,
        listed: &listed,
    };
    let made = outputs(&site, input, o, &mut diags);
    if let Some(m) = made {
        built.figures = m.figures;
        built.pages = m.pages;
        built.charts = m.charts;
        built.files = Some(m.files);
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
            Diagnostic::warning(Span::file(&other), "not a snapshot, ignored")
                .help("content/archive/ holds only the snapshot folders that `nianbao archive --year Y` writes, named after their year"),
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
}

struct Made {
    figures: BTreeMap<i32, Figures>,
    files: Files,
    pages: usize,
    charts: usize,
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
    let allow = site.config.allow_personal_numbers;
    let clean = o.caches.map(|c| &c.clean);
    let mut made = Made {
        figures,
        files: Files::new(),
        pages: 0,
        charts: 0,
    };
    match o.output {
        Output::Site => {
            let scanning = o.sink.map(|s| scan::Scanning::new(s, allow));
            let rendered = render::render(
                site,
                &reports,
                render::Inputs {
                    content_dir: input.content,
                    extra_static: input.static_files,
                    archives: input.listed,
                    png_cache: o.caches.map(|c| &c.png),
                },
                scanning.as_ref().map(|s| s as &dyn Stream),
                diags,
            )?;
            let streamed = scanning.map(scan::Scanning::found).unwrap_or_default();
            let rendered = scan::guard(rendered, allow, streamed, clean, diags)?;
            made.pages = rendered.pages;
            made.charts = rendered.charts;
            made.files = rendered.files;
        }
        Output::Brief | Output::Chart(..) => {
            let rendered = render::render(
                site,
                &reports,
                render::Inputs {
                    content_dir: input.content,
                    extra_static: input.static_files,
                    archives: input.listed,
                    png_cache: o.caches.map(|c| &c.png),
                },
                None,
                diags,
            )?;
            let rendered = scan::guard(rendered, allow, Vec::new(), clean, diags)?;
            made.files = pick(rendered.files, o.output, site.config.year);
        }
        Output::Export => {
            let report = reports.get(&site.config.year)?;
            let name = PathBuf::from(export::file_name(site.config.year));
            if !allow {
                let text = export::all_text(report).into_bytes();
                let found = scan::scan_files([(&name, &text)], Path::new(""), false);
                if !found.is_empty() {
                    found.into_iter().for_each(|f| diags.push(f));
                    return None;
                }
            }
            match export::xlsx(&site.config.title, report) {
                Ok(bytes) => made.files.insert(name, bytes),
                Err(e) => {
                    diags.push(Diagnostic::error(Span::file(&name), e));
                    return None;
                }
            };
        }
    }
    (!diags.has_errors()).then_some(made)
}

/// The one file of `output` among the site's files.
fn pick(mut files: Files, output: Output, year: i32) -> Files {
    let name = match output {
        Output::Chart(id, format) => PathBuf::from(format!("charts/{id}.{}", format.extension())),
        _ => PathBuf::from(crate::brief::file_name(year)),
    };
    files.remove_entry(&name).into_iter().collect()
}
