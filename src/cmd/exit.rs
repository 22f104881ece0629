//! The exit codes of the command line, and the one table from a command's outcome or error
//! kind ([`crate::error::Error`]) to its code, the same for every command (tested per command
//! in `tests/exit_codes.rs`; listed in `rankpress --help` and the README). `serve`, which runs
//! until stopped, reports its own failures the same way.

use crate::error::{Error, Outcome};

/// Bad data: the problems were listed (`file:line:column: message`), a sheet to import has
/// problems, or `site.yaml` lacks the settings a command needs (`pay`, `bulletin:`, `smtp`;
/// contract §10 makes `payroll` without `pay` exit 1).
pub const DATA: u8 = 1;
/// Bad usage or missing input: an argument that is not valid (a bad `--month` in every
/// command), a folder that may not be used, no results for the month, no bulletins written
/// yet, an unset credentials variable; or reading or writing a file failed.
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

/// The exit code of a failed command: one per kind of fault, whatever the command.
pub fn code(e: &Error) -> u8 {
    match e {
        Error::Data(_) | Error::Refused(_) => DATA,
        Error::Usage(_) | Error::Missing(_) | Error::Io(_) => USAGE,
        Error::Send(_) => SEND,
    }
}

/// The exit code of a command that ran to its end.
pub fn of_outcome(o: Outcome) -> u8 {
    match o {
        Outcome::Done => 0,
        Outcome::NotAllSent => SEND,
    }
}
