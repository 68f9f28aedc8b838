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
        let start = Instant::now();
        while start.elapsed() < BURST_MAX {
            match rx.recv_timeout(BURST) {
                Ok(e) => {
                    burst.note(e);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Some(burst),
            }
        }
        Some(burst)
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
                self.complete.insert(path);
            } else {
                self.complete.remove(&path);
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
}
