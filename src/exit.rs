//! The exit codes of the command line, shared by [`crate::cli`] and the workflow commands (a
//! leaf module, so that commands need not import the command line that calls them).

/// Bad data (the problems were listed).
pub const DATA: u8 = 1;
/// Bad usage or an I/O failure.
pub const USAGE: u8 = 2;
/// `send` could not send every message (server unreachable, login refused, a message refused
/// or whose delivery is unknown…).
pub const SEND: u8 = 3;
