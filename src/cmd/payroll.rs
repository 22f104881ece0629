//! `rankpress payroll`: the month's performance pay, confidential ([`crate::payroll`]).

use std::path::PathBuf;

use crate::diag::t;
use crate::error::{Error, Outcome};
use crate::payroll::Months;
use crate::project::Project;

/// Write the month's performance pay (confidential) as JSON, CSV and XLSX into DIR.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Site folder (holds content/); default: the current folder.
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Folder for the payroll files (confidential, never published); default: ROOT/payroll.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Month YYYY-MM, or `all`; default: the latest month with results.
    #[arg(long)]
    month: Option<String>,
}

/// Writes the payroll files and names each.
pub fn run(args: Args) -> Result<Outcome, Error> {
    let project = Project::open(&args.root);
    let lang = project.lang();
    let months = match args.month.as_deref() {
        Some("all") => Months::All,
        m => Months::One(crate::month::parse_opt(lang, m)?),
    };
    let opts = crate::payroll::Options {
        months,
        dir: args.output,
    };
    for f in &crate::payroll::run(&project, &opts)? {
        eprintln!(
            "{}",
            t!(
                lang,
                "已写入 {}（绩效工资保密，请勿发布）",
                "wrote {} (confidential: do not publish)",
                f.display()
            )
        );
    }
    Ok(Outcome::Done)
}
