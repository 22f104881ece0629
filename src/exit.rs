//! The exit codes of the command line: [`crate::cli`] maps every command's
//! [`crate::error::Error`] to one of them (and `serve`, which runs until stopped, uses them
//! directly). A leaf module.

//!
//! One code per kind of fault, whatever the command (tested per command in
//! `tests/exit_codes.rs`; listed in `rankpress --help` and the README):

/// Bad data: the problems were listed (`file:line:column: message`), a sheet to import has
/// problems, or `site.yaml` lacks the settings a command needs (`pay`, `bulletin:`, `smtp`;
/// contract §10 makes `payroll` without `pay` exit 1).
pub const DATA: u8 = 1;
/// Bad usage or missing input: an argument that is not valid, a folder that may not be used, no
/// results for the month, no bulletins written yet, an unset credentials variable; or
/// reading or writing a file failed.
pub const USAGE: u8 = 2;
/// Delivery: `send` could not send every message (server unreachable, login refused, a message
/// refused or whose delivery is unknown…).
pub const SEND: u8 = 3;

/// The exit codes as `rankpress --help` and the README list them.
pub const LEGEND: &str = "Exit codes: 0 success; 1 bad data (the problems are listed, or \
site.yaml lacks the pay, bulletin or smtp settings a command needs); 2 bad usage or missing \
input (an invalid argument, no results for the month, no bulletins written yet) or a file that \
could not be read or written; \
3 delivery: send could not deliver every message.";
