//! The monthly workflow of the data keepers, one step per module: `init` a site, `export` the
//! month's sheet and `import` it back, `serve` a live preview, install the pre-commit `hook`,
//! and `diff` the rankings of two revisions of the data before a correction is published (the
//! commands that run them are in [`crate::cmd`]).
//!
//! Every message names the file, the cell or line, the value and what was expected, in the
//! site's language ([`crate::diag::Lang`]).

use clap::ValueEnum;

pub mod diff;
pub mod hook;
pub mod init;
pub mod preview;
pub mod serve;
pub mod sheet;

/// Sheet file formats of `export`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// Excel workbook.
    Xlsx,
    /// CSV, UTF-8 with BOM.
    Csv,
}
