//! The exit codes of the command line: [`crate::cli`] maps every command's
//! [`crate::error::Error`] to one of them (and `serve`, which runs until stopped, uses them
//! directly). A leaf module.

/// Bad data (the problems were listed).
pub const DATA: u8 = 1;
/// Bad usage or an I/O failure.
pub const USAGE: u8 = 2;
/// `send` could not send every message (server unreachable, login refused, a message refused
/// or whose delivery is unknown…).
pub const SEND: u8 = 3;
