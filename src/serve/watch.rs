//! What the file watcher says, made into what a rebuild needs: the events
//! of one save taken together, and which files their writer has finished
//! with. A file closed after writing, moved into place or removed is
//! complete and can be read at once; only a file still open for writing
//! makes the rebuild wait until it has been quiet for a while.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify_debouncer_mini::notify::{Event, Result};

/// Events this close to each other are one save (an editor writes, closes
/// and renames within a millisecond or two).
pub const BURST: Duration = Duration::from_millis(4);
/// A burst never delays a rebuild more than this, however busy the folder.
const BURST_MAX: Duration = Duration::from_millis(100);

/// The paths of one burst of events.
#[derive(Debug, Default)]
pub struct Burst {
    /// Paths whose last event says their writer is done with them.
    pub complete: BTreeSet<PathBuf>,
    /// Paths whose last event says they were written and not yet closed.
    pub written: BTreeSet<PathBuf>,
    /// Whether the watcher reported an error (events may have been lost).
    pub lost: bool,
}

impl Burst {
    /// Takes `first` and every event that follows it within `BURST`;
    /// `None` when the watcher is gone.
    pub fn next(rx: &Receiver<Result<Event>>) -> Option<Burst> {
        let mut burst = Burst::default();
        // Reading a file (as every scan and build does) is no change.
        while !burst.note(rx.recv().ok()?) {}
        Some(burst.rest(rx))
    }

    /// The next burst if its first event comes within `wait`: a file still
    /// being written when a burst ended (a large file written in pieces
    /// more than `BURST` apart) is read as soon as its writer closes it.
    pub fn within(rx: &Receiver<Result<Event>>, wait: Duration) -> Option<Burst> {
        let start = Instant::now();
        let mut burst = Burst::default();
        loop {
            let left = wait.checked_sub(start.elapsed())?;
            match rx.recv_timeout(left) {
                Ok(e) => {
                    if burst.note(e) {
                        return Some(burst.rest(rx));
                    }
                }
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(left);
                    return None;
                }
            }
        }
    }

    /// The same burst with its paths as the folders were named to the
    /// builder: the watcher reports absolute paths, and a preview started
    /// with a relative folder (`-c content`, the default) scans relative
    /// ones; without this no file would ever be known complete there, and
    /// every save would wait out the quiet period.
    pub fn relative_to(mut self, cwd: Option<&std::path::Path>) -> Burst {
        if let Some(cwd) = cwd {
            let rel = |set: BTreeSet<PathBuf>| -> BTreeSet<PathBuf> {
                set.into_iter()
                    .map(|p| match p.strip_prefix(cwd) {
                        Ok(r) => r.to_path_buf(),
                        Err(_) => p,
                    })
                    .collect()
            };
            self.complete = rel(self.complete);
            self.written = rel(self.written);
        }
        self
    }

    /// What this later burst says of the files `complete` holds.
    pub fn apply(self, complete: &mut BTreeSet<PathBuf>) {
        if self.lost {
            complete.clear();
            return;
        }
        for p in &self.written {
            complete.remove(p);
        }
        complete.extend(self.complete);
    }

    /// The events that follow within `BURST` of each other.
    fn rest(self, rx: &Receiver<Result<Event>>) -> Burst {
        let mut burst = self;
        let start = Instant::now();
        while start.elapsed() < BURST_MAX {
            match rx.recv_timeout(BURST) {
                Ok(e) => {
                    burst.note(e);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return burst,
            }
        }
        burst
    }

    /// Takes in one event; `false` when it only says a file was read.
    fn note(&mut self, event: Result<Event>) -> bool {
        let Ok(event) = event else {
            self.lost = true;
            return true;
        };
        let done = complete(&event.kind);
        if !done && matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        for path in event.paths {
            if done {
                self.written.remove(&path);
                self.complete.insert(path);
            } else {
                self.complete.remove(&path);
                self.written.insert(path);
            }
        }
        true
    }
}

/// Whether an event leaves its file whole: closed after writing, renamed
/// into place (editors' atomic save) or removed.
fn complete(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Remove(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_mini::notify::event::{CreateKind, DataChange, RenameMode};

    fn event(kind: EventKind, path: &str) -> Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_file_is_complete_once_closed_and_not_after_a_later_write() {
        let (tx, rx) = std::sync::mpsc::channel();
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        tx.send(event(read, "a.md")).unwrap();
        tx.send(event(EventKind::Create(CreateKind::File), "a.md"))
            .unwrap();
        tx.send(event(write, "a.md")).unwrap();
        tx.send(event(close, "a.md")).unwrap();
        tx.send(event(write, "b.yaml")).unwrap();
        tx.send(event(close, "b.yaml")).unwrap();
        tx.send(event(write, "b.yaml")).unwrap();
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        tx.send(event(rename, "c.md")).unwrap();
        tx.send(event(read, "c.md")).unwrap();
        let burst = Burst::next(&rx).unwrap();
        let names: Vec<_> = burst.complete.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["a.md", "c.md"]);
        assert!(!burst.lost);
        drop(tx);
        assert!(Burst::next(&rx).is_none());
    }

    #[test]
    fn a_later_burst_completes_a_file_named_as_the_builder_names_it() {
        let (tx, rx) = std::sync::mpsc::channel();
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        // The first burst ends while a large file is still being written.
        tx.send(event(write, "/site/content/data/o.yaml")).unwrap();
        let cwd = Some(std::path::Path::new("/site"));
        let first = Burst::next(&rx).unwrap().relative_to(cwd);
        let mut complete = first.complete.clone();
        assert!(complete.is_empty());
        assert_eq!(first.written.len(), 1);
        // Nothing more within the wait: no burst.
        assert!(Burst::within(&rx, std::time::Duration::from_millis(5)).is_none());
        // Its writer closes it: complete, by the relative name the builder scans.
        tx.send(event(close, "/site/content/data/o.yaml")).unwrap();
        tx.send(event(close, "/elsewhere/p.md")).unwrap();
        let more = Burst::within(&rx, std::time::Duration::from_secs(5)).unwrap();
        more.relative_to(cwd).apply(&mut complete);
        let names: Vec<_> = complete.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["/elsewhere/p.md", "content/data/o.yaml"]);
        // Written again after it was closed: no longer complete.
        tx.send(event(write, "/site/content/data/o.yaml")).unwrap();
        let again = Burst::within(&rx, std::time::Duration::from_secs(5)).unwrap();
        again.relative_to(cwd).apply(&mut complete);
        assert_eq!(complete.len(), 1);
    }
}
