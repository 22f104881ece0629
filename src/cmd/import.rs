//! `rankpress import FILE --month YYYY-MM`: a month's results from a spreadsheet
//! ([`crate::workflow::sheet::run_import`]).

use std::path::PathBuf;

use crate::error::{Error, Outcome};

/// The import guide (`docs/import.md`), shown by `rankpress help import` and `import --help`;
/// import messages point there, since a keeper's site has no `docs/`.
pub const GUIDE: &str = include_str!("../../docs/import.md");

/// Import a month's results from a spreadsheet (.xlsx or .csv) into content/results/.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The sheet: .xlsx, or .csv in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 with BOM.
    file: PathBuf,
    /// The month, YYYY-MM.
    #[arg(long)]
    month: String,
    /// Overwrite an existing results file of that month.
    #[arg(long)]
    force: bool,
    /// Worksheet to read (.xlsx); default: the one Excel opens on (hidden sheets never).
    #[arg(long)]
    sheet: Option<String>,
    /// Site folder (holds content/).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
}

/// Imports the sheet (the month is parsed first, [`crate::month::parse`]).
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::sheet::run_import(
        &args.root,
        &args.file,
        &args.month,
        args.force,
        args.sheet.as_deref(),
    )
}
