//! `rankpress hook install|run`: the git pre-commit hook ([`crate::workflow::hook`]).

use crate::error::{Error, Outcome};
use crate::workflow::hook::Action;

/// Git pre-commit hook that checks the data before each commit.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What to do with the hook.
    #[command(subcommand)]
    action: Action,
}

/// Runs the hook action.
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::hook::run(args.action)
}
