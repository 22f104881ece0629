//! Pause points for tests: a build stops at a named point when the environment variable
//! `RANKPRESS_TEST_PAUSE_AT` names it, so a test can kill it exactly there instead of at a
//! guessed moment (tests/crash.rs).
//!
//! The variable holds `NAME` (the first time the point is reached) or `NAME:N` (the N-th time,
//! counted over all threads). There the process prints `rankpress: paused at NAME` on standard
//! error and waits forever; the test, reading standard error, then kills it. Unset (always,
//! outside tests), a point costs one comparison.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The environment variable that names the point to pause at.
pub const VAR: &str = "RANKPRESS_TEST_PAUSE_AT";

/// The line printed on standard error when paused at `name`.
pub fn announcement(name: &str) -> String {
    format!("rankpress: paused at {name}")
}

/// The point and the occurrence to pause at, read once.
fn wanted() -> Option<&'static (String, usize)> {
    static WANTED: OnceLock<Option<(String, usize)>> = OnceLock::new();
    WANTED
        .get_or_init(|| {
            let v = std::env::var(VAR).ok()?;
            Some(match v.split_once(':') {
                Some((name, n)) => (name.to_string(), n.parse().ok()?),
                None => (v, 1),
            })
        })
        .as_ref()
}

/// A named point of a build: pauses there forever when [`VAR`] asks for it (see the module
/// documentation); returns at once otherwise.
pub fn point(name: &str) {
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let Some((want, n)) = wanted() else {
        return;
    };
    if want != name || SEEN.fetch_add(1, Ordering::SeqCst) + 1 != *n {
        return;
    }
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", announcement(name));
    let _ = err.flush();
    loop {
        std::thread::park();
    }
}
