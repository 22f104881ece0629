//! `rankpress export --month YYYY-MM`: the month's sheet to fill in
//! ([`crate::workflow::sheet::run_export`]).

use std::path::PathBuf;

use crate::error::{Error, Outcome};
use crate::workflow::SheetFormat;

/// Write the month's sheet to fill in: roster rows, indicator columns.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The month, YYYY-MM.
    #[arg(long)]
    month: String,
    /// File format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Xlsx)]
    format: SheetFormat,
    /// File to write; default: results-YYYY-MM.xlsx (or .csv) in the current folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace an existing sheet that rankpress exported (never another file, nor one
    /// under content/ or .git/).
    #[arg(long)]
    force: bool,
    /// Site folder (holds content/).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
}

/// Writes the sheet (the month is parsed first, [`crate::month::parse`]).
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::sheet::run_export(
        &args.root,
        &args.month,
        args.format,
        args.out.as_deref(),
        args.force,
    )
}
