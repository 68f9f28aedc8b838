//! A time limit for the chart drawing of the fuzz targets: a figure that
//! makes an axis spin (plotters' tick search over an infinite range) is a
//! failure at once, reported as a panic, rather than one of libFuzzer's
//! timeouts after twenty minutes.

use std::sync::mpsc;
use std::time::Duration;

/// Drawing all charts of the small sample site takes milliseconds.
pub const CHARTS: Duration = Duration::from_secs(10);

/// Runs `f` on a thread of its own; panics when it has not ended in `limit`.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("drawing the charts took more than {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("drawing the charts panicked"),
    }
}
