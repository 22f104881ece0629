//! `rankpress diff REV [REV2]`: the rankings of two revisions compared
//! ([`crate::workflow::diff`]).

use std::path::PathBuf;

use crate::error::{Error, Outcome};

/// Compare the computed rankings of two revisions of the data (REV and the working tree by
/// default).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A git revision (commit, tag, HEAD~1 …).
    rev: String,
    /// A second revision; default: the working tree.
    rev2: Option<String>,
    /// Site folder (holds content/).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
}

/// Prints the changes.
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::diff::run(&args.root, &args.rev, args.rev2.as_deref())
}
