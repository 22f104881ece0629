//! The monthly workflow of the data keepers, one command per step: `init` a site, `export` the
//! month's sheet and `import` it back, `serve` a live preview, install the pre-commit `hook`,
//! and `diff` the rankings of two revisions of the data before a correction is published.
//!
//! Every message names the file, the cell or line, the value and what was expected, in the
//! site's language ([`Lang`]).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::diag::{t, Lang};
use crate::error::{Error, Outcome};

pub mod diff;
pub mod hook;
pub mod init;
pub mod preview;
pub mod serve;
pub mod sheet;
pub mod text;

/// The import guide (`docs/import.md`), shown by `rankpress help import` and `import --help`;
/// import messages point there, since a keeper's site has no `docs/`.
const IMPORT_GUIDE: &str = include_str!("../../docs/import.md");

/// The workflow subcommands, flattened into the main command line by [`crate::cli`].
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new site in DIR (content/ with an example, .gitignore, README for the keepers).
    Init {
        /// The new site's folder; must be empty or not exist.
        dir: PathBuf,
    },
    /// Import a month's results from a spreadsheet (.xlsx or .csv) into content/results/.
    #[command(long_about = IMPORT_GUIDE)]
    Import {
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
    },
    /// Write the month's sheet to fill in: roster rows, indicator columns.
    Export {
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
    },
    /// Git pre-commit hook that checks the data before each commit.
    Hook {
        /// What to do with the hook.
        #[command(subcommand)]
        action: hook::Action,
    },
    /// Compare the computed rankings of two revisions of the data (REV and the working tree by
    /// default).
    Diff {
        /// A git revision (commit, tag, HEAD~1 …).
        rev: String,
        /// A second revision; default: the working tree.
        rev2: Option<String>,
        /// Site folder (holds content/).
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site: build, serve over HTTP, rebuild and reload pages on every change.
    Serve {
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
    },
}

/// Sheet file formats of `export`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// Excel workbook.
    Xlsx,
    /// CSV, UTF-8 with BOM.
    Csv,
}

/// Runs a workflow command other than `serve` (which [`crate::cli`] runs itself: it runs until
/// stopped and reports its own failures).
pub fn run(cmd: Command) -> Result<Outcome, Error> {
    match cmd {
        Command::Init { dir } => init::run(&dir),
        Command::Import {
            file,
            month,
            force,
            sheet,
            root,
        } => sheet::run_import(&root, &file, &month, force, sheet.as_deref()),
        Command::Export {
            month,
            format,
            out,
            force,
            root,
        } => sheet::run_export(&root, &month, format, out.as_deref(), force),
        Command::Hook { action } => hook::run(action),
        Command::Diff { rev, rev2, root } => diff::run(&root, &rev, rev2.as_deref()),
        Command::Serve {
            port,
            bind,
            root,
            timings,
        } => serve::run(&root, &bind, port, timings),
    }
}

/// Parses a `--month` argument, or says what is expected (a month outside
/// [`Month::FIRST`](crate::model::Month::FIRST)..=[`Month::LAST`](crate::model::Month::LAST)
/// is refused, naming the range).
pub(crate) fn parse_month(lang: Lang, s: &str) -> Result<crate::model::Month, Error> {
    let m = crate::model::Month::parse(s).ok_or_else(|| {
        Error::Usage(t!(
            lang,
            "--month 的值 \"{}\" 不是月份，应为 YYYY-MM，例如 2026-10",
            "--month \"{}\" is not a month; expected YYYY-MM, e.g. 2026-10",
            s
        ))
    })?;
    if m.in_range() {
        Ok(m)
    } else {
        Err(Error::Usage(format!("--month: {}", m.range_message(lang))))
    }
}
