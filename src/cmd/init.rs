//! `rankpress init DIR`: create a new site ([`crate::workflow::init`]).

use std::path::PathBuf;

use crate::error::{Error, Outcome};

/// Create a new site in DIR (content/ with an example, .gitignore, README for the keepers).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The new site's folder; must be empty or not exist.
    dir: PathBuf,
}

/// Writes the new site.
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::init::run(&args.dir)
}
