//! Prerequisites of tests that use a tool from outside the repository (aiosmtpd, chromium…).
//!
//! A test whose prerequisite is missing must fail, not pass: [`require_prerequisite`] panics
//! with the install command. Locally (never when `CI` is set) a named opt-out variable skips
//! the test instead, and says so on the terminal, past the test harness's output capture.

use std::io::Write;

/// Whether a test may run: `true` when `available`. When it is not, panics naming `tool` and
/// the command that installs it, unless the environment variable `skip_var` is set to a
/// non-empty value other than `0` and `CI` is not set: then prints
/// `SKIPPED <test>: <tool> missing (skip_var=…)` to stderr and returns `false`, and the
/// caller returns at once.
pub fn require_prerequisite(
    tool: &str,
    available: bool,
    install_hint: &str,
    skip_var: &str,
) -> bool {
    if available {
        return true;
    }
    let skip = std::env::var(skip_var).is_ok_and(|v| !v.is_empty() && v != "0");
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    if skip && !ci {
        // Written to the stream itself, not with eprintln!, so that the harness does not
        // capture it: a skipped test shows in the output of `cargo test`.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {tool} is missing ({skip_var} is set; install with: {install_hint})"
        );
        return false;
    }
    panic!(
        "{test} needs {tool}, which is missing. Install it with: {install_hint}\n\
         (to skip such tests locally, set {skip_var}=1; never on CI)"
    );
}
