//! Progress of long work on stderr. Nothing shows for the first second, so
//! quick builds print only their result; then a spinner with the current
//! stage and the time on a terminal, or one plain line per stage when
//! stderr is not a terminal (a log file, CI). `--quiet` shows nothing.

use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no progress.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    start: Instant,
    state: Mutex<State>,
    done: Condvar,
    /// On a terminal: the spinner, hidden until `DELAY` has passed.
    bar: Option<ProgressBar>,
}

struct State {
    stage: String,
    shown: bool,
    finished: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        if quiet {
            return Progress { inner: None };
        }
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        });
        let inner = Arc::new(Inner {
            start: Instant::now(),
            state: Mutex::new(State {
                stage: String::new(),
                shown: false,
                finished: false,
            }),
            done: Condvar::new(),
            bar,
        });
        let watch = inner.clone();
        std::thread::spawn(move || watch.show_after_delay());
        Progress { inner: Some(inner) }
    }

    /// A new stage of the work begins.
    pub fn stage(&self, what: &str) {
        let Some(inner) = &self.inner else { return };
        let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        s.stage = what.to_string();
        if s.shown {
            inner.draw(&s.stage);
        }
    }

    /// Prints `text` on stderr, above the spinner if one shows.
    pub fn eprint(&self, text: &str) {
        match self.inner.as_ref().and_then(|i| i.bar.as_ref()) {
            Some(bar) => bar.suspend(|| eprint!("{text}")),
            None => eprint!("{text}"),
        }
    }

    /// The work is over: the spinner goes away before the result is printed.
    pub fn finish(&self) {
        let Some(inner) = &self.inner else { return };
        let mut s = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        s.finished = true;
        if let Some(bar) = &inner.bar {
            bar.finish_and_clear();
        }
        inner.done.notify_all();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Inner {
    fn show_after_delay(&self) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (mut s, _) = self
            .done
            .wait_timeout_while(s, DELAY, |s| !s.finished)
            .unwrap_or_else(|e| e.into_inner());
        if s.finished {
            return;
        }
        s.shown = true;
        if let Some(bar) = &self.bar {
            bar.set_elapsed(self.start.elapsed());
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        self.draw(&s.stage);
    }

    fn draw(&self, stage: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(stage.to_string()),
            None => eprintln!(
                "{}",
                nianbao::msg!(
                    "progress.line",
                    stage = stage,
                    seconds = format!("{:.1}", self.start.elapsed().as_secs_f64())
                )
            ),
        }
    }
}
