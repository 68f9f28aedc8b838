//! `nianbao serve`: the site built in memory, served over HTTP on the
//! loopback address, rebuilt when `content/` or `themes/` change, with open
//! pages reloaded by a small script that only served HTML carries.
//!
//! A rebuild reads again only the content files that changed (`load::reload`)
//! and runs the later stages on the whole site; a save that leaves every file
//! byte for byte as it was is no rebuild at all. A rebuild that fails keeps
//! the last good site on the server, and its diagnostics go to the terminal
//! and, through `/__nianbao/errors`, to an overlay in the open pages.

pub mod http;
pub mod listen;
pub mod snapshot;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostics, Severity};
use crate::load::{self, RawSite};
use snapshot::Snapshot;

pub use crate::layout::Files;

/// Content types of what a site holds; anything else is sent as bytes.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// What the server shows: the last good site and the latest failure.
#[derive(Default)]
pub struct State {
    /// Bumped each time the served files change; pages carry the number
    /// they were served at and reload when it moves on.
    pub site: u64,
    /// Bumped on every change of `site` or of `errors`; the version
    /// endpoint waits for it to move.
    pub serial: u64,
    pub files: Arc<Files>,
    /// The diagnostics of the latest build when it failed (plain text, as
    /// printed in the terminal) and how many errors it had.
    pub errors: Option<(usize, String)>,
    /// The interface language of the last good site (`<html lang>`), for
    /// the overlay and the 404 page.
    pub lang: String,
    /// HTML pages minified for this `site` version, made when first asked.
    minified: HashMap<PathBuf, Arc<Vec<u8>>>,
}

/// The state shared by the HTTP threads and the rebuild loop.
#[derive(Default)]
pub struct Shared {
    pub state: Mutex<State>,
    pub changed: Condvar,
}

impl Shared {
    /// Blocks until `serial` differs from `since` or `timeout` passes;
    /// returns (serial, site, error count).
    pub fn wait(&self, since: Option<u64>, timeout: Duration) -> (u64, u64, usize) {
        let guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (s, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| Some(s.serial) == since)
            .unwrap_or_else(|e| e.into_inner());
        (s.serial, s.site, s.errors.as_ref().map_or(0, |e| e.0))
    }

    /// A served file: HTML minified (as `build` writes it), cached per version.
    pub fn file(&self, path: &Path) -> Option<(u64, Arc<Vec<u8>>)> {
        let (site, files) = {
            let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(m) = s.minified.get(path) {
                return Some((s.site, m.clone()));
            }
            (s.site, s.files.clone())
        };
        let bytes = files.get(path)?;
        let out = Arc::new(crate::write::minify(path, bytes));
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.site == site {
            s.minified.insert(path.to_path_buf(), out.clone());
        }
        Some((site, out))
    }

    /// Takes the outcome of a build (its files move to the server);
    /// returns how many files changed (None when it failed).
    pub fn publish(&self, outcome: &mut Outcome) -> Option<usize> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let before = (s.site, s.errors.clone());
        let changed = match outcome.files.take() {
            Some(files) => {
                let changed = count_changes(&s.files, &files);
                if changed > 0 || s.site == 0 {
                    s.site += 1;
                    if let Some(lang) = html_lang(&files) {
                        s.lang = lang;
                    }
                    s.files = Arc::new(files);
                    s.minified.clear();
                }
                s.errors = None;
                Some(changed)
            }
            None => {
                s.errors = Some((outcome.errors, outcome.report.clone()));
                None
            }
        };
        if (s.site, s.errors.clone()) != before {
            s.serial += 1;
            self.changed.notify_all();
        }
        changed
    }
}

/// Files added, removed or changed: one walk over both maps in their
/// common order, so that no path is looked up (path comparison is slow).
fn count_changes(old: &Files, new: &Files) -> usize {
    use std::cmp::Ordering;
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    let mut changed = 0;
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => return changed,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            // The same bytes first: comparing paths component by
            // component is slow, and most paths are in both maps.
            (Some((ka, _)), Some((kb, _))) if ka.as_os_str() == kb.as_os_str() => Ordering::Equal,
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
        };
        match order {
            Ordering::Less => drop(a.next()),
            Ordering::Greater => drop(b.next()),
            Ordering::Equal => {
                let (x, y) = (a.next(), b.next());
                // A page kept from the last build is the same allocation.
                if let (Some((_, x)), Some((_, y))) = (x, y) {
                    if std::sync::Arc::ptr_eq(x, y) || x == y {
                        continue;
                    }
                }
            }
        }
        changed += 1;
    }
}

/// The `lang` of the home page, e.g. `zh-CN` or `en`.
fn html_lang(files: &Files) -> Option<String> {
    let html = files.get(Path::new("index.html"))?;
    let text = std::str::from_utf8(&html[..html.len().min(2048)]).ok()?;
    let rest = &text[text.find("<html")?..];
    let rest = &rest[rest.find("lang=")? + 5..];
    let rest = rest.trim_start_matches(['"', '\'']);
    let lang: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!lang.is_empty()).then_some(lang)
}

/// One build: the files on success, and the diagnostics either way.
pub struct Outcome {
    pub files: Option<Files>,
    /// Diagnostics as the terminal shows them.
    pub report: String,
    pub errors: usize,
    pub warnings: usize,
    pub pages: usize,
    pub charts: usize,
    pub took: Duration,
    /// How the content was read: every file, some, or none.
    pub reloaded: Reloaded,
    /// Register pages rendered, and taken as earlier builds rendered them.
    pub rendered: Option<crate::render::memo::Counts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reloaded {
    All,
    Some(usize),
    None,
}

/// Builds the site in memory, keeping what it loaded between builds so
/// that a rebuild reads again only the files that changed.
pub struct Builder {
    content: PathBuf,
    year: Option<i32>,
    snapshot: Snapshot,
    /// The content as last loaded, with the diagnostics of loading it.
    loaded: Option<(RawSite, Diagnostics)>,
    /// What builds keep for the next: PNGs, clean files, snapshots.
    caches: crate::build::Caches,
}

/// What differs between two scans of the watched folders.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub modified: BTreeSet<PathBuf>,
    pub added: BTreeSet<PathBuf>,
    pub removed: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.modified.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }

    /// How long ago the most recently written of these files was written,
    /// leaving out those known to be `complete`.
    pub fn youngest(&self, complete: &BTreeSet<PathBuf>) -> Option<Duration> {
        let now = std::time::SystemTime::now();
        self.modified
            .iter()
            .chain(self.added.iter())
            .filter(|p| !complete.contains(*p))
            .filter_map(|p| p.symlink_metadata().ok()?.modified().ok())
            .map(|t| now.duration_since(t).unwrap_or_default())
            .min()
    }

    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.modified
            .iter()
            .chain(self.added.iter())
            .chain(self.removed.iter())
    }
}

impl Builder {
    pub fn new(content: &Path, year: Option<i32>) -> Self {
        // A save of one record parses again only the piece of the register
        // that holds it.
        load::keep_pieces();
        Builder {
            content: content.to_path_buf(),
            year,
            snapshot: Snapshot::default(),
            loaded: None,
            caches: crate::build::Caches::default(),
        }
    }

    /// The folders a preview watches: the content folder and `themes/`
    /// beside it.
    pub fn watched(&self) -> Vec<PathBuf> {
        vec![
            self.content.clone(),
            crate::render::theme::themes_dir(&self.content),
        ]
    }

    /// Scans until no changed file has been written for `quiet` (at most
    /// two seconds): a large file saved in several writes is read whole,
    /// not half-written. Files in `complete` were closed by their writer
    /// (or moved into place) after their last write, and are read at once;
    /// while it waits, `wait(d, complete)` waits at most `d` for the
    /// watcher and brings `complete` up to date, so that a file closed
    /// during the quiet period is read when it is closed.
    /// The changes are those from the last build to the settled state, so
    /// an editor's temporary file that came and went is no change.
    pub fn scan_settled(
        &mut self,
        quiet: Duration,
        complete: &mut BTreeSet<PathBuf>,
        wait: &mut dyn FnMut(Duration, &mut BTreeSet<PathBuf>),
    ) -> Changes {
        let start = Instant::now();
        loop {
            let next = Snapshot::take(&self.watched(), &self.snapshot);
            let changes = self.snapshot.diff(&next);
            match changes.youngest(complete) {
                Some(age) if age < quiet && start.elapsed() < Duration::from_secs(2) => {
                    wait(quiet - age, complete);
                }
                _ => {
                    self.snapshot = next;
                    return changes;
                }
            }
        }
    }

    /// Scans the watched folders again; the files whose bytes changed since
    /// the last scan (a save that writes the same bytes is no change).
    pub fn scan(&mut self) -> Changes {
        let next = Snapshot::take(&self.watched(), &self.snapshot);
        let changes = self.snapshot.diff(&next);
        self.snapshot = next;
        changes
    }

    /// Builds the site; `changes` (from `scan`) says which files to read
    /// again, and `None` reads everything.
    pub fn build(&mut self, changes: Option<&Changes>) -> Outcome {
        let start = Instant::now();
        let archive_dir = self.content.join(crate::layout::ARCHIVE_DIR);
        let in_archive = |p: &PathBuf| p.starts_with(&archive_dir);
        if changes.is_none_or(|c| c.all().any(in_archive)) {
            if let Ok(mut s) = self.caches.snapshots.lock() {
                *s = None;
            }
        }
        let reloaded = self.refresh(changes);
        let (raw, loaded) = self.loaded.as_ref().expect("refreshed");
        let options = crate::build::Options {
            year: self.year,
            caches: Some(&self.caches),
            ..crate::build::Options::site()
        };
        let built = crate::build::run(crate::build::Source::Loaded(raw, loaded), &options);
        let report = built.report();
        let errors = built.errors().max(usize::from(!built.ok()));
        let warnings = built.diagnostics.count(Severity::Warning);
        let (pages, charts, rendered) = (built.pages, built.charts, built.memo);
        let files = built.files.filter(|_| errors == 0);
        Outcome {
            files,
            report,
            errors,
            warnings,
            pages,
            charts,
            took: start.elapsed(),
            reloaded,
            rendered,
        }
    }

    /// Brings `loaded` up to date with the disk: reads again only the
    /// changed content files when each has a known place, else everything.
    fn refresh(&mut self, changes: Option<&Changes>) -> Reloaded {
        let archive_dir = self.content.join(crate::layout::ARCHIVE_DIR);
        let content_changes: Option<Vec<&PathBuf>> = changes.map(|c| {
            c.all()
                .filter(|p| p.starts_with(&self.content) && !p.starts_with(&archive_dir))
                .collect()
        });
        if let (Some(paths), Some((raw, diags))) = (&content_changes, &mut self.loaded) {
            let c = changes.expect("paths come from changes");
            let patchable = c
                .added
                .iter()
                .chain(c.removed.iter())
                .all(|p| !p.starts_with(&self.content) || p.starts_with(&archive_dir));
            if paths.is_empty() {
                return Reloaded::None;
            }
            if patchable {
                let mut ok = true;
                for p in paths {
                    diags.forget_file(p);
                    if !load::reload(raw, p, diags) {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    return Reloaded::Some(paths.len());
                }
            }
        }
        let mut diags = Diagnostics::default();
        let mut raw = load::load(&self.content, &mut diags);
        raw.preview = true;
        self.loaded = Some((raw, diags));
        Reloaded::All
    }
}
