//! Every mechanism that reuses earlier work, behind one switch and one way to make a key.
//!
//! rankpress reuses earlier work in three places, all here:
//!
//! - [`parse`]: the parse cache `.NAME.cache` beside the output folder `NAME`: the typed,
//!   validated results files of the previous build, taken again when their bytes and what
//!   their check depends on are unchanged (`build`, and `serve` in memory).
//! - [`pages`]: the page manifest `.NAME.pages` (the key of every page of the output) and the
//!   hard-linking of unchanged pages and files from the previous output into the new one.
//! - the key of a manager page's inputs (`crate::pages`, made with [`KeyBuilder`]), which
//!   lets a rebuild link an unchanged manager page without building its context.
//!
//! Every key is a [`Key`] made by a [`KeyBuilder`] ([`key`]: SipHash-1-3, 128 bits, fixed
//! keys, typed inputs). The content fingerprints that are written into users' files and so
//! must never change (a message's content hash in `send`'s log, its Message-ID) are in
//! [`stored`].
//!
//! [`enabled`] is the switch: with `RANKPRESS_CACHE=off` in the environment no cache is read
//! or written, nothing is linked from the previous output and everything is parsed, computed
//! and rendered again. The output is byte-identical either way, so a suspected cache bug can
//! be bisected to "cache on / off".

pub mod key;
pub mod pages;
pub mod parse;
pub mod stored;

pub use key::{Key, KeyBuilder};
pub use pages::{PageCache, Reuse};
pub use parse::{base_key, key, path_for, ParseCache};

/// The environment variable of the switch: `off` turns every cache and reuse mechanism off.
pub const SWITCH: &str = "RANKPRESS_CACHE";

/// Whether reusing earlier work is allowed: false when the environment variable
/// `RANKPRESS_CACHE` is `off`, true otherwise.
pub fn enabled() -> bool {
    std::env::var_os(SWITCH).is_none_or(|v| v != "off")
}
