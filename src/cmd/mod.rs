//! The command line: the clap [`Cli`], one file per command, and the one place that prints a
//! command's error and picks the exit code ([`exit`]).
//!
//! Every command is thin: parse its arguments → open the site ([`crate::project::Project`]) →
//! call the library → print what was done.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::Error;

pub mod build;
pub mod bulletin;
pub mod check;
pub mod diff;
pub mod exit;
pub mod export;
pub mod hook;
pub mod import;
pub mod init;
pub mod payroll;
pub mod send;
pub mod serve;

/// rankpress: monthly rankings, training summaries and bulletins for customer managers.
#[derive(Parser, Debug)]
#[command(
    name = "rankpress",
    version,
    about,
    propagate_version = true,
    after_help = exit::LEGEND
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the site and its output are (`build`, `check`).
#[derive(Args, Debug, Clone)]
pub struct Paths {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder; default: ROOT/output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Where the site and its bulletins are (`bulletin`, `send`).
#[derive(Args, Debug, Clone)]
pub struct BulletinPaths {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Bulletins folder (confidential, never published); default: ROOT/bulletins.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the data, then build the site into the output folder.
    Build(build::Args),
    /// Load and validate everything; write nothing; exit 0 only when the data is clean.
    Check(check::Args),
    /// Create a new site in DIR (content/ with an example, .gitignore, README for the keepers).
    Init(init::Args),
    /// Import a month's results from a spreadsheet (.xlsx or .csv) into content/results/.
    #[command(long_about = import::GUIDE)]
    Import(import::Args),
    /// Write the month's sheet to fill in: roster rows, indicator columns.
    Export(export::Args),
    /// Git pre-commit hook that checks the data before each commit.
    Hook(hook::Args),
    /// Compare the computed rankings of two revisions of the data (REV and the working tree by
    /// default).
    Diff(diff::Args),
    /// Preview the site: build, serve over HTTP, rebuild and reload pages on every change.
    Serve(serve::Args),
    /// Write the monthly email bulletins into ROOT/bulletins/ (team, and personal ones).
    #[command(long_about = guide("bulletin"))]
    Bulletin(bulletin::Args),
    /// Send the bulletins written by `bulletin` over SMTP.
    #[command(long_about = guide("send"))]
    Send(send::Args),
    /// Write the month's performance pay (confidential) as JSON, CSV and XLSX into DIR.
    #[command(long_about = guide("payroll"))]
    Payroll(payroll::Args),
}

/// The month's routine (`docs/workflow.md`); its marked steps are the guides of `rankpress help
/// bulletin|send|payroll`, as `docs/import.md` is `rankpress help import`'s (a keeper's site has
/// no `docs/`).
const WORKFLOW: &str = include_str!("../../docs/workflow.md");

/// The guide of `rankpress help NAME`: the step of `docs/workflow.md` between
/// `<!-- guide:NAME -->` and `<!-- /guide -->`, with the step's number taken off.
pub fn guide(name: &str) -> String {
    let open = format!("<!-- guide:{name} -->");
    let start = WORKFLOW
        .find(&open)
        .map(|i| i + open.len())
        .unwrap_or_else(|| panic!("docs/workflow.md has no guide {name}"));
    let end = start
        + WORKFLOW[start..]
            .find("<!-- /guide -->")
            .unwrap_or_else(|| panic!("docs/workflow.md: guide {name} is not closed"));
    let text = WORKFLOW[start..end].trim();
    let text = text
        .split_once(". ")
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(text, |(_, rest)| rest);
    // The step's lines are indented under its number; a guide starts at the margin.
    text.lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses the arguments, runs the command, prints its error if any and exits with the code of
/// its outcome (see [`exit`]): the one place that does either.
pub fn main() -> ExitCode {
    // Every command's --help ends with the exit codes, the same for all.
    let parsed = Cli::command()
        .mut_subcommands(|c| c.after_help(exit::LEGEND))
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Build(a) => build::run(a).map_err(named),
        Command::Check(a) => check::run(a),
        Command::Init(a) => init::run(a),
        Command::Import(a) => import::run(a),
        Command::Export(a) => export::run(a),
        Command::Hook(a) => hook::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Bulletin(a) => bulletin::run(a).map_err(named),
        Command::Send(a) => send::run(a).map_err(named),
        Command::Payroll(a) => payroll::run(a).map_err(named),
    };
    match result {
        Ok(outcome) => ExitCode::from(exit::of_outcome(outcome)),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(exit::code(&e))
        }
    }
}

/// The messages of `build`, `bulletin`, `send` and `payroll` start with the program's name (a
/// list of problems does not).
fn named(e: Error) -> Error {
    match e {
        Error::Refused(s) => Error::Refused(format!("rankpress: {s}")),
        Error::Usage(s) => Error::Usage(format!("rankpress: {s}")),
        Error::Missing(s) => Error::Missing(format!("rankpress: {s}")),
        Error::Io(s) => Error::Io(format!("rankpress: {s}")),
        Error::Send(s) => Error::Send(format!("rankpress: {s}")),
        data @ Error::Data(_) => data,
    }
}
