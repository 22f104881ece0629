//! `rankpress serve`: the live preview ([`crate::workflow::serve`]), until stopped.

use std::path::PathBuf;

use crate::error::{Error, Outcome};

/// Preview the site: build, serve over HTTP, rebuild and reload pages on every change.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Port; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; only loopback unless given.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Site folder (holds content/).
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Print the time of each phase of every rebuild.
    #[arg(long)]
    timings: bool,
}

/// Serves the site until stopped.
pub fn run(args: Args) -> Result<Outcome, Error> {
    crate::workflow::serve::run(&args.root, &args.bind, args.port, args.timings)
}
