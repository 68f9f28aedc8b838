//! Pages a long-running process (`serve`) already rendered, kept by a
//! fingerprint of everything their bytes depend on: the templates, the
//! variables every template receives, the page's path, template, title and
//! its own variables. A page whose fingerprint is unchanged since the last
//! build is taken as it was instead of rendered again, so a save that
//! touches one record re-renders the few pages that show it, and the
//! output stays byte for byte that of a full build (the fingerprint is
//! taken over the same values the template context is made of, serialized
//! as JSON, or for the views of register pages through their `Hash`, both
//! of which keep every string and number distinct).
//!
//! Entries not used by a build are dropped when it ends, so the memo never
//! holds more than one site's pages.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::Context;

use crate::layout::{Bytes, Files};

/// A running hash of values as JSON. SipHash over 64 bits: the fingerprint
/// of a page is only ever compared with that of the same page in the
/// previous build, so a false match would take a chance of 2^-64 per save.
#[derive(Clone, Default)]
pub struct Fingerprint(DefaultHasher);

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Fingerprint {
    /// Adds a named value; the name and a separator keep `("ab", "c")`
    /// apart from `("a", "bc")`.
    pub fn add<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.text(key);
        // A value that cannot be serialized cannot be put in a context
        // either; its page then fails to render and is never kept.
        if serde_json::to_writer(&mut *self, value).is_err() {
            self.0.write_u8(0xff);
        }
        self.0.write_u8(0);
    }

    /// Adds a named value through its `Hash`: for the views of register
    /// pages, thousands a save, where writing JSON would cost more than
    /// the hash (a view's strings and lists hash with their lengths or
    /// terminators, so distinct views stay distinct).
    pub fn hash<T: std::hash::Hash + ?Sized>(&mut self, key: &str, value: &T) {
        self.text(key);
        value.hash(&mut self.0);
        self.0.write_u8(0);
    }

    pub fn text(&mut self, s: &str) {
        self.0.write_usize(s.len());
        self.0.write(s.as_bytes());
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A value put into a template context only when a page is rendered.
type Later = Arc<dyn Fn(&mut Context) + Send + Sync>;

/// A template context with the fingerprint of what was put in it.
#[derive(Clone, Default)]
pub struct Keyed {
    pub ctx: Context,
    pub print: Fingerprint,
    later: Vec<Later>,
}

impl Keyed {
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.print.add(key, value);
        self.ctx.insert(key, value);
    }

    /// `insert`, but the value goes into the context only when `context`
    /// is asked for: the variables of a register's list pages are not
    /// made into a context when the memo has all its pages.
    pub fn insert_later<T: Serialize + std::hash::Hash + Send + Sync + 'static>(
        &mut self,
        key: &'static str,
        value: T,
    ) {
        self.print.hash(key, &value);
        self.later
            .push(Arc::new(move |ctx: &mut Context| ctx.insert(key, &value)));
    }

    /// The context, with every value.
    pub fn context(&self) -> Context {
        let mut ctx = self.ctx.clone();
        self.later.iter().for_each(|put| put(&mut ctx));
        ctx
    }
}

/// Rendered pages by path (within the output, year folder included) with
/// the fingerprint they were rendered from.
#[derive(Default)]
pub struct Memo {
    pages: Mutex<HashMap<String, Entry>>,
    /// Whole registers (a list in pages and its rows' pages) by name: the
    /// fingerprint of all their inputs and the paths of their pages, so
    /// that a save that leaves the registers as they were builds no view.
    groups: Mutex<HashMap<String, Group>>,
    /// The register part of each year's search index (by the year's
    /// folder), with the fingerprint it was made from.
    search: Mutex<HashMap<String, (u64, Arc<String>)>>,
    /// The number of the build under way.
    build: AtomicU64,
    rendered: AtomicUsize,
    reused: AtomicUsize,
}

struct Group {
    print: u64,
    paths: Vec<String>,
    build: u64,
}

struct Entry {
    print: u64,
    bytes: Bytes,
    /// Found free of personal numbers in a build that published it.
    clean: bool,
    /// The build that last asked for it.
    build: u64,
}

/// How many pages a build rendered and how many it took from the memo.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub rendered: usize,
    pub reused: usize,
}

impl Memo {
    /// Starts a build: pages asked for from now on are its own.
    pub fn start(&self) {
        self.build.fetch_add(1, Ordering::SeqCst);
        self.rendered.store(0, Ordering::SeqCst);
        self.reused.store(0, Ordering::SeqCst);
    }

    /// Ends a build: drops the pages it did not ask for (a page gone from
    /// the site), and says how many it rendered and reused.
    pub fn finish(&self) -> Counts {
        let build = self.build.load(Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|_, e| e.build == build);
        }
        if let Ok(mut groups) = self.groups.lock() {
            groups.retain(|_, g| g.build == build);
        }
        Counts {
            rendered: self.rendered.load(Ordering::SeqCst),
            reused: self.reused.load(Ordering::SeqCst),
        }
    }

    /// Moves out of `files` the pages this build took from the memo that
    /// an earlier build found clean of personal numbers: the same bytes
    /// need no second search.
    pub fn set_aside_clean(&self, files: &mut Files) -> Files {
        let build = self.build.load(Ordering::SeqCst);
        let Ok(pages) = self.pages.lock() else {
            return Files::new();
        };
        // Split in order and collected: no lookup of each path in the map.
        let (clean, rest): (Vec<_>, Vec<_>) =
            std::mem::take(files).into_iter().partition(|(p, _)| {
                p.to_str()
                    .and_then(|p| pages.get(p))
                    .is_some_and(|e| e.clean && e.build == build)
            });
        *files = rest.into_iter().collect();
        clean.into_iter().collect()
    }

    /// Notes that the pages of this build were found clean.
    pub fn mark_clean(&self) {
        let build = self.build.load(Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.lock() {
            pages
                .values_mut()
                .filter(|e| e.build == build)
                .for_each(|e| e.clean = true);
        }
    }

    /// The pages of the register `name` as an earlier build rendered them
    /// from the same inputs (`print`), by their paths in the output.
    pub fn group(&self, name: &str, print: u64) -> Option<Vec<(String, Bytes)>> {
        let build = self.build.load(Ordering::SeqCst);
        let mut groups = self.groups.lock().ok()?;
        let group = groups.get_mut(name).filter(|g| g.print == print)?;
        let mut pages = self.pages.lock().ok()?;
        if !group.paths.iter().all(|p| pages.contains_key(p)) {
            return None;
        }
        group.build = build;
        let taken: Vec<(String, Bytes)> = group
            .paths
            .iter()
            .filter_map(|p| {
                let e = pages.get_mut(p)?;
                e.build = build;
                Some((p.clone(), e.bytes.clone()))
            })
            .collect();
        self.reused.fetch_add(taken.len(), Ordering::Relaxed);
        Some(taken)
    }

    /// Notes which pages (paths in the output) the register `name` made
    /// from `print`.
    pub fn put_group(&self, name: &str, print: u64, mut paths: Vec<String>) {
        let build = self.build.load(Ordering::SeqCst);
        // In the order of the site's map, so that a build that takes them
        // collects them without sorting.
        paths.sort_unstable_by(|a, b| crate::layout::path_order(a, b));
        if let Ok(mut groups) = self.groups.lock() {
            groups.insert(
                name.to_string(),
                Group {
                    print,
                    paths,
                    build,
                },
            );
        }
    }

    /// The register part of the search index of the year at `prefix` as
    /// made from `print` by an earlier build, or else `make`'s.
    pub fn search_part(
        &self,
        prefix: &str,
        print: u64,
        make: impl FnOnce() -> String,
    ) -> Arc<String> {
        if let Ok(parts) = self.search.lock() {
            if let Some((_, part)) = parts.get(prefix).filter(|(p, _)| *p == print) {
                return part.clone();
            }
        }
        let part = Arc::new(make());
        if let Ok(mut parts) = self.search.lock() {
            parts.insert(prefix.to_string(), (print, part.clone()));
        }
        part
    }

    /// The page at `path` (in the output) as last rendered from `print`,
    /// or else `render`'s result, kept when it rendered.
    pub fn page<E>(
        &self,
        path: &str,
        print: u64,
        render: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Bytes, E> {
        let build = self.build.load(Ordering::SeqCst);
        if let Ok(mut pages) = self.pages.lock() {
            if let Some(e) = pages.get_mut(path).filter(|e| e.print == print) {
                e.build = build;
                self.reused.fetch_add(1, Ordering::Relaxed);
                return Ok(e.bytes.clone());
            }
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let result = render().map(Bytes::new);
        if let (Ok(bytes), Ok(mut pages)) = (&result, self.pages.lock()) {
            pages.insert(
                path.to_string(),
                Entry {
                    print,
                    bytes: bytes.clone(),
                    clean: false,
                    build,
                },
            );
        }
        result
    }
}
